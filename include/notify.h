/*
 * notify — one planning round of the daemon: the occurrences whose next_at
 * has come are decided (planner + scheduler), superseded steps recorded,
 * and what is due grouped into one digest per recipient, each queued in
 * the outbox with the ledger rows it carries. Runs in the loop thread,
 * inside the caller's store transaction; the mail goes out later, through
 * the outbox.
 */
#ifndef DEADLINED_NOTIFY_H
#define DEADLINED_NOTIFY_H

#include "cfg.h"
#include "digest.h"
#include "dir.h"
#include "store.h"

#include <stdbool.h>
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
	int notifications; /* due and put in a message */
	int messages;      /* queued */
	bool more;         /* the round stopped at its batch size: run another now */
};

/* One round at `now`; 0, or -1 (store_error() says why). */
int notify_round(const struct notify_env *env, time_t now, struct notify_result *out);

#endif
