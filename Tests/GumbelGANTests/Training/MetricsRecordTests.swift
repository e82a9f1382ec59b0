import Foundation
import Testing

@testable import GumbelGAN

@Suite struct MetricsRecordTests {
    private func records(_ seconds: [Double]) -> [MetricsRecord] {
        seconds.enumerated().map { MetricsRecord(step: 100 * ($0.offset + 1), tau: 1, seconds: $0.element) }
    }

    /// One piece, or pieces whose seconds run on (this trainer's resumes): the last.
    @Test func wallSecondsOfOnePieceIsItsLast() {
        #expect(MetricsRecord.wallSeconds(records([])) == 0)
        #expect(MetricsRecord.wallSeconds(records([12, 30, 30, 95.5])) == 95.5)
    }

    /// A file that an older trainer resumed twice: its seconds began again at 0 in each piece,
    /// so the run's time is the sum of each piece's last (40 + 25 + 7).
    @Test func wallSecondsSumsThePiecesOfAnOlderResume() {
        #expect(MetricsRecord.wallSeconds(records([10, 40, 5, 25, 3, 7])) == 72)
    }
}
