import Foundation

/// Where a statement's JSON value sits in the response body: alone (GraphQL, whose executor places each root field's
/// value under its response key) or in REST's `{"data":…}`. The HTTP layer chooses it; PostgreSQL renders it with the
/// value, so the body leaves the database whole.
///
/// ```swift
/// RecordEnvelope.data("createCompany")                  // {"data":{"createCompany":{…}}}
/// RecordEnvelope.data("mergeCompanies", "mergeCompany")   // the same record under both keys
/// RecordEnvelope.data()                                   // {"data":[…]}
/// ```
public struct RecordEnvelope: Sendable, Hashable {
    /// `nil`: the value alone; otherwise the keys under `data` that each hold the value (none: `data` holds it).
    let keys: [String]?

    /// The value alone.
    public static let bare = RecordEnvelope(keys: nil)

    /// `{"data":{"<key>":value, …}}`, the same value under every key; with no key, `{"data":value}`.
    /// Keys must be names (`[_A-Za-z][_0-9A-Za-z]*`); others are refused when the statement is built.
    public static func data(_ keys: String...) -> RecordEnvelope {
        RecordEnvelope(keys: keys)
    }

    /// Appends the envelope around the value `render` appends (a JSON expression).
    func wrap(_ sql: inout SQLBuilder, _ render: (inout SQLBuilder) throws -> Void) throws {
        guard let keys else { return try render(&sql) }
        sql.append("json_build_object('data', ")
        switch keys.count {
        case 0:
            try render(&sql)
        case 1:
            sql.append("json_build_object(\(try SelectionRenderer.literal(keys[0])), ")
            try render(&sql)
            sql.append(")")
        default:
            // The value is rendered once and referenced under each key.
            let pairs = try keys.map { "\(try SelectionRenderer.literal($0)), e.v" }.joined(separator: ", ")
            sql.append("(SELECT json_build_object(\(pairs)) FROM (SELECT ")
            try render(&sql)
            sql.append(" AS v) e)")
        }
        sql.append(")")
    }
}

/// Which one record a read finds.
public enum RecordLookup: Sendable {
    /// The live record with this id.
    case id(UUID)
    /// The first live record matching the filter, in the default order (GraphQL's `findOne`).
    case first(matching: RecordFilter)
}
