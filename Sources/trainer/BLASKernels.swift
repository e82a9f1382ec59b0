import Foundation
import GumbelGAN

/// Warns on standard error when OpenBLAS runs kernels older than the processor (see
/// `betterBLASKernelFamily`), naming the `OPENBLAS_CORETYPE` to export. `launch/blas-env`
/// sets it; a bare `mpirun trainer …` does not. Silent when the choice is fine, was the
/// user's, or the processor's features cannot be read (`/proc/cpuinfo`).
func warnIfBLASKernelsAreSlow() {
    guard ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil,
        let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
        let flagsLine = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
    else { return }
    let flags = Set(flagsLine.split(whereSeparator: { " \t:".contains($0) }).map(String.init))
    guard let family = betterBLASKernelFamily(chosen: blasKernelFamily, cpuFlags: flags) else { return }
    printError(
        "warning: OpenBLAS chose its \(blasKernelFamily) kernels, older than this processor; "
            + "export OPENBLAS_CORETYPE=\(family) (the launch/ scripts do) for matrix products two to four times faster")
}
