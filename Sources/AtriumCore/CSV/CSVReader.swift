import Foundation

/// Reads a CSV file (RFC 4180) from its bytes: works out the encoding, reads and checks the header, then hands out
/// the data rows one at a time, so a million-row file is never held as `String` cells all at once.
///
/// Usage:
/// ```swift
/// var reader = try CSVReader(bytes: upload)          // delimiter detected from the header line
/// while let row = try reader.nextRow() {
///     // row.cells.count == reader.header.count; row.line is where the record starts (the header is line 1)
/// }
/// ```
///
/// What it accepts, and the choices made where files in the wild differ:
/// - **Encoding.** UTF-8, with or without a byte-order mark. Bytes that are not valid UTF-8 mean the whole file is read
///   as Latin-1 (ISO-8859-1), unless it starts with a UTF-8 byte-order mark, which makes invalid bytes an error.
///   UTF-16 and UTF-32 (by byte-order mark) and any NUL byte are refused.
/// - **Delimiter.** `,` `;` or tab. When not given, the one that splits the header line into the most cells wins;
///   comma on ties or when there is none.
/// - **Records.** Lines end with LF, CRLF or a lone CR; the last line ending is optional. A line with nothing on it is
///   skipped but still counted in line numbers. Every record must have as many cells as the header.
/// - **Quotes.** A cell that *starts* with `"` is quoted: it runs to the next lone `"`, may hold delimiters and line
///   endings (kept as they are in the file), and `""` inside it is one `"`. After the closing quote only a delimiter,
///   a line ending or the end of the file may follow. A `"` anywhere else in a cell (`5" pipe`, or ` "a"` with a
///   leading space) is a literal character, as spreadsheets read it.
/// - **Whitespace.** Kept as it is around cells; only header names are trimmed.
/// - **Injection guard.** A leading U+200D that exports put before `=`, `+`, `-`, `@`… is left in the cells;
///   ``removingInjectionGuard(_:)`` drops it.
///
/// - Complexity: one pass over the bytes to check the encoding (plus one to transcode Latin-1), then one pass to read
///   the rows; each cell's `String` is built once.
public struct CSVReader: Sendable {
    /// The column names, trimmed of whitespace: none empty, no two the same.
    public let header: [String]
    /// The delimiter used, given or detected: `,`, `;` or tab.
    public let delimiter: UInt8
    /// The encoding the bytes were read in.
    public let encoding: CSVEncoding

    /// The file as UTF-8 (transcoded when it was Latin-1).
    private let utf8: [UInt8]
    /// Where the next record is read from.
    private var scanner: CSVScanner

    /// Decodes `bytes`, reads the header and checks it.
    /// - Parameters:
    ///   - bytes: The whole file.
    ///   - delimiter: The cell delimiter, or nil to detect `,`, `;` or tab from the header line.
    /// - Throws: ``CSVError`` when the file is empty, not in a supported encoding, or its header is malformed,
    ///   has an empty name or a name twice.
    public init(bytes: [UInt8], delimiter: UInt8? = nil) throws(CSVError) {
        let (utf8, start, encoding) = try CSVDecoding.utf8(from: bytes)
        self.utf8 = utf8
        self.encoding = encoding
        let first = utf8.withUnsafeBufferPointer { buffer in
            CSVScanner.skippingEmptyLines(CSVScanner(offset: start, delimiter: UInt8(ascii: ",")), in: buffer)
        }
        guard first.offset < utf8.count else {
            throw CSVError(line: nil, message: "The file is empty: it needs a header line with the column names")
        }
        let chosen = delimiter ?? utf8.withUnsafeBufferPointer { CSVScanner.detectDelimiter(from: first, in: $0) }
        var scanner = first
        scanner.delimiter = chosen
        var cells: [String] = []
        _ = try utf8.withUnsafeBufferPointer { (buffer) throws(CSVError) in try scanner.nextRecord(in: buffer, into: &cells) }
        self.header = try Self.validatedHeader(cells, line: first.line)
        self.delimiter = chosen
        self.scanner = scanner
    }

