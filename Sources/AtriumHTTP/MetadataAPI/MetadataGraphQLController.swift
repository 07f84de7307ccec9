import AtriumCore
import Foundation
import GraphQL
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import OrderedCollections

/// `POST /metadata`: Twenty's metadata GraphQL API for the caller's workspace, and its public sign-up and sign-in
/// operations.
///
/// Answers 200 with `{"data": …}` and, when something failed, `errors[]` whose `extensions.code` is Twenty's
/// (`BAD_USER_INPUT`, `NOT_FOUND`, `CONFLICT`, `GRAPHQL_PARSE_FAILED`, `GRAPHQL_VALIDATION_FAILED`,
/// `INTERNAL_SERVER_ERROR`, …). A bad token is answered by the authentication middleware (401). A request without a
/// token reaches this controller with no identity: only an operation whose root fields are all in
/// ``UsersGraphQLModule/publicFields`` runs; anything else is answered 401 as before.
struct MetadataGraphQLController: Sendable {
    let api: MetadataAPI
    let users: UsersAPI?
    let permissions: PermissionsAPI?
    let schema: GraphQLSchema
    /// The depth, field and alias limits `/graphql` has too.
    let limits: GraphQLLimits

    init(
        api: MetadataAPI, users: UsersAPI? = nil, permissions: PermissionsAPI? = nil, webhooks: (WebhookStore, WebhookDeliveryLog)? = nil,
        views: ViewStore? = nil, limits: GraphQLLimits = GraphQLLimits()
    ) throws {
        self.api = api
        self.users = users
        self.permissions = permissions
        self.limits = limits
        var modules: [any MetadataGraphQLModule] = [DataModelGraphQLModule()]
        if users != nil { modules.append(UsersGraphQLModule()) }
        if permissions != nil { modules.append(RolesGraphQLModule()) }
        if permissions != nil, let webhooks { modules.append(WebhooksGraphQLModule(store: webhooks.0, log: webhooks.1)) }
        if permissions != nil, let views {
            modules.append(ViewsGraphQLModule(store: views))
            modules.append(NavigationGraphQLModule(menu: NavigationMenu(database: views.database)))
        }
        self.schema = try MetadataGraphQLSchema.make(modules: modules)
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post { request, context in try await handle(request, context: context) }
    }

    /// Whether every root field of `operation` (the one the request runs) is public (sign-up, sign-in, token exchange,
    /// renewal).
    static func isPublic(_ operation: OperationDefinition?) -> Bool {
        guard let selections = operation?.selectionSet.selections, !selections.isEmpty else { return false }
        return selections.allSatisfy { selection in
            guard let field = selection as? Field else { return false }
            return UsersGraphQLModule.publicFields.contains(field.name.value)
        }
    }

    /// A GraphQL request body.
    struct Body: Decodable {
        let query: String
        let variables: [String: Map]?
        let operationName: String?
    }

    func handle(_ request: Request, context: AppRequestContext) async throws -> Response {
        let buffer = try await request.body.collect(upTo: 1 << 20)
        let body: Body
        do {
            body = try JSONDecoder().decode(Body.self, from: Data(buffer.readableBytesView))
        } catch {
            // Not a JSON object with a query string (`[]`, `"x"`, `1`, bad JSON): 400, as on /graphql.
            if context.identity == nil { throw AtriumError.missingToken() }
            return try Self.refuse(Self.error("Expected a JSON body with a \"query\" string", code: "BAD_USER_INPUT"))
        }
        // Before anything parses the text: brackets nested too deep, names or strings too long (the parser recurses,
        // and GraphQLSwift's suggestions cost the length of a name).
        if let problem = GraphQLLimits.checkText(body.query) {
            return try Self.refuse(Self.error(problem, code: "GRAPHQL_VALIDATION_FAILED"))
        }
        let document = try? parse(source: body.query, noLocation: true)
        // Before anything runs: too deep, too many fields or aliases (each aliased root field builds its answer again).
        if let document, let problem = limits.check(document, operationName: body.operationName) {
            return try Self.refuse(Self.error(problem, code: "GRAPHQL_VALIDATION_FAILED"))
        }
        let operation = document?.operation(named: body.operationName)
        let authentication = try? context.requireAuthentication()
        if authentication == nil, users == nil || !Self.isPublic(operation) { throw AtriumError.missingToken() }
        if let operation, let problem = GraphQLVariableEnums.check(operation, variables: body.variables ?? [:], schema: schema) {
            return try Self.respond(GraphQLResult(errors: [Self.error(problem, code: "BAD_USER_INPUT")]))
        }
        let resolverContext = MetadataGraphQLContext(api: api, users: users, permissions: permissions, authentication: authentication,
                                                     clientAddress: context.clientAddress, logger: context.logger)
        do {
            let (schema, query, variables, operationName, logger) = (schema, body.query, body.variables ?? [:], body.operationName, context.logger)
            // The answer is encoded on the executor too: the whole catalog 50 times is megabytes of JSON, whose encoding
            // would otherwise hold one of the shared pool's threads for a tenth of a second or more.
            return try await LowPriorityExecutors.shared.run(for: authentication?.workspaceID) {
                let result = try await graphql(schema: schema, request: query, context: resolverContext, variableValues: variables,
                                               operationName: operationName)
                return try Self.answer(result, logger: logger)
            }
        } catch let error as GraphQLError {
            return try Self.respond(GraphQLResult(errors: [Self.error(error.message, code: "GRAPHQL_PARSE_FAILED", locations: error.locations)]))
        }
    }

