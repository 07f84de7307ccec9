#ifndef ATRIUM_CHIREDIS_SHIM_H
#define ATRIUM_CHIREDIS_SHIM_H
#include <hiredis/hiredis.h>
#include <hiredis/read.h>

/* Swift cannot import hiredis' function-like macros, and `errstr` arrives as a 128-tuple:
   these accessors give Swift a plain function for each. */

/// Non-zero when the reader hit a protocol error; the reader is then unusable.
static inline int atrium_redisReaderHasError(const redisReader *reader) {
    return reader->err;
}

/// The reader's error message (NUL-terminated, at most 127 characters).
static inline const char *atrium_redisReaderGetError(const redisReader *reader) {
    return reader->errstr;
}

/// The `index`th child of an array reply.
static inline redisReply *atrium_redisReplyElement(const redisReply *reply, size_t index) {
    return reply->element[index];
}

#endif
