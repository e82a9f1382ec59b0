import Foundation
import Testing

@testable import GumbelGAN

/// `sample(temperature:)`: draws from `softmax(ℓ / T)`.
@Suite struct SamplingTemperatureTests {
    /// With the output weights zeroed every logit vector is the bias `b`, so every symbol of
    /// every string is an independent draw from `softmax(b / T)` (padding's bias kept far
    /// below, so strings are full length): the symbol frequencies must match it within 5σ,
    /// and differ from `T = 1`'s. The parameters come back bit for bit.
    @Test func symbolFrequenciesFollowTheTemperature() throws {
        var c = TrainingConfiguration(preset: .mle, seed: 3)
        c.data = .grammar(Grammar(), size: 50)
        let s = try TrainingSession(configuration: c, dataset: try Dataset.load(c.data, seed: c.seed))
        let out = s.generator.output
        for k in 0..<out.weight.count { out.weight.base[k] = 0 }
        let vocabulary = s.dataset.vocabulary
        let bias: [Float] = [1.0, 0.2, -0.5, 0.6, -1.0, 0.0]
        #expect(bias.count == vocabulary.count)
        for k in 0..<bias.count { out.bias.base[k] = k == vocabulary.paddingIndex ? -1000 : bias[k] }
        let before = Array(s.generator.parameters.values.values)

        func frequencies(_ strings: [String]) -> [Double] {
            var counts = [Double](repeating: 0, count: vocabulary.count)
            for string in strings { for ch in string { counts[vocabulary.symbols.firstIndex(of: String(ch))!] += 1 } }
            let total = counts.reduce(0, +)
            return counts.map { $0 / total }
        }
        func softmax(_ t: Float) -> [Double] {
            let e = (0..<bias.count).map { $0 == vocabulary.paddingIndex ? 0 : exp(Double(bias[$0] / t)) }
            let z = e.reduce(0, +)
            return e.map { $0 / z }
        }
        let count = 3000
        let draws = Double(count * s.dataset.length)
        var observed: [Float: [Double]] = [:]
        for t: Float in [1, 0.5, 2] {
            let strings = s.sample(count: count, seed: 11, temperature: t)
            #expect(strings.allSatisfy { $0.count == s.dataset.length })
            let (f, p) = (frequencies(strings), softmax(t))
            for k in 0..<p.count {
                let sigma = (p[k] * (1 - p[k]) / draws).squareRoot()
                #expect(abs(f[k] - p[k]) <= 5 * sigma + 1e-12, "T \(t), symbol \(k): \(f[k]) against \(p[k])")
            }
            observed[t] = f
        }
        #expect(abs(observed[0.5]![0] - observed[1]![0]) > 0.05, "T 0.5 is sharper than T 1")
        #expect(Array(s.generator.parameters.values.values) == before, "the output layer is restored")
        #expect(s.sample(count: 40, seed: 2, temperature: 1) == s.sample(count: 40, seed: 2))
    }

    /// `evaluate(sampleSeed:)` scores the draws of that seed: the run's own evaluation seed
    /// gives the default evaluation exactly, another seed the uniqueness of its own draws
    /// (`sample(seed:)`) and other figures, with the same NLLs (they score the data, not samples).
    @Test func evaluationSampleSeed() throws {
        var c = TrainingConfiguration(preset: .mle, seed: 4)
        c.data = .grammar(Grammar(), size: 200)
        let s = try TrainingSession(configuration: c, dataset: try Dataset.load(c.data, seed: c.seed))
        s.generator.parameters.initialize(.uniform(bound: 0.3), seed: 9)
        let count = 400
        let own = s.evaluate(count: count)
        #expect(s.evaluate(count: count, sampleSeed: SampleSeed.evaluation(of: c.seed)) == own)
        let other = s.evaluate(count: count, sampleSeed: 77)
        #expect(other.samples != own.samples)
        #expect(other.trainingNLL == own.trainingNLL && other.trainingNLL != nil)
        let draws = s.sample(count: count, seed: 77)
        #expect(other.samples.uniqueness == Double(Set(draws).count) / Double(count))
    }

    /// A run's `sampleTemperature` is what its evaluations and `samples.txt` draw from: the
    /// logged evaluation is `evaluate(temperature: T)`, not T 1's, the samples are
    /// `sample(temperature: T)`'s, and the weights are those of the same run without it.
    @Test func aRunSamplesAtItsSampleTemperature() throws {
        func run(_ t: Float?) throws -> (TrainingSession, [MetricsRecord], String) {
            var c = TrainingConfiguration(preset: .mle, seed: 6)
            (c.iterations, c.batchSize, c.generatorBatchSize, c.logEvery, c.evaluateEvery, c.evaluationSamples) = (30, 16, 16, 10, 30, 300)
            c.data = .grammar(Grammar(), size: 60)
            c.sampleTemperature = t
            let session = try TrainingSession(configuration: c, dataset: try Dataset.load(c.data, seed: c.seed))
            let path = temporaryFolder("sampleTemperature\(t ?? 1)") + "/run"
            let folder = try RunFolder(creating: path)
            try folder.write(configuration: c)
            let recorder = RunRecorder(folder: folder, showSamples: 50, keep: 1, events: nil)
            #expect(try TrainingRun(session: session, observers: [recorder]).run() == .finished)
            return (session, recorder.records, try String(contentsOfFile: path + "/samples.txt", encoding: .utf8))
        }
        let (warm, records, text) = try run(1.7)
        let (plain, plainRecords, plainText) = try run(nil)
        #expect(Array(warm.generator.parameters.values.values) == Array(plain.generator.parameters.values.values))
        let evaluation = try #require(records.last?.evaluation)
        #expect(evaluation == warm.evaluate(count: 300, temperature: 1.7))
        #expect(evaluation.temperature == 1.7 && plainRecords.last?.evaluation?.temperature == nil)
        #expect(plainRecords.last?.evaluation == plain.evaluate(count: 300))
        #expect(evaluation.samples != plainRecords.last?.evaluation?.samples)
        let showcase = SampleSeed.showcase(of: 6)
        #expect(text == warm.sample(count: 50, seed: showcase, temperature: 1.7).map { $0 + "\n" }.joined())
        #expect(text != plainText)
    }
}
