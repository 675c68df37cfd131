/*
 * progress — where each task stands on a given day, and the counts per
 * agency that a monitoring agency reports upwards (modelled on the
 * appendix of a status report: per task its lead, timeframe, completion
 * level, result and days overdue; per agency done / in progress / waiting /
 * overdue / not yet due). Pure: tasks, the stored occurrences' statuses
 * and the day are passed in.
 *
 * A task is judged by one occurrence: the last one whose deadline has
 * passed, while it is not done; else the next one. Earlier occurrences
 * left undone are "missed" (counted, no longer chased), as the daemon
 * treats them. A gia hạn moves the deadline of the occurrence it extends.
 */
#ifndef DEADLINED_PROGRESS_H
#define DEADLINED_PROGRESS_H

#include "planner.h"
#include "task.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

enum progress_state {
	PROGRESS_DONE,
	PROGRESS_IN_PROGRESS, /* in progress, or assessed "not met" and not yet overdue */
	PROGRESS_WAITING,     /* waits on someone else: never counted overdue */
	PROGRESS_OVERDUE,
	PROGRESS_NOT_DUE, /* nothing reported and the deadline is ahead (or there is none) */
	PROGRESS_CANCELLED,
	PROGRESS_STATES,
};

/* An occurrence the daemon stored, with the progress recorded for it. */
struct progress_occ {
	time_t due; /* as the timeframe gives it (before any extension) */
	enum task_status status;
};

struct progress_row {
	enum progress_state state;
	enum task_status level; /* the recorded completion level that applies */
	time_t due;             /* the deadline it is judged by, after any extension; or TF_NONE */
	time_t window_start;    /* of that occurrence, or TF_NONE */
	time_t next_due;        /* the first deadline after the day, or TF_NONE */
	int days_overdue;       /* days past the last day when overdue, else 0 */
	int days_left;          /* days until the last day when not overdue (0: today) */
	int missed;             /* earlier occurrences left undone */
};

/*
 * Judges task t as of the end of the local day of as_of. plan is what is
 * known of its plan (planner_plan_of), stored its stored occurrences in any
 * order.
 */
void progress_judge(const struct task *t, const struct planner_plan *plan,
                    const struct progress_occ *stored, size_t n_stored, time_t as_of, int tz,
                    struct progress_row *out);

/* ---- the report: rows and counts ---- */

struct progress_counts {
	int n[PROGRESS_STATES];
	int total; /* every state but cancelled */
};

struct progress_item {
	const struct task *task; /* the caller's, kept alive */
	char *leads;             /* lead agencies by name, "; " between */
	struct progress_row row;
};

struct progress_agency {
	const char *id, *name;
	struct progress_counts counts;
};

/* An item counted under one of its lead agencies. */
struct progress_lead {
	size_t item;
	char *id, *name;
};

struct progress_report {
	time_t as_of;
	int tz;
	struct progress_item *items; /* in the order added */
	size_t n_items, cap_items;
	struct progress_lead *leads; /* every (item, lead) pair, by agency after progress_finish */
	size_t n_leads, cap_leads;
	struct progress_agency
	    *agencies; /* by name, after progress_finish; names point into leads */
	size_t n_agencies;
	struct progress_counts total;
};

void progress_init(struct progress_report *r, time_t as_of, int tz);
/*
 * A task and its lead agencies: the ids and names it is counted under (n of
 * them), and what its line shows for each (shown: the group as the plan
 * wrote it for a group's members, not twenty names; NULL: the names).
 */
void progress_add(struct progress_report *r, const struct task *t, const struct progress_row *row,
                  const char *const *lead_ids, const char *const *lead_names,
                  const char *const *shown, size_t n);
/* Counts every item under each of its leads, and in the total. */
void progress_finish(struct progress_report *r);
void progress_free(struct progress_report *r);

/* Words for people: "Hoàn thành" … in Vietnamese ("vi"), else English. */
const char *progress_state_label(enum progress_state s, const char *language);
/* The completion level as the status report writes it: "Đạt", "Đang thực hiện" … */
const char *progress_level_label(enum task_status s, const char *language);
/* "done", "in-progress", "waiting", "overdue", "not-due", "cancelled": for scripts. */
const char *progress_state_name(enum progress_state s);

#endif
