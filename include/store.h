/*
 * store — the SQLite database: plans, tasks, occurrences, the outbox and
 * the notification ledger. The only module that includes sqlite3.h.
 *
 * The schema is created and migrated by PRAGMA user_version; WAL, foreign
 * keys on, bound parameters only. Every function returns 0 on success or
 * -1 with the reason in store_error(); callers report it. Times are Unix
 * seconds; TF_NONE is stored as NULL. "now" is always passed in: the
 * daemon's clock may be moved with --now.
 *
 * Exactly-once: every notification is a ledger row keyed by (occurrence,
 * agency, step), inserted in the same transaction as the message that
 * carries it, before the message is sent. A restart, reload or re-import
 * can therefore never plan a step twice, and a crash mid-send leaves the
 * message queued, to be sent (again) at the next start.
 */
#ifndef DEADLINED_STORE_H
#define DEADLINED_STORE_H

#include "task.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

struct store;

/*
 * Opens the database, creating or migrating it. Its files are never
 * readable by others: a new one is 0660 in a group-writable directory (the
 * service's group administers it), else 0600, and takes the directory's
 * owner (when root) and group; an old one we own loses others' access.
 * store_open_as() gives a new file to uid:gid instead ((uid_t)-1 and
 * (gid_t)-1: as store_open): root's deadlinectl creates the service's store.
 */
int store_open(const char *path, struct store **out, char *err, size_t errlen);
int store_open_as(const char *path, uid_t uid, gid_t gid, struct store **out, char *err,
                  size_t errlen);
/* Creates the database file, empty, with the modes store_open gives a new
 * one (0660 in a group-writable directory, else 0600); an existing file is
 * left alone. 0, or -1 with why in err. */
int store_create_file(const char *path, char *err, size_t errlen);
/* The schema version store_open migrates a database to (PRAGMA user_version). */
int store_schema_version(void);
void store_close(struct store *st);
const char *store_error(const struct store *st);
/* The last error was another writer holding the lock: worth trying again soon. */
bool store_busy(const struct store *st);
/* How long a write waits for another writer's lock before failing (5 s unless
 * set). The daemon keeps it short: its loop must never wait seconds. */
void store_set_busy_timeout(struct store *st, int ms);
/* Statement journals and temporary tables in memory (the daemon: see store.c). */
int store_temp_in_memory(struct store *st);

/*
 * Copies the whole database into dest, a new file (mode 0640 less the
 * umask), with SQLite's online backup: one consistent snapshot while the
 * daemon keeps writing. The copy is a self-contained file (no WAL) that
 * passed PRAGMA integrity_check; on failure dest is removed. 0 or -1.
 */
int store_backup(struct store *st, const char *dest, char *err, size_t errlen);

/*
 * A bulk transaction ahead (on: the daemon's first planning of a large
 * portfolio): a larger page cache, so its pages are written once, and no
 * checkpoint at its commit, so what waits on it (READY) does not wait for
 * the WAL to be copied. Off: the usual cache and checkpoints, and the
 * checkpoint put off, now. store_open() leaves it off.
 */
int store_bulk(struct store *st, bool on);
/* A write transaction: taken at once, so a writer never meets a busy lock midway. */
int store_begin(struct store *st);
int store_commit(struct store *st);
void store_rollback(struct store *st);
/* A read transaction for a long read (preview): one snapshot, one lock, and
 * in WAL mode the daemon keeps writing meanwhile. End it with store_commit. */
int store_begin_read(struct store *st);
bool store_in_transaction(struct store *st);

/* Small named values: the planning digest, the last send result … */
int store_meta_get(struct store *st, const char *key, char *value, size_t len); /* "" if unset */
int store_meta_set(struct store *st, const char *key, const char *value);

/* ---- plans ---- */
struct store_plan {
	char *id, *title, *issued, *monitor, *source, *origin;
	int first_year, last_year;
};
int store_plan_upsert(struct store *st, const struct store_plan *p, time_t now);
int store_plan_get(struct store *st, const char *id, struct store_plan *out); /* 1 if found */
/* Every plan's id and title (title may be NULL), by id. */
typedef int (*store_plan_cb)(const char *id, const char *title, void *arg);
int store_plans(struct store *st, store_plan_cb cb, void *arg);
/* When the store first heard of the plan, or TF_NONE. */
int store_plan_created(struct store *st, const char *id, time_t *at);
void store_plan_free(struct store_plan *p);

