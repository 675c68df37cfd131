/*
 * Unit tests for store: the SQLite database behind the daemon. Every test
 * opens a real database file in a fresh temporary directory and removes it
 * afterwards. Expectations come from include/store.h; a second, raw sqlite3
 * connection looks at what actually reached the file.
 */
#include "check.h"

#include "date.h"
#include "store.h"
#include "task.h"

#include <errno.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A value no statement may take apart: quotes, semicolons, SQL, Vietnamese. */
#define HOSTILE "Sở Tư pháp'; DROP TABLE tasks; --"

/* ---- the temporary database --------------------------------------------- */

struct fx {
	char dir[PATH_MAX - 64];
	char path[PATH_MAX];
	struct store *st;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	const char *tmp = getenv("TMPDIR");
	char err[512] = "";

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "%s/deadlined-test-store.XXXXXX",
	         tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(f->dir)) {
		print_error("mkdtemp %s failed\n", f->dir);
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof(f->path), "%s/deadlined.db", f->dir);
	if (store_open(f->path, &f->st, err, sizeof(err)) != 0) {
		print_error("store_open %s: %s\n", f->path, err);
		rm_rf(f->dir);
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	if (f) {
		store_close(f->st);
		rm_rf(f->dir);
		free(f);
	}
	return 0;
}

/* ---- a second, raw connection ------------------------------------------- */

static sqlite3 *raw_open(const char *path)
{
	sqlite3 *db = NULL;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
		fail_msg("raw open %s: %s", path, db ? sqlite3_errmsg(db) : "no memory");
	sqlite3_busy_timeout(db, 5000);
	return db;
}

