/// How a run ended.
public enum TrainingOutcome: Sendable, Equatable {
    case finished
    /// A stop was requested (a signal); the run stopped after `step` with a checkpoint.
    case stopped(step: Int)
}
