import AtriumCore
import AtriumRedis
import AtriumRedisAdapters
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Builds Atrium's HTTP application and the dependencies it runs.
///
/// ```swift
/// let app = try AtriumApplication.build(configuration: configuration, logger: logger, telemetry: Telemetry())
/// try await app.runService()   // or inside a ServiceGroup, see `atrium serve`
/// ```
/// The application owns its PostgreSQL pool and Redis client as services: they start before the server
/// accepts requests and close after it has drained.
public enum AtriumApplication {
    /// Creates the application for `configuration`.
    /// - Parameters:
    ///   - configuration: Validated settings.
    ///   - logger: The process logger.
    ///   - telemetry: Where metrics are recorded and read from by `/metrics`.
    /// - Throws: ``ConfigurationError`` when `REDIS_URL` is malformed.
    public static func build(
        configuration: AtriumConfiguration,
        logger: Logger,
        telemetry: Telemetry
    ) throws -> some ApplicationProtocol {
        let database = Database(settings: configuration.postgres, logger: logger, metricsFactory: telemetry.metricsFactory)
        let redis = RedisClient(configuration: try RedisConfiguration(atrium: configuration), logger: logger)
        // Core's ports over Redis: the shared caches and announcements, and the token buckets of the limits.
        let sharedStore = RedisMetadataStore(redis: redis)
        let buckets = RedisTokenBucketStore(redis: redis)
        // Workspace metadata for the routes; the app runs its invalidation subscriber.
        let metadata = WorkspaceSchemaCache(database: database, store: sharedStore, logger: logger)
        let permissions = PermissionsCache(database: database, store: sharedStore)
        let views = ViewDefinitionCache(store: sharedStore)

        let router = Router(context: AppRequestContext.self)
        router.addMiddleware {
            RequestLoggingMiddleware()
            RequestMetricsMiddleware(factory: telemetry.metricsFactory)
            ErrorMappingMiddleware()
            CORSMiddleware(
                allowOrigin: .oneOf(Self.origin(of: configuration.serverURL)),
                allowHeaders: [.accept, .authorization, .contentType, .origin, HTTPField.Name("X-Request-Id")!],
                allowMethods: [.get, .post, .put, .patch, .delete, .options],
                exposedHeaders: ["X-Request-Id", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "Retry-After"],
                maxAge: .seconds(600)
            )
        }
        HealthController(database: database, redis: redis, timeout: configuration.healthCheckTimeout).addRoutes(to: router)
        MetricsController(telemetry: telemetry, refreshers: [RedisPoolGauges(redis: redis, factory: telemetry.metricsFactory).refresh])
            .addRoutes(to: router)
        let secrets = TokenSecrets(appSecret: configuration.appSecret)
        let apiKeys = APIKeyManager(database: database, secrets: secrets, cacheTTL: configuration.apiKeyCacheTTL,
                                    sharedStore: sharedStore)
        let accounts = UserAccounts(
            database: database, secrets: secrets, lifetimes: configuration.tokenLifetimes,
            provisioner: try WorkspaceProvisioner(database: database, objects: StandardObjects.all, upgradeSteps: try UpgradeRegistry.shipped().workspaceStepNames)
        )
        let throttle = LoginThrottle(settings: configuration.loginThrottle, buckets: buckets)
        let users = UsersAPI(accounts: accounts, throttle: throttle, serverURL: configuration.serverURL)
        let records = RecordService(database: database, recordsEvents: configuration.eventsEnabled, views: views)
        let deferredDDL = DeferredDDLRunner(database: database, logger: logger)
        let metadataAPI = MetadataAPI(database: database, changes: MetadataChanges(cache: metadata, deferred: deferredDDL))
        // The web console: its sessions also authenticate the API calls of its scripts.
        let consoleSessions = ConsoleAuthenticator(sessions: ConsoleSessionStore(redis: redis, lifetime: configuration.tokenLifetimes.refresh),
                                                   accounts: accounts)
        ConsoleController(templates: try ConsoleTemplates(), authenticator: consoleSessions, throttle: throttle,
                              workspace: ConsoleWorkspace(authenticator: consoleSessions, records: records, metadata: metadata, permissions: permissions),
                              metadataAPI: metadataAPI, secureCookies: configuration.serverURL.lowercased().hasPrefix("https:"))
            .addRoutes(to: router)
        try addAPIRoutes(
            to: router, authentication: AuthenticationMiddleware(authenticator: BearerTokenRouter(apiKeys: apiKeys, accounts: accounts, secrets: secrets))
                .acceptingConsoleSessions(consoleSessions),
            rateLimit: RateLimitMiddleware(limiter: RateLimiter(settings: configuration.rateLimit, buckets: buckets)),
            admission: WorkspaceAdmissionMiddleware(limit: configuration.workspaceMaximumConcurrentRequests,
                                                    waitLimit: configuration.postgres.acquireTimeout),
            records: records,
            metadata: metadata, permissions: permissions, metadataAPI: metadataAPI, serverURL: configuration.serverURL,
            graphQLLimits: GraphQLLimits(maximumDepth: configuration.graphQLMaximumDepth, maximumNodes: configuration.graphQLMaximumNodes,
                                         maximumConcurrentRootFields: min(4, configuration.postgres.maximumConnectionsPerWorkspace)),
            webhookStore: WebhookStore(database: database, policy: OutboundTargetPolicy(allowsPrivateTargets: configuration.webhookAllowsPrivateTargets)),
            users: users, permissionsAPI: PermissionsAPI(metadata: metadata, permissions: permissions, apiKeys: apiKeys),
            csvImports: (Self.importer(database, configuration), configuration.csvImportMaxBytes)
        )

        var app = Application(
            router: router,
            server: .http1(idleTimeout: configuration.httpIdleTimeout, headerReadTimeout: configuration.httpHeaderReadTimeout),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Atrium"),
            logger: logger
        )
        let spares = SpareSchemaMaintenance(
            pool: try SpareSchemaPool(database: database, objects: StandardObjects.all),
            target: configuration.workspaceSpareSchemas,
            logger: logger
        )
        app.addServices(database, redis, spares, WorkspaceSchemaInvalidationService(cache: metadata),
                        APIKeyInvalidationService(apiKeys: apiKeys, logger: logger), ViewInvalidationService(cache: views, logger: logger),
                        deferredDDL)
        return app
    }

    /// The origin (`scheme://host[:port]`) of `url`, for CORS.
    static func origin(of url: String) -> String {
        guard let components = URLComponents(string: url), let scheme = components.scheme, let host = components.host else { return url }
        return "\(scheme)://\(host)" + (components.port.map { ":\($0)" } ?? "")
    }
}
