import Foundation
import Testing

@testable import GumbelGAN

@Suite struct LikelihoodTermTests {
    func configuration(weight: Float?) -> TrainingConfiguration {
        var c = TrainingConfiguration(preset: .tuned, seed: 7)
        (c.batchSize, c.generatorBatchSize, c.pack, c.iterations, c.mleWeight) = (12, 12, 2, 10, weight)
        (c.embeddingSize, c.layers, c.dropout, c.initialState) = (4, 2, 0.25, .learned)
        c.data = .grammar(Grammar(), size: 60)
        return c
    }

    /// `--mle-weight μ`: the generator's gradient is the adversarial one plus μ times the
    /// teacher-forced NLL gradient of the iteration's real batch (scored by hand on a third
    /// copy), the update differs from the purely adversarial one, and the batch's NLL is
    /// reported and logged (averaged over the iterations that scored it).
    @Test func generatorGradientAddsTheWeightedLikelihood() throws {
        let dataset = try Dataset.load(configuration(weight: nil).data, seed: 7)
        let plain = try TrainingSession(configuration: configuration(weight: nil), dataset: dataset)
        let mixed = try TrainingSession(configuration: configuration(weight: 0.7), dataset: dataset)
        let byHand = try TrainingSession(configuration: configuration(weight: nil), dataset: dataset)
        let plainReport = plain.iterate()
        let mixedReport = mixed.iterate()
        let g = byHand.generator
        g.parameters.zeroGradients()
        byHand.drawBatch(step: 0)
        let term = LikelihoodStep(generator: g, shards: .whole(realRows: 12), optimizer: nil)
        let nll = byHand.batch.withUnsafeBufferPointer {
            term.addGradient($0, weight: 0.7, random: byHand.random, step: 0, rowOffset: AdversarialStep.likelihoodRowOffset)
        }
        #expect(nll > 0)
        // The term's NLL is reported, and logged as the interval's mean per symbol.
        #expect(plainReport.likelihoodSum == nil && mixedReport.likelihoodSum == nll)
        #expect(mixedReport.likelihoodSymbols == 12 * dataset.length)
        var interval = IntervalFigures()
        #expect(interval.add(plainReport) && interval.localRecord(step: 1, tau: 1).nll == nil)
        #expect(interval.add(mixedReport) && interval.add(mixedReport))
        let logged = try #require(interval.localRecord(step: 3, tau: 1).nll)
        #expect(abs(logged - nll / Double(12 * dataset.length)) <= 1e-12 * logged, "\(logged)")
        let (a, b, t) = (
            plain.generator.parameters.gradients.values, mixed.generator.parameters.gradients.values, g.parameters.gradients.values
        )
        let size = (0..<a.count).reduce(Float(0)) { max($0, abs(a[$1]), abs(t[$1])) }
        #expect(size > 0 && (0..<t.count).contains { t[$0] != 0 })
        let worst = (0..<a.count).reduce(Float(0)) { max($0, abs(b[$1] - a[$1] - t[$1])) }
        #expect(worst <= 1e-5 * size, "mixed − adversarial differs from μ·∇NLL by \(worst) (scale \(size))")
        #expect(Array(plain.generator.parameters.values.values) != Array(mixed.generator.parameters.values.values))
    }

    /// Negative, infinite, or with no adversarial loss to mix into: refused, naming the setting.
    @Test func badWeightsAreRefused() {
        for weight: Float in [-0.5, .infinity, .nan] {
            #expect(throws: ConfigurationError.self, "\(weight)") { try configuration(weight: weight).validate() }
        }
        var mle = TrainingConfiguration(preset: .mle)
        mle.mleWeight = 1
        #expect((try? mle.validate()) == nil)
        #expect(throws: Never.self) { try configuration(weight: 0.5).validate() }
    }
}
