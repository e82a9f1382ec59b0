/// The seeds of a run's own sample draws, derived from the run's seed: every evaluation of a
/// run scores the same draws (so evaluations are comparable), and the samples written for
/// people to read are another set.
public enum SampleSeed {
    /// The draws scored at every evaluation.
    public static func evaluation(of seed: UInt64) -> UInt64 { seed ^ 0x5EED_E7A1 }
    /// The draws written to `samples.txt`.
    public static func showcase(of seed: UInt64) -> UInt64 { seed ^ 0xF1_6004 }
}
