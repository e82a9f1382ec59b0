import Testing

@testable import GumbelGAN

@Suite struct ChainGradientTests {
    /// The library's Float32 forward pass computes what the reference computes.
    @Test(arguments: GeneratorInitialState.allCases)
    func forwardMatchesReference(initialState: GeneratorInitialState) {
        let f = GANFixture(initialState: initialState)
        let reference = ReferenceGAN(f)
        f.generator.forward(f.g, temperature: f.temperature)
        f.discriminator.forward(f.g.samples, f.dFake)
        for r in 0..<f.rows {
            let ys = reference.generate(row: r)
            for t in 0..<f.length {
                for v in 0..<f.vocabulary { #expect(abs(Double(f.g.samples[t][r, v]) - ys[t][v]) < 1e-5) }
            }
            #expect(abs(Double(f.dFake.logits[r, 0]) - reference.logit(ys, row: r)) < 1e-5)
        }
    }

    @Test(arguments: GeneratorInitialState.allCases)
    func generatorParametersAndNoise(initialState: GeneratorInitialState) {
        let f = GANFixture(initialState: initialState)
        var reference = ReferenceGAN(f)
        let loss = f.generatorLoss(backward: true)
        #expect(abs(loss - reference.generatorLoss()) < 1e-5)
        reference.expectGeneratorGradients("chain G (\(initialState.rawValue))", f) { $0.generatorLoss() }
    }

    @Test func discriminatorParameters() {
        let f = GANFixture(initialState: .noise)
        var reference = ReferenceGAN(f)
        let loss = f.discriminatorLoss(backward: true)
        #expect(abs(loss - reference.discriminatorLoss()) < 1e-5)
        reference.expectGradients("chain D", of: f.discriminator.parameters, in: \.discriminator) { $0.discriminatorLoss() }
    }

    /// The relativistic losses (`--loss rsgan`) through the whole chain: the generator's
    /// parameters and noise, and the discriminator's parameters, against the reference.
    @Test func relativisticLossGradients() {
        let f = GANFixture(initialState: .noise)
        var reference = ReferenceGAN(f)
        #expect(abs(f.relativisticLoss(generator: true, backward: true) - reference.relativisticLoss(generator: true)) < 1e-5)
        reference.expectGeneratorGradients("chain rsgan G", f) { $0.relativisticLoss(generator: true) }
        #expect(abs(f.relativisticLoss(generator: false, backward: true) - reference.relativisticLoss(generator: false)) < 1e-5)
        reference.expectGradients("chain rsgan D", of: f.discriminator.parameters, in: \.discriminator) {
            $0.relativisticLoss(generator: false)
        }
    }

    /// An embedded 2-layer generator and discriminator with dropout masks between the layers:
    /// every parameter, the bottom layer's noise, against the Float64 reference; the
    /// masks really drop values.
    @Test func stackedEmbeddedNetworks() {
        let f = GANFixture(initialState: .noise, layers: 2, embedding: 3, dropout: 0.3)
        #expect(f.g.dropoutMasks[0].rows == 5 && (0..<f.rows * (f.length - 1)).contains { f.g.dropoutMasks[0][0, $0] == 0 })
        var reference = ReferenceGAN(f)
        #expect(abs(f.generatorLoss(backward: true) - reference.generatorLoss()) < 1e-5)
        #expect(f.generator.parameters.layout.entries.map(\.name).prefix(3) == ["embedding.weight", "lstm.weight_ih_l0", "lstm.weight_hh_l0"])
        reference.expectGeneratorGradients("chain stacked G", f) { $0.generatorLoss() }
        #expect(abs(f.discriminatorLoss(backward: true) - reference.discriminatorLoss()) < 1e-5)
        reference.expectGradients("chain stacked D", of: f.discriminator.parameters, in: \.discriminator) { $0.discriminatorLoss() }
    }

    /// The teacher-forced likelihood of an embedded 2-layer generator with dropout, from a zero
    /// or a learned initial state (whose `h0_l*`, `c0_l*` are checked with the other parameters),
    /// its embedding multiplying one-hot inputs or, given their indices, copying table rows.
    @Test(arguments: [GeneratorInitialState.zero, .learned], [false, true])
    func stackedTeacherForcedLikelihood(initialState: GeneratorInitialState, indices: Bool) {
        let f = GANFixture(initialState: initialState, layers: 2, embedding: 3, dropout: 0.3)
        var reference = ReferenceGAN(f)
        let symbols = (0..<f.rows).map { r in (0..<f.length).map { (r + 2 * $0) % f.vocabulary } }
        let inputs = Tensor(zeros: [f.length, f.rows, f.vocabulary])
        for r in 0..<f.rows { for t in 0..<f.length { inputs[t][r, symbols[r][t]] = 1 } }
        let flat = symbols.flatMap { $0.map(Int32.init) }
        flat.withUnsafeBufferPointer { f.generator.forward(f.g, teacherInputs: inputs, symbols: indices ? $0 : nil) }
        let loss = SequenceLikelihood.negativeLogLikelihood(
            logits: f.g.logits, targets: inputs, scale: 1 / Float(f.rows * f.length), gradients: f.g.logitGradients)
        #expect(abs(loss / Double(f.rows * f.length) - reference.teacherForcedLoss(symbols)) < 1e-5)
        f.generator.parameters.zeroGradients()
        f.generator.backwardTeacherForced(f.g)
        let label = "stacked teacher-forced (\(initialState.rawValue)\(indices ? ", indices" : ""))"
        reference.expectGradients(label, of: f.generator.parameters, in: \.generator) { $0.teacherForcedLoss(symbols) }
    }

    /// A stacked generator whose backward skips the dropout mask on the gradient between
    /// layers (the forward pass masked, the masks then cleared) fails the check.
    @Test func stackedBackwardWithoutTheMaskFails() {
        let f = GANFixture(initialState: .noise, layers: 2, embedding: 3, dropout: 0.3)
        var reference = ReferenceGAN(f)
        _ = f.generatorLoss(backward: false)
        for mask in f.g.dropoutMasks { for i in 0..<mask.rows { mask.row(i).update(repeating: 1, count: mask.columns) } }
        f.generator.parameters.zeroGradients()
        f.discriminator.backward(f.dFake, [.parameters, .inputs])
        f.generator.backward(f.g, sampleGradients: f.dFake.inputGradients, temperature: f.temperature)
        let numeric = reference.numericGradient(\.generator["lstm.weight_ih_l0"]!) { $0.generatorLoss() }
        let error = GradientCheck.relativeError(f.generator.parameters.gradient("lstm.weight_ih_l0").array, numeric)
        #expect(error > 1e-2, "a generator run without its masks matched the masked reference: \(error)")
    }

    /// RelGAN's hard feedback: the discriminator sees the Gumbel-softmax samples, the next
    /// step reads the exact draw, and the gradient (every parameter, the noise) is the
    /// reference's with the draws held constant; plain and stacked, embedded networks.
    @Test(arguments: [1, 2])
    func hardFeedbackGradients(layers: Int) {
        let f = GANFixture(initialState: .noise, layers: layers, embedding: layers > 1 ? 3 : 0, dropout: layers > 1 ? 0.3 : 0)
        var reference = ReferenceGAN(f)
        reference.hardFeedback = true
        let loss = f.generatorLoss(backward: true, estimator: .hardFeedback)
        #expect(abs(loss - reference.generatorLoss()) < 1e-5)
        // The samples are soft, and feeding back draws changes them.
        #expect((0..<f.vocabulary).contains { f.g.samples[1][0, $0] > 0.01 && f.g.samples[1][0, $0] < 0.99 })
        var soft = reference
        soft.hardFeedback = false
        let change = zip(soft.generate(row: 0).joined(), reference.generate(row: 0).joined()).map { abs($0 - $1) }.max()!
        #expect(change > 1e-4, "hard and soft feedback give the same samples: \(change)")
        reference.expectGeneratorGradients("hard feedback \(layers) G", f) { $0.generatorLoss() }
    }

    /// A hard-feedback backward that also sends gradient through the fed-back draws (as the
    /// Gumbel-softmax backward does) fails the check.
    @Test func hardFeedbackWithAFeedbackGradientFails() {
        let f = GANFixture(initialState: .noise)
        var reference = ReferenceGAN(f)
        reference.hardFeedback = true
        _ = f.generatorLoss(backward: false, estimator: .hardFeedback)
        f.generator.parameters.zeroGradients()
        f.discriminator.backward(f.dFake, .inputs)
        f.generator.backward(f.g, sampleGradients: f.dFake.inputGradients, temperature: f.temperature, estimator: .gumbelSoftmax)
        let numeric = reference.numericGradient(\.generator["lstm.weight_ih"]!) { $0.generatorLoss() }
        let error = GradientCheck.relativeError(f.generator.parameters.gradient("lstm.weight_ih").array, numeric)
        #expect(error > 100 * GradientCheck.referenceTolerance, "error \(error)")
    }

    /// A generator backward that ignores the path through its fed-back samples (treating
    /// each y_t as a constant input of the next step, a common bug) fails the check.
    @Test func backwardWithoutTheFeedbackPathFails() {
        let f = GANFixture(initialState: .noise)
        var reference = ReferenceGAN(f)
        _ = f.generatorLoss(backward: false)
        f.generator.parameters.zeroGradients()
        f.discriminator.backward(f.dFake, .inputs)
        let (gen, ws, tau) = (f.generator, f.g, f.temperature)
        let a = ws.lstm
        a.hiddenGradient.zero()
        a.cellGradient.zero()
        let hidden = Tensor(zeros: [gen.hiddenSize, f.rows])
        for t in stride(from: f.length - 1, through: 0, by: -1) {
            let dLogits = ws.logitGradients[t]
            dLogits.copy(from: f.dFake.inputGradients[t])  // the feedback gradient is left out
            GumbelSoftmax.backward(outputGradient: dLogits, output: ws.samples[t], temperature: tau, into: dLogits)
            gen.output.inputGradient(dLogits, into: hidden.matrix, .transposed)
            if t > 0 { gen.lstm.backwardStep(t - 1, outputGradient: hidden.matrix, a) }
        }
        gen.output.accumulateGradients(input: a.hiddens(0..<f.length), .transposed, outputGradient: ws.logitGradients.matrix)
        gen.lstm.accumulateWeightGradients(a)
        let numeric = reference.numericGradient(\.generator["lstm.weight_ih"]!) { $0.generatorLoss() }
        let error = GradientCheck.relativeError(gen.parameters.gradient("lstm.weight_ih").array, numeric)
        #expect(error > 100 * GradientCheck.referenceTolerance, "error \(error)")
    }
}

@Suite struct GeneratorModeTests {
    /// Maximum likelihood with teacher forcing: the loss and its gradient against Float64
    /// central differences of the reference.
    @Test func teacherForcedGradients() {
        let f = GANFixture(initialState: .zero)
        var reference = ReferenceGAN(f)
        let symbols = (0..<f.rows).map { r in (0..<f.length).map { (r * 7 + $0 * 3) % f.vocabulary } }
        let inputs = Tensor(zeros: [f.length, f.rows, f.vocabulary])
        for r in 0..<f.rows { for t in 0..<f.length { inputs[t][r, symbols[r][t]] = 1 } }
        f.generator.parameters.zeroGradients()
        f.generator.forward(f.g, teacherInputs: inputs)
        let loss = SequenceLikelihood.negativeLogLikelihood(
            logits: f.g.logits, targets: inputs,
            scale: 1 / Float(f.rows * f.length),
            gradients: f.g.logitGradients)
        f.generator.backwardTeacherForced(f.g)
        #expect(abs(loss / Double(f.rows * f.length) - reference.teacherForcedLoss(symbols)) < 1e-5)
        reference.expectGradients("teacher-forced", of: f.generator.parameters, in: \.generator) { $0.teacherForcedLoss(symbols) }
    }

