/// The named starting points of a run; every setting they choose can be changed by a flag.
public enum Preset: String, Sendable, Codable, CaseIterable {
    /// The paper's default (Figure 3a): τ 5 → 1 over 10,000 iterations for the generator and
    /// the real inputs, noise `(h0, c0)`, state 10, batch 200, 20,000 iterations.
    case paperA = "paper-a"
    /// As paper-a, but the generator makes 1,000 samples per iteration (Figure 3b).
    case paperB = "paper-b"
    /// As paper-a, but only the input temperature anneals; the generator's stays 1 (Figure 3c).
    case paperC = "paper-c"
    /// As paper-a, but noise only in `h0`; `c0` is learned (Figure 3d).
    case paperD = "paper-d"
    /// Figure 4's reference: the same generator with `h0 = c0 = 0`, trained by maximum
    /// likelihood with teacher forcing.
    case mle
    /// Beyond the paper, purely adversarial: straight-through Gumbel-softmax at a constant
    /// temperature of 1, one-hot real inputs, state 32, batches of 400, a discriminator
    /// judging packs of 8 examples, an entropy bonus of 0.05, the generator learning at half
    /// the discriminator's rate (5e-4, 1e-3), learning rates falling linearly to 0 over the
    /// whole run, samples from a moving average of the generator's weights, PyTorch's
    /// initialisation (see the README).
    case tuned
}

/// How the generator is trained.
public enum Objective: String, Sendable, Codable, CaseIterable {
    /// Algorithm 1.
    case adversarial
    /// Maximum likelihood with teacher forcing.
    case maximumLikelihood = "mle"
}

/// How real examples are shown to the discriminator.
public enum RealEncoding: String, Sendable, Codable, CaseIterable {
    /// Log-probabilities with `truthProbability` on the true symbol, then Gumbel-softmax at
    /// the input temperature (the paper).
    case smoothed
    /// Exact one-hot vectors.
    case oneHot = "one-hot"
}

/// How initial weights are drawn.
public enum InitializationScheme: String, Sendable, Codable, CaseIterable {
    /// N(0, σ²) for every tensor, σ = `initialScale` (the authors' script: 0.01).
    case normal
    /// U(−1/√H, 1/√H) for every tensor, as PyTorch's LSTM and Linear layers do.
    case pytorch
}

/// Where the training strings come from.
public enum DataSource: Sendable, Equatable, Codable {
    /// The paper's grammar, `size` strings.
    case grammar(Grammar, size: Int)
    /// A user's file, one example per line.
    case file(path: String, maximumLength: Int?, skipLong: Bool)
}

/// Everything that decides a run: written to `config.json`, enough to run it again.
public struct TrainingConfiguration: Sendable, Equatable, Codable {
    public var preset: Preset
    public var seed: UInt64
    public var iterations: Int
    /// Real examples per iteration (the global minibatch).
    public var batchSize: Int
    /// Generated examples per iteration.
    public var generatorBatchSize: Int
    public var hiddenSize: Int
    public var discriminatorHiddenSize: Int
    /// Examples the discriminator judges together (PacGAN); 1 is the paper's one at a time.
    public var pack: Int
    /// The generator's Gumbel-softmax temperature.
    public var temperature: TemperatureSchedule
    /// The real inputs' Gumbel-softmax temperature (with ``RealEncoding/smoothed``).
    public var inputTemperature: TemperatureSchedule
    public var initialState: GeneratorInitialState
    public var objective: Objective
    public var estimator: Estimator
    public var realEncoding: RealEncoding
    public var truthProbability: Float
    public var adam: AdamSettings
    /// The discriminator's learning rate, when it differs from the generator's.
    public var discriminatorLearningRate: Float?
    /// λ of an entropy bonus on the generator's per-step distributions (0: none).
    public var entropyBonus: Float
    /// The fraction of the iterations, at the end, over which the learning rates fall
    /// linearly to zero (0: constant learning rates).
    public var decay: Float
    /// When above 0, samples and evaluations use an exponential moving average of the
    /// generator's weights, `θ̄ ← β θ̄ + (1 − β) θ` after every iteration (β this value).
    public var generatorAverage: Float
    public var initialization: InitializationScheme
    public var initialScale: Float
    public var data: DataSource
    /// Log the losses every this many iterations.
    public var logEvery: Int
    /// Evaluate (with `evaluationSamples` generated strings) every this many iterations, and at the end.
    public var evaluateEvery: Int
    public var evaluationSamples: Int

