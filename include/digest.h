/*
 * digest — one email for one recipient, from everything due for it that
 * day. Pure: rendering through the admin's templates, no I/O.
 *
 * Items are sorted by their own dates, whatever step brought them: overdue
 * (oldest deadline first), due soon (7 days or less), later. Each says the
 * task, its plan by number, date and title ("Kế hoạch số 119/KH-UBND ngày
 * 09/10/2020 …, mục 2"), the recipient's role and what that role asks of it
 * (the lead acts and reports to the monitoring agency, named; a
 * coordinating agency works with the lead, named; the monitor and
 * supervisors are informed and shown whom to chase), the deadline, and
 * since when it is overdue as a date. One message goes to one agency: no
 * Cc, nobody reads another agency's digest. Threading: In-Reply-To and
 * References name only messages that were sent to this recipient.
 */
#ifndef DEADLINED_DIGEST_H
#define DEADLINED_DIGEST_H

#include "dir.h"
#include "scheduler.h"
#include "task.h"
#include "tmpl.h"

#include <stddef.h>
#include <time.h>

#define DIGEST_SUBJECT_MAX 90 /* characters: the kind and date first, then a short title */
/* Items shown in full; those after (a province-wide catch-up can bring an
 * agency hundreds) are one line each, so the message stays readable. */
#define DIGEST_FULL_ITEMS 30
/* Items listed at all; beyond, they are counted by plan (a province-wide
 * catch-up can bring one agency thousands: nobody reads such a list, and
 * the contact person has it). Every one is still carried by the message. */
#define DIGEST_LISTED_MAX 200

struct digest_item {
	const struct task *task;
	const char *plan_title;  /* may be NULL */
	const char *plan_issued; /* YYYY-MM-DD or NULL */
	const char *monitor;     /* the plan's monitoring agency; NULL: [daemon] monitor */
	int64_t occurrence_id;
	time_t due;          /* effective deadline */
	time_t original_due; /* before a gia hạn, else TF_NONE */
	enum sched_role role;
	enum sched_kind kind; /* SCHED_SUMMARY: a step caught up late */
	const char *step;
	const char *assigned; /* the agency the step was planned for: another than the
	                       * recipient when the recipient took its duties over */
	const char
	    *prev_msgid; /* the last message on this occurrence sent to the recipient, or "" */
};

struct digest_msg {
	enum sched_kind kind; /* SCHED_ESCALATION when an item is overdue, else SCHED_REMINDER */
	char *subject, *text, *html;
	char *to_name;
	struct cfg_list to, cc; /* addresses; cc stays empty (kept for compose) */
	char *in_reply_to;      /* NULL when none */
	struct cfg_list references;
};

struct digest_templates;

/* Loads DIR/LANGUAGE/{subject.txt,body.txt,body.html}; errors name file and line. */
struct digest_templates *digest_templates_load(const char *dir, const char *language,
                                               struct buf *errors);
void digest_templates_free(struct digest_templates *t);

/*
 * Builds the message for `recipient` (an agency id holding the duties now).
 * Sorts items in place; items of the same occurrence become one line.
 * domain is unused (kept for callers).
 */
void digest_build(const struct digest_templates *tpl, const struct dir *d, const char *recipient,
                  struct digest_item *items, size_t n, time_t now, const char *domain,
                  struct digest_msg *out);
/* The same without rendering the bodies (text and html stay NULL): for preview. */
void digest_build_headers(const struct digest_templates *tpl, const struct dir *d,
                          const char *recipient, struct digest_item *items, size_t n, time_t now,
                          const char *domain, struct digest_msg *out);
void digest_msg_free(struct digest_msg *m);

/*
 * How a plan is named in a message: "Kế hoạch số 906/KH-UBND ngày
 * 11/07/2022 về …" — the kind of document and its number read from the
 * plan id when it is a document number (NUMBER/SYMBOL-ISSUER), the date of
 * issue, the title; never a file name. language is "vi" or "en".
 */
void digest_plan_name(const char *language, const char *plan_id, const char *title,
                      const char *issued, struct buf *out);

/* The variables templates may use (for validation and documentation). */
const struct tmpl_var *digest_schema(void);

#endif
