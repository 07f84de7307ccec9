import AtriumCore
import AtriumTestSupport
import Foundation
import Logging
import Testing

/// A change made from the command line reaches a running `atrium serve` through Redis at once, not after the server's
/// API key cache TTL (set to 60 s here, so only the announcement can explain a refusal within a second).
@Suite(.tags(.integration, .timing)) struct CLIAnnouncementProcessTests {
    struct Created: Decodable { let id: String }
    struct Key: Decodable { let id: String, token: String }

    /// The longest the server may take, after the command exited, to answer as the change says: 12 times less than the
    /// cache TTL. Measured 4–6 ms on an idle machine, 100–300 ms beside a few other suites on 2 cores, and up to 1.3 s in
    /// a full parallel run on 2 cores shared with other builds (where other servers' requests took seconds too).
    static let bound = Duration.seconds(5)

    @Test func revocationAndSuspensionFromTheCLIReachARunningServerAtOnce() async throws {
        try await TestDatabase.withFreshCore { database, settings in
            let environment = [
                "PG_DATABASE_URL": SyntheticWorkspaces.url(for: settings), "LOG_LEVEL": "error", "API_KEY_CACHE_TTL_MS": "60000",
                "API_RATE_LIMITING_LONG_LIMIT": "0", "API_RATE_LIMITING_WORKSPACE_LIMIT": "0",  // polled every few milliseconds
            ]
            let created = try await APIKeyProcessTests.atrium(["workspace", "create", "--name", "Announced", "--json"], environment: environment)
            let workspace = try JSONDecoder().decode(Created.self, from: Data(created.output.utf8)).id
            var keys: [Key] = []
            for name in ["quiet", "revoked", "suspended"] {
                let run = try await APIKeyProcessTests.atrium(["api-key", "create", "--workspace", workspace, "--name", name, "--json"],
                                                              environment: environment)
                keys.append(try JSONDecoder().decode(Key.self, from: Data(run.output.utf8)))
            }
            let (server, base) = try await AtriumProcess.serve(environment: environment)
            defer { if server.isRunning { server.terminate() } }
            let url = "\(base)/rest/companies?limit=1"
            for key in keys {
                #expect(try await MetadataStalenessProcessTests.Client(token: key.token).request(.get, url).0 == 200)
            }

            // The control: revoked without an announcement, the key is still served from the server's cache.
            try await APIKeyManager(database: database, secrets: TokenSecrets(appSecret: TestEnvironment.appSecret))
                .revoke(id: try #require(UUID(text: keys[0].id)), logger: Logger(label: "test.announcements"))
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await MetadataStalenessProcessTests.Client(token: keys[0].token).request(.get, url).0 == 200,
                    "the server did not cache the key: this test would prove nothing")

            let revoked = try await Self.change(["api-key", "revoke", keys[1].id], environment: environment,
                                                until: 401, for: keys[1].token, at: url)
            let suspended = try await Self.change(["workspace", "suspend", workspace], environment: environment,
                                                  until: 403, for: keys[2].token, at: url)
            let activated = try await Self.change(["workspace", "activate", workspace], environment: environment,
                                                  until: 200, for: keys[2].token, at: url)
            print("CLI announcements: refused \(revoked) after `api-key revoke`, \(suspended) after `workspace suspend`, "
                + "served \(activated) after `workspace activate` (cache TTL 60 s)")
            kill(server.processIdentifier, SIGTERM)
            _ = try await AtriumProcess.waitForExit(server, within: .seconds(10))
        }
    }

    /// Runs the CLI command, then polls `url` with `token` until it answers `status`; how long that took after the
    /// command exited, which must be within ``bound``.
    static func change(
        _ arguments: [String], environment: [String: String], until status: Int, for token: String, at url: String
    ) async throws -> Duration {
        // Warnings on: a failed announcement is logged as one.
        let run = try await APIKeyProcessTests.atrium(arguments, environment: environment.merging(["LOG_LEVEL": "warning"]) { $1 })
        #expect(run.status == 0, "\(arguments): \(run.errors)")
        #expect(!run.errors.contains("not announced"), "\(arguments): \(run.errors)")
        let exited = ContinuousClock.now
        let client = MetadataStalenessProcessTests.Client(token: token)
        var answered = 0
        while exited.duration(to: .now) < .seconds(5) {
            answered = try await client.request(.get, url).0
            if answered == status { break }
            try await Task.sleep(for: .milliseconds(2))
        }
        let took = exited.duration(to: .now)
        #expect(answered == status, "\(arguments): the server still answers \(answered) 5 s later")
        #expect(took < bound, "\(arguments): the server answered \(status) only \(took) after the command")
        return took
    }
}
