import Foundation
import Testing

@testable import GumbelGAN

@Suite struct KernelTests {
    @Test func softmaxAndLogSoftmaxMatchFloat64AndStayFinite() {
        let rows: [[Float]] = [[0.1, -2, 3, 0.5], [1000, 999, -1000, 0], [-1e4, -1e4 + 1, -1e4 + 2, -1e4 + 3], [5, 5, 5, 5]]
        let x = Tensor(shape: [4, 4], values: rows.flatMap { $0 })
        let y = Tensor(zeros: [4, 4]), z = Tensor(zeros: [4, 4])
        for scale: Float in [1, 0.25, 3] {
            softmaxRows(x.matrix, into: y.matrix, scale: scale)
            for (r, row) in rows.enumerated() {
                let top = row.map { Double(scale) * Double($0) }.max()!
                let e = row.map { Foundation.exp(Double(scale) * Double($0) - top) }
                let sum = e.reduce(0, +)
                for j in 0..<4 {
                    #expect(abs(Double(y.matrix[r, j]) - e[j] / sum) < 1e-6, "softmax row \(r) scale \(scale)")
                }
            }
        }
        logSoftmaxRows(x.matrix, into: z.matrix)
        for (r, row) in rows.enumerated() {
            // Float32 cannot hold x_j − shift better than half an ulp of the row's largest |x|.
            let tolerance = 1e-6 + Double(row.map { abs($0) }.max()!.ulp)
            let top = Double(row.max()!)
            let lse = top + Foundation.log(row.map { Foundation.exp(Double($0) - top) }.reduce(0, +))
            for j in 0..<4 {
                let want = Double(row[j]) - lse
                #expect(abs(Double(z.matrix[r, j]) - want) < tolerance, "log-softmax row \(r)")
            }
        }
        // In place gives the same.
        let w = Tensor(shape: [4, 4], values: x.array)
        softmaxRows(w.matrix, into: w.matrix)
        softmaxRows(x.matrix, into: y.matrix)
        #expect(w.array == y.array)
    }

    /// Softmax runs eight rows at a time and the rest one by one: every row, wherever it
    /// falls, matches Float64 and gives the same bits as that row alone; the input may be a
    /// block of columns cut out of a wider matrix.
    @Test func softmaxRowsAreTheSameWhereverARowFalls() {
        let (rows, n) = (19, 6)
        let wide = Tensor(shape: [rows, 10], values: (0..<rows * 10).map { Float(($0 * 37) % 23) / 4 - 2.5 })
        let x = wide.matrix.columns(2..<2 + n)
        let y = Tensor(zeros: [rows, n])
        softmaxRows(x, into: y.matrix, scale: 0.7)
        for r in 0..<rows {
            let scaled = (0..<n).map { 0.7 * Double(x[r, $0]) }
            let top = scaled.max()!
            let e = scaled.map { Foundation.exp($0 - top) }
            for j in 0..<n { #expect(abs(Double(y.matrix[r, j]) - e[j] / e.reduce(0, +)) < 1e-6, "row \(r)") }
            let alone = Tensor(zeros: [1, n])
            softmaxRows(x.rows(r..<r + 1), into: alone.matrix, scale: 0.7)
            #expect(alone.array == y.matrix.rows(r..<r + 1).array, "row \(r) alone")
        }
    }

    @Test func sigmoidAndSoftplusAgreeWithFloat64AtExtremes() {
        let xs: [Float] = [-1000, -88, -20, -1, -1e-3, 0, 1e-3, 1, 20, 88, 1000]
        for x in xs {
            let d = Double(x)
            #expect(abs(Double(sigmoid(x)) - 1 / (1 + Foundation.exp(-d))) < 1e-7, "sigmoid(\(x))")
            let sp = d > 30 ? d : Foundation.log1p(Foundation.exp(d))
            #expect(abs(Double(softplus(x)) - sp) <= 1e-6 * max(1, abs(sp)), "softplus(\(x))")
        }
    }

    @Test func rowHelpers() {
        let m = Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
        let v = Tensor(shape: [3], values: [10, 20, 30])
        addToRows(v.base, m.matrix)
        #expect(m.array == [11, 22, 33, 14, 25, 36])
        addColumnSums(of: m.matrix, to: v.base)
        #expect(v.array == [35, 67, 99])
    }

    /// The feature-major helpers, on a block of columns cut out of a wider matrix (rows
    /// `stride` apart), with rows longer than one vector so both the vector and the scalar
    /// parts of a row are summed.
    @Test func columnHelpersOnStridedBlocks() {
        let wide = Tensor(shape: [2, 30], values: (0..<60).map(Float.init))
        let block = wide.matrix.columns(5..<16)  // 2 × 11, stride 30
        let sums = Tensor(shape: [2], values: [100, 200])
        withExtendedLifetime(sums) { addRowSums(of: block, to: sums.base) }
        let first: Int = (5..<16).reduce(0, +), second: Int = (35..<46).reduce(0, +)
        #expect(sums.array == [Float(100 + first), Float(200 + second)])
        let fill = Tensor(shape: [2], values: [-1, -2])
        withExtendedLifetime(fill) { broadcastColumns(fill.base, into: block) }
        let filled: [Float] = Array(repeating: -1, count: 11) + Array(repeating: -2, count: 11)
        #expect(block.array == filled)
        // The columns around the block are untouched.
        let left: [Float] = (0..<5).map(Float.init) + (30..<35).map(Float.init)
        let right: [Float] = (16..<30).map(Float.init) + (46..<60).map(Float.init)
        #expect(wide.matrix.columns(0..<5).array == left)
        #expect(wide.matrix.columns(16..<30).array == right)
    }

    /// `transpose` writes `aᵀ` into a strided block and nothing around it.
    @Test func transposeIntoAStridedBlock() {
        let a = Tensor(shape: [3, 2], values: [1, 2, 3, 4, 5, 6])
        let wide = Tensor(shape: [2, 7], values: Array(repeating: -1, count: 14))
        transpose(a.matrix, into: wide.matrix.columns(2..<5))
        #expect(
            wide.array == [
                -1, -1, 1, 3, 5, -1, -1,
                -1, -1, 2, 4, 6, -1, -1,
            ])
    }
}

