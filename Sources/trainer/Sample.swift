import ArgumentParser
import Foundation
import GumbelGAN

struct Sample: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate strings from a trained model: exact categorical draws, the same for a seed.")

    @Option(
        name: [.customLong("run"), .customLong("checkpoint")],
        help: "A run folder (its newest model or checkpoint), or a model or checkpoint file. (--checkpoint is the old name.)")
    var model: String
    @Option(parsing: .unconditional, help: "Strings to generate.") var count = 10
    @Option(parsing: .unconditional, help: "Seed of the draws.") var seed: UInt64 = 1
    @Option(
        parsing: .unconditional,
        help:
            "Sampling temperature T: draws from softmax(logits / T); 1 is the model's distribution, below 1 sharper (fewer errors, less diversity) (default: the run's --sample-temperature, 1)."
    ) var temperature: Float?
    @Flag(
        help:
            "End each string at its first padding symbol, as samplers that stop at their end token read it (MOSES's CharRNN, TextGAN-PyTorch); without it padding inside a string is kept (the paper's validity counts such strings invalid)."
    ) var endAtPadding = false
    @Option(
        help:
            "Write the strings to this file instead of standard output (a regular file is replaced whole, when complete; a device or FIFO is written into)."
    ) var output: String?

    func validate() throws {
        guard count >= 1 else { throw ValidationError("--count must be at least 1 (got \(count))") }
        try TemperatureOption.validate(temperature)
    }

    func run() throws {
        // A stop ends the output cleanly: a file being written is dropped, not left half-made.
        let stop = StopSignal()
        setBLASThreads(1)
        let session = try StoredModel.locate(model).session()
        // Written a block at a time: a count is limited by time, not memory.
        let file = try output.map { try OutputFile(path: $0) }
        try session.sample(
            count: count, seed: seed, temperature: temperature, endingAtPadding: endAtPadding
        ) { strings in
            if let signal = stop.signal {
                throw UserError("stopped by signal \(signal); \(output.map { "\($0) was left as it was" } ?? "the output is incomplete")")
            }
            let text = strings.map { $0 + "\n" }.joined()
            if let file { try file.write(Data(text.utf8)) } else { try writeStandardOutput(text) }
        }
        try file?.commit()
    }
}
