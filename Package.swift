// swift-tools-version:6.0
import PackageDescription

/// The numerics are hopelessly slow unoptimised (the tests train the real model through the
/// command line), so debug builds of the library and the tool are optimised too; they keep
/// their preconditions and testability.
let optimisedInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

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
        .target(name: "GumbelGAN", dependencies: ["CBLAS", "CMPI"], swiftSettings: optimisedInDebug),
        .executableTarget(
            name: "trainer",
            dependencies: [
                "GumbelGAN", "CBLAS",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: optimisedInDebug
        ),
        .testTarget(name: "GumbelGANTests", dependencies: ["GumbelGAN"]),
    ]
)