/* ---- tasks ---- */
enum store_change { STORE_SAME, STORE_NEW, STORE_UPDATED };

/*
 * Inserts a task, or updates the one with the same (plan, key) in place
 * when its content changed; status, extension and history are kept. Sets
 * t->id. A change is written to the task's history.
 */
int store_task_upsert(struct store *st, struct task *t, time_t now, enum store_change *change);
int store_task_get(struct store *st, int64_t id, struct task *out); /* 1 if found */
/*
 * Every task with its assignments, in id order, in two queries (a preview
 * reads them all: a query per task was a tenth of its time); *tasks malloc'ed.
 */
int store_task_load_all(struct store *st, struct task **tasks, size_t *n);
/* The same for the tasks of ids (any order; repeats and ids not found are
 * ignored): those found, in id order, as store_task_get reads each one. */
int store_tasks_get(struct store *st, const int64_t *ids, size_t n_ids, struct task **tasks,
                    size_t *n);
/* A task by "PLAN:KEY", by numeric id, or by key alone when unique; 1 if found. */
int store_task_find(struct store *st, const char *ref, int64_t *id);
typedef int (*store_task_cb)(const struct task *t, void *arg);
/* Every task (of one plan, or all when plan is NULL), in plan and id order. */
int store_tasks(struct store *st, const char *plan, store_task_cb cb, void *arg);
/* What an import compares a plan's stored tasks with, read once per import. */
struct store_task_key {
	const char *key, *content_hash, *origin, *title;
	int64_t id;
	enum task_status status;
	int source_line;
};
typedef int (*store_task_key_cb)(const struct store_task_key *k, void *arg);
/* Every task of one plan, in id order: one indexed query, however many there are. */
int store_task_keys(struct store *st, const char *plan, store_task_key_cb cb, void *arg);
/* The imported tasks of a plan with a timeframe of that kind, not removed; *ids malloc'ed. */
int store_imported_ids(struct store *st, const char *plan, enum tf_kind kind, int64_t **ids,
                       size_t *n);
/* The ids of every task (of one plan, or all), in plan and id order; *ids malloc'ed. */
int store_task_ids(struct store *st, const char *plan, int64_t **ids, size_t *n);
int store_task_set_status(struct store *st, int64_t id, enum task_status s, const char *note,
                          time_t now);
int store_task_extend(struct store *st, int64_t id, time_t new_due, time_t now);
/* INI tasks whose section is gone: status "removed", so nothing more is sent. */
int store_tasks_remove_missing(struct store *st, const char *origin, const int64_t *keep,
                               size_t n_keep, time_t now, int *removed);
int store_history_add(struct store *st, int64_t task_id, const char *what, const char *detail,
                      time_t now);

/* ---- occurrences ---- */
struct store_occ {
	int64_t id, task_id;
	time_t due, window_start, next_at;
	enum task_status status;
	bool has_ledger; /* set by store_occ_due(_list) only: some ledger row exists */
};
/* The occurrence of a task due at `due`, created if missing; *created may be NULL. */
int store_occ_ensure(struct store *st, int64_t task_id, time_t due, time_t window_start,
                     int64_t *id, bool *created);
/* The same for an occurrence already missed when it is made (a recurring
 * duty of a plan imported late): stored as missed, never planned. */
int store_occ_ensure_missed(struct store *st, int64_t task_id, time_t due, time_t window_start,
                            int64_t *id, bool *created);
int store_occ_set_next(struct store *st, int64_t id, time_t next_at);
/* store_occ_set_next() for each, in statements of many rows. */
struct store_next {
	int64_t id;
	time_t next_at;
};
int store_occ_set_next_many(struct store *st, const struct store_next *v, size_t n);
int store_occ_set_status(struct store *st, int64_t id, enum task_status s);
typedef int (*store_occ_cb)(const struct store_occ *o, void *arg);
int store_occ_of_task(struct store *st, int64_t task_id, store_occ_cb cb, void *arg);
/* Occurrences whose next_at <= now, earliest first, at most limit; has_ledger
 * says whether store_ledger() has anything to return (most have not). */
