/// One rank's share of a run: the data, both networks, their optimisers, and the iteration
/// count. ``iterate()`` runs the next iteration of the configured objective on this rank's
/// rows of the global batch (its ``shards``); with one rank (the default) that is the whole
/// run. ``TrainingRun`` runs the iterations on a schedule.
public final class TrainingSession {
    public let configuration: TrainingConfiguration
    public let dataset: Dataset
    public let generator: Generator
    public let discriminator: Discriminator?
    public let communicator: Communicator
    public internal(set) var completedIterations = 0
    let random: CounterRandom
    let adversarial: AdversarialStep?
    let likelihood: LikelihoodStep?
    /// This rank's rows of the global batches.
    public let shards: BatchShards
    /// `shards.real.count × T`: this iteration's real examples on this rank.
    var batch: [Int32]
    /// The examples grouped by length, for maximum-likelihood batches (`lengthBuckets`).
    let buckets: LengthBuckets?
    /// The training strings' figures for evaluation, computed at the first evaluation.
    public private(set) lazy var trainingReference = SampleMetrics.Reference(
        training: dataset.strings, symbols: Self.symbols(dataset.vocabulary.tokenization))

    /// How the metrics split strings into symbols: nil (characters) or into words.
    static func symbols(_ tokenization: Tokenization) -> SampleMetrics.Symbols? {
        guard tokenization != .characters else { return nil }
        return { @Sendable in tokenization.tokens(of: $0) }
    }
    /// The moving average of the generator's weights, when configured.
    public let averagedGenerator: FloatBuffer?

    /// Validates `c` for the communicator's rank count (see ``TrainingConfiguration/validate(ranks:)``),
    /// then builds and initialises the networks.
    public init(configuration c: TrainingConfiguration, dataset: Dataset, communicator: Communicator = SingleProcess()) throws {
        try c.validate(ranks: communicator.size)
        configuration = c
        self.dataset = dataset
        self.communicator = communicator
        random = CounterRandom(seed: c.seed)
        let (v, t) = (dataset.vocabulary.count, dataset.length)
        generator = Generator(
            vocabularySize: v, hiddenSize: c.hiddenSize, length: t, initialState: c.initialState, layers: c.generatorLayers,
            embeddingSize: c.embedding, dropout: c.dropoutProbability)
        generator.parameters.initialize(Self.initialization(c, hidden: c.hiddenSize), seed: c.seed)
        let adversarialRun = c.objective == .adversarial
        shards = BatchShards(
            realRows: c.batchSize, generatedRows: adversarialRun ? c.generatorBatchSize : 0,
            unit: adversarialRun ? c.pack : 1, communicator: communicator)
        batch = [Int32](repeating: 0, count: shards.real.count * t)
        try c.validate(examples: dataset.strings.count, length: t)
        if c.lengthBucketCount > 0 {
            buckets = LengthBuckets(
                symbols: dataset.symbols, length: t, padding: Int32(dataset.vocabulary.paddingIndex), count: c.lengthBucketCount)
        } else {
            buckets = nil
        }
        if c.generatorAverage > 0 {
            averagedGenerator = FloatBuffer(count: generator.parameters.count)
            averagedGenerator!.copy(from: generator.parameters.values)
        } else {
            averagedGenerator = nil
        }
        switch c.objective {
        case .adversarial:
            let d = Discriminator(
                vocabularySize: c.pack * v, hiddenSize: c.discriminatorHiddenSize, length: t, layers: c.discriminatorLayerCount,
                embeddingSize: c.embedding, groups: c.pack, dropout: c.discriminatorDropoutProbability, convolutionWidths: c.convolutionWidths,
                representations: c.representationCount)
            // TextGAN-PyTorch's CNN discriminators start from U(−0.05, 0.05).
            let cnn = !c.convolutionWidths.isEmpty && c.initialization == .pytorch
            d.parameters.initialize(cnn ? .uniform(bound: 0.05) : Self.initialization(c, hidden: c.discriminatorHiddenSize), seed: c.seed &+ 1)
            discriminator = d
            let discriminatorAdam =
                c.discriminatorLearningRate.map {
                    var a = c.adam
                    a.learningRate = $0
                    return a
                } ?? c.adam
            adversarial = AdversarialStep(
                generator: generator, discriminator: d, shards: shards, pack: c.pack, estimator: c.estimator,
                encoder: RealInputs(c.realEncoding, vocabularySize: v, truthProbability: c.truthProbability),
                loss: c.adversarialLoss, gradientPenalty: c.penaltyWeight, fakeGradientPenalty: c.fakePenaltyWeight,
                generatorOptimizer: DistributedOptimizer(
                    parameterCount: generator.parameters.count, settings: c.adam,
                    communicator: communicator),
                discriminatorOptimizer: DistributedOptimizer(
                    parameterCount: d.parameters.count, settings: discriminatorAdam,
                    communicator: communicator))
            likelihood =
                c.pretraining > 0
                ? LikelihoodStep(
                    generator: generator, shards: shards,
                    optimizer: DistributedOptimizer(
                        parameterCount: generator.parameters.count, settings: c.pretrainAdam, communicator: communicator))
                : nil
        case .maximumLikelihood:
            discriminator = nil
            adversarial = nil
            likelihood = LikelihoodStep(
                generator: generator, shards: shards,
                optimizer: DistributedOptimizer(
                    parameterCount: generator.parameters.count,
                    settings: c.adam, communicator: communicator))
        }
    }

