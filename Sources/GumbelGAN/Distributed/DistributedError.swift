/// What can go wrong between the ranks of a job. Each description says what to do.
public enum DistributedError: UserFacingError, Equatable {
    case replicasDiffer(step: Int, network: String)
    case configurationsDiffer
    case notFinite(step: Int, what: String)

    public var description: String {
        switch self {
        case .replicasDiffer(let step, let network):
            return
                "after iteration \(step) the \(network)'s parameters differ between ranks; the replicas diverged (a bug: please report it with the config.json)"
        case .configurationsDiffer:
            return "the ranks were started with different settings; start every rank with the same flags and data"
        case .notFinite(let step, let what):
            return "iteration \(step): \(what) is not finite (nothing from it was saved); lower the learning rate or change the temperature schedule"
        }
    }
}
