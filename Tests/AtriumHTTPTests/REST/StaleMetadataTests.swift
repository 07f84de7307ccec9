import AtriumCore
import AtriumTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// A request whose snapshot went stale while it ran (another instance renamed a column and its announcement has not
/// arrived) is answered from PostgreSQL's current data model, not with a 500.
@Suite(.tags(.integration)) struct StaleMetadataTests {
    @Test func aColumnRenamedElsewhereIsFollowedNotAServerError() async throws {
        try await GraphQLTestWorkspace.run { workspaces in
            let ws = workspaces[0]
            func rest(_ uri: String) async throws -> (status: HTTPResponse.Status, body: JSONValue) {
                try await ws.client.execute(uri: uri, method: .get, headers: [.authorization: "Bearer \(ws.token)"]) { response in
                    (response.status, try JSONDecoder().decode(JSONValue.self, from: Data(response.body.readableBytesView)))
                }
            }
            _ = try await ws.data(#"mutation { createCompany(data: {name: "Acme", employees: 12}) { id } }"#)
            #expect(try await rest("/rest/companies").body["data"]?["companies"]?[0]?["employees"] == 12)  // the snapshot is fresh now
            // Another instance's change, as PostgreSQL sees it; this process has not heard of it (nor has Redis).
            let workspace = ws.id.lowercased
            _ = try await ws.sql(#"ALTER TABLE {s}."company" RENAME COLUMN "employees" TO "headcount""#)
            _ = try await ws.sql(#"""
                UPDATE core."fieldMetadata" SET "name" = 'headcount' WHERE "name" = 'employees' AND "objectMetadataId" =
                    (SELECT "id" FROM core."objectMetadata" WHERE "workspaceId" = '\#(workspace)' AND "nameSingular" = 'company')
                """#)
            _ = try await ws.sql(#"UPDATE core."workspace" SET "metadataVersion" = "metadataVersion" + 1 WHERE "id" = '\#(workspace)'"#)

            let after = try await rest("/rest/companies")
            #expect(after.status == .ok, "\(after.body)")
            #expect(after.body["data"]?["companies"]?[0]?["headcount"] == 12 && after.body["data"]?["companies"]?[0]?["employees"] == nil)
            // A GraphQL query is run again against the current schema, where the old name is unknown.
            _ = try await ws.sql(#"ALTER TABLE {s}."company" RENAME COLUMN "headcount" TO "size""#)
            _ = try await ws.sql(#"""
                UPDATE core."fieldMetadata" SET "name" = 'size' WHERE "name" = 'headcount' AND "objectMetadataId" =
                    (SELECT "id" FROM core."objectMetadata" WHERE "workspaceId" = '\#(workspace)' AND "nameSingular" = 'company')
                """#)
            _ = try await ws.sql(#"UPDATE core."workspace" SET "metadataVersion" = "metadataVersion" + 1 WHERE "id" = '\#(workspace)'"#)
            let query = try await ws.graphQL("{ companies { edges { node { headcount } } } }")
            #expect(GraphQLTestWorkspace.code(query) == "GRAPHQL_VALIDATION_FAILED", "\(query.body)")
            #expect(try await ws.data("{ companies { edges { node { size } } } }")["companies"]?["edges"]?[0]?["node"]?["size"] == 12)
        }
    }
}
