// swift-tools-version:6.0
import PackageDescription

// The upcoming features Hummingbird and SQLKit build with: explicit `any`, imports that
// say what they use, and imports internal unless a module re-exports them on purpose.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "onegrid",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "onegrid", targets: ["onegrid"]),
        .executable(name: "onegrid-bench", targets: ["OneGridBenchmark"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
        // The HTTP parts a channel handler sees behind Hummingbird's HTTP/1 decoder.
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.20.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.20.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.0.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.32.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.0"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.14.0"),
        // HTTPClient.shared, the client outgoing webhooks are sent with, arrived in 1.21.
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.21.0"),
        // The OpenAPI 3.1 document is built from its typed values, so it cannot be malformed.
        .package(url: "https://github.com/mattpolzin/OpenAPIKit.git", from: "6.4.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.5.0"),
        // /metrics in Prometheus's text format, from what swift-metrics records.
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.0.0"),
        // Reading .xlsx imports: a workbook is a zip of XML parts (`Spreadsheet`).
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.19"),
    ],
    targets: [
        // The domain: hierarchy, categories, routing, the case state machine, deadlines.
        // Foundation only — no server, database or network import may enter here.
        .target(
            name: "OneGridDomain",
            swiftSettings: swiftSettings
        ),
        // Persistence behind protocols, one SQLKit code path for SQLite and PostgreSQL.
        .target(
            name: "OneGridStore",
            dependencies: [
                "OneGridDomain",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        // The demo city of the seeds: hierarchy, departments, categories, users and two years of
        // cases, written in bulk. Tests build its tiny size as their fixture.
        .target(
            name: "OneGridDemo",
            dependencies: [
                "OneGridDomain",
                "OneGridStore",
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "SQLKit", package: "sql-kit"),
            ],
            swiftSettings: swiftSettings
        ),
        // The use cases, each written once: intake, acting on a case, reading a case for a post,
        // signing in, the deadline settings in force. The API, the pages, the commands, the demo,
        // the benchmark and the tests call these; no server import may enter here.
        .target(
            name: "OneGridApplication",
            dependencies: [
                "OneGridDomain",
                "OneGridStore",
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: swiftSettings
        ),
        // HTTP: the JSON API (and, beside it, pages, Open311, operations), route groups per
        // audience, authentication, background services. Calls the application layer only.
        .target(
            name: "OneGridWeb",
            dependencies: [
                "OneGridDomain",
                "OneGridStore",
                "OneGridApplication",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "OpenAPIKit", package: "OpenAPIKit"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            // The pages' templates, translations and assets, loaded with Bundle.module.
            resources: [.copy("Resources/templates"), .copy("Resources/i18n"), .copy("Resources/public")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "onegrid",
            dependencies: [
                "OneGridDomain",
                "OneGridStore",
                "OneGridApplication",
                "OneGridWeb",
                "OneGridDemo",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "SQLKit", package: "sql-kit"),
            ],
            swiftSettings: swiftSettings
        ),
        // Tooling, not the product. A database made for one run and thrown away, for the tests
        // and the benchmark alike.
        .target(
            name: "OneGridScratch",
            dependencies: [
                "OneGridStore",
                .product(name: "SQLKit", package: "sql-kit"),
            ],
            swiftSettings: swiftSettings
        ),
        // `onegrid-bench`: measures intake, the case list and the sweep against baselines of the
        // same run, launching the `onegrid` server built beside it; writes docs/performance.md.
        .executableTarget(
            name: "OneGridBenchmark",
            dependencies: [
                "OneGridDomain",
                "OneGridStore",
                "OneGridApplication",
                "OneGridDemo",
                "OneGridScratch",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "OneGridDomainTests",
            dependencies: ["OneGridDomain"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "OneGridStoreTests",
            dependencies: [
                "OneGridDomain", "OneGridStore", "OneGridApplication", "OneGridDemo", "OneGridScratch",
                .product(name: "SQLKit", package: "sql-kit"),
            ],
            // Realistic reports, written apart from the demo's generator, that the category
            // proposal is measured on.
            resources: [.copy("Resources/category-texts.tsv")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "OneGridWebTests",
            dependencies: [
                "OneGridDomain", "OneGridStore", "OneGridApplication", "OneGridWeb", "OneGridDemo", "OneGridScratch",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
