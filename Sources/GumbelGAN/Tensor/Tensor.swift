/// A shaped, row-major view into a ``FloatBuffer`` that keeps the buffer alive.
///
/// Shapes are fixed when the view is made (at set-up, not in hot loops). For rank ≥ 2,
/// ``matrix`` folds the leading axes into rows; for rank 3 `[T, B, C]`, ``subscript(_:)``
/// gives the `B × C` matrix of step `t`, which is how sequences are laid out
/// (time-major, so that every step's batch is one contiguous matrix).
public struct Tensor {
    public let storage: FloatBuffer
    public let offset: Int
    public let shape: [Int]
    /// Number of values: the product of the shape.
    public let count: Int

    /// A view of `shape` starting `offset` values into `storage`.
    public init(_ storage: FloatBuffer, offset: Int = 0, shape: [Int]) {
        let count = shape.reduce(1, *)
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor: negative dimension in \(shape)")
        precondition(
            offset >= 0 && offset + count <= storage.count,
            "Tensor: \(shape) at offset \(offset) does not fit \(storage.count) values")
        self.storage = storage
        self.offset = offset
        self.shape = shape
        self.count = count
    }

    /// A tensor of `shape` with storage of its own, all zero.
    public init(zeros shape: [Int]) {
        self.init(FloatBuffer(count: shape.reduce(1, *)), shape: shape)
    }

    /// A tensor of `shape` with storage of its own, holding `values` in row-major order.
    public init(shape: [Int], values: [Float]) {
        self.init(zeros: shape)
        precondition(values.count == count, "Tensor: \(values.count) values for shape \(shape)")
        base.update(from: values, count: count)
    }

    /// The first value.
    public var base: UnsafeMutablePointer<Float> { storage.pointer + offset }

    /// All values as a matrix: the last axis is the columns, the others fold into rows.
    /// A rank-1 tensor is one row.
    public var matrix: Matrix {
        Matrix(base, rows: shape.dropLast().reduce(1, *), columns: shape.last ?? 1)
    }

    /// For a rank-3 tensor `[T, B, C]`: the `B × C` matrix at position `t` of the first axis.
    public subscript(_ t: Int) -> Matrix {
        precondition(shape.count == 3 && t >= 0 && t < shape[0], "Tensor[\(t)] on shape \(shape)")
        return Matrix(base + t * shape[1] * shape[2], rows: shape[1], columns: shape[2])
    }

    /// For a rank-3 tensor `[T, B, C]`: steps `range` folded into one `(range.count·B) × C` matrix.
    public func steps(_ range: Range<Int>) -> Matrix {
        precondition(
            shape.count == 3 && range.lowerBound >= 0 && range.upperBound <= shape[0],
            "Tensor.steps(\(range)) on shape \(shape)")
        return Matrix(
            base + range.lowerBound * shape[1] * shape[2],
            rows: range.count * shape[1], columns: shape[2])
    }

    /// For a rank-3 tensor `[T, B, C]`: its first `n` steps as a `[n, B, C]` tensor (no copy).
    public func prefix(steps n: Int) -> Tensor {
        precondition(shape.count == 3 && n >= 0 && n <= shape[0], "Tensor.prefix(steps: \(n)) on shape \(shape)")
        return Tensor(storage, offset: offset, shape: [n, shape[1], shape[2]])
    }

    /// The values as a buffer pointer (no copy).
    public var values: UnsafeMutableBufferPointer<Float> { .init(start: base, count: count) }

    /// A copy of the values as an array (for tests, reports and files, not hot loops).
    public var array: [Float] { Array(values) }

    /// Sets every value to zero.
    public func zero() { base.update(repeating: 0, count: count) }
}
