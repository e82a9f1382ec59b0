/// One iteration of Algorithm 1 on one rank: a discriminator step then a generator step,
/// each with Adam (optionally more discriminator steps first, ``discriminatorStep(step:substep:realSymbols:temperature:inputTemperature:learningRateScale:random:)``).
///
///     D: minimise  mean_real softplus(−a) + mean_fake softplus(a)       (fakes held fixed)
///     G: minimise  −mean_fake a  (+ μ · NLL of the real batch, teacher-forced; μ = 0 by default)
///
/// Data parallel: the rank takes the rows of its ``BatchShards`` and sums its per-row
/// gradients scaled by one over the global count; each network's ``DistributedOptimizer``
/// sums them over the ranks and updates. Every random number is addressed by the global
/// row, so no rank needs another's.
///
/// With packing `m > 1` (PacGAN, Lin et al. 2018) the discriminator judges `m` examples at
/// once, all real or all generated: its input at step `t` is the concatenation of the `m`
/// one-hot vectors, so it can see a lack of diversity that no single example shows. In the
/// time-major layout `[T, rows, V]`, consecutive rows are adjacent in memory, so the packed
/// view `[T, rows/m, m·V]` is the same storage: packing costs nothing. Shards are whole packs.
///
/// A CNN discriminator with `R` representations gives `R` logits per pack, each scored as an
/// example of its own (RelGAN's loss over `batch · num_rep` logits); the losses and `σ(a)` it
/// reports are per pack.
///
/// With a ``GradientPenalty`` (R1, `gradientPenalty` γ > 0) the discriminator's update also
/// minimises `γ/2 · mean ‖∇ₓ a‖²` over the real packs; with R2 (`fakeGradientPenalty`) over
/// the generated ones, where the generator reads the discriminator's gradient.
///
/// The generator's forward pass of the D step is reused by the G step (G has not changed).
/// All buffers are allocated once, here.
public final class AdversarialStep {
    public let generator: Generator
    public let discriminator: Discriminator
    public let generatorOptimizer: DistributedOptimizer
    public let discriminatorOptimizer: DistributedOptimizer
    /// This rank's rows of the global real and generated batches.
    public let shards: BatchShards
    /// Examples per discriminator input.
    public let pack: Int
    public let loss: AdversarialLoss
    public let estimator: Estimator
    public let encoder: RealInputs
    /// R1's penalty on the discriminator's input gradient at the real packs, R2's at the
    /// generated ones; nil when off.
    public let penalty: GradientPenalty?, fakePenalty: GradientPenalty?
    /// `[T, shards.real.count, V]`: this rank's real examples as the discriminator sees them.
    public let realInputs: Tensor
    let generatorWorkspace: Generator.Workspace
    let realWorkspace: Discriminator.Workspace
    let fakeWorkspace: Discriminator.Workspace
    /// Packed views `[T, rows/m, m·V]` of the real inputs, the generated samples and the
    /// gradient the discriminator hands back, and that gradient unpacked `[T, rows, V]`.
    let packedReal: Tensor, packedFake: Tensor, sampleGradients: Tensor
    let realPacks: Int, fakePacks: Int
    /// The discriminator's logits over all ranks' real and generated packs (`R` per pack).
    let realLogitCount: Int, fakeLogitCount: Int
    /// Scores the real rows for the likelihood term of the generator's loss (`likelihoodWeight`).
    public private(set) lazy var likelihoodTerm = LikelihoodStep(generator: generator, shards: shards, optimizer: nil)

