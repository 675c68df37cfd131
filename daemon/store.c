/*
 * store — see store.h.
 *
 * Statements are prepared once, on first use, and kept: the daemon runs
 * the same few queries for years. Every value goes in through a bound
 * parameter. Migrations are a list of SQL scripts; user_version says how
 * many have run, so a newer daemon upgrades an older database in place.
 */
#include "store.h"

#include "buf.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const migrations[] = {
    /* 1: the first schema */
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE plans ("
    " id TEXT PRIMARY KEY, title TEXT, issued TEXT, first_year INTEGER, last_year INTEGER,"
    " monitor TEXT, source TEXT, origin TEXT NOT NULL,"
    " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
    "CREATE TABLE tasks ("
    " id INTEGER PRIMARY KEY, plan_id TEXT NOT NULL REFERENCES plans(id),"
    " key TEXT NOT NULL, idx TEXT, category TEXT, title TEXT NOT NULL,"
    " timeframe TEXT NOT NULL, kind TEXT NOT NULL, due INTEGER, window_start INTEGER,"
    " condition TEXT, flags INTEGER NOT NULL DEFAULT 0,"
    " status TEXT NOT NULL DEFAULT 'open', status_note TEXT,"
    " extended_due INTEGER, ext INTEGER NOT NULL DEFAULT 0,"
    " source_file TEXT, source_line INTEGER, raw TEXT, origin TEXT NOT NULL, policy TEXT,"
    " content_hash TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
    " UNIQUE (plan_id, key));"
    "CREATE TABLE assignments ("
    " task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,"
    " role TEXT NOT NULL CHECK (role IN ('lead', 'coord')),"
    " agency TEXT NOT NULL, written TEXT, via_group TEXT, resolved INTEGER NOT NULL,"
    " PRIMARY KEY (task_id, role, agency));"
    "CREATE TABLE occurrences ("
    " id INTEGER PRIMARY KEY, task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,"
    " due INTEGER NOT NULL, window_start INTEGER, status TEXT NOT NULL DEFAULT 'open',"
    " next_at INTEGER, UNIQUE (task_id, due));"
    "CREATE INDEX occurrences_next ON occurrences(next_at) WHERE next_at IS NOT NULL;"
    "CREATE TABLE messages ("
    " id INTEGER PRIMARY KEY, message_id TEXT NOT NULL UNIQUE, recipient TEXT NOT NULL,"
    " rcpt TEXT NOT NULL, subject TEXT NOT NULL, body BLOB NOT NULL, kind TEXT NOT NULL,"
    " state TEXT NOT NULL CHECK (state IN ('queued', 'sent', 'failed', 'partial')),"
    " attempts INTEGER NOT NULL DEFAULT 0, next_attempt INTEGER, last_error TEXT,"
    " created_at INTEGER NOT NULL, sent_at INTEGER, last_attempt INTEGER);"
    "CREATE INDEX messages_queue ON messages(next_attempt) WHERE state = 'queued';"
    "CREATE TABLE notifications ("
    " occurrence_id INTEGER NOT NULL REFERENCES occurrences(id) ON DELETE CASCADE,"
    " agency TEXT NOT NULL, step TEXT NOT NULL, kind TEXT NOT NULL,"
    " planned_at INTEGER NOT NULL, message INTEGER REFERENCES messages(id),"
    " state TEXT NOT NULL CHECK (state IN ('queued', 'sent', 'failed', 'skipped')),"
    " created_at INTEGER NOT NULL,"
    " PRIMARY KEY (occurrence_id, agency, step)) WITHOUT ROWID;"
    "CREATE INDEX notifications_message ON notifications(message);"
    "CREATE TABLE rcpt_failures ("
    " message INTEGER NOT NULL REFERENCES messages(id), address TEXT NOT NULL,"
    " code INTEGER, text TEXT, at INTEGER NOT NULL);"
    "CREATE TABLE history ("
    " id INTEGER PRIMARY KEY, task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,"
    " at INTEGER NOT NULL, what TEXT NOT NULL, detail TEXT);",
    /* 2: a message can reach some recipients now and the rest on a retry;
     * failures are reported to the admin once, whatever the clock says. */
    "ALTER TABLE messages ADD COLUMN delivered_to TEXT;"
    "ALTER TABLE messages ADD COLUMN reported INTEGER NOT NULL DEFAULT 0;"
    "CREATE INDEX rcpt_failures_message ON rcpt_failures(message);"
    "UPDATE messages SET reported = 1 WHERE state IN ('failed', 'partial') AND last_attempt <"
    " COALESCE((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'admin_summary_at'), 0);",
    /* 3: deadlinectl's views: a resend points at the message it copies; the
     * sent log is read by agency (agenda, messages --agency). */
    "ALTER TABLE messages ADD COLUMN resend_of INTEGER REFERENCES messages(id);"
    "CREATE INDEX messages_recipient ON messages(recipient, id);",
    /* 4: the inbox. What arrived (one row per message, never applied twice: the
     * Message-ID and a hash of its bytes), each command read from a reply and
     * what it did, the files that came with them, extension requests waiting
     * for the monitor, and addresses a delivery report said are gone. */
    "CREATE TABLE inbound ("
    " id INTEGER PRIMARY KEY, received_at INTEGER NOT NULL, source TEXT NOT NULL,"
    " message_id TEXT NOT NULL, hash TEXT NOT NULL, from_addr TEXT, from_name TEXT,"
    " subject TEXT, agency TEXT, message INTEGER REFERENCES messages(id), matched_by TEXT,"
    " kind TEXT NOT NULL, state TEXT NOT NULL CHECK (state IN ('applied', 'held', 'ignored',"
    " 'refused', 'accepted', 'rejected')), reason TEXT, text TEXT,"
    " answer INTEGER REFERENCES messages(id), answer_kind TEXT, decided_by TEXT,"
    " decided_at INTEGER, UNIQUE (message_id, hash));"
    "CREATE INDEX inbound_from ON inbound(from_addr, received_at);"
    "CREATE TABLE inbound_tasks ("
    " inbound INTEGER NOT NULL REFERENCES inbound(id),"
    " task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,"
    " occurrence_id INTEGER, PRIMARY KEY (inbound, task_id)) WITHOUT ROWID;"
    "CREATE INDEX inbound_tasks_task ON inbound_tasks(task_id);"
    "CREATE TABLE reply_commands ("
    " id INTEGER PRIMARY KEY, inbound INTEGER NOT NULL REFERENCES inbound(id),"
    " line INTEGER NOT NULL, line_text TEXT NOT NULL, item TEXT,"
    " task_id INTEGER REFERENCES tasks(id) ON DELETE SET NULL, occurrence_id INTEGER,"
    " command TEXT NOT NULL, note TEXT, reason TEXT, new_due INTEGER, state TEXT NOT NULL,"
    " detail TEXT);"
    "CREATE INDEX reply_commands_inbound ON reply_commands(inbound);"
    "CREATE TABLE attachments ("
    " id INTEGER PRIMARY KEY, inbound INTEGER NOT NULL REFERENCES inbound(id),"
    " filename TEXT NOT NULL, path TEXT, content_type TEXT, size INTEGER NOT NULL,"
    " sha256 TEXT, refused TEXT);"
    "CREATE INDEX attachments_inbound ON attachments(inbound);"
    "CREATE TABLE extension_requests ("
    " id INTEGER PRIMARY KEY, task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,"
    " occurrence_id INTEGER, inbound INTEGER REFERENCES inbound(id), agency TEXT NOT NULL,"
    " requested_due INTEGER NOT NULL, reason TEXT, created_at INTEGER NOT NULL,"
    " state TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'refused')),"
    " decided_by TEXT, decided_at INTEGER, note TEXT);"
    "CREATE INDEX extension_requests_task ON extension_requests(task_id, state);"
    "CREATE TABLE bad_addresses ("
    " address TEXT PRIMARY KEY, agency TEXT, status TEXT, diagnostic TEXT, inbound INTEGER,"
    " first_at INTEGER NOT NULL, last_at INTEGER NOT NULL, reported INTEGER NOT NULL DEFAULT 0);"
    /* A reply's token names its message by the 16 hex digits before the '@'. */
    "CREATE INDEX messages_ref ON messages(substr(message_id, instr(message_id, '@') - 16, 16));",
    /* 5: planning records what is due as pending ledger rows (with the
     * recipient's role); composing turns them into one message per recipient
     * and day. Messages are found by recipient (one a day, threading), and
     * counted by triggers, not by COUNT(*) over years of mail. */
    "CREATE TABLE notifications_v3 ("
    " occurrence_id INTEGER NOT NULL REFERENCES occurrences(id) ON DELETE CASCADE,"
    " agency TEXT NOT NULL, step TEXT NOT NULL, kind TEXT NOT NULL,"
    " planned_at INTEGER NOT NULL, message INTEGER REFERENCES messages(id),"
    " state TEXT NOT NULL CHECK (state IN ('pending', 'queued', 'sent', 'failed', 'skipped')),"
    " created_at INTEGER NOT NULL, role TEXT,"
    " PRIMARY KEY (occurrence_id, agency, step)) WITHOUT ROWID;"
    "INSERT INTO notifications_v3 (occurrence_id, agency, step, kind, planned_at, message,"
    " state, created_at) SELECT occurrence_id, agency, step, kind, planned_at, message, state,"
    " created_at FROM notifications;"
    "DROP TABLE notifications;"
    "ALTER TABLE notifications_v3 RENAME TO notifications;"
    "CREATE INDEX notifications_message ON notifications(message);"
    "CREATE INDEX notifications_pending ON notifications(agency) WHERE state = 'pending';"
    "CREATE INDEX messages_recipient_at ON messages(recipient, created_at);"
    "CREATE INDEX messages_unreported ON messages(id)"
    " WHERE state IN ('failed', 'partial') AND reported = 0;"
    "CREATE INDEX notifications_failed ON notifications(created_at) WHERE state = 'failed';"
    "CREATE TABLE msg_counts (state TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;"
    "INSERT INTO msg_counts SELECT state, COUNT(*) FROM messages GROUP BY state;"
    "CREATE TRIGGER msg_counts_insert AFTER INSERT ON messages BEGIN"
    " INSERT INTO msg_counts VALUES (new.state, 1)"
    " ON CONFLICT (state) DO UPDATE SET n = n + 1; END;"
    "CREATE TRIGGER msg_counts_update AFTER UPDATE OF state ON messages"
    " WHEN old.state IS NOT new.state BEGIN"
    " UPDATE msg_counts SET n = n - 1 WHERE state = old.state;"
    " INSERT INTO msg_counts VALUES (new.state, 1)"
    " ON CONFLICT (state) DO UPDATE SET n = n + 1; END;"
    "CREATE TRIGGER msg_counts_delete AFTER DELETE ON messages BEGIN"
    " UPDATE msg_counts SET n = n - 1 WHERE state = old.state; END;",
    /* 6: a task (or occurrence) removed from the INI keeps the status it had, and gets
     * it back when it returns; tasks removed before this learn it from their history. */
    "ALTER TABLE tasks ADD COLUMN status_before_removal TEXT;"
    "ALTER TABLE occurrences ADD COLUMN status_before_removal TEXT;"
    "UPDATE tasks SET status_before_removal = (SELECT h.what FROM history h"
    " WHERE h.task_id = tasks.id AND h.what IN"
    " ('open', 'in-progress', 'waiting', 'done', 'not-met', 'cancelled')"
    " ORDER BY h.id DESC LIMIT 1) WHERE status = 'removed';",
    /* 7: the ledger, as planning writes it: hundreds of thousands of rows at a
     * first start. Its CHECK compares one value at a time: an IN list of more
     * than two made SQLite build a temporary table for every row written. Rows
     * are found by their message only when they have one (message = ? implies
     * it): skipped and pending rows need no entry in that index. */
    "CREATE TABLE notifications_v7 ("
    " occurrence_id INTEGER NOT NULL REFERENCES occurrences(id) ON DELETE CASCADE,"
    " agency TEXT NOT NULL, step TEXT NOT NULL, kind TEXT NOT NULL,"
    " planned_at INTEGER NOT NULL, message INTEGER REFERENCES messages(id),"
    " state TEXT NOT NULL CHECK (state = 'pending' OR state = 'queued' OR state = 'sent'"
    " OR state = 'failed' OR state = 'skipped'),"
    " created_at INTEGER NOT NULL, role TEXT,"
    " PRIMARY KEY (occurrence_id, agency, step)) WITHOUT ROWID;"
    "INSERT INTO notifications_v7 (occurrence_id, agency, step, kind, planned_at, message,"
    " state, created_at, role) SELECT occurrence_id, agency, step, kind, planned_at, message,"
    " state, created_at, role FROM notifications;"
    "DROP TABLE notifications;"
    "ALTER TABLE notifications_v7 RENAME TO notifications;"
    "CREATE INDEX notifications_message ON notifications(message) WHERE message IS NOT NULL;"
    "CREATE INDEX notifications_pending ON notifications(agency) WHERE state = 'pending';"
    "CREATE INDEX notifications_failed ON notifications(created_at) WHERE state = 'failed';",
    /* 8: each level a reply sets asks whether a reply received later set one
     * (store_level_set_later): the commands found by task, not by a scan. */
    "CREATE INDEX reply_commands_task ON reply_commands(task_id);",
};

/* A message without its body (read_message_row). */
#define MESSAGE_COLUMNS                                                                            \
	"m.id, m.message_id, m.recipient, m.rcpt, m.subject, m.kind, m.state, m.attempts,"         \
	" m.next_attempt, m.created_at, m.sent_at, m.last_error, m.delivered_to,"                  \
	" (SELECT COUNT(*) FROM rcpt_failures WHERE message = m.id), m.resend_of"

int store_schema_version(void)
{
	return (int)UTIL_NELEM(migrations);
}

enum stmt_id {
	S_META_GET,
	S_META_SET,
	S_PLAN_UPSERT,
	S_PLAN_GET,
	S_PLAN_CREATED,
	S_TASK_BY_KEY,
	S_TASK_INSERT,
	S_TASK_UPDATE,
	S_TASK_GET,
	S_TASK_ALL,
	S_TASK_OF_PLAN,
	S_TASK_STATUS,
	S_TASK_EXTEND,
	S_ASSIGN_DELETE,
	S_ASSIGN_INSERT,
	S_ASSIGN_OF_TASK,
	S_HISTORY_ADD,
	S_OCC_FIND,
	S_OCC_INSERT,
	S_OCC_INSERT_MISSED,
	S_OCC_NEXT,
	S_OCC_STATUS,
	S_OCC_OF_TASK,
	S_OCC_DUE,
	S_OCC_WAKE,
	S_LEDGER,
	S_NOTE_INSERT,
	S_THREAD_LAST,
	S_PENDING,
	S_PENDING_ANY,
	S_PENDING_QUEUE,
	S_LAST_MESSAGE,
	S_SENT_TO,
	S_OCC_MAX_DUE,
	S_MSG_INSERT,
	S_MSG_RESULT,
	S_MSG_NOTES,
	S_MSG_DUE,
	S_MSG_GET,
	S_MSG_RETRY,
	S_RCPT_FAIL,
	S_COUNT,
};

