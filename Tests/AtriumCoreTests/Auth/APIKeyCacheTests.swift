@testable import AtriumCore
import AtriumTestSupport
import Foundation
import Synchronization
import Testing

/// The API key cache trusts a row longer when it was read while every revocation is announced to the process, and only
/// then.
struct APIKeyCacheTests {
    final class Reads: Sendable {
        let count = Mutex(0)
        func read() -> APIKeyStore.Lookup? {
            count.withLock { $0 += 1 }
            return nil  // no such key: a miss is cached like a row
        }
    }

    @Test func rowsAreTrustedLongerWhileAnnouncedAndForgottenWhenReceptionStartsAgain() async throws {
        let clock = ManualClock()
        let cache = APIKeyCache(capacity: 10, ttl: .seconds(1), announcedTTL: .seconds(3600), time: clock.time)
        let reads = Reads()
        let key = UUID()
        func lookup() async throws -> Int {
            _ = try await cache.lookup(key) { reads.read() }
            return reads.count.withLock { $0 }
        }
        #expect(try await lookup() == 1)
        #expect(try await lookup() == 1, "within the TTL")
        cache.announcements(7)
        #expect(try await lookup() == 1, "read before reception began: still within its TTL")
        clock.advance(by: .seconds(2))
        #expect(try await lookup() == 2, "read before reception began: announcements may have been missed, the TTL applies")
        clock.advance(by: .seconds(2))
        #expect(try await lookup() == 2, "read during the stretch: past the TTL, but every revocation since is announced")
        cache.announcements(7)
        #expect(try await lookup() == 2, "the same stretch goes on")
        cache.announcements(nil)
        #expect(try await lookup() == 3, "announcements may be missed: the TTL applies again")
        cache.announcements(8)
        clock.advance(by: .seconds(2))
        #expect(try await lookup() == 4, "read before this stretch began")
    }
}
