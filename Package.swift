// swift-tools-version:6.0
import Foundation
import PackageDescription

/// Whether the building machine's processor has AVX2 and FMA (x86-64 Linux, from /proc/cpuinfo).
let buildMachineHasAVX2AndFMA: Bool = {
    #if arch(x86_64) && os(Linux)
    guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
          let line = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return false }
    let flags = Set(line.split(separator: " "))
    return flags.contains("avx2") && flags.contains("fma")
    #else
    return false
    #endif
}()

/// The numerics are hopelessly slow unoptimised (the tests train the real model through the
/// command line), so debug builds of the library and the tool are optimised too; they keep
/// their preconditions and testability. The vector kernels use fused multiply-adds
/// throughout: for a processor without FMA in the target, each one is a call to libm's `fmaf`
/// (about ten times slower at the paper size, the same results), so where the building
/// machine has AVX2 and FMA the code targets them (`-target-cpu haswell`). A binary built so
/// needs such a processor to run.
let optimised: [SwiftSetting] = [
    .unsafeFlags(["-O"], .when(configuration: .debug)),
    .unsafeFlags(buildMachineHasAVX2AndFMA ? ["-target-cpu", "haswell"] : []),
]

let package = Package(
    name: "GumbelGAN",
    products: [
        .library(name: "GumbelGAN", targets: ["GumbelGAN"]),
        .executable(name: "trainer", targets: ["trainer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        .systemLibrary(
            name: "CMPI",
            pkgConfig: "ompi-c",
            providers: [.apt(["libopenmpi-dev", "openmpi-bin"])]
        ),
        .target(name: "GumbelGAN", dependencies: ["CBLAS", "CMPI"], swiftSettings: optimised),
        .executableTarget(
            name: "trainer",
            dependencies: [
                "GumbelGAN", "CBLAS",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: optimised
        ),
        .testTarget(name: "GumbelGANTests", dependencies: ["GumbelGAN"]),
    ]
)