    static func initialization(_ c: TrainingConfiguration, hidden: Int) -> Initialization {
        switch c.initialization {
        case .normal: return .normal(standardDeviation: c.initialScale)
        case .pytorch: return .uniform(bound: 1 / Float(hidden).squareRoot())
        }
    }

    /// Runs the next iteration: a pre-training iteration while `completedIterations` is
    /// below ``TrainingConfiguration/pretraining``, then one of the objective. Random numbers
    /// are addressed by the run's iteration `i`; schedules by the objective's own iteration
    /// `j = i − pretraining`.
    public func iterate() -> IterationReport {
        let i = completedIterations
        let c = configuration
        let j = i - c.pretraining
        let tau = c.temperature.value(at: max(j, 0))
        var report = IterationReport(step: i + 1, temperature: tau)
        report.pretraining = j < 0
        let scale = learningRateScale(at: j)
        if let adversarial, j >= 0 {
            // Extra discriminator updates (sub-steps 1 …), each on its own batch; sub-step 0,
            // the one-step iteration's, is the last before the generator's update.
            for substep in 1..<c.discriminatorStepCount {
                drawBatch(step: i, rowOffset: AdversarialStep.rowOffset(substep: substep))
                _ = batch.withUnsafeBufferPointer { symbols in
                    adversarial.discriminatorStep(
                        step: i, substep: substep, realSymbols: symbols, temperature: tau,
                        inputTemperature: c.inputTemperature.value(at: j), learningRateScale: scale, random: random)
                }
            }
        }
        let steps = drawBatch(step: i, byLength: adversarial == nil || j < 0)
        batch.withUnsafeBufferPointer { symbols in
            if let adversarial, j >= 0 {
                report.adversarial = adversarial.run(
                    step: i, realSymbols: symbols, temperature: tau,
                    inputTemperature: c.inputTemperature.value(at: j),
                    learningRateScale: scale, entropyBonus: c.entropyBonus, likelihoodWeight: c.likelihoodWeight, random: random,
                    updatingGenerator: j >= c.discriminatorWarmupIterations)
                report.likelihoodSum = report.adversarial?.likelihoodSum
            } else if let likelihood {
                report.likelihoodSum = likelihood.run(step: i, symbols: symbols, steps: steps, learningRateScale: scale, random: random)
            }
            report.likelihoodSymbols = c.batchSize * dataset.length
        }
        if let average = averagedGenerator {
            let (beta, a, theta) = (c.generatorAverage, average.pointer, generator.parameters.values.pointer)
            for k in 0..<average.count { a[k] = beta * a[k] + (1 - beta) * theta[k] }
        }
        completedIterations += 1
        return report
    }

