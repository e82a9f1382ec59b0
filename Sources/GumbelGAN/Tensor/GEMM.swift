import CBLAS

/// Whether a matrix operand enters a product as it is or transposed.
public enum Transpose: Sendable {
    case none
    case transposed
}

/// How a product meets what is already in the destination.
public enum Accumulation: Sendable {
    /// `C = op(A)·op(B)`: the old contents are ignored.
    case overwrite
    /// `C += op(A)·op(B)`.
    case accumulate
}

/// `C = alpha · op(A)·op(B) (+ C)` through OpenBLAS's `cblas_sgemm`, row-major.
///
/// `op(A)` is `m × k` and `op(B)` is `k × n` where `C` is `m × n`; a transposed operand
/// is read as its transpose without copying; any operand may be strided (its rows
/// ``Matrix/stride`` apart). Shapes are checked; a `k` of zero gives
/// `C = 0` (overwrite) or leaves `C` as it was (accumulate).
public func gemm(
    _ a: Matrix, _ transposeA: Transpose = .none,
    _ b: Matrix, _ transposeB: Transpose = .none,
    into c: Matrix, _ accumulation: Accumulation = .overwrite, alpha: Float = 1
) {
    let (m, k) = transposeA == .none ? (a.rows, a.columns) : (a.columns, a.rows)
    let (kb, n) = transposeB == .none ? (b.rows, b.columns) : (b.columns, b.rows)
    precondition(
        k == kb && c.rows == m && c.columns == n,
        "gemm: op(A) \(m)×\(k) · op(B) \(kb)×\(n) into C \(c.rows)×\(c.columns)")
    guard m > 0, n > 0 else { return }
    let beta: Float = accumulation == .overwrite ? 0 : 1
    guard k > 0 else {
        if accumulation == .overwrite { c.zero() }
        return
    }
    ProductCount.record(m: m, n: n, k: k)
    cblas_sgemm(
        CblasRowMajor,
        transposeA == .none ? CblasNoTrans : CblasTrans,
        transposeB == .none ? CblasNoTrans : CblasTrans,
        Int32(m), Int32(n), Int32(k),
        alpha, a.base, Int32(max(a.stride, 1)),
        b.base, Int32(max(b.stride, 1)),
        beta, c.base, Int32(max(c.stride, 1)))
}

/// `b = aᵀ` through OpenBLAS's `cblas_somatcopy` (either may be strided).
public func transpose(_ a: Matrix, into b: Matrix) {
    precondition(b.rows == a.columns && b.columns == a.rows, "transpose: \(a.rows)×\(a.columns) into \(b.rows)×\(b.columns)")
    guard a.rows > 0, a.columns > 0 else { return }
    cblas_somatcopy(
        CblasRowMajor, CblasTrans, Int32(a.rows), Int32(a.columns), 1, a.base, Int32(max(a.stride, 1)),
        b.base, Int32(max(b.stride, 1)))
}

/// Sets the number of threads OpenBLAS uses in this process (one per rank when ranks
/// share a machine).
public func setBLASThreads(_ count: Int) {
    openblas_set_num_threads(Int32(count))
}
