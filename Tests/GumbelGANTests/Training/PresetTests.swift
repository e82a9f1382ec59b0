import Foundation
import Testing

@testable import GumbelGAN

@Suite struct PresetTests {
    @Test func presetsSetWhatTheyName() {
        let a = TrainingConfiguration(preset: .paperA)
        #expect(a.iterations == 20_000 && a.batchSize == 200 && a.generatorBatchSize == 200 && a.hiddenSize == 10)
        #expect(a.temperature == .paper && a.inputTemperature == .paper && a.initialState == .noise)
        #expect(a.adam == AdamSettings(learningRate: 1e-3, beta1: 0.5, beta2: 0.999) && a.objective == .adversarial)
        #expect(a.estimator == .gumbelSoftmax && a.realEncoding == .smoothed && a.truthProbability == 0.9)
        #expect(a.data == .grammar(Grammar(stopProbability: 0.4, maximumDepth: 5, maximumLength: 12), size: 5000))
        #expect(TrainingConfiguration(preset: .paperB).generatorBatchSize == 1000)
        let c = TrainingConfiguration(preset: .paperC)
        #expect(c.temperature.value(at: 0) == 1 && c.inputTemperature.value(at: 0) == 5)
        #expect(TrainingConfiguration(preset: .paperD).initialState == .noiseHiddenLearnedCell)
        let mle = TrainingConfiguration(preset: .mle)
        #expect(mle.objective == .maximumLikelihood && mle.initialState == .zero)
        let tuned = TrainingConfiguration(preset: .tuned)
        #expect(tuned.estimator == .straightThrough && tuned.realEncoding == .oneHot && tuned.hiddenSize == 32 && tuned.objective == .adversarial)
        #expect(tuned.pack == 8 && tuned.decay == 1 && tuned.generatorAverage == 0.999 && tuned.entropyBonus == 0.05)
        #expect(tuned.batchSize == 400 && tuned.generatorBatchSize == 400 && tuned.temperature == .constant(1))
        #expect(tuned.adam.learningRate == 5e-4 && tuned.discriminatorLearningRate == 1e-3)
        for p in Preset.allCases { #expect(throws: Never.self, "\(p)") { try TrainingConfiguration(preset: p).validate() } }
    }

    /// The benchmark presets: their data, and a GAN preset's generator is its MLE preset's, so
    /// that `--init-generator` can start one from the other.
    @Test func benchmarkPresets() {
        let moses = TrainingConfiguration(preset: .mosesMLE)
        #expect(moses.data == .file(path: "data/moses/train.txt", maximumLength: nil, skipLong: false))
        #expect(moses.objective == .maximumLikelihood && moses.initialState == .learned && moses.decay == 1 && moses.adam.learningRate == 5e-3)
        #expect(moses.iterations == 15_000 && moses.lengthBucketCount == 8)
        #expect(TrainingConfiguration(preset: .oracleMLE).data == .oracle(seed: 1, size: 10_000, heldOut: 5000))
        #expect(TrainingConfiguration(preset: .mosesGAN).mleWeight == 1 && TrainingConfiguration(preset: .oracleGAN).mleWeight == nil)
        for (mle, gan) in [(Preset.mosesMLE, Preset.mosesGAN), (.oracleMLE, .oracleGAN)] {
            let (m, g) = (TrainingConfiguration(preset: mle), TrainingConfiguration(preset: gan))
            #expect(m.data == g.data && g.objective == .adversarial && g.estimator == .hardFeedback)
            #expect(g.batchSize == g.generatorBatchSize && g.adam.learningRate < m.adam.learningRate)
            func layout(_ c: TrainingConfiguration) -> [ParameterLayout.Entry] {
                Generator.layout(
                    vocabularySize: 27, hiddenSize: c.hiddenSize, initialState: c.initialState, layers: c.generatorLayers,
                    embeddingSize: c.embedding
                ).entries
            }
            #expect(layout(m) == layout(g), "\(gan) starts from \(mle)")
        }
        let (mosesGAN, oracleGAN) = (TrainingConfiguration(preset: .mosesGAN), TrainingConfiguration(preset: .oracleGAN))
        #expect(mosesGAN.adversarialLoss == .standard && mosesGAN.convolutionWidths.isEmpty)
        #expect(
            mosesGAN.entropyBonus == 0.1 && mosesGAN.logitTemperature == 1.08 && TrainingConfiguration(preset: .mosesMLE).sampleTemperature == nil)
        #expect(oracleGAN.adversarialLoss == .rsgan && oracleGAN.convolutionWidths == [2, 3, 4, 5] && oracleGAN.discriminatorHiddenSize == 300)
        #expect(oracleGAN.representationCount == 8 && mosesGAN.representationCount == 1)
        #expect(TrainingConfiguration(preset: .paperA).data == .grammar(Grammar(), size: 5000) && Preset.paperA.dataSource == nil)
    }

