import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The folder a run writes: `config.json`, `train.txt`, `metrics.jsonl`, `losses.svg`,
/// `samples.txt`, `model.safetensors`. Every file but the metrics log is replaced
/// atomically; each metrics line is appended whole.
public final class RunFolder {
    public let path: String

    /// Opens an existing run folder (for evaluation).
    public init(existing path: String) throws {
        guard FileManager.default.fileExists(atPath: path + "/config.json") else { throw RunFolderError.missingFile(path: path + "/config.json") }
        self.path = path
    }

    /// Creates `path` (and its parents); an existing folder must be empty.
    public init(creating path: String) throws {
        let fm = FileManager.default
        var isFolder: ObjCBool = false
        if fm.fileExists(atPath: path, isDirectory: &isFolder) {
            guard isFolder.boolValue else { throw RunFolderError.cannotCreate(path: path, reason: "a file of that name exists") }
            guard (try? fm.contentsOfDirectory(atPath: path))?.isEmpty ?? false else { throw RunFolderError.notEmpty(path: path) }
        } else {
            do { try fm.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
                throw RunFolderError.cannotCreate(path: path, reason: (error as NSError).localizedDescription)
            }
        }
        self.path = path
    }

    /// The descriptor holding the folder's lock, once ``lock()`` took it.
    private var lockDescriptor: Int32 = -1

    deinit {
        if lockDescriptor >= 0 { close(lockDescriptor) }
    }

    /// Takes the folder for this process (an exclusive `flock` on `.lock`, released when the
    /// process ends, however it ends): a second trainer on the same folder, or a resume of a
    /// run still training, is refused instead of interleaving their files.
    public func lock() throws {
        let fd = open(path + "/.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw RunFolderError.cannotCreate(path: path + "/.lock", reason: String(cString: strerror(errno))) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw RunFolderError.busy(path: path)
        }
        lockDescriptor = fd
    }

    /// Removes temporary files left by writers that no longer run (a trainer killed while
    /// writing a checkpoint): `.<name>.tmp-<process>` whose process is gone.
    public func removeStaleTemporaryFiles() {
        GumbelGAN.removeStaleTemporaryFiles(in: path)
    }

    /// The checkpoint written after iteration `step`.
    public func checkpointPath(step: Int) -> String { path + "/checkpoint-\(step).safetensors" }

    /// The checkpoint files in the folder, oldest first, with their iteration counts.
    public func checkpoints() -> [(step: Int, path: String)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.compactMap { name -> (Int, String)? in
            var isFolder: ObjCBool = false
            guard name.hasPrefix("checkpoint-"), name.hasSuffix(".safetensors"),
                let step = Int(name.dropFirst("checkpoint-".count).dropLast(".safetensors".count)),
                FileManager.default.fileExists(atPath: path + "/" + name, isDirectory: &isFolder), !isFolder.boolValue
            else { return nil }
            return (step, path + "/" + name)
        }.sorted { $0.0 < $1.0 }
    }

    /// Removes all but the newest `keep` checkpoints.
    public func pruneCheckpoints(keep: Int) {
        for old in checkpoints().dropLast(keep) { try? FileManager.default.removeItem(atPath: old.path) }
    }

    /// Drops the metrics records after iteration `step` (a resumed run repeats them), and
    /// returns the ones kept.
    @discardableResult
    public func truncateMetrics(after step: Int) throws -> [MetricsRecord] {
        guard FileManager.default.fileExists(atPath: metricsPath) else { return [] }
        let kept = try readMetrics().filter { $0.step <= step }
        let lines = try kept.map { String(decoding: try Self.encoder.encode($0), as: UTF8.self) }
        try writeAtomically(Data(lines.map { $0 + "\n" }.joined().utf8), to: metricsPath)
        return kept
    }

