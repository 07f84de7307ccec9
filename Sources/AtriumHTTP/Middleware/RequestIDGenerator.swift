import AtriumCore
import Foundation
import Synchronization

/// Makes request ids shaped like version-4 UUIDs (`xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx`, lowercase) without a random
/// draw per request: 62 random bits drawn once per process, then a counter.
///
/// `UUID()` reads the system's random source and formats through Foundation on every call, a few percent of a
/// findOne's CPU; an id only has to be unique, and a per-process random prefix with a counter is, across processes
/// as within one.
final class RequestIDGenerator: Sendable {
    /// The process's random half: the id's first 16 hex digits, version nibble included.
    private let prefix: UInt64
    private let counter = Atomic<UInt64>(0)

    init<Generator: RandomNumberGenerator>(using generator: inout Generator) {
        // Version 4 in the third group's first digit.
        prefix = (generator.next() & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000
    }

    convenience init() {
        var generator = SystemRandomNumberGenerator()
        self.init(using: &generator)
    }

    /// The next id.
    func next() -> String {
        let count = counter.wrappingAdd(1, ordering: .relaxed).newValue
        // RFC 4122 variant (binary 10) in the fourth group's first digit; the counter fills the 62 bits after it.
        let low = (count & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &bytes) { buffer in
            buffer.storeBytes(of: prefix.bigEndian, toByteOffset: 0, as: UInt64.self)
            buffer.storeBytes(of: low.bigEndian, toByteOffset: 8, as: UInt64.self)
        }
        return UUID(uuid: bytes).lowercased
    }

    /// The generator the request pipeline uses.
    static let shared = RequestIDGenerator()
}
