/// A learned vector per symbol, PyTorch's `nn.Embedding` layout: `weight [V, E]`.
///
///     y = x W                 (x: [n, V] rows, one-hot or soft; y: [n, E])
///     ∂L/∂W += xᵀ dy          ∂L/∂x = dy Wᵀ
///
/// For a one-hot row the product is row `s` of `W` exactly (every other term is a zero);
/// for a soft row (a Gumbel-softmax sample) it is the probability-weighted mix, and the
/// gradient reaches the sample.
public struct Embedding {
    public let symbols: Int
    public let size: Int
    public let weight: Tensor
    public let weightGradient: Tensor

    /// Declares `prefix.weight [symbols, size]`.
    public static func declare(in layout: inout ParameterLayout, prefix: String, symbols: Int, size: Int) {
        layout.add("\(prefix).weight", shape: [symbols, size])
    }

    /// The layer over the tensor declared with ``declare(in:prefix:symbols:size:)``.
    public init(_ parameters: Parameters, prefix: String) {
        weight = parameters.value("\(prefix).weight")
        weightGradient = parameters.gradient("\(prefix).weight")
        symbols = weight.shape[0]
        size = weight.shape[1]
    }

    /// `y = x W` for `x` of `[n, V]` into `y` of `[n, E]`.
    public func forward(_ x: Matrix, into y: Matrix) {
        gemm(x, .none, weight.matrix, .none, into: y)
    }

    /// `y = x W` for one-hot rows `x`, given by their symbols (row `i` of `y` is row
    /// `symbol(i)` of `W`): the product's exact value, every other term being a zero, without
    /// its `V`-long dot products.
    public func forward(oneHotRows symbol: (Int) -> Int, into y: Matrix) {
        precondition(y.columns == size, "Embedding.forward: \(y.columns) columns for size \(size)")
        for i in 0..<y.rows {
            let s = symbol(i)
            precondition(s >= 0 && s < symbols, "Embedding.forward: symbol \(s) of \(symbols)")
            y.row(i).update(from: weight.base + s * size, count: size)
        }
    }

    /// `∂L/∂W += xᵀ dy` (`x` as given to ``forward(_:into:)``).
    public func accumulateGradients(input x: Matrix, outputGradient dy: Matrix) {
        gemm(x, .transposed, dy, .none, into: weightGradient.matrix, .accumulate)
    }

    /// `∂L/∂x = dy Wᵀ` into `dx` of `[n, V]`.
    public func inputGradient(_ dy: Matrix, into dx: Matrix) {
        gemm(dy, .none, weight.matrix, .transposed, into: dx)
    }
}
