import Foundation

/// Where upgrade commands come from: the `Migrations/` files embedded in the binary at build time, or folders on disk.
///
/// `ATRIUM_MIGRATIONS_DIR` (colon-separated folders), when set, replaces the embedded files; otherwise the binary runs
/// the commands it was built with, wherever it is run from.
public enum MigrationDirectory {
    /// The commands this binary runs: those of `ATRIUM_MIGRATIONS_DIR`'s folders when set, else the embedded ones.
    /// - Throws: `MigrationFile.Invalid` naming a malformed file or version folder.
    public static func shippedCommands(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> [UpgradeCommand] {
        if let folders = overridingFolders(environment: environment) { return try commands(in: folders) }
        return try embeddedFiles().map { try $0.command() }
    }

    /// The folder `atrium migrate generate` writes to: `ATRIUM_MIGRATIONS_DIR`'s first folder when set, else the
    /// source checkout's `Migrations/` (found from the current folder or above the executable).
    /// - Throws: ``ConfigurationError`` when there is none (a binary run outside a checkout).
    public static func sourceFolder(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> URL {
        if let first = overridingFolders(environment: environment)?.first { return first }
        guard let found = ProjectFiles.locate("Migrations") else {
            throw ConfigurationError(variable: "ATRIUM_MIGRATIONS_DIR",
                                     expected: "the path of the source checkout's Migrations folder (none found here or above the executable)")
        }
        return found
    }

    /// Every command in `folders`.
    /// - Throws: `MigrationFile.Invalid` naming a malformed file or version folder.
    public static func commands(in folders: [URL]) throws -> [UpgradeCommand] {
        try folders.flatMap { try files(in: $0) }.map { try $0.command() }
    }

    /// `ATRIUM_MIGRATIONS_DIR` as folders, or nil when it is unset or empty.
    static func overridingFolders(environment: [String: String]) -> [URL]? {
        guard let explicit = environment["ATRIUM_MIGRATIONS_DIR"], !explicit.isEmpty else { return nil }
        return explicit.split(separator: ":").map { URL(fileURLWithPath: String($0)) }
    }

    /// The files embedded at build time (``ShippedFiles``), laid out as in `Migrations/`.
    static func embeddedFiles() throws -> [MigrationFile] {
        try ShippedFiles.migrations.map { file in
            let parts = file.path.split(separator: "/").map(String.init)
            let display = "Migrations/" + file.path
            guard let folder = parts.first, let version = SemanticVersion(folder) else {
                throw MigrationFile.Invalid(path: display, reason: "version folders must be named major.minor.patch")
            }
            let isWorkspace = parts.count == 3 && parts[1] == "workspace"
            return try MigrationFile(path: display, text: file.text, version: version, isWorkspace: isWorkspace)
        }
    }

    /// Every migration file of one folder (missing: none).
    static func files(in folder: URL) throws -> [MigrationFile] {
        let files = FileManager.default
        guard files.fileExists(atPath: folder.path) else { return [] }
        var found: [MigrationFile] = []
        let versions = try files.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix(".") }.sorted()
        for name in versions {
            let versionFolder = folder.appendingPathComponent(name)
            guard let version = SemanticVersion(name) else {
                throw MigrationFile.Invalid(path: versionFolder.path, reason: "version folders must be named major.minor.patch")
            }
            found += try sqlFiles(in: versionFolder).map { try MigrationFile(url: $0, version: version, isWorkspace: false) }
            let workspaceFolder = versionFolder.appendingPathComponent("workspace")
            if files.fileExists(atPath: workspaceFolder.path) {
                found += try sqlFiles(in: workspaceFolder).map { try MigrationFile(url: $0, version: version, isWorkspace: true) }
            }
        }
        return found
    }

    private static func sqlFiles(in folder: URL) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".sql") }
            .sorted()
            .map { folder.appendingPathComponent($0) }
    }
}
