/*
 * policy — when reminders and escalations are due for one occurrence of a
 * task. Pure: a function of the policy, the calendar and the due instant.
 *
 * Reminders are counted back from the *last day* of an occurrence (the day
 * before a "trước ngày D" deadline, the due day otherwise) and moved to the
 * latest slot before the deadline. Escalations are counted forward from it
 * and moved to the earliest slot after. Offsets count calendar days, or
 * working days when written "5wd".
 */
#ifndef DEADLINED_POLICY_H
#define DEADLINED_POLICY_H

#include "cal.h"
#include "timeframe.h"

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define POLICY_MAX_STEPS 12
#define POLICY_KINDS     (TF_UNPARSED + 1)

/* Who a step goes to; each level includes those before it. */
enum policy_level {
	POLICY_REMIND,     /* lead agencies (and coordinating ones if enabled) */
	POLICY_LEAD,       /* escalation to the lead, coordinating agencies in Cc */
	POLICY_MONITOR,    /* … and the plan's monitoring agency */
	POLICY_SUPERVISOR, /* … and the lead's supervisors up to UBND tỉnh */
};

struct policy_offset {
	int days;
	bool working;
};

struct policy_list {
	int n;
	struct policy_offset at[POLICY_MAX_STEPS];
};

struct policy_escalation {
	struct policy_offset after;
	enum policy_level level;
};

/* Escalation for one timeframe kind, where it differs from the default. */
struct policy_kind {
	bool own_steps, own_repeat, own_limit; /* set by escalate.KIND, repeat.KIND … */
	int n_escalations;
	struct policy_escalation escalate[POLICY_MAX_STEPS];
	struct policy_offset repeat;
	int repeat_limit;
};

struct policy {
	struct policy_list remind[POLICY_KINDS]; /* days before, per timeframe kind */
	/* Escalation of every kind ("escalate", "repeat", "repeat_limit") … */
	int n_escalations;
	struct policy_escalation escalate[POLICY_MAX_STEPS];
	struct policy_offset repeat; /* then again every … (0: never) */
	int repeat_limit;            /* … at most this many times */
	/* … unless a kind has its own ("escalate.weekly = 1:lead"), whatever the order. */
	struct policy_kind kind[POLICY_KINDS];
	int backfill_days; /* steps missed by more than this are summarised */
	bool remind_coordinating;
};

/* One planned step of an occurrence. */
struct policy_step {
	char id[16]; /* stable: "r30", "r5w", "e1", "x3"; part of the exactly-once key */
	enum policy_level level;
	time_t at;    /* the slot */
	int distance; /* days from the last day: -30 for "r30", +7 for "e7" (orders ties) */
};

/* The shipped defaults (see config/deadlined.ini). */
void policy_default(struct policy *p);

/*
 * Sets one key as written in the INI ("remind.once", "remind" with the kind
 * given, "escalate", "repeat", "repeat_limit", each of those three also as
 * "escalate.KIND" …, "backfill", "coordinating"). kind is used for the bare
 * key "remind" (a task's own list). Returns 0, or -1 with the reason in err.
 */
int policy_set(struct policy *p, const char *key, const char *value, enum tf_kind kind, char *err,
               size_t errlen);

/*
 * A plan's or a task's section wrote the bare key ("escalate", "repeat",
 * "repeat_limit"): for that task's kind it replaces what [policy] set for
 * the kind alone ("escalate.weekly"). The more specific section wins.
 */
void policy_forget_kind(struct policy *p, const char *key, enum tf_kind kind);

/* True for keys policy_set understands. */
bool policy_is_key(const char *key);

/*
 * The steps of one occurrence due at `due`, in time order; at most max.
 * Reminders that would fall at or after the deadline are dropped, and steps
 * landing in the same slot keep only the latest-numbered one.
 */
int policy_steps(const struct policy *p, const struct cal *cal, enum tf_kind kind, time_t due,
                 struct policy_step *out, int max);

/* The last day of an occurrence: the due day, or the day before a 00:00 due. */
int64_t policy_last_day(time_t due, int tz_offset);

#endif
