/// One width of a text CNN (Kim 2014; SeqGAN's and RelGAN's discriminators): `F` filters,
/// each spanning `w` consecutive steps of `C`-wide inputs, then ReLU and the maximum over the
/// `S = T − w + 1` positions. PyTorch's `nn.Conv2d(1, F, (w, C))` layout: `weight [F, 1, w, C]`,
/// `bias [F]`.
///
///     z_s = b + Σ_{k<w} W_k x_{s+k}          (s = 0 … S−1;  W_k = weight[:, 0, k, :], [F, C])
///     m   = max_s relu(z_s) = relu(b + max_s (z_s − b))      (per filter)
///
/// Backward, for `dm = ∂L/∂m`: only a filter's arg-max position `s*` gets a gradient, and
/// only when `m > 0`: `dz_{s*} = dm`. Then `∂L/∂W_k += Σ_s dz_sᵀ x_{s+k}`, `∂L/∂b += Σ_s dz_s`,
/// `∂L/∂x_{s+k} += dz_s W_k`.
///
/// Inputs are time-major `[T, n, C]`, so steps `k … k+S−1` of all rows are one `[S·n, C]`
/// matrix: the sum over `k` is `w` products of the inputs as they lie (no im2col copy).
public struct SequenceConvolution {
    public let width: Int
    public let filters: Int
    public let channels: Int
    public let weight: Tensor
    public let bias: Tensor
    public let weightGradient: Tensor
    public let biasGradient: Tensor

    /// Declares `prefix.weight [filters, 1, width, channels]` and `prefix.bias [filters]`.
    public static func declare(in layout: inout ParameterLayout, prefix: String, width: Int, channels: Int, filters: Int) {
        layout.add("\(prefix).weight", shape: [filters, 1, width, channels])
        layout.add("\(prefix).bias", shape: [filters])
    }

    /// The layer over tensors declared with ``declare(in:prefix:width:channels:filters:)``.
    public init(_ parameters: Parameters, prefix: String) {
        weight = parameters.value("\(prefix).weight")
        bias = parameters.value("\(prefix).bias")
        weightGradient = parameters.gradient("\(prefix).weight")
        biasGradient = parameters.gradient("\(prefix).bias")
        (filters, width, channels) = (weight.shape[0], weight.shape[2], weight.shape[3])
    }

    /// Positions `S` of an input of `length` steps.
    public func positions(length: Int) -> Int { length - width + 1 }

    /// `W_k` of `w` (the weight or its gradient) as an `[F, C]` view, rows `w·C` apart.
    private func tap(_ k: Int, of w: Tensor) -> Matrix {
        Matrix(w.base + k * channels, rows: filters, columns: channels, stride: width * channels)
    }

    /// `m` of the inputs `x` (`[T, n, C]`) into `maxima` (`[n, F]`, possibly columns of a
    /// wider matrix), each filter's arg-max position into `argmax` (`n·F`, row by row);
    /// `scratch` (`[S·n, F]`) receives `z − b`.
    public func forward(_ x: Tensor, scratch z: Matrix, into maxima: Matrix, argmax: UnsafeMutablePointer<Int32>) {
        let (n, s, f) = (x.shape[1], positions(length: x.shape[0]), filters)
        precondition(x.shape[2] == channels && z.rows == s * n && z.columns == f && maxima.rows == n && maxima.columns == f)
        for k in 0..<width {
            gemm(x.steps(k..<(k + s)), .none, tap(k, of: weight), .transposed, into: z, k == 0 ? .overwrite : .accumulate)
        }
        for r in 0..<n {
            let best = maxima.row(r), at = argmax + r * f
            best.update(from: z.row(r), count: f)
            at.update(repeating: 0, count: f)
        }
        for p in 1..<max(s, 1) {
            for r in 0..<n {
                let zr = z.row(p * n + r), best = maxima.row(r), at = argmax + r * f
                for j in 0..<f where zr[j] > best[j] {
                    best[j] = zr[j]
                    at[j] = Int32(p)
                }
            }
        }
        for r in 0..<n {
            let best = maxima.row(r)
            for j in 0..<f { best[j] = max(best[j] + bias.base[j], 0) }
        }
    }

    /// Backward from `dm` (`[n, F]`) through the last ``forward(_:scratch:into:argmax:)`` on
    /// `x`, whose `maxima` and `argmax` are given: adds the weight and bias gradients when
    /// `parameters`, and `∂L/∂x` into `dx` (`[T, n, C]`, accumulated) when given. `scratch`
    /// (`[S·n, F]`) receives `dz`.
    public func backward(
        input x: Tensor, maxima: Matrix, argmax: UnsafePointer<Int32>, outputGradient dm: Matrix, scratch dz: Matrix,
        parameters: Bool, inputGradient dx: Tensor?
    ) {
        let (n, s, f) = (x.shape[1], positions(length: x.shape[0]), filters)
        dz.zero()
        for r in 0..<n {
            let (m, g, at) = (maxima.row(r), dm.row(r), argmax + r * f)
            for j in 0..<f where m[j] > 0 {
                dz[Int(at[j]) * n + r, j] = g[j]
                if parameters { biasGradient.base[j] += g[j] }
            }
        }
        for k in 0..<width {
            if parameters { gemm(dz, .transposed, x.steps(k..<(k + s)), .none, into: tap(k, of: weightGradient), .accumulate) }
            if let dx { gemm(dz, .none, tap(k, of: weight), .none, into: dx.steps(k..<(k + s)), .accumulate) }
        }
    }
}
