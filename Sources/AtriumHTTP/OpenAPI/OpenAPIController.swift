import AtriumCore
import Foundation
import Hummingbird
import NIOCore
import Synchronization

/// Serves the OpenAPI documents at `/rest/open-api/{core,metadata}` and `/open-api/{core,metadata}`. Both are public,
/// as Twenty's are: `core` describes the caller's workspace when a valid token comes with the request (generated from
/// its metadata and cached by workspace and metadata version, so a metadata change shows on the next request) and is
/// the bare frame otherwise; `metadata` is the same for everyone.
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
    private let anonymousCore: ByteBuffer
    private let metadataDocument: ByteBuffer

    init(metadata: WorkspaceSchemaCache, serverURL: String) throws {
        self.metadata = metadata
        self.serverURL = serverURL
        anonymousCore = ByteBuffer(bytes: try OpenAPIDocument(schema: nil, serverURL: serverURL).encoded())
        metadataDocument = ByteBuffer(bytes: try OpenAPIDocument.encoded(OpenAPIMetadataDocument.document(serverURL: serverURL)))
    }

    /// Adds the routes to a group whose authentication lets requests without a valid token through.
    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("open-api/core") { _, context in try await self.core(context) }
        group.get("open-api/metadata") { _, _ in Self.json(self.metadataDocument) }
    }

    func core(_ context: AppRequestContext) async throws -> Response {
        guard let workspaceID = context.workspaceID else { return Self.json(anonymousCore) }
        let schema = try await metadata.schema(for: workspaceID, logger: context.logger)
        let key = Key(workspace: schema.workspaceID, version: schema.metadataVersion)
        if let cached = documents.withLock({ $0[key] }) { return Self.json(cached) }
        let buffer = ByteBuffer(bytes: try OpenAPIDocument(schema: schema, serverURL: serverURL).encoded())
        documents.withLock { documents in
            if documents.count >= Self.capacity { documents.removeAll() }
            documents[key] = buffer
        }
        return Self.json(buffer)
    }

    private static func json(_ buffer: ByteBuffer) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: ResponseBody(byteBuffer: buffer))
    }
}
