import AtriumCore
import Hummingbird

extension AtriumApplication {
    /// The API groups: everything under `/rest`, `/graphql` and `/metadata` sits behind `authentication`; `/metadata`
    /// lets a request without `Authorization` reach its controller, which runs only the public sign-up and sign-in
    /// operations for it, and the OpenAPI documents are public.
    ///
    /// The metadata REST routes (`/rest/metadata/objects…`, `/rest/metadata/fields…`) are static paths, so the router
    /// prefers them to the records API's `/rest/:plural` parameter routes.
    static func addAPIRoutes(
        to router: Router<AppRequestContext>, authentication: AuthenticationMiddleware, rateLimit: RateLimitMiddleware,
        admission: WorkspaceAdmissionMiddleware,
        records: RecordService, metadata: WorkspaceSchemaCache, permissions: PermissionsCache, metadataAPI: MetadataAPI, serverURL: String,
        graphQLLimits: GraphQLLimits, webhookStore: WebhookStore, users: UsersAPI? = nil, permissionsAPI: PermissionsAPI? = nil,
        csvImports: (importer: CSVImporter, maximumBytes: Int)
    ) throws {
        let restGroup = router.group("rest").add(middleware: authentication).add(middleware: rateLimit).add(middleware: admission)
        let rest = restGroup.group(context: TenantRequestContext.self)
        // GraphQL errors in GraphQL's shape: the outer middleware for authentication, the inner one before the rate
        // limiter would map them to REST's.
        let graphQL = router.group("graphql").add(middleware: GraphQLErrorMiddleware()).add(middleware: authentication)
            .add(middleware: rateLimit.answeringInGraphQLShape()).add(middleware: GraphQLErrorMiddleware()).add(middleware: admission)
            .group(context: TenantRequestContext.self)
        let metadataGroup = router.group("metadata").add(middleware: GraphQLErrorMiddleware()).add(middleware: authentication.allowing(.withoutHeader))
            .add(middleware: rateLimit.answeringInGraphQLShape()).add(middleware: GraphQLErrorMiddleware()).add(middleware: admission)
        let restMetadata = restGroup.group("metadata", context: TenantRequestContext.self)
        MetadataRESTController(api: metadataAPI, permissions: permissionsAPI).addRoutes(to: restMetadata)
        if let permissionsAPI {
            let apiKeys = APIKeysRESTController(permissions: permissionsAPI)
            apiKeys.addRoutes(to: restMetadata)
            EventLogRESTController(permissions: permissionsAPI, log: EventLog(database: records.database)).addRoutes(to: restMetadata)
            let webhooks = WebhooksRESTController(permissions: permissionsAPI, webhooks: webhookStore,
                                                  deliveries: WebhookDeliveryLog(database: records.database))
            webhooks.addRoutes(to: restMetadata, paged: true)
            webhooks.addRoutes(to: rest, paged: false)
            ViewsRESTController(permissions: permissionsAPI, views: ViewStore(database: records.database, cache: records.views)).addRoutes(to: restMetadata)
            // Twenty's legacy path, answered with its Deprecation and successor Link headers.
            apiKeys.addRoutes(to: rest.group().add(middleware: DeprecatedRouteMiddleware(since: 1_786_320_000, prefix: "/rest/", successorPrefix: "/rest/metadata/")))
        }
        try MetadataGraphQLController(api: metadataAPI, users: users, permissions: permissionsAPI,
                                      webhooks: (webhookStore, WebhookDeliveryLog(database: records.database)),
                                      views: ViewStore(database: records.database, cache: records.views), limits: graphQLLimits)
            .addRoutes(to: metadataGroup)
        // Public, as Twenty's: a valid token tailors the core document to its workspace.
        let openAPI = try OpenAPIController(metadata: metadata, serverURL: serverURL)
        let documents = authentication.allowing(.withoutValidToken)
        openAPI.addRoutes(to: router.group("rest").add(middleware: documents))
        openAPI.addRoutes(to: router.group().add(middleware: documents))
        RecordsController(records: records, metadata: metadata, permissions: permissions, importer: csvImports.importer,
                          importMaximumBytes: csvImports.maximumBytes).addRoutes(to: rest)
        GraphQLController(records: records, metadata: metadata, permissions: permissions, schemas: GraphQLSchemaCache(), limits: graphQLLimits)
            .addRoutes(to: graphQL)
    }

    /// The CSV importer of the records API, with the configuration's row limit.
    static func importer(_ database: Database, _ configuration: AtriumConfiguration) -> CSVImporter {
        var importer = CSVImporter(database: database, recordsEvents: configuration.eventsEnabled)
        importer.syncRowLimit = configuration.csvImportSyncMaxRows
        return importer
    }
}
