/*
 * apply — puts one command read from a reply into the store, inside the
 * caller's transaction, with its audit trail: a completion level on the
 * task (a one-off or period task) or on the occurrence the message was
 * about (a recurring duty), or an extension request for the monitoring
 * agency to settle (its notice is queued; reminders go on meanwhile).
 *
 * Only the lead agency (or whoever holds its duties today) sets a task's
 * level: a coordinating agency's "Hoàn thành" is its part, and is kept as
 * a note on the task. Every command leaves a history row naming the
 * reply, its sender, the line and its text.
 */
#ifndef DEADLINED_INBOX_APPLY_H
#define DEADLINED_INBOX_APPLY_H

#include "inbox/answer.h"
#include "store.h"

#include <stddef.h>
#include <time.h>

/*
 * Applies c (a row of reply_commands with its task resolved) on behalf of
 * the reply in. Sets c->state and c->detail and stores them. what gets
 * the words for the confirmation. Returns 1 applied, 0 not (the state says
 * why), -1 on a store error.
 */
int apply_command(const struct answer_env *e, const struct store_inbound *in,
                  struct store_reply_cmd *c, time_t now, char *what, size_t len);

/* The command word stored for a level or an extension ("done", "extend" …). */
const char *apply_command_name(int is_extension, enum task_status s);

#endif
