/// A non-owning row-major view of `rows × columns` Float32 values starting at `base`.
///
/// Element (i, j) is at `base[i * columns + j]`. Creating, copying or slicing a matrix
/// never allocates, so kernels take matrices in hot loops. The view is valid only while
/// the storage it points into is alive.
public struct Matrix {
    public let base: UnsafeMutablePointer<Float>
    public let rows: Int
    public let columns: Int

    public init(_ base: UnsafeMutablePointer<Float>, rows: Int, columns: Int) {
        precondition(rows >= 0 && columns >= 0, "Matrix: negative shape \(rows)×\(columns)")
        self.base = base
        self.rows = rows
        self.columns = columns
    }

    public var count: Int { rows * columns }

    /// The first value of row `i`.
    @inline(__always)
    public func row(_ i: Int) -> UnsafeMutablePointer<Float> { base + i * columns }

    /// Rows `range` as a matrix of their own (no copy).
    public func rows(_ range: Range<Int>) -> Matrix {
        precondition(range.lowerBound >= 0 && range.upperBound <= rows,
                     "Matrix.rows: \(range) outside 0..<\(rows)")
        return Matrix(base + range.lowerBound * columns, rows: range.count, columns: columns)
    }

    @inline(__always)
    public subscript(i: Int, j: Int) -> Float {
        get { base[i * columns + j] }
        nonmutating set { base[i * columns + j] = newValue }
    }

    /// All values in row-major order, as a buffer pointer (no copy).
    public var values: UnsafeMutableBufferPointer<Float> { .init(start: base, count: count) }

    /// Sets every value to zero.
    public func zero() { base.update(repeating: 0, count: count) }

    /// Copies all values of `source`, which must have the same shape.
    public func copy(from source: Matrix) {
        precondition(source.rows == rows && source.columns == columns,
                     "Matrix.copy: \(source.rows)×\(source.columns) into \(rows)×\(columns)")
        base.update(from: source.base, count: count)
    }
}
