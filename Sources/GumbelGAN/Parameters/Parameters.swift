/// All parameters of one network in ONE contiguous Float32 buffer, and all their
/// gradients in ONE buffer of the same size and layout, with named views into both.
///
/// So a whole network's gradient is one buffer: one collective call reduces it, one Adam
/// update consumes it, one file write saves it.
public final class Parameters {
    public let layout: ParameterLayout
    public let values: FloatBuffer
    public let gradients: FloatBuffer

    public init(layout: ParameterLayout) {
        self.layout = layout
        values = FloatBuffer(count: layout.count)
        gradients = FloatBuffer(count: layout.count)
    }

    /// Named views over existing `values` of `layout` (another copy of a network's weights,
    /// such as their moving average), with gradients of their own.
    public init(layout: ParameterLayout, values: FloatBuffer) {
        precondition(values.count == layout.count, "Parameters: \(values.count) values for a layout of \(layout.count)")
        self.layout = layout
        self.values = values
        gradients = FloatBuffer(count: layout.count)
    }

    public var count: Int { layout.count }

    public func entry(_ name: String) -> ParameterLayout.Entry {
        guard let e = layout.entries.first(where: { $0.name == name }) else {
            preconditionFailure("Parameters: no tensor named \(name) in \(layout.entries.map(\.name))")
        }
        return e
    }

    /// The values of tensor `name`.
    public func value(_ name: String) -> Tensor {
        let e = entry(name)
        return Tensor(values, offset: e.offset, shape: e.shape)
    }

    /// The gradient of tensor `name`.
    public func gradient(_ name: String) -> Tensor {
        let e = entry(name)
        return Tensor(gradients, offset: e.offset, shape: e.shape)
    }

    /// Sets every gradient to zero (before a backward pass, which accumulates).
    public func zeroGradients() { gradients.zero() }
}
