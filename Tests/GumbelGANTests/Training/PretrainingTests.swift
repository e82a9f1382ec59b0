import Foundation
import Testing

@testable import GumbelGAN

@Suite struct PretrainingTests {
    func configuration(loss: AdversarialLoss = .standard) -> TrainingConfiguration {
        var c = TrainingConfiguration(preset: .tuned, seed: 11)
        (c.pretrainIterations, c.iterations, c.batchSize, c.generatorBatchSize, c.pack) = (6, 6, 16, 16, 2)
        (c.logEvery, c.evaluateEvery, c.evaluationSamples, c.loss) = (2, 100, 30, loss)
        c.data = .grammar(Grammar(), size: 60)
        return c
    }

    /// Pre-training logs the likelihood, then the adversarial phase its losses; the end of
    /// pre-training is evaluated (with the likelihoods), and no interval mixes the phases.
    @Test(arguments: [AdversarialLoss.standard, .rsgan])
    func phasesAreLoggedApart(loss: AdversarialLoss) throws {
        let c = configuration(loss: loss)
        let session = try TrainingSession(configuration: c, dataset: try Dataset.load(c.data, seed: c.seed))
        let before = session.negativeLogLikelihood(session.dataset.strings)
        let log = EventLog()
        #expect(try TrainingRun(session: session, observers: [log]).run() == .finished)
        let records = log.records
        #expect(records.map(\.step) == [2, 4, 6, 8, 10, 12])
        #expect(records.map(\.phase) == ["pretraining", "pretraining", "pretraining", "adversarial", "adversarial", "adversarial"])
        #expect(records.prefix(3).allSatisfy { $0.nll != nil && $0.lossD == nil })
        #expect(records.suffix(3).allSatisfy { $0.nll == nil && $0.lossD != nil && $0.lossG!.isFinite })
        let boundary = try #require(records[2].evaluation)
        #expect(boundary.trainingNLL! < before, "pre-training lowered the likelihood: \(boundary.trainingNLL!) vs \(before)")
        #expect(records[5].evaluation?.trainingNLL != nil)
        #expect(session.optimizers.map(\.network) == ["generator", "discriminator", "pretraining"])
    }

    /// A run stopped inside pre-training, saved and restored, continues to the bits of the
    /// run that was never stopped; also with an embedding and stacked layers with dropout, a
    /// learned initial state and a likelihood term,
    /// and RelGAN's recipe (hard feedback, 3 discriminator updates) stopped after pre-training,
    /// and pre-training over batches from 2 length buckets, and a CNN discriminator with
    /// dropout on its features, stopped in the adversarial phase, and the same reading 2
    /// representations of its inputs, and the CNN with R1's and R2's penalties.
    @Test(arguments: [("plain", 3), ("stacked", 3), ("relgan", 8), ("buckets", 3), ("cnn", 8), ("cnn-representations", 8), ("cnn-penalty", 8)])
    func resumeInsidePretrainingIsBitwise(variant: String, stopAt: Int) throws {
        var c = configuration(loss: .rsgan)
        if variant == "stacked" {
            (c.embeddingSize, c.layers, c.discriminatorLayers, c.dropout) = (5, 2, 3, 0.25)
            (c.initialState, c.mleWeight) = (.learned, 0.5)
        }
        if variant == "buckets" { (c.lengthBuckets, c.embeddingSize) = (2, 4) }
        if variant.hasPrefix("cnn") { (c.discriminatorWidths, c.embeddingSize, c.dropout, c.discriminatorSteps) = ([2, 4], 4, 0.25, 2) }
        if variant == "cnn-representations" { c.discriminatorRepresentations = 2 }
        if variant == "cnn-penalty" { (c.gradientPenalty, c.fakeGradientPenalty) = (5, 2) }
        if variant == "relgan" { (c.estimator, c.discriminatorSteps, c.embeddingSize) = (.hardFeedback, 3, 4) }
        let dataset = try Dataset.load(c.data, seed: c.seed)
        let straight = try TrainingSession(configuration: c, dataset: dataset)
        _ = try TrainingRun(session: straight).run()
        let first = try TrainingSession(configuration: c, dataset: dataset)
        #expect(try TrainingRun(session: first, stopRequested: { first.completedIterations == stopAt }).run() == .stopped(step: stopAt))
        let path = temporaryFolder() + "/checkpoint.safetensors"
        try ModelFile.write(first, to: path)
        let second = try TrainingSession(configuration: c, dataset: dataset)
        try ModelFile.load(try SafeTensors.read(path), path: path, into: second)
        #expect(second.completedIterations == stopAt)
        #expect(try TrainingRun(session: second).run() == .finished)
        for (a, b) in zip(straight.networks, second.networks) {
            #expect(Array(a.parameters.values.values) == Array(b.parameters.values.values), "\(a.prefix)")
        }
    }

