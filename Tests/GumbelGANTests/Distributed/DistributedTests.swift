import Foundation
import Testing

@testable import GumbelGAN

@Suite struct ShardTests {
    @Test func shardsAreContiguousAndEven() {
        #expect((0..<3).map { shard(200, ranks: 3, rank: $0).count } == [67, 67, 66])
        #expect((0..<3).map { shard(200, ranks: 3, rank: $0) } == [0..<67, 67..<134, 134..<200])
        #expect((0..<3).map { shard(200, ranks: 3, rank: $0, unit: 8).count } == [72, 64, 64])
        for ranks in 1...7 {
            let parts = (0..<ranks).map { shard(1000, ranks: ranks, rank: $0, unit: 5) }
            #expect(parts.first!.lowerBound == 0 && parts.last!.upperBound == 1000)
            #expect(zip(parts, parts.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
            #expect(parts.allSatisfy { $0.count % 5 == 0 })
        }
    }

    /// No rank leaves a barrier before every rank has reached it.
    @Test func barrierWaitsForEveryRank() {
        let group = InProcessGroup(size: 3)
        let arrivals = Collected<Int>()
        let counter = NSLock()
        nonisolated(unsafe) var arrived = 0
        group.run { rank in
            Thread.sleep(forTimeInterval: 0.02 * Double(rank))
            counter.withLock { arrived += 1 }
            group.communicator(rank: rank).barrier()
            arrivals.set(rank, counter.withLock { arrived })
        }
        #expect((0..<3).allSatisfy { arrivals[$0] == 3 })
    }

    @Test func inProcessCollectives() {
        let group = InProcessGroup(size: 4)
        let results = Collected<([Float], [Double], [Float])>()
        group.run { rank in
            let c = group.communicator(rank: rank)
            var f: [Float] = [Float(rank), 1, Float(rank * rank)]
            var d: [Double] = [Double(rank) + 0.5]
            var b: [Float] = [Float(rank), Float(rank)]
            f.withUnsafeMutableBufferPointer { c.allreduceSum($0) }
            d.withUnsafeMutableBufferPointer { c.allreduceSum($0) }
            b.withUnsafeMutableBufferPointer { c.broadcast($0, root: 2) }
            results.set(rank, (f, d, b))
        }
        for rank in 0..<4 {
            #expect(results[rank].0 == [6, 4, 14] && results[rank].1 == [8] && results[rank].2 == [2, 2])
        }
    }
}

@Suite struct AgreementTests {
    func sessions(_ configurations: [TrainingConfiguration], _ body: @escaping @Sendable (TrainingSession) -> Void) throws {
        let datasets = try configurations.map { try Dataset.load($0.data, seed: $0.seed) }
        let group = InProcessGroup(size: configurations.count)
        let jobs = Collected<(TrainingConfiguration, Dataset)>()
        for (rank, c) in configurations.enumerated() { jobs.set(rank, (c, datasets[rank])) }
        group.run { rank in
            let (c, d) = jobs[rank]
            body(try! TrainingSession(configuration: c, dataset: d, communicator: group.communicator(rank: rank)))
        }
    }

    func small(seed: UInt64 = 3) -> TrainingConfiguration {
        var c = TrainingConfiguration(preset: .paperA, seed: seed)
        c.batchSize = 12
        c.generatorBatchSize = 12
        c.data = .grammar(Grammar(), size: 50)
        return c
    }

    @Test func replicasThatDivergeAreNamed() throws {
        let errors = Collected<String>()
        try sessions([small(), small(), small()]) { s in
            _ = s.iterate()
            do {
                try s.checkReplicas()
                errors.set(s.communicator.rank, "none")
            } catch { errors.set(s.communicator.rank, "\(error)") }
            if s.communicator.rank == 1 { s.discriminator!.parameters.values.pointer[3] += 1e-6 }
            do {
                try s.checkReplicas()
                errors.set(10 + s.communicator.rank, "none")
            } catch { errors.set(10 + s.communicator.rank, "\(error)") }
        }
        for rank in 0..<3 {
            #expect(errors[rank] == "none")
            #expect(errors[10 + rank] == DistributedError.replicasDiffer(step: 1, network: "discriminator").description)
        }
    }

    @Test func differentSettingsOnRanksAreRefused() throws {
        let errors = Collected<Bool>()
        try sessions([small(seed: 3), small(seed: 3), small(seed: 4)]) { s in
            do {
                try s.configuration.checkAgreement(with: s.dataset, across: s.communicator)
                errors.set(s.communicator.rank, false)
            } catch {
                errors.set(s.communicator.rank, error as? DistributedError == .configurationsDiffer)
            }
        }
        #expect((0..<3).allSatisfy { errors[$0] })
        #expect(throws: ConfigurationError.self) { try small().validate(ranks: 13) }
        do { try small().validate(ranks: 13) } catch {
            #expect((error as? ConfigurationError)?.settings == ["batchSize"] && "\(error)".contains("batchSize 12 is smaller than the 13 ranks"))
        }
        #expect(throws: Never.self) { try small().validate(ranks: 12) }
    }
}
