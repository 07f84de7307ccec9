/// Every upgrade step this build knows, validated and in run order.
///
/// Order: versions ascending; within a version, fast instance commands, then slow ones, then workspace commands,
/// each by timestamp. A run of consecutive workspace steps is a *segment*; the instance step after a segment is a
/// barrier that waits until every active or suspended workspace has completed the segment.
public struct UpgradeRegistry: Sendable {
    /// The steps in run order.
    public let steps: [UpgradeCommand]

    /// Two commands clash: the same name, or the same timestamp within one kind of one version.
    public struct Conflict: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// Validates and orders `commands`.
    /// - Throws: ``Conflict`` on a duplicate name or timestamp: startup must fail loudly rather than run an ambiguous order.
    public init(_ commands: [UpgradeCommand]) throws(Conflict) {
        var names: Set<String> = []
        var timestamps: Set<String> = []
        for command in commands {
            guard names.insert(command.name).inserted else {
                throw Conflict(description: "two upgrade commands are named \(command.name)")
            }
            guard timestamps.insert("\(command.version)/\(command.kind)/\(command.timestamp)").inserted else {
                throw Conflict(description: "two \(command.kind) commands of version \(command.version) share timestamp \(command.timestamp)")
            }
        }
        let kindOrder: [UpgradeStepKind: Int] = [.fast: 0, .slow: 1, .workspace: 2]
        steps = commands.sorted { lhs, rhs in
            if lhs.version != rhs.version { return lhs.version < rhs.version }
            if lhs.kind != rhs.kind { return kindOrder[lhs.kind]! < kindOrder[rhs.kind]! }
            return lhs.timestamp < rhs.timestamp
        }
    }

    /// The names of every workspace step, which a newly created workspace is stamped with.
    public var workspaceStepNames: [String] {
        steps.filter { $0.kind == .workspace }.map(\.name)
    }

    /// The registry of the `Migrations/` embedded in this binary (or of `ATRIUM_MIGRATIONS_DIR`'s folders when set).
    public static func shipped() throws -> UpgradeRegistry {
        try UpgradeRegistry(MigrationDirectory.shippedCommands())
    }
}
