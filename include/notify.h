/*
 * notify — the daemon's planning round, in two steps.
 *
 * Planning: the occurrences whose next_at has come are decided (planner +
 * scheduler) in batches; every notification due is recorded as a pending
 * ledger row (its key taken in the transaction that decided it: never
 * planned twice), superseded steps as skipped, missed occurrences as missed.
 *
 * Composing, once no occurrence is left to decide: every pending row is
 * grouped by the agency that holds the duty today, and each holder gets
 * one digest of everything pending for it, queued in the outbox with the
 * rows it carries (pending → queued, one transaction). A holder that has
 * already had a message today waits for the next working day's first
 * sending moment: at most one message per agency per day, whatever the
 * number of batches, rounds or restarts. notify_compose_times() is that
 * rule for preview, so preview shows what the daemon sends.
 *
 * Runs in the loop thread, inside the caller's store transaction; the
 * mail goes out later, through the outbox.
 */
#ifndef DEADLINED_NOTIFY_H
#define DEADLINED_NOTIFY_H

#include "cal.h"
#include "cfg.h"
#include "digest.h"
#include "dir.h"
#include "store.h"

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* What a round needs; the config set the daemon runs on now. */
struct notify_env {
	struct store *st;
	const struct cfg *cfg;
	const struct dir *dir;
	const struct digest_templates *tpl;
};

struct notify_result {
	int processed;     /* occurrences decided */
	int notifications; /* newly due */
	int messages;      /* digests queued */
	int held;          /* pending rows left for their recipient's next day */
	bool more;         /* planning stopped at its batch size: run another round now */
};

/* Occurrences decided per round: a round holds the loop for well under a second. */
#define NOTIFY_BATCH 20000

/*
 * A tick at `now`, inside one store transaction: notify_round() as many
 * times as wanted (each a batch of planning; out->more: another is due),
 * then notify_end(), which composes if the last round left nothing to
 * decide and `now` is in the sending window, and writes the rows decided
 * and not sent as pending. The rows a tick decides reach the ledger only
 * at notify_end(): commit after it, never between rounds and it. On an
 * error (-1, store_error() says why) roll back; notify_free() either way.
 */
struct notify_tick;
struct notify_tick *notify_begin(const struct notify_env *env, time_t now);
int notify_round(struct notify_tick *t, struct notify_result *out);
int notify_end(struct notify_tick *t, struct notify_result *out);
void notify_free(struct notify_tick *t);

/* When pending rows can next be composed, or TF_NONE when there are none. */
int notify_next(const struct notify_env *env, time_t now, time_t *at);

/*
 * The one-a-day rule for a holder, given when each of its notifications was
 * decided (ascending) and when it last had a message (TF_NONE: never):
 * fills compose[i] with the moment notification i goes out. A message is
 * composed at a notification's decision time unless the holder already had
 * one that local day; then at the next day's first sending moment, with
 * everything decided meanwhile.
 */
void notify_compose_times(const struct cal *cal, const time_t *decided, size_t n, time_t last_mail,
                          time_t *compose);

#endif
