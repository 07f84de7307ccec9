import AtriumCore
@testable import AtriumHTTP
import AtriumRedis
import AtriumTestSupport
import AtriumRedisAdapters
import Foundation
import HTTPTypes
import PostgresNIO
import Logging
import Synchronization
import Testing

@Suite(.tags(.integration, .timing)) struct LoginHygieneTests {
    @Test func loginAttemptsAreThrottledPerEmail() async throws {
        try await UsersTestBed.run(["LOGIN_ATTEMPTS_PER_EMAIL": "3"]) { bed, emails in
            let email = UsersTestBed.email("throttled")
            _ = try await bed.signUp(email, emails: emails)   // attempt 1
            for _ in 0..<2 {
                let (_, json) = try await bed.metadata("""
                    mutation($e: String!) { getLoginTokenFromCredentials(email: $e, password: "wrong password", origin: "x") { loginToken { token } } }
                    """, variables: ["e": .string(email)])
                #expect(UsersTestBed.code(json) == "UNAUTHENTICATED")
            }
            // Even the right password is refused now, with Twenty's throttling error.
            let (status, json) = try await bed.metadata("""
                mutation($e: String!, $p: String!) { getLoginTokenFromCredentials(email: $e, password: $p, origin: "x") { loginToken { token } } }
                """, variables: ["e": .string(email), "p": .string(UsersTestBed.password)])
            #expect(status == .ok)
            #expect(UsersTestBed.code(json) == "BAD_USER_INPUT")
            #expect(json["errors"]?[0]?["extensions"]?["subCode"]?.string == "LIMIT_REACHED")
            #expect(json["errors"]?[0]?["message"]?.string?.hasPrefix("Too many login attempts") == true, "\(json)")
            // Another email is not affected.
            let other = UsersTestBed.email("free")
            #expect(try await bed.signUp(other, emails: emails)["errors"] == nil)
        }
    }

    @Test func loginAttemptsAreThrottledPerAddressAndRecover() async throws {
        let configuration = try TestEnvironment.configuration()
        let redis = RedisClient(configuration: try RedisConfiguration(url: configuration.redisURL), logger: UsersTestBed.logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await redis.run() }
            defer { group.cancelAll() }
            // A 10-minute window: no token can come back mid-test, however loaded the machine.
            let throttle = LoginThrottle(settings: LoginThrottleSettings(perEmail: 0, perIP: 2, window: .seconds(600)),
                                         buckets: RedisTokenBucketStore(redis: redis))
            let address = "198.51.100.\(Int.random(in: 1...250))-\(UUID().uuidString)"
            try await throttle.admit(email: UsersTestBed.email(), address: address, logger: UsersTestBed.logger)
            try await throttle.admit(email: UsersTestBed.email(), address: address, logger: UsersTestBed.logger)
            await #expect(throws: AtriumError.self) {
                try await throttle.admit(email: UsersTestBed.email(), address: address, logger: UsersTestBed.logger)
            }
            try await throttle.admit(email: UsersTestBed.email(), address: "other-" + address, logger: UsersTestBed.logger)

            // Recovery: one attempt per second; attempt until refused (a slow machine may refill first), then wait it out.
            let quick = LoginThrottle(settings: LoginThrottleSettings(perEmail: 0, perIP: 1, window: .milliseconds(1000)),
                                      buckets: RedisTokenBucketStore(redis: redis))
            let recovering = "recover-" + address
            var refused = false
            for _ in 0..<20 where !refused {
                do { try await quick.admit(email: UsersTestBed.email(), address: recovering, logger: UsersTestBed.logger) } catch is AtriumError { refused = true }
            }
            #expect(refused)
            try await Task.sleep(for: .milliseconds(1100))
            try await quick.admit(email: UsersTestBed.email(), address: recovering, logger: UsersTestBed.logger)
        }
    }

    /// A bucket store whose Redis is down until `reachable` is set.
    final class OutageBuckets: TokenBucketStore {
        let reachable = Mutex(false)
        struct Unreachable: Error {}
        func take(_ count: Int, from key: String, capacity: Int, window: Duration) async throws -> TokenBucketGrant {
            guard reachable.withLock({ $0 }) else { throw Unreachable() }
            return TokenBucketGrant(granted: count, remaining: capacity - count, retryAfterMilliseconds: 0)
        }
    }

    @Test func aRedisOutageAdmitsAttemptsAndIsWarnedOfOnce() async throws {
        let capture = LogCapture()
        var logger = Logger(label: "test.throttle") { label in CapturingLogHandler(label: label, capture: capture) }
        logger.logLevel = .info
        let buckets = OutageBuckets()
        let throttle = LoginThrottle(settings: LoginThrottleSettings(perEmail: 5, perIP: 5, window: .seconds(60)), buckets: buckets)
        for _ in 0..<20 { try await throttle.admit(email: UsersTestBed.email(), address: "198.51.100.7", logger: logger) }
        #expect(capture.text.components(separatedBy: "warning").count - 1 == 1, "\(capture.text)")
        buckets.reachable.withLock { $0 = true }
        try await throttle.admit(email: UsersTestBed.email(), address: "198.51.100.7", logger: logger)
        try await throttle.admit(email: UsersTestBed.email(), address: "198.51.100.7", logger: logger)
        #expect(capture.text.components(separatedBy: "enforced again").count - 1 == 1, "\(capture.text)")
    }

    @Test func noPasswordHashOrTokenEverReachesTheLogs() async throws {
        let capture = LogCapture()
        var logger = Logger(label: "test.hygiene") { label in CapturingLogHandler(label: label, capture: capture) }
        logger.logLevel = .trace
        let secrets = Mutex<[String]>([])
        try await UsersTestBed.run(["REFRESH_TOKEN_COOL_DOWN": "0"], logger: logger) { bed, emails in
            let email = UsersTestBed.email("quiet")
            let password = "s3cret-\(UUID().uuidString)"
            let signedUp = try await bed.signUp(email, password: password, emails: emails)
            let loginToken = try #require(signedUp["data"]?["signUpInWorkspace"]?["loginToken"]?["token"]?.string)
            let (access, refresh) = try await bed.signIn(email, password: password)
            _ = try? await bed.signIn(email, password: "wrong-" + password)
            let renewed = try await bed.renew(refresh)
            _ = try await bed.renew(refresh)   // reuse: logged as a warning, without the token
            _ = try await bed.send(.get, "/rest/companies", token: access)
            _ = try await bed.send(.get, "/rest/companies", token: access + "x")
            var hash = ""
            for try await value in try await bed.database.query(#"SELECT "passwordHash" FROM core."user" WHERE "email" = \#(email)"#,
                                                                 logger: UsersTestBed.logger).decode(String.self) {
                hash = value
            }
            #expect(hash.hasPrefix("$2") && hash.contains("$10$"), "bcrypt with cost 10")
            // Nor in responses: the hash never, the password never.
            let (_, me) = try await bed.metadata("{ currentUser { id email firstName } }", token: access)
            #expect(!"\(me)".contains(hash) && !"\(me)".contains(password))
            let newRefresh = renewed["data"]?["renewToken"]?["tokens"]?["refreshToken"]?["token"]?.string ?? ""
            secrets.withLock { $0 = [password, hash, loginToken, access, refresh, newRefresh].filter { !$0.isEmpty } }
        }
        let logged = capture.text
        #expect(logged.count > 200, "the requests were logged")
        for secret in secrets.withLock({ $0 }) {
            #expect(!logged.contains(secret), "a secret reached the logs")
            // Not even a long piece of one (a token's signature part).
            if let signature = secret.split(separator: ".").last, signature.count > 20 {
                #expect(!logged.contains(signature), "a token signature reached the logs")
            }
        }
    }
}

/// Every log line written through ``CapturingLogHandler``, message and metadata.
final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var text: String { lines.withLock { $0.joined(separator: "\n") } }
}

struct CapturingLogHandler: LogHandler {
    let label: String
    let capture: LogCapture
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata extra: Logger.Metadata?, source: String, file: String, function: String, line: UInt) {
        let all = metadata.merging(extra ?? [:]) { $1 }
        capture.append("\(level) \(label) \(message) \(all)")
    }
}
