/// Receives a run's events: the terminal's progress, the run folder, a test's log. An error
/// thrown here (a checkpoint that cannot be written) ends the run.
public protocol TrainingObserver: AnyObject {
    func trainingRun(_ run: TrainingRun, didReach event: TrainingEvent) throws
}
