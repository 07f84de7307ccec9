import Foundation

/// The top-level members of a JSON object as raw text, found by one scan that skips over values without decoding
/// them: how the worker reads an event's header and hands its record images on untouched (to PostgreSQL, into a
/// webhook body), instead of decoding every event into a tree and encoding it again (which took most of a worker's
/// CPU).
///
/// The scan checks structure (strings, nesting, separators), not every detail of the grammar inside a value: a value
/// handed on goes to PostgreSQL's `::jsonb`, which does.
public enum RawJSON {
    /// Not a JSON object, or not one this scan can read.
    public struct Malformed: Error, CustomStringConvertible {
        public let offset: Int
        public var description: String { "malformed JSON object at byte \(offset)" }
    }

    /// Each top-level member of the object in `bytes`: its key (unescaped) and its value's raw text.
    /// - Throws: ``Malformed`` when `bytes` is not an object.
    public static func members(of bytes: some Collection<UInt8>) throws -> [String: Substring] {
        let text = String(decoding: bytes, as: UTF8.self)
        return try members(of: Substring(text))
    }

    /// ``members(of:)-(Collection<UInt8>)`` of a string.
    public static func members(of text: Substring) throws -> [String: Substring] {
        let utf8 = text.utf8
        var index = utf8.startIndex
        func fail() -> Malformed { Malformed(offset: utf8.distance(from: utf8.startIndex, to: index)) }
        func skipSpace() {
            while index < utf8.endIndex, [0x20, 0x0A, 0x0D, 0x09].contains(utf8[index]) { index = utf8.index(after: index) }
        }
        func byte() -> UInt8? { index < utf8.endIndex ? utf8[index] : nil }
        /// Moves past the string starting at `index` (at its quote).
        func skipString() throws {
            index = utf8.index(after: index)
            while let current = byte() {
                index = utf8.index(after: index)
                if current == UInt8(ascii: "\\") {
                    guard byte() != nil else { throw fail() }
                    index = utf8.index(after: index)
                } else if current == UInt8(ascii: "\"") {
                    return
                }
            }
            throw fail()
        }
        /// Moves past the value starting at `index`.
        func skipValue() throws {
            guard let first = byte() else { throw fail() }
            switch first {
            case UInt8(ascii: "\""):
                try skipString()
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                var depth = 0
                while let current = byte() {
                    switch current {
                    case UInt8(ascii: "\""):
                        try skipString()
                        continue
                    case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                    case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
                    default: break
                    }
                    index = utf8.index(after: index)
                    if depth == 0 { return }
                }
                throw fail()
            default:
                // A number, true, false or null: up to the next separator.
                let start = index
                while let current = byte(), ![UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x0A, 0x0D, 0x09].contains(current) {
                    index = utf8.index(after: index)
                }
                if index == start { throw fail() }
            }
        }

        skipSpace()
        guard byte() == UInt8(ascii: "{") else { throw fail() }
        index = utf8.index(after: index)
        var members: [String: Substring] = [:]
        skipSpace()
        if byte() == UInt8(ascii: "}") { return members }
        while true {
            skipSpace()
            guard byte() == UInt8(ascii: "\"") else { throw fail() }
            let keyStart = index
            try skipString()
            let key = try string(text[keyStart..<index])
            skipSpace()
            guard byte() == UInt8(ascii: ":") else { throw fail() }
            index = utf8.index(after: index)
            skipSpace()
            let valueStart = index
            try skipValue()
            members[key] = text[valueStart..<index]
            skipSpace()
            switch byte() {
            case UInt8(ascii: ","): index = utf8.index(after: index)
            case UInt8(ascii: "}"): return members
            default: throw fail()
            }
        }
    }

    /// The string a raw JSON string token (with its quotes) stands for.
    /// - Throws: ``Malformed`` when `token` is not a JSON string.
    public static func string(_ token: Substring) throws -> String {
        guard token.count >= 2, token.first == "\"", token.last == "\"" else { throw Malformed(offset: 0) }
        let inner = token.dropFirst().dropLast()
        if !inner.utf8.contains(UInt8(ascii: "\\")) { return String(inner) }
        do {
            return try JSONDecoder().decode(String.self, from: Data(token.utf8))
        } catch {
            throw Malformed(offset: 0)
        }
    }

    /// `value` as a JSON string token: quoted, with `"`, `\` and control characters escaped (`/` is not).
    public static func quoted(_ value: String) -> String {
        if !value.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            return "\"" + value + "\""
        }
        var result = "\""
        result.reserveCapacity(value.utf8.count + 2)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case let control where control.value < 0x20:
                result += "\\u" + String(repeating: "0", count: 4 - String(control.value, radix: 16).count) + String(control.value, radix: 16)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
