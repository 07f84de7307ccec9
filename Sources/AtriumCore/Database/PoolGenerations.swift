import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// The process's live `PostgresClient`, replaced by a fresh one when the live one cannot hand out connections
/// although PostgreSQL accepts them.
///
/// postgres-nio's pool, once a connection attempt fails, queues every lease behind one retried connection whose
/// backoff grows by 1.25× per failure (100 ms up to 60 s): after a 10 s outage the next attempt can be ~3 s after
/// PostgreSQL is back, after a minute ~15 s. ``Database`` reports each lease that timed out while the pool had free
/// capacity (``noteStuckLease()``) and each lease that succeeded (``noteLeased()``). Once leases have been timing out
/// with none succeeding for ``stuckAfter``, a background probe opens a TCP connection to PostgreSQL every
/// ``probeInterval`` and, as soon as one succeeds, starts a new client (its first retry comes after 100 ms) for new
/// operations. The old client keeps running for ``retireAfter`` so that operations already waiting on it end by their
/// own bounds, and then until no operation uses one of its connections (at most ``longestUse``), then it is shut down:
/// shutting it down under a transaction of several statements (a DDL-bounded one, an upgrade holding its lock) would
/// close that connection in the middle of its work. The same path frees a pool that is stuck for any other reason. A
/// pool that is merely busy keeps handing out connections, so it is never replaced.
final class PoolGenerations: Sendable {
    /// How often the probe tries PostgreSQL while the pool is stuck.
    static let probeInterval = Duration.milliseconds(200)
    /// How long leases must fail, with none succeeding, before the pool counts as stuck.
    static let stuckAfter = Duration.seconds(1)
    /// The least time between two replacements.
    static let replacementInterval = Duration.seconds(2)

    /// One client, and how many operations use one of its connections right now.
    final class Generation: Sendable {
        let client: PostgresClient
        let retired: AsyncStream<Void>
        let retire: AsyncStream<Void>.Continuation
        let inUse = Atomic<Int>(0)

        init(client: PostgresClient, retired: AsyncStream<Void>, retire: AsyncStream<Void>.Continuation) {
            self.client = client
            self.retired = retired
            self.retire = retire
        }
    }

    private let configuration: PostgresClient.Configuration
    private let host: String
    private let port: Int
    private let logger: Logger
    private let current: Mutex<Generation>
    /// Since when leases have been timing out with none succeeding (nanoseconds on ``clockOrigin``; 0: not stuck).
    private let stuckSince = Atomic<Int64>(0)
    private let clockOrigin = ContinuousClock.now
    private let retireAfter: Duration
    private let longestUse: Duration
    private let started: AsyncStream<Generation>
    private let start: AsyncStream<Generation>.Continuation
    private let replacements = Atomic<Int>(0)
    /// Connections held by operations right now (kept by ``Database``).
    let held = Atomic<Int>(0)

    /// - Parameters:
    ///   - retireAfter: How long a replaced client keeps running at least (its operations' own bounds).
    ///   - longestUse: How long a replaced client keeps running at most while an operation still uses a connection.
    init(
        configuration: PostgresClient.Configuration, host: String, port: Int, retireAfter: Duration, longestUse: Duration,
        logger: Logger
    ) {
        self.configuration = configuration
        self.retireAfter = retireAfter
        self.longestUse = max(retireAfter, longestUse)
        self.host = host
        self.port = port
        self.logger = logger
        let first = Self.generation(configuration, logger: logger)
        current = Mutex(first)
        (started, start) = AsyncStream.makeStream(of: Generation.self)
        start.yield(first)
    }

    /// The client generation new operations use: count a connection's use in its ``Generation/inUse``.
    var generation: Generation { current.withLock { $0 } }

    /// How many times the client was replaced (for tests and logs).
    var replacementCount: Int { replacements.load(ordering: .relaxed) }

    /// A lease timed out while the pool had free capacity.
    func noteStuckLease() {
        let now = max(1, clockOrigin.duration(to: .now).nanoseconds)
        _ = stuckSince.compareExchange(expected: 0, desired: now, ordering: .relaxed)
    }

    /// A lease succeeded: the pool works.
    func noteLeased() {
        if stuckSince.load(ordering: .relaxed) != 0 { stuckSince.store(0, ordering: .relaxed) }
    }

    /// Whether leases have failed, none succeeding, for at least ``stuckAfter``.
    private var isStuck: Bool {
        let since = stuckSince.load(ordering: .relaxed)
        return since != 0 && clockOrigin.duration(to: .now).nanoseconds - since >= Self.stuckAfter.nanoseconds
    }

    /// Runs each client generation until it is retired, and the probe, until graceful shutdown or cancellation.
    func run() async {
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.probeWhileStuck() }
                for await generation in self.started {
                    group.addTask {
                        await withDiscardingTaskGroup { inner in
                            inner.addTask { await generation.client.run() }
                            for await _ in generation.retired { break }
                            inner.cancelAll()
                        }
                    }
                }
                group.cancelAll()
            }
        }
        start.finish()
    }

    private func probeWhileStuck() async {
        var lastReplacement = ContinuousClock.now - Self.replacementInterval
        while !Task.isCancelled {
            do { try await Task.sleep(for: Self.probeInterval) } catch { return }
            guard isStuck, lastReplacement.duration(to: .now) >= Self.replacementInterval, await acceptsConnections() else { continue }
            stuckSince.store(0, ordering: .relaxed)
            lastReplacement = .now
            replace()
        }
    }

    /// Starts a new client for new operations and retires the current one (its operations in flight finish or fail).
    func replace() {
        let fresh = Self.generation(configuration, logger: logger)
        let old = current.withLock { current in
            defer { current = fresh }
            return current
        }
        start.yield(fresh)
        let (retireAfter, longestUse) = (self.retireAfter, self.longestUse)
        Task {
            let replaced = ContinuousClock.now
            try? await Task.sleep(for: retireAfter)
            while old.inUse.load(ordering: .relaxed) > 0, replaced.duration(to: .now) < longestUse {
                try? await Task.sleep(for: .milliseconds(100))
            }
            old.retire.yield()
            old.retire.finish()
        }
        let count = replacements.add(1, ordering: .relaxed).newValue
        logger.warning("PostgreSQL pool replaced: leases were stuck while PostgreSQL accepts connections",
                       metadata: ["replacements": "\(count)"])
    }

    /// Whether a TCP connection to PostgreSQL opens within half a second.
    private func acceptsConnections() async -> Bool {
        do {
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.milliseconds(500))
                .connect(host: host, port: port)
                .get()
            try? await channel.close()
            return true
        } catch {
            return false
        }
    }

    private static func generation(_ configuration: PostgresClient.Configuration, logger: Logger) -> Generation {
        let (retired, retire) = AsyncStream.makeStream(of: Void.self)
        return Generation(client: PostgresClient(configuration: configuration, backgroundLogger: logger), retired: retired, retire: retire)
    }
}
