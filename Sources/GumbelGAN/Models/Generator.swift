/// Where the generator's initial LSTM state comes from.
public enum GeneratorInitialState: String, Sendable, Codable, CaseIterable {
    /// `h0, c0 ~ U(0, 1)^H`, one draw per example (the paper's default).
    case noise
    /// `h0 ~ U(0, 1)^H` per example, `c0` a learned parameter (the paper's variant (d)).
    case noiseHiddenLearnedCell = "noise-h0-learned-c0"
}

/// The paper's generator: an LSTM whose initial state is noise and which feeds each of
/// its Gumbel-softmax samples back to itself as the next input.
///
///     (h_0, c_0) = noise (or h_0 noise and c_0 learned)
///     y_0 = GS(W_out h_0 + b_out)
///     (h_t, c_t) = LSTM(y_{t-1}, h_{t-1}, c_{t-1}),   y_t = GS(W_out h_t + b_out),  t = 1 … T−1
///
/// with `GS(ℓ) = softmax((ℓ + g_t) / τ)`. Parameters: `lstm.weight_ih [4H, V]`,
/// `lstm.weight_hh [4H, H]`, `lstm.bias_ih`, `lstm.bias_hh [4H]`, `out.weight [V, H]`,
/// `out.bias [V]`, and `c0 [H]` when the cell state is learned.
public final class Generator {
    public let vocabularySize: Int
    public let hiddenSize: Int
    public let length: Int
    public let initialState: GeneratorInitialState
    public let parameters: Parameters
    public let lstm: LSTM
    public let output: Linear
    /// The learned `c0` and its gradient, when ``initialState`` learns it.
    let learnedCell: (value: Tensor, gradient: Tensor)?

    public init(vocabularySize: Int, hiddenSize: Int, length: Int, initialState: GeneratorInitialState = .noise) {
        precondition(vocabularySize > 0 && hiddenSize > 0 && length > 0, "Generator: sizes must be positive")
        self.vocabularySize = vocabularySize
        self.hiddenSize = hiddenSize
        self.length = length
        self.initialState = initialState
        var layout = ParameterLayout()
        LSTM.declare(in: &layout, prefix: "lstm", inputSize: vocabularySize, hiddenSize: hiddenSize)
        Linear.declare(in: &layout, prefix: "out", inputs: hiddenSize, outputs: vocabularySize)
        if initialState == .noiseHiddenLearnedCell { layout.add("c0", shape: [hiddenSize]) }
        parameters = Parameters(layout: layout)
        lstm = LSTM(parameters, prefix: "lstm")
        output = Linear(parameters, prefix: "out")
        learnedCell = initialState == .noiseHiddenLearnedCell
            ? (parameters.value("c0"), parameters.gradient("c0")) : nil
    }

    /// Buffers for one forward and backward pass over `rows` examples.
    public final class Workspace {
        public let rows: Int
        /// The LSTM's `T − 1` steps; `hiddens[0…T−1]` are the states the output layer reads.
        public let lstm: LSTMActivations
        /// `[T, rows, V]`: Gumbel noise `g_t`, filled by ``Generator/drawNoise(_:random:step:firstRow:)``.
        public let gumbel: Tensor
        /// `[T, rows, V]`: the logits `W_out h_t + b_out`.
        public let logits: Tensor
        /// `[T, rows, V]`: the samples `y_t`.
        public let samples: Tensor
        /// `[T, rows, V]`: `∂L/∂logits`, written by the backward pass.
        public let logitGradients: Tensor
        /// `[rows, V]` and `[rows, H]`: scratch of the backward pass.
        let feedbackGradient: Matrix, outputHiddenGradient: Matrix
        private let scratch: Tensor

        public init(generator g: Generator, rows: Int) {
            self.rows = rows
            let (t, v, h) = (g.length, g.vocabularySize, g.hiddenSize)
            lstm = LSTMActivations(steps: t - 1, rows: rows, hiddenSize: h)
            gumbel = Tensor(zeros: [t, rows, v])
            logits = Tensor(zeros: [t, rows, v])
            samples = Tensor(zeros: [t, rows, v])
            logitGradients = Tensor(zeros: [t, rows, v])
            scratch = Tensor(zeros: [rows * (v + h)])
            feedbackGradient = Matrix(scratch.base, rows: rows, columns: v)
            outputHiddenGradient = Matrix(scratch.base + rows * v, rows: rows, columns: h)
        }

