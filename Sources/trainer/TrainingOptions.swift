import ArgumentParser
import Foundation
import GumbelGAN

/// The flags that set a run's configuration: a preset, then any setting changed by a flag.
struct TrainingOptions: ParsableArguments {
    @Option(help: "Starting point: \(Preset.allCases.map(\.rawValue).joined(separator: ", ")) (default: paper-a).")
    var preset: Preset?
    @Option(parsing: .unconditional, help: "Seed of every random number: data, initialisation, noise (default: 1).") var seed: UInt64?
    @Option(parsing: .unconditional, help: "Training iterations (preset: 20000).") var iterations: Int?
    @Option(parsing: .unconditional, help: "Real examples per iteration (preset: 200; tuned: 400).") var batch: Int?
    @Option(parsing: .unconditional, help: "Generated examples per iteration (preset: 200; paper-b: 1000; tuned: 400).") var generatorBatch: Int?
    @Option(parsing: .unconditional, help: "Generator LSTM state size (preset: 10; tuned: 32).") var hidden: Int?
    @Option(parsing: .unconditional, help: "Discriminator LSTM state size (preset: as --hidden's preset).") var discriminatorHidden: Int?
    @Option(parsing: .unconditional, help: "Examples the discriminator judges together, PacGAN (preset: 1; tuned: 8).") var pack: Int?

    @Option(help: "Generator temperature schedule: linear, inverse-linear, exp, constant (preset: linear; paper-c, mle, tuned: constant).")
    var temperatureSchedule: TemperatureSchedule.Kind?
    @Option(parsing: .unconditional, help: "Generator temperature at the start (preset: 5).") var temperatureStart: Float?
    @Option(parsing: .unconditional, help: "Generator temperature at the end, and the constant one (preset: 1).") var temperatureEnd: Float?
    @Option(parsing: .unconditional, help: "Iterations over which the generator temperature moves (preset: 10000).") var temperatureSteps: Int?
    @Option(help: "Real inputs' temperature schedule.") var inputTemperatureSchedule: TemperatureSchedule.Kind?
    @Option(parsing: .unconditional, help: "Real inputs' temperature at the start (preset: 5).") var inputTemperatureStart: Float?
    @Option(parsing: .unconditional, help: "Real inputs' temperature at the end (preset: 1).") var inputTemperatureEnd: Float?
    @Option(parsing: .unconditional, help: "Iterations over which the real inputs' temperature moves (preset: 10000).") var inputTemperatureSteps:
        Int?

    @Option(help: "Generator initial state: noise, noise-h0-learned-c0, zero, learned (h0 and c0 learned; moses-*).")
    var initialState: GeneratorInitialState?
    @Option(help: "Training objective: adversarial, mle.") var objective: Objective?
    @Option(
        help:
            "What the generator feeds back and shows the discriminator: gumbel-softmax, straight-through, hard-feedback (RelGAN's: D sees the relaxed sample, the draw is fed back)."
    ) var estimator: Estimator?
    @Option(help: "How real examples are shown: smoothed (paper), one-hot.") var realEncoding: RealEncoding?
    @Option(parsing: .unconditional, help: "Probability on the true symbol of a smoothed real example (preset: 0.9).") var truthProbability: Float?
    @Option(parsing: .unconditional, help: "Adam learning rate (preset: 0.001; tuned: 0.0005 for the generator).") var learningRate: Float?
    @Option(parsing: .unconditional, help: "The discriminator's Adam learning rate (preset: as --learning-rate; tuned: 0.001).")
    var discriminatorLearningRate: Float?
    @Option(parsing: .unconditional, help: "Weight of an entropy bonus on the generator's per-step distributions (preset: 0; tuned: 0.05).")
    var entropyBonus: Float?
    @Option(parsing: .unconditional, help: "Adam beta1 (preset: 0.5).") var beta1: Float?
    @Option(parsing: .unconditional, help: "Adam beta2 (preset: 0.999).") var beta2: Float?
    @Option(help: "Fraction of the iterations, at the end, over which the learning rates fall linearly to zero (preset: 0; tuned: 1).") var decay:
        Float?
    @Option(
        parsing: .unconditional, help: "Sample from a moving average of the generator's weights with this decay, 0 for off (preset: 0; tuned: 0.999)."
    )
    var generatorAverage: Float?
    @Option(name: .customLong("init"), help: "Weight initialisation: normal, pytorch.") var initialization: InitializationScheme?
    @Option(parsing: .unconditional, help: "Standard deviation of the normal initialisation (preset: 0.01).") var initScale: Float?

