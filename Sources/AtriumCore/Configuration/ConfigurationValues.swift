import Foundation

/// Raw configuration: environment variables laid over the defaults of `config/defaults.json`.
///
/// Keys are environment-variable names (`PORT`, `PG_DATABASE_URL`, …) in both places, so the defaults
/// file doubles as the reference of every setting. The file is embedded in the binary at build time
/// (``ShippedFiles``), so a lone binary needs no file beside it. Precedence, lowest first: the embedded
/// defaults, the file named by `ATRIUM_CONFIG_FILE` (when set), the environment.
public struct ConfigurationValues: Sendable {
    /// The merged values, by variable name.
    public private(set) var values: [String: String]

    /// Creates values from an explicit dictionary (tests, embedding).
    public init(_ values: [String: String]) {
        self.values = values
    }

    /// Lays `$ATRIUM_CONFIG_FILE` (when set) over the embedded defaults, and the environment over both.
    /// - Parameter environment: The environment to use; the process's by default.
    /// - Throws: ``ConfigurationError`` when `ATRIUM_CONFIG_FILE` names a missing file or one that is not a flat JSON object.
    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ConfigurationValues {
        var merged = try embeddedDefaults()
        if let file = try defaultsFile(environment: environment) {
            merged.merge(try readDefaults(at: file)) { _, fromFile in fromFile }
        }
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

    /// `$ATRIUM_CONFIG_FILE`, or nil when it is unset or empty.
    static func defaultsFile(environment: [String: String]) throws -> URL? {
        guard let explicit = environment["ATRIUM_CONFIG_FILE"], !explicit.isEmpty else { return nil }
        let url = URL(fileURLWithPath: explicit)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw ConfigurationError(variable: "ATRIUM_CONFIG_FILE", expected: "the path of an existing JSON file", given: explicit)
        }
        return url
    }

    /// The `config/defaults.json` this binary was built with.
    static func embeddedDefaults() throws -> [String: String] {
        guard let values = parseDefaults(Data(ShippedFiles.defaults.utf8)) else {
            throw ConfigurationError(
                variable: "ATRIUM_CONFIG_FILE",
                expected: "the path of a defaults file (the embedded config/defaults.json is not a flat JSON object)"
            )
        }
        return values
    }

    static func readDefaults(at url: URL) throws -> [String: String] {
        guard let data = FileManager.default.contents(atPath: url.path), let values = parseDefaults(data) else {
            throw ConfigurationError(variable: "ATRIUM_CONFIG_FILE", expected: "a flat JSON object of strings, numbers and booleans", given: url.path)
        }
        return values
    }

    private static func parseDefaults(_ data: Data) -> [String: String]? {
        (try? JSONDecoder().decode([String: DefaultValue].self, from: data))?.compactMapValues(\.text)
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
