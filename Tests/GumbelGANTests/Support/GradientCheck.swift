import GumbelGAN

/// Finite-difference gradient checking in Float32.
///
/// Central differences `(L(θ + h) − L(θ − h)) / 2h` have truncation error `h²/6 · L'''` and
/// rounding error about `ε_32 · |L| / h` with `ε_32 ≈ 6e-8`. The losses checked here are
/// O(1) sums over a few examples, accumulated in Float64, with parameters O(0.5); at
/// `h = 1e-2` both errors are around 1e-5, far below the gradients' O(0.01–1) scale.
/// Errors are measured per tensor in the max norm: `max_i |a_i − n_i| / max_i |n_i|`,
/// which does not blow up on the many tiny entries and is O(1) for a wrong backward
/// (see the tests of wrong backward passes). The tolerance 1e-3 is about 20 times the worst
/// error seen on correct code (the figures the checks print are 1e-6 … 5e-5).
enum GradientCheck {
    static let step: Float = 1e-2
    static let tolerance = 1e-3
    /// Float32 analytic gradients against Float64 central differences of ``ReferenceGAN``:
    /// only the analytic side rounds (relative ~1e-6 per operation, a few hundred
    /// operations deep), so 1e-4 is tight and still leaves room.
    static let referenceTolerance = 1e-4

    /// `∂loss/∂values[i]` by central differences, perturbing `values` in place (restored).
    static func numeric(_ values: UnsafeMutableBufferPointer<Float>, _ loss: () -> Double) -> [Double] {
        (0..<values.count).map { central(values, $0, step, loss) }
    }

    /// ``numeric(_:_:)`` for losses with kinks (ReLU, a maximum over positions): a central
    /// difference across a kink measures the kink, not the gradient. Each coordinate is also
    /// differenced at half the step; where the two disagree by more than `tolerance / 4` of the
    /// largest, the loss is not smooth there and the coordinate is left out (nil).
    static func numericAwayFromKinks(_ values: UnsafeMutableBufferPointer<Float>, _ loss: () -> Double) -> [Double?] {
        let full = numeric(values, loss)
        let half = (0..<values.count).map { central(values, $0, step / 2, loss) }
        let scale = max(full.map(abs).max() ?? 0, 1e-6)
        return zip(full, half).map { abs($0 - $1) > tolerance / 4 * scale ? nil : $1 }
    }

    /// `(L(θ + h) − L(θ − h)) / 2h` for `values[i]`, restored after.
    private static func central(_ values: UnsafeMutableBufferPointer<Float>, _ i: Int, _ h: Float, _ loss: () -> Double) -> Double {
        let saved = values[i]
        values[i] = saved + h
        let up = loss()
        values[i] = saved - h
        let down = loss()
        values[i] = saved
        // The perturbation actually applied, after Float32 rounding of saved ± h.
        return (up - down) / (Double(saved + h) - Double(saved - h))
    }

    /// `max_i |a_i − n_i| / max_i |n_i|` (with the denominator at least 1e-6).
    static func relativeError(_ analytic: [Float], _ numeric: [Double]) -> Double {
        precondition(analytic.count == numeric.count)
        var worst = 0.0, scale = 1e-6
        for i in 0..<analytic.count {
            worst = max(worst, abs(Double(analytic[i]) - numeric[i]))
            scale = max(scale, abs(numeric[i]))
        }
        return worst / scale
    }
}

/// A fixed random weighting `w` for a test loss `L = Σ w ⊙ output` (so `∂L/∂output = w`).
func projection(count: Int, seed: UInt64, row: Int = 0) -> [Float] {
    var w = [Float](repeating: 0, count: count)
    w.withUnsafeMutableBufferPointer { p in
        CounterRandom(seed: seed).fillUniform(p.baseAddress!, count: count, .evaluation, step: 99, row: row)
    }
    return w.map { 2 * $0 - 1 }
}

/// Fills `tensor` with uniform values in (-bound, bound) from stream row `row`.
func fillUniform(_ tensor: Tensor, bound: Float, seed: UInt64, row: Int) {
    CounterRandom(seed: seed).fillUniform(tensor.base, count: tensor.count, .evaluation, step: 7, row: row)
    for i in 0..<tensor.count { tensor.base[i] = (2 * tensor.base[i] - 1) * bound }
}

/// `Σ w_i x_i` in Float64.
func dot(_ w: [Float], _ x: some RandomAccessCollection<Float>) -> Double {
    var s = 0.0
    for (a, b) in zip(w, x) { s += Double(a) * Double(b) }
    return s
}
