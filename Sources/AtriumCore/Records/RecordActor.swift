import Foundation

/// Who writes a record: what its `createdBy` / `updatedBy` ACTOR fields record, and whom its events name.
public struct RecordActor: Sendable, Hashable {
    /// An ACTOR `source` (API, MANUAL, IMPORT, …).
    public var source: String
    public var workspaceMemberID: UUID?
    public var name: String
    /// The signed-in user, for events' `userId`.
    public var userID: UUID?
    /// The API key, for events' `apiKeyId`.
    public var apiKeyID: UUID?

    public init(source: String, workspaceMemberID: UUID? = nil, name: String, userID: UUID? = nil, apiKeyID: UUID? = nil) {
        self.source = source
        self.workspaceMemberID = workspaceMemberID
        self.name = name
        self.userID = userID
        self.apiKeyID = apiKeyID
    }

    /// The server itself (upgrades, the worker, imports it runs on its own): source `SYSTEM`, nobody named.
    public static let system = RecordActor(source: "SYSTEM", name: "System")
}

extension Identity {
    /// The actor recorded for writes made with this identity.
    public var actor: RecordActor {
        switch self {
        case .apiKey(let id, let name): RecordActor(source: "API", name: name, apiKeyID: id)
        case .member(let userID, let memberID, let name):
            RecordActor(source: "MANUAL", workspaceMemberID: memberID, name: name, userID: userID)
        }
    }
}
