/// The paper's generator: an LSTM whose initial state is noise and which feeds each of
/// its samples back to itself as the next input.
///
///     (h_0, c_0) = noise (or h_0 noise and c_0 learned, or zero, or both learned)
///     y_0 = S(W_out h_0 + b_out)
///     (h_t, c_t) = LSTM(y_{t-1}, h_{t-1}, c_{t-1}),   y_t = S(W_out h_t + b_out),  t = 1 … T−1
///
/// with `S(ℓ) = softmax((ℓ + g_t)/τ)` (Gumbel-softmax) or its straight-through version.
/// Each step's symbol is `argmax(ℓ + g_t)`, an exact categorical draw (the paper's eq. 3).
/// Under ``Estimator/hardFeedback`` (RelGAN's) the discriminator sees `y_t`, but the next step
/// reads the draw `one_hot(argmax(ℓ + g_t))`, a constant of the backward pass.
/// Trained by maximum likelihood instead, the inputs are the data's one-hot symbols
/// (teacher forcing) and the logits are scored against the next symbol.
///
/// For real data the input may first be embedded, `e_{t−1} = y_{t−1} W_emb` (``Embedding``),
/// and the LSTM may be a stack of `L` layers, layer `k > 0` reading layer `k − 1`'s states
/// through a dropout mask `m` (training only): `x^k_t = m^k_t ⊙ h^{k−1}_{t+1}`. Every layer
/// starts from its own noise (or learned `c_0`); the output layer reads the top layer.
///
/// Parameters: `lstm.weight_ih [4H, V]`, `lstm.weight_hh [4H, H]`, `lstm.bias_ih`,
/// `lstm.bias_hh [4H]`, `out.weight [V, H]`, `out.bias [V]`, and `h0 [H]`, `c0 [H]` when learned.
/// With an embedding or several layers the names are `nn.LSTM`'s and `nn.Embedding`'s:
/// `embedding.weight [V, E]`, `lstm.weight_ih_l0 [4H, E]`, …, `lstm.weight_ih_l1 [4H, H]`, …,
/// and `h0_l0`, `c0_l0`, `h0_l1`, … when learned.
public final class Generator {
    public let vocabularySize: Int
    public let hiddenSize: Int
    public let length: Int
    public let initialState: GeneratorInitialState
    /// Embedding size `E`, or 0 for the one-hot inputs themselves.
    public let embeddingSize: Int
    /// Probability of dropping a value between stacked layers, in training.
    public let dropout: Float
    public let parameters: Parameters
    /// The stack, bottom first.
    public let layers: [LSTM]
    public let embedding: Embedding?
    public let output: Linear
    /// The learned `c0` (and `h0`) of each layer and its gradient, when ``initialState`` learns it.
    let learnedCells: [(value: Tensor, gradient: Tensor)]
    let learnedHiddens: [(value: Tensor, gradient: Tensor)]

    /// The bottom LSTM layer (the only one of the paper's generator).
    public var lstm: LSTM { layers[0] }

    public init(
        vocabularySize: Int, hiddenSize: Int, length: Int, initialState: GeneratorInitialState = .noise,
        layers: Int = 1, embeddingSize: Int = 0, dropout: Float = 0
    ) {
        precondition(
            vocabularySize > 0 && hiddenSize > 0 && length > 0 && layers >= 1 && embeddingSize >= 0,
            "Generator: sizes must be positive")
        self.vocabularySize = vocabularySize
        self.hiddenSize = hiddenSize
        self.length = length
        self.initialState = initialState
        self.embeddingSize = embeddingSize
        self.dropout = dropout
        let layout = Self.layout(
            vocabularySize: vocabularySize, hiddenSize: hiddenSize, initialState: initialState, layers: layers,
            embeddingSize: embeddingSize)
        let p = Parameters(layout: layout)
        parameters = p
        let suffix = LSTM.suffixes(layers: layers, embedded: embeddingSize > 0)
        self.layers = suffix.map { LSTM(p, prefix: "lstm", suffix: $0) }
        embedding = embeddingSize > 0 ? Embedding(p, prefix: "embedding") : nil
        output = Linear(p, prefix: "out")
        learnedCells = initialState.learnsCell ? suffix.map { (p.value("c0\($0)"), p.gradient("c0\($0)")) } : []
        learnedHiddens = initialState == .learned ? suffix.map { (p.value("h0\($0)"), p.gradient("h0\($0)")) } : []
    }

