import AtriumCore
import Dispatch
import Foundation

/// Serial task executors that run `/metadata` GraphQL executions away from the process's shared concurrency pool.
///
/// GraphQLSwift runs every field of every object of a query as a task of its own: one
/// `objects { fieldsList { … } }` is tens of thousands of tasks, 50 aliases of it hundreds of thousands. On the
/// shared pool they queue ahead of every other request's work, so one such request kept a quiet workspace's findOne
/// waiting 2.3 s (`bench/noisy-neighbor`). Under a task executor preference those tasks queue on one of these serial
/// executors instead, chosen by workspace: a workspace's metadata requests wait for each other (and for those of the
/// few workspaces that share its executor), never the records API.
final class MetadataExecutors: Sendable {
    private let executors: [SerialQueueTaskExecutor]

    /// `count` executors (at least 1), each a serial dispatch queue.
    init(count: Int) {
        executors = (0..<max(1, count)).map { SerialQueueTaskExecutor(label: "atrium.metadata.\($0)") }
    }

    /// Runs `operation`, and every task it starts, on `workspace`'s executor (the first one for anonymous requests).
    func run<Result: Sendable>(for workspace: UUID?, _ operation: @Sendable () async throws -> Result) async throws -> Result {
        let index = workspace.map { Int(UInt(bitPattern: $0.hashValue) % UInt(executors.count)) } ?? 0
        return try await withTaskExecutorPreference(executors[index], operation: operation)
    }

    /// One executor per two cores, at least 2.
    static let shared = MetadataExecutors(count: max(2, ProcessInfo.processInfo.activeProcessorCount / 2))
}

/// A task executor running its jobs one at a time, in order, on a serial dispatch queue.
final class SerialQueueTaskExecutor: TaskExecutor, @unchecked Sendable {
    private let queue: DispatchQueue

    init(label: String) {
        queue = DispatchQueue(label: label)
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
