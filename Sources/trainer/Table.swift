import ArgumentParser
import Foundation
import GumbelGAN

struct Table: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a Markdown table of the final evaluations of run folders.")

    @Argument(help: "Run folders.") var runs: [String]

    func run() throws {
        let folders = try runs.map { try RunFolder(existing: $0) }
        let records = try folders.map { try $0.readMetrics() }
        if records.contains(where: { $0.contains { $0.evaluation?.oracleNLL != nil } }) {
            return try writeStandardOutput(oracleTable(folders, records).map { $0 + "\n" }.joined())
        }
        var lines = [
            "| run | preset | seed | iterations | validity | uniqueness | novelty | coverage | length JS | bigram JS | NLL train / held-out |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for (path, (folder, metrics)) in zip(runs, zip(folders, records)) {
            let c = try folder.readConfiguration()
            let (last, e) = try finalEvaluation(folder, metrics)
            let m = e.samples
            let nll = e.trainingNLL.map { t in String(format: "%.3f / %@", t, e.heldOutNLL.map { String(format: "%.3f", $0) } ?? "–") } ?? "–"
            lines.append(
                String(
                    format: "| %@ | %@ | %llu | %d | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %@ |",
                    (path as NSString).lastPathComponent, Self.label(c.preset, e), c.seed, last.step,
                    m.validity, m.uniqueness, m.novelty, m.coverage, m.lengthJS, m.bigramJS, nll))
        }
        try writeStandardOutput(lines.map { $0 + "\n" }.joined())
    }

    /// The preset, and the sampling temperature when the evaluation was not drawn at 1.
    private static func label(_ preset: Preset, _ e: Evaluation) -> String {
        preset.rawValue + (e.temperature.map { " at T \($0)" } ?? "")
    }

    private func finalEvaluation(_ folder: RunFolder, _ metrics: [MetricsRecord]) throws -> (MetricsRecord, Evaluation) {
        guard let last = metrics.last(where: { $0.evaluation != nil }), let e = last.evaluation else {
            throw UserError("\(folder.metricsPath): no evaluation yet; let the run finish")
        }
        return (last, e)
    }

    /// The text oracle's benchmark: the final NLL-oracle and NLL-gen, the lowest NLL-oracle of
    /// the run (with its NLL-gen: the trade-off), the floor and the run's wall time.
    private func oracleTable(_ folders: [RunFolder], _ records: [[MetricsRecord]]) throws -> [String] {
        var lines = [
            "| run | preset | seed | iterations (pre-training + main) | NLL-oracle | NLL-gen | lowest NLL-oracle (NLL-gen, step) | floor | wall time |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        func nats(_ v: Double?) -> String { v.map { String(format: "%.3f", $0) } ?? "–" }
        for (folder, metrics) in zip(folders, records) {
            let c = try folder.readConfiguration()
            let (last, e) = try finalEvaluation(folder, metrics)
            let lowest = metrics.filter { $0.evaluation?.oracleNLL != nil }.min { $0.evaluation!.oracleNLL! < $1.evaluation!.oracleNLL! }
            let trade = lowest.map { "\(nats($0.evaluation?.oracleNLL)) (\(nats($0.evaluation?.heldOutNLL)), \($0.step))" } ?? "–"
            let minutes = MetricsRecord.wallSeconds(metrics) / 60
            lines.append(
                "| \((folder.path as NSString).lastPathComponent) | \(Self.label(c.preset, e)) | \(c.seed) | \(c.pretraining) + \(last.step - c.pretraining) "
                    + "| \(nats(e.oracleNLL)) | \(nats(e.heldOutNLL)) | \(trade) | \(nats(e.oracleFloor)) | \(String(format: "%.0f min", minutes)) |")
        }
        return lines
    }
}