    /// The parameters of a generator of these sizes.
    public static func layout(
        vocabularySize: Int, hiddenSize: Int, initialState: GeneratorInitialState, layers: Int = 1, embeddingSize: Int = 0
    ) -> ParameterLayout {
        var layout = ParameterLayout()
        let suffixes = LSTM.suffixes(layers: layers, embedded: embeddingSize > 0)
        if embeddingSize > 0 { Embedding.declare(in: &layout, prefix: "embedding", symbols: vocabularySize, size: embeddingSize) }
        for (k, suffix) in suffixes.enumerated() {
            let inputs = k > 0 ? hiddenSize : embeddingSize > 0 ? embeddingSize : vocabularySize
            LSTM.declare(in: &layout, prefix: "lstm", suffix: suffix, inputSize: inputs, hiddenSize: hiddenSize)
        }
        Linear.declare(in: &layout, prefix: "out", inputs: hiddenSize, outputs: vocabularySize)
        if initialState == .noiseHiddenLearnedCell {
            for suffix in suffixes { layout.add("c0\(suffix)", shape: [hiddenSize]) }
        } else if initialState == .learned {
            for suffix in suffixes {
                layout.add("h0\(suffix)", shape: [hiddenSize])
                layout.add("c0\(suffix)", shape: [hiddenSize])
            }
        }
        return layout
    }

    /// Buffers for one forward and backward pass over `rows` examples.
    public final class Workspace {
        public let rows: Int
        /// Each layer's `T − 1` steps, bottom first; the top layer's `hidden(0) … hidden(T−1)`
        /// are the states the output layer reads.
        public let layers: [LSTMActivations]
        /// `[T, rows, V]`: Gumbel noise `g_t`, filled by ``Generator/drawNoise(_:random:step:firstRow:includingGumbel:)``.
        public let gumbel: Tensor
        /// `[T, rows, V]`: the logits `W_out h_t + b_out`.
        public let logits: Tensor
        /// `[T, rows, V]`: the samples `y_t` handed to the discriminator (and fed back, but
        /// under ``Estimator/hardFeedback``).
        public let samples: Tensor
        /// `[T, rows, V]`: the Gumbel-softmax samples behind straight-through one-hots, or
        /// the one-hot draws fed back under ``Estimator/hardFeedback``.
        public let companionSamples: Tensor
        /// `[rows · T]`: each step's symbol `argmax(ℓ_t + g_t)`, row by row.
        public let symbols: UnsafeMutableBufferPointer<Int32>
        /// `[T, rows, V]`: `∂L/∂logits`, written by the backward pass (or, for maximum
        /// likelihood, by the loss).
        public let logitGradients: Tensor
        /// `[T − 1, rows, E]`: the embedded inputs and their gradients (with an embedding).
        let embedded: Tensor?, embeddedGradients: Tensor?
        /// For layers `1 …`: `[H, (T − 1)·rows]` dropout masks (scaled by `1/(1 − p)`), all
        /// ones unless ``Generator/drawDropout(_:random:step:firstRow:)`` drew them.
        let dropoutMasks: [Matrix]
        /// The inputs the last forward pass fed (samples or teacher inputs), `[T, rows, V]`.
        var fedInputs: Tensor
        /// Enough values for one row's Gumbel noise, initial states or dropout draws.
        let rowNoise: UnsafeMutableBufferPointer<Float>
        /// `[rows, V]`, `[H, rows]`, `[rows, V]` and `[H, rows]`: scratch of the backward pass.
        let feedbackGradient: Matrix, outputHiddenGradient: Matrix, entropyScratch: Matrix, layerInputGradient: Matrix
        private let scratch: Tensor, masks: Tensor?

