@testable import AtriumCore
import AtriumTestSupport
import Foundation
import Testing

@Suite(.tags(.timing)) struct WorkspaceSchemaMemoryTests {
    /// Heap bytes held by `N` cached standard workspaces, per workspace (glibc's mallinfo2 before and after).
    ///
    /// It runs with the suites that run alone (tagged `.timing`): tests running in parallel allocate and free meanwhile,
    /// and what they allocate adds to a round's figure (115 KB per workspace seen in one round of a loaded parallel run,
    /// and 54 KB as the smallest of three), what they free takes from it (-8.8 KB seen). Even alone, the upper bound is
    /// checked on the smallest of three rounds and the lower bound on the largest (a broken reading is
    /// 0 in every round); `bench/metadata-cache` measures alone (11.1 KB per workspace with 1000
    /// workspaces, release). The lower bound makes a broken measurement fail: Swift's `mallinfo2()` is the struct's zero
    /// initializer, so every reading was 0 and the upper bound alone passed. A snapshot holds at least its 437 object
    /// and field ids (7 KB).
    @Test func memoryPerCachedStandardWorkspace() throws {
        let count = 200
        _ = try WorkspaceSchema(definitions: StandardObjects.all)  // the shared shapes, paid once per process
        var rounds: [Int] = []
        for _ in 0..<3 {
            rounds.append(try WorkspaceSchemaMemory.measure(count: count) { _ in try WorkspaceSchema(definitions: StandardObjects.all) })
        }
        print("workspace-schema: heap bytes per cached standard workspace (N=\(count)), rounds \(rounds)")
        #expect(WorkspaceSchemaMemory.arenaBytesInUse() ?? 0 > 0, "the heap statistics are read")
        #expect(rounds.max() ?? 0 > 1_000, "the measurement measures")
        #expect(rounds.min() ?? .max < 50_000)
    }
}
