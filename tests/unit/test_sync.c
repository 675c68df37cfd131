/*
 * Unit tests for sync: the INI plans and tasks of the example configuration
 * (config/deadlined.ini, run from the repository root) put into a real
 * SQLite file in a temporary directory, with their occurrences. Modified
 * copies of the configuration are written into the same directory.
 * Expectations come from include/sync.h, the example config and the
 * domain notes, written by hand.
 */
#include "check.h"

#include "buf.h"
#include "cfg.h"
#include "date.h"
#include "dir.h"
#include "store.h"
#include "sync.h"
#include "task.h"

#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CONFIG "config/deadlined.ini"

#define PLAN_119  "119/KH-UBND"
#define TASK_119  "119/KH-UBND:bao-cao-119"
#define TASK_KH   "KH-2025:bao-cao-nam-kh-2025"
#define TITLE_119 "Báo cáo kết quả thực hiện Kế hoạch chuyển đổi số về Sở Thông tin và Truyền thông"

/* ---- reporting ---------------------------------------------------------- */

static void check_report(const char *what, const struct sync_report *r, int tasks, int created,
                         int updated, int unchanged, int removed)
{
	if (r->tasks != tasks || r->created != created || r->updated != updated ||
	    r->unchanged != unchanged || r->removed != removed)
		fail_msg(
		    "%s: tasks %d created %d updated %d unchanged %d removed %d; want %d %d %d "
		    "%d %d",
		    what, r->tasks, r->created, r->updated, r->unchanged, r->removed, tasks,
		    created, updated, unchanged, removed);
}

/* ---- the fixture: a database and the example config --------------------- */

struct fx {
	char dir[PATH_MAX - 64];
	char path[PATH_MAX];
	struct store *st;
	struct cfg *cfg;
	struct dir *d;
};

static struct cfg *load(const char *path)
{
	struct buf errors = BUF_INIT;
	struct cfg *c = cfg_load(path, &errors, NULL);

	if (!c)
		print_error("cfg_load(%s) failed:\n%s\n", path, buf_str(&errors));
	buf_free(&errors);
	return c;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	const char *tmp = getenv("TMPDIR");
	char err[512] = "";

	if (!f)
		return -1;
	/* The config first: nothing is left behind in TMPDIR if it fails. */
	f->cfg = load(CONFIG);
	f->d = f->cfg ? dir_new(f->cfg) : NULL;
	if (!f->d) {
		cfg_free(f->cfg);
		free(f);
		return -1;
	}
	snprintf(f->dir, sizeof(f->dir), "%s/deadlined-test-sync.XXXXXX",
	         tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(f->dir))
		snprintf(f->path, sizeof(f->path), "%s/deadlined.db", f->dir);
	if (!f->path[0] || store_open(f->path, &f->st, err, sizeof(err)) != 0) {
		print_error("%s: %s\n", f->path, err[0] ? err : "mkdtemp failed");
		rm_rf(f->dir);
		dir_free(f->d);
		cfg_free(f->cfg);
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
		dir_free(f->d);
		cfg_free(f->cfg);
		rm_rf(f->dir);
		free(f);
	}
	return 0;
}

/* ---- a modified copy of the configuration ------------------------------- */

struct alt {
	struct cfg *cfg;
	struct dir *d;
};

/*
 * Writes FX/NAME/deadlined.ini (the example without the section `drop`, if
 * any, and with `extra` appended) beside a copy of directory.ini, and loads
 * it. The include is relative, so the copy must sit beside it.
 */
static struct alt alt_config(struct fx *f, const char *name, const char *drop, const char *extra)
{
	char sub[PATH_MAX], path[PATH_MAX + 32], cwd[PATH_MAX], target[PATH_MAX + 32];
	char *ini = read_all(CONFIG), *directory = read_all("config/directory.ini");
	struct buf out = BUF_INIT;
	bool skipping = false, dropped = false;
	struct alt a;