    /// Each network's optimiser state, by network name.
    public var optimizers: [(network: String, adam: Adam)] {
        guard let adversarial else { return likelihood?.optimizer.map { [("generator", $0.adam)] } ?? [] }
        var out = [("generator", adversarial.generatorOptimizer.adam), ("discriminator", adversarial.discriminatorOptimizer.adam)]
        if let pretraining = likelihood?.optimizer { out.append(("pretraining", pretraining.adam)) }
        return out
    }

    /// Starts the generator (and its moving average) from `values`, a generator's weights
    /// in this generator's layout (`--init-generator`).
    public func startGenerator(from values: [Float]) {
        precondition(values.count == generator.parameters.count, "startGenerator: \(values.count) values for \(generator.parameters.count)")
        values.withUnsafeBufferPointer { generator.parameters.values.pointer.update(from: $0.baseAddress!, count: $0.count) }
        averagedGenerator?.copy(from: generator.parameters.values)
    }

    /// The parameters to save and restore, by prefix: both networks and, when configured,
    /// the moving average of the generator's weights (`generator_average`).
    public var networks: [(prefix: String, parameters: Parameters)] {
        var out = [("generator", generator.parameters)]
        if let d = discriminator { out.append(("discriminator", d.parameters)) }
        if let average = averagedGenerator {
            out.append(("generator_average", Parameters(layout: generator.parameters.layout, values: average)))
        }
        return out
    }

    /// Sets the iteration count of a session restored from a checkpoint.
    public func restore(completedIterations step: Int) {
        completedIterations = step
    }

    /// Runs `body` with the generator's weights replaced by their moving average (when
    /// configured) and its output layer scaled by `1 / temperature` (logits `ℓ / T`), and puts
    /// the trained weights back after, bit for bit.
    public func withSamplingWeights<T>(temperature: Float = 1, _ body: () throws -> T) rethrows -> T {
        guard averagedGenerator != nil || temperature != 1 else { return try body() }
        let values = generator.parameters.values
        let trained = FloatBuffer(count: values.count)
        trained.copy(from: values)
        defer { values.copy(from: trained) }
        if let average = averagedGenerator { values.copy(from: average) }
        if temperature != 1 {
            for tensor in [generator.output.weight, generator.output.bias] { for k in 0..<tensor.count { tensor.base[k] /= temperature } }
        }
        return try body()
    }

    /// The learning-rate factor at iteration `i` of `N`: 1 until the last
    /// ``TrainingConfiguration/decay`` fraction `f` of the run, then `(N − i)/(f N)`.
    func learningRateScale(at i: Int) -> Float {
        let n = Float(configuration.iterations), f = configuration.decay
        guard f > 0, Float(i) >= n * (1 - f) else { return 1 }
        return (n - Float(i)) / (f * n)
    }

    /// Row `r` of iteration `step`'s global minibatch is training example `⌊u·n⌋` for the
    /// uniform draw `u` at `(minibatch, step, rowOffset + r, 0)`: sampling with replacement,
    /// computed alike on every rank; this rank copies the rows of its shard. With length
    /// buckets and `byLength`, the batch comes from bucket ``LengthBuckets/bucket(iteration:)``
    /// of `step` and row `r` is its example at `u`. Returns the steps the global batch needs
    /// (nil: all of them).
    @discardableResult
    func drawBatch(step: Int, rowOffset: Int = 0, byLength: Bool = false) -> Int? {
        let (n, t) = (dataset.strings.count, dataset.length)
        func unit(_ row: Int, _ index: Int) -> Float { CounterRandom.openUnit(random.bits(.minibatch, step: step, row: row, index: index)) }
        let bucket = byLength ? buckets.map { ($0, $0.bucket(iteration: step)) } : nil
        func example(_ r: Int) -> Int {
            let u = unit(rowOffset + r, 0)
            if let (buckets, b) = bucket { return buckets.example(bucket: b, u) }
            return min(Int(u * Float(n)), n - 1)
        }
        // Every rank visits the whole bucketed batch: the steps are its longest example's.
        let steps = bucket.map { buckets, _ in buckets.steps((0..<shards.realRows).lazy.map(example)) }
        dataset.symbols.withUnsafeBufferPointer { all in
            for (k, r) in shards.real.enumerated() {
                let e = example(r)
                for j in 0..<t { batch[k * t + j] = all[e * t + j] }
            }
        }
        return steps
    }

