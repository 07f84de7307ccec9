import Foundation
import NIOCore
import Logging
import PostgresNIO

/// Global search across every searchable object (those with a `searchVector`), in one SQL statement: prefix matching
/// over the accent-insensitive `simple` text search vectors, ranked by `ts_rank_cd` then `ts_rank`.
extension RecordService {
    /// What to search for.
    public struct SearchQuery: Sendable {
        /// The words typed; each is matched as a prefix, all must match. Empty matches every record.
        public var text: String
        public var limit: Int
        /// Conditions on the fields every object has (`id`, `createdAt`, …).
        public var filter: RecordFilter?
        /// Only these objects (by `nameSingular`), when set.
        public var included: [String]?
        public var excluded: [String]
        /// The `endCursor` of the previous page.
        public var after: String?

        public init(text: String, limit: Int, filter: RecordFilter? = nil, included: [String]? = nil, excluded: [String] = [], after: String? = nil) {
            self.text = text
            self.limit = limit
            self.filter = filter
            self.included = included
            self.excluded = excluded
            self.after = after
        }
    }

    /// `{"edges":[{"node":{"recordId","objectNameSingular","objectLabelSingular","label","imageUrl","tsRankCD","tsRank"},
    /// "cursor"}],"pageInfo":{"hasNextPage","endCursor"}}`.
    /// Objects the caller may not read are not searched.
    public func search(_ query: SearchQuery, in schema: WorkspaceSchema, access: RecordAccess, logger: Logger) async throws -> ByteBuffer {
        guard (1...PageRequest.maximumLimit).contains(query.limit) else {
            throw AtriumError(.badRequest, "'limit' must be between 1 and \(PageRequest.maximumLimit)")
        }
        let offset = try query.after.map(Self.searchOffset) ?? 0
        let objects = try schema.objects.filter { object in
            guard object.isActive, let vector = object.field(named: "searchVector"), vector.isActive, vector.type == .tsVector else { return false }
            if let included = query.included, !included.contains(object.nameSingular) { return false }
            if try !access.policy(for: object, in: schema).permissions.canReadObjectRecords { return false }
            return !query.excluded.contains(object.nameSingular)
        }
        let schemaName = try SQLIdentifier(schema.databaseSchema)
        let words = Self.tsQuery(query.text)
        var sql = SQLBuilder()
        sql.append("WITH q AS (SELECT ")
        if let words {
            sql.append("to_tsquery('simple', public.unaccent_immutable(")
            sql.bind(words)
            sql.append(")) AS query), hits AS (")
        } else {
            sql.append("NULL::tsquery AS query), hits AS (")
        }
        for (index, object) in objects.enumerated() {
            if index > 0 { sql.append(" UNION ALL ") }
            let table = try SQLIdentifier(object.targetTableName)
            sql.append("SELECT r.\"id\" AS \"recordId\", ")
            sql.bind(object.nameSingular)
            sql.append("::text AS \"objectNameSingular\", ")
            sql.bind(object.labelSingular)
            sql.append("::text AS \"objectLabelSingular\", \(try Self.label(object)) AS \"label\", \(try Self.image(object)) AS \"imageUrl\", ")
            if words != nil {
                sql.append("ts_rank_cd(r.\"searchVector\", q.query) AS \"tsRankCD\", ts_rank(r.\"searchVector\", q.query) AS \"tsRank\", ")
            } else {
                sql.append("0::real AS \"tsRankCD\", 0::real AS \"tsRank\", ")
            }
            sql.append("\(index) AS \"priority\" FROM \(schemaName).\(table) r, q WHERE ")
            try RecordReadStatements(object: object, schema: schema, access: access).appendMatching(query.filter, alias: "r", to: &sql)
            if words != nil { sql.append(" AND r.\"searchVector\" @@ q.query") }
        }
        if objects.isEmpty {
            sql.append("SELECT NULL::uuid AS \"recordId\", NULL::text AS \"objectNameSingular\", NULL::text AS \"objectLabelSingular\", "
                + "NULL::text AS \"label\", NULL::text AS \"imageUrl\", 0::real AS \"tsRankCD\", 0::real AS \"tsRank\", 0 AS \"priority\" WHERE FALSE")
        }
        let limit = query.limit
        sql.append(") SELECT json_build_object('edges', COALESCE(json_agg(json_build_object('node', json_build_object(")
        sql.append("'recordId', p.\"recordId\", 'objectNameSingular', p.\"objectNameSingular\", 'objectLabelSingular', p.\"objectLabelSingular\", ")
        sql.append("'label', p.\"label\", 'imageUrl', p.\"imageUrl\", 'tsRankCD', p.\"tsRankCD\", 'tsRank', p.\"tsRank\"), ")
        sql.append("'cursor', encode(convert_to('offset:' || p.\"n\", 'UTF8'), 'base64')) ORDER BY p.\"n\") FILTER (WHERE p.\"n\" <= \(offset + limit)), '[]'::json), ")
        sql.append("'pageInfo', json_build_object('hasNextPage', count(*) > \(limit), 'endCursor', ")
        sql.append("encode(convert_to('offset:' || (\(offset) + LEAST(count(*), \(limit))), 'UTF8'), 'base64')))::text FROM (")
        sql.append("SELECT h.*, row_number() OVER (ORDER BY h.\"tsRankCD\" DESC, h.\"tsRank\" DESC, h.\"priority\", h.\"recordId\") AS \"n\" FROM hits h ")
        sql.append("ORDER BY h.\"tsRankCD\" DESC, h.\"tsRank\" DESC, h.\"priority\", h.\"recordId\" OFFSET \(offset) LIMIT \(limit + 1)) p")
        return try await searchText(sql, logger: logger)
    }

