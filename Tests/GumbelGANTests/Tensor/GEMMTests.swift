import Testing

@testable import GumbelGAN

@Suite struct GEMMTests {
    /// `op(A)·op(B)` by the textbook triple loop, in Float64.
    func naive(_ a: Tensor, _ ta: Transpose, _ b: Tensor, _ tb: Transpose, m: Int, n: Int, k: Int) -> [Double] {
        let am = a.matrix, bm = b.matrix
        var c = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var s = 0.0
                for p in 0..<k {
                    let x = ta == .none ? am[i, p] : am[p, i]
                    let y = tb == .none ? bm[p, j] : bm[j, p]
                    s += Double(x) * Double(y)
                }
                c[i * n + j] = s
            }
        }
        return c
    }

    @Test(arguments: [(1, 1, 1), (3, 5, 7), (17, 1, 9), (13, 11, 4), (2, 33, 65)])
    func matchesTripleLoop(shape: (Int, Int, Int)) {
        let (m, n, k) = shape
        for ta in [Transpose.none, .transposed] {
            for tb in [Transpose.none, .transposed] {
                let a = Tensor(zeros: ta == .none ? [m, k] : [k, m])
                let b = Tensor(zeros: tb == .none ? [k, n] : [n, k])
                fillUniform(a, bound: 1, seed: 1, row: m * 100 + k)
                fillUniform(b, bound: 1, seed: 2, row: n * 100 + k)
                let expected = naive(a, ta, b, tb, m: m, n: n, k: k)
                let c = Tensor(zeros: [m, n])
                fillUniform(c, bound: 1, seed: 3, row: 0)
                let before = c.array
                gemm(a.matrix, ta, b.matrix, tb, into: c.matrix)
                for i in 0..<(m * n) {
                    #expect(abs(Double(c.base[i]) - expected[i]) < 1e-5 * Double(k), "overwrite \(ta) \(tb) \(shape) at \(i)")
                }
                c.base.update(from: before, count: m * n)
                gemm(a.matrix, ta, b.matrix, tb, into: c.matrix, .accumulate, alpha: -0.5)
                for i in 0..<(m * n) {
                    let want = Double(before[i]) - 0.5 * expected[i]
                    #expect(abs(Double(c.base[i]) - want) < 1e-5 * Double(k + 1), "accumulate \(ta) \(tb) \(shape) at \(i)")
                }
            }
        }
    }

    @Test func emptyInnerDimension() {
        let a = Tensor(zeros: [3, 0]), b = Tensor(zeros: [0, 2])
        let c = Tensor(shape: [3, 2], values: [1, 2, 3, 4, 5, 6])
        gemm(a.matrix, .none, b.matrix, .none, into: c.matrix, .accumulate)
        #expect(c.array == [1, 2, 3, 4, 5, 6])
        gemm(a.matrix, .none, b.matrix, .none, into: c.matrix)
        #expect(c.array == [0, 0, 0, 0, 0, 0])
    }

    /// The kernel family to ask OpenBLAS for: the newest the processor's flags allow, and
    /// only when OpenBLAS fell back to one without AVX2.
    @Test func betterKernelFamilyOnlyWhenOpenBLASChoseAnOldOne() {
        let avx512: Set<String> = ["sse3", "avx", "avx2", "fma", "avx512f", "avx512bw"]
        let avx2: Set<String> = ["sse3", "avx", "avx2", "fma"]
        #expect(betterBLASKernelFamily(chosen: "Prescott", cpuFlags: avx512) == "SkylakeX")
        #expect(betterBLASKernelFamily(chosen: "Prescott", cpuFlags: avx512.subtracting(["avx512bw"])) == "Haswell")
        #expect(betterBLASKernelFamily(chosen: "Sandybridge", cpuFlags: avx2) == "Haswell")
        #expect(betterBLASKernelFamily(chosen: "Prescott", cpuFlags: avx2.subtracting(["fma"])) == nil)
        #expect(betterBLASKernelFamily(chosen: "Prescott", cpuFlags: ["sse3"]) == nil)
        for good in ["Haswell", "SkylakeX", "Cooperlake", "Zen"] { #expect(betterBLASKernelFamily(chosen: good, cpuFlags: avx512) == nil) }
        #expect(!blasKernelFamily.isEmpty)
    }
}