    /// `shards` splits the global batches, multiples of `pack`, between the ranks; the
    /// optimisers synchronise the ranks' gradients. `discriminator` must read `pack · V` inputs.
    public init(
        generator: Generator, discriminator: Discriminator, shards: BatchShards, pack: Int = 1,
        estimator: Estimator, encoder: RealInputs, loss: AdversarialLoss = .standard, gradientPenalty: Float = 0,
        fakeGradientPenalty: Float = 0, generatorOptimizer: DistributedOptimizer, discriminatorOptimizer: DistributedOptimizer
    ) {
        let (t, v) = (generator.length, generator.vocabularySize)
        precondition(
            discriminator.vocabularySize == pack * v && discriminator.length == t,
            "AdversarialStep: the discriminator must read \(pack) × \(v) inputs over \(t) steps")
        precondition(
            pack >= 1 && shards.realRows % pack == 0 && shards.generatedRows % pack == 0,
            "AdversarialStep: \(shards.realRows) real and \(shards.generatedRows) generated rows do not split into packs of \(pack)")
        self.generator = generator
        self.discriminator = discriminator
        self.shards = shards
        self.pack = pack
        self.estimator = estimator
        self.encoder = encoder
        self.loss = loss
        precondition(loss == .standard || shards.realRows == shards.generatedRows, "AdversarialStep: rsgan needs as many generated rows as real ones")
        self.generatorOptimizer = generatorOptimizer
        self.discriminatorOptimizer = discriminatorOptimizer
        (realPacks, fakePacks) = (shards.realRows / pack, shards.generatedRows / pack)
        (realLogitCount, fakeLogitCount) = (realPacks * discriminator.representations, fakePacks * discriminator.representations)
        let (real, fake) = (shards.real.count, shards.generated.count)
        realInputs = Tensor(zeros: [t, real, v])
        generatorWorkspace = Generator.Workspace(generator: generator, rows: fake)
        realWorkspace = Discriminator.Workspace(discriminator: discriminator, rows: real / pack)
        fakeWorkspace = Discriminator.Workspace(discriminator: discriminator, rows: fake / pack)
        penalty = gradientPenalty > 0 ? GradientPenalty(weight: gradientPenalty, discriminator: discriminator, packs: real / pack) : nil
        fakePenalty =
            fakeGradientPenalty > 0 ? GradientPenalty(weight: fakeGradientPenalty, discriminator: discriminator, packs: fake / pack) : nil
        packedReal = Tensor(realInputs.storage, shape: [t, real / pack, pack * v])
        packedFake = Tensor(generatorWorkspace.samples.storage, shape: [t, fake / pack, pack * v])
        sampleGradients = Tensor(fakeWorkspace.inputGradients.storage, shape: [t, fake, v])
    }

    /// One process, its own optimisers with Adam's `adam` settings (`discriminatorAdam` for the
    /// discriminator when given): for benchmarks and tests.
    public convenience init(
        generator: Generator, discriminator: Discriminator, realRows: Int, fakeRows: Int, pack: Int = 1,
        estimator: Estimator, encoder: RealInputs, loss: AdversarialLoss = .standard, gradientPenalty: Float = 0,
        fakeGradientPenalty: Float = 0, adam: AdamSettings, discriminatorAdam: AdamSettings? = nil, communicator: Communicator = SingleProcess()
    ) {
        self.init(
            generator: generator, discriminator: discriminator,
            shards: BatchShards(realRows: realRows, generatedRows: fakeRows, unit: pack, communicator: communicator),
            pack: pack, estimator: estimator, encoder: encoder, loss: loss, gradientPenalty: gradientPenalty,
            fakeGradientPenalty: fakeGradientPenalty,
            generatorOptimizer: DistributedOptimizer(
                parameterCount: generator.parameters.count, settings: adam,
                communicator: communicator),
            discriminatorOptimizer: DistributedOptimizer(
                parameterCount: discriminator.parameters.count,
                settings: discriminatorAdam ?? adam, communicator: communicator))
    }

    /// Sub-steps of an iteration (its discriminator updates) are addressed by row: sub-step
    /// `d` draws at rows `d · 2²⁴ + r`, so sub-step 0 draws what a one-step iteration draws.
    public static let maximumSubsteps = 255
    public static func rowOffset(substep d: Int) -> Int { d << 24 }
    /// The likelihood term's draws take the row block after the last sub-step's.
    static let likelihoodRowOffset = rowOffset(substep: maximumSubsteps)

