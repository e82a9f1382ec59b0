import ArgumentParser
import Foundation
import GumbelGAN

/// Times Algorithm 1's iteration at a given size on random real sequences.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Time one process's training iteration: seconds per iteration, GFLOP/s and peak memory.",
        discussion:
            "Sizes: --size paper (state 10, 6 symbols, length 12, batch 200) or large (256, 32, 60, 200), or set each. launch/bench runs both beside the PyTorch peer."
    )

    enum Size: String, ExpressibleByArgument { case paper, large }

    @Option(help: "A named size: paper or large.") var size: Size = .paper
    @Option(parsing: .unconditional, help: "LSTM state size (both networks).") var hidden: Int?
    @Option(parsing: .unconditional, help: "Number of symbols.") var vocabulary: Int?
    @Option(parsing: .unconditional, help: "Sequence length.") var length: Int?
    @Option(parsing: .unconditional, help: "Real and generated rows per iteration.") var batch: Int?
    @Option(parsing: .unconditional, help: "Timed iterations (default: 200 paper, 5 large).") var iterations: Int?
    @Option(parsing: .unconditional, help: "Untimed iterations first (default: 20 paper, 1 large).") var warmup: Int?

    func validate() throws {
        for (flag, value) in [("--hidden", hidden), ("--length", length), ("--batch", batch), ("--iterations", iterations)] {
            if let value, value < 1 { throw ValidationError("\(flag) must be at least 1 (got \(value))") }
        }
        if let vocabulary, vocabulary < 2 { throw ValidationError("--vocabulary must be at least 2 (got \(vocabulary))") }
        if let warmup, warmup < 0 { throw ValidationError("--warmup must be at least 0 (got \(warmup))") }
    }

    func run() throws {
        setBLASThreads(1)
        let mpi = MPICommunicator.start()
        defer { mpi.finish() }
        let communicator = TimedCommunicator(mpi)
        let large = size == .large
        let (h, v, t, b) = (hidden ?? (large ? 256 : 10), vocabulary ?? (large ? 32 : 6), length ?? (large ? 60 : 12), batch ?? 200)
        let (timed, untimed) = (iterations ?? (large ? 5 : 200), warmup ?? (large ? 1 : 20))
        let generator = Generator(vocabularySize: v, hiddenSize: h, length: t)
        let discriminator = Discriminator(vocabularySize: v, hiddenSize: h, length: t)
        generator.parameters.initialize(.uniform(bound: 1 / Float(h).squareRoot()), seed: 1)
        discriminator.parameters.initialize(.uniform(bound: 1 / Float(h).squareRoot()), seed: 2)
        guard b >= mpi.size else { throw UserError("--batch \(b) is smaller than the \(mpi.size) ranks") }
        let step = AdversarialStep(
            generator: generator, discriminator: discriminator, realRows: b, fakeRows: b,
            estimator: .gumbelSoftmax, encoder: RealInputs(.smoothed, vocabularySize: v), adam: AdamSettings(),
            communicator: communicator)
        let random = CounterRandom(seed: 1)
        var symbols = [Int32](repeating: 0, count: step.shards.real.count * t)
        for i in symbols.indices { symbols[i] = Int32(random.bits(.data, step: 0, row: i, index: 0) % UInt32(v)) }
        func iterate(_ i: Int) {
            _ = symbols.withUnsafeBufferPointer {
                step.run(step: i, realSymbols: $0, temperature: 2, inputTemperature: 2, random: random)
            }
        }
        for i in 0..<untimed { iterate(i) }
        communicator.seconds = 0
        let start = Date()
        for i in 0..<timed { iterate(untimed + i) }
        let seconds = Date().timeIntervalSince(start) / Double(timed)
        let allreduceShare = communicator.seconds / Double(timed) / seconds
        let flops = FlopCount.adversarialIteration(realRows: b, fakeRows: b, length: t, vocabulary: v, generatorHidden: h, discriminatorHidden: h)
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        guard mpi.rank == 0 else { return }
        warnIfBLASKernelsAreSlow()
        print(
            String(
                format:
                    "bench swift ranks=%d hidden=%d vocab=%d length=%d batch=%d iters=%d sec_per_iter=%.6f gflops=%.2f peak_mb=%.1f allreduce_share=%.3f",
                mpi.size, h, v, t, b, timed, seconds, flops / seconds / 1e9, Double(usage.ru_maxrss) / 1024, allreduceShare))
    }
}
