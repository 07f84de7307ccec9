#if canImport(CMalloc)
import CMalloc
#endif

/// Measures the heap that cached snapshots hold, for tests and `bench/metadata-cache`.
public enum WorkspaceSchemaMemory {
    /// Heap bytes in use by this process (glibc `mallinfo2`: allocated chunks), or `nil` where unavailable.
    public static func heapBytesInUse() -> Int? {
        #if canImport(CMalloc)
        return Int(mallinfo2().uordblks)
        #else
        return nil
        #endif
    }

    /// Makes `count` values with `make`, keeps them all alive, and returns the heap growth per value in bytes.
    ///
    /// Only what outlives `make` counts (temporaries are freed before the "after" reading). Allocations of other
    /// threads during the measurement count too, so measure in a quiet process for exact figures.
    /// - Throws: What `make` throws.
    public static func measure<Value>(count: Int, _ make: (Int) throws -> Value) rethrows -> Int {
        var kept: [Value] = []
        kept.reserveCapacity(count)
        let before = heapBytesInUse() ?? 0
        for index in 0..<count { kept.append(try make(index)) }
        let after = heapBytesInUse() ?? 0
        return withExtendedLifetime(kept) { (after - before) / max(count, 1) }
    }
}
