import Foundation

/// One record event as the outbox renders it and the stream carries it: Twenty's event (`name`, `recordId`,
/// `workspaceMemberId`, `userId`, `properties`) with its workspace, object, id and time.
public struct RecordEvent: Sendable, Codable, Equatable {
    /// Unique and time-ordered (UUIDv7): consumers deduplicate by it.
    public var id: UUID
    public var workspaceId: UUID
    /// `<objectNameSingular>.<action>`.
    public var name: String
    public var objectMetadataId: UUID
    public var recordId: UUID
    public var userId: UUID?
    public var workspaceMemberId: UUID?
    public var apiKeyId: UUID?
    /// `{after}`, `{before}`, or `{before, after, updatedFields, diff}` (see ``RecordEventStatement``).
    public var properties: JSONValue
    /// When the write committed, as an ISO 8601 string with milliseconds (`2026-12-07T15:19:33.345Z`).
    public var createdAt: String

    /// The object's singular name, from ``name``.
    public var objectName: Substring { name.prefix { $0 != "." } }

    /// The action, from ``name``; nil for a name without a known action.
    public var action: RecordEventAction? {
        name.split(separator: ".").last.flatMap { RecordEventAction(rawValue: String($0)) }
    }

    /// Decodes the JSON the outbox rendered.
    public init(json: some Collection<UInt8>) throws {
        self = try JSONDecoder().decode(RecordEvent.self, from: Data(json))
    }

    public init(
        id: UUID, workspaceId: UUID, name: String, objectMetadataId: UUID, recordId: UUID, userId: UUID? = nil,
        workspaceMemberId: UUID? = nil, apiKeyId: UUID? = nil, properties: JSONValue, createdAt: String
    ) {
        self.id = id
        self.workspaceId = workspaceId
        self.name = name
        self.objectMetadataId = objectMetadataId
        self.recordId = recordId
        self.userId = userId
        self.workspaceMemberId = workspaceMemberId
        self.apiKeyId = apiKeyId
        self.properties = properties
        self.createdAt = createdAt
    }
}
