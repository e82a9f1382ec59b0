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

    /// Eight blocks at once, one per lane: lane `l` is `block((c0[l], c1, c2, c3), key:)`.
    /// The same rounds in 32-bit vector lanes (exact integer arithmetic, so the words are
    /// identical to the scalar ones). Not inlined: inlined, the optimiser mixed the callers'
    /// word shuffles into the rounds and left half the lanes to scalar code.
    @inline(never)
    public static func blocks(
        _ c0: SIMD8<UInt32>, _ c1: UInt32, _ c2: UInt32, _ c3: UInt32,
        key: Key
    ) -> (SIMD8<UInt32>, SIMD8<UInt32>, SIMD8<UInt32>, SIMD8<UInt32>) {
        var (x0, x1, x2, x3) = (c0, SIMD8<UInt32>(repeating: c1), SIMD8<UInt32>(repeating: c2), SIMD8<UInt32>(repeating: c3))
        var (k0, k1) = key
        for _ in 0..<10 {
            let (hi0, lo0) = mulhilo(m0, x0)
            let (hi1, lo1) = mulhilo(m1, x2)
            (x0, x1, x2, x3) = (hi1 ^ x1 ^ SIMD8(repeating: k0), lo1, hi0 ^ x3 ^ SIMD8(repeating: k1), lo0)
            k0 &+= w0
            k1 &+= w1
        }
        return (x0, x1, x2, x3)
    }

    /// The high and low halves of the 64-bit products `m · c[l]`. Lanes are taken in
    /// pairs as 64-bit values, so each product is one 32 × 32 → 64-bit multiply of the
    /// even lanes and one of the odd lanes (`pmuludq`); Swift's lane-by-lane widening
    /// conversions would not vectorise.
    @inline(__always)
    static func mulhilo(_ m: UInt32, _ c: SIMD8<UInt32>) -> (hi: SIMD8<UInt32>, lo: SIMD8<UInt32>) {
        let pairs = unsafeBitCast(c, to: SIMD4<UInt64>.self)
        let low = SIMD4<UInt64>(repeating: 0xFFFF_FFFF), factor = SIMD4<UInt64>(repeating: UInt64(m))
        let even = (pairs & low) &* factor, odd = (pairs &>> 32) &* factor
        let lo = (even & low) | (odd &<< 32)
        let hi = (even &>> 32) | (odd & ~low)
        return (unsafeBitCast(hi, to: SIMD8<UInt32>.self), unsafeBitCast(lo, to: SIMD8<UInt32>.self))
    }
}