	snprintf(sub, sizeof(sub), "%.*s/%s", (int)(sizeof(sub) - 32), f->dir, name);
	if (mkdir(sub, 0700) != 0)
		fail_msg("mkdir %s failed", sub);
	for (char *line = ini, *next; line && *line; line = next) {
		char *nl = strchr(line, '\n');
		next = nl ? nl + 1 : NULL;
		size_t len = nl ? (size_t)(nl - line) + 1 : strlen(line);
		if (line[0] == '[')
			skipping = drop && !strncmp(line, drop, strlen(drop));
		dropped |= skipping;
		if (!skipping)
			buf_add(&out, line, len);
	}
	if (drop && !dropped)
		fail_msg("test error: %s has no section %s", CONFIG, drop);
	if (extra)
		buf_printf(&out, "\n%s", extra);
	snprintf(path, sizeof(path), "%s/deadlined.ini", sub);
	write_all(path, buf_str(&out));
	snprintf(path, sizeof(path), "%s/directory.ini", sub);
	write_all(path, directory);
	/* The templates, in case the loader looks for them. */
	if (getcwd(cwd, sizeof(cwd))) {
		snprintf(target, sizeof(target), "%s/config/templates", cwd);
		snprintf(path, sizeof(path), "%s/templates", sub);
		if (symlink(target, path) != 0)
			fail_msg("symlink %s failed", path);
	}
	buf_free(&out);
	free(ini);
	free(directory);
	snprintf(path, sizeof(path), "%s/deadlined.ini", sub);
	a.cfg = load(path);
	if (!a.cfg)
		fail_msg("the modified config %s does not load", path);
	a.d = dir_new(a.cfg);
	return a;
}

static void alt_free(struct alt *a)
{
	dir_free(a->d);
	cfg_free(a->cfg);
}

/* ---- looking at the store ----------------------------------------------- */

static int64_t find(struct fx *f, const char *ref)
{
	int64_t id = 0;
	int r = store_task_find(f->st, ref, &id);

	if (r != 1)
		fail_msg("store_task_find(\"%s\") = %d, want 1", ref, r);
	return id;
}

struct occs {
	struct store_occ v[64];
	size_t n;
};

static int collect_occ(const struct store_occ *o, void *arg)
{
	struct occs *l = arg;

	if (l->n < N_ELEMS(l->v))
		l->v[l->n++] = *o;
	return 0;
}

static struct occs occurrences(struct fx *f, int64_t task)
{
	struct occs l = {.n = 0};

	must(f->st, store_occ_of_task(f->st, task, collect_occ, &l));
	return l;
}

static const char *show_occs(const struct occs *l)
{
	static char out[4096];
	char iso[32];

	out[0] = '\0';
	for (size_t i = 0; i < l->n; i++)
		snprintf(out + strlen(out), sizeof(out) - strlen(out),
		         "\n  #%lld due %s next_at %lld", (long long)l->v[i].id,
		         date_format_iso(l->v[i].due, TZ, iso, sizeof(iso)),
		         (long long)l->v[i].next_at);
	return out;
}

static long long raw_int(const char *path, const char *query)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	long long v = -999999;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, query, -1, &s, NULL) != SQLITE_OK)
		fail_msg("raw query \"%s\": %s", query, sqlite3_errmsg(db));
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

static long long occurrence_rows(struct fx *f)
{
	return raw_int(f->path, "SELECT COUNT(*) FROM occurrences");
}

static void sync_ok(struct fx *f, const struct dir *d, time_t now, struct sync_report *r)
{
	memset(r, 0x55, sizeof(*r));
	must(f->st, sync_config(f->st, d, now, r));
}

/* ---- tests -------------------------------------------------------------- */

