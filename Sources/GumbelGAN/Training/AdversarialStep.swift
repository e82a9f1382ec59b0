/// The figures of one step of Algorithm 1, as sums over one rank's packs and the global
/// pack counts, so that ranks can add their figures before taking means.
public struct StepLosses: Sendable, Equatable {
    /// `Σ softplus(−a_real)` and `Σ softplus(a_fake)`, before the discriminator's update.
    public var realLoss: Double
    public var fakeLoss: Double
    /// `Σ −a_fake` under the updated discriminator.
    public var generatorLoss: Double
    /// `Σ σ(a)` over real and over generated packs, before the discriminator's update.
    public var realProbabilitySum: Double
    public var fakeProbabilitySum: Double
    /// Packs in the global batch.
    public var realPacks: Int
    public var fakePacks: Int

    /// `mean softplus(−a_real) + mean softplus(a_fake)` (once the sums are global).
    public var discriminator: Double { realLoss / Double(realPacks) + fakeLoss / Double(fakePacks) }
    /// `−mean a_fake`.
    public var generator: Double { generatorLoss / Double(fakePacks) }
    /// Mean `σ(a)` over real and over generated packs.
    public var realProbability: Double { realProbabilitySum / Double(realPacks) }
    public var fakeProbability: Double { fakeProbabilitySum / Double(fakePacks) }

    /// The sums as a vector (for one allreduce) and back.
    var sums: [Double] { [realLoss, fakeLoss, generatorLoss, realProbabilitySum, fakeProbabilitySum] }
    init(sums s: [Double], realPacks: Int, fakePacks: Int) {
        (realLoss, fakeLoss, generatorLoss, realProbabilitySum, fakeProbabilitySum) = (s[0], s[1], s[2], s[3], s[4])
        self.realPacks = realPacks
        self.fakePacks = fakePacks
    }
}

/// One iteration of Algorithm 1 on one rank: a discriminator step then a generator step,
/// each with Adam.
///
///     D: minimise  mean_real softplus(−a) + mean_fake softplus(a)       (fakes held fixed)
///     G: minimise  −mean_fake a                                         (with the updated D)
///
/// Data parallel: the rank takes the rows ``realShard`` and ``fakeShard`` of the global
/// batch (see ``shard(_:ranks:rank:unit:)``), sums its per-row gradients scaled by one over
/// the global count, and one allreduce per network gives every rank the gradient of the
/// whole batch; every rank then applies the same Adam update. Every random number is
/// addressed by the global row, so no rank needs another's.
///
/// With packing `m > 1` (PacGAN, Lin et al. 2018) the discriminator judges `m` examples at
/// once, all real or all generated: its input at step `t` is the concatenation of the `m`
/// one-hot vectors, so it can see a lack of diversity that no single example shows. In the
/// time-major layout `[T, rows, V]`, consecutive rows are adjacent in memory, so the packed
/// view `[T, rows/m, m·V]` is the same storage: packing costs nothing. Shards are whole packs.
///
/// The generator's forward pass of the D step is reused by the G step (G has not changed).
/// All buffers are allocated once, here.
public final class AdversarialStep {
    public let generator: Generator
    public let discriminator: Discriminator
    public let generatorOptimizer: Adam
    public let discriminatorOptimizer: Adam
    public let communicator: Communicator
    /// This rank's rows of the global real and generated batches.
    public let realShard: Range<Int>
    public let fakeShard: Range<Int>
    /// Examples per discriminator input.
    public let pack: Int
    public let estimator: Estimator
    public let encoder: RealInputs
    /// `[T, realShard.count, V]`: this rank's real examples as the discriminator sees them.
    public let realInputs: Tensor
    let generatorWorkspace: Generator.Workspace
    let realWorkspace: Discriminator.Workspace
    let fakeWorkspace: Discriminator.Workspace
    /// Packed views `[T, rows/m, m·V]` of the real inputs, the generated samples and the
    /// gradient the discriminator hands back, and that gradient unpacked `[T, rows, V]`.
    let packedReal: Tensor, packedFake: Tensor, sampleGradients: Tensor
    let realPacks: Int, fakePacks: Int

