import Foundation

/// Random numbers addressed by coordinates: `(seed, stream, step, row, index)`.
///
/// A draw is a pure function of its address, computed with ``Philox``: the key is the
/// 64-bit seed, the counter is `(index / 4, row, step, stream)` and the draw is word
/// `index % 4` of the block. So a number can be recomputed wherever it is used, whichever
/// process or shard uses it, with no state carried from one draw to the next.
///
/// Addresses: `step < 2^32`, `row < 2^32`, `index < 2^34`.
public struct CounterRandom: Sendable {
    public let seed: UInt64

    public init(seed: UInt64) { self.seed = seed }

    var key: Philox.Key { (UInt32(truncatingIfNeeded: seed), UInt32(truncatingIfNeeded: seed >> 32)) }

    /// The 32 random bits at an address.
    @inline(__always)
    public func bits(_ stream: RandomStream, step: Int, row: Int, index: Int) -> UInt32 {
        let out = Philox.block(
            (
                UInt32(truncatingIfNeeded: index >> 2), UInt32(truncatingIfNeeded: row),
                UInt32(truncatingIfNeeded: step), stream.rawValue
            ),
            key: key)
        return Philox.word(out, index & 3)
    }

    /// A uniform number in the open interval (0, 1): `(k + 1/2) · 2^-23` for the top 23
    /// bits `k`, so both ends are excluded and every value is exact in Float32.
    @inline(__always)
    public static func openUnit(_ bits: UInt32) -> Float {
        (Float(bits >> 9) + 0.5) * 0x1p-23
    }

    /// ``openUnit(_:)`` of eight words at once: the top 23 bits `k` as the mantissa of
    /// `1 + k·2⁻²³`, minus 1, plus 2⁻²⁴. Every step is exact, so each lane is
    /// `(k + ½)·2⁻²³`, the same value (Swift's lane-wise integer-to-float conversion would
    /// not vectorise).
    @inline(__always)
    public static func openUnit(_ bits: SIMD8<UInt32>) -> Lanes {
        unsafeBitCast((bits &>> 9) | 0x3F80_0000, to: Lanes.self) - 1 + 0x1p-24
    }

    /// Fills `count` values with uniform numbers in (0, 1): the draws at indices
    /// `first ..< first + count`, each ``openUnit(_:)`` of its bits.
    public func fillUniform(
        _ out: UnsafeMutablePointer<Float>, count: Int,
        _ stream: RandomStream, step: Int, row: Int, from first: Int = 0
    ) {
        fillWords(out, count: count, stream, step: step, row: row, from: first) { Self.openUnit($0) }
    }

    /// Fills `count` values with Gumbel(0, 1) noise `-log(-log u)`, `u` uniform in (0, 1)
    /// drawn at indices `first ..< first + count`. Values lie in about (-2.8, 16.6).
    public func fillGumbel(
        _ out: UnsafeMutablePointer<Float>, count: Int,
        _ stream: RandomStream, step: Int, row: Int, from first: Int = 0
    ) {
        fillUniform(out, count: count, stream, step: step, row: row, from: first)
        @inline(__always) func gumbel(_ u: Lanes) -> Lanes { -log(-log(u)) }
        map(out, into: out, count: count, gumbel)
    }

    /// Fills `count` values with standard normal numbers (Box–Muller): value `i` uses the
    /// uniforms `u1, u2` at indices `2i` and `2i + 1`: `sqrt(-2 log u1) · cos(2π u2)`.
    public func fillNormal(
        _ out: UnsafeMutablePointer<Float>, count: Int,
        _ stream: RandomStream, step: Int, row: Int
    ) {
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 2) { pair in
            for i in 0..<count {
                fillUniform(pair.baseAddress!, count: 2, stream, step: step, row: row, from: 2 * i)
                let u1 = Double(pair[0]), u2 = Double(pair[1])
                out[i] = Float((-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2))
            }
        }
    }

    /// Applies `transform` to the words at indices `first ..< first + count`, eight
    /// blocks (32 words) at a time; words of those blocks outside the range are dropped.
    @inline(__always)
    private func fillWords(
        _ out: UnsafeMutablePointer<Float>, count: Int, _ stream: RandomStream,
        step: Int, row: Int, from first: Int, _ transform: (SIMD8<UInt32>) -> Lanes
    ) {
        let (k, end) = (key, first + count)
        let (c1, c2) = (UInt32(truncatingIfNeeded: row), UInt32(truncatingIfNeeded: step))
        let lanes = SIMD8<UInt32>(0, 1, 2, 3, 4, 5, 6, 7)
        var block = first >> 2
        while block * 4 < end {
            let c0 = SIMD8<UInt32>(repeating: UInt32(truncatingIfNeeded: block)) &+ lanes
            let (w0, w1, w2, w3) = Philox.blocks(c0, c1, c2, stream.rawValue, key: k)
            // Writes the q-th run of eight words in index order (blocks 2q and 2q + 1).
            @inline(__always) func emit(_ q: Int, _ run: SIMD8<UInt32>) {
                let start = block * 4 + 8 * q  // index of the run's first word
                guard start < end else { return }
                let values = transform(run)
                if start >= first && start + 8 <= end {
                    UnsafeMutableRawPointer(out + (start - first)).storeBytes(of: values, as: Lanes.self)
                } else {
                    for l in max(first - start, 0)..<min(end - start, 8) { out[start + l - first] = values[l] }
                }
            }
            emit(0, SIMD8(w0[0], w1[0], w2[0], w3[0], w0[1], w1[1], w2[1], w3[1]))
            emit(1, SIMD8(w0[2], w1[2], w2[2], w3[2], w0[3], w1[3], w2[3], w3[3]))
            emit(2, SIMD8(w0[4], w1[4], w2[4], w3[4], w0[5], w1[5], w2[5], w3[5]))
            emit(3, SIMD8(w0[6], w1[6], w2[6], w3[6], w0[7], w1[7], w2[7], w3[7]))
            block += 8
        }
    }
}