/* The first column of the first row of a query, as an integer. */
static long long raw_int(const char *path, const char *query)
{
	sqlite3 *db = raw_open(path);
	sqlite3_stmt *s;
	long long v = -999999;

	if (sqlite3_prepare_v2(db, query, -1, &s, NULL) != SQLITE_OK)
		fail_msg("raw query \"%s\": %s", query, sqlite3_errmsg(db));
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

/* The same as text (malloc'ed), or NULL for no row or NULL. */
static char *raw_text(const char *path, const char *query)
{
	sqlite3 *db = raw_open(path);
	sqlite3_stmt *s;
	char *v = NULL;

	if (sqlite3_prepare_v2(db, query, -1, &s, NULL) != SQLITE_OK)
		fail_msg("raw query \"%s\": %s", query, sqlite3_errmsg(db));
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
		v = strdup((const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

static long long raw_intf(const char *path, const char *fmt, long long arg)
{
	char q[512];

	snprintf(q, sizeof(q), fmt, arg);
	return raw_int(path, q);
}

static long long history_rows(const struct fx *f, int64_t task_id)
{
	return raw_intf(f->path, "SELECT COUNT(*) FROM history WHERE task_id = %lld",
	                (long long)task_id);
}

static long long message_rows(const struct fx *f)
{
	return raw_int(f->path, "SELECT COUNT(*) FROM messages");
}

/* ---- building blocks ---------------------------------------------------- */

static char *sdup(const char *s)
{
	return s ? strdup(s) : NULL;
}

static void add_plan(struct fx *f, const char *id, int first, int last)
{
	struct store_plan p = {.id = (char *)id,
	                       .title = (char *)"Kế hoạch chuyển đổi số",
	                       .issued = (char *)"2022-03-15",
	                       .monitor = (char *)"skhcn",
	                       .source = (char *)"seeds/plan.txt",
	                       .origin = (char *)"import",
	                       .first_year = first,
	                       .last_year = last};

	must(f->st, store_plan_upsert(f->st, &p, at(2025, 1, 2, 8, 0, 0)));
}

/* A one-off task due at the end of 30/06/2025, led by Sở Tư pháp. */
static void make_task(struct task *t, const char *plan, const char *key, const char *title)
{
	task_init(t);
	t->plan_id = sdup(plan);
	t->key = sdup(key);
	t->title = sdup(title);
	t->timeframe = sdup("Quý II/2025");
	t->kind = TF_ONCE;
	t->due = date_make(2025, 6, 30, 23, 59, 59, TZ);
	t->window_start = at(2025, 4, 1, 0, 0, 0);
	t->origin = sdup("import");
	task_add_agency(t, TASK_LEAD, "stp", "Sở Tư pháp", NULL, true);
}

/* Stores a task, expecting `want`; returns its id. */
static int64_t upsert(struct fx *f, struct task *t, enum store_change want)
{
	enum store_change change = (enum store_change) - 1;

	must(f->st, store_task_upsert(f->st, t, at(2025, 1, 3, 8, 0, 0), &change));
	check_int("store_task_upsert change (0 SAME, 1 NEW, 2 UPDATED)", change, want);
	if (t->id <= 0)
		fail_msg("store_task_upsert left t->id = %lld", (long long)t->id);
	return t->id;
}

static int64_t add_task(struct fx *f, const char *plan, const char *key, const char *title)
{
	struct task t;

	make_task(&t, plan, key, title);
	int64_t id = upsert(f, &t, STORE_NEW);
	task_free(&t);
	return id;
}

static void get_task(struct fx *f, int64_t id, struct task *out)
{
	int r = store_task_get(f->st, id, out);

	if (r != 1)
		fail_msg("store_task_get(%lld) = %d, want 1 (%s)", (long long)id, r,
		         store_error(f->st));
}

static struct store_note note(int64_t occ, const char *agency, const char *step, time_t planned)
{
	struct store_note n;

	memset(&n, 0, sizeof(n));
	n.occurrence_id = occ;
	snprintf(n.agency, sizeof(n.agency), "%s", agency);
	snprintf(n.step, sizeof(n.step), "%s", step);
	snprintf(n.kind, sizeof(n.kind), "%s", step[0] == 'r' ? "reminder" : "escalation");
	n.planned_at = planned;
	return n;
}

static struct store_message message(const char *msgid, const char *recipient)
{
	struct store_message m;
	static const char body[] = "Subject: =?UTF-8?B?eA==?=\r\n\r\nKính gửi\r\n";

	memset(&m, 0, sizeof(m));
	m.message_id = (char *)msgid;
	m.recipient = (char *)recipient;
	m.rcpt = (char *)"stp@quangngai.example\n";
	m.subject = (char *)"[Nhắc việc] Báo cáo năm";
	m.body = (char *)body;
	m.body_len = sizeof(body) - 1;
	m.kind = (char *)"reminder";
	return m;
}

/* Queues a message with notes; returns its id (0 when nothing was queued). */
static int64_t queue(struct fx *f, const char *msgid, const struct store_note *notes, size_t n,
                     time_t now, bool want_queued)
{
	struct store_message m = message(msgid, "stp");
	bool queued = !want_queued;

	must(f->st, store_message_queue(f->st, &m, notes, n, now, &queued));
	if (queued != want_queued)
		fail_msg("store_message_queue(%s, %zu notes): queued = %d, want %d", msgid, n,
		         queued, want_queued);
	return queued ? m.id : 0;
}

/* One ledger row by (agency, step); fails when absent. */
static struct store_note ledger_row(struct fx *f, int64_t occ, const char *agency, const char *step)
{
	struct store_note *rows = NULL, found;
	size_t n = 0;
	bool ok = false;

	must(f->st, store_ledger(f->st, occ, &rows, &n));
	for (size_t i = 0; i < n; i++)
		if (!strcmp(rows[i].agency, agency) && !strcmp(rows[i].step, step)) {
			found = rows[i];
			ok = true;
		}
	free(rows);
	if (!ok)
		fail_msg("ledger of occurrence %lld has no row (%s, %s)", (long long)occ, agency,
		         step);
	return found;
}

static size_t ledger_size(struct fx *f, int64_t occ)
{
	struct store_note *rows = NULL;
	size_t n = 0;

	must(f->st, store_ledger(f->st, occ, &rows, &n));
	free(rows);
	return n;
}

static int64_t add_occ(struct fx *f, int64_t task, time_t due)
{
	int64_t id = 0;

	must(f->st, store_occ_ensure(f->st, task, due, TF_NONE, &id, NULL));
	return id;
}

/* Collects occurrences from a callback. */
struct occ_list {
	struct store_occ v[32];
	size_t n;
};

static int collect_occ(const struct store_occ *o, void *arg)
{
	struct occ_list *l = arg;

	if (l->n < N_ELEMS(l->v))
		l->v[l->n++] = *o;
	return 0;
}

static struct store_occ occ_get(struct fx *f, int64_t task, int64_t occ)
{
	struct occ_list l = {.n = 0};

	must(f->st, store_occ_of_task(f->st, task, collect_occ, &l));
	for (size_t i = 0; i < l.n; i++)
		if (l.v[i].id == occ)
			return l.v[i];
	fail_msg("occurrence %lld of task %lld not found", (long long)occ, (long long)task);
	return l.v[0];
}

/* Collects message ids from a callback. */
struct id_list {
	int64_t v[32];
	size_t n;
};

static int collect_msg(const struct store_message *m, void *arg)
{
	struct id_list *l = arg;

	if (l->n < N_ELEMS(l->v))
		l->v[l->n++] = m->id;
	return 0;
}

static void check_ids(const char *what, const struct id_list *got, const int64_t *want, size_t n)
{
	char g[256] = "", w[256] = "";

	for (size_t i = 0; i < got->n; i++)
		snprintf(g + strlen(g), sizeof(g) - strlen(g), " %lld", (long long)got->v[i]);
	for (size_t i = 0; i < n; i++)
		snprintf(w + strlen(w), sizeof(w) - strlen(w), " %lld", (long long)want[i]);
	if (strcmp(g, w) != 0)
		fail_msg("%s: got [%s ], want [%s ]", what, g, w);
}

static struct id_list due_messages(struct fx *f, time_t now, int limit)
{
	struct id_list l = {.n = 0};

	must(f->st, store_messages_due(f->st, now, limit, collect_msg, &l));
	return l;
}

/* ---- schema ------------------------------------------------------------- */

static void test_open_creates_schema_wal_latest_version(void **state)
{
	struct fx *f = *state;
	struct store *again = NULL;
	char err[512] = "";

	/* Opening an existing database (a restart) is no error and changes nothing. */
	store_close(f->st);
	f->st = NULL;
	if (store_open(f->path, &again, err, sizeof(err)) != 0)
		fail_msg("reopening %s: %s", f->path, err);
	f->st = again;
	char *mode = raw_text(f->path, "PRAGMA journal_mode");
	check_str("journal_mode seen by a second connection", mode, "wal");
	free(mode);
	check_int("PRAGMA user_version", raw_int(f->path, "PRAGMA user_version"),
	          store_schema_version());
	static const char *const tables[] = {"meta",          "plans",
	                                     "tasks",         "assignments",
	                                     "occurrences",   "messages",
	                                     "notifications", "rcpt_failures",
	                                     "history",       "inbound",
	                                     "inbound_tasks", "reply_commands",
	                                     "attachments",   "extension_requests",
	                                     "bad_addresses", "msg_counts"};
	for (size_t i = 0; i < N_ELEMS(tables); i++) {
		char q[160];
		snprintf(q, sizeof(q),
		         "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '%s'",
		         tables[i]);
		if (raw_int(f->path, q) != 1)
			fail_msg("table %s missing after open", tables[i]);
	}
	/* A third open while the store is still open: a reader such as deadlinectl. */
	struct store *reader = NULL;
	if (store_open(f->path, &reader, err, sizeof(err)) != 0)
		fail_msg("second concurrent open: %s", err);
	store_close(reader);
	check_int("user_version after three opens", raw_int(f->path, "PRAGMA user_version"),
	          store_schema_version());
}

/* Foreign keys are on: a task needs its plan, an occurrence its task. */
static void test_foreign_keys_enforced(void **state)
{
	struct fx *f = *state;
	struct task t;
	enum store_change change;
	int64_t id = 0;

	make_task(&t, "NO-SUCH-PLAN", "k1", "Nhiệm vụ mồ côi");
	if (store_task_upsert(f->st, &t, at(2025, 1, 3, 8, 0, 0), &change) != -1)
		fail_msg("a task of an unknown plan was stored: foreign keys are off");
	if (!strstr(store_error(f->st), "FOREIGN KEY"))
		fail_msg("store_error after a foreign key violation: \"%s\"", store_error(f->st));
	task_free(&t);
	check_int("tasks after the refused insert", raw_int(f->path, "SELECT COUNT(*) FROM tasks"),
	          0);
	if (store_occ_ensure(f->st, 12345, at(2025, 6, 1, 0, 0, 0), TF_NONE, &id, NULL) != -1)
		fail_msg("an occurrence of an unknown task was stored: foreign keys are off");
}

/* A version 1 database (before partial delivery and reported failures) is upgraded in
 * place: failures older than the last admin summary count as reported, later ones not. */
static void test_migration_from_version_1(void **state)
{
	struct fx *f = *state;
	char path[PATH_MAX + 16], err[512] = "";
	struct store *st = NULL;
	sqlite3 *db = NULL;

	snprintf(path, sizeof(path), "%s/v1.db", f->dir);
	if (store_open(path, &st, err, sizeof(err)) != 0)
		fail_msg("creating %s: %s", path, err);
	store_close(st);
	st = NULL;
	static const char *const downgrade =
	    /* Version 6's columns, 5's counts and indexes, 4's tables (the inbox), 3's
	     * column, then 2's. */
	    "ALTER TABLE tasks DROP COLUMN status_before_removal;"
	    "ALTER TABLE occurrences DROP COLUMN status_before_removal;"
	    "DROP TRIGGER msg_counts_insert; DROP TRIGGER msg_counts_update;"
	    "DROP TRIGGER msg_counts_delete; DROP TABLE msg_counts;"
	    "DROP INDEX messages_unreported; DROP INDEX messages_recipient_at;"
	    "DROP INDEX notifications_pending; DROP INDEX notifications_failed;"
	    "DROP TABLE inbound_tasks; DROP TABLE reply_commands; DROP TABLE attachments;"
	    "DROP TABLE extension_requests; DROP TABLE bad_addresses; DROP TABLE inbound;"
	    "DROP INDEX messages_ref;"
	    "DROP INDEX messages_recipient;"
	    "ALTER TABLE messages DROP COLUMN resend_of;"
	    "ALTER TABLE messages DROP COLUMN delivered_to;"
	    "ALTER TABLE messages DROP COLUMN reported;"
	    "DROP INDEX rcpt_failures_message;"
	    "PRAGMA user_version = 1;"
	    "INSERT INTO meta VALUES ('admin_summary_at', '1000');"
	    "INSERT INTO messages (message_id, recipient, rcpt, subject, body, kind, state,"
	    " created_at, last_attempt) VALUES"
	    " ('old@x', 'stp', 'a@x', 's', x'00', 'reminder', 'failed', 900, 999),"
	    " ('new@x', 'stp', 'a@x', 's', x'00', 'reminder', 'partial', 900, 1000),"
	    " ('ok@x', 'stp', 'a@x', 's', x'00', 'reminder', 'sent', 900, 999);";
	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_exec(db, downgrade, NULL, NULL, NULL) != SQLITE_OK)
		fail_msg("making a version 1 database: %s", sqlite3_errmsg(db));
	sqlite3_close(db);

	if (store_open(path, &st, err, sizeof(err)) != 0)
		fail_msg("opening a version 1 database: %s", err);
	check_int("user_version after the upgrade", raw_int(path, "PRAGMA user_version"),
	          store_schema_version());
	check_int("message counts kept from the upgrade on",
	          raw_int(path, "SELECT n FROM msg_counts WHERE state = 'failed'"), 1);
	check_int("the index of refused recipients",
	          raw_int(path, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND"
	                        " name = 'rcpt_failures_message'"),
	          1);
	check_int("the failure before the summary is reported",
	          raw_int(path, "SELECT reported FROM messages WHERE message_id = 'old@x'"), 1);
	check_int("the one at the summary's second is not",
	          raw_int(path, "SELECT reported FROM messages WHERE message_id = 'new@x'"), 0);
	int64_t n = -1;
	must(st, store_failures_count(st, &n));
	check_int("unreported after the upgrade", n, 1);
	store_close(st);
}

static void test_newer_schema_refused(void **state)
{
	struct fx *f = *state;
	char path[PATH_MAX + 16], err[512] = "", sql[96], version[16];
	struct store *st = NULL;
	sqlite3 *db = NULL;
	/* One more than this program knows: what a newer deadlined would leave. */
	int newer = store_schema_version() + 1;

	snprintf(path, sizeof(path), "%s/future.db", f->dir);
	snprintf(sql, sizeof(sql), "CREATE TABLE x (y); PRAGMA user_version = %d;", newer);
	snprintf(version, sizeof(version), "%d", newer);
	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		fail_msg("making %s: %s", path, sqlite3_errmsg(db));
	sqlite3_close(db);

	if (store_open(path, &st, err, sizeof(err)) == 0) {
		store_close(st);
		fail_msg("a database with user_version %d was opened", newer);
	}
	if (!strstr(err, version) || !strstr(err, "newer"))
		fail_msg("error for a newer schema should name its version %d and say it is newer: "
		         "\"%s\"",
		         newer, err);
	check_int("user_version left untouched", raw_int(path, "PRAGMA user_version"), newer);
	check_int("no table created in it",
	          raw_int(path, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'tasks'"), 0);
}

static mode_t mode_of(const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0)
		fail_msg("stat %s: %s", path, strerror(errno));
	return st.st_mode & 07777;
}

/* A store is shared with the group its directory is shared with, never with others. */
static void test_files_are_never_readable_by_others(void **state)
{
	struct fx *f = *state;
	static const struct {
		mode_t dir, file;
	} cases[] = {{0700, 0600}, {0755, 0600}, {02770, 0660}, {0770, 0660}, {0775, 0660}};
	char dir[PATH_MAX], path[PATH_MAX + 32], err[512] = "";
	struct store *st = NULL;
	mode_t old = umask(0);

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		snprintf(dir, sizeof(dir), "%s/d%zu", f->dir, i);
		if (mkdir(dir, 0700) != 0 || chmod(dir, cases[i].dir) != 0)
			fail_msg("mkdir %s: %s", dir, strerror(errno));
		snprintf(path, sizeof(path), "%s/deadlined.db", dir);
		if (store_open(path, &st, err, sizeof(err)) != 0)
			fail_msg("store_open in a %04o directory: %s", (unsigned)cases[i].dir, err);
		static const char *const suffixes[] = {"", "-wal", "-shm"};
		for (size_t k = 0; k < N_ELEMS(suffixes); k++) {
			char name[PATH_MAX + 40], what[64];
			snprintf(name, sizeof(name), "%s%s", path, suffixes[k]);
			snprintf(what, sizeof(what), "db%s in a %04o directory", suffixes[k],
			         (unsigned)cases[i].dir);
			check_int(what, mode_of(name), cases[i].file);
		}
		store_close(st);
	}
	umask(old);

	/* SQLite alone makes 0644 (make run did): opening it takes others' access away. */
	sqlite3 *db = NULL;
	snprintf(path, sizeof(path), "%s/old.db", f->dir);
	old = umask(022);
	if (sqlite3_open(path, &db) != SQLITE_OK ||
	    sqlite3_exec(db, "CREATE TABLE x (y)", NULL, NULL, NULL) != SQLITE_OK)
		fail_msg("making %s: %s", path, sqlite3_errmsg(db));
	sqlite3_close(db);
	umask(old);
	check_int("SQLite's own mode", mode_of(path), 0644);
	if (store_open(path, &st, err, sizeof(err)) != 0)
		fail_msg("store_open %s: %s", path, err);
	store_close(st);
	check_int("an old store once opened", mode_of(path), 0640);
}

/* A copy while a writer holds the store: standalone, checked, never over a file. */
static void test_backup_is_a_checked_standalone_copy(void **state)
{
	struct fx *f = *state;
	char dest[PATH_MAX + 16], wal[PATH_MAX + 32], err[512] = "";

	snprintf(dest, sizeof(dest), "%s/copy.db", f->dir);
	snprintf(wal, sizeof(wal), "%s-wal", dest);
	must(f->st, store_meta_set(f->st, "planning_digest", "before"));
	must(f->st, store_begin(f->st));
	must(f->st, store_meta_set(f->st, "planning_digest", "uncommitted"));
	struct store *reader = NULL;
	if (store_open(f->path, &reader, err, sizeof(err)) != 0)
		fail_msg("a second connection: %s", err);
	if (store_backup(reader, dest, err, sizeof(err)) != 0)
		fail_msg("store_backup while another connection writes: %s", err);
	store_rollback(f->st);
	store_close(reader);

	char *v = raw_text(dest, "SELECT value FROM meta WHERE key = 'planning_digest'");
	check_str("the committed value, not the one in flight", v, "before");
	free(v);
	v = raw_text(dest, "PRAGMA journal_mode");
	check_str("the copy's journal mode", v, "delete");
	free(v);
	v = raw_text(dest, "PRAGMA integrity_check");
	check_str("the copy's integrity", v, "ok");
	free(v);
	check_int("no -wal beside the copy", access(wal, F_OK), -1);
	check_int("never readable by others", mode_of(dest) & 07, 0);

	if (store_backup(f->st, dest, err, sizeof(err)) == 0)
		fail_msg("a backup over an existing file succeeded");
	if (!strstr(err, dest) || !strstr(err, "exists"))
		fail_msg("the error should name the file and say it exists: \"%s\"", err);
	snprintf(dest, sizeof(dest), "%s/no/such/dir.db", f->dir);
	if (store_backup(f->st, dest, err, sizeof(err)) == 0 || !strstr(err, dest))
		fail_msg("a backup into a missing directory: \"%s\"", err);
}

static void test_meta_round_trip(void **state)
{
	struct fx *f = *state;
	char v[64] = "garbage";

	must(f->st, store_meta_get(f->st, "planning_digest", v, sizeof(v)));
	check_str("unset meta value", v, "");
	must(f->st, store_meta_set(f->st, "planning_digest", "0123456789abcdef"));
	must(f->st, store_meta_get(f->st, "planning_digest", v, sizeof(v)));
	check_str("meta value", v, "0123456789abcdef");
	must(f->st, store_meta_set(f->st, "planning_digest", "fedcba9876543210"));
	must(f->st, store_meta_get(f->st, "planning_digest", v, sizeof(v)));
	check_str("overwritten meta value", v, "fedcba9876543210");
}

/* ---- plans -------------------------------------------------------------- */

static void test_plan_upsert_keeps_old_values(void **state)
{
	struct fx *f = *state;
	struct store_plan got;

	add_plan(f, "906/QĐ-UBND", 2022, 2025);
	check_int("plan_get of an unknown plan", store_plan_get(f->st, "nope", &got), 0);
	store_plan_free(&got);

	/* An import that knows only the id: nothing else is lost. */
	struct store_plan bare = {.id = (char *)"906/QĐ-UBND"};
	must(f->st, store_plan_upsert(f->st, &bare, at(2025, 2, 1, 8, 0, 0)));
	check_int("plan_get", store_plan_get(f->st, "906/QĐ-UBND", &got), 1);
	check_str("id", got.id, "906/QĐ-UBND");
	check_str("title kept", got.title, "Kế hoạch chuyển đổi số");
	check_str("issued kept", got.issued, "2022-03-15");
	check_str("monitor kept", got.monitor, "skhcn");
	check_str("source kept", got.source, "seeds/plan.txt");
	check_str("origin", got.origin, "import");
	check_int("first_year kept", got.first_year, 2022);
	check_int("last_year kept", got.last_year, 2025);
	store_plan_free(&got);

	/* A value given replaces the old one. */
	struct store_plan newer = {.id = (char *)"906/QĐ-UBND",
	                           .title = (char *)"Kế hoạch phát triển kinh tế số",
	                           .monitor = (char *)"sttt",
	                           .last_year = 2030};
	must(f->st, store_plan_upsert(f->st, &newer, at(2025, 2, 2, 8, 0, 0)));
	check_int("plan_get", store_plan_get(f->st, "906/QĐ-UBND", &got), 1);
	check_str("new title", got.title, "Kế hoạch phát triển kinh tế số");
	check_str("new monitor", got.monitor, "sttt");
	check_str("issued still kept", got.issued, "2022-03-15");
	check_int("first_year still kept", got.first_year, 2022);
	check_int("new last_year", got.last_year, 2030);
	store_plan_free(&got);
	check_int("one plan row", raw_int(f->path, "SELECT COUNT(*) FROM plans"), 1);
}

/* ---- tasks -------------------------------------------------------------- */

static void test_task_round_trip_every_field(void **state)
{
	struct fx *f = *state;
	struct task t, got;

	add_plan(f, "KH-2025", 2025, 2025);
	make_task(&t, "KH-2025", "B.I.1", "Xây dựng kho dữ liệu số");
	t.idx = sdup("1");
	t.category = sdup("I. Hạ tầng số");
	t.condition = sdup("sau khi có hướng dẫn của Bộ");
	t.flags = TASK_FLAG_CONDITION;
	t.source_file = sdup("seeds/KH-2025.txt");
	t.source_line = 157;
	t.raw = sdup("- Thời gian thực hiện: Quý II/2025");
	t.policy = sdup("remind = 7 1\n");
	task_add_agency(&t, TASK_COORD, "skhcn", "Sở KH&CN", NULL, true);
	int64_t id = upsert(f, &t, STORE_NEW);

	get_task(f, id, &got);
	check_int("id", got.id, id);
	check_str("plan_id", got.plan_id, "KH-2025");
	check_str("key", got.key, "B.I.1");
	check_str("idx", got.idx, "1");
	check_str("category", got.category, "I. Hạ tầng số");
	check_str("title", got.title, "Xây dựng kho dữ liệu số");
	check_str("timeframe", got.timeframe, "Quý II/2025");
	check_int("kind", got.kind, TF_ONCE);
	check_int("due", got.due, date_make(2025, 6, 30, 23, 59, 59, TZ));
	check_int("window_start", got.window_start, at(2025, 4, 1, 0, 0, 0));
	check_str("condition", got.condition, "sau khi có hướng dẫn của Bộ");
	check_int("flags", got.flags, TASK_FLAG_CONDITION);
	check_int("status", got.status, TASK_OPEN);
	check_int("extended_due", got.extended_due, TF_NONE);
	check_int("ext", got.ext, 0);
	check_str("source_file", got.source_file, "seeds/KH-2025.txt");
	check_int("source_line", got.source_line, 157);
	check_str("raw", got.raw, "- Thời gian thực hiện: Quý II/2025");
	check_str("origin", got.origin, "import");
	check_str("policy", got.policy, "remind = 7 1\n");
	check_int("n_agencies", got.n_agencies, 2);
	task_free(&got);
	task_free(&t);

	/* TF_NONE is stored as NULL and comes back as TF_NONE. */
	make_task(&t, "KH-2025", "B.I.2", "Thường xuyên cập nhật");
	free(t.timeframe);
	t.timeframe = sdup("Thường xuyên");
	t.kind = TF_ONGOING;
	t.due = t.window_start = TF_NONE;
	id = upsert(f, &t, STORE_NEW);
	get_task(f, id, &got);
	check_int("kind ongoing", got.kind, TF_ONGOING);
	check_int("due TF_NONE", got.due, TF_NONE);
	check_int("window_start TF_NONE", got.window_start, TF_NONE);
	task_free(&got);
	task_free(&t);
	check_int(
	    "due stored as NULL",
	    raw_int(f->path, "SELECT COUNT(*) FROM tasks WHERE key = 'B.I.2' AND due IS NULL"), 1);
	check_int("store_task_get of a missing id", store_task_get(f->st, 999, &got), 0);
	task_free(&got);
}

static void test_task_assignments_round_trip(void **state)
{
	struct fx *f = *state;
	struct task t, got;

	add_plan(f, "KH-2025", 2025, 2025);
	task_init(&t);
	t.plan_id = sdup("KH-2025");
	t.key = sdup("k");
	t.title = sdup("Báo cáo năm");
	t.timeframe = sdup("trước ngày 15/12 hàng năm");
	t.kind = TF_YEARLY;
	t.origin = sdup("ini");
	task_add_agency(&t, TASK_LEAD, "stp", "Sở Tư pháp", NULL, true);
	task_add_agency(&t, TASK_LEAD, "vnpt", "Các doanh nghiệp viễn thông", "dn-vien-thong",
	                true);
	task_add_agency(&t, TASK_COORD, "Phòng Không Tên", "Phòng Không Tên", NULL, false);
	task_add_agency(&t, TASK_COORD, "stp", "STP", NULL, true);
	int64_t id = upsert(f, &t, STORE_NEW);
	task_free(&t);

	get_task(f, id, &got);
	static const struct {
		enum task_role role;
		const char *agency, *written, *via;
		bool resolved;
	} want[] = {
	    {TASK_LEAD, "stp", "Sở Tư pháp", NULL, true},
	    {TASK_LEAD, "vnpt", "Các doanh nghiệp viễn thông", "dn-vien-thong", true},
	    {TASK_COORD, "Phòng Không Tên", "Phòng Không Tên", NULL, false},
	    {TASK_COORD, "stp", "STP", NULL, true},
	};
	check_int("assignments read back", got.n_agencies, N_ELEMS(want));
	for (size_t i = 0; i < N_ELEMS(want); i++) {
		const struct task_agency *a = &got.agencies[i];
		char what[64];
		snprintf(what, sizeof(what), "assignment %zu role", i);
		check_int(what, a->role, want[i].role);
		snprintf(what, sizeof(what), "assignment %zu agency", i);
		check_str(what, a->agency, want[i].agency);
		snprintf(what, sizeof(what), "assignment %zu written", i);
		check_str(what, a->written, want[i].written);
		snprintf(what, sizeof(what), "assignment %zu via_group", i);
		check_str(what, a->via_group, want[i].via);
		snprintf(what, sizeof(what), "assignment %zu resolved", i);
		check_int(what, a->resolved, want[i].resolved);
	}
	task_free(&got);
}

static void test_task_upsert_new_same_updated(void **state)
{
	struct fx *f = *state;
	struct task t, got;

	add_plan(f, "KH-2025", 2025, 2025);
	make_task(&t, "KH-2025", "B.I.1", "Xây dựng kho dữ liệu số");
	int64_t id = upsert(f, &t, STORE_NEW);
	long long hist = history_rows(f, id);
	if (hist < 1)
		fail_msg("a new task has no history row");
	task_free(&t);

	/* The same content again: STORE_SAME, same id, no history. */
	make_task(&t, "KH-2025", "B.I.1", "Xây dựng kho dữ liệu số");
	check_int("id of the unchanged task", upsert(f, &t, STORE_SAME), id);
	check_int("history rows after an unchanged upsert", history_rows(f, id), hist);
	task_free(&t);

	/* Progress and an extension recorded in between. */
	must(f->st, store_task_set_status(f->st, id, TASK_IN_PROGRESS, "Đang xây dựng dự thảo",
	                                  at(2025, 3, 1, 9, 0, 0)));
	must(f->st,
	     store_task_extend(f->st, id, at(2025, 9, 30, 0, 0, 0), at(2025, 3, 2, 9, 0, 0)));
	hist = history_rows(f, id);

	/* A new title: updated in place, status, extension and history kept. */
	make_task(&t, "KH-2025", "B.I.1", "Xây dựng và vận hành kho dữ liệu số");
	check_int("id of the updated task", upsert(f, &t, STORE_UPDATED), id);
	task_free(&t);
	get_task(f, id, &got);
	check_str("updated title", got.title, "Xây dựng và vận hành kho dữ liệu số");
	check_int("status kept", got.status, TASK_IN_PROGRESS);
	check_str("status note kept", got.status_note, "Đang xây dựng dự thảo");
	check_int("extended_due kept", got.extended_due, at(2025, 9, 30, 0, 0, 0));
	check_int("ext kept", got.ext, 1);
	task_free(&got);
	if (history_rows(f, id) <= hist)
		fail_msg("the update was not written to the history (%lld rows, before %lld)",
		         history_rows(f, id), hist);
	hist = history_rows(f, id);

	/* A new timeframe: updated. */
	make_task(&t, "KH-2025", "B.I.1", "Xây dựng và vận hành kho dữ liệu số");
	free(t.timeframe);
	t.timeframe = sdup("Quý III/2025");
	t.due = date_make(2025, 9, 30, 23, 59, 59, TZ);
	upsert(f, &t, STORE_UPDATED);
	task_free(&t);
	get_task(f, id, &got);
	check_str("updated timeframe", got.timeframe, "Quý III/2025");
	check_int("updated due", got.due, date_make(2025, 9, 30, 23, 59, 59, TZ));
	check_int("status still kept", got.status, TASK_IN_PROGRESS);
	task_free(&got);

	/* Other agencies: updated, and the assignments replaced. */
	make_task(&t, "KH-2025", "B.I.1", "Xây dựng và vận hành kho dữ liệu số");
	free(t.timeframe);
	t.timeframe = sdup("Quý III/2025");
	t.due = date_make(2025, 9, 30, 23, 59, 59, TZ);
	task_add_agency(&t, TASK_COORD, "skhcn", "Sở KH&CN", NULL, true);
	upsert(f, &t, STORE_UPDATED);
	task_free(&t);
	get_task(f, id, &got);
	check_int("assignments after the update", got.n_agencies, 2);
	check_str("second assignment", got.agencies[1].agency, "skhcn");
	check_int("second assignment role", got.agencies[1].role, TASK_COORD);
	check_int("ext still kept", got.ext, 1);
	task_free(&got);
	if (history_rows(f, id) < hist + 2)
		fail_msg("two more updates should add two history rows: %lld, before %lld",
		         history_rows(f, id), hist);
	check_int("one task row", raw_int(f->path, "SELECT COUNT(*) FROM tasks"), 1);

	/* The same key in another plan is another task. */
	add_plan(f, "119/KH-UBND", 2020, 2025);
	if (add_task(f, "119/KH-UBND", "B.I.1", "Xây dựng kho dữ liệu số") == id)
		fail_msg("a task of another plan with the same key got the same id");
}

static void test_task_find_by_reference(void **state)
{
	struct fx *f = *state;
	int64_t id = -1;
	char ref[32];

	add_plan(f, "119/KH-UBND", 2020, 2025);
	add_plan(f, "KH-2025", 2025, 2025);
	int64_t a = add_task(f, "119/KH-UBND", "bao-cao", "Báo cáo 119");
	int64_t b = add_task(f, "KH-2025", "bao-cao", "Báo cáo KH-2025");
	int64_t c = add_task(f, "KH-2025", "duy-nhat", "Nhiệm vụ duy nhất");

	check_int("find 119/KH-UBND:bao-cao", store_task_find(f->st, "119/KH-UBND:bao-cao", &id),
	          1);
	check_int("  its id", id, a);
	check_int("find KH-2025:bao-cao", store_task_find(f->st, "KH-2025:bao-cao", &id), 1);
	check_int("  its id", id, b);
	snprintf(ref, sizeof(ref), "%lld", (long long)c);
	check_int("find by numeric id", store_task_find(f->st, ref, &id), 1);
	check_int("  its id", id, c);
	check_int("find the unique bare key duy-nhat", store_task_find(f->st, "duy-nhat", &id), 1);
	check_int("  its id", id, c);
	check_int("find the ambiguous bare key bao-cao", store_task_find(f->st, "bao-cao", &id), 0);
	check_int("find an unknown key", store_task_find(f->st, "khong-co", &id), 0);
	check_int("find an unknown plan", store_task_find(f->st, "KH-1999:bao-cao", &id), 0);
	check_int("find an unknown numeric id", store_task_find(f->st, "99999", &id), 0);
}

static void test_task_status_and_extension_history(void **state)
{
	struct fx *f = *state;
	struct task got;

	add_plan(f, "KH-2025", 2025, 2025);
	int64_t id = add_task(f, "KH-2025", "k", "Nhiệm vụ");
	long long hist = history_rows(f, id);

	must(f->st, store_task_set_status(f->st, id, TASK_WAITING, "Chờ hướng dẫn của Bộ",
	                                  at(2025, 3, 1, 9, 0, 0)));
	get_task(f, id, &got);
	check_int("status", got.status, TASK_WAITING);
	check_str("status_note", got.status_note, "Chờ hướng dẫn của Bộ");
	task_free(&got);
	check_int("history rows after a status change", history_rows(f, id), hist + 1);

	must(f->st,
	     store_task_extend(f->st, id, at(2025, 8, 31, 0, 0, 0), at(2025, 3, 2, 9, 0, 0)));
	must(f->st,
	     store_task_extend(f->st, id, at(2025, 10, 31, 0, 0, 0), at(2025, 3, 3, 9, 0, 0)));
	get_task(f, id, &got);
	check_int("extended_due after two extensions", got.extended_due, at(2025, 10, 31, 0, 0, 0));
	check_int("ext counts extensions", got.ext, 2);
	check_int("the original due is kept", got.due, date_make(2025, 6, 30, 23, 59, 59, TZ));
	task_free(&got);
	check_int("history rows after two extensions", history_rows(f, id), hist + 3);

	must(f->st, store_history_add(f->st, id, "note", "Ghi chú", at(2025, 3, 4, 9, 0, 0)));
	check_int("history rows after store_history_add", history_rows(f, id), hist + 4);

	/* Every status round-trips through the store. */
	for (int s = TASK_OPEN; s <= TASK_REMOVED; s++) {
		char what[64];
		must(f->st, store_task_set_status(f->st, id, (enum task_status)s, NULL,
		                                  at(2025, 4, 1, 9, 0, 0)));
		get_task(f, id, &got);
		snprintf(what, sizeof(what), "status %s read back", task_status_name(s));
		check_int(what, got.status, s);
		task_free(&got);
	}
}

static void test_remove_missing_only_that_origin(void **state)
{
	struct fx *f = *state;
	struct task t, got;
	int removed = -1;

	add_plan(f, "config", 0, 0);
	make_task(&t, "config", "giu", "Giữ lại");
	free(t.origin);
	t.origin = sdup("ini");
	int64_t keep = upsert(f, &t, STORE_NEW);
	task_free(&t);
	make_task(&t, "config", "bo", "Đã bỏ khỏi cấu hình");
	free(t.origin);
	t.origin = sdup("ini");
	int64_t gone = upsert(f, &t, STORE_NEW);
	task_free(&t);
	int64_t imported = add_task(f, "config", "nhap", "Nhập từ văn bản");
	long long hist = history_rows(f, gone);

	must(f->st,
	     store_tasks_remove_missing(f->st, "ini", &keep, 1, at(2025, 5, 1, 8, 0, 0), &removed));
	check_int("removed", removed, 1);
	char *status = raw_text(f->path, "SELECT status FROM tasks WHERE key = 'bo'");
	check_str("stored status of the missing ini task", status, "removed");
	free(status);
	if (history_rows(f, gone) <= hist)
		fail_msg("the removal was not written to the task's history");
	get_task(f, keep, &got);
	check_int("kept ini task", got.status, TASK_OPEN);
	task_free(&got);
	get_task(f, imported, &got);
	check_int("imported task untouched", got.status, TASK_OPEN);
	task_free(&got);

	/* Again: nothing more to remove. */
	must(f->st,
	     store_tasks_remove_missing(f->st, "ini", &keep, 1, at(2025, 5, 2, 8, 0, 0), &removed));
	check_int("removed on the second run", removed, 0);

	/* Read back through the store, the task must say it is removed. */
	get_task(f, gone, &got);
	check_int("store_task_get status of the removed task (TASK_REMOVED = 6)", got.status,
	          TASK_REMOVED);
	task_free(&got);
}

/* Removed from the INI and put back, a task (and each occurrence) has the status it had. */
static void test_removed_task_returns_with_its_status(void **state)
{
	struct fx *f = *state;
	struct task t, got;
	enum store_change change;
	int removed = -1;

	add_plan(f, "config", 0, 0);
	make_task(&t, "config", "xong", "Đã hoàn thành");
	free(t.origin);
	t.origin = sdup("ini");
	int64_t id = upsert(f, &t, STORE_NEW);
	int64_t done = add_occ(f, id, at(2025, 3, 31, 17, 0, 0));
	int64_t going = add_occ(f, id, at(2025, 6, 30, 17, 0, 0));
	must(f->st, store_occ_set_status(f->st, done, TASK_DONE));
	must(f->st, store_occ_set_status(f->st, going, TASK_IN_PROGRESS));
	must(f->st,
	     store_task_set_status(f->st, id, TASK_DONE, "báo cáo", at(2025, 4, 1, 8, 0, 0)));
	must(f->st,
	     store_tasks_remove_missing(f->st, "ini", NULL, 0, at(2025, 5, 1, 8, 0, 0), &removed));
	get_task(f, id, &got);
	check_int("removed", got.status, TASK_REMOVED);
	task_free(&got);
	check_int("an open occurrence is removed with it", occ_get(f, id, going).status,
	          TASK_REMOVED);
	check_int("a done occurrence stays done", occ_get(f, id, done).status, TASK_DONE);

	/* Back in the INI, unchanged: the same row, its status, its occurrences as they were. */
	must(f->st, store_task_upsert(f->st, &t, at(2025, 5, 2, 8, 0, 0), &change));
	check_int("the return is a change", change, STORE_UPDATED);
	check_int("the same task", t.id, id);
	get_task(f, id, &got);
	check_int("done again", got.status, TASK_DONE);
	task_free(&got);
	int64_t again = -1;
	must(f->st, store_occ_ensure(f->st, id, at(2025, 6, 30, 17, 0, 0), TF_NONE, &again, NULL));
	check_int("the occurrence comes back", again, going);
	check_int("in progress again", occ_get(f, id, going).status, TASK_IN_PROGRESS);
	task_free(&t);
}

/* A database from before status_before_removal where a done task was already
 * removed: the migration recovers its status from the history, so that its
 * return keeps it done. */
static void test_migration_recovers_the_status_of_removed_tasks(void **state)
{
	struct fx *f = *state;
	struct task t, got;
	enum store_change change;
	char err[512] = "";
	int removed = -1;
	sqlite3 *db = NULL;

	add_plan(f, "config", 0, 0);
	make_task(&t, "config", "cu", "Bỏ trước khi nâng cấp");
	free(t.origin);
	t.origin = sdup("ini");
	int64_t id = upsert(f, &t, STORE_NEW);
	must(f->st, store_task_set_status(f->st, id, TASK_DONE, NULL, at(2025, 4, 1, 8, 0, 0)));
	must(f->st,
	     store_tasks_remove_missing(f->st, "ini", NULL, 0, at(2025, 5, 1, 8, 0, 0), &removed));
	store_close(f->st);
	f->st = NULL;
	/* Back to the version before that migration (5): 8 and 7 undone first. */
	const char *downgrade = "DROP INDEX reply_commands_task;"
	                        "DROP INDEX notifications_message;"
	                        "CREATE INDEX notifications_message ON notifications(message);"
	                        "ALTER TABLE tasks DROP COLUMN status_before_removal;"
	                        "ALTER TABLE occurrences DROP COLUMN status_before_removal;"
	                        "PRAGMA user_version = 5;";
	if (sqlite3_open(f->path, &db) != SQLITE_OK ||
	    sqlite3_exec(db, downgrade, NULL, NULL, NULL) != SQLITE_OK)
		fail_msg("making a database of the version before: %s", sqlite3_errmsg(db));
	sqlite3_close(db);
	if (store_open(f->path, &f->st, err, sizeof(err)) != 0)
		fail_msg("opening a database of the version before: %s", err);
	must(f->st, store_task_upsert(f->st, &t, at(2025, 5, 2, 8, 0, 0), &change));
	get_task(f, id, &got);
	check_int("done after the upgrade and the return", got.status, TASK_DONE);
	task_free(&got);
	task_free(&t);
}

struct seen_tasks {
	char keys[8][32];
	size_t n;
};

static int collect_task(const struct task *t, void *arg)
{
	struct seen_tasks *s = arg;

	if (s->n < N_ELEMS(s->keys))
		snprintf(s->keys[s->n++], sizeof(s->keys[0]), "%s:%s", t->plan_id, t->key);
	return 0;
}

/* Tasks read together are the tasks read one by one. */
static void test_tasks_get_by_ids(void **state)
{
	struct fx *f = *state;
	struct task t, one, *v = NULL;
	int64_t ids[3];
	size_t n = 0;

	add_plan(f, "KH-2025", 2025, 2025);
	for (int i = 0; i < 3; i++) {
		char key[16];
		snprintf(key, sizeof(key), "k%d", i);
		make_task(&t, "KH-2025", key, "Nhiệm vụ");
		if (i != 1)
			task_add_agency(&t, TASK_COORD, "skhcn", "Sở Khoa học và Công nghệ", NULL,
			                true);
		if (i == 2)
			task_add_agency(&t, TASK_COORD, "cac-so", "các sở", "Các sở", false);
		ids[i] = upsert(f, &t, STORE_NEW);
		task_free(&t);
	}
	int64_t want[] = {ids[2], ids[0], ids[2], ids[2] + 1000};
	must(f->st, store_tasks_get(f->st, want, N_ELEMS(want), &v, &n));
	check_int("found", (long long)n, 2);
	for (size_t i = 0; i < n; i++) {
		get_task(f, ids[2 * i], &one);
		check_int("in id order", v[i].id, one.id);
		if (strcmp(v[i].key, one.key) || strcmp(v[i].timeframe, one.timeframe) ||
		    v[i].due != one.due || v[i].n_agencies != one.n_agencies)
			fail_msg("task %lld differs from store_task_get's", (long long)one.id);
		for (size_t k = 0; k < one.n_agencies; k++)
			if (strcmp(v[i].agencies[k].agency, one.agencies[k].agency) ||
			    v[i].agencies[k].role != one.agencies[k].role ||
			    v[i].agencies[k].resolved != one.agencies[k].resolved)
				fail_msg("assignment %zu of task %lld differs", k,
				         (long long)one.id);
		task_free(&one);
		task_free(&v[i]);
	}
	free(v);
	check_int("no id", store_tasks_get(f->st, NULL, 0, &v, &n), 0);
	check_int("nothing found", (long long)n, 0);
	free(v);
}

static void test_tasks_listing_order(void **state)
{
	struct fx *f = *state;
	struct seen_tasks s = {.n = 0};
	int64_t *ids = NULL;
	size_t n = 0;

	add_plan(f, "B-plan", 0, 0);
	add_plan(f, "A-plan", 0, 0);
	int64_t b1 = add_task(f, "B-plan", "b1", "b1");
	int64_t a1 = add_task(f, "A-plan", "a1", "a1");
	int64_t a2 = add_task(f, "A-plan", "a2", "a2");

	must(f->st, store_tasks(f->st, NULL, collect_task, &s));
	check_int("tasks listed", s.n, 3);
	check_str("first (plan order)", s.keys[0], "A-plan:a1");
	check_str("second", s.keys[1], "A-plan:a2");
	check_str("third", s.keys[2], "B-plan:b1");
	must(f->st, store_task_ids(f->st, "A-plan", &ids, &n));
	check_int("ids of A-plan", n, 2);
	check_int("first id", ids[0], a1);
	check_int("second id", ids[1], a2);
	free(ids);
	must(f->st, store_task_ids(f->st, NULL, &ids, &n));
	check_int("ids of every plan", n, 3);
	check_int("last id (B-plan)", ids[2], b1);
	free(ids);

	/* All at once: in id order, each as store_task_get reads it. */
	struct task *all = NULL;
	must(f->st, store_task_load_all(f->st, &all, &n));
	check_int("tasks loaded at once", n, 3);
	int64_t want[] = {b1, a1, a2};
	for (size_t i = 0; i < n && i < N_ELEMS(want); i++) {
		struct task one;
		get_task(f, want[i], &one);
		check_int("loaded in id order", all[i].id, want[i]);
		check_str("its key", all[i].key, one.key);
		check_int("its assignments", all[i].n_agencies, one.n_agencies);
		check_str("its lead", all[i].agencies[0].agency, one.agencies[0].agency);
		check_str("as written", all[i].agencies[0].written, one.agencies[0].written);
		task_free(&one);
		task_free(&all[i]);
	}
	free(all);
}

static void test_transaction_rollback_and_commit(void **state)
{
	struct fx *f = *state;
	int64_t id;

	add_plan(f, "KH-2025", 2025, 2025);
	must(f->st, store_begin(f->st));
	add_task(f, "KH-2025", "tam", "Tạm thời");
	store_rollback(f->st);
	check_int("find after rollback", store_task_find(f->st, "KH-2025:tam", &id), 0);
	must(f->st, store_begin(f->st));
	add_task(f, "KH-2025", "that", "Thật");
	must(f->st, store_commit(f->st));
	check_int("find after commit", store_task_find(f->st, "KH-2025:that", &id), 1);
	check_int("seen by a second connection",
	          raw_int(f->path, "SELECT COUNT(*) FROM tasks WHERE key = 'that'"), 1);
}

/* ---- occurrences -------------------------------------------------------- */

static void test_occ_ensure_idempotent(void **state)
{
	struct fx *f = *state;
	int64_t id1 = 0, id2 = 0, id3 = 0;
	bool created = false;

	add_plan(f, "119/KH-UBND", 2020, 2025);
	int64_t task = add_task(f, "119/KH-UBND", "bao-cao", "Báo cáo năm");
	time_t d2024 = at(2024, 12, 1, 0, 0, 0), d2025 = at(2025, 12, 1, 0, 0, 0);

	must(f->st, store_occ_ensure(f->st, task, d2025, at(2025, 1, 1, 0, 0, 0), &id1, &created));
	check_int("created the first time", created, true);
	struct store_occ o = occ_get(f, task, id1);
	check_int("a new occurrence's next_at", o.next_at, 0);
	check_int("due", o.due, d2025);
	check_int("window_start", o.window_start, at(2025, 1, 1, 0, 0, 0));
	check_int("status", o.status, TASK_OPEN);
	check_int("task_id", o.task_id, task);

	/* The planner sets its time; ensuring it again changes nothing. */
	must(f->st, store_occ_set_next(f->st, id1, at(2025, 11, 1, 8, 0, 0)));
	must(f->st, store_occ_ensure(f->st, task, d2025, at(2025, 1, 1, 0, 0, 0), &id2, &created));
	check_int("same id the second time", id2, id1);
	check_int("not created the second time", created, false);
	check_int("next_at untouched by a second ensure", occ_get(f, task, id1).next_at,
	          at(2025, 11, 1, 8, 0, 0));
	must(f->st, store_occ_ensure(f->st, task, d2025, TF_NONE, &id2, NULL));
	check_int("same id with created = NULL", id2, id1);

	must(f->st, store_occ_ensure(f->st, task, d2024, TF_NONE, &id3, &created));
	check_int("another due is created", created, true);
	if (id3 == id1)
		fail_msg("two dues share occurrence id %lld", (long long)id1);
	check_int("its window_start TF_NONE", occ_get(f, task, id3).window_start, TF_NONE);
	check_int("its next_at", occ_get(f, task, id3).next_at, 0);

	struct occ_list l = {.n = 0};
	must(f->st, store_occ_of_task(f->st, task, collect_occ, &l));
	check_int("occurrences of the task", l.n, 2);
	check_int("ordered by due: first", l.v[0].id, id3);
	check_int("ordered by due: second", l.v[1].id, id1);
	check_int("rows in the table", raw_int(f->path, "SELECT COUNT(*) FROM occurrences"), 2);

	must(f->st, store_occ_set_status(f->st, id3, TASK_DONE));
	check_int("status set", occ_get(f, task, id3).status, TASK_DONE);
}

static void test_occ_due_and_next_wake(void **state)
{
	struct fx *f = *state;
	time_t t0 = at(2025, 6, 2, 8, 0, 0), wake = 0;

	add_plan(f, "KH-2025", 2025, 2025);
	int64_t task = add_task(f, "KH-2025", "k", "Nhiệm vụ");
	must(f->st, store_next_wake(f->st, &wake));
	check_int("next wake of an empty store", wake, TF_NONE);

	int64_t a = add_occ(f, task, at(2025, 7, 1, 0, 0, 0));
	int64_t b = add_occ(f, task, at(2025, 8, 1, 0, 0, 0));
	int64_t c = add_occ(f, task, at(2025, 9, 1, 0, 0, 0));
	int64_t d = add_occ(f, task, at(2025, 10, 1, 0, 0, 0));
	must(f->st, store_occ_set_next(f->st, a, t0 + 100));
	must(f->st, store_occ_set_next(f->st, b, t0 + 50));
	must(f->st, store_occ_set_next(f->st, c, TF_NONE));
	must(f->st, store_occ_set_next(f->st, d, t0 + 300));
	check_int("TF_NONE next_at read back", occ_get(f, task, c).next_at, TF_NONE);

	struct occ_list l = {.n = 0};
	must(f->st, store_occ_due(f->st, t0 + 200, 10, collect_occ, &l));
	check_int("due at t0+200", l.n, 2);
	check_int("earliest first", l.v[0].id, b);
	check_int("then", l.v[1].id, a);

	l.n = 0;
	must(f->st, store_occ_due(f->st, t0 + 100, 10, collect_occ, &l));
	check_int("next_at == now is due", l.n, 2);

	l.n = 0;
	must(f->st, store_occ_due(f->st, t0 + 1000, 1, collect_occ, &l));
	check_int("limit 1", l.n, 1);
	check_int("limit keeps the earliest", l.v[0].id, b);

	l.n = 0;
	must(f->st, store_occ_due(f->st, t0 + 10, 10, collect_occ, &l));
	check_int("nothing due before the earliest", l.n, 0);

	must(f->st, store_next_wake(f->st, &wake));
	check_int("next wake is the minimum", wake, t0 + 50);
	must(f->st, store_occ_set_next(f->st, a, TF_NONE));
	must(f->st, store_occ_set_next(f->st, b, TF_NONE));
	must(f->st, store_occ_set_next(f->st, d, TF_NONE));
	must(f->st, store_next_wake(f->st, &wake));
	check_int("next wake with nothing planned", wake, TF_NONE);
}

static void test_occ_replan_all_lowers_open_only(void **state)
{
	struct fx *f = *state;
	time_t t0 = at(2025, 6, 2, 8, 0, 0), bound = t0 + 1000;

	add_plan(f, "KH-2025", 2025, 2025);
	int64_t task = add_task(f, "KH-2025", "k", "Nhiệm vụ");
	int64_t later = add_occ(f, task, at(2025, 7, 1, 0, 0, 0));
	int64_t sooner = add_occ(f, task, at(2025, 8, 1, 0, 0, 0));
	int64_t done = add_occ(f, task, at(2025, 9, 1, 0, 0, 0));
	int64_t cancelled = add_occ(f, task, at(2025, 10, 1, 0, 0, 0));
	int64_t waiting = add_occ(f, task, at(2025, 11, 1, 0, 0, 0));
	int64_t retired = add_occ(f, task, at(2025, 12, 1, 0, 0, 0));
	int64_t unplanned = add_occ(f, task, at(2026, 1, 1, 0, 0, 0));
	must(f->st, store_occ_set_next(f->st, later, t0 + 50000));
	must(f->st, store_occ_set_next(f->st, unplanned, TF_NONE));
	must(f->st, store_occ_set_next(f->st, sooner, t0 + 10));
	must(f->st, store_occ_set_next(f->st, done, t0 + 50000));
	must(f->st, store_occ_set_status(f->st, done, TASK_DONE));
	must(f->st, store_occ_set_next(f->st, cancelled, t0 + 50000));
	must(f->st, store_occ_set_status(f->st, cancelled, TASK_CANCELLED));
	must(f->st, store_occ_set_next(f->st, waiting, t0 + 50000));
	must(f->st, store_occ_set_status(f->st, waiting, TASK_WAITING));
	/* Retired by a changed timeframe: no longer planned at all. */
	must(f->st, store_occ_set_next(f->st, retired, TF_NONE));
	must(f->st, store_occ_set_status(f->st, retired, TASK_REMOVED));

	must(f->st, store_occ_replan_all(f->st, bound));
	check_int("open, later than the bound: lowered", occ_get(f, task, later).next_at, bound);
	check_int("open, sooner than the bound: kept", occ_get(f, task, sooner).next_at, t0 + 10);
	check_int("open, none planned: the bound", occ_get(f, task, unplanned).next_at, bound);
	check_int("waiting is still open: lowered", occ_get(f, task, waiting).next_at, bound);
	check_int("done: untouched", occ_get(f, task, done).next_at, t0 + 50000);
	check_int("cancelled: untouched", occ_get(f, task, cancelled).next_at, t0 + 50000);
	check_int("removed: untouched", occ_get(f, task, retired).next_at, TF_NONE);
	check_int("removed: status read back", occ_get(f, task, retired).status, TASK_REMOVED);
}

/* ---- the ledger and the outbox ------------------------------------------ */

struct ledger_fx {
	int64_t task, occ, occ2;
	time_t t0;
};

static struct ledger_fx ledger_setup(struct fx *f)
{
	struct ledger_fx l;

	add_plan(f, "KH-2025", 2025, 2025);
	l.task = add_task(f, "KH-2025", "k", "Nhiệm vụ");
	l.occ = add_occ(f, l.task, at(2025, 12, 15, 0, 0, 0));
	l.occ2 = add_occ(f, l.task, at(2026, 12, 15, 0, 0, 0));
	l.t0 = at(2025, 11, 14, 8, 0, 0);
	return l;
}

static void test_message_queue_exactly_once(void **state)
{
	struct fx *f = *state;
	struct ledger_fx l = ledger_setup(f);
	struct store_note n1[] = {note(l.occ, "stp", "r30", l.t0),
	                          note(l.occ, "skhcn", "r30", l.t0)};

	int64_t m1 = queue(f, "m1@quangngai.example", n1, 2, l.t0, true);
	check_int("messages after the first queue", message_rows(f), 1);
	struct store_note r = ledger_row(f, l.occ, "stp", "r30");
	check_int("note state", r.state, NOTE_QUEUED);
	check_int("note message", r.message, m1);
	check_str("note kind", r.kind, "reminder");
	check_int("note planned_at", r.planned_at, l.t0);
	check_int("ledger rows", ledger_size(f, l.occ), 2);

	struct store_message got;
	check_int("message_get", store_message_get(f->st, m1, &got), 1);
	check_str("message_id", got.message_id, "m1@quangngai.example");
	check_str("recipient", got.recipient, "stp");
	check_str("rcpt", got.rcpt, "stp@quangngai.example\n");
	check_str("subject", got.subject, "[Nhắc việc] Báo cáo năm");
	check_str("kind", got.kind, "reminder");
	check_int("state", got.state, MSG_QUEUED);
	check_int("attempts", got.attempts, 0);
	check_int("created_at", got.created_at, l.t0);
	check_int("next_attempt", got.next_attempt, l.t0);
	store_message_free(&got);

	/* A restart plans the same steps again: nothing is queued twice. */
	queue(f, "m1-again@quangngai.example", n1, 2, l.t0 + 60, false);
	check_int("messages after re-queueing the same notes", message_rows(f), 1);
	check_int(
	    "no row for the refused message",
	    raw_int(f->path, "SELECT COUNT(*) FROM messages WHERE message_id LIKE 'm1-again%'"), 0);
	check_int("ledger rows unchanged", ledger_size(f, l.occ), 2);
	check_int("the note still belongs to the first message",
	          ledger_row(f, l.occ, "stp", "r30").message, m1);

	/* One old note and one new one: queued, carrying only the new one. */
	struct store_note n2[] = {note(l.occ, "stp", "r30", l.t0), note(l.occ, "stp", "r14", l.t0)};
	int64_t m2 = queue(f, "m2@quangngai.example", n2, 2, l.t0 + 120, true);
	check_int("new note's message", ledger_row(f, l.occ, "stp", "r14").message, m2);
	check_int("old note keeps its message", ledger_row(f, l.occ, "stp", "r30").message, m1);
	check_int("ledger rows", ledger_size(f, l.occ), 3);

	/* The same (agency, step) for another occurrence is another key. */
	struct store_note n3[] = {note(l.occ2, "stp", "r30", l.t0)};
	queue(f, "m3@quangngai.example", n3, 1, l.t0 + 180, true);
	check_int("ledger of the other occurrence", ledger_size(f, l.occ2), 1);

	/* A message without notes (to the admin) is always queued. */
	queue(f, "admin1@quangngai.example", NULL, 0, l.t0 + 240, true);
	queue(f, "admin2@quangngai.example", NULL, 0, l.t0 + 240, true);
	check_int("messages in the end", message_rows(f), 5);
	check_int("notes in the end", raw_int(f->path, "SELECT COUNT(*) FROM notifications"), 4);
}

/* The message and its notes go in together or not at all. */
static void test_message_queue_is_atomic(void **state)
{
	struct fx *f = *state;
	struct ledger_fx l = ledger_setup(f);
	struct store_note n1[] = {note(l.occ, "stp", "r30", l.t0)};
	struct store_note n2[] = {note(l.occ, "stp", "r14", l.t0)};
	struct store_note bad[] = {note(l.occ, "stp", "r7", l.t0), note(987654, "stp", "r7", l.t0)};
	struct store_message m;
	bool queued = true;

	queue(f, "one@quangngai.example", n1, 1, l.t0, true);

	/* A second message with the same Message-ID fails: its note is not kept. */
	m = message("one@quangngai.example", "stp");
	if (store_message_queue(f->st, &m, n2, 1, l.t0 + 60, &queued) != -1)
		fail_msg("a duplicate Message-ID was queued");
	check_int("*queued after a failure", queued, false);
	check_int("ledger rows after the failed queue", ledger_size(f, l.occ), 1);
	check_int("messages after the failed queue", message_rows(f), 1);

	/* A note that cannot be stored (no such occurrence) undoes the message and
	 * the notes before it. */
	m = message("two@quangngai.example", "stp");
	queued = true;
	if (store_message_queue(f->st, &m, bad, 2, l.t0 + 120, &queued) != -1)
		fail_msg("a note of an unknown occurrence was queued");
	check_int("*queued after a failure", queued, false);
	check_int("messages after the failed queue", message_rows(f), 1);
	check_int("ledger rows after the failed queue", ledger_size(f, l.occ), 1);

	/* The store is still usable, inside a caller's transaction too. */
	must(f->st, store_begin(f->st));
	queue(f, "three@quangngai.example", n2, 1, l.t0 + 180, true);
	store_rollback(f->st);
	check_int("messages after the caller rolled back", message_rows(f), 1);
	check_int("ledger rows after the caller rolled back", ledger_size(f, l.occ), 1);
	must(f->st, store_begin(f->st));
	queue(f, "four@quangngai.example", n2, 1, l.t0 + 240, true);
	must(f->st, store_commit(f->st));
	check_int("messages after the caller committed", message_rows(f), 2);
	check_int("ledger rows after the caller committed", ledger_size(f, l.occ), 2);
}

/* Skipped steps are in the ledger too: they are never sent afterwards. */
static void test_notes_record_blocks_queueing(void **state)
{
	struct fx *f = *state;
	struct ledger_fx l = ledger_setup(f);
	struct store_note skipped[] = {note(l.occ, "stp", "r30", l.t0),
	                               note(l.occ, "stp", "r14", l.t0)};

	must(f->st, store_notes_record(f->st, skipped, 2, NOTE_SKIPPED, l.t0));
	struct store_note r = ledger_row(f, l.occ, "stp", "r14");
	check_int("skipped state", r.state, NOTE_SKIPPED);
	check_int("skipped note has no message", r.message, 0);
	queue(f, "late@quangngai.example", skipped, 2, l.t0 + 60, false);
	check_int("no message for skipped steps", message_rows(f), 0);

	struct store_note unsendable[] = {note(l.occ, "to-cns", "r7", l.t0)};
	must(f->st, store_notes_record(f->st, unsendable, 1, NOTE_FAILED, l.t0));
	check_int("failed state", ledger_row(f, l.occ, "to-cns", "r7").state, NOTE_FAILED);
	/* Recording the same key again changes nothing. */
	must(f->st, store_notes_record(f->st, unsendable, 1, NOTE_SKIPPED, l.t0));
	check_int("state of a re-recorded note", ledger_row(f, l.occ, "to-cns", "r7").state,
	          NOTE_FAILED);
}

/* Many rows a statement, then one by one: as if recorded one by one, in order. */
static void test_notes_insert_many(void **state)
{
	struct fx *f = *state;
	struct ledger_fx l = ledger_setup(f);
	struct store_note v[150];

	for (size_t i = 0; i < N_ELEMS(v); i++) {
		char agency[32];
		snprintf(agency, sizeof(agency), "a%03zu", i);
		v[i] = note(i % 2 ? l.occ : l.occ2, agency, "r7", l.t0 + (time_t)i);
		v[i].state = i % 3 ? NOTE_PENDING : NOTE_SKIPPED;
	}
	/* A key again, in a statement of many rows and in the rows after them:
	 * the first one stays. */
	v[20] = v[10], v[20].state = NOTE_FAILED;
	v[70] = v[5], v[70].state = NOTE_FAILED;
	v[140] = v[141], v[140].state = NOTE_FAILED;
	snprintf(v[9].role, sizeof(v[9].role), "lead");
	must(f->st, store_notes_insert(f->st, v, N_ELEMS(v), l.t0, false));
	check_int("rows", (long long)(ledger_size(f, l.occ) + ledger_size(f, l.occ2)), 147);
	check_int("a row of the first statement", ledger_row(f, l.occ2, "a000", "r7").state,
	          NOTE_SKIPPED);
	check_int("its planned_at", ledger_row(f, l.occ2, "a000", "r7").planned_at, l.t0);
	check_int("a row of the third", ledger_row(f, l.occ, "a129", "r7").state, NOTE_SKIPPED);
	check_int("a row after the statements", ledger_row(f, l.occ, "a149", "r7").state,
	          NOTE_PENDING);
	check_int("a key again in the same statement", ledger_row(f, l.occ2, "a010", "r7").state,
	          NOTE_PENDING);
	check_int("a key again in the next one", ledger_row(f, l.occ, "a005", "r7").state,
	          NOTE_PENDING);
	check_int("a key again after", ledger_row(f, l.occ, "a141", "r7").state, NOTE_FAILED);
	if (strcmp(ledger_row(f, l.occ, "a009", "r7").role, "lead") ||
	    strcmp(ledger_row(f, l.occ, "a011", "r7").role, ""))
		fail_msg("roles not kept");
	check_int("no message", raw_int(f->path, "SELECT COUNT(message) FROM notifications"), 0);

	/* Rows a message carries, new_only: each with its message, in a statement
	 * of many rows and after; one key already there, in either, is an error. */
	int64_t msg = queue(f, "carrier@quangngai.example", NULL, 0, l.t0, true);
	struct store_note w[70];
	for (size_t i = 0; i < N_ELEMS(w); i++) {
		char agency[32];
		snprintf(agency, sizeof(agency), "b%03zu", i);
		w[i] = note(l.occ, agency, "e1", l.t0);
		w[i].state = NOTE_QUEUED;
		w[i].message = msg;
	}
	must(f->st, store_notes_insert(f->st, w, N_ELEMS(w), l.t0, true));
	check_int("carried rows",
	          raw_int(f->path, "SELECT COUNT(*) FROM notifications WHERE message IS NOT NULL"
	                           " AND state = 'queued'"),
	          N_ELEMS(w));
	struct {
		size_t at; /* where the key already there is: in the statement, or after it */
	} again[] = {{3}, {N_ELEMS(w) - 1}};
	for (size_t c = 0; c < N_ELEMS(again); c++) {
		struct store_note x[N_ELEMS(w)];
		for (size_t i = 0; i < N_ELEMS(x); i++) {
			x[i] = w[i];
			snprintf(x[i].step, sizeof(x[i].step), "e%zu", c + 2);
		}
		x[again[c].at] = v[0]; /* a000 r7, skipped above */
		must(f->st, store_begin(f->st));
		check_int("a key already there",
		          store_notes_insert(f->st, x, N_ELEMS(x), l.t0, true), -1);
		/* In a statement of many rows, the first of them is named. */
		const char *want = again[c].at < 64 ? "a row from occurrence 1, b000, step e2 on is"
		                                    : "occurrence 2, a000, step r7 is";
		if (!strstr(store_error(f->st), want))
			fail_msg("error: %s, want %s", store_error(f->st), want);
		store_rollback(f->st);
	}
	check_int("it kept its state", ledger_row(f, l.occ2, "a000", "r7").state, NOTE_SKIPPED);
}

/* store_occ_set_next for each, whether in a statement of many rows or not. */
static void test_occ_set_next_many(void **state)
{
	struct fx *f = *state;
	struct store_next v[150];
	time_t t0 = at(2025, 6, 1, 8, 0, 0);
	long long sum = 0;

	add_plan(f, "KH-2025", 2025, 2025);
	int64_t task = add_task(f, "KH-2025", "k", "Nhiệm vụ");
	for (size_t i = 0; i < N_ELEMS(v); i++) {
		v[i].id = add_occ(f, task, t0 + (time_t)i * 86400);
		v[i].next_at = i % 7 == 3 ? TF_NONE : t0 + (time_t)i;
		sum += v[i].next_at == TF_NONE ? 0 : (long long)(v[i].next_at - t0);
	}
	must(f->st, store_occ_set_next_many(f->st, v, N_ELEMS(v)));
	check_int("none",
	          raw_int(f->path, "SELECT COUNT(*) FROM occurrences WHERE next_at IS NULL"), 21);
	check_int("each its own",
	          raw_intf(f->path, "SELECT SUM(next_at - %lld) FROM occurrences", (long long)t0),
	          sum);
	check_int("the last one",
	          raw_intf(f->path, "SELECT next_at FROM occurrences WHERE id = %lld",
	                   (long long)v[149].id),
	          t0 + 149);
}

static void test_message_result_moves_notes(void **state)
{
	struct fx *f = *state;
	struct ledger_fx l = ledger_setup(f);
	struct store_note ns[] = {note(l.occ, "stp", "r7", l.t0), note(l.occ, "skhcn", "r7", l.t0)};
	struct store_note nf[] = {note(l.occ, "stp", "e1", l.t0)};
	struct store_note nq[] = {note(l.occ, "stp", "e7", l.t0)};
	struct store_message got;

	int64_t sent = queue(f, "sent@quangngai.example", ns, 2, l.t0, true);
	int64_t failed = queue(f, "failed@quangngai.example", nf, 1, l.t0, true);
	int64_t retry = queue(f, "retry@quangngai.example", nq, 1, l.t0, true);

	must(f->st, store_message_result(f->st, sent, MSG_SENT, NULL, TF_NONE, l.t0 + 5));
	store_message_get(f->st, sent, &got);
	check_int("sent: state", got.state, MSG_SENT);
	check_int("sent: attempts", got.attempts, 1);
	check_int("sent: sent_at", got.sent_at, l.t0 + 5);
	store_message_free(&got);
	check_int("sent: note of stp", ledger_row(f, l.occ, "stp", "r7").state, NOTE_SENT);
	check_int("sent: note of skhcn", ledger_row(f, l.occ, "skhcn", "r7").state, NOTE_SENT);

	must(f->st, store_message_result(f->st, failed, MSG_FAILED, "550 5.1.1 no such user",
	                                 TF_NONE, l.t0 + 6));
	store_message_get(f->st, failed, &got);
	check_int("failed: state", got.state, MSG_FAILED);
	check_str("failed: last_error", got.last_error, "550 5.1.1 no such user");
	check_int("failed: sent_at", got.sent_at, TF_NONE);
	store_message_free(&got);
	check_int("failed: note", ledger_row(f, l.occ, "stp", "e1").state, NOTE_FAILED);

	must(f->st, store_message_result(f->st, retry, MSG_QUEUED, "421 try again later",
	                                 l.t0 + 600, l.t0 + 7));
	store_message_get(f->st, retry, &got);
	check_int("retry: state", got.state, MSG_QUEUED);
	check_int("retry: attempts", got.attempts, 1);
	check_int("retry: next_attempt", got.next_attempt, l.t0 + 600);
	check_str("retry: last_error", got.last_error, "421 try again later");
	store_message_free(&got);
	check_int("retry: note stays queued", ledger_row(f, l.occ, "stp", "e7").state, NOTE_QUEUED);

	/* The retry succeeds in the end. */
	must(f->st, store_message_result(f->st, retry, MSG_SENT, NULL, TF_NONE, l.t0 + 601));
	store_message_get(f->st, retry, &got);
	check_int("retry then sent: attempts", got.attempts, 2);
	store_message_free(&got);
	check_int("retry then sent: note", ledger_row(f, l.occ, "stp", "e7").state, NOTE_SENT);
	check_int("message_get of a missing id", store_message_get(f->st, 9999, &got), 0);
	store_message_free(&got);
}

static void test_message_body_is_binary_safe(void **state)
{
	struct fx *f = *state;
	static const char body[] = "Subject: x\r\n\r\nA\0B\r\n";
	struct store_message m = message("bin@quangngai.example", "admin"), got;
	bool queued = false;

	m.body = (char *)body;
	m.body_len = sizeof(body) - 1;
	must(f->st, store_message_queue(f->st, &m, NULL, 0, at(2025, 1, 1, 8, 0, 0), &queued));
	check_int("store_message_get", store_message_get(f->st, m.id, &got), 1);
	check_int("body_len", got.body_len, sizeof(body) - 1);
	if (memcmp(got.body, body, sizeof(body) - 1) != 0)
		fail_msg("the body with CRLF and a NUL byte did not round-trip");
	store_message_free(&got);
}

static void test_messages_due_lease_release(void **state)
{
	struct fx *f = *state;
	time_t t0 = at(2025, 6, 2, 8, 0, 0);
	time_t retry_at = 0;

	must(f->st, store_next_retry(f->st, &retry_at));
	check_int("next retry with an empty outbox", retry_at, TF_NONE);
	int64_t a = queue(f, "a@quangngai.example", NULL, 0, t0, true);
	int64_t b = queue(f, "b@quangngai.example", NULL, 0, t0 + 10, true);
	int64_t c = queue(f, "c@quangngai.example", NULL, 0, t0 + 20, true);

	struct id_list got = due_messages(f, t0 + 15, 10);
	check_ids("due at t0+15, oldest first", &got, (int64_t[]){a, b}, 2);
	got = due_messages(f, t0 + 100, 2);
	check_ids("limit 2", &got, (int64_t[]){a, b}, 2);

	/* A retry later: not due before its next attempt. */
	must(f->st, store_message_result(f->st, a, MSG_QUEUED, "421", t0 + 1000, t0 + 30));
	got = due_messages(f, t0 + 100, 10);
	check_ids("after a's retry is planned at t0+1000", &got, (int64_t[]){b, c}, 2);
	got = due_messages(f, t0 + 1000, 10);
	check_ids("at t0+1000, by next attempt", &got, (int64_t[]){b, c, a}, 3);

	/* Handed to the mailer: leased until t0+500. */
	must(f->st, store_message_lease(f->st, b, t0 + 500));
	got = due_messages(f, t0 + 100, 10);
	check_ids("with b leased", &got, (int64_t[]){c}, 1);
	must(f->st, store_next_retry(f->st, &retry_at));
	check_int("next retry", retry_at, t0 + 20);

	/* A sent message is never due again, and a lease does not revive it. */
	must(f->st, store_message_result(f->st, c, MSG_SENT, NULL, TF_NONE, t0 + 40));
	must(f->st, store_message_lease(f->st, c, t0 + 50));
	got = due_messages(f, t0 + 100000, 10);
	check_ids("sent c is not due", &got, (int64_t[]){b, a}, 2);

	/* A restart: whatever was in flight is due now. */
	must(f->st, store_messages_release(f->st, t0 + 60));
	got = due_messages(f, t0 + 60, 10);
	check_ids("after release at t0+60", &got, (int64_t[]){a, b}, 2);
	struct store_message m;
	store_message_get(f->st, c, &m);
	check_int("release leaves sent messages alone", m.state, MSG_SENT);
	store_message_free(&m);
}

/* Queues a message to recipient carrying notes, and marks it sent (or not). */
static int64_t queue_to(struct fx *f, const char *msgid, const char *recipient,
                        const struct store_note *notes, size_t n, time_t now,
                        enum store_msg_state result)
{
	struct store_message m = message(msgid, recipient);
	bool queued = false;

	must(f->st, store_message_queue(f->st, &m, notes, n, now, &queued));
	if (!queued)
		fail_msg("%s not queued", msgid);
	if (result != MSG_QUEUED)
		must(f->st, store_message_result(f->st, m.id, result, NULL, TF_NONE, now + 60));
	return m.id;
}

/* A thread follows only messages that were sent to that recipient. */
static void test_thread_last(void **state)
{
	struct fx *f = *state;
	struct ledger_fx l = ledger_setup(f);
	char msgid[128] = "garbage";
	struct store_note first[] = {note(l.occ, "stp", "r7", l.t0)};
	struct store_note second[] = {note(l.occ, "stp", "r1", l.t0)};
	struct store_note failed[] = {note(l.occ, "stp", "r0", l.t0)};
	struct store_note other[] = {note(l.occ, "skhcn", "r1", l.t0)};
	struct store_note queued[] = {note(l.occ2, "stp", "r30", l.t0)};
	bool any = true;

	must(f->st, store_thread_last(f->st, l.occ, "stp", msgid, sizeof(msgid)));
	check_str("no message yet", msgid, "");
	must(f->st, store_sent_to(f->st, "stp", &any));
	check_int("nothing sent to stp yet", any, false);
	queue_to(f, "first@quangngai.example", "stp", first, 1, l.t0, MSG_SENT);
	must(f->st, store_thread_last(f->st, l.occ, "stp", msgid, sizeof(msgid)));
	check_str("after one sent", msgid, "first@quangngai.example");
	must(f->st, store_sent_to(f->st, "stp", &any));
	check_int("something sent to stp", any, true);
	queue_to(f, "second@quangngai.example", "stp", second, 1, l.t0 + 86400 * 6, MSG_PARTIAL);
	queue_to(f, "failed@quangngai.example", "stp", failed, 1, l.t0 + 86400 * 7, MSG_FAILED);
	queue_to(f, "other@quangngai.example", "skhcn", other, 1, l.t0 + 86400 * 7, MSG_SENT);
	queue_to(f, "waiting@quangngai.example", "stp", queued, 1, l.t0 + 86400 * 8, MSG_QUEUED);
	must(f->st, store_thread_last(f->st, l.occ, "stp", msgid, sizeof(msgid)));
	check_str("the latest sent to stp, not the failed one", msgid, "second@quangngai.example");
	must(f->st, store_thread_last(f->st, l.occ, "skhcn", msgid, sizeof(msgid)));
	check_str("the latest sent to skhcn", msgid, "other@quangngai.example");
	must(f->st, store_thread_last(f->st, l.occ, "sxd", msgid, sizeof(msgid)));
	check_str("never sent to sxd", msgid, "");
	must(f->st, store_thread_last(f->st, l.occ2, "stp", msgid, sizeof(msgid)));
	check_str("queued, not sent: no thread yet", msgid, "");
	time_t last;
	must(f->st, store_last_message_at(f->st, "stp", &last));
	check_int("last message to stp, whatever its state", last, l.t0 + 86400 * 8);
	must(f->st, store_last_message_at(f->st, "sxd", &last));
	check_int("none to sxd", last, TF_NONE);
}

struct pend {
	int64_t occ, task;
	time_t due;
	size_t n;
};

static int first_pending(const struct store_pending *p, void *arg)
{
	struct pend *seen = arg;

	if (seen->n++ == 0) {
		seen->occ = p->note.occurrence_id;
		seen->task = p->task_id;
		seen->due = p->due;
		if (strcmp(p->note.agency, "skhcn") || strcmp(p->note.role, "monitor") ||
		    p->note.state != NOTE_PENDING)
			fail_msg("first pending row: %s %s", p->note.agency, p->note.role);
	}
	return 0;
}

static int count_failed(const char *agency, int64_t n, void *arg)
{
	if (strcmp(agency, "sxd") || n != 1)
		fail_msg("failed notes: %s %lld", agency, (long long)n);
	(*(int64_t *)arg)++;
	return 0;
}

/*
 * Planning records what is due as pending rows; composing claims them for
 * the message that carries them (or as failed), all of an agency's at once.
 */
static void test_pending_rows(void **state)
{
	struct fx *f = *state;
	struct ledger_fx l = ledger_setup(f);
	struct store_note due[] = {
	    note(l.occ, "stp", "r30", l.t0), note(l.occ2, "stp", "r30", l.t0),
	    note(l.occ, "skhcn", "r30", l.t0), note(l.occ, "sxd", "r30", l.t0)};
	struct pend seen = {0};
	bool any = false;
	int64_t claimed = -1;

	snprintf(due[2].role, sizeof(due[2].role), "monitor");
	must(f->st, store_notes_record(f->st, due, 4, NOTE_PENDING, l.t0));
	must(f->st, store_pending_any(f->st, &any));
	check_int("pending rows", any, true);
	struct store_note r = ledger_row(f, l.occ, "skhcn", "r30");
	check_int("a pending row", r.state, NOTE_PENDING);
	check_str("its role", r.role, "monitor");
	/* Planned again: the key is taken. */
	must(f->st, store_notes_record(f->st, due, 1, NOTE_PENDING, l.t0 + 60));
	check_int("rows", raw_int(f->path, "SELECT COUNT(*) FROM notifications"), 4);

	must(f->st, store_pending(f->st, first_pending, &seen));
	check_int("pending rows listed", seen.n, 4);
	check_int("first by agency then occurrence: skhcn's", seen.occ, l.occ);
	check_int("with its task", seen.task, l.task);
	check_int("and due", seen.due, at(2025, 12, 15, 0, 0, 0));

	/* A message claims stp's two rows; sxd's fail (no address); skhcn's stay pending. */
	struct store_message m = message("claim@quangngai.example", "stp");
	bool queued = false;
	must(f->st, store_message_queue(f->st, &m, NULL, 0, l.t0, &queued));
	const char *stp[] = {"stp"}, *sxd[] = {"sxd"};
	must(f->st, store_pending_claim(f->st, stp, 1, NOTE_QUEUED, m.id, &claimed));
	check_int("claimed for stp", claimed, 2);
	check_int("carried", ledger_row(f, l.occ2, "stp", "r30").message, m.id);
	check_int("queued", ledger_row(f, l.occ2, "stp", "r30").state, NOTE_QUEUED);
	must(f->st, store_pending_claim(f->st, sxd, 1, NOTE_FAILED, 0, &claimed));
	check_int("failed for sxd", claimed, 1);
	check_int("failed", ledger_row(f, l.occ, "sxd", "r30").state, NOTE_FAILED);
	must(f->st, store_pending_claim(f->st, stp, 1, NOTE_QUEUED, m.id, &claimed));
	check_int("nothing left to claim for stp", claimed, 0);
	check_int("skhcn still pending", ledger_row(f, l.occ, "skhcn", "r30").state, NOTE_PENDING);
	/* A message carrying a pending row as a note claims it too (exactly once). */
	struct store_note again[] = {note(l.occ, "skhcn", "r30", l.t0)};
	int64_t id = queue_to(f, "again@quangngai.example", "skhcn", again, 1, l.t0, MSG_QUEUED);
	check_int("claimed by its message", ledger_row(f, l.occ, "skhcn", "r30").message, id);
	queue(f, "twice@quangngai.example", again, 1, l.t0, false);
	must(f->st, store_pending_any(f->st, &any));
	check_int("no pending row left", any, false);
	/* The failed one is listed for the admin, once its time is after `since`. */
	int64_t agencies = 0;
	must(f->st, store_failed_notes(f->st, l.t0 - 1, count_failed, &agencies));
	check_int("agencies with failed notifications", agencies, 1);
	agencies = 0;
	must(f->st, store_failed_notes(f->st, l.t0, count_failed, &agencies));
	check_int("none after", agencies, 0);
}

/* Old message texts go, the rows and the ledger stay; queued ones are kept. */
static void test_prune_bodies(void **state)
{
	struct fx *f = *state;
	time_t t0 = at(2025, 1, 2, 8, 0, 0);
	int64_t pruned = -1;

	int64_t a = queue_to(f, "a@x", "stp", NULL, 0, t0, MSG_SENT);
	int64_t b = queue_to(f, "b@x", "stp", NULL, 0, t0 + 10, MSG_QUEUED);
	int64_t c = queue_to(f, "c@x", "stp", NULL, 0, t0 + 20, MSG_FAILED);
	int64_t d = queue_to(f, "d@x", "stp", NULL, 0, t0 + 400 * 86400, MSG_SENT);
	must(f->st, store_prune_bodies(f->st, t0 + 100, &pruned));
	check_int("pruned before the queued one", pruned, 1);
	struct store_message m;
	store_message_get(f->st, a, &m);
	check_int("a's text gone", m.body_len, 0);
	check_str("a's subject kept", m.subject, "[Nhắc việc] Báo cáo năm");
	store_message_free(&m);
	store_message_get(f->st, b, &m);
	check_int("queued b kept", m.body_len > 0, 1);
	store_message_free(&m);
	/* Once b is sent, the watermark moves past it and c. */
	must(f->st, store_message_result(f->st, b, MSG_SENT, NULL, TF_NONE, t0 + 200));
	must(f->st, store_prune_bodies(f->st, t0 + 100, &pruned));
	check_int("b and c pruned", pruned, 2);
	store_message_get(f->st, c, &m);
	check_int("c's text gone", m.body_len, 0);
	store_message_free(&m);
	store_message_get(f->st, d, &m);
	check_int("d, recent, kept", m.body_len > 0, 1);
	store_message_free(&m);
	must(f->st, store_prune_bodies(f->st, t0 + 100, &pruned));
	check_int("nothing more", pruned, 0);
}

/* Occurrences made already missed; due ones say whether they have a ledger. */
static int mark_due(const struct store_occ *o, void *arg)
{
	int *flags = arg;

	flags[o->has_ledger]++;
	return 0;
}

static void test_occ_missed_and_has_ledger(void **state)
{
	struct fx *f = *state;
	struct ledger_fx l = ledger_setup(f);
	int64_t id;
	bool created = false;
	int flags[2] = {0, 0};

	must(f->st, store_occ_ensure_missed(f->st, l.task, at(2024, 12, 15, 0, 0, 0), TF_NONE, &id,
	                                    &created));
	check_int("made", created, true);
	check_int("missed",
	          raw_int(f->path, "SELECT status = 'missed' AND next_at IS NULL FROM occurrences"
	                           " WHERE due = strftime('%s', '2024-12-14 17:00:00')"),
	          1);
	struct store_note n[] = {note(l.occ, "stp", "r30", l.t0)};
	must(f->st, store_notes_record(f->st, n, 1, NOTE_SKIPPED, l.t0));
	must(f->st, store_occ_due(f->st, at(2030, 1, 1, 0, 0, 0), 100, mark_due, flags));
	check_int("due occurrences with a ledger", flags[1], 1);
	check_int("without", flags[0], 1);
	time_t created_at;
	must(f->st, store_plan_created(f->st, "KH-2025", &created_at));
	check_int("the plan's first sight", created_at != TF_NONE, 1);
}

static void test_failures(void **state)
{
	struct fx *f = *state;
	time_t t0 = at(2025, 6, 2, 8, 0, 0);
	int64_t n = -1;

	int64_t ok = queue(f, "ok@quangngai.example", NULL, 0, t0, true);
	int64_t bad = queue(f, "bad@quangngai.example", NULL, 0, t0, true);
	int64_t part = queue(f, "part@quangngai.example", NULL, 0, t0, true);
	int64_t later = queue(f, "later@quangngai.example", NULL, 0, t0, true);

	must(f->st, store_failures_count(f->st, &n));
	check_int("failures with none", n, 0);
	must(f->st, store_message_result(f->st, ok, MSG_SENT, NULL, TF_NONE, t0 + 10));
	must(f->st, store_message_result(f->st, bad, MSG_FAILED, "550 no", TF_NONE, t0 + 20));
	must(f->st,
	     store_message_result(f->st, part, MSG_PARTIAL, "550 one rcpt", TF_NONE, t0 + 30));
	must(f->st, store_rcpt_failure(f->st, part, "sai@quangngai.example", 550,
	                               "5.1.1 mailbox unavailable", t0 + 30));
	must(f->st, store_message_result(f->st, later, MSG_QUEUED, "421", t0 + 600, t0 + 40));

	must(f->st, store_failures_count(f->st, &n));
	check_int("unreported failures (failed + partial)", n, 2);
	struct id_list got = {.n = 0};
	must(f->st, store_failures_unreported(f->st, collect_msg, &got));
	check_ids("unreported", &got, (int64_t[]){bad, part}, 2);
	check_int("refused recipient recorded",
	          raw_int(f->path, "SELECT COUNT(*) FROM rcpt_failures WHERE code = 550"), 1);
	struct store_message m;
	check_int("message found", store_message_get(f->st, part, &m), 1);
	check_int("refused count on the message", m.refused, 1);
	store_message_free(&m);

	/* Reported once: even a failure in the same second as the summary. */
	must(f->st, store_failures_reported(f->st));
	must(f->st, store_failures_count(f->st, &n));
	check_int("after the summary", n, 0);
	must(f->st, store_message_result(f->st, later, MSG_FAILED, "gave up", TF_NONE, t0 + 40));
	must(f->st, store_failures_count(f->st, &n));
	check_int("a new failure", n, 1);
	got.n = 0;
	must(f->st, store_failures_unreported(f->st, collect_msg, &got));
	check_ids("only the new one", &got, (int64_t[]){later}, 1);
}

/* Some recipients done: the next attempt goes to the rest; who has it is kept. */
static void test_message_progress(void **state)
{
	struct fx *f = *state;
	time_t t0 = at(2025, 6, 2, 8, 0, 0);
	struct store_message m;

	int64_t id = queue(f, "prog@quangngai.example", NULL, 0, t0, true);
	must(f->st, store_message_progress(f->st, id, "stc@quangngai.example",
	                                   "sct@quangngai.example\nskhcn@quangngai.example"));
	check_int("found", store_message_get(f->st, id, &m), 1);
	check_str("rcpt narrowed", m.rcpt, "stc@quangngai.example");
	check_str("delivered_to", m.delivered_to, "sct@quangngai.example\nskhcn@quangngai.example");
	check_int("still queued", m.state, MSG_QUEUED);
	store_message_free(&m);
}

/* ---- reports ------------------------------------------------------------ */

static void test_stats(void **state)
{
	struct fx *f = *state;
	struct store_stats s;
	struct task t;

	memset(&s, 0xff, sizeof(s));
	must(f->st, store_stats(f->st, &s));
	check_int("plans of an empty store", s.plans, 0);
	check_int("notes of an empty store", s.notes, 0);

	add_plan(f, "KH-2025", 2025, 2025);
	add_plan(f, "119/KH-UBND", 2020, 2025);
	int64_t open = add_task(f, "KH-2025", "open", "Mở");
	int64_t done = add_task(f, "KH-2025", "done", "Xong");
	make_task(&t, "KH-2025", "unparsed", "Không hiểu thời hạn");
	t.flags = TASK_FLAG_UNPARSED;
	upsert(f, &t, STORE_NEW);
	task_free(&t);
	make_task(&t, "119/KH-UBND", "unresolved", "Cơ quan lạ");
	task_add_agency(&t, TASK_COORD, "Phòng Không Tên", "Phòng Không Tên", NULL, false);
	upsert(f, &t, STORE_NEW);
	int64_t unresolved = t.id;
	task_free(&t);
	/* What an admin must check is flagged; a condition or the plan's period is not. */
	const struct {
		const char *key;
		unsigned flags;
	} more[] = {{"loose", TASK_FLAG_LOOSE},
	            {"no-lead", TASK_FLAG_NO_LEAD},
	            {"condition", TASK_FLAG_CONDITION | TASK_FLAG_IMPLICIT}};
	for (size_t i = 0; i < N_ELEMS(more); i++) {
		make_task(&t, "KH-2025", more[i].key, more[i].key);
		t.flags = more[i].flags;
		upsert(f, &t, STORE_NEW);
		task_free(&t);
	}
	must(f->st, store_task_set_status(f->st, done, TASK_DONE, "Đạt", at(2025, 2, 1, 8, 0, 0)));
	must(f->st, store_task_set_status(f->st, unresolved, TASK_CANCELLED, NULL,
	                                  at(2025, 2, 1, 8, 0, 0)));

	int64_t o1 = add_occ(f, open, at(2025, 6, 30, 0, 0, 0));
	int64_t o2 = add_occ(f, done, at(2025, 6, 30, 0, 0, 0));
	add_occ(f, open, at(2025, 9, 30, 0, 0, 0));
	int64_t o4 = add_occ(f, open, at(2025, 12, 31, 0, 0, 0));
	must(f->st, store_occ_set_status(f->st, o2, TASK_DONE));
	/* Retired (status removed): not open, like a removed task. */
	must(f->st, store_occ_set_status(f->st, o4, TASK_REMOVED));

	time_t t0 = at(2025, 6, 2, 8, 0, 0);
	struct store_note n1[] = {note(o1, "stp", "r30", t0), note(o1, "stp", "r14", t0)};
	struct store_note n2[] = {note(o1, "stp", "r7", t0)};
	struct store_note n3[] = {note(o1, "stp", "r3", t0)};
	int64_t m1 = queue(f, "s1@quangngai.example", n1, 2, t0, true);
	int64_t m2 = queue(f, "s2@quangngai.example", n2, 1, t0, true);
	queue(f, "s3@quangngai.example", n3, 1, t0, true);
	int64_t m4 = queue(f, "s4@quangngai.example", NULL, 0, t0, true);
	queue(f, "s5@quangngai.example", NULL, 0, t0, true);
	must(f->st, store_message_result(f->st, m1, MSG_SENT, NULL, TF_NONE, t0 + 1));
	must(f->st, store_message_result(f->st, m2, MSG_FAILED, "550", TF_NONE, t0 + 1));
	must(f->st, store_message_result(f->st, m4, MSG_PARTIAL, "550", TF_NONE, t0 + 1));
	struct store_note sk[] = {note(o1, "stp", "r1", t0)};
	must(f->st, store_notes_record(f->st, sk, 1, NOTE_SKIPPED, t0));

	must(f->st, store_stats(f->st, &s));
	check_int("plans", s.plans, 2);
	check_int("tasks", s.tasks, 7);
	check_int("tasks_open (open, unparsed, loose, no-lead, condition)", s.tasks_open, 5);
	check_int("tasks_flagged (unparsed, unresolved, loose, no-lead)", s.tasks_flagged, 4);
	check_int("occurrences", s.occurrences, 4);
	check_int("queued (s3, s5)", s.queued, 2);
	check_int("sent", s.sent, 1);
	check_int("failed", s.failed, 1);
	check_int("partial", s.partial, 1);
	check_int("notes (4 queued + 1 skipped)", s.notes, 5);
	/* Last: the open ones, as store_occ_replan_all() counts them (not done,
	 * cancelled or removed). */
	check_int("occurrences_open (not the done nor the removed one)", s.occurrences_open, 2);
}

struct unresolved_seen {
	char rows[8][256];
	size_t n;
};

static int collect_unresolved(const char *name, const char *plan, const char *key, const char *file,
                              int line, void *arg)
{
	struct unresolved_seen *u = arg;

	if (u->n < N_ELEMS(u->rows))
		snprintf(u->rows[u->n++], sizeof(u->rows[0]), "%s|%s|%s|%s|%d", name, plan, key,
		         file ? file : "(null)", line);
	return 0;
}

static void test_unresolved_names(void **state)
{
	struct fx *f = *state;
	struct unresolved_seen u = {.n = 0};
	struct task t;

	add_plan(f, "KH-2025", 2025, 2025);
	add_task(f, "KH-2025", "resolved-only", "Mọi tên đều rõ");
	make_task(&t, "KH-2025", "B.II.3", "Có tên lạ");
	t.source_file = sdup("seeds/KH-2025.txt");
	t.source_line = 88;
	task_add_agency(&t, TASK_COORD, "Phòng Không Tên", "Phòng Không Tên", NULL, false);
	upsert(f, &t, STORE_NEW);
	task_free(&t);

	must(f->st, store_unresolved(f->st, collect_unresolved, &u));
	check_int("unresolved names", u.n, 1);
	check_str("the unresolved row", u.rows[0],
	          "Phòng Không Tên|KH-2025|B.II.3|seeds/KH-2025.txt|88");
}

/* Quotes, semicolons and SQL in every value: stored and read back verbatim. */
static void test_hostile_values_round_trip(void **state)
{
	struct fx *f = *state;
	const char *plan = "KH'); DROP TABLE plans; --";
	const char *key = "k\"'; DELETE FROM tasks; --";
	const char *title = HOSTILE " %s%n \\ \"trích dẫn\"";
	struct task t, got;
	struct store_plan p = {
	    .id = (char *)plan, .title = (char *)HOSTILE, .origin = (char *)"ini"};
	struct store_plan gp;
	char ref[256], v[128];
	int64_t id = 0;

	must(f->st, store_plan_upsert(f->st, &p, at(2025, 1, 1, 8, 0, 0)));
	check_int("plan_get", store_plan_get(f->st, plan, &gp), 1);
	check_str("plan id", gp.id, plan);
	check_str("plan title", gp.title, HOSTILE);
	store_plan_free(&gp);

	make_task(&t, plan, key, title);
	task_add_agency(&t, TASK_COORD, HOSTILE, HOSTILE, NULL, false);
	task_add_agency(&t, TASK_LEAD, "x'); DROP TABLE assignments; --", "Sở 'X'", "g';--", true);
	int64_t tid = upsert(f, &t, STORE_NEW);
	task_free(&t);
	make_task(&t, plan, key, title);
	task_add_agency(&t, TASK_COORD, HOSTILE, HOSTILE, NULL, false);
	task_add_agency(&t, TASK_LEAD, "x'); DROP TABLE assignments; --", "Sở 'X'", "g';--", true);
	check_int("identical hostile content is STORE_SAME", upsert(f, &t, STORE_SAME), tid);
	task_free(&t);

	get_task(f, tid, &got);
	check_str("title", got.title, title);
	check_str("key", got.key, key);
	check_str("plan_id", got.plan_id, plan);
	check_int("assignments", got.n_agencies, 3);
	check_str("unresolved agency", got.agencies[1].agency, HOSTILE);
	check_str("its written name", got.agencies[1].written, HOSTILE);
	check_str("agency id with SQL", got.agencies[2].agency, "x'); DROP TABLE assignments; --");
	check_str("via_group", got.agencies[2].via_group, "g';--");
	task_free(&got);

	snprintf(ref, sizeof(ref), "%s:%s", plan, key);
	check_int("find PLAN:KEY with quotes", store_task_find(f->st, ref, &id), 1);
	check_int("  its id", id, tid);
	check_int("find the bare hostile key", store_task_find(f->st, key, &id), 1);
	check_int("find a key that is SQL", store_task_find(f->st, "' OR '1'='1", &id), 0);

	must(f->st,
	     store_task_set_status(f->st, tid, TASK_WAITING, HOSTILE, at(2025, 2, 1, 8, 0, 0)));
	get_task(f, tid, &got);
	check_str("status note", got.status_note, HOSTILE);
	task_free(&got);

	must(f->st, store_meta_set(f->st, HOSTILE, HOSTILE));
	must(f->st, store_meta_get(f->st, HOSTILE, v, sizeof(v)));
	check_str("meta", v, HOSTILE);

	int64_t occ = add_occ(f, tid, at(2025, 6, 30, 0, 0, 0));
	struct store_note n[] = {note(occ, HOSTILE, "r7'--", at(2025, 6, 1, 8, 0, 0))};
	struct store_message m = message("<'; DROP TABLE messages; --@x>", HOSTILE), gm;
	bool queued = false;
	m.subject = (char *)HOSTILE;
	must(f->st, store_message_queue(f->st, &m, n, 1, at(2025, 6, 1, 8, 0, 0), &queued));
	check_int("hostile message queued", queued, true);
	store_message_get(f->st, m.id, &gm);
	check_str("message_id", gm.message_id, "<'; DROP TABLE messages; --@x>");
	check_str("recipient", gm.recipient, HOSTILE);
	check_str("subject", gm.subject, HOSTILE);
	store_message_free(&gm);
	check_str("ledger agency", ledger_row(f, occ, HOSTILE, "r7'--").agency, HOSTILE);
	must(f->st,
	     store_message_result(f->st, m.id, MSG_SENT, NULL, TF_NONE, at(2025, 6, 1, 9, 0, 0)));
	must(f->st, store_thread_last(f->st, occ, HOSTILE, v, sizeof(v)));
	check_str("thread of the hostile agency", v, "<'; DROP TABLE messages; --@x>");
	must(f->st, store_message_result(f->st, m.id, MSG_FAILED, HOSTILE, TF_NONE,
	                                 at(2025, 6, 1, 8, 1, 0)));
	must(f->st,
	     store_rcpt_failure(f->st, m.id, HOSTILE, 550, HOSTILE, at(2025, 6, 1, 8, 1, 0)));

	struct unresolved_seen u = {.n = 0};
	must(f->st, store_unresolved(f->st, collect_unresolved, &u));
	check_int("unresolved rows", u.n, 1);
	if (strncmp(u.rows[0], HOSTILE "|", strlen(HOSTILE) + 1) != 0)
		fail_msg("unresolved name: %s", u.rows[0]);

	/* Nothing was dropped or deleted. */
	check_int("tables",
	          raw_int(f->path, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'"), 16);
	check_int("plans", raw_int(f->path, "SELECT COUNT(*) FROM plans"), 1);
	check_int("tasks", raw_int(f->path, "SELECT COUNT(*) FROM tasks"), 1);
	check_int("assignments", raw_int(f->path, "SELECT COUNT(*) FROM assignments"), 3);
	check_int("messages", raw_int(f->path, "SELECT COUNT(*) FROM messages"), 1);
	check_int("notifications", raw_int(f->path, "SELECT COUNT(*) FROM notifications"), 1);
	char *raw_title = raw_text(f->path, "SELECT title FROM tasks");
	check_str("title as stored in the file", raw_title, title);
	free(raw_title);
}

struct reply_seen {
	int64_t inbound;
	size_t cmds, atts;
	const char *state;
};

static int collect_reply(const struct store_inbound *in, const struct store_reply_cmd *cmds,
                         size_t n_cmds, const struct store_attachment *atts, size_t n_atts,
                         void *arg)
{
	struct reply_seen *r = arg;

	(void)atts;
	r->inbound = in->id;
	r->cmds = n_cmds;
	r->atts = n_atts;
	r->state = n_cmds && !strcmp(cmds[0].state, "applied") ? "applied" : "?";
	return 0;
}

static int count_bad(const char *address, const char *agency, const char *status,
                     const char *diagnostic, time_t last_at, void *arg)
{
	(void)agency, (void)status, (void)diagnostic, (void)last_at;
	check_str("lowercased", address, "sct@x.example");
	++*(int *)arg;
	return 0;
}

/* The inbox's rows: a message once per (Message-ID, hash), its commands and files,
 * a task's replies, requests, bad addresses, and a reply token's lookup. */
static void test_inbox_rows(void **state)
{
	struct fx *f = *state;
	struct store_message got;
	int64_t id, *tasks, *occs, held;
	size_t nt;
	bool yes;

	add_plan(f, "KH-1", 2025, 2025);
	int64_t t = add_task(f, "KH-1", "a", "A");
	int64_t occ = add_occ(f, t, 1000);
	struct store_note n = note(occ, "stp", "r7", 100);
	int64_t m =
	    queue(f, "deadlined.20250620T020000.0123456789abcdef@q.example", &n, 1, 100, true);
	check_int("by ref", store_message_by_ref(f->st, "0123456789abcdef", &got), 1);
	check_int("that message", got.id, m);
	store_message_free(&got);
	check_int("unknown ref", store_message_by_ref(f->st, "ffffffffffffffff", &got), 0);
	must(f->st, store_message_tasks(f->st, m, &tasks, &occs, &nt));
	check_int("tasks", nt, 1);
	check_int("task", tasks[0], t);
	check_int("occurrence", occs[0], occ);
	free(tasks), free(occs);

	struct store_inbound in = {.received_at = 200,
	                           .source = "maildir:x",
	                           .message_id = "r1@x",
	                           .hash = "h1",
	                           .from_addr = "a@x.example",
	                           .agency = "stp",
	                           .message = m,
	                           .matched_by = "token",
	                           .kind = "reply",
	                           .state = "applied",
	                           .text = "Hoàn thành\n"};
	must(f->st, store_inbound_add(f->st, &in));
	check_int("found", store_inbound_find(f->st, "r1@x", "h1", &id), 1);
	check_int("its id", id, in.id);
	check_int("other bytes", store_inbound_find(f->st, "r1@x", "h2", &id), 0);
	check_int("by Message-ID", store_inbound_by_msgid(f->st, "r1@x", &id), 1);
	check_int("twice refused", store_inbound_add(f->st, &in), -1);
	must(f->st, store_inbound_task(f->st, in.id, t, occ));
	must(f->st, store_inbound_task(f->st, in.id, t, occ));

	struct store_reply_cmd c = {.inbound = in.id,
	                            .line = 1,
	                            .line_text = "Hoàn thành",
	                            .task_id = t,
	                            .occurrence_id = occ,
	                            .command = "done",
	                            .new_due = TF_NONE,
	                            .state = "pending"};
	must(f->st, store_reply_cmd_add(f->st, &c));
	must(f->st, store_reply_cmd_set_state(f->st, c.id, "applied", "done"));
	struct store_attachment a = {.inbound = in.id,
	                             .filename = "Báo cáo.pdf",
	                             .path = "/x",
	                             .content_type = "application/pdf",
	                             .size = 9,
	                             .sha256 = "ab"};
	must(f->st, store_attachment_add(f->st, &a));
	struct reply_seen r = {0};
	must(f->st, store_task_replies(f->st, t, collect_reply, &r));
	check_int("the reply", r.inbound, in.id);
	check_int("its command", r.cmds, 1);
	check_int("its file", r.atts, 1);
	check_str("applied", r.state, "applied");

	/* A level set by a reply received after the one asking (tie: a later id). */
	struct {
		int64_t inbound, occurrence;
		time_t received_at;
		int want;
	} later[] = {
	    {in.id + 1, 0, 100, 1},          {in.id + 1, occ, 100, 1}, {0, 0, 200, 1},
	    {in.id + 1, 0, 200, 0},          {in.id + 1, 0, 300, 0},   {in.id, 0, 100, 0},
	    {in.id + 1, occ + 1000, 100, 0},
	};
	for (size_t i = 0; i < N_ELEMS(later); i++) {
		int64_t by = -1;
		int found = store_level_set_later(f->st, t, later[i].occurrence, later[i].inbound,
		                                  later[i].received_at, &by);
		if (found != later[i].want || (found == 1 && by != in.id))
			fail_msg("case %zu: %d (by %lld), want %d", i, found, (long long)by,
			         later[i].want);
	}

	must(f->st, store_inbound_set_answer(f->st, in.id, m, "help"));
	must(f->st, store_inbound_answered(f->st, "A@X.example", "help", 150, &yes));
	check_int("answered, any case", yes, 1);
	must(f->st, store_inbound_answered(f->st, "a@x.example", "help", 300, &yes));
	check_int("not since", yes, 0);
	must(f->st, store_inbound_count(f->st, "held", 0, &held));
	check_int("none held", held, 0);
	must(f->st, store_inbound_decide(f->st, in.id, "held", "why", NULL, 300));
	must(f->st, store_inbound_count(f->st, "held", 0, &held));
	check_int("held", held, 1);
	must(f->st, store_inbound_decide(f->st, in.id, "accepted", NULL, "admin", 400));
	struct store_inbound back;
	check_int("get", store_inbound_get(f->st, in.id, &back), 1);
	check_str("state", back.state, "accepted");
	check_str("reason kept", back.reason, "why");
	check_str("who", back.decided_by, "admin");
	check_int("when", back.decided_at, 400);
	store_inbound_free(&back);

	struct store_extension x = {.task_id = t,
	                            .occurrence_id = occ,
	                            .inbound = in.id,
	                            .agency = "stp",
	                            .requested_due = 5000,
	                            .reason = "kinh phí",
	                            .created_at = 200};
	must(f->st, store_extension_add(f->st, &x));
	struct store_extension p;
	check_int("pending", store_extension_pending(f->st, t, &p), 1);
	check_int("its date", p.requested_due, 5000);
	check_str("its reason", p.reason, "kinh phí");
	store_extension_free(&p);
	must(f->st, store_extension_decide(f->st, x.id, "approved", "admin", NULL, 300));
	check_int("settled", store_extension_pending(f->st, t, &p), 0);

	int64_t nbad;
	int listed = 0;
	must(f->st, store_bad_address(f->st, "SCT@x.example", "sct", "5.1.1", "550", in.id, 300));
	must(f->st, store_bad_address(f->st, "sct@x.example", NULL, "5.1.1", "550", in.id, 310));
	must(f->st, store_bad_addresses_count(f->st, &nbad));
	check_int("one address", nbad, 1);
	must(f->st, store_bad_addresses_unreported(f->st, count_bad, &listed));
	check_int("listed", listed, 1);
	must(f->st, store_bad_addresses_reported(f->st));
	must(f->st, store_bad_addresses_count(f->st, &nbad));
	check_int("told", nbad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	    T(test_open_creates_schema_wal_latest_version),
	    T(test_foreign_keys_enforced),
	    T(test_migration_from_version_1),
	    T(test_newer_schema_refused),
	    T(test_files_are_never_readable_by_others),
	    T(test_backup_is_a_checked_standalone_copy),
	    T(test_meta_round_trip),
	    T(test_plan_upsert_keeps_old_values),
	    T(test_task_round_trip_every_field),
	    T(test_task_assignments_round_trip),
	    T(test_task_upsert_new_same_updated),
	    T(test_task_find_by_reference),
	    T(test_task_status_and_extension_history),
	    T(test_remove_missing_only_that_origin),
	    T(test_removed_task_returns_with_its_status),
	    T(test_migration_recovers_the_status_of_removed_tasks),
	    T(test_tasks_get_by_ids),
	    T(test_tasks_listing_order),
	    T(test_transaction_rollback_and_commit),
	    T(test_occ_ensure_idempotent),
	    T(test_occ_due_and_next_wake),
	    T(test_occ_replan_all_lowers_open_only),
	    T(test_message_queue_exactly_once),
	    T(test_message_queue_is_atomic),
	    T(test_notes_record_blocks_queueing),
	    T(test_notes_insert_many),
	    T(test_occ_set_next_many),
	    T(test_message_result_moves_notes),
	    T(test_message_body_is_binary_safe),
	    T(test_messages_due_lease_release),
	    T(test_thread_last),
	    T(test_pending_rows),
	    T(test_prune_bodies),
	    T(test_occ_missed_and_has_ledger),
	    T(test_failures),
	    T(test_message_progress),
	    T(test_stats),
	    T(test_unresolved_names),
	    T(test_hostile_values_round_trip),
	    T(test_inbox_rows),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
