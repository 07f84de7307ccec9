#if canImport(CMalloc)
import CMalloc
#endif

/// Measures the heap that cached snapshots hold, for tests and `bench/metadata-cache`.
public enum WorkspaceSchemaMemory {
    /// Heap bytes in use by this process (glibc `mallinfo2`: allocated chunks of every arena plus chunks mmapped on
    /// their own), or `nil` where unavailable.
    public static func heapBytesInUse() -> Int? {
        #if canImport(CMalloc)
        // Not `mallinfo2()` in Swift: that is the struct's zero initializer, which read 0 every time.
        return Int(atrium_malloc_allocated_bytes()) + Int(atrium_malloc_mmapped_bytes())
        #else
        return nil
        #endif
    }

    /// Bytes in allocated chunks of every arena, without the chunks mmapped on their own (allocations above the mmap
    /// threshold, 128 KB or more), or `nil` where unavailable.
    public static func arenaBytesInUse() -> Int? {
        #if canImport(CMalloc)
        return Int(atrium_malloc_allocated_bytes())
        #else
        return nil
        #endif
    }

    /// Makes `count` values with `make`, keeps them all alive, and returns the arena growth per value in bytes.
    ///
    /// Only what outlives `make` counts (temporaries are freed before the "after" reading). For values made of small
    /// allocations, such as snapshots: the large buffers other threads map and unmap meanwhile are left out, but their
    /// small allocations count too, so measure in a quiet process for exact figures.
    /// - Throws: What `make` throws.
    public static func measure<Value>(count: Int, _ make: (Int) throws -> Value) rethrows -> Int {
        var kept: [Value] = []
        kept.reserveCapacity(count)
        let before = arenaBytesInUse() ?? 0
        for index in 0..<count { kept.append(try make(index)) }
        let after = arenaBytesInUse() ?? 0
        return withExtendedLifetime(kept) { (after - before) / max(count, 1) }
    }
}