static void test_sync_config_stores_plans_and_tasks(void **state)
{
	struct fx *f = *state;
	struct sync_report r;
	struct store_plan p;
	struct task t;

	sync_ok(f, f->d, at(2025, 6, 2, 8, 0, 0), &r);
	check_report("first sync", &r, 2, 2, 0, 0, 0);
	check_int("flagged", r.flagged, 0);

	check_int("plan 119/KH-UBND stored", store_plan_get(f->st, PLAN_119, &p), 1);
	check_str("plan title (continued line joined)", p.title,
	          "Kế hoạch triển khai thực hiện Chương trình Chuyển đổi số quốc gia đến năm 2025, "
	          "định hướng đến năm 2030 của tỉnh Quảng Ngãi");
	check_str("issued", p.issued, "2020-10-09");
	check_int("first_year", p.first_year, 2020);
	check_int("last_year", p.last_year, 2025);
	check_str("monitor", p.monitor, "sttt");
	check_str("origin", p.origin, "ini");
	store_plan_free(&p);
	check_int("plan KH-2025 stored", store_plan_get(f->st, "KH-2025", &p), 1);
	check_str("title", p.title,
	          "Kế hoạch triển khai thúc đẩy phát triển kinh tế số ngành, lĩnh vực tại Quảng "
	          "Ngãi");
	check_str("monitor", p.monitor, "skhcn");
	store_plan_free(&p);

	check_int("store_task_get", store_task_get(f->st, find(f, TASK_119), &t), 1);
	check_str("title", t.title, TITLE_119);
	check_str("timeframe", t.timeframe, "trước ngày 01/12 hàng năm");
	check_int("kind", t.kind, TF_YEARLY);
	check_str("origin", t.origin, "ini");
	check_int("status", t.status, TASK_OPEN);
	check_int("flags", t.flags, 0);
	if (!t.source_file || !strstr(t.source_file, "deadlined.ini"))
		fail_msg("source_file: %s", t.source_file ? t.source_file : "NULL");
	/* 26 sở, ban, ngành and 13 district committees, each through its group. */
	check_int("lead assignments of bao-cao-119", t.n_agencies, 26 + 13);
	size_t via_sbn = 0, via_huyen = 0;
	for (size_t i = 0; i < t.n_agencies; i++) {
		const struct task_agency *a = &t.agencies[i];
		if (a->role != TASK_LEAD || !a->resolved)
			fail_msg("assignment %s is not a resolved lead", a->agency);
		via_sbn += a->via_group && !strcmp(a->via_group, "so-ban-nganh") &&
		           !strcmp(a->written, "Các sở, ban, ngành thuộc Ủy ban nhân dân tỉnh");
		via_huyen += a->via_group && !strcmp(a->via_group, "ubnd-cap-huyen") &&
		             !strcmp(a->written, "UBND các huyện, thị xã, thành phố");
	}
	check_int("members of so-ban-nganh", via_sbn, 26);
	check_int("members of ubnd-cap-huyen", via_huyen, 13);
	task_free(&t);

	check_int("store_task_get", store_task_get(f->st, find(f, TASK_KH), &t), 1);
	check_str(
	    "title (continued line joined)", t.title,
	    "Báo cáo tình hình triển khai thực hiện các nhiệm vụ của Kế hoạch về Sở Khoa học và "
	    "Công nghệ tổng hợp, báo cáo Bộ Khoa học và Công nghệ, UBND tỉnh");
	check_str("timeframe", t.timeframe, "Định kỳ hàng năm (trước ngày 15/12)");
	check_int("kind", t.kind, TF_YEARLY);
	/* Các sở, ban, ngành, địa phương (39 members) and Báo Quảng Ngãi. */
	check_int("lead assignments of bao-cao-nam-kh-2025", t.n_agencies, 39 + 1);
	bool bao = false;
	for (size_t i = 0; i < t.n_agencies; i++)
		bao |= !strcmp(t.agencies[i].agency, "bao-qn") && !t.agencies[i].via_group &&
		       !strcmp(t.agencies[i].written, "Báo Quảng Ngãi");
	if (!bao)
		fail_msg("Báo Quảng Ngãi is not a lead of its own");
	task_free(&t);
}

/*
 * 119/KH-UBND, 2020-2025, "trước ngày 01/12 hàng năm": due 01/12 00:00 each
 * year. Seen on 2/6/2025, those whose next one is already due (2020..2023)
 * are made missed, never planned; 2024's is open until 01/12/2025.
 */
