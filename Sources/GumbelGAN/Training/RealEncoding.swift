/// How real examples are shown to the discriminator.
public enum RealEncoding: String, Sendable, Codable, CaseIterable {
    /// Log-probabilities with `truthProbability` on the true symbol, then Gumbel-softmax at
    /// the input temperature (the paper).
    case smoothed
    /// Exact one-hot vectors.
    case oneHot = "one-hot"
}
