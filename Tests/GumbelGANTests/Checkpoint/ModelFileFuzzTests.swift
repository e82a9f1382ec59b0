import Foundation
import Testing

@testable import GumbelGAN

/// Damaged checkpoints, made in many seeded ways, are errors that name the file: never a
/// trap, a hang or a silent load of other numbers.
@Suite struct ModelFileFuzzTests {
    /// SplitMix64: the damage is the same on every run.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// A small checkpoint of `tuned` (a moving average, two optimisers) as bytes, and where
    /// its header ends.
    static func checkpoint(in folder: String) throws -> (bytes: [UInt8], headerEnd: Int) {
        var c = TrainingConfiguration(preset: .tuned)
        (c.hiddenSize, c.discriminatorHiddenSize, c.batchSize, c.generatorBatchSize, c.pack) = (4, 4, 16, 16, 2)
        c.data = .grammar(Grammar(), size: 200)
        let session = try TrainingSession(configuration: c, dataset: try Dataset.load(c.data, seed: c.seed))
        let path = folder + "/model.safetensors"
        try ModelFile.write(session, to: path)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let size = (0..<8).reduce(0) { $0 | Int(bytes[$1]) << (8 * $1) }
        return (bytes, 8 + size)
    }

    /// One seeded kind of damage: bits of the header, digits of the header (shapes, offsets,
    /// the stored configuration, the step), the header's size, bytes put in or taken out,
    /// a cut, or bits of the tensor data.
    static func damage(_ original: [UInt8], headerEnd: Int, kind: Int, random: inout Seeded) -> [UInt8] {
        var bytes = original
        switch kind {
        case 0: bytes[Int.random(in: 8..<headerEnd, using: &random)] ^= 1 << UInt8.random(in: 0..<8, using: &random)
        case 1:
            let digits = (8..<headerEnd).filter { (48...57).contains(bytes[$0]) }
            let at = digits.randomElement(using: &random)!
            bytes[at] = 48 + (bytes[at] - 48 + UInt8.random(in: 1...9, using: &random)) % 10
        case 2:
            let size = UInt64.random(in: 0...UInt64(original.count * 2), using: &random)
            for i in 0..<8 { bytes[i] = UInt8(truncatingIfNeeded: size >> (8 * UInt64(i))) }
        case 3:
            let at = Int.random(in: 8..<bytes.count, using: &random)
            if Bool.random(using: &random) { bytes.remove(at: at) } else { bytes.insert(UInt8.random(in: 0...255, using: &random), at: at) }
        case 4: bytes.removeLast(Int.random(in: 1..<bytes.count, using: &random))
        default: bytes[Int.random(in: headerEnd..<bytes.count, using: &random)] ^= 1 << UInt8.random(in: 0..<8, using: &random)
        }
        return bytes
    }

    /// 600 damaged files: each is refused with one message naming it (the checksum finds
    /// what the format's own checks cannot, such as a changed weight or setting).
    @Test func everyDamageIsFoundAndNamed() throws {
        let folder = temporaryFolder()
        let (original, headerEnd) = try Self.checkpoint(in: folder)
        var random = Seeded(state: 2026)
        let path = folder + "/damaged.safetensors"
        var refused = [Int](repeating: 0, count: 6)
        for trial in 0..<600 {
            let bytes = Self.damage(original, headerEnd: headerEnd, kind: trial % 6, random: &random)
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            do {
                _ = try StoredModel.locate(path).session().sample(count: 3, seed: 1)
                Issue.record("trial \(trial) (kind \(trial % 6)): a damaged file loaded")
            } catch let error as UserFacingError {
                #expect("\(error)".contains(path), "trial \(trial): \(error)")
                refused[trial % 6] += 1
            }
        }
        #expect(refused == [100, 100, 100, 100, 100, 100])
        // Sizes whose product overflows are a bad tensor, not an arithmetic trap.
        let header = Array(#"{"t":{"dtype":"F32","shape":[9223372036854775807,2],"data_offsets":[0,8]}}"#.utf8)
        let huge = (0..<8).map { UInt8(truncatingIfNeeded: header.count >> (8 * $0)) } + header + [UInt8](repeating: 0, count: 8)
        #expect(throws: SafeTensorsError.self) { try SafeTensors.decode(Data(huge), path: path) }
    }

    /// Without a checksum (format 1, the files of earlier versions) a changed setting is
    /// caught by validation and the shape checks, or loads a model that samples: never a
    /// trap, whatever the digits become.
    @Test func formatOneFilesSurviveChangedSettings() throws {
        let folder = temporaryFolder()
        let (original, _) = try Self.checkpoint(in: folder)
        var file = try SafeTensors.decode(Data(original), path: "")
        file.metadata["format_version"] = "1"
        file.metadata["checksum"] = nil
        let plain = [UInt8](file.encoded())
        let headerEnd = 8 + (0..<8).reduce(0) { $0 | Int(plain[$1]) << (8 * $1) }
        let path = folder + "/v1.safetensors"
        var random = Seeded(state: 7)
        var (loaded, refused) = (0, 0)
        for _ in 0..<150 {
            try Data(Self.damage(plain, headerEnd: headerEnd, kind: 1, random: &random)).write(to: URL(fileURLWithPath: path))
            do {
                #expect(try StoredModel.locate(path).session().sample(count: 3, seed: 1).count == 3)
                loaded += 1
            } catch is UserFacingError { refused += 1 }
        }
        #expect(loaded > 0 && refused > 0 && loaded + refused == 150, "\(loaded) loaded, \(refused) refused")
    }
}
