import Testing

@testable import GumbelGAN

@Suite struct ParameterTests {
    @Test func oneContiguousBufferWithNamedViews() {
        let g = Generator(vocabularySize: 6, hiddenSize: 10, length: 12, initialState: .noiseHiddenLearnedCell)
        let p = g.parameters
        let names = p.layout.entries.map(\.name)
        #expect(names == ["lstm.weight_ih", "lstm.weight_hh", "lstm.bias_ih", "lstm.bias_hh", "out.weight", "out.bias", "c0"])
        #expect(p.value("lstm.weight_ih").shape == [40, 6] && p.value("lstm.weight_hh").shape == [40, 10])
        #expect(p.value("out.weight").shape == [6, 10] && p.value("c0").shape == [10])
        // Back to back, no gaps, covering the buffer exactly.
        var offset = 0
        for e in p.layout.entries {
            #expect(e.offset == offset)
            offset += e.count
        }
        #expect(offset == p.count && p.values.count == p.count && p.gradients.count == p.count)
        #expect(p.count == 40 * 6 + 40 * 10 + 80 + 60 + 6 + 10)
        // Views alias the one buffer: writing through a view shows in the flat buffer.
        p.value("out.bias").base[2] = 42
        p.gradient("out.bias").base[2] = -7
        let at = p.entry("out.bias").offset + 2
        #expect(p.values.pointer[at] == 42 && p.gradients.pointer[at] == -7)
        p.zeroGradients()
        #expect(p.gradients.values.allSatisfy { $0 == 0 })
    }

    @Test func initialisationIsSeededAndDependsOnNamesNotLayout() {
        let a = Discriminator(vocabularySize: 6, hiddenSize: 10, length: 12).parameters
        let b = Discriminator(vocabularySize: 6, hiddenSize: 10, length: 12).parameters
        a.initialize(.normal(standardDeviation: 0.01), seed: 5)
        b.initialize(.normal(standardDeviation: 0.01), seed: 5)
        #expect(Array(a.values.values) == Array(b.values.values))
        b.initialize(.normal(standardDeviation: 0.01), seed: 6)
        #expect(Array(a.values.values) != Array(b.values.values))
        // The same tensor name in another network layout gets the same values.
        var layout = ParameterLayout()
        layout.add("extra", shape: [3])
        LSTM.declare(in: &layout, prefix: "lstm", inputSize: 6, hiddenSize: 10)
        let c = Parameters(layout: layout)
        c.initialize(.normal(standardDeviation: 0.01), seed: 5)
        #expect(c.value("lstm.weight_hh").array == a.value("lstm.weight_hh").array)
        // The scale is what was asked for.
        let values = Array(a.values.values).map(Double.init)
        let rms = (values.map { $0 * $0 }.reduce(0, +) / Double(values.count)).squareRoot()
        #expect(abs(rms - 0.01) < 0.001, "rms \(rms)")
        a.initialize(.uniform(bound: 0.3), seed: 5)
        #expect(a.values.values.allSatisfy { abs($0) < 0.3 } && a.values.values.contains { abs($0) > 0.25 })
    }
}
