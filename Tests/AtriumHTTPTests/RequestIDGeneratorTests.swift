import Foundation
import Testing

@testable import AtriumHTTP

struct RequestIDGeneratorTests {
    /// A generator that returns the same value every time, to pin the random half.
    struct FixedGenerator: RandomNumberGenerator {
        let value: UInt64
        mutating func next() -> UInt64 { value }
    }

    @Test func idsAreLowercaseVersion4UUIDsAndNeverRepeat() throws {
        let generator = RequestIDGenerator()
        let ids = (0..<10_000).map { _ in generator.next() }
        #expect(Set(ids).count == ids.count)
        for id in ids.prefix(100) {
            let uuid = try #require(UUID(uuidString: id), "\(id) is not a UUID")
            #expect(id == uuid.uuidString.lowercased())
            let bytes = uuid.uuid
            #expect(bytes.6 >> 4 == 4, "version 4")
            #expect(bytes.8 >> 6 == 0b10, "RFC 4122 variant")
        }
    }

    @Test func theRandomHalfIsPerProcessAndTheCounterFillsTheRest() {
        var ones = FixedGenerator(value: .max)
        var zeros = FixedGenerator(value: 0)
        let first = RequestIDGenerator(using: &ones)
        let second = RequestIDGenerator(using: &zeros)
        #expect(first.next() == "ffffffff-ffff-4fff-8000-000000000001")
        #expect(first.next() == "ffffffff-ffff-4fff-8000-000000000002")
        #expect(second.next() == "00000000-0000-4000-8000-000000000001")
    }
}
