/*
 * preview — every email the engine would send in a window, without
 * sending anything. It replays the daemon's own cycle for each occurrence
 * (planner_prepare, sched_decide at each time the daemon would wake up)
 * against the store's tasks and ledger, records what would be sent in a
 * simulated ledger, and groups the result into digests with the same
 * digest code. Only the store is read.
 */
#ifndef DEADLINED_PREVIEW_H
#define DEADLINED_PREVIEW_H

#include "cfg.h"
#include "digest.h"
#include "dir.h"
#include "scheduler.h"
#include "store.h"

#include <stddef.h>
#include <time.h>

struct preview_item {
	size_t task; /* index into preview.tasks */
	int64_t occurrence;
	time_t due, original_due;
	enum sched_role role;
	enum sched_kind kind;
	char agency[64]; /* as assigned */
	char step[32];
};

struct preview_mail {
	time_t at;
	char holder[64]; /* the recipient agency */
	enum sched_kind kind;
	char *subject;
	struct cfg_list to, cc;
	struct preview_item *items;
	size_t n_items;
};

struct preview {
	struct task *tasks;
	size_t n_tasks;
	struct preview_mail *mails; /* in sending order */
	size_t n_mails;
	size_t n_notes;
};

/* Simulates [from, to]. Returns 0, or -1 with the store's error. */
int preview_run(struct store *st, const struct dir *d, const struct digest_templates *tpl,
                time_t from, time_t to, struct preview *out);
void preview_free(struct preview *p);

#endif
