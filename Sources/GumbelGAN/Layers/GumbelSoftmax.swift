/// The Gumbel-softmax relaxation of a categorical draw (the paper's eq. 4):
///
///     y = softmax((h + g) / τ),   g ~ Gumbel(0, 1) elementwise
///
/// and its backward with respect to the logits `h` (noise and τ fixed):
///
///     ∂L/∂h = (1/τ) · y ⊙ (∂L/∂y − ⟨∂L/∂y, y⟩)        (row by row)
///
/// As τ → 0 the samples approach the exact categorical draw `one_hot(argmax(h + g))` (eq. 3).
public enum GumbelSoftmax {
    /// `y = softmax((h + g) / τ)` row by row; `y` may be `gumbel` (not `logits`). With
    /// `symbols`, also writes each row's `argmax(h + g)` (the exact draw, eq. 3) to
    /// `symbols[r · symbolStride]`.
    public static func forward(logits h: Matrix, gumbel g: Matrix, temperature tau: Float, into y: Matrix,
                               symbols: UnsafeMutablePointer<Int32>? = nil, symbolStride: Int = 1) {
        precondition(h.rows == g.rows && h.columns == g.columns && h.rows == y.rows && h.columns == y.columns,
                     "GumbelSoftmax.forward: shapes differ")
        let n = h.columns
        for r in 0..<h.rows {
            let (hr, gr, yr) = (h.row(r), g.row(r), y.row(r))
            var best = 0
            for j in 0..<n {
                yr[j] = hr[j] + gr[j]
                if yr[j] > yr[best] { best = j }
            }
            symbols?[r * symbolStride] = Int32(best)
        }
        softmaxRows(y, into: y, scale: 1 / tau)
    }

    /// `∂L/∂h` from `∂L/∂y` and the forward output `y`, written to `dh` (which may be `dy`).
    public static func backward(outputGradient dy: Matrix, output y: Matrix, temperature tau: Float, into dh: Matrix) {
        precondition(dy.rows == y.rows && dy.columns == y.columns && dh.rows == y.rows && dh.columns == y.columns,
                     "GumbelSoftmax.backward: shapes differ")
        let n = y.columns
        let inverse = 1 / tau
        for r in 0..<y.rows {
            let yr = y.row(r), dyr = dy.row(r), out = dh.row(r)
            var dot: Float = 0
            for j in 0..<n { dot += dyr[j] * yr[j] }
            for j in 0..<n { out[j] = inverse * yr[j] * (dyr[j] - dot) }
        }
    }
}
