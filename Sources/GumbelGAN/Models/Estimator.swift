/// What the generator feeds back, and what it hands to the discriminator.
public enum Estimator: String, Sendable, Codable, CaseIterable {
    /// The Gumbel-softmax sample `y = softmax((ℓ + g)/τ)` (the paper).
    case gumbelSoftmax = "gumbel-softmax"
    /// The exact draw `one_hot(argmax(ℓ + g))` forward, the Gumbel-softmax gradient backward
    /// (Jang, Gu & Poole 2016, §2.2).
    case straightThrough = "straight-through"
}
