/// What an ``LSTM`` forward pass over `steps` steps of `rows` examples keeps for its
/// backward pass, and the running gradients of that backward pass. Allocated once, reused
/// every iteration.
///
/// Index convention: step `t` (0-based) reads `hiddens[t]`, `cells[t]` and writes
/// `hiddens[t + 1]`, `cells[t + 1]`; so `hiddens[0]`, `cells[0]` are the initial state,
/// set by the caller before the forward pass, and `hiddens[1...steps]` are the outputs.
public final class LSTMActivations {
    public let steps: Int
    public let rows: Int
    public let hiddenSize: Int

    /// `[steps, rows, 4H]`: the gate activations `(i, f, g, o)` of each step (the
    /// pre-activations while a step is being computed).
    public let gates: Tensor
    /// `[steps + 1, rows, H]`: `h_0 … h_T`.
    public let hiddens: Tensor
    /// `[steps + 1, rows, H]`: `c_0 … c_T`.
    public let cells: Tensor
    /// `[steps, rows, H]`: `tanh(c_{t+1})` of each step.
    public let cellTanh: Tensor
    /// `[steps, rows, 4H]`: `∂L/∂(gate pre-activations)` of each step, written by the backward pass.
    public let gateGradients: Tensor
    /// `[rows, H]`: during the backward pass, `∂L/∂h_t` for the step about to be visited;
    /// after it, `∂L/∂h_0`.
    public let hiddenGradient: Matrix
    /// `[rows, H]`: likewise `∂L/∂c_t`, after the backward pass `∂L/∂c_0`.
    public let cellGradient: Matrix
    private let runningGradients: Tensor

    public init(steps: Int, rows: Int, hiddenSize: Int) {
        self.steps = steps
        self.rows = rows
        self.hiddenSize = hiddenSize
        gates = Tensor(zeros: [steps, rows, 4 * hiddenSize])
        hiddens = Tensor(zeros: [steps + 1, rows, hiddenSize])
        cells = Tensor(zeros: [steps + 1, rows, hiddenSize])
        cellTanh = Tensor(zeros: [steps, rows, hiddenSize])
        gateGradients = Tensor(zeros: [steps, rows, 4 * hiddenSize])
        runningGradients = Tensor(zeros: [2, rows, hiddenSize])
        hiddenGradient = runningGradients[0]
        cellGradient = runningGradients[1]
    }

    /// `h_0`, to be set before the forward pass.
    public var initialHidden: Matrix { hiddens[0] }
    /// `c_0`, to be set before the forward pass.
    public var initialCell: Matrix { cells[0] }
    /// `h_{t+1}`, the output of step `t`.
    public func output(_ t: Int) -> Matrix { hiddens[t + 1] }
    /// All outputs `h_1 … h_T` as one `(steps·rows) × H` matrix.
    public var outputs: Matrix { hiddens.steps(1..<(steps + 1)) }
}
