import Foundation
import Testing

@testable import GumbelGAN

extension ExternalProcesses {
    @Suite struct SimulatedRanksCommandLineTests {
        /// `--simulate-ranks 3` logs the same global losses as one rank (to 1e-4 relative).
        @Test func simulatedRanksLogTheSameLosses() throws {
            let folder = temporaryFolder()
            func losses(_ ranks: Int) throws -> [Double] {
                let run = folder + "/r\(ranks)"
                let r = try runTrainer([
                    "train", "--iterations", "30", "--batch", "24", "--generator-batch", "24", "--log-every", "10",
                    "--evaluate-every", "30", "--evaluation-samples", "50", "--simulate-ranks", "\(ranks)", "--debug",
                    "--run-dir", run,
                ])
                #expect(r.status == 0, "\(r.err)")
                let lines = try String(contentsOfFile: run + "/metrics.jsonl", encoding: .utf8).split(separator: "\n")
                return try lines.flatMap { line -> [Double] in
                    let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
                    return [object["loss_d"] as! Double, object["loss_g"] as! Double]
                }
            }
            let one = try losses(1), three = try losses(3)
            #expect(one.count == 6 && three.count == 6)
            for (a, b) in zip(three, one) { #expect(abs(a - b) <= 1e-4 * max(abs(b), 1e-3), "\(a) vs \(b)") }
            let tooMany = try runTrainer(["train", "--batch", "2", "--simulate-ranks", "3", "--run-dir", folder + "/x"])
            #expect(tooMany.status != 0 && tooMany.err.contains("--batch 2 is smaller than the 3 ranks"))
        }
    }
}
