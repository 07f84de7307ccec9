// swift-tools-version:6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "atrium",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "atrium", targets: ["atrium"]),
        .executable(name: "atrium-bench", targets: ["atrium-bench"]),
        .library(name: "AtriumCore", targets: ["AtriumCore"]),
        .library(name: "AtriumRedis", targets: ["AtriumRedis"]),
        .library(name: "AtriumRedisAdapters", targets: ["AtriumRedisAdapters"]),
        .library(name: "AtriumHTTP", targets: ["AtriumHTTP"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/GraphQLSwift/GraphQL.git", from: "4.3.0"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-async-algorithms.git", from: "1.1.4"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
    ],
    targets: [
        // hiredis from Debian's libhiredis-dev, used only as a RESP encoder/decoder.
        .systemLibrary(
            name: "CHiredis",
            providers: [.apt(["libhiredis-dev"]), .brew(["hiredis"])]
        ),
        // glibc's <malloc.h> (mallinfo2), to measure the heap cached metadata holds.
        .systemLibrary(name: "CMalloc"),
        // setpriority for the calling thread (Linux threads have nice values of their own).
        .systemLibrary(name: "CThreadPriority"),
        // libpq from Debian's libpq-dev: the record-read path on libpq (`PG_LIBPQ_CONNECTIONS`) and atrium-bench's
        // `pg-client` (libpq against postgres-nio).
        .systemLibrary(name: "CLibpq", providers: [.apt(["libpq-dev"]), .brew(["libpq"])]),
        // The domain: configuration, errors, tenancy, metadata, queries, upgrades. No HTTP in here.
        .target(
            name: "AtriumCore",
            dependencies: [
                .target(name: "CMalloc", condition: .when(platforms: [.linux])),
                "CLibpq",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings,
            plugins: ["EmbedShippedFiles"]
        ),
        // Writes config/defaults.json and Migrations/ into AtriumCore as Swift source, so a lone binary has them.
        .plugin(name: "EmbedShippedFiles", capability: .buildTool(), dependencies: ["embed-shipped-files"]),
        .executableTarget(name: "embed-shipped-files", swiftSettings: swiftSettings),
        // Redis client: a SwiftNIO channel with hiredis as the RESP codec; pool, pipelining, pub/sub, streams.
        .target(
            name: "AtriumRedis",
            dependencies: [
                "CHiredis",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Core's ports over the Redis client (shared metadata store, announcements, token buckets), for serve and the CLI.
        .target(
            name: "AtriumRedisAdapters",
            dependencies: [
                "AtriumCore",
                "AtriumRedis",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The Hummingbird application: middleware, health, metrics, and (later) REST, GraphQL, metadata APIs.
        .target(
            name: "AtriumHTTP",
            dependencies: [
                "AtriumCore",
                "AtriumRedis",
                "AtriumRedisAdapters",
                .target(name: "CThreadPriority", condition: .when(platforms: [.linux])),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "GraphQL", package: "GraphQL"),
                .product(name: "OrderedCollections", package: "swift-collections"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "AsyncAlgorithms", package: "swift-async-algorithms"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            // The console's templates and assets are embedded by the plugin (`ConsoleFiles`), not bundled as resources.
            exclude: ["Console/Files"],
            swiftSettings: swiftSettings,
            plugins: ["EmbedShippedFiles"]
        ),
        .executableTarget(
            name: "atrium",
            dependencies: [
                "AtriumCore",
                "AtriumHTTP",
                "AtriumRedisAdapters",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Shared helpers of the test targets: the services under test, fixtures.
        .target(
            name: "AtriumTestSupport",
            dependencies: [
                "AtriumCore", .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            path: "Tests/AtriumTestSupport",
            swiftSettings: swiftSettings
        ),
        // In-process benchmarks (bench/workspace-create and friends call it).
        .executableTarget(
            name: "atrium-bench",
            dependencies: [
                "AtriumCore", "AtriumRedis", "CLibpq",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            path: "bench/AtriumBench",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AtriumCoreTests",
            dependencies: [
                "AtriumCore", "AtriumTestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AtriumRedisTests",
            dependencies: [
                "AtriumRedis", "AtriumTestSupport",
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AtriumHTTPTests",
            dependencies: [
                "AtriumHTTP",
                "AtriumRedis",
                "AtriumRedisAdapters",
                "AtriumTestSupport",
                .target(name: "CThreadPriority", condition: .when(platforms: [.linux])),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "atriumTests",
            dependencies: [
                "atrium", "AtriumCore", "AtriumRedis", "AtriumTestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
