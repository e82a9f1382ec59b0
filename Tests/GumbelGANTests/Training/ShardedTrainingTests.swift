import Foundation
import Testing

@testable import GumbelGAN

@Suite struct ShardedTrainingTests {
    /// A preset, or tuned with the relativistic loss (`rsgan`), after 4 iterations of
    /// pre-training (`pretrained`), both, or with an embedding and 2 layers with dropout
    /// in both networks, a learned initial state and a likelihood term (`stacked`), or RelGAN's recipe: hard feedback, rsgan, 3 discriminator
    /// updates per iteration, after 2 of pre-training (`hard-feedback`), or maximum likelihood
    /// of a stacked, embedded generator over batches from 3 length buckets (`mle-buckets`), or
    /// a CNN discriminator over packs of 2 with dropout on its features and rsgan (`cnn`), the
    /// same reading its inputs as 4 representations (`cnn-representations`), the same with R1's
    /// and R2's penalties (`cnn-penalty`), or `stacked` with R1's penalty (`stacked-penalty`).
    func configuration(_ variant: String) -> TrainingConfiguration {
        let preset = Preset(rawValue: variant) ?? (variant == "mle-buckets" ? .mle : .tuned)
        var c = TrainingConfiguration(preset: preset, seed: 7)
        if variant == "rsgan-pretrained" { (c.loss, c.pretrainIterations) = (.rsgan, 4) }
        if variant == "rsgan" { c.loss = .rsgan }
        if variant == "pretrained" { c.pretrainIterations = 4 }
        if variant == "hard-feedback" { (c.estimator, c.loss, c.discriminatorSteps, c.pretrainIterations) = (.hardFeedback, .rsgan, 3, 2) }
        if variant.hasPrefix("stacked") {
            (c.embeddingSize, c.layers, c.discriminatorLayers, c.dropout, c.pretrainIterations) = (4, 2, 2, 0.2, 3)
            (c.initialState, c.mleWeight) = (.learned, 0.5)
        }
        if variant.hasPrefix("cnn") { (c.discriminatorWidths, c.embeddingSize, c.dropout, c.loss) = ([2, 3, 5], 4, 0.2, .rsgan) }
        if variant == "cnn-representations" { c.discriminatorRepresentations = 4 }
        if variant.hasSuffix("-penalty") { (c.gradientPenalty, c.fakeGradientPenalty) = (2, variant.hasPrefix("cnn") ? 3 : nil) }
        if variant == "mle-buckets" {
            (c.embeddingSize, c.layers, c.dropout, c.initialState, c.lengthBuckets) = (4, 2, 0.2, .learned, 3)
        }
        c.batchSize = 24
        c.generatorBatchSize = preset == .paperB ? 48 : 24
        if preset == .tuned { c.pack = 2 }
        c.initialization = .pytorch
        c.data = .grammar(Grammar(), size: 100)
        return c
    }

    /// Runs `ranks` ranks of a ``TrainingRun`` for `iterations`, logging every iteration, and
    /// returns, per rank, the global figures logged (without the time and rank 0's final
    /// evaluation) and the final parameters of both networks.
    func run(_ c: TrainingConfiguration, ranks: Int, iterations: Int) throws -> Collected<([MetricsRecord], [Float])> {
        var c = c
        (c.iterations, c.logEvery, c.evaluationSamples) = (iterations - c.pretraining, 1, 20)
        let dataset = try Dataset.load(c.data, seed: c.seed)
        let group = InProcessGroup(size: ranks)
        let out = Collected<([MetricsRecord], [Float])>()
        group.run { [c] rank in
            let session = try! TrainingSession(configuration: c, dataset: dataset, communicator: group.communicator(rank: rank))
            let log = EventLog()
            #expect(try! TrainingRun(session: session, schedule: TrainingSchedule(checkReplicasEvery: 1), observers: [log]).run() == .finished)
            let records = log.records.map { r in
                var r = r
                (r.seconds, r.evaluation) = (0, nil)
                return r
            }
            let parameters =
                Array(session.generator.parameters.values.values) + (session.discriminator.map { Array($0.parameters.values.values) } ?? [])
            out.set(rank, (records, parameters))
        }
        return out
    }

    func relative(_ a: Double?, _ b: Double?) -> Double {
        guard let a, let b else { return a == nil && b == nil ? 0 : .infinity }
        return abs(a - b) / max(abs(b), 1e-3)
    }

    /// Any rank count gives the single-process losses (to 1e-4 relative) and bitwise-identical
    /// replicas.
    @Test(arguments: [
        "paper-a", "paper-b", "tuned", "mle", "rsgan-pretrained", "rsgan", "pretrained", "stacked", "hard-feedback", "mle-buckets", "cnn",
        "cnn-representations", "cnn-penalty", "stacked-penalty",
    ])
    func shardedRunsMatchOneProcess(preset: String) throws {
        let c = configuration(preset)
        let single = try run(c, ranks: 1, iterations: 8)[0]
        for ranks in [2, 3, 4] {
            let result = try run(c, ranks: ranks, iterations: 8)
            for rank in 1..<ranks {
                #expect(result[rank].1 == result[0].1, "\(preset), \(ranks) ranks: rank \(rank)'s parameters differ from rank 0's")
                #expect(result[rank].0 == result[0].0, "\(preset), \(ranks) ranks: rank \(rank) logged other figures")
            }
            for (a, b) in zip(result[0].0, single.0) {
                for (x, y) in [
                    (a.lossD, b.lossD), (a.lossG, b.lossG), (a.dReal, b.dReal), (a.dFake, b.dFake), (a.nll, b.nll), (a.dGradient, b.dGradient),
                    (a.dGradientFake, b.dGradientFake),
                ] {
                    #expect(relative(x, y) < 1e-4, "\(preset), \(ranks) ranks, step \(a.step): \(String(describing: x)) vs \(String(describing: y))")
                }
            }
        }
    }
}
