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
///
/// Or a text CNN (``convolutionWidths`` not empty; SeqGAN's and RelGAN's discriminator, as in
/// TextGAN-PyTorch): over the (embedded) inputs, `H` filters of each width `w` (``SequenceConvolution``:
/// ReLU, the maximum over positions), their `F = H · widths` maxima through RelGAN's
/// ``Highway``, dropout (training only), and a linear layer to the logit. Parameters:
/// `embedding.weight`, `convs.i.weight [H, 1, w_i, C]`, `convs.i.bias [H]`, `highway.weight
/// [F, F]`, `highway.bias`, `out.weight [1, F]`, `out.bias`.
///
/// With `R` ``representations`` (RelGAN's `num_rep`) the CNN reads each of `R` equal slices of
/// the `C` input channels as an input of its own (`convs.i.weight [H, 1, w, C/R]`, PyTorch's
/// `nn.Conv2d(1, H, (w, C/R), stride=(1, C/R))`) and gives `R` logits per input, each scored by
/// the loss as one example. In the time-major layout `[T, n, C]` is `[T, n·R, C/R]`: slice `k`
/// of input `i` is row `i·R + k`, so the slices cost no copy.
public final class Discriminator {
    /// The width of an input step: `groups · V`.
    public let vocabularySize: Int
    public let hiddenSize: Int
    public let length: Int
    /// Embedding size `E`, or 0 for the inputs themselves.
    public let embeddingSize: Int
    /// One-hot vectors per input step (PacGAN's pack), each embedded alone.
    public let groups: Int
    /// Probability of dropping a value between stacked layers (or of the CNN's features), in training.
    public let dropout: Float
    /// The CNN's filter widths (empty: the LSTM discriminator); `hiddenSize` filters each.
    public let convolutionWidths: [Int]
    /// Logits per input: the CNN's representations `R` (1 for the LSTM).
    public let representations: Int
    public let convolutions: [SequenceConvolution]
    public let highway: Highway?
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
    /// The width of the CNN's features (filters times widths), 0 for the LSTM discriminator.
    public var features: Int { hiddenSize * convolutionWidths.count }

    public init(
        vocabularySize: Int, hiddenSize: Int, length: Int, layers: Int = 1, embeddingSize: Int = 0, groups: Int = 1,
        dropout: Float = 0, convolutionWidths: [Int] = [], representations: Int = 1
    ) {
        precondition(
            vocabularySize > 0 && hiddenSize > 0 && length > 0 && layers >= 1 && groups >= 1 && vocabularySize % groups == 0,
            "Discriminator: sizes must be positive")
        precondition(
            convolutionWidths.allSatisfy { $0 >= 1 && $0 <= length } && (convolutionWidths.isEmpty || layers == 1),
            "Discriminator: CNN widths \(convolutionWidths) must lie in 1…\(length), with one layer")
        self.vocabularySize = vocabularySize
        self.hiddenSize = hiddenSize
        self.length = length
        self.embeddingSize = embeddingSize
        self.groups = groups
        self.dropout = dropout
        self.convolutionWidths = convolutionWidths
        self.representations = representations
        var layout = ParameterLayout()
        let convolutional = !convolutionWidths.isEmpty
        let suffixes = convolutional ? [] : LSTM.suffixes(layers: layers, embedded: embeddingSize > 0)
        if embeddingSize > 0 {
            Embedding.declare(in: &layout, prefix: "embedding", symbols: vocabularySize / groups, size: embeddingSize)
        }
        let channels = embeddingSize > 0 ? groups * embeddingSize : vocabularySize
        precondition(
            representations >= 1 && channels % representations == 0 && (representations == 1 || !convolutionWidths.isEmpty),
            "Discriminator: \(representations) representations must divide the CNN's \(channels) channels")
        for (i, w) in convolutionWidths.enumerated() {
            SequenceConvolution.declare(
                in: &layout, prefix: "convs.\(i)", width: w, channels: channels / representations, filters: hiddenSize)
        }
        if convolutional { Highway.declare(in: &layout, prefix: "highway", features: hiddenSize * convolutionWidths.count) }
        for (k, suffix) in suffixes.enumerated() {
            let inputs = k > 0 ? hiddenSize : embeddingSize > 0 ? groups * embeddingSize : vocabularySize
            LSTM.declare(in: &layout, prefix: "lstm", suffix: suffix, inputSize: inputs, hiddenSize: hiddenSize)
            layout.add("h0\(suffix)", shape: [hiddenSize])
            layout.add("c0\(suffix)", shape: [hiddenSize])
        }
        Linear.declare(in: &layout, prefix: "out", inputs: hiddenSize * max(convolutionWidths.count, 1), outputs: 1)
        let p = Parameters(layout: layout)
        parameters = p
        convolutions = convolutionWidths.indices.map { SequenceConvolution(p, prefix: "convs.\($0)") }
        highway = convolutional ? Highway(p, prefix: "highway") : nil
        self.layers = suffixes.map { LSTM(p, prefix: "lstm", suffix: $0) }
        embedding = embeddingSize > 0 ? Embedding(p, prefix: "embedding") : nil
        output = Linear(p, prefix: "out")
        initialHiddens = suffixes.map { (p.value("h0\($0)"), p.gradient("h0\($0)")) }
        initialCells = suffixes.map { (p.value("c0\($0)"), p.gradient("c0\($0)")) }
    }

