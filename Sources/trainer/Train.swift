import ArgumentParser
import Foundation
import GumbelGAN

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a model (default: the paper's experiment, preset paper-a, on its grammar data).",
        discussion: "Writes a run folder: config.json, train.txt, metrics.jsonl, losses.svg, samples.txt, model.safetensors.")

    @OptionGroup var options: TrainingOptions
    @Option(help: "The run folder (default: runs/<preset>-<date>-<time>).") var runDir: String?
    @Option(help: "Generated strings written to samples.txt.") var showSamples = 100
    @Option(help: "Continue a run: a checkpoint file, or a run folder (its latest checkpoint).") var resume: String?
    @Option(help: "Write a checkpoint every this many iterations (and the model at the end).") var checkpointEvery = 1000
    @Option(help: "Checkpoints kept in the run folder (the newest).") var keep = 3
    @Option(help: "Run N ranks in this process, one thread each (to step through sharding).") var simulateRanks = 1
    @Option(help: "Check every this many iterations that all ranks hold the same parameters (and at the end).") var checkEvery = 1000
    @Flag(help: "Check the replicas and look for non-finite losses every iteration.") var debug = false

    /// Under `mpirun` every process runs this; rank 0 alone prints and writes. The start-up
    /// runs in `startupStep`s, so an error on any rank (the same settings error on every
    /// rank, or rank 0's run folder) stops every rank before training. An error during
    /// training ends the whole job (MPI_Abort).
    func run() throws {
        setBLASThreads(1)
        let mpi = simulateRanks == 1 ? MPICommunicator.start() : nil
        let ranks = mpi?.size ?? simulateRanks
        let root = (mpi?.rank ?? 0) == 0
        let (checkpoint, c, dataset) = startupStep(mpi) {
            let checkpoint = try resume.map { try Self.latestCheckpoint($0) }
            let c = try options.configuration(base: checkpoint?.configuration)
            guard checkpointEvery >= 1, keep >= 1 else { throw UserError("--checkpoint-every and --keep must be at least 1") }
            guard simulateRanks >= 1 else { throw UserError("--simulate-ranks must be at least 1 (got \(simulateRanks))") }
            guard mpi == nil || mpi!.size == 1 || simulateRanks == 1 else { throw UserError("--simulate-ranks cannot be used under mpirun") }
            guard checkEvery >= 1 else { throw UserError("--check-every must be at least 1 (got \(checkEvery))") }
            if let problem = c.problem(ranks: ranks) { throw UserError(problem) }
            return (checkpoint, c, try reportingErrors { try Dataset.load(c.data, seed: c.seed) })
        }
        if let mpi { startupStep(mpi) { try reportingErrors { try mpi.checkAgreement(on: c, dataset) } } }
        let folder: RunFolder? = startupStep(mpi) {
            guard root else { return nil }
            let folder: RunFolder
            if let checkpoint {
                folder = try reportingErrors { try RunFolder(existing: (checkpoint.path as NSString).deletingLastPathComponent) }
                try reportingErrors {
                    try folder.truncateMetrics(after: checkpoint.step)
                    try folder.write(configuration: c)
                }
                print("train: resuming \(checkpoint.path) at iteration \(checkpoint.step)")
            } else {
                if dataset.skippedLong > 0 {
                    let lines = dataset.skippedLong == 1 ? "1 line" : "\(dataset.skippedLong) lines"
                    print("data: left out \(lines) longer than \(dataset.length) (--skip-long)")
                }
                folder = try reportingErrors { try RunFolder(creating: runDir ?? Self.defaultFolder(c.preset)) }
                try reportingErrors {
                    try folder.write(configuration: c)
                    try folder.write(lines: dataset.strings, to: "train.txt")
                }
                print("train: \(c.preset.rawValue), \(c.objective.rawValue), \(dataset.strings.count) strings of length ≤ \(dataset.length) over \(dataset.vocabulary.count) symbols, \(c.iterations) iterations, seed \(c.seed), \(ranks) rank\(ranks == 1 ? "" : "s") → \(folder.path)")
            }
            warnIfBLASKernelsAreSlow()
            return folder
        }
        let job = RankJob(configuration: c, dataset: dataset, folder: folder, showSamples: showSamples,
                          checkEvery: debug ? 1 : checkEvery, debug: debug, resume: checkpoint,
                          checkpointEvery: checkpointEvery, keep: keep)
        if let mpi {
            do { try job.run(communicator: mpi) } catch let stop as Stopped {
                // Reported before finalising, for the same reason as in `startupStep`.
                if root { printError(stop.description) }
                mpi.finish()
                Foundation.exit(StopSignal.status)
            } catch {
                printError("Error: \(mpi.size > 1 ? "rank \(mpi.rank): " : "")\(error)")
                if mpi.size > 1 { mpi.abort(1) }
                mpi.finish()
                Foundation.exit(1)
            }
            mpi.finish()
        } else {
            // A rank that fails ends the whole job at once, as MPI_Abort would: the other
            // ranks may be waiting in a collective that the failed one will never join.
            let group = InProcessGroup(size: simulateRanks)
            group.run { rank in
                do { try job.run(communicator: group.communicator(rank: rank)) } catch let stop as Stopped {
                    if rank == 0 {
                        printError(stop.description)
                        Foundation.exit(StopSignal.status)
                    }
                } catch {
                    printError("Error: \(error)")
                    Foundation.exit(1)
                }
            }
        }
    }

    /// The checkpoint to resume: `path` itself, or in a run folder the one with the most
    /// iterations among its newest checkpoint and its final model (only those two are read).
    static func latestCheckpoint(_ path: String) throws -> Checkpoint {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw UserError("--resume \(path): no such file or folder")
        }
        var candidates = [path]
        if isFolder.boolValue {
            let folder = try reportingErrors { try RunFolder(existing: path) }
            candidates = folder.checkpoints().suffix(1).map(\.path) + [folder.modelPath].filter { FileManager.default.fileExists(atPath: $0) }
            guard !candidates.isEmpty else { throw UserError("--resume \(path): the run folder holds no checkpoint yet") }
        }
        let loaded = try candidates.map { file in
            try reportingErrors { () -> Checkpoint in
                let tensors = try SafeTensors.read(file)
                let c = try ModelFile.configuration(of: tensors, path: file)
                let step = Int(tensors.metadata["step"] ?? "") ?? -1
                return Checkpoint(path: file, tensors: tensors, configuration: c, step: step)
            }
        }
        return loaded.max { $0.step < $1.step }!
    }

    static func defaultFolder(_ preset: Preset) -> String {
        let f = DateFormatter()
        f.dateFormat = "yyyyMMdd-HHmmss"
        return "runs/\(preset.rawValue)-\(f.string(from: Date()))"
    }

    static func describe(_ r: MetricsRecord) -> String {
        var s = String(format: "step %6d  tau %.3f", r.step, r.tau)
        if let d = r.lossD, let g = r.lossG, let dr = r.dReal, let df = r.dFake {
            s += String(format: "  loss_d %.4f  loss_g %.4f  d_real %.3f  d_fake %.3f", d, g, dr, df)
        }
        if let nll = r.nll { s += String(format: "  nll %.4f", nll) }
        return s
    }

    static func describe(_ e: Evaluation, step: Int) -> String {
        let m = e.samples
        var s = String(format: "eval %6d  validity %.3f  uniqueness %.3f  novelty %.3f  coverage %.3f  length_js %.3f  bigram_js %.3f",
                       step, m.validity, m.uniqueness, m.novelty, m.coverage, m.lengthJS, m.bigramJS)
        if let t = e.trainingNLL { s += String(format: "  train_nll %.4f", t) }
        if let h = e.heldOutNLL { s += String(format: "  heldout_nll %.4f", h) }
        return s
    }
}

