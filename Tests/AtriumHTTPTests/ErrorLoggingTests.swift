@testable import AtriumHTTP
import AtriumCore
import Logging
import Testing

/// What an error a request ends with leaves in the log: operators see internal errors as errors, database refusals
/// of client input at `info` with the database's words, and nothing for plain client errors.
struct ErrorLoggingTests {
    struct Refusal: Error, CustomStringConvertible { var description: String { "violates foreign key constraint" } }

    @Test func levelsFollowWhoseFaultItIs() {
        let capture = LogCapture()
        var logger = Logger(label: "test.errors") { label in CapturingLogHandler(label: label, capture: capture) }
        logger.logLevel = .trace
        AtriumError(.badRequest, "limit must be an integer").log("request failed", to: logger)
        #expect(capture.text.isEmpty)
        AtriumError(.forbidden, "User does not have permission", underlying: Refusal()).log("request failed", to: logger)
        #expect(capture.text.hasPrefix("info test.errors request failed") && capture.text.contains("violates foreign key constraint"))
        AtriumError(.internalError, "Internal server error").log("request failed", to: logger)
        #expect(capture.text.split(separator: "\n").last?.hasPrefix("error test.errors request failed") == true)
    }
}
