@testable import AtriumHTTP
import Foundation
import Testing

#if canImport(CThreadPriority)
import CThreadPriority
#endif

/// `/metadata` executions run on threads of their own, at a lower priority than the records API's.
struct MetadataExecutorsTests {
    @Test func anExecutionAndItsChildTasksRunOnALowerPriorityThread() async throws {
        #if canImport(CThreadPriority)
        let executors = MetadataExecutors(count: 1)
        let outside = atrium_current_thread_nice()
        let (inside, children) = try await executors.run(for: UUID()) {
            let children = await withTaskGroup(of: Int32.self) { group in
                for _ in 0..<4 { group.addTask { atrium_current_thread_nice() } }
                return await group.reduce(into: []) { $0.append($1) }
            }
            return (atrium_current_thread_nice(), children)
        }
        #expect(inside == MetadataExecutors.niceness)
        #expect(children == Array(repeating: MetadataExecutors.niceness, count: 4), "child tasks inherit the preference")
        #expect(outside == 0 || outside != inside, "the shared pool keeps its priority")
        #expect(atrium_current_thread_nice() == outside)
        #endif
    }
}