/// The training loop of one rank. Every rank runs the same iterations and the same
/// collectives (the two allreduces of each iteration, the figures at log steps, the replica
/// checks); only rank 0 evaluates, prints and writes files.
struct RankJob: @unchecked Sendable {
    let configuration: TrainingConfiguration
    let dataset: Dataset
    /// The run folder, on rank 0 only.
    let folder: RunFolder?
    let showSamples: Int
    let checkEvery: Int
    let debug: Bool
    let resume: Checkpoint?
    let checkpointEvery: Int
    let keep: Int
    let stop = StopSignal()

    func run(communicator: Communicator) throws {
        let c = configuration
        let root = communicator.rank == 0, folder = self.folder
        let session = TrainingSession(configuration: c, dataset: dataset, communicator: communicator)
        if let resume { try reportingErrors { try ModelFile.load(resume.tensors, path: resume.path, into: session) } }
        var progress = Progress(total: c.iterations, first: session.completedIterations, enabled: root)
        var interval = IntervalFigures()
        var records: [MetricsRecord] = []
        var lastLogged = ""
        // Per iteration, one tiny allreduce tells every rank whether any rank saw a
        // non-finite loss (checked with --debug) or a stop signal: all then act after the
        // same iteration.
        var flags = [Double](repeating: 0, count: 2)
        while session.completedIterations < c.iterations {
            let report = session.iterate()
            let step = report.step
            let finite = interval.add(report)
            flags[0] = debug && !finite ? 1 : 0
            flags[1] = stop.signal == nil ? 0 : 1
            flags.withUnsafeMutableBufferPointer { communicator.allreduceSum($0) }
            guard flags[0] == 0 else {
                throw UserError(DistributedError.notFinite(step: step, what: "a loss").description + " (the model file was not written)")
            }
            if step % checkEvery == 0 || step == c.iterations { try reportingErrors { try session.checkReplicas() } }
            if root { progress.update(step: step, summary: communicator.size == 1 ? interval.summary : lastLogged) }
            // A signal on any rank stops every rank, with a checkpoint.
            let stopping = flags[1] > 0 && step < c.iterations
            if stopping || step % checkpointEvery == 0 && step < c.iterations {
                if let folder {
                    try checkFinite(session, step: step)
                    try reportingErrors { try ModelFile.write(session, to: folder.checkpointPath(step: step)) }
                    folder.pruneCheckpoints(keep: keep)
                }
                if stopping {
                    progress.finish()
                    throw Stopped(step: step, path: folder?.checkpointPath(step: step))
                }
            }
            guard step % c.logEvery == 0 || step % c.evaluateEvery == 0 || step == c.iterations else { continue }
            var record = interval.record(step: step, tau: report.temperature, seconds: Date().timeIntervalSince(progress.start),
                                         communicator: communicator)
            interval = IntervalFigures()
            lastLogged = IntervalFigures.summary(of: record)
            guard [record.lossD, record.lossG, record.nll].allSatisfy({ $0?.isFinite ?? true }) else {
                throw UserError(DistributedError.notFinite(step: step, what: "a loss").description + " (the model file was not written)")
            }
            guard root else { continue }
            if step % c.evaluateEvery == 0 || step == c.iterations {
                record.evaluation = session.evaluate(count: c.evaluationSamples)
                progress.log(Train.describe(record.evaluation!, step: step))
            } else if !progress.interactive {
                progress.log(Train.describe(record) + "  " + progress.rate(step: step))
            }
            records.append(record)
            try reportingErrors { try folder?.append(record) }
        }
        guard root, let folder else { return }
        progress.finish()
        try checkFinite(session, step: c.iterations)
        try reportingErrors {
            try ModelFile.write(session, to: folder.modelPath)
            try folder.write(lines: session.sample(count: showSamples, seed: c.seed ^ 0xF1_6004), to: "samples.txt")
            try folder.writePlot(records, title: "\(c.preset.rawValue): losses (Figure 3)")
        }
        let (seconds, iterations) = (Date().timeIntervalSince(progress.start), c.iterations - progress.first)
        print(String(format: "train: done, %d iterations in %.1f s (%.2f ms each); wrote %@",
                     iterations, seconds, 1000 * seconds / Double(max(iterations, 1)), folder.path))
    }
}

/// A checkpoint chosen for `--resume`.
struct Checkpoint {
    let path: String
    let tensors: SafeTensors
    let configuration: TrainingConfiguration
    let step: Int
}

/// Refuses to save weights that are not all finite.
func checkFinite(_ session: TrainingSession, step: Int) throws {
    var buffers = [("generator", session.generator.parameters.values)]
    if let d = session.discriminator { buffers.append(("discriminator", d.parameters.values)) }
    for (name, b) in buffers where !b.values.allSatisfy(\.isFinite) {
        throw UserError(DistributedError.notFinite(step: step, what: "a \(name) weight").description + " (no checkpoint was written)")
    }
}

/// A run stopped by a signal after `step`, its checkpoint written.
struct Stopped: Error, CustomStringConvertible {
    let step: Int
    let path: String?
    var description: String {
        "train: stopped by a signal after iteration \(step); checkpoint \(path ?? "written by rank 0"); continue with --resume"
    }
}