static void test_sync_config_occurrences_of_plan_period(void **state)
{
	struct fx *f = *state;
	struct sync_report r;

	sync_ok(f, f->d, at(2025, 6, 2, 8, 0, 0), &r);
	struct occs l = occurrences(f, find(f, TASK_119));
	if (l.n != 6)
		fail_msg("occurrences of bao-cao-119: %zu, want 6 (2020..2025):%s", l.n,
		         show_occs(&l));
	for (int y = 2020; y <= 2025; y++) {
		char what[64];
		bool missed = y <= 2023;
		snprintf(what, sizeof(what), "occurrence %d due 01/12/%d 00:00", y - 2019, y);
		check_int(what, l.v[y - 2020].due, at(y, 12, 1, 0, 0, 0));
		snprintf(what, sizeof(what), "occurrence %d next_at", y - 2019);
		check_int(what, l.v[y - 2020].next_at, missed ? TF_NONE : 0);
		check_int("status", l.v[y - 2020].status, missed ? TASK_MISSED : TASK_OPEN);
	}

	/* KH-2025 names no period nor date: from the day the store first saw the plan,
	 * the first occurrence beyond the horizon (2/6 + 62 days). */
	struct occs k = occurrences(f, find(f, TASK_KH));
	if (k.n != 1 || k.v[0].due != at(2025, 12, 15, 0, 0, 0))
		fail_msg("occurrences of bao-cao-nam-kh-2025 at 02/06/2025: want 15/12/2025 00:00, "
		         "got:%s",
		         show_occs(&k));
	check_int("report.occurrences", r.occurrences, 6 + 1);
	check_int("occurrence rows", occurrence_rows(f), 6 + 1);
}

static void test_sync_config_idempotent(void **state)
{
	struct fx *f = *state;
	struct sync_report r;
	time_t now = at(2025, 6, 2, 8, 0, 0);

	sync_ok(f, f->d, now, &r);
	int64_t id = find(f, TASK_119);
	long long rows = occurrence_rows(f);
	long long history = raw_int(f->path, "SELECT COUNT(*) FROM history");
	struct occs l = occurrences(f, id);
	/* The planner has looked at one of them. */
	must(f->st, store_occ_set_next(f->st, l.v[5].id, at(2025, 11, 1, 8, 0, 0)));

	sync_ok(f, f->d, now + 3600, &r);
	check_report("second sync", &r, 2, 0, 0, 2, 0);
	check_int("new occurrences", r.occurrences, 0);
	check_int("occurrence rows", occurrence_rows(f), rows);
	check_int("history rows", raw_int(f->path, "SELECT COUNT(*) FROM history"), history);
	check_int("same task id", find(f, TASK_119), id);
	check_int("plans", raw_int(f->path, "SELECT COUNT(*) FROM plans"), 2);
	check_int("an unchanged task's occurrence keeps its next_at",
	          occurrences(f, id).v[5].next_at, at(2025, 11, 1, 8, 0, 0));

	/* A reload of an identical copy (another file name) changes nothing either. */
	struct alt a = alt_config(f, "same", NULL, NULL);
	sync_ok(f, a.d, now + 7200, &r);
	check_report("sync of an identical copy", &r, 2, 0, 0, 2, 0);
	check_int("occurrence rows", occurrence_rows(f), rows);
	alt_free(&a);
}

static void test_sync_config_marks_removed(void **state)
{
	struct fx *f = *state;
	struct sync_report r;
	time_t now = at(2025, 6, 2, 8, 0, 0);
	struct store_stats s;

	sync_ok(f, f->d, now, &r);
	int64_t kh = find(f, TASK_KH), t119 = find(f, TASK_119);

	struct alt a = alt_config(f, "removed", "[task bao-cao-nam-kh-2025]", NULL);
	check_int("tasks in the modified config", a.cfg->n_tasks, 1);
	sync_ok(f, a.d, now + 60, &r);
	check_report("sync without the section", &r, 1, 0, 0, 1, 1);
	check_int("stored status of the dropped task",
	          raw_int(f->path, "SELECT COUNT(*) FROM tasks WHERE key = 'bao-cao-nam-kh-2025'"
	                           " AND status = 'removed'"),
	          1);
	check_int("the other task stays open",
	          raw_int(f->path, "SELECT COUNT(*) FROM tasks WHERE key = 'bao-cao-119'"
	                           " AND status = 'open'"),
	          1);
	must(f->st, store_stats(f->st, &s));
	check_int("tasks_open", s.tasks_open, 1);
	check_int("the removed task is still found", find(f, TASK_KH), kh);
	check_int("the kept task keeps its id", find(f, TASK_119), t119);

	/* Again: nothing more is removed. */
	sync_ok(f, a.d, now + 120, &r);
	check_report("second sync without the section", &r, 1, 0, 0, 1, 0);
	alt_free(&a);

	/* Read back through the store, the task says it is removed. */
	struct task t;
	check_int("store_task_get", store_task_get(f->st, kh, &t), 1);
	check_int("status of the removed task (TASK_REMOVED = 6)", t.status, TASK_REMOVED);
	task_free(&t);
}

