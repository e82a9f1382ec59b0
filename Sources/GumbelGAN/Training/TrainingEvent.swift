/// What a ``TrainingRun`` reports to its observers, in the order it happens.
public enum TrainingEvent: Sendable, Equatable {
    /// After every iteration: this rank's means since the last log step (`interval`) and the
    /// last global record (`lastLogged`, nil before the first log step).
    case iterated(step: Int, interval: MetricsRecord, lastLogged: MetricsRecord?)
    /// A checkpoint is due: the session holds iteration `step`'s state, every weight finite.
    case checkpoint(step: Int)
    /// Stopped on request after iteration `step`; the ``checkpoint(step:)`` event came first.
    case stopped(step: Int)
    /// A log step: the global means over the interval, with the evaluation at evaluation steps.
    case logged(MetricsRecord)
    /// Every iteration is done and every weight is finite.
    case finished(step: Int)
}
