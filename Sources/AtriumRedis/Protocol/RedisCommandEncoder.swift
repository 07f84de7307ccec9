import CHiredis
import NIOCore

/// Encodes commands to RESP with hiredis' binary-safe `redisFormatCommandArgv`.
enum RedisCommandEncoder {
    /// Appends the RESP encoding of `arguments` to `buffer`.
    /// - Throws: ``RedisError`` `.protocolError` if hiredis refuses the command (out of memory, empty command).
    static func encode(_ arguments: [RedisArgument], into buffer: inout ByteBuffer) throws {
        guard !arguments.isEmpty else { throw RedisError(.protocolError, "Cannot send an empty Redis command") }
        let count = arguments.count
        // One contiguous copy of every argument (plus a trailing byte, so an empty argument still has a valid pointer),
        // and the argv/length arrays, in temporary (stack, unless large) memory: no heap allocation per command here.
        let total = arguments.reduce(1) { $0 + $1.bytes.count }
        let length: Int32 = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: total) { storage in
            withUnsafeTemporaryAllocation(of: UnsafePointer<CChar>?.self, capacity: count) { argv in
                withUnsafeTemporaryAllocation(of: Int.self, capacity: count) { lengths in
                    let base = storage.baseAddress!
                    var offset = 0
                    for (index, argument) in arguments.enumerated() {
                        let size = argument.bytes.count
                        argument.bytes.withUnsafeBufferPointer { bytes in
                            if let source = bytes.baseAddress, size > 0 { (base + offset).initialize(from: source, count: size) }
                        }
                        argv[index] = UnsafeRawPointer(base + offset).assumingMemoryBound(to: CChar.self)
                        lengths[index] = size
                        offset += size
                    }
                    var target: UnsafeMutablePointer<CChar>?
                    let length = redisFormatCommandArgv(&target, Int32(count), argv.baseAddress, lengths.baseAddress)
                    guard length >= 0, let target else { return -1 }
                    defer { redisFreeCommand(target) }
                    buffer.writeBytes(UnsafeRawBufferPointer(start: target, count: Int(length)))
                    return length
                }
            }
        }
        guard length >= 0 else { throw RedisError(.protocolError, "hiredis could not encode the command") }
    }

    /// The RESP encoding of `arguments` in a new buffer.
    static func encode(_ arguments: [RedisArgument], allocator: ByteBufferAllocator = ByteBufferAllocator()) throws -> ByteBuffer {
        var buffer = allocator.buffer(capacity: arguments.reduce(16) { $0 + $1.bytes.count + 16 })
        try self.encode(arguments, into: &buffer)
        return buffer
    }
}
