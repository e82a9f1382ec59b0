/// What one iteration reports.
public struct IterationReport: Sendable, Equatable {
    /// Iterations done, this one included.
    public var step: Int
    /// The generator's temperature in this iteration.
    public var temperature: Float
    /// Adversarial runs: this rank's loss sums; nil for maximum likelihood.
    public var adversarial: StepLosses?
    /// This rank's summed negative log-likelihood (nats) of the real batch: maximum-likelihood
    /// runs, and adversarial generator updates with a likelihood term (`mleWeight`); else nil.
    public var likelihoodSum: Double?
    /// The symbols of the global batch (what `likelihoodSum` is summed over).
    public var likelihoodSymbols = 0
    /// Whether this was a pre-training iteration.
    public var pretraining = false

    /// The mean negative log-likelihood per symbol (once the sum is global).
    public var negativeLogLikelihood: Double? { likelihoodSum.map { $0 / Double(likelihoodSymbols) } }
}
