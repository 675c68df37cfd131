/*
 * task — a task as the product knows it: what, for whom, by when.
 *
 * Tasks come from two places, INI [task] sections and imported plan
 * documents; both are built here, the same way: the timeframe parsed (kept
 * verbatim and flagged when not understood) and the agency cells resolved
 * by the directory (a group becomes one assignment per member; a name the
 * directory does not know is kept as written and flagged). Pure.
 */
#ifndef DEADLINED_TASK_H
#define DEADLINED_TASK_H

#include "dir.h"
#include "timeframe.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

enum task_role { TASK_LEAD, TASK_COORD };

enum task_status {
	TASK_OPEN,
	TASK_IN_PROGRESS, /* Đang thực hiện, Tiếp tục thực hiện */
	TASK_WAITING,     /* Chờ …: reminders yes, escalation no */
	TASK_DONE,        /* Đạt, Hoàn thành, Đáp ứng yêu cầu */
	TASK_NOT_MET,     /* Chưa đạt, Chưa hoàn thành: still owed */
	TASK_CANCELLED,
	TASK_REMOVED, /* its INI section is gone */
	TASK_MISSED,  /* an occurrence of a recurring duty left open when the next fell due */
};

#define TASK_FLAG_UNPARSED   0x01u /* the timeframe is not understood */
#define TASK_FLAG_UNRESOLVED 0x02u /* an agency name matches nothing */
#define TASK_FLAG_NO_LEAD    0x04u
#define TASK_FLAG_CONDITION  0x08u /* the timeframe carries a condition */
#define TASK_FLAG_IMPLICIT   0x10u /* no timeframe written: the plan's period */
#define TASK_FLAG_LOOSE      0x20u /* the timeframe was read from a sentence: check it */
/* What an admin must look at: `tasks --flagged`, `status`, import's "flagged". */
#define TASK_FLAGS_CHECK                                                                           \
	(TASK_FLAG_UNPARSED | TASK_FLAG_UNRESOLVED | TASK_FLAG_NO_LEAD | TASK_FLAG_LOOSE)

struct task_agency {
	enum task_role role;
	char *agency;    /* directory id, or the name as written when unresolved */
	char *written;   /* the name as written in the source */
	char *via_group; /* the group it came from, or NULL */
	bool resolved;
};

struct task {
	int64_t id; /* 0 until stored */
	char *plan_id, *key, *idx, *category, *title;
	char *timeframe; /* as written */
	enum tf_kind kind;
	time_t due, window_start; /* TF_NONE when none */
	char *condition;
	unsigned flags;
	enum task_status status;
	char *status_note;
	time_t extended_due; /* gia hạn: TF_NONE, or the new due of a one-off */
	int ext;             /* how many times extended; part of step keys */
	char *source_file;
	int source_line;
	char *raw;    /* the source text of the row or item */
	char *origin; /* "ini" or "import" */
	char *policy; /* "key = value" lines overriding the plan's policy, or NULL */
	struct task_agency *agencies;
	size_t n_agencies;
};

void task_init(struct task *t);
void task_free(struct task *t);

/* Parses and stores the timeframe; sets kind, due, window, condition, flags. */
void task_set_timeframe(struct task *t, const char *text, const struct tf_ctx *ctx);
/* The same for a plan issued on `issued`, as tf_issued() gives it (0: unknown). */
void task_set_timeframe_issued(struct task *t, const char *text, const struct tf_ctx *ctx,
                               int issued);

/*
 * Resolves a cell of agency names into assignments with the given role.
 * Duplicates are ignored, and so is a lead reached again through a
 * coordinating group ("Các Sở, ban, ngành" includes it): assign the leads
 * first. Returns the number of names left unresolved.
 */
int task_assign(struct task *t, const struct dir *d, enum task_role role, const char *cell);
/* The same for a document of a local day (TASK_ANY_DAY: unknown): a group
 * stands for its members as they were that day — a member whose successor
 * had taken over by then is that successor. */
#define TASK_ANY_DAY INT64_MIN
int task_assign_on(struct task *t, const struct dir *d, enum task_role role, const char *cell,
                   int64_t day);

void task_add_agency(struct task *t, enum task_role role, const char *agency, const char *written,
                     const char *via_group, bool resolved);

/* A digest of what an import sets (not status): "did the row change?" */
void task_content_hash(const struct task *t, char out[17]);

const char *task_status_name(enum task_status s); /* "open", "in-progress" … */
/* English names, or the status report's Vietnamese levels. -1 if neither.
 * "removed" is accepted (the store reads it back); callers taking a status
 * from a person refuse it. */
int task_status_parse(const char *s, enum task_status *out);
const char *task_role_name(enum task_role r); /* "lead", "coord" */

/* True when nothing more should be sent for it. */
bool task_status_final(enum task_status s);

#endif
