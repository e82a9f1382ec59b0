// swift-tools-version:6.0
import PackageDescription

// A plain manifest: no host probing and no unsafe flags, so the library can be a versioned
// dependency. The launch/ scripts build for the processor at hand (launch/cpu-env: AVX2 and
// FMA where it has them) and optimise the test build; a bare `swift build` gives correct but
// slower code.
let package = Package(
    name: "GumbelGAN",
    products: [
        .library(name: "GumbelGAN", targets: ["GumbelGAN"]),
        .executable(name: "trainer", targets: ["trainer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
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
        .target(name: "GumbelGAN", dependencies: ["CBLAS", "CMPI"]),
        .executableTarget(
            name: "trainer",
            dependencies: [
                "GumbelGAN", "CBLAS",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The command-line tests run the built trainer (beside the test binary).
        .testTarget(name: "GumbelGANTests", dependencies: ["GumbelGAN", "trainer"]),
    ]
)
