import Foundation
import Testing

@testable import GumbelGAN

@Suite struct DiscriminatorScoreTests {
    /// `tuned` (straight-through, one-hot real inputs, packs) or `paper-a` (Gumbel-softmax
    /// samples, smoothed real inputs drawn at the input temperature), small.
    func configuration(_ preset: Preset, pack: Int) -> TrainingConfiguration {
        var c = TrainingConfiguration(preset: preset, seed: 4)
        (c.batchSize, c.generatorBatchSize, c.pack, c.hiddenSize, c.discriminatorHiddenSize) = (12, 12, pack, 6, 5)
        c.data = .grammar(Grammar(), size: 50)
        return c
    }

    /// `score` is the verdict the discriminator step reports for the same draws before its
    /// update (the same bits), and changes neither network.
    @Test(arguments: [(Preset.tuned, 2), (Preset.paperA, 1)])
    func scoreIsTheDiscriminatorStepsVerdictBeforeItsUpdate(preset: Preset, pack: Int) throws {
        let c = configuration(preset, pack: pack)
        let session = try TrainingSession(configuration: c, dataset: try Dataset.load(c.data, seed: 4))
        for _ in 0..<3 { _ = session.iterate() }
        let adversarial = try #require(session.adversarial)
        let (tau, inputTau) = (c.temperature.value(at: 3), c.inputTemperature.value(at: 3))
        session.drawBatch(step: 3)
        let before = session.networks.map { Array($0.parameters.values.values) }
        let scored = session.batch.withUnsafeBufferPointer {
            adversarial.score(step: 3, realSymbols: $0, temperature: tau, inputTemperature: inputTau, random: session.random)
        }
        #expect(session.networks.map { Array($0.parameters.values.values) } == before, "scoring changed a network")
        let stepped = session.batch.withUnsafeBufferPointer {
            adversarial.discriminatorStep(
                step: 3, substep: 0, realSymbols: $0, temperature: tau, inputTemperature: inputTau, random: session.random)
        }
        #expect(scored.realProbability == stepped.realProbability && scored.fakeProbability == stepped.fakeProbability)
        #expect(scored.realProbability != scored.fakeProbability)
    }

    /// A discriminator whose logit is its output bias b alone says σ(b) of everything: the
    /// means are per pack, over whole blocks (13 strings in packs of 2 are 14; 2,500 in blocks
    /// of 1,000 are 3,000).
    @Test func meansArePerPackOverWholeBlocks() throws {
        let c = configuration(.tuned, pack: 2)
        let session = try TrainingSession(configuration: c, dataset: try Dataset.load(c.data, seed: 4))
        let d = try #require(session.discriminator)
        for k in 0..<d.output.weight.count { d.output.weight.base[k] = 0 }
        d.output.bias.base[0] = 0.7
        let expected = 1 / (1 + exp(-0.7))
        for (count, examples) in [(13, 14), (2500, 3000)] {
            let s = try #require(session.discriminatorScore(count: count, seed: 9))
            #expect(abs(s.real - expected) < 1e-6 && abs(s.fake - expected) < 1e-6, "\(s)")
            #expect(s.examples == examples)
        }
    }

    /// The verdict is at the end of the temperature schedules, which count the adversarial
    /// iterations only: a run with pre-training before its 20 iterations scores as one without
    /// (schedules over 20 steps, 5 → 1: read at 20 − 10 pre-training iterations, τ would be 3).
    @Test func verdictIsAtTheSchedulesEndAfterPretraining() throws {
        var c = configuration(.paperA, pack: 1)
        (c.iterations, c.temperature.steps, c.inputTemperature.steps) = (20, 20, 20)
        var pretrained = c
        pretrained.pretrainIterations = 10
        let dataset = try Dataset.load(c.data, seed: 4)
        let plain = try #require(try TrainingSession(configuration: c, dataset: dataset).discriminatorScore(count: 50, seed: 2))
        let after = try #require(try TrainingSession(configuration: pretrained, dataset: dataset).discriminatorScore(count: 50, seed: 2))
        #expect(plain == after, "\(plain) \(after)")
    }

    /// The verdict is on the model whose samples are scored: a run stored with sampling
    /// temperature 1.5 is judged as the same run asked at 1.5, and asked at 1 as a run without.
    @Test func verdictIsAtTheSamplingTemperature() throws {
        let c = configuration(.paperA, pack: 1)
        var warm = c
        warm.sampleTemperature = 1.5
        let dataset = try Dataset.load(c.data, seed: 4)
        let (plain, stored) = (try TrainingSession(configuration: c, dataset: dataset), try TrainingSession(configuration: warm, dataset: dataset))
        for _ in 0..<30 { (_, _) = (plain.iterate(), stored.iterate()) }
        let atOne = try #require(plain.discriminatorScore(count: 200, seed: 1))
        let asked = try #require(plain.discriminatorScore(count: 200, seed: 1, temperature: 1.5))
        #expect(try #require(stored.discriminatorScore(count: 200, seed: 1)) == asked)
        #expect(try #require(stored.discriminatorScore(count: 200, seed: 1, temperature: 1)) == atOne)
        #expect(asked.fake != atOne.fake && asked.real == atOne.real, "\(asked) \(atOne)")
    }

    /// Trained a little, it tells real from generated by some margin, the same way for the
    /// same seed; a run without a discriminator has no verdict.
    @Test func aTrainedDiscriminatorsVerdictIsReproducible() throws {
        let c = configuration(.paperA, pack: 1)
        let session = try TrainingSession(configuration: c, dataset: try Dataset.load(c.data, seed: 4))
        for _ in 0..<30 { _ = session.iterate() }
        let a = try #require(session.discriminatorScore(count: 200, seed: 1))
        #expect(a == (try #require(session.discriminatorScore(count: 200, seed: 1))))
        #expect(a.real > a.fake, "\(a)")
        var mle = configuration(.mle, pack: 1)
        mle.generatorBatchSize = mle.batchSize
        let likelihood = try TrainingSession(configuration: mle, dataset: try Dataset.load(mle.data, seed: 4))
        #expect(likelihood.discriminatorScore(count: 200, seed: 1) == nil)
    }
}
