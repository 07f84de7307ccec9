import AtriumCore
import Foundation
import Hummingbird
import NIOCore
import Synchronization

/// Serves each workspace's OpenAPI document at `/rest/open-api/core` and `/open-api/core`, generated from its metadata
/// and cached by (workspace, metadata version), so a metadata change shows on the next request.
final class OpenAPIController: Sendable {
    let metadata: WorkspaceSchemaCache
    let serverURL: String
    /// Documents kept; past this the cache starts over (documents are cheap to rebuild).
    static let capacity = 256

    private struct Key: Hashable {
        let workspace: UUID
        let version: Int
    }

    private let documents = Mutex<[Key: ByteBuffer]>([:])

    init(metadata: WorkspaceSchemaCache, serverURL: String) {
        self.metadata = metadata
        self.serverURL = serverURL
    }

    func addRoutes(to group: RouterGroup<TenantRequestContext>) {
        group.get("open-api/core") { _, context in try await self.document(context) }
    }

    func document(_ context: TenantRequestContext) async throws -> Response {
        let schema = try await metadata.schema(for: context.workspaceID, logger: context.logger)
        let key = Key(workspace: schema.workspaceID, version: schema.metadataVersion)
        let buffer: ByteBuffer
        if let cached = documents.withLock({ $0[key] }) {
            buffer = cached
        } else {
            buffer = ByteBuffer(bytes: try OpenAPIDocument(schema: schema, serverURL: serverURL).encoded())
            documents.withLock { documents in
                if documents.count >= Self.capacity { documents.removeAll() }
                documents[key] = buffer
            }
        }
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: ResponseBody(byteBuffer: buffer))
    }
}
