/// Losses and mean discriminator outputs of one step of Algorithm 1.
public struct StepLosses: Sendable, Equatable {
    /// `mean softplus(−a_real) + mean softplus(a_fake)`, before the discriminator's update.
    public var discriminator: Double
    /// `−mean a_fake` under the updated discriminator.
    public var generator: Double
    /// Mean `σ(a)` over real and over generated examples, before the discriminator's update.
    public var realProbability: Double
    public var fakeProbability: Double
}

/// One iteration of Algorithm 1 on one process: a discriminator step then a generator step,
/// each with Adam.
///
///     D: minimise  mean_real softplus(−a) + mean_fake softplus(a)       (fakes held fixed)
///     G: minimise  −mean_fake a                                         (with the updated D)
///
/// With packing `m > 1` (PacGAN, Lin et al. 2018) the discriminator judges `m` examples at
/// once, all real or all generated: its input at step `t` is the concatenation of the `m`
/// one-hot vectors, so it can see a lack of diversity that no single example shows. In the
/// time-major layout `[T, rows, V]`, consecutive rows are adjacent in memory, so the packed
/// view `[T, rows/m, m·V]` is the same storage: packing costs nothing.
///
/// The generator's forward pass of the D step is reused by the G step (G has not changed).
/// All buffers are allocated once, here.
public final class AdversarialStep {
    public let generator: Generator
    public let discriminator: Discriminator
    public let generatorOptimizer: Adam
    public let discriminatorOptimizer: Adam
    public let realRows: Int
    public let fakeRows: Int
    /// Examples per discriminator input.
    public let pack: Int
    public let estimator: Estimator
    /// λ of the generator's entropy bonus `−λ · mean_{rows,t} H(softmax ℓ_t)` (0: none).
    public let entropyBonus: Float
    public let encoder: RealInputs
    /// `[T, realRows, V]`: the real examples as the discriminator sees them.
    public let realInputs: Tensor
    let generatorWorkspace: Generator.Workspace
    let realWorkspace: Discriminator.Workspace
    let fakeWorkspace: Discriminator.Workspace
    /// Packed views `[T, rows/m, m·V]` of the real inputs, the generated samples and the
    /// gradient the discriminator hands back, and that gradient unpacked `[T, fakeRows, V]`.
    let packedReal: Tensor, packedFake: Tensor, sampleGradients: Tensor

    /// `discriminator` must read `pack · V` inputs; `realRows` and `fakeRows` must be
    /// multiples of `pack`.
    public init(generator: Generator, discriminator: Discriminator, realRows: Int, fakeRows: Int, pack: Int = 1,
                estimator: Estimator, entropyBonus: Float = 0, encoder: RealInputs,
                adam: AdamSettings, discriminatorAdam: AdamSettings? = nil) {
        let (t, v) = (generator.length, generator.vocabularySize)
        precondition(discriminator.vocabularySize == pack * v && discriminator.length == t,
                     "AdversarialStep: the discriminator must read \(pack) × \(v) inputs over \(t) steps")
        precondition(pack >= 1 && realRows % pack == 0 && fakeRows % pack == 0,
                     "AdversarialStep: \(realRows) real and \(fakeRows) generated rows do not split into packs of \(pack)")
        self.generator = generator
        self.discriminator = discriminator
        self.realRows = realRows
        self.fakeRows = fakeRows
        self.pack = pack
        self.estimator = estimator
        self.entropyBonus = entropyBonus
        self.encoder = encoder
        generatorOptimizer = Adam(parameterCount: generator.parameters.count, settings: adam)
        discriminatorOptimizer = Adam(parameterCount: discriminator.parameters.count, settings: discriminatorAdam ?? adam)
        realInputs = Tensor(zeros: [t, realRows, v])
        generatorWorkspace = Generator.Workspace(generator: generator, rows: fakeRows)
        realWorkspace = Discriminator.Workspace(discriminator: discriminator, rows: realRows / pack)
        fakeWorkspace = Discriminator.Workspace(discriminator: discriminator, rows: fakeRows / pack)
        packedReal = Tensor(realInputs.storage, shape: [t, realRows / pack, pack * v])
        packedFake = Tensor(generatorWorkspace.samples.storage, shape: [t, fakeRows / pack, pack * v])
        sampleGradients = Tensor(fakeWorkspace.inputGradients.storage, shape: [t, fakeRows, v])
    }

    /// Runs iteration `step` on the real examples `realSymbols` (`realRows × T` indices),
    /// drawing all noise from `random`, and updates both networks. `tau` is the generator's
    /// temperature, `inputTau` the real inputs'; `learningRateScale` scales both learning rates.
    public func run(step: Int, realSymbols: UnsafeBufferPointer<Int32>, temperature tau: Float, inputTemperature inputTau: Float,
                    learningRateScale: Float = 1, random: CounterRandom) -> StepLosses {
        let (g, d, gws) = (generator, discriminator, generatorWorkspace)
        encoder.encode(realSymbols, into: realInputs, temperature: inputTau, random: random, step: step, firstRow: 0)
        g.drawNoise(gws, random: random, step: step, firstRow: 0)
        g.forward(gws, temperature: tau, estimator: estimator)
        let (realPacks, fakePacks) = (realWorkspace.rows, fakeWorkspace.rows)

        // Discriminator step.
        d.parameters.zeroGradients()
        d.forward(packedReal, realWorkspace)
        let realLoss = LogitLoss.real.evaluate(logits: UnsafeBufferPointer(realWorkspace.logits.values),
                                               scale: 1 / Float(realPacks), gradients: realWorkspace.logitGradients.values)
        d.backward(packedReal, realWorkspace, .parameters)
        d.forward(packedFake, fakeWorkspace)
        let fakeLoss = LogitLoss.fake.evaluate(logits: UnsafeBufferPointer(fakeWorkspace.logits.values),
                                               scale: 1 / Float(fakePacks), gradients: fakeWorkspace.logitGradients.values)
        d.backward(packedFake, fakeWorkspace, .parameters)
        let realProbability = meanSigmoid(realWorkspace.logits)
        let fakeProbability = meanSigmoid(fakeWorkspace.logits)
        discriminatorOptimizer.update(d.parameters, learningRateScale: learningRateScale)

        // Generator step, through the updated discriminator.
        g.parameters.zeroGradients()
        d.forward(packedFake, fakeWorkspace)
        let generatorLoss = LogitLoss.generator.evaluate(logits: UnsafeBufferPointer(fakeWorkspace.logits.values),
                                                         scale: 1 / Float(fakePacks), gradients: fakeWorkspace.logitGradients.values)
        d.backward(packedFake, fakeWorkspace, .inputs)
        g.backward(gws, sampleGradients: sampleGradients, temperature: tau, estimator: estimator,
                   entropyWeight: entropyBonus / Float(fakeRows * g.length))
        generatorOptimizer.update(g.parameters, learningRateScale: learningRateScale)

        return StepLosses(discriminator: realLoss / Double(realPacks) + fakeLoss / Double(fakePacks),
                          generator: generatorLoss / Double(fakePacks),
                          realProbability: realProbability, fakeProbability: fakeProbability)
    }

    private func meanSigmoid(_ logits: Matrix) -> Double {
        var sum = 0.0
        for i in 0..<logits.count { sum += Double(sigmoid(logits.base[i])) }
        return sum / Double(max(logits.count, 1))
    }
}
