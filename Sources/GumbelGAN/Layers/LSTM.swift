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
/// Two ways to run it over the same ``LSTMActivations``: ``forward(sequence:_:)`` when the
/// whole input is known in advance (all steps' input projections in one GEMM), and
/// ``forwardStep(_:input:_:)`` when each input depends on the previous output (the
/// generator feeding back its own samples). Backward likewise: ``backward(sequence:outputGradients:_:inputGradients:)``
/// or ``backwardStep(_:outputGradient:_:)`` step by step, then ``accumulateWeightGradients(inputs:_:)`` once.
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

    /// Declares `prefix.weight_ih`, `prefix.weight_hh`, `prefix.bias_ih`, `prefix.bias_hh`.
    public static func declare(in layout: inout ParameterLayout, prefix: String, inputSize: Int, hiddenSize: Int) {
        layout.add("\(prefix).weight_ih", shape: [4 * hiddenSize, inputSize])
        layout.add("\(prefix).weight_hh", shape: [4 * hiddenSize, hiddenSize])
        layout.add("\(prefix).bias_ih", shape: [4 * hiddenSize])
        layout.add("\(prefix).bias_hh", shape: [4 * hiddenSize])
    }

    /// The layer over tensors declared with ``declare(in:prefix:inputSize:hiddenSize:)``.
    public init(_ parameters: Parameters, prefix: String) {
        weightIH = parameters.value("\(prefix).weight_ih")
        weightHH = parameters.value("\(prefix).weight_hh")
        biasIH = parameters.value("\(prefix).bias_ih")
        biasHH = parameters.value("\(prefix).bias_hh")
        weightIHGradient = parameters.gradient("\(prefix).weight_ih")
        weightHHGradient = parameters.gradient("\(prefix).weight_hh")
        biasIHGradient = parameters.gradient("\(prefix).bias_ih")
        biasHHGradient = parameters.gradient("\(prefix).bias_hh")
        hiddenSize = weightHH.shape[1]
        inputSize = weightIH.shape[1]
    }

    // MARK: Forward

    /// Runs all steps over `x` of shape `[steps, rows, I]`. The initial state must already be
    /// in `a.initialHidden` and `a.initialCell`.
    public func forward(sequence x: Tensor, _ a: LSTMActivations) {
        precondition(x.shape == [a.steps, a.rows, inputSize], "LSTM.forward: input \(x.shape)")
        gemm(x.matrix, .none, weightIH.matrix, .transposed, into: a.gates.matrix)
        for t in 0..<a.steps { recur(t, a) }
    }

    /// Runs step `t` on input `x` of `[rows, I]`, from `h_t`, `c_t` to `h_{t+1}`, `c_{t+1}`.
    public func forwardStep(_ t: Int, input x: Matrix, _ a: LSTMActivations) {
        gemm(x, .none, weightIH.matrix, .transposed, into: a.gates[t])
        recur(t, a)
    }

    /// Adds `W_hh h_t` and the biases to step `t`'s input projection and applies the gates.
    /// The gate nonlinearities run over the whole `rows × 4H` matrix in one vectorised
    /// pass: the cell block is pre-scaled by 2 so that `tanh a = 2σ(2a) − 1` comes out of
    /// the same sigmoid.
    private func recur(_ t: Int, _ a: LSTMActivations) {
        let pre = a.gates[t]
        gemm(a.hiddens[t], .none, weightHH.matrix, .transposed, into: pre, .accumulate)
        let (n, rows) = (hiddenSize, a.rows)
        let bi = biasIH.base, bh = biasHH.base
        let gates = pre.base
        for r in 0..<rows {
            let gate = gates + r * 4 * n
            forEachLane(4 * n) { k in gate.lanes(k, gate.lanes(k) + (bi.lanes(k) + bh.lanes(k))) }
                scalar: { k in gate[k] += bi[k] + bh[k] }
            let cell = gate + 2 * n
            forEachLane(n) { j in cell.lanes(j, cell.lanes(j) * 2) } scalar: { j in cell[j] *= 2 }
        }
        map(gates, into: gates, count: rows * 4 * n, sigmoid)
        let cPrev = a.cells[t].base, cNext = a.cells[t + 1].base
        for r in 0..<rows {
            let i = gates + r * 4 * n, f = i + n, g = i + 2 * n
            let cp = cPrev + r * n, cn = cNext + r * n
            forEachLane(n) { j in
                let gj = 2 * g.lanes(j) - 1
                g.lanes(j, gj)
                cn.lanes(j, f.lanes(j) * cp.lanes(j) + i.lanes(j) * gj)
            } scalar: { j in
                let gj = 2 * g[j] - 1
                g[j] = gj
                cn[j] = f[j] * cp[j] + i[j] * gj
            }
        }
        let tanhC = a.cellTanh[t].base, hNext = a.hiddens[t + 1].base
        map(cNext, into: tanhC, count: rows * n, tanh)
        for r in 0..<rows {
            let o = gates + r * 4 * n + 3 * n, tc = tanhC + r * n, h = hNext + r * n
            forEachLane(n) { j in h.lanes(j, o.lanes(j) * tc.lanes(j)) } scalar: { j in h[j] = o[j] * tc[j] }
        }
    }

    // MARK: Backward

    /// Backward through the whole sequence. `outputGradients[t]` is `∂L/∂h_{t+1}` from
    /// outside the LSTM; `∂L/∂c_T` is taken as zero. Accumulates the weight gradients when
    /// `weightGradients`, writes `∂L/∂x` into `inputGradients` when given, and leaves
    /// `∂L/∂h_0`, `∂L/∂c_0` in `a.hiddenGradient`, `a.cellGradient`.
    public func backward(sequence x: Tensor, outputGradients: Tensor, _ a: LSTMActivations,
                         weightGradients: Bool = true, inputGradients: Tensor?) {
        precondition(outputGradients.shape == [a.steps, a.rows, hiddenSize], "LSTM.backward: \(outputGradients.shape)")
        a.hiddenGradient.zero()
        a.cellGradient.zero()
        for t in stride(from: a.steps - 1, through: 0, by: -1) {
            backwardStep(t, outputGradient: outputGradients[t], a)
        }
        if weightGradients { accumulateWeightGradients(inputs: x.matrix, a) }
        if let dx = inputGradients {
            gemm(a.gateGradients.matrix, .none, weightIH.matrix, .none, into: dx.matrix)
        }
    }

    /// Backward through step `t`. On entry `a.hiddenGradient`, `a.cellGradient` hold the
    /// gradient reaching `h_{t+1}`, `c_{t+1}` from step `t + 1` (zero them before the last
    /// step); `outputGradient`, if given, is added as the gradient reaching `h_{t+1}` from
    /// outside. On exit they hold `∂L/∂h_t` and `∂L/∂c_t` through this step, and
    /// `a.gateGradients[t]` holds this step's `∂L/∂a`.
    public func backwardStep(_ t: Int, outputGradient: Matrix?, _ a: LSTMActivations) {
        let dhAll = a.hiddenGradient, dcAll = a.cellGradient
        if let external = outputGradient { add(external.base, to: dhAll.base, count: dhAll.count) }
        let n = hiddenSize
        let da = a.gateGradients[t]
        let gates = a.gates[t].base, cells = a.cells[t].base, tanhCells = a.cellTanh[t].base
        let dhs = dhAll.base, dcs = dcAll.base, das = da.base
        for r in 0..<a.rows {
            let gate = gates + r * 4 * n, cPrev = cells + r * n, tanhC = tanhCells + r * n
            let dh = dhs + r * n, dc = dcs + r * n, d = das + r * 4 * n
            let (fGate, gGate, oGate) = (gate + n, gate + 2 * n, gate + 3 * n)
            let (dF, dG, dO) = (d + n, d + 2 * n, d + 3 * n)
            forEachLane(n) { j in
                let i = gate.lanes(j), f = fGate.lanes(j), g = gGate.lanes(j), o = oGate.lanes(j)
                let tc = tanhC.lanes(j), dhj = dh.lanes(j)
                let dcj = dc.lanes(j) + dhj * o * (1 - tc * tc)
                d.lanes(j, dcj * g * i * (1 - i))
                dF.lanes(j, dcj * cPrev.lanes(j) * f * (1 - f))
                dG.lanes(j, dcj * i * (1 - g * g))
                dO.lanes(j, dhj * tc * o * (1 - o))
                dc.lanes(j, dcj * f)
            } scalar: { j in
                let i = gate[j], f = fGate[j], g = gGate[j], o = oGate[j]
                let tc = tanhC[j]
                let dcj = dc[j] + dh[j] * o * (1 - tc * tc)
                d[j] = dcj * g * i * (1 - i)
                dF[j] = dcj * cPrev[j] * f * (1 - f)
                dG[j] = dcj * i * (1 - g * g)
                dO[j] = dh[j] * tc * o * (1 - o)
                dc[j] = dcj * f
            }
        }
        gemm(da, .none, weightHH.matrix, .none, into: dhAll)
    }

    /// `∂L/∂x_t = (∂L/∂a_t) W_ih` for a step already visited by ``backwardStep(_:outputGradient:_:)``.
    public func inputGradient(step t: Int, _ a: LSTMActivations, into dx: Matrix) {
        gemm(a.gateGradients[t], .none, weightIH.matrix, .none, into: dx)
    }

    /// After all steps' backward: `∂L/∂W_ih += Σ_t da_tᵀ x_t`, `∂L/∂W_hh += Σ_t da_tᵀ h_t`,
    /// `∂L/∂b_ih`, `∂L/∂b_hh += Σ_t Σ_rows da_t`, each as one product over all steps.
    /// `inputs` holds `x_0 … x_{T-1}` as one `(steps·rows) × I` matrix.
    public func accumulateWeightGradients(inputs: Matrix, _ a: LSTMActivations) {
        let da = a.gateGradients.matrix
        gemm(da, .transposed, inputs, .none, into: weightIHGradient.matrix, .accumulate)
        gemm(da, .transposed, a.hiddens.steps(0..<a.steps), .none, into: weightHHGradient.matrix, .accumulate)
        addColumnSums(of: da, to: biasIHGradient.base)
        addColumnSums(of: da, to: biasHHGradient.base)
    }
}