int store_occ_due(struct store *st, time_t now, int limit, store_occ_cb cb, void *arg);
/* The same rows at once, *v malloc'ed: a planner reads what they need together. */
int store_occ_due_list(struct store *st, time_t now, int limit, struct store_occ **v, size_t *n);
/* The earliest next_at, or TF_NONE. */
int store_next_wake(struct store *st, time_t *at);
/* Every open occurrence: next_at = MIN(next_at, bound), so the planner looks again. */
int store_occ_replan_all(struct store *st, time_t bound);
/* The latest due of a task's occurrences, or TF_NONE. */
int store_occ_max_due(struct store *st, int64_t task_id, time_t *due);

/* ---- the ledger and the outbox ----
 *
 * Planning and composing are two steps. Planning records each notification
 * due as a pending row (its key taken: never planned twice); composing
 * builds one message per recipient from every pending row and queues it,
 * claiming the rows (pending → queued) in the same transaction. */
enum store_note_state { NOTE_QUEUED, NOTE_SENT, NOTE_FAILED, NOTE_SKIPPED, NOTE_PENDING };

struct store_note {
	int64_t occurrence_id;
	char agency[64];
	char step[32];
	char kind[16]; /* reminder, escalation, summary */
	char role[16]; /* the agency's role: sched_role_name(); "" on old rows */
	time_t planned_at;
	enum store_note_state state;
	int64_t message; /* 0 when none */
};

/* A pending row with what composing needs of its occurrence. */
struct store_pending {
	struct store_note note;
	int64_t task_id;
	time_t due;
};
typedef int (*store_pending_cb)(const struct store_pending *p, void *arg);
/* Every pending row, by agency then occurrence. */
int store_pending(struct store *st, store_pending_cb cb, void *arg);
int store_pending_any(struct store *st, bool *any);
/* Every pending row of these agencies goes to `state` — NOTE_QUEUED carried by
 * message (queued in the same transaction), or NOTE_FAILED with none. */
int store_pending_claim(struct store *st, const char *const *agencies, size_t n,
                        enum store_note_state state, int64_t message, int64_t *claimed);

/*
 * For a long read (preview): every occurrence of the tasks still open, by
 * task then due, and the ledger rows of those occurrences, by occurrence.
 * Rows stream to the callback, which must not use the store.
 */
int store_occ_live(struct store *st, store_occ_cb cb, void *arg);
typedef int (*store_note_cb)(const struct store_note *n, void *arg);
int store_ledger_live(struct store *st, store_note_cb cb, void *arg);

/* The ledger rows of one occurrence; *out malloc'ed. */
int store_ledger(struct store *st, int64_t occurrence_id, struct store_note **out, size_t *n);
/*
 * Records notes without a message: NOTE_PENDING for steps due (a message
 * will claim them), NOTE_SKIPPED for steps superseded by a later one,
 * NOTE_FAILED for steps that cannot be sent (no address).
 */
int store_notes_record(struct store *st, const struct store_note *notes, size_t n,
                       enum store_note_state state, time_t now);
/*
 * The same, each row in its own note.state and note.message, in statements
 * of many rows: as if inserted one by one, in order. A key already there is
 * kept and the row ignored; with new_only that is an error (-1) instead:
 * rows a message carries must be new, or it would go out without them.
 */
int store_notes_insert(struct store *st, const struct store_note *notes, size_t n, time_t now,
                       bool new_only);
/* The Message-ID of the last message about an occurrence that was sent to
 * recipient (an agency id, as in store_message.recipient); "" if none. */
int store_thread_last(struct store *st, int64_t occurrence_id, const char *recipient, char *msgid,
                      size_t len);
/* Has anything been sent to recipient yet? (No: no thread to look for.) */
int store_sent_to(struct store *st, const char *recipient, bool *any);
/* When the last message to recipient was queued, or TF_NONE. */
int store_last_message_at(struct store *st, const char *recipient, time_t *at);

enum store_msg_state { MSG_QUEUED, MSG_SENT, MSG_FAILED, MSG_PARTIAL };

