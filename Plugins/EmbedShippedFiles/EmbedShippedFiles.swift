import Foundation
import PackagePlugin

/// Embeds the files Atrium ships into the target as generated Swift source, so a lone `atrium` binary runs `serve` and
/// `upgrade` from any folder:
/// - into AtriumCore, `config/defaults.json` and every upgrade command in `Migrations/` (`ShippedFiles`);
/// - into AtriumHTTP, the console's templates and assets below `Sources/AtriumHTTP/Console/Files/` (`ConsoleFiles`).
///
/// The command's arguments list every file, so adding, changing or removing one rebuilds the source.
@main
struct EmbedShippedFiles: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let root = context.package.directoryURL
        if target.name == "AtriumHTTP" { return try consoleCommands(context: context, root: root) }
        let relativePaths = ["config/defaults.json"] + (try Self.migrationFiles(in: root.appending(path: "Migrations")))
        let output = context.pluginWorkDirectoryURL.appending(path: "ShippedFiles.swift")
        return [
            .buildCommand(
                displayName: "Embedding config/defaults.json and \(relativePaths.count - 1) migration file(s) into \(target.name)",
                executable: try context.tool(named: "embed-shipped-files").url,
                arguments: [output.path(percentEncoded: false), root.path(percentEncoded: false)] + relativePaths,
                inputFiles: relativePaths.map { root.appending(path: $0) },
                outputFiles: [output]
            )
        ]
    }

    /// The command embedding the console's files (`Sources/AtriumHTTP/Console/Files/**`) as `ConsoleFiles`.
    func consoleCommands(context: PluginContext, root: URL) throws -> [Command] {
        let folder = "Sources/AtriumHTTP/Console/Files"
        let files = FileManager.default
        var relativePaths: [String] = []
        if let walker = files.enumerator(atPath: root.appending(path: folder).path(percentEncoded: false)) {
            while let name = walker.nextObject() as? String {
                let path = folder + "/" + name
                var isFolder: ObjCBool = false
                if !name.split(separator: "/").contains(where: { $0.hasPrefix(".") }),
                   files.fileExists(atPath: root.appending(path: path).path(percentEncoded: false), isDirectory: &isFolder), !isFolder.boolValue {
                    relativePaths.append(path)
                }
            }
        }
        relativePaths.sort()
        let output = context.pluginWorkDirectoryURL.appending(path: "ConsoleFiles.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(relativePaths.count) console file(s) into AtriumHTTP",
                executable: try context.tool(named: "embed-shipped-files").url,
                arguments: ["--console", output.path(percentEncoded: false), root.path(percentEncoded: false), folder] + relativePaths,
                inputFiles: relativePaths.map { root.appending(path: $0) },
                outputFiles: [output]
            )
        ]
    }

    /// `Migrations/<version>/*.sql` and `Migrations/<version>/workspace/*.sql`, relative to the package, sorted.
    static func migrationFiles(in folder: URL) throws -> [String] {
        let files = FileManager.default
        guard files.fileExists(atPath: folder.path(percentEncoded: false)) else { return [] }
        var found: [String] = []
        for version in try files.contentsOfDirectory(atPath: folder.path(percentEncoded: false)).filter({ !$0.hasPrefix(".") }).sorted() {
            for sub in ["", "/workspace"] {
                let path = folder.appending(path: version + sub).path(percentEncoded: false)
                guard let names = try? files.contentsOfDirectory(atPath: path) else { continue }
                found += names.filter { $0.hasSuffix(".sql") }.sorted().map { "Migrations/\(version)\(sub)/\($0)" }
            }
        }
        return found
    }
}
