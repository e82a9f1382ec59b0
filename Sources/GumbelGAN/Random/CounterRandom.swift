import Foundation

/// The independent streams of random numbers a run draws from. Each value is a fixed
/// part of a draw's address, so adding a stream never changes the numbers of another.
public enum RandomStream: UInt32, Sendable, CaseIterable {
    /// Initial parameter values (row: a hash of the tensor's name; index: the element).
    case initialization = 1
    /// Which training examples form each step's global minibatch.
    case minibatch = 2
    /// The generator's noise initial state `(h0, c0)`.
    case generatorNoise = 3
    /// Gumbel noise of the generator's samples.
    case generatorGumbel = 4
    /// Gumbel noise of the real examples' soft one-hot inputs.
    case realGumbel = 5
    /// The built-in data sampler (derivations of the grammar).
    case data = 6
    /// Samples drawn for evaluation and for people to read.
    case evaluation = 7
}

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
            (UInt32(truncatingIfNeeded: index >> 2), UInt32(truncatingIfNeeded: row),
             UInt32(truncatingIfNeeded: step), stream.rawValue),
            key: key)
        return Philox.word(out, index & 3)
    }

    /// A uniform number in the open interval (0, 1): `(k + 1/2) · 2^-23` for the top 23
    /// bits `k`, so both ends are excluded and every value is exact in Float32.
    @inline(__always)
    public static func openUnit(_ bits: UInt32) -> Float {
        (Float(bits >> 9) + 0.5) * 0x1p-23
    }

    /// Fills `count` values with uniform numbers in (0, 1): the draws at indices
    /// `first ..< first + count`.
    public func fillUniform(_ out: UnsafeMutablePointer<Float>, count: Int,
                            _ stream: RandomStream, step: Int, row: Int, from first: Int = 0) {
        fillWords(out, count: count, stream, step: step, row: row, from: first) { Self.openUnit($0) }
    }

    /// Fills `count` values with Gumbel(0, 1) noise `-log(-log u)`, `u` uniform in (0, 1)
    /// drawn at indices `first ..< first + count`. Values lie in about (-2.8, 16.6).
    public func fillGumbel(_ out: UnsafeMutablePointer<Float>, count: Int,
                           _ stream: RandomStream, step: Int, row: Int, from first: Int = 0) {
        fillUniform(out, count: count, stream, step: step, row: row, from: first)
        map(out, into: out, count: count) { -log(-log($0)) }
    }

    /// Fills `count` values with standard normal numbers (Box–Muller): value `i` uses the
    /// uniforms `u1, u2` at indices `2i` and `2i + 1`: `sqrt(-2 log u1) · cos(2π u2)`.
    public func fillNormal(_ out: UnsafeMutablePointer<Float>, count: Int,
                           _ stream: RandomStream, step: Int, row: Int) {
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 2) { pair in
            for i in 0..<count {
                fillUniform(pair.baseAddress!, count: 2, stream, step: step, row: row, from: 2 * i)
                let u1 = Double(pair[0]), u2 = Double(pair[1])
                out[i] = Float((-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2))
            }
        }
    }

    /// Applies `transform` to the words at indices `first ..< first + count`, computing
    /// each Philox block once.
    @inline(__always)
    private func fillWords(_ out: UnsafeMutablePointer<Float>, count: Int, _ stream: RandomStream,
                           step: Int, row: Int, from first: Int, _ transform: (UInt32) -> Float) {
        let k = key
        var i = 0
        while i < count {
            let index = first + i
            let b = Philox.block(
                (UInt32(truncatingIfNeeded: index >> 2), UInt32(truncatingIfNeeded: row),
                 UInt32(truncatingIfNeeded: step), stream.rawValue), key: k)
            var lane = index & 3
            while lane < 4 && i < count {
                out[i] = transform(Philox.word(b, lane))
                lane += 1
                i += 1
            }
        }
    }
}
