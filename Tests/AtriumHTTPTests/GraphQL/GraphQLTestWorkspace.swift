import AtriumCore
import AtriumHTTP
import AtriumTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import PostgresNIO

/// A fresh workspace with the standard objects and a custom object (`invoice`), an API key, the real application, and
/// the database (to check results against SQL); deleted afterwards.
struct GraphQLTestWorkspace: Sendable {
    let id: UUID
    let token: String
    let databaseSchema: String
    let client: any TestClientProtocol
    let database: Database
    let telemetry: Telemetry

    /// A custom object: its table is `_invoice`.
    static let invoice = ObjectDefinition(
        nameSingular: "invoice", namePlural: "invoices", labelSingular: "Invoice", labelPlural: "Invoices", isCustom: true,
        fields: [
            FieldDefinition("name", .text, label: "Name"),
            FieldDefinition("total", .currency, label: "Total", defaultValue: ["amountMicros": nil, "currencyCode": "''"]),
            FieldDefinition("paid", .boolean, label: "Paid", defaultValue: false),
            FieldDefinition("dueOn", .date, label: "Due on"),
            FieldDefinition("lineCount", .number, label: "Lines", settings: ["dataType": "int"]),
            FieldDefinition("ledgerNumber", .number, label: "Ledger number", settings: ["dataType": "bigint"]),
        ]
    )

    static var logger: Logger {
        var logger = Logger(label: "test.graphql")
        logger.logLevel = .error
        return logger
    }

    /// Runs `body` with `count` workspaces on one application (for cross-workspace tests).
    static func run(count: Int = 1, _ overrides: [String: String] = [:], _ body: @Sendable ([GraphQLTestWorkspace]) async throws -> Void) async throws {
        try await TestTenants.with(count, objects: StandardObjects.all + [invoice], name: "GraphQL") { database, tenants in
            try await withTestApplication(overrides) { client, telemetry in
                try await body(tenants.map {
                    GraphQLTestWorkspace(id: $0.id, token: $0.token, databaseSchema: $0.databaseSchema, client: client, database: database,
                                         telemetry: telemetry)
                })
            }
        }
    }

    /// Posts a GraphQL request; returns the status and the JSON body.
    @discardableResult
    func graphQL(_ query: String, variables: JSONValue? = nil, token: String? = nil) async throws -> (status: HTTPResponse.Status, body: JSONValue) {
        var request: [String: JSONValue] = ["query": .string(query)]
        if let variables { request["variables"] = variables }
        let body = String(decoding: try JSONEncoder().encode(JSONValue.object(request)), as: UTF8.self)
        return try await raw(body, token: token ?? self.token)
    }

    /// Posts a raw body.
    func raw(_ body: String, token: String?) async throws -> (status: HTTPResponse.Status, body: JSONValue) {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: "/graphql", method: .post, headers: headers, body: ByteBuffer(string: body)) { response in
            let data = Data(response.body.readableBytesView)
            return (response.status, data.isEmpty ? JSONValue.null : try JSONDecoder().decode(JSONValue.self, from: data))
        }
    }

    /// The `data` of a request that must succeed.
    func data(_ query: String, variables: JSONValue? = nil) async throws -> JSONValue {
        let response = try await graphQL(query, variables: variables)
        guard response.status == .ok, response.body["errors"] == nil, let data = response.body["data"] else {
            throw Failure(description: "GraphQL request failed (\(response.status)): \(response.body)")
        }
        return data
    }

    /// The first error's `extensions.code`.
    static func code(_ response: (status: HTTPResponse.Status, body: JSONValue)) -> String? {
        response.body["errors"]?[0]?["extensions"]?["code"]?.string
    }

    /// One text value computed by SQL in this workspace's schema (`{s}` stands for the quoted schema name).
    func sql(_ text: String) async throws -> String? {
        let statement = text.replacingOccurrences(of: "{s}", with: "\"\(databaseSchema)\"")
        var sql = SQLBuilder()
        sql.append(statement)  // trusted test SQL; the schema name comes from the provisioner
        let rows = try await database.query(sql.query, logger: Self.logger)
        for try await row in rows { return try row.decode(String?.self) }
        return nil
    }

    /// Database operations (statements, leases, transactions) the application has finished so far.
    func databaseOperations() -> Double {
        let text = String(decoding: telemetry.render(), as: UTF8.self)
        return text.split(separator: "\n").filter { $0.hasPrefix("atrium_db_operations_total{") }
            .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }.reduce(0, +)
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }
}
