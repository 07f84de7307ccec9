import AtriumCore
import Hummingbird

extension AtriumApplication {
    /// The API groups: everything under `/rest`, `/graphql` and `/metadata` sits behind `authentication`.
    static func addAPIRoutes(
        to router: Router<AppRequestContext>, authentication: AuthenticationMiddleware,
        rateLimit: RateLimitMiddleware, database: Database, metadata: WorkspaceSchemaCache, serverURL: String
    ) {
        let rest = router.group("rest").add(middleware: authentication).add(middleware: rateLimit)
            .group(context: TenantRequestContext.self)
        let graphQL = router.group("graphql").add(middleware: authentication).add(middleware: rateLimit)
        let metadataGroup = router.group("metadata").add(middleware: authentication).add(middleware: rateLimit)
        _ = (graphQL, metadataGroup)
        let openAPI = OpenAPIController(metadata: metadata, serverURL: serverURL)
        openAPI.addRoutes(to: rest)
        openAPI.addRoutes(to: router.group().add(middleware: authentication).add(middleware: rateLimit)
            .group(context: TenantRequestContext.self))
        RecordsController(records: RecordService(database: database), metadata: metadata).addRoutes(to: rest)
    }
}
