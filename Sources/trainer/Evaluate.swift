import ArgumentParser
import Foundation
import GumbelGAN

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate a trained model: validity, uniqueness, novelty, coverage, JS distances (and NLL for mle).")

    @Option(name: [.customLong("run"), .customLong("checkpoint")], help: "A run folder written by `trainer train`, or a model or checkpoint file.") var runFolder: String
    @Option(help: "Generated strings to score (default: the run's --evaluation-samples).") var samples: Int?

    func run() throws {
        setBLASThreads(1)
        let session = try loadSession(runFolder)
        let count = samples ?? session.configuration.evaluationSamples
        guard count >= 1 else { throw UserError("--samples must be at least 1 (got \(count))") }
        print(Train.describe(session.evaluate(count: count), step: session.completedIterations))
    }
}

struct Table: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a Markdown table of the final evaluations of run folders.")

    @Argument(help: "Run folders.") var runs: [String]

    func run() throws {
        print("| run | preset | seed | iterations | validity | uniqueness | novelty | coverage | length JS | bigram JS | NLL train / held-out |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        for path in runs {
            let folder = try reportingErrors { try RunFolder(existing: path) }
            let c = try reportingErrors { try folder.readConfiguration() }
            guard let last = try reportingErrors({ try folder.readMetrics() }).last(where: { $0.evaluation != nil }),
                  let e = last.evaluation else {
                throw UserError("\(folder.metricsPath): no evaluation yet; let the run finish")
            }
            let m = e.samples
            let nll = e.trainingNLL.map { t in String(format: "%.3f / %@", t, e.heldOutNLL.map { String(format: "%.3f", $0) } ?? "–") } ?? "–"
            print(String(format: "| %@ | %@ | %llu | %d | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %@ |",
                         (path as NSString).lastPathComponent, c.preset.rawValue, c.seed, last.step,
                         m.validity, m.uniqueness, m.novelty, m.coverage, m.lengthJS, m.bigramJS, nll))
        }
    }
}
