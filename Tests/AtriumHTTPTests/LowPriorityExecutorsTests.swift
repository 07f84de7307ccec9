@testable import AtriumHTTP
import Foundation
import GraphQL
import Testing

#if canImport(CThreadPriority)
import CThreadPriority
#endif

/// `/metadata` executions run on threads of their own, at a lower priority than the records API's.
struct LowPriorityExecutorsTests {
    @Test func anExecutionAndItsChildTasksRunOnALowerPriorityThread() async throws {
        #if canImport(CThreadPriority)
        let executors = LowPriorityExecutors(count: 1)
        let outside = atrium_current_thread_nice()
        let (inside, children) = try await executors.run(for: UUID()) {
            let children = await withTaskGroup(of: Int32.self) { group in
                for _ in 0..<4 { group.addTask { atrium_current_thread_nice() } }
                return await group.reduce(into: []) { $0.append($1) }
            }
            return (atrium_current_thread_nice(), children)
        }
        #expect(inside == LowPriorityExecutors.niceness)
        #expect(children == Array(repeating: LowPriorityExecutors.niceness, count: 4), "child tasks inherit the preference")
        #expect(outside == 0 || outside != inside, "the shared pool keeps its priority")
        #expect(atrium_current_thread_nice() == outside)
        #endif
    }
}

/// Which GraphQL operations count as large (validated and run on the low-priority threads).
struct GraphQLLargeOperationTests {
    @Test func anOperationIsLargePastItsFieldCountFragmentsExpanded() throws {
        let limits = GraphQLLimits(largeOperationNodes: 10)
        let fields = (0..<5).map { "f\($0)" }.joined(separator: " ")
        let small = try parse(source: "{ a { \(fields) } }")
        let large = try parse(source: "{ a { \(fields) } b { \(fields) } }")
        let viaFragment = try parse(source: "query Q { a { ...F } b { ...F } } fragment F on T { \(fields) }")
        #expect(!limits.isLarge(small, operationName: nil))
        #expect(limits.isLarge(large, operationName: nil))
        #expect(limits.isLarge(viaFragment, operationName: "Q"))
    }
}