    /// The next data row, or nil after the last one.
    /// - Throws: ``CSVError`` naming the line when a quoted value is not closed, text follows a closing quote, or the
    ///   row has a different number of cells than the header. Reading on after an error is not supported.
    public mutating func nextRow() throws(CSVError) -> CSVRow? {
        var cells: [String] = []
        cells.reserveCapacity(header.count)
        let bytes = utf8
        let line = try bytes.withUnsafeBufferPointer { (buffer) throws(CSVError) in try scanner.nextRecord(in: buffer, into: &cells) }
        guard let line else { return nil }
        guard cells.count == header.count else {
            let values = cells.count == 1 ? "1 value" : "\(cells.count) values"
            let columns = header.count == 1 ? "1 column" : "\(header.count) columns"
            throw CSVError(line: line, message: "Line \(line): \(values), but the header has \(columns)")
        }
        return CSVRow(line: line, cells: cells)
    }

    /// `s` without one leading Zero-Width Joiner (U+200D), the guard exports put before a value that starts with
    /// `=`, `+`, `-`, `@`, tab or CR so spreadsheets don't run it as a formula.
    public static func removingInjectionGuard(_ s: String) -> String {
        let scalars = s.unicodeScalars
        guard scalars.first == "\u{200D}" else { return s }
        return String(scalars.dropFirst())
    }

    /// The header's names, trimmed, or the error for the first empty or repeated one.
    private static func validatedHeader(_ cells: [String], line: Int) throws(CSVError) -> [String] {
        var names: [String] = []
        names.reserveCapacity(cells.count)
        var columnOfName: [String: Int] = [:]
        for (index, cell) in cells.enumerated() {
            let name = cell.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !name.isEmpty else { throw CSVError(line: line, message: "Column \(index + 1) has no name") }
            if let earlier = columnOfName[name] {
                throw CSVError(line: line, message: "Duplicate column '\(name)' (columns \(earlier + 1) and \(index + 1))")
            }
            columnOfName[name] = index
            names.append(name)
        }
        return names
    }
}

// MARK: - Values

/// One data row of a CSV file.
public struct CSVRow: Sendable, Equatable {
    /// The line the record starts on (the header is line 1; empty lines count).
    public let line: Int
    /// The cells, exactly as many as the header has columns, in header order.
    public let cells: [String]

    public init(line: Int, cells: [String]) {
        self.line = line
        self.cells = cells
    }
}

/// The text encoding a CSV file was read in.
public enum CSVEncoding: Sendable, Equatable {
    /// UTF-8 without a byte-order mark.
    case utf8
    /// UTF-8 starting with the byte-order mark `EF BB BF` (as Excel's "CSV UTF-8" writes it).
    case utf8WithBOM
    /// ISO-8859-1, read because the bytes were not valid UTF-8.
    case latin1
}

/// Why a CSV file can't be read, in words for the person who uploaded it.
public struct CSVError: Error, Equatable, Sendable {
    /// The line the problem is on (the header is line 1), when it is on one.
    public let line: Int?
    /// What is wrong, naming the line when there is one: "Line 7: a quoted value is not closed".
    public let message: String

    public init(line: Int?, message: String) {
        self.line = line
        self.message = message
    }
}

extension CSVError: CustomStringConvertible {
    public var description: String { message }
}

// MARK: - Decoding

