/// Philox4x32-10, the counter-based generator of Salmon et al. (Random123).
///
/// A pure function from a 128-bit counter and a 64-bit key to 128 random bits: ten rounds
/// of `(hi0, lo0) = mulhilo(M0, c0)`, `(hi1, lo1) = mulhilo(M1, c2)`,
/// `c = (hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0)`, with the key bumped by the Weyl
/// constants `(W0, W1)` before every round but the first. No state: any block can be
/// recomputed from its coordinates alone.
public enum Philox {
    public typealias Block = (UInt32, UInt32, UInt32, UInt32)
    public typealias Key = (UInt32, UInt32)

    static let m0: UInt32 = 0xD251_1F53
    static let m1: UInt32 = 0xCD9E_8D57
    static let w0: UInt32 = 0x9E37_79B9
    static let w1: UInt32 = 0xBB67_AE85

    /// The 128 output bits for `counter` under `key`.
    @inline(__always)
    public static func block(_ counter: Block, key: Key) -> Block {
        var c = counter
        var k = key
        for round in 0..<10 {
            if round > 0 {
                k.0 &+= w0
                k.1 &+= w1
            }
            let p0 = UInt64(m0) &* UInt64(c.0)
            let p1 = UInt64(m1) &* UInt64(c.2)
            let (hi0, lo0) = (UInt32(truncatingIfNeeded: p0 >> 32), UInt32(truncatingIfNeeded: p0))
            let (hi1, lo1) = (UInt32(truncatingIfNeeded: p1 >> 32), UInt32(truncatingIfNeeded: p1))
            c = (hi1 ^ c.1 ^ k.0, lo1, hi0 ^ c.3 ^ k.1, lo0)
        }
        return c
    }

    /// Word `lane` (0 … 3) of a block.
    @inline(__always)
    public static func word(_ b: Block, _ lane: Int) -> UInt32 {
        switch lane {
        case 0: return b.0
        case 1: return b.1
        case 2: return b.2
        default: return b.3
        }
    }
}
