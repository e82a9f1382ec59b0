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
    /// The molecule benchmark's maximum-likelihood reference (a CharRNN-like generator): MOSES's
    /// training split (`data/moses/train.txt`, from `launch/moses-data`), embedding 64, 2 LSTM
    /// layers of 256, a learned initial state, batches of 256 drawn from 8 length buckets, Adam
    /// 5e-3 falling linearly to 0 over 15,000 iterations (about 2.4 passes, about 100 min under
    /// `mpirun -np 2` on 2 cores).
    case mosesMLE = "moses-mle"
    /// The molecule benchmark's adversarial phase, meant to start from a `moses-mle` run
    /// (`--init-generator`): RelGAN's hard-feedback generator, the paper's loss plus the real
    /// batch's NLL (`--mle-weight 1`), a one-layer discriminator of 128 over the embedded one-hot
    /// strings, a 100-iteration discriminator warm-up, Adam 1e-4 (generator) and 1e-3
    /// (discriminator), 600 iterations. Without a starting generator it is the purely adversarial run.
    case mosesGAN = "moses-gan"
    /// The text benchmark's maximum-likelihood reference: the synthetic oracle's data, the
    /// peers' generator (embedding 32, state 32), batches of 64, 20,000 iterations.
    case oracleMLE = "oracle-mle"
    /// The text benchmark's adversarial phase, meant to start from an `oracle-mle` run
    /// (`--init-generator`): hard feedback, RelGAN's CNN discriminator (300 filters of widths
    /// 2–5, dropout 0.25, 8 representations of the embedded strings) and rsgan loss, Adam 3e-4
    /// for both networks falling to 0, 1,000 iterations.
    case oracleGAN = "oracle-gan"

    /// The data the preset trains on when no `--data` is given: nil for the paper's grammar.
    public var dataSource: DataSource? {
        switch self {
        case .mosesMLE, .mosesGAN: return .file(path: Self.mosesTrainingFile, maximumLength: nil, skipLong: false)
        case .oracleMLE, .oracleGAN: return .oracle(seed: 1, size: 10_000, heldOut: 5000)
        default: return nil
        }
    }

    /// Where `launch/moses-data` writes MOSES's training split.
    public static let mosesTrainingFile = "data/moses/train.txt"
}
