@testable import AtriumCore
import Foundation
import Testing

@Suite struct WorkspaceSchemaMemoryTests {
    /// Heap bytes held by `N` cached standard workspaces, per workspace (glibc's mallinfo2 before and after).
    ///
    /// Other tests run in parallel and allocate and free meanwhile, so the figure is noisy (4–20 KB seen) and only
    /// bounds are asserted; `bench/metadata-cache` measures alone (10.6 KB per workspace with 2000 workspaces). The lower
    /// bound makes a broken measurement fail: Swift's `mallinfo2()` once meant the struct's zero initializer, so every
    /// reading was 0 and the upper bound alone passed. A snapshot holds at least its 437 object and field ids (7 KB).
    @Test func memoryPerCachedStandardWorkspace() throws {
        let count = 200
        _ = try WorkspaceSchema(definitions: StandardObjects.all)  // the shared shapes, paid once per process
        let perWorkspace = try WorkspaceSchemaMemory.measure(count: count) { _ in try WorkspaceSchema(definitions: StandardObjects.all) }
        print("workspace-schema: \(perWorkspace) heap bytes per cached standard workspace (N=\(count))")
        #expect(WorkspaceSchemaMemory.heapBytesInUse() ?? 0 > 0, "the heap statistics are read")
        #expect(perWorkspace > 1_000, "the measurement measures")
        #expect(perWorkspace < 50_000)
    }
}
