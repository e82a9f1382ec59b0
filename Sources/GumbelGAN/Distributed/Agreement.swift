import Foundation

/// What can go wrong between the ranks of a job. Each description says what to do.
public enum DistributedError: Error, Equatable, CustomStringConvertible {
    case replicasDiffer(step: Int, network: String)
    case configurationsDiffer
    case batchSmallerThanRanks(flag: String, rows: Int, ranks: Int)
    case notFinite(step: Int, what: String)

    public var description: String {
        switch self {
        case .replicasDiffer(let step, let network):
            return "after iteration \(step) the \(network)'s parameters differ between ranks; the replicas diverged (a bug: please report it with the config.json)"
        case .configurationsDiffer:
            return "the ranks were started with different settings; start every rank with the same flags and data"
        case .batchSmallerThanRanks(let flag, let rows, let ranks):
            return "\(flag) \(rows) is smaller than the \(ranks) ranks (in whole packs); raise \(flag) or use fewer ranks"
        case .notFinite(let step, let what):
            return "iteration \(step): \(what) is not finite; lower --learning-rate or change the temperature schedule"
        }
    }
}

/// The 64-bit FNV-1a hash of `bytes`.
func fnv1a64(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for b in bytes {
        h ^= UInt64(b)
        h &*= 0x0000_0100_0000_01B3
    }
    return h
}

extension Communicator {
    /// Whether every rank passed the same `value` (a collective). The value is cut into
    /// 16-bit pieces; for each, the sum and the sum of squares over the ranks (exact in
    /// Float64) show a difference as a non-zero variance.
    public func agree(on value: UInt64) -> Bool {
        var sums = [Double](repeating: 0, count: 8)
        for k in 0..<4 {
            let piece = Double((value >> (16 * UInt64(k))) & 0xFFFF)
            sums[2 * k] = piece
            sums[2 * k + 1] = piece * piece
        }
        sums.withUnsafeMutableBufferPointer { allreduceSum($0) }
        let n = Double(size)
        return (0..<4).allSatisfy { k in sums[2 * k + 1] * n == sums[2 * k] * sums[2 * k] }
    }
}

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

}

extension Communicator {
    /// Checks that every rank was started with the same configuration and data (a
    /// collective: every rank gets the same answer).
    public func checkAgreement(on configuration: TrainingConfiguration, _ dataset: Dataset) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var bytes = (try? encoder.encode(configuration)) ?? Data()
        dataset.symbols.withUnsafeBytes { bytes.append(contentsOf: $0) }
        let hash = bytes.withUnsafeBytes { fnv1a64($0) }
        if !agree(on: hash) { throw DistributedError.configurationsDiffer }
    }
}
