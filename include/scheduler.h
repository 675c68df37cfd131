/*
 * scheduler — what to send for one occurrence of a task, and when to look
 * again. Pure: the caller brings the policy, the calendar, the recipients,
 * what the ledger already holds, and the clock.
 *
 * Rules, in order:
 *  - done, cancelled and removed tasks get nothing;
 *  - an occurrence of a recurring duty still open when the next one falls
 *    due is missed: reported, no longer chased;
 *  - a waiting task (Chờ …) gets reminders but no escalation;
 *  - a step is due when its slot has come and the ledger lacks its
 *    (agency, step) key; it is sent only in the sending window of a working
 *    day (from the send slot to the close), else the occurrence is looked
 *    at again when the window next opens;
 *  - coordinating agencies (with the policy's "coordinating") hear of the
 *    reminders and of the first escalation (the lead level), never of a
 *    weekly or monthly duty: those go to the lead only;
 *  - of several due steps for one agency only the latest is sent, the
 *    others are recorded as skipped (a restart after a week sends one
 *    message, not five); a reminder whose deadline has passed is skipped,
 *    the escalation speaks instead;
 *  - a step missed by more than the policy's backfill days (an old plan
 *    imported late) goes out as a summary.
 */
#ifndef DEADLINED_SCHEDULER_H
#define DEADLINED_SCHEDULER_H

#include "cal.h"
#include "policy.h"
#include "task.h"

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

enum sched_role { ROLE_LEAD, ROLE_COORD, ROLE_MONITOR, ROLE_SUPERVISOR };
enum sched_kind { SCHED_REMINDER, SCHED_ESCALATION, SCHED_SUMMARY };

/* An (agency, step) pair the ledger already holds, in any state. */
struct sched_done {
	const char *agency;
	const char *step;
};

struct sched_in {
	const struct policy *policy;
	const struct cal *cal;
	enum tf_kind kind;
	time_t due;               /* the occurrence's deadline (after any extension) */
	int ext;                  /* extensions so far: a new deadline gets new step keys */
	enum task_status status;  /* of the task, or of this occurrence */
	const char *const *leads; /* assigned agency ids (resolved ones) */
	size_t n_leads;
	const char *const *coords;
	size_t n_coords;
	const char *monitor; /* or NULL */
	const char *const *supervisors;
	size_t n_supervisors;
	const struct sched_done *done;
	size_t n_done;
	/* A recurring occurrence is missed once the next one is due; TF_NONE: never. */
	time_t missed_at;
	/* Optional: the occurrence's policy_steps(), when the caller decides the
	 * same occurrence many times (preview); NULL to compute them. */
	const struct policy_step *steps;
	int n_steps;
};

struct sched_note {
	const char *agency; /* points into sched_in */
	enum sched_role role;
	enum sched_kind kind;
	enum policy_level level;
	char step[32];
	time_t at; /* the step's slot */
};

struct sched_out {
	struct sched_note *send; /* due now */
	size_t n_send;
	struct sched_note *skip; /* superseded: to be recorded, never sent */
	size_t n_skip;
	time_t next_at; /* when to decide again; TF_NONE: nothing more */
	bool missed;    /* record the occurrence as missed: nothing more */
};

void sched_decide(const struct sched_in *in, time_t now, struct sched_out *out);
void sched_out_free(struct sched_out *out);

const char *sched_kind_name(enum sched_kind k); /* "reminder", "escalation", "summary" */
const char *sched_role_name(enum sched_role r); /* "lead", "coordinating", … */
/* The reverse, for names read back from the ledger; unknown: reminder, lead. */
enum sched_kind sched_kind_parse(const char *name);
enum sched_role sched_role_parse(const char *name);

#endif
