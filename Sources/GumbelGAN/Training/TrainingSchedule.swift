/// How often a ``TrainingRun`` does its periodic work besides logging and evaluating (which
/// the configuration sets, since they shape `metrics.jsonl`).
public struct TrainingSchedule: Sendable, Equatable {
    /// Ask for a checkpoint every this many iterations (none after the last: the run ends).
    public var checkpointEvery: Int
    /// Check every this many iterations, and at the end, that the ranks' replicas are
    /// bitwise identical.
    public var checkReplicasEvery: Int
    /// Look for non-finite losses after every iteration (else at log steps only).
    public var checkLossesEveryIteration: Bool

    public init(checkpointEvery: Int = 1000, checkReplicasEvery: Int = 1000, checkLossesEveryIteration: Bool = false) {
        self.checkpointEvery = checkpointEvery
        self.checkReplicasEvery = checkReplicasEvery
        self.checkLossesEveryIteration = checkLossesEveryIteration
    }
}
