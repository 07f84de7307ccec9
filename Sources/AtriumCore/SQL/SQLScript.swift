import Logging
import PostgresNIO

/// A SQL script split into statements, for running files of trusted DDL (migrations) one statement at a time.
///
/// postgres-nio speaks the extended protocol, which takes one statement per query, so scripts are split here.
/// The splitter understands `'…'` strings, `"…"` identifiers, `$tag$…$tag$` bodies, `--` and nested `/* */` comments.
public struct SQLScript: Sendable, Hashable {
    /// The statements, trimmed, without their terminating `;`.
    public let statements: [String]

    /// Splits `text` into statements.
    public init(_ text: String) {
        statements = Self.split(text)
    }

    /// Runs every statement on `connection`, in order. Statements are trusted migration text, never user input.
    public func run(on connection: PostgresConnection, logger: Logger) async throws {
        for statement in statements {
            try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
        }
    }

    // MARK: - Splitting

    static func split(_ text: String) -> [String] {
        let chars = Array(text.unicodeScalars)
        var statements: [String] = []
        var current = String.UnicodeScalarView()
        var hasCode = false
        var index = 0

        func flush() {
            let statement = String(current).trimmingWhitespace()
            if hasCode, !statement.isEmpty { statements.append(statement) }
            current = String.UnicodeScalarView()
            hasCode = false
        }
        func copy(until end: Int) {
            current.append(contentsOf: chars[index..<min(end, chars.count)])
            index = min(end, chars.count)
        }

        while index < chars.count {
            let char = chars[index]
            let next: Unicode.Scalar? = index + 1 < chars.count ? chars[index + 1] : nil
            switch char {
            case "-" where next == "-":
                var end = index
                while end < chars.count, chars[end] != "\n" { end += 1 }
                copy(until: end)
            case "/" where next == "*":
                var depth = 0
                var end = index
                while end < chars.count {
                    if chars[end] == "/", end + 1 < chars.count, chars[end + 1] == "*" { depth += 1; end += 2; continue }
                    if chars[end] == "*", end + 1 < chars.count, chars[end + 1] == "/" {
                        depth -= 1
                        end += 2
                        if depth == 0 { break }
                        continue
                    }
                    end += 1
                }
                copy(until: end)
            case "'", "\"":
                var end = index + 1
                while end < chars.count {
                    if chars[end] == char {
                        if end + 1 < chars.count, chars[end + 1] == char { end += 2; continue }
                        end += 1
                        break
                    }
                    end += 1
                }
                hasCode = true
                copy(until: end)
            case "$":
                if let tagEnd = dollarTagEnd(chars, from: index) {
                    let tag = Array(chars[index...tagEnd])
                    var end = tagEnd + 1
                    while end < chars.count {
                        if chars[end] == "$", end + tag.count <= chars.count, Array(chars[end..<(end + tag.count)]) == tag {
                            end += tag.count
                            break
                        }
                        end += 1
                    }
                    hasCode = true
                    copy(until: end)
                } else {
                    hasCode = true
                    copy(until: index + 1)
                }
            case ";":
                index += 1
                flush()
            default:
                if !char.properties.isWhitespace { hasCode = true }
                copy(until: index + 1)
            }
        }
        flush()
        return statements
    }

    /// The index of the closing `$` of a dollar-quote tag starting at `start` (`$$` or `$tag$`), or nil.
    private static func dollarTagEnd(_ chars: [Unicode.Scalar], from start: Int) -> Int? {
        var end = start + 1
        while end < chars.count {
            let char = chars[end]
            if char == "$" { return end }
            guard char.properties.isAlphabetic || char == "_" || (end > start + 1 && ("0"..."9").contains(char)) else { return nil }
            end += 1
        }
        return nil
    }
}

extension String {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
