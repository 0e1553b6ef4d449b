// swift-tools-version: 6.1
import PackageDescription
import class Foundation.ProcessInfo
import struct Foundation.URL

// Darkroom's benchmarks: a package of their own so that users of the library never resolve the
// benchmark tooling. The root package is a path dependency, whose identity is its folder's name
// (which differs between clones), so it is computed here.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
let darkroom = root.lastPathComponent

let package = Package(
    name: "DarkroomBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: root.path),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .target(
            name: "BenchmarkInputs",
            dependencies: [.product(name: "Vips", package: darkroom)]
        ),
        .executableTarget(
            name: "Imaging",
            dependencies: [
                "BenchmarkInputs",
                .product(name: "Vips", package: darkroom),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/Imaging",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "ComfyUIClient",
            dependencies: [
                .product(name: "ComfyUI", package: darkroom),
                .product(name: "ComfyUIModel", package: darkroom),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/ComfyUIClient",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "vips-bench",
            dependencies: [.product(name: "Vips", package: darkroom)]
        ),
        .executableTarget(
            name: "media-plan",
            dependencies: [.product(name: "Media", package: darkroom), .product(name: "Vips", package: darkroom)]
        ),
        .executableTarget(
            name: "MediaPlan",
            dependencies: [
                "BenchmarkInputs",
                .product(name: "Media", package: darkroom),
                .product(name: "Vips", package: darkroom),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/MediaPlan",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "make-post",
            dependencies: [.product(name: "Workflows", package: darkroom), .product(name: "Vips", package: darkroom)]
        ),
        .executableTarget(
            name: "make-overhead",
            dependencies: [
                .product(name: "ComfyUI", package: darkroom),
                .product(name: "ComfyUIModel", package: darkroom),
                .product(name: "Media", package: darkroom),
                .product(name: "Studio", package: darkroom),
                .product(name: "StudioSQLite", package: darkroom),
                .product(name: "Workflows", package: darkroom),
            ]
        ),
        .executableTarget(
            name: "points-bench",
            dependencies: [
                .product(name: "Studio", package: darkroom),
                .product(name: "StudioSQLite", package: darkroom),
                .product(name: "StudioPostgres", package: darkroom),
            ]
        ),
        .executableTarget(
            name: "comfyui-overhead",
            dependencies: [
                .product(name: "ComfyUI", package: darkroom),
                .product(name: "ComfyUIModel", package: darkroom),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
