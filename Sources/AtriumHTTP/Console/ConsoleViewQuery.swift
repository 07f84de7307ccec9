import AtriumCore
import Foundation

/// What a records page asks for in its URL, read into a view definition so that saved views and the page's own
/// filters go through the one compiler (``ViewFilterCompiler``):
///
/// - `viewId`: the saved view shown (else the object's first view of the page's kind);
/// - `f=<field>~<OPERAND>~<value>` (repeated): filters added on the page, with Twenty's view operands
///   (`CONTAINS`, `IS`, `IS_NOT`, `GREATER_THAN_OR_EQUAL`, `LESS_THAN_OR_EQUAL`, `IS_EMPTY`, `IS_NOT_EMPTY`, …);
/// - `sort=<field>~ASC|DESC`: replaces the view's sorts;
/// - `search`: text matched against every searchable field (Twenty's "any field" filter);
/// - `deleted=true`: the deleted records instead of the live ones;
/// - `after` / `before`: the keyset cursor of the page.
struct ConsoleViewQuery {
    struct PageFilter {
        let field: WorkspaceSchema.Field
        let subField: String?
        let operand: String
        let value: String
        /// The URL parameter it came from (to remove it).
        let parameter: String
    }

    var filters: [PageFilter] = []
    var sort: (field: WorkspaceSchema.Field, direction: String)?
    var search: String?
    var deleted = false
    var after: String?
    var before: String?
    /// The raw `f` and `sort` parameters, kept in links.
    var filterParameters: [String] = []
    var sortParameter: String?

    /// Twenty's view filter operands a page may add.
    static let operands = ["CONTAINS", "DOES_NOT_CONTAIN", "IS", "IS_NOT", "GREATER_THAN_OR_EQUAL", "LESS_THAN_OR_EQUAL",
                           "IS_BEFORE", "IS_AFTER", "IS_EMPTY", "IS_NOT_EMPTY"]

    /// Reads the query of a records page of `object`.
    /// - Throws: ``AtriumError`` `badRequest` for an unknown field or operand.
    init(_ query: QueryString, object: WorkspaceSchema.Object) throws {
        var parameters = query.all("f").filter { !$0.isEmpty }
        // The "add filter" form's three inputs, folded into one more `f`.
        if let field = query["filter-field"], let operand = query["filter-operand"], !field.isEmpty, !operand.isEmpty {
            parameters.append("\(field)~\(operand)~\(query["filter-value"] ?? "")")
        }
        for parameter in parameters {
            let parts = parameter.split(separator: "~", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
            guard parts.count >= 2 else { throw AtriumError(.badRequest, "A filter reads field~OPERAND~value") }
            let path = parts[0].split(separator: ".", maxSplits: 1).map(String.init)
            guard let field = object.field(named: path[0]), field.isActive else {
                throw AtriumError(.badRequest, "Unknown field '\(parts[0])' in a filter")
            }
            guard Self.operands.contains(parts[1]) else { throw AtriumError(.badRequest, "Unknown filter operand '\(parts[1])'") }
            filters.append(PageFilter(field: field, subField: path.count > 1 ? path[1] : nil, operand: parts[1],
                                      value: parts.count > 2 ? parts[2] : "", parameter: parameter))
            filterParameters.append(parameter)
        }
        if let text = query["sort"], !text.isEmpty {
            let parts = text.split(separator: "~").map(String.init)
            guard let name = parts.first, let field = object.field(named: name), field.isActive else {
                throw AtriumError(.badRequest, "Unknown field '\(text)' to sort by")
            }
            sort = (field, parts.count > 1 && parts[1] == "DESC" ? "DESC" : "ASC")
            sortParameter = text
        }
        search = query["search"].flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        deleted = query["deleted"] == "true"
        after = query["after"].flatMap { $0.isEmpty ? nil : $0 }
        before = query["before"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// `definition` with the page's filters, sort and search applied.
    func applied(to definition: ViewDefinition) -> ViewDefinition {
        var definition = definition
        for filter in filters {
            definition.filters.append(ViewDefinition.Filter(
                fieldMetadataId: filter.field.id, operand: filter.operand, value: Self.viewValue(filter),
                viewFilterGroupId: nil, positionInViewFilterGroup: nil, subFieldName: filter.subField))
        }
        if let sort { definition.sorts = [ViewDefinition.Sort(fieldMetadataId: sort.field.id, direction: sort.direction, subFieldName: nil)] }
        if let search { definition.anyFieldFilterValue = search }
        return definition
    }

    /// A filter's value as Twenty's view filters store it: a JSON list of option values for SELECT and MULTI_SELECT,
    /// the text otherwise.
    static func viewValue(_ filter: PageFilter) -> JSONValue {
        if filter.field.type == .select || filter.field.type == .multiSelect, ["IS", "IS_NOT"].contains(filter.operand) {
            let values = filter.value.split(separator: ",").map { JSONValue.string($0.trimmingCharacters(in: .whitespaces)) }
            let data = (try? JSONEncoder().encode(JSONValue.array(values))) ?? Data("[]".utf8)
            return .string(String(decoding: data, as: UTF8.self))
        }
        return .string(filter.value)
    }

    /// The page's query string with `changes` (nil removes a parameter), the filters and sort kept.
    func link(base: String, viewID: String?, dropping filter: String? = nil, after: String? = nil, before: String? = nil,
              deleted: Bool? = nil) -> String {
        var items: [URLQueryItem] = []
        if let viewID { items.append(URLQueryItem(name: "viewId", value: viewID)) }
        for parameter in filterParameters where parameter != filter { items.append(URLQueryItem(name: "f", value: parameter)) }
        if let sortParameter { items.append(URLQueryItem(name: "sort", value: sortParameter)) }
        if let search { items.append(URLQueryItem(name: "search", value: search)) }
        if deleted ?? self.deleted { items.append(URLQueryItem(name: "deleted", value: "true")) }
        if let after { items.append(URLQueryItem(name: "after", value: after)) }
        if let before { items.append(URLQueryItem(name: "before", value: before)) }
        var components = URLComponents()
        components.queryItems = items
        let query = components.percentEncodedQuery ?? ""
        return query.isEmpty ? base : base + "?" + query.replacingOccurrences(of: "+", with: "%2B")
    }
}
