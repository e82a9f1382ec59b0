import Foundation
import Testing

@testable import GumbelGAN

/// A Python with torch (TORCH_PYTHON, the .venv-moses that launch/moses-eval makes, or
/// python3), or nil.
enum TorchEnvironment {
    static let python: String? = {
        let candidates = [
            ProcessInfo.processInfo.environment["TORCH_PYTHON"], MosesEnvironment.repository + "/.venv-moses/bin/python", "/usr/bin/python3",
        ]
        return candidates.compactMap { $0 }.first { path in
            FileManager.default.isExecutableFile(atPath: path) && (try? runProgram(path, ["-c", "import torch"]))?.status == 0
        }
    }()
}

extension ExternalProcesses {
    /// The discriminators' tensors load into PyTorch's own modules (launch/torch_discriminator_check.py:
    /// `load_state_dict` into nn.Conv2d, nn.LSTM, nn.Embedding, nn.Linear), which compute the
    /// logits the library computes.
    @Suite struct TorchLayoutTests {
        /// A discriminator's tensors, soft inputs and the library's logits of them, in one file.
        /// With `penalty` γ, also R1's gradient at those inputs (``GradientPenalty``, N = `rows`)
        /// and its Σ‖∇ₓa‖², the gradient's largest value changed by a hundredth when `perturbPenalty`.
        static func write(
            _ d: Discriminator, rows: Int, to path: String, perturb: Bool = false, penalty: Float? = nil, perturbPenalty: Bool = false
        ) throws {
            d.parameters.initialize(.uniform(bound: 0.5), seed: 31)
            let ws = Discriminator.Workspace(discriminator: d, rows: rows)
            let x = Tensor(zeros: [d.length, rows, d.vocabularySize])
            fillUniform(x, bound: 3, seed: 32, row: 0)
            softmaxRows(x.matrix, into: x.matrix)
            d.forward(x, ws)
            var logits = ws.logits.array
            if perturb { logits[1] += 1e-2 * max(1, logits.map(abs).max()!) }
            var tensors =
                d.parameters.layout.entries.map {
                    SafeTensors.Entry(name: "discriminator.\($0.name)", shape: $0.shape, values: d.parameters.value($0.name).array)
                } + [
                    SafeTensors.Entry(name: "inputs", shape: x.shape, values: x.array),
                    SafeTensors.Entry(name: "logits", shape: [logits.count], values: logits),
                ]
            if let penalty {
                d.parameters.zeroGradients()
                let squares = GradientPenalty(weight: penalty, discriminator: d, packs: rows).addGradient(d, inputs: x, globalPacks: rows)
                var gradients = d.parameters.layout.entries.map { ($0, d.parameters.gradient($0.name).array) }
                if perturbPenalty,
                    let k = gradients.indices.last(where: {
                        gradients[$0].0.name.hasSuffix("weight_hh_l0") || gradients[$0].0.name.hasPrefix("convs.0.weight")
                    })
                {
                    let largest = gradients[k].1.indices.max { abs(gradients[k].1[$0]) < abs(gradients[k].1[$1]) }!
                    gradients[k].1[largest] *= 1.01
                }
                tensors += gradients.map { SafeTensors.Entry(name: "penalty.gradient.\($0.0.name)", shape: $0.0.shape, values: $0.1) }
                tensors += [
                    SafeTensors.Entry(name: "penalty.weight", shape: [1], values: [penalty]),
                    SafeTensors.Entry(name: "penalty.packs", shape: [1], values: [Float(rows)]),
                    SafeTensors.Entry(name: "penalty.squares", shape: [1], values: [Float(squares)]),
                ]
            }
            try SafeTensors(tensors: tensors, metadata: [:]).write(to: path)
        }

        static func check(_ path: String) throws -> (status: Int32, out: String, err: String) {
            try runProgram(TorchEnvironment.python!, [MosesEnvironment.repository + "/launch/torch_discriminator_check.py", path])
        }

        @Test(
            .enabled(if: TorchEnvironment.python != nil, "needs torch: set TORCH_PYTHON, or run launch/moses-eval once (its .venv-moses has it)"),
            arguments: [(0, 1, 1, true), (8, 4, 1, true), (0, 1, 1, false), (4, 1, 2, false)])
        func logitsMatchPyTorch(embedding: Int, representations: Int, layers: Int, convolutional: Bool) throws {
            let d = Discriminator(
                vocabularySize: 7, hiddenSize: 5, length: 6, layers: layers, embeddingSize: embedding,
                convolutionWidths: convolutional ? [2, 3, 6] : [], representations: representations)
            let path = temporaryFolder() + "/d.safetensors"
            try Self.write(d, rows: 3, to: path)
            let r = try Self.check(path)
            #expect(r.status == 0, "\(r.out)\(r.err)")
            let expected = convolutional ? "\(representations) representations: \(3 * representations) logits" : "num_layers=\(layers)): 3 logits"
            #expect(r.out.contains(expected), "\(r.out)")
        }

        /// R1's gradient from first-order passes (``GradientPenalty``) matches PyTorch's double
        /// backprop through its own modules: the paper's LSTM, a stacked embedded one, the CNN.
        @Test(
            .enabled(if: TorchEnvironment.python != nil, "needs torch: set TORCH_PYTHON, or run launch/moses-eval once (its .venv-moses has it)"),
            arguments: [(0, 1, 1, false), (4, 1, 2, false), (8, 4, 1, true)])
        func penaltyGradientMatchesDoubleBackprop(embedding: Int, representations: Int, layers: Int, convolutional: Bool) throws {
            let d = Discriminator(
                vocabularySize: 7, hiddenSize: 5, length: 6, layers: layers, embeddingSize: embedding,
                convolutionWidths: convolutional ? [2, 3, 6] : [], representations: representations)
            let path = temporaryFolder() + "/d.safetensors"
            try Self.write(d, rows: 3, to: path, penalty: 10)
            let r = try Self.check(path)
            #expect(r.status == 0 && r.out.contains("R1 gradient against double backprop"), "\(r.out)\(r.err)")
            print(r.out, terminator: "")
        }

        /// The R1 comparison fails when one gradient value is off by a hundredth.
        @Test(.enabled(if: TorchEnvironment.python != nil, "needs torch: set TORCH_PYTHON, or run launch/moses-eval once (its .venv-moses has it)"))
        func aWrongPenaltyGradientFails() throws {
            let d = Discriminator(vocabularySize: 7, hiddenSize: 5, length: 6, layers: 2, embeddingSize: 4)
            let path = temporaryFolder() + "/d.safetensors"
            try Self.write(d, rows: 3, to: path, penalty: 10, perturbPenalty: true)
            let r = try Self.check(path)
            #expect(r.status == 1 && r.out.contains("(lstm.weight_hh_l0)"), "\(r.out)\(r.err)")
        }

        /// The check fails when one logit is off by a hundredth of their scale.
        @Test(.enabled(if: TorchEnvironment.python != nil, "needs torch: set TORCH_PYTHON, or run launch/moses-eval once (its .venv-moses has it)"))
        func aWrongLogitFails() throws {
            let d = Discriminator(
                vocabularySize: 7, hiddenSize: 5, length: 6, embeddingSize: 8, convolutionWidths: [2, 3], representations: 2)
            let path = temporaryFolder() + "/d.safetensors"
            try Self.write(d, rows: 3, to: path, perturb: true)
            let r = try Self.check(path)
            #expect(r.status == 1 && r.out.contains("largest difference 1.0"), "\(r.out)\(r.err)")
        }
    }
}
