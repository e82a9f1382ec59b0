import Foundation

/// The entropy of categorical distributions given by logits, `H = −Σ_j p_j log p_j` with
/// `p = softmax ℓ`, and the gradient of `−λ H`: `∂(−H)/∂ℓ_j = p_j (log p_j + H)`.
public enum CategoricalEntropy {
    /// Adds `λ ∂(−H)/∂ℓ` of every row of `logits` to `gradients` and returns `Σ_rows H`
    /// (Float64). `scratch` (the shape of `logits`) receives `log p`.
    public static func addNegativeEntropyGradient(logits: Matrix, weight: Float, into gradients: Matrix, scratch: Matrix) -> Double {
        precondition(
            logits.rows == gradients.rows && logits.columns == gradients.columns
                && logits.rows == scratch.rows && logits.columns == scratch.columns, "CategoricalEntropy: shapes differ")
        logSoftmaxRows(logits, into: scratch)
        var total = 0.0
        for r in 0..<logits.rows {
            let logP = scratch.row(r), d = gradients.row(r)
            var entropy: Float = 0
            for j in 0..<logits.columns { entropy -= exp(logP[j]) * logP[j] }
            for j in 0..<logits.columns { d[j] += weight * exp(logP[j]) * (logP[j] + entropy) }
            total += Double(entropy)
        }
        return total
    }
}
