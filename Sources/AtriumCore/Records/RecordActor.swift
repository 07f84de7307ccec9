import Foundation

/// Who writes a record, as stored in its `createdBy` / `updatedBy` ACTOR fields.
public struct RecordActor: Sendable, Hashable {
    /// An ACTOR `source` (API, MANUAL, IMPORT, …).
    public var source: String
    public var workspaceMemberID: UUID?
    public var name: String

    public init(source: String, workspaceMemberID: UUID? = nil, name: String) {
        self.source = source
        self.workspaceMemberID = workspaceMemberID
        self.name = name
    }
}

extension Identity {
    /// The actor recorded for writes made with this identity.
    public var actor: RecordActor {
        switch self {
        case .apiKey(_, let name): RecordActor(source: "API", name: name)
        case .member(_, let memberID, let name): RecordActor(source: "MANUAL", workspaceMemberID: memberID, name: name)
        }
    }
}
