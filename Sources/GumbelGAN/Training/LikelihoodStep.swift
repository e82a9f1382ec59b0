/// One iteration of maximum-likelihood training of the generator with teacher forcing:
/// minimise the mean over examples and positions (padding included) of
/// `−log p(s_t | s_0 … s_{t−1})`, with Adam.
public final class LikelihoodStep {
    public let generator: Generator
    public let optimizer: Adam
    public let rows: Int
    let workspace: Generator.Workspace
    /// `[T, rows, V]`: the one-hot examples, fed in and scored.
    let inputs: Tensor

    public init(generator: Generator, rows: Int, adam: AdamSettings) {
        self.generator = generator
        self.rows = rows
        optimizer = Adam(parameterCount: generator.parameters.count, settings: adam)
        workspace = Generator.Workspace(generator: generator, rows: rows)
        inputs = Tensor(zeros: [generator.length, rows, generator.vocabularySize])
    }

    /// Trains on `symbols` (`rows × T` indices) and returns the mean negative
    /// log-likelihood per symbol (nats) before the update. `learningRateScale` scales the
    /// learning rate.
    public func run(step: Int, symbols: UnsafeBufferPointer<Int32>, learningRateScale: Float = 1, random: CounterRandom) -> Double {
        let g = generator
        let nll = score(symbols, random: random, step: step, scale: 1 / Float(rows * g.length))
        g.parameters.zeroGradients()
        g.backward(workspace, teacherInputs: inputs)
        optimizer.update(g.parameters, learningRateScale: learningRateScale)
        return nll
    }

    /// Mean negative log-likelihood per symbol (nats) of the `rows` examples `symbols`
    /// under the current generator, without training. `random` and `step` address the
    /// initial-state noise when the generator has any.
    public func negativeLogLikelihood(_ symbols: UnsafeBufferPointer<Int32>, random: CounterRandom, step: Int) -> Double {
        score(symbols, random: random, step: step, scale: 0)
    }

    private func score(_ symbols: UnsafeBufferPointer<Int32>, random: CounterRandom, step: Int, scale: Float) -> Double {
        let (g, length) = (generator, generator.length)
        precondition(symbols.count == rows * length, "LikelihoodStep: \(symbols.count) symbols for \(rows) × \(length)")
        inputs.zero()
        for r in 0..<rows { for t in 0..<length { inputs[t][r, Int(symbols[r * length + t])] = 1 } }
        if g.initialState != .zero { g.drawNoise(workspace, random: random, step: step, firstRow: 0) }
        g.forward(workspace, teacherInputs: inputs)
        let total = SequenceLikelihood.negativeLogLikelihood(logits: workspace.logits, targets: inputs, scale: scale,
                                                             gradients: workspace.logitGradients)
        return total / Double(rows * length)
    }
}
