import AtriumCore
import Hummingbird

extension AtriumApplication {
    /// The API groups: everything under `/rest`, `/graphql` and `/metadata` sits behind `authentication`.
    ///
    /// The metadata REST routes (`/rest/metadata/objects…`, `/rest/metadata/fields…`) are static paths, so the router
    /// prefers them to the records API's `/rest/:plural` parameter routes.
    static func addAPIRoutes(
        to router: Router<AppRequestContext>, authentication: AuthenticationMiddleware, rateLimit: RateLimitMiddleware,
        database: Database, metadata: WorkspaceSchemaCache, metadataAPI: MetadataAPI, serverURL: String
    ) throws {
        let restGroup = router.group("rest").add(middleware: authentication).add(middleware: rateLimit)
        let rest = restGroup.group(context: TenantRequestContext.self)
        let graphQL = router.group("graphql").add(middleware: authentication).add(middleware: rateLimit)
        let metadataGroup = router.group("metadata").add(middleware: authentication).add(middleware: rateLimit)
        MetadataRESTController(api: metadataAPI).addRoutes(to: restGroup.group("metadata", context: TenantRequestContext.self))
        try MetadataGraphQLController(api: metadataAPI).addRoutes(to: metadataGroup.group(context: TenantRequestContext.self))
        _ = graphQL
        let openAPI = OpenAPIController(metadata: metadata, serverURL: serverURL)
        openAPI.addRoutes(to: rest)
        openAPI.addRoutes(to: router.group().add(middleware: authentication).add(middleware: rateLimit)
            .group(context: TenantRequestContext.self))
        RecordsController(records: RecordService(database: database), metadata: metadata).addRoutes(to: rest)
    }
}
