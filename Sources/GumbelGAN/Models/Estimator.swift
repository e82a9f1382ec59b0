/// What the generator feeds back, and what it hands to the discriminator.
public enum Estimator: String, Sendable, Codable, CaseIterable {
    /// The Gumbel-softmax sample `y = softmax((ℓ + g)/τ)` (the paper).
    case gumbelSoftmax = "gumbel-softmax"
    /// The exact draw `one_hot(argmax(ℓ + g))` forward, the Gumbel-softmax gradient backward
    /// (Jang, Gu & Poole 2016, §2.2).
    case straightThrough = "straight-through"
    /// RelGAN's (Nie et al. 2019): the discriminator sees the Gumbel-softmax sample, the
    /// generator feeds back its exact draw `one_hot(argmax(ℓ + g))`, and no gradient flows
    /// through that feedback (only through each step's sample and the recurrent state).
    case hardFeedback = "hard-feedback"

    /// Whether the generator feeds back its exact draws rather than the relaxed samples.
    public var feedsBackDraws: Bool { self != .gumbelSoftmax }
}
