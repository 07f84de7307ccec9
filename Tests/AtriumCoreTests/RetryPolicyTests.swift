import AtriumCore
import Synchronization
import Testing

/// When a request is tried again, and what happens between attempts: decided by the typed reason alone.
@Suite struct RetryPolicyTests {
    final class Calls: Sendable {
        let attempts = Mutex(0)
        let refreshes = Mutex(0)
    }

    static let conflict = AtriumError(.retryable, "The request conflicted with another one; retry it", retryReason: .concurrencyConflict)
    static let staleModel = AtriumError(.retryable, AtriumError.dataModelChanged, retryReason: .dataModelChanged)
    static let lost = AtriumError(.unavailable, "The database connection was lost; retry shortly", retryReason: .connectionLost)

    @Test func aLostConflictIsTriedAgainWithoutRefreshingTheSnapshot() async throws {
        let calls = Calls()
        let result = try await RetryPolicy.run(onlyReads: false, refreshSnapshot: { calls.refreshes.withLock { $0 += 1 } }) {
            let attempt = calls.attempts.withLock { $0 += 1; return $0 }
            if attempt < 3 { throw Self.conflict }
            return attempt
        }
        #expect(result == 3 && calls.refreshes.withLock { $0 } == 0)
    }

    @Test func aStaleDataModelRefreshesTheSnapshotBeforeTheNextAttempt() async throws {
        let calls = Calls()
        let result = try await RetryPolicy.run(onlyReads: false, refreshSnapshot: { calls.refreshes.withLock { $0 += 1 } }) {
            let attempt = calls.attempts.withLock { $0 += 1; return $0 }
            if attempt == 1 { throw Self.staleModel }
            return "answered"
        }
        #expect(result == "answered" && calls.refreshes.withLock { $0 } == 1)
    }

    @Test func otherErrorsAndTheLastFailureReachTheCaller() async throws {
        let calls = Calls()
        await #expect(throws: AtriumError.self) {
            try await RetryPolicy.run(onlyReads: false, refreshSnapshot: {}) { () async throws -> Int in
                calls.attempts.withLock { $0 += 1 }
                throw AtriumError(.validationFailed, "bad input")
            }
        }
        #expect(calls.attempts.withLock { $0 } == 1)
        calls.attempts.withLock { $0 = 0 }
        let error = await #expect(throws: AtriumError.self) {
            try await RetryPolicy.run(onlyReads: false, refreshSnapshot: {}) { () async throws -> Int in
                calls.attempts.withLock { $0 += 1 }
                throw Self.conflict
            }
        }
        #expect(calls.attempts.withLock { $0 } == RetryPolicy.attempts && error?.message == Self.conflict.message)
    }

    @Test func aLostConnectionRetriesWorkThatOnlyReadsOnceAndNeverAWrite() async throws {
        let calls = Calls()
        let read = try await RetryPolicy.run(onlyReads: true, refreshSnapshot: {}) {
            let attempt = calls.attempts.withLock { $0 += 1; return $0 }
            if attempt == 1 { throw Self.lost }
            return attempt
        }
        #expect(read == 2)
        calls.attempts.withLock { $0 = 0 }
        await #expect(throws: AtriumError.self) {
            try await RetryPolicy.run(onlyReads: true, refreshSnapshot: {}) { () async throws -> Int in
                calls.attempts.withLock { $0 += 1 }
                throw Self.lost
            }
        }
        #expect(calls.attempts.withLock { $0 } == 2, "a read is tried once more, not again and again")
        calls.attempts.withLock { $0 = 0 }
        await #expect(throws: AtriumError.self) {
            try await RetryPolicy.run(onlyReads: false, refreshSnapshot: {}) { () async throws -> Int in
                calls.attempts.withLock { $0 += 1 }
                throw Self.lost
            }
        }
        #expect(calls.attempts.withLock { $0 } == 1, "a write whose connection was lost may have committed")
    }

    @Test func aRetryableCodeWithoutAReasonIsNotRetried() async throws {
        let calls = Calls()
        await #expect(throws: AtriumError.self) {
            try await RetryPolicy.run(onlyReads: true, refreshSnapshot: {}) { () async throws -> Int in
                calls.attempts.withLock { $0 += 1 }
                throw AtriumError(.retryable, AtriumError.dataModelChanged)  // the message alone decides nothing
            }
        }
        #expect(calls.attempts.withLock { $0 } == 1)
    }
}
