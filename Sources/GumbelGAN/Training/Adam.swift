import Foundation

/// Adam over one flat parameter buffer and its flat gradient buffer. At step `t` (from 1):
///
///     m ← β1 m + (1 − β1) g          v ← β2 v + (1 − β2) g²
///     θ ← θ − lr · (m / (1 − β1^t)) / (sqrt(v / (1 − β2^t)) + ε)
///
/// which is PyTorch's `torch.optim.Adam` without weight decay.
public final class Adam {
    public let settings: AdamSettings
    /// First moments, one per parameter.
    public let firstMoment: FloatBuffer
    /// Second moments, one per parameter.
    public let secondMoment: FloatBuffer
    /// Number of updates applied so far.
    public internal(set) var step = 0

    public init(parameterCount: Int, settings: AdamSettings) {
        self.settings = settings
        firstMoment = FloatBuffer(count: parameterCount)
        secondMoment = FloatBuffer(count: parameterCount)
    }

    /// Applies one update to `parameters.values` from `parameters.gradients`, with the
    /// learning rate scaled by `learningRateScale` (a schedule's factor).
    public func update(_ parameters: Parameters, learningRateScale: Float = 1) {
        precondition(parameters.count == firstMoment.count, "Adam: \(parameters.count) parameters, state for \(firstMoment.count)")
        step += 1
        let s = settings
        let correction1 = 1 - Foundation.pow(Double(s.beta1), Double(step))
        let correction2 = 1 - Foundation.pow(Double(s.beta2), Double(step))
        let stepSize = Float(Double(s.learningRate * learningRateScale) / correction1)
        let rootCorrection2 = Float(correction2.squareRoot())
        let theta = parameters.values.pointer, g = parameters.gradients.pointer
        let m = firstMoment.pointer, v = secondMoment.pointer
        for i in 0..<parameters.count {
            m[i] = s.beta1 * m[i] + (1 - s.beta1) * g[i]
            v[i] = s.beta2 * v[i] + (1 - s.beta2) * g[i] * g[i]
            theta[i] -= stepSize * m[i] / (v[i].squareRoot() / rootCorrection2 + s.epsilon)
        }
    }
}
