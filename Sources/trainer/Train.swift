import ArgumentParser
import Foundation
import GumbelGAN

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a model (default: the paper's experiment, preset paper-a, on its grammar data).",
        discussion: "Writes a run folder: config.json, train.txt, metrics.jsonl, losses.svg, samples.txt, model.safetensors.")

    @OptionGroup var options: TrainingOptions
    @Option(help: "The run folder (default: runs/<preset>-<date>-<time>).") var runDir: String?
    @Option(help: "Generated strings written to samples.txt.") var showSamples = 100

    func run() throws {
        setBLASThreads(1)
        let c = try options.configuration()
        let dataset = try reportingErrors { try Dataset.load(c.data, seed: c.seed) }
        if dataset.skippedLong > 0 { print("data: left out \(dataset.skippedLong) lines longer than \(dataset.length) (--skip-long)") }
        let folder = try reportingErrors { try RunFolder(creating: runDir ?? Self.defaultFolder(c.preset)) }
        try reportingErrors {
            try folder.write(configuration: c)
            try folder.write(lines: dataset.strings, to: "train.txt")
        }
        let session = TrainingSession(configuration: c, dataset: dataset)
        print("train: \(c.preset.rawValue), \(c.objective.rawValue), \(dataset.strings.count) strings of length ≤ \(dataset.length) over \(dataset.vocabulary.count) symbols, \(c.iterations) iterations, seed \(c.seed) → \(folder.path)")

        var progress = Progress(total: c.iterations)
        var interval = IntervalFigures()
        var records: [MetricsRecord] = []
        for _ in 0..<c.iterations {
            let report = session.iterate()
            let finite = interval.add(report)
            guard finite else {
                throw UserError("iteration \(report.step): a loss is not finite; lower --learning-rate or change the temperature schedule (the model file was not written)")
            }
            let step = report.step
            progress.update(step: step, summary: interval.summary)
            guard step % c.logEvery == 0 || step % c.evaluateEvery == 0 || step == c.iterations else { continue }
            var record = interval.record(step: step, tau: report.temperature, seconds: Date().timeIntervalSince(progress.start),
                                         communicator: session.communicator)
            interval = IntervalFigures()
            if step % c.evaluateEvery == 0 || step == c.iterations {
                record.evaluation = session.evaluate(count: c.evaluationSamples)
                progress.log(Self.describe(record.evaluation!, step: step))
            } else if !progress.interactive {
                progress.log(Self.describe(record))
            }
            records.append(record)
            try reportingErrors { try folder.append(record) }
        }
        progress.finish()
        try reportingErrors {
            try ModelFile.write(session, to: folder.modelPath)
            try folder.write(lines: session.sample(count: showSamples, seed: c.seed ^ 0xF1_6004), to: "samples.txt")
            try folder.writePlot(records, title: "\(c.preset.rawValue): losses (Figure 3)")
        }
        let seconds = Date().timeIntervalSince(progress.start)
        print(String(format: "train: done in %.1f s (%.2f ms per iteration); wrote %@", seconds, 1000 * seconds / Double(c.iterations), folder.path))
    }

    static func defaultFolder(_ preset: Preset) -> String {
        let f = DateFormatter()
        f.dateFormat = "yyyyMMdd-HHmmss"
        return "runs/\(preset.rawValue)-\(f.string(from: Date()))"
    }

    static func describe(_ r: MetricsRecord) -> String {
        var s = String(format: "step %6d  tau %.3f", r.step, r.tau)
        if let d = r.lossD, let g = r.lossG, let dr = r.dReal, let df = r.dFake {
            s += String(format: "  loss_d %.4f  loss_g %.4f  d_real %.3f  d_fake %.3f", d, g, dr, df)
        }
        if let nll = r.nll { s += String(format: "  nll %.4f", nll) }
        return s
    }

    static func describe(_ e: Evaluation, step: Int) -> String {
        let m = e.samples
        var s = String(format: "eval %6d  validity %.3f  uniqueness %.3f  novelty %.3f  coverage %.3f  length_js %.3f  bigram_js %.3f",
                       step, m.validity, m.uniqueness, m.novelty, m.coverage, m.lengthJS, m.bigramJS)
        if let t = e.trainingNLL { s += String(format: "  train_nll %.4f", t) }
        if let h = e.heldOutNLL { s += String(format: "  heldout_nll %.4f", h) }
        return s
    }
}

