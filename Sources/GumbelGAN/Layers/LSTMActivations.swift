/// What an ``LSTM`` forward pass over `steps` steps of `rows` examples keeps for its
/// backward pass, and the running gradients of that backward pass. Allocated once, reused
/// every iteration.
///
/// Layout: feature-major. Every state is stored with one row per feature and one column
/// per example, and the steps side by side: `hiddens` is `[H, (steps + 1)·rows]`, value
/// `(j, t, r)` at `j·(steps + 1)·rows + t·rows + r`. So each feature of a step is a run of
/// `rows` contiguous values (the elementwise gate arithmetic runs over whole vectors even
/// for a state of 10), a step is an `H × rows` matrix with a stride, and all steps
/// together are one `H × (steps·rows)` matrix, which keeps the weight gradients at one
/// product each.
///
/// Index convention: step `t` (0-based) reads `hidden(t)`, `cell(t)` and writes
/// `hidden(t + 1)`, `cell(t + 1)`; so `hidden(0)`, `cell(0)` are the initial state, set by
/// the caller before the forward pass, and `hidden(1) … hidden(steps)` are the outputs.
public final class LSTMActivations {
    public let steps: Int
    public let rows: Int
    public let hiddenSize: Int
    public let inputSize: Int

    /// `[I, steps·rows]`: the inputs `x_0 … x_{T−1}`, feature-major like the states (the
    /// forward pass writes them here from the caller's row-major inputs). The input
    /// products then read an untransposed operand: OpenBLAS is slow with a transposed
    /// operand of a few columns (a small vocabulary), slower than the copy.
    public let allInputs: Matrix
    /// `[4H, steps·rows]`: the gate activations `(i, f, g, o)` of each step (the
    /// pre-activations while a step is being computed).
    public let allGates: Matrix
    /// `[H, (steps + 1)·rows]`: `h_0 … h_T`.
    public let allHiddens: Matrix
    /// `[H, (steps + 1)·rows]`: `c_0 … c_T`.
    public let allCells: Matrix
    /// `[H, steps·rows]`: `tanh(c_{t+1})` of each step.
    public let allCellTanh: Matrix
    /// `[4H, steps·rows]`: `∂L/∂(gate pre-activations)` of each step, written by the backward
    /// pass over the same storage as ``allGates``: visiting a step replaces its gates
    /// with their gradients (one buffer fewer to stream through the cache).
    public var allGateGradients: Matrix { allGates }
    /// `[H, rows]`: during the backward pass, `∂L/∂h_t` for the step about to be visited;
    /// after it, `∂L/∂h_0`.
    public let hiddenGradient: Matrix
    /// `[H, rows]`: likewise `∂L/∂c_t`, after the backward pass `∂L/∂c_0`.
    public let cellGradient: Matrix
    private let storage: FloatBuffer

    public init(steps: Int, rows: Int, hiddenSize: Int, inputSize: Int) {
        self.steps = steps
        self.rows = rows
        self.hiddenSize = hiddenSize
        self.inputSize = inputSize
        let h = hiddenSize
        let (stepColumns, stateColumns) = (steps * rows, (steps + 1) * rows)
        let sizes = [
            inputSize * stepColumns, 4 * h * stepColumns, h * stateColumns, h * stateColumns, h * stepColumns,
            h * rows, h * rows,
        ]
        storage = FloatBuffer(count: sizes.reduce(0, +))
        var next = storage.pointer
        func take(_ r: Int, _ c: Int) -> Matrix {
            defer { next += r * c }
            return Matrix(next, rows: r, columns: c)
        }
        allInputs = take(inputSize, stepColumns)
        allGates = take(4 * h, stepColumns)
        allHiddens = take(h, stateColumns)
        allCells = take(h, stateColumns)
        allCellTanh = take(h, stepColumns)
        hiddenGradient = take(h, rows)
        cellGradient = take(h, rows)
    }

    /// `[I, rows]`: `x_t`.
    public func input(_ t: Int) -> Matrix { allInputs.columns(t * rows..<(t + 1) * rows) }
    /// `[4H, rows]`: step `t`'s gates.
    public func gates(_ t: Int) -> Matrix { allGates.columns(t * rows..<(t + 1) * rows) }
    /// `[4H, rows]`: step `t`'s gate gradients.
    public func gateGradients(_ t: Int) -> Matrix { allGateGradients.columns(t * rows..<(t + 1) * rows) }
    /// `[H, rows]`: `h_t`.
    public func hidden(_ t: Int) -> Matrix { allHiddens.columns(t * rows..<(t + 1) * rows) }
    /// `[H, rows]`: `c_t`.
    public func cell(_ t: Int) -> Matrix { allCells.columns(t * rows..<(t + 1) * rows) }
    /// `[H, rows]`: `tanh(c_{t+1})`.
    public func cellTanh(_ t: Int) -> Matrix { allCellTanh.columns(t * rows..<(t + 1) * rows) }
    /// `[H, range.count·rows]`: `h_t` for `t` in `range`, side by side.
    public func hiddens(_ range: Range<Int>) -> Matrix {
        allHiddens.columns(range.lowerBound * rows..<range.upperBound * rows)
    }

    /// `h_0`, to be set before the forward pass.
    public var initialHidden: Matrix { hidden(0) }
    /// `c_0`, to be set before the forward pass.
    public var initialCell: Matrix { cell(0) }
    /// `h_{t+1}`, the output of step `t`.
    public func output(_ t: Int) -> Matrix { hidden(t + 1) }
    /// All outputs `h_1 … h_T`, side by side: `[H, steps·rows]`.
    public var outputs: Matrix { hiddens(1..<(steps + 1)) }
}
