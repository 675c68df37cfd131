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
 */
#ifndef DEADLINED_PLANNER_H
#define DEADLINED_PLANNER_H

#include "dir.h"
#include "scheduler.h"
#include "store.h"
#include "task.h"

#include <stddef.h>
#include <time.h>

#define PLANNER_HORIZON     (400 * 86400) /* more than a year of reminders ahead */
#define PLANNER_MAX_PARTIES 128

struct planner_occ {
	struct sched_in in;
	struct policy policy;
	const char *leads[PLANNER_MAX_PARTIES];
	const char *coords[PLANNER_MAX_PARTIES];
	const char *supervisors[PLANNER_MAX_PARTIES];
	int64_t supervisors_day; /* the local day they were gathered for */
	struct sched_done *done;
	time_t original_due; /* before an extension, else TF_NONE */
};

/*
 * Prepares the scheduler's input for the occurrence of task t due at
 * occ_due. monitor is the plan's monitoring agency (NULL: the default).
 * The result points into t, ledger and the directory: keep them alive.
 */
void planner_prepare(const struct dir *d, const struct task *t, const char *monitor, time_t occ_due,
                     enum task_status occ_status, const struct store_note *ledger, size_t n_ledger,
                     time_t now, struct planner_occ *out);
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

/* The occurrences of t that should exist at now (plan years bound them). */
size_t planner_occurrences(const struct task *t, int tz_offset, int plan_first_year,
                           int plan_last_year, time_t now, struct tf_occ *out, size_t max);

/* The kv list form of a task's policy text ("key = value" lines); free with planner_kvs_free. */
void planner_task_kvs(const char *policy, struct cfg_kvs *out);
void planner_kvs_free(struct cfg_kvs *k);

#endif
