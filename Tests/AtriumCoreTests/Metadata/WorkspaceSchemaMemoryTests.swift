@testable import AtriumCore
import Foundation
import Testing

@Suite struct WorkspaceSchemaMemoryTests {
    /// Heap bytes held by `N` cached standard workspaces, per workspace (glibc's mallinfo2 before and after).
    ///
    /// Other tests run in parallel and allocate and free meanwhile, so the figure is noisy (4–20 KB seen) and only an
    /// upper bound is asserted; `bench/metadata-cache` measures alone (10.6 KB per workspace with 2000 workspaces).
    @Test func memoryPerCachedStandardWorkspace() throws {
        let count = 200
        _ = try WorkspaceSchema(definitions: StandardObjects.all)  // the shared shapes, paid once per process
        let perWorkspace = try WorkspaceSchemaMemory.measure(count: count) { _ in try WorkspaceSchema(definitions: StandardObjects.all) }
        print("workspace-schema: \(perWorkspace) heap bytes per cached standard workspace (N=\(count))")
        #expect(perWorkspace < 50_000)
    }
}
