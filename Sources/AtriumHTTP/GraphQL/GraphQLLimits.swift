import AtriumCore
import GraphQL
import OrderedCollections

/// Bounds on what one GraphQL operation may ask for, checked before it runs, on `/graphql` and `/metadata` alike: the
/// nesting depth of selections, the number of selected fields and the number of aliases, fragments expanded.
/// Introspection fields (`__schema`, `__type`) are not counted as depth or fields: clients' introspection queries are
/// deep by nature and touch no records; an alias on one still counts.
public struct GraphQLLimits: Sendable, Hashable {
    /// The deepest selection allowed (`companies { edges { node { people { edges { node { name { firstName }}}}}}}}` is 8).
    public var maximumDepth: Int
    /// The most fields one operation may select.
    public var maximumNodes: Int
    /// The most aliases one operation may use. Each aliased root field runs again (`a0: objects {…} a1: objects {…}`
    /// builds the whole catalog once per alias), so aliases multiply a request's cost where repeated fields do not.
    public var maximumAliases: Int
    /// The most root fields of one request that run at once (each holds a database connection while it runs). Kept
    /// within the workspace's share of the pool, so that a request of 50 aliases queues its own fields instead of
    /// holding every connection of its workspace and timing out its later fields on the lease bound.
    public var maximumConcurrentRootFields: Int
    /// The most fields an operation may select and still be validated and run on the shared concurrency pool; a larger
    /// one runs on ``LowPriorityExecutors``. GraphQLSwift's validation costs about 40 µs of CPU per selected field, in
    /// one block that does not yield (60 ms for 1,500 fields), so large operations would hold the pool's threads, which
    /// every request needs, for that long.
    public var largeOperationNodes: Int

    public init(
        maximumDepth: Int = 15, maximumNodes: Int = 2_000, maximumAliases: Int = 50, maximumConcurrentRootFields: Int = 4,
        largeOperationNodes: Int = 250
    ) {
        self.maximumDepth = maximumDepth
        self.maximumNodes = maximumNodes
        self.maximumAliases = maximumAliases
        self.maximumConcurrentRootFields = max(1, maximumConcurrentRootFields)
        self.largeOperationNodes = largeOperationNodes
    }

    /// The deepest nesting of `{`, `[` and `(` a request's text may have, checked before parsing: the parser and the
    /// validator recurse, so a filter nested thousands deep must be refused before it reaches them.
    public static let maximumNesting = 128
    /// The longest name (or number) a request's text may hold. GraphQLSwift's "did you mean" suggestions for an unknown
    /// name cost memory and time proportional to its length times each candidate's.
    public static let maximumNameLength = 1_024
    /// The longest string literal a request's text may hold (longer values go in variables): one at an enum's place gets
    /// the same suggestions.
    public static let maximumStringLength = 100_000

    /// The longest query text (values beyond it go in variables, which the request body may carry up to its own
    /// limit). GraphQLSwift prints a literal found at an enum's place into its suggestions, at a cost in memory of about
    /// 300 bytes per character of the literal.
    public static let maximumQueryLength = 256 * 1024

    /// An error when `query` is longer than ``maximumQueryLength``, nests brackets deeper than ``maximumNesting`` or
    /// holds a name or a string longer than ``maximumNameLength`` or ``maximumStringLength`` (comments are skipped).
    static func checkText(_ query: String) -> String? {
        if query.utf8.count > maximumQueryLength { return "The query is longer than \(maximumQueryLength / 1024) KB: pass large values in variables" }
        var depth = 0
        var inString = false
        var inComment = false
        var escaped = false
        var run = 0  // the length of the current string, or of the current name or number
        for byte in query.utf8 {
            if inComment {
                if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") { inComment = false }
                continue
            }
            if inString {
                run += 1
                if run > maximumStringLength { return "A string in the query is longer than \(maximumStringLength) bytes: pass it in a variable" }
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false; run = 0 }
                continue
            }
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
                run += 1
                if run > maximumNameLength { return "A name or number in the query is longer than \(maximumNameLength) characters" }
                continue
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "#"): inComment = true
            case UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "("):
                depth += 1
                if depth > maximumNesting { return "The query nests brackets more than \(maximumNesting) deep" }
            case UInt8(ascii: "}"), UInt8(ascii: "]"), UInt8(ascii: ")"): depth -= 1
            default: break
            }
            run = 0
        }
        return nil
    }

    /// The depth, size and aliases of the operation `document` runs (named `operationName`), or an error naming the
    /// limit passed; nil also when there is no such operation (GraphQL's own checks say so).
    func check(_ document: Document, operationName: String?) -> String? {
        guard let operation = document.operation(named: operationName) else { return nil }
        return check(operation, fragments: document.fragments)
    }

    /// Whether the operation `document` runs selects more than ``largeOperationNodes`` fields.
    func isLarge(_ document: Document, operationName: String?) -> Bool {
        guard let operation = document.operation(named: operationName) else { return false }
        return measure(operation, fragments: document.fragments).nodes > largeOperationNodes
    }

    /// The operation's depth, size and aliases, or an error naming the limit passed.
    func check(_ operation: OperationDefinition, fragments: [String: FragmentDefinition]) -> String? {
        let (nodes, deepest, aliases) = measure(operation, fragments: fragments)
        if deepest > maximumDepth { return "The query is \(deepest) levels deep; the limit is \(maximumDepth)" }
        if nodes > maximumNodes { return "The query selects more than \(maximumNodes) fields, the limit" }
        if aliases > maximumAliases { return "The query uses more than \(maximumAliases) aliases, the limit" }
        return nil
    }

    /// The operation's selected fields, depth and aliases, fragments expanded; counting stops past the limits.
    private func measure(_ operation: OperationDefinition, fragments: [String: FragmentDefinition]) -> (nodes: Int, depth: Int, aliases: Int) {
        var nodes = 0
        var deepest = 0
        var aliases = 0
        func walk(_ set: SelectionSet, depth: Int, visiting: Set<String>) {
            for selection in set.selections {
                switch selection {
                case let field as Field:
                    if field.alias != nil { aliases += 1 }
                    if field.name.value == "__schema" || field.name.value == "__type" { continue }
                    nodes += 1
                    deepest = max(deepest, depth)
                    if let inner = field.selectionSet { walk(inner, depth: depth + 1, visiting: visiting) }
                case let fragment as InlineFragment:
                    walk(fragment.selectionSet, depth: depth, visiting: visiting)
                case let spread as FragmentSpread:
                    let name = spread.name.value
                    guard !visiting.contains(name), let definition = fragments[name] else { continue }
                    walk(definition.selectionSet, depth: depth, visiting: visiting.union([name]))
                default:
                    continue
                }
                if nodes > maximumNodes || aliases > maximumAliases { return }
            }
        }
        walk(operation.selectionSet, depth: 1, visiting: [])
        return (nodes, deepest, aliases)
    }
}
