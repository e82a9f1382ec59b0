/// A one-layer LSTM in PyTorch's layout: `weight_ih [4H, I]`, `weight_hh [4H, H]`,
/// `bias_ih [4H]`, `bias_hh [4H]`, gate blocks in the order input, forget, cell, output.
///
/// One step, for input `x` and state `(h, c)`:
///
///     a = W_ih x + b_ih + W_hh h + b_hh          (4H pre-activations)
///     i = σ(a_i)   f = σ(a_f)   g = tanh(a_g)   o = σ(a_o)
///     c' = f ⊙ c + i ⊙ g
///     h' = o ⊙ tanh(c')
///
/// Backward through a step, given `∂L/∂h'` and `∂L/∂c'`:
///
///     dc  = ∂L/∂c' + ∂L/∂h' ⊙ o ⊙ (1 - tanh²c')
///     da_i = dc ⊙ g ⊙ i(1-i)        da_f = dc ⊙ c ⊙ f(1-f)
///     da_g = dc ⊙ i ⊙ (1-g²)        da_o = ∂L/∂h' ⊙ tanh c' ⊙ o(1-o)
///     ∂L/∂c = dc ⊙ f     ∂L/∂h = da W_hh     ∂L/∂x = da W_ih
///     ∂L/∂W_ih += daᵀ x  ∂L/∂W_hh += daᵀ h   ∂L/∂b_ih = ∂L/∂b_hh += Σ_rows da
///
/// Inputs `x` are given row-major (`[rows, I]`, one example per row) and kept transposed;
/// states, gates and their gradients are feature-major (`[H, rows]`, one example per
/// column; see ``LSTMActivations``), so the products are `a = W_ih x + W_hh h` on
/// feature-major operands and the elementwise work runs over runs of `rows` values.
///
/// Two ways to run it over the same ``LSTMActivations``: ``forward(sequence:_:)`` when the
/// whole input is known in advance (all steps' input projections in one GEMM), and
/// ``forwardStep(_:input:_:)`` when each input depends on the previous output (the
/// generator feeding back its own samples). Backward likewise: ``backward(_:weightGradients:inputGradients:outputGradient:)``
/// or ``backwardStep(_:outputGradient:_:)`` step by step, then ``accumulateWeightGradients(_:)`` once.
public struct LSTM {
    public let inputSize: Int
    public let hiddenSize: Int
    public let weightIH: Tensor
    public let weightHH: Tensor
    public let biasIH: Tensor
    public let biasHH: Tensor
    public let weightIHGradient: Tensor
    public let weightHHGradient: Tensor
    public let biasIHGradient: Tensor
    public let biasHHGradient: Tensor

    /// Declares `prefix.weight_ih`, `prefix.weight_hh`, `prefix.bias_ih`, `prefix.bias_hh`,
    /// each name followed by `suffix` (`_l1` for layer 1 of a stack, as `nn.LSTM` names them).
    public static func declare(
        in layout: inout ParameterLayout, prefix: String, suffix: String = "", inputSize: Int, hiddenSize: Int
    ) {
        layout.add("\(prefix).weight_ih\(suffix)", shape: [4 * hiddenSize, inputSize])
        layout.add("\(prefix).weight_hh\(suffix)", shape: [4 * hiddenSize, hiddenSize])
        layout.add("\(prefix).bias_ih\(suffix)", shape: [4 * hiddenSize])
        layout.add("\(prefix).bias_hh\(suffix)", shape: [4 * hiddenSize])
    }

    /// The name suffix of each layer's tensors in a network of `layers` layers: none for the
    /// paper's one layer on one-hot inputs (`lstm.weight_ih`, as `nn.LSTMCell` names them),
    /// `_l0`, `_l1`, … for a stack or after an embedding (as `nn.LSTM` names them).
    public static func suffixes(layers: Int, embedded: Bool) -> [String] {
        layers == 1 && !embedded ? [""] : (0..<layers).map { "_l\($0)" }
    }

    /// The layer over tensors declared with ``declare(in:prefix:suffix:inputSize:hiddenSize:)``.
    public init(_ parameters: Parameters, prefix: String, suffix: String = "") {
        weightIH = parameters.value("\(prefix).weight_ih\(suffix)")
        weightHH = parameters.value("\(prefix).weight_hh\(suffix)")
        biasIH = parameters.value("\(prefix).bias_ih\(suffix)")
        biasHH = parameters.value("\(prefix).bias_hh\(suffix)")
        weightIHGradient = parameters.gradient("\(prefix).weight_ih\(suffix)")
        weightHHGradient = parameters.gradient("\(prefix).weight_hh\(suffix)")
        biasIHGradient = parameters.gradient("\(prefix).bias_ih\(suffix)")
        biasHHGradient = parameters.gradient("\(prefix).bias_hh\(suffix)")
        hiddenSize = weightHH.shape[1]
        inputSize = weightIH.shape[1]
    }

    // MARK: Forward

