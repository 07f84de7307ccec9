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
        return String(unsafeUninitializedCapacity: 36) { buffer in
            var index = 0
            func put(_ value: UInt64, digits: Int) {
                for shift in stride(from: (digits - 1) * 4, through: 0, by: -4) {
                    let nibble = UInt8((value >> UInt64(shift)) & 0xF)
                    buffer[index] = nibble < 10 ? 0x30 + nibble : 0x57 + nibble
                    index += 1
                }
            }
            func dash() {
                buffer[index] = UInt8(ascii: "-")
                index += 1
            }
            put(prefix >> 32, digits: 8); dash()
            put(prefix >> 16, digits: 4); dash()
            put(prefix, digits: 4); dash()
            put(low >> 48, digits: 4); dash()
            put(low, digits: 12)
            return index
        }
    }

    /// The generator the request pipeline uses.
    static let shared = RequestIDGenerator()
}