    /// The settings of `preset`.
    public init(preset: Preset, seed: UInt64 = 1) {
        self.preset = preset
        self.seed = seed
        iterations = 20_000
        batchSize = 200
        generatorBatchSize = 200
        hiddenSize = 10
        discriminatorHiddenSize = 10
        pack = 1
        temperature = .paper
        inputTemperature = .paper
        initialState = .noise
        objective = .adversarial
        estimator = .gumbelSoftmax
        realEncoding = .smoothed
        truthProbability = 0.9
        adam = AdamSettings()
        generatorAverage = 0
        entropyBonus = 0
        decay = 0
        initialization = .normal
        initialScale = 0.01
        data = .grammar(Grammar(), size: 5000)
        logEvery = 100
        evaluateEvery = 5000
        evaluationSamples = 10_000
        switch preset {
        case .paperA: break
        case .paperB: generatorBatchSize = 1000
        case .paperC: temperature = .constant(1)
        case .paperD: initialState = .noiseHiddenLearnedCell
        case .mle:
            objective = .maximumLikelihood
            initialState = .zero
            temperature = .constant(1)
            adam = AdamSettings(learningRate: 1e-3, beta1: 0.9, beta2: 0.999)
            initialization = .pytorch
        case .tuned:
            batchSize = 400
            generatorBatchSize = 400
            hiddenSize = 32
            discriminatorHiddenSize = 32
            temperature = .constant(1)
            estimator = .straightThrough
            realEncoding = .oneHot
            pack = 8
            decay = 1
            generatorAverage = 0.999
            entropyBonus = 0.05
            adam.learningRate = 5e-4
            discriminatorLearningRate = 1e-3
            initialization = .pytorch
        }
    }

    /// The first setting that makes no sense for a job of `ranks` ranks, as a message naming
    /// the flag, or nil: every rank needs at least one pack of each batch.
    public func problem(ranks: Int) -> String? {
        if let p = problem() { return p }
        let unit = objective == .adversarial ? pack : 1
        if batchSize / unit < ranks {
            return DistributedError.batchSmallerThanRanks(flag: "--batch", rows: batchSize, ranks: ranks).description
        }
        if objective == .adversarial && generatorBatchSize / unit < ranks {
            return DistributedError.batchSmallerThanRanks(flag: "--generator-batch", rows: generatorBatchSize, ranks: ranks).description
        }
        return nil
    }

    /// The first setting that makes no sense, as a message naming the flag, or nil.
    public func problem() -> String? {
        let positive: [(String, Int)] = [("--iterations", iterations), ("--batch", batchSize),
                                         ("--generator-batch", generatorBatchSize), ("--hidden", hiddenSize),
                                         ("--discriminator-hidden", discriminatorHiddenSize), ("--log-every", logEvery),
                                         ("--evaluate-every", evaluateEvery), ("--evaluation-samples", evaluationSamples)]
        for (flag, value) in positive where value < 1 { return "\(flag) must be at least 1 (got \(value))" }
        if pack < 1 { return "--pack must be at least 1 (got \(pack))" }
        if batchSize % pack != 0 || generatorBatchSize % pack != 0 {
            return "--batch (\(batchSize)) and --generator-batch (\(generatorBatchSize)) must be multiples of --pack (\(pack))"
        }
        for (flag, schedule) in [("--temperature", temperature), ("--input-temperature", inputTemperature)] {
            if !(schedule.start > 0 && schedule.end > 0 && schedule.start.isFinite && schedule.end.isFinite) {
                return "\(flag) temperatures must be positive (got \(schedule.start) → \(schedule.end))"
            }
            if schedule.kind != .constant && schedule.steps < 1 {
                return "\(flag)-steps must be at least 1 for a \(schedule.kind.rawValue) schedule (got \(schedule.steps))"
            }
        }
        if !(truthProbability > 0 && truthProbability < 1) { return "--truth-probability must lie in (0, 1) (got \(truthProbability))" }
        if !(adam.learningRate > 0) { return "--learning-rate must be positive (got \(adam.learningRate))" }
        if !(adam.beta1 >= 0 && adam.beta1 < 1 && adam.beta2 >= 0 && adam.beta2 < 1) {
            return "--beta1 and --beta2 must lie in [0, 1) (got \(adam.beta1), \(adam.beta2))"
        }
        if let d = discriminatorLearningRate, !(d > 0) { return "--discriminator-learning-rate must be positive (got \(d))" }
        if !(entropyBonus >= 0) { return "--entropy-bonus must be at least 0 (got \(entropyBonus))" }
        if !(decay >= 0 && decay <= 1) { return "--decay must lie in [0, 1] (got \(decay))" }
        if !(generatorAverage >= 0 && generatorAverage < 1) { return "--generator-average must lie in [0, 1) (got \(generatorAverage))" }
        if !(initialScale > 0) { return "--init-scale must be positive (got \(initialScale))" }
        if case .grammar(let g, let size) = data {
            if size < 1 { return "--training-size must be at least 1 (got \(size))" }
            if !(g.stopProbability > 0 && g.stopProbability <= 1) { return "--stop-probability must lie in (0, 1] (got \(g.stopProbability))" }
            if g.maximumDepth < 0 { return "--max-depth must be at least 0 (got \(g.maximumDepth))" }
            if g.maximumLength < 1 { return "--max-length must be at least 1 (got \(g.maximumLength))" }
        }
        return nil
    }
}
