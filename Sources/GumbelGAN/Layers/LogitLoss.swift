/// Per-example losses on the discriminator's logit `a` (`D = σ(a)`), written so that no
/// exponent overflows:
///
/// | case | loss | `∂loss/∂a` |
/// | --- | --- | --- |
/// | ``real`` | `−log D = softplus(−a)` | `σ(a) − 1` |
/// | ``fake`` | `−log(1 − D) = softplus(a)` | `σ(a)` |
/// | ``generator`` | `−log(D / (1 − D)) = −a` | `−1` |
///
/// Algorithm 1's discriminator loss is the mean of ``real`` over real examples plus the
/// mean of ``fake`` over generated ones; the generator's is the mean of ``generator``.
public enum LogitLoss: Sendable {
    case real
    case fake
    case generator

    /// The loss of one logit.
    @inline(__always)
    public func value(_ a: Float) -> Float {
        switch self {
        case .real: return softplus(-a)
        case .fake: return softplus(a)
        case .generator: return -a
        }
    }

    /// `∂loss/∂a` of one logit.
    @inline(__always)
    public func derivative(_ a: Float) -> Float {
        switch self {
        case .real: return sigmoid(a) - 1
        case .fake: return sigmoid(a)
        case .generator: return -1
        }
    }

    /// Returns `Σ_i loss(a_i)` (in Float64) and writes `scale · ∂loss/∂a_i` to `gradients`.
    /// With `scale = 1/m` for a global batch of `m`, the gradients are those of the mean,
    /// whichever shard of the batch this call sees.
    public func evaluate(
        logits: UnsafeBufferPointer<Float>, scale: Float,
        gradients: UnsafeMutableBufferPointer<Float>
    ) -> Double {
        precondition(logits.count == gradients.count, "LogitLoss.evaluate: \(logits.count) logits, \(gradients.count) gradients")
        var sum = 0.0
        for i in 0..<logits.count {
            sum += Double(value(logits[i]))
            gradients[i] = scale * derivative(logits[i])
        }
        return sum
    }
}
