import ArgumentParser
import Foundation
import GumbelGAN

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Evaluate a trained model: validity, uniqueness, novelty, coverage, JS distances (and NLL for mle; the discriminator's d_real and d_fake for a GAN)."
    )

    @Option(
        name: [.customLong("run"), .customLong("checkpoint")],
        help: "A run folder (its newest model or checkpoint), or a model or checkpoint file.")
    var model: String
    @Option(parsing: .unconditional, help: "Generated strings to score (default: the run's --evaluation-samples).") var samples: Int?
    @Option(
        parsing: .unconditional,
        help:
            "Sampling temperature T: score the model softmax(logits / T), its samples and its NLLs; below 1 sharper (an MLE model's quality–diversity curve) (default: the run's --sample-temperature, 1)."
    ) var temperature: Float?
    @Option(
        parsing: .unconditional,
        help:
            "Draw the scored samples from this seed instead of the run's own evaluation draws (the same every time): several seeds show the metrics' sampling noise."
    ) var sampleSeed: UInt64?

    func validate() throws {
        if let samples, samples < 1 { throw ValidationError("--samples must be at least 1 (got \(samples))") }
        try TemperatureOption.validate(temperature)
    }

    /// What the validity of a user's file means, and where chemistry's is (`run`: the run to score).
    static func fileValidityNote(_ run: String) -> String {
        "note: for a user's file validity means no padding inside; for molecules, launch/moses-eval \(run) scores RDKit validity and MOSES's metrics"
    }

    /// The discriminator's verdict on the model, for an adversarial run.
    static func discriminatorLine(_ d: (real: Double, fake: Double, examples: Int)) -> String {
        String(
            format:
                "discriminator  d_real %.3f  d_fake %.3f  (mean σ over %d training strings and %d generated, no dropout; 0.5 and 0.5: it cannot tell them apart)",
            d.real, d.fake, d.examples, d.examples)
    }

    func run() throws {
        setBLASThreads(1)
        let stored = try StoredModel.locate(model)
        var c = stored.configuration
        c.evaluationSamples = samples ?? c.evaluationSamples
        let length = Int(stored.tensors.metadata["length"] ?? "") ?? 0
        try MemoryLimit.require(
            MemoryEstimate.evaluationBytes(count: c.evaluationSamples, length: length) + 200e6, limit: MemoryLimit.bytes(gigabytes: nil),
            "this evaluation", "--samples \(c.evaluationSamples) of length \(length)")
        let session = try stored.session(configuration: c)
        if case .file = session.configuration.data { printError(Self.fileValidityNote(model)) }
        try writeStandardOutput(
            MetricsText.line(
                session.evaluate(count: c.evaluationSamples, temperature: temperature, sampleSeed: sampleSeed),
                step: session.completedIterations) + "\n")
        if let d = session.discriminatorScore(
            count: c.evaluationSamples, seed: sampleSeed ?? SampleSeed.evaluation(of: c.seed), temperature: temperature)
        {
            try writeStandardOutput(Self.discriminatorLine(d) + "\n")
        }
    }
}
