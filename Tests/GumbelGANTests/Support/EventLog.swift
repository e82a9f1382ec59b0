import GumbelGAN

/// An observer that keeps every event of a run.
final class EventLog: TrainingObserver, @unchecked Sendable {
    var events: [TrainingEvent] = []
    /// Throw from the observer at this event (a failing run folder).
    var failAt: TrainingEvent?

    struct Failure: Error {}

    func trainingRun(_ run: TrainingRun, didReach event: TrainingEvent) throws {
        events.append(event)
        if event == failAt { throw Failure() }
    }

    var records: [MetricsRecord] {
        events.compactMap { if case .logged(let r) = $0 { r } else { nil } }
    }
}
