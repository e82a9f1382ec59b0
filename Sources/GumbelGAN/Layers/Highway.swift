/// RelGAN's highway layer (as in TextGAN-PyTorch's CNN discriminators): one linear map
/// serves as both gate and transform.
///
///     u = x Wᵀ + b,   g = σ(u),   y = g ⊙ relu(u) + (1 − g) ⊙ x        (x, y: [n, F])
///
/// Backward, for `dy`: `du = dy ⊙ (g(1 − g)(relu(u) − x) + g ⊙ [u > 0])`,
/// `∂L/∂x = dy ⊙ (1 − g) + du W`, and the linear map's gradients from `du`.
public struct Highway {
    public let linear: Linear

    /// Declares `prefix.weight [features, features]` and `prefix.bias [features]`.
    public static func declare(in layout: inout ParameterLayout, prefix: String, features: Int) {
        Linear.declare(in: &layout, prefix: prefix, inputs: features, outputs: features)
    }

    public init(_ parameters: Parameters, prefix: String) { linear = Linear(parameters, prefix: prefix) }

    /// `y` of `x`, keeping `u` (all `[n, F]`) for the backward pass.
    public func forward(_ x: Matrix, preactivation u: Matrix, into y: Matrix) {
        linear.forward(x, into: u)
        for r in 0..<x.rows {
            let (xr, ur, yr) = (x.row(r), u.row(r), y.row(r))
            for j in 0..<x.columns {
                let g = sigmoid(ur[j])
                yr[j] = g * max(ur[j], 0) + (1 - g) * xr[j]
            }
        }
    }

    /// `∂L/∂x` into `dx` from `dy`, through the forward pass that read `x` and kept `u`;
    /// `du` is scratch (`[n, F]`). Adds the linear map's gradients when `parameters`.
    public func backward(input x: Matrix, preactivation u: Matrix, outputGradient dy: Matrix, scratch du: Matrix, into dx: Matrix, parameters: Bool) {
        for r in 0..<x.rows {
            let (xr, ur, dyr, dur, dxr) = (x.row(r), u.row(r), dy.row(r), du.row(r), dx.row(r))
            for j in 0..<x.columns {
                let g = sigmoid(ur[j])
                dur[j] = dyr[j] * (g * (1 - g) * (max(ur[j], 0) - xr[j]) + (ur[j] > 0 ? g : 0))
                dxr[j] = dyr[j] * (1 - g)
            }
        }
        if parameters { linear.accumulateGradients(input: x, outputGradient: du) }
        gemm(du, .none, linear.weight.matrix, .none, into: dx, .accumulate)
    }
}
