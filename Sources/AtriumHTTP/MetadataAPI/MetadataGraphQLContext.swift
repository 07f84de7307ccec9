import AtriumCore
import Foundation
import Logging
import Synchronization

/// What `/metadata` resolvers work with: the caller's workspace, the operations, and the workspace's metadata rows,
/// read once per request and replaced after each mutation.
final class MetadataGraphQLContext: Sendable {
    let api: MetadataAPI
    let workspace: UUID
    let logger: Logger
    private let loaded = Mutex<MetadataCatalog?>(nil)

    init(api: MetadataAPI, workspace: UUID, logger: Logger) {
        self.api = api
        self.workspace = workspace
        self.logger = logger
    }

    /// The metadata rows as of this request's last change.
    func catalog() async throws -> MetadataCatalog {
        if let catalog = loaded.withLock({ $0 }) { return catalog }
        let catalog = try await api.catalog(workspace, logger: logger)
        loaded.withLock { $0 = catalog }
        return catalog
    }

    /// Keeps `catalog` (read after a mutation) for the rest of the request.
    func keep(_ catalog: MetadataCatalog) {
        loaded.withLock { $0 = catalog }
    }

    /// The resolver's context, typed.
    static func of(_ context: any Sendable) throws -> MetadataGraphQLContext {
        guard let context = context as? MetadataGraphQLContext else { throw AtriumError(.internalError, "Missing metadata context") }
        return context
    }
}
