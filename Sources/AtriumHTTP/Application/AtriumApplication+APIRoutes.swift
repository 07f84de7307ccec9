import AtriumCore
import Hummingbird

extension AtriumApplication {
    /// The API groups: everything under `/rest`, `/graphql` and `/metadata` sits behind `authentication`.
    ///
    /// Controllers register on these groups. The metadata REST routes (`/rest/metadata/objects…`, `/rest/metadata/fields…`)
    /// are static paths, so the router prefers them to the records API's `/rest/:plural` parameter routes.
    static func addAPIRoutes(to router: Router<AppRequestContext>, authentication: AuthenticationMiddleware, metadataAPI: MetadataAPI) throws {
        let rest = router.group("rest").add(middleware: authentication)
        let graphQL = router.group("graphql").add(middleware: authentication)
        let metadata = router.group("metadata").add(middleware: authentication)
        MetadataRESTController(api: metadataAPI).addRoutes(to: rest.group("metadata", context: TenantRequestContext.self))
        try MetadataGraphQLController(api: metadataAPI).addRoutes(to: metadata.group(context: TenantRequestContext.self))
        _ = graphQL
    }
}
