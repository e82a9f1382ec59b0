/// Adam's settings (Kingma & Ba 2014).
public struct AdamSettings: Sendable, Equatable, Codable {
    public var learningRate: Float
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float

    /// The paper's settings: lr 1e-3, β1 0.5 (the authors' script), β2 0.999, ε 1e-8.
    public init(learningRate: Float = 1e-3, beta1: Float = 0.5, beta2: Float = 0.999, epsilon: Float = 1e-8) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
    }
}
