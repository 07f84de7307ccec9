import AtriumCore
import AtriumTestSupport
import Foundation
import HTTPTypes
import Testing

/// A request's root fields queue behind each other within the workspace's share of the pool
/// (`GraphQLLimits.maximumConcurrentRootFields`). Timing: the lease bound is short, so it runs alone.
@Suite(.tags(.integration, .timing)) struct GraphQLRootFieldQueueTests {
    /// 50 aliases on a workspace allowed one connection and a 50 ms lease bound all answer. Run all at once, the later
    /// ones waited past the bound for the one connection (503 SERVICE_UNAVAILABLE: 24 of the 50 fields were missing in
    /// a run without the queue).
    @Test func manyAliasesQueueWithinTheWorkspacesShare() async throws {
        let overrides = ["PG_POOL_MAX_CONNECTIONS_PER_WORKSPACE": "1", "PG_POOL_ACQUIRE_TIMEOUT_MS": "50"]
        try await GraphQLTestWorkspace.run(overrides) { workspaces in
            let ws = workspaces[0]
            _ = try await ws.sql("INSERT INTO {s}.\"company\" (\"name\", \"employees\") SELECT 'Company ' || i, i FROM generate_series(1, 400) i")
            let field = "companies(first: 200, orderBy: [{name: AscNullsFirst}]) { totalCount edges { node { id name employees } } }"
            // The pool's connection, opened before the bound matters (opening it may take longer than the bound).
            for _ in 0..<20 where (try? await ws.data("{ " + field + " }")) == nil { try await Task.sleep(for: .milliseconds(50)) }
            let query = "{ " + (0..<50).map { "a\($0): \(field)" }.joined(separator: " ") + " }"
            let response = try await ws.graphQL(query)
            #expect(response.status == .ok && response.body["errors"] == nil, "\(response.body["errors"] ?? .null)")
            for index in 0..<50 { #expect(response.body["data"]?["a\(index)"]?["totalCount"]?.number == 400) }
        }
    }
}
