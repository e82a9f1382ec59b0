/// What the stall watch of an ``MPICommunicator`` reports: the ranks that have not reached
/// collective number `collective` after this rank has waited `seconds` in it (Horovod's
/// stall inspector). `aborting` when the wait passed the limit and the job is ended.
public struct StallReport: Sendable, Equatable {
    public let collective: Int
    /// Ranks that have not entered the collective.
    public let lateRanks: [Int]
    /// Ranks that entered it but have sent nothing for longer than the warning interval (a
    /// waiting rank keeps saying so): stopped inside it.
    public let silentRanks: [Int]
    public let seconds: Double
    public let aborting: Bool

    public var description: String {
        func ranks(_ r: [Int]) -> String { "rank\(r.count == 1 ? "" : "s") " + r.map(String.init).joined(separator: ", ") }
        var parts: [String] = []
        if !lateRanks.isEmpty { parts.append("\(ranks(lateRanks)) \(lateRanks.count == 1 ? "has" : "have") not reached it") }
        if !silentRanks.isEmpty { parts.append("\(ranks(silentRanks)) \(silentRanks.count == 1 ? "has" : "have") stopped answering inside it") }
        let what = parts.isEmpty ? "every rank is in it and answering" : parts.joined(separator: "; ")
        return String(format: "stall: collective #%d has waited %.0f s; %@", collective, seconds, what)
            + (aborting ? "; ending the job (--stall-timeout); resume from the last checkpoint" : "")
    }
}

/// When the stall watch speaks: a warning every `warnAfter` seconds of one wait, the end of
/// the job after `abortAfter` (nil: never).
public struct StallWatch: Sendable {
    public var warnAfter: Double
    public var abortAfter: Double?
    public var report: @Sendable (StallReport) -> Void

    public init(warnAfter: Double = 60, abortAfter: Double? = nil, report: @escaping @Sendable (StallReport) -> Void) {
        self.warnAfter = warnAfter
        self.abortAfter = abortAfter
        self.report = report
    }
}