    private func searchText(_ sql: SQLBuilder, logger: Logger) async throws -> ByteBuffer {
        do {
            for try await row in try await database.query(sql.query, logger: logger) { return try row.decode(ByteBuffer.self) }
        } catch let error as AtriumError {
            throw error
        } catch {
            throw AtriumError(.internalError, "Search failed", underlying: error)
        }
        return ByteBuffer(string: "null")
    }

    /// Twenty's search terms: words joined with `&`, each a prefix (`word:*`); words with `-_./@` match their parts.
    /// Everything but letters and digits is dropped, so the text can never be tsquery syntax. `nil` when nothing is left.
    static func tsQuery(_ text: String) -> String? {
        var terms: [String] = []
        for word in text.split(whereSeparator: \.isWhitespace) {
            let parts = word.split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map(String.init)
            guard !parts.isEmpty else { continue }
            terms.append(parts.count == 1 ? parts[0] + ":*" : "(" + parts.map { $0 + ":*" }.joined(separator: " & ") + ")")
        }
        return terms.isEmpty ? nil : terms.joined(separator: " & ")
    }

    /// `offset:<n>` in base64, as the cursors above are made. `n` is at most 2^31 − 1, so `offset + limit` cannot overflow.
    static func searchOffset(_ cursor: String) throws -> Int {
        guard let data = Data(base64Encoded: cursor), let text = String(data: data, encoding: .utf8), text.hasPrefix("offset:"),
              let offset = Int(text.dropFirst(7)), (0...Int(Int32.max)).contains(offset)
        else { throw AtriumError(.badRequest, "Invalid cursor '\(cursor)'") }
        return offset
    }

    /// A record's label: its label identifier field as text (`firstName lastName` for full names).
    static func label(_ object: WorkspaceSchema.Object) throws -> String {
        guard let field = object.labelIdentifierField, field.isActive else { return "NULL::text" }
        switch field.storage {
        case .scalar(let column): return "r.\(try SQLIdentifier(column.name))::text"
        case .composite(let properties) where field.type == .fullName:
            let names = try properties.map { "r.\(try SQLIdentifier($0.column.name))" }
            return "NULLIF(trim(concat_ws(' ', \(names.joined(separator: ", ")))), '')"
        case .composite(let properties):
            guard let first = properties.first else { return "NULL::text" }
            return "r.\(try SQLIdentifier(first.column.name))::text"
        default: return "NULL::text"
        }
    }

    /// A record's image: its image identifier field, when it is text.
    static func image(_ object: WorkspaceSchema.Object) throws -> String {
        guard let field = object.imageIdentifierField, field.isActive, case .scalar(let column) = field.storage, column.type == .text else {
            return "NULL::text"
        }
        return "r.\(try SQLIdentifier(column.name))"
    }
}