    @Option(parsing: .unconditional, help: "Embed both networks' inputs with a learned [V, E] table of this size (default: 0, none).")
    var embedding: Int?
    @Option(parsing: .unconditional, help: "LSTM layers of the generator (default: 1).") var layers: Int?
    @Option(parsing: .unconditional, help: "LSTM layers of the discriminator (default: 1).") var discriminatorLayers: Int?
    @Option(
        help:
            "The discriminator: lstm (the paper's) or cnn (SeqGAN's and RelGAN's: --discriminator-hidden filters of each width, max over positions, highway; default: lstm)."
    ) var discriminator: DiscriminatorKind?
    @Option(parsing: .unconditional, help: "With --discriminator cnn: the filter widths, comma-separated (default: 2,3,4,5, RelGAN's).")
    var discriminatorWidths: String?
    @Option(
        parsing: .unconditional,
        help:
            "With --discriminator cnn: read the embedded inputs as this many equal slices of their channels, each its own input with its own logit (RelGAN's num_rep; default: 1)."
    ) var discriminatorRepresentations: Int?
    @Option(parsing: .unconditional, help: "Dropout between stacked LSTM layers, or on a CNN discriminator's features, in training (default: 0).")
    var dropout: Float?
    @Option(
        parsing: .unconditional,
        help:
            "The discriminator's own dropout; --dropout also reaches the generator's stacked layers, so --dropout 0 with this regularises the discriminator alone (default: as --dropout)."
    )
    var discriminatorDropout: Float?
    @Option(parsing: .unconditional, help: "Discriminator updates per adversarial iteration, each on new batches (default: 1).")
    var discriminatorSteps: Int?
    @Option(
        parsing: .unconditional,
        help: "Adversarial iterations at the start that train only the discriminator, against the starting generator (default: 0).")
    var discriminatorWarmup: Int?
    @Option(
        parsing: .unconditional,
        help: "Weight of the teacher-forced NLL of the real batch added to the generator's adversarial loss (default: 0).")
    var mleWeight: Float?
    @Option(
        parsing: .unconditional,
        help:
            "Weight γ of R1's penalty γ/2·‖∇ₓD‖² on the discriminator at the real examples (Mescheder et al. 2018), its gradient by central differences along ∇ₓD (default: 0, off)."
    )
    var gradientPenalty: Float?
    @Option(
        parsing: .unconditional,
        help: "Weight of R2's penalty, the same at the generated examples, where the generator reads ∇ₓD (default: 0, off).")
    var fakeGradientPenalty: Float?
    @Option(
        parsing: .unconditional,
        help: "Maximum-likelihood batches come from one of K groups of the examples sorted by length and stop at their longest (default: 0, off).")
    var lengthBuckets: Int?
    @Option(parsing: .unconditional, help: "Iterations of maximum-likelihood pre-training of the generator before the adversarial ones (default: 0).")
    var pretrainIterations: Int?
    @Option(parsing: .unconditional, help: "The pre-training's Adam learning rate (default: 0.001, beta1 0.9).") var pretrainLearningRate: Float?
    @Option(help: "Adversarial loss: standard (the paper), rsgan (relativistic, RelGAN's; needs --generator-batch = --batch).")
    var loss: AdversarialLoss?
    @Option(help: "Start the generator from this model file or run folder (same data and generator sizes).") var initGenerator: String?

