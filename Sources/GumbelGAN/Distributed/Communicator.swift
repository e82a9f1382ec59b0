/// Collective operations across the ranks of a data-parallel job. Every rank calls the same
/// collectives in the same order; each returns when all ranks have called it.
public protocol Communicator: AnyObject {
    var rank: Int { get }
    var size: Int { get }
    /// Replaces `values` on every rank with their elementwise sum over the ranks.
    func allreduceSum(_ values: UnsafeMutableBufferPointer<Float>)
    /// Replaces `values` on every rank with their elementwise sum over the ranks.
    func allreduceSum(_ values: UnsafeMutableBufferPointer<Double>)
    /// Replaces `values` on every rank with rank `root`'s.
    func broadcast(_ values: UnsafeMutableBufferPointer<Float>, root: Int)
    /// Returns when every rank has called it.
    func barrier()
}

/// One process alone: rank 0 of 1, every collective leaves its values as they are.
public final class SingleProcess: Communicator {
    public init() {}
    public var rank: Int { 0 }
    public var size: Int { 1 }
    public func allreduceSum(_ values: UnsafeMutableBufferPointer<Float>) {}
    public func allreduceSum(_ values: UnsafeMutableBufferPointer<Double>) {}
    public func broadcast(_ values: UnsafeMutableBufferPointer<Float>, root: Int) {}
    public func barrier() {}
}
