// swift-tools-version: 6.1
import PackageDescription
import struct Foundation.URL

// Darkroom's fuzz targets: a package of their own, built only by scripts/fuzz (with
// `--sanitize=fuzzer`), never by the test command, which replays the corpus instead
// (Tests/VipsTests/FuzzCorpusTests.swift). The root package is a path dependency, named by its
// folder (which differs between clones).
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()

let package = Package(
    name: "DarkroomFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [.package(path: root.path)],
    targets: [
        .executableTarget(
            name: "fuzz-load",
            dependencies: [.product(name: "Vips", package: root.lastPathComponent)],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
    ],
    swiftLanguageModes: [.v6]
)