/* What read_task reads, in its order. */
#define TASK_COLUMNS                                                                               \
	"id, plan_id, key, idx, category, title, timeframe, kind, due, window_start, condition,"   \
	" flags, status, status_note, extended_due, ext, source_file, source_line, raw, origin,"   \
	" policy"

static const char *const sql[S_COUNT] = {
    [S_META_GET] = "SELECT value FROM meta WHERE key = ?1",
    [S_META_SET] = "INSERT INTO meta (key, value) VALUES (?1, ?2)"
                   " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    [S_PLAN_UPSERT] = "INSERT INTO plans (id, title, issued, first_year, last_year, monitor,"
                      " source, origin, created_at, updated_at)"
                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)"
                      " ON CONFLICT (id) DO UPDATE SET"
                      " title = COALESCE(excluded.title, title),"
                      " issued = COALESCE(excluded.issued, issued),"
                      " first_year = COALESCE(excluded.first_year, first_year),"
                      " last_year = COALESCE(excluded.last_year, last_year),"
                      " monitor = COALESCE(excluded.monitor, monitor),"
                      " source = COALESCE(excluded.source, source), updated_at = ?9",
    [S_PLAN_GET] = "SELECT id, title, issued, first_year, last_year, monitor, source, origin"
                   " FROM plans WHERE id = ?1",
    [S_PLAN_CREATED] = "SELECT created_at FROM plans WHERE id = ?1",
    [S_TASK_BY_KEY] = "SELECT id, content_hash, status = 'removed' FROM tasks"
                      " WHERE plan_id = ?1 AND key = ?2",
    [S_TASK_INSERT] = "INSERT INTO tasks (plan_id, key, idx, category, title, timeframe, kind,"
                      " due, window_start, condition, flags, source_file, source_line, raw,"
                      " origin, policy, content_hash, created_at, updated_at)"
                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
                      " ?15, ?16, ?17, ?18, ?18)",
    [S_TASK_UPDATE] = "UPDATE tasks SET idx = ?3, category = ?4, title = ?5, timeframe = ?6,"
                      " kind = ?7, due = ?8, window_start = ?9, condition = ?10, flags = ?11,"
                      " source_file = ?12, source_line = ?13, raw = ?14, origin = ?15,"
                      " policy = ?16, content_hash = ?17, updated_at = ?18,"
                      " status = CASE status WHEN 'removed'"
                      " THEN COALESCE(status_before_removal, 'open') ELSE status END,"
                      " status_before_removal = NULL WHERE plan_id = ?1 AND key = ?2",
    [S_TASK_GET] = "SELECT " TASK_COLUMNS " FROM tasks WHERE id = ?1",
    [S_TASK_ALL] = "SELECT id FROM tasks ORDER BY plan_id, id",
    [S_TASK_OF_PLAN] = "SELECT id FROM tasks WHERE plan_id = ?1 ORDER BY id",
    [S_TASK_STATUS] = "UPDATE tasks SET status = ?2, status_note = ?3, updated_at = ?4"
                      " WHERE id = ?1",
    [S_TASK_EXTEND] = "UPDATE tasks SET extended_due = ?2, ext = ext + 1, updated_at = ?3"
                      " WHERE id = ?1",
    [S_ASSIGN_DELETE] = "DELETE FROM assignments WHERE task_id = ?1",
    [S_ASSIGN_INSERT] = "INSERT OR IGNORE INTO assignments (task_id, role, agency, written,"
                        " via_group, resolved) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [S_ASSIGN_OF_TASK] = "SELECT role, agency, written, via_group, resolved FROM assignments"
                         " WHERE task_id = ?1 ORDER BY rowid",
    [S_HISTORY_ADD] = "INSERT INTO history (task_id, at, what, detail) VALUES (?1, ?2, ?3, ?4)",
    [S_OCC_FIND] = "SELECT id FROM occurrences WHERE task_id = ?1 AND due = ?2",
    [S_OCC_INSERT] = "INSERT INTO occurrences (task_id, due, window_start, next_at)"
                     " VALUES (?1, ?2, ?3, ?4)",
    [S_OCC_INSERT_MISSED] = "INSERT INTO occurrences (task_id, due, window_start, status)"
                            " VALUES (?1, ?2, ?3, 'missed')",
    [S_OCC_NEXT] = "UPDATE occurrences SET next_at = ?2 WHERE id = ?1",
    [S_OCC_STATUS] = "UPDATE occurrences SET status_before_removal = CASE"
                     " WHEN ?2 != 'removed' THEN NULL WHEN status = 'removed'"
                     " THEN status_before_removal ELSE status END, status = ?2 WHERE id = ?1",
    [S_OCC_OF_TASK] = "SELECT id, task_id, due, window_start, next_at, status FROM occurrences"
                      " WHERE task_id = ?1 ORDER BY due",
    [S_OCC_DUE] = "SELECT id, task_id, due, window_start, next_at, status,"
                  " EXISTS (SELECT 1 FROM notifications n WHERE n.occurrence_id = o.id)"
                  " FROM occurrences o"
                  " WHERE next_at IS NOT NULL AND next_at <= ?1 ORDER BY next_at LIMIT ?2",
    [S_OCC_WAKE] = "SELECT MIN(next_at) FROM occurrences WHERE next_at IS NOT NULL",
    [S_LEDGER] = "SELECT agency, step, kind, planned_at, state, message, role"
                 " FROM notifications WHERE occurrence_id = ?1",
    [S_NOTE_INSERT] = "INSERT OR IGNORE INTO notifications (occurrence_id, agency, step, kind,"
                      " planned_at, message, state, created_at, role)"
                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    /* Only a message that left for this recipient can be replied to. */
    [S_THREAD_LAST] = "SELECT m.message_id FROM notifications n JOIN messages m"
                      " ON m.id = n.message WHERE n.occurrence_id = ?1 AND m.recipient = ?2"
                      " AND m.state IN ('sent', 'partial')"
                      " ORDER BY m.created_at DESC, m.id DESC LIMIT 1",
    [S_PENDING] = "SELECT n.occurrence_id, n.agency, n.step, n.kind, n.planned_at, n.role,"
                  " o.task_id, o.due FROM notifications n"
                  " JOIN occurrences o ON o.id = n.occurrence_id"
                  " WHERE n.state = 'pending' ORDER BY n.agency, n.occurrence_id, n.step",
    [S_PENDING_ANY] = "SELECT 1 FROM notifications WHERE state = 'pending' LIMIT 1",
    [S_PENDING_QUEUE] = "UPDATE notifications SET state = 'queued', message = ?4"
                        " WHERE occurrence_id = ?1 AND agency = ?2 AND step = ?3"
                        " AND state = 'pending'",
    [S_LAST_MESSAGE] = "SELECT MAX(created_at) FROM messages WHERE recipient = ?1",
    [S_SENT_TO] = "SELECT 1 FROM messages WHERE recipient = ?1 AND state IN ('sent', 'partial')"
                  " LIMIT 1",
    [S_OCC_MAX_DUE] = "SELECT MAX(due) FROM occurrences WHERE task_id = ?1",
    [S_MSG_INSERT] = "INSERT INTO messages (message_id, recipient, rcpt, subject, body, kind,"
                     " state, next_attempt, created_at)"
                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'queued', ?7, ?7)",
    [S_MSG_RESULT] = "UPDATE messages SET state = ?2, last_error = ?3, next_attempt = ?4,"
                     " attempts = attempts + 1, last_attempt = ?5,"
                     " sent_at = CASE WHEN ?2 IN ('sent', 'partial') THEN ?5 ELSE sent_at END"
                     " WHERE id = ?1",
    [S_MSG_NOTES] = "UPDATE notifications SET state = ?2 WHERE message = ?1",
    [S_MSG_DUE] = "SELECT id FROM messages WHERE state = 'queued' AND next_attempt <= ?1"
                  " ORDER BY next_attempt, id LIMIT ?2",
    [S_MSG_GET] = "SELECT " MESSAGE_COLUMNS ", m.body FROM messages m WHERE m.id = ?1",
    [S_MSG_RETRY] = "SELECT MIN(next_attempt) FROM messages WHERE state = 'queued'",
    [S_RCPT_FAIL] = "INSERT INTO rcpt_failures (message, address, code, text, at)"
                    " VALUES (?1, ?2, ?3, ?4, ?5)",
};

/* Statements of many rows (batch()): planning writes hundreds of thousands,
 * and a statement per row cost more than the rows. */
enum batch_id { B_NOTES, B_NEXT, B_COUNT };
#define BATCH_ROWS 64

struct store {
	sqlite3 *db;
	sqlite3_stmt *stmt[S_COUNT];
	sqlite3_stmt *batch[B_COUNT];
	char err[512];
	bool busy; /* the last error was another connection's lock */
};

static int fail(struct store *st, const char *what)
{
	snprintf(st->err, sizeof(st->err), "%s: %s", what, sqlite3_errmsg(st->db));
	st->busy = (sqlite3_errcode(st->db) & 0xff) == SQLITE_BUSY ||
	           (sqlite3_errcode(st->db) & 0xff) == SQLITE_LOCKED;
	return -1;
}

const char *store_error(const struct store *st)
{
	return st->err;
}

bool store_busy(const struct store *st)
{
	return st->busy;
}

void store_set_busy_timeout(struct store *st, int ms)
{
	sqlite3_busy_timeout(st->db, ms);
}

/* The statement, reset and ready for new bindings; NULL (and err) on failure. */
static sqlite3_stmt *stmt(struct store *st, enum stmt_id id)
{
	if (!st->stmt[id] && sqlite3_prepare_v3(st->db, sql[id], -1, SQLITE_PREPARE_PERSISTENT,
	                                        &st->stmt[id], NULL) != SQLITE_OK) {
		fail(st, "prepare");
		return NULL;
	}
	sqlite3_reset(st->stmt[id]);
	sqlite3_clear_bindings(st->stmt[id]);
	return st->stmt[id];
}

/*
 * head, BATCH_ROWS groups "(?, …)" of cols parameters, then tail: prepared
 * once and kept, reset and ready like stmt()'s. Parameter k of row r is
 * r * cols + k.
 */
static sqlite3_stmt *batch(struct store *st, enum batch_id id, const char *head, int cols,
                           const char *tail)
{
	if (!st->batch[id]) {
		struct buf q = BUF_INIT;
		buf_adds(&q, head);
		for (int r = 0; r < BATCH_ROWS; r++) {
			buf_adds(&q, r ? ", (" : " (");
			for (int k = 0; k < cols; k++)
				buf_adds(&q, k ? ", ?" : "?");
			buf_addc(&q, ')');
		}
		buf_adds(&q, tail);
		int rc = sqlite3_prepare_v3(st->db, buf_str(&q), -1, SQLITE_PREPARE_PERSISTENT,
		                            &st->batch[id], NULL);
		buf_free(&q);
		if (rc != SQLITE_OK) {
			fail(st, "prepare");
			return NULL;
		}
	}
	sqlite3_reset(st->batch[id]);
	sqlite3_clear_bindings(st->batch[id]);
	return st->batch[id];
}

static void bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, i);
}

static void bind_time(sqlite3_stmt *s, int i, time_t t)
{
	if (t == TF_NONE)
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_int64(s, i, (sqlite3_int64)t);
}

static char *col_text(sqlite3_stmt *s, int i)
{
	const unsigned char *v = sqlite3_column_text(s, i);

	return v ? xstrdup((const char *)v) : NULL;
}

static time_t col_time(sqlite3_stmt *s, int i)
{
	return sqlite3_column_type(s, i) == SQLITE_NULL ? TF_NONE
	                                                : (time_t)sqlite3_column_int64(s, i);
}

static enum store_note_state note_state_of(const char *s);

/* A text column into a fixed buffer ("" when NULL). */
static void col_copy(sqlite3_stmt *s, int i, char *out, size_t len)
{
	const unsigned char *v = sqlite3_column_text(s, i);

	util_strlcpy(out, v ? (const char *)v : "", len);
}

static int run_update(struct store *st, const char *query, int64_t a, int64_t b);

/* Runs a statement that returns no rows. */
static int run(struct store *st, sqlite3_stmt *s, const char *what)
{
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : fail(st, what);
}

static int exec(struct store *st, const char *script, const char *what)
{
	char *msg = NULL;

	int rc = sqlite3_exec(st->db, script, NULL, NULL, &msg);

	if (rc == SQLITE_OK)
		return 0;
	st->busy = (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED;
	snprintf(st->err, sizeof(st->err), "%s: %s", what, msg ? msg : "unknown error");
	sqlite3_free(msg);
	return -1;
}

/*
 * A statement that writes many rows inside a transaction keeps the pages it
 * changes in a statement journal, to undo itself alone; past 64 KiB SQLite
 * moves it to a temporary file. At a cold start of 100,000 tasks that was
 * 315,000 writes (650 MB) to /var/tmp. The daemon's statements are bounded
 * (a batch, one agency's rows), so its journals and temporary tables stay in
 * memory; a reader's long queries keep SQLite's files.
 */
int store_temp_in_memory(struct store *st)
{
	return exec(st, "PRAGMA temp_store = MEMORY", "temp_store");
}

static int migrate(struct store *st)
{
	sqlite3_stmt *s;
	int version = 0;

	if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL) != SQLITE_OK)
		return fail(st, "user_version");
	if (sqlite3_step(s) == SQLITE_ROW)
		version = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	if (version > (int)UTIL_NELEM(migrations)) {
		snprintf(st->err, sizeof(st->err),
		         "the database has schema version %d, newer than this program's %d",
		         version, (int)UTIL_NELEM(migrations));
		return -1;
	}
	for (int v = version; v < (int)UTIL_NELEM(migrations); v++) {
		char bump[64];
		snprintf(bump, sizeof(bump), "PRAGMA user_version = %d", v + 1);
		if (exec(st, "BEGIN IMMEDIATE", "migrate") < 0)
			return -1;
		if (exec(st, migrations[v], "migrate") < 0 || exec(st, bump, "migrate") < 0) {
			exec(st, "ROLLBACK", "rollback");
			return -1;
		}
		if (exec(st, "COMMIT", "migrate") < 0)
			return -1;
	}
	return 0;
}

/* ---- the files: never readable by others ---------------------------------- */

/*
 * A new database is shared with exactly the group its directory is shared
 * with: 0660 in a group-writable directory (/var/lib/deadlined is 2770, so
 * that the service's group can import), else 0600; never with others. It
 * takes the directory's owner (when root) and group (when root or a member
 * of it) unless the caller names them, so that a store root's deadlinectl
 * creates is still the service's.
 */
static int create_file(const char *path, uid_t uid, gid_t gid, char *err, size_t errlen)
{
	char *copy = xstrdup(path);
	struct stat dir;
	int rc = stat(dirname(copy), &dir);

	free(copy);
	int fd = rc < 0 ? -1 : open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0 && errno == EEXIST)
		return 0;
	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot create it: %s", path, strerror(errno));
		return -1;
	}
	bool named = uid != (uid_t)-1 || gid != (gid_t)-1;
	if (!named) {
		uid = geteuid() == 0 ? dir.st_uid : (uid_t)-1;
		gid = dir.st_gid;
	}
	/* Not a member of the directory's group: the file keeps ours, as mkdir would. */
	if ((fchown(fd, uid, gid) < 0 && named) ||
	    fchmod(fd, dir.st_mode & S_IWGRP ? 0660 : 0600) < 0) {
		snprintf(err, errlen, "%s: cannot give it to uid %d, gid %d: %s", path, (int)uid,
		         (int)gid, strerror(errno));
		close(fd);
		unlink(path);
		return -1;
	}
	close(fd);
	return 0;
}

