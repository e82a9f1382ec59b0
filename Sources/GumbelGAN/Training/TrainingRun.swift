import Foundation

/// A training run on one rank: the session's iterations on their schedule, from the
/// session's completed iterations to the configured count. The whole procedure is
/// ``run()``; everything a rank prints or writes is an observer's (``TrainingEvent``).
///
/// Every rank of a job runs this with its own session and makes the same collective calls
/// in the same order, or the job would hang. Per iteration: the two gradient allreduces
/// inside ``TrainingSession/iterate()``, then one tiny allreduce of two flags (a non-finite
/// loss, when checked every iteration; a stop request), so that every rank acts on them
/// after the same iteration. Every `checkReplicasEvery` iterations and at the end, the
/// replica check; at log steps, the interval's figures. Rank 0 alone evaluates; observers
/// run on the rank they were given to (a program gives them to rank 0).
public final class TrainingRun {
    public let session: TrainingSession
    public let schedule: TrainingSchedule
    public let observers: [TrainingObserver]
    let stopRequested: () -> Bool
    /// When ``run()`` began (the `seconds` of the metrics records count from here, after
    /// ``earlierSeconds``).
    public private(set) var started = Date()
    /// A resumed run's seconds before this process: its last kept record's `seconds`, so that
    /// they run on across pieces (the time between that record and the checkpoint is lost).
    public let earlierSeconds: Double
    /// Seconds of ``run()`` spent evaluating (the rest is training, checkpoints included).
    public private(set) var evaluationSeconds = 0.0
    /// The step whose evaluation a stop request cut short, if any (rank 0).
    public private(set) var interruptedEvaluation: Int?

    /// `stopRequested` is asked after every iteration (a signal handler's flag).
    public init(
        session: TrainingSession, schedule: TrainingSchedule = TrainingSchedule(), observers: [TrainingObserver] = [],
        earlierSeconds: Double = 0, stopRequested: @escaping () -> Bool = { false }
    ) {
        self.session = session
        self.earlierSeconds = earlierSeconds
        self.schedule = schedule
        self.observers = observers
        self.stopRequested = stopRequested
    }

    private func report(_ event: TrainingEvent) throws {
        for observer in observers { try observer.trainingRun(self, didReach: event) }
    }

    public func run() throws -> TrainingOutcome {
        let (c, communicator) = (session.configuration, session.communicator)
        let total = c.totalIterations
        started = Date()
        var interval = IntervalFigures()
        var lastLogged: MetricsRecord?
        var flags = [Double](repeating: 0, count: 2)  // [a rank saw a non-finite loss, a rank was asked to stop]
        while session.completedIterations < total {
            let report = session.iterate()
            let step = report.step
            let finite = interval.add(report)
            flags[0] = schedule.checkLossesEveryIteration && !finite ? 1 : 0
            flags[1] = stopRequested() ? 1 : 0
            flags.withUnsafeMutableBufferPointer { communicator.allreduceSum($0) }
            if flags[0] > 0 { throw DistributedError.notFinite(step: step, what: "a loss") }
            if step % schedule.checkReplicasEvery == 0 || step == total { try session.checkReplicas() }
            try self.report(
                .iterated(
                    step: step, interval: interval.localRecord(step: step, tau: report.temperature),
                    lastLogged: lastLogged))

            let stopping = flags[1] > 0 && step < total
            if stopping || step % schedule.checkpointEvery == 0 && step < total {
                try session.checkFiniteWeights()
                try self.report(.checkpoint(step: step))
                if stopping {
                    try self.report(.stopped(step: step))
                    return .stopped(step: step)
                }
            }

            // The end of pre-training is a log and evaluation step: what the adversarial phase
            // adds or costs is read against it, and no interval mixes the two phases.
            let phaseEnds = c.pretraining > 0 && step == c.pretraining
            let evaluating = step % c.evaluateEvery == 0 || step == total || phaseEnds
            guard step % c.logEvery == 0 || evaluating else { continue }
            var record = interval.record(
                step: step, tau: report.temperature, seconds: earlierSeconds + Date().timeIntervalSince(started),
                communicator: communicator)
            if c.pretraining > 0 { record.phase = report.pretraining ? "pretraining" : "adversarial" }
            interval = IntervalFigures()
            lastLogged = record
            guard [record.lossD, record.lossG, record.nll].allSatisfy({ $0?.isFinite ?? true }) else {
                throw DistributedError.notFinite(step: step, what: "a loss")
            }
            if evaluating && communicator.rank == 0 {
                let start = Date()
                // A stop asked for meanwhile ends the evaluation; the next iteration's check stops
                // the run (after the last one, the run ends without that evaluation).
                record.evaluation = session.evaluate(count: c.evaluationSamples, shouldStop: stopRequested)
                if record.evaluation == nil { interruptedEvaluation = step }
                evaluationSeconds += Date().timeIntervalSince(start)
            }
            try self.report(.logged(record))
        }
        try session.checkFiniteWeights()
        try report(.finished(step: session.completedIterations))
        return .finished
    }
}
