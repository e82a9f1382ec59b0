import Foundation
import Testing

@testable import GumbelGAN

@Suite struct DiscriminatorDropoutTests {
    /// A 2-layer embedded generator against a small CNN discriminator: `--dropout` reaches both.
    func configuration(dropout: Float?, discriminatorDropout: Float?) -> TrainingConfiguration {
        var c = TrainingConfiguration(preset: .tuned, seed: 3)
        (c.batchSize, c.generatorBatchSize, c.pack, c.hiddenSize, c.discriminatorHiddenSize) = (8, 8, 1, 6, 5)
        (c.layers, c.embeddingSize, c.discriminatorWidths) = (2, 4, [2, 3])
        (c.dropout, c.discriminatorDropout) = (dropout, discriminatorDropout)
        c.data = .grammar(Grammar(), size: 40)
        return c
    }

    func trained(_ c: TrainingConfiguration, dataset: Dataset) throws -> (session: TrainingSession, values: [[Float]]) {
        let session = try TrainingSession(configuration: c, dataset: dataset)
        for _ in 0..<3 { _ = session.iterate() }
        return (session, session.networks.map { Array($0.parameters.values.values) })
    }

    /// Unset, the discriminator takes `--dropout` (the presets' bits); set, it takes its own,
    /// and the generator keeps `--dropout`'s: each network's masks change only its own setting's run.
    @Test func eachNetworkTakesItsOwnDropout() throws {
        let dataset = try Dataset.load(configuration(dropout: nil, discriminatorDropout: nil).data, seed: 3)
        let both = try trained(configuration(dropout: 0.3, discriminatorDropout: nil), dataset: dataset)
        let bothExplicit = try trained(configuration(dropout: 0.3, discriminatorDropout: 0.3), dataset: dataset)
        let onlyD = try trained(configuration(dropout: 0, discriminatorDropout: 0.3), dataset: dataset)
        let none = try trained(configuration(dropout: 0, discriminatorDropout: nil), dataset: dataset)
        #expect(both.session.generator.dropout == 0.3 && both.session.discriminator?.dropout == 0.3)
        #expect(onlyD.session.generator.dropout == 0 && onlyD.session.discriminator?.dropout == 0.3)
        #expect(none.session.discriminator?.dropout == 0)
        #expect(both.values == bothExplicit.values, "an explicit equal --discriminator-dropout changed the bits")
        #expect(onlyD.values[0] != both.values[0], "the generator's dropout did not change its training")
        #expect(onlyD.values[1] != none.values[1], "the discriminator's dropout did not change its training")
    }

    /// Out of range, or where no discriminator layer takes it: refused, naming the flag.
    @Test func misplacedDiscriminatorDropoutIsRefused() {
        var lstm = configuration(dropout: 0, discriminatorDropout: 0.2)
        lstm.discriminatorWidths = nil
        var mle = configuration(dropout: 0, discriminatorDropout: 0.2)
        (mle.objective, mle.discriminatorWidths) = (.maximumLikelihood, nil)
        for c in [configuration(dropout: 0, discriminatorDropout: 1), configuration(dropout: 0, discriminatorDropout: -0.1), lstm, mle] {
            #expect {
                try c.validate()
            } throws: { error in
                (error as? ConfigurationError)?.settings.first == "discriminatorDropout"
            }
        }
        #expect(throws: Never.self) { try configuration(dropout: 0, discriminatorDropout: 0.2).validate() }
    }
}
