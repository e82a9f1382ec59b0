/// The shape of a network's parameters: named tensors in declaration order.
///
/// Layers declare what they need (``Linear/declare(in:prefix:inputs:outputs:)``,
/// ``LSTM/declare(in:prefix:inputSize:hiddenSize:)``), then ``Parameters`` lays all of them
/// out back to back in one buffer.
public struct ParameterLayout: Sendable {
    public struct Entry: Sendable, Equatable {
        public let name: String
        public let shape: [Int]
        public let offset: Int
        public var count: Int { shape.reduce(1, *) }
    }

    public private(set) var entries: [Entry] = []
    /// Total number of values.
    public private(set) var count = 0

    public init() {}

    /// Appends a tensor. Names must be unique.
    public mutating func add(_ name: String, shape: [Int]) {
        precondition(!entries.contains { $0.name == name }, "ParameterLayout: \(name) declared twice")
        let entry = Entry(name: name, shape: shape, offset: count)
        entries.append(entry)
        count += entry.count
    }
}
