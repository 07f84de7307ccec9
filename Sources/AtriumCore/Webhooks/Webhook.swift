import Foundation

/// A workspace's subscription to its record events (Twenty's `core."webhook"`).
public struct Webhook: Sendable, Equatable {
    public var id: UUID
    public var workspaceID: UUID
    /// Where deliveries are POSTed.
    public var targetUrl: String
    /// Patterns of event names: `company.created`, `company.*`, `*.updated`, `*.*`.
    public var operations: [String]
    public var description: String?
    /// Signs every delivery (HMAC-SHA256); shown to whoever may manage webhooks, as Twenty does.
    public var secret: String
    public var createdAt: Date
    public var updatedAt: Date
    public var deletedAt: Date?

    public init(
        id: UUID, workspaceID: UUID, targetUrl: String, operations: [String], description: String?, secret: String, createdAt: Date,
        updatedAt: Date, deletedAt: Date?
    ) {
        self.id = id
        self.workspaceID = workspaceID
        self.targetUrl = targetUrl
        self.operations = operations
        self.description = description
        self.secret = secret
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.deletedAt = deletedAt
    }

    /// Whether an event named `eventName` (`company.updated`) is one this webhook wants.
    public func matches(_ eventName: String) -> Bool {
        guard let dot = eventName.firstIndex(of: ".") else { return false }
        let object = eventName[..<dot]
        let action = eventName[eventName.index(after: dot)...]
        return operations.contains { operation in
            guard let split = operation.firstIndex(of: ".") else { return false }
            let wantedObject = operation[..<split]
            let wantedAction = operation[operation.index(after: split)...]
            return (wantedObject == "*" || wantedObject == object) && (wantedAction == "*" || wantedAction == action)
        }
    }

    /// Refuses (400) an operation that is not `<object|*>.<action|*>` with one of Twenty's actions.
    public static func validate(operations: [String]) throws {
        let actions = Set(RecordEventAction.allCases.map(\.rawValue) + ["*"])
        for operation in operations {
            let parts = operation.split(separator: ".", omittingEmptySubsequences: false)
            let objectIsValid = parts.count == 2 && (parts[0] == "*" || (parts[0].first?.isLetter == true
                && parts[0].allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }))
            guard objectIsValid, actions.contains(String(parts[1])) else {
                throw AtriumError(.badRequest, "Invalid operation '\(operation)': use <object>.<action>, <object>.*, *.<action> or *.*, "
                    + "with an action among \(RecordEventAction.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
    }

    /// 32 random bytes as lowercase hex, as Twenty makes a missing secret.
    public static func newSecret() -> String {
        RandomHex.bytes(32)
    }
}
