import Foundation

extension TrainingConfiguration {
    /// Checks every setting, whatever its source (flags, `config.json`, a checkpoint), before
    /// anything is allocated; with `ranks`, also that every rank gets at least one pack of
    /// each batch. Throws the first problem.
    public func validate(ranks: Int = 1) throws {
        let positive: [(String, Int)] = [
            ("iterations", iterations), ("batchSize", batchSize),
            ("generatorBatchSize", generatorBatchSize), ("hiddenSize", hiddenSize),
            ("discriminatorHiddenSize", discriminatorHiddenSize), ("logEvery", logEvery),
            ("evaluateEvery", evaluateEvery), ("evaluationSamples", evaluationSamples),
            ("pack", pack),
        ]
        for (key, value) in positive where value < 1 { throw ConfigurationError([key], "%0 must be at least 1 (got \(value))") }
        if batchSize % pack != 0 || generatorBatchSize % pack != 0 {
            throw ConfigurationError(
                ["batchSize", "generatorBatchSize", "pack"],
                "%0 (\(batchSize)) and %1 (\(generatorBatchSize)) must be multiples of %2 (\(pack))")
        }
        for (key, schedule) in [("temperature", temperature), ("inputTemperature", inputTemperature)] {
            if !(schedule.start > 0 && schedule.end > 0 && schedule.start.isFinite && schedule.end.isFinite) {
                throw ConfigurationError([key], "%0 temperatures must be positive (got \(schedule.start) → \(schedule.end))")
            }
            if schedule.kind != .constant && schedule.steps < 1 {
                throw ConfigurationError([key + ".steps"], "%0 must be at least 1 for a \(schedule.kind.rawValue) schedule (got \(schedule.steps))")
            }
        }
        func require(_ ok: Bool, _ keys: [String], _ message: String) throws {
            if !ok { throw ConfigurationError(keys, message) }
        }
        try require(truthProbability > 0 && truthProbability < 1, ["truthProbability"], "%0 must lie in (0, 1) (got \(truthProbability))")
        try require(
            adam.learningRate > 0 && adam.learningRate.isFinite, ["adam.learningRate"], "%0 must be positive and finite (got \(adam.learningRate))")
        try require(
            adam.beta1 >= 0 && adam.beta1 < 1 && adam.beta2 >= 0 && adam.beta2 < 1, ["adam.beta1", "adam.beta2"],
            "%0 and %1 must lie in [0, 1) (got \(adam.beta1), \(adam.beta2))")
        if let d = discriminatorLearningRate {
            try require(d > 0 && d.isFinite, ["discriminatorLearningRate"], "%0 must be positive and finite (got \(d))")
        }
        try require(entropyBonus >= 0 && entropyBonus.isFinite, ["entropyBonus"], "%0 must be at least 0 (got \(entropyBonus))")
        try require(decay >= 0 && decay <= 1, ["decay"], "%0 must lie in [0, 1] (got \(decay))")
        try require(generatorAverage >= 0 && generatorAverage < 1, ["generatorAverage"], "%0 must lie in [0, 1) (got \(generatorAverage))")
        try require(
            Self.isSamplingTemperature(logitTemperature), ["sampleTemperature"],
            "%0 must lie in \(Self.samplingTemperatures) (got \(logitTemperature))")
        try require(initialScale > 0 && initialScale.isFinite, ["initialScale"], "%0 must be positive (got \(initialScale))")
        if case .grammar(let g, let size) = data {
            try require(size >= 1, ["data.size"], "%0 must be at least 1 (got \(size))")
            try require(g.stopProbability > 0 && g.stopProbability <= 1, ["data.stopProbability"], "%0 must lie in (0, 1] (got \(g.stopProbability))")
            try require(g.maximumDepth >= 0, ["data.maximumDepth"], "%0 must be at least 0 (got \(g.maximumDepth))")
            try require(g.maximumLength >= 1, ["data.maximumLength"], "%0 must be at least 1 (got \(g.maximumLength))")
            // Strings too long are drawn again: settings that almost never give a short one would never end.
            let acceptance = g.acceptance
            try require(
                acceptance >= 0.01, ["data.stopProbability", "data.maximumDepth", "data.maximumLength"],
                "%0 \(g.stopProbability) and %1 \(g.maximumDepth) give a string of at most %2 \(g.maximumLength) symbols in "
                    + String(format: "%.2g", acceptance * 100) + "% of draws (at least 1% needed); raise %0 or %2, or lower %1")
        }
        if case .oracle(_, let size, let heldOut) = data {
            try require(size >= 1 && size <= 10_000_000, ["data.size"], "%0 must lie in [1, 10000000] (got \(size))")
            try require(heldOut >= 1 && heldOut <= 1_000_000, ["data.heldOut"], "%0 must lie in [1, 1000000] (got \(heldOut))")
        }
        if case .file(_, let maximumLength, _, _, let maximumVocabulary) = data {
            if let maximumLength { try require(maximumLength >= 1, ["data.maximumLength"], "%0 must be at least 1 (got \(maximumLength))") }
            if let maximumVocabulary {
                try require(
                    maximumVocabulary >= 3, ["data.maximumVocabulary"],
                    "%0 must be at least 3: padding, unknown and a symbol (got \(maximumVocabulary))")
            }
        }
        try require(embedding >= 0 && embedding <= 65_536, ["embeddingSize"], "%0 must lie in [0, 65536] (got \(embedding))")
        for (key, value) in [("layers", generatorLayers), ("discriminatorLayers", discriminatorLayerCount)] {
            try require(value >= 1 && value <= 64, [key], "%0 must lie in [1, 64] (got \(value))")
        }
        try require(dropoutProbability >= 0 && dropoutProbability < 1, ["dropout"], "%0 must lie in [0, 1) (got \(dropoutProbability))")
        try require(
            discriminatorStepCount >= 1 && discriminatorStepCount <= AdversarialStep.maximumSubsteps, ["discriminatorSteps"],
            "%0 must lie in [1, \(AdversarialStep.maximumSubsteps)] (got \(discriminatorStepCount))")
        let widths = convolutionWidths
        try require(
            discriminatorWidths == nil || (!widths.isEmpty && widths.count <= 64), ["discriminatorWidths"],
            "%0 needs 1 to 64 widths (got \(widths.count))")
        try require(
            widths.allSatisfy { $0 >= 1 && $0 <= 65_536 }, ["discriminatorWidths"],
            "%0 must each lie in [1, the sequence length] (got \(widths.map(String.init).joined(separator: ",")))")
        try require(
            widths.isEmpty || objective == .adversarial, ["discriminatorWidths", "objective"],
            "a CNN discriminator (%0) is for adversarial runs; with %1 mle there is no discriminator: leave out --discriminator")
        try require(
            widths.isEmpty || discriminatorLayers == nil || discriminatorLayerCount == 1, ["discriminatorLayers", "discriminatorWidths"],
            "%0 stacks LSTM layers; the CNN discriminator (%1) has none: leave %0 out")
        try require(
            widths.isEmpty || discriminatorHiddenSize * widths.count <= 65_536, ["discriminatorHiddenSize", "discriminatorWidths"],
            "%0 (\(discriminatorHiddenSize) filters per width) times the \(widths.count) of %1 must be at most 65536 features")
        let r = representationCount
        try require(r >= 1 && r <= 65_536, ["discriminatorRepresentations"], "%0 must lie in [1, 65536] (got \(r))")
        try require(
            r == 1 || (!widths.isEmpty && embedding > 0), ["discriminatorRepresentations", "discriminatorWidths", "embeddingSize"],
            "%0 slices a CNN discriminator's embedded inputs: it needs %1 (--discriminator cnn) and %2 above 0")
        try require(
            r == 1 || (pack * embedding) % r == 0, ["discriminatorRepresentations", "embeddingSize"],
            "%0 (\(r)) must divide the discriminator's \(pack * embedding) embedded channels (%1 \(embedding) times the pack \(pack))")
        try require(
            dropoutProbability == 0 || generatorLayers > 1 || (objective == .adversarial && (discriminatorLayerCount > 1 || !widths.isEmpty)),
            ["dropout", "layers", "discriminatorLayers"],
            "%0 acts between stacked layers: set %1 or %2 above 1, or leave %0 at 0 (a CNN discriminator's features take it too)")
        let dd = discriminatorDropoutProbability
        try require(dd >= 0 && dd < 1, ["discriminatorDropout"], "%0 must lie in [0, 1) (got \(dd))")
        try require(
            discriminatorDropout == nil || (objective == .adversarial && (discriminatorLayerCount > 1 || !widths.isEmpty)),
            ["discriminatorDropout", "discriminatorLayers"],
            "%0 acts between a discriminator's stacked layers or on a CNN discriminator's features: set %1 above 1 or --discriminator cnn in an adversarial run"
        )
        try require(pretraining >= 0, ["pretrainIterations"], "%0 must be at least 0 (got \(pretraining))")
        try require(
            discriminatorWarmupIterations >= 0 && discriminatorWarmupIterations < iterations, ["discriminatorWarmup", "iterations"],
            "%0 must lie in [0, %1) (got \(discriminatorWarmupIterations) of \(iterations))")
        try require(
            discriminatorWarmupIterations == 0 || objective == .adversarial, ["discriminatorWarmup", "objective"],
            "%0 trains the discriminator of an adversarial run; with %1 mle there is none")
        try require(likelihoodWeight >= 0 && likelihoodWeight.isFinite, ["mleWeight"], "%0 must be at least 0 (got \(likelihoodWeight))")
        try require(
            likelihoodWeight == 0 || objective == .adversarial, ["mleWeight", "objective"],
            "%0 mixes likelihood into an adversarial generator's loss; with %1 mle the loss is all likelihood")
        for (key, weight) in [("gradientPenalty", penaltyWeight), ("fakeGradientPenalty", fakePenaltyWeight)] {
            try require(weight >= 0 && weight.isFinite, [key], "%0 must be at least 0 (got \(weight))")
            try require(
                weight == 0 || objective == .adversarial, [key, "objective"],
                "%0 regularises the discriminator of an adversarial run; with %1 mle there is none")
        }
        try require(
            lengthBucketCount >= 0 && lengthBucketCount <= 65_536, ["lengthBuckets"],
            "%0 must lie in [0, 65536] (got \(lengthBucketCount))")
        try require(
            lengthBucketCount == 0 || objective == .maximumLikelihood || pretraining > 0, ["lengthBuckets", "objective", "pretrainIterations"],
            "%0 groups maximum-likelihood batches; this run has none: use %1 mle or %2, or leave %0 at 0")
        try require(
            pretraining == 0 || objective == .adversarial, ["pretrainIterations", "objective"],
            "%0 pre-trains the generator of an adversarial run; with %1 mle, raise --iterations instead")
        if let rate = pretrainLearningRate {
            try require(rate > 0 && rate.isFinite, ["pretrainLearningRate"], "%0 must be positive and finite (got \(rate))")
        }
        try require(
            adversarialLoss != .rsgan || batchSize == generatorBatchSize, ["loss", "batchSize", "generatorBatchSize"],
            "%0 rsgan pairs real and generated examples: %1 (\(batchSize)) and %2 (\(generatorBatchSize)) must be equal")
        let unit = objective == .adversarial ? pack : 1
        for (key, rows) in [("batchSize", batchSize), ("generatorBatchSize", generatorBatchSize)]
        where rows / unit < ranks && (key == "batchSize" || objective == .adversarial) {
            throw ConfigurationError([key], "%0 \(rows) is smaller than the \(ranks) ranks (in whole packs); raise %0 or use fewer ranks")
        }
    }

    /// Checks the settings that depend on the training data, once it is read: `examples`
    /// training examples of `length` symbols.
    public func validate(examples: Int, length: Int) throws {
        if let wide = convolutionWidths.first(where: { $0 > length }) {
            throw ConfigurationError(["discriminatorWidths"], "%0: a filter of width \(wide) is longer than the sequences (\(length) symbols)")
        }
        if lengthBucketCount > examples {
            throw ConfigurationError(
                ["lengthBuckets"],
                "%0 (\(lengthBucketCount)) must not exceed the training examples (\(examples)); set a smaller %0, or 0 for none"
                    + (preset == .mosesMLE ? " (the moses-mle preset sets 8)" : ""))
        }
    }
}
