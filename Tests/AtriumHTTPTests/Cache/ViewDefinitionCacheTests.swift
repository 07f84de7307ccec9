import AtriumCore
import AtriumRedisAdapters
import AtriumTestSupport
import Foundation
import NIOCore
import Testing

/// A request through a saved view reads the view once, then runs its one statement; a view written in one process
/// reaches every other process's cache by announcement.
@Suite(.tags(.integration)) struct ViewDefinitionCacheTests {
    @Test func aViewIsReadOnceThenServedUntilAWriteAnnouncedToEveryProcess() async throws {
        try await CacheTestBed.run(redisClients: 2) { bed in
            let (first, second) = (ViewDefinitionCache(store: RedisMetadataStore(redis: bed.redis[0])),
                                   ViewDefinitionCache(store: RedisMetadataStore(redis: bed.redis[1])))
            let (writer, reader) = (ViewStore(database: bed.database, cache: first), ViewStore(database: bed.database, cache: second))
            let schema = try await WorkspaceSchemaCache(database: bed.database, store: nil, logger: bed.logger).schema(for: bed.workspace.id, logger: bed.logger)
            let company = try #require(schema.object(named: "company"))
            let scope = RecordScope(company, in: schema, access: .unrestricted, actor: .system, logger: bed.logger)
            var sql = SQLBuilder()
            sql.append("SELECT \"id\"::text FROM core.\"view\" WHERE \"workspaceId\" = ")
            sql.bind(bed.workspace.id.lowercased)
            sql.append("::uuid AND \"objectMetadataId\" = ")
            sql.bind(company.id.lowercased)
            sql.append("::uuid LIMIT 1")
            let viewText = try #require(try await bed.database.firstText(sql, effect: .reads, logger: bed.logger).map { String(buffer: $0) })
            let view = try #require(UUID(text: viewText))

            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await ViewInvalidationService(cache: second, logger: bed.logger).run() }
                defer { group.cancelAll() }
                let before = bed.operations.count
                for _ in 0..<3 { _ = try await reader.compiler(for: view, in: scope) }
                #expect(bed.operations.count - before == 1, "read once, then served from the cache")

                // Written through the other process: announced, so the reader reads it again.
                try await Task.sleep(for: .milliseconds(300))  // the subscription in place
                _ = try await writer.update(.view, id: view, input: ["anyFieldFilterValue": .string("acme")], workspace: bed.workspace.id,
                                            caller: ViewStore.Caller(userID: nil, canManageViews: true), logger: bed.logger)
                var seen: String?
                for _ in 0..<30 {
                    seen = try await reader.compiler(for: view, in: scope).view.anyFieldFilterValue
                    if seen == "acme" { break }
                    try await Task.sleep(for: .milliseconds(100))
                }
                #expect(seen == "acme", "the announcement dropped the reader's entry (its lifetime is 10 s)")
            }
        }
    }
}
