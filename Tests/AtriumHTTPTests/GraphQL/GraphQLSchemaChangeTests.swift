import AtriumCore
import AtriumHTTP
import AtriumRedis
import AtriumTestSupport
import AtriumRedisAdapters
import Foundation
import Logging
import PostgresNIO
import Testing

/// The schema follows metadata: a change committed through the metadata cache (version bump, Redis announcement) shows
/// in the next requests' schema without a restart.
@Suite(.tags(.integration)) struct GraphQLSchemaChangeTests {
    @Test func schemaIsRebuiltAfterAMetadataChange() async throws {
        try await GraphQLTestWorkspace.run { workspaces in
            let ws = workspaces[0]
            let describe = "{ __type(name: \"Company\") { fields { name description } } }"
            func employeesDescription() async throws -> String? {
                let fields = try await ws.data(describe)["__type"]?["fields"]?.array ?? []
                return fields.first { $0["name"] == "employees" }?["description"]?.string
            }
            let before = try await employeesDescription()
            #expect(before != "Headcount, as last reported")

            let redis = RedisClient(configuration: try RedisConfiguration(url: TestEnvironment.required("REDIS_URL")), logger: GraphQLTestWorkspace.logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await redis.run() }
                defer { group.cancelAll() }
                let cache = WorkspaceSchemaCache(database: ws.database, store: RedisMetadataStore(redis: redis), logger: GraphQLTestWorkspace.logger)
                let id = ws.id
                _ = try await cache.change(id, logger: GraphQLTestWorkspace.logger) { connection in
                    _ = try await connection.query("""
                        UPDATE core."fieldMetadata" SET "description" = 'Headcount, as last reported'
                        WHERE "workspaceId" = \(id) AND "name" = 'employees'
                          AND "objectMetadataId" = (SELECT "id" FROM core."objectMetadata" WHERE "workspaceId" = \(id) AND "nameSingular" = 'company')
                        """, logger: GraphQLTestWorkspace.logger)
                }
            }
            var after: String?
            for _ in 0..<50 {
                after = try await employeesDescription()
                if after == "Headcount, as last reported" { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(after == "Headcount, as last reported")
        }
    }
}
