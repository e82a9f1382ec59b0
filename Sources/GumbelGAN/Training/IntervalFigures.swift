/// The figures of the iterations since the last log line, summed on this rank; at a log
/// step every rank calls ``record(step:tau:seconds:communicator:)``, which adds the ranks'
/// sums with one allreduce and returns the global means.
public struct IntervalFigures: Sendable {
    var iterations = 0
    var sums = [Double](repeating: 0, count: 8)  // real, fake, generator losses, σ real, σ fake, NLL, ‖∇ₓ a‖² real, fake
    var realPacks = 1, fakePacks = 1, symbols = 1
    /// Iterations that scored the real batch's likelihood (all of an mle run's; an adversarial
    /// run's generator updates when it has a likelihood term).
    var likelihoodIterations = 0
    var adversarial = false
    /// Whether the discriminator has R1's and R2's penalties (its input gradient's size is logged).
    var penalised = false, fakePenalised = false

    public init() {}

    /// Adds an iteration; false when one of this rank's figures is not finite.
    public mutating func add(_ r: IterationReport) -> Bool {
        iterations += 1
        if let a = r.adversarial {
            adversarial = true
            for (k, v) in a.sums.enumerated() { sums[k] += v }
            if let squares = a.gradientSquaredSum {
                penalised = true
                sums[6] += squares
            }
            if let squares = a.fakeGradientSquaredSum {
                fakePenalised = true
                sums[7] += squares
            }
            (realPacks, fakePacks) = (a.realPacks, a.fakePacks)
            guard (a.gradientSquaredSum ?? 0).isFinite && (a.fakeGradientSquaredSum ?? 0).isFinite else { return false }
            guard r.likelihoodSum != nil else { return a.sums.allSatisfy(\.isFinite) }
        }
        sums[5] += r.likelihoodSum ?? .nan
        symbols = r.likelihoodSymbols
        likelihoodIterations += 1
        return sums.allSatisfy(\.isFinite)
    }

    /// The global means over the interval (a collective: every rank calls it at the same step).
    public func record(step: Int, tau: Float, seconds: Double, communicator: Communicator) -> MetricsRecord {
        var global = sums
        global.withUnsafeMutableBufferPointer { communicator.allreduceSum($0) }
        return means(of: global, step: step, tau: tau, seconds: seconds)
    }

    /// The means of this rank's sums alone (for a progress line between log steps).
    public func localRecord(step: Int, tau: Float) -> MetricsRecord {
        means(of: sums, step: step, tau: tau, seconds: 0)
    }

    private func means(of sums: [Double], step: Int, tau: Float, seconds: Double) -> MetricsRecord {
        var r = MetricsRecord(step: step, tau: tau, seconds: seconds)
        let n = Double(max(iterations, 1))
        if adversarial {
            let (real, fake) = (n * Double(realPacks), n * Double(fakePacks))
            r.lossD = sums[0] / real + sums[1] / fake
            r.lossG = sums[2] / fake
            r.dReal = sums[3] / real
            r.dFake = sums[4] / fake
            if penalised { r.dGradient = sums[6] / real }
            if fakePenalised { r.dGradientFake = sums[7] / fake }
        }
        if likelihoodIterations > 0 { r.nll = sums[5] / (Double(likelihoodIterations) * Double(symbols)) }
        return r
    }
}
