#ifndef ATRIUM_CLIBPQ_SHIM_H
#define ATRIUM_CLIBPQ_SHIM_H
// libpq (libpq-dev): PostgreSQL's C client, used by atrium-bench's `pg-client` to measure its asynchronous API in
// pipeline mode beside postgres-nio.
#include <postgresql/libpq-fe.h>
#endif
