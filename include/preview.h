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
	time_t at;          /* when it would be sent */
	time_t due;         /* after a gia hạn: preview_original_due() gives the one before */
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
	const struct preview_item *items; /* in order: the email's own copy when kept,
	                                   * valid during the callback otherwise */
	size_t n_items;
};

struct preview {
	struct task *tasks;
	size_t n_tasks;
	char **names; /* agency ids and step names the items refer to */
	size_t n_names;
	size_t n_items;             /* notifications in all the emails */
	struct preview_mail *mails; /* in sending order */
	size_t n_mails;
};

/*
 * Each email, in sending order, as soon as it is known: a year of a large
 * province is thousands of them, better written out than kept. Nonzero
 * stops the run (preview_run then returns it).
 */
typedef int (*preview_mail_cb)(const struct preview *p, const struct preview_mail *m, void *arg);

/*
 * Simulates [from, to]. With cb, each email goes to it and preview.mails
 * stays empty (n_mails counts them); else they are kept in preview.mails.
 * Returns 0, or -1 with the store's error, or cb's nonzero verdict (and
 * then nothing to free).
 */
int preview_run(struct store *st, const struct dir *d, const struct digest_templates *tpl,
                time_t from, time_t to, preview_mail_cb cb, void *arg, struct preview *out);

/* The deadline before a gia hạn of an item, or TF_NONE. */
time_t preview_original_due(const struct preview *p, const struct preview_item *it);
void preview_free(struct preview *p);

#endif
