/*
 * digest — one email for one recipient, from everything due for it in one
 * send window. Pure: rendering through the admin's templates, no I/O.
 *
 * Items are sorted overdue first, then due soon (7 days or less), then
 * upcoming. Each says the task, its plan (number and date), the
 * recipient's role, the deadline and the days left or overdue. Escalations
 * to a lead copy (Cc) the task's coordinating agencies. Threading: every
 * occurrence has a root id per agency; a message about one occurrence
 * replies to the previous one, so mail clients show one thread per task.
 */
#ifndef DEADLINED_DIGEST_H
#define DEADLINED_DIGEST_H

#include "dir.h"
#include "scheduler.h"
#include "task.h"
#include "tmpl.h"

#include <stddef.h>
#include <time.h>

struct digest_item {
	const struct task *task;
	const char *plan_title;  /* may be NULL */
	const char *plan_issued; /* YYYY-MM-DD or NULL */
	int64_t occurrence_id;
	time_t due;          /* effective deadline */
	time_t original_due; /* before a gia hạn, else TF_NONE */
	enum sched_role role;
	enum sched_kind kind;
	const char *step;
	const char *assigned;   /* the agency the step was planned for */
	const char *prev_msgid; /* the last message on this thread, or "" */
};

struct digest_msg {
	enum sched_kind kind; /* the most pressing of the items */
	char *subject, *text, *html;
	char *to_name;
	struct cfg_list to, cc; /* addresses */
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
 * domain is used for thread root ids.
 */
void digest_build(const struct digest_templates *tpl, const struct dir *d, const char *recipient,
                  struct digest_item *items, size_t n, time_t now, const char *domain,
                  struct digest_msg *out);
/* The same without rendering the bodies (text and html stay NULL): for preview. */
void digest_build_headers(const struct digest_templates *tpl, const struct dir *d,
                          const char *recipient, struct digest_item *items, size_t n, time_t now,
                          const char *domain, struct digest_msg *out);
void digest_msg_free(struct digest_msg *m);

/* The id every message about (occurrence, agency) references. */
void digest_thread_root(int64_t occurrence_id, const char *agency, const char *domain, char *out,
                        size_t len);

/* The variables templates may use (for validation and documentation). */
const struct tmpl_var *digest_schema(void);

#endif