    // MARK: Sampling and evaluation

    /// How the generator samples after training: its final temperature and the way it was
    /// trained to feed back (a likelihood-trained one feeds back its exact draws).
    public var samplingTemperature: Float { configuration.temperature.value(at: configuration.iterations) }
    public var samplingEstimator: Estimator {
        configuration.objective == .maximumLikelihood ? .straightThrough : configuration.estimator
    }

    /// `count` generated strings, each an exact categorical draw `argmax(ℓ_t / T + g_t)` at
    /// every step (the paper's eq. 3; `T` the sampling `temperature`, 1 for the model's own
    /// distribution, below 1 sharper; by default the run's ``TrainingConfiguration/sampleTemperature``),
    /// decoded with the padding at the end removed (or, with
    /// `endingAtPadding`, everything from the first padding: the peers' samplers stop at their
    /// end token), from the averaged weights when configured. The same `seed` gives the same
    /// strings.
    public func sample(count: Int, seed: UInt64, temperature: Float? = nil, endingAtPadding: Bool = false) -> [String] {
        var out: [String] = []
        out.reserveCapacity(count)
        sample(count: count, seed: seed, temperature: temperature, endingAtPadding: endingAtPadding) { out += $0 }
        return out
    }

    /// The strings of ``sample(count:seed:temperature:endingAtPadding:)``, handed to `body` a
    /// block at a time (at most 1,000), so that a count is limited by time, not memory.
    public func sample(
        count: Int, seed: UInt64, temperature: Float? = nil, endingAtPadding: Bool = false, inBlocks body: ([String]) throws -> Void
    ) rethrows {
        let temperature = temperature ?? configuration.logitTemperature
        precondition(temperature > 0 && temperature.isFinite, "sample: temperature \(temperature)")
        try withSamplingWeights(temperature: temperature) {
            let rows = min(count, Self.blockRows(1000, length: generator.length, vocabulary: generator.vocabularySize))
            let ws = Generator.Workspace(generator: generator, rows: rows)
            let random = CounterRandom(seed: seed)
            var (made, block) = (0, 0)
            while made < count {
                generator.drawNoise(ws, random: random, step: block, firstRow: 0)
                generator.forward(ws, temperature: samplingTemperature, estimator: samplingEstimator)
                let length = generator.length
                let strings = (0..<min(rows, count - made)).map { r in
                    dataset.vocabulary.decode(ws.symbols[(r * length)..<((r + 1) * length)], endingAtPadding: endingAtPadding)
                }
                try body(strings)
                made += strings.count
                block += 1
            }
        }
    }

    /// The evaluation metrics on `count` generated strings (drawn with a seed derived from
    /// the run's, so evaluations of one run are comparable) and, for maximum likelihood,
    /// the NLL of the training set and of 1,000 held-out strings. At a sampling `temperature`
    /// T ≠ 1 both the samples and the NLLs are the cooled model's, `softmax(ℓ / T)`: the
    /// quality–diversity curve a likelihood-trained model traces without any adversary. T is
    /// the run's ``TrainingConfiguration/sampleTemperature`` unless given.
    public func evaluate(count: Int, temperature: Float? = nil, sampleSeed: UInt64? = nil) -> Evaluation {
        evaluate(count: count, temperature: temperature, sampleSeed: sampleSeed, shouldStop: { false })!
    }

