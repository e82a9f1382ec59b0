/// What an evaluation reports: the sample metrics and, for a likelihood-trained
/// generator, the negative log-likelihood per symbol of the training and held-out strings.
public struct Evaluation: Sendable, Equatable, Codable {
    public var samples: SampleMetrics
    public var trainingNLL: Double?
    public var heldOutNLL: Double?

    private enum CodingKeys: String, CodingKey {
        case samples
        case trainingNLL = "train_nll"
        case heldOutNLL = "heldout_nll"
    }
}
