import AtriumCore
import Foundation
import GraphQL
import NIOCore
import Logging
import OrderedCollections

/// Runs one GraphQL request against a workspace schema: parse, validate, limits, execute, then the response with each
/// root field's JSON (rendered by PostgreSQL) spliced in as it came.
///
/// GraphQLSwift does what it does well (parsing, validation, variable and argument coercion, introspection); record
/// root fields resolve to `nil` after keeping their JSON in ``GraphQLRequestState``.
struct GraphQLExecutor {
    let limits: GraphQLLimits

    /// What the client sent.
    struct Request: Decodable {
        var query: String?
        var variables: [String: Map]?
        var operationName: String?
    }

    /// The response: the HTTP status (400 when nothing could run) and the JSON body.
    struct Response {
        let status: Int
        let body: ByteBuffer
        /// Why a root field failed in a way a new attempt can succeed (it met a data model changed after the request took
        /// its snapshot, or lost a deadlock), when running the request again is safe: a query, or a mutation of that one
        /// root field (its failed statement or transaction wrote nothing). See ``RetryPolicy``.
        var retryable: AtriumError?
    }

    func run(_ request: Request, entry: GraphQLSchemaCache.Entry, state: GraphQLRequestState) async -> Response {
        let schema = entry.schema
        guard let query = request.query, !query.isEmpty else {
            return failure([GraphQLErrorBody(message: "Must provide query string.", code: "BAD_USER_INPUT")])
        }
        if let problem = GraphQLLimits.checkText(query) {
            return failure([GraphQLErrorBody(message: problem, code: "GRAPHQL_VALIDATION_FAILED")])
        }
        let document: Document
        do {
            document = try parse(source: Source(body: query, name: "GraphQL request"))
        } catch let error as GraphQLError {
            return failure([GraphQLErrorBody(error, code: "GRAPHQL_PARSE_FAILED")])
        } catch {
            return failure([GraphQLErrorBody(message: "Syntax error", code: "GRAPHQL_PARSE_FAILED")])
        }
        // Before validation, which costs about 40 µs per selected field: too deep, too many fields or aliases.
        if let problem = limits.check(document, operationName: request.operationName) {
            return failure([GraphQLErrorBody(message: problem, code: "GRAPHQL_VALIDATION_FAILED")])
        }
        guard limits.isLarge(document, operationName: request.operationName) else {
            return await run(document, request, entry: entry, state: state)
        }
        // Validating and running a large operation holds a thread for tens of milliseconds: not one of the shared pool's.
        return await LowPriorityExecutors.shared.run(for: state.workspace.workspaceID) {
            await run(document, request, entry: entry, state: state)
        }
    }

