import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A TensorBoard event file (`events.out.tfevents.<time>.<host>`), appended record by record
/// so that `tensorboard --logdir` shows a run while it trains.
///
/// The file is a TFRecord stream: each record is its length (8 bytes, little-endian), the
/// masked CRC-32C of the length, the bytes, and their masked CRC-32C, where
/// `masked(c) = ((c >> 15) | (c << 17)) + 0xa282ead8`. Each record is a protobuf `Event`:
/// `wall_time` (1, double), `step` (2, int64), `file_version` (3, string; the first record,
/// "brain.Event:2"), `session_log` (7) or `summary` (5): repeated `Value` (1) of `tag` (1) and `simple_value`
/// (2, float), or, for text, `metadata` (9: `plugin_data` (1): `plugin_name` (1) "text") and
/// `tensor` (8: `dtype` (1) 7 = string, `tensor_shape` (2) empty = scalar, `string_val` (8)).
public final class TensorBoardEvents {
    public let path: String

    /// Starts a new event file in `folder` (a resumed run adds a file; TensorBoard reads all).
    /// A run resumed from the checkpoint of iteration `resumingAfter` first writes a
    /// `SessionLog` START (7: `status` (1) = 1) at step `resumingAfter + 1`, on which
    /// TensorBoard drops what earlier files logged from that step on: the steps between the
    /// checkpoint and the stop, which the resumed run logs again.
    public init(folder: String, resumingAfter: Int? = nil, now: Date = Date()) throws {
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, host.count - 1)
        let name = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        path = folder + "/events.out.tfevents.\(Int(now.timeIntervalSince1970)).\(name.isEmpty ? "localhost" : name)"
        try append(Self.event(wallTime: now.timeIntervalSince1970, step: 0, body: Protobuf.string(3, "brain.Event:2")))
        if let resumingAfter {
            try append(Self.event(wallTime: now.timeIntervalSince1970, step: resumingAfter + 1, body: Protobuf.message(7, Protobuf.varint(1, 1))))
        }
    }

    /// Scalars at `step`, one value each (tags such as `loss/discriminator`).
    public func scalars(_ values: [(tag: String, value: Double)], step: Int, now: Date = Date()) throws {
        guard !values.isEmpty else { return }
        let summary = values.map { v in Protobuf.message(1, Protobuf.string(1, v.tag) + Protobuf.float(2, Float(v.value))) }.reduce([], +)
        try append(Self.event(wallTime: now.timeIntervalSince1970, step: step, body: Protobuf.message(5, summary)))
    }

    /// Markdown text at `step` (the text dashboard).
    public func text(_ tag: String, _ markdown: String, step: Int, now: Date = Date()) throws {
        let metadata = Protobuf.message(1, Protobuf.string(1, "text"))
        let tensor = Protobuf.varint(1, 7) + Protobuf.message(2, []) + Protobuf.bytes(8, Array(markdown.utf8))
        let value = Protobuf.string(1, tag) + Protobuf.message(8, tensor) + Protobuf.message(9, metadata)
        try append(Self.event(wallTime: now.timeIntervalSince1970, step: step, body: Protobuf.message(5, Protobuf.message(1, value))))
    }

    static func event(wallTime: Double, step: Int, body: [UInt8]) -> [UInt8] {
        Protobuf.double(1, wallTime) + Protobuf.varint(2, UInt64(max(step, 0))) + body
    }

    /// `((c >> 15) | (c << 17)) + 0xa282ead8` of the CRC-32C of `bytes`.
    static func maskedCRC<Bytes: Sequence>(_ bytes: Bytes) -> UInt32 where Bytes.Element == UInt8 {
        let c = CRC32.castagnoli.checksum(bytes)
        return ((c >> 15) | (c << 17)) &+ 0xA282_EAD8
    }

    static func record(_ data: [UInt8]) -> [UInt8] {
        let length = Protobuf.littleEndian(UInt64(data.count))
        return length + Protobuf.littleEndian(maskedCRC(length)) + data + Protobuf.littleEndian(maskedCRC(data))
    }

    private func append(_ event: [UInt8]) throws { try appendWhole(Data(Self.record(event)), to: path) }
}

/// The few protobuf encodings an event needs: each function returns one field (key and value).
enum Protobuf {
    static func key(_ field: Int, _ wireType: UInt64) -> [UInt8] { rawVarint(UInt64(field) << 3 | wireType) }

    static func rawVarint(_ value: UInt64) -> [UInt8] {
        var (v, out) = (value, [UInt8]())
        while v >= 0x80 {
            out.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        return out + [UInt8(v)]
    }

    static func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        (0..<(T.bitWidth / 8)).reduce(into: []) { out, i in out.append(UInt8(truncatingIfNeeded: value >> (8 * i))) }
    }

    static func varint(_ field: Int, _ value: UInt64) -> [UInt8] { key(field, 0) + rawVarint(value) }
    static func double(_ field: Int, _ value: Double) -> [UInt8] { key(field, 1) + littleEndian(value.bitPattern) }
    static func float(_ field: Int, _ value: Float) -> [UInt8] { key(field, 5) + littleEndian(value.bitPattern) }
    static func bytes(_ field: Int, _ value: [UInt8]) -> [UInt8] { key(field, 2) + rawVarint(UInt64(value.count)) + value }
    static func string(_ field: Int, _ value: String) -> [UInt8] { bytes(field, Array(value.utf8)) }
    static func message(_ field: Int, _ value: [UInt8]) -> [UInt8] { bytes(field, value) }
}
