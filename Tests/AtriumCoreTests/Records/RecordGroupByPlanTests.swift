@testable import AtriumCore
import AtriumTestSupport
import Foundation
import Logging
import NIOCore
import PostgresNIO
import Testing

/// A group-by reads each matching record a bounded number of times, however many groups there are: its groups'
/// aggregates and records come from one grouped pass, not from a scan of the table per group (which made
/// `companiesGroupBy` over 100,000 companies take seconds per alias).
@Suite(.tags(.integration)) struct RecordGroupByPlanTests {
    let logger = Logger(label: "test.group-by-plan")
    static let companies = 20_000
    static let groups = 30

    /// A workspace with `companies` companies spread evenly over `groups` values of `employees`.
    func withCompanies(_ body: @Sendable (Database, WorkspaceSchema) async throws -> Void) async throws {
        try await TestTenants.with(name: "Group plan") { database, tenants in
            let created = tenants[0].workspace
            var insert = SQLBuilder()
            insert.append("INSERT INTO \(try SQLIdentifier(created.databaseSchema).quoted).\"company\" (\"name\", \"employees\") ")
            insert.append("SELECT 'Company ' || i, i % ")
            insert.bind(Self.groups)
            insert.append(" FROM generate_series(1, ")
            insert.bind(Self.companies)
            insert.append(") i")
            for try await _ in try await database.query(insert.query, logger: logger) {}
            let schema = try #require(try await WorkspaceSchemaLoader(database: database).load(created.id, logger: logger))
            try await body(database, schema)
        }
    }

    /// Rows the statement's plan read from `table` when run: for each scan of it, the rows it returned and those its
    /// filter removed, times its loops. (The table is large enough for the planner to fetch a few rows by key rather
    /// than scan it, as it does for a table of a few pages.)
    func rowsRead(from table: String, running statement: SQLBuilder, _ database: Database) async throws -> Int {
        var query = statement.query
        query.sql = "EXPLAIN (ANALYZE, FORMAT JSON) " + query.sql
        let (logger, explain) = (self.logger, query)
        let plan = try await database.withTransaction(logger: logger) { connection -> Data in
            var plan = Data()
            for try await bytes in try await connection.query(explain, logger: logger).decode(ByteBuffer.self) {
                plan = Data(bytes.readableBytesView)
            }
            return plan
        }
        func read(_ node: Any) -> Double {
            if let list = node as? [Any] { return list.map(read).reduce(0, +) }
            guard let node = node as? [String: Any] else { return 0 }
            var total = (node["Plans"] as? [Any]).map(read) ?? 0
            if let plan = node["Plan"] { total += read(plan) }
            if node["Relation Name"] as? String == table {
                let rows = (node["Actual Rows"] as? Double ?? 0) + (node["Rows Removed by Filter"] as? Double ?? 0)
                total += rows * (node["Actual Loops"] as? Double ?? 1)
            }
            return total
        }
        return Int(read(try JSONSerialization.jsonObject(with: plan)).rounded())
    }

    @Test func graphQLGroupsScanTheTableOnce() async throws {
        try await withCompanies { database, schema in
            let company = try #require(schema.object(nameSingular: "company"))
            let totalCount = try #require(company.aggregateFields.first { $0.name == "totalCount" })
            let maxEmployees = try #require(company.aggregateFields.first { $0.name == "maxEmployees" })
            let tree = ConnectionTree(page: PageRequest(order: [OrderTerm(FieldPath("name"))]), entries: [
                ("groupByDimensionValues", .dimensionValues),
                ("totalCount", .aggregate(totalCount)),
                ("maxEmployees", .aggregate(maxEmployees)),
                ("edges", .edges([("node", .node(RecordTree([("name", .field("name"))])))])),
                ("pageInfo", .pageInfo([("hasNextPage", .hasNextPage)])),
            ])
            let query = GroupByQuery(dimensions: [.init(FieldPath("employees"))])
            let statement = try RecordService.groupByStatement(query, groups: tree, in: RecordScope(company, in: schema, access: .unrestricted, actor: .system, logger: logger))
            let read = try await rowsRead(from: "company", running: statement, database)
            // The grouped pass reads every company once, and each group's page fetches its 61 candidates by id. A scan
            // per group for its aggregates and another for its page read 2 × 30 × 20,000.
            #expect(read >= Self.companies && read <= Self.companies + Self.groups * 100, "read \(read) company rows")

            // And the groups are right: their counts, and their first 60 companies in name order.
            var rows = try await database.query(statement.query, logger: logger).decode(String.self).makeAsyncIterator()
            let text = try #require(try await rows.next())
            let groups = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
            #expect(groups.count == Self.groups)
            for group in groups {
                let value = try #require((group["groupByDimensionValues"] as? [String])?.first.flatMap { Int($0) })
                let names = (group["edges"] as? [[String: Any]] ?? []).compactMap { ($0["node"] as? [String: Any])?["name"] as? String }
                let all = (1...Self.companies).filter { $0 % Self.groups == value }.map { "Company \($0)" }.sorted()
                #expect(names == Array(all.prefix(60)))
                #expect(group["totalCount"] as? Int == all.count)
                #expect(group["maxEmployees"] as? Double == Double(value))
                #expect((group["pageInfo"] as? [String: Any])?["hasNextPage"] as? Bool == true)
            }
        }
    }

    @Test func graphQLGroupPagesAreCutFromTheGroupsOwnRecords() async throws {
        try await withCompanies { database, schema in
            let company = try #require(schema.object(nameSingular: "company"))
            let tree = ConnectionTree(page: PageRequest(order: [OrderTerm(FieldPath("name"))], first: 3, offset: 2), entries: [
                ("edges", .edges([("node", .node(RecordTree([("name", .field("name"))])))])),
                ("pageInfo", .pageInfo([("hasNextPage", .hasNextPage), ("endCursor", .endCursor)])),
            ])
            let query = GroupByQuery(dimensions: [.init(FieldPath("employees"))], limit: 2)
            let statement = try RecordService.groupByStatement(query, groups: tree, in: RecordScope(company, in: schema, access: .unrestricted, actor: .system, logger: logger))
            var rows = try await database.query(statement.query, logger: logger).decode(String.self).makeAsyncIterator()
            let text = try #require(try await rows.next())
            let groups = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
            #expect(groups.count == 2)
            for (value, group) in zip([0, 1], groups) {
                let names = (group["edges"] as? [[String: Any]] ?? []).compactMap { ($0["node"] as? [String: Any])?["name"] as? String }
                let all = (1...Self.companies).filter { $0 % Self.groups == value }.map { "Company \($0)" }.sorted()
                #expect(names == Array(all[2..<5]))
                #expect((group["pageInfo"] as? [String: Any])?["hasNextPage"] as? Bool == true)
            }
        }
    }

    @Test func restGroupSamplesScanTheTableOnce() async throws {
        try await withCompanies { database, schema in
            let company = try #require(schema.object(nameSingular: "company"))
            let query = GroupByQuery(dimensions: [.init(FieldPath("employees"))], recordsSample: true)
            let statement = try RecordService.groupByStatement(query, groups: nil, in: RecordScope(company, in: schema, access: .unrestricted, actor: .system, logger: logger))
            let read = try await rowsRead(from: "company", running: statement, database)
            #expect(read >= Self.companies && read <= Self.companies + Self.groups * 20, "read \(read) company rows")
        }
    }
}
