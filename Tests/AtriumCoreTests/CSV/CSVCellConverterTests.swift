@testable import AtriumCore
import Testing

/// What the import reads from a cell: amounts moved to micros without binary rounding, trimmed text, calendar dates.
@Suite struct CSVCellConverterTests {
    @Test func amountsBecomeMicrosByMovingTheDecimalPoint() {
        #expect(CSVCellConverter.micros("12.5") == "12500000")
        #expect(CSVCellConverter.micros("0.000001") == "1")
        #expect(CSVCellConverter.micros("-3") == "-3000000")
        #expect(CSVCellConverter.micros("+7") == "7000000")
        #expect(CSVCellConverter.micros("1.1234567") == "1123456.7")
        #expect(CSVCellConverter.micros(".5") == "500000")
        #expect(CSVCellConverter.micros("5.") == "5000000")
        #expect(CSVCellConverter.micros("0.1") == "100000", "0.1 is exact here, unlike a double")
        #expect(CSVCellConverter.micros("1.5e3") == "1500000000")
        for bad in ["abc", ".", "1.2.3", "", "12a", "1,5", "--1", "1e"] {
            #expect(CSVCellConverter.micros(bad) == nil, "\(bad)")
        }
    }

    @Test func trimmingKeepsTextWithoutSurroundingSpace() {
        #expect(CSVCellConverter.trimmed("Acme") == "Acme")
        #expect(CSVCellConverter.trimmed("  Acme Inc \t") == "Acme Inc")
        #expect(CSVCellConverter.trimmed(" ") == "")
    }

    @Test func datesMustBeOnTheCalendar() {
        #expect(CSVCellConverter.isCalendarDate("2024-02-29"))
        #expect(!CSVCellConverter.isCalendarDate("2023-02-29"))
        #expect(!CSVCellConverter.isCalendarDate("2026-04-31"))
        #expect(!CSVCellConverter.isCalendarDate("2026-13-01"))
        #expect(CSVCellConverter.isClockTime("2026-01-02T23:59:59.999Z"))
        #expect(!CSVCellConverter.isClockTime("2026-01-02T24:00:00Z"))
        #expect(!CSVCellConverter.isClockTime("2026-01-02T10:60:00Z"))
    }
}
