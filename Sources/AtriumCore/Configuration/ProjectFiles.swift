import Foundation

/// Finds files of the source checkout a binary was built from (`Migrations/`, for `atrium migrate generate`).
/// What the binary needs to run is embedded in it (``ShippedFiles``) and never looked up here.
///
/// Looks in the current folder, then in the executable's folder and up to six folders above it, so both
/// `atrium` run from the repository and `.build/release/atrium` run from anywhere find the repository's files.
public enum ProjectFiles {
    /// The first existing `relativePath` in the search folders, or nil.
    public static func locate(_ relativePath: String) -> URL? {
        for base in searchFolders {
            let url = base.appendingPathComponent(relativePath)
            if FileManager.default.fileExists(atPath: url.path) { return url }
        }
        return nil
    }

    static var searchFolders: [URL] {
        var folders = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath)]
        var folder = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<7 {
            folders.append(folder)
            folder = folder.deletingLastPathComponent()
        }
        return folders
    }
}
