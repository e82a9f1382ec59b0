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
    /// With R1's penalty: the mean `‖∇ₓ a‖²` of the discriminator at the real packs; with
    /// R2's, at the generated ones.
    public var dGradient: Double?, dGradientFake: Double?
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

    /// The wall time of the run these records (one `metrics.jsonl`, in order) describe: the
    /// last `seconds`, or for a run that an older trainer resumed, whose `seconds` began again
    /// at 0 in each piece, the sum of each piece's last.
    public static func wallSeconds(_ records: [MetricsRecord]) -> Double {
        var (done, last) = (0.0, 0.0)
        for r in records {
            if r.seconds < last { done += last }
            last = r.seconds
        }
        return done + last
    }

    private enum CodingKeys: String, CodingKey {
        case step, tau, seconds, nll, evaluation, phase
        case lossD = "loss_d"
        case lossG = "loss_g"
        case dReal = "d_real"
        case dFake = "d_fake"
        case dGradient = "d_grad_real"
        case dGradientFake = "d_grad_fake"
    }
}
