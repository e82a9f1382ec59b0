import Foundation
import Testing

@testable import GumbelGAN

/// A small reader of TensorBoard event files: records with their checks, and the protobuf
/// fields of each event.
enum EventFileReader {
    struct Failure: Error, CustomStringConvertible { let description: String }

    /// The events of the file, each as its fields (field number → values), after checking
    /// every record's two masked CRC-32Cs.
    static func events(_ path: String) throws -> [[Int: [Field]]] {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var (at, out) = (0, [[Int: [Field]]]())
        func u32(_ i: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(bytes[i + $1]) << (8 * $1) } }
        while at < bytes.count {
            guard at + 12 <= bytes.count else { throw Failure(description: "cut record at \(at)") }
            let length = Int((0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[at + $1]) << (8 * UInt64($1)) })
            guard TensorBoardEvents.maskedCRC(bytes[at..<(at + 8)]) == u32(at + 8) else { throw Failure(description: "length check at \(at)") }
            let data = Array(bytes[(at + 12)..<(at + 12 + length)])
            guard TensorBoardEvents.maskedCRC(data) == u32(at + 12 + length) else { throw Failure(description: "data check at \(at)") }
            out.append(try fields(data))
            at += 16 + length
        }
        return out
    }

    enum Field {
        case varint(UInt64)
        case fixed64(UInt64)
        case fixed32(UInt32)
        case bytes([UInt8])
        var bytes: [UInt8] { if case .bytes(let b) = self { return b } else { return [] } }
        var message: [Int: [Field]] { (try? EventFileReader.fields(bytes)) ?? [:] }
        var string: String { String(decoding: bytes, as: UTF8.self) }
    }

    static func fields(_ b: [UInt8]) throws -> [Int: [Field]] {
        var (i, out) = (0, [Int: [Field]]())
        func varint() throws -> UInt64 {
            var (v, shift) = (UInt64(0), UInt64(0))
            while true {
                guard i < b.count else { throw Failure(description: "cut varint") }
                let byte = b[i]
                i += 1
                v |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { return v }
                shift += 7
            }
        }
        while i < b.count {
            let key = try varint()
            let field: Field
            switch key & 7 {
            case 0: field = .varint(try varint())
            case 1:
                field = .fixed64((0..<8).reduce(0) { $0 | UInt64(b[i + $1]) << (8 * UInt64($1)) })
                i += 8
            case 2:
                let n = Int(try varint())
                field = .bytes(Array(b[i..<(i + n)]))
                i += n
            case 5:
                field = .fixed32((0..<4).reduce(0) { $0 | UInt32(b[i + $1]) << (8 * $1) })
                i += 4
            default: throw Failure(description: "wire type \(key & 7)")
            }
            out[Int(key >> 3), default: []].append(field)
        }
        return out
    }
}

@Suite struct TensorBoardEventsTests {
    /// What the writer puts in reads back: the version record, scalars with their tags,
    /// steps and values, text with the text plugin's metadata; a damaged byte fails the check.
    @Test func eventsReadBack() throws {
        let folder = temporaryFolder()
        let events = try TensorBoardEvents(folder: folder, now: Date(timeIntervalSince1970: 1_000))
        #expect((events.path as NSString).lastPathComponent.hasPrefix("events.out.tfevents.1000."))
        try events.scalars([("loss/discriminator", 1.25), ("D/real", 0.5)], step: 300)
        try events.text("samples", "    x+x\n    x", step: 300)
        let read = try EventFileReader.events(events.path)
        #expect(read.count == 3)
        #expect(read[0][3]?.first?.string == "brain.Event:2")
        if case .fixed64(let bits) = read[0][1]?.first { #expect(Double(bitPattern: bits) == 1_000) } else { Issue.record("no wall time") }
        let scalar = read[1]
        if case .varint(let step) = scalar[2]?.first { #expect(step == 300) } else { Issue.record("no step") }
        let values = scalar[5]?.first?.message[1] ?? []
        let pairs = values.map { v -> (String, Float) in
            let m = v.message
            guard case .fixed32(let bits) = m[2]?.first else { return (m[1]?.first?.string ?? "", .nan) }
            return (m[1]?.first?.string ?? "", Float(bitPattern: bits))
        }
        #expect(pairs.map(\.0) == ["loss/discriminator", "D/real"] && pairs.map(\.1) == [1.25, 0.5])
        let text = read[2][5]?.first?.message[1]?.first?.message ?? [:]
        #expect(text[1]?.first?.string == "samples")
        #expect(text[9]?.first?.message[1]?.first?.message[1]?.first?.string == "text")
        let tensor = text[8]?.first?.message ?? [:]
        if case .varint(let dtype) = tensor[1]?.first { #expect(dtype == 7) } else { Issue.record("no dtype") }
        #expect(tensor[8]?.first?.string == "    x+x\n    x")

        var bytes = try Data(contentsOf: URL(fileURLWithPath: events.path))
        bytes[bytes.count - 10] ^= 1
        try bytes.write(to: URL(fileURLWithPath: events.path))
        #expect(throws: EventFileReader.Failure.self) { try EventFileReader.events(events.path) }
    }

    /// A resumed run's file starts with a SessionLog START one step past its checkpoint, so
    /// that TensorBoard drops what the stopped run logged after the checkpoint.
    @Test func resumedFileStartsASession() throws {
        let folder = temporaryFolder()
        let fresh = try EventFileReader.events(TensorBoardEvents(folder: folder, now: Date(timeIntervalSince1970: 1_000)).path)
        #expect(fresh.count == 1)
        let read = try EventFileReader.events(TensorBoardEvents(folder: folder, resumingAfter: 120, now: Date(timeIntervalSince1970: 2_000)).path)
        #expect(read.count == 2)
        if case .varint(let step) = read[1][2]?.first { #expect(step == 121) } else { Issue.record("no step") }
        if case .varint(let status) = read[1][7]?.first?.message[1]?.first { #expect(status == 1) } else { Issue.record("no START") }
    }

    /// The tags a training record becomes.
    @Test func recordsBecomeTaggedScalars() {
        var r = MetricsRecord(step: 10, tau: 2, seconds: 1)
        (r.lossD, r.dFake) = (1.5, 0.25)
        r.evaluation = Evaluation(
            samples: SampleMetrics(count: 1, validity: 0.5, uniqueness: 1, novelty: 0, coverage: 0.5, lengthJS: 0.1, bigramJS: 0.2),
            trainingNLL: nil, heldOutNLL: 0.6)
        let tags = RunRecorder.scalars(r)
        #expect(
            tags.map(\.tag) == [
                "tau", "loss/discriminator", "D/fake", "eval/validity", "eval/uniqueness", "eval/novelty", "eval/coverage",
                "eval/length_js", "eval/bigram_js", "eval/heldout_nll",
            ])
        #expect(tags.first { $0.tag == "D/fake" }?.value == 0.25)
    }
}
