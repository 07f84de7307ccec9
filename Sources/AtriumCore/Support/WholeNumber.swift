/// Turns numbers that input carries (JSON numbers, GraphQL numbers, digits in a cursor) into `Int`s without trapping.
///
/// `Int(someDouble)` crashes the whole process on NaN, ±infinity or a value beyond `Int`'s range (`1e300`), and
/// `Int(text)` accepts any 64-bit value that later arithmetic can overflow. Every conversion of input to an integer goes
/// through here: a value that is not a whole number within the range the caller allows is `nil`, or a 400.
///
/// ```swift
/// let position = try WholeNumber.required(option["position"], "options[0].position", in: WholeNumber.int32)
/// ```
public enum WholeNumber {
    /// PostgreSQL's `integer` (and GraphQL's `Int`): −2147483648 to 2147483647.
    public static let int32 = Int(Int32.min)...Int(Int32.max)
    /// The integers a `double precision` column (and a JavaScript number) holds exactly: ±(2^53 − 1).
    public static let exactInDouble = -(1 << 53 - 1)...(1 << 53 - 1)

    /// `number` as an `Int` when it is whole and within `range`; nil for a fraction, NaN, ±infinity or a value outside
    /// `range`. `-0` is 0.
    public static func exact(_ number: Double, in range: ClosedRange<Int>) -> Int? {
        guard let value = Int(exactly: number), range.contains(value) else { return nil }
        return value
    }

    /// `value` as an `Int`, or a 400 naming `name` when it is not a JSON number that is whole and within `range`.
    /// - Throws: ``AtriumError`` `.validationFailed`.
    public static func required(_ value: JSONValue, _ name: String, in range: ClosedRange<Int>) throws -> Int {
        guard case .number(let number) = value, let whole = exact(number, in: range) else {
            throw outOfRange(name, range)
        }
        return whole
    }

    /// Like ``required(_:_:in:)`` for a value that may be absent: nil for a missing key or JSON `null`.
    /// - Throws: ``AtriumError`` `.validationFailed`.
    public static func optional(_ value: JSONValue?, _ name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let value, value != .null else { return nil }
        return try required(value, name, in: range)
    }

    /// The 400 for a value that is not a whole number within `range`.
    public static func outOfRange(_ name: String, _ range: ClosedRange<Int>) -> AtriumError {
        AtriumError(.validationFailed, "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
    }
}
