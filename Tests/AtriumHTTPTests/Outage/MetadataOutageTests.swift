import AtriumCore
import AtriumHTTP
import AtriumRedis
import AtriumTestSupport
import AtriumRedisAdapters
import Foundation
import Logging
import Testing

/// With Redis down, servers learn of each other's changes from PostgreSQL: a metadata change within the revalidation
/// interval (250 ms) plus a read, an API key revocation within the key cache's TTL plus a read.
@Suite(.tags(.integration, .timing)) struct MetadataOutageTests {
    @Test(.timeLimit(.minutes(2)))
    func aMetadataChangeReachesAnotherServerWithinTheIntervalWhileRedisIsDown() async throws {
        try await CacheTestBed.run(redisClients: 0) { bed in
            try await UnreachableRedis.run(clients: 2, logger: bed.logger) { servers in
                // Two servers, each with its own (unreachable) Redis client, sharing PostgreSQL; default interval.
                let writer = WorkspaceSchemaCache(database: bed.database, store: RedisMetadataStore(redis: servers[0]), logger: bed.logger)
                let reader = WorkspaceSchemaCache(database: bed.database, store: RedisMetadataStore(redis: servers[1]), logger: bed.logger)
                #expect(reader.configuration.revalidationInterval == .milliseconds(250))
                let workspace = bed.workspace.id
                try await bed.with(services: [.init(cache: writer), .init(cache: reader)]) {
                    _ = try await writer.schema(for: workspace, logger: bed.logger)
                    _ = try await reader.schema(for: workspace, logger: bed.logger)
                    var fromStart = Timings()
                    var fromReturn = Timings()
                    for round in 0..<6 {
                        let label = "Outage \(round)"
                        let started = ContinuousClock.now
                        let (_, changed) = try await writer.change(workspace, logger: bed.logger, WorkspaceSchemaCacheTests.relabel(bed, to: label))
                        let returned = ContinuousClock.now
                        while try await reader.schema(for: workspace, logger: bed.logger).metadataVersion < changed.metadataVersion {
                            if started.duration(to: .now) > .seconds(10) { break }
                            try await Task.sleep(for: .milliseconds(2))
                        }
                        let seen = try await reader.schema(for: workspace, logger: bed.logger)
                        #expect(seen.object(named: "company")?.field(named: "name")?.label == label)
                        fromStart.append(started.duration(to: .now))
                        fromReturn.append(returned.duration(to: .now))
                        // Changes at varied points of the reader's interval.
                        try await Task.sleep(for: .milliseconds(40 * round))
                    }
                    print("metadata with Redis down: seen by the other server, from the change's start \(fromStart.summary); from its return \(fromReturn.summary)")
                    // From the commit (the change returns right after it: announcing fails at once): 250 ms interval + one
                    // PostgreSQL read; the margin is for a loaded 2-core machine.
                    #expect(fromReturn.maximum < .milliseconds(1500), "\(fromReturn.summary)")
                }
            }
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func aRevokedKeyStopsWorkingOnAnotherServerWithinTheTTLWhileRedisIsDown() async throws {
        try await CacheTestBed.run(redisClients: 0) { bed in
            try await UnreachableRedis.run(clients: 2, logger: bed.logger) { servers in
                let secrets = TokenSecrets(appSecret: TestEnvironment.appSecret)
                let first = APIKeyManager(database: bed.database, secrets: secrets, sharedStore: RedisMetadataStore(redis: servers[0]))
                let second = APIKeyManager(database: bed.database, secrets: secrets, sharedStore: RedisMetadataStore(redis: servers[1]))
                let created = try await first.create(workspaceID: bed.workspace.id, name: "outage", logger: bed.logger)
                _ = try await second.authenticate(token: created.token, logger: bed.logger)  // cached on the second server

                let start = ContinuousClock.now
                try await first.revoke(id: created.key.id, logger: bed.logger)
                let revoked = ContinuousClock.now
                var refused: Duration?
                while refused == nil, revoked.duration(to: .now) < .seconds(10) {
                    do {
                        _ = try await second.authenticate(token: created.token, logger: bed.logger)
                        try await Task.sleep(for: .milliseconds(2))
                    } catch {
                        refused = revoked.duration(to: .now)
                    }
                }
                let revocation = start.duration(to: revoked)
                print("api key with Redis down: revoke took \(Timings.text(revocation)); refused on the other server after \(refused.map(Timings.text) ?? "never")")
                // The revocation does not wait for Redis (its announcement fails at once; one PostgreSQL update) ...
                #expect(revocation < .seconds(1))
                // ... and the other server reads the key again once its cached row is older than the TTL (1 s); the
                // margin is for a loaded machine.
                #expect(second.cacheTTL == .seconds(1))
                let bound = second.cacheTTL + .seconds(1)
                #expect(refused.map { $0 < bound } ?? false, "refused after \(refused.map(Timings.text) ?? "never")")
            }
        }
    }
}
