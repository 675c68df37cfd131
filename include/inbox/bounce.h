/*
 * bounce — delivery status notifications (RFC 3464): which recipients a
 * report names, what happened to each, and whether the failure is for
 * good ("Action: failed" with a 5.x.x status). Pure.
 */
#ifndef DEADLINED_INBOX_BOUNCE_H
#define DEADLINED_INBOX_BOUNCE_H

#include <stdbool.h>
#include <stddef.h>

#define BOUNCE_MAX_RCPTS 100

struct bounce_rcpt {
	char address[256]; /* Final-Recipient (or Original-Recipient), without <> */
	char action[16];   /* failed, delayed, delivered, relayed, expanded */
	char status[16];   /* "5.1.1", or "" */
	char diagnostic[256];
	bool permanent;
};

/*
 * Reads the text of a message/delivery-status part. Returns how many
 * recipients it names (at most BOUNCE_MAX_RCPTS); *out is malloc'ed.
 */
size_t bounce_parse(const char *text, size_t len, struct bounce_rcpt **out);

#endif
