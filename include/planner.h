/*
 * planner — from stored facts to the scheduler's question. Pure.
 *
 * For one occurrence it gathers what sched_decide() needs: the effective
 * policy (global, plan, task overrides), the effective deadline (after a
 * gia hạn), the recipients by level (leads, coordinating agencies, the
 * plan's monitor, the leads' supervisors up to UBND tỉnh) and what the
 * ledger already holds. It also says which occurrences of a task should
 * exist: every one due from the plan's start up to a horizon ahead of now,
 * plus the first beyond it, whose first reminder is the cue to make more.
 *
 * Three rules about time and people live here:
 *  - a plan's recurring duties never start before the plan does (its date
 *    of issue, its period, else the day the store first heard of it);
 *  - an occurrence of a recurring duty is missed once the next one is due;
 *  - after a reorganisation the successor holds the predecessor's one-off
 *    tasks, but of a recurring duty only the occurrences whose last day is
 *    on or after its `since`: an older report was never its own.
 */
#ifndef DEADLINED_PLANNER_H
#define DEADLINED_PLANNER_H

#include "dir.h"
#include "scheduler.h"
#include "store.h"
#include "task.h"

#include <stddef.h>
#include <time.h>

/* Recurring occurrences are made this far ahead (plus the first beyond):
 * more would only be planned and replanned early; the scheduler looks at
 * the latest one again before the next one's reminders (see scheduler.c). */
#define PLANNER_HORIZON     (62 * 86400)
#define PLANNER_MAX_PARTIES 128

/* What the planner needs of a task's plan. */
struct planner_plan {
	const char *monitor;       /* NULL: [daemon] monitor */
	int first_year, last_year; /* the plan's period; 0 when not stated */
	time_t start;              /* see above; TF_NONE when unknown */
	int issued_on;             /* the date of issue as tf_issued() gives it; 0: unknown */
};

/* From the stored plan (NULL: nothing known) and when the store first heard
 * of it (TF_NONE: unknown); points into sp. */
void planner_plan_of(const struct store_plan *sp, time_t created, int tz_offset,
                     struct planner_plan *out);

#define PLANNER_MAX_HOPS 4

/* Who holds a party's duties, day by day: its successors and their `since`. */
struct planner_chain {
	const char *holder[PLANNER_MAX_HOPS + 1]; /* holder[0]: the party itself */
	int64_t since[PLANNER_MAX_HOPS + 1];      /* since[k]: holder[k] from that day */
	int n;                                    /* hops */
};

struct planner_occ {
	struct sched_in in;
	struct policy policy;
	struct tf tf;                           /* the task's timeframe in its plan's period */
	const char *leads[PLANNER_MAX_PARTIES]; /* every resolved assignment … */
	const char *coords[PLANNER_MAX_PARTIES];
	struct planner_chain lead_chain[PLANNER_MAX_PARTIES], coord_chain[PLANNER_MAX_PARTIES],
	    monitor_chain;
	size_t n_leads, n_coords;
	const char *monitor;
	const char *in_leads[PLANNER_MAX_PARTIES]; /* … those this occurrence concerns */
	const char *in_coords[PLANNER_MAX_PARTIES];
	bool successors; /* some party has a successor: filter per occurrence */
	const char *supervisors[PLANNER_MAX_PARTIES];
	/* What the supervisors were gathered for: the leads' holders that day. */
	const char *supervised[PLANNER_MAX_PARTIES];
	size_t n_supervised;
	bool have_supervisors;
	struct sched_done *done;
	time_t original_due; /* before an extension, else TF_NONE */
};

/*
 * Prepares the scheduler's input for the occurrence of task t due at
 * occ_due, in plan (NULL: nothing known of it). The result points into t,
 * plan, ledger and the directory: keep them alive.
 */
void planner_prepare(const struct dir *d, const struct task *t, const struct planner_plan *plan,
                     time_t occ_due, enum task_status occ_status, const struct store_note *ledger,
                     size_t n_ledger, time_t now, struct planner_occ *out);
void planner_occ_free(struct planner_occ *p);

/*
 * The same question for another occurrence of the same task, or the same
 * one later (preview asks millions of times): only what depends on the
 * occurrence and on now is redone. done/n_done is what the ledger holds,
 * used in place (keep it alive). p comes from planner_prepare() for t.
 */
void planner_retarget(const struct dir *d, struct planner_occ *p, const struct task *t,
                      time_t occ_due, enum task_status occ_status, const struct sched_done *done,
                      size_t n_done, time_t now);

/* The occurrences of t that should exist at now (the plan bounds them; may be NULL). */
size_t planner_occurrences(const struct task *t, int tz_offset, const struct planner_plan *plan,
                           time_t now, struct tf_occ *out, size_t max);

/* Is the holder of agency `id` on `today` someone who took it over after `last_day`? */
bool planner_taken_over_after(const struct dir *d, const char *id, int64_t today, int64_t last_day);

/* The kv list form of a task's policy text ("key = value" lines); free with planner_kvs_free. */
void planner_task_kvs(const char *policy, struct cfg_kvs *out);
void planner_kvs_free(struct cfg_kvs *k);

#endif
