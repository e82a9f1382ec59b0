import Foundation
import Testing

@testable import GumbelGAN

@Suite struct TemperatureTests {
    @Test func schedules() {
        let linear = TemperatureSchedule.paper
        #expect(linear.value(at: 0) == 5 && linear.value(at: 5000) == 3 && linear.value(at: 10_000) == 1 && linear.value(at: 19_999) == 1)
        let inverse = TemperatureSchedule(.inverseLinear, start: 5, end: 1, steps: 100)
        #expect(abs(inverse.value(at: 50) - 1 / 0.6) < 1e-5 && inverse.value(at: 0) == 5 && inverse.value(at: 100) == 1)
        let geometric = TemperatureSchedule(.exp, start: 5, end: 1, steps: 100)
        #expect(abs(geometric.value(at: 50) - 5.0.squareRoot().float) < 1e-5)
        #expect(TemperatureSchedule.constant(2).value(at: 7) == 2)
    }
}

extension Double { var float: Float { Float(self) } }