/* A store made before that rule (make run made them 0644): others lose access. */
static void tighten(const char *path)
{
	static const char *const suffixes[] = {"", "-wal", "-shm"};
	char name[4096];
	struct stat st;

	for (size_t i = 0; i < UTIL_NELEM(suffixes); i++) {
		snprintf(name, sizeof(name), "%s%s", path, suffixes[i]);
		if (stat(name, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid() &&
		    (st.st_mode & S_IRWXO))
			chmod(name, st.st_mode & 07770);
	}
}

int store_create_file(const char *path, char *err, size_t errlen)
{
	return create_file(path, (uid_t)-1, (gid_t)-1, err, errlen);
}

/* Pages (4 KiB) the WAL may reach before a commit copies it into the file. */
#define WAL_PAGES 10000

/* The page cache (KiB) and the checkpoints of normal work, or of a bulk transaction. */
static int cache_and_checkpoints(struct store *st, bool bulk)
{
	sqlite3_wal_autocheckpoint(st->db, bulk ? 0 : WAL_PAGES);
	return exec(st, bulk ? "PRAGMA cache_size = -131072" : "PRAGMA cache_size = -32768",
	            "cache size");
}

int store_open(const char *path, struct store **out, char *err, size_t errlen)
{
	return store_open_as(path, (uid_t)-1, (gid_t)-1, out, err, errlen);
}

/*
 * Each connection is used by one thread only (the mail and IMAP workers
 * never touch the store), so SQLite's locks around every call, and its
 * count of the memory it holds (a lock on every allocation) are work for
 * nothing: together a twentieth of a cold start. The library takes its
 * configuration only before its first use; later calls are refused, and
 * a store opened then only does without.
 */
static void configure_library(void)
{
	static bool done;

	if (!done)
		sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	done = true;
}

int store_open_as(const char *path, uid_t uid, gid_t gid, struct store **out, char *err,
                  size_t errlen)
{
	if (create_file(path, uid, gid, err, errlen) < 0)
		return -1;
	tighten(path);

	configure_library();
	struct store *st = xcalloc(1, sizeof(*st));
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path,
		         st->db ? sqlite3_errmsg(st->db) : "no memory");
		store_close(st);
		return -1;
	}
	/* Readers (deadlinectl) and the daemon share the file: WAL and a busy wait. */
	sqlite3_busy_timeout(st->db, 5000);
	if (exec(st,
	         "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;"
	         "PRAGMA synchronous = NORMAL;",
	         "pragmas") < 0 ||
	    cache_and_checkpoints(st, false) < 0 || migrate(st) < 0) {
		snprintf(err, errlen, "%s: %s", path, st->err);
		store_close(st);
		return -1;
	}
	*out = st;
	return 0;
}

/* ---- backup ----------------------------------------------------------------- */

/* "ok", or the first problem PRAGMA integrity_check finds. */
static int check_integrity(sqlite3 *db, char *err, size_t errlen)
{
	sqlite3_stmt *s;
	int rc = -1;

	if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "integrity_check: %s", sqlite3_errmsg(db));
		return -1;
	}
	if (sqlite3_step(s) == SQLITE_ROW) {
		const char *verdict = (const char *)sqlite3_column_text(s, 0);
		if (verdict && !strcmp(verdict, "ok"))
			rc = 0;
		else
			snprintf(err, errlen, "the copy fails integrity_check: %s",
			         verdict ? verdict : "?");
	} else {
		snprintf(err, errlen, "integrity_check: %s", sqlite3_errmsg(db));
	}
	sqlite3_finalize(s);
	return rc;
}

/*
 * One backup step over every page: a single read transaction, so the copy
 * is one consistent snapshot, and in WAL mode the daemon keeps writing
 * meanwhile. The copy then leaves WAL mode, to be one self-contained file.
 */
static int copy_into(struct store *st, sqlite3 *copy, char *err, size_t errlen)
{
	sqlite3_backup *b = sqlite3_backup_init(copy, "main", st->db, "main");
	int rc;

	if (!b) {
		snprintf(err, errlen, "backup: %s", sqlite3_errmsg(copy));
		return -1;
	}
	while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED)
		sqlite3_sleep(50);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		snprintf(err, errlen, "backup: %s", sqlite3_errstr(rc));
		return -1;
	}
	char *msg = NULL;
	if (sqlite3_exec(copy, "PRAGMA journal_mode = DELETE", NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(err, errlen, "backup: %s", msg ? msg : sqlite3_errmsg(copy));
		sqlite3_free(msg);
		return -1;
	}
	return check_integrity(copy, err, errlen);
}

int store_backup(struct store *st, const char *dest, char *err, size_t errlen)
{
	char why[400] = "";
	int fd = open(dest, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0640);

	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", dest,
		         errno == EEXIST ? "exists already: name a new file" : strerror(errno));
		return -1;
	}
	close(fd);
	sqlite3 *copy = NULL;
	int rc = -1;
	if (sqlite3_open_v2(dest, &copy, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
		snprintf(why, sizeof(why), "%s", copy ? sqlite3_errmsg(copy) : "no memory");
	else
		rc = copy_into(st, copy, why, sizeof(why));
	sqlite3_close(copy);
	if (rc < 0) {
		snprintf(err, errlen, "%s: %s", dest, why);
		unlink(dest);
	}
	return rc;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	for (int i = 0; i < S_COUNT; i++)
		sqlite3_finalize(st->stmt[i]);
	for (int i = 0; i < B_COUNT; i++)
		sqlite3_finalize(st->batch[i]);
	sqlite3_close(st->db);
	free(st);
}

int store_bulk(struct store *st, bool on)
{
	if (cache_and_checkpoints(st, on) < 0)
		return -1;
	/* What the bulk commit left in the WAL, copied now; a reader checkpointing
	 * meanwhile (busy) leaves it to the next commit's. */
	int rc =
	    on ? SQLITE_OK
	       : sqlite3_wal_checkpoint_v2(st->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	return rc == SQLITE_OK || rc == SQLITE_BUSY ? 0 : fail(st, "checkpoint");
}

int store_begin(struct store *st)
{
	return exec(st, "BEGIN IMMEDIATE", "begin");
}

int store_begin_read(struct store *st)
{
	return exec(st, "BEGIN DEFERRED", "begin");
}

bool store_in_transaction(struct store *st)
{
	return !sqlite3_get_autocommit(st->db);
}

int store_commit(struct store *st)
{
	return exec(st, "COMMIT", "commit");
}

void store_rollback(struct store *st)
{
	char saved[sizeof(st->err)];

	bool busy = st->busy;

	/* Keep the error that caused the rollback. */
	memcpy(saved, st->err, sizeof(saved));
	exec(st, "ROLLBACK", "rollback");
	memcpy(st->err, saved, sizeof(saved));
	st->busy = busy;
}

int store_meta_get(struct store *st, const char *key, char *value, size_t len)
{
	sqlite3_stmt *s = stmt(st, S_META_GET);

	if (!s)
		return -1;
	bind_text(s, 1, key);
	value[0] = '\0';
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		util_strlcpy(value, (const char *)sqlite3_column_text(s, 0), len);
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : fail(st, "meta");
}

int store_meta_set(struct store *st, const char *key, const char *value)
{
	sqlite3_stmt *s = stmt(st, S_META_SET);

	if (!s)
		return -1;
	bind_text(s, 1, key);
	bind_text(s, 2, value);
	return run(st, s, "meta");
}

/* ---- plans ------------------------------------------------------------ */

static void bind_year(sqlite3_stmt *s, int i, int year)
{
	if (year)
		sqlite3_bind_int(s, i, year);
	else
		sqlite3_bind_null(s, i);
}

int store_plan_upsert(struct store *st, const struct store_plan *p, time_t now)
{
	sqlite3_stmt *s = stmt(st, S_PLAN_UPSERT);

	if (!s)
		return -1;
	bind_text(s, 1, p->id);
	bind_text(s, 2, p->title);
	bind_text(s, 3, p->issued);
	bind_year(s, 4, p->first_year);
	bind_year(s, 5, p->last_year);
	bind_text(s, 6, p->monitor);
	bind_text(s, 7, p->source);
	bind_text(s, 8, p->origin ? p->origin : "import");
	sqlite3_bind_int64(s, 9, now);
	return run(st, s, "plan");
}

int store_plan_get(struct store *st, const char *id, struct store_plan *out)
{
	sqlite3_stmt *s = stmt(st, S_PLAN_GET);

	memset(out, 0, sizeof(*out));
	if (!s)
		return -1;
	bind_text(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		out->id = col_text(s, 0);
		out->title = col_text(s, 1);
		out->issued = col_text(s, 2);
		out->first_year = sqlite3_column_int(s, 3);
		out->last_year = sqlite3_column_int(s, 4);
		out->monitor = col_text(s, 5);
		out->source = col_text(s, 6);
		out->origin = col_text(s, 7);
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : fail(st, "plan");
}

int store_plan_created(struct store *st, const char *id, time_t *at)
{
	sqlite3_stmt *s = stmt(st, S_PLAN_CREATED);

	*at = TF_NONE;
	if (!s)
		return -1;
	bind_text(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*at = col_time(s, 0);
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : fail(st, "plan");
}

void store_plan_free(struct store_plan *p)
{
	free(p->id), free(p->title), free(p->issued), free(p->monitor), free(p->source);
	free(p->origin);
	memset(p, 0, sizeof(*p));
}

/* ---- tasks ------------------------------------------------------------ */

int store_history_add(struct store *st, int64_t task_id, const char *what, const char *detail,
                      time_t now)
{
	sqlite3_stmt *s = stmt(st, S_HISTORY_ADD);

	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, task_id);
	sqlite3_bind_int64(s, 2, now);
	bind_text(s, 3, what);
	bind_text(s, 4, detail);
	return run(st, s, "history");
}

static int write_assignments(struct store *st, const struct task *t)
{
	sqlite3_stmt *s = stmt(st, S_ASSIGN_DELETE);

	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, t->id);
	if (run(st, s, "assignments") < 0)
		return -1;
	for (size_t i = 0; i < t->n_agencies; i++) {
		const struct task_agency *a = &t->agencies[i];
		if (!(s = stmt(st, S_ASSIGN_INSERT)))
			return -1;
		sqlite3_bind_int64(s, 1, t->id);
		bind_text(s, 2, task_role_name(a->role));
		bind_text(s, 3, a->agency);
		bind_text(s, 4, a->written);
		bind_text(s, 5, a->via_group);
		sqlite3_bind_int(s, 6, a->resolved);
		if (run(st, s, "assignment") < 0)
			return -1;
	}
	return 0;
}

/* The columns shared by insert and update: ?1 … ?18. */
static void bind_task(sqlite3_stmt *s, const struct task *t, const char *hash, time_t now)
{
	bind_text(s, 1, t->plan_id);
	bind_text(s, 2, t->key);
	bind_text(s, 3, t->idx);
	bind_text(s, 4, t->category);
	bind_text(s, 5, t->title);
	bind_text(s, 6, t->timeframe ? t->timeframe : "");
	bind_text(s, 7, tf_kind_name(t->kind));
	bind_time(s, 8, t->due);
	bind_time(s, 9, t->window_start);
	bind_text(s, 10, t->condition);
	sqlite3_bind_int(s, 11, (int)t->flags);
	bind_text(s, 12, t->source_file);
	sqlite3_bind_int(s, 13, t->source_line);
	bind_text(s, 14, t->raw);
	bind_text(s, 15, t->origin ? t->origin : "import");
	bind_text(s, 16, t->policy);
	bind_text(s, 17, hash);
	sqlite3_bind_int64(s, 18, now);
}

/* 1 and the id/hash when (plan, key) exists, 0 when not. A removed task's hash is
 * reported as "" so that seeing it again counts as a change (it comes back). */
static int find_by_key(struct store *st, const char *plan, const char *key, int64_t *id,
                       char hash[17])
{
	sqlite3_stmt *s = stmt(st, S_TASK_BY_KEY);

	if (!s)
		return -1;
	bind_text(s, 1, plan);
	bind_text(s, 2, key);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		util_strlcpy(
		    hash, sqlite3_column_int(s, 2) ? "" : (const char *)sqlite3_column_text(s, 1),
		    17);
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : fail(st, "task");
}

int store_task_upsert(struct store *st, struct task *t, time_t now, enum store_change *change)
{
	char hash[17], old[17];
	int64_t id;
	int found = find_by_key(st, t->plan_id, t->key, &id, old);

	task_content_hash(t, hash);
	if (found < 0)
		return -1;
	if (found && !strcmp(hash, old)) {
		t->id = id;
		*change = STORE_SAME;
		return 0;
	}
	sqlite3_stmt *s = stmt(st, found ? S_TASK_UPDATE : S_TASK_INSERT);
	if (!s)
		return -1;
	bind_task(s, t, hash, now);
	if (run(st, s, found ? "update task" : "insert task") < 0)
		return -1;
	t->id = found ? id : sqlite3_last_insert_rowid(st->db);
	*change = found ? STORE_UPDATED : STORE_NEW;
	if (write_assignments(st, t) < 0)
		return -1;
	return store_history_add(st, t->id, found ? "updated" : "created", t->source_file, now);
}

static void read_assignments(struct store *st, struct task *t)
{
	sqlite3_stmt *s = stmt(st, S_ASSIGN_OF_TASK);

	if (!s)
		return;
	sqlite3_bind_int64(s, 1, t->id);
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *role = (const char *)sqlite3_column_text(s, 0);
		task_add_agency(t, !strcmp(role, "lead") ? TASK_LEAD : TASK_COORD,
		                (const char *)sqlite3_column_text(s, 1),
		                (const char *)sqlite3_column_text(s, 2),
		                (const char *)sqlite3_column_text(s, 3), sqlite3_column_int(s, 4));
	}
	sqlite3_reset(s);
}

static void read_task(sqlite3_stmt *s, struct task *t)
{
	task_init(t);
	t->id = sqlite3_column_int64(s, 0);
	t->plan_id = col_text(s, 1);
	t->key = col_text(s, 2);
	t->idx = col_text(s, 3);
	t->category = col_text(s, 4);
	t->title = col_text(s, 5);
	t->timeframe = col_text(s, 6);
	t->kind = tf_kind_from_name((const char *)sqlite3_column_text(s, 7));
	t->due = col_time(s, 8);
	t->window_start = col_time(s, 9);
	t->condition = col_text(s, 10);
	t->flags = (unsigned)sqlite3_column_int(s, 11);
	enum task_status status = TASK_OPEN;
	task_status_parse((const char *)sqlite3_column_text(s, 12), &status);
	t->status = status;
	t->status_note = col_text(s, 13);
	t->extended_due = col_time(s, 14);
	t->ext = sqlite3_column_int(s, 15);
	t->source_file = col_text(s, 16);
	t->source_line = sqlite3_column_int(s, 17);
	t->raw = col_text(s, 18);
	t->origin = col_text(s, 19);
	t->policy = col_text(s, 20);
}

int store_task_get(struct store *st, int64_t id, struct task *out)
{
	sqlite3_stmt *s = stmt(st, S_TASK_GET);

	task_init(out);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		read_task(s, out);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		read_assignments(st, out);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : fail(st, "task");
}

static int cmp_task_id(const void *a, const void *b)
{
	const struct task *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

/* A task's agencies back in the order they were written (their rows' rowids):
 * a handful, so by insertion. */
static void agencies_by_rowid(struct task *t, int64_t *rowid)
{
	for (size_t i = 1; i < t->n_agencies; i++)
		for (size_t j = i; j > 0 && rowid[j - 1] > rowid[j]; j--) {
			struct task_agency a = t->agencies[j];
			int64_t r = rowid[j];
			t->agencies[j] = t->agencies[j - 1], rowid[j] = rowid[j - 1];
			t->agencies[j - 1] = a, rowid[j - 1] = r;
		}
}

/*
 * The rows of tasks_sql (TASK_COLUMNS), then those of assign_sql (task_id,
 * read_assignments' columns and rowid, by task_id) each added to its task:
 * two queries however many tasks. ids, when not NULL, is bound to ?1 of
 * both. Sorting in SQL (tasks by id, assignments by rowid) cost more than
 * reading the rows; here it is a sort of the tasks and a few swaps each.
 */
static int load_tasks(struct store *st, const char *tasks_sql, const char *assign_sql,
                      const char *ids, struct task **tasks, size_t *n)
{
	sqlite3_stmt *s;
	size_t cap = 0, k = 0;
	int rc;

	*tasks = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(st->db, tasks_sql, -1, &s, NULL) != SQLITE_OK)
		return fail(st, "tasks");
	if (ids)
		sqlite3_bind_text(s, 1, ids, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n == cap)
			*tasks = xrealloc(*tasks, (cap = cap ? 2 * cap : 256) * sizeof(**tasks));
		read_task(s, &(*tasks)[(*n)++]);
	}
	if (rc != SQLITE_DONE)
		goto fail;
	sqlite3_finalize(s);
	if (*n) /* qsort wants an array, even of nothing */
		qsort(*tasks, *n, sizeof(**tasks), cmp_task_id);
	if (sqlite3_prepare_v2(st->db, assign_sql, -1, &s, NULL) != SQLITE_OK) {
		s = NULL; /* finalizing NULL does nothing */
		goto fail;
	}
	if (ids)
		sqlite3_bind_text(s, 1, ids, -1, SQLITE_STATIC);
	int64_t *rowid = NULL;
	size_t cap_rowid = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(s, 0);
		while (k < *n && (*tasks)[k].id < id)
			agencies_by_rowid(&(*tasks)[k++], rowid);
		if (k == *n || (*tasks)[k].id != id)
			continue;
		struct task *t = &(*tasks)[k];
		const char *role = (const char *)sqlite3_column_text(s, 1);
		task_add_agency(t, !strcmp(role, "lead") ? TASK_LEAD : TASK_COORD,
		                (const char *)sqlite3_column_text(s, 2),
		                (const char *)sqlite3_column_text(s, 3),
		                (const char *)sqlite3_column_text(s, 4), sqlite3_column_int(s, 5));
		if (t->n_agencies > cap_rowid)
			rowid = xrealloc(rowid, (cap_rowid = 2 * t->n_agencies) * sizeof(*rowid));
		rowid[t->n_agencies - 1] = sqlite3_column_int64(s, 6);
	}
	if (rc == SQLITE_DONE) {
		if (k < *n)
			agencies_by_rowid(&(*tasks)[k], rowid);
		free(rowid);
		sqlite3_finalize(s);
		return 0;
	}
	free(rowid);
