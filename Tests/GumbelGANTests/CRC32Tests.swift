import Testing

@testable import GumbelGAN

@Suite struct CRC32Tests {
    /// The standard check values of "123456789", and a check continued over pieces equals
    /// the check of the whole.
    @Test func checkValues() {
        let bytes = Array("123456789".utf8)
        #expect(CRC32.ieee.checksum(bytes) == 0xCBF4_3926)
        #expect(CRC32.castagnoli.checksum(bytes) == 0xE306_9283)
        #expect(CRC32.ieee.checksum(bytes[4...], continuing: CRC32.ieee.checksum(bytes[..<4])) == 0xCBF4_3926)
        #expect(CRC32.ieee.checksum([UInt8]()) == 0)
    }
}
