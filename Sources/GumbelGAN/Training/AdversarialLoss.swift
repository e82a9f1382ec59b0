/// The adversarial loss on the discriminator's logits `a_r` (real) and `a_f` (generated).
public enum AdversarialLoss: String, Sendable, Codable, CaseIterable {
    /// Algorithm 1 (the paper): D minimises `mean softplus(−a_r) + mean softplus(a_f)`, the
    /// generator `−mean a_f` (the log-odds form of the non-saturating loss).
    case standard
    /// The relativistic standard GAN loss of RelGAN (Jolicoeur-Martineau 2019; Nie et al. 2019):
    /// real and generated examples in pairs `i`; D minimises `mean softplus(−(a_r,i − a_f,i))`,
    /// the generator `mean softplus(−(a_f,i − a_r,i))`. D judges whether a real example looks
    /// more real than a generated one, so its gradient to the generator does not vanish when
    /// it wins outright. Needs as many generated examples as real ones.
    case rsgan
}