fail:
	rc = fail(st, "tasks");
	sqlite3_finalize(s);
	for (size_t i = 0; i < *n; i++)
		task_free(&(*tasks)[i]);
	free(*tasks);
	*tasks = NULL;
	*n = 0;
	return rc;
}

#define ASSIGN_COLUMNS "task_id, role, agency, written, via_group, resolved, rowid"

int store_task_load_all(struct store *st, struct task **tasks, size_t *n)
{
	return load_tasks(st, "SELECT " TASK_COLUMNS " FROM tasks ORDER BY id",
	                  "SELECT " ASSIGN_COLUMNS " FROM assignments ORDER BY task_id", NULL,
	                  tasks, n);
}

int store_tasks_get(struct store *st, const int64_t *ids, size_t n_ids, struct task **tasks,
                    size_t *n)
{
	struct buf list = BUF_INIT;

	/* One bound parameter for the whole list: a JSON array of the ids. */
	buf_addc(&list, '[');
	for (size_t i = 0; i < n_ids; i++)
		buf_printf(&list, "%s%lld", i ? "," : "", (long long)ids[i]);
	buf_addc(&list, ']');
	int rc = load_tasks(st,
	                    "SELECT " TASK_COLUMNS " FROM tasks"
	                    " WHERE id IN (SELECT value FROM json_each(?1))",
	                    "SELECT " ASSIGN_COLUMNS " FROM assignments"
	                    " WHERE task_id IN (SELECT value FROM json_each(?1)) ORDER BY task_id",
	                    buf_str(&list), tasks, n);
	buf_free(&list);
	return rc;
}

int store_task_find(struct store *st, const char *ref, int64_t *id)
{
	char *end;
	long long n = strtoll(ref, &end, 10);
	const char *colon = strrchr(ref, ':');
	sqlite3_stmt *s;
	int found = 0;

	if (*ref && !*end) {
		struct task t;
		found = store_task_get(st, n, &t);
		task_free(&t);
		*id = n;
		return found;
	}
	if (colon) {
		char *plan = xstrndup(ref, (size_t)(colon - ref));
		char hash[17];
		found = find_by_key(st, plan, colon + 1, id, hash);
		free(plan);
		if (found)
			return found;
	}
	if (sqlite3_prepare_v2(st->db, "SELECT id FROM tasks WHERE key = ?1 LIMIT 2", -1, &s,
	                       NULL) != SQLITE_OK)
		return fail(st, "find");
	bind_text(s, 1, ref);
	while (sqlite3_step(s) == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		found++;
	}
	sqlite3_finalize(s);
	return found == 1 ? 1 : 0;
}

int store_task_keys(struct store *st, const char *plan, store_task_key_cb cb, void *arg)
{
	sqlite3_stmt *s;
	int r = 0, rc;

	if (sqlite3_prepare_v2(st->db,
	                       "SELECT key, id, content_hash, status, origin, title, source_line"
	                       " FROM tasks WHERE plan_id = ?1 ORDER BY id",
	                       -1, &s, NULL) != SQLITE_OK)
		return fail(st, "task keys");
	bind_text(s, 1, plan);
	while (r == 0 && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		enum task_status status = TASK_OPEN;
		task_status_parse((const char *)sqlite3_column_text(s, 3), &status);
		struct store_task_key k = {(const char *)sqlite3_column_text(s, 0),
		                           (const char *)sqlite3_column_text(s, 2),
		                           (const char *)sqlite3_column_text(s, 4),
		                           (const char *)sqlite3_column_text(s, 5),
		                           sqlite3_column_int64(s, 1),
		                           status,
		                           sqlite3_column_int(s, 6)};
		r = cb(&k, arg);
	}
	if (r == 0 && rc != SQLITE_DONE)
		r = fail(st, "task keys");
	sqlite3_finalize(s);
	return r;
}

int store_task_ids(struct store *st, const char *plan, int64_t **ids, size_t *n)
{
	sqlite3_stmt *s;
	size_t cap = 0;

	*ids = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(st->db, sql[plan ? S_TASK_OF_PLAN : S_TASK_ALL], -1, &s, NULL) !=
	    SQLITE_OK)
		return fail(st, "tasks");
	if (plan)
		bind_text(s, 1, plan);
	while (sqlite3_step(s) == SQLITE_ROW) {
		if (*n == cap)
			*ids = xrealloc(*ids, (cap = cap ? cap * 2 : 256) * sizeof(**ids));
		(*ids)[(*n)++] = sqlite3_column_int64(s, 0);
	}
	sqlite3_finalize(s);
	return 0;
}

int store_imported_ids(struct store *st, const char *plan, enum tf_kind kind, int64_t **ids,
                       size_t *n)
{
	sqlite3_stmt *s;
	size_t cap = 0;
	int rc;

	*ids = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(st->db,
	                       "SELECT id FROM tasks WHERE plan_id = ?1 AND kind = ?2"
	                       " AND origin = 'import' AND status <> 'removed' ORDER BY id",
	                       -1, &s, NULL) != SQLITE_OK)
		return fail(st, "tasks");
	bind_text(s, 1, plan);
	bind_text(s, 2, tf_kind_name(kind));
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n == cap)
			*ids = xrealloc(*ids, (cap = cap ? cap * 2 : 16) * sizeof(**ids));
		(*ids)[(*n)++] = sqlite3_column_int64(s, 0);
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : fail(st, "tasks");
}

int store_plans(struct store *st, store_plan_cb cb, void *arg)
{
	sqlite3_stmt *s;
	int rc, r = 0;

	if (sqlite3_prepare_v2(st->db, "SELECT id, title FROM plans ORDER BY id", -1, &s, NULL) !=
	    SQLITE_OK)
		return fail(st, "plans");
	while (r == 0 && (rc = sqlite3_step(s)) == SQLITE_ROW)
		r = cb((const char *)sqlite3_column_text(s, 0),
		       (const char *)sqlite3_column_text(s, 1), arg);
	if (r == 0 && rc != SQLITE_DONE)
		r = fail(st, "plans");
	sqlite3_finalize(s);
	return r;
}

int store_tasks(struct store *st, const char *plan, store_task_cb cb, void *arg)
{
	int64_t *ids;
	size_t n;
	int r = 0;

	/* Collect ids first: the callback may use the store itself. */
	if (store_task_ids(st, plan, &ids, &n) < 0)
		return -1;
	for (size_t i = 0; i < n && r == 0; i++) {
		struct task t;
		if (store_task_get(st, ids[i], &t) == 1)
			r = cb(&t, arg);
		task_free(&t);
	}
	free(ids);
	return r;
}

int store_task_set_status(struct store *st, int64_t id, enum task_status status, const char *note,
                          time_t now)
{
	sqlite3_stmt *s = stmt(st, S_TASK_STATUS);

	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	bind_text(s, 2, task_status_name(status));
	bind_text(s, 3, note);
	sqlite3_bind_int64(s, 4, now);
	/* Removed: what it was is kept for its return (S_TASK_UPDATE). */
	if (status == TASK_REMOVED &&
	    run_update(st,
	               "UPDATE tasks SET status_before_removal = status"
	               " WHERE id = ?1 AND status != 'removed' AND ?2 = ?2",
	               id, 0) < 0)
		return -1;
	if (run(st, s, "status") < 0)
		return -1;
	/* A removed task's deadlines are gone too: no wake-up, not counted as open. */
	if (status == TASK_REMOVED &&
	    run_update(st,
	               "UPDATE occurrences SET status_before_removal = status, status = 'removed',"
	               " next_at = NULL WHERE task_id = ?1"
	               " AND status NOT IN ('done', 'cancelled', 'removed') AND ?2 = ?2",
	               id, 0) < 0)
		return -1;
	return store_history_add(st, id, task_status_name(status), note, now);
}

int store_task_extend(struct store *st, int64_t id, time_t new_due, time_t now)
{
	sqlite3_stmt *s = stmt(st, S_TASK_EXTEND);
	char detail[32];

	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	bind_time(s, 2, new_due);
	sqlite3_bind_int64(s, 3, now);
	if (run(st, s, "extend") < 0)
		return -1;
	snprintf(detail, sizeof(detail), "%lld", (long long)new_due);
	return store_history_add(st, id, "extended", detail, now);
}

int store_tasks_remove_missing(struct store *st, const char *origin, const int64_t *keep,
                               size_t n_keep, time_t now, int *removed)
{
	sqlite3_stmt *s;
	int64_t *gone = NULL;
	size_t n = 0;

	*removed = 0;
	if (sqlite3_prepare_v2(st->db,
	                       "SELECT id FROM tasks WHERE origin = ?1 AND status != 'removed'", -1,
	                       &s, NULL) != SQLITE_OK)
		return fail(st, "remove");
	bind_text(s, 1, origin);
	while (sqlite3_step(s) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(s, 0);
		bool kept = false;
		for (size_t i = 0; i < n_keep && !kept; i++)
			kept = keep[i] == id;
		if (!kept) {
			gone = xrealloc(gone, (n + 1) * sizeof(*gone));
			gone[n++] = id;
		}
	}
	sqlite3_finalize(s);
	for (size_t i = 0; i < n; i++)
		if (store_task_set_status(st, gone[i], TASK_REMOVED, "no longer in the config",
		                          now) < 0) {
			free(gone);
			return -1;
		}
	free(gone);
	*removed = (int)n;
	return 0;
}

/* ---- occurrences ------------------------------------------------------ */

static int occ_ensure(struct store *st, int64_t task_id, time_t due, time_t window_start,
                      bool missed, int64_t *id, bool *created);

int store_occ_ensure(struct store *st, int64_t task_id, time_t due, time_t window_start,
                     int64_t *id, bool *created)
{
	return occ_ensure(st, task_id, due, window_start, false, id, created);
}

int store_occ_ensure_missed(struct store *st, int64_t task_id, time_t due, time_t window_start,
                            int64_t *id, bool *created)
{
	return occ_ensure(st, task_id, due, window_start, true, id, created);
}

static int occ_ensure(struct store *st, int64_t task_id, time_t due, time_t window_start,
                      bool missed, int64_t *id, bool *created)
{
	sqlite3_stmt *s = stmt(st, S_OCC_FIND);

	if (created)
		*created = false;
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, task_id);
	sqlite3_bind_int64(s, 2, due);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	/* A retired occurrence that belongs to the task again comes back, as it was. */
	if (rc == SQLITE_ROW)
		return run_update(st,
		                  "UPDATE occurrences SET status = COALESCE(status_before_removal,"
		                  " 'open'), status_before_removal = NULL, next_at = 0"
		                  " WHERE id = ?1 AND status = 'removed' AND ?2 = ?2",
		                  *id, 0);
	if (rc != SQLITE_DONE || !(s = stmt(st, missed ? S_OCC_INSERT_MISSED : S_OCC_INSERT)))
		return fail(st, "occurrence");
	sqlite3_bind_int64(s, 1, task_id);
	sqlite3_bind_int64(s, 2, due);
	bind_time(s, 3, window_start);
	/* A new occurrence is looked at right away: the planner sets the real time. */
	if (!missed)
		sqlite3_bind_int64(s, 4, 0);
	if (run(st, s, "occurrence") < 0)
		return -1;
	*id = sqlite3_last_insert_rowid(st->db);
	if (created)
		*created = true;
	return 0;
}

int store_occ_set_next(struct store *st, int64_t id, time_t next_at)
{
	sqlite3_stmt *s = stmt(st, S_OCC_NEXT);

	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	bind_time(s, 2, next_at);
	return run(st, s, "next_at");
}

