/// Where the generator's initial LSTM state comes from.
public enum GeneratorInitialState: String, Sendable, Codable, CaseIterable {
    /// `h0, c0 ~ U(0, 1)^H`, one draw per example (the paper's default).
    case noise
    /// `h0 ~ U(0, 1)^H` per example, `c0` a learned parameter (the paper's variant (d)).
    case noiseHiddenLearnedCell = "noise-h0-learned-c0"
    /// `h0 = c0 = 0` (the maximum-likelihood reference model).
    case zero
}