struct store_message {
	int64_t id;
	char *message_id; /* without <> */
	char *recipient;  /* agency id, or "admin" */
	char *rcpt;       /* envelope recipients, one per line */
	char *subject;
	char *body; /* the RFC 5322 text, CRLF */
	size_t body_len;
	char *kind;
	enum store_msg_state state;
	int attempts;
	time_t next_attempt, created_at, sent_at;
	char *last_error;
	char *delivered_to; /* recipients that accepted on an earlier attempt, one per line */
	int refused;        /* recipients refused for good (rcpt_failures rows) */
	int64_t resend_of;  /* the message this one copies (deadlinectl resend), or 0 */
};
void store_message_free(struct store_message *m);

/*
 * Queues a message and the ledger rows it carries, in one transaction.
 * Notes whose key is already in the ledger are not inserted again, except
 * that a pending row is claimed by the message; if no note is new or
 * claimed, nothing is queued and *queued is false. A message without notes
 * (a notice to the admin) is always queued.
 */
int store_message_queue(struct store *st, struct store_message *m, const struct store_note *notes,
                        size_t n, time_t now, bool *queued);
/* Records a send attempt's outcome; the ledger rows follow the message. */
int store_message_result(struct store *st, int64_t id, enum store_msg_state state,
                         const char *error, time_t next_attempt, time_t now);
/* A recipient refused with a permanent error (5xx), for the admin summary. */
int store_rcpt_failure(struct store *st, int64_t id, const char *address, int code,
                       const char *text, time_t now);
typedef int (*store_msg_cb)(const struct store_message *m, void *arg);
/* Queued messages whose next attempt is due, oldest first. */
int store_messages_due(struct store *st, time_t now, int limit, store_msg_cb cb, void *arg);
int store_message_get(struct store *st, int64_t id, struct store_message *out); /* 1 if found */
/* A message handed to the mailer is not due again until `until` (or its result). */
int store_message_lease(struct store *st, int64_t id, time_t until);
/* After a restart nothing is in flight: every queued message is due now. */
int store_messages_release(struct store *st, time_t now);
/* Some recipients are done (accepted or refused for good): the next
 * attempt goes to rcpt only; delivered_to lists those that have it. */
int store_message_progress(struct store *st, int64_t id, const char *rcpt,
                           const char *delivered_to);
/* Messages failed (wholly or for some recipients) and not yet reported. */
int store_failures_count(struct store *st, int64_t *n);
/* The next retry of a queued message, or TF_NONE. */
int store_next_retry(struct store *st, time_t *at);
/* Those failures, for the admin's summary; then mark them reported. */
int store_failures_unreported(struct store *st, store_msg_cb cb, void *arg);
/* Queued messages that have failed at least once and will be tried again. */
int store_retrying(struct store *st, store_msg_cb cb, void *arg);
/* Notifications recorded failed without a message (no address) after `since`,
 * counted by agency. */
typedef int (*store_failed_cb)(const char *agency, int64_t n, void *arg);
int store_failed_notes(struct store *st, time_t since, store_failed_cb cb, void *arg);
int store_failures_reported(struct store *st);

/* The text of messages queued before `before`, sent or failed, is dropped
 * (the row, its subject and the ledger stay); *pruned counts them. */
int store_prune_bodies(struct store *st, time_t before, int64_t *pruned);

/* Counts for `status`; message counts are kept by triggers (cheap at any age). */
struct store_stats {
	int64_t plans, tasks, tasks_open, tasks_flagged, occurrences, occurrences_open;
	int64_t queued, sent, failed, partial, notes;
};
int store_stats(struct store *st, struct store_stats *out);

/* ---- what deadlinectl shows: read only, except a resend ---- */

/* Which messages: every field narrows; zero values do not. */
struct store_msg_filter {
	int64_t id;         /* this one message */
	const char *agency; /* written to this agency (the message's recipient) */
	int64_t task_id;    /* carrying a notification of this task */
	time_t since;       /* created at or after (0: any time) */
	bool failed;        /* failed, partly failed, or waiting to retry after an error */
	int limit;          /* the latest this many (0: all) */
	bool bodies;        /* read the bodies too (else body is NULL) */
};
/* The matching messages, oldest first. The callback may use the store. */
int store_messages_find(struct store *st, const struct store_msg_filter *f, store_msg_cb cb,
                        void *arg);

/*
 * Queues a copy of message id again: a new outbox row with its own
 * Message-ID, body and envelope, resend_of = id, due at now; a "resend"
 * line in the history of each task the original carried. The original,
 * and the ledger, are not touched. In the caller's transaction.
 */
