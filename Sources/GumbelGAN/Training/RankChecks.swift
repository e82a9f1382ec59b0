import Foundation

extension TrainingSession {
    /// Checks that every rank holds bitwise the same parameters (a collective); throws
    /// naming the network that differs.
    public func checkReplicas() throws {
        var networks = [("generator", generator.parameters)]
        if let d = discriminator { networks.append(("discriminator", d.parameters)) }
        for (name, p) in networks {
            let hash = fnv1a64(UnsafeRawBufferPointer(p.values.values))
            if !communicator.agree(on: hash) { throw DistributedError.replicasDiffer(step: completedIterations, network: name) }
        }
    }

    /// Throws unless every weight is finite (checked before anything is saved).
    public func checkFiniteWeights() throws {
        for (prefix, parameters) in networks where !parameters.values.values.allSatisfy(\.isFinite) {
            throw DistributedError.notFinite(step: completedIterations, what: "a \(prefix) weight")
        }
    }
}

extension TrainingConfiguration {
    /// Checks that every rank was started with this configuration and `dataset` (a
    /// collective: every rank gets the same answer).
    public func checkAgreement(with dataset: Dataset, across communicator: Communicator) throws {
        var bytes = json()
        dataset.symbols.withUnsafeBytes { bytes.append(contentsOf: $0) }
        let hash = bytes.withUnsafeBytes { fnv1a64($0) }
        if !communicator.agree(on: hash) { throw DistributedError.configurationsDiffer }
    }
}
