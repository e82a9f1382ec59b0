/// Owned, zero-initialised, contiguous Float32 storage.
///
/// The allocation lives exactly as long as the buffer object. Views (``Tensor``,
/// ``Matrix``) point into it; a ``Tensor`` keeps its buffer alive, a ``Matrix`` does not
/// and is only valid while some owner of the buffer is.
public final class FloatBuffer {
    /// Number of Float32 values.
    public let count: Int
    /// The first value.
    public let pointer: UnsafeMutablePointer<Float>

    /// Allocates `count` values, all zero.
    public init(count: Int) {
        precondition(count >= 0, "FloatBuffer: negative count \(count)")
        self.count = count
        pointer = .allocate(capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
    }

    deinit { pointer.deallocate() }

    /// The values as a buffer pointer (no copy).
    public var values: UnsafeMutableBufferPointer<Float> { .init(start: pointer, count: count) }

    /// Sets every value to zero.
    public func zero() { pointer.update(repeating: 0, count: count) }

    /// Copies all values from `other`, which must have the same count.
    public func copy(from other: FloatBuffer) {
        precondition(other.count == count, "FloatBuffer.copy: \(other.count) values into \(count)")
        pointer.update(from: other.pointer, count: count)
    }
}