int store_occ_set_next_many(struct store *st, const struct store_next *v, size_t n)
{
	size_t i = 0;

	for (sqlite3_stmt *s; n - i >= BATCH_ROWS; i += BATCH_ROWS) {
		s = batch(
		    st, B_NEXT, "WITH v (id, at) AS (VALUES", 2,
		    ") UPDATE occurrences SET next_at = v.at FROM v WHERE occurrences.id = v.id");
		if (!s)
			return -1;
		for (int r = 0; r < BATCH_ROWS; r++) {
			sqlite3_bind_int64(s, 2 * r + 1, v[i + (size_t)r].id);
			bind_time(s, 2 * r + 2, v[i + (size_t)r].next_at);
		}
		if (run(st, s, "next_at") < 0)
			return -1;
	}
	for (; i < n; i++)
		if (store_occ_set_next(st, v[i].id, v[i].next_at) < 0)
			return -1;
	return 0;
}

int store_occ_set_status(struct store *st, int64_t id, enum task_status status)
{
	sqlite3_stmt *s = stmt(st, S_OCC_STATUS);

	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	bind_text(s, 2, task_status_name(status));
	return run(st, s, "occurrence status");
}

static void read_occ(sqlite3_stmt *s, struct store_occ *o)
{
	enum task_status status = TASK_OPEN;

	o->id = sqlite3_column_int64(s, 0);
	o->task_id = sqlite3_column_int64(s, 1);
	o->due = (time_t)sqlite3_column_int64(s, 2);
	o->window_start = col_time(s, 3);
	o->next_at = col_time(s, 4);
	task_status_parse((const char *)sqlite3_column_text(s, 5), &status);
	o->status = status;
	o->has_ledger = sqlite3_column_count(s) > 6 ? sqlite3_column_int(s, 6) != 0 : true;
}

/* Every row of s; *v malloc'ed. */
static int collect_occ(struct store *st, sqlite3_stmt *s, struct store_occ **v, size_t *n)
{
	size_t cap = 0;
	int rc;

	*v = NULL;
	*n = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n == cap)
			*v = xrealloc(*v, (cap = cap ? cap * 2 : 64) * sizeof(**v));
		read_occ(s, &(*v)[(*n)++]);
	}
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return 0;
	free(*v);
	*v = NULL;
	*n = 0;
	return fail(st, "occurrences");
}

/* Collects rows first, so callbacks may write to the store. */
static int each_occ(struct store *st, sqlite3_stmt *s, store_occ_cb cb, void *arg)
{
	struct store_occ *v;
	size_t n;
	int r = collect_occ(st, s, &v, &n);

	for (size_t i = 0; i < n && r == 0; i++)
		r = cb(&v[i], arg);
	free(v);
	return r;
}

/* Streams a query's rows; r is the callback's verdict or -1. */
static int stream(struct store *st, const char *query, int (*row)(sqlite3_stmt *, void *),
                  void *arg)
{
	sqlite3_stmt *s;
	int rc, r = 0;

	if (sqlite3_prepare_v2(st->db, query, -1, &s, NULL) != SQLITE_OK)
		return fail(st, "stream");
	while (r == 0 && (rc = sqlite3_step(s)) == SQLITE_ROW)
		r = row(s, arg);
	if (r == 0 && rc != SQLITE_DONE)
		r = fail(st, "stream");
	sqlite3_finalize(s);
	return r;
}

struct occ_stream {
	store_occ_cb cb;
	void *arg;
};

static int occ_row(sqlite3_stmt *s, void *arg)
{
	struct occ_stream *o = arg;
	struct store_occ occ;

	read_occ(s, &occ);
	return o->cb(&occ, o->arg);
}

int store_occ_live(struct store *st, store_occ_cb cb, void *arg)
{
	struct occ_stream o = {cb, arg};

	return stream(st,
	              "SELECT o.id, o.task_id, o.due, o.window_start, o.next_at, o.status"
	              " FROM occurrences o JOIN tasks t ON t.id = o.task_id"
	              " WHERE t.status NOT IN ('done', 'cancelled', 'removed')"
	              " ORDER BY o.task_id, o.due",
	              occ_row, &o);
}

struct note_stream {
	store_note_cb cb;
	void *arg;
};

static int note_row(sqlite3_stmt *s, void *arg)
{
	struct note_stream *ns = arg;
	struct store_note n = {.occurrence_id = sqlite3_column_int64(s, 0)};

	col_copy(s, 1, n.agency, sizeof(n.agency));
	col_copy(s, 2, n.step, sizeof(n.step));
	n.state = note_state_of((const char *)sqlite3_column_text(s, 3));
	col_copy(s, 4, n.role, sizeof(n.role));
	col_copy(s, 5, n.kind, sizeof(n.kind));
	n.planned_at = (time_t)sqlite3_column_int64(s, 6);
	return ns->cb(&n, ns->arg);
}

int store_ledger_live(struct store *st, store_note_cb cb, void *arg)
{
	struct note_stream ns = {cb, arg};

	return stream(st,
	              "SELECT n.occurrence_id, n.agency, n.step, n.state, n.role, n.kind,"
	              " n.planned_at FROM notifications n"
	              " JOIN occurrences o ON o.id = n.occurrence_id"
	              " JOIN tasks t ON t.id = o.task_id"
	              " WHERE o.status NOT IN ('done', 'cancelled', 'removed', 'missed')"
	              " AND t.status NOT IN ('done', 'cancelled', 'removed')"
	              " ORDER BY n.occurrence_id",
	              note_row, &ns);
}

int store_occ_of_task(struct store *st, int64_t task_id, store_occ_cb cb, void *arg)
{
	sqlite3_stmt *s = stmt(st, S_OCC_OF_TASK);

	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, task_id);
	return each_occ(st, s, cb, arg);
}

/* The due occurrences' statement, bound; NULL when it cannot be prepared. */
static sqlite3_stmt *occ_due(struct store *st, time_t now, int limit)
{
	sqlite3_stmt *s = stmt(st, S_OCC_DUE);

	if (s) {
		sqlite3_bind_int64(s, 1, now);
		sqlite3_bind_int(s, 2, limit);
	}
	return s;
}

int store_occ_due(struct store *st, time_t now, int limit, store_occ_cb cb, void *arg)
{
	sqlite3_stmt *s = occ_due(st, now, limit);

	return s ? each_occ(st, s, cb, arg) : -1;
}

int store_occ_due_list(struct store *st, time_t now, int limit, struct store_occ **v, size_t *n)
{
	sqlite3_stmt *s = occ_due(st, now, limit);

	*v = NULL;
	*n = 0;
	return s ? collect_occ(st, s, v, n) : -1;
}

static int min_time(struct store *st, enum stmt_id id, time_t *at)
{
	sqlite3_stmt *s = stmt(st, id);

	*at = TF_NONE;
	if (!s)
		return -1;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*at = col_time(s, 0);
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : fail(st, "min");
}

int store_occ_max_due(struct store *st, int64_t task_id, time_t *due)
{
	sqlite3_stmt *s = stmt(st, S_OCC_MAX_DUE);

	*due = TF_NONE;
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, task_id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*due = col_time(s, 0);
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : fail(st, "max due");
}

int store_next_wake(struct store *st, time_t *at)
{
	return min_time(st, S_OCC_WAKE, at);
}

/* Rows already due by the bound are left alone: rewriting them changes nothing,
 * and on a freshly imported store (every next_at 0) it wrote every page. */
int store_occ_replan_all(struct store *st, time_t bound)
{
	sqlite3_stmt *s;

	if (sqlite3_prepare_v2(st->db,
	                       "UPDATE occurrences SET next_at = ?1"
	                       " WHERE status NOT IN ('done', 'cancelled', 'removed', 'missed')"
	                       " AND (next_at IS NULL OR next_at > ?1)",
	                       -1, &s, NULL) != SQLITE_OK)
		return fail(st, "replan");
	sqlite3_bind_int64(s, 1, bound);
	int r = run(st, s, "replan");
	sqlite3_finalize(s);
	return r;
}

/* ---- the ledger -------------------------------------------------------- */

static const char *const note_states[] = {"queued", "sent", "failed", "skipped", "pending"};

static enum store_note_state note_state_of(const char *s)
{
	for (int i = 0; i < (int)UTIL_NELEM(note_states); i++)
		if (s && !strcmp(s, note_states[i]))
			return (enum store_note_state)i;
	return NOTE_QUEUED;
}

int store_ledger(struct store *st, int64_t occurrence_id, struct store_note **out, size_t *n)
{
	sqlite3_stmt *s = stmt(st, S_LEDGER);
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, occurrence_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n == cap)
			*out = xrealloc(*out, (cap = cap ? cap * 2 : 16) * sizeof(**out));
		struct store_note *note = &(*out)[(*n)++];
		memset(note, 0, sizeof(*note));
		note->occurrence_id = occurrence_id;
		util_strlcpy(note->agency, (const char *)sqlite3_column_text(s, 0),
		             sizeof(note->agency));
		util_strlcpy(note->step, (const char *)sqlite3_column_text(s, 1),
		             sizeof(note->step));
		util_strlcpy(note->kind, (const char *)sqlite3_column_text(s, 2),
		             sizeof(note->kind));
		note->planned_at = (time_t)sqlite3_column_int64(s, 3);
		note->state = note_state_of((const char *)sqlite3_column_text(s, 4));
		note->message = sqlite3_column_int64(s, 5);
		col_copy(s, 6, note->role, sizeof(note->role));
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : fail(st, "ledger");
}

#define NOTE_COLUMNS 9

/* Text not copied: the caller clears the bindings before it goes (run_notes). */
static void bind_static(sqlite3_stmt *s, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, i);
}

/* The values of one ledger row, from parameter at + 1 on (S_NOTE_INSERT's order). */
static void bind_note(sqlite3_stmt *s, int at, const struct store_note *note, int64_t message,
                      enum store_note_state state, time_t now)
{
	sqlite3_bind_int64(s, at + 1, note->occurrence_id);
	bind_static(s, at + 2, note->agency);
	bind_static(s, at + 3, note->step);
	bind_static(s, at + 4, note->kind);
	sqlite3_bind_int64(s, at + 5, note->planned_at);
	if (message)
		sqlite3_bind_int64(s, at + 6, message);
	bind_static(s, at + 7, note_states[state]);
	sqlite3_bind_int64(s, at + 8, now);
	bind_static(s, at + 9, note->role[0] ? note->role : NULL);
}

/* run() for bind_note's rows: their text is the caller's, so no binding outlives it. */
static int run_notes(struct store *st, sqlite3_stmt *s, const char *what)
{
	int rc = run(st, s, what);

	sqlite3_clear_bindings(s);
	return rc;
}

/* Inserts one ledger row; 1 if it is new, 0 if its key was there (kept as it is). */
static int insert_row(struct store *st, const struct store_note *note, int64_t message,
                      enum store_note_state state, time_t now)
{
	sqlite3_stmt *s = stmt(st, S_NOTE_INSERT);

	if (!s)
		return -1;
	bind_note(s, 0, note, message, state, now);
	if (run_notes(st, s, "note") < 0)
		return -1;
	return sqlite3_changes(st->db) > 0;
}

/* insert_row(), and a pending row of the key claimed by the message. */
static int insert_note(struct store *st, const struct store_note *note, int64_t message,
                       enum store_note_state state, time_t now)
{
	sqlite3_stmt *s;
	int r = insert_row(st, note, message, state, now);

	if (r != 0)
		return r;
	/* A pending row is the planner's: the message that carries it claims it. */
	if (!message || !(s = stmt(st, S_PENDING_QUEUE)))
		return message ? -1 : 0;
	sqlite3_bind_int64(s, 1, note->occurrence_id);
	bind_text(s, 2, note->agency);
	bind_text(s, 3, note->step);
	sqlite3_bind_int64(s, 4, message);
	if (run(st, s, "pending note") < 0)
		return -1;
	return sqlite3_changes(st->db) > 0;
}

int store_notes_record(struct store *st, const struct store_note *notes, size_t n,
                       enum store_note_state state, time_t now)
{
	for (size_t i = 0; i < n; i++)
		if (insert_note(st, &notes[i], 0, state, now) < 0)
			return -1;
	return 0;
}

/* A row that had to be new was there (one of n from note on): its message
 * would go without it. */
static int not_new(struct store *st, const struct store_note *note, int n)
{
	snprintf(st->err, sizeof(st->err),
	         "ledger: %s occurrence %lld, %s, step %s%s is already recorded: undone",
	         n > 1 ? "a row from" : "", (long long)note->occurrence_id, note->agency,
	         note->step, n > 1 ? " on" : "");
	st->busy = false;
	return -1;
}

int store_notes_insert(struct store *st, const struct store_note *notes, size_t n, time_t now,
                       bool new_only)
{
	size_t i = 0;

	for (sqlite3_stmt *s; n - i >= BATCH_ROWS; i += BATCH_ROWS) {
		s = batch(st, B_NOTES,
		          "INSERT OR IGNORE INTO notifications (occurrence_id, agency, step, kind,"
		          " planned_at, message, state, created_at, role) VALUES",
		          NOTE_COLUMNS, "");
		if (!s)
			return -1;
		for (int r = 0; r < BATCH_ROWS; r++) {
			const struct store_note *note = &notes[i + (size_t)r];
			bind_note(s, r * NOTE_COLUMNS, note, note->message, note->state, now);
		}
		if (run_notes(st, s, "notes") < 0)
			return -1;
		if (new_only && sqlite3_changes(st->db) < BATCH_ROWS)
			return not_new(st, &notes[i], BATCH_ROWS);
	}
	for (; i < n; i++) {
		int r = insert_row(st, &notes[i], notes[i].message, notes[i].state, now);
		if (r < 0)
			return -1;
		if (r == 0 && new_only)
			return not_new(st, &notes[i], 1);
	}
	return 0;
}

int store_pending(struct store *st, store_pending_cb cb, void *arg)
{
	sqlite3_stmt *s = stmt(st, S_PENDING);
	int rc, r = 0;

	if (!s)
		return -1;
	while (r == 0 && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_pending p;
		memset(&p, 0, sizeof(p));
		p.note.occurrence_id = sqlite3_column_int64(s, 0);
		col_copy(s, 1, p.note.agency, sizeof(p.note.agency));
		col_copy(s, 2, p.note.step, sizeof(p.note.step));
		col_copy(s, 3, p.note.kind, sizeof(p.note.kind));
		p.note.planned_at = (time_t)sqlite3_column_int64(s, 4);
		col_copy(s, 5, p.note.role, sizeof(p.note.role));
		p.note.state = NOTE_PENDING;
		p.task_id = sqlite3_column_int64(s, 6);
		p.due = (time_t)sqlite3_column_int64(s, 7);
		r = cb(&p, arg);
	}
	if (r == 0 && rc != SQLITE_DONE)
		r = fail(st, "pending");
	sqlite3_reset(s);
	return r;
}

/* One row or none: 1, 0, or -1. */
static int exists(struct store *st, enum stmt_id id, const char *text)
{
	sqlite3_stmt *s = stmt(st, id);

	if (!s)
		return -1;
	if (text)
		bind_text(s, 1, text);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : fail(st, "exists");
}

int store_pending_claim(struct store *st, const char *const *agencies, size_t n,
                        enum store_note_state state, int64_t message, int64_t *claimed)
{
	sqlite3_stmt *s;

