import AtriumCore
import Logging
import Synchronization
import Testing

struct LazyMetadataLogHandlerTests {
    /// Collects what a `StreamLogHandler` writes.
    final class Lines: TextOutputStream, Sendable {
        private let text = Mutex("")
        func write(_ string: String) { text.withLock { $0 += string } }
        var written: String { text.withLock { $0 } }
    }

    @Test func linesCarryTheMetadataSetAndTheLinesOwnAsStreamLogHandlerWritesThem() {
        let (lazy, eager) = (Lines(), Lines())
        var logger = Logger(label: "test") { label in LazyMetadataLogHandler(StreamLogHandler(label: label, stream: lazy, metadataProvider: nil)) }
        var reference = Logger(label: "test") { label in StreamLogHandler(label: label, stream: eager, metadataProvider: nil) }
        for target in [0, 1] {
            func set(_ key: String, _ value: Logger.Metadata.Value?) {
                if target == 0 { logger[metadataKey: key] = value } else { reference[metadataKey: key] = value }
            }
            set("request_id", "r1")
            set("hb.request.id", "gone")
            set("hb.request.id", nil)
            set("workspace", "w1")
        }
        #expect(logger[metadataKey: "workspace"] == "w1")
        #expect(logger[metadataKey: "hb.request.id"] == nil)
        logger.info("request", metadata: ["status": "200", "workspace": "explicit wins"])
        reference.info("request", metadata: ["status": "200", "workspace": "explicit wins"])
        logger.debug("below the level: not written")
        let strip = { (line: String) in line.split(separator: " ", maxSplits: 1).last.map(String.init) ?? line }  // the timestamp
        #expect(strip(lazy.written) == strip(eager.written))
        #expect(lazy.written.contains("request_id=r1 status=200 workspace=explicit wins"), "\(lazy.written)")
    }
}
