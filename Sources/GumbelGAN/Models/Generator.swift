/// The paper's generator: an LSTM whose initial state is noise and which feeds each of
/// its samples back to itself as the next input.
///
///     (h_0, c_0) = noise (or h_0 noise and c_0 learned, or zero)
///     y_0 = S(W_out h_0 + b_out)
///     (h_t, c_t) = LSTM(y_{t-1}, h_{t-1}, c_{t-1}),   y_t = S(W_out h_t + b_out),  t = 1 … T−1
///
/// with `S(ℓ) = softmax((ℓ + g_t)/τ)` (Gumbel-softmax) or its straight-through version.
/// Each step's symbol is `argmax(ℓ + g_t)`, an exact categorical draw (the paper's eq. 3).
/// Trained by maximum likelihood instead, the inputs are the data's one-hot symbols
/// (teacher forcing) and the logits are scored against the next symbol.
///
/// Parameters: `lstm.weight_ih [4H, V]`, `lstm.weight_hh [4H, H]`, `lstm.bias_ih`,
/// `lstm.bias_hh [4H]`, `out.weight [V, H]`, `out.bias [V]`, and `c0 [H]` when learned.
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
        parameters = Parameters(layout: Self.layout(vocabularySize: vocabularySize, hiddenSize: hiddenSize, initialState: initialState))
        lstm = LSTM(parameters, prefix: "lstm")
        output = Linear(parameters, prefix: "out")
        learnedCell =
            initialState == .noiseHiddenLearnedCell
            ? (parameters.value("c0"), parameters.gradient("c0")) : nil
    }

    /// The parameters of a generator of these sizes.
    public static func layout(vocabularySize: Int, hiddenSize: Int, initialState: GeneratorInitialState) -> ParameterLayout {
        var layout = ParameterLayout()
        LSTM.declare(in: &layout, prefix: "lstm", inputSize: vocabularySize, hiddenSize: hiddenSize)
        Linear.declare(in: &layout, prefix: "out", inputs: hiddenSize, outputs: vocabularySize)
        if initialState == .noiseHiddenLearnedCell { layout.add("c0", shape: [hiddenSize]) }
        return layout
    }

    /// Buffers for one forward and backward pass over `rows` examples.
    public final class Workspace {
        public let rows: Int
        /// The LSTM's `T − 1` steps; `hidden(0) … hidden(T−1)` are the states the output layer reads.
        public let lstm: LSTMActivations
        /// `[T, rows, V]`: Gumbel noise `g_t`, filled by ``Generator/drawNoise(_:random:step:firstRow:)``.
        public let gumbel: Tensor
        /// `[T, rows, V]`: the logits `W_out h_t + b_out`.
        public let logits: Tensor
        /// `[T, rows, V]`: the samples `y_t`, fed back and handed to the discriminator.
        public let samples: Tensor
        /// `[T, rows, V]`: the Gumbel-softmax samples behind straight-through one-hots.
        public let softSamples: Tensor
        /// `[rows · T]`: each step's symbol `argmax(ℓ_t + g_t)`, row by row.
        public let symbols: UnsafeMutableBufferPointer<Int32>
        /// `[T, rows, V]`: `∂L/∂logits`, written by the backward pass (or, for maximum
        /// likelihood, by the loss).
        public let logitGradients: Tensor
        /// `max(T·V, 2H)` values: one row's Gumbel noise, or its initial state, drawn in one run.
        let rowNoise: UnsafeMutableBufferPointer<Float>
        /// `[rows, V]`, `[H, rows]` and `[rows, V]`: scratch of the backward pass.
        let feedbackGradient: Matrix, outputHiddenGradient: Matrix, entropyScratch: Matrix
        private let scratch: Tensor

        public init(generator g: Generator, rows: Int) {
            self.rows = rows
            let (t, v, h) = (g.length, g.vocabularySize, g.hiddenSize)
            lstm = LSTMActivations(steps: t - 1, rows: rows, hiddenSize: h, inputSize: v)
            gumbel = Tensor(zeros: [t, rows, v])
            logits = Tensor(zeros: [t, rows, v])
            samples = Tensor(zeros: [t, rows, v])
            softSamples = Tensor(zeros: [t, rows, v])
            logitGradients = Tensor(zeros: [t, rows, v])
            symbols = .allocate(capacity: rows * t)
            symbols.initialize(repeating: 0)
            rowNoise = .allocate(capacity: max(t * v, 2 * h))
            rowNoise.initialize(repeating: 0)
            scratch = Tensor(zeros: [rows * (2 * v + h)])
            feedbackGradient = Matrix(scratch.base, rows: rows, columns: v)
            outputHiddenGradient = Matrix(scratch.base + rows * v, rows: h, columns: rows)
            entropyScratch = Matrix(scratch.base + rows * (v + h), rows: rows, columns: v)
        }

        deinit {
            symbols.deallocate()
            rowNoise.deallocate()
        }

        /// `∂L/∂h_0` after a backward pass, `[H, rows]`.
        public var initialHiddenGradient: Matrix { lstm.hiddenGradient }
        /// `∂L/∂c_0` after a backward pass, `[H, rows]`.
        public var initialCellGradient: Matrix { lstm.cellGradient }
    }

    /// Fills the noise of the workspace's rows, which are rows `firstRow …` of the global
    /// batch at training step `step`: value `j` of example `r`'s `h0` (feature-major: `h0[j, r]`)
    /// at `(generatorNoise, step, row, j)`, of its `c0` at index `H + j` (unless `c0` is
    /// learned or zero), `g_t[r, v]` at `(generatorGumbel, step, row, t·V + v)`.
    public func drawNoise(_ ws: Workspace, random: CounterRandom, step: Int, firstRow: Int) {
        let (h, v) = (hiddenSize, vocabularySize)
        let gumbel = ws.gumbel.base, rowNoise = ws.rowNoise.baseAddress!
        let (h0, c0) = (ws.lstm.initialHidden, ws.lstm.initialCell)
        for r in 0..<ws.rows {
            let row = firstRow + r
            // The state is feature-major: example r is column r.
            if initialState != .zero {
                random.fillUniform(rowNoise, count: 2 * h, .generatorNoise, step: step, row: row)
                for j in 0..<h { h0[j, r] = rowNoise[j] }
            }
            if initialState == .noise {
                for j in 0..<h { c0[j, r] = rowNoise[h + j] }
            }
            // One run of T·V draws per row, then spread over the time-major layout.
            random.fillGumbel(rowNoise, count: length * v, .generatorGumbel, step: step, row: row)
            for t in 0..<length {
                (gumbel + (t * ws.rows + r) * v).update(from: rowNoise + t * v, count: v)
            }
        }
    }

    /// Generates `y_0 … y_{T−1}` into `ws.samples` (and the symbols into `ws.symbols`) from
    /// the noise already in the workspace.
    public func forward(_ ws: Workspace, temperature tau: Float, estimator: Estimator = .gumbelSoftmax) {
        let a = ws.lstm
        if let c0 = learnedCell { broadcastColumns(c0.value.base, into: a.initialCell) }
        let soft = estimator == .straightThrough ? ws.softSamples : ws.samples
        for t in 0..<length {
            if t > 0 { lstm.forwardStep(t - 1, input: ws.samples[t - 1], a) }
            output.forward(a.hidden(t), .transposed, into: ws.logits[t])
            GumbelSoftmax.forward(
                logits: ws.logits[t], gumbel: ws.gumbel[t], temperature: tau, into: soft[t],
                symbols: ws.symbols.baseAddress! + t, symbolStride: length)
            if estimator == .straightThrough { oneHot(ws, step: t, into: ws.samples[t]) }
        }
    }

    /// Backward from `∂L/∂y` (`sampleGradients`, `[T, rows, V]`) through the sampling,
    /// the output layer and the LSTM, including the path through each fed-back sample.
    /// Adds the parameter gradients to `parameters.gradients` and leaves `∂L/∂h_0`,
    /// `∂L/∂c_0` in the workspace.
    ///
    /// With `entropyWeight` λ > 0 the loss also holds `−λ Σ_{t,rows} H(softmax ℓ_t)`, an
    /// entropy bonus that keeps each step's distribution from collapsing onto one symbol:
    /// `∂(−H)/∂ℓ_j = p_j (log p_j + H)`.
    public func backward(
        _ ws: Workspace, sampleGradients dy: Tensor, temperature tau: Float,
        estimator: Estimator = .gumbelSoftmax, entropyWeight: Float = 0
    ) {
        precondition(dy.shape == ws.samples.shape, "Generator.backward: gradient \(dy.shape), samples \(ws.samples.shape)")
        let soft = estimator == .straightThrough ? ws.softSamples : ws.samples
        backwardThroughSteps(ws) { t in
            let dLogits = ws.logitGradients[t]
            dLogits.copy(from: dy[t])
            if t < length - 1 { add(ws.feedbackGradient.base, to: dLogits.base, count: dLogits.count) }
            GumbelSoftmax.backward(outputGradient: dLogits, output: soft[t], temperature: tau, into: dLogits)
            if entropyWeight > 0 {
                _ = CategoricalEntropy.addNegativeEntropyGradient(
                    logits: ws.logits[t], weight: entropyWeight,
                    into: dLogits, scratch: ws.entropyScratch)
            }
        }
    }

    // MARK: Maximum likelihood

    /// Teacher forcing: the logits of every step with the one-hot data `inputs` (`[T, rows, V]`,
    /// step `t` holding symbol `t`) fed back in place of samples. The initial state is what
    /// ``drawNoise(_:random:step:firstRow:)`` left (zero for ``GeneratorInitialState/zero``).
    public func forward(_ ws: Workspace, teacherInputs inputs: Tensor) {
        let a = ws.lstm
        if let c0 = learnedCell { broadcastColumns(c0.value.base, into: a.initialCell) }
        for t in 0..<length {
            if t > 0 { lstm.forwardStep(t - 1, input: inputs[t - 1], a) }
            output.forward(a.hidden(t), .transposed, into: ws.logits[t])
        }
    }

    /// Backward of ``forward(_:teacherInputs:)`` from the logit gradients already in
    /// `ws.logitGradients` (the workspace keeps the inputs it read).
    public func backwardTeacherForced(_ ws: Workspace) {
        backwardThroughSteps(ws) { _ in }
    }

    // MARK: Shared

    /// Visits steps `T−1 … 0`: `logitGradient(t)` completes `ws.logitGradients[t]` (it may
    /// read `ws.feedbackGradient`, the gradient reaching input `t` from step `t + 1`), then
    /// the gradient flows into `h_t` and back through the LSTM step that made it. Weight
    /// gradients are accumulated once at the end, over all steps.
    private func backwardThroughSteps(_ ws: Workspace, _ logitGradient: (Int) -> Void) {
        let a = ws.lstm
        a.hiddenGradient.zero()
        a.cellGradient.zero()
        for t in stride(from: length - 1, through: 0, by: -1) {
            logitGradient(t)
            output.inputGradient(ws.logitGradients[t], into: ws.outputHiddenGradient, .transposed)
            if t > 0 {
                lstm.backwardStep(t - 1, outputGradient: ws.outputHiddenGradient, a)
                lstm.inputGradient(step: t - 1, a, into: ws.feedbackGradient)
            } else {
                add(ws.outputHiddenGradient.base, to: a.hiddenGradient.base, count: a.hiddenGradient.count)
            }
        }
        output.accumulateGradients(input: a.hiddens(0..<length), .transposed, outputGradient: ws.logitGradients.matrix)
        lstm.accumulateWeightGradients(a)
        if let c0 = learnedCell { addRowSums(of: a.cellGradient, to: c0.gradient.base) }
    }

    /// Writes the one-hot of step `t`'s symbols into `y`.
    private func oneHot(_ ws: Workspace, step t: Int, into y: Matrix) {
        y.zero()
        for r in 0..<ws.rows { y[r, Int(ws.symbols[r * length + t])] = 1 }
    }
}
