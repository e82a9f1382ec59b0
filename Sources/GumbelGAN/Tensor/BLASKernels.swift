import CBLAS

/// The kernel family OpenBLAS chose for this processor when it was loaded ("SkylakeX",
/// "Haswell", "Prescott", …); the environment variable `OPENBLAS_CORETYPE` overrides its choice.
public var blasKernelFamily: String { String(cString: openblas_get_corename()) }

/// OpenBLAS's x86-64 kernel families that predate AVX2.
private let familiesWithoutAVX2: Set<String> = [
    "prescott", "core2", "penryn", "dunnington", "nehalem", "sandybridge", "atom",
    "opteron", "barcelona", "bobcat", "bulldozer", "piledriver", "steamroller", "excavator",
]

/// The kernel family to ask OpenBLAS for when the one it chose (`chosen`) is older than a
/// processor with the features `cpuFlags` (as listed in `/proc/cpuinfo`): "SkylakeX" with
/// AVX-512 F and BW, "Haswell" with AVX2 and FMA. Nil when the choice already uses AVX2 or the
/// processor has nothing newer. Debian's OpenBLAS 0.3.21 does not recognise recent processors
/// and falls back to its SSE3 ("Prescott") kernels, two to four times slower.
public func betterBLASKernelFamily(chosen: String, cpuFlags: Set<String>) -> String? {
    guard familiesWithoutAVX2.contains(chosen.lowercased()) else { return nil }
    if cpuFlags.isSuperset(of: ["avx512f", "avx512bw"]) { return "SkylakeX" }
    if cpuFlags.isSuperset(of: ["avx2", "fma"]) { return "Haswell" }
    return nil
}
