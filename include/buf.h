/*
 * buf — a growable byte buffer, always NUL-terminated.
 *
 * Messages, JSON lines and rendered templates are built by appending; this
 * keeps the length arithmetic in one place.
 */
#ifndef DEADLINED_BUF_H
#define DEADLINED_BUF_H

#include <stddef.h>

struct buf {
	char *data; /* NUL-terminated; NULL until the first append */
	size_t len;
	size_t cap;
};

#define BUF_INIT                                                                                   \
	{                                                                                          \
		NULL, 0, 0                                                                         \
	}

void buf_init(struct buf *b);
void buf_free(struct buf *b);
void buf_reset(struct buf *b); /* empties, keeps the memory */
void buf_add(struct buf *b, const void *data, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_addc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The contents as a C string ("" when empty); valid until the next append. */
const char *buf_str(const struct buf *b);
/* Hands the memory to the caller (free() it) and empties the buffer. */
char *buf_steal(struct buf *b);

#endif
