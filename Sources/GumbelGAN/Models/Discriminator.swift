/// The paper's discriminator: an LSTM reading the whole (soft) one-hot sequence from a
/// learned initial state, and a linear layer from its last hidden state to one logit `a`
/// (`D(x) = σ(a)`).
///
/// For real data the inputs may be embedded first, each of the `groups` one-hot vectors of
/// a (packed) input step by one `[V, E]` table (``Embedding``), and the LSTM may be a stack
/// of `L` layers with dropout between them (training only), each from its own learned
/// initial state; the output layer reads the top layer's last state.
///
/// Parameters: `lstm.weight_ih [4H, V]`, `lstm.weight_hh [4H, H]`, `lstm.bias_ih`,
/// `lstm.bias_hh [4H]`, `h0 [H]`, `c0 [H]`, `out.weight [1, H]`, `out.bias [1]`; with an
/// embedding or several layers `embedding.weight [V, E]`, `lstm.*_l0`, `lstm.*_l1`, …,
/// `h0_l0`, `c0_l0`, ….
public final class Discriminator {
    /// The width of an input step: `groups · V`.
    public let vocabularySize: Int
    public let hiddenSize: Int
    public let length: Int
    /// Embedding size `E`, or 0 for the inputs themselves.
    public let embeddingSize: Int
    /// One-hot vectors per input step (PacGAN's pack), each embedded alone.
    public let groups: Int
    /// Probability of dropping a value between stacked layers, in training.
    public let dropout: Float
    public let parameters: Parameters
    /// The stack, bottom first.
    public let layers: [LSTM]
    public let embedding: Embedding?
    public let output: Linear
    /// Each layer's learned initial state `(h0, c0)`: values and gradients.
    let initialHiddens: [(value: Tensor, gradient: Tensor)]
    let initialCells: [(value: Tensor, gradient: Tensor)]

    /// The bottom LSTM layer (the only one of the paper's discriminator).
    public var lstm: LSTM { layers[0] }

    public init(
        vocabularySize: Int, hiddenSize: Int, length: Int, layers: Int = 1, embeddingSize: Int = 0, groups: Int = 1,
        dropout: Float = 0
    ) {
        precondition(
            vocabularySize > 0 && hiddenSize > 0 && length > 0 && layers >= 1 && groups >= 1 && vocabularySize % groups == 0,
            "Discriminator: sizes must be positive")
        self.vocabularySize = vocabularySize
        self.hiddenSize = hiddenSize
        self.length = length
        self.embeddingSize = embeddingSize
        self.groups = groups
        self.dropout = dropout
        var layout = ParameterLayout()
        let suffixes = LSTM.suffixes(layers: layers, embedded: embeddingSize > 0)
        if embeddingSize > 0 {
            Embedding.declare(in: &layout, prefix: "embedding", symbols: vocabularySize / groups, size: embeddingSize)
        }
        for (k, suffix) in suffixes.enumerated() {
            let inputs = k > 0 ? hiddenSize : embeddingSize > 0 ? groups * embeddingSize : vocabularySize
            LSTM.declare(in: &layout, prefix: "lstm", suffix: suffix, inputSize: inputs, hiddenSize: hiddenSize)
            layout.add("h0\(suffix)", shape: [hiddenSize])
            layout.add("c0\(suffix)", shape: [hiddenSize])
        }
        Linear.declare(in: &layout, prefix: "out", inputs: hiddenSize, outputs: 1)
        let p = Parameters(layout: layout)
        parameters = p
        self.layers = suffixes.map { LSTM(p, prefix: "lstm", suffix: $0) }
        embedding = embeddingSize > 0 ? Embedding(p, prefix: "embedding") : nil
        output = Linear(p, prefix: "out")
        initialHiddens = suffixes.map { (p.value("h0\($0)"), p.gradient("h0\($0)")) }
        initialCells = suffixes.map { (p.value("c0\($0)"), p.gradient("c0\($0)")) }
    }

