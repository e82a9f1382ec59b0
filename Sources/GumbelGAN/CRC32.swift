/// A table-driven cyclic redundancy check over bytes (reflected, initial and final value
/// `0xFFFFFFFF`): ``ieee`` is zlib's CRC-32, ``castagnoli`` the CRC-32C of TFRecord files.
public struct CRC32: Sendable {
    private let table: [UInt32]

    public init(reflectedPolynomial: UInt32) {
        var table = [UInt32](repeating: 0, count: 256)
        for i in 0..<256 {
            var c = UInt32(i)
            for _ in 0..<8 { c = c & 1 == 1 ? reflectedPolynomial ^ (c >> 1) : c >> 1 }
            table[i] = c
        }
        self.table = table
    }

    public static let ieee = CRC32(reflectedPolynomial: 0xEDB8_8320)
    public static let castagnoli = CRC32(reflectedPolynomial: 0x82F6_3B78)

    /// The check of `bytes` continued from `running` (the check of what came before; start
    /// from 0).
    public func checksum<Bytes: Sequence>(_ bytes: Bytes, continuing running: UInt32 = 0) -> UInt32 where Bytes.Element == UInt8 {
        var c = ~running
        for b in bytes { c = table[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return ~c
    }
}
