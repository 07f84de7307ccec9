import CLibpq

/// A statement's values in libpq's binary format, with the types postgres-nio gives them (`text`, `text[]`, `int8`),
/// so a statement means the same on either client. Binary text keeps every byte (a NUL character reaches PostgreSQL,
/// which refuses it as postgres-nio's would be).
struct LibpqParameters {
    static let textOID: Oid = 25
    static let textArrayOID: Oid = 1009
    static let int8OID: Oid = 20

    private(set) var types: [Oid] = []
    /// Each value's bytes; nil for NULL.
    private(set) var values: [[UInt8]?] = []

    init(_ values: [SQLValue]) {
        for value in values {
            switch value {
            case .text(let text):
                types.append(Self.textOID)
                self.values.append(text.map { Array($0.utf8) })
            case .integer(let number):
                types.append(Self.int8OID)
                self.values.append(Self.bigEndian(Int64(number)))
            case .textArray(let texts):
                types.append(Self.textArrayOID)
                self.values.append(Self.textArray(texts))
            }
        }
    }

    /// PostgreSQL's binary array: dimensions, a null flag, the element type, then per dimension its length and lower
    /// bound, then each element's length and bytes.
    private static func textArray(_ texts: [String]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes += bigEndian(Int32(texts.isEmpty ? 0 : 1))
        bytes += bigEndian(Int32(0))
        bytes += bigEndian(Int32(bitPattern: textOID))
        guard !texts.isEmpty else { return bytes }
        bytes += bigEndian(Int32(texts.count))
        bytes += bigEndian(Int32(1))
        for text in texts {
            let utf8 = Array(text.utf8)
            bytes += bigEndian(Int32(utf8.count))
            bytes += utf8
        }
        return bytes
    }

    private static func bigEndian<Integer: FixedWidthInteger>(_ value: Integer) -> [UInt8] {
        withUnsafeBytes(of: value.bigEndian) { Array($0) }
    }

    /// Calls `body` with libpq's arrays: values, lengths and formats (all binary).
    func withArrays<Result>(
        _ body: (UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?) -> Result
    ) -> Result {
        let lengths = values.map { Int32($0?.count ?? 0) }
        let formats = [Int32](repeating: 1, count: values.count)
        // Each value's bytes live in one buffer for the call; libpq copies them into its output buffer.
        let total = values.reduce(0) { $0 + ($1?.count ?? 0) }
        let storage = UnsafeMutablePointer<CChar>.allocate(capacity: max(total, 1))
        defer { storage.deallocate() }
        var pointers: [UnsafePointer<CChar>?] = []
        var offset = 0
        for value in values {
            guard let value else {
                pointers.append(nil)
                continue
            }
            value.withUnsafeBytes { raw in
                if let base = raw.baseAddress, !raw.isEmpty {
                    UnsafeMutableRawPointer(storage + offset).copyMemory(from: base, byteCount: raw.count)
                }
            }
            pointers.append(UnsafePointer(storage + offset))
            offset += value.count
        }
        return pointers.withUnsafeBufferPointer { pointers in
            lengths.withUnsafeBufferPointer { lengths in
                formats.withUnsafeBufferPointer { formats in
                    body(pointers.baseAddress, lengths.baseAddress, formats.baseAddress)
                }
            }
        }
    }
}