    /// Runs iteration `step` on this rank's real examples `realSymbols` (`shards.real.count × T`
    /// indices), drawing all noise from `random`, and updates both networks. `tau` is the
    /// generator's temperature, `inputTau` the real inputs'; `learningRateScale` scales both
    /// learning rates; `entropyBonus` λ adds `−λ · mean_{rows,t} H(softmax ℓ_t)` to the
    /// generator's loss; `likelihoodWeight` μ adds `μ ·` the teacher-forced NLL per symbol of
    /// the real batch. `updatingGenerator: false` (a discriminator warm-up) leaves the
    /// generator as it is, and its loss 0. Returns this rank's sums.
    public func run(
        step: Int, realSymbols: UnsafeBufferPointer<Int32>, temperature tau: Float, inputTemperature inputTau: Float,
        learningRateScale: Float = 1, entropyBonus: Float = 0, likelihoodWeight: Float = 0, random: CounterRandom,
        updatingGenerator: Bool = true
    ) -> StepLosses {
        let (realLoss, fakeLoss, realProbability, fakeProbability, squares) = discriminatorStep(
            step: step, substep: 0, realSymbols: realSymbols, temperature: tau, inputTemperature: inputTau,
            learningRateScale: learningRateScale, random: random)
        guard updatingGenerator else {
            var losses = StepLosses(sums: [realLoss, fakeLoss, 0, realProbability, fakeProbability], realPacks: realPacks, fakePacks: fakePacks)
            (losses.gradientSquaredSum, losses.fakeGradientSquaredSum) = squares
            return losses
        }
        let (g, d, gws) = (generator, discriminator, generatorWorkspace)
        let (realLogits, fakeLogits) = (UnsafeBufferPointer(realWorkspace.logits.values), UnsafeBufferPointer(fakeWorkspace.logits.values))

        // Generator step, through the updated discriminator.
        g.parameters.zeroGradients()
        let generatorLoss: Double
        switch loss {
        case .standard:
            d.forward(packedFake, fakeWorkspace)
            generatorLoss = LogitLoss.generator.evaluate(
                logits: fakeLogits, scale: 1 / Float(fakeLogitCount), gradients: fakeWorkspace.logitGradients.values)
        case .rsgan:
            d.forward(packedReal, realWorkspace)
            d.forward(packedFake, fakeWorkspace)
            generatorLoss = RelativisticLoss.evaluate(
                fakeLogits, realLogits, scale: 1 / Float(fakeLogitCount),
                gradientsA: fakeWorkspace.logitGradients.values, gradientsB: nil)
        }
        d.backward(fakeWorkspace, .inputs)
        g.backward(
            gws, sampleGradients: sampleGradients, temperature: tau, estimator: estimator,
            entropyWeight: entropyBonus / Float(fakePacks * pack * g.length))
        let likelihoodSum =
            likelihoodWeight > 0
            ? likelihoodTerm.addGradient(realSymbols, weight: likelihoodWeight, random: random, step: step, rowOffset: Self.likelihoodRowOffset)
            : nil
        generatorOptimizer.step(g.parameters, learningRateScale: learningRateScale)

        var losses = StepLosses(
            sums: [realLoss, fakeLoss, generatorLoss / Double(d.representations), realProbability, fakeProbability],
            realPacks: realPacks, fakePacks: fakePacks, likelihoodSum: likelihoodSum)
        (losses.gradientSquaredSum, losses.fakeGradientSquaredSum) = squares
        return losses
    }

