/*
 * sync — puts tasks into the store: the INI [plan] and [task] sections at
 * every start and reload, and imported tasks. A stored task gets its
 * occurrences (planner_occurrences) so the daemon has something to plan;
 * a changed task has its occurrences looked at again.
 */
#ifndef DEADLINED_SYNC_H
#define DEADLINED_SYNC_H

#include "cfg.h"
#include "dir.h"
#include "planner.h"
#include "store.h"
#include "task.h"

#include <time.h>

struct sync_report {
	int tasks, created, updated, unchanged, removed, flagged, occurrences;
	int plans;  /* INI [plan] sections written to the store */
	int linked; /* INI tasks that are an imported task's duty (same_as, or recognised) */
};

/* Builds the task of an INI [task] section (plan period from the store or cfg). */
void sync_ini_task(struct store *st, const struct dir *d, const struct cfg_task *ct,
                   struct task *out);

/*
 * Stores the INI plans and tasks; INI tasks no longer configured are marked
 * removed. An INI task that is the same duty as an imported task (its
 * `same_as = PLAN:KEY`, or the same plan, timeframe and leads) is not
 * stored: the imported one is planned, once.
 */
int sync_config(struct store *st, const struct dir *d, time_t now, struct sync_report *r);

/* Stores one task (insert or update in place) and makes its occurrences. */
int sync_task(struct store *st, struct task *t, int tz_offset, time_t now,
              enum store_change *change, struct sync_report *r);

/* Makes the occurrences a task should have at now; *created counts new ones. */
int sync_occurrences(struct store *st, const struct task *t, int tz_offset, time_t now,
                     int *created);
/* The same for a known plan, only those due after `after` (TF_NONE: all):
 * how the planner grows a recurring duty without revisiting its past. */
int sync_occurrences_after(struct store *st, const struct task *t, const struct planner_plan *plan,
                           int tz_offset, time_t now, time_t after, int *created);

/* A task's occurrences are looked at again at the next wake-up. */
int sync_touch(struct store *st, int64_t task_id);

#endif
