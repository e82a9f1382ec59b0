/// The figures of one step of Algorithm 1, as sums over one rank's packs and the global
/// pack counts, so that ranks can add their figures before taking means.
public struct StepLosses: Sendable, Equatable {
    /// `Σ softplus(−a_real)` and `Σ softplus(a_fake)`, before the discriminator's update.
    public var realLoss: Double
    public var fakeLoss: Double
    /// `Σ −a_fake` under the updated discriminator.
    public var generatorLoss: Double
    /// `Σ σ(a)` over real and over generated packs, before the discriminator's update.
    public var realProbabilitySum: Double
    public var fakeProbabilitySum: Double
    /// This rank's summed NLL (nats) of the real batch when the generator's loss has a
    /// likelihood term; nil otherwise.
    public var likelihoodSum: Double?
    /// This rank's `Σ ‖∇ₓ a‖²` over its real packs when the discriminator has R1's penalty,
    /// and over its generated packs when it has R2's.
    public var gradientSquaredSum: Double?, fakeGradientSquaredSum: Double?
    /// Packs in the global batch.
    public var realPacks: Int
    public var fakePacks: Int

    /// `mean softplus(−a_real) + mean softplus(a_fake)` (once the sums are global).
    public var discriminator: Double { realLoss / Double(realPacks) + fakeLoss / Double(fakePacks) }
    /// `−mean a_fake`.
    public var generator: Double { generatorLoss / Double(fakePacks) }
    /// Mean `σ(a)` over real and over generated packs.
    public var realProbability: Double { realProbabilitySum / Double(realPacks) }
    public var fakeProbability: Double { fakeProbabilitySum / Double(fakePacks) }

    /// The sums as a vector (for one allreduce) and back.
    var sums: [Double] { [realLoss, fakeLoss, generatorLoss, realProbabilitySum, fakeProbabilitySum] }
    init(sums s: [Double], realPacks: Int, fakePacks: Int, likelihoodSum: Double? = nil) {
        (realLoss, fakeLoss, generatorLoss, realProbabilitySum, fakeProbabilitySum) = (s[0], s[1], s[2], s[3], s[4])
        self.likelihoodSum = likelihoodSum
        self.realPacks = realPacks
        self.fakePacks = fakePacks
    }
}
