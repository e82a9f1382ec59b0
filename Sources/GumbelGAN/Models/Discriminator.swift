/// The paper's discriminator: an LSTM reading the whole (soft) one-hot sequence from a
/// learned initial state, and a linear layer from its last hidden state to one logit `a`
/// (`D(x) = σ(a)`).
///
/// Parameters: `lstm.weight_ih [4H, V]`, `lstm.weight_hh [4H, H]`, `lstm.bias_ih`,
/// `lstm.bias_hh [4H]`, `h0 [H]`, `c0 [H]`, `out.weight [1, H]`, `out.bias [1]`.
public final class Discriminator {
    public let vocabularySize: Int
    public let hiddenSize: Int
    public let length: Int
    public let parameters: Parameters
    public let lstm: LSTM
    public let output: Linear
    /// The learned initial state `(h0, c0)`: values and gradients.
    let initialHidden: (value: Tensor, gradient: Tensor)
    let initialCell: (value: Tensor, gradient: Tensor)

    public init(vocabularySize: Int, hiddenSize: Int, length: Int) {
        precondition(vocabularySize > 0 && hiddenSize > 0 && length > 0, "Discriminator: sizes must be positive")
        self.vocabularySize = vocabularySize
        self.hiddenSize = hiddenSize
        self.length = length
        var layout = ParameterLayout()
        LSTM.declare(in: &layout, prefix: "lstm", inputSize: vocabularySize, hiddenSize: hiddenSize)
        layout.add("h0", shape: [hiddenSize])
        layout.add("c0", shape: [hiddenSize])
        Linear.declare(in: &layout, prefix: "out", inputs: hiddenSize, outputs: 1)
        parameters = Parameters(layout: layout)
        lstm = LSTM(parameters, prefix: "lstm")
        output = Linear(parameters, prefix: "out")
        initialHidden = (parameters.value("h0"), parameters.gradient("h0"))
        initialCell = (parameters.value("c0"), parameters.gradient("c0"))
    }

    /// Buffers for one forward and backward pass over `rows` sequences.
    public final class Workspace {
        public let rows: Int
        public let lstm: LSTMActivations
        /// `[rows, 1]`: the logits of the last forward pass.
        public let logits: Matrix
        /// `[rows, 1]`: `∂L/∂a`, set by the caller before the backward pass.
        public let logitGradients: Matrix
        /// `[T, rows, V]`: `∂L/∂x`, written by the backward pass when asked for.
        public let inputGradients: Tensor
        /// `[H, rows]`: the gradient reaching the last hidden state from the output layer.
        let lastHiddenGradient: Matrix
        private let logitStorage: Tensor, hiddenGradientStorage: Tensor

        public init(discriminator d: Discriminator, rows: Int) {
            self.rows = rows
            lstm = LSTMActivations(steps: d.length, rows: rows, hiddenSize: d.hiddenSize, inputSize: d.vocabularySize)
            logitStorage = Tensor(zeros: [2, rows, 1])
            logits = logitStorage[0]
            logitGradients = logitStorage[1]
            inputGradients = Tensor(zeros: [d.length, rows, d.vocabularySize])
            hiddenGradientStorage = Tensor(zeros: [d.hiddenSize, rows])
            lastHiddenGradient = hiddenGradientStorage.matrix
        }
    }

    /// Computes the logits of the sequences `x` (`[T, rows, V]`) into `ws.logits`.
    public func forward(_ x: Tensor, _ ws: Workspace) {
        broadcastColumns(initialHidden.value.base, into: ws.lstm.initialHidden)
        broadcastColumns(initialCell.value.base, into: ws.lstm.initialCell)
        lstm.forward(sequence: x, ws.lstm)
        output.forward(ws.lstm.output(length - 1), .transposed, into: ws.logits)
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
        let last = ws.lstm.output(length - 1)
        let parameters = gradients.contains(.parameters)
        if parameters { output.accumulateGradients(input: last, .transposed, outputGradient: ws.logitGradients) }
        output.inputGradient(ws.logitGradients, into: ws.lastHiddenGradient, .transposed)
        lstm.backward(
            ws.lstm, weightGradients: parameters,
            inputGradients: gradients.contains(.inputs) ? ws.inputGradients : nil
        ) { t in
            t == length - 1 ? ws.lastHiddenGradient : nil
        }
        if parameters {
            addRowSums(of: ws.lstm.hiddenGradient, to: initialHidden.gradient.base)
            addRowSums(of: ws.lstm.cellGradient, to: initialCell.gradient.base)
        }
    }
}
