import CHiredis
import NIOCore

extension RESPValue {
    /// Copies a hiredis reply tree into a `RESPValue`. Does not free `reply`.
    init(_ reply: UnsafePointer<redisReply>, allocator: ByteBufferAllocator) {
        let node = reply.pointee
        switch node.type {
        case REDIS_REPLY_STRING:
            var buffer = allocator.buffer(capacity: node.len)
            if node.len > 0, let str = node.str {
                buffer.writeBytes(UnsafeRawBufferPointer(start: str, count: node.len))
            }
            self = .bulkString(buffer)
        case REDIS_REPLY_STATUS:
            self = .simpleString(Self.text(node))
        case REDIS_REPLY_ERROR:
            self = .error(Self.text(node))
        case REDIS_REPLY_INTEGER:
            self = .integer(Int(node.integer))
        case REDIS_REPLY_ARRAY:
            var values: [RESPValue] = []
            values.reserveCapacity(node.elements)
            for index in 0..<node.elements {
                values.append(RESPValue(atrium_redisReplyElement(reply, index), allocator: allocator))
            }
            self = .array(values)
        default:  // REDIS_REPLY_NIL
            self = .null
        }
    }

    private static func text(_ node: redisReply) -> String {
        guard node.len > 0, let str = node.str else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: str, count: node.len), as: UTF8.self)
    }
}
