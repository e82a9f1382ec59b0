import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Counts the floating-point operations of the matrix products that ``gemm(_:_:_:_:into:_:alpha:)``
/// runs (2 per multiply–add; the elementwise work is not counted): what a benchmark divides
/// by its time to compare with the processor's peak.
///
/// Counting is per thread, so tests running beside a measurement do not enter its count, and
/// costs one relaxed load per product when no measurement runs.
public enum ProductCount {
    private static let measurements = Atomic<Int>(0)
    private static let counter: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// Runs `body` on this thread and returns its result with the operations of the products
    /// it ran on this thread (a measurement inside another counts for the inner one only).
    public static func measure<T>(_ body: () throws -> T) rethrows -> (result: T, operations: Int) {
        let count = UnsafeMutablePointer<Int>.allocate(capacity: 1)
        count.initialize(to: 0)
        let outer = pthread_getspecific(counter)
        pthread_setspecific(counter, count)
        measurements.wrappingAdd(1, ordering: .relaxed)
        defer {
            measurements.wrappingSubtract(1, ordering: .relaxed)
            pthread_setspecific(counter, outer)
            count.deallocate()
        }
        let result = try body()
        return (result, count.pointee)
    }

    /// Adds an `m × k` by `k × n` product to this thread's measurement, if one runs.
    @inline(__always)
    static func record(m: Int, n: Int, k: Int) {
        guard measurements.load(ordering: .relaxed) > 0, let count = pthread_getspecific(counter) else { return }
        count.assumingMemoryBound(to: Int.self).pointee += 2 * m * n * k
    }
}
