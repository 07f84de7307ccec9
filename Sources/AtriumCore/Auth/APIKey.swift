import Foundation

/// A row of `core."apiKey"`: a named, expiring, revocable credential of one workspace.
///
/// The key's token is a JWT (see ``APIKeyClaims``) and is not stored; it can be re-signed from the row.
public struct APIKey: Sendable, Hashable, Codable {
    /// The row id, the token's `jti`.
    public var id: UUID
    /// A human name.
    public var name: String
    /// The workspace the key belongs to.
    public var workspaceID: UUID
    /// When the key stops working.
    public var expiresAt: Date
    /// When the key was revoked, if it was.
    public var revokedAt: Date?
    /// When the key was created.
    public var createdAt: Date
    /// When the row last changed.
    public var updatedAt: Date
    /// When the key was soft-deleted, if it was.
    public var deletedAt: Date?

    /// Creates a key value.
    public init(
        id: UUID, name: String, workspaceID: UUID, expiresAt: Date, revokedAt: Date? = nil,
        createdAt: Date, updatedAt: Date, deletedAt: Date? = nil
    ) {
        self.id = id
        self.name = name
        self.workspaceID = workspaceID
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.deletedAt = deletedAt
    }

    /// Whether the key may authenticate at `date`: not deleted, not revoked, not expired.
    public func isActive(at date: Date = Date()) -> Bool {
        deletedAt == nil && revokedAt == nil && date < expiresAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, workspaceID = "workspaceId", expiresAt, revokedAt, createdAt, updatedAt, deletedAt
    }
}

/// An API key just created, with its token (shown once to whoever created it).
public struct CreatedAPIKey: Sendable, Hashable {
    /// The stored row.
    public let key: APIKey
    /// The bearer token.
    public let token: String
}