    /// Validation names the setting by its `config.json` key, and a caller can name it its
    /// own way (the tool: by flag).
    @Test func problemsNameTheSetting() {
        func problem(_ change: (inout TrainingConfiguration) -> Void) -> ConfigurationError? {
            var c = TrainingConfiguration(preset: .paperA)
            change(&c)
            do { try c.validate() } catch { return error as? ConfigurationError }
            return nil
        }
        #expect(problem { $0.batchSize = 0 }?.description == "batchSize must be at least 1 (got 0)")
        #expect(problem { $0.temperature = .init(.linear, start: 0, end: 1, steps: 10) }?.settings == ["temperature"])
        #expect(problem { $0.truthProbability = 1 }?.settings == ["truthProbability"])
        #expect(problem { $0.data = .grammar(Grammar(), size: 0) }?.settings == ["data.size"])
        #expect(problem { $0.adam.learningRate = .infinity }?.settings == ["adam.learningRate"])
        #expect(
            problem { $0.pack = 3 }?.description(naming: { "<\($0)>" })
                == "<batchSize> (200) and <generatorBatchSize> (200) must be multiples of <pack> (3)")
        #expect(problem { _ in } == nil)
    }

    /// Every preset's wiring: a few iterations at small sizes run, report finite figures,
    /// change the parameters, and repeat exactly for the same seed.
    @Test(arguments: Preset.allCases)
    func fewIterations(preset: Preset) throws {
        var c = TrainingConfiguration(preset: preset, seed: 3)
        c.iterations = 4
        if c.discriminatorWarmup != nil { c.discriminatorWarmup = 1 }  // the warm-up, then both networks
        c.batchSize = 16
        c.generatorBatchSize = preset == .paperB ? 80 : 16
        c.data = .grammar(Grammar(), size: 100)
        let dataset = try Dataset.load(c.data, seed: c.seed)
        func run() throws -> ([IterationReport], [Float]) {
            let s = try TrainingSession(configuration: c, dataset: dataset)
            let before = Array(s.generator.parameters.values.values)
            let reports = (0..<4).map { _ in s.iterate() }
            #expect(Array(s.generator.parameters.values.values) != before, "\(preset): generator unchanged")
            return (reports, Array(s.generator.parameters.values.values))
        }
        let (reports, parameters) = try run()
        for r in reports {
            if c.objective == .adversarial {
                let a = try #require(r.adversarial)
                #expect(a.discriminator.isFinite && a.generator.isFinite && a.realProbability > 0 && a.fakeProbability < 1)
                // A likelihood term (moses-gan) reports the real batch's NLL, else none.
                #expect((r.negativeLogLikelihood != nil) == (c.likelihoodWeight > 0 && r.step > c.discriminatorWarmupIterations))
            } else {
                #expect(r.adversarial == nil && (r.negativeLogLikelihood ?? .nan) > 0)
            }
        }
        #expect(reports.map(\.step) == [1, 2, 3, 4])
        let (again, parametersAgain) = try run()
        #expect(again == reports && parametersAgain == parameters, "\(preset): not reproducible")
    }

    @Test func evaluationAndLikelihood() throws {
        var c = TrainingConfiguration(preset: .mle, seed: 5)
        c.batchSize = 32
        c.data = .grammar(Grammar(), size: 200)
        let s = try TrainingSession(configuration: c, dataset: try Dataset.load(c.data, seed: c.seed))
        let before = s.negativeLogLikelihood(s.dataset.strings)
        #expect(abs(before - log(6)) < 0.15, "an untrained model is near uniform: \(before)")
        for _ in 0..<150 { _ = s.iterate() }
        let e = s.evaluate(count: 300)
        #expect(e.trainingNLL! < before - 0.3 && e.heldOutNLL != nil)
        #expect(e.samples.count == 300 && e.samples.validity > 0, "\(e)")
        // Sampling is deterministic for a seed.
        #expect(s.sample(count: 50, seed: 9) == s.sample(count: 50, seed: 9))
        #expect(s.sample(count: 50, seed: 9) != s.sample(count: 50, seed: 10))
    }
}

@Suite struct GeneratorAverageTests {
    /// `θ̄ ← β θ̄ + (1 − β) θ` after every iteration; samples come from θ̄; the model file
    /// carries it as `generator_average.*` and loads it back.
    @Test func movingAverageOfTheGenerator() throws {
        var c = TrainingConfiguration(preset: .tuned, seed: 2)
        c.batchSize = 16
        c.generatorBatchSize = 16
        c.generatorAverage = 0.5
        c.data = .grammar(Grammar(), size: 64)
        let dataset = try Dataset.load(c.data, seed: c.seed)
        let s = try TrainingSession(configuration: c, dataset: dataset)
        var expected = Array(s.generator.parameters.values.values)
        for _ in 0..<3 {
            _ = s.iterate()
            let theta = Array(s.generator.parameters.values.values)
            expected = zip(expected, theta).map { 0.5 * $0 + 0.5 * $1 }
        }
        let average = Array(s.averagedGenerator!.values)
        #expect(zip(average, expected).allSatisfy { abs($0 - $1) <= 1e-6 * max(1, abs($1)) })
        let trained = Array(s.generator.parameters.values.values)
        let fromAverage = s.sample(count: 30, seed: 4)
        #expect(Array(s.generator.parameters.values.values) == trained, "sampling puts the trained weights back")
        let path = temporaryFolder() + "/m.safetensors"
        try ModelFile.write(s, to: path)
        let file = try SafeTensors.read(path)
        #expect(
            file.tensor("generator_average.out.weight")?.values == Array(average[s.generator.parameters.entry("out.weight").offset...].prefix(6 * 32))
        )
        let t = try TrainingSession(configuration: c, dataset: dataset)
        try ModelFile.load(file, path: path, into: t)
        #expect(t.sample(count: 30, seed: 4) == fromAverage)
    }
}