    /// Straight-through: the forward pass hands out exact one-hot draws `argmax(ℓ + g)`, and
    /// the backward pass is the Gumbel-softmax one taken at the soft sample.
    @Test func straightThroughForwardIsOneHotOfTheExactDraw() {
        let f = GANFixture(initialState: .noise)
        f.generator.forward(f.g, temperature: f.temperature, estimator: .straightThrough)
        for t in 0..<f.length {
            for r in 0..<f.rows {
                let scores = (0..<f.vocabulary).map { f.g.logits[t][r, $0] + f.g.gumbel[t][r, $0] }
                let best = scores.indices.max { scores[$0] < scores[$1] }!
                #expect(Int(f.g.symbols[r * f.length + t]) == best)
                #expect((0..<f.vocabulary).map { f.g.samples[t][r, $0] } == (0..<f.vocabulary).map { $0 == best ? 1 : 0 })
                let soft = (0..<f.vocabulary).map { f.g.companionSamples[t][r, $0] }
                #expect(abs(soft.reduce(0, +) - 1) < 1e-5 && soft.indices.max { soft[$0] < soft[$1] } == best)
            }
        }
        // Backward runs the soft path: with a gradient only on the last step, the logit
        // gradient there is the Gumbel-softmax backward at the soft sample.
        let dy = Tensor(zeros: f.g.samples.shape)
        fillUniform(
            Tensor(dy.storage, offset: (f.length - 1) * f.rows * f.vocabulary, shape: [f.rows, f.vocabulary]),
            bound: 1, seed: 30, row: 0)
        f.generator.forward(f.g, temperature: f.temperature, estimator: .straightThrough)
        f.generator.parameters.zeroGradients()
        f.generator.backward(f.g, sampleGradients: dy, temperature: f.temperature, estimator: .straightThrough)
        let expected = Tensor(zeros: [f.rows, f.vocabulary])
        GumbelSoftmax.backward(
            outputGradient: dy[f.length - 1], output: f.g.companionSamples[f.length - 1],
            temperature: f.temperature, into: expected.matrix)
        #expect(Array(f.g.logitGradients[f.length - 1].values) == expected.array)
    }
}

@Suite struct PackingTests {
    /// The packed view `[T, rows/m, m·V]` of a time-major `[T, rows, V]` tensor is the
    /// concatenation of each group of `m` consecutive rows, step by step.
    @Test func packedViewConcatenatesConsecutiveRows() {
        let (t, rows, v, m) = (3, 6, 4, 2)
        let x = Tensor(zeros: [t, rows, v])
        fillUniform(x, bound: 1, seed: 40, row: 0)
        let packed = Tensor(x.storage, shape: [t, rows / m, m * v])
        for s in 0..<t {
            for p in 0..<(rows / m) {
                let expected = (0..<m).flatMap { k in (0..<v).map { x[s][p * m + k, $0] } }
                #expect((0..<(m * v)).map { packed[s][p, $0] } == expected)
            }
        }
    }

