import AtriumCore
import Foundation
import NIOCore
import NIOPosix

#if canImport(CThreadPriority)
import CThreadPriority
#endif

/// Threads of their own, at a lower scheduling priority, that run `/metadata` GraphQL executions away from the
/// process's shared concurrency pool.
///
/// GraphQLSwift runs every field of every object of a query as a task of its own: one
/// `objects { fieldsList { … } }` is tens of thousands of tasks, 50 aliases of it hundreds of thousands, seconds of CPU.
/// On the shared pool they queued ahead of every other request's work, so one such request kept a quiet workspace's
/// findOne waiting 2.3 s (`bench/noisy-neighbor`). Under a task executor preference those tasks run on one of these
/// threads instead, chosen by workspace: a workspace's metadata requests wait for each other (and for those of the
/// few workspaces that share its thread), never the records API. The threads run at nice ``niceness``, so when the
/// cores are all busy the records API's threads come first, and a catalog rendered 50 times takes its time instead of
/// one of the two cores; on an idle machine they run at full speed.
final class MetadataExecutors: Sendable {
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
    func run<Result: Sendable>(for workspace: UUID?, _ operation: @Sendable () async throws -> Result) async throws -> Result {
        let index = workspace.map { Int(UInt(bitPattern: $0.hashValue) % UInt(executors.count)) } ?? 0
        return try await withTaskExecutorPreference(executors[index], operation: operation)
    }

    /// One thread per two cores, at least 2.
    static let shared = MetadataExecutors(count: max(2, ProcessInfo.processInfo.activeProcessorCount / 2))
}
