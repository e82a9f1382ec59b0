/// A fully connected layer `y = x Wᵀ + b`, `W` of shape `[out, in]` and `b` of `[out]`
/// (PyTorch's `nn.Linear` layout).
///
/// Backward, for `dy = ∂L/∂y`: `∂L/∂W += dyᵀ x`, `∂L/∂b += Σ_rows dy`, `∂L/∂x = dy W`.
/// The layer caches nothing itself: its input is the caller's activation buffer, which
/// must still hold `x` when ``accumulateGradients(input:outputGradient:)`` runs.
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

    /// `y = x Wᵀ + b` for `x` of `[n, in]`, `y` of `[n, out]`.
    public func forward(_ x: Matrix, into y: Matrix) {
        gemm(x, .none, weight.matrix, .transposed, into: y)
        addToRows(bias.base, y)
    }

    /// `∂L/∂W += dyᵀ x` and `∂L/∂b += Σ_rows dy`.
    public func accumulateGradients(input x: Matrix, outputGradient dy: Matrix) {
        gemm(dy, .transposed, x, .none, into: weightGradient.matrix, .accumulate)
        addColumnSums(of: dy, to: biasGradient.base)
    }

    /// `∂L/∂x = dy W`, written or added to `dx`.
    public func inputGradient(_ dy: Matrix, into dx: Matrix, _ accumulation: Accumulation = .overwrite) {
        gemm(dy, .none, weight.matrix, .none, into: dx, accumulation)
    }
}
