/// The PostgreSQL type of one column of a workspace table.
public enum ColumnType: Sendable, Hashable {
    case text
    case uuid
    case float
    case numeric
    case boolean
    case timestamptz
    case date
    case jsonb
    case textArray
    case tsvector
    /// A Postgres enum, named `<table>_<column>_enum`.
    case enumeration
    /// An array of a Postgres enum (MULTI_SELECT).
    case enumerationArray

    /// The SQL spelling, for types that need no per-column name.
    public var sqlName: String? {
        switch self {
        case .text: "text"
        case .uuid: "uuid"
        case .float: "double precision"
        case .numeric: "numeric"
        case .boolean: "boolean"
        case .timestamptz: "timestamp with time zone"
        case .date: "date"
        case .jsonb: "jsonb"
        case .textArray: "text[]"
        case .tsvector: "tsvector"
        case .enumeration, .enumerationArray: nil
        }
    }

    /// The column type of a scalar (non-composite, non-relation) field of `type`.
    public static func scalar(for type: FieldType) -> ColumnType {
        switch type {
        case .uuid: .uuid
        case .text, .richText: .text
        case .number, .position: .float
        case .numeric: .numeric
        case .boolean: .boolean
        case .dateTime: .timestamptz
        case .date: .date
        case .select, .rating: .enumeration
        case .multiSelect: .enumerationArray
        case .rawJSON, .files: .jsonb
        case .array: .textArray
        case .tsVector: .tsvector
        default: .jsonb
        }
    }
}
