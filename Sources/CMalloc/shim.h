// glibc's allocator statistics (mallinfo2), which the Glibc module does not export; used only to measure memory.
#include <malloc.h>
#include <stddef.h>

// Swift imports both the function `mallinfo2` and the struct `mallinfo2`, and `mallinfo2()` written in Swift resolves to
// the struct's zero initializer: every reading was 0. C has no such ambiguity, so Swift reads the statistics here.
// Bytes in allocated chunks of every arena (not counting chunks mmapped on their own: see hblkhd).
static inline size_t atrium_malloc_allocated_bytes(void) { return mallinfo2().uordblks; }
// Bytes in chunks mmapped on their own (allocations above the mmap threshold).
static inline size_t atrium_malloc_mmapped_bytes(void) { return mallinfo2().hblkhd; }
