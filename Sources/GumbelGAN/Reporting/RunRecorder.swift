import Foundation

/// Writes a run's events into its run folder (on rank 0): checkpoints (the newest `keep`
/// kept), each logged record to `metrics.jsonl`; at every evaluation `showSamples`
/// generated strings in `samples-<step>.txt` and the plots so far (losses; on oracle data
/// NLL-oracle and NLL-gen), so that a run can
/// be judged before it ends; at the end the model, `samples.txt` and the plot. With `events`,
/// the records' figures and the samples also go to a TensorBoard event file.
public final class RunRecorder: TrainingObserver {
    public let folder: RunFolder
    public let showSamples: Int
    public let keep: Int
    /// The run's records (the plot's points): a resumed run's earlier ones, then this process's.
    public private(set) var records: [MetricsRecord]

    /// Where TensorBoard's copy of the records and samples goes, when wanted.
    public let events: TensorBoardEvents?

    /// `earlier`: a resumed run's records up to its checkpoint (``RunFolder/truncateMetrics(after:)``).
    public init(folder: RunFolder, showSamples: Int, keep: Int, events: TensorBoardEvents? = nil, earlier: [MetricsRecord] = []) {
        self.folder = folder
        self.records = earlier
        self.showSamples = showSamples
        self.keep = keep
        self.events = events
    }

    public func trainingRun(_ run: TrainingRun, didReach event: TrainingEvent) throws {
        let session = run.session
        switch event {
        case .checkpoint(let step):
            try ModelFile.write(session, to: folder.checkpointPath(step: step))
            folder.pruneCheckpoints(keep: keep)
        case .logged(let record):
            records.append(record)
            try folder.append(record)
            try events?.scalars(Self.scalars(record), step: record.step)
            if record.evaluation != nil {
                let c = session.configuration
                let samples = session.sample(count: showSamples, seed: SampleSeed.showcase(of: c.seed))
                try folder.write(lines: samples, to: "samples-\(record.step).txt")
                try events?.text("samples", samples.map { "    " + $0 }.joined(separator: "\n"), step: record.step)
                try writePlots(c)
            }
        case .finished:
            let c = session.configuration
            try ModelFile.write(session, to: folder.modelPath)
            try folder.write(
                lines: session.sample(count: showSamples, seed: SampleSeed.showcase(of: c.seed)), to: "samples.txt")
            try writePlots(c)
        case .iterated, .stopped:
            break
        }
    }

    /// A record's figures under TensorBoard tags (`loss/…`, `D/…`, `eval/…`).
    static func scalars(_ r: MetricsRecord) -> [(tag: String, value: Double)] {
        var out: [(String, Double?)] = [
            ("tau", Double(r.tau)), ("loss/discriminator", r.lossD), ("loss/generator", r.lossG), ("D/real", r.dReal),
            ("D/fake", r.dFake), ("D/grad_real", r.dGradient), ("D/grad_fake", r.dGradientFake), ("loss/nll", r.nll),
        ]
        if let e = r.evaluation {
            let m = e.samples
            out += [
                ("eval/validity", m.validity), ("eval/uniqueness", m.uniqueness), ("eval/novelty", m.novelty), ("eval/coverage", m.coverage),
                ("eval/length_js", m.lengthJS), ("eval/bigram_js", m.bigramJS), ("eval/train_nll", e.trainingNLL),
                ("eval/heldout_nll", e.heldOutNLL), ("eval/nll_oracle", e.oracleNLL), ("eval/nll_oracle_floor", e.oracleFloor),
            ]
        }
        return out.compactMap { tag, value in value.map { (tag, $0) } }
    }

    private func writePlots(_ c: TrainingConfiguration) throws {
        try folder.writePlot(records, title: "\(c.preset.rawValue): losses (Figure 3)")
        try folder.writeOraclePlot(records, title: "\(c.preset.rawValue): NLL-oracle and NLL-gen")
    }
}