/* A section that comes back is configured again: it is no longer removed. */
static void test_sync_config_section_restored(void **state)
{
	struct fx *f = *state;
	struct sync_report r;
	time_t now = at(2025, 6, 2, 8, 0, 0);

	sync_ok(f, f->d, now, &r);
	struct alt a = alt_config(f, "removed", "[task bao-cao-nam-kh-2025]", NULL);
	sync_ok(f, a.d, now + 60, &r);
	alt_free(&a);
	check_int("removed", r.removed, 1);

	sync_ok(f, f->d, now + 120, &r);
	check_int("tasks", r.tasks, 2);
	check_int("removed", r.removed, 0);
	check_int("status of the restored task is not 'removed'",
	          raw_int(f->path, "SELECT COUNT(*) FROM tasks WHERE key = 'bao-cao-nam-kh-2025'"
	                           " AND status = 'removed'"),
	          0);
	struct store_stats s;
	must(f->st, store_stats(f->st, &s));
	check_int("tasks_open after the section is back", s.tasks_open, 2);
}

/* A new section, with a name the directory does not know: stored flagged. */
static void test_sync_config_new_flagged_task(void **state)
{
	struct fx *f = *state;
	struct sync_report r;
	time_t now = at(2025, 6, 2, 8, 0, 0);
	struct task t;

	sync_ok(f, f->d, now, &r);
	struct alt a = alt_config(f, "added", NULL,
	                          "[task ho-so-luu-tru]\n"
	                          "plan = KH-2025\n"
	                          "title = Số hóa hồ sơ lưu trữ\n"
	                          "lead = Phòng Văn thư Lưu trữ\n"
	                          "coordinating = Sở Nội vụ\n"
	                          "timeframe = Quý IV/2025\n");
	sync_ok(f, a.d, now + 60, &r);
	check_report("sync with a new section", &r, 3, 1, 0, 2, 0);
	check_int("flagged", r.flagged, 1);
	check_int("occurrences made for the new one-off task", r.occurrences, 1);
	check_int("store_task_get", store_task_get(f->st, find(f, "KH-2025:ho-so-luu-tru"), &t), 1);
	check_str("title", t.title, "Số hóa hồ sơ lưu trữ");
	check_int("kind", t.kind, TF_ONCE);
	check_int("due", t.due, date_make(2025, 12, 31, 23, 59, 59, TZ));
	if (!(t.flags & TASK_FLAG_UNRESOLVED))
		fail_msg("flags 0x%02x lack UNRESOLVED", t.flags);
	check_int("assignments", t.n_agencies, 2);
	check_str("unresolved lead kept as written", t.agencies[0].agency, "Phòng Văn thư Lưu trữ");
	check_int("  resolved", t.agencies[0].resolved, false);
	check_str("coordinating", t.agencies[1].agency, "snv");
	struct occs l = occurrences(f, t.id);
	if (l.n != 1 || l.v[0].due != date_make(2025, 12, 31, 23, 59, 59, TZ))
		fail_msg("occurrences of the new task:%s", show_occs(&l));
	task_free(&t);
	alt_free(&a);
}

/* An edited section is updated in place and its occurrences looked at again. */
static void test_sync_config_edited_section(void **state)
{
	struct fx *f = *state;
	struct sync_report r;
	time_t now = at(2025, 6, 2, 8, 0, 0);

	sync_ok(f, f->d, now, &r);
	int64_t id = find(f, TASK_119);
	struct occs l = occurrences(f, id);
	for (size_t i = 0; i < l.n; i++)
		must(f->st, store_occ_set_next(f->st, l.v[i].id, at(2025, 11, 1, 8, 0, 0)));

	struct alt a = alt_config(f, "edited", "[task bao-cao-119]",
	                          "[task bao-cao-119]\n"
	                          "plan = 119/KH-UBND\n"
	                          "title = " TITLE_119 " (sửa đổi)\n"
	                          "lead = Các sở, ban, ngành thuộc Ủy ban nhân dân tỉnh\n"
	                          "lead = UBND các huyện, thị xã, thành phố\n"
	                          "timeframe = trước ngày 01/12 hàng năm\n");
	sync_ok(f, a.d, now + 60, &r);
	check_report("sync with an edited title", &r, 2, 0, 1, 1, 0);
	check_int("same id", find(f, TASK_119), id);
	l = occurrences(f, id);
	check_int("occurrences kept", l.n, 6);
	for (size_t i = 0; i < l.n; i++)
		if (l.v[i].next_at != 0)
			fail_msg("after an edit every occurrence is looked at again (next_at 0):%s",
			         show_occs(&l));
	alt_free(&a);
}

