import AtriumCore
import Hummingbird

extension AtriumApplication {
    /// The API groups: everything under `/rest`, `/graphql` and `/metadata` sits behind `authentication`.
    static func addAPIRoutes(
        to router: Router<AppRequestContext>, authentication: AuthenticationMiddleware,
        database: Database, metadata: WorkspaceSchemaCache, graphQLLimits: GraphQLLimits
    ) {
        let rest = router.group("rest").add(middleware: authentication).group(context: TenantRequestContext.self)
        let graphQL = router.group("graphql").add(middleware: GraphQLErrorMiddleware()).add(middleware: authentication)
            .group(context: TenantRequestContext.self)
        let metadataGroup = router.group("metadata").add(middleware: authentication)
        _ = metadataGroup
        let records = RecordService(database: database)
        RecordsController(records: records, metadata: metadata).addRoutes(to: rest)
        GraphQLController(records: records, metadata: metadata, schemas: GraphQLSchemaCache(), limits: graphQLLimits).addRoutes(to: graphQL)
    }
}
