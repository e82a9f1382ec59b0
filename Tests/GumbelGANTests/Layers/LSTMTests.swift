import Testing

@testable import GumbelGAN

/// A small LSTM with its input, initial state and a loss `L = Σ w ⊙ (h_1 … h_T)`. States
/// are feature-major (`[H, rows]`), as the layer keeps them.
struct LSTMFixture {
    let steps = 4, rows = 3, inputSize = 5, hiddenSize = 4
    let parameters: Parameters
    let lstm: LSTM
    let x: Tensor, h0: Tensor, c0: Tensor
    let a: LSTMActivations
    let w: [Float]

    init() {
        var layout = ParameterLayout()
        LSTM.declare(in: &layout, prefix: "lstm", inputSize: inputSize, hiddenSize: hiddenSize)
        parameters = Parameters(layout: layout)
        parameters.initialize(.uniform(bound: 0.5), seed: 11)
        lstm = LSTM(parameters, prefix: "lstm")
        x = Tensor(zeros: [steps, rows, inputSize])
        h0 = Tensor(zeros: [hiddenSize, rows])
        c0 = Tensor(zeros: [hiddenSize, rows])
        fillUniform(x, bound: 1, seed: 12, row: 0)
        fillUniform(h0, bound: 0.5, seed: 12, row: 1)
        fillUniform(c0, bound: 0.5, seed: 12, row: 2)
        a = LSTMActivations(steps: steps, rows: rows, hiddenSize: hiddenSize, inputSize: inputSize)
        w = projection(count: steps * rows * hiddenSize, seed: 13)
    }

    func loss() -> Double {
        a.initialHidden.copy(from: h0.matrix)
        a.initialCell.copy(from: c0.matrix)
        lstm.forward(sequence: x, a)
        return dot(w, a.outputs.array)
    }

    /// `∂L/∂(h_1 … h_T) = w`, as a tensor of its own, `[H, steps·rows]` like `a.outputs`
    /// (keep it alive while its steps are used).
    func outputGradients() -> Tensor { Tensor(shape: [hiddenSize, steps * rows], values: w) }

    /// Step `t`'s block of `outputGradients()`.
    func step(_ t: Int, of gradients: Tensor) -> Matrix { gradients.matrix.columns(t * rows..<(t + 1) * rows) }

    func checked(_ names: [String]) -> [Checked] {
        names.map { Checked(name: $0, values: parameters.value("lstm.\($0)"), analytic: parameters.gradient("lstm.\($0)").array) }
    }
}

@Suite struct LSTMTests {
    @Test func sequenceGradients() {
        let f = LSTMFixture()
        _ = f.loss()
        f.parameters.zeroGradients()
        let dx = Tensor(zeros: f.x.shape)
        let dhs = f.outputGradients()
        f.lstm.backward(f.a, inputGradients: dx) { f.step($0, of: dhs) }
        let dh0 = Array(f.a.hiddenGradient.values), dc0 = Array(f.a.cellGradient.values)
        expectGradients(
            "LSTM",
            f.checked(["weight_ih", "weight_hh", "bias_ih", "bias_hh"]) + [
                Checked(name: "inputs", values: f.x, analytic: dx.array),
                Checked(name: "h0", values: f.h0, analytic: dh0),
                Checked(name: "c0", values: f.c0, analytic: dc0),
            ], loss: f.loss)
    }

    /// Step by step (as the generator runs it) gives what the whole-sequence path gives.
    @Test func stepByStepMatchesWholeSequence() {
        let f = LSTMFixture()
        _ = f.loss()
        let outputs = f.a.outputs.array
        f.parameters.zeroGradients()
        let dx = Tensor(zeros: f.x.shape), dhs = f.outputGradients()
        f.lstm.backward(f.a, inputGradients: dx) { f.step($0, of: dhs) }
        let wholeGradients = Array(f.parameters.gradients.values)

        let b = LSTMActivations(steps: f.steps, rows: f.rows, hiddenSize: f.hiddenSize, inputSize: f.inputSize)
        b.initialHidden.copy(from: f.h0.matrix)
        b.initialCell.copy(from: f.c0.matrix)
        for t in 0..<f.steps { f.lstm.forwardStep(t, input: f.x[t], b) }
        for (p, q) in zip(b.outputs.array, outputs) { #expect(abs(p - q) < 1e-6) }
        f.parameters.zeroGradients()
        b.hiddenGradient.zero()
        b.cellGradient.zero()
        let dxStep = Tensor(zeros: f.x.shape)
        for t in stride(from: f.steps - 1, through: 0, by: -1) {
            f.lstm.backwardStep(t, outputGradient: f.step(t, of: dhs), b)
            f.lstm.inputGradient(step: t, b, into: dxStep[t])
        }
        f.lstm.accumulateWeightGradients(b)
        for (p, q) in zip(Array(f.parameters.gradients.values), wholeGradients) { #expect(abs(p - q) < 1e-5) }
        for (p, q) in zip(dxStep.array, dx.array) { #expect(abs(p - q) < 1e-6) }
    }

    /// Backward passes with the classic bugs fail the check: the cell-state gradient or the
    /// hidden-state gradient not carried from one step to the one before, and the
    /// gate blocks in the wrong order.
    @Test func wrongBackwardsFail() {
        let f = LSTMFixture()
        let dhs = f.outputGradients()
        for bug in ["drops ∂L/∂c through time", "drops ∂L/∂h through time", "swaps input and forget gates"] {
            _ = f.loss()
            f.parameters.zeroGradients()
            f.a.hiddenGradient.zero()
            f.a.cellGradient.zero()
            for t in stride(from: f.steps - 1, through: 0, by: -1) {
                f.lstm.backwardStep(t, outputGradient: f.step(t, of: dhs), f.a)
                if bug == "drops ∂L/∂c through time" { f.a.cellGradient.zero() }
                if bug == "drops ∂L/∂h through time" { f.a.hiddenGradient.zero() }
            }
            f.lstm.accumulateWeightGradients(f.a)
            var weightHH = f.parameters.gradient("lstm.weight_hh").array
            if bug == "swaps input and forget gates" {
                let block = f.hiddenSize * f.hiddenSize
                for i in 0..<block { weightHH.swapAt(i, block + i) }
            }
            #expect(!passes(weightHH, values: f.parameters.value("lstm.weight_hh"), loss: f.loss), "\(bug)")
        }
    }
}