static void test_sync_touch(void **state)
{
	struct fx *f = *state;
	struct sync_report r;

	sync_ok(f, f->d, at(2025, 6, 2, 8, 0, 0), &r);
	int64_t t119 = find(f, TASK_119), kh = find(f, TASK_KH);
	struct occs l = occurrences(f, t119), k = occurrences(f, kh);
	for (size_t i = 0; i < l.n; i++)
		must(f->st, store_occ_set_next(f->st, l.v[i].id, TF_NONE));
	for (size_t i = 0; i < k.n; i++)
		must(f->st, store_occ_set_next(f->st, k.v[i].id, at(2025, 11, 14, 8, 0, 0)));

	must(f->st, sync_touch(f->st, t119));
	l = occurrences(f, t119);
	for (size_t i = 0; i < l.n; i++)
		if (l.v[i].next_at != 0)
			fail_msg("after sync_touch every occurrence has next_at 0:%s",
			         show_occs(&l));
	k = occurrences(f, kh);
	for (size_t i = 0; i < k.n; i++)
		check_int("another task's occurrence is untouched", k.v[i].next_at,
		          at(2025, 11, 14, 8, 0, 0));
	time_t wake = 0;
	must(f->st, store_next_wake(f->st, &wake));
	check_int("the touched task wakes the daemon at once", wake, 0);
}

/* An imported one-off task whose deadline moves: only the new one stays planned. */
static void test_sync_task_changed_timeframe(void **state)
{
	struct fx *f = *state;
	struct sync_report r;
	struct task t;
	enum store_change change;
	struct store_plan p = {.id = (char *)"906/QĐ-UBND",
	                       .origin = (char *)"import",
	                       .first_year = 2022,
	                       .last_year = 2025};
	time_t now = at(2025, 3, 3, 8, 0, 0);

	must(f->st, store_plan_upsert(f->st, &p, now));
	for (int round = 0; round < 3; round++) {
		task_init(&t);
		t.plan_id = strdup("906/QĐ-UBND");
		t.key = strdup("B.I.1");
		t.title = strdup("Xây dựng kho dữ liệu dùng chung");
		t.origin = strdup("import");
		task_set_timeframe(&t, round < 2 ? "Quý II/2025" : "Quý III/2025",
		                   &(struct tf_ctx){TZ, 2022, 2025});
		task_assign(&t, f->d, TASK_LEAD, "Sở Tư pháp");
		memset(&r, 0, sizeof(r));
		must(f->st, sync_task(f->st, &t, TZ, now, &change, &r));
		static const enum store_change want[] = {STORE_NEW, STORE_SAME, STORE_UPDATED};
		check_int("change (0 SAME, 1 NEW, 2 UPDATED)", change, want[round]);
		check_int("report.tasks", r.tasks, 1);
		if (round == 0)
			check_int("occurrences made", r.occurrences, 1);
		if (round == 1)
			check_int("nothing new when unchanged", r.occurrences, 0);
		task_free(&t);
	}
	int64_t id = find(f, "906/QĐ-UBND:B.I.1");
	struct occs l = occurrences(f, id);
	const struct store_occ *q2 = NULL, *q3 = NULL;
	for (size_t i = 0; i < l.n; i++) {
		if (l.v[i].due == date_make(2025, 6, 30, 23, 59, 59, TZ))
			q2 = &l.v[i];
		if (l.v[i].due == date_make(2025, 9, 30, 23, 59, 59, TZ))
			q3 = &l.v[i];
	}
	if (!q3 || q3->next_at != 0)
		fail_msg("the new deadline 30/09/2025 should be planned at once:%s", show_occs(&l));
	if (q2 && q2->next_at != TF_NONE)
		fail_msg("the old deadline 30/06/2025 is still planned:%s", show_occs(&l));
}

