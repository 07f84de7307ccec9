import AtriumCore
@testable import AtriumHTTP
import AtriumTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Metrics
import Testing

/// The static `/rest/metadata/…` routes win over the records API's `/rest/:plural` parameter routes, whichever is
/// registered first.
struct MetadataRoutePrecedenceTests {
    @Test(arguments: [true, false]) func metadataRoutesWinOverPluralParameterRoutes(recordsFirst: Bool) async throws {
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: ErrorMappingMiddleware())
        let rest = router.group("rest")
        let settings = try TestEnvironment.configuration().postgres
        let database = Database(settings: settings, logger: Logger(label: "test"), metricsFactory: NOOPMetricsHandler.instance)
        let cache = WorkspaceSchemaCache(database: database, store: nil, logger: Logger(label: "test"))
        let api = MetadataAPI(database: database, changes: MetadataChanges(cache: cache, deferred: DeferredDDLRunner(database: database, logger: Logger(label: "test"))))
        func records() {
            rest.get(":plural") { _, context in "records \(context.parameters.get("plural") ?? "")" }
            rest.get(":plural/:id") { _, context in "record \(context.parameters.get("plural") ?? "")" }
        }
        if recordsFirst { records() }
        MetadataRESTController(api: api).addRoutes(to: rest.group("metadata", context: TenantRequestContext.self))
        if !recordsFirst { records() }
        let app = Application(router: router, logger: Logger(label: "test"))
        try await app.test(.router) { client in
            // No authentication ran: the metadata routes answer 401 (they were matched); records routes answer 200.
            for path in ["/rest/metadata/objects", "/rest/metadata/fields", "/rest/metadata/objects/\(UUID())", "/rest/metadata/fields/\(UUID())"] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .unauthorized, "\(path)")
                }
            }
            try await client.execute(uri: "/rest/companies", method: .get) { response in
                #expect(String(buffer: response.body) == "records companies")
            }
            try await client.execute(uri: "/rest/companies/\(UUID())", method: .get) { response in
                #expect(String(buffer: response.body) == "record companies")
            }
        }
    }
}