	*claimed = 0;
	if (sqlite3_prepare_v2(st->db,
	                       "UPDATE notifications SET state = ?2, message = ?3"
	                       " WHERE state = 'pending' AND agency = ?1",
	                       -1, &s, NULL) != SQLITE_OK)
		return fail(st, "claim");
	for (size_t i = 0; i < n; i++) {
		sqlite3_reset(s);
		bind_text(s, 1, agencies[i]);
		bind_text(s, 2, note_states[state]);
		if (message)
			sqlite3_bind_int64(s, 3, message);
		else
			sqlite3_bind_null(s, 3);
		if (sqlite3_step(s) != SQLITE_DONE) {
			sqlite3_finalize(s);
			return fail(st, "claim");
		}
		*claimed += sqlite3_changes(st->db);
	}
	sqlite3_finalize(s);
	return 0;
}

int store_pending_any(struct store *st, bool *any)
{
	int r = exists(st, S_PENDING_ANY, NULL);

	*any = r == 1;
	return r < 0 ? -1 : 0;
}

int store_sent_to(struct store *st, const char *recipient, bool *any)
{
	int r = exists(st, S_SENT_TO, recipient);

	*any = r == 1;
	return r < 0 ? -1 : 0;
}

int store_last_message_at(struct store *st, const char *recipient, time_t *at)
{
	sqlite3_stmt *s = stmt(st, S_LAST_MESSAGE);

	*at = TF_NONE;
	if (!s)
		return -1;
	bind_text(s, 1, recipient);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*at = col_time(s, 0);
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : fail(st, "last message");
}

int store_thread_last(struct store *st, int64_t occurrence_id, const char *recipient, char *msgid,
                      size_t len)
{
	sqlite3_stmt *s = stmt(st, S_THREAD_LAST);

	msgid[0] = '\0';
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, occurrence_id);
	bind_text(s, 2, recipient);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		util_strlcpy(msgid, (const char *)sqlite3_column_text(s, 0), len);
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : fail(st, "thread");
}

/* ---- the outbox --------------------------------------------------------- */

static const char *const msg_states[] = {"queued", "sent", "failed", "partial"};

void store_message_free(struct store_message *m)
{
	free(m->message_id), free(m->recipient), free(m->rcpt), free(m->subject), free(m->body);
	free(m->kind), free(m->last_error), free(m->delivered_to);
	memset(m, 0, sizeof(*m));
}

static int insert_message(struct store *st, struct store_message *m, time_t now)
{
	sqlite3_stmt *s = stmt(st, S_MSG_INSERT);

	if (!s)
		return -1;
	bind_text(s, 1, m->message_id);
	bind_text(s, 2, m->recipient);
	bind_text(s, 3, m->rcpt);
	bind_text(s, 4, m->subject);
	sqlite3_bind_blob(s, 5, m->body, (int)m->body_len, SQLITE_TRANSIENT);
	bind_text(s, 6, m->kind);
	sqlite3_bind_int64(s, 7, now);
	if (run(st, s, "message") < 0)
		return -1;
	m->id = sqlite3_last_insert_rowid(st->db);
	m->state = MSG_QUEUED;
	m->next_attempt = m->created_at = now;
	return 0;
}

/* A savepoint, so queueing works inside or outside a caller's transaction. */
int store_message_queue(struct store *st, struct store_message *m, const struct store_note *notes,
                        size_t n, time_t now, bool *queued)
{
	int fresh = 0;

	*queued = false;
	if (exec(st, "SAVEPOINT queue", "savepoint") < 0)
		return -1;
	if (insert_message(st, m, now) < 0)
		goto undo;
	for (size_t i = 0; i < n; i++) {
		int r = insert_note(st, &notes[i], m->id, NOTE_QUEUED, now);
		if (r < 0)
			goto undo;
		fresh += r;
	}
	/* Every step it carries was already recorded: nothing new to send. */
	if (n > 0 && fresh == 0) {
		exec(st, "ROLLBACK TO queue; RELEASE queue", "rollback");
		return 0;
	}
	*queued = true;
	return exec(st, "RELEASE queue", "release");
undo : {
	char saved[sizeof(st->err)];
	memcpy(saved, st->err, sizeof(saved));
	exec(st, "ROLLBACK TO queue; RELEASE queue", "rollback");
	memcpy(st->err, saved, sizeof(saved));
	return -1;
}
}

int store_message_result(struct store *st, int64_t id, enum store_msg_state state,
                         const char *error, time_t next_attempt, time_t now)
{
	static const char *const note_state_for[] = {"queued", "sent", "failed", "sent"};
	sqlite3_stmt *s = stmt(st, S_MSG_RESULT);

	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	bind_text(s, 2, msg_states[state]);
	bind_text(s, 3, error);
	bind_time(s, 4, state == MSG_QUEUED ? next_attempt : TF_NONE);
	sqlite3_bind_int64(s, 5, now);
	if (run(st, s, "result") < 0 || !(s = stmt(st, S_MSG_NOTES)))
		return -1;
	sqlite3_bind_int64(s, 1, id);
	bind_text(s, 2, note_state_for[state]);
	return run(st, s, "notes");
}

static int int64_query(struct store *st, const char *query, int64_t a, int64_t b, int64_t *out)
{
	sqlite3_stmt *s;

	*out = 0;
	if (sqlite3_prepare_v2(st->db, query, -1, &s, NULL) != SQLITE_OK)
		return fail(st, "prune");
	sqlite3_bind_int64(s, 1, a);
	sqlite3_bind_int64(s, 2, b);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : fail(st, "prune");
}

/*
 * Messages are pruned in id order from a watermark, so a daily run reads
 * only what was written since the last one, whatever the years of history.
 * A message still queued stops the watermark until it is sent or failed.
 */
int store_prune_bodies(struct store *st, time_t before, int64_t *pruned)
{
	char value[32];
	int64_t mark, hi, blocked;

	*pruned = 0;
	if (store_meta_get(st, "pruned_through", value, sizeof(value)) < 0)
		return -1;
	mark = strtoll(value, NULL, 10);
	if (int64_query(st, "SELECT MAX(id) FROM messages WHERE id > ?1 AND created_at < ?2", mark,
	                before, &hi) < 0 ||
	    int64_query(st,
	                "SELECT MIN(id) FROM messages WHERE id > ?1 AND id <= ?2"
	                " AND state = 'queued'",
	                mark, hi, &blocked) < 0)
		return -1;
	int64_t upto = blocked ? blocked - 1 : hi;
	if (upto <= mark)
		return 0;
	if (run_update(st, "UPDATE messages SET body = X'' WHERE id > ?1 AND id <= ?2", mark,
	               upto) < 0)
		return -1;
	*pruned = sqlite3_changes(st->db);
	snprintf(value, sizeof(value), "%lld", (long long)upto);
	return store_meta_set(st, "pruned_through", value);
}

int store_rcpt_failure(struct store *st, int64_t id, const char *address, int code,
                       const char *text, time_t now)
{
	sqlite3_stmt *s = stmt(st, S_RCPT_FAIL);

	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	bind_text(s, 2, address);
	sqlite3_bind_int(s, 3, code);
	bind_text(s, 4, text);
	sqlite3_bind_int64(s, 5, now);
	return run(st, s, "recipient failure");
}

static enum store_msg_state msg_state_of(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (s && !strcmp(s, msg_states[i]))
			return (enum store_msg_state)i;
	return MSG_QUEUED;
}

static void read_message_row(sqlite3_stmt *s, struct store_message *m)
{
	memset(m, 0, sizeof(*m));
	m->id = sqlite3_column_int64(s, 0);
	m->message_id = col_text(s, 1);
	m->recipient = col_text(s, 2);
	m->rcpt = col_text(s, 3);
	m->subject = col_text(s, 4);
	m->kind = col_text(s, 5);
	m->state = msg_state_of((const char *)sqlite3_column_text(s, 6));
	m->attempts = sqlite3_column_int(s, 7);
	m->next_attempt = col_time(s, 8);
	m->created_at = col_time(s, 9);
	m->sent_at = col_time(s, 10);
	m->last_error = col_text(s, 11);
	m->delivered_to = col_text(s, 12);
	m->refused = sqlite3_column_int(s, 13);
	m->resend_of = sqlite3_column_int64(s, 14);
}

/* Column i is the body: a BLOB, CRLF text kept byte for byte. */
static void read_body(sqlite3_stmt *s, int i, struct store_message *m)
{
	const void *blob = sqlite3_column_blob(s, i);

	m->body_len = (size_t)sqlite3_column_bytes(s, i);
	m->body = xmalloc(m->body_len + 1);
	if (m->body_len)
		memcpy(m->body, blob, m->body_len);
	m->body[m->body_len] = '\0';
}

int store_message_get(struct store *st, int64_t id, struct store_message *m)
{
	sqlite3_stmt *s = stmt(st, S_MSG_GET);

	memset(m, 0, sizeof(*m));
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		read_message_row(s, m);
		read_body(s, 15, m);
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : fail(st, "message");
}

static int count(struct store *st, const char *query, int64_t *out);

/* Runs a query of message ids and calls cb with each message. */
static int each_message(struct store *st, sqlite3_stmt *s, store_msg_cb cb, void *arg)
{
	int64_t *ids = NULL;
	size_t n = 0;
	int rc, r = 0;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		ids = xrealloc(ids, (n + 1) * sizeof(*ids));
		ids[n++] = sqlite3_column_int64(s, 0);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		free(ids);
		return fail(st, "messages");
	}
	for (size_t i = 0; i < n && r == 0; i++) {
		struct store_message m;
		if (store_message_get(st, ids[i], &m) == 1)
			r = cb(&m, arg);
		store_message_free(&m);
	}
	free(ids);
	return r;
}

int store_messages_due(struct store *st, time_t now, int limit, store_msg_cb cb, void *arg)
{
	sqlite3_stmt *s = stmt(st, S_MSG_DUE);

	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, now);
	sqlite3_bind_int(s, 2, limit);
	return each_message(st, s, cb, arg);
}

static int run_update(struct store *st, const char *query, int64_t a, int64_t b)
{
	sqlite3_stmt *s;

	if (sqlite3_prepare_v2(st->db, query, -1, &s, NULL) != SQLITE_OK)
		return fail(st, "messages");
	sqlite3_bind_int64(s, 1, a);
	sqlite3_bind_int64(s, 2, b);
	int r = run(st, s, "messages");
	sqlite3_finalize(s);
	return r;
}

int store_message_lease(struct store *st, int64_t id, time_t until)
{
	return run_update(st,
	                  "UPDATE messages SET next_attempt = ?2"
	                  " WHERE id = ?1 AND state = 'queued'",
	                  id, until);
}

int store_messages_release(struct store *st, time_t now)
{
	return run_update(st,
	                  "UPDATE messages SET next_attempt = ?1"
	                  " WHERE state = 'queued' AND next_attempt > ?1 AND ?2 = ?2",
	                  now, 0);
}

int store_message_progress(struct store *st, int64_t id, const char *rcpt, const char *delivered_to)
{
	sqlite3_stmt *s;

	if (sqlite3_prepare_v2(st->db,
	                       "UPDATE messages SET rcpt = ?2, delivered_to = ?3 WHERE id = ?1", -1,
	                       &s, NULL) != SQLITE_OK)
		return fail(st, "messages");
	sqlite3_bind_int64(s, 1, id);
	bind_text(s, 2, rcpt);
	bind_text(s, 3, delivered_to);
	int r = run(st, s, "messages");
	sqlite3_finalize(s);
	return r;
}

int store_failures_count(struct store *st, int64_t *n)
{
	return count(st,
	             "SELECT COUNT(*) FROM messages WHERE state IN ('failed', 'partial')"
	             " AND reported = 0",
	             n);
}

int store_failures_reported(struct store *st)
{
	return exec(st,
	            "UPDATE messages SET reported = 1 WHERE state IN ('failed', 'partial')"
	            " AND reported = 0",
	            "failures");
}

int store_next_retry(struct store *st, time_t *at)
{
	return min_time(st, S_MSG_RETRY, at);
}

int store_failures_unreported(struct store *st, store_msg_cb cb, void *arg)
{
	sqlite3_stmt *s;

	if (sqlite3_prepare_v2(st->db,
	                       "SELECT id FROM messages WHERE state IN ('failed', 'partial')"
	                       " AND reported = 0 ORDER BY id",
	                       -1, &s, NULL) != SQLITE_OK)
		return fail(st, "failures");
	int r = each_message(st, s, cb, arg);
	sqlite3_finalize(s);
	return r;
}

int store_retrying(struct store *st, store_msg_cb cb, void *arg)
{
	sqlite3_stmt *s;

	if (sqlite3_prepare_v2(st->db,
	                       "SELECT id FROM messages WHERE state = 'queued' AND attempts > 0"
	                       " ORDER BY id",
	                       -1, &s, NULL) != SQLITE_OK)
		return fail(st, "retrying");
	int r = each_message(st, s, cb, arg);
	sqlite3_finalize(s);
	return r;
}

int store_failed_notes(struct store *st, time_t since, store_failed_cb cb, void *arg)
{
	sqlite3_stmt *s;
	int rc, r = 0;

	if (sqlite3_prepare_v2(st->db,
	                       "SELECT agency, COUNT(*) FROM notifications"
	                       " WHERE state = 'failed' AND created_at > ?1 AND message IS NULL"
	                       " GROUP BY agency ORDER BY agency",
	                       -1, &s, NULL) != SQLITE_OK)
		return fail(st, "failed notes");
	sqlite3_bind_int64(s, 1, since);
	while (r == 0 && (rc = sqlite3_step(s)) == SQLITE_ROW)
		r = cb((const char *)sqlite3_column_text(s, 0), sqlite3_column_int64(s, 1), arg);
	if (r == 0 && rc != SQLITE_DONE)
		r = fail(st, "failed notes");
	sqlite3_finalize(s);
	return r;
}

/* ---- reports ------------------------------------------------------------ */

static int count(struct store *st, const char *query, int64_t *out)
{
	sqlite3_stmt *s;

	if (sqlite3_prepare_v2(st->db, query, -1, &s, NULL) != SQLITE_OK)
		return fail(st, "count");
	*out = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_finalize(s);
	return 0;
}

/* The SQL below counts the flags an admin must look at. */
_Static_assert(TASK_FLAGS_CHECK == 39, "store_stats: update 'flags & 39'");

int store_stats(struct store *st, struct store_stats *out)
{
	const struct {
		const char *query;
		int64_t *to;
	} q[] = {
	    {"SELECT COUNT(*) FROM plans", &out->plans},
	    {"SELECT COUNT(*) FROM tasks", &out->tasks},
	    {"SELECT COUNT(*) FROM tasks WHERE status NOT IN ('done', 'cancelled', 'removed')",
	     &out->tasks_open},
	    {"SELECT COUNT(*) FROM tasks WHERE flags & 39", &out->tasks_flagged},
	    {"SELECT COUNT(*) FROM occurrences", &out->occurrences},
	    {"SELECT COUNT(*) FROM occurrences WHERE status NOT IN ('done', 'cancelled', "
	     "'removed', 'missed')",
	     &out->occurrences_open},
	    /* Kept by triggers: years of mail cost nothing here. */
	    {"SELECT COALESCE(SUM(n), 0) FROM msg_counts WHERE state = 'queued'", &out->queued},
	    {"SELECT COALESCE(SUM(n), 0) FROM msg_counts WHERE state = 'sent'", &out->sent},
	    {"SELECT COALESCE(SUM(n), 0) FROM msg_counts WHERE state = 'failed'", &out->failed},
	    {"SELECT COALESCE(SUM(n), 0) FROM msg_counts WHERE state = 'partial'", &out->partial},
	    {"SELECT COUNT(*) FROM notifications", &out->notes},
	};

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < UTIL_NELEM(q); i++)
		if (count(st, q[i].query, q[i].to) < 0)
			return -1;
	return 0;
}