    /// Validates and runs a parsed request within the limits.
    private func run(_ document: Document, _ request: Request, entry: GraphQLSchemaCache.Entry, state: GraphQLRequestState) async -> Response {
        let schema = entry.schema
        let validation = validate(schema: schema, ast: document)
        guard validation.isEmpty else {
            return failure(validation.map { GraphQLErrorBody($0, code: "GRAPHQL_VALIDATION_FAILED") })
        }
        let fragments = document.fragments
        let chosen = document.operation(named: request.operationName)
        if let chosen, let problem = GraphQLVariableEnums.check(chosen, variables: request.variables ?? [:], schema: schema) {
            return failure([GraphQLErrorBody(message: problem, code: "BAD_USER_INPUT")])
        }

        // Introspection-only requests depend on the schema alone: answer them once per schema.
        let introspectionKey = chosen.flatMap { Self.isIntrospectionOnly($0, fragments: fragments) ? Self.key(request) : nil }
        if let introspectionKey, let answer = entry.introspectionAnswer(for: introspectionKey) {
            return Response(status: 200, body: answer)
        }
        let result: GraphQLResult
        do {
            result = try await execute(schema: schema, documentAST: document, rootValue: (), context: state,
                                       variableValues: request.variables ?? [:], operationName: request.operationName)
        } catch {
            state.logger.error("GraphQL execution failed", metadata: ["error": .string(String(reflecting: error))])
            return failure([GraphQLErrorBody(message: "Internal server error", code: "INTERNAL_SERVER_ERROR")], status: 500)
        }
        let errors = result.errors.map { GraphQLErrorBody(classifying: $0, logger: state.logger) }
        let failures = result.errors.compactMap { $0.originalError as? AtriumError }
        let isQuery = chosen?.operation == .query
        let safeToRerun = isQuery || chosen?.selectionSet.selections.count == 1
        // A lost connection reruns a query only: a mutation's statement may have committed before the connection went.
        let retryable = safeToRerun ? failures.first { RetryPolicy.allowsRetry(of: $0, onlyReads: isQuery) } : nil
        // A field the database could not answer (down, restarting, busy past the bounds) makes the answer a 503, with
        // `Retry-After`, as REST's: the client should try again, not read a partial answer as final. So does a failed
        // non-null root field (its `data` is null) when that is why.
        let outage = failures.contains { $0.code == .unavailable || $0.code == .timeout }
        guard let data = result.data else {
            var response = failure(errors, status: outage ? 503 : errors.isEmpty ? 500 : 400)
            response.retryable = retryable
            return response
        }
        let response = Response(status: outage ? 503 : 200, body: body(data: data, state: state, errors: errors), retryable: retryable)
        if let introspectionKey, errors.isEmpty { entry.keepIntrospectionAnswer(response.body, for: introspectionKey) }
        return response
    }

    /// Whether every root field of `operation` is `__schema`, `__type` or `__typename` (fragments expanded).
    static func isIntrospectionOnly(_ operation: OperationDefinition, fragments: [String: FragmentDefinition]) -> Bool {
        guard operation.operation == .query else { return false }
        func check(_ set: SelectionSet, _ depth: Int) -> Bool {
            guard depth < 8 else { return false }
            return set.selections.allSatisfy { selection in
                switch selection {
                case let field as Field: ["__schema", "__type", "__typename"].contains(field.name.value)
                case let fragment as InlineFragment: check(fragment.selectionSet, depth + 1)
                case let spread as FragmentSpread: fragments[spread.name.value].map { check($0.selectionSet, depth + 1) } ?? false
                default: false
                }
            }
        }
        return check(operation.selectionSet, 0)
    }

    /// The request as a cache key: query, operation name and variables.
    static func key(_ request: Request) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let variables = (try? encoder.encode(request.variables ?? [:])).map { String(decoding: $0, as: UTF8.self) } ?? ""
        return (request.operationName ?? "") + "\u{0}" + variables + "\u{0}" + (request.query ?? "")
    }

    /// `{"data":{…},"errors":[…]}` with each rendered root field's bytes spliced in as PostgreSQL sent them.
    private func body(data: Map, state: GraphQLRequestState, errors: [GraphQLErrorBody]) -> ByteBuffer {
        var out = ByteBuffer()
        out.writeString("{\"data\":")
        if case .dictionary(let fields) = data {
            out.writeString("{")
            for (index, (key, value)) in fields.enumerated() {
                if index > 0 { out.writeString(",") }
                out.writeString(Self.encode(key) + ":")
                if let rendered = state.json(for: key) {
                    out.writeImmutableBuffer(rendered)
                } else {
                    out.writeString(Self.encode(value))
                }
            }
            out.writeString("}")
        } else {
            out.writeString(Self.encode(data))
        }
        if !errors.isEmpty { out.writeString(",\"errors\":" + Self.encode(errors)) }
        out.writeString("}")
        return out
    }

    private func failure(_ errors: [GraphQLErrorBody], status: Int = 400) -> Response {
        Response(status: status, body: ByteBuffer(string: "{\"errors\":" + Self.encode(errors) + "}"))
    }

    static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }
}
