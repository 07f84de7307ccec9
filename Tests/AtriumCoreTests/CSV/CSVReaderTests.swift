import Testing

@testable import AtriumCore

/// The CSV import's reader: encodings, RFC 4180 syntax, line numbers and the errors a person uploading a file sees.
@Suite struct CSVReaderTests {
    // MARK: - Helpers

    /// The reader for `bytes` and all its rows.
    private func read(bytes: [UInt8], delimiter: UInt8? = nil) throws(CSVError) -> (reader: CSVReader, rows: [CSVRow]) {
        var reader = try CSVReader(bytes: bytes, delimiter: delimiter)
        var rows: [CSVRow] = []
        while let row = try reader.nextRow() { rows.append(row) }
        return (reader, rows)
    }

    private func read(_ text: String, delimiter: UInt8? = nil) throws(CSVError) -> (reader: CSVReader, rows: [CSVRow]) {
        try read(bytes: Array(text.utf8), delimiter: delimiter)
    }

    // MARK: - Rows

    @Test func readsPlainRows() throws {
        let (reader, rows) = try read("Name,City,Age\nAnn,Paris,31\nBob,Lyon,\n")
        #expect(reader.header == ["Name", "City", "Age"])
        #expect(reader.encoding == .utf8)
        #expect(reader.delimiter == UInt8(ascii: ","))
        #expect(rows == [CSVRow(line: 2, cells: ["Ann", "Paris", "31"]), CSVRow(line: 3, cells: ["Bob", "Lyon", ""])])
    }

