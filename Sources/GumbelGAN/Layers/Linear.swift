/// A fully connected layer `y = x Wᵀ + b`, `W` of shape `[out, in]` and `b` of `[out]`
/// (PyTorch's `nn.Linear` layout).
///
/// Backward, for `dy = ∂L/∂y`: `∂L/∂W += dyᵀ x`, `∂L/∂b += Σ_rows dy`, `∂L/∂x = dy W`.
/// The layer caches nothing itself: its input is the caller's activation buffer, which
/// must still hold `x` when ``accumulateGradients(input:_:outputGradient:)`` runs.
public struct Linear {
    public let inputs: Int
    public let outputs: Int
    public let weight: Tensor
    public let bias: Tensor
    public let weightGradient: Tensor
    public let biasGradient: Tensor

    /// Declares `prefix.weight [outputs, inputs]` and `prefix.bias [outputs]`.
    public static func declare(in layout: inout ParameterLayout, prefix: String, inputs: Int, outputs: Int) {
        layout.add("\(prefix).weight", shape: [outputs, inputs])
        layout.add("\(prefix).bias", shape: [outputs])
    }

    /// The layer over tensors declared with ``declare(in:prefix:inputs:outputs:)``.
    public init(_ parameters: Parameters, prefix: String) {
        weight = parameters.value("\(prefix).weight")
        bias = parameters.value("\(prefix).bias")
        weightGradient = parameters.gradient("\(prefix).weight")
        biasGradient = parameters.gradient("\(prefix).bias")
        outputs = weight.shape[0]
        inputs = weight.shape[1]
    }

    /// `y = op(x) Wᵀ + b` for `y` of `[n, out]`: with `layout` `.none`, `x` is `[n, in]`
    /// (one example per row); with `.transposed`, `x` is `[in, n]` (one example per
    /// column, as an LSTM's feature-major state).
    public func forward(_ x: Matrix, _ layout: Transpose = .none, into y: Matrix) {
        gemm(x, layout, weight.matrix, .transposed, into: y)
        addToRows(bias.base, y)
    }

    /// `∂L/∂W += dyᵀ op(x)` and `∂L/∂b += Σ_rows dy`, `x` laid out as for ``forward(_:_:into:)``.
    public func accumulateGradients(input x: Matrix, _ layout: Transpose = .none, outputGradient dy: Matrix) {
        gemm(dy, .transposed, x, layout, into: weightGradient.matrix, .accumulate)
        addColumnSums(of: dy, to: biasGradient.base)
    }

    /// `∂L/∂x`, written to `dx` laid out as `x` in ``forward(_:_:into:)``: `dy W` (`[n, in]`),
    /// or with `.transposed` its transpose `Wᵀ dyᵀ` (`[in, n]`).
    public func inputGradient(_ dy: Matrix, into dx: Matrix, _ layout: Transpose = .none) {
        switch layout {
        case .none: gemm(dy, .none, weight.matrix, .none, into: dx)
        case .transposed: gemm(weight.matrix, .transposed, dy, .transposed, into: dx)
        }
    }
}
