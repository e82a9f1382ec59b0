import Foundation

/// The discriminator's view of real examples.
///
/// ``RealEncoding/smoothed`` (the paper, section 4): each symbol becomes logits whose
/// softmax puts `p` (0.9) on the true symbol and `(1 − p)/(d − 1)` on each other, and then
/// a Gumbel-softmax sample at the input temperature:
///
///     x_t = softmax((log q_t + g_t) / τ),   q_t = p·onehot(s_t) + (1 − p)/(d − 1)·(1 − onehot(s_t))
///
/// ``RealEncoding/oneHot``: `x_t = onehot(s_t)`.
public struct RealInputs: Sendable {
    public let encoding: RealEncoding
    public let vocabularySize: Int
    /// Probability put on the true symbol.
    public let truthProbability: Float

    public init(_ encoding: RealEncoding, vocabularySize: Int, truthProbability: Float = 0.9) {
        precondition(vocabularySize >= 2, "RealInputs: a vocabulary needs at least 2 symbols")
        self.encoding = encoding
        self.vocabularySize = vocabularySize
        self.truthProbability = truthProbability
    }

    /// Encodes `symbols` (`rows` sequences of `T` symbol indices, row-major) into `x`
    /// (`[T, rows, V]`). Row `r` is row `firstRow + r` of the global batch at `step`; its
    /// noise `g_t[v]` is the draw at `(realGumbel, step, row, t·V + v)`.
    public func encode(
        _ symbols: UnsafeBufferPointer<Int32>, into x: Tensor, temperature tau: Float,
        random: CounterRandom, step: Int, firstRow: Int
    ) {
        let (length, rows, v) = (x.shape[0], x.shape[1], vocabularySize)
        precondition(x.shape[2] == v && symbols.count == rows * length, "RealInputs.encode: \(symbols.count) symbols into \(x.shape)")
        if encoding == .oneHot { return Self.writeOneHot(symbols, into: x) }
        let out = x.base  // step t of row r starts at (t·rows + r)·V
        let onTruth = Foundation.log(truthProbability)
        let offTruth = Foundation.log((1 - truthProbability) / Float(v - 1))
        withUnsafeTemporaryAllocation(of: Float.self, capacity: length * v) { noise in
            let noise = noise.baseAddress!
            for r in 0..<rows {
                // One run of T·V draws per row, then spread over the time-major layout.
                random.fillGumbel(noise, count: length * v, .realGumbel, step: step, row: firstRow + r)
                for t in 0..<length {
                    let (o, g) = (out + (t * rows + r) * v, noise + t * v)
                    let truth = Int(symbols[r * length + t])
                    for j in 0..<v { o[j] = g[j] + offTruth }
                    o[truth] = g[truth] + onTruth
                }
            }
        }
        softmaxRows(x.matrix, into: x.matrix, scale: 1 / tau)
    }

    /// Writes the one-hot vectors of `symbols` (`rows` sequences of `T` indices, row-major)
    /// into `x` (`[T, rows, V]`, zero elsewhere).
    public static func writeOneHot(_ symbols: UnsafeBufferPointer<Int32>, into x: Tensor) {
        let (length, rows, v) = (x.shape[0], x.shape[1], x.shape[2])
        precondition(symbols.count == rows * length, "RealInputs.writeOneHot: \(symbols.count) symbols into \(x.shape)")
        x.zero()
        let out = x.base  // step t of row r starts at (t·rows + r)·V
        for r in 0..<rows { for t in 0..<length { out[(t * rows + r) * v + Int(symbols[r * length + t])] = 1 } }
    }
}