    public var configurationPath: String { path + "/config.json" }
    public var metricsPath: String { path + "/metrics.jsonl" }
    public var modelPath: String { path + "/model.safetensors" }

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return e
    }()

    public func write(configuration: TrainingConfiguration) throws {
        try writeAtomically(configuration.json(pretty: true) + Data("\n".utf8), to: configurationPath)
    }

    /// The run's `config.json`, validated like any configuration.
    public func readConfiguration() throws -> TrainingConfiguration {
        guard let data = FileManager.default.contents(atPath: configurationPath) else {
            throw RunFolderError.unreadable(path: configurationPath, reason: "no such file, or not readable")
        }
        guard let c = TrainingConfiguration(json: data) else {
            throw RunFolderError.unreadable(path: configurationPath, reason: "not a configuration written by `trainer train`")
        }
        do { try c.validate() } catch let e as ConfigurationError {
            throw RunFolderError.unreadable(path: configurationPath, reason: "a damaged setting: \(e)")
        }
        return c
    }

    public func write(lines: [String], to name: String) throws {
        try writeAtomically(Data(lines.map { $0 + "\n" }.joined().utf8), to: path + "/" + name)
    }

    /// Appends one JSON line to `metrics.jsonl`.
    public func append(_ record: MetricsRecord) throws {
        try appendWhole(try Self.encoder.encode(record) + Data("\n".utf8), to: metricsPath)
    }

    /// The records of `metrics.jsonl`, in order.
    public func readMetrics() throws -> [MetricsRecord] {
        guard let text = try? String(contentsOfFile: metricsPath, encoding: .utf8) else { throw RunFolderError.missingFile(path: metricsPath) }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        return try lines.enumerated().compactMap { i, line in
            if line.isEmpty && i == lines.count - 1 { return nil }
            do { return try JSONDecoder().decode(MetricsRecord.self, from: Data(line.utf8)) } catch {
                // A last line cut short (a full disk, a kill mid-write) is dropped; a resume rewrites the file.
                if i == lines.count - 1 { return nil }
                throw RunFolderError.unreadable(path: "\(metricsPath):\(i + 1)", reason: "not a metrics record")
            }
        }
    }

    /// Figure 3: both losses (or the likelihood) against the iteration, to `losses.svg`.
    public func writePlot(_ records: [MetricsRecord], title: String) throws {
        let x = records.map { Double($0.step) }
        var series: [LossPlot.Series] = []
        // A run with a pre-training phase shows its NLL, then the adversarial losses.
        if records.contains(where: { $0.lossD != nil }) {
            series.append(.init(name: "discriminator", color: "#1f77b4", values: records.map { $0.lossD ?? .nan }))
            series.append(.init(name: "generator", color: "#d62728", values: records.map { $0.lossG ?? .nan }))
        }
        if records.contains(where: { $0.nll != nil }) {
            series.append(.init(name: "NLL per symbol", color: "#2ca02c", values: records.map { $0.nll ?? .nan }))
        }
        let plot = LossPlot(title: title, xLabel: "iteration", yLabel: "loss", x: x, series: series)
        try writeAtomically(Data(plot.svg().utf8), to: path + "/losses.svg")
    }

    /// The oracle benchmark's trade-off curve, to `oracle.svg`: NLL-oracle (quality) and NLL-gen
    /// (coverage) at every evaluation, with the oracle's floor. Nothing when no evaluation has them.
    public func writeOraclePlot(_ records: [MetricsRecord], title: String) throws {
        let points = records.compactMap { r in r.evaluation.flatMap { e in e.oracleNLL.map { (r.step, $0, e) } } }
        guard !points.isEmpty else { return }
        let plot = LossPlot(
            title: title, xLabel: "iteration", yLabel: "nats per symbol", x: points.map { Double($0.0) },
            series: [
                .init(name: "NLL-oracle", color: "#d62728", values: points.map(\.1)),
                .init(name: "NLL-gen", color: "#1f77b4", values: points.map { $0.2.heldOutNLL ?? .nan }),
                .init(name: "floor", color: "#7f7f7f", values: points.map { $0.2.oracleFloor ?? .nan }),
            ])
        try writeAtomically(Data(plot.svg().utf8), to: path + "/oracle.svg")
    }

    /// The oracle of a run on oracle data, in `oracle.safetensors` (PyTorch's names for
    /// `nn.Embedding`, `nn.LSTM`, `nn.Linear`; start symbol and length in the metadata), so
    /// that anyone can score samples with their own code.
    public func write(oracle: Oracle) throws {
        let tensors = oracle.parameters.layout.entries.map { e in
            SafeTensors.Entry(name: e.name, shape: e.shape, values: oracle.parameters.value(e.name).array)
        }
        let metadata = ["start_symbol": String(Oracle.startSymbol), "length": String(oracle.length), "initial_state": "zero"]
        try SafeTensors(tensors: tensors, metadata: metadata).write(to: path + "/oracle.safetensors")
    }
}
