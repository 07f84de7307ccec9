import CHiredis
import NIOCore

/// Encodes commands to RESP with hiredis' binary-safe `redisFormatCommandArgv`.
enum RedisCommandEncoder {
    /// Appends the RESP encoding of `arguments` to `buffer`.
    /// - Throws: ``RedisError`` `.protocolError` if hiredis refuses the command (out of memory, empty command).
    static func encode(_ arguments: [RedisArgument], into buffer: inout ByteBuffer) throws {
        guard !arguments.isEmpty else { throw RedisError(.protocolError, "Cannot send an empty Redis command") }
        // One contiguous copy of every argument (plus a trailing byte, so an empty argument still has a valid pointer).
        var storage: [UInt8] = []
        storage.reserveCapacity(arguments.reduce(1) { $0 + $1.bytes.count })
        var offsets: [Int] = []
        var lengths: [Int] = []
        offsets.reserveCapacity(arguments.count)
        lengths.reserveCapacity(arguments.count)
        for argument in arguments {
            offsets.append(storage.count)
            lengths.append(argument.bytes.count)
            storage.append(contentsOf: argument.bytes)
        }
        storage.append(0)

        let length: Int32 = storage.withUnsafeBufferPointer { raw in
            let base = UnsafeRawPointer(raw.baseAddress!)
            var argv: [UnsafePointer<CChar>?] = offsets.map { (base + $0).assumingMemoryBound(to: CChar.self) }
            var target: UnsafeMutablePointer<CChar>?
            let length = argv.withUnsafeMutableBufferPointer { argvPointer in
                redisFormatCommandArgv(&target, Int32(arguments.count), argvPointer.baseAddress, lengths)
            }
            guard length >= 0, let target else { return -1 }
            defer { redisFreeCommand(target) }
            buffer.writeBytes(UnsafeRawBufferPointer(start: target, count: Int(length)))
            return length
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
