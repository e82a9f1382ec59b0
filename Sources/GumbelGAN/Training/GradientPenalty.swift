/// R1 regularisation of the discriminator on real data (Mescheder et al. 2018, "Which
/// training methods for GANs do actually converge?"): a penalty on the size of its input
/// gradient where the data is, which damps the oscillation of an unregularised GAN.
///
///     P(θ) = γ/2 · mean_i ‖gᵢ‖²,   gᵢ = ∇ₓ aᵢ(xᵢ)     (aᵢ: pack i's logit, its R logits summed)
///
/// ∂P/∂θ needs the mixed second derivative ∂²a/∂θ∂x, which no backward pass here computes.
/// It is the derivative of ∂a/∂θ along g in input space, so a central difference along
/// ĝ = g/‖g‖ gives it from first-order passes alone:
///
///     ∂P/∂θ = γ/N · Σᵢ ‖gᵢ‖ · [∂aᵢ/∂θ(xᵢ + h ĝᵢ) − ∂aᵢ/∂θ(xᵢ − h ĝᵢ)] / 2h  + O(h²)
///
/// One backward pass for g, then a forward and backward pass at x + hĝ with logit gradient
/// `γ‖gᵢ‖ / 2hN` and one at x − hĝ with its negative (N: the packs of the global batch).
/// Each pack's step is `hᵢ = min(h, c/‖gᵢ‖)`: its logit moves by at most about c, so that a
/// piecewise-linear discriminator (the CNN's ReLU and maximum) seldom crosses a kink within
/// it, where a difference would measure the kink instead of the derivative.
/// Packs do not see each other, so every pack moves along its own ĝᵢ in the same pass.
/// R2 is the same penalty at the generated packs.
public final class GradientPenalty {
    /// γ.
    public let weight: Float
    /// h: the largest step along ĝ. Its truncation error (h²/6 · a third derivative) and
    /// rounding error (about 1e-6 / h of ∂a/∂θ in Float32) are both near 1e-5 relative at 1e-2.
    public static let step: Float = 1e-2
    /// c: the largest change of a pack's logit along its step (`hᵢ ‖gᵢ‖`); infinite, the
    /// step is h whatever the gradient's size.
    var logitChange: Float = 1e-2
    /// Passes over the penalised packs, with the dropout masks of the workspace that judged
    /// them (copied in).
    public let workspace: Discriminator.Workspace
    /// `h ĝ` and `x ± h ĝ`, shaped like the inputs `[T, packs, m·V]`.
    let direction: Tensor, shifted: Tensor
    /// Per pack: `‖gᵢ‖²`, `‖gᵢ‖` and the step `hᵢ`, and the output bias's gradient kept aside.
    private var squares: [Double], norms: [Float], stepSizes: [Float], savedBias: [Float]

    /// For `discriminator` over `packs` packs of this rank's rows (real for R1, generated for R2).
    public init(weight: Float, discriminator: Discriminator, packs: Int) {
        precondition(weight > 0 && weight.isFinite, "GradientPenalty: weight \(weight)")
        self.weight = weight
        workspace = Discriminator.Workspace(discriminator: discriminator, rows: packs)
        let shape = [discriminator.length, packs, discriminator.vocabularySize]
        (direction, shifted) = (Tensor(zeros: shape), Tensor(zeros: shape))
        (squares, norms, stepSizes) = ([Double](repeating: 0, count: packs), [Float](repeating: 0, count: packs), [Float](repeating: 0, count: packs))
        savedBias = [Float](repeating: 0, count: discriminator.output.biasGradient.count)
    }

    /// Adds ∂P/∂θ to `discriminator`'s gradients for this rank's packs `x` (`[T, packs, m·V]`),
    /// of `globalPacks` over all ranks. Returns this rank's `Σᵢ ‖gᵢ‖²`.
    public func addGradient(_ discriminator: Discriminator, inputs x: Tensor, globalPacks: Int) -> Double {
        let (d, ws) = (discriminator, workspace)
        // P does not depend on the output bias; the ± passes would leave rounding noise there.
        let bias = d.output.biasGradient
        for k in 0..<bias.count { savedBias[k] = bias.base[k] }
        defer { for k in 0..<bias.count { bias.base[k] = savedBias[k] } }
        let (steps, packs, width) = (x.shape[0], x.shape[1], x.shape[2])
        precondition(packs == squares.count, "GradientPenalty: \(packs) packs for a penalty over \(squares.count)")
        let r = d.representations
        d.forward(x, ws)
        ws.logitGradients.values.update(repeating: 1)
        d.backward(ws, .inputs)
        let g = ws.inputGradients
        for i in 0..<packs { squares[i] = 0 }
        for t in 0..<steps {
            for i in 0..<packs {
                let row = g.base + (t * packs + i) * width
                for k in 0..<width { squares[i] += Double(row[k]) * Double(row[k]) }
            }
        }
        for i in 0..<packs {
            norms[i] = Float(squares[i].squareRoot())
            stepSizes[i] = min(Self.step, logitChange / norms[i])
        }
        for i in 0..<packs {
            let scale = norms[i] > 0 ? stepSizes[i] / norms[i] : 0
            for t in 0..<steps {
                let offset = (t * packs + i) * width
                for k in 0..<width { direction.base[offset + k] = scale * g.base[offset + k] }
            }
        }
        for sign: Float in [1, -1] {
            for k in 0..<x.count { shifted.base[k] = x.base[k] + sign * direction.base[k] }
            d.forward(shifted, ws)
            let logitGradients = ws.logitGradients.values
            for i in 0..<packs {
                let kappa = norms[i] > 0 ? sign * weight * norms[i] / (2 * stepSizes[i] * Float(globalPacks)) : 0
                for k in 0..<r { logitGradients[i * r + k] = kappa }
            }
            d.backward(ws, .parameters)
        }
        return squares.reduce(0, +)
    }
}
