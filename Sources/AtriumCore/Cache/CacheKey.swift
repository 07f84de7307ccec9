import Foundation

/// Every shared-cache key and channel Atrium uses, made in one place.
///
/// Per-workspace keys carry the hash tag `{ws:<id>}`, so all of a workspace's keys land in one Redis Cluster slot.
public enum CacheKey {
    /// The snapshot of `workspace`'s metadata at `version`: `atrium:{ws:<id>}:metadata:v<version>`.
    public static func metadata(_ workspace: UUID, version: Int) -> String {
        "atrium:\(tag(workspace)):metadata:v\(version)"
    }

    /// The current metadata version of `workspace`: `atrium:{ws:<id>}:metadata:version`.
    public static func metadataVersion(_ workspace: UUID) -> String {
        "atrium:\(tag(workspace)):metadata:version"
    }

    /// A workspace's permission rows at metadata `version` (role changes bump it): `atrium:{ws:<id>}:permissions:v<version>`.
    public static func permissions(_ workspace: UUID, version: Int) -> String {
        "atrium:\(tag(workspace)):permissions:v\(version)"
    }

    /// The pub/sub channel on which API key revocations are announced (payload: the key's id).
    public static let apiKeyInvalidations = "atrium:apikey:invalidations"

    /// The pub/sub channel on which a workspace's suspension, activation or deletion is announced (payload: the
    /// workspace's id), so every instance stops trusting what it cached of the workspace's state.
    public static let workspaceStatusChanges = "atrium:workspace:status"

    /// The content of one object's metadata without ids, named by its SHA-256 (hex), shared by every workspace that
    /// has that object as is: `atrium:metadata:shape:<sha256>`.
    public static func metadataObjectShape(_ digestHex: String) -> String {
        "atrium:metadata:shape:\(digestHex)"
    }

    /// The pub/sub channel on which a change of a workspace's saved views is announced (payload: the workspace's id).
    public static let viewInvalidations = "atrium:views:invalidations"

    /// The pub/sub channel on which metadata changes are announced (payload: ``MetadataInvalidation``).
    public static let metadataInvalidations = "atrium:metadata:invalidations"

    private static func tag(_ workspace: UUID) -> String {
        "{ws:\(workspace.lowercased)}"
    }
}

/// "The metadata of a workspace is now at this version", as published on ``CacheKey/metadataInvalidations``.
public struct MetadataInvalidation: Sendable, Hashable {
    public var workspace: UUID
    public var version: Int

    public init(workspace: UUID, version: Int) {
        self.workspace = workspace
        self.version = version
    }

    /// `<workspace uuid>:<version>`.
    public var payload: String { "\(workspace.lowercased):\(version)" }

    /// Parses a ``payload``; `nil` for anything else.
    public init?(payload: String) {
        let parts = payload.split(separator: ":")
        guard parts.count == 2, let workspace = UUID(text: String(parts[0])), let version = Int(parts[1]) else { return nil }
        self.init(workspace: workspace, version: version)
    }
}
