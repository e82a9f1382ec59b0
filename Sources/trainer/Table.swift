import ArgumentParser
import Foundation
import GumbelGAN

struct Table: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a Markdown table of the final evaluations of run folders.")

    @Argument(help: "Run folders.") var runs: [String]

    func run() throws {
        var lines = [
            "| run | preset | seed | iterations | validity | uniqueness | novelty | coverage | length JS | bigram JS | NLL train / held-out |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for path in runs {
            let folder = try RunFolder(existing: path)
            let c = try folder.readConfiguration()
            guard let last = try folder.readMetrics().last(where: { $0.evaluation != nil }), let e = last.evaluation else {
                throw UserError("\(folder.metricsPath): no evaluation yet; let the run finish")
            }
            let m = e.samples
            let nll = e.trainingNLL.map { t in String(format: "%.3f / %@", t, e.heldOutNLL.map { String(format: "%.3f", $0) } ?? "–") } ?? "–"
            lines.append(
                String(
                    format: "| %@ | %@ | %llu | %d | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %@ |",
                    (path as NSString).lastPathComponent, c.preset.rawValue, c.seed, last.step,
                    m.validity, m.uniqueness, m.novelty, m.coverage, m.lengthJS, m.bigramJS, nll))
        }
        try writeStandardOutput(lines.map { $0 + "\n" }.joined())
    }
}
