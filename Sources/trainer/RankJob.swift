import ArgumentParser
import Foundation
import GumbelGAN

/// What every rank runs: a session (restored from the checkpoint when resuming) and its
/// ``TrainingRun``; rank 0 observes it with the terminal's progress and the run folder.
struct RankJob: @unchecked Sendable {
    let configuration: TrainingConfiguration
    let dataset: Dataset
    let stored: StoredModel?
    /// The generator's starting weights (`--init-generator`), when not resuming.
    let initialGenerator: [Float]?
    /// The run folder, on rank 0 only.
    let folder: RunFolder?
    /// A resumed run's records up to its checkpoint (rank 0): the plot and `seconds` go on from them.
    let earlierRecords: [MetricsRecord]
    let showSamples: Int
    let keep: Int
    let schedule: TrainingSchedule
    let stop: StopSignal

    func run(communicator: Communicator) throws -> TrainingOutcome {
        let c = configuration
        let session =
            try stored?.session(configuration: c, dataset: dataset, communicator: communicator)
            ?? TrainingSession(configuration: c, dataset: dataset, communicator: communicator)
        if let initialGenerator { session.startGenerator(from: initialGenerator) }
        var observers: [TrainingObserver] = []
        var progress: ProgressReporter?
        if communicator.rank == 0, let folder {
            progress = ProgressReporter(total: c.totalIterations, first: session.completedIterations, ranks: communicator.size)
            let events = try TensorBoardEvents(folder: folder.path, resumingAfter: stored?.step)
            observers = [progress!, RunRecorder(folder: folder, showSamples: showSamples, keep: keep, events: events, earlier: earlierRecords)]
        }
        let run = TrainingRun(
            session: session, schedule: schedule, observers: observers, earlierSeconds: MetricsRecord.wallSeconds(earlierRecords),
            stopRequested: { stop.signal != nil })
        let outcome = try run.run()
        if outcome == .finished, let progress, let folder {
            // Evaluation is timed apart: scoring a large data set can take longer than training.
            let total = Date().timeIntervalSince(progress.progress.start)
            let (training, iterations) = (total - run.evaluationSeconds, c.totalIterations - progress.progress.first)
            say(
                String(
                    format: "train: done, %d iteration%@ in %.1f s (%.2f ms each), evaluation %.1f s; wrote %@",
                    iterations, iterations == 1 ? "" : "s", training, 1000 * training / Double(max(iterations, 1)),
                    run.evaluationSeconds, folder.path))
            // A stop during the final evaluation: the model is whole, the exit status says stopped.
            if run.interruptedEvaluation == c.totalIterations { return .stopped(step: c.totalIterations) }
        }
        return outcome
    }

    func stoppedMessage(step: Int) -> String {
        if step == configuration.totalIterations, let folder {
            return
                "train: a signal stopped the final evaluation; the model is complete (\(folder.modelPath)); score it with: trainer evaluate --run \(folder.path)"
        }
        return
            "train: stopped by a signal after iteration \(step); checkpoint \(folder?.checkpointPath(step: step) ?? "written by rank 0"); continue with --resume"
    }
}
