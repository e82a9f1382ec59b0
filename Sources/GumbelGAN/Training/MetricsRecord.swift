import Foundation

/// One line of `metrics.jsonl`: the means over a log interval, and the evaluation when one
/// was made at this step.
public struct MetricsRecord: Sendable, Equatable, Codable {
    public var step: Int
    public var tau: Float
    public var lossD: Double?
    public var lossG: Double?
    public var dReal: Double?
    public var dFake: Double?
    public var nll: Double?
    /// Seconds since the run started.
    public var seconds: Double
    public var evaluation: Evaluation?
    /// `pretraining` or `adversarial` in a run with a pre-training phase; nil otherwise.
    public var phase: String?

    public init(step: Int, tau: Float, seconds: Double) {
        self.step = step
        self.tau = tau
        self.seconds = seconds
    }

    private enum CodingKeys: String, CodingKey {
        case step, tau, seconds, nll, evaluation, phase
        case lossD = "loss_d"
        case lossG = "loss_g"
        case dReal = "d_real"
        case dFake = "d_fake"
    }
}