/// Turns a file's bytes into UTF-8, or refuses them.
enum CSVDecoding {
    /// The file as UTF-8, where its text starts (after a byte-order mark), and the encoding it was in.
    static func utf8(from bytes: [UInt8]) throws(CSVError) -> (bytes: [UInt8], start: Int, encoding: CSVEncoding) {
        let hasBOM = bytes.starts(with: [0xEF, 0xBB, 0xBF])
        if bytes.starts(with: [0xFF, 0xFE, 0x00, 0x00]) || bytes.starts(with: [0x00, 0x00, 0xFE, 0xFF]) {
            throw CSVError(line: nil, message: "The file is UTF-32; save it as UTF-8 CSV")
        }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            throw CSVError(line: nil, message: "The file is UTF-16; save it as UTF-8 CSV")
        }
        let scan = bytes.withUnsafeBufferPointer { scanUTF8($0) }
        if let nul = scan.firstNUL {
            if bytes.count > 1 && (bytes[0] == 0 || bytes[1] == 0) {
                throw CSVError(line: nil, message: "The file looks like UTF-16 or UTF-32 (it has NUL bytes); save it as UTF-8 CSV")
            }
            let line = lineNumber(atOffset: nul, in: bytes)
            throw CSVError(line: line, message: "Line \(line): the file contains a NUL byte, so it is not a text CSV file; save it as UTF-8 CSV")
        }
        guard let invalid = scan.firstInvalid else { return (bytes, hasBOM ? 3 : 0, hasBOM ? .utf8WithBOM : .utf8) }
        if hasBOM {
            let line = lineNumber(atOffset: invalid, in: bytes)
            throw CSVError(line: line, message: "Line \(line): the file is marked as UTF-8 but has bytes that are not UTF-8; save it as UTF-8 CSV")
        }
        return (latin1ToUTF8(bytes), 0, .latin1)
    }

    /// The offsets of the first byte that breaks UTF-8 and of the first NUL byte, if any.
    static func scanUTF8(_ p: UnsafeBufferPointer<UInt8>) -> (firstInvalid: Int?, firstNUL: Int?) {
        let count = p.count
        var i = 0
        var firstInvalid: Int?
        while i < count {
            // Eight ASCII bytes at a time, none zero.
            if let base = p.baseAddress {
                while i + 8 <= count {
                    let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                    let highBits: UInt64 = 0x8080_8080_8080_8080
                    let hasZero = (word &- 0x0101_0101_0101_0101) & ~word & highBits
                    if (word & highBits) | hasZero != 0 { break }
                    i += 8
                }
            }
            guard i < count else { break }
            let lead = p[i]
            if lead == 0 { return (firstInvalid, i) }
            if lead < 0x80 || firstInvalid != nil {
                i += 1
                continue
            }
            let length = sequenceLength(p, at: i)
            if length == 0 {
                firstInvalid = i
                i += 1
            } else {
                i += length
            }
        }
        return (firstInvalid, nil)
    }

    /// The length of the valid UTF-8 sequence (2 to 4 bytes) starting at `i` with a non-ASCII byte, or 0.
    private static func sequenceLength(_ p: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
        let lead = p[i]
        func continuation(_ offset: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> Bool {
            i + offset < p.count && (low...high).contains(p[i + offset])
        }
        switch lead {
        case 0xC2...0xDF:
            return continuation(1) ? 2 : 0
        case 0xE0:
            return continuation(1, 0xA0) && continuation(2) ? 3 : 0
        case 0xED:
            return continuation(1, 0x80, 0x9F) && continuation(2) ? 3 : 0
        case 0xE1...0xEF:
            return continuation(1) && continuation(2) ? 3 : 0
        case 0xF0:
            return continuation(1, 0x90) && continuation(2) && continuation(3) ? 4 : 0
        case 0xF1...0xF3:
            return continuation(1) && continuation(2) && continuation(3) ? 4 : 0
        case 0xF4:
            return continuation(1, 0x80, 0x8F) && continuation(2) && continuation(3) ? 4 : 0
        default:
            return 0
        }
    }

    /// Latin-1 bytes as UTF-8: each byte is the code point of the same value.
    static func latin1ToUTF8(_ bytes: [UInt8]) -> [UInt8] {
        var high = 0
        for byte in bytes where byte >= 0x80 { high += 1 }
        return [UInt8](unsafeUninitializedCapacity: bytes.count + high) { output, initialized in
            var o = 0
            for byte in bytes {
                if byte < 0x80 {
                    output[o] = byte
                    o += 1
                } else {
                    output[o] = 0xC0 | (byte >> 6)
                    output[o + 1] = 0x80 | (byte & 0x3F)
                    o += 2
                }
            }
            initialized = o
        }
    }

    /// The 1-based line holding byte `offset`, counting LF, CRLF and lone CR as line endings.
    static func lineNumber(atOffset offset: Int, in bytes: [UInt8]) -> Int {
        var line = 1
        var i = 0
        while i < offset {
            if bytes[i] == 0x0A || (bytes[i] == 0x0D && (i + 1 >= bytes.count || bytes[i + 1] != 0x0A)) { line += 1 }
            i += 1
        }
        return line
    }
}

// MARK: - Scanning

/// Reads records from UTF-8 bytes: a position, the line it is on, and the delimiter.
struct CSVScanner: Sendable {
    private static let quote = UInt8(ascii: "\"")
    private static let lf: UInt8 = 0x0A
    private static let cr: UInt8 = 0x0D

    /// The byte the next record starts at (or the empty lines before it).
    private(set) var offset: Int
    /// The line `offset` is on.
    private(set) var line = 1
    var delimiter: UInt8
    /// Reused to unescape quoted cells that hold `""`.
    private var quotedBytes: [UInt8] = []

    init(offset: Int, delimiter: UInt8) {
        self.offset = offset
        self.delimiter = delimiter
    }

