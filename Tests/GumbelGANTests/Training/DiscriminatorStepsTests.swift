import Foundation
import Testing

@testable import GumbelGAN

@Suite struct DiscriminatorStepsTests {
    func configuration(steps: Int?) -> TrainingConfiguration {
        var c = TrainingConfiguration(preset: .tuned, seed: 5)
        (c.batchSize, c.generatorBatchSize, c.pack, c.discriminatorSteps) = (12, 12, 2, steps)
        c.data = .grammar(Grammar(), size: 60)
        return c
    }

    /// `--discriminator-steps 3`: each iteration first updates D on sub-steps 2 and 1 (each
    /// its own batch and samples, drawn at rows offset by d · 2²⁴), then runs the one-step
    /// iteration. Done by hand on a one-step session, that gives the same bits; the extra
    /// updates change both networks.
    @Test func extraUpdatesAreSubstepsBeforeTheUsualIteration() throws {
        let dataset = try Dataset.load(configuration(steps: nil).data, seed: 5)
        let three = try TrainingSession(configuration: configuration(steps: 3), dataset: dataset)
        let byHand = try TrainingSession(configuration: configuration(steps: nil), dataset: dataset)
        let one = try TrainingSession(configuration: configuration(steps: nil), dataset: dataset)
        for step in 0..<3 {
            _ = three.iterate()
            _ = one.iterate()
            let c = byHand.configuration
            let adversarial = try #require(byHand.adversarial)
            for substep in 1..<3 {
                byHand.drawBatch(step: step, rowOffset: substep << 24)
                _ = byHand.batch.withUnsafeBufferPointer {
                    adversarial.discriminatorStep(
                        step: step, substep: substep, realSymbols: $0, temperature: c.temperature.value(at: step),
                        inputTemperature: c.inputTemperature.value(at: step), learningRateScale: byHand.learningRateScale(at: step),
                        random: byHand.random)
                }
            }
            _ = byHand.iterate()
        }
        for ((a, b), c) in zip(zip(three.networks, byHand.networks), one.networks) {
            let (x, y, z) = (Array(a.parameters.values.values), Array(b.parameters.values.values), Array(c.parameters.values.values))
            #expect(x == y, "\(a.prefix): 3 steps differ from the sub-steps by hand")
            #expect(x != z, "\(a.prefix): 3 steps give the bits of 1")
        }
    }

    /// Out of range: one line naming the flag.
    @Test func outOfRangeIsRefused() {
        for steps in [0, 256] {
            #expect(throws: ConfigurationError.self) { try configuration(steps: steps).validate() }
        }
    }
}
