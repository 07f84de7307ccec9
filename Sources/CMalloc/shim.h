// glibc's allocator statistics (mallinfo2), which the Glibc module does not export; used only to measure memory.
#include <malloc.h>