    /// `--init-generator`: a stored generator starts a run (and its moving average); one
    /// trained on other data, or of another size, is refused by name.
    @Test func aStoredGeneratorStartsARun() throws {
        var source = configuration()
        (source.pretrainIterations, source.objective, source.initialState) = (nil, .maximumLikelihood, .noise)
        source.generatorAverage = 0
        let dataset = try Dataset.load(source.data, seed: source.seed)
        let trained = try TrainingSession(configuration: source, dataset: dataset)
        _ = try TrainingRun(session: trained).run()
        let path = temporaryFolder() + "/mle.safetensors"
        try ModelFile.write(trained, to: path)
        let file = try SafeTensors.read(path)
        let c = configuration()
        let layout = Generator.layout(vocabularySize: dataset.vocabulary.count, hiddenSize: c.hiddenSize, initialState: c.initialState)
        let values = try ModelFile.generatorValues(of: file, path: path, layout: layout, vocabulary: dataset.vocabulary)
        let session = try TrainingSession(configuration: c, dataset: dataset)
        session.startGenerator(from: values)
        #expect(Array(session.generator.parameters.values.values) == Array(trained.generator.parameters.values.values))
        #expect(Array(session.averagedGenerator!.values) == values)
        let otherData = try Corpus.load(path: try writeLines(["ab", "ba"]))
        #expect(throws: SafeTensorsError.self) {
            try ModelFile.generatorValues(of: file, path: path, layout: layout, vocabulary: otherData.vocabulary)
        }
        let bigger = Generator.layout(vocabularySize: dataset.vocabulary.count, hiddenSize: 64, initialState: c.initialState)
        do {
            _ = try ModelFile.generatorValues(of: file, path: path, layout: bigger, vocabulary: dataset.vocabulary)
            Issue.record("a generator of another size was accepted")
        } catch {
            #expect("\(error)".contains("lstm.weight_ih has shape [128, 6], this run needs [256, 6]"), "\(error)")
        }
    }

    func writeLines(_ lines: [String]) throws -> String {
        let path = temporaryFolder() + "/data.txt"
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}

@Suite struct RelativisticStepTests {
    /// AdversarialStep's rsgan losses are the relativistic ones of its own real and generated
    /// inputs, in the right order (with a learning rate of 0 the discriminator that scores
    /// both steps is the same).
    @Test func stepLossesAreTheRelativisticOnes() {
        let (v, t, h, rows) = (6, 5, 4, 6)
        let generator = Generator(vocabularySize: v, hiddenSize: h, length: t)
        let discriminator = Discriminator(vocabularySize: v, hiddenSize: h, length: t)
        generator.parameters.initialize(.uniform(bound: 0.5), seed: 1)
        discriminator.parameters.initialize(.uniform(bound: 0.5), seed: 2)
        let step = AdversarialStep(
            generator: generator, discriminator: discriminator, realRows: rows, fakeRows: rows, estimator: .gumbelSoftmax,
            encoder: RealInputs(.smoothed, vocabularySize: v), loss: .rsgan, adam: AdamSettings(learningRate: 0))
        let symbols = (0..<(rows * t)).map { Int32($0 % v) }
        let losses = symbols.withUnsafeBufferPointer {
            step.run(step: 0, realSymbols: $0, temperature: 1, inputTemperature: 1, random: CounterRandom(seed: 3))
        }
        let ws = Discriminator.Workspace(discriminator: discriminator, rows: rows)
        discriminator.forward(step.realInputs, ws)
        let real = (0..<rows).map { Double(ws.logits[$0, 0]) }
        discriminator.forward(step.generatorWorkspace.samples, ws)
        let fake = (0..<rows).map { Double(ws.logits[$0, 0]) }
        func softplus(_ x: Double) -> Double { log1p(exp(x)) }
        let dLoss = zip(real, fake).map { softplus(-($0 - $1)) }.reduce(0, +) / Double(rows)
        let gLoss = zip(real, fake).map { softplus(-($1 - $0)) }.reduce(0, +) / Double(rows)
        #expect(abs(losses.discriminator - dLoss) < 1e-5 && abs(losses.generator - gLoss) < 1e-5, "\(losses) vs \(dLoss), \(gLoss)")
        #expect(abs(dLoss - gLoss) > 1e-3, "the test needs the two losses to differ")
        #expect(discriminator.output.biasGradient.array == [0])
    }
}
