import Foundation

/// Raw configuration: environment variables laid over the defaults kept in `config/defaults.json`.
///
/// Keys are environment-variable names (`PORT`, `PG_DATABASE_URL`, …) in both places, so the defaults
/// file doubles as the reference of every setting. An environment variable always wins over the file.
public struct ConfigurationValues: Sendable {
    /// The merged values, by variable name.
    public private(set) var values: [String: String]

    /// Creates values from an explicit dictionary (tests, embedding).
    public init(_ values: [String: String]) {
        self.values = values
    }

    /// Reads the defaults file and lays the process environment over it.
    ///
    /// The defaults file is `$ATRIUM_CONFIG_FILE` when set, else the first `config/defaults.json` found in the
    /// current directory or above the executable (so `.build/release/atrium` finds the repository's file).
    /// - Parameter environment: The environment to use; the process's by default.
    /// - Throws: ``ConfigurationError`` when the file is missing or is not a flat JSON object.
    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ConfigurationValues {
        let file = try defaultsFile(environment: environment)
        var merged = try readDefaults(at: file)
        for (key, value) in environment {
            merged[key] = value
        }
        return ConfigurationValues(merged)
    }

    /// The value of `key`, or nil when it is unset or empty.
    public subscript(key: String) -> String? {
        guard let value = values[key]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }

    /// Returns a copy with `key` set to `value`.
    public func with(_ key: String, _ value: String?) -> ConfigurationValues {
        var copy = self
        copy.values[key] = value
        return copy
    }

    // MARK: - Defaults file

    static func defaultsFile(environment: [String: String]) throws -> URL {
        if let explicit = environment["ATRIUM_CONFIG_FILE"], !explicit.isEmpty {
            let url = URL(fileURLWithPath: explicit)
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw ConfigurationError(variable: "ATRIUM_CONFIG_FILE", expected: "the path of an existing JSON file", given: explicit)
            }
            return url
        }
        if let url = ProjectFiles.locate("config/defaults.json") { return url }
        throw ConfigurationError(
            variable: "ATRIUM_CONFIG_FILE",
            expected: "the path of config/defaults.json (not found in the current folder or above the executable)"
        )
    }

    static func readDefaults(at url: URL) throws -> [String: String] {
        guard let data = FileManager.default.contents(atPath: url.path),
              let object = try? JSONDecoder().decode([String: DefaultValue].self, from: data)
        else {
            throw ConfigurationError(variable: "ATRIUM_CONFIG_FILE", expected: "a flat JSON object of strings, numbers and booleans", given: url.path)
        }
        return object.compactMapValues(\.text)
    }

    /// One scalar of the defaults file.
    private struct DefaultValue: Decodable {
        let text: String?

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                text = nil
            } else if let bool = try? container.decode(Bool.self) {
                text = bool ? "true" : "false"
            } else if let int = try? container.decode(Int.self) {
                text = String(int)
            } else if let double = try? container.decode(Double.self) {
                text = String(double)
            } else {
                text = try container.decode(String.self)
            }
        }
    }
}
