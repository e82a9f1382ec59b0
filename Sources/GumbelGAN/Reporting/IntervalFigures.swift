import Foundation

/// The figures of the iterations since the last log line, summed on this rank; at a log
/// step every rank calls ``record(step:tau:seconds:communicator:)``, which adds the ranks'
/// sums with one allreduce and returns the global means.
public struct IntervalFigures: Sendable {
    var iterations = 0
    var sums = [Double](repeating: 0, count: 6)   // real, fake, generator losses, σ real, σ fake, NLL
    var realPacks = 1, fakePacks = 1, symbols = 1
    var adversarial = false

    public init() {}

    /// Adds an iteration; false when one of this rank's figures is not finite.
    public mutating func add(_ r: IterationReport) -> Bool {
        iterations += 1
        if let a = r.adversarial {
            adversarial = true
            for (k, v) in a.sums.enumerated() { sums[k] += v }
            (realPacks, fakePacks) = (a.realPacks, a.fakePacks)
            return a.sums.allSatisfy(\.isFinite)
        }
        sums[5] += r.likelihoodSum ?? .nan
        symbols = r.likelihoodSymbols
        return sums[5].isFinite
    }

    /// The global means over the interval (a collective: every rank calls it at the same step).
    public func record(step: Int, tau: Float, seconds: Double, communicator: Communicator) -> MetricsRecord {
        var global = sums
        global.withUnsafeMutableBufferPointer { communicator.allreduceSum($0) }
        var r = MetricsRecord(step: step, tau: tau, seconds: seconds)
        let n = Double(max(iterations, 1))
        if adversarial {
            let (real, fake) = (n * Double(realPacks), n * Double(fakePacks))
            r.lossD = global[0] / real + global[1] / fake
            r.lossG = global[2] / fake
            r.dReal = global[3] / real
            r.dFake = global[4] / fake
        } else {
            r.nll = global[5] / (n * Double(symbols))
        }
        return r
    }

    /// A short summary from this rank's sums alone (for a progress line).
    public var summary: String {
        let n = Double(max(iterations, 1))
        if adversarial {
            let lossD = sums[0] / (n * Double(realPacks)) + sums[1] / (n * Double(fakePacks))
            let lossG = sums[2] / (n * Double(fakePacks))
            return "loss_d \(format(lossD))  loss_g \(format(lossG))"
        }
        return "nll \(format(sums[5] / (n * Double(symbols))))"
    }

    /// The same summary from a logged (global) record.
    public static func summary(of r: MetricsRecord) -> String {
        if let d = r.lossD, let g = r.lossG { return String(format: "loss_d %.3f  loss_g %.3f", d, g) }
        return r.nll.map { String(format: "nll %.3f", $0) } ?? ""
    }

    private func format(_ v: Double) -> String { String(format: "%.3f", v) }
}
