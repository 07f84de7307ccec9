import NIOCore

// MARK: - Convenience accessors

extension RESPValue {
    /// `true` for `.null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The value as a UTF-8 string: bulk and simple strings, and integers in decimal. `nil` otherwise.
    public var string: String? {
        switch self {
        case .simpleString(let text): return text
        case .bulkString(let buffer): return String(buffer: buffer)
        case .integer(let number): return String(number)
        case .error, .null, .array: return nil
        }
    }

    /// The bytes of a bulk or simple string. `nil` otherwise.
    public var bytes: [UInt8]? {
        switch self {
        case .bulkString(let buffer): return Array(buffer.readableBytesView)
        case .simpleString(let text): return Array(text.utf8)
        case .error, .integer, .null, .array: return nil
        }
    }

    /// The buffer of a bulk string (simple strings are copied into one). `nil` otherwise.
    public var byteBuffer: ByteBuffer? {
        switch self {
        case .bulkString(let buffer): return buffer
        case .simpleString(let text): return ByteBuffer(string: text)
        case .error, .integer, .null, .array: return nil
        }
    }

    /// An integer reply, or a string reply holding a decimal integer. `nil` otherwise.
    public var int: Int? {
        switch self {
        case .integer(let number): return number
        case .bulkString, .simpleString: return self.string.flatMap { Int($0) }
        case .error, .null, .array: return nil
        }
    }

    /// The elements of an array reply. `nil` otherwise.
    public var array: [RESPValue]? {
        if case .array(let values) = self { return values }
        return nil
    }
}