static void test_sync_ini_task(void **state)
{
	struct fx *f = *state;
	const struct cfg_task *ct = NULL;
	struct task t;

	for (size_t i = 0; i < f->cfg->n_tasks; i++)
		if (!strcmp(f->cfg->tasks[i].id, "bao-cao-119"))
			ct = &f->cfg->tasks[i];
	if (!ct)
		fail_msg("config has no [task bao-cao-119]");
	/* Nothing stored yet: the plan's period comes from the config. */
	sync_ini_task(f->st, f->d, ct, &t);
	check_str("plan_id", t.plan_id, PLAN_119);
	check_str("key", t.key, "bao-cao-119");
	check_str("title", t.title, TITLE_119);
	check_str("origin", t.origin, "ini");
	check_str("timeframe", t.timeframe, "trước ngày 01/12 hàng năm");
	check_int("kind", t.kind, TF_YEARLY);
	check_int("due: the first occurrence in the plan period 2020-2025", t.due,
	          at(2020, 12, 1, 0, 0, 0));
	check_int("flags", t.flags, 0);
	check_int("assignments", t.n_agencies, 26 + 13);
	check_int("not stored", t.id, 0);
	task_free(&t);
	check_int("nothing written", raw_int(f->path, "SELECT COUNT(*) FROM tasks"), 0);
}

/* "năm sau" in an INI task is the year after its plan's date of issue; without one, unparsed. */
static void test_sync_ini_task_year_of_issue(void **state)
{
	struct fx *f = *state;
	struct alt a = alt_config(f, "next-year", NULL,
	                          "[task dang-ky-119]\nplan = 119/KH-UBND\ntitle = Đăng ký\n"
	                          "lead = Sở Nội vụ\ntimeframe = Quý I năm sau\n"
	                          "[task dang-ky-2025]\nplan = KH-2025\ntitle = Đăng ký\n"
	                          "lead = Sở Nội vụ\ntimeframe = Quý I năm sau\n");
	const struct {
		const char *id;
		unsigned flags;
		time_t due;
	} want[] = {{"dang-ky-119", 0, end_of(2021, 3, 31)}, /* issued 2020-10-09 */
	            {"dang-ky-2025", TASK_FLAG_UNPARSED, TF_NONE}};

	for (size_t i = 0; i < N_ELEMS(want); i++) {
		const struct cfg_task *ct = NULL;
		struct task t;
		for (size_t k = 0; k < a.cfg->n_tasks; k++)
			if (!strcmp(a.cfg->tasks[k].id, want[i].id))
				ct = &a.cfg->tasks[k];
		if (!ct)
			fail_msg("config has no [task %s]", want[i].id);
		sync_ini_task(f->st, a.d, ct, &t);
		check_int(want[i].id, t.flags & TASK_FLAG_UNPARSED, want[i].flags);
		check_int(want[i].id, t.due, want[i].due);
		task_free(&t);
	}
	alt_free(&a);
}

/* An imported task, as the importer stores it. */
static int64_t import_task(struct fx *f, const char *plan, const char *plan_title, const char *key,
                           const char *timeframe, const char *const *leads, size_t n_leads,
                           time_t now)
{
	struct store_plan sp = {
	    .id = (char *)plan, .title = (char *)plan_title, .origin = "import"};
	struct tf_ctx ctx = {f->cfg->tz_offset, 0, 0};
	struct sync_report r = {0};
	enum store_change change;
	struct task t;

	must(f->st, store_plan_upsert(f->st, &sp, now));
	task_init(&t);
	t.plan_id = strdup(plan);
	t.key = strdup(key);
	t.title = strdup("Báo cáo tình hình triển khai thực hiện các nhiệm vụ của Kế hoạch");
	t.origin = strdup("import");
	task_set_timeframe(&t, timeframe, &ctx);
	for (size_t i = 0; i < n_leads; i++)
		task_assign(&t, f->d, TASK_LEAD, leads[i]);
	must(f->st, sync_task(f->st, &t, f->cfg->tz_offset, now, &change, &r));
	int64_t id = t.id;
	task_free(&t);
	return id;
}

/*
 * One duty, two sources: the INI's yearly report of KH-2025 and the same
 * duty found by an import (a plan of the same title, the same timeframe and
 * leads) are one task, the imported one; `same_as` says it where the daemon
 * cannot tell; a `same_as` naming nothing stored leaves the INI task planned.
 */
