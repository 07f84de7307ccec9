import NIOCore

/// One entry of a Redis stream.
public struct RedisStreamEntry: Sendable, Hashable {
    /// One field of an entry.
    public struct Field: Sendable, Hashable {
        /// The field name.
        public var name: String
        /// The value's bytes.
        public var value: ByteBuffer
    }

    /// The entry ID, e.g. `1700000000000-0`.
    public var id: String
    /// The fields in their stored order. Empty for a pending entry that was deleted from the stream.
    public var fields: [Field]

    /// The value of the first field named `name`.
    public subscript(_ name: String) -> ByteBuffer? {
        self.fields.first { $0.name == name }?.value
    }

    /// Parses `[id, [field, value, …]]`; `nil` for a null (deleted) entry.
    init?(reply: RESPValue) throws {
        if reply.isNull { return nil }
        guard let items = reply.array, items.count == 2, let id = items[0].string else {
            throw RedisError(.unexpectedReply, "A stream entry did not have the shape [id, fields]")
        }
        self.id = id
        self.fields = []
        if let flat = items[1].array {
            guard flat.count.isMultiple(of: 2) else { throw RedisError(.unexpectedReply, "A stream entry had an odd number of field items") }
            for index in stride(from: 0, to: flat.count, by: 2) {
                guard let name = flat[index].string, let value = flat[index + 1].byteBuffer else {
                    throw RedisError(.unexpectedReply, "A stream entry field was not a string")
                }
                self.fields.append(Field(name: name, value: value))
            }
        }
    }

    /// Parses an array of entries, skipping null ones.
    static func list(_ reply: RESPValue) throws -> [RedisStreamEntry] {
        guard let items = reply.array else {
            if reply.isNull { return [] }
            throw RedisError(.unexpectedReply, "Stream entries were not an array")
        }
        return try items.compactMap { try RedisStreamEntry(reply: $0) }
    }
}
