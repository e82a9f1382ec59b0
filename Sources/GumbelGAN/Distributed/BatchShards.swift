/// The rows of an iteration's global batches that one rank takes: the one place that
/// decides how work is split. Real and generated batches are split alike, in whole units of
/// `unit` rows (the discriminator's packs), with ``shard(_:ranks:rank:unit:)``.
public struct BatchShards: Sendable, Equatable {
    /// Rows of the global real and generated batches.
    public let realRows: Int
    public let generatedRows: Int
    /// This rank's rows of each.
    public let real: Range<Int>
    public let generated: Range<Int>

    public init(realRows: Int, generatedRows: Int, unit: Int = 1, rank: Int, ranks: Int) {
        self.realRows = realRows
        self.generatedRows = generatedRows
        real = shard(realRows, ranks: ranks, rank: rank, unit: unit)
        generated = shard(generatedRows, ranks: ranks, rank: rank, unit: unit)
    }

    /// The shards of `communicator`'s rank.
    public init(realRows: Int, generatedRows: Int, unit: Int = 1, communicator: Communicator) {
        self.init(realRows: realRows, generatedRows: generatedRows, unit: unit, rank: communicator.rank, ranks: communicator.size)
    }

    /// One process taking every row.
    public static func whole(realRows: Int, generatedRows: Int = 0) -> BatchShards {
        BatchShards(realRows: realRows, generatedRows: generatedRows, rank: 0, ranks: 1)
    }
}

/// The rows `[lo, hi)` of a global batch of `count` rows that rank `rank` of `ranks` takes:
/// contiguous, in whole units of `unit` rows (packs), as even as possible — the first
/// `units % ranks` ranks take one unit more (3 ranks, 200 rows: 67, 67, 66).
public func shard(_ count: Int, ranks: Int, rank: Int, unit: Int = 1) -> Range<Int> {
    precondition(
        ranks >= 1 && rank >= 0 && rank < ranks && unit >= 1 && count % unit == 0,
        "shard: \(count) rows in units of \(unit) over \(ranks) ranks, rank \(rank)")
    let units = count / unit
    let base = units / ranks, extra = units % ranks
    let lo = rank * base + min(rank, extra)
    let hi = lo + base + (rank < extra ? 1 : 0)
    return (lo * unit)..<(hi * unit)
}
