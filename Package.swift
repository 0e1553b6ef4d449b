// swift-tools-version: 6.1
import PackageDescription

/// Settings every Darkroom target shares: Swift 6 mode with the upcoming features that keep
/// module boundaries honest (see docs/ARCHITECTURE.md).
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Darkroom",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "Vips", targets: ["Vips"]),
        .library(name: "ComfyUIModel", targets: ["ComfyUIModel"]),
        .library(name: "ComfyUI", targets: ["ComfyUI"]),
        .library(name: "Studio", targets: ["Studio"]),
        .library(name: "StudioSQLite", targets: ["StudioSQLite"]),
        .library(name: "StudioPostgres", targets: ["StudioPostgres"]),
        .library(name: "Media", targets: ["Media"]),
        .library(name: "Workflows", targets: ["Workflows"]),
        .library(name: "Server", targets: ["Server"]),
        .library(name: "Telegram", targets: ["Telegram"]),
        .executable(name: "darkroom", targets: ["darkroom"]),
        .executable(name: "darkroom-studio", targets: ["darkroom-studio"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/hummingbird-project/swift-websocket", from: "1.6.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CVips",
            path: "CSystem/CVips",
            pkgConfig: "vips",
            providers: [.apt(["libvips-dev"]), .brew(["vips"])]
        ),
        .target(
            name: "Vips",
            dependencies: [
                "CVips",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "ComfyUIModel",
            swiftSettings: strictSettings
        ),
        .target(
            name: "ComfyUI",
            dependencies: [
                "ComfyUIModel",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "WSClient", package: "swift-websocket"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Studio",
            dependencies: ["ComfyUIModel", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "StudioSQLite",
            dependencies: ["ComfyUIModel", "Studio", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "StudioPostgres",
            dependencies: ["ComfyUIModel", "Studio",
                           .product(name: "PostgresNIO", package: "postgres-nio"),
                           .product(name: "NIOSSL", package: "swift-nio-ssl"),
                           .product(name: "Logging", package: "swift-log"),
                           .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Media",
            dependencies: [
                "Vips",
                "Studio",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Workflows",
            dependencies: ["Media", "Vips", "Studio", "ComfyUI", "ComfyUIModel",
                           .product(name: "Crypto", package: "swift-crypto"),
                           .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Server",
            dependencies: ["Workflows", "Media", "Studio", "ComfyUIModel", "Vips",
                           .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "Crypto", package: "swift-crypto"),
                           .product(name: "HTTPTypes", package: "swift-http-types"),
                           .product(name: "Logging", package: "swift-log"),
                           .product(name: "NIOCore", package: "swift-nio"),
                           .product(name: "Prometheus", package: "swift-prometheus"),
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Telegram",
            dependencies: ["Workflows", "Media", "Studio", "ComfyUIModel", "Vips",
                           .product(name: "AsyncHTTPClient", package: "async-http-client"),
                           .product(name: "MultipartKit", package: "multipart-kit"),
                           .product(name: "Crypto", package: "swift-crypto"),
                           .product(name: "Logging", package: "swift-log"),
                           .product(name: "NIOCore", package: "swift-nio"),
                           .product(name: "NIOHTTP1", package: "swift-nio")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "CommandSupport",
            dependencies: [
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "darkroom-studio",
            dependencies: [
                "ComfyUI",
                "ComfyUIModel",
                "CommandSupport",
                "Media",
                "Studio",
                "StudioSQLite",
                "StudioPostgres",
                "Server",
                "Telegram",
                "Vips",
                "Workflows",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "darkroom",
            dependencies: [
                "Vips",
                "CommandSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strictSettings
        ),
        // Test support, in three parts so that a test target builds only what it uses: the image
        // tests never build the HTTP server, the Studio tests never build libvips' helpers.
        .target(
            name: "TestSupport",
            dependencies: ["Vips"],
            path: "Tests/TestSupport",
            swiftSettings: strictSettings
        ),
        .target(
            name: "ComfyUITestSupport",
            dependencies: ["TestSupport", "Vips", "ComfyUI", "ComfyUIModel",
                           .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "Logging", package: "swift-log"),
                           .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                           .product(name: "NIOCore", package: "swift-nio"),
                           .product(name: "NIOPosix", package: "swift-nio"),
                           .product(name: "NIOConcurrencyHelpers", package: "swift-nio")],
            path: "Tests/ComfyUITestSupport",
            swiftSettings: strictSettings
        ),
        .target(
            name: "StudioTestSupport",
            dependencies: ["TestSupport", "Studio", "StudioSQLite", "StudioPostgres", "ComfyUIModel"],
            path: "Tests/StudioTestSupport",
            swiftSettings: strictSettings
        ),
        .target(
            name: "WorkflowsTestSupport",
            dependencies: ["Workflows", "ComfyUIModel"],
            path: "Tests/WorkflowsTestSupport",
            swiftSettings: strictSettings
        ),
        .target(
            name: "TelegramTestSupport",
            dependencies: ["Telegram", "TestSupport",
                           .product(name: "AsyncHTTPClient", package: "async-http-client"),
                           .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "Logging", package: "swift-log"),
                           .product(name: "NIOCore", package: "swift-nio"),
                           .product(name: "NIOHTTP1", package: "swift-nio")],
            path: "Tests/TelegramTestSupport",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "comfyui-test-server",
            dependencies: ["ComfyUITestSupport"],
            path: "Tests/ComfyUITestServerTool",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "VipsTests",
            dependencies: ["Vips", "TestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ComfyUITests",
            dependencies: ["ComfyUI", "ComfyUIModel", "TestSupport", "ComfyUITestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "StudioTests",
            dependencies: ["ComfyUIModel", "Studio", "StudioSQLite", "TestSupport", "StudioTestSupport",
                           .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MediaTests",
            dependencies: ["Media", "Studio", "StudioSQLite", "Vips", "TestSupport",
                           .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "Logging", package: "swift-log"),
                           .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "WorkflowsTests",
            dependencies: ["Workflows", "Media", "Studio", "StudioSQLite", "ComfyUI", "ComfyUIModel", "Vips",
                           "TestSupport", "StudioTestSupport", "ComfyUITestSupport", "WorkflowsTestSupport",
                           .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ServerTests",
            dependencies: ["Server", "Workflows", "Studio", "StudioSQLite", "Media", "ComfyUI", "ComfyUIModel", "TestSupport",
                           "StudioTestSupport", "ComfyUITestSupport", "WorkflowsTestSupport",
                           .product(name: "AsyncHTTPClient", package: "async-http-client"),
                           .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "Logging", package: "swift-log"),
                           .product(name: "NIOCore", package: "swift-nio"),
                           .product(name: "NIOHTTP1", package: "swift-nio"),
                           .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "TelegramTests",
            dependencies: ["Telegram", "TelegramTestSupport", "TestSupport", "Workflows", "Media", "Studio", "StudioSQLite",
                           "StudioTestSupport", "ComfyUI", "ComfyUIModel", "ComfyUITestSupport", "Vips",
                           .product(name: "AsyncHTTPClient", package: "async-http-client"),
                           .product(name: "NIOCore", package: "swift-nio"),
                           .product(name: "NIOHTTP1", package: "swift-nio")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "darkroomTests",
            dependencies: ["darkroom", "darkroom-studio", "Vips", "ComfyUI", "ComfyUIModel", "TestSupport", "ComfyUITestSupport",
                           "TelegramTestSupport", "Telegram",
                           .product(name: "AsyncHTTPClient", package: "async-http-client"),
                           .product(name: "NIOCore", package: "swift-nio"),
                           .product(name: "NIOHTTP1", package: "swift-nio")],
            swiftSettings: strictSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