        /// `∂L/∂h_0` after ``Generator/backward(_:sampleGradients:temperature:)``.
        public var initialHiddenGradient: Matrix { lstm.hiddenGradient }
        /// `∂L/∂c_0` after ``Generator/backward(_:sampleGradients:temperature:)``.
        public var initialCellGradient: Matrix { lstm.cellGradient }
    }

    /// Fills the noise of the workspace's rows, which are rows `firstRow …` of the global
    /// batch at training step `step`: `h0[r, j]` at `(generatorNoise, step, row, j)`,
    /// `c0[r, j]` at index `H + j` (unless `c0` is learned), `g_t[r, v]` at
    /// `(generatorGumbel, step, row, t·V + v)`.
    public func drawNoise(_ ws: Workspace, random: CounterRandom, step: Int, firstRow: Int) {
        let (h, v) = (hiddenSize, vocabularySize)
        for r in 0..<ws.rows {
            let row = firstRow + r
            random.fillUniform(ws.lstm.initialHidden.row(r), count: h, .generatorNoise, step: step, row: row)
            if initialState == .noise {
                random.fillUniform(ws.lstm.initialCell.row(r), count: h, .generatorNoise, step: step, row: row, from: h)
            }
            for t in 0..<length {
                random.fillGumbel(ws.gumbel[t].row(r), count: v, .generatorGumbel, step: step, row: row, from: t * v)
            }
        }
    }

    /// Generates `y_0 … y_{T−1}` into `ws.samples` from the noise already in the workspace
    /// (and the learned `c0`, if any).
    public func forward(_ ws: Workspace, temperature tau: Float) {
        let a = ws.lstm
        if let c0 = learnedCell { broadcastRows(c0.value.base, into: a.initialCell) }
        for t in 0..<length {
            if t > 0 { lstm.forwardStep(t - 1, input: ws.samples[t - 1], a) }
            output.forward(a.hiddens[t], into: ws.logits[t])
            GumbelSoftmax.forward(logits: ws.logits[t], gumbel: ws.gumbel[t], temperature: tau, into: ws.samples[t])
        }
    }

    /// Backward from `∂L/∂y` (`sampleGradients`, `[T, rows, V]`) through the sampling,
    /// the output layer and the LSTM, including the path through each fed-back sample.
    /// Adds the parameter gradients to `parameters.gradients` and leaves `∂L/∂h_0`,
    /// `∂L/∂c_0` in the workspace.
    public func backward(_ ws: Workspace, sampleGradients dy: Tensor, temperature tau: Float) {
        precondition(dy.shape == ws.samples.shape, "Generator.backward: gradient \(dy.shape), samples \(ws.samples.shape)")
        let a = ws.lstm
        a.hiddenGradient.zero()
        a.cellGradient.zero()
        for t in stride(from: length - 1, through: 0, by: -1) {
            let dLogits = ws.logitGradients[t]
            dLogits.copy(from: dy[t])
            if t < length - 1 { add(ws.feedbackGradient.base, to: dLogits.base, count: dLogits.count) }
            GumbelSoftmax.backward(outputGradient: dLogits, output: ws.samples[t], temperature: tau, into: dLogits)
            output.inputGradient(dLogits, into: ws.outputHiddenGradient)
            if t > 0 {
                lstm.backwardStep(t - 1, outputGradient: ws.outputHiddenGradient, a)
                lstm.inputGradient(step: t - 1, a, into: ws.feedbackGradient)
            } else {
                add(ws.outputHiddenGradient.base, to: a.hiddenGradient.base, count: a.hiddenGradient.count)
            }
        }
        output.accumulateGradients(input: a.hiddens.steps(0..<length), outputGradient: ws.logitGradients.matrix)
        lstm.accumulateWeightGradients(inputs: ws.samples.steps(0..<(length - 1)), a)
        if let c0 = learnedCell { addColumnSums(of: a.cellGradient, to: c0.gradient.base) }
    }
}
