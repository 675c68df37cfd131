/*
 * json — the little JSON deadlinectl writes: one object per line, built by
 * appending to a buf. Strings are UTF-8; control characters, quotes and
 * backslashes are escaped, so any text from a document is safe to emit.
 */
#ifndef DEADLINED_JSON_H
#define DEADLINED_JSON_H

#include "buf.h"

#include <stdbool.h>
#include <time.h>

/* A quoted string, or null for NULL. */
void json_string(struct buf *b, const char *s);
/* An ISO 8601 instant with offset, or null for (time_t)-1. */
void json_time(struct buf *b, time_t t, int tz_offset);
/* "key": — with a comma first unless it is the object's first member. */
void json_key(struct buf *b, const char *key, bool *first);

#endif
