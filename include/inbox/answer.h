/*
 * answer — what the daemon writes back about replies: the confirmation of
 * what a reply recorded, the help message for a reply it could not read,
 * the notice of an extension request to the monitoring agency and the
 * monitor's decision to the agency that asked. Each is composed (mime) and
 * queued in the outbox; the daemon sends it like any other message. In
 * the language of [daemon] language.
 */
#ifndef DEADLINED_INBOX_ANSWER_H
#define DEADLINED_INBOX_ANSWER_H

#include "cfg.h"
#include "dir.h"
#include "store.h"

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct answer_env {
	struct store *st;
	const struct cfg *cfg;
	const struct dir *dir;
};

/* Whom an answer goes to, and the thread it belongs to. */
struct answer_to {
	const char *addr, *name;
	const char *agency;      /* the agency; NULL when unknown (no reply token then) */
	const char *in_reply_to; /* their message's id, or NULL */
	const char *thread;      /* our message the reply token names (replies to the answer
	                            reach the same tasks), or NULL */
	const char *subject;     /* theirs; "Re: " is added */
};

/* One line of an answer: a task and what was recorded, or a line and why it was not. */
struct answer_line {
	const char *label; /* the task's title, or the line as written */
	const char *item;  /* the task's index, or NULL */
	const char *what;
};

/* Each returns 0 and the outbox id in *msg, or -1 (logged). */
int answer_confirmation(const struct answer_env *e, const struct answer_to *to,
                        const struct answer_line *done, size_t n_done,
                        const struct answer_line *unread, size_t n_unread, time_t now,
                        int64_t *msg);
int answer_help(const struct answer_env *e, const struct answer_to *to,
                const struct answer_line *unread, size_t n_unread, time_t now, int64_t *msg);

/* A request (gia hạn) for the monitoring agency to decide. */
int answer_extension_request(const struct answer_env *e, const char *monitor, const char *agency,
                             const struct task *t, time_t requested_due, const char *reason,
                             time_t now, int64_t *msg);
/* The decision, to the agency that asked. */
int answer_extension_decided(const struct answer_env *e, const char *agency, const struct task *t,
                             time_t requested_due, bool approved, const char *note, time_t now,
                             int64_t *msg);

/* How a completion level reads in the answers ("Hoàn thành" …). */
const char *answer_status_words(const struct cfg *c, enum task_status s);

#endif
