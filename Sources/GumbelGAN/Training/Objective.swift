/// How the generator is trained.
public enum Objective: String, Sendable, Codable, CaseIterable {
    /// Algorithm 1.
    case adversarial
    /// Maximum likelihood with teacher forcing.
    case maximumLikelihood = "mle"
}
