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
    public static func forward(
        logits h: Matrix, gumbel g: Matrix, temperature tau: Float, into y: Matrix,
        symbols: UnsafeMutablePointer<Int32>? = nil, symbolStride: Int = 1
    ) {
        precondition(
            h.rows == g.rows && h.columns == g.columns && h.rows == y.rows && h.columns == y.columns,
            "GumbelSoftmax.forward: shapes differ")
        let n = h.columns
        // Eight rows at a time, one vector per column (see `softmaxRows`); the first largest wins.
        @inline(__always) func rows(_ r: Int, _ w: Int) {
            var top = Lanes(repeating: -.infinity), best = SIMD8<Int32>(repeating: 0)
            for j in 0..<n {
                let v = h.column(j, rows: r, width: w) + g.column(j, rows: r, width: w)
                y.setColumn(j, rows: r, v, width: w)
                let larger = v .> top
                top.replace(with: v, where: larger)
                best.replace(with: Int32(j), where: larger)
            }
            if let symbols { for lane in 0..<w { symbols[(r + lane) * symbolStride] = best[lane] } }
        }
        forEachVector(h.rows, rows)
        softmaxRows(y, into: y, scale: 1 / tau)
    }

    /// `∂L/∂h` from `∂L/∂y` and the forward output `y`, written to `dh` (which may be `dy`).
    public static func backward(outputGradient dy: Matrix, output y: Matrix, temperature tau: Float, into dh: Matrix) {
        precondition(
            dy.rows == y.rows && dy.columns == y.columns && dh.rows == y.rows && dh.columns == y.columns,
            "GumbelSoftmax.backward: shapes differ")
        let n = y.columns
        let inverse = 1 / tau
        // Eight rows at a time, one vector per column (see `softmaxRows`).
        @inline(__always) func rows(_ r: Int, _ w: Int) {
            var dot = Lanes(repeating: 0)
            for j in 0..<n { dot += dy.column(j, rows: r, width: w) * y.column(j, rows: r, width: w) }
            for j in 0..<n {
                let yj = y.column(j, rows: r, width: w), dyj = dy.column(j, rows: r, width: w)
                dh.setColumn(j, rows: r, inverse * yj * (dyj - dot), width: w)
            }
        }
        forEachVector(y.rows, rows)
    }
}
