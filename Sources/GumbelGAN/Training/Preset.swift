/// The named starting points of a run; every setting they choose can be changed by a flag.
public enum Preset: String, Sendable, Codable, CaseIterable {
    /// The paper's default (Figure 3a): τ 5 → 1 over 10,000 iterations for the generator and
    /// the real inputs, noise `(h0, c0)`, state 10, batch 200, 20,000 iterations.
    case paperA = "paper-a"
    /// As paper-a, but the generator makes 1,000 samples per iteration (Figure 3b).
    case paperB = "paper-b"
    /// As paper-a, but only the input temperature anneals; the generator's stays 1 (Figure 3c).
    case paperC = "paper-c"
    /// As paper-a, but noise only in `h0`; `c0` is learned (Figure 3d).
    case paperD = "paper-d"
    /// Figure 4's reference: the same generator with `h0 = c0 = 0`, trained by maximum
    /// likelihood with teacher forcing.
    case mle
    /// Beyond the paper, purely adversarial: straight-through Gumbel-softmax at a constant
    /// temperature of 1, one-hot real inputs, state 32, batches of 400, a discriminator
    /// judging packs of 8 examples, an entropy bonus of 0.05, the generator learning at half
    /// the discriminator's rate (5e-4, 1e-3), learning rates falling linearly to 0 over the
    /// whole run, samples from a moving average of the generator's weights, PyTorch's
    /// initialisation (see the README).
    case tuned
}
