/// Data parallelism as a wrapper around the optimiser step (Horovod's `DistributedOptimizer`):
/// every rank has summed its rows' gradients, scaled by one over the global batch; one
/// allreduce gives every rank the whole batch's gradient, and every rank applies the same
/// Adam update, so the replicas stay identical. Clipping or another optimiser goes here.
public final class DistributedOptimizer {
    public let adam: Adam
    public let communicator: Communicator

    public init(parameterCount: Int, settings: AdamSettings, communicator: Communicator = SingleProcess()) {
        adam = Adam(parameterCount: parameterCount, settings: settings)
        self.communicator = communicator
    }

    /// Sums `parameters.gradients` over the ranks, then updates `parameters.values` with
    /// the learning rate scaled by `learningRateScale`.
    public func step(_ parameters: Parameters, learningRateScale: Float = 1) {
        communicator.allreduceSum(parameters.gradients.values)
        adam.update(parameters, learningRateScale: learningRateScale)
    }
}
