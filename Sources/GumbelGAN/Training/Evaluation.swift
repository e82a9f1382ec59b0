/// What an evaluation reports: the sample metrics and, for a likelihood-trained
/// generator, the negative log-likelihood per symbol of the training and held-out strings.
/// On oracle data the held-out NLL is the benchmark's NLL-gen, and the oracle's NLL of the
/// samples (NLL-oracle) and of its own held-out sentences (the floor) are added.
public struct Evaluation: Sendable, Equatable, Codable {
    public var samples: SampleMetrics
    public var trainingNLL: Double?
    public var heldOutNLL: Double?
    /// NLL-oracle: the oracle's mean NLL per symbol of the valid samples (all `length`
    /// symbols, no padding).
    public var oracleNLL: Double?
    /// The oracle's mean NLL per symbol of its held-out sentences: the entropy rate, the
    /// best NLL-oracle and NLL-gen can approach.
    public var oracleFloor: Double?
    /// The `T` of softmax(ℓ / T) the samples were drawn from (and the NLLs scored at), when
    /// not 1.
    public var temperature: Float?

    private enum CodingKeys: String, CodingKey {
        case samples
        case trainingNLL = "train_nll"
        case heldOutNLL = "heldout_nll"
        case oracleNLL = "nll_oracle"
        case oracleFloor = "nll_oracle_floor"
        case temperature = "sample_temperature"
    }
}