    /// `scanner` moved past any empty lines.
    static func skippingEmptyLines(_ scanner: CSVScanner, in p: UnsafeBufferPointer<UInt8>) -> CSVScanner {
        var scanner = scanner
        scanner.skipEmptyLines(p)
        return scanner
    }

    /// Of `,` `;` and tab, the one that splits the record at `scanner` into the most cells (a delimiter that makes the
    /// record malformed counts as none); comma when none beats the others.
    static func detectDelimiter(from scanner: CSVScanner, in p: UnsafeBufferPointer<UInt8>) -> UInt8 {
        var best = UInt8(ascii: ",")
        var bestCells = 0
        for candidate in [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t")] {
            var trial = scanner
            trial.delimiter = candidate
            var cells: [String] = []
            guard (try? trial.nextRecord(in: p, into: &cells)) != nil else { continue }
            if cells.count > bestCells {
                best = candidate
                bestCells = cells.count
            } else if cells.count == bestCells {
                best = UInt8(ascii: ",")
            }
        }
        return best
    }

    /// Reads the next non-empty record into `cells` (replacing what they held) and returns the line it starts on, or
    /// nil at the end of the bytes.
    mutating func nextRecord(in p: UnsafeBufferPointer<UInt8>, into cells: inout [String]) throws(CSVError) -> Int? {
        skipEmptyLines(p)
        guard offset < p.count else { return nil }
        let startLine = line
        cells.removeAll(keepingCapacity: true)
        while true {
            if offset < p.count && p[offset] == Self.quote {
                cells.append(try quotedCell(p))
            } else {
                cells.append(unquotedCell(p))
            }
            guard offset < p.count else { return startLine }
            let byte = p[offset]
            if byte == delimiter {
                offset += 1
            } else if byte == Self.lf || byte == Self.cr {
                skipLineEnding(p)
                return startLine
            } else {
                throw CSVError(line: line, message: "Line \(line): unexpected text after a closing quote")
            }
        }
    }

    /// The cell from `offset` to the next delimiter or line ending, which `offset` is left at.
    private mutating func unquotedCell(_ p: UnsafeBufferPointer<UInt8>) -> String {
        let start = offset
        let delimiter = self.delimiter
        var i = offset
        while i < p.count {
            let byte = p[i]
            if byte == delimiter || byte == Self.lf || byte == Self.cr { break }
            i += 1
        }
        offset = i
        return String(decoding: UnsafeBufferPointer(rebasing: p[start..<i]), as: UTF8.self)
    }

    /// The quoted cell whose opening quote is at `offset`, unescaped; `offset` is left after its closing quote.
    private mutating func quotedCell(_ p: UnsafeBufferPointer<UInt8>) throws(CSVError) -> String {
        let openingLine = line
        var i = offset + 1
        var segment = i
        var escaped = false
        while i < p.count {
            let byte = p[i]
            if byte == Self.quote {
                if i + 1 < p.count && p[i + 1] == Self.quote {
                    if !escaped { quotedBytes.removeAll(keepingCapacity: true) }
                    escaped = true
                    quotedBytes.append(contentsOf: UnsafeBufferPointer(rebasing: p[segment...i]))
                    i += 2
                    segment = i
                    continue
                }
                offset = i + 1
                let tail = UnsafeBufferPointer(rebasing: p[segment..<i])
                guard escaped else { return String(decoding: tail, as: UTF8.self) }
                quotedBytes.append(contentsOf: tail)
                return String(decoding: quotedBytes, as: UTF8.self)
            }
            if byte == Self.lf || (byte == Self.cr && (i + 1 == p.count || p[i + 1] != Self.lf)) { line += 1 }
            i += 1
        }
        throw CSVError(line: openingLine, message: "Line \(openingLine): a quoted value is not closed")
    }

    /// Moves past the LF, CRLF or CR at `offset`.
    private mutating func skipLineEnding(_ p: UnsafeBufferPointer<UInt8>) {
        if p[offset] == Self.cr && offset + 1 < p.count && p[offset + 1] == Self.lf { offset += 1 }
        offset += 1
        line += 1
    }

    /// Moves past line endings with nothing between them.
    private mutating func skipEmptyLines(_ p: UnsafeBufferPointer<UInt8>) {
        while offset < p.count && (p[offset] == Self.lf || p[offset] == Self.cr) { skipLineEnding(p) }
    }
}