int store_message_resend(struct store *st, int64_t id, const char *message_id, const char *rcpt,
                         const char *body, size_t body_len, time_t now, int64_t *new_id);

/* The recipients refused for good, in the order refused. */
typedef int (*store_refusal_cb)(const char *address, int code, const char *text, time_t at,
                                void *arg);
int store_message_refusals(struct store *st, int64_t id, store_refusal_cb cb, void *arg);

/* A ledger row seen from a task or a message: the occurrence and the message's fate. */
struct store_note_view {
	struct store_note note;
	int64_t task_id;
	const char *plan_id, *task_key; /* valid during the callback */
	time_t due;                     /* of the occurrence */
	const char *message_id;         /* NULL when no message carried it */
	enum store_msg_state msg_state;
	time_t sent_at;
	const char *msg_error;
};
typedef int (*store_note_view_cb)(const struct store_note_view *v, void *arg);
/* Every notification of a task's occurrences, by due then planned time. */
int store_task_notes(struct store *st, int64_t task_id, store_note_view_cb cb, void *arg);
/* The notifications a message carries. */
int store_message_notes(struct store *st, int64_t message, store_note_view_cb cb, void *arg);

/* A task's history, oldest first. */
typedef int (*store_history_cb)(time_t at, const char *what, const char *detail, void *arg);
int store_history(struct store *st, int64_t task_id, store_history_cb cb, void *arg);

/* Names in assignments that match no agency, with where they occur. */
typedef int (*store_unresolved_cb)(const char *name, const char *plan, const char *task_key,
                                   const char *file, int line, void *arg);
int store_unresolved(struct store *st, store_unresolved_cb cb, void *arg);

/* ---- the inbox: replies, what they changed, extension requests, bounces ---- */

/* The outgoing message whose Message-ID has REF (16 hex digits) before '@'; 1 if found. */
int store_message_by_ref(struct store *st, const char *ref, struct store_message *out);
/* The outgoing message with this Message-ID (without <>); 1 if found. */
int store_message_by_msgid(struct store *st, const char *msgid, struct store_message *out);
/* The tasks and occurrences an outgoing message was about, in task order; malloc'ed. */
int store_message_tasks(struct store *st, int64_t message, int64_t **task_ids,
                        int64_t **occurrence_ids, size_t *n);

/* One message that arrived, and what became of it. Strings are owned. */
struct store_inbound {
	int64_t id;
	time_t received_at;
	char *source;     /* "maildir:NAME" or "imap:UIDVALIDITY:UID" */
	char *message_id; /* "" when it had none */
	char *hash;       /* SHA-256 of the raw message, hex */
	char *from_addr, *from_name, *subject;
	char *agency;      /* who it is from, by its token or thread; NULL when unknown */
	int64_t message;   /* the outgoing message it answers, 0 if none */
	char *matched_by;  /* "token", "thread" or NULL */
	char *kind;        /* reply, automatic, bounce, loop, unmatched, malformed, duplicate */
	char *state;       /* applied, held, ignored, refused, accepted, rejected */
	char *reason;      /* why it was held, ignored or refused; NULL when applied */
	char *text;        /* the reply's own text */
	int64_t answer;    /* our confirmation or help message, 0 if none */
	char *answer_kind; /* "confirmation", "help" or NULL */
	char *decided_by;  /* who accepted or rejected a held reply */
	time_t decided_at; /* TF_NONE until then */
};
void store_inbound_free(struct store_inbound *in);

/* The message recorded with this Message-ID and content hash; 1 (and *id) if any. */
int store_inbound_find(struct store *st, const char *message_id, const char *hash, int64_t *id);
/* The first message recorded with this Message-ID, whatever its content; 1 if any. */
int store_inbound_by_msgid(struct store *st, const char *message_id, int64_t *id);
int store_inbound_add(struct store *st, struct store_inbound *in);              /* sets in->id */
int store_inbound_get(struct store *st, int64_t id, struct store_inbound *out); /* 1 if found */
/* A new state; who and at record a person's decision (who NULL: the daemon's). */
int store_inbound_decide(struct store *st, int64_t id, const char *state, const char *reason,
                         const char *who, time_t at);
