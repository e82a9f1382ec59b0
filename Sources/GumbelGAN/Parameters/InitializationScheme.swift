/// How initial weights are drawn.
public enum InitializationScheme: String, Sendable, Codable, CaseIterable {
    /// N(0, σ²) for every tensor, σ = `initialScale` (the authors' script: 0.01).
    case normal
    /// U(−1/√H, 1/√H) for every tensor, as PyTorch's LSTM and Linear layers do.
    case pytorch
}
