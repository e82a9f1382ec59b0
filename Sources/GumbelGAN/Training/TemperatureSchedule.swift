import Foundation

/// A Gumbel-softmax temperature as a function of the iteration `i` (0-based): it moves from
/// `start` to `end` over the first `steps` iterations, then stays at `end`.
public struct TemperatureSchedule: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// `τ` linear in `i` (the paper: 5 → 1 over 10,000 iterations).
        case linear
        /// `1/τ` linear in `i` (the authors' script: 1/τ from 0.2 to 1).
        case inverseLinear = "inverse-linear"
        /// `τ` geometric in `i`: `start · (end/start)^(i/steps)`.
        case exp
        /// `τ = end` throughout.
        case constant
    }

    public var kind: Kind
    public var start: Float
    public var end: Float
    public var steps: Int

    public init(_ kind: Kind, start: Float, end: Float, steps: Int) {
        self.kind = kind
        self.start = start
        self.end = end
        self.steps = steps
    }

    /// A fixed temperature.
    public static func constant(_ tau: Float) -> TemperatureSchedule { .init(.constant, start: tau, end: tau, steps: 0) }

    /// The paper's: 5 → 1, linear, over 10,000 iterations.
    public static let paper = TemperatureSchedule(.linear, start: 5, end: 1, steps: 10_000)

    /// `τ` at iteration `i`.
    public func value(at i: Int) -> Float {
        guard kind != .constant, steps > 0 else { return end }
        let f = Float(min(max(i, 0), steps)) / Float(steps)
        switch kind {
        case .linear: return start + (end - start) * f
        case .inverseLinear: return 1 / (1 / start + (1 / end - 1 / start) * f)
        case .exp: return start * Foundation.pow(end / start, f)
        case .constant: return end
        }
    }
}
