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
/// with `m = max_k s x_k`, so no exponent overflows. `y` may be `x`.
///
/// Eight rows at a time, one vector per column: rows are short (one per symbol), so the
/// lanes run across rows and every step is lane-wise, with the same arithmetic for the
/// last rows (``forEachVector(_:_:)``) as for any other.
public func softmaxRows(_ x: Matrix, into y: Matrix, scale: Float = 1) {
    precondition(x.rows == y.rows && x.columns == y.columns, "softmaxRows: shapes differ")
    let n = x.columns
    withUnsafeTemporaryAllocation(of: Lanes.self, capacity: n) { columns in
        @inline(__always) func rows(_ r: Int, _ w: Int) {
            var top = Lanes(repeating: -.infinity)
            for j in 0..<n {
                let v = scale * x.column(j, rows: r, width: w)
                top.replace(with: v, where: v .> top)
                columns[j] = v
            }
            var sum = Lanes(repeating: 0)
            for j in 0..<n {
                columns[j] = exp(columns[j] - top)
                sum += columns[j]
            }
            let inverse = 1 / sum
            for j in 0..<n { y.setColumn(j, rows: r, columns[j] * inverse, width: w) }
        }
        forEachVector(x.rows, rows)
    }
}

/// Row-wise `y = log softmax(x)` along the last axis: `y_j = x_j - m - log Σ_k e^{x_k - m}`
/// with `m = max_k x_k`. `y` may be `x`.
///
/// Rows of at least ``longRow`` values (large vocabularies) run along the row, eight values
/// at a time with the vector `exp`; shorter ones keep the scalar loop (and its bits).
public func logSoftmaxRows(_ x: Matrix, into y: Matrix) {
    precondition(x.rows == y.rows && x.columns == y.columns, "logSoftmaxRows: shapes differ")
    let n = x.columns
    if n >= longRow { return logSoftmaxLongRows(x, into: y) }
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

/// `x *= mask` elementwise over matrices of one shape (a dropout mask on a gradient).
public func multiply(_ x: Matrix, by mask: Matrix) {
    precondition(x.rows == mask.rows && x.columns == mask.columns, "multiply: shapes differ")
    for i in 0..<x.rows {
        let (g, m) = (x.row(i), mask.row(i))
        for j in 0..<x.columns { g[j] *= m[j] }
    }
}

/// The row length from which row-wise kernels run along the row rather than across rows.
public let longRow = 64

/// ``logSoftmaxRows(_:into:)`` for long rows, vectorised along each row.
func logSoftmaxLongRows(_ x: Matrix, into y: Matrix) {
    let n = x.columns
    for r in 0..<x.rows {
        let (xr, yr) = (x.row(r), y.row(r))
        var tops = Lanes(repeating: -.infinity)
        @inline(__always) func maximum(_ j: Int, _ w: Int) {
            let v = xr.lanes(j, width: w)
            tops.replace(with: v, where: v .> tops)
        }
        forEachVector(n, maximum)
        let top = tops.max()
        var sums = Lanes(repeating: 0)
        var tail: Float = 0
        @inline(__always) func total(_ j: Int, _ w: Int) {
            let e = exp(xr.lanes(j, width: w) - top)
            if w == 8 { sums += e } else { tail += e[0] }
        }
        forEachVector(n, total)
        let shift = top + Foundation.log(sums.sum() + tail)
        @inline(__always) func write(_ j: Int, _ w: Int) { yr.lanes(j, xr.lanes(j, width: w) - shift, width: w) }
        forEachVector(n, write)
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
