/// The 64-bit FNV-1a hash of `bytes`.
public func fnv1a64(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
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