int store_unresolved(struct store *st, store_unresolved_cb cb, void *arg)
{
	sqlite3_stmt *s;
	int r = 0;

	if (sqlite3_prepare_v2(st->db,
	                       "SELECT a.agency, t.plan_id, t.key, t.source_file, t.source_line"
	                       " FROM assignments a JOIN tasks t ON t.id = a.task_id"
	                       " WHERE a.resolved = 0 AND t.status != 'removed'"
	                       " ORDER BY a.agency, t.plan_id, t.id",
	                       -1, &s, NULL) != SQLITE_OK)
		return fail(st, "unresolved");
	while (r == 0 && sqlite3_step(s) == SQLITE_ROW)
		r = cb((const char *)sqlite3_column_text(s, 0),
		       (const char *)sqlite3_column_text(s, 1),
		       (const char *)sqlite3_column_text(s, 2),
		       (const char *)sqlite3_column_text(s, 3), sqlite3_column_int(s, 4), arg);
	sqlite3_finalize(s);
	return r;
}

/* ---- what deadlinectl shows ----------------------------------------------------------- */

/* An ad hoc statement: these queries run once per command, so they are not kept. */
static sqlite3_stmt *prepare(struct store *st, const char *query)
{
	sqlite3_stmt *s;

	if (sqlite3_prepare_v2(st->db, query, -1, &s, NULL) != SQLITE_OK) {
		fail(st, "prepare");
		return NULL;
	}
	return s;
}

/* Rows are read first, so the callback may use the store. */
int store_messages_find(struct store *st, const struct store_msg_filter *f, store_msg_cb cb,
                        void *arg)
{
	/* The latest `limit` rows, then oldest first; each filter is off when its value is. */
	sqlite3_stmt *s =
	    prepare(st, "SELECT * FROM (SELECT " MESSAGE_COLUMNS ", CASE WHEN ?7 THEN m.body END"
	                " FROM messages m"
	                " WHERE (?1 = 0 OR m.id = ?1) AND (?2 IS NULL OR m.recipient = ?2)"
	                " AND (?3 = 0 OR EXISTS (SELECT 1 FROM notifications n"
	                "  JOIN occurrences o ON o.id = n.occurrence_id"
	                "  WHERE n.message = m.id AND o.task_id = ?3))"
	                " AND m.created_at >= ?4"
	                " AND (?5 = 0 OR m.state IN ('failed', 'partial')"
	                "  OR (m.state = 'queued' AND m.last_error IS NOT NULL))"
	                " ORDER BY m.id DESC LIMIT ?6) ORDER BY id");
	struct store_message *v = NULL;
	size_t n = 0, cap = 0;
	int rc, r = 0;

	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, f->id);
	bind_text(s, 2, f->agency);
	sqlite3_bind_int64(s, 3, f->task_id);
	sqlite3_bind_int64(s, 4, f->since == TF_NONE ? 0 : (sqlite3_int64)f->since);
	sqlite3_bind_int(s, 5, f->failed);
	sqlite3_bind_int(s, 6, f->limit > 0 ? f->limit : -1);
	sqlite3_bind_int(s, 7, f->bodies);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (n == cap)
			v = xrealloc(v, (cap = cap ? 2 * cap : 64) * sizeof(*v));
		read_message_row(s, &v[n]);
		if (f->bodies)
			read_body(s, 15, &v[n]);
		n++;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		r = fail(st, "messages");
	for (size_t i = 0; i < n; i++) {
		if (r == 0)
			r = cb(&v[i], arg);
		store_message_free(&v[i]);
	}
	free(v);
	return r;
}

int store_message_resend(struct store *st, int64_t id, const char *message_id, const char *rcpt,
                         const char *body, size_t body_len, time_t now, int64_t *new_id)
{
	sqlite3_stmt *s = prepare(
	    st, "INSERT INTO messages (message_id, recipient, rcpt, subject, body, kind, state,"
	        " next_attempt, created_at, resend_of)"
	        " SELECT ?2, recipient, ?3, subject, ?4, kind, 'queued', ?5, ?5, id"
	        " FROM messages WHERE id = ?1");
	int r;

	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	bind_text(s, 2, message_id);
	bind_text(s, 3, rcpt);
	sqlite3_bind_blob(s, 4, body, (int)body_len, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 5, now);
	r = run(st, s, "resend");
	sqlite3_finalize(s);
	if (r < 0)
		return -1;
	if (sqlite3_changes(st->db) == 0) {
		snprintf(st->err, sizeof(st->err), "resend: no message %lld", (long long)id);
		return -1;
	}
	*new_id = sqlite3_last_insert_rowid(st->db);
	if (!(s = prepare(st, "INSERT INTO history (task_id, at, what, detail)"
	                      " SELECT DISTINCT o.task_id, ?3, 'resend',"
	                      " 'message ' || ?1 || ' queued again as message ' || ?2"
	                      " FROM notifications n JOIN occurrences o ON o.id = n.occurrence_id"
	                      " WHERE n.message = ?1")))
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, *new_id);
	sqlite3_bind_int64(s, 3, now);
	r = run(st, s, "resend history");
	sqlite3_finalize(s);
	return r;
}

int store_message_refusals(struct store *st, int64_t id, store_refusal_cb cb, void *arg)
{
	sqlite3_stmt *s = prepare(st, "SELECT address, code, text, at FROM rcpt_failures"
	                              " WHERE message = ?1 ORDER BY rowid");
	int rc, r = 0;

	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	while (r == 0 && (rc = sqlite3_step(s)) == SQLITE_ROW)
		r = cb((const char *)sqlite3_column_text(s, 0), sqlite3_column_int(s, 1),
		       (const char *)sqlite3_column_text(s, 2), col_time(s, 3), arg);
	if (r == 0 && rc != SQLITE_DONE)
		r = fail(st, "refusals");
	sqlite3_finalize(s);
	return r;
}

/* Streams ledger rows joined to their occurrence, task and message. */
static int note_views(struct store *st, const char *where, int64_t key, store_note_view_cb cb,
                      void *arg)
{
	char query[1024];
	int rc, r = 0;

	snprintf(query, sizeof(query),
	         "SELECT n.occurrence_id, n.agency, n.step, n.kind, n.planned_at, n.state,"
	         " n.message, o.task_id, t.plan_id, t.key, o.due, m.message_id, m.state,"
	         " m.sent_at, m.last_error FROM notifications n"
	         " JOIN occurrences o ON o.id = n.occurrence_id JOIN tasks t ON t.id = o.task_id"
	         " LEFT JOIN messages m ON m.id = n.message WHERE %s"
	         " ORDER BY o.due, n.planned_at, n.agency, n.step",
	         where);
	sqlite3_stmt *s = prepare(st, query);
	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, key);
	while (r == 0 && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_note_view v = {.note.occurrence_id = sqlite3_column_int64(s, 0)};
		util_strlcpy(v.note.agency, (const char *)sqlite3_column_text(s, 1),
		             sizeof(v.note.agency));
		util_strlcpy(v.note.step, (const char *)sqlite3_column_text(s, 2),
		             sizeof(v.note.step));
		util_strlcpy(v.note.kind, (const char *)sqlite3_column_text(s, 3),
		             sizeof(v.note.kind));
		v.note.planned_at = col_time(s, 4);
		v.note.state = note_state_of((const char *)sqlite3_column_text(s, 5));
		v.note.message = sqlite3_column_int64(s, 6);
		v.task_id = sqlite3_column_int64(s, 7);
		v.plan_id = (const char *)sqlite3_column_text(s, 8);
		v.task_key = (const char *)sqlite3_column_text(s, 9);
		v.due = col_time(s, 10);
		v.message_id = (const char *)sqlite3_column_text(s, 11);
		v.msg_state = msg_state_of((const char *)sqlite3_column_text(s, 12));
		v.sent_at = col_time(s, 13);
		v.msg_error = (const char *)sqlite3_column_text(s, 14);
		r = cb(&v, arg);
	}
	if (r == 0 && rc != SQLITE_DONE)
		r = fail(st, "notifications");
	sqlite3_finalize(s);
	return r;
}

int store_task_notes(struct store *st, int64_t task_id, store_note_view_cb cb, void *arg)
{
	return note_views(st, "o.task_id = ?1", task_id, cb, arg);
}

int store_message_notes(struct store *st, int64_t message, store_note_view_cb cb, void *arg)
{
	return note_views(st, "n.message = ?1", message, cb, arg);
}

int store_history(struct store *st, int64_t task_id, store_history_cb cb, void *arg)
{
	sqlite3_stmt *s =
	    prepare(st, "SELECT at, what, detail FROM history WHERE task_id = ?1 ORDER BY at, id");
	int rc, r = 0;

	if (!s)
		return -1;
	sqlite3_bind_int64(s, 1, task_id);
	while (r == 0 && (rc = sqlite3_step(s)) == SQLITE_ROW)
		r = cb(col_time(s, 0), (const char *)sqlite3_column_text(s, 1),
		       (const char *)sqlite3_column_text(s, 2), arg);
	if (r == 0 && rc != SQLITE_DONE)
		r = fail(st, "history");
	sqlite3_finalize(s);
	return r;
}

/* ---- the inbox ------------------------------------------------------------ */

/*
 * The inbox's queries run a few times per message that arrives: prepared
 * per call, bound by a format ('s' text or NULL, 'i' integer, 'I' integer
 * with 0 as NULL, 't' a time with TF_NONE as NULL).
 */
static sqlite3_stmt *prepf(struct store *st, const char *query, const char *fmt, va_list ap)
{
	sqlite3_stmt *s;

	if (sqlite3_prepare_v2(st->db, query, -1, &s, NULL) != SQLITE_OK) {
		fail(st, "inbox");
		return NULL;
	}
	for (int i = 1; *fmt; fmt++, i++) {
		int64_t v;
		switch (*fmt) {
		case 's':
			bind_text(s, i, va_arg(ap, const char *));
			break;
		case 't':
			bind_time(s, i, va_arg(ap, time_t));
			break;
		default:
			v = va_arg(ap, int64_t);
			if (*fmt == 'I' && v == 0)
				sqlite3_bind_null(s, i);
			else
				sqlite3_bind_int64(s, i, v);
		}
	}
	return s;
}

/* Runs a statement that returns no rows. */
static int execf(struct store *st, const char *query, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sqlite3_stmt *s = prepf(st, query, fmt, ap);
	va_end(ap);
	if (!s)
		return -1;
	int r = run(st, s, "inbox");
	sqlite3_finalize(s);
	return r;
}

/* Runs a query; row() is called for each row. Returns 0, -1, or row()'s verdict. */
static int queryf(struct store *st, int (*row)(sqlite3_stmt *, void *), void *arg,
                  const char *query, const char *fmt, ...)
{
	va_list ap;
	int rc, r = 0;

	va_start(ap, fmt);
	sqlite3_stmt *s = prepf(st, query, fmt, ap);
	va_end(ap);
	if (!s)
		return -1;
	while (r == 0 && (rc = sqlite3_step(s)) == SQLITE_ROW)
		r = row(s, arg);
	if (r == 0 && rc != SQLITE_DONE)
		r = fail(st, "inbox");
	sqlite3_finalize(s);
	return r;
}

static int first_id(sqlite3_stmt *s, void *arg)
{
	*(int64_t *)arg = sqlite3_column_int64(s, 0);
	return 1;
}

/* 1 and *id when the query has a row, 0 when not, -1 on error. */
static int find_id(struct store *st, int64_t *id, const char *query, const char *a, const char *b)
{
	int r = queryf(st, first_id, id, query, b ? "ss" : "s", a, b);

	return r < 0 ? -1 : r;
}

static int64_t col_id(sqlite3_stmt *s, int i)
{
	return sqlite3_column_type(s, i) == SQLITE_NULL ? 0 : sqlite3_column_int64(s, i);
}

static int message_where(struct store *st, const char *where, const char *value,
                         struct store_message *out)
{
	char query[160];
	int64_t id;

	memset(out, 0, sizeof(*out));
	snprintf(query, sizeof(query), "SELECT id FROM messages WHERE %s LIMIT 1", where);
	int r = find_id(st, &id, query, value, NULL);
	return r == 1 ? store_message_get(st, id, out) : r;
}

int store_message_by_ref(struct store *st, const char *ref, struct store_message *out)
{
	return message_where(st, "substr(message_id, instr(message_id, '@') - 16, 16) = ?1", ref,
	                     out);
}

int store_message_by_msgid(struct store *st, const char *msgid, struct store_message *out)
{
	return message_where(st, "message_id = ?1", msgid, out);
}

struct pair_rows {
	int64_t *a, *b;
	size_t n;
};

static int pair_row(sqlite3_stmt *s, void *arg)
{
	struct pair_rows *r = arg;

	r->a = xrealloc(r->a, (r->n + 1) * sizeof(*r->a));
	r->b = xrealloc(r->b, (r->n + 1) * sizeof(*r->b));
	r->a[r->n] = sqlite3_column_int64(s, 0);
	r->b[r->n++] = sqlite3_column_int64(s, 1);
	return 0;
}

int store_message_tasks(struct store *st, int64_t message, int64_t **task_ids,
                        int64_t **occurrence_ids, size_t *n)
{
	struct pair_rows r = {0};
	int rc = queryf(st, pair_row, &r,
	                "SELECT o.task_id, MIN(o.id) FROM notifications n"
	                " JOIN occurrences o ON o.id = n.occurrence_id WHERE n.message = ?1"
	                " GROUP BY o.task_id ORDER BY o.task_id",
	                "i", message);

	*task_ids = r.a;
	*occurrence_ids = r.b;
	*n = r.n;
	return rc;
}

/* -- inbound -- */

#define INBOUND_COLS                                                                               \
	"id, received_at, source, message_id, hash, from_addr, from_name, subject, agency,"        \
	" message, matched_by, kind, state, reason, text, answer, answer_kind, decided_by,"        \
	" decided_at"

static void read_inbound(sqlite3_stmt *s, struct store_inbound *in)
{
	char **text[] = {&in->source,    &in->message_id, &in->hash,  &in->from_addr,
	                 &in->from_name, &in->subject,    &in->agency};
	char **more[] = {&in->matched_by, &in->kind, &in->state, &in->reason, &in->text};

	memset(in, 0, sizeof(*in));
	in->id = sqlite3_column_int64(s, 0);
	in->received_at = col_time(s, 1);
	for (size_t i = 0; i < UTIL_NELEM(text); i++)
		*text[i] = col_text(s, 2 + (int)i);
	in->message = col_id(s, 9);
	for (size_t i = 0; i < UTIL_NELEM(more); i++)
		*more[i] = col_text(s, 10 + (int)i);
	in->answer = col_id(s, 15);
	in->answer_kind = col_text(s, 16);
	in->decided_by = col_text(s, 17);
	in->decided_at = col_time(s, 18);
}