        public init(generator g: Generator, rows: Int) {
            self.rows = rows
            let (t, v, h, e) = (g.length, g.vocabularySize, g.hiddenSize, g.embeddingSize)
            layers = (0..<g.layers.count).map { k in
                LSTMActivations(steps: t - 1, rows: rows, hiddenSize: h, inputSize: k > 0 ? h : e > 0 ? e : v)
            }
            gumbel = Tensor(zeros: [t, rows, v])
            logits = Tensor(zeros: [t, rows, v])
            samples = Tensor(zeros: [t, rows, v])
            companionSamples = Tensor(zeros: [t, rows, v])
            logitGradients = Tensor(zeros: [t, rows, v])
            fedInputs = samples
            (embedded, embeddedGradients) = e > 0 ? (Tensor(zeros: [t - 1, rows, e]), Tensor(zeros: [t - 1, rows, e])) : (nil, nil)
            let maskColumns = (t - 1) * rows
            let storage = g.layers.count > 1 ? Tensor(zeros: [g.layers.count - 1, h, maskColumns]) : nil
            if let storage { storage.values.update(repeating: 1) }
            masks = storage
            dropoutMasks = (1..<max(g.layers.count, 1)).map { storage![$0 - 1] }
            symbols = .allocate(capacity: rows * t)
            symbols.initialize(repeating: 0)
            rowNoise = .allocate(capacity: max(t * v, 2 * h * g.layers.count, t * h))
            rowNoise.initialize(repeating: 0)
            scratch = Tensor(zeros: [rows * (2 * v + 2 * h)])
            feedbackGradient = Matrix(scratch.base, rows: rows, columns: v)
            outputHiddenGradient = Matrix(scratch.base + rows * v, rows: h, columns: rows)
            entropyScratch = Matrix(scratch.base + rows * (v + h), rows: rows, columns: v)
            layerInputGradient = Matrix(scratch.base + rows * (2 * v + h), rows: h, columns: rows)
        }

        deinit {
            symbols.deallocate()
            rowNoise.deallocate()
        }

        /// The bottom layer's activations (the only layer of the paper's generator).
        public var lstm: LSTMActivations { layers[0] }
        /// The top layer's activations, which the output layer reads.
        public var top: LSTMActivations { layers[layers.count - 1] }
        /// `∂L/∂h_0` of the bottom layer after a backward pass, `[H, rows]`.
        public var initialHiddenGradient: Matrix { lstm.hiddenGradient }
        /// `∂L/∂c_0` of the bottom layer after a backward pass, `[H, rows]`.
        public var initialCellGradient: Matrix { lstm.cellGradient }
    }

    /// Fills the noise of the workspace's rows, which are rows `firstRow …` of the global
    /// batch at training step `step`: value `j` of layer `k`'s `h0` for example `r`
    /// (feature-major: `h0[j, r]`) at `(generatorNoise, step, row, 2kH + j)`, of its `c0` at
    /// index `2kH + H + j` (unless `c0` is learned or zero), `g_t[r, v]` at
    /// `(generatorGumbel, step, row, t·V + v)`.
    /// `includingGumbel: false` draws only the initial state (teacher forcing reads no `g_t`).
    public func drawNoise(_ ws: Workspace, random: CounterRandom, step: Int, firstRow: Int, includingGumbel: Bool = true) {
        let (h, v) = (hiddenSize, vocabularySize)
        let gumbel = ws.gumbel.base, rowNoise = ws.rowNoise.baseAddress!
        for r in 0..<ws.rows {
            let row = firstRow + r
            // The state is feature-major: example r is column r.
            if initialState.drawsNoise {
                random.fillUniform(rowNoise, count: 2 * h * layers.count, .generatorNoise, step: step, row: row)
                for (k, a) in ws.layers.enumerated() {
                    let (h0, c0) = (a.initialHidden, a.initialCell)
                    for j in 0..<h { h0[j, r] = rowNoise[2 * k * h + j] }
                    if initialState == .noise {
                        for j in 0..<h { c0[j, r] = rowNoise[2 * k * h + h + j] }
                    }
                }
            }
            guard includingGumbel else { continue }
            // One run of T·V draws per row, then spread over the time-major layout.
            random.fillGumbel(rowNoise, count: length * v, .generatorGumbel, step: step, row: row)
            for t in 0..<length {
                (gumbel + (t * ws.rows + r) * v).update(from: rowNoise + t * v, count: v)
            }
        }
    }

    /// Draws the dropout masks between layers for training step `step` (rows `firstRow …`):
    /// the input `j` of layer `k ≥ 1` at step `s` of example `row` is kept, scaled by
    /// `1/(1 − p)`, when the uniform at `(dropout, step, row, (k − 1)(T − 1)H + sH + j)` is
    /// at least `p`. Without a call (sampling, evaluation) the masks are all ones.
    public func drawDropout(_ ws: Workspace, random: CounterRandom, step: Int, firstRow: Int) {
        guard dropout > 0 else { return }
        let (h, steps, rowNoise) = (hiddenSize, length - 1, ws.rowNoise.baseAddress!)
        let keep = 1 / (1 - dropout)
        for (index, mask) in ws.dropoutMasks.enumerated() {
            for r in 0..<ws.rows {
                random.fillUniform(rowNoise, count: steps * h, .dropout, step: step, row: firstRow + r, from: index * steps * h)
                for s in 0..<steps {
                    for j in 0..<h { mask[j, s * ws.rows + r] = rowNoise[s * h + j] < dropout ? 0 : keep }
                }
            }
        }
    }