static void test_sync_config_same_duty(void **state)
{
	struct fx *f = *state;
	struct sync_report r;
	time_t now = at(2025, 6, 2, 8, 0, 0);
	static const char *const kh_leads[] = {"Các sở, ban, ngành, địa phương", "Báo Quảng Ngãi"};
	static const char *const other_leads[] = {"Sở Tư pháp"};
	struct task t;

	sync_ok(f, f->d, now, &r);
	int64_t ini = find(f, TASK_KH);
	/* A different duty of that plan (other leads) changes nothing. */
	import_task(f, "KH-2025_by-sector",
	            "Triển khai thúc đẩy phát triển kinh tế số ngành, lĩnh vực tại Quảng Ngãi",
	            "duty.2.1", "Định kỳ hàng năm (trước ngày 15/12)", other_leads, 1, now);
	sync_ok(f, f->d, now + 60, &r);
	check_int("linked with other leads", r.linked, 0);
	int64_t imported =
	    import_task(f, "KH-2025_by-sector",
	                "Triển khai thúc đẩy phát triển kinh tế số ngành, lĩnh vực tại Quảng Ngãi",
	                "duty.3.1", "Định kỳ hàng năm (trước ngày 15/12)", kh_leads, 2, now);
	sync_ok(f, f->d, now + 120, &r);
	check_int("the INI duty is the imported one", r.linked, 1);
	check_int("its earlier copy retired", r.removed, 1);
	check_int("store_task_get", store_task_get(f->st, ini, &t), 1);
	check_int("INI copy status", t.status, TASK_REMOVED);
	task_free(&t);
	check_int("the imported one planned", store_task_get(f->st, imported, &t), 1);
	check_int("imported status", t.status, TASK_OPEN);
	task_free(&t);

	/* same_as: the 119 report is a task of another plan, by reference. */
	int64_t other = import_task(f, "KH-OTHER", "Một kế hoạch khác", "bc",
	                            "trước ngày 01/12 hàng năm", other_leads, 1, now);
	(void)other;
	struct alt a = alt_config(f, "same", "[task bao-cao-119]",
	                          "[task bao-cao-119]\n"
	                          "plan = 119/KH-UBND\n"
	                          "title = " TITLE_119 "\n"
	                          "lead = Các sở, ban, ngành thuộc Ủy ban nhân dân tỉnh\n"
	                          "timeframe = trước ngày 01/12 hàng năm\n"
	                          "same_as = KH-OTHER:bc\n");
	sync_ok(f, a.d, now + 180, &r);
	check_int("linked by same_as (and the KH-2025 one)", r.linked, 2);
	check_int("store_task_get", store_task_get(f->st, find(f, TASK_119), &t), 1);
	check_int("119 INI copy retired", t.status, TASK_REMOVED);
	task_free(&t);
	alt_free(&a);
	a = alt_config(f, "dangling", "[task bao-cao-119]",
	               "[task bao-cao-119]\n"
	               "plan = 119/KH-UBND\n"
	               "title = " TITLE_119 "\n"
	               "lead = Các sở, ban, ngành thuộc Ủy ban nhân dân tỉnh\n"
	               "timeframe = trước ngày 01/12 hàng năm\n"
	               "same_as = KH-OTHER:no-such-task\n");
	sync_ok(f, a.d, now + 240, &r);
	check_int("a dangling same_as: planned from the INI", r.linked, 1);
	check_int("store_task_get", store_task_get(f->st, find(f, TASK_119), &t), 1);
	check_int("119 back", t.status, TASK_OPEN);
	task_free(&t);
	alt_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	    T(test_sync_config_stores_plans_and_tasks),
	    T(test_sync_config_occurrences_of_plan_period),
	    T(test_sync_config_idempotent),
	    T(test_sync_config_marks_removed),
	    T(test_sync_config_section_restored),
	    T(test_sync_config_new_flagged_task),
	    T(test_sync_config_edited_section),
	    T(test_sync_touch),
	    T(test_sync_task_changed_timeframe),
	    T(test_sync_ini_task),
	    T(test_sync_ini_task_year_of_issue),
	    T(test_sync_config_same_duty),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
