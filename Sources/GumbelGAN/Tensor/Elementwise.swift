import Foundation

// Fused elementwise kernels over raw storage. None of them allocates.

/// The logistic function `1 / (1 + e^-x)`, computed without overflow for any `x`.
@inline(__always)
public func sigmoid(_ x: Float) -> Float {
    if x >= 0 { return 1 / (1 + exp(-x)) }
    let e = exp(x)
    return e / (1 + e)
}

/// `log(1 + e^x)`, computed without overflow for any `x`: `max(x, 0) + log1p(e^-|x|)`.
@inline(__always)
public func softplus(_ x: Float) -> Float {
    max(x, 0) + log1p(exp(-abs(x)))
}

/// Row-wise `y = softmax(scale · x)` along the last axis: `y_j = e^{s x_j - m} / Σ_k e^{s x_k - m}`
/// with `m = max_k s x_k`, so no exponent overflows. The exponentials run over the whole
/// matrix in one vectorised pass. `y` may be `x`.
public func softmaxRows(_ x: Matrix, into y: Matrix, scale: Float = 1) {
    precondition(x.rows == y.rows && x.columns == y.columns, "softmaxRows: shapes differ")
    precondition(y.isContiguous, "softmaxRows: the output must be contiguous (one vectorised pass over it)")
    let n = x.columns
    for r in 0..<x.rows {
        let xr = x.row(r), yr = y.row(r)
        var top = -Float.infinity
        for j in 0..<n {
            yr[j] = scale * xr[j]
            if yr[j] > top { top = yr[j] }
        }
        for j in 0..<n { yr[j] -= top }
    }
    map(y.base, into: y.base, count: y.count, exp)
    for r in 0..<y.rows {
        let yr = y.row(r)
        var sum: Float = 0
        for j in 0..<n { sum += yr[j] }
        let inverse = 1 / sum
        for j in 0..<n { yr[j] *= inverse }
    }
}

/// Row-wise `y = log softmax(x)` along the last axis: `y_j = x_j - m - log Σ_k e^{x_k - m}`
/// with `m = max_k x_k`. `y` may be `x`.
public func logSoftmaxRows(_ x: Matrix, into y: Matrix) {
    precondition(x.rows == y.rows && x.columns == y.columns, "logSoftmaxRows: shapes differ")
    let n = x.columns
    for r in 0..<x.rows {
        let xr = x.row(r), yr = y.row(r)
        var top = -Float.infinity
        for j in 0..<n { top = max(top, xr[j]) }
        var sum: Float = 0
        for j in 0..<n { sum += exp(xr[j] - top) }
        let shift = top + log(sum)
        for j in 0..<n { yr[j] = xr[j] - shift }
    }
}

/// Adds `vector` (length `m.columns`) to every row of `m`.
public func addToRows(_ vector: UnsafePointer<Float>, _ m: Matrix) {
    for r in 0..<m.rows {
        let row = m.row(r)
        for j in 0..<m.columns { row[j] += vector[j] }
    }
}

/// `vector += Σ_rows m` (column sums of `m` added to `vector`, length `m.columns`).
public func addColumnSums(of m: Matrix, to vector: UnsafeMutablePointer<Float>) {
    for r in 0..<m.rows {
        let row = m.row(r)
        for j in 0..<m.columns { vector[j] += row[j] }
    }
}

/// `y += x` elementwise over `count` values.
public func add(_ x: UnsafePointer<Float>, to y: UnsafeMutablePointer<Float>, count: Int) {
    for i in 0..<count { y[i] += x[i] }
}

/// `vector += Σ_columns m` (row sums of `m` added to `vector`, length `m.rows`).
public func addRowSums(of m: Matrix, to vector: UnsafeMutablePointer<Float>) {
    for i in 0..<m.rows {
        let row = m.row(i)
        var sums = Lanes(repeating: 0)
        var j = 0
        while j + 8 <= m.columns {
            sums += UnsafeRawPointer(row + j).loadUnaligned(as: Lanes.self)
            j += 8
        }
        var total = sums.sum()
        while j < m.columns {
            total += row[j]
            j += 1
        }
        vector[i] += total
    }
}

/// Sets every column of `m` to `vector` (length `m.rows`): `m[i, j] = vector[i]`.
public func broadcastColumns(_ vector: UnsafePointer<Float>, into m: Matrix) {
    for i in 0..<m.rows { m.row(i).update(repeating: vector[i], count: m.columns) }
}
