import GumbelGAN

/// Shows a run on standard output (rank 0): the progress line every iteration, a plain line
/// per log step when the output is not a terminal, and every evaluation.
final class ProgressReporter: TrainingObserver {
    private(set) var progress: Progress
    /// With one rank the progress line shows this rank's figures since the last log step;
    /// with more, the last global figures (a rank's own are only its shard's).
    let ranks: Int

    init(total: Int, first: Int, ranks: Int) {
        progress = Progress(total: total, first: first)
        self.ranks = ranks
    }

    func trainingRun(_ run: TrainingRun, didReach event: TrainingEvent) throws {
        switch event {
        case .iterated(let step, let interval, let lastLogged):
            progress.update(step: step, summary: ranks == 1 ? MetricsText.short(interval) : lastLogged.map(MetricsText.short) ?? "")
        case .logged(let record):
            if let evaluation = record.evaluation {
                progress.log(MetricsText.line(evaluation, step: record.step))
            } else if !progress.interactive {
                progress.log(MetricsText.line(record) + "  " + progress.rate(step: record.step))
            }
        case .stopped, .finished:
            progress.finish()
        case .checkpoint:
            break
        }
    }
}
