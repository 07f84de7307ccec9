/// A configuration value is missing or malformed.
///
/// Its ``description`` is one line that names the variable and the form it expects,
/// which is what the CLI prints before exiting non-zero.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The environment variable (or `config/` key) at fault.
    public var variable: String
    /// The expected form, in words (`"an integer from 1 to 65535"`).
    public var expected: String
    /// The value that was given, when there was one and it is not secret.
    public var given: String?

    /// Creates an error for `variable`.
    public init(variable: String, expected: String, given: String? = nil) {
        self.variable = variable
        self.expected = expected
        self.given = given
    }

    public var description: String {
        if let given {
            return "\(variable) must be \(expected) (got \"\(given)\")"
        }
        return "\(variable) must be set: \(expected)"
    }
}