    /// `realRows` and `fakeRows` are the global batch sizes, multiples of `pack`;
    /// `discriminator` must read `pack · V` inputs.
    public init(generator: Generator, discriminator: Discriminator, realRows: Int, fakeRows: Int, pack: Int = 1,
                estimator: Estimator, encoder: RealInputs, adam: AdamSettings, discriminatorAdam: AdamSettings? = nil,
                communicator: Communicator = SingleProcess()) {
        let (t, v) = (generator.length, generator.vocabularySize)
        precondition(discriminator.vocabularySize == pack * v && discriminator.length == t,
                     "AdversarialStep: the discriminator must read \(pack) × \(v) inputs over \(t) steps")
        precondition(pack >= 1 && realRows % pack == 0 && fakeRows % pack == 0,
                     "AdversarialStep: \(realRows) real and \(fakeRows) generated rows do not split into packs of \(pack)")
        self.generator = generator
        self.discriminator = discriminator
        self.communicator = communicator
        self.pack = pack
        self.estimator = estimator
        self.encoder = encoder
        realShard = shard(realRows, ranks: communicator.size, rank: communicator.rank, unit: pack)
        fakeShard = shard(fakeRows, ranks: communicator.size, rank: communicator.rank, unit: pack)
        (realPacks, fakePacks) = (realRows / pack, fakeRows / pack)
        let (real, fake) = (realShard.count, fakeShard.count)
        generatorOptimizer = Adam(parameterCount: generator.parameters.count, settings: adam)
        discriminatorOptimizer = Adam(parameterCount: discriminator.parameters.count, settings: discriminatorAdam ?? adam)
        realInputs = Tensor(zeros: [t, real, v])
        generatorWorkspace = Generator.Workspace(generator: generator, rows: fake)
        realWorkspace = Discriminator.Workspace(discriminator: discriminator, rows: real / pack)
        fakeWorkspace = Discriminator.Workspace(discriminator: discriminator, rows: fake / pack)
        packedReal = Tensor(realInputs.storage, shape: [t, real / pack, pack * v])
        packedFake = Tensor(generatorWorkspace.samples.storage, shape: [t, fake / pack, pack * v])
        sampleGradients = Tensor(fakeWorkspace.inputGradients.storage, shape: [t, fake, v])
    }

    /// Runs iteration `step` on this rank's real examples `realSymbols` (`realShard.count × T`
    /// indices), drawing all noise from `random`, and updates both networks. `tau` is the
    /// generator's temperature, `inputTau` the real inputs'; `learningRateScale` scales both
    /// learning rates; `entropyBonus` λ adds `−λ · mean_{rows,t} H(softmax ℓ_t)` to the
    /// generator's loss. Returns this rank's sums.
    public func run(step: Int, realSymbols: UnsafeBufferPointer<Int32>, temperature tau: Float, inputTemperature inputTau: Float,
                    learningRateScale: Float = 1, entropyBonus: Float = 0, random: CounterRandom) -> StepLosses {
        let (g, d, gws) = (generator, discriminator, generatorWorkspace)
        encoder.encode(realSymbols, into: realInputs, temperature: inputTau, random: random, step: step,
                       firstRow: realShard.lowerBound)
        g.drawNoise(gws, random: random, step: step, firstRow: fakeShard.lowerBound)
        g.forward(gws, temperature: tau, estimator: estimator)

        // Discriminator step.
        d.parameters.zeroGradients()
        d.forward(packedReal, realWorkspace)
        let realLoss = LogitLoss.real.evaluate(logits: UnsafeBufferPointer(realWorkspace.logits.values),
                                               scale: 1 / Float(realPacks), gradients: realWorkspace.logitGradients.values)
        d.backward(realWorkspace, .parameters)
        d.forward(packedFake, fakeWorkspace)
        let fakeLoss = LogitLoss.fake.evaluate(logits: UnsafeBufferPointer(fakeWorkspace.logits.values),
                                               scale: 1 / Float(fakePacks), gradients: fakeWorkspace.logitGradients.values)
        d.backward(fakeWorkspace, .parameters)
        let realProbability = sigmoidSum(realWorkspace.logits)
        let fakeProbability = sigmoidSum(fakeWorkspace.logits)
        communicator.allreduceSum(d.parameters.gradients.values)
        discriminatorOptimizer.update(d.parameters, learningRateScale: learningRateScale)

        // Generator step, through the updated discriminator.
        g.parameters.zeroGradients()
        d.forward(packedFake, fakeWorkspace)
        let generatorLoss = LogitLoss.generator.evaluate(logits: UnsafeBufferPointer(fakeWorkspace.logits.values),
                                                         scale: 1 / Float(fakePacks), gradients: fakeWorkspace.logitGradients.values)
        d.backward(fakeWorkspace, .inputs)
        g.backward(gws, sampleGradients: sampleGradients, temperature: tau, estimator: estimator,
                   entropyWeight: entropyBonus / Float(fakePacks * pack * g.length))
        communicator.allreduceSum(g.parameters.gradients.values)
        generatorOptimizer.update(g.parameters, learningRateScale: learningRateScale)

        return StepLosses(sums: [realLoss, fakeLoss, generatorLoss, realProbability, fakeProbability],
                          realPacks: realPacks, fakePacks: fakePacks)
    }

    private func sigmoidSum(_ logits: Matrix) -> Double {
        var sum = 0.0
        for i in 0..<logits.count { sum += Double(sigmoid(logits.base[i])) }
        return sum
    }
}