    /// Runs all steps over `x` of shape `[steps, rows, I]`. The initial state must already be
    /// in `a.initialHidden` and `a.initialCell`.
    public func forward(sequence x: Tensor, _ a: LSTMActivations) {
        precondition(x.shape == [a.steps, a.rows, inputSize] && a.inputSize == inputSize, "LSTM.forward: input \(x.shape)")
        transpose(x.matrix, into: a.allInputs)
        gemm(weightIH.matrix, .none, a.allInputs, .none, into: a.allGates)
        for t in 0..<a.steps { recur(t, a) }
    }

    /// Runs all steps over feature-major inputs `x` (`[I, steps·rows]`: a lower layer's
    /// states `h_1 … h_T`), each value multiplied by `mask` (`[I, steps·rows]`) when given:
    /// a stacked LSTM's layer, with dropout between layers.
    public func forward(featureMajor x: Matrix, mask: Matrix?, _ a: LSTMActivations) {
        precondition(x.rows == inputSize && x.columns == a.steps * a.rows, "LSTM.forward: input \(x.rows) × \(x.columns)")
        copyMasked(x, mask, into: a.allInputs)
        gemm(weightIH.matrix, .none, a.allInputs, .none, into: a.allGates)
        for t in 0..<a.steps { recur(t, a) }
    }

    /// Runs step `t` on a feature-major input `x` (`[I, rows]`, a lower layer's state), times
    /// `mask` when given.
    public func forwardStep(_ t: Int, featureMajorInput x: Matrix, mask: Matrix?, _ a: LSTMActivations) {
        copyMasked(x, mask, into: a.input(t))
        gemm(weightIH.matrix, .none, a.input(t), .none, into: a.gates(t))
        recur(t, a)
    }

    /// `y = x` or `y = x ⊙ mask`, elementwise over matrices of one shape.
    private func copyMasked(_ x: Matrix, _ mask: Matrix?, into y: Matrix) {
        y.copy(from: x)
        if let mask { multiply(y, by: mask) }
    }

    /// Runs step `t` on input `x` of `[rows, I]`, from `h_t`, `c_t` to `h_{t+1}`, `c_{t+1}`.
    public func forwardStep(_ t: Int, input x: Matrix, _ a: LSTMActivations) {
        transpose(x, into: a.input(t))
        gemm(weightIH.matrix, .none, a.input(t), .none, into: a.gates(t))
        recur(t, a)
    }

    /// Adds `W_hh h_t` and the biases to step `t`'s input projection, applies the gates and
    /// updates the state, one feature at a time over all rows, in two vector passes: the four
    /// gates, then the state. (In one pass for both, tanh(c') waited on the gates in every
    /// vector; the processor overlaps the vectors of the shorter passes better.)
    private func recur(_ t: Int, _ a: LSTMActivations) {
        let gates = a.gates(t)
        gemm(weightHH.matrix, .none, a.hidden(t), .none, into: gates, .accumulate)
        let n = hiddenSize
        let bi = biasIH.base, bh = biasHH.base
        let (cPrev, cNext, tanhCells, hNext) = (a.cell(t), a.cell(t + 1), a.cellTanh(t), a.hidden(t + 1))
        for j in 0..<n {
            let (i, f, g, o) = (gates.row(j), gates.row(n + j), gates.row(2 * n + j), gates.row(3 * n + j))
            let (bI, bF) = (bi[j] + bh[j], bi[n + j] + bh[n + j])
            let (bG, bO) = (bi[2 * n + j] + bh[2 * n + j], bi[3 * n + j] + bh[3 * n + j])
            let (cp, cn, tc, h) = (cPrev.row(j), cNext.row(j), tanhCells.row(j), hNext.row(j))
            @inline(__always) func activate(_ r: Int, _ w: Int) {
                let iv = sigmoid(i.lanes(r, width: w) + bI), fv = sigmoid(f.lanes(r, width: w) + bF)
                let gv = tanh(g.lanes(r, width: w) + bG), ov = sigmoid(o.lanes(r, width: w) + bO)
                i.lanes(r, iv, width: w)
                f.lanes(r, fv, width: w)
                g.lanes(r, gv, width: w)
                o.lanes(r, ov, width: w)
            }
            @inline(__always) func update(_ r: Int, _ w: Int) {
                let c = f.lanes(r, width: w) * cp.lanes(r, width: w) + i.lanes(r, width: w) * g.lanes(r, width: w)
                let tcv = tanh(c)
                cn.lanes(r, c, width: w)
                tc.lanes(r, tcv, width: w)
                h.lanes(r, o.lanes(r, width: w) * tcv, width: w)
            }
            forEachVector(a.rows, activate)
            forEachVector(a.rows, update)
        }
    }

    // MARK: Backward

    /// Backward through the whole sequence. `outputGradient(t)` is `∂L/∂h_{t+1}` from
    /// outside the LSTM (`[H, rows]`, or nil for none); `∂L/∂c_T` is taken as zero.
    /// Accumulates the weight gradients when `weightGradients`, writes `∂L/∂x` into
    /// `inputGradients` (`[steps, rows, I]`) when given, and leaves `∂L/∂h_0`, `∂L/∂c_0` in
    /// `a.hiddenGradient`, `a.cellGradient`.
    public func backward(
        _ a: LSTMActivations, weightGradients: Bool = true,
        inputGradients: Tensor?, outputGradient: (Int) -> Matrix?
    ) {
        a.hiddenGradient.zero()
        a.cellGradient.zero()
        for t in stride(from: a.steps - 1, through: 0, by: -1) {
            backwardStep(t, outputGradient: outputGradient(t), a)
        }
        if weightGradients { accumulateWeightGradients(a) }
        if let dx = inputGradients {
            gemm(a.allGateGradients, .transposed, weightIH.matrix, .none, into: dx.matrix)
        }
    }