    /// ``evaluate(count:temperature:sampleSeed:)``, given up (nil) as soon as `shouldStop` says
    /// so: it is asked between blocks of samples and of scored strings, so that a signal does
    /// not wait for a long evaluation to end.
    public func evaluate(count: Int, temperature: Float? = nil, sampleSeed: UInt64? = nil, shouldStop: () -> Bool) -> Evaluation? {
        struct Stopped: Error {}
        do {
            return try evaluate(count: count, temperature: temperature ?? configuration.logitTemperature, sampleSeed: sampleSeed) {
                if shouldStop() { throw Stopped() }
            }
        } catch { return nil }
    }

    /// `sampleSeed`, when given, draws the scored samples from that seed instead of the run's
    /// own evaluation draws: scoring one model with several seeds shows the metrics' sampling
    /// noise. The data draws they are compared with stay the same.
    private func evaluate(count: Int, temperature: Float, sampleSeed: UInt64?, checkpoint: () throws -> Void) throws -> Evaluation {
        var samples: [String] = []
        samples.reserveCapacity(count)
        let seed = sampleSeed ?? SampleSeed.evaluation(of: configuration.seed)
        try sample(count: count, seed: seed, temperature: temperature) { block in
            try checkpoint()
            samples += block
        }
        if referenceStrings?.count != count { referenceStrings = try dataset.referenceSample(count, checkpoint: checkpoint) }
        try checkpoint()
        let metrics = try SampleMetrics.score(
            samples, training: trainingReference, reference: referenceStrings!, isValid: dataset.isValid, checkpoint: checkpoint)
        var evaluation = Evaluation(samples: metrics)
        if temperature != 1 { evaluation.temperature = temperature }
        let oracleData = dataset.oracle != nil
        if configuration.objective == .maximumLikelihood || configuration.pretraining > 0 || oracleData {
            try withSamplingWeights(temperature: temperature) {
                evaluation.trainingNLL = try negativeLogLikelihood(Self.evenlySpaced(dataset.strings, count: 10_000), checkpoint: checkpoint)
                if let held = heldOutStrings { evaluation.heldOutNLL = try negativeLogLikelihood(held, checkpoint: checkpoint) }
            }
        }
        if let oracle = dataset.oracle {
            let valid = samples.compactMap(dataset.oracleSymbols)
            evaluation.oracleNLL = valid.isEmpty ? nil : oracle.negativeLogLikelihood(valid)
            evaluation.oracleFloor = oracleFloor
        }
        return evaluation
    }

    /// How sure the discriminator is of the model: its mean `σ(a)` over training strings
    /// (evenly spaced through the data) and over as many generated examples, each shown to it
    /// as in training (the real ones encoded, the generated ones through the run's estimator
    /// at its final temperatures, from the sampling weights) but without dropout, the noise
    /// drawn from `seed`. About `count` of each: rounded up to whole blocks of whole packs
    /// (`examples`). `temperature` divides the logits as in ``evaluate(count:temperature:sampleSeed:)``
    /// (default: the run's sampling temperature), so the verdict is on the model whose samples
    /// are scored. Near 0.5 for both, it cannot tell the model from the data; nil for a run
    /// without a discriminator.
    public func discriminatorScore(count: Int, seed: UInt64, temperature: Float? = nil) -> (real: Double, fake: Double, examples: Int)? {
        guard let d = discriminator, count > 0 else { return nil }
        let c = configuration
        let (n, t, v, pack) = (dataset.strings.count, dataset.length, generator.vocabularySize, c.pack)
        let wanted = (count + pack - 1) / pack * pack
        let rows = max(pack, min(wanted, Self.blockRows(1000, length: t, vocabulary: pack * v)) / pack * pack)
        let blocks = (wanted + rows - 1) / rows
        let scorer = AdversarialStep(
            generator: generator, discriminator: d, realRows: rows, fakeRows: rows, pack: pack, estimator: c.estimator,
            encoder: RealInputs(c.realEncoding, vocabularySize: v, truthProbability: c.truthProbability), adam: c.adam)
        let random = CounterRandom(seed: seed)
        // `iterations` counts the objective's own iterations, after any pre-training.
        let (tau, inputTau) = (samplingTemperature, c.inputTemperature.value(at: c.iterations))
        var symbols = [Int32](repeating: 0, count: rows * t)
        var (real, fake) = (0.0, 0.0)
        withSamplingWeights(temperature: temperature ?? c.logitTemperature) {
            dataset.symbols.withUnsafeBufferPointer { all in
                for block in 0..<blocks {
                    for r in 0..<rows {
                        let e = (block * rows + r) * n / (blocks * rows)
                        for k in 0..<t { symbols[r * t + k] = all[e * t + k] }
                    }
                    let (a, b) = symbols.withUnsafeBufferPointer {
                        scorer.score(step: block, realSymbols: $0, temperature: tau, inputTemperature: inputTau, random: random)
                    }
                    (real, fake) = (real + a, fake + b)
                }
            }
        }
        let packs = Double(blocks * rows / pack)
        return (real / packs, fake / packs, blocks * rows)
    }

