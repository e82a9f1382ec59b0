/// The relativistic standard loss on pairs of logits `(a, b)`: `softplus(−(a − b))`, the
/// negative log-probability that `a` is the more real of the two, with
///
///     ∂/∂a = σ(a − b) − 1        ∂/∂b = 1 − σ(a − b)
///
/// The discriminator's loss puts the real logit first, the generator's the generated one.
public enum RelativisticLoss {
    /// Returns `Σ_i softplus(−(a_i − b_i))` (in Float64) and writes `scale · ∂/∂a_i` and
    /// `scale · ∂/∂b_i` to `gradientsA` and `gradientsB` (either may be nil: not needed).
    public static func evaluate(
        _ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>, scale: Float,
        gradientsA: UnsafeMutableBufferPointer<Float>?, gradientsB: UnsafeMutableBufferPointer<Float>?
    ) -> Double {
        precondition(a.count == b.count, "RelativisticLoss.evaluate: \(a.count) and \(b.count) logits")
        var sum = 0.0
        for i in 0..<a.count {
            let d = a[i] - b[i]
            sum += Double(softplus(-d))
            let g = scale * (sigmoid(d) - 1)
            gradientsA?[i] = g
            gradientsB?[i] = -g
        }
        return sum
    }
}