    /// Buffers for one forward and backward pass over `rows` sequences.
    public final class Workspace {
        public let rows: Int
        /// Each layer's activations, bottom first.
        public let layers: [LSTMActivations]
        /// `[rows, 1]`: the logits of the last forward pass.
        public let logits: Matrix
        /// `[rows, 1]`: `∂L/∂a`, set by the caller before the backward pass.
        public let logitGradients: Matrix
        /// `[T, rows, groups·V]`: `∂L/∂x`, written by the backward pass when asked for.
        public let inputGradients: Tensor
        /// `[T, rows, groups·E]`: the embedded inputs and their gradients (with an embedding).
        let embedded: Tensor?, embeddedGradients: Tensor?
        /// The inputs of the last forward pass (for the embedding's gradient).
        var inputs: Tensor?
        /// For layers `1 …`: dropout masks `[H, T·rows]` (all ones unless drawn) and the
        /// gradient reaching the layer below, `[H, T·rows]`.
        let dropoutMasks: [Matrix], layerInputGradients: [Matrix]
        /// `[H, rows]`: the gradient reaching the last hidden state from the output layer.
        let lastHiddenGradient: Matrix
        private let logitStorage: Tensor, hiddenGradientStorage: Tensor, layerStorage: Tensor?

        public init(discriminator d: Discriminator, rows: Int) {
            self.rows = rows
            let (t, h, e) = (d.length, d.hiddenSize, d.embeddingSize)
            layers = (0..<d.layers.count).map { k in
                LSTMActivations(
                    steps: t, rows: rows, hiddenSize: h, inputSize: k > 0 ? h : e > 0 ? d.groups * e : d.vocabularySize)
            }
            logitStorage = Tensor(zeros: [2, rows, 1])
            logits = logitStorage[0]
            logitGradients = logitStorage[1]
            inputGradients = Tensor(zeros: [t, rows, d.vocabularySize])
            (embedded, embeddedGradients) =
                e > 0 ? (Tensor(zeros: [t, rows, d.groups * e]), Tensor(zeros: [t, rows, d.groups * e])) : (nil, nil)
            hiddenGradientStorage = Tensor(zeros: [h, rows])
            lastHiddenGradient = hiddenGradientStorage.matrix
            let stacked = d.layers.count - 1
            let storage = stacked > 0 ? Tensor(zeros: [2 * stacked, h, t * rows]) : nil
            if let storage { storage.values.update(repeating: 1) }
            layerStorage = storage
            dropoutMasks = (0..<stacked).map { storage![$0] }
            layerInputGradients = (0..<stacked).map { storage![stacked + $0] }
        }

        /// The bottom layer's activations (the only layer of the paper's discriminator).
        public var lstm: LSTMActivations { layers[0] }
    }

    /// Draws the dropout masks between layers for training step `step` and the workspace's
    /// rows `firstRow …`; `role` 1 for real inputs, 2 for generated ones. Input `j` of layer
    /// `k ≥ 1` at step `t` is kept, scaled by `1/(1 − p)`, when the uniform at
    /// `(dropout, step, row, role·2^31 + (k − 1)·T·H + t·H + j)` is at least `p`.
    public func drawDropout(_ ws: Workspace, random: CounterRandom, step: Int, firstRow: Int, role: Int) {
        guard dropout > 0 else { return }
        let (h, t) = (hiddenSize, length)
        let keep = 1 / (1 - dropout)
        withUnsafeTemporaryAllocation(of: Float.self, capacity: t * h) { u in
            let u = u.baseAddress!
            for (index, mask) in ws.dropoutMasks.enumerated() {
                for r in 0..<ws.rows {
                    random.fillUniform(u, count: t * h, .dropout, step: step, row: firstRow + r, from: role << 31 + index * t * h)
                    for s in 0..<t {
                        for j in 0..<h { mask[j, s * ws.rows + r] = u[s * h + j] < dropout ? 0 : keep }
                    }
                }
            }
        }
    }