    /// Runs LSTM step `t − 1` of every layer on `input` (`[rows, V]`, the sample or data
    /// symbol `t − 1`), embedding it first when the generator has an embedding.
    /// `symbols` (`rows × T`, row by row), when given, are the one-hot input's indices: the
    /// embedding then copies rows of its table instead of multiplying (the same values).
    private func step(_ t: Int, input: Matrix, symbols: UnsafeBufferPointer<Int32>? = nil, _ ws: Workspace) {
        var x = input
        if let embedding, let embedded = ws.embedded {
            if let symbols {
                embedding.forward(oneHotRows: { r in Int(symbols[r * self.length + t - 1]) }, into: embedded[t - 1])
            } else {
                embedding.forward(input, into: embedded[t - 1])
            }
            x = embedded[t - 1]
        }
        layers[0].forwardStep(t - 1, input: x, ws.layers[0])
        for k in 1..<layers.count {
            let mask = dropout > 0 ? ws.dropoutMasks[k - 1].columns((t - 1) * ws.rows..<t * ws.rows) : nil
            layers[k].forwardStep(t - 1, featureMajorInput: ws.layers[k - 1].hidden(t), mask: mask, ws.layers[k])
        }
    }

    /// Sets each layer's learned `c0` and `h0` (when learned) into the workspace.
    private func setLearnedState(_ ws: Workspace) {
        for (k, c0) in learnedCells.enumerated() { broadcastColumns(c0.value.base, into: ws.layers[k].initialCell) }
        for (k, h0) in learnedHiddens.enumerated() { broadcastColumns(h0.value.base, into: ws.layers[k].initialHidden) }
    }

