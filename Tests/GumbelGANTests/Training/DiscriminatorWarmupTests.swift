import Foundation
import Testing

@testable import GumbelGAN

@Suite struct DiscriminatorWarmupTests {
    func configuration(warmup: Int?) -> TrainingConfiguration {
        var c = TrainingConfiguration(preset: .tuned, seed: 7)
        (c.batchSize, c.generatorBatchSize, c.pack, c.iterations, c.discriminatorWarmup) = (12, 12, 2, 10, warmup)
        c.data = .grammar(Grammar(), size: 60)
        return c
    }

    /// `--discriminator-warmup 2`: iterations 0 and 1 are the usual iteration's discriminator
    /// update alone (the same bits as that update done by hand), the generator keeps its
    /// weights and reports no loss; from iteration 2 on both networks train.
    @Test func warmupTrainsOnlyTheDiscriminator() throws {
        let dataset = try Dataset.load(configuration(warmup: nil).data, seed: 7)
        let warm = try TrainingSession(configuration: configuration(warmup: 2), dataset: dataset)
        let byHand = try TrainingSession(configuration: configuration(warmup: nil), dataset: dataset)
        let start = Array(warm.generator.parameters.values.values)
        #expect(start == Array(byHand.generator.parameters.values.values))
        for step in 0..<2 {
            let report = try #require(warm.iterate().adversarial)
            #expect(report.generator == 0 && report.discriminator > 0)
            #expect(Array(warm.generator.parameters.values.values) == start, "iteration \(step) changed the generator")
            let c = byHand.configuration
            let adversarial = try #require(byHand.adversarial)
            byHand.drawBatch(step: step)
            _ = byHand.batch.withUnsafeBufferPointer {
                adversarial.discriminatorStep(
                    step: step, substep: 0, realSymbols: $0, temperature: c.temperature.value(at: step),
                    inputTemperature: c.inputTemperature.value(at: step), learningRateScale: byHand.learningRateScale(at: step),
                    random: byHand.random)
            }
            byHand.restore(completedIterations: step + 1)
        }
        let (d, dByHand) = (try #require(warm.discriminator), try #require(byHand.discriminator))
        #expect(Array(d.parameters.values.values) == Array(dByHand.parameters.values.values), "the warm-up is not D's usual update")
        let before = Array(d.parameters.values.values)
        _ = warm.iterate()
        #expect(Array(warm.generator.parameters.values.values) != start, "the generator does not train after the warm-up")
        #expect(Array(d.parameters.values.values) != before)
    }

    /// Out of range, or with no discriminator: refused, naming the setting.
    @Test func badWarmupsAreRefused() {
        for warmup in [-1, 10] {
            #expect(throws: ConfigurationError.self) { try configuration(warmup: warmup).validate() }
        }
        var mle = TrainingConfiguration(preset: .mle)
        mle.discriminatorWarmup = 5
        #expect(throws: ConfigurationError.self) { try mle.validate() }
        #expect(throws: Never.self) { try configuration(warmup: 9).validate() }
    }
}
