import ArgumentParser
import Foundation
import GumbelGAN

/// Runs Algorithm 1 at the paper's sizes on random symbol sequences: it exercises every
/// layer, both backward passes and Adam end to end, and reports losses and speed.
struct Smoke: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run Algorithm 1 for a few iterations on random sequences (a check of the build).")

    @Option(help: "Iterations to run.") var iterations = 200
    @Option(help: "Examples per minibatch.") var batch = 200
    @Option(help: "LSTM state size of both networks.") var hidden = 10
    @Option(help: "Number of symbols.") var vocabulary = 6
    @Option(help: "Sequence length.") var length = 12
    @Option(help: "Seed of every random number.") var seed: UInt64 = 1
    @Option(help: "Print losses every this many iterations.") var logEvery = 20

    func validate() throws {
        for (name, value) in [("--iterations", iterations), ("--batch", batch), ("--hidden", hidden),
                              ("--length", length), ("--log-every", logEvery)] where value < 1 {
            throw ValidationError("\(name) must be at least 1 (got \(value)).")
        }
        guard vocabulary >= 2 else { throw ValidationError("--vocabulary must be at least 2 (got \(vocabulary)).") }
    }

    func run() throws {
        setBLASThreads(1)
        let generator = Generator(vocabularySize: vocabulary, hiddenSize: hidden, length: length)
        let discriminator = Discriminator(vocabularySize: vocabulary, hiddenSize: hidden, length: length)
        generator.parameters.initialize(.normal(standardDeviation: 0.1), seed: seed)
        discriminator.parameters.initialize(.normal(standardDeviation: 0.1), seed: seed &+ 1)
        let step = AdversarialStep(generator: generator, discriminator: discriminator,
                                   realRows: batch, fakeRows: batch, adam: AdamSettings())
        let random = CounterRandom(seed: seed)
        let encoder = RealInputs(vocabularySize: vocabulary)
        var symbols = [Int32](repeating: 0, count: batch * length)
        var uniforms = [Float](repeating: 0, count: length)
        print("smoke: Algorithm 1, batch \(batch), state \(hidden), vocabulary \(vocabulary), length \(length), \(iterations) iterations, seed \(seed)")
        let start = Date()
        for i in 0..<iterations {
            for r in 0..<batch {
                random.fillUniform(&uniforms, count: length, .data, step: i, row: r)
                for t in 0..<length { symbols[r * length + t] = Int32(min(Float(vocabulary) * uniforms[t], Float(vocabulary - 1))) }
            }
            let tau = max(1, 5 - 4 * Float(i) / 10_000)
            symbols.withUnsafeBufferPointer {
                encoder.encode($0, into: step.realInputs, temperature: tau, random: random, step: i, firstRow: 0)
            }
            let losses = step.run(step: i, temperature: tau, random: random)
            guard losses.discriminator.isFinite, losses.generator.isFinite else {
                throw ValidationError("iteration \(i + 1): a loss is not finite (D \(losses.discriminator), G \(losses.generator)).")
            }
            if (i + 1) % logEvery == 0 || i + 1 == iterations {
                print(String(format: "iteration %6d  tau %.3f  loss_d %.4f  loss_g %.4f  d_real %.3f  d_fake %.3f",
                             i + 1, tau, losses.discriminator, losses.generator, losses.realProbability, losses.fakeProbability))
            }
        }
        let seconds = Date().timeIntervalSince(start) / Double(iterations)
        print(String(format: "smoke: %.3f ms per iteration", seconds * 1000))
    }
}