    /// Backward through step `t`. On entry `a.hiddenGradient`, `a.cellGradient` hold the
    /// gradient reaching `h_{t+1}`, `c_{t+1}` from step `t + 1` (zero them before the last
    /// step); `outputGradient` (`[H, rows]`), if given, is added as the gradient reaching
    /// `h_{t+1}` from outside. On exit they hold `∂L/∂h_t` and `∂L/∂c_t` through this step,
    /// and `a.gateGradients(t)` holds this step's `∂L/∂a` (in place of its gates, which the
    /// step no longer needs).
    public func backwardStep(_ t: Int, outputGradient: Matrix?, _ a: LSTMActivations) {
        let n = hiddenSize
        let (gates, da) = (a.gates(t), a.gateGradients(t))
        let (cells, tanhCells) = (a.cell(t), a.cellTanh(t))
        for j in 0..<n {
            let (iG, fG, gG, oG) = (gates.row(j), gates.row(n + j), gates.row(2 * n + j), gates.row(3 * n + j))
            let (dI, dF, dG, dO) = (da.row(j), da.row(n + j), da.row(2 * n + j), da.row(3 * n + j))
            let (cPrev, tanhC) = (cells.row(j), tanhCells.row(j))
            let (dh, dc) = (a.hiddenGradient.row(j), a.cellGradient.row(j))
            if let external = outputGradient?.row(j) { add(external, to: dh, count: a.rows) }
            @inline(__always) func body(_ r: Int, _ w: Int) {
                let i = iG.lanes(r, width: w), f = fG.lanes(r, width: w)
                let g = gG.lanes(r, width: w), o = oG.lanes(r, width: w)
                let tc = tanhC.lanes(r, width: w), dhj = dh.lanes(r, width: w)
                let dcj = dc.lanes(r, width: w) + dhj * o * (1 - tc * tc)
                dI.lanes(r, dcj * g * i * (1 - i), width: w)
                dF.lanes(r, dcj * cPrev.lanes(r, width: w) * f * (1 - f), width: w)
                dG.lanes(r, dcj * i * (1 - g * g), width: w)
                dO.lanes(r, dhj * tc * o * (1 - o), width: w)
                dc.lanes(r, dcj * f, width: w)
            }
            forEachVector(a.rows, body)
        }
        gemm(weightHH.matrix, .transposed, da, .none, into: a.hiddenGradient)
    }

    /// `∂L/∂x_t = (∂L/∂a_t)ᵀ W_ih` (`[rows, I]`) for a step already visited by
    /// ``backwardStep(_:outputGradient:_:)``.
    public func inputGradient(step t: Int, _ a: LSTMActivations, into dx: Matrix) {
        gemm(a.gateGradients(t), .transposed, weightIH.matrix, .none, into: dx)
    }

    /// `∂L/∂x` feature-major, `W_ihᵀ (∂L/∂a)` (`[I, columns]`), for step `t` (`dx` of
    /// `[I, rows]`) or, with `t` nil, for all steps (`dx` of `[I, steps·rows]`): the gradient a
    /// stacked layer hands to the states of the layer below.
    public func featureMajorInputGradient(step t: Int?, _ a: LSTMActivations, into dx: Matrix) {
        gemm(weightIH.matrix, .transposed, t.map { a.gateGradients($0) } ?? a.allGateGradients, .none, into: dx)
    }

    /// After all steps' backward: `∂L/∂W_ih += Σ_t da_t x_tᵀ`, `∂L/∂W_hh += Σ_t da_t h_tᵀ`,
    /// `∂L/∂b_ih`, `∂L/∂b_hh += Σ_t Σ_rows da_t`, each as one product over steps
    /// `0 ..< steps` (all by default; the inputs as the forward pass kept them).
    public func accumulateWeightGradients(_ a: LSTMActivations, steps: Int? = nil) {
        let columns = 0..<(steps ?? a.steps) * a.rows
        let da = a.allGateGradients.columns(columns)
        gemm(da, .none, a.allInputs.columns(columns), .transposed, into: weightIHGradient.matrix, .accumulate)
        gemm(da, .none, a.hiddens(0..<(steps ?? a.steps)), .transposed, into: weightHHGradient.matrix, .accumulate)
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 4 * hiddenSize) { sums in
            let sums = sums.baseAddress!
            sums.initialize(repeating: 0, count: 4 * hiddenSize)
            addRowSums(of: da, to: sums)
            add(sums, to: biasIHGradient.base, count: 4 * hiddenSize)
            add(sums, to: biasHHGradient.base, count: 4 * hiddenSize)
        }
    }
}
