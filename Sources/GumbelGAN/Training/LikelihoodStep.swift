/// One iteration of maximum-likelihood training of the generator with teacher forcing:
/// minimise the mean over examples and positions (padding included) of
/// `−log p(s_t | s_0 … s_{t−1})`, with Adam. Data parallel like ``AdversarialStep``: the
/// rank takes the real rows of its ``BatchShards`` and its optimiser sums the gradient.
public final class LikelihoodStep {
    public let generator: Generator
    /// Nil for a step that only scores.
    public let optimizer: DistributedOptimizer?
    /// Rows of the global batch.
    public let globalRows: Int
    /// This rank's rows of the global batch.
    public let shard: Range<Int>
    let workspace: Generator.Workspace
    /// `[T, shard.count, V]`: the one-hot examples, fed in and scored.
    let inputs: Tensor

    /// Trains (or with no `optimizer`, scores) the real rows of `shards`.
    public init(generator: Generator, shards: BatchShards, optimizer: DistributedOptimizer?) {
        self.generator = generator
        self.optimizer = optimizer
        globalRows = shards.realRows
        shard = shards.real
        workspace = Generator.Workspace(generator: generator, rows: shard.count)
        inputs = Tensor(zeros: [generator.length, shard.count, generator.vocabularySize])
    }

    /// Trains on this rank's examples `symbols` (`shard.count × T` indices) and returns their
    /// summed negative log-likelihood (nats) before the update. `learningRateScale` scales the
    /// learning rate. `steps` < T scores and trains only the first `steps` positions (a batch
    /// whose examples all end earlier: the rest is padding after padding); the loss keeps its
    /// normalisation by T, so a full batch's gradient is unchanged.
    public func run(step: Int, symbols: UnsafeBufferPointer<Int32>, steps: Int? = nil, learningRateScale: Float = 1, random: CounterRandom) -> Double
    {
        guard let optimizer else { preconditionFailure("LikelihoodStep.run: a scoring step has no optimiser") }
        let g = generator
        let nll = score(symbols, random: random, step: step, scale: 1 / Float(globalRows * g.length), steps: steps ?? g.length)
        g.parameters.zeroGradients()
        g.backwardTeacherForced(workspace, steps: steps)
        optimizer.step(g.parameters, learningRateScale: learningRateScale)
        return nll
    }

    /// Adds `weight ·` the gradient of the mean NLL per symbol of the global batch (this rank's
    /// examples `symbols`) to the generator's gradients, without updating: the likelihood term
    /// of an adversarial generator's loss. Its draws (initial state, dropout) are addressed at
    /// rows `rowOffset + r`. Returns this rank's summed NLL (nats).
    public func addGradient(_ symbols: UnsafeBufferPointer<Int32>, weight: Float, random: CounterRandom, step: Int, rowOffset: Int) -> Double {
        let nll = score(symbols, random: random, step: step, scale: weight / Float(globalRows * generator.length), rowOffset: rowOffset)
        generator.backwardTeacherForced(workspace)
        return nll
    }

    /// Mean negative log-likelihood per symbol (nats) of this rank's examples `symbols` under
    /// the current generator, without training. `random` and `step` address the
    /// initial-state noise when the generator has any.
    public func negativeLogLikelihood(_ symbols: UnsafeBufferPointer<Int32>, random: CounterRandom, step: Int) -> Double {
        score(symbols, random: random, step: step, scale: 0) / Double(shard.count * generator.length)
    }

    /// The summed NLL of `symbols`; writes `scale · ∂/∂logits` into the workspace.
    private func score(_ symbols: UnsafeBufferPointer<Int32>, random: CounterRandom, step: Int, scale: Float, rowOffset: Int = 0, steps: Int? = nil)
        -> Double
    {
        let (g, length, rows) = (generator, generator.length, shard.count)
        precondition(symbols.count == rows * length, "LikelihoodStep: \(symbols.count) symbols for \(rows) × \(length)")
        RealInputs.writeOneHot(symbols, into: inputs)
        let firstRow = shard.lowerBound + rowOffset
        if g.initialState.drawsNoise { g.drawNoise(workspace, random: random, step: step, firstRow: firstRow, includingGumbel: false) }
        if scale != 0 { g.drawDropout(workspace, random: random, step: step, firstRow: firstRow) }
        let steps = steps ?? length
        g.forward(workspace, teacherInputs: inputs, symbols: symbols, steps: steps)
        return SequenceLikelihood.negativeLogLikelihood(
            logits: workspace.logits.prefix(steps: steps), targets: inputs.prefix(steps: steps), scale: scale,
            gradients: workspace.logitGradients.prefix(steps: steps))
    }
}