    /// A packed discriminator step trains, and its generator gradient lands on the right rows:
    /// with a discriminator that ignores the second example of each pair (zero input weights
    /// for it), the second rows get no gradient.
    @Test func generatorGradientReachesTheRightRows() {
        let (v, t, h) = (6, 5, 4)
        let generator = Generator(vocabularySize: v, hiddenSize: h, length: t)
        let discriminator = Discriminator(vocabularySize: 2 * v, hiddenSize: h, length: t)
        generator.parameters.initialize(.uniform(bound: 0.5), seed: 1)
        discriminator.parameters.initialize(.uniform(bound: 0.5), seed: 2)
        let w = discriminator.parameters.value("lstm.weight_ih").matrix
        for r in 0..<w.rows { for c in v..<(2 * v) { w[r, c] = 0 } }
        let step = AdversarialStep(
            generator: generator, discriminator: discriminator, realRows: 4, fakeRows: 4, pack: 2,
            estimator: .gumbelSoftmax, encoder: RealInputs(.smoothed, vocabularySize: v),
            adam: AdamSettings(learningRate: 0))
        let symbols = [Int32](repeating: 0, count: 4 * t)
        let losses = symbols.withUnsafeBufferPointer {
            step.run(step: 0, realSymbols: $0, temperature: 1, inputTemperature: 1, random: CounterRandom(seed: 3))
        }
        #expect(losses.discriminator.isFinite && losses.generator.isFinite)
        for s in 0..<t {
            for row in 0..<4 {
                let g = (0..<v).map { step.sampleGradients[s][row, $0] }
                if row % 2 == 1 { #expect(g.allSatisfy { $0 == 0 }) } else { #expect(g.contains { $0 != 0 }) }
            }
        }
    }
}