@Suite struct LongRowKernelTests {
    /// Rows of thousands of values (a 5,000-word vocabulary) run along the row: the
    /// log-softmax matches Float64 and the likelihood's gradient is softmax − target.
    @Test func logSoftmaxAndLikelihoodOfLongRows() {
        let (rows, n) = (3, 5003)
        let x = Tensor(zeros: [rows, n]), y = Tensor(zeros: [rows, n])
        fillUniform(x, bound: 8, seed: 4, row: 0)
        logSoftmaxRows(x.matrix, into: y.matrix)
        for r in 0..<rows {
            let values = (0..<n).map { Double(x.matrix[r, $0]) }
            let top = values.max()!
            let shift = top + Foundation.log(values.map { Foundation.exp($0 - top) }.reduce(0, +))
            let worst = (0..<n).map { abs(Double(y.matrix[r, $0]) - (values[$0] - shift)) }.max()!
            #expect(worst < 2e-5, "row \(r): \(worst)")
        }
        let targets = Tensor(zeros: [1, rows, n]), logits = Tensor(shape: [1, rows, n], values: x.array), gradients = Tensor(zeros: [1, rows, n])
        for r in 0..<rows { targets[0][r, (r * 977) % n] = 1 }
        let total = SequenceLikelihood.negativeLogLikelihood(logits: logits, targets: targets, scale: 0.5, gradients: gradients)
        let expected = (0..<rows).map { -Double(y.matrix[$0, ($0 * 977) % n]) }.reduce(0, +)
        #expect(abs(total - expected) < 1e-6 * abs(expected))
        for r in 0..<rows {
            let sum = (0..<n).map { Double(gradients[0][r, $0]) }.reduce(0, +)
            #expect(abs(sum) < 1e-4, "the gradient of a row sums to 0.5 · (1 − 1): \(sum)")
            #expect(abs(Double(gradients[0][r, (r * 977) % n]) - 0.5 * (Foundation.exp(Double(y.matrix[r, (r * 977) % n])) - 1)) < 1e-6)
        }
    }
}
