/*
 * inbox — what becomes of a message that arrives. Reads it (mimein), tells
 * what it is (a reply, an automatic message, a delivery report, our own
 * mail come back, a forgery), finds the message it answers (the reply
 * token first, else In-Reply-To/References) and so the agency and the
 * tasks, checks that the sender is that agency's, reads the reply
 * (reply), applies its commands (apply), saves its files and queues the
 * confirmation or the help message (answer) — all in one transaction, with
 * one row per message that says what happened and why.
 *
 * A message is recorded once: its Message-ID and the hash of its bytes are
 * its key, so a source that hands it over again (a crash between the
 * commit and the move to cur/) changes nothing. Never answers an
 * automatic message, a bounce, its own mail or an unknown sender.
 *
 * Held replies (a sender not in the directory for that agency, a file over
 * the limits) wait for the admin: inbox_accept() applies them as if the
 * sender had been right, inbox_reject() drops them.
 */
#ifndef DEADLINED_INBOX_INBOX_H
#define DEADLINED_INBOX_INBOX_H

#include "cfg.h"
#include "dir.h"
#include "store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct inbox_env {
	struct store *st;
	const struct cfg *cfg;
	const struct dir *dir;
	const char *db_path; /* attachments are saved beside it, in attachments/ */
};

struct inbox_result {
	int64_t id;        /* the inbound row */
	bool duplicate;    /* already recorded: nothing done */
	bool changed;      /* a task or the outbox changed: the planner should look */
	char summary[512]; /* one line for the log */
};

/*
 * Takes one raw message from `source` ("maildir:NAME", "imap:V:UID") and
 * records it and its effects in one transaction. Returns 0 when it is
 * recorded (or was already), -1 when the store failed: nothing is
 * recorded, and the source must hand it over again later.
 */
int inbox_take(const struct inbox_env *env, const char *raw, size_t len, const char *source,
               time_t now, struct inbox_result *out);

/* A held reply: applied (accept) or dropped (reject), by who. In one transaction. */
int inbox_accept(const struct inbox_env *env, int64_t id, const char *who, time_t now,
                 struct inbox_result *out);
int inbox_reject(const struct inbox_env *env, int64_t id, const char *who, const char *why,
                 time_t now, struct inbox_result *out);

#endif
