/// A request's query string read as `application/x-www-form-urlencoded`: `+` is a space and `%XX` a byte, in names
/// and values alike. That is how Twenty's server (Express) reads it, and how clients built on it encode a space
/// (httpx, `requests` and `URLSearchParams` send `filter=name[eq]:Acme+Inc`); a literal `+` arrives as `%2B`.
///
/// ```swift
/// QueryString("filter=name%5Beq%5D%3AAcme+Inc&limit=5")["filter"]   // "name[eq]:Acme Inc"
/// ```
struct QueryString: Sendable {
    private let pairs: [(name: String, value: String)]

    init(_ query: String?) {
        pairs = (query ?? "").split(separator: "&", omittingEmptySubsequences: true).map { pair in
            guard let equals = pair.firstIndex(of: "=") else { return (Self.decode(pair), "") }
            return (Self.decode(pair[..<equals]), Self.decode(pair[pair.index(after: equals)...]))
        }
    }

    /// The first value given for `name`.
    subscript(name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    /// Every value given for `name`, in order.
    func all(_ name: String) -> [String] {
        pairs.filter { $0.name == name }.map(\.value)
    }

    /// `+` as a space, then `%XX` escapes as bytes (UTF-8). A malformed escape, or bytes that are not UTF-8, are kept
    /// as they were sent, so the parameter's own check names the value.
    static func decode(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var input = Array(text.utf8)[...]
        while let byte = input.popFirst() {
            switch byte {
            case UInt8(ascii: "+"):
                bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                if input.count >= 2, let high = hexValue(input[input.startIndex]), let low = hexValue(input[input.startIndex + 1]) {
                    bytes.append(high << 4 | low)
                    input = input.dropFirst(2)
                } else {
                    bytes.append(byte)
                }
            default:
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self) ?? String(text)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
