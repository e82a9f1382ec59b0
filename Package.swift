// swift-tools-version:6.0
import PackageDescription

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
        .target(name: "GumbelGAN", dependencies: ["CBLAS"]),
        .executableTarget(
            name: "trainer",
            dependencies: [
                "GumbelGAN", "CBLAS",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "GumbelGANTests", dependencies: ["GumbelGAN"]),
    ]
)