    /// Buffers for one forward and backward pass over `rows` sequences.
    public final class Workspace {
        public let rows: Int
        /// Rows the CNN sees: `rows · R`, one per representation of an input.
        let convolutionRows: Int
        /// Each layer's activations, bottom first.
        public let layers: [LSTMActivations]
        /// `[rows · R, 1]`: the logits of the last forward pass (input `i`'s `R` logits together).
        public let logits: Matrix
        /// `[rows · R, 1]`: `∂L/∂a`, set by the caller before the backward pass.
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
        /// The CNN's `[rows · R, F]` buffers (empty for the LSTM discriminator): the maxima `m`,
        /// the highway's `u`, the dropout mask (ones unless drawn), the highway's output masked
        /// in place (what the last layer reads), and the gradients reaching them.
        let maxima: Matrix, highwayPreactivation: Matrix, featureMask: Matrix, dropped: Matrix
        let droppedGradient: Matrix, preactivationGradient: Matrix, maximaGradient: Matrix
        /// The CNN's `[S·rows·R, H]` scratch (`z`, then `dz`) for its widest position count,
        /// and each filter's arg-max position, width by width (`rows · R · H` each).
        let convolutionScratch: Tensor?
        let argmax: UnsafeMutablePointer<Int32>
        private let convolutionStorage: Tensor?

        public init(discriminator d: Discriminator, rows: Int) {
            self.rows = rows
            convolutionRows = rows * d.representations
            let (t, h, e) = (d.length, d.hiddenSize, d.embeddingSize)
            layers = (0..<d.layers.count).map { k in
                LSTMActivations(
                    steps: t, rows: rows, hiddenSize: h, inputSize: k > 0 ? h : e > 0 ? d.groups * e : d.vocabularySize)
            }
            logitStorage = Tensor(zeros: [2, convolutionRows, 1])
            logits = logitStorage[0]
            logitGradients = logitStorage[1]
            inputGradients = Tensor(zeros: [t, rows, d.vocabularySize])
            (embedded, embeddedGradients) =
                e > 0 ? (Tensor(zeros: [t, rows, d.groups * e]), Tensor(zeros: [t, rows, d.groups * e])) : (nil, nil)
            hiddenGradientStorage = Tensor(zeros: [h, rows])
            lastHiddenGradient = hiddenGradientStorage.matrix
            let stacked = max(d.layers.count - 1, 0)
            let storage = stacked > 0 ? Tensor(zeros: [2 * stacked, h, t * rows]) : nil
            if let storage { storage.values.update(repeating: 1) }
            layerStorage = storage
            dropoutMasks = (0..<stacked).map { storage![$0] }
            layerInputGradients = (0..<stacked).map { storage![stacked + $0] }
            let f = d.features
            let features = f > 0 ? Tensor(zeros: [7, convolutionRows, f]) : nil
            if let features { features[2].values.update(repeating: 1) }
            convolutionStorage = features
            let none = Matrix(hiddenGradientStorage.base, rows: 0, columns: 0)
            let buffers = (0..<7).map { features?[$0] ?? none }
            (maxima, highwayPreactivation, featureMask, dropped) = (buffers[0], buffers[1], buffers[2], buffers[3])
            (droppedGradient, preactivationGradient, maximaGradient) = (buffers[4], buffers[5], buffers[6])
            let positions = d.convolutionWidths.min().map { t - $0 + 1 } ?? 0
            convolutionScratch = f > 0 ? Tensor(zeros: [positions * convolutionRows, h]) : nil
            argmax = .allocate(capacity: max(convolutionRows * f, 1))
            argmax.initialize(repeating: 0, count: max(convolutionRows * f, 1))
        }

        deinit { argmax.deallocate() }

        /// Takes `other`'s dropout masks (a workspace over the same rows).
        public func copyDropout(from other: Workspace) {
            for (mine, theirs) in zip(dropoutMasks, other.dropoutMasks) { mine.copy(from: theirs) }
            featureMask.copy(from: other.featureMask)
        }

        /// The bottom layer's activations (the only layer of the paper's discriminator).
        public var lstm: LSTMActivations { layers[0] }
    }

