import CHiredis
import NIOCore

/// Decodes RESP replies with hiredis' reader (`redisReaderCreate` / `redisReaderFeed` / `redisReaderGetReply`).
///
/// Not thread-safe: one reader belongs to one channel handler, which uses it only on its event loop.
/// Bytes may arrive split anywhere; ``next()`` returns `nil` until a whole reply is buffered.
final class RedisReplyReader {
    private let reader: UnsafeMutablePointer<redisReader>
    private let allocator: ByteBufferAllocator

    /// Creates a reader.
    init(allocator: ByteBufferAllocator = ByteBufferAllocator()) {
        guard let reader = redisReaderCreate() else { fatalError("hiredis: redisReaderCreate failed (out of memory)") }
        self.reader = reader
        self.allocator = allocator
    }

    deinit {
        redisReaderFree(self.reader)
    }

    /// Buffers `bytes` for decoding.
    /// - Throws: ``RedisError`` `.protocolError` if the reader is in an error state.
    func feed(_ bytes: ByteBuffer) throws {
        let status = bytes.withUnsafeReadableBytes { raw -> Int32 in
            guard let base = raw.baseAddress, raw.count > 0 else { return REDIS_OK }
            return redisReaderFeed(self.reader, base.assumingMemoryBound(to: CChar.self), raw.count)
        }
        if status != REDIS_OK { throw self.protocolError() }
    }

    /// The next complete reply, or `nil` if more bytes are needed.
    /// - Throws: ``RedisError`` `.protocolError` on malformed input; the reader is unusable afterwards.
    func next() throws -> RESPValue? {
        var reply: UnsafeMutableRawPointer?
        guard redisReaderGetReply(self.reader, &reply) == REDIS_OK else { throw self.protocolError() }
        guard let reply else { return nil }
        defer { freeReplyObject(reply) }
        return RESPValue(reply.assumingMemoryBound(to: redisReply.self), allocator: self.allocator)
    }

    private func protocolError() -> RedisError {
        let detail = String(cString: atrium_redisReaderGetError(self.reader))
        return RedisError(.protocolError, "Invalid RESP from Redis: \(detail)")
    }
}