    @Option(
        help:
            "A text file with one training example per line, or 'oracle' for the text benchmarks' synthetic oracle (default: the paper's grammar; moses-*: data/moses/train.txt; oracle-*: oracle)."
    )
    var data: String?
    @Option(parsing: .unconditional, help: "With --data oracle: the seed of the oracle and its sentences (default: 1).") var oracleSeed: UInt64?
    @Option(parsing: .unconditional, help: "With --data oracle: held-out sentences, for NLL-gen and the oracle's floor (default: 5000).")
    var heldOutSize: Int?
    @Option(
        parsing: .unconditional,
        help: "Sequence length: the grammar's maximum string length (12), or for --data the longest allowed line (default: the longest line).")
    var maxLength: Int?
    @Flag(help: "With --data: leave out lines longer than --max-length instead of stopping.") var skipLong = false
    @Option(help: "With --data: the symbols of a line, characters (default) or words (split at white space).")
    var tokens: Tokenization?
    @Option(parsing: .unconditional, help: "With --data: at most this many symbols; the rarest become an unknown symbol (U+FFFD).")
    var maxVocabulary: Int?
    @Option(parsing: .unconditional, help: "Grammar: number of training strings (5000).") var trainingSize: Int?
    @Option(parsing: .unconditional, help: "Grammar: probability that a node derives x (0.4).") var stopProbability: Double?
    @Option(parsing: .unconditional, help: "Grammar: depth at which every node derives x (5).") var maxDepth: Int?

    @Option(parsing: .unconditional, help: "Log losses every this many iterations (100).") var logEvery: Int?
    @Option(parsing: .unconditional, help: "Evaluate every this many iterations, and at the end (5000).") var evaluateEvery: Int?
    @Option(parsing: .unconditional, help: "Generated strings per evaluation (10000).") var evaluationSamples: Int?
    @Option(
        parsing: .unconditional,
        help:
            "Evaluations, samples.txt, and later sample and evaluate draw from softmax(logits / T) with this T; training does not use it (default: 1)."
    ) var sampleTemperature: Float?