    /// Computes the logits of the sequences `x` (`[T, rows, groups·V]`) into `ws.logits`.
    public func forward(_ x: Tensor, _ ws: Workspace) {
        for (k, a) in ws.layers.enumerated() {
            broadcastColumns(initialHiddens[k].value.base, into: a.initialHidden)
            broadcastColumns(initialCells[k].value.base, into: a.initialCell)
        }
        ws.inputs = x
        var sequence = x
        if let embedding, let embedded = ws.embedded {
            embedding.forward(ungrouped(x.matrix), into: ungrouped(embedded.matrix))
            sequence = embedded
        }
        layers[0].forward(sequence: sequence, ws.layers[0])
        for k in 1..<layers.count {
            layers[k].forward(
                featureMajor: ws.layers[k - 1].hiddens(1..<(length + 1)), mask: dropout > 0 ? ws.dropoutMasks[k - 1] : nil, ws.layers[k])
        }
        output.forward(ws.layers[layers.count - 1].output(length - 1), .transposed, into: ws.logits)
    }

    /// A `[n, groups·C]` matrix as `[n·groups, C]`: each group's vector a row of its own.
    private func ungrouped(_ m: Matrix) -> Matrix {
        Matrix(m.base, rows: m.rows * groups, columns: m.columns / groups)
    }

    /// What a backward pass computes.
    public struct Gradients: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        /// Added to `parameters.gradients` (the discriminator's own step).
        public static let parameters = Gradients(rawValue: 1)
        /// `∂L/∂x`, written to the workspace's `inputGradients` (the generator's step).
        public static let inputs = Gradients(rawValue: 2)
    }

    /// Backward from `ws.logitGradients` through the last ``forward(_:_:)`` with this
    /// workspace (which keeps its inputs), computing what `gradients` asks for.
    public func backward(_ ws: Workspace, _ gradients: Gradients) {
        let top = layers.count - 1
        let last = ws.layers[top].output(length - 1)
        let parameters = gradients.contains(.parameters)
        if parameters { output.accumulateGradients(input: last, .transposed, outputGradient: ws.logitGradients) }
        output.inputGradient(ws.logitGradients, into: ws.lastHiddenGradient, .transposed)
        for k in stride(from: top, through: 1, by: -1) {
            layers[k].backward(ws.layers[k], weightGradients: parameters, inputGradients: nil) { t in
                k == top ? (t == length - 1 ? ws.lastHiddenGradient : nil) : ws.layerInputGradients[k].columns(t * ws.rows..<(t + 1) * ws.rows)
            }
            // The gradient reaching layer k − 1's states h_1 … h_T, through the dropout mask.
            let dx = ws.layerInputGradients[k - 1]
            layers[k].featureMajorInputGradient(step: nil, ws.layers[k], into: dx)
            if dropout > 0 { multiply(dx, by: ws.dropoutMasks[k - 1]) }
        }
        let below: (Int) -> Matrix? = { t in
            top == 0 ? (t == self.length - 1 ? ws.lastHiddenGradient : nil) : ws.layerInputGradients[0].columns(t * ws.rows..<(t + 1) * ws.rows)
        }
        if let embedding, let dEmbedded = ws.embeddedGradients, let x = ws.inputs {
            layers[0].backward(ws.layers[0], weightGradients: parameters, inputGradients: dEmbedded, outputGradient: below)
            if parameters { embedding.accumulateGradients(input: ungrouped(x.matrix), outputGradient: ungrouped(dEmbedded.matrix)) }
            if gradients.contains(.inputs) { embedding.inputGradient(ungrouped(dEmbedded.matrix), into: ungrouped(ws.inputGradients.matrix)) }
        } else {
            layers[0].backward(
                ws.layers[0], weightGradients: parameters, inputGradients: gradients.contains(.inputs) ? ws.inputGradients : nil,
                outputGradient: below)
        }
        if parameters {
            for (k, a) in ws.layers.enumerated() {
                addRowSums(of: a.hiddenGradient, to: initialHiddens[k].gradient.base)
                addRowSums(of: a.cellGradient, to: initialCells[k].gradient.base)
            }
        }
    }
}