int store_inbound_set_answer(struct store *st, int64_t id, int64_t message, const char *kind);
/* Whether an answer of `kind` went to address since `since`. */
int store_inbound_answered(struct store *st, const char *address, const char *kind, time_t since,
                           bool *yes);
typedef int (*store_inbound_cb)(const struct store_inbound *in, void *arg);
/* Newest first, at most limit; only those in `state` unless NULL. */
int store_inbound_list(struct store *st, const char *state, int limit, store_inbound_cb cb,
                       void *arg);
/* How many messages are in `state` and arrived at or after `since`. */
int store_inbound_count(struct store *st, const char *state, time_t since, int64_t *n);
/* A task the message is about (the tasks of the message it answers). */
int store_inbound_task(struct store *st, int64_t inbound, int64_t task_id, int64_t occurrence_id);

/* One line of a reply read as a command, and what it did: the audit trail. */
struct store_reply_cmd {
	int64_t id, inbound;
	int line;        /* in the reply's own text */
	char *line_text; /* as written */
	char *item;      /* the item named, NULL for every task */
	int64_t task_id; /* 0 when it names no task of the message */
	int64_t occurrence_id;
	char *command; /* done, in-progress, waiting, not-met, extend */
	char *note, *reason;
	time_t new_due; /* extend: the date asked for (end of day), else TF_NONE */
	char *state;    /* applied, held, rejected, unknown-item, unchanged, superseded */
	char *detail;
};
void store_reply_cmds_free(struct store_reply_cmd *v, size_t n);
int store_reply_cmd_add(struct store *st, struct store_reply_cmd *c); /* sets c->id */
int store_reply_cmd_set_state(struct store *st, int64_t id, const char *state, const char *detail);
int store_reply_cmds(struct store *st, int64_t inbound, struct store_reply_cmd **out, size_t *n);
/*
 * A reply received after message `inbound` (at received_at; on a tie, a
 * later id) that set a level on the task — on that occurrence when
 * occurrence_id is not 0: 1 and its id in *later, 0 if none, -1 on error.
 * An old held reply, accepted now, must not undo what came after it.
 */
int store_level_set_later(struct store *st, int64_t task_id, int64_t occurrence_id, int64_t inbound,
                          time_t received_at, int64_t *later);

/* A file that came with a message: saved beside the store, or refused. */
struct store_attachment {
	int64_t id, inbound;
	char *filename, *path, *content_type, *sha256;
	int64_t size;
	char *refused; /* why it was not saved, or NULL */
};
void store_attachments_free(struct store_attachment *v, size_t n);
int store_attachment_add(struct store *st, struct store_attachment *a);
int store_attachments(struct store *st, int64_t inbound, struct store_attachment **out, size_t *n);

/* A task's replies, newest first, with the commands about it and the files. */
typedef int (*store_task_reply_cb)(const struct store_inbound *in,
                                   const struct store_reply_cmd *cmds, size_t n_cmds,
                                   const struct store_attachment *atts, size_t n_atts, void *arg);
int store_task_replies(struct store *st, int64_t task_id, store_task_reply_cb cb, void *arg);

/* An agency's request for a new deadline (gia hạn), until the monitor settles it. */
struct store_extension {
	int64_t id, task_id, occurrence_id, inbound;
	char *agency, *reason;
	time_t requested_due, created_at;
	char *state; /* pending, approved, refused */
	char *decided_by, *note;
	time_t decided_at;
};
void store_extension_free(struct store_extension *e);
int store_extension_add(struct store *st, struct store_extension *e); /* sets e->id */
/* The latest pending request of a task; 1 if there is one. */
int store_extension_pending(struct store *st, int64_t task_id, struct store_extension *out);
int store_extension_decide(struct store *st, int64_t id, const char *state, const char *who,
                           const char *note, time_t now);

/* A recipient address a delivery report says is gone for good. */
int store_bad_address(struct store *st, const char *address, const char *agency, const char *status,
                      const char *diagnostic, int64_t inbound, time_t now);
typedef int (*store_bad_cb)(const char *address, const char *agency, const char *status,
                            const char *diagnostic, time_t last_at, void *arg);
/* Bad addresses not told to the admin yet; then mark them told. */
int store_bad_addresses_count(struct store *st, int64_t *n);
int store_bad_addresses_unreported(struct store *st, store_bad_cb cb, void *arg);
int store_bad_addresses_reported(struct store *st);

#endif