    /// The response to an executed request: its errors in Twenty's codes, a 503 when the database failed a field.
    static func answer(_ result: GraphQLResult, logger: Logger) throws -> Response {
        let executed = result.data != nil
        let errors = result.errors.map { error in mapped(error, executed: executed, logger: logger) }
        // A field the database could not answer makes the answer a 503 with `Retry-After`, as on /graphql.
        let outage = result.errors.contains { error in
            guard let atrium = error.originalError as? AtriumError else { return false }
            return atrium.code == .unavailable || atrium.code == .timeout || atrium.code == .retryable
        }
        return try respond(GraphQLResult(data: result.data, errors: errors), status: outage ? .serviceUnavailable : .ok)
    }

    /// Gives an error Twenty's `extensions.code` and a client-safe message.
    static func mapped(_ error: GraphQLError, executed: Bool, logger: Logger) -> GraphQLError {
        guard let original = error.originalError else {
            // No resolver threw: a validation error of the document or its variables.
            return self.error(error.message, code: executed ? "BAD_USER_INPUT" : "GRAPHQL_VALIDATION_FAILED", locations: error.locations, path: error.path)
        }
        if let atrium = original as? AtriumError {
            let code = atrium.code == .rateLimited ? "BAD_USER_INPUT" : GraphQLErrorBody.code(atrium.code)
            if atrium.code == .rateLimited {
                // Twenty answers a throttled attempt as a user input error whose sub-code says the limit was reached.
                return GraphQLError(message: atrium.message, locations: error.locations, path: error.path, extensions: [
                    "code": .string(code), "subCode": .string("LIMIT_REACHED"), "userFriendlyMessage": .string(atrium.message),
                ])
            }
            if code == "INTERNAL_SERVER_ERROR" || atrium.underlying != nil {
                logger.error("metadata change failed", metadata: [
                    "error": .string(atrium.description), "underlying": .string(atrium.underlying.map { String(reflecting: $0) } ?? "none"),
                ])
            }
            return self.error(atrium.message, code: code, locations: error.locations, path: error.path)
        }
        if let graphQL = original as? GraphQLError {
            return self.error(graphQL.message, code: "BAD_USER_INPUT", locations: error.locations, path: error.path)
        }
        logger.error("metadata resolver failed", metadata: ["error": .string(String(reflecting: original))])
        return self.error("Internal server error", code: "INTERNAL_SERVER_ERROR", locations: error.locations, path: error.path)
    }

    static func error(_ message: String, code: String, locations: [SourceLocation] = [], path: GraphQL.IndexPath = []) -> GraphQLError {
        GraphQLError(message: message, locations: locations, path: path,
                     extensions: ["code": .string(code), "userFriendlyMessage": .string(message)])
    }

    static func respond(_ result: GraphQLResult, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try GraphQLJSONEncoder().encode(result)
        return GraphQLController.json(ByteBuffer(bytes: data), status: status)
    }

    /// A 400 with `error`: the request was refused before anything ran.
    static func refuse(_ error: GraphQLError) throws -> Response {
        try respond(GraphQLResult(errors: [error]), status: .badRequest)
    }
}
