import AtriumCore
import Hummingbird

extension AtriumApplication {
    /// The API groups: everything under `/rest`, `/graphql` and `/metadata` sits behind `authentication`.
    static func addAPIRoutes(
        to router: Router<AppRequestContext>, authentication: AuthenticationMiddleware,
        rateLimit: RateLimitMiddleware, database: Database, metadata: WorkspaceSchemaCache, serverURL: String,
        graphQLLimits: GraphQLLimits
    ) {
        let rest = router.group("rest").add(middleware: authentication).add(middleware: rateLimit)
            .group(context: TenantRequestContext.self)
        // GraphQL errors in GraphQL's shape: the outer middleware for authentication, the inner one before the rate
        // limiter would map them to REST's.
        let graphQL = router.group("graphql").add(middleware: GraphQLErrorMiddleware()).add(middleware: authentication)
            .add(middleware: rateLimit).add(middleware: GraphQLErrorMiddleware()).group(context: TenantRequestContext.self)
        let metadataGroup = router.group("metadata").add(middleware: authentication).add(middleware: rateLimit)
        _ = metadataGroup
        let openAPI = OpenAPIController(metadata: metadata, serverURL: serverURL)
        openAPI.addRoutes(to: rest)
        openAPI.addRoutes(to: router.group().add(middleware: authentication).add(middleware: rateLimit)
            .group(context: TenantRequestContext.self))
        let records = RecordService(database: database)
        RecordsController(records: records, metadata: metadata).addRoutes(to: rest)
        GraphQLController(records: records, metadata: metadata, schemas: GraphQLSchemaCache(), limits: graphQLLimits).addRoutes(to: graphQL)
    }
}
