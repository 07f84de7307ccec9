import Foundation

/// Writes the file of a new upgrade command into a `Migrations/` folder, ready to fill in: `atrium migrate generate`.
///
/// The file lands at `<folder>/<version>/<timestamp>-<name>.sql` (a workspace command under `workspace/`), with a
/// timestamp later than every existing one, so it runs after them. It holds the sections its kind needs and no
/// statement yet: it is registered and runs (as a no-op) as soon as it exists.
public enum MigrationGenerator {
    /// The kind of command to generate.
    public enum Kind: String, Sendable, CaseIterable {
        case fast, slow, workspace
    }

    /// A refused generation (bad name, duplicate, unreadable folder); the message says why.
    public struct Refused: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// Generates the command and returns the new file's URL.
    /// - Parameters:
    ///   - name: kebab-case, for example `add-foo-bar-columns`; its CamelCase must not name an existing command.
    ///   - version: The version folder; by default the highest one present, else the build's version.
    ///   - folder: The `Migrations/` folder.
    ///   - now: The clock, for the timestamp (milliseconds since 1970).
    public static func generate(
        name: String, kind: Kind, version: SemanticVersion? = nil, in folder: URL, now: Date = Date()
    ) throws -> URL {
        let words = name.split(separator: "-", omittingEmptySubsequences: false)
        guard !words.isEmpty, words.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber) } }) else {
            throw Refused(description: "--name must be kebab-case lowercase letters and digits, like add-foo-bar-columns (got \"\(name)\")")
        }
        let existing = try MigrationDirectory.files(in: folder)
        let className = words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        if let clash = existing.first(where: { $0.className == className }) {
            throw Refused(description: "a command named \(className) exists already: \(clash.path)")
        }
        let target = version ?? existing.map(\.version).max() ?? AtriumVersion.current
        let timestamp = max(Int64(now.timeIntervalSince1970 * 1000), (existing.map(\.timestamp).max() ?? 0) + 1)
        var directory = folder.appendingPathComponent(target.description)
        if kind == .workspace { directory.appendPathComponent("workspace") }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("\(timestamp)-\(name).sql")
        try template(kind, name: name).write(to: file, atomically: true, encoding: .utf8)
        // Parse it back as the upgrade engine will, so a generated file is always a valid, registered command.
        _ = try MigrationFile(url: file, version: target, isWorkspace: kind == .workspace).command()
        return file
    }

    static func template(_ kind: Kind, name: String) -> String {
        switch kind {
        case .fast:
            """
            -- \(name): a fast instance command on `core`, run in a transaction.
            -- atrium:up

            -- atrium:down

            """
        case .slow:
            """
            -- \(name): a slow instance command. `data` runs first, outside any transaction (skipped when no workspace
            -- is ACTIVE or SUSPENDED): prepare the data so that `up`, run next in a transaction, cannot fail.
            -- atrium:kind slow
            -- atrium:data

            -- atrium:up

            -- atrium:down

            """
        case .workspace:
            """
            -- \(name): a workspace command, run once in every workspace schema, each in its own transaction.
            -- {{schema}} stands for the quoted workspace schema, for example: ALTER TABLE {{schema}}."company" ...

            """
        }
    }
}
