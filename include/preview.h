/*
 * preview — every email the engine would send in a window, without
 * sending anything. It replays the daemon's own cycle for each occurrence
 * (the planner, sched_decide at each time the daemon would wake up)
 * against the store's tasks and ledger, records what would be sent in a
 * simulated ledger, and groups the result into digests with the same
 * digest code. Only the store is read, in one read transaction (or in the
 * caller's, when one is open).
 *
 * A year of a large province is millions of notifications, so an item is
 * small: names are indexes into preview.names.
 */
#ifndef DEADLINED_PREVIEW_H
#define DEADLINED_PREVIEW_H

#include "cfg.h"
#include "digest.h"
#include "dir.h"
#include "scheduler.h"
#include "store.h"

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct preview_item {
	time_t at; /* when it would be sent */
	time_t due, original_due;
	int64_t occurrence; /* negative: one the daemon has not created yet */
	uint32_t task;      /* index into preview.tasks */
	uint16_t holder;    /* the recipient agency (who holds the duty that day) */
	uint16_t agency;    /* as assigned */
	uint16_t step;
	uint8_t role; /* enum sched_role */
	uint8_t kind; /* enum sched_kind */
};

struct preview_mail {
	time_t at;
	const char *holder; /* the recipient agency */
	enum sched_kind kind;
	char *subject;
	struct cfg_list to, cc;
	const struct preview_item *items; /* a slice of preview.items */
	size_t n_items;
};

struct preview {
	struct task *tasks;
	size_t n_tasks;
	char **names; /* agency ids and step names the items refer to */
	size_t n_names;
	struct preview_item *items; /* every notification, in sending order */
	size_t n_items;
	struct preview_mail *mails; /* in sending order */
	size_t n_mails;
};

/* Simulates [from, to]. Returns 0, or -1 with the store's error (and nothing to free). */
int preview_run(struct store *st, const struct dir *d, const struct digest_templates *tpl,
                time_t from, time_t to, struct preview *out);
void preview_free(struct preview *p);

#endif
