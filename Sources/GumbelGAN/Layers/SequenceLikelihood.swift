import Foundation

/// The negative log-likelihood of one-hot targets under softmax logits, summed over
/// positions: `Σ_{t,r} −log softmax(ℓ_{t,r})[s_{t,r}]`, with gradient
/// `∂/∂ℓ = softmax(ℓ) − onehot(s)` (scaled).
public enum SequenceLikelihood {
    /// Returns the sum (Float64) and writes `scale · (softmax(ℓ) − target)` to `gradients`.
    /// `logits`, `targets` and `gradients` share one shape; `targets` rows are one-hot.
    public static func negativeLogLikelihood(logits: Tensor, targets: Tensor, scale: Float, gradients: Tensor) -> Double {
        precondition(
            logits.shape == targets.shape && logits.shape == gradients.shape,
            "SequenceLikelihood: shapes \(logits.shape), \(targets.shape), \(gradients.shape)")
        let l = logits.matrix, y = targets.matrix, g = gradients.matrix
        logSoftmaxRows(l, into: g)
        var total = 0.0
        if g.columns >= longRow {
            // Long rows (large vocabularies): the target's entry is found, not multiplied in.
            for r in 0..<g.rows {
                let (gr, yr) = (g.row(r), y.row(r))
                for j in 0..<g.columns where yr[j] != 0 { total -= Double(yr[j] * gr[j]) }
                @inline(__always) func gradient(_ j: Int, _ w: Int) {
                    gr.lanes(j, scale * (exp(gr.lanes(j, width: w)) - yr.lanes(j, width: w)), width: w)
                }
                forEachVector(g.columns, gradient)
            }
            return total
        }
        for r in 0..<g.rows {
            let gr = g.row(r), yr = y.row(r)
            for j in 0..<g.columns {
                total -= Double(yr[j] * gr[j])
                gr[j] = scale * (exp(gr[j]) - yr[j])
            }
        }
        return total
    }
}
