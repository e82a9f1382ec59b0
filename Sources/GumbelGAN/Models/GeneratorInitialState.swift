/// Where the generator's initial LSTM state comes from.
public enum GeneratorInitialState: String, Sendable, Codable, CaseIterable {
    /// `h0, c0 ~ U(0, 1)^H`, one draw per example (the paper's default).
    case noise
    /// `h0 ~ U(0, 1)^H` per example, `c0` a learned parameter (the paper's variant (d)).
    case noiseHiddenLearnedCell = "noise-h0-learned-c0"
    /// `h0 = c0 = 0` (the maximum-likelihood reference model).
    case zero
    /// `h0` and `c0` of every layer learned parameters, shared by all examples: the first
    /// symbol's distribution `softmax(W_out h0 + b_out)` is learned, as a start token makes it
    /// in the peers' models (from a zero state it is `softmax(b_out)`, the bias every step shares).
    case learned

    /// Whether `h0` is drawn per example.
    public var drawsNoise: Bool { self == .noise || self == .noiseHiddenLearnedCell }
    /// Whether `c0` is a learned parameter.
    var learnsCell: Bool { self == .noiseHiddenLearnedCell || self == .learned }
}
