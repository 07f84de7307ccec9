// Linux gives each thread a nice value of its own; the Glibc module exports neither gettid nor a way to name the
// calling thread to setpriority, so Swift lowers a thread's priority here.
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

// Sets the calling thread's nice value to `nice` (0 to 19: higher is lower priority). Returns 0, or -1 with errno set.
static inline int atrium_set_current_thread_nice(int nice) {
    return setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), nice);
}

// The calling thread's nice value (-20 to 19).
static inline int atrium_current_thread_nice(void) {
    return getpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid));
}
