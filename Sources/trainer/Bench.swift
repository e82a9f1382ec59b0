import ArgumentParser
import Foundation
import GumbelGAN

/// Times Algorithm 1's iteration at a given size on random real sequences.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Time one process's training iteration: seconds per iteration, GFLOP/s and peak memory.",
        discussion:
            "Sizes (state, symbols, length, batch, embedding, layers): paper (10, 6, 12, 200, 0, 1), large (256, 32, 60, 200, 0, 1), molecule (512, 26, 57, 200, 64, 2), oracle (32, 5000, 20, 64, 32, 1), and relgan: oracle-gan's recipe at the oracle's size (hard feedback, one-hot real inputs, RelGAN's CNN discriminator of 300 filters of widths 2-5 with 8 representations and dropout 0.25, rsgan); any can be set. launch/bench runs them beside the PyTorch peer."
    )

    enum Size: String, ExpressibleByArgument, CaseIterable {
        case paper, large, molecule, oracle, relgan

        /// State, symbols, length, batch, embedding, layers, timed and untimed iterations.
        var settings: (h: Int, v: Int, t: Int, b: Int, e: Int, l: Int, timed: Int, untimed: Int) {
            switch self {
            case .paper: (10, 6, 12, 200, 0, 1, 200, 20)
            case .large: (256, 32, 60, 200, 0, 1, 5, 1)
            case .molecule: (512, 26, 57, 200, 64, 2, 3, 1)
            case .oracle, .relgan: (32, 5000, 20, 64, 32, 1, 10, 2)
            }
        }
    }

    @Option(help: "A named size: paper, large, molecule, oracle or relgan.") var size: Size = .paper
    @Option(parsing: .unconditional, help: "Embedding size of both networks (0: none).") var embedding: Int?
    @Option(parsing: .unconditional, help: "LSTM layers of both networks.") var layers: Int?
    @Option(parsing: .unconditional, help: "LSTM state size (both networks).") var hidden: Int?
    @Option(parsing: .unconditional, help: "Number of symbols.") var vocabulary: Int?
    @Option(parsing: .unconditional, help: "Sequence length.") var length: Int?
    @Option(parsing: .unconditional, help: "Real and generated rows per iteration.") var batch: Int?
    @Option(parsing: .unconditional, help: "Timed iterations (default: 200 paper, 5 large).") var iterations: Int?
    @Option(parsing: .unconditional, help: "Untimed iterations first (default: 20 paper, 1 large).") var warmup: Int?
    @Option(parsing: .unconditional, help: "R1's weight γ (0: off).") var gradientPenalty: Float = 0
    @Option(parsing: .unconditional, help: "R2's weight γ (0: off).") var fakeGradientPenalty: Float = 0

    func validate() throws {
        for (flag, value) in [("--hidden", hidden), ("--length", length), ("--batch", batch), ("--iterations", iterations)] {
            if let value, value < 1 { throw ValidationError("\(flag) must be at least 1 (got \(value))") }
        }
        if let vocabulary, vocabulary < 2 { throw ValidationError("--vocabulary must be at least 2 (got \(vocabulary))") }
        if let warmup, warmup < 0 { throw ValidationError("--warmup must be at least 0 (got \(warmup))") }
        if let embedding, embedding < 0 { throw ValidationError("--embedding must be at least 0 (got \(embedding))") }
        if let layers, layers < 1 { throw ValidationError("--layers must be at least 1 (got \(layers))") }
        for (flag, value) in [("--gradient-penalty", gradientPenalty), ("--fake-gradient-penalty", fakeGradientPenalty)]
        where !(value >= 0 && value.isFinite) {
            throw ValidationError("\(flag) must be a finite weight of at least 0 (got \(value))")
        }
        if size == .relgan, let layers, layers != 1 { throw ValidationError("--layers must be 1 for --size relgan (its CNN has one)") }
    }

    func run() throws {
        setBLASThreads(1)
        let mpi = MPICommunicator.start()
        defer { mpi.finish() }
        let communicator = TimedCommunicator(mpi)
        let s = size.settings
        let (h, v, t, b) = (hidden ?? s.h, vocabulary ?? s.v, length ?? s.t, batch ?? s.b)
        let (e, l) = (embedding ?? s.e, layers ?? s.l)
        let (timed, untimed) = (iterations ?? s.timed, warmup ?? s.untimed)
        let relgan = size == .relgan
        var c = TrainingConfiguration(preset: relgan ? .oracleGAN : .paperA)
        (c.hiddenSize, c.discriminatorHiddenSize, c.batchSize, c.generatorBatchSize) = (h, relgan ? 300 : h, b, b)
        (c.embeddingSize, c.layers, c.discriminatorLayers, c.evaluationSamples) = (e, l, l, 0)
        (c.gradientPenalty, c.fakeGradientPenalty) = (gradientPenalty, fakeGradientPenalty)
        try MemoryLimit.require(
            MemoryEstimate.bytes(c, vocabulary: v, length: t, strings: 0, ranks: mpi.size), limit: MemoryLimit.bytes(gigabytes: nil),
            "this benchmark", "--vocabulary \(v), --length \(t), --hidden \(h), --batch \(b)")
        let generator = Generator(vocabularySize: v, hiddenSize: h, length: t, layers: l, embeddingSize: e)
        let discriminator =
            relgan
            ? Discriminator(
                vocabularySize: v, hiddenSize: c.discriminatorHiddenSize, length: t, embeddingSize: e,
                dropout: c.discriminatorDropoutProbability, convolutionWidths: c.convolutionWidths, representations: c.representationCount)
            : Discriminator(vocabularySize: v, hiddenSize: h, length: t, layers: l, embeddingSize: e)
        generator.parameters.initialize(.uniform(bound: 1 / Float(h).squareRoot()), seed: 1)
        discriminator.parameters.initialize(.uniform(bound: 1 / Float(h).squareRoot()), seed: 2)
        guard b >= mpi.size else { throw UserError("--batch \(b) is smaller than the \(mpi.size) ranks") }
        let step = AdversarialStep(
            generator: generator, discriminator: discriminator, realRows: b, fakeRows: b,
            estimator: relgan ? .hardFeedback : .gumbelSoftmax, encoder: RealInputs(relgan ? .oneHot : .smoothed, vocabularySize: v),
            loss: relgan ? .rsgan : .standard, gradientPenalty: gradientPenalty, fakeGradientPenalty: fakeGradientPenalty,
            adam: AdamSettings(), communicator: communicator)
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
        var operations = Double(ProductCount.measure { for i in 0..<timed { iterate(untimed + i) } }.operations)
        let seconds = Date().timeIntervalSince(start) / Double(timed)
        let allreduceShare = communicator.seconds / Double(timed) / seconds
        // All ranks' products, per iteration.
        withUnsafeMutablePointer(to: &operations) { mpi.allreduceSum(UnsafeMutableBufferPointer(start: $0, count: 1)) }
        operations /= Double(timed)
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let peak = Self.productPeak()
        guard mpi.rank == 0 else { return }
        warnIfBLASKernelsAreSlow()
        print(
            String(
                format:
                    "bench swift ranks=%d hidden=%d vocab=%d length=%d batch=%d embedding=%d layers=%d iters=%d sec_per_iter=%.6f gflop_per_iter=%.2f gflops=%.2f blas_peak_gflops=%.2f peak_mb=%.1f allreduce_share=%.3f",
                mpi.size, h, v, t, b, e, l, timed, seconds, operations / 1e9, operations / seconds / 1e9, peak,
                Double(usage.ru_maxrss) / 1024, allreduceShare))
    }

    /// This process's best rate, in GFLOP/s, over three 2048 × 1024 by 1024 × 2048 products
    /// after one untimed: the most OpenBLAS's kernel gives here, against which an iteration's
    /// product rate is read.
    static func productPeak() -> Double {
        let (n, k) = (2048, 1024)
        let storage = Tensor(zeros: [2 * n * k + n * n])
        for i in 0..<2 * n * k { storage.base[i] = Float(i % 7) * 1e-3 }
        let a = Matrix(storage.base, rows: n, columns: k)
        let b = Matrix(storage.base + n * k, rows: k, columns: n)
        let c = Matrix(storage.base + 2 * n * k, rows: n, columns: n)
        gemm(a, .none, b, .none, into: c)
        var best = Double.infinity
        for _ in 0..<3 {
            let start = Date()
            gemm(a, .none, b, .none, into: c)
            best = min(best, Date().timeIntervalSince(start))
        }
        return 2 * Double(n * n * k) / best / 1e9
    }
}