    /// A discriminator update (sub-step `substep` of iteration `step`): draws the noise of the
    /// sub-step's rows, encodes `realSymbols` (drawn for the sub-step), generates, and updates D
    /// on the real and generated examples (and R1's and R2's penalties when on). Returns this
    /// rank's real and generated loss sums, sums of `σ(a)`, and with each penalty `Σ ‖∇ₓ a‖²`
    /// over its real or generated packs.
    public func discriminatorStep(
        step: Int, substep: Int, realSymbols: UnsafeBufferPointer<Int32>, temperature tau: Float,
        inputTemperature inputTau: Float, learningRateScale: Float = 1, random: CounterRandom
    ) -> (real: Double, fake: Double, realProbability: Double, fakeProbability: Double, squares: (real: Double?, fake: Double?)) {
        let d = discriminator
        prepareInputs(
            step: step, rowOffset: Self.rowOffset(substep: substep), realSymbols: realSymbols, temperature: tau, inputTemperature: inputTau,
            random: random, dropout: true)

        d.parameters.zeroGradients()
        let (realLogits, fakeLogits) = (UnsafeBufferPointer(realWorkspace.logits.values), UnsafeBufferPointer(fakeWorkspace.logits.values))
        var realLoss = 0.0, fakeLoss = 0.0
        switch loss {
        case .standard:
            d.forward(packedReal, realWorkspace)
            realLoss = LogitLoss.real.evaluate(
                logits: realLogits, scale: 1 / Float(realLogitCount), gradients: realWorkspace.logitGradients.values)
            d.backward(realWorkspace, .parameters)
            d.forward(packedFake, fakeWorkspace)
            fakeLoss = LogitLoss.fake.evaluate(
                logits: fakeLogits, scale: 1 / Float(fakeLogitCount), gradients: fakeWorkspace.logitGradients.values)
            d.backward(fakeWorkspace, .parameters)
        case .rsgan:
            d.forward(packedReal, realWorkspace)
            d.forward(packedFake, fakeWorkspace)
            realLoss = RelativisticLoss.evaluate(
                realLogits, fakeLogits, scale: 1 / Float(realLogitCount),
                gradientsA: realWorkspace.logitGradients.values, gradientsB: fakeWorkspace.logitGradients.values)
            d.backward(realWorkspace, .parameters)
            d.backward(fakeWorkspace, .parameters)
        }
        let perPack = Double(d.representations)
        let realProbability = sigmoidSum(realWorkspace.logits) / perPack
        let fakeProbability = sigmoidSum(fakeWorkspace.logits) / perPack
        let realSquares = penalty?.addGradient(d, inputs: packedReal, globalPacks: realPacks)
        let fakeSquares = fakePenalty?.addGradient(d, inputs: packedFake, globalPacks: fakePacks)
        if loss == .rsgan {
            // a_real − a_fake does not depend on the output bias (nor do the penalties): its
            // gradient is zero, but summed in Float32 over two passes it is rounding noise that
            // Adam, dividing by its own size, would turn into full steps (and differently for
            // each rank count).
            d.output.biasGradient.zero()
        }
        discriminatorOptimizer.step(d.parameters, learningRateScale: learningRateScale)
        return (realLoss / perPack, fakeLoss / perPack, realProbability, fakeProbability, (realSquares, fakeSquares))
    }

    /// Encodes `realSymbols` and generates the iteration's examples from the draws of `step`'s
    /// rows (shifted by `offset`), with the networks' dropout masks drawn when `dropout`.
    private func prepareInputs(
        step: Int, rowOffset offset: Int, realSymbols: UnsafeBufferPointer<Int32>, temperature tau: Float, inputTemperature inputTau: Float,
        random: CounterRandom, dropout: Bool
    ) {
        let (g, d, gws) = (generator, discriminator, generatorWorkspace)
        encoder.encode(
            realSymbols, into: realInputs, temperature: inputTau, random: random, step: step,
            firstRow: shards.real.lowerBound + offset)
        g.drawNoise(gws, random: random, step: step, firstRow: shards.generated.lowerBound + offset)
        if dropout {
            g.drawDropout(gws, random: random, step: step, firstRow: shards.generated.lowerBound + offset)
            d.drawDropout(realWorkspace, random: random, step: step, firstRow: shards.real.lowerBound / pack + offset, role: 1)
            d.drawDropout(fakeWorkspace, random: random, step: step, firstRow: shards.generated.lowerBound / pack + offset, role: 2)
            penalty?.workspace.copyDropout(from: realWorkspace)
            fakePenalty?.workspace.copyDropout(from: fakeWorkspace)
        }
        g.forward(gws, temperature: tau, estimator: estimator)
    }

    /// The discriminator's sums of `σ(a)` over the real and the generated packs of `step`'s
    /// draws, changing neither network: what ``discriminatorStep(step:substep:realSymbols:temperature:inputTemperature:learningRateScale:random:)``
    /// reports before its update. No dropout masks are drawn (a step built for scoring has
    /// none: its workspaces' masks are ones).
    public func score(
        step: Int, realSymbols: UnsafeBufferPointer<Int32>, temperature tau: Float, inputTemperature inputTau: Float, random: CounterRandom
    ) -> (realProbability: Double, fakeProbability: Double) {
        prepareInputs(
            step: step, rowOffset: 0, realSymbols: realSymbols, temperature: tau, inputTemperature: inputTau, random: random, dropout: false)
        discriminator.forward(packedReal, realWorkspace)
        discriminator.forward(packedFake, fakeWorkspace)
        let perPack = Double(discriminator.representations)
        return (sigmoidSum(realWorkspace.logits) / perPack, sigmoidSum(fakeWorkspace.logits) / perPack)
    }

    private func sigmoidSum(_ logits: Matrix) -> Double {
        var sum = 0.0
        for i in 0..<logits.count { sum += Double(sigmoid(logits.base[i])) }
        return sum
    }
}
