import ArgumentParser
import Foundation
import GumbelGAN

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a model (default: the paper's experiment, preset paper-a, on its grammar data).",
        discussion: "Writes a run folder: config.json, train.txt, metrics.jsonl, losses.svg, samples.txt, model.safetensors.")

    @OptionGroup var options: TrainingOptions
    @Option(help: "The run folder (default: runs/<preset>-seed<S>-<date>-<time>-<process>).") var runDir: String?
    @Option(parsing: .unconditional, help: "Generated strings written to samples.txt.") var showSamples = 100
    @Option(help: "Continue a run: a checkpoint file, or a run folder (its latest checkpoint).") var resume: String?
    @Option(parsing: .unconditional, help: "Write a checkpoint every this many iterations (and the model at the end).") var checkpointEvery = 1000
    @Option(parsing: .unconditional, help: "Checkpoints kept in the run folder (the newest).") var keep = 3
    @Option(parsing: .unconditional, help: "Run N ranks in this process, one thread each (to step through sharding).") var simulateRanks = 1
    @Option(parsing: .unconditional, help: "Check every this many iterations that all ranks hold the same parameters (and at the end).")
    var checkEvery = 1000
    @Flag(help: "Check the replicas and look for non-finite losses every iteration.") var debug = false
    @Option(parsing: .unconditional, help: "Refuse a run estimated to need more than this many GB (default: this machine's memory, or ulimit -v).")
    var memoryLimit: Double?
    @Option(parsing: .unconditional, help: "Under mpirun: warn, naming the late ranks, after this many seconds in one collective.")
    var stallWarning = 60.0
    @Option(parsing: .unconditional, help: "Under mpirun: end the job after this many seconds in one collective (default: never).")
    var stallTimeout: Double?

    func validate() throws {
        for (flag, value) in [
            ("--checkpoint-every", checkpointEvery), ("--keep", keep), ("--simulate-ranks", simulateRanks),
            ("--check-every", checkEvery),
        ] where value < 1 {
            throw ValidationError("\(flag) must be at least 1 (got \(value))")
        }
        guard showSamples >= 0 else { throw ValidationError("--show-samples must be at least 0 (got \(showSamples))") }
        for (flag, value) in [("--stall-warning", stallWarning), ("--stall-timeout", stallTimeout)] {
            if let value, !(value > 0 && value.isFinite) { throw ValidationError("\(flag) must be a positive number of seconds (got \(value))") }
        }
        if let memoryLimit, !(memoryLimit > 0 && memoryLimit.isFinite) {
            throw ValidationError("--memory-limit must be a positive number of GB (got \(memoryLimit))")
        }
    }

    /// Under `mpirun` every process runs this; rank 0 alone prints and writes. The start-up
    /// runs in `startupStep`s, so an error on any rank (the same settings error on every
    /// rank, or rank 0's run folder) stops every rank before training. An error during
    /// training ends the whole job (MPI_Abort).
    func run() throws {
        // First of all: a stop during start-up (reading data, making the folder) is kept and
        // honoured after the first iteration, with a checkpoint, like any other.
        let stop = StopSignal()
        setBLASThreads(1)
        let mpi = MPICommunicator.start()
        let rank = mpi.rank
        mpi.watchStalls(
            StallWatch(warnAfter: stallWarning, abortAfter: stallTimeout) { report in
                printError("\(report.aborting ? "Error" : "Warning"): rank \(rank): \(report.description)")
            })
        let ranks = mpi.size > 1 ? mpi.size : simulateRanks
        let root = mpi.rank == 0
        let (stored, c, dataset, initialGenerator) = startupStep(mpi) {
            guard simulateRanks == 1 || mpi.size == 1 else {
                throw UserError("--simulate-ranks cannot be used under mpirun (the job already has \(mpi.size) ranks)")
            }
            let stored = try resume.map { try StoredModel.locate($0) }
            if let stored, let runDir, URL(fileURLWithPath: runDir).standardizedFileURL != URL(fileURLWithPath: stored.folder).standardizedFileURL {
                throw UserError("--run-dir \(runDir): a resumed run continues in its own folder (\(stored.folder)); leave --run-dir out")
            }
            var c = try options.configuration(base: stored?.configuration, ranks: ranks)
            if let stored, c.totalIterations < stored.step {
                throw UserError(
                    "--iterations: \(stored.path) has done \(stored.step) iterations, more than this run's \(c.totalIterations); raise --iterations")
            }
            let limit = MemoryLimit.bytes(gigabytes: memoryLimit)
            // Built-in data has its sizes before it is drawn; a file's are known once it is read.
            switch c.data {
            case .grammar(let g, let size):
                try checkMemory(c, vocabulary: Vocabulary.grammar.count, length: g.maximumLength, strings: size, ranks: ranks, limit: limit)
            case .oracle(_, let size, _): try checkMemory(c, vocabulary: 5001, length: 20, strings: size, ranks: ranks, limit: limit)
            case .file: break
            }
            // A resumed run reads the lines it was trained on (its folder's copy, or the file
            // with the same digest); a new one records the digest of its file's lines.
            let dataset = try stored?.dataset(c, memoryLimit: limit) ?? Dataset.load(c.data, seed: c.seed, memoryLimit: limit)
            if stored == nil, c.data.path != nil { c.dataDigest = dataset.digest }
            do { try c.validate(examples: dataset.strings.count, length: dataset.length) } catch let e as ConfigurationError {
                throw UserError(e.description(naming: TrainingOptions.flag(for:)))
            }
            try checkMemory(
                c, vocabulary: dataset.vocabulary.count, length: dataset.length, strings: dataset.strings.count, ranks: ranks, limit: limit)
            // A resumed run's generator comes from its checkpoint.
            let initialGenerator = try (stored == nil ? c.initGenerator : nil).map { path in
                let model = try StoredModel.locate(path)
                return try ModelFile.generatorValues(
                    of: model.tensors, path: model.path,
                    layout: Generator.layout(
                        vocabularySize: dataset.vocabulary.count, hiddenSize: c.hiddenSize, initialState: c.initialState,
                        layers: c.generatorLayers, embeddingSize: c.embedding),
                    vocabulary: dataset.vocabulary)
            }
            return (stored, c, dataset, initialGenerator)
        }
        if mpi.size > 1 { startupStep(mpi) { try c.checkAgreement(with: dataset, across: mpi) } }
        let prepared = startupStep(mpi) { root ? try prepareFolder(stored, c, dataset, ranks: ranks) : nil }
        let job = RankJob(
            configuration: c, dataset: dataset, stored: stored, initialGenerator: initialGenerator, folder: prepared?.folder,
            earlierRecords: prepared?.earlier ?? [], showSamples: showSamples, keep: keep,
            schedule: TrainingSchedule(
                checkpointEvery: checkpointEvery, checkReplicasEvery: debug ? 1 : checkEvery,
                checkLossesEveryIteration: debug),
            stop: stop)
        if simulateRanks == 1 {
            let outcome: TrainingOutcome
            do { outcome = try job.run(communicator: mpi) } catch {
                printError("Error: \(mpi.size > 1 ? "rank \(mpi.rank): " : "")\(error)")
                if mpi.size > 1 { mpi.abort(1) }
                mpi.finish()
                Foundation.exit(1)
            }
            // Reported before finalising, for the same reason as in `startupStep`.
            if case .stopped(let step) = outcome, root { printError(job.stoppedMessage(step: step)) }
            mpi.finish()
            if case .stopped = outcome { Foundation.exit(StopSignal.status) }
        } else {
            mpi.finish()
            // A rank that fails ends the whole job at once, as MPI_Abort would: the other
            // ranks may be waiting in a collective that the failed one will never join.
            let group = InProcessGroup(size: simulateRanks)
            group.run { rank in
                do {
                    if case .stopped(let step) = try job.run(communicator: group.communicator(rank: rank)), rank == 0 {
                        printError(job.stoppedMessage(step: step))
                        Foundation.exit(StopSignal.status)
                    }
                } catch {
                    printError("Error: \(error)")
                    Foundation.exit(1)
                }
            }
        }
    }

    /// Refuses a configuration estimated (``MemoryEstimate``) to need more than `limit` bytes.
    func checkMemory(_ c: TrainingConfiguration, vocabulary: Int, length: Int, strings: Int, ranks: Int, limit: Double) throws {
        try MemoryLimit.require(
            MemoryEstimate.bytes(c, vocabulary: vocabulary, length: length, strings: strings, ranks: ranks), limit: limit,
            "this run",
            "\(vocabulary) symbols, length \(length); --hidden \(c.hiddenSize), --batch \(c.batchSize), --generator-batch \(c.generatorBatchSize), --evaluation-samples \(c.evaluationSamples)"
        )
    }

    /// Rank 0's run folder: a resumed run's own (its metrics after the checkpoint dropped, the
    /// rest returned as `earlier`), or a new one holding the configuration and the training strings.
    func prepareFolder(
        _ stored: StoredModel?, _ c: TrainingConfiguration, _ dataset: Dataset, ranks: Int
    ) throws -> (folder: RunFolder, earlier: [MetricsRecord]) {
        let folder: RunFolder
        var earlier: [MetricsRecord] = []
        if let stored {
            folder = try RunFolder(existing: stored.folder)
            try folder.lock()
            folder.removeStaleTemporaryFiles()
            earlier = try folder.truncateMetrics(after: stored.step)
            try folder.write(configuration: c)
            say("train: resuming \(stored.path) at iteration \(stored.step)")
        } else {
            if dataset.skippedLong > 0 {
                let lines = dataset.skippedLong == 1 ? "1 line" : "\(dataset.skippedLong) lines"
                say("data: left out \(lines) longer than \(dataset.length) (--skip-long)")
            }
            folder = try RunFolder(creating: runDir ?? Self.defaultFolder(c.preset, seed: c.seed))
            try folder.lock()
            try folder.write(configuration: c)
            try folder.write(lines: dataset.strings, to: "train.txt")
            if let oracle = dataset.oracle {
                try folder.write(oracle: oracle)
                try folder.write(lines: dataset.heldOut() ?? [], to: "heldout.txt")
            }
            say(
                "train: \(c.preset.rawValue), \(c.objective.rawValue), \(dataset.strings.count) strings of length ≤ \(dataset.length) over \(dataset.vocabulary.count) symbols, \(c.pretraining > 0 ? "\(c.pretraining) pre-training + " : "")\(c.iterations) iterations, seed \(c.seed), \(ranks) rank\(ranks == 1 ? "" : "s") → \(folder.path)"
            )
            // The evaluations' validity of a SMILES file says nothing about chemistry.
            if case .file = c.data { say(Evaluate.fileValidityNote(folder.path)) }
        }
        warnIfBLASKernelsAreSlow()
        return (folder, earlier)
    }

    /// `runs/<preset>-seed<S>-<date>-<time>-<process>`: runs started in the same second
    /// (a sweep) get folders of their own.
    static func defaultFolder(_ preset: Preset, seed: UInt64) -> String {
        let f = DateFormatter()
        f.dateFormat = "yyyyMMdd-HHmmss"
        return "runs/\(preset.rawValue)-seed\(seed)-\(f.string(from: Date()))-\(getpid())"
    }
}