    /// The preset's configuration (or `base`, a resumed run's) with every given flag applied,
    /// validated for `ranks` ranks; a problem names the flags (``flag(for:)``).
    func configuration(base: TrainingConfiguration? = nil, ranks: Int = 1) throws -> TrainingConfiguration {
        var c = base ?? TrainingConfiguration(preset: preset ?? .paperA, seed: seed ?? 1)
        if base != nil {
            if let preset { c.preset = preset }
            if let seed { c.seed = seed }
        }
        if let v = iterations { c.iterations = v }
        if let v = batch { c.batchSize = v }
        if let v = generatorBatch { c.generatorBatchSize = v }
        if let v = hidden {
            c.hiddenSize = v
            if discriminatorHidden == nil { c.discriminatorHiddenSize = v }
        }
        if let v = discriminatorHidden { c.discriminatorHiddenSize = v }
        if let v = pack { c.pack = v }
        apply(&c.temperature, temperatureSchedule, temperatureStart, temperatureEnd, temperatureSteps)
        apply(&c.inputTemperature, inputTemperatureSchedule, inputTemperatureStart, inputTemperatureEnd, inputTemperatureSteps)
        if let v = initialState { c.initialState = v }
        if let v = objective { c.objective = v }
        if let v = estimator { c.estimator = v }
        if let v = realEncoding { c.realEncoding = v }
        if let v = truthProbability { c.truthProbability = v }
        if let v = learningRate { c.adam.learningRate = v }
        if let v = beta1 { c.adam.beta1 = v }
        if let v = beta2 { c.adam.beta2 = v }
        if let v = discriminatorLearningRate { c.discriminatorLearningRate = v }
        if let v = entropyBonus { c.entropyBonus = v }
        if let v = decay { c.decay = v }
        if let v = generatorAverage { c.generatorAverage = v }
        if let v = initialization { c.initialization = v }
        if let v = initScale { c.initialScale = v }
        if let v = embedding { c.embeddingSize = v }
        if let v = layers { c.layers = v }
        if let v = discriminatorLayers { c.discriminatorLayers = v }
        switch (discriminator, discriminatorWidths) {
        case (.lstm, .some): throw UserError("--discriminator-widths applies to --discriminator cnn; leave it out for lstm")
        case (.lstm, nil): c.discriminatorWidths = nil
        case (.cnn, _), (nil, .some):
            if discriminator == nil && c.discriminatorWidths == nil {
                throw UserError("--discriminator-widths applies to --discriminator cnn: add --discriminator cnn")
            }
            c.discriminatorWidths = try discriminatorWidths.map(Self.widths) ?? c.discriminatorWidths ?? TrainingConfiguration.relganWidths
        case (nil, nil): break
        }
        if let v = discriminatorRepresentations { c.discriminatorRepresentations = v }
        if let v = discriminatorSteps { c.discriminatorSteps = v }
        if let v = discriminatorWarmup { c.discriminatorWarmup = v }
        if let v = mleWeight { c.mleWeight = v }
        if let v = gradientPenalty { c.gradientPenalty = v }
        if let v = fakeGradientPenalty { c.fakeGradientPenalty = v }
        if let v = lengthBuckets { c.lengthBuckets = v }
        if let v = dropout { c.dropout = v }
        if let v = discriminatorDropout { c.discriminatorDropout = v }
        if let v = pretrainIterations { c.pretrainIterations = v }
        if let v = pretrainLearningRate { c.pretrainLearningRate = v }
        if let v = loss { c.loss = v }
        if let v = initGenerator { c.initGenerator = v }
        if let v = logEvery { c.logEvery = v }
        if let v = evaluateEvery { c.evaluateEvery = v }
        if let v = evaluationSamples { c.evaluationSamples = v }
        if let v = sampleTemperature { c.sampleTemperature = v }
        // A benchmark preset trains on its own data unless --data names other data.
        var data = self.data
        if data == nil, base == nil, let source = (preset ?? .paperA).dataSource {
            switch source {
            case .oracle: data = "oracle"
            case .file(let path, _, _, _, _):
                guard FileManager.default.fileExists(atPath: path) else {
                    throw UserError(
                        "--preset \((preset ?? .paperA).rawValue) trains on \(path), which is missing: run launch/moses-data first, or give --data")
                }
                data = path
            case .grammar: break
            }
        }
        if data == "oracle" {
            for (flag, given) in [
                ("--stop-probability", stopProbability != nil), ("--max-depth", maxDepth != nil), ("--max-length", maxLength != nil),
                ("--skip-long", skipLong), ("--tokens", tokens != nil), ("--max-vocabulary", maxVocabulary != nil),
            ] where given {
                throw UserError("\(flag) does not apply to --data oracle (5,000 symbols, sentences of 20)")
            }
            c.data = .oracle(seed: oracleSeed ?? 1, size: trainingSize ?? 10_000, heldOut: heldOutSize ?? 5000)
        } else if let path = data {
            if oracleSeed != nil || heldOutSize != nil { throw UserError("--oracle-seed and --held-out-size apply to --data oracle only") }
            for (flag, given) in [
                ("--training-size", trainingSize != nil), ("--stop-probability", stopProbability != nil),
                ("--max-depth", maxDepth != nil),
            ] where given {
                throw UserError("\(flag) sets the built-in grammar data; it cannot be used with --data")
            }
            if let base, base.data.path != nil, maxLength == nil, !skipLong, tokens == nil, maxVocabulary == nil {
                c.data = base.data.reading(path)  // a resumed run's file, moved: its other settings stay
            } else {
                c.data = .file(path: path, maximumLength: maxLength, skipLong: skipLong, tokens: tokens, maximumVocabulary: maxVocabulary)
            }
        } else if base != nil
            && [trainingSize == nil, stopProbability == nil, maxDepth == nil, maxLength == nil, !skipLong, oracleSeed == nil, heldOutSize == nil]
                .allSatisfy({ $0 })
        {
            // A resumed run keeps its data.
        } else {
            for (flag, given) in [("--skip-long", skipLong), ("--tokens", tokens != nil), ("--max-vocabulary", maxVocabulary != nil)] where given {
                throw UserError("\(flag) applies to --data files only")
            }
            if oracleSeed != nil || heldOutSize != nil { throw UserError("--oracle-seed and --held-out-size apply to --data oracle only") }
            var grammar = Grammar()
            if let v = stopProbability { grammar.stopProbability = v }
            if let v = maxDepth { grammar.maximumDepth = v }
            if let v = maxLength { grammar.maximumLength = v }
            c.data = .grammar(grammar, size: trainingSize ?? 5000)
        }
        do { try c.validate(ranks: ranks) } catch let e as ConfigurationError {
            throw UserError(e.description(naming: Self.flag(for:)))
        }
        // A moved file may be named again: its lines are checked against the stored digest.
        var compared = c
        if let base, base.dataDigest != nil, let path = base.data.path, c.data.path != nil { compared.data = c.data.reading(path) }
        if let base, let (key, old, new) = base.firstDifference(from: compared, ignoring: TrainingConfiguration.changeableOnResume) {
            throw UserError(
                "--resume: the checkpoint was trained with \(key) = \(old), this run asks for \(new); only \(TrainingConfiguration.changeableOnResume.sorted().map(Self.flag(for:)).joined(separator: ", ")) may change"
            )
        }
        return c
    }

