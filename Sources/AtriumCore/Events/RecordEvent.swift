import Foundation

/// One record event as the outbox renders it and the stream carries it: Twenty's event (`name`, `recordId`,
/// `workspaceMemberId`, `userId`, `properties`) with its workspace, object, id and time.
///
/// Its `properties` stay raw JSON text (``propertiesJSON``): consumers hand record images on to PostgreSQL or into a
/// webhook body as they came (``property(_:)``), and parse them (``properties``) only when they must look inside.
public struct RecordEvent: Sendable, Equatable {
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
    /// `{after}`, `{before}`, or `{before, after, updatedFields, diff}` (see ``RecordEventStatement``), as raw JSON.
    public var propertiesJSON: String
    /// When the write committed, as an ISO 8601 string with milliseconds (`2026-12-07T15:19:33.345Z`).
    public var createdAt: String

    /// The object's singular name, from ``name``.
    public var objectName: Substring { name.prefix { $0 != "." } }

    /// The action, from ``name``; nil for a name without a known action.
    public var action: RecordEventAction? {
        name.split(separator: ".").last.flatMap { RecordEventAction(rawValue: String($0)) }
    }

    /// The properties, parsed (`.null` if they are not JSON).
    public var properties: JSONValue {
        (try? JSONDecoder().decode(JSONValue.self, from: Data(propertiesJSON.utf8))) ?? .null
    }

    /// The raw JSON of one member of the properties (`after`, `before`, `diff`, `updatedFields`); nil when absent.
    public func property(_ name: String) -> Substring? {
        (try? RawJSON.members(of: Substring(propertiesJSON)))?[name]
    }

    /// Reads the JSON the outbox rendered: the header's members one by one, the properties kept raw.
    /// - Throws: ``RawJSON/Malformed`` (or a missing or invalid member) when it is not an event.
    public init(json: some Collection<UInt8>) throws {
        let members = try RawJSON.members(of: json)
        func string(_ key: String) throws -> String? {
            guard let raw = members[key], raw != "null" else { return nil }
            return try RawJSON.string(raw)
        }
        func required(_ key: String) throws -> String {
            guard let value = try string(key) else { throw RawJSON.Malformed(offset: 0) }
            return value
        }
        func uuid(_ key: String) throws -> UUID? {
            guard let text = try string(key) else { return nil }
            guard let value = UUID(uuidString: text) else { throw RawJSON.Malformed(offset: 0) }
            return value
        }
        func requiredUUID(_ key: String) throws -> UUID {
            guard let value = try uuid(key) else { throw RawJSON.Malformed(offset: 0) }
            return value
        }
        guard let properties = members["properties"], properties.first == "{" else { throw RawJSON.Malformed(offset: 0) }
        self.init(id: try requiredUUID("id"), workspaceId: try requiredUUID("workspaceId"), name: try required("name"),
                  objectMetadataId: try requiredUUID("objectMetadataId"), recordId: try requiredUUID("recordId"),
                  userId: try uuid("userId"), workspaceMemberId: try uuid("workspaceMemberId"), apiKeyId: try uuid("apiKeyId"),
                  propertiesJSON: String(properties), createdAt: try required("createdAt"))
    }

    public init(
        id: UUID, workspaceId: UUID, name: String, objectMetadataId: UUID, recordId: UUID, userId: UUID? = nil,
        workspaceMemberId: UUID? = nil, apiKeyId: UUID? = nil, propertiesJSON: String, createdAt: String
    ) {
        self.id = id
        self.workspaceId = workspaceId
        self.name = name
        self.objectMetadataId = objectMetadataId
        self.recordId = recordId
        self.userId = userId
        self.workspaceMemberId = workspaceMemberId
        self.apiKeyId = apiKeyId
        self.propertiesJSON = propertiesJSON
        self.createdAt = createdAt
    }

    /// An event with parsed properties (tests and callers that build one).
    public init(
        id: UUID, workspaceId: UUID, name: String, objectMetadataId: UUID, recordId: UUID, userId: UUID? = nil,
        workspaceMemberId: UUID? = nil, apiKeyId: UUID? = nil, properties: JSONValue, createdAt: String
    ) {
        let json = (try? JSONEncoder().encode(properties)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        self.init(id: id, workspaceId: workspaceId, name: name, objectMetadataId: objectMetadataId, recordId: recordId, userId: userId,
                  workspaceMemberId: workspaceMemberId, apiKeyId: apiKeyId, propertiesJSON: json, createdAt: createdAt)
    }
}