    /// Generates `y_0 … y_{T−1}` into `ws.samples` (and the symbols into `ws.symbols`) from
    /// the noise already in the workspace.
    public func forward(_ ws: Workspace, temperature tau: Float, estimator: Estimator = .gumbelSoftmax) {
        setLearnedState(ws)
        let soft = estimator == .straightThrough ? ws.companionSamples : ws.samples
        let fed = estimator == .hardFeedback ? ws.companionSamples : ws.samples
        ws.fedInputs = fed
        for t in 0..<length {
            if t > 0 { step(t, input: fed[t - 1], ws) }
            output.forward(ws.top.hidden(t), .transposed, into: ws.logits[t])
            GumbelSoftmax.forward(
                logits: ws.logits[t], gumbel: ws.gumbel[t], temperature: tau, into: soft[t],
                symbols: ws.symbols.baseAddress! + t, symbolStride: length)
            if estimator.feedsBackDraws && (estimator == .straightThrough || t < length - 1) {
                oneHot(ws, step: t, into: fed[t])
            }
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
        let soft = estimator == .straightThrough ? ws.companionSamples : ws.samples
        let throughFeedback = estimator != .hardFeedback
        backwardThroughSteps(ws, steps: length, throughFeedback: throughFeedback) { t in
            let dLogits = ws.logitGradients[t]
            dLogits.copy(from: dy[t])
            if throughFeedback && t < length - 1 { add(ws.feedbackGradient.base, to: dLogits.base, count: dLogits.count) }
            GumbelSoftmax.backward(outputGradient: dLogits, output: soft[t], temperature: tau, into: dLogits)
            if entropyWeight > 0 {
                _ = CategoricalEntropy.addNegativeEntropyGradient(
                    logits: ws.logits[t], weight: entropyWeight,
                    into: dLogits, scratch: ws.entropyScratch)
            }
        }
    }

    // MARK: Maximum likelihood

    /// Teacher forcing: the logits of steps `0 ..< steps` (all `T` by default) with the one-hot
    /// data `inputs` (`[T, rows, V]`, step `t` holding symbol `t`) fed back in place of samples.
    /// The initial state is what ``drawNoise(_:random:step:firstRow:includingGumbel:)`` left
    /// (zero for ``GeneratorInitialState/zero``). Fewer steps skip a batch's trailing padding.
    /// `symbols` (`rows × T`, row by row), when given, are the inputs' indices, which spare
    /// an embedding its products with one-hot vectors (on the text oracle's 5,000 symbols,
    /// about a tenth of an oracle-mle step).
    public func forward(_ ws: Workspace, teacherInputs inputs: Tensor, symbols: UnsafeBufferPointer<Int32>? = nil, steps: Int? = nil) {
        let steps = steps ?? length
        precondition(steps >= 1 && steps <= length, "Generator.forward: \(steps) steps of \(length)")
        precondition(symbols.map { $0.count == ws.rows * length } ?? true, "Generator.forward: symbols for \(ws.rows) × \(length)")
        setLearnedState(ws)
        ws.fedInputs = inputs
        for t in 0..<steps {
            if t > 0 { step(t, input: inputs[t - 1], symbols: symbols, ws) }
            output.forward(ws.top.hidden(t), .transposed, into: ws.logits[t])
        }
    }

    /// Backward of ``forward(_:teacherInputs:steps:)`` over the same `steps` from the logit
    /// gradients already in `ws.logitGradients` (the workspace keeps the inputs it read).
    public func backwardTeacherForced(_ ws: Workspace, steps: Int? = nil) {
        backwardThroughSteps(ws, steps: steps ?? length, throughFeedback: false) { _ in }
    }

    // MARK: Shared

    /// Visits steps `steps−1 … 0` (`steps` ≤ T): `logitGradient(t)` completes `ws.logitGradients[t]` (it may
    /// read `ws.feedbackGradient`, the gradient reaching input `t` from step `t + 1`), then
    /// the gradient flows into the top layer's `h_t` and back through the LSTM step that made
    /// it, layer by layer down the stack (through the dropout masks), into the input (and the
    /// embedding). Weight gradients are accumulated once at the end, over all steps.
    /// `throughFeedback: false` leaves out the gradient into the fed inputs (teacher forcing
    /// and hard feedback feed constants), which the next step would otherwise read.
    private func backwardThroughSteps(_ ws: Workspace, steps: Int, throughFeedback: Bool, _ logitGradient: (Int) -> Void) {
        for a in ws.layers {
            a.hiddenGradient.zero()
            a.cellGradient.zero()
        }
        let top = layers.count - 1
        for t in stride(from: steps - 1, through: 0, by: -1) {
            logitGradient(t)
            output.inputGradient(ws.logitGradients[t], into: ws.outputHiddenGradient, .transposed)
            guard t > 0 else {
                add(ws.outputHiddenGradient.base, to: ws.top.hiddenGradient.base, count: ws.top.hiddenGradient.count)
                continue
            }
            var external = ws.outputHiddenGradient
            for k in stride(from: top, through: 0, by: -1) {
                layers[k].backwardStep(t - 1, outputGradient: external, ws.layers[k])
                guard k > 0 else { break }
                layers[k].featureMajorInputGradient(step: t - 1, ws.layers[k], into: ws.layerInputGradient)
                if dropout > 0 {
                    multiply(ws.layerInputGradient, by: ws.dropoutMasks[k - 1].columns((t - 1) * ws.rows..<t * ws.rows))
                }
                external = ws.layerInputGradient
            }
            if let embedding, let dEmbedded = ws.embeddedGradients {
                layers[0].inputGradient(step: t - 1, ws.layers[0], into: dEmbedded[t - 1])
                if throughFeedback { embedding.inputGradient(dEmbedded[t - 1], into: ws.feedbackGradient) }
            } else if throughFeedback {
                layers[0].inputGradient(step: t - 1, ws.layers[0], into: ws.feedbackGradient)
            }
        }
        output.accumulateGradients(input: ws.top.hiddens(0..<steps), .transposed, outputGradient: ws.logitGradients.steps(0..<steps))
        for (k, layer) in layers.enumerated() { layer.accumulateWeightGradients(ws.layers[k], steps: steps - 1) }
        if let embedding, let dEmbedded = ws.embeddedGradients {
            embedding.accumulateGradients(input: ws.fedInputs.steps(0..<(steps - 1)), outputGradient: dEmbedded.steps(0..<(steps - 1)))
        }
        for (k, c0) in learnedCells.enumerated() { addRowSums(of: ws.layers[k].cellGradient, to: c0.gradient.base) }
        for (k, h0) in learnedHiddens.enumerated() { addRowSums(of: ws.layers[k].hiddenGradient, to: h0.gradient.base) }
    }

    /// Writes the one-hot of step `t`'s symbols into `y`.
    private func oneHot(_ ws: Workspace, step t: Int, into y: Matrix) {
        y.zero()
        for r in 0..<ws.rows { y[r, Int(ws.symbols[r * length + t])] = 1 }
    }
}
