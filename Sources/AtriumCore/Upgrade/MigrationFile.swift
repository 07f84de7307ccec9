import Foundation

/// One SQL file of `Migrations/`, turned into an ``UpgradeCommand``.
///
/// Layout: `Migrations/<version>/<timestamp>-<kebab-name>.sql` holds an instance command;
/// `Migrations/<version>/workspace/<timestamp>-<kebab-name>.sql` holds a workspace command.
/// An instance file has sections introduced by marker lines:
/// ```sql
/// -- atrium:kind slow        (optional; fast by default)
/// -- atrium:data             (slow only: runs first, outside any transaction)
/// UPDATE core."workspace" SET …;
/// -- atrium:up
/// ALTER TABLE core."workspace" ALTER COLUMN … SET NOT NULL;
/// -- atrium:down
/// ALTER TABLE core."workspace" ALTER COLUMN … DROP NOT NULL;
/// ```
/// A workspace file is plain SQL in which `{{schema}}` stands for the quoted workspace schema.
struct MigrationFile {
    /// Where the file was read from (a path on disk, or `Migrations/…` for a file embedded in the binary).
    let path: String
    let version: SemanticVersion
    let timestamp: Int64
    let className: String
    let isWorkspace: Bool
    let text: String

    /// A malformed migration file; its message names the file.
    struct Invalid: Error, CustomStringConvertible {
        let path: String
        let reason: String
        var description: String { "\(path): \(reason)" }
    }

    /// Reads the file at `url`.
    init(url: URL, version: SemanticVersion, isWorkspace: Bool) throws {
        try self.init(path: url.path, text: try String(contentsOf: url, encoding: .utf8), version: version, isWorkspace: isWorkspace)
    }

    /// A file whose text is at hand (embedded in the binary).
    /// - Parameter path: The file's path; its last component names the command.
    init(path: String, text: String, version: SemanticVersion, isWorkspace: Bool) throws {
        let base = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        guard let dash = base.firstIndex(of: "-"), let timestamp = Int64(base[..<dash]), timestamp > 0 else {
            throw Invalid(path: path, reason: "file names must be <timestamp in ms>-<kebab-name>.sql")
        }
        let words = base[base.index(after: dash)...].split(separator: "-")
        guard !words.isEmpty, words.allSatisfy({ $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }) else {
            throw Invalid(path: path, reason: "the name after the timestamp must be kebab-case letters and digits")
        }
        self.path = path
        self.version = version
        self.timestamp = timestamp
        self.className = words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        self.isWorkspace = isWorkspace
        self.text = text
    }

    /// The command this file describes.
    func command() throws -> UpgradeCommand {
        if isWorkspace {
            let template = text
            return .workspace(version, timestamp, className) { connection, target, logger in
                let sql = template.replacingOccurrences(of: "{{schema}}", with: target.schema.quoted)
                try await SQLScript(sql).run(on: connection, logger: logger)
            }
        }
        let sections = try self.sections()
        guard let up = sections["up"] else { throw Invalid(path: path, reason: "missing the `-- atrium:up` section") }
        guard let down = sections["down"] else { throw Invalid(path: path, reason: "missing the `-- atrium:down` section") }
        let upScript = SQLScript(up)
        let downScript = SQLScript(down)
        let upStatement: UpgradeCommand.Statement = { connection, logger in try await upScript.run(on: connection, logger: logger) }
        let downStatement: UpgradeCommand.Statement = { connection, logger in try await downScript.run(on: connection, logger: logger) }
        switch sections["kind"]?.trimmingWhitespace() ?? "fast" {
        case "fast":
            guard sections["data"] == nil else { throw Invalid(path: path, reason: "a `-- atrium:data` section needs `-- atrium:kind slow`") }
            return .fast(version, timestamp, className, up: upStatement, down: downStatement)
        case "slow":
            guard let data = sections["data"] else { throw Invalid(path: path, reason: "a slow command needs a `-- atrium:data` section") }
            let dataScript = SQLScript(data)
            return .slow(version, timestamp, className, dataMigration: { database, logger in
                try await database.withConnection { connection in try await dataScript.run(on: connection, logger: logger) }
            }, up: upStatement, down: downStatement)
        case let other:
            throw Invalid(path: path, reason: "unknown kind \"\(other)\" (fast or slow)")
        }
    }

    /// The file's sections by marker (`kind` holds the text after `-- atrium:kind`).
    private func sections() throws -> [String: String] {
        var sections: [String: String] = [:]
        var current: String?
        var lines: [Substring] = []
        func close() { if let current { sections[current] = lines.joined(separator: "\n") } }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("-- atrium:") else {
                lines.append(line)
                continue
            }
            let marker = trimmed.dropFirst("-- atrium:".count)
            if marker.hasPrefix("kind ") {
                sections["kind"] = String(marker.dropFirst("kind ".count))
                continue
            }
            guard ["data", "up", "down"].contains(String(marker)) else {
                throw Invalid(path: path, reason: "unknown marker `\(trimmed)`")
            }
            close()
            guard sections[String(marker)] == nil else { throw Invalid(path: path, reason: "section `\(marker)` appears twice") }
            current = String(marker)
            lines = []
        }
        close()
        return sections
    }
}
