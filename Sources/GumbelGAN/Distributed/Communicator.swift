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