    /// Data drawn once for every evaluation: the yardstick of coverage (for the last count
    /// asked), the held-out strings, the oracle's NLL of them.
    private var referenceStrings: [String]?
    private lazy var heldOutStrings: [String]? = dataset.heldOut()
    private lazy var oracleFloor: Double? = dataset.oracle.map { oracle in
        oracle.negativeLogLikelihood((heldOutStrings ?? []).compactMap(dataset.oracleSymbols))
    }

    /// Rows per block of sampling or scoring: `rows`, fewer when a block's `[T, rows, V]`
    /// buffers would pass 4 million values each (large vocabularies), so that memory stays
    /// bounded whatever the count.
    static func blockRows(_ rows: Int, length: Int, vocabulary: Int) -> Int {
        max(1, min(rows, 4_000_000 / max(length * vocabulary, 1)))
    }

    /// At most `count` of `strings`, evenly spaced (all of them, in order, when there are
    /// no more): a large data set's likelihood is estimated, not scored line by line at
    /// every evaluation.
    static func evenlySpaced(_ strings: [String], count: Int) -> [String] {
        guard strings.count > count else { return strings }
        return (0..<count).map { strings[$0 * strings.count / count] }
    }

    /// Mean negative log-likelihood per symbol (nats, padding positions included) of
    /// `strings` under the generator with teacher forcing, in chunks of up to 500.
    public func negativeLogLikelihood(_ strings: [String]) -> Double {
        negativeLogLikelihood(strings, checkpoint: {})
    }

    /// ``negativeLogLikelihood(_:)``, calling `checkpoint` before each chunk (it may throw).
    func negativeLogLikelihood(_ strings: [String], checkpoint: () throws -> Void) rethrows -> Double {
        let t = dataset.length
        var total = 0.0, start = 0, block = 0
        // One scorer per chunk size (at most two): its workspace is the allocation.
        var scorers: [Int: LikelihoodStep] = [:]
        while start < strings.count {
            try checkpoint()
            let chunk = strings[start..<min(start + Self.blockRows(500, length: t, vocabulary: generator.vocabularySize), strings.count)]
            let scorer = scorers[chunk.count, default: LikelihoodStep(generator: generator, shards: .whole(realRows: chunk.count), optimizer: nil)]
            scorers[chunk.count] = scorer
            let symbols = chunk.flatMap { dataset.vocabulary.encode($0, length: t) ?? [] }
            precondition(symbols.count == chunk.count * t, "negativeLogLikelihood: a string does not fit the vocabulary or length")
            let mean = symbols.withUnsafeBufferPointer { scorer.negativeLogLikelihood($0, random: random, step: block) }
            total += mean * Double(chunk.count)
            start += chunk.count
            block += 1
        }
        return total / Double(strings.count)
    }
}
