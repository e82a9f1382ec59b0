import ArgumentParser
import Foundation
import GumbelGAN

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate a trained model: validity, uniqueness, novelty, coverage, JS distances (and NLL for mle).")

    @Option(
        name: [.customLong("run"), .customLong("checkpoint")],
        help: "A run folder (its newest model or checkpoint), or a model or checkpoint file.")
    var model: String
    @Option(parsing: .unconditional, help: "Generated strings to score (default: the run's --evaluation-samples).") var samples: Int?

    func validate() throws {
        if let samples, samples < 1 { throw ValidationError("--samples must be at least 1 (got \(samples))") }
    }

    func run() throws {
        setBLASThreads(1)
        let session = try StoredModel.locate(model).session()
        if case .file = session.configuration.data {
            printError(
                "note: for a user's file validity means no padding inside; for molecules, launch/moses-eval \(model) scores RDKit validity and MOSES's metrics"
            )
        }
        try writeStandardOutput(
            MetricsText.line(
                session.evaluate(count: samples ?? session.configuration.evaluationSamples),
                step: session.completedIterations) + "\n")
    }
}
