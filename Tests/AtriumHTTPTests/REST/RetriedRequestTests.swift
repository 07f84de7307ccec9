import AtriumCore
@testable import AtriumHTTP
import Synchronization
import Testing

/// When a request is tried again, and what happens between attempts.
@Suite struct RetriedRequestTests {
    final class Calls: Sendable {
        let attempts = Mutex(0)
        let refreshes = Mutex(0)
    }

    static let conflict = AtriumError(.retryable, "The request conflicted with another one; retry it")
    static let staleModel = AtriumError(.retryable, AtriumError.dataModelChanged)

    @Test func aLostConflictIsTriedAgainWithoutRefreshingTheSnapshot() async throws {
        let calls = Calls()
        let result = try await RetriedRequest.run(refreshSnapshot: { calls.refreshes.withLock { $0 += 1 } }) {
            let attempt = calls.attempts.withLock { $0 += 1; return $0 }
            if attempt < 3 { throw Self.conflict }
            return attempt
        }
        #expect(result == 3 && calls.refreshes.withLock { $0 } == 0)
    }

    @Test func aStaleDataModelRefreshesTheSnapshotBeforeTheNextAttempt() async throws {
        let calls = Calls()
        let result = try await RetriedRequest.run(refreshSnapshot: { calls.refreshes.withLock { $0 += 1 } }) {
            let attempt = calls.attempts.withLock { $0 += 1; return $0 }
            if attempt == 1 { throw Self.staleModel }
            return "answered"
        }
        #expect(result == "answered" && calls.refreshes.withLock { $0 } == 1)
    }

    @Test func otherErrorsAndTheLastFailureReachTheCaller() async throws {
        let calls = Calls()
        await #expect(throws: AtriumError.self) {
            try await RetriedRequest.run(refreshSnapshot: {}) { () async throws -> Int in
                calls.attempts.withLock { $0 += 1 }
                throw AtriumError(.validationFailed, "bad input")
            }
        }
        #expect(calls.attempts.withLock { $0 } == 1)
        calls.attempts.withLock { $0 = 0 }
        let error = await #expect(throws: AtriumError.self) {
            try await RetriedRequest.run(refreshSnapshot: {}) { () async throws -> Int in
                calls.attempts.withLock { $0 += 1 }
                throw Self.conflict
            }
        }
        #expect(calls.attempts.withLock { $0 } == RetriedRequest.attempts && error?.message == Self.conflict.message)
    }
}