    @Test func quotedCellsHoldDelimitersLineBreaksAndEscapedQuotes() throws {
        let text = "A,B,C\n\"x, y\",\"line one\nline two\",\"say \"\"hi\"\"\"\n\"\",\"\"\"\",z\nlast,\"a\"\"\",\"\"\"b\"\n"
        let (_, rows) = try read(text)
        #expect(
            rows == [
                CSVRow(line: 2, cells: ["x, y", "line one\nline two", "say \"hi\""]),
                CSVRow(line: 4, cells: ["", "\"", "z"]),
                CSVRow(line: 5, cells: ["last", "a\"", "\"b"]),
            ])
    }

    @Test func aQuoteInsideAnUnquotedCellIsLiteral() throws {
        let (_, rows) = try read("Item,Note\n5\" pipe,a \"b\" c\n \"x\",y\n")
        #expect(rows.map(\.cells) == [["5\" pipe", "a \"b\" c"], [" \"x\"", "y"]])
    }

    @Test func whitespaceAroundCellsIsKeptButHeaderNamesAreTrimmed() throws {
        let (reader, rows) = try read(" Name ,\tCity\n  Ann , Paris\t\n")
        #expect(reader.header == ["Name", "City"])
        #expect(rows.map(\.cells) == [["  Ann ", " Paris\t"]])
    }

    // MARK: - Line endings

    @Test func readsCRLFEndings() throws {
        let (reader, rows) = try read("A,B\r\n1,2\r\n\"x\r\ny\",3\r\n4,5\r\n")
        #expect(reader.header == ["A", "B"])
        #expect(rows == [CSVRow(line: 2, cells: ["1", "2"]), CSVRow(line: 3, cells: ["x\r\ny", "3"]), CSVRow(line: 5, cells: ["4", "5"])])
    }

    @Test func readsLoneCREndings() throws {
        let (reader, rows) = try read("A,B\r1,2\r\"x\ry\",3\r\r4,5")
        #expect(reader.header == ["A", "B"])
        #expect(rows == [CSVRow(line: 2, cells: ["1", "2"]), CSVRow(line: 3, cells: ["x\ry", "3"]), CSVRow(line: 6, cells: ["4", "5"])])
    }

    @Test func theLastLineNeedsNoLineEnding() throws {
        let (_, rows) = try read("A,B\n1,2\n3,\"4\"")
        #expect(rows == [CSVRow(line: 2, cells: ["1", "2"]), CSVRow(line: 3, cells: ["3", "4"])])
        let (_, trailingDelimiter) = try read("A,B\n1,")
        #expect(trailingDelimiter == [CSVRow(line: 2, cells: ["1", ""])])
    }

    @Test func emptyLinesAreSkippedButCounted() throws {
        let (reader, rows) = try read("\nA,B\n\n1,2\r\n\r\n\r\n3,4\n\n\n")
        #expect(reader.header == ["A", "B"])
        #expect(rows == [CSVRow(line: 4, cells: ["1", "2"]), CSVRow(line: 7, cells: ["3", "4"])])
        // A line of spaces is not empty: it is a row, and here a ragged one.
        #expect(throws: CSVError(line: 3, message: "Line 3: 1 value, but the header has 2 columns")) { try read("A,B\n1,2\n \n") }
    }

    @Test func aHeaderOnlyFileHasNoRows() throws {
        for text in ["A,B", "A,B\n", "A,B\r\n\r\n"] {
            let (reader, rows) = try read(text)
            #expect(reader.header == ["A", "B"])
            #expect(rows.isEmpty)
        }
    }

    // MARK: - Encodings

    @Test func skipsAUTF8ByteOrderMark() throws {
        let (reader, rows) = try read(bytes: [0xEF, 0xBB, 0xBF] + Array("Name,Ville\nZoë,Orléans\n".utf8))
        #expect(reader.encoding == .utf8WithBOM)
        #expect(reader.header == ["Name", "Ville"])
        #expect(rows == [CSVRow(line: 2, cells: ["Zoë", "Orléans"])])
    }

    @Test func bytesThatAreNotUTF8AreReadAsLatin1() throws {
        // "Ville\nOrl\u{E9}ans,\u{A3}5\n" in ISO-8859-1.
        let bytes = Array("Ville,Prix\nOrl".utf8) + [0xE9] + Array("ans,".utf8) + [0xA3] + Array("5\n".utf8)
        let (reader, rows) = try read(bytes: bytes)
        #expect(reader.encoding == .latin1)
        #expect(rows == [CSVRow(line: 2, cells: ["Orléans", "£5"])])
    }

    @Test func invalidUTF8AfterAByteOrderMarkIsRefused() {
        let bytes = [0xEF, 0xBB, 0xBF] + Array("A\nok\nOrl".utf8) + [0xE9] + Array("ans\n".utf8)
        #expect(throws: CSVError(line: 3, message: "Line 3: the file is marked as UTF-8 but has bytes that are not UTF-8; save it as UTF-8 CSV")) {
            try read(bytes: bytes)
        }
    }

    @Test func refusesUTF16AndUTF32() {
        let utf16 = CSVError(line: nil, message: "The file is UTF-16; save it as UTF-8 CSV")
        #expect(throws: utf16) { try read(bytes: [0xFF, 0xFE, 0x41, 0x00, 0x0A, 0x00]) }
        #expect(throws: utf16) { try read(bytes: [0xFE, 0xFF, 0x00, 0x41, 0x00, 0x0A]) }
        let utf32 = CSVError(line: nil, message: "The file is UTF-32; save it as UTF-8 CSV")
        #expect(throws: utf32) { try read(bytes: [0xFF, 0xFE, 0x00, 0x00, 0x41, 0x00, 0x00, 0x00]) }
        // UTF-16 without a byte-order mark shows itself by its NUL bytes.
        #expect(throws: CSVError(line: nil, message: "The file looks like UTF-16 or UTF-32 (it has NUL bytes); save it as UTF-8 CSV")) {
            try read(bytes: [0x41, 0x00, 0x2C, 0x00, 0x42, 0x00])
        }
    }

    @Test func refusesANULByte() {
        #expect(throws: CSVError(line: 3, message: "Line 3: the file contains a NUL byte, so it is not a text CSV file; save it as UTF-8 CSV")) {
            try read(bytes: Array("A,B\n1,2\n3,".utf8) + [0x00] + Array("4\n".utf8))
        }
        // Also in a file that is otherwise Latin-1.
        #expect(throws: CSVError.self) { try read(bytes: Array("A\n".utf8) + [0xE9, 0x0A, 0x00]) }
    }

    // MARK: - Malformed records

    @Test func anUnclosedQuoteNamesTheLineItStartsOn() {
        #expect(throws: CSVError(line: 3, message: "Line 3: a quoted value is not closed")) { try read("A,B\n1,2\n3,\"four\n") }
        #expect(throws: CSVError(line: 3, message: "Line 3: a quoted value is not closed")) { try read("A,B\n1,2\n3,\"four\nfive\r\nsix,7\n8,9") }
        // The quote that is not closed opens on the record's second line.
        #expect(throws: CSVError(line: 3, message: "Line 3: a quoted value is not closed")) { try read("A,B,C\n\"x\ny\",\"z\n") }
        #expect(throws: CSVError(line: 1, message: "Line 1: a quoted value is not closed")) { try read("\"A,B\n1,2\n") }
    }

    @Test func textAfterAClosingQuoteIsRefused() {
        #expect(throws: CSVError(line: 3, message: "Line 3: unexpected text after a closing quote")) { try read("A,B\n1,2\n\"abc\"x,2\n") }
        #expect(throws: CSVError(line: 3, message: "Line 3: unexpected text after a closing quote")) { try read("A,B\n1,2\n1,\"abc\" \n") }
        // Named on the line the closing quote is on.
        #expect(throws: CSVError(line: 4, message: "Line 4: unexpected text after a closing quote")) { try read("A,B\n1,2\n\"a\nb\"c,2\n") }
    }

    @Test func aRowWithTheWrongNumberOfCellsNamesItsLine() throws {
        #expect(throws: CSVError(line: 12, message: "Line 12: 5 values, but the header has 4 columns")) {
            try read("A,B,C,D\n" + String(repeating: "1,2,3,4\n", count: 10) + "1,2,3,4,5\n")
        }
        #expect(throws: CSVError(line: 3, message: "Line 3: 2 values, but the header has 3 columns")) { try read("A,B,C\n1,2,3\n1,\"2\n\"\n") }
        // Rows before the bad one are still handed out.
        var reader = try CSVReader(bytes: Array("A\n1\n2,3\n".utf8))
        #expect(try reader.nextRow() == CSVRow(line: 2, cells: ["1"]))
        #expect(throws: CSVError(line: 3, message: "Line 3: 2 values, but the header has 1 column")) { try reader.nextRow() }
    }

    // MARK: - Header

    @Test func anEmptyFileIsRefused() {
        let empty = CSVError(line: nil, message: "The file is empty: it needs a header line with the column names")
        #expect(throws: empty) { try read("") }
        #expect(throws: empty) { try read("\n\r\n\r") }
        #expect(throws: empty) { try read(bytes: [0xEF, 0xBB, 0xBF]) }
    }

    @Test func duplicateColumnNamesAreRefused() throws {
        #expect(throws: CSVError(line: 1, message: "Duplicate column 'Name' (columns 2 and 5)")) { try read("Id,Name,City,Age, Name \n") }
        // Compared case-sensitively.
        let (reader, _) = try read("name,Name\n")
        #expect(reader.header == ["name", "Name"])
    }

    @Test func emptyColumnNamesAreRefused() {
        #expect(throws: CSVError(line: 1, message: "Column 3 has no name")) { try read("A,B,,D\n1,2,3,4\n") }
        #expect(throws: CSVError(line: 1, message: "Column 2 has no name")) { try read("A,  \n") }
        #expect(throws: CSVError(line: 1, message: "Column 3 has no name")) { try read("A,B,\n") }
    }

    // MARK: - Delimiters

    @Test func detectsSemicolonsAndTabs() throws {
        let (semicolons, semicolonRows) = try read("Name;Amount;Note\nAnn;1,5;\"a;b\"\n")
        #expect(semicolons.delimiter == UInt8(ascii: ";"))
        #expect(semicolons.header == ["Name", "Amount", "Note"])
        #expect(semicolonRows.map(\.cells) == [["Ann", "1,5", "a;b"]])

        let (tabs, tabRows) = try read("Name\tNote\nAnn\tx, y; z\n")
        #expect(tabs.delimiter == UInt8(ascii: "\t"))
        #expect(tabRows.map(\.cells) == [["Ann", "x, y; z"]])
    }

    @Test func detectionCountsOnlyDelimitersOutsideQuotesAndPrefersComma() throws {
        // Three semicolons inside quotes, one comma outside.
        let (quoted, _) = try read("\"a;b;c;d\",e\n")
        #expect(quoted.delimiter == UInt8(ascii: ","))
        #expect(quoted.header == ["a;b;c;d", "e"])
        // A tie, and no delimiter at all.
        #expect(try read("a,b;c\n").reader.delimiter == UInt8(ascii: ","))
        #expect(try read("a;b\tc\n").reader.delimiter == UInt8(ascii: ","))
        #expect(try read("Name\nAnn\n").reader.delimiter == UInt8(ascii: ","))
        // A given delimiter is used as is.
        let (given, rows) = try read("A;B,C\n1;2,3\n", delimiter: UInt8(ascii: ","))
        #expect(given.header == ["A;B", "C"])
        #expect(rows.map(\.cells) == [["1;2", "3"]])
    }

    // MARK: - Injection guard

    @Test func removingInjectionGuardDropsOneLeadingZeroWidthJoiner() throws {
        #expect(CSVReader.removingInjectionGuard("\u{200D}=SUM(A1)") == "=SUM(A1)")
        #expect(CSVReader.removingInjectionGuard("\u{200D}\u{200D}-1") == "\u{200D}-1")
        #expect(CSVReader.removingInjectionGuard("a\u{200D}b") == "a\u{200D}b")
        #expect(CSVReader.removingInjectionGuard("") == "")
        // The reader itself leaves it in place.
        let (_, rows) = try read("A\n\u{200D}+33 1 23\n")
        #expect(rows.map(\.cells) == [["\u{200D}+33 1 23"]])
    }
}