    /// Draws the dropout masks between layers for training step `step` and the workspace's
    /// rows `firstRow …`; `role` 1 for real inputs, 2 for generated ones. Input `j` of layer
    /// `k ≥ 1` at step `t` is kept, scaled by `1/(1 − p)`, when the uniform at
    /// `(dropout, step, row, role·2^31 + (k − 1)·T·H + t·H + j)` is at least `p`.
    /// The CNN's feature `j` of a row's representation `k` is kept when the uniform at
    /// `(…, role·2^31 + k·F + j)` is at least `p`.
    public func drawDropout(_ ws: Workspace, random: CounterRandom, step: Int, firstRow: Int, role: Int) {
        guard dropout > 0 else { return }
        let (h, t) = (hiddenSize, length)
        let keep = 1 / (1 - dropout)
        if features > 0 {
            let (mask, f) = (ws.featureMask, features)
            for r in 0..<ws.rows {
                for k in 0..<representations {
                    let row = r * representations + k
                    random.fillUniform(mask.row(row), count: f, .dropout, step: step, row: firstRow + r, from: role << 31 + k * f)
                    for j in 0..<f { mask[row, j] = mask[row, j] < dropout ? 0 : keep }
                }
            }
            return
        }
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
        if let highway {
            let slices = sliced(sequence)
            for (i, conv) in convolutions.enumerated() {
                conv.forward(
                    slices, scratch: convolutionScratch(ws, conv), into: block(ws.maxima, i),
                    argmax: ws.argmax + i * ws.convolutionRows * hiddenSize)
            }
            highway.forward(ws.maxima, preactivation: ws.highwayPreactivation, into: ws.dropped)
            if dropout > 0 { multiply(ws.dropped, by: ws.featureMask) }
            output.forward(ws.dropped, into: ws.logits)
            return
        }
        layers[0].forward(sequence: sequence, ws.layers[0])
        for k in 1..<layers.count {
            layers[k].forward(
                featureMajor: ws.layers[k - 1].hiddens(1..<(length + 1)), mask: dropout > 0 ? ws.dropoutMasks[k - 1] : nil, ws.layers[k])
        }
        output.forward(ws.layers[layers.count - 1].output(length - 1), .transposed, into: ws.logits)
    }

    /// Width `i`'s columns of a CNN feature matrix.
    private func block(_ m: Matrix, _ i: Int) -> Matrix { m.columns(i * hiddenSize..<(i + 1) * hiddenSize) }

    /// The CNN scratch's first `S·rows·R` rows for `conv`'s positions.
    private func convolutionScratch(_ ws: Workspace, _ conv: SequenceConvolution) -> Matrix {
        ws.convolutionScratch!.matrix.rows(0..<(conv.positions(length: length) * ws.convolutionRows))
    }

    /// The CNN's inputs `[T, n, C]` as `[T, n·R, C/R]`: each representation a row of its own.
    private func sliced(_ x: Tensor) -> Tensor {
        Tensor(x.storage, offset: x.offset, shape: [x.shape[0], x.shape[1] * representations, x.shape[2] / representations])
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
        if highway != nil { return convolutionalBackward(ws, gradients) }
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

    /// ``backward(_:_:)`` of the CNN: output layer, dropout mask, highway, each width's
    /// convolution into the embedded inputs' gradient, then the embedding.
    private func convolutionalBackward(_ ws: Workspace, _ gradients: Gradients) {
        let parameters = gradients.contains(.parameters)
        if parameters { output.accumulateGradients(input: ws.dropped, outputGradient: ws.logitGradients) }
        output.inputGradient(ws.logitGradients, into: ws.droppedGradient)
        if dropout > 0 { multiply(ws.droppedGradient, by: ws.featureMask) }
        highway!.backward(
            input: ws.maxima, preactivation: ws.highwayPreactivation, outputGradient: ws.droppedGradient,
            scratch: ws.preactivationGradient, into: ws.maximaGradient, parameters: parameters)
        let x = ws.inputs!
        let embedded = embedding != nil
        let sequenceGradient: Tensor? =
            embedded ? ws.embeddedGradients : gradients.contains(.inputs) ? ws.inputGradients : nil
        sequenceGradient?.zero()
        let slices = sliced(ws.embedded ?? x)
        let sliceGradients = sequenceGradient.map(sliced)
        for (i, conv) in convolutions.enumerated() {
            conv.backward(
                input: slices, maxima: block(ws.maxima, i), argmax: ws.argmax + i * ws.convolutionRows * hiddenSize,
                outputGradient: block(ws.maximaGradient, i), scratch: convolutionScratch(ws, conv), parameters: parameters,
                inputGradient: sliceGradients)
        }
        if let embedding, let dEmbedded = ws.embeddedGradients {
            if parameters { embedding.accumulateGradients(input: ungrouped(x.matrix), outputGradient: ungrouped(dEmbedded.matrix)) }
            if gradients.contains(.inputs) { embedding.inputGradient(ungrouped(dEmbedded.matrix), into: ungrouped(ws.inputGradients.matrix)) }
        }
    }
}
