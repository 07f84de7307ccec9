import AtriumCore
import Foundation
import NIOCore
import NIOPosix

#if canImport(CThreadPriority)
import CThreadPriority
#endif

/// Threads of their own, at a lower scheduling priority, for the requests that cost seconds or tens of milliseconds of
/// CPU in blocks that do not yield: `/metadata` GraphQL, and `/graphql` operations that select many fields.
///
/// GraphQLSwift runs every field of every object of a query as a task of its own: one `objects { fieldsList { … } }`
/// on `/metadata` is tens of thousands of tasks, 50 aliases of it hundreds of thousands, seconds of CPU; and it
/// validates a document in one block, about 40 µs per selected field. On the shared concurrency pool (one thread per
/// core) such work queued ahead of every other request's, so one tenant's requests kept another's findOne waiting
/// (2.3 s for the catalog before these threads, 150–200 ms for large `/graphql` documents, `bench/noisy-neighbor`).
/// Under a task executor preference that work, and every task it starts, runs on one of these threads instead, chosen
/// by workspace: a workspace's heavy requests wait for each other (and for those of the few workspaces that share its
/// thread), never the rest. The threads run at nice ``niceness``, so when the cores are all busy the other requests'
/// threads come first; on an idle machine they run at full speed.
final class LowPriorityExecutors: Sendable {
    /// The nice value of the threads (0 is the default priority, 19 the lowest).
    static let niceness: Int32 = 10

    private let executors: [EventLoopTaskExecutor]
    private let threads: MultiThreadedEventLoopGroup

    /// `count` threads (at least 1), each an event loop.
    init(count: Int) {
        threads = MultiThreadedEventLoopGroup(numberOfThreads: max(1, count))
        executors = threads.makeIterator().map { loop in
            #if canImport(CThreadPriority)
            loop.execute { _ = atrium_set_current_thread_nice(Self.niceness) }
            #endif
            return EventLoopTaskExecutor(loop)
        }
    }

    /// Runs `operation`, and every task it starts, on `workspace`'s thread (the first one for anonymous requests).
    func run<Result: Sendable, Failure: Error>(
        for workspace: UUID?, _ operation: @Sendable () async throws(Failure) -> Result
    ) async throws(Failure) -> Result {
        let index = workspace.map { Int(UInt(bitPattern: $0.hashValue) % UInt(executors.count)) } ?? 0
        return try await withTaskExecutorPreference(executors[index], operation: operation)
    }

    /// One thread per two cores, at least 2.
    static let shared = LowPriorityExecutors(count: max(2, ProcessInfo.processInfo.activeProcessorCount / 2))
}