void store_inbound_free(struct store_inbound *in)
{
	char *v[] = {in->source,  in->message_id, in->hash,        in->from_addr, in->from_name,
	             in->subject, in->agency,     in->matched_by,  in->kind,      in->state,
	             in->reason,  in->text,       in->answer_kind, in->decided_by};

	for (size_t i = 0; i < UTIL_NELEM(v); i++)
		free(v[i]);
	memset(in, 0, sizeof(*in));
}

int store_inbound_find(struct store *st, const char *message_id, const char *hash, int64_t *id)
{
	return find_id(st, id, "SELECT id FROM inbound WHERE message_id = ?1 AND hash = ?2",
	               message_id, hash);
}

int store_inbound_by_msgid(struct store *st, const char *message_id, int64_t *id)
{
	return find_id(st, id, "SELECT id FROM inbound WHERE message_id = ?1 ORDER BY id LIMIT 1",
	               message_id, NULL);
}

int store_inbound_add(struct store *st, struct store_inbound *in)
{
	if (execf(st,
	          "INSERT INTO inbound (received_at, source, message_id, hash, from_addr,"
	          " from_name, subject, agency, message, matched_by, kind, state, reason, text)"
	          " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
	          "tsssssssIsssss", in->received_at, in->source, in->message_id, in->hash,
	          in->from_addr, in->from_name, in->subject, in->agency, in->message,
	          in->matched_by, in->kind, in->state, in->reason, in->text) < 0)
		return -1;
	in->id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

static int inbound_row(sqlite3_stmt *s, void *arg)
{
	read_inbound(s, arg);
	return 1;
}

int store_inbound_get(struct store *st, int64_t id, struct store_inbound *out)
{
	memset(out, 0, sizeof(*out));
	int r = queryf(st, inbound_row, out, "SELECT " INBOUND_COLS " FROM inbound WHERE id = ?1",
	               "i", id);
	return r < 0 ? -1 : r;
}

int store_inbound_decide(struct store *st, int64_t id, const char *state, const char *reason,
                         const char *who, time_t at)
{
	return execf(st,
	             "UPDATE inbound SET state = ?2, reason = COALESCE(?3, reason),"
	             " decided_by = COALESCE(?4, decided_by),"
	             " decided_at = CASE WHEN ?4 IS NULL THEN decided_at ELSE ?5 END WHERE id = ?1",
	             "isssi", id, state, reason, who, (int64_t)at);
}

int store_inbound_set_answer(struct store *st, int64_t id, int64_t message, const char *kind)
{
	return execf(st, "UPDATE inbound SET answer = ?2, answer_kind = ?3 WHERE id = ?1", "iIs",
	             id, message, kind);
}

int store_inbound_answered(struct store *st, const char *address, const char *kind, time_t since,
                           bool *yes)
{
	int64_t id;
	int r = queryf(st, first_id, &id,
	               "SELECT id FROM inbound WHERE from_addr = ?1 COLLATE NOCASE"
	               " AND answer_kind = ?2 AND received_at >= ?3 LIMIT 1",
	               "ssi", address, kind, (int64_t)since);

	*yes = r == 1;
	return r < 0 ? -1 : 0;
}

struct inbound_stream {
	store_inbound_cb cb;
	void *arg;
};

static int inbound_each(sqlite3_stmt *s, void *arg)
{
	struct inbound_stream *is = arg;
	struct store_inbound in;

	read_inbound(s, &in);
	int r = is->cb(&in, is->arg);
	store_inbound_free(&in);
	return r;
}

int store_inbound_list(struct store *st, const char *state, int limit, store_inbound_cb cb,
                       void *arg)
{
	struct inbound_stream is = {cb, arg};

	return queryf(st, inbound_each, &is,
	              "SELECT " INBOUND_COLS " FROM inbound WHERE ?1 IS NULL OR state = ?1"
	              " ORDER BY id DESC LIMIT ?2",
	              "si", state, (int64_t)limit);
}

static int count_row(sqlite3_stmt *s, void *arg)
{
	*(int64_t *)arg = sqlite3_column_int64(s, 0);
	return 0;
}

int store_inbound_count(struct store *st, const char *state, time_t since, int64_t *n)
{
	*n = 0;
	return queryf(st, count_row, n,
	              "SELECT COUNT(*) FROM inbound WHERE state = ?1 AND received_at >= ?2", "si",
	              state, (int64_t)since);
}

int store_level_set_later(struct store *st, int64_t task_id, int64_t occurrence_id, int64_t inbound,
                          time_t received_at, int64_t *later)
{
	*later = 0;
	int r = queryf(st, first_id, later,
	               "SELECT i.id FROM reply_commands c JOIN inbound i ON i.id = c.inbound"
	               " WHERE c.task_id = ?1 AND (?2 IS NULL OR c.occurrence_id = ?2)"
	               " AND c.state = 'applied' AND c.command <> 'extend' AND c.inbound <> ?3"
	               " AND (i.received_at > ?4 OR (i.received_at = ?4 AND i.id > ?3))"
	               " ORDER BY i.received_at DESC, i.id DESC LIMIT 1",
	               "iIit", task_id, occurrence_id, inbound, received_at);

	return r < 0 ? -1 : r;
}

int store_inbound_task(struct store *st, int64_t inbound, int64_t task_id, int64_t occurrence_id)
{
	return execf(st,
	             "INSERT OR IGNORE INTO inbound_tasks (inbound, task_id, occurrence_id)"
	             " VALUES (?1, ?2, ?3)",
	             "iiI", inbound, task_id, occurrence_id);
}

/* -- commands -- */

void store_reply_cmds_free(struct store_reply_cmd *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].line_text), free(v[i].item), free(v[i].command), free(v[i].note);
		free(v[i].reason), free(v[i].state), free(v[i].detail);
	}
	free(v);
}

int store_reply_cmd_add(struct store *st, struct store_reply_cmd *c)
{
	if (execf(st,
	          "INSERT INTO reply_commands (inbound, line, line_text, item, task_id,"
	          " occurrence_id, command, note, reason, new_due, state, detail)"
	          " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
	          "iissIIssstss", c->inbound, (int64_t)c->line, c->line_text, c->item, c->task_id,
	          c->occurrence_id, c->command, c->note, c->reason, c->new_due, c->state,
	          c->detail) < 0)
		return -1;
	c->id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

int store_reply_cmd_set_state(struct store *st, int64_t id, const char *state, const char *detail)
{
	return execf(st, "UPDATE reply_commands SET state = ?2, detail = ?3 WHERE id = ?1", "iss",
	             id, state, detail);
}

struct cmd_rows {
	struct store_reply_cmd *v;
	size_t n, cap;
};

static int cmd_row(sqlite3_stmt *s, void *arg)
{
	struct cmd_rows *r = arg;

	if (r->n == r->cap)
		r->v = xrealloc(r->v, (r->cap = r->cap ? r->cap * 2 : 8) * sizeof(*r->v));
	struct store_reply_cmd *c = &r->v[r->n++];
	c->id = sqlite3_column_int64(s, 0);
	c->inbound = sqlite3_column_int64(s, 1);
	c->line = sqlite3_column_int(s, 2);
	c->line_text = col_text(s, 3);
	c->item = col_text(s, 4);
	c->task_id = col_id(s, 5);
	c->occurrence_id = col_id(s, 6);
	c->command = col_text(s, 7);
	c->note = col_text(s, 8);
	c->reason = col_text(s, 9);
	c->new_due = col_time(s, 10);
	c->state = col_text(s, 11);
	c->detail = col_text(s, 12);
	return 0;
}

#define CMD_COLS                                                                                   \
	"id, inbound, line, line_text, item, task_id, occurrence_id, command, note, reason,"       \
	" new_due, state, detail"

int store_reply_cmds(struct store *st, int64_t inbound, struct store_reply_cmd **out, size_t *n)
{
	struct cmd_rows r = {0};
	int rc = queryf(st, cmd_row, &r,
	                "SELECT " CMD_COLS " FROM reply_commands WHERE inbound = ?1 ORDER BY id",
	                "i", inbound);

	*out = r.v;
	*n = r.n;
	return rc;
}

/* -- attachments -- */

void store_attachments_free(struct store_attachment *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].filename), free(v[i].path), free(v[i].content_type);
		free(v[i].sha256), free(v[i].refused);
	}
	free(v);
}

int store_attachment_add(struct store *st, struct store_attachment *a)
{
	if (execf(st,
	          "INSERT INTO attachments (inbound, filename, path, content_type, size, sha256,"
	          " refused) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	          "isssiss", a->inbound, a->filename, a->path, a->content_type, a->size, a->sha256,
	          a->refused) < 0)
		return -1;
	a->id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

struct att_rows {
	struct store_attachment *v;
	size_t n, cap;
};

static int att_row(sqlite3_stmt *s, void *arg)
{
	struct att_rows *r = arg;

	if (r->n == r->cap)
		r->v = xrealloc(r->v, (r->cap = r->cap ? r->cap * 2 : 4) * sizeof(*r->v));
	struct store_attachment *a = &r->v[r->n++];
	a->id = sqlite3_column_int64(s, 0);
	a->inbound = sqlite3_column_int64(s, 1);
	a->filename = col_text(s, 2);
	a->path = col_text(s, 3);
	a->content_type = col_text(s, 4);
	a->size = sqlite3_column_int64(s, 5);
	a->sha256 = col_text(s, 6);
	a->refused = col_text(s, 7);
	return 0;
}

int store_attachments(struct store *st, int64_t inbound, struct store_attachment **out, size_t *n)
{
	struct att_rows r = {0};
	int rc = queryf(st, att_row, &r,
	                "SELECT id, inbound, filename, path, content_type, size, sha256, refused"
	                " FROM attachments WHERE inbound = ?1 ORDER BY id",
	                "i", inbound);

	*out = r.v;
	*n = r.n;
	return rc;
}

struct id_rows {
	int64_t *v;
	size_t n;
};

static int id_row(sqlite3_stmt *s, void *arg)
{
	struct id_rows *r = arg;

	r->v = xrealloc(r->v, (r->n + 1) * sizeof(*r->v));
	r->v[r->n++] = sqlite3_column_int64(s, 0);
	return 0;
}

int store_task_replies(struct store *st, int64_t task_id, store_task_reply_cb cb, void *arg)
{
	struct id_rows ids = {0};
	int r = queryf(st, id_row, &ids,
	               "SELECT inbound FROM inbound_tasks WHERE task_id = ?1 UNION"
	               " SELECT inbound FROM reply_commands WHERE task_id = ?1 ORDER BY 1 DESC",
	               "i", task_id);

	for (size_t i = 0; i < ids.n && r == 0; i++) {
		struct store_inbound in;
		struct cmd_rows cmds = {0};
		struct store_attachment *atts = NULL;
		size_t n_atts = 0;
		if (store_inbound_get(st, ids.v[i], &in) != 1)
			continue;
		r = queryf(st, cmd_row, &cmds,
		           "SELECT " CMD_COLS " FROM reply_commands WHERE inbound = ?1"
		           " AND (task_id = ?2 OR task_id IS NULL) ORDER BY id",
		           "ii", ids.v[i], task_id);
		if (r == 0)
			r = store_attachments(st, ids.v[i], &atts, &n_atts);
		if (r == 0)
			r = cb(&in, cmds.v, cmds.n, atts, n_atts, arg);
		store_reply_cmds_free(cmds.v, cmds.n);
		store_attachments_free(atts, n_atts);
		store_inbound_free(&in);
	}
	free(ids.v);
	return r;
}

/* -- extension requests -- */

void store_extension_free(struct store_extension *e)
{
	free(e->agency), free(e->reason), free(e->state), free(e->decided_by), free(e->note);
	memset(e, 0, sizeof(*e));
}

int store_extension_add(struct store *st, struct store_extension *e)
{
	if (execf(st,
	          "INSERT INTO extension_requests (task_id, occurrence_id, inbound, agency,"
	          " requested_due, reason, created_at, state)"
	          " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'pending')",
	          "iIIstst", e->task_id, e->occurrence_id, e->inbound, e->agency, e->requested_due,
	          e->reason, e->created_at) < 0)
		return -1;
	e->id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

static int extension_row(sqlite3_stmt *s, void *arg)
{
	struct store_extension *e = arg;

	e->id = sqlite3_column_int64(s, 0);
	e->task_id = sqlite3_column_int64(s, 1);
	e->occurrence_id = col_id(s, 2);
	e->inbound = col_id(s, 3);
	e->agency = col_text(s, 4);
	e->requested_due = col_time(s, 5);
	e->reason = col_text(s, 6);
	e->created_at = col_time(s, 7);
	e->state = col_text(s, 8);
	e->decided_by = col_text(s, 9);
	e->decided_at = col_time(s, 10);
	e->note = col_text(s, 11);
	return 1;
}

int store_extension_pending(struct store *st, int64_t task_id, struct store_extension *out)
{
	memset(out, 0, sizeof(*out));
	int r = queryf(st, extension_row, out,
	               "SELECT id, task_id, occurrence_id, inbound, agency, requested_due, reason,"
	               " created_at, state, decided_by, decided_at, note FROM extension_requests"
	               " WHERE task_id = ?1 AND state = 'pending' ORDER BY id DESC LIMIT 1",
	               "i", task_id);
	return r < 0 ? -1 : r;
}

int store_extension_decide(struct store *st, int64_t id, const char *state, const char *who,
                           const char *note, time_t now)
{
	return execf(st,
	             "UPDATE extension_requests SET state = ?2, decided_by = ?3, note = ?4,"
	             " decided_at = ?5 WHERE id = ?1",
	             "isssi", id, state, who, note, (int64_t)now);
}

/* -- bad addresses -- */

int store_bad_address(struct store *st, const char *address, const char *agency, const char *status,
                      const char *diagnostic, int64_t inbound, time_t now)
{
	return execf(st,
	             "INSERT INTO bad_addresses (address, agency, status, diagnostic, inbound,"
	             " first_at, last_at) VALUES (lower(?1), ?2, ?3, ?4, ?5, ?6, ?6)"
	             " ON CONFLICT (address) DO UPDATE SET agency = COALESCE(excluded.agency,"
	             " agency), status = excluded.status, diagnostic = excluded.diagnostic,"
	             " inbound = excluded.inbound, last_at = excluded.last_at",
	             "ssssIi", address, agency, status, diagnostic, inbound, (int64_t)now);
}

int store_bad_addresses_count(struct store *st, int64_t *n)
{
	return count(st, "SELECT COUNT(*) FROM bad_addresses WHERE reported = 0", n);
}

struct bad_stream {
	store_bad_cb cb;
	void *arg;
};

static int bad_row(sqlite3_stmt *s, void *arg)
{
	struct bad_stream *b = arg;

	return b->cb((const char *)sqlite3_column_text(s, 0),
	             (const char *)sqlite3_column_text(s, 1),
	             (const char *)sqlite3_column_text(s, 2),
	             (const char *)sqlite3_column_text(s, 3), col_time(s, 4), b->arg);
}

int store_bad_addresses_unreported(struct store *st, store_bad_cb cb, void *arg)
{
	struct bad_stream b = {cb, arg};

	return queryf(st, bad_row, &b,
	              "SELECT address, agency, status, diagnostic, last_at FROM bad_addresses"
	              " WHERE reported = 0 ORDER BY address",
	              "");
}

int store_bad_addresses_reported(struct store *st)
{
	return exec(st, "UPDATE bad_addresses SET reported = 1 WHERE reported = 0",
	            "bad addresses");
}
