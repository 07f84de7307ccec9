@testable import AtriumCore
import Foundation
import Testing

@Suite struct WorkspaceSchemaMemoryTests {
    /// Heap bytes held by `N` cached standard workspaces, per workspace (glibc's mallinfo2 before and after).
    ///
    /// Other tests run in parallel and allocate too, so the bound is generous; `bench/metadata-cache` measures alone.
    @Test func memoryPerCachedStandardWorkspace() throws {
        let count = 200
        _ = try WorkspaceSchema(definitions: StandardObjects.all)  // the shared shapes, paid once per process
        let perWorkspace = try WorkspaceSchemaMemory.measure(count: count) { _ in try WorkspaceSchema(definitions: StandardObjects.all) }
        print("workspace-schema: \(perWorkspace) heap bytes per cached standard workspace (N=\(count))")
        #expect(perWorkspace > 0)
        #expect(perWorkspace < 50_000)
    }
}
