/// A non-owning row-major view of `rows × columns` Float32 values starting at `base`,
/// rows `stride` values apart (`stride == columns` for a contiguous matrix; larger for a
/// block of columns cut out of a wider matrix).
///
/// Element (i, j) is at `base[i * stride + j]`. Creating, copying or slicing a matrix
/// never allocates, so kernels take matrices in hot loops. The view is valid only while
/// the storage it points into is alive.
public struct Matrix {
    public let base: UnsafeMutablePointer<Float>
    public let rows: Int
    public let columns: Int
    /// Values from the start of one row to the start of the next (BLAS's leading dimension).
    public let stride: Int

    public init(_ base: UnsafeMutablePointer<Float>, rows: Int, columns: Int, stride: Int? = nil) {
        precondition(rows >= 0 && columns >= 0, "Matrix: negative shape \(rows)×\(columns)")
        precondition((stride ?? columns) >= columns, "Matrix: stride \(stride ?? columns) below \(columns) columns")
        self.base = base
        self.rows = rows
        self.columns = columns
        self.stride = stride ?? columns
    }

    public var count: Int { rows * columns }

    /// Whether the rows follow one another with no gap (`stride == columns`).
    public var isContiguous: Bool { stride == columns || rows <= 1 }

    /// The first value of row `i`.
    @inline(__always)
    public func row(_ i: Int) -> UnsafeMutablePointer<Float> { base + i * stride }

    /// Rows `range` as a matrix of their own (no copy).
    public func rows(_ range: Range<Int>) -> Matrix {
        precondition(
            range.lowerBound >= 0 && range.upperBound <= rows,
            "Matrix.rows: \(range) outside 0..<\(rows)")
        return Matrix(base + range.lowerBound * stride, rows: range.count, columns: columns, stride: stride)
    }

    /// Columns `range` as a matrix of their own (no copy; rows keep this matrix's stride).
    public func columns(_ range: Range<Int>) -> Matrix {
        precondition(
            range.lowerBound >= 0 && range.upperBound <= columns,
            "Matrix.columns: \(range) outside 0..<\(columns)")
        return Matrix(base + range.lowerBound, rows: rows, columns: range.count, stride: stride)
    }

    @inline(__always)
    public subscript(i: Int, j: Int) -> Float {
        get { base[i * stride + j] }
        nonmutating set { base[i * stride + j] = newValue }
    }

    /// Column `j` of rows `r ..< r + 8` as a vector (`width` 8), or element `(r, j)` in every
    /// lane (`width` 1), as ``forEachVector(_:_:)`` hands out widths.
    @inline(__always)
    public func column(_ j: Int, rows r: Int, width: Int) -> Lanes {
        let p = base + r * stride + j
        if width == 1 { return Lanes(repeating: p[0]) }
        let s = stride
        return Lanes(p[0], p[s], p[2 * s], p[3 * s], p[4 * s], p[5 * s], p[6 * s], p[7 * s])
    }

    /// Stores `v` into column `j` of rows `r ..< r + 8` (`width` 8), or its lane 0 at `(r, j)`.
    @inline(__always)
    public func setColumn(_ j: Int, rows r: Int, _ v: Lanes, width: Int) {
        let p = base + r * stride + j
        for lane in 0..<width { p[lane * stride] = v[lane] }
    }

    /// All values in row-major order, as a buffer pointer (no copy); the matrix must be
    /// contiguous.
    public var values: UnsafeMutableBufferPointer<Float> {
        precondition(isContiguous, "Matrix.values: rows \(stride) apart, \(columns) columns")
        return .init(start: base, count: count)
    }

    /// The values row by row, as an array (for tests and reports, not hot loops).
    public var array: [Float] { (0..<rows).flatMap { Array(UnsafeBufferPointer(start: row($0), count: columns)) } }

    /// Sets every value to zero.
    public func zero() {
        if isContiguous { return base.update(repeating: 0, count: count) }
        for i in 0..<rows { row(i).update(repeating: 0, count: columns) }
    }

    /// Copies all values of `source`, which must have the same shape.
    public func copy(from source: Matrix) {
        precondition(
            source.rows == rows && source.columns == columns,
            "Matrix.copy: \(source.rows)×\(source.columns) into \(rows)×\(columns)")
        if isContiguous && source.isContiguous { return base.update(from: source.base, count: count) }
        for i in 0..<rows { row(i).update(from: source.row(i), count: columns) }
    }
}