    /// The flag that sets a configuration setting (a `config.json` key).
    static func flag(for setting: String) -> String {
        let flags = [
            "batchSize": "--batch", "generatorBatchSize": "--generator-batch", "hiddenSize": "--hidden",
            "discriminatorHiddenSize": "--discriminator-hidden", "temperature": "--temperature",
            "temperature.steps": "--temperature-steps", "inputTemperature": "--input-temperature",
            "inputTemperature.steps": "--input-temperature-steps", "adam.learningRate": "--learning-rate",
            "adam.beta1": "--beta1", "adam.beta2": "--beta2", "initialScale": "--init-scale",
            "data.size": "--training-size", "data.stopProbability": "--stop-probability",
            "data.maximumDepth": "--max-depth", "data.maximumLength": "--max-length", "embeddingSize": "--embedding",
            "data.maximumVocabulary": "--max-vocabulary", "data.heldOut": "--held-out-size",
        ]
        // The others are the key in kebab case: logEvery → --log-every.
        return flags[setting] ?? "--"
            + setting.reduce(into: "") { out, ch in
                out += ch.isUppercase ? "-" + ch.lowercased() : String(ch)
            }
    }

    /// `--discriminator-widths`' list: positive integers separated by commas.
    static func widths(_ text: String) throws -> [Int] {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        let values = parts.map { Int($0) }
        guard !parts.isEmpty, values.allSatisfy({ $0 != nil }) else {
            throw UserError("--discriminator-widths must be whole numbers separated by commas, such as 2,3,4,5 (got '\(text)')")
        }
        return values.map { $0! }
    }

    private func apply(_ s: inout TemperatureSchedule, _ kind: TemperatureSchedule.Kind?, _ start: Float?, _ end: Float?, _ steps: Int?) {
        if let kind { s.kind = kind }
        if let start { s.start = start }
        if let end { s.end = end }
        if let steps { s.steps = steps }
        if kind == .constant, start == nil { s.start = s.end }
    }
}
