/*
 * outbox — outbound delivery around the mail worker: hands the queued
 * messages that are due to the worker, and records what comes back
 * (sent, refused, retried with backoff, given up). Runs in the loop
 * thread; it alone writes delivery results to the store. A message still
 * with the worker, or whose result is not recorded yet, is never handed
 * over again.
 */
#ifndef DEADLINED_OUTBOX_H
#define DEADLINED_OUTBOX_H

#include "cfg.h"
#include "mail.h"
#include "store.h"

#include <stddef.h>
#include <time.h>

struct outbox;

struct outbox_stats {
	unsigned long delivered, failed;
	char last_result[512]; /* "delivered <id>", "deferred <id>: why" … */
	time_t last_result_at; /* 0 before the first */
};

struct outbox *outbox_new(struct store *st, struct mail *m);
void outbox_free(struct outbox *ob);

/* Hands every queued message that is due (new ones and retries) to the worker, at once. */
void outbox_submit_due(struct outbox *ob, time_t now);

/*
 * Records the results the worker has posted, in one short transaction; c
 * gives the retry policy. If the store is busy they wait in memory (their
 * messages are not handed over again meanwhile): returns how many wait,
 * and the caller calls again shortly.
 */
size_t outbox_collect(struct outbox *ob, const struct cfg *c, time_t now);

/* Messages with the worker, or back with a result not yet recorded. */
size_t outbox_in_flight(const struct outbox *ob);
const struct outbox_stats *outbox_stats(const struct outbox *ob);

#endif
