/*
 * util — allocation that cannot fail and a few string helpers.
 *
 * A daemon that runs out of memory cannot do anything useful, and checking
 * every small allocation hides the real error paths; like OpenSMTPD we make
 * allocation failure fatal and keep the checks for errors that can happen.
 */
#ifndef DEADLINED_UTIL_H
#define DEADLINED_UTIL_H

#include <stdbool.h>
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Copies at most size-1 bytes and always terminates; returns strlen(src). */
size_t util_strlcpy(char *dst, const char *src, size_t size);
/* Strips ASCII white space at both ends, in place; returns s. */
char *util_trim(char *s);
bool util_streq(const char *a, const char *b);
/* Creates the directory holding path if it is missing (mode 0750, one level). */
int util_make_parent(const char *path);
/* An exclusive lock on path (created if missing), held while the returned
 * descriptor is open; -1 with errno EWOULDBLOCK when another process holds it. */
int util_lock_file(const char *path);
/* Reads a whole file; NULL (errno set) on failure. *len may be NULL. */
char *util_read_file(const char *path, size_t *len);

#define UTIL_NELEM(a) (sizeof(a) / sizeof((a)[0]))

#endif
