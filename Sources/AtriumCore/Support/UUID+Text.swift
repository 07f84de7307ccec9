import Foundation

extension UUID {
    /// Parses the 36-character text form (`8-4-4-4-12` hex digits, either case), as `UUID(text:)` does, without
    /// Foundation's `sscanf`: ids are parsed several times on every request (the path, the token's claims).
    public init?(text: some StringProtocol) {
        let parsed: uuid_t?
        if let contiguous = text.utf8.withContiguousStorageIfAvailable(Self.parse) {
            parsed = contiguous
        } else {
            var copy = String(text)
            parsed = copy.withUTF8(Self.parse)
        }
        guard let parsed else { return nil }
        self.init(uuid: parsed)
    }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> uuid_t? {
        guard bytes.count == 36, bytes[8] == 0x2D, bytes[13] == 0x2D, bytes[18] == 0x2D, bytes[23] == 0x2D else { return nil }
        var result: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var index = 0
        let ok = withUnsafeMutableBytes(of: &result) { output -> Bool in
            for byte in 0..<16 {
                if index == 8 || index == 13 || index == 18 || index == 23 { index += 1 }
                guard let high = hexValue(bytes[index]), let low = hexValue(bytes[index + 1]) else { return false }
                output[byte] = high << 4 | low
                index += 2
            }
            return true
        }
        return ok ? result : nil
    }

    private static func hexValue(_ character: UInt8) -> UInt8? {
        switch character {
        case 0x30...0x39: character - 0x30
        case 0x61...0x66: character - 0x57
        case 0x41...0x46: character - 0x37
        default: nil
        }
    }

    /// The lower-case text form Twenty's APIs and token claims use.
    public var lowercased: String {
        withUnsafeBytes(of: uuid) { bytes in
            String(unsafeUninitializedCapacity: 36) { output in
                var index = 0
                for (position, byte) in bytes.enumerated() {
                    if position == 4 || position == 6 || position == 8 || position == 10 {
                        output[index] = 0x2D
                        index += 1
                    }
                    output[index] = Self.hexDigit(byte >> 4)
                    output[index + 1] = Self.hexDigit(byte & 0xF)
                    index += 2
                }
                return index
            }
        }
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 { nibble < 10 ? 0x30 + nibble : 0x57 + nibble }
}
