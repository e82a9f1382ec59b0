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
/// The generator's forward pass of the D step is reused by the G step (G has not changed).
/// All buffers are allocated once, here.
public final class AdversarialStep {
    public let generator: Generator
    public let discriminator: Discriminator
    public let generatorOptimizer: Adam
    public let discriminatorOptimizer: Adam
    public let realRows: Int
    public let fakeRows: Int
    public let estimator: Estimator
    public let encoder: RealInputs
    /// `[T, realRows, V]`: the real examples as the discriminator sees them.
    public let realInputs: Tensor
    let generatorWorkspace: Generator.Workspace
    let realWorkspace: Discriminator.Workspace
    let fakeWorkspace: Discriminator.Workspace

    public init(generator: Generator, discriminator: Discriminator, realRows: Int, fakeRows: Int,
                estimator: Estimator, encoder: RealInputs, adam: AdamSettings) {
        precondition(generator.vocabularySize == discriminator.vocabularySize && generator.length == discriminator.length,
                     "AdversarialStep: generator and discriminator sizes differ")
        self.generator = generator
        self.discriminator = discriminator
        self.realRows = realRows
        self.fakeRows = fakeRows
        self.estimator = estimator
        self.encoder = encoder
        generatorOptimizer = Adam(parameterCount: generator.parameters.count, settings: adam)
        discriminatorOptimizer = Adam(parameterCount: discriminator.parameters.count, settings: adam)
        realInputs = Tensor(zeros: [generator.length, realRows, generator.vocabularySize])
        generatorWorkspace = Generator.Workspace(generator: generator, rows: fakeRows)
        realWorkspace = Discriminator.Workspace(discriminator: discriminator, rows: realRows)
        fakeWorkspace = Discriminator.Workspace(discriminator: discriminator, rows: fakeRows)
    }

    /// Runs iteration `step` on the real examples `realSymbols` (`realRows × T` indices),
    /// drawing all noise from `random`, and updates both networks. `tau` is the generator's
    /// temperature, `inputTau` the real inputs'.
    public func run(step: Int, realSymbols: UnsafeBufferPointer<Int32>, temperature tau: Float, inputTemperature inputTau: Float,
                    random: CounterRandom) -> StepLosses {
        let (g, d, gws) = (generator, discriminator, generatorWorkspace)
        encoder.encode(realSymbols, into: realInputs, temperature: inputTau, random: random, step: step, firstRow: 0)
        g.drawNoise(gws, random: random, step: step, firstRow: 0)
        g.forward(gws, temperature: tau, estimator: estimator)

        // Discriminator step.
        d.parameters.zeroGradients()
        d.forward(realInputs, realWorkspace)
        let realLoss = LogitLoss.real.evaluate(logits: UnsafeBufferPointer(realWorkspace.logits.values),
                                               scale: 1 / Float(realRows), gradients: realWorkspace.logitGradients.values)
        d.backward(realInputs, realWorkspace, inputGradients: false)
        d.forward(gws.samples, fakeWorkspace)
        let fakeLoss = LogitLoss.fake.evaluate(logits: UnsafeBufferPointer(fakeWorkspace.logits.values),
                                               scale: 1 / Float(fakeRows), gradients: fakeWorkspace.logitGradients.values)
        d.backward(gws.samples, fakeWorkspace, inputGradients: false)
        let realProbability = meanSigmoid(realWorkspace.logits)
        let fakeProbability = meanSigmoid(fakeWorkspace.logits)
        discriminatorOptimizer.update(d.parameters)

        // Generator step, through the updated discriminator.
        g.parameters.zeroGradients()
        d.forward(gws.samples, fakeWorkspace)
        let generatorLoss = LogitLoss.generator.evaluate(logits: UnsafeBufferPointer(fakeWorkspace.logits.values),
                                                         scale: 1 / Float(fakeRows), gradients: fakeWorkspace.logitGradients.values)
        d.backward(gws.samples, fakeWorkspace, inputGradients: true)
        g.backward(gws, sampleGradients: fakeWorkspace.inputGradients, temperature: tau, estimator: estimator)
        generatorOptimizer.update(g.parameters)

        return StepLosses(discriminator: realLoss / Double(realRows) + fakeLoss / Double(fakeRows),
                          generator: generatorLoss / Double(fakeRows),
                          realProbability: realProbability, fakeProbability: fakeProbability)
    }

    private func meanSigmoid(_ logits: Matrix) -> Double {
        var sum = 0.0
        for i in 0..<logits.count { sum += Double(sigmoid(logits.base[i])) }
        return sum / Double(max(logits.count, 1))
    }
}
