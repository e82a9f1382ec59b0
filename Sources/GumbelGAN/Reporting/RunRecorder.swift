import Foundation

/// Writes a run's events into its run folder (on rank 0): checkpoints (the newest `keep`
/// kept), each logged record to `metrics.jsonl`; at every evaluation `showSamples`
/// generated strings in `samples-<step>.txt` and the plots so far (losses; on oracle data
/// NLL-oracle and NLL-gen), so that a run can
/// be judged before it ends; at the end the model, `samples.txt` and the plot.
public final class RunRecorder: TrainingObserver {
    public let folder: RunFolder
    public let showSamples: Int
    public let keep: Int
    /// The records this process logged (the plot's points).
    public private(set) var records: [MetricsRecord] = []

    public init(folder: RunFolder, showSamples: Int, keep: Int) {
        self.folder = folder
        self.showSamples = showSamples
        self.keep = keep
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
            if record.evaluation != nil {
                let c = session.configuration
                let samples = session.sample(count: showSamples, seed: SampleSeed.showcase(of: c.seed))
                try folder.write(lines: samples, to: "samples-\(record.step).txt")
                try writePlots(c)
            }
        case .finished:
            let c = session.configuration
            try ModelFile.write(session, to: folder.modelPath)
            try folder.write(lines: session.sample(count: showSamples, seed: SampleSeed.showcase(of: c.seed)), to: "samples.txt")
            try writePlots(c)
        case .iterated, .stopped:
            break
        }
    }

    private func writePlots(_ c: TrainingConfiguration) throws {
        try folder.writePlot(records, title: "\(c.preset.rawValue): losses (Figure 3)")
        try folder.writeOraclePlot(records, title: "\(c.preset.rawValue): NLL-oracle and NLL-gen")
    }
}
