/*
 * Unit tests for cfg: loading and validating the INI configuration.
 *
 * Written from include/cfg.h and the configuration rules (every error names
 * FILE:LINE, the [section] and the key; all errors of a load are reported;
 * long lines are errors, never split; continuation lines; list keys; no
 * inline comments; includes and relative paths; validation of the whole;
 * defaults; policy overrides; the planning digest). Every expectation here
 * is the specification, not a transcript of the code. Fixtures are written
 * at run time into a fresh directory under $TMPDIR (or /tmp) and removed.
 */
#include "check.h"

#include "buf.h"
#include "cal.h"
#include "cfg.h"
#include "date.h"
#include "policy.h"
#include "timeframe.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_LINES 6

/* The real example configuration, relative to the repository root. */
#define REAL_CONFIG "config/deadlined.ini"

/* Pieces most fixtures need: a maildir (required by the default transport)
 * and one agency. */
#define MAIL "[mail]\nmaildir = mail\n"
#define UBND "[agency ubnd]\nname = Ủy ban nhân dân tỉnh\nemail = ubnd@qn.example\n"
#define TAIL MAIL UBND

/* ---- the fixture directory ---------------------------------------------- */

struct fx {
	char dir[PATH_MAX];
};

static int fx_setup(void **state)
{
	const char *tmp = getenv("TMPDIR");
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "%s/test_cfg.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;

	if (f) {
		rm_rf(f->dir);
		free(f);
	}
	return 0;
}

/* "<dir>/name", in one of a few rotating buffers. */
static const char *fx_path(const struct fx *f, const char *name)
{
	static char ring[8][PATH_MAX + 64];
	static int next;
	char *p = ring[next++ % 8];

	snprintf(p, PATH_MAX + 64, "%s/%s", f->dir, name);
	return p;
}

/* Writes name (creating its directories) and returns its full path. */
static const char *fx_write_n(const struct fx *f, const char *name, const char *text, size_t len)
{
	char path[PATH_MAX + 64];
	const char *full = fx_path(f, name);

	snprintf(path, sizeof(path), "%s", full);
	for (char *s = path + strlen(f->dir) + 1; (s = strchr(s, '/')) != NULL; s++) {
		*s = '\0';
		mkdir(path, 0700);
		*s = '/';
	}
	FILE *out = fopen(full, "wb");
	if (!out) {
		print_error("cannot write fixture %s\n", full);
		fail();
	}
	assert_int_equal(fwrite(text, 1, len, out), len);
	assert_int_equal(fclose(out), 0);
	return full;
}

static const char *fx_write(const struct fx *f, const char *name, const char *text)
{
	return fx_write_n(f, name, text, strlen(text));
}

/* ---- reporting ------------------------------------------------------------ */

static void show_text(const char *title, const char *text)
{
	print_error("---- %s ----\n%s%s---- end ----\n", title, text,
	            *text && text[strlen(text) - 1] != '\n' ? "\n" : "");
}

static struct cfg *load_ok(const char *what, const char *path, struct buf *warnings)
{
	struct buf errors = BUF_INIT;
	struct cfg *c = cfg_load(path, &errors, warnings);

	if (!c || errors.len) {
		print_error("%s: expected %s to load cleanly%s\n", what, path,
		            c ? " (it loaded, but errors were written)" : "");
		show_text("errors", buf_str(&errors));
		buf_free(&errors);
		cfg_free(c);
		fail();
	}
	buf_free(&errors);
	return c;
}

/* Expects cfg_load to fail with some error; false (and why) when it does not. */
static bool check_load_fails(const char *what, const char *path, struct buf *errors)
{
	struct cfg *c = cfg_load(path, errors, NULL);

	if (c) {
		print_error("%s: expected cfg_load(%s) to fail (NULL), it loaded\n", what, path);
		show_text("errors", buf_str(errors));
		cfg_free(c);
		return false;
	}
	if (errors->len == 0) {
		print_error("%s: cfg_load failed but wrote no error\n", what);
		return false;
	}
	return true;
}

static void load_fails(const char *what, const char *path, struct buf *errors)
{
	if (!check_load_fails(what, path, errors))
		fail();
}

/*
 * Whether one line of the errors reads "FILE:LINE: [SECTION] KEY: …" with
 * LINE one of lines (0-terminated; NULL: any line >= 1). section NULL: not
 * checked; "" means the top level (no "[…]" or an empty one). key NULL: not
 * checked. contains: a substring the same line must have, or NULL.
 * Copies the matching line into found.
 */
static bool error_line_matches(const char *line, size_t len, const char *file, const int *lines,
                               const char *section, const char *key, const char *contains)
{
	char copy[2048];
	size_t fl = strlen(file);
	char *p, *end;
	long n;
	bool line_ok = false;

	if (len >= sizeof(copy))
		len = sizeof(copy) - 1;
	memcpy(copy, line, len);
	copy[len] = '\0';
	if (strncmp(copy, file, fl) != 0 || copy[fl] != ':')
		return false;
	p = copy + fl + 1;
	n = strtol(p, &end, 10);
	if (end == p || strncmp(end, ": ", 2) != 0)
		return false;
	if (!lines)
		line_ok = n >= 1;
	for (int i = 0; lines && lines[i]; i++)
		line_ok = line_ok || n == lines[i];
	if (!line_ok)
		return false;
	p = end + 2;
	if (section) {
		char want[300];
		if (!*section) {
			if (!strncmp(p, "[] ", 3))
				p += 3;
			else if (*p == '[')
				return false;
		} else {
			snprintf(want, sizeof(want), "[%s] ", section);
			if (strncmp(p, want, strlen(want)) != 0)
				return false;
			p += strlen(want);
		}
	} else if (*p == '[') {
		p = strchr(p, ']');
		if (!p)
			return false;
		p += 1 + (p[1] == ' ');
	}
	if (key && (strncmp(p, key, strlen(key)) != 0 || p[strlen(key)] != ':'))
		return false;
	if (!contains)
		return true;
	/* contains: alternatives separated by '|' */
	for (const char *alt = contains; *alt;) {
		size_t alen = strcspn(alt, "|");
		char want[256];
		snprintf(want, sizeof(want), "%.*s", (int)alen, alt);
		if (strstr(p, want))
			return true;
		alt += alen + (alt[alen] == '|');
	}
	return false;
}

static bool find_error(const char *errors, const char *file, const int *lines, const char *section,
                       const char *key, const char *contains)
{
	for (const char *s = errors; *s;) {
		size_t len = strcspn(s, "\n");
		if (error_line_matches(s, len, file, lines, section, key, contains))
			return true;
		s += len + (s[len] == '\n');
	}
	return false;
}

static void describe_lines(const int *lines, char *out, size_t cap)
{
	size_t o = 0;

	if (!lines) {
		snprintf(out, cap, "LINE");
		return;
	}
	out[0] = '\0';
	for (int i = 0; lines[i] && o + 12 < cap; i++)
		o += (size_t)snprintf(out + o, cap - o, "%s%d", i ? "|" : "", lines[i]);
}

static bool check_error(const char *what, const char *errors, const char *file, const int *lines,
                        const char *section, const char *key, const char *contains)
{
	char ls[64];

	if (find_error(errors, file, lines, section, key, contains))
		return true;
	describe_lines(lines, ls, sizeof(ls));
	print_error("%s: expected an error line \"%s:%s: [%s] %s: …\"%s%s%s\n", what, file, ls,
	            section ? section : "*", key ? key : "*", contains ? " containing \"" : "",
	            contains ? contains : "", contains ? "\"" : "");
	show_text("errors", errors);
	return false;
}

static void expect_error(const char *what, const char *errors, const char *file, const int *lines,
                         const char *section, const char *key, const char *contains)
{
	if (!check_error(what, errors, file, lines, section, key, contains))
		fail();
}

static size_t count_lines(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void expect_str(const char *what, const char *got, const char *want)
{
	if (got && want && !strcmp(got, want))
		return;
	if (!got && !want)
		return;
	print_error("%s is \"%s\", expected \"%s\"\n", what, got ? got : "(null)",
	            want ? want : "(null)");
	fail();
}

static void expect_int(const char *what, long long got, long long want)
{
	if (got == want)
		return;
	print_error("%s is %lld, expected %lld\n", what, got, want);
	fail();
}

static void expect_true(const char *what, bool ok)
{
	if (ok)
		return;
	print_error("expected %s\n", what);
	fail();
}

/* Lexical normalisation ("a/./b/../c" → "a/c"), so paths compare by meaning. */
static void norm_path(const char *in, char *out, size_t cap)
{
	char tmp[PATH_MAX * 2];
	char *parts[256];
	int n = 0;
	bool abs = in[0] == '/';

	snprintf(tmp, sizeof(tmp), "%s", in);
	for (char *save = NULL, *t = strtok_r(tmp, "/", &save); t; t = strtok_r(NULL, "/", &save)) {
		if (!strcmp(t, "."))
			continue;
		if (!strcmp(t, "..") && n > 0 && strcmp(parts[n - 1], "..") != 0) {
			n--;
			continue;
		}
		if (n < 256)
			parts[n++] = t;
	}
	size_t o = 0;
	out[0] = '\0';
	if (abs)
		o += (size_t)snprintf(out, cap, "/");
	for (int i = 0; i < n && o < cap; i++)
		o += (size_t)snprintf(out + o, cap - o, "%s%s", i ? "/" : "", parts[i]);
}

static void expect_path(const char *what, const char *got, const char *want)
{
	char g[PATH_MAX * 2], w[PATH_MAX * 2];

	if (!got) {
		print_error("%s is NULL, expected the path %s\n", what, want);
		fail();
	}
	norm_path(got, g, sizeof(g));
	norm_path(want, w, sizeof(w));
	if (strcmp(g, w) != 0) {
		print_error("%s is \"%s\", expected the path \"%s\"\n", what, got, want);
		fail();
	}
}

static void expect_list(const char *what, const struct cfg_list *l, const char *const *want,
                        size_t n)
{
	bool ok = l->n == n;

	for (size_t i = 0; ok && i < n; i++)
		ok = !strcmp(l->v[i], want[i]);
	if (ok)
		return;
	print_error("%s: got %zu values, expected %zu\n", what, l->n, n);
	for (size_t i = 0; i < l->n || i < n; i++)
		print_error("  [%zu] got \"%s\"  expected \"%s\"\n", i, i < l->n ? l->v[i] : "-",
		            i < n ? want[i] : "-");
	fail();
}

#define LINES(...) ((const int[]){__VA_ARGS__, 0})

/* ---- the real example configuration --------------------------------------- */

static void test_real_config(void **state)
{
	struct buf warnings = BUF_INIT;
	struct cfg *c;
	(void)state;

	if (access(REAL_CONFIG, R_OK) != 0) {
		print_error("%s is not readable: run the test from the repository root\n",
		            REAL_CONFIG);
		fail();
	}
	c = load_ok("the example config", REAL_CONFIG, &warnings);
	if (warnings.len)
		show_text("warnings of the example config (expected none)", buf_str(&warnings));
	expect_int("length of the warnings of the example config", (long long)warnings.len, 0);
	buf_free(&warnings);

	expect_true("64 or more agencies in the example directory", c->n_agencies >= 64);
	expect_true("7 or more groups in the example directory", c->n_groups >= 7);

	/* the 2025 reorganisation */
	static const struct {
		const char *id, *successor;
		int y, m, d;
	} reorg[] = {
	    {"sttt", "skhcn", 2025, 3, 1},
	    {"skhdt", "stc", 2025, 3, 1},
	    {"snnptnt", "snnmt", 2025, 3, 1},
	    {"stnmt", "snnmt", 2025, 3, 1},
	    {"sgtvt", "sxd", 2025, 3, 1},
	    {"sldtbxh", "snv", 2025, 3, 1},
	    {"ban-dan-toc", "sdttg", 2025, 3, 1},
	    {"ubnd-tp-quang-ngai", "ubnd-cap-xa", 2025, 7, 1},
	    {"ubnd-ly-son", "ubnd-cap-xa", 2025, 7, 1},
	    {"ubnd-xa-phuong-thi-tran", "ubnd-cap-xa", 2025, 7, 1},
	};
	for (size_t i = 0; i < N_ELEMS(reorg); i++) {
		const struct cfg_agency *a = cfg_agency(c, reorg[i].id);
		char what[128];
		snprintf(what, sizeof(what), "the agency '%s'", reorg[i].id);
		expect_true(what, a != NULL);
		snprintf(what, sizeof(what), "successor of %s", reorg[i].id);
		expect_str(what, a->successor, reorg[i].successor);
		snprintf(what, sizeof(what), "since of %s", reorg[i].id);
		expect_int(what, a->since,
		           date_days_from_civil(reorg[i].y, reorg[i].m, reorg[i].d));
	}
	const struct cfg_agency *skhcn = cfg_agency(c, "skhcn");
	expect_true("agency skhcn", skhcn != NULL);
	expect_str("name of skhcn", skhcn->name, "Sở Khoa học và Công nghệ");
	expect_true("skhcn has no successor", skhcn->successor == NULL);
	static const char *const skhcn_mail[] = {"skhcn@quangngai.example"};
	expect_list("emails of skhcn", &skhcn->emails, skhcn_mail, 1);
	expect_true("skhcn has the alias 'Sở KH&CN'", skhcn->aliases.n >= 1);
	bool has_alias = false;
	for (size_t i = 0; i < skhcn->aliases.n; i++)
		has_alias = has_alias || !strcmp(skhcn->aliases.v[i], "Sở KH&CN");
	expect_true("skhcn has the alias 'Sở KH&CN'", has_alias);
	expect_str("supervisor of bo-phan-mot-cua", cfg_agency(c, "bo-phan-mot-cua")->supervisor,
	           "vpubnd");
	expect_true("the name of ubnd",
	            !strcmp(cfg_agency(c, "ubnd")->name, "Ủy ban nhân dân tỉnh Quảng Ngãi"));

	/* groups */
	const struct cfg_group *g = cfg_group(c, "so-ban-nganh");
	expect_true("group so-ban-nganh", g != NULL);
	expect_str("name of so-ban-nganh", g->name, "Các sở, ban, ngành tỉnh");
	expect_int("members of so-ban-nganh", (long long)g->members.n, 26);
	g = cfg_group(c, "ubnd-cap-huyen");
	expect_true("group ubnd-cap-huyen", g != NULL);
	expect_int("members of ubnd-cap-huyen", (long long)g->members.n, 13);
	expect_int("emails of ubnd-cap-huyen", (long long)g->emails.n, 0);
	expect_true("no group 'sttt'", cfg_group(c, "sttt") == NULL);
	expect_true("no agency 'so-ban-nganh'", cfg_agency(c, "so-ban-nganh") == NULL);
	expect_true("no agency 'nope'", cfg_agency(c, "nope") == NULL);

	/* [daemon] */
	expect_str("monitor", c->monitor, "skhcn");
	expect_str("default_supervisor", c->default_supervisor, "ubnd");
	expect_str("language", c->language, "vi");
	expect_int("tz_offset", c->tz_offset, 7 * 3600);
	expect_path("database", c->database, "config/../var/deadlined.db");
	expect_path("control_socket", c->control_socket, "config/../var/deadlined.sock");
	expect_path("templates", c->templates, "config/templates");

	/* [mail] and [smtp] */
	expect_int("transport", c->transport, CFG_MAILDIR);
	expect_path("maildir", c->maildir, "config/../var/mail");
	expect_str("from name", c->from_name, "Hệ thống nhắc việc UBND tỉnh Quảng Ngãi");
	expect_str("from address", c->from_addr, "nhacviec@quangngai.example");
	expect_str("reply_to name", c->reply_name, "Sở Khoa học và Công nghệ");
	expect_str("reply_to address", c->reply_addr, "skhcn@quangngai.example");
	expect_str("admin", c->admin, "quantri@quangngai.example");
	expect_str("host", c->host, "127.0.0.1");
	expect_int("port", c->port, 25);
	expect_int("tls", c->tls, CFG_TLS_STARTTLS);
	expect_true("verify", c->verify);
	expect_int("timeout", c->timeout, 60);
	expect_int("max_per_connection", c->max_per_connection, 20);
	expect_int("retry_max_age", c->retry_max_age, 3 * 86400);
	expect_int("retry_base", c->retry_base, 60);
	expect_true("no password", c->password == NULL && c->user == NULL);

	/* [calendar] */
	expect_int("workdays (mon-fri)", c->cal.workdays, 0x1f);
	expect_int("office opens", c->cal.open_min, 7 * 60 + 30);
	expect_int("office closes", c->cal.close_min, 17 * 60);
	expect_int("send_at", c->cal.send_min, 8 * 60);
	expect_true("national holidays on", c->cal.national);
	expect_true("Tết Ất Tỵ (2025-01-27) is a holiday",
	            cal_is_holiday(&c->cal, date_days_from_civil(2025, 1, 27)));
	expect_true("2025-02-02 (last day of Tết) is a holiday",
	            cal_is_holiday(&c->cal, date_days_from_civil(2025, 2, 2)));
	expect_true("2025-02-03 is a working day",
	            cal_is_workday(&c->cal, date_days_from_civil(2025, 2, 3)));
	expect_true("Tết Bính Ngọ 2026-02-17 is a holiday",
	            cal_is_holiday(&c->cal, date_days_from_civil(2026, 2, 17)));

	/* [policy] */
	expect_int("remind.yearly count", c->policy.remind[TF_YEARLY].n, 3);
	expect_int("remind.yearly[0]", c->policy.remind[TF_YEARLY].at[0].days, 30);
	expect_int("remind.once count", c->policy.remind[TF_ONCE].n, 6);
	expect_int("remind.weekly count", c->policy.remind[TF_WEEKLY].n, 1);
	expect_int("escalations", c->policy.n_escalations, 3);
	expect_int("escalation 2 level", c->policy.escalate[2].level, POLICY_SUPERVISOR);
	expect_int("escalation 2 days", c->policy.escalate[2].after.days, 30);
	expect_int("repeat", c->policy.repeat.days, 14);
	expect_int("repeat_limit", c->policy.repeat_limit, 6);
	expect_int("backfill", c->policy.backfill_days, 7);
	expect_true("coordinating", c->policy.remind_coordinating);

	/* plans: the continued title is joined with one space */
	const struct cfg_plan *p = cfg_plan(c, "119/KH-UBND");
	expect_true("plan 119/KH-UBND", p != NULL);
	expect_str("title of 119/KH-UBND", p->title,
	           "Kế hoạch triển khai thực hiện Chương trình Chuyển đổi số quốc gia đến năm "
	           "2025, định hướng đến năm 2030 của tỉnh Quảng Ngãi");
	expect_str("issued of 119/KH-UBND", p->issued, "2020-10-09");
	expect_int("first year of 119/KH-UBND", p->first_year, 2020);
	expect_int("last year of 119/KH-UBND", p->last_year, 2025);
	expect_str("monitor of 119/KH-UBND", p->monitor, "sttt");
	p = cfg_plan(c, "KH-2025");
	expect_true("plan KH-2025", p != NULL);
	expect_str("monitor of KH-2025", p->monitor, "skhcn");
	expect_true("no plan 'nope'", cfg_plan(c, "nope") == NULL);

	/* tasks */
	expect_int("number of tasks", (long long)c->n_tasks, 2);
	const struct cfg_task *t = &c->tasks[0];
	expect_str("id of task 1", t->id, "bao-cao-nam-kh-2025");
	expect_str("plan of task 1", t->plan, "KH-2025");
	expect_str("title of task 1", t->title,
	           "Báo cáo tình hình triển khai thực hiện các nhiệm vụ của Kế hoạch về Sở Khoa "
	           "học và Công nghệ tổng hợp, báo cáo Bộ Khoa học và Công nghệ, UBND tỉnh");
	static const char *const leads1[] = {"Các sở, ban, ngành, địa phương", "Báo Quảng Ngãi"};
	expect_list("leads of task 1", &t->leads, leads1, 2);
	expect_str("timeframe of task 1", t->timeframe, "Định kỳ hàng năm (trước ngày 15/12)");
	t = &c->tasks[1];
	expect_str("id of task 2", t->id, "bao-cao-119");
	static const char *const leads2[] = {"Các sở, ban, ngành thuộc Ủy ban nhân dân tỉnh",
	                                     "UBND các huyện, thị xã, thành phố"};
	expect_list("leads of task 2", &t->leads, leads2, 2);
	expect_str("timeframe of task 2", t->timeframe, "trước ngày 01/12 hàng năm");

	/* the files read, for change detection */
	bool main_seen = false, dir_seen = false;
	for (size_t i = 0; i < c->files.n; i++) {
		char n[PATH_MAX * 2];
		norm_path(c->files.v[i], n, sizeof(n));
		main_seen = main_seen || !strcmp(n, "config/deadlined.ini");
		dir_seen = dir_seen || !strcmp(n, "config/directory.ini");
	}
	expect_true("files lists config/deadlined.ini", main_seen);
	expect_true("files lists config/directory.ini (the include)", dir_seen);
	expect_int("number of files read", (long long)c->files.n, 2);
	cfg_free(c);
}

/* Every agency of the real directory has a name and an address, every
 * group member exists: what validation guarantees, checked from outside. */
static void test_real_config_consistent(void **state)
{
	struct cfg *c;
	(void)state;

	c = load_ok("the example config", REAL_CONFIG, NULL);
	for (size_t i = 0; i < c->n_agencies; i++) {
		const struct cfg_agency *a = &c->agencies[i];
		char what[160];
		snprintf(what, sizeof(what), "agency %s has a name and an email", a->id);
		expect_true(what, a->name && a->emails.n >= 1);
		snprintf(what, sizeof(what), "agency %s's supervisor exists", a->id);
		expect_true(what, !a->supervisor || cfg_agency(c, a->supervisor));
		snprintf(what, sizeof(what), "agency %s's successor exists with a since day",
		         a->id);
		expect_true(what, !a->successor || (cfg_agency(c, a->successor) && a->since));
	}
	for (size_t i = 0; i < c->n_groups; i++) {
		const struct cfg_group *g = &c->groups[i];
		for (size_t k = 0; k < g->members.n; k++) {
			char what[160];
			snprintf(what, sizeof(what), "member %s of group %s exists",
			         g->members.v[k], g->id);
			expect_true(what, cfg_agency(c, g->members.v[k]) != NULL);
		}
	}
	cfg_free(c);
}

/* ---- syntax: comments, ';' in values, lists, continuation lines ----------- */

static void test_values_and_comments(void **state)
{
	struct fx *f = *state;
	const char *path = fx_write(f, "main.ini",
	                            "; a comment\n"
	                            "# another comment\n"
	                            "[agency a]\n"
	                            "name = Sở A; Sở B # not a comment\n"
	                            "  ; an indented comment is a comment, not a continuation\n"
	                            "email = a@qn.example\n"
	                            "email = a2@qn.example\n"
	                            "alias = Sở A;B\n"
	                            "alias = Sở AA\n"
	                            "\n"
	                            "[agency b]\r\n"
	                            "name = Sở Bê\r\n"
	                            "email = b@qn.example\r\n" TAIL);
	struct cfg *c = load_ok("values and comments", path, NULL);

	const struct cfg_agency *a = cfg_agency(c, "a");
	expect_true("agency a", a != NULL);
	expect_str("name with ';' and '#' inside", a->name, "Sở A; Sở B # not a comment");
	static const char *const emails[] = {"a@qn.example", "a2@qn.example"};
	expect_list("emails of a (a list key repeats)", &a->emails, emails, 2);
	static const char *const aliases[] = {"Sở A;B", "Sở AA"};
	expect_list("aliases of a", &a->aliases, aliases, 2);
	const struct cfg_agency *b = cfg_agency(c, "b");
	expect_true("agency b", b != NULL);
	expect_str("name of b (CRLF line ends)", b->name, "Sở Bê");
	cfg_free(c);
}

static void test_continuation_lines(void **state)
{
	struct fx *f = *state;
	const char *path = fx_write(f, "main.ini",
	                            "[agency a]\n"
	                            "name = Sở Văn hóa,\n"
	                            "  Thể thao\n"
	                            "\tvà Du lịch\n"
	                            "email = a@qn.example\n"
	                            "alias = Sở VH,\n"
	                            "    TT&DL\n"
	                            "alias = VHTTDL\n"
	                            "[plan P]\n"
	                            "title = Kế hoạch\n"
	                            "  phần hai\n"
	                            "[task t]\n"
	                            "plan = P\n"
	                            "title = Báo cáo\n"
	                            "lead = Các sở, ban,\n"
	                            "  ngành\n"
	                            "lead = Sở Y tế\n"
	                            "coordinating = UBND các huyện,\n"
	                            "  thị xã, thành phố\n"
	                            "timeframe = Quý IV\n"
	                            "  hàng năm\n" TAIL);
	struct cfg *c = load_ok("continuation lines", path, NULL);

	const struct cfg_agency *a = cfg_agency(c, "a");
	expect_str("continued name", a->name, "Sở Văn hóa, Thể thao và Du lịch");
	static const char *const aliases[] = {"Sở VH, TT&DL", "VHTTDL"};
	expect_list("continued alias (a list key)", &a->aliases, aliases, 2);
	expect_str("continued plan title", cfg_plan(c, "P")->title, "Kế hoạch phần hai");
	expect_int("tasks", (long long)c->n_tasks, 1);
	static const char *const leads[] = {"Các sở, ban, ngành", "Sở Y tế"};
	expect_list("continued leads", &c->tasks[0].leads, leads, 2);
	static const char *const coord[] = {"UBND các huyện, thị xã, thành phố"};
	expect_list("continued coordinating", &c->tasks[0].coordinating, coord, 1);
	expect_str("continued timeframe", c->tasks[0].timeframe, "Quý IV hàng năm");
	cfg_free(c);
}

/* A value too long for one line is written over several: it arrives whole. */
static void test_long_value_over_lines(void **state)
{
	struct fx *f = *state;
	struct buf text = BUF_INIT, want = BUF_INIT;

	buf_adds(&text, "[plan P]\ntitle = ");
	for (int i = 0; i < 3; i++) {
		/* each part ~150 bytes of Vietnamese text */
		const char *part = "Kế hoạch triển khai thực hiện Chương trình Chuyển đổi số quốc "
		                   "gia đến năm 2025, định hướng đến năm 2030";
		if (i)
			buf_adds(&text, "\n  ");
		buf_adds(&text, part);
		if (i)
			buf_addc(&want, ' ');
		buf_adds(&want, part);
	}
	buf_adds(&text, "\n" TAIL);
	const char *path = fx_write(f, "main.ini", buf_str(&text));
	struct cfg *c = load_ok("a long value over three lines", path, NULL);
	expect_str("the title", cfg_plan(c, "P")->title, buf_str(&want));
	cfg_free(c);
	buf_free(&text);
	buf_free(&want);
}

/* "title = " followed by x's: a line of exactly len content bytes. */
static const char *long_line_fixture(struct fx *f, size_t len, const char *eol)
{
	struct buf text = BUF_INIT;

	buf_adds(&text, "[daemon]\nlanguage = vi\n[plan P]\ntitle = ");
	for (size_t i = strlen("title = "); i < len; i++)
		buf_addc(&text, 'x');
	buf_adds(&text, eol);
	buf_adds(&text, "issued = 2022-07-11\n" TAIL);
	const char *path = fx_write(f, "main.ini", buf_str(&text));
	buf_free(&text);
	return path;
}

/*
 * inih reads lines into a 200-byte buffer: 196 content bytes are the most
 * a line may hold (config/deadlined.ini says so). Anything longer is an
 * error naming the line (line 4 here), never a value split in two.
 */
static void test_long_lines(void **state)
{
	struct fx *f = *state;
	static const size_t ok_lens[] = {100, 190, 195, 196};
	static const size_t bad_lens[] = {197, 198, 199, 200, 201, 250, 398, 399, 400, 1000};
	static const char *const eols[] = {"\n", "\r\n"};
	size_t failed = 0, cases = 0;

	for (size_t e = 0; e < N_ELEMS(eols); e++) {
		for (size_t i = 0; i < N_ELEMS(ok_lens); i++) {
			struct buf errors = BUF_INIT;
			const char *path = long_line_fixture(f, ok_lens[i], eols[e]);
			struct cfg *c = cfg_load(path, &errors, NULL);
			const struct cfg_plan *p = c ? cfg_plan(c, "P") : NULL;
			size_t want = ok_lens[i] - strlen("title = ");
			cases++;
			if (!c || !p || !p->title || strlen(p->title) != want || !p->issued ||
			    strcmp(p->issued, "2022-07-11") != 0) {
				print_error("a line of %zu content bytes (%s) must load whole: %s, "
				            "title of %zu bytes (expected %zu)\n",
				            ok_lens[i], e ? "CRLF" : "LF", c ? "loaded" : "failed",
				            p && p->title ? strlen(p->title) : 0, want);
				show_text("errors", buf_str(&errors));
				failed++;
			}
			cfg_free(c);
			buf_free(&errors);
		}
		for (size_t i = 0; i < N_ELEMS(bad_lens); i++) {
			char what[96];
			struct buf errors = BUF_INIT;
			snprintf(what, sizeof(what), "a line of %zu content bytes (%s)",
			         bad_lens[i], e ? "CRLF" : "LF");
			const char *path = long_line_fixture(f, bad_lens[i], eols[e]);
			cases++;
			if (!check_load_fails(what, path, &errors) ||
			    !check_error(what, buf_str(&errors), path, LINES(4), NULL, NULL, NULL))
				failed++;
			buf_free(&errors);
		}
	}
	if (failed) {
		print_error("long lines: %zu of %zu cases failed (see above)\n", failed, cases);
		fail();
	}
}

/* The long-line error, like every error, names the section and the key. */
static void test_long_line_names_section_and_key(void **state)
{
	struct fx *f = *state;
	struct buf errors = BUF_INIT;
	const char *path = long_line_fixture(f, 250, "\n");

	load_fails("a line of 250 bytes", path, &errors);
	expect_error("a line of 250 bytes after [plan P]", buf_str(&errors), path, LINES(4),
	             "plan P", "title", NULL);
	buf_free(&errors);
}

/* ---- errors: one table, each case a whole file --------------------------- */

struct err_case {
	const char *name;
	const char *text;
	int lines[MAX_LINES]; /* acceptable line numbers, 0-terminated */
	const char *section;  /* NULL: not checked; "": top level */
	const char *key;      /* NULL: not checked */
	const char *contains; /* NULL: nothing more */
};

static const struct err_case parse_errors[] = {
    {"unknown key", "[daemon]\nbogus = 1\n" TAIL, {2}, "daemon", "bogus", NULL},
    {"unknown key in an agency",
     "[agency a]\nname = A\nemail = a@qn.example\nmotto = x\n" TAIL,
     {4},
     "agency a",
     "motto",
     NULL},
    {"unknown key at the top level", "bogus = 1\n" TAIL, {1}, "", "bogus", NULL},
    {"unknown section", "[bogus]\nkey = 1\n" TAIL, {1, 2}, "bogus", NULL, NULL},
    {"unknown named section", "[office x]\nkey = 1\n" TAIL, {1, 2}, "office x", NULL, NULL},
    {"single-valued key twice",
     "[daemon]\nlanguage = vi\nlanguage = en\n" TAIL,
     {3},
     "daemon",
     "language",
     "line 2|:2"},
    {"agency name twice",
     "[agency a]\nname = A\nemail = a@qn.example\nname = B\n" TAIL,
     {4},
     "agency a",
     "name",
     "line 2|:2"},
    {"supervisor twice",
     "[agency a]\nname = A\nemail = a@qn.example\nsupervisor = ubnd\nsupervisor = ubnd\n" TAIL,
     {5},
     "agency a",
     "supervisor",
     "line 4|:4"},
    {"plan title twice",
     "[plan P]\ntitle = A\n  more\ntitle = B\n" TAIL,
     {4},
     "plan P",
     "title",
     "line 2|:2"},
    {"task timeframe twice",
     "[task t]\ntitle = T\nlead = Sở Y tế\ntimeframe = Năm 2025\ntimeframe = Năm 2026\n" TAIL,
     {5},
     "task t",
     "timeframe",
     "line 4|:4"},
    {"port zero", "[smtp]\nport = 0\n" TAIL, {2}, "smtp", "port", NULL},
    {"port not a number", "[smtp]\nport = 25x\n" TAIL, {2}, "smtp", "port", NULL},
    {"port too large", "[smtp]\nport = 65536\n" TAIL, {2}, "smtp", "port", NULL},
    {"timeout not a number", "[smtp]\ntimeout = soon\n" TAIL, {2}, "smtp", "timeout", NULL},
    {"no connection", "[smtp]\nconnections = 0\n" TAIL, {2}, "smtp", "connections", NULL},
    {"too many connections", "[smtp]\nconnections = 17\n" TAIL, {2}, "smtp", "connections", NULL},
    {"verify not a bool", "[smtp]\nverify = maybe\n" TAIL, {2}, "smtp", "verify", NULL},
    {"tls = tls", "[smtp]\ntls = tls\n" TAIL, {2}, "smtp", "tls", NULL},
    {"tls unknown", "[smtp]\ntls = ssl\n" TAIL, {2}, "smtp", "tls", NULL},
    {"retry_max_age bad unit",
     "[smtp]\nretry_max_age = 3w\n" TAIL,
     {2},
     "smtp",
     "retry_max_age",
     NULL},
    {"retry_max_age too long",
     "[smtp]\nretry_max_age = 100d\n" TAIL,
     {2},
     "smtp",
     "retry_max_age",
     NULL},
    {"envelope_from not an address",
     "[smtp]\nenvelope_from = nobody\n" TAIL,
     {2},
     "smtp",
     "envelope_from",
     NULL},
    {"language fr", "[daemon]\nlanguage = fr\n" TAIL, {2}, "daemon", "language", NULL},
    {"timezone unknown",
     "[daemon]\ntimezone = Mars/Olympus\n" TAIL,
     {2},
     "daemon",
     "timezone",
     NULL},
    {"transport unknown", "[mail]\ntransport = pigeon\n" TAIL, {2}, "mail", "transport", NULL},
    {"from not an address",
     "[mail]\nfrom = Hệ thống <not an address>\n" TAIL,
     {2},
     "mail",
     "from",
     NULL},
    {"admin not an address", "[mail]\nadmin = quantri\n" TAIL, {2}, "mail", "admin", NULL},
    {"workdays bad", "[calendar]\nworkdays = someday\n" TAIL, {2}, "calendar", "workdays", NULL},
    {"office_hours bad",
     "[calendar]\noffice_hours = 25:00-26:00\n" TAIL,
     {2},
     "calendar",
     "office_hours",
     NULL},
    {"holiday bad",
     "[calendar]\nholiday = 2025-01-25\nholiday = 2025-13-01\n" TAIL,
     {3},
     "calendar",
     "holiday",
     NULL},
    {"workday bad", "[calendar]\nworkday = Saturday\n" TAIL, {2}, "calendar", "workday", NULL},
    {"remind.once = 7 x", "[policy]\nremind.once = 7 x\n" TAIL, {2}, "policy", "remind.once", NULL},
    {"escalate to nobody",
     "[policy]\nescalate = 1:lead 7:boss\n" TAIL,
     {2},
     "policy",
     "escalate",
     NULL},
    {"repeat_limit not a number",
     "[policy]\nrepeat_limit = many\n" TAIL,
     {2},
     "policy",
     "repeat_limit",
     NULL},
    {"coordinating not a bool",
     "[policy]\ncoordinating = perhaps\n" TAIL,
     {2},
     "policy",
     "coordinating",
     NULL},
    {"unknown policy key",
     "[policy]\nremind.fortnightly = 3\n" TAIL,
     {2},
     "policy",
     "remind.fortnightly",
     NULL},
    {"plan remind.once = 7 x",
     "[plan P]\ntitle = P\nremind.once = 7 x\n" TAIL,
     {3},
     "plan P",
     "remind.once",
     NULL},
    {"plan escalate bad",
     "[plan P]\ntitle = P\nescalate = soon\n" TAIL,
     {3},
     "plan P",
     "escalate",
     NULL},
    {"plan issued bad", "[plan P]\nissued = 11/7/2022\n" TAIL, {2}, "plan P", "issued", NULL},
    {"plan period bad", "[plan P]\nperiod = 2025-2022\n" TAIL, {2}, "plan P", "period", NULL},
    {"task remind.yearly bad",
     "[task t]\ntitle = T\nlead = Sở Y tế\ntimeframe = Quý IV hàng năm\nremind.yearly = x\n" TAIL,
     {5},
     "task t",
     "remind.yearly",
     NULL},
    {"task remind = 7 x",
     "[task t]\ntitle = T\nlead = Sở Y tế\ntimeframe = Quý IV hàng năm\nremind = 7 x\n" TAIL,
     {5},
     "task t",
     "remind",
     NULL},
    {"task escalate bad",
     "[task t]\ntitle = T\nlead = Sở Y tế\ntimeframe = Năm 2025\nescalate = 1:lead,x\n" TAIL,
     {5},
     "task t",
     "escalate",
     NULL},
    {"email not an address",
     "[agency a]\nname = A\nemail = a.qn.example\n" TAIL,
     {3},
     "agency a",
     "email",
     NULL},
    {"since not a date",
     "[agency a]\nname = A\nemail = a@qn.example\nsuccessor = ubnd\nsince = 2025-02-30\n" TAIL,
     {5},
     "agency a",
     "since",
     NULL},
    {"value not UTF-8",
     "[agency a]\nname = S\xff\xfe A\nemail = a@qn.example\n" TAIL,
     {2},
     "agency a",
     "name",
     NULL},
    {"truncated UTF-8", "[plan P]\ntitle = K\xe1\xba\n" TAIL, {2}, "plan P", "title", NULL},
    {"agency id not lowercase",
     "[agency Sở]\nname = A\nemail = a@qn.example\n" TAIL,
     {1, 2},
     "agency Sở",
     NULL,
     NULL},
    {"agency without an id", "[agency]\nname = A\n" TAIL, {1, 2}, "agency", NULL, NULL},
    {"[daemon] with an id", "[daemon x]\nlanguage = vi\n" TAIL, {1, 2}, "daemon x", NULL, NULL},
    {"include inside a section",
     "[daemon]\ninclude = other.ini\n" TAIL,
     {2},
     "daemon",
     "include",
     NULL},
    {"include of a missing file",
     "include = missing.ini\n" TAIL,
     {1},
     "",
     "include",
     "missing.ini"},
    {"include of itself", "include = main.ini\n" TAIL, {1}, "", "include", NULL},
    {"not key = value", "[daemon]\nlanguage = vi\njust some words\n" TAIL, {3}, NULL, NULL, NULL},
    {"continuation with no value before",
     "[daemon]\n  language = vi\n" TAIL,
     {2},
     "daemon",
     NULL,
     NULL},
};

/* Runs one case; false (after saying why) when it fails. */
static bool run_error_case(struct fx *f, const struct err_case *e)
{
	struct buf errors = BUF_INIT;
	const char *path = fx_write(f, "main.ini", e->text);
	bool ok =
	    check_load_fails(e->name, path, &errors) &&
	    check_error(e->name, buf_str(&errors), path, e->lines, e->section, e->key, e->contains);

	buf_free(&errors);
	return ok;
}

/* Every case runs; the test fails at the end if any did. */
static void run_error_cases(struct fx *f, const char *table, const struct err_case *cases, size_t n)
{
	size_t failed = 0;

	for (size_t i = 0; i < n; i++)
		failed += !run_error_case(f, &cases[i]);
	if (failed) {
		print_error("%s: %zu of %zu cases failed (see above)\n", table, failed, n);
		fail();
	}
}

static void test_parse_errors(void **state)
{
	run_error_cases(*state, "parse errors", parse_errors, N_ELEMS(parse_errors));
}

/* A section with no keys still exists: an unknown one is an error, an
 * empty agency has no name, an empty group no members. */
static const struct err_case empty_section_errors[] = {
    {"empty unknown section", "[bogus]\n" TAIL, {1}, "bogus", NULL, NULL},
    {"empty agency", "[agency lonely]\n" TAIL, {1}, "agency lonely", "name", NULL},
    {"empty group", "[group nobody]\n" TAIL, {1}, "group nobody", NULL, NULL},
};

static void test_empty_sections(void **state)
{
	run_error_cases(*state, "empty sections", empty_section_errors,
	                N_ELEMS(empty_section_errors));
}

/* Validation of the whole. Lines: where the entity or the key is written. */
static const struct err_case validation_errors[] = {
    {"agency without a name",
     "[agency a]\nemail = a@qn.example\n" TAIL,
     {1, 2},
     "agency a",
     "name",
     NULL},
    {"supervisor does not exist",
     "[agency a]\nname = A\nemail = a@qn.example\nsupervisor = nope\n" TAIL,
     {1, 2, 4},
     "agency a",
     "supervisor",
     "nope"},
    {"successor does not exist",
     "[agency a]\nname = A\nemail = a@qn.example\nsuccessor = nope\nsince = 2025-03-01\n" TAIL,
     {1, 2, 4},
     "agency a",
     "successor",
     "nope"},
    {"successor without since",
     "[agency a]\nname = A\nemail = a@qn.example\nsuccessor = ubnd\n" TAIL,
     {1, 2, 4},
     "agency a",
     "since",
     NULL},
    {"successor chain loops",
     "[agency a]\nname = A\nemail = a@qn.example\nsuccessor = b\nsince = 2025-03-01\n"
     "[agency b]\nname = B\nemail = b@qn.example\nsuccessor = a\nsince = 2025-07-01\n" TAIL,
     {1, 2, 4, 6, 7, 9},
     NULL,
     "successor",
     NULL},
    {"supervisor chain loops",
     "[agency a]\nname = A\nemail = a@qn.example\nsupervisor = b\n"
     "[agency b]\nname = B\nemail = b@qn.example\nsupervisor = c\n"
     "[agency c]\nname = C\nemail = c@qn.example\nsupervisor = a\n" TAIL,
     {1, 2, 4, 5, 6, 8},
     NULL,
     "supervisor",
     NULL},
    {"agency supervising itself",
     "[agency a]\nname = A\nemail = a@qn.example\nsupervisor = a\n" TAIL,
     {1, 2, 4},
     "agency a",
     "supervisor",
     NULL},
    {"group member does not exist",
     "[group g]\nname = Các sở\nmember = ubnd\nmember = nope\n" TAIL,
     {1, 2, 4},
     "group g",
     "member",
     "nope"},
    {"group without members or email",
     "[group g]\nname = Các sở\n" TAIL,
     {1, 2},
     "group g",
     NULL,
     NULL},
    {"group without a name", "[group g]\nmember = ubnd\n" TAIL, {1, 2}, "group g", "name", NULL},
    {"task without title",
     "[task t]\nlead = Sở Y tế\ntimeframe = Năm 2025\n" TAIL,
     {1, 2},
     "task t",
     "title",
     NULL},
    {"task without lead",
     "[task t]\ntitle = Báo cáo\ntimeframe = Năm 2025\n" TAIL,
     {1, 2},
     "task t",
     "lead",
     NULL},
    {"daemon monitor does not exist",
     "[daemon]\nmonitor = nope\n" TAIL,
     {1, 2},
     "daemon",
     "monitor",
     "nope"},
    {"default_supervisor does not exist",
     "[daemon]\ndefault_supervisor = nope\n" TAIL,
     {1, 2},
     "daemon",
     "default_supervisor",
     "nope"},
    {"plan monitor does not exist",
     "[plan P]\ntitle = P\nmonitor = nope\n" TAIL,
     {1, 2, 3},
     "plan P",
     "monitor",
     "nope"},
    {"maildir transport without a maildir",
     "[mail]\ntransport = maildir\n" UBND,
     {1, 2},
     "mail",
     "maildir",
     NULL},
    {"smtp without a host", "[mail]\ntransport = smtp\n" UBND, {1, 2}, "smtp", "host", NULL},
    {"tls = none to a remote host",
     "[mail]\ntransport = smtp\n[smtp]\nhost = mail.qn.example\ntls = none\n" UBND,
     {3, 4, 5},
     "smtp",
     "tls",
     NULL},
    {"tls = none to 127.something that is a name",
     "[mail]\ntransport = smtp\n[smtp]\nhost = 127.mail.example\ntls = none\n" UBND,
     {3, 4, 5},
     "smtp",
     "tls",
     NULL},
    {"user without password_file",
     "[mail]\ntransport = smtp\n[smtp]\nhost = 127.0.0.1\nuser = nhacviec\n" UBND,
     {3, 5},
     "smtp",
     "user",
     NULL},
    {"password_file missing",
     "[mail]\ntransport = smtp\n[smtp]\nhost = 127.0.0.1\nuser = u\npassword_file = "
     "no-such-secret\n" UBND,
     {3, 6},
     "smtp",
     "password_file",
     NULL},
    {"group id is also an agency id",
     "[group ubnd]\nname = Nhóm\nemail = g@qn.example\n" UBND MAIL,
     {1, 2},
     "group ubnd",
     NULL,
     NULL},
};

static void test_validation_errors(void **state)
{
	run_error_cases(*state, "validation errors", validation_errors, N_ELEMS(validation_errors));
}

/* tls = none is fine to a loopback host. */
static void test_tls_none_loopback(void **state)
{
	struct fx *f = *state;
	static const char *const hosts[] = {"127.0.0.1", "localhost", "::1", "127.0.0.2"};

	for (size_t i = 0; i < N_ELEMS(hosts); i++) {
		char text[512], what[96];
		snprintf(
		    text, sizeof(text),
		    "[mail]\ntransport = smtp\n[smtp]\nhost = %s\ntls = none\nport = 2525\n" UBND,
		    hosts[i]);
		snprintf(what, sizeof(what), "tls = none to %s", hosts[i]);
		struct cfg *c = load_ok(what, fx_write(f, "main.ini", text), NULL);
		expect_int("transport", c->transport, CFG_SMTP);
		expect_int("tls", c->tls, CFG_TLS_NONE);
		expect_int("port", c->port, 2525);
		expect_str("host", c->host, hosts[i]);
		cfg_free(c);
	}
}

/* The password file must be private to the service: 600 is read, 640 not. */
static void test_password_file(void **state)
{
	struct fx *f = *state;
	const char *text = "[mail]\ntransport = smtp\n[smtp]\nhost = 127.0.0.1\n"
	                   "user = nhacviec\npassword_file = secret/smtp\n" UBND;
	const char *secret = fx_write(f, "secret/smtp", "s3cret pass\nsecond line\n");
	const char *path = fx_write(f, "main.ini", text);

	assert_int_equal(chmod(secret, 0600), 0);
	struct cfg *c = load_ok("password_file with mode 600", path, NULL);
	expect_str("user", c->user, "nhacviec");
	expect_path("password_file (relative to the config)", c->password_file,
	            fx_path(f, "secret/smtp"));
	expect_str("password (the first line)", c->password, "s3cret pass");
	cfg_free(c);

	static const mode_t bad_modes[] = {0640, 0604, 0660, 0644};
	for (size_t i = 0; i < N_ELEMS(bad_modes); i++) {
		char what[64];
		struct buf errors = BUF_INIT;
		snprintf(what, sizeof(what), "password_file with mode %03o",
		         (unsigned)bad_modes[i]);
		assert_int_equal(chmod(secret, bad_modes[i]), 0);
		load_fails(what, path, &errors);
		expect_error(what, buf_str(&errors), path, LINES(3, 6), "smtp", "password_file",
		             NULL);
		expect_true("the error does not reveal the password",
		            strstr(buf_str(&errors), "s3cret") == NULL);
		buf_free(&errors);
	}
}

/*
 * deadlinectl loads the config without the password file, whatever its
 * state; check-config checks the file (mode, owner) without reading it.
 */
static void test_password_file_read_by_the_daemon_only(void **state)
{
	struct fx *f = *state;
	const char *text = "[mail]\ntransport = smtp\n[smtp]\nhost = 127.0.0.1\n"
	                   "user = nhacviec\npassword_file = secret/smtp\n" UBND;
	const char *path = fx_write(f, "main.ini", text);
	const char *secret = fx_path(f, "secret/smtp");
	const uid_t me = geteuid(), other = geteuid() + 1, any = (uid_t)-1;
	static const struct {
		mode_t mode; /* 0: no file */
		int owner;   /* 0: any, 1: this process, 2: another uid */
		bool ok;
		const char *why; /* in the error */
	} cases[] = {
	    {0600, 0, true, NULL},
	    {0400, 1, true, NULL},
	    {0640, 0, false, "readable by group or others"},
	    {0604, 1, false, "readable by group or others"},
	    {0600, 2, false, "not to the service's user"},
	    {0, 0, false, "No such file"},
	};

	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		char what[96];
		struct buf errors = BUF_INIT;
		snprintf(what, sizeof(what), "password_file mode %03o, owner case %d",
		         (unsigned)cases[i].mode, cases[i].owner);
		unlink(secret);
		if (cases[i].mode) {
			fx_write(f, "secret/smtp", "s3cret pass\n");
			assert_int_equal(chmod(secret, cases[i].mode), 0);
		}
		struct cfg *c = cfg_load_without_secrets(path, &errors, NULL);
		expect_true(what, c != NULL && errors.len == 0);
		if (!c)
			continue;
		expect_true("no password without secrets", c->password == NULL);
		uid_t service = cases[i].owner == 1 ? me : cases[i].owner == 2 ? other : any;
		int rc = cfg_check_secrets(c, service, &errors);
		expect_int(what, rc, cases[i].ok ? 0 : -1);
		if (cases[i].why)
			expect_error(what, buf_str(&errors), path, LINES(6), "smtp",
			             "password_file", cases[i].why);
		expect_true("the check does not reveal the password",
		            strstr(buf_str(&errors), "s3cret") == NULL);
		cfg_free(c);
		buf_free(&errors);
	}
}

/* The inbox's reply key is a secret too: loaded by the daemon, checked by check-config. */
static void test_inbox_key_read_by_the_daemon_only(void **state)
{
	struct fx *f = *state;
	const char *text = "[inbox]\nmaildir = in\nkey_file = secret/key\n" TAIL;
	const char *path = fx_write(f, "main.ini", text);
	const char *key = fx_write(f, "secret/key", "0123456789abcdef0123456789abcdef\n");
	struct buf errors = BUF_INIT;

	assert_int_equal(chmod(key, 0640), 0);
	load_fails("a key readable by the group", path, &errors);
	buf_reset(&errors);
	struct cfg *c = cfg_load_without_secrets(path, &errors, NULL);
	expect_true("loaded without the key", c != NULL && errors.len == 0);
	if (!c)
		return;
	expect_true("no key read", !c->inbox.have_key);
	expect_int("check-config's verdict", cfg_check_secrets(c, (uid_t)-1, &errors), -1);
	expect_error("the key's mode", buf_str(&errors), path, LINES(3), "inbox", "key_file",
	             "readable by group or others");
	buf_reset(&errors);
	assert_int_equal(chmod(key, 0600), 0);
	expect_int("checked", cfg_check_secrets(c, geteuid(), &errors), 0);
	expect_true("still not read", !c->inbox.have_key);
	expect_int("read when sending", cfg_read_secrets(c, &errors), 0);
	expect_true("read", c->inbox.have_key);
	cfg_free(c);
	buf_free(&errors);
}

/*
 * Whether one error sits at (file_a, lines_a, section_a) and names the other
 * place: file_b followed by one of lines_b ("FILE:LINE").
 */
static bool names_both(const char *errors, const char *file_a, const int *lines_a,
                       const char *section_a, const char *file_b, const int *lines_b)
{
	for (int i = 0; lines_b[i]; i++) {
		char other[PATH_MAX + 80];
		snprintf(other, sizeof(other), "%s:%d", file_b, lines_b[i]);
		if (find_error(errors, file_a, lines_a, section_a, NULL, other))
			return true;
	}
	return false;
}

/* A same name key for two entities makes matching a coin toss: an error
 * naming both places. */
static void test_duplicate_names(void **state)
{
	struct fx *f = *state;
	struct buf errors = BUF_INIT;
	int failed = 0;
	/* hoá/hóa, case, '&'/'và', punctuation: one key */
	const char *path = fx_write(f, "main.ini",
	                            "[agency a]\n"                             /* 1 */
	                            "name = Sở Văn hoá, Thể thao & Du lịch\n"  /* 2 */
	                            "email = a@qn.example\n"                   /* 3 */
	                            "[agency b]\n"                             /* 4 */
	                            "name = Sở B\n"                            /* 5 */
	                            "email = b@qn.example\n"                   /* 6 */
	                            "alias = sở văn hóa thể thao và du lịch\n" /* 7 */
	                            TAIL);

	if (check_load_fails("a name of a that is an alias of b", path, &errors) &&
	    !names_both(buf_str(&errors), path, LINES(1, 2), "agency a", path, LINES(4, 5, 7)) &&
	    !names_both(buf_str(&errors), path, LINES(4, 5, 7), "agency b", path, LINES(1, 2))) {
		print_error("expected one error at %s:1|2 [agency a] naming %s:4|5|7, or at "
		            "%s:4|5|7 [agency b] naming %s:1|2\n",
		            path, path, path, path);
		show_text("errors", buf_str(&errors));
		failed++;
	}
	buf_free(&errors);

	/* a group and an agency answering to one name, in two files */
	const char *inc = fx_write(f, "dir/groups.ini",
	                           "[group g]\n"            /* 1 */
	                           "name = Các sở, ngành\n" /* 2 */
	                           "email = g@qn.example\n" /* 3 */
	                           "alias = Sở Bê\n");      /* 4 */
	path = fx_write(f, "main.ini",
	                "include = dir/groups.ini\n" /* 1 */
	                "[agency b]\n"               /* 2 */
	                "name = Sở Bê\n"             /* 3 */
	                "email = b@qn.example\n"     /* 4 */
	                TAIL);
	if (check_load_fails("a group alias that is an agency's name", path, &errors) &&
	    !names_both(buf_str(&errors), path, LINES(2, 3), "agency b", inc, LINES(1, 2, 4)) &&
	    !names_both(buf_str(&errors), inc, LINES(1, 2, 4), "group g", path, LINES(2, 3))) {
		print_error("expected one error at %s:2|3 [agency b] naming %s:1|2|4, or at "
		            "%s:1|2|4 [group g] naming %s:2|3\n",
		            path, inc, inc, path);
		show_text("errors", buf_str(&errors));
		failed++;
	}
	buf_free(&errors);
	if (failed)
		fail();
}

/* Two [agency X] sections with one id are two entities with one name. */
static void test_duplicate_agency_section(void **state)
{
	struct fx *f = *state;
	struct buf errors = BUF_INIT;
	const char *path = fx_write(f, "main.ini",
	                            "[agency a]\nname = Sở A\nemail = a@qn.example\n"
	                            "[agency a]\nname = Sở A\nemail = a2@qn.example\n" TAIL);

	load_fails("[agency a] twice", path, &errors);
	expect_error("[agency a] twice", buf_str(&errors), path, LINES(1, 2, 4, 5), "agency a",
	             NULL, NULL);
	buf_free(&errors);
}

/* Warnings are not errors: an INI task with a timeframe nobody understands
 * loads, flagged. */
static void test_unparsed_timeframe_is_a_warning(void **state)
{
	struct fx *f = *state;
	struct buf warnings = BUF_INIT;
	const char *path = fx_write(f, "main.ini",
	                            "[task t]\n"
	                            "title = Báo cáo\n"
	                            "lead = Sở Y tế\n"
	                            "timeframe = sớm nhất có thể\n" TAIL);
	struct cfg *c = load_ok("a task with an unparseable timeframe", path, &warnings);

	expect_int("tasks", (long long)c->n_tasks, 1);
	expect_str("the timeframe is kept verbatim", c->tasks[0].timeframe, "sớm nhất có thể");
	if (!strstr(buf_str(&warnings), "task t") || !strstr(buf_str(&warnings), path)) {
		print_error("expected a warning naming %s and [task t]\n", path);
		show_text("warnings", buf_str(&warnings));
		fail();
	}
	cfg_free(c);
	buf_free(&warnings);

	/* without a warnings buffer it loads all the same */
	c = load_ok("a task with an unparseable timeframe, no warnings buffer", path, NULL);
	cfg_free(c);
}

/* ---- every error of a load, up to 50 ---------------------------------- */

static void test_all_parse_errors_reported(void **state)
{
	struct fx *f = *state;
	struct buf errors = BUF_INIT;
	const char *path = fx_write(f, "main.ini",
	                            "[daemon]\n"          /* 1 */
	                            "bogus = 1\n"         /* 2 */
	                            "language = fr\n"     /* 3 */
	                            "[smtp]\n"            /* 4 */
	                            "port = none\n"       /* 5 */
	                            "tls = tls\n"         /* 6 */
	                            "[policy]\n"          /* 7 */
	                            "remind.once = 7 x\n" /* 8 */
	                            "[agency a]\n"        /* 9 */
	                            "name = A\n"          /* 10 */
	                            "email = nowhere\n"   /* 11 */
	                            "name = B\n"          /* 12 */
	                            TAIL);

	load_fails("six parse errors", path, &errors);
	const char *e = buf_str(&errors);
	expect_error("error 1 of 6", e, path, LINES(2), "daemon", "bogus", NULL);
	expect_error("error 2 of 6", e, path, LINES(3), "daemon", "language", NULL);
	expect_error("error 3 of 6", e, path, LINES(5), "smtp", "port", NULL);
	expect_error("error 4 of 6", e, path, LINES(6), "smtp", "tls", NULL);
	expect_error("error 5 of 6", e, path, LINES(8), "policy", "remind.once", NULL);
	expect_error("error 6a of 6", e, path, LINES(11), "agency a", "email", NULL);
	expect_error("error 6b of 6", e, path, LINES(12), "agency a", "name", NULL);
	buf_free(&errors);
}

/* Two lines that are not "key = value": both reported, each in its section. */
static void test_all_syntax_errors_reported(void **state)
{
	struct fx *f = *state;
	struct buf errors = BUF_INIT;
	const char *path = fx_write(f, "main.ini",
	                            "[daemon]\n"       /* 1 */
	                            "no equals sign\n" /* 2 */
	                            "language = vi\n"  /* 3 */
	                            "[unterminated\n"  /* 4 */
	                            TAIL);
	int failed = 0;

	load_fails("two malformed lines", path, &errors);
	failed += !check_error("the first malformed line", buf_str(&errors), path, LINES(2), NULL,
	                       NULL, NULL);
	failed += !check_error("the second malformed line", buf_str(&errors), path, LINES(4), NULL,
	                       NULL, NULL);
	failed += !check_error("the first malformed line, in [daemon]", buf_str(&errors), path,
	                       LINES(2), "daemon", NULL, NULL);
	buf_free(&errors);
	if (failed)
		fail();
}

/* A parse error does not hide the validation errors of the same load. */
static void test_parse_and_validation_errors_reported(void **state)
{
	struct fx *f = *state;
	struct buf errors = BUF_INIT;
	const char *path = fx_write(f, "main.ini",
	                            "[daemon]\n"      /* 1 */
	                            "bogus = 1\n"     /* 2 */
	                            "[group g]\n"     /* 3 */
	                            "name = Các sở\n" /* 4 */
	                            "member = nope\n" /* 5 */
	                            TAIL);

	load_fails("a parse error and a validation error", path, &errors);
	expect_error("the parse error", buf_str(&errors), path, LINES(2), "daemon", "bogus", NULL);
	expect_error("the validation error", buf_str(&errors), path, LINES(3, 4, 5), "group g",
	             "member", "nope");
	buf_free(&errors);
}

/* A UTF-8 byte order mark (as some Windows editors write) is not text. */
static void test_utf8_bom(void **state)
{
	struct fx *f = *state;
	const char *path = fx_write(f, "main.ini", "\xef\xbb\xbf[daemon]\nlanguage = en\n" TAIL);
	struct cfg *c = load_ok("a file starting with a BOM and a [section]", path, NULL);

	expect_str("language after the BOM", c->language, "en");
	cfg_free(c);

	path = fx_write(f, "main.ini", "\xef\xbb\xbf; a comment\n[daemon]\nlanguage = en\n" TAIL);
	c = load_ok("a file starting with a BOM and a comment", path, NULL);
	expect_str("language", c->language, "en");
	cfg_free(c);
}

/* A NUL byte is not text: an error naming the file (and its line). */
static void test_nul_byte(void **state)
{
	struct fx *f = *state;
	struct buf errors = BUF_INIT;
	static const char text[] = "[daemon]\nlanguage = vi\nmonitor = a\0b\n" TAIL;
	const char *path = fx_write_n(f, "main.ini", text, sizeof(text) - 1);

	load_fails("a NUL byte on line 3", path, &errors);
	expect_error("a NUL byte on line 3", buf_str(&errors), path, LINES(1, 3), NULL, NULL, NULL);
	buf_free(&errors);
}

static void test_error_limit(void **state)
{
	struct fx *f = *state;
	struct buf text = BUF_INIT, errors = BUF_INIT;

	buf_adds(&text, "[daemon]\n");
	for (int i = 0; i < 60; i++)
		buf_printf(&text, "bogus%d = 1\n", i);
	buf_adds(&text, TAIL);
	const char *path = fx_write(f, "main.ini", buf_str(&text));
	load_fails("60 unknown keys", path, &errors);
	const char *e = buf_str(&errors);
	size_t listed = 0;
	for (int i = 0; i < 60; i++) {
		char key[32];
		snprintf(key, sizeof(key), "bogus%d", i);
		listed += find_error(e, path, LINES(i + 2), "daemon", key, NULL);
	}
	expect_int("errors listed out of 60", (long long)listed, 50);
	for (int i = 0; i < 50; i++) {
		char key[32], what[64];
		snprintf(key, sizeof(key), "bogus%d", i);
		snprintf(what, sizeof(what), "error %d of 60", i + 1);
		expect_error(what, e, path, LINES(i + 2), "daemon", key, NULL);
	}
	expect_true("at most 51 lines of errors (50 and a summary)", count_lines(e) <= 51);
	buf_free(&text);
	buf_free(&errors);
}

/* errors and warnings may be NULL: the load still fails. */
static void test_errors_buffer_may_be_null(void **state)
{
	struct fx *f = *state;
	static const char *const bad[] = {
	    "[daemon]\nbogus = 1\n" TAIL,
	    "[smtp]\nport = 0\n" TAIL,
	    "[group g]\nname = G\nmember = nope\n" TAIL,
	    "[agency a]\nemail = a@qn.example\n" TAIL,
	};

	for (size_t i = 0; i < N_ELEMS(bad); i++) {
		const char *path = fx_write(f, "main.ini", bad[i]);
		struct cfg *c = cfg_load(path, NULL, NULL);
		if (c) {
			print_error("cfg_load(errors = NULL) loaded a bad config:\n%s", bad[i]);
			cfg_free(c);
			fail();
		}
	}
	expect_true("a missing file fails without buffers",
	            cfg_load(fx_path(f, "none.ini"), NULL, NULL) == NULL);
}

static void test_missing_file(void **state)
{
	struct fx *f = *state;
	struct buf errors = BUF_INIT;
	const char *path = fx_path(f, "does-not-exist.ini");

	load_fails("a missing config file", path, &errors);
	expect_true("the error names the missing file", strstr(buf_str(&errors), path) != NULL);
	buf_free(&errors);
}

/* ---- include and relative paths ----------------------------------------- */

static void test_include_and_relative_paths(void **state)
{
	struct fx *f = *state;

	fx_write(f, "conf.d/dir.ini",
	         "include = more.ini\n"
	         "[agency a]\nname = Sở A\nemail = a@qn.example\n"
	         "[daemon]\ndatabase = db/d.db\ntemplates = tpl\n");
	fx_write(f, "conf.d/more.ini",
	         "[agency b]\nname = Sở B\nemail = b@qn.example\nsupervisor = a\n"
	         "[smtp]\nca_file = ca.pem\n");
	const char *path = fx_write(f, "main.ini",
	                            "include = conf.d/dir.ini\n"
	                            "[daemon]\ncontrol_socket = run/ctl\n"
	                            "[mail]\nmaildir = mail\n" UBND);
	struct cfg *c = load_ok("nested includes", path, NULL);

	expect_true("agency a from the include", cfg_agency(c, "a") != NULL);
	expect_true("agency b from the nested include", cfg_agency(c, "b") != NULL);
	expect_str("supervisor of b", cfg_agency(c, "b")->supervisor, "a");
	expect_path("database, relative to conf.d/dir.ini", c->database,
	            fx_path(f, "conf.d/db/d.db"));
	expect_path("templates, relative to conf.d/dir.ini", c->templates,
	            fx_path(f, "conf.d/tpl"));
	expect_path("ca_file, relative to conf.d/more.ini", c->ca_file,
	            fx_path(f, "conf.d/ca.pem"));
	expect_path("control_socket, relative to main.ini", c->control_socket,
	            fx_path(f, "run/ctl"));
	expect_path("maildir, relative to main.ini", c->maildir, fx_path(f, "mail"));
	expect_int("files read", (long long)c->files.n, 3);
	cfg_free(c);

	/* absolute paths stay as written */
	path = fx_write(f, "main.ini",
	                "[daemon]\ndatabase = /var/tmp/x.db\n"
	                "[mail]\nmaildir = /var/tmp/mail\n" UBND);
	c = load_ok("absolute paths", path, NULL);
	expect_str("absolute database", c->database, "/var/tmp/x.db");
	expect_str("absolute maildir", c->maildir, "/var/tmp/mail");
	cfg_free(c);
}

static void test_include_errors_name_their_file(void **state)
{
	struct fx *f = *state;
	struct buf errors = BUF_INIT;
	const char *inc = fx_write(f, "conf.d/bad.ini",
	                           "[agency b]\n"           /* 1 */
	                           "name = Sở B\n"          /* 2 */
	                           "bogus = 1\n"            /* 3 */
	                           "email = b@qn.example\n" /* 4 */
	                           "[smtp]\n"               /* 5 */
	                           "port = x\n");           /* 6 */
	const char *path = fx_write(f, "main.ini",
	                            "include = conf.d/bad.ini\n" /* 1 */
	                            "[daemon]\n"                 /* 2 */
	                            "language = xx\n"            /* 3 */
	                            TAIL);

	load_fails("errors in an included file", path, &errors);
	expect_error("unknown key in the include", buf_str(&errors), inc, LINES(3), "agency b",
	             "bogus", NULL);
	expect_error("bad port in the include", buf_str(&errors), inc, LINES(6), "smtp", "port",
	             NULL);
	expect_error("bad language in main after the include", buf_str(&errors), path, LINES(3),
	             "daemon", "language", NULL);
	buf_free(&errors);

	/* a validation error in an included file names that file */
	inc = fx_write(f, "conf.d/v.ini",
	               "[agency c]\n"           /* 1 */
	               "name = Sở C\n"          /* 2 */
	               "email = c@qn.example\n" /* 3 */
	               "supervisor = nope\n");  /* 4 */
	path = fx_write(f, "main.ini", "include = conf.d/v.ini\n" TAIL);
	load_fails("a validation error in an included file", path, &errors);
	expect_error("supervisor in the include", buf_str(&errors), inc, LINES(1, 2, 4), "agency c",
	             "supervisor", "nope");
	buf_free(&errors);

	/* an include loop */
	fx_write(f, "loop/a.ini", "include = b.ini\n");
	fx_write(f, "loop/b.ini", "include = a.ini\n");
	path = fx_write(f, "main.ini", "include = loop/a.ini\n" TAIL);
	load_fails("an include loop", path, &errors);
	expect_error("an include loop", buf_str(&errors), fx_path(f, "loop/b.ini"), LINES(1), "",
	             "include", NULL);
	buf_free(&errors);
}

/* ---- defaults ------------------------------------------------------------- */

static void test_defaults(void **state)
{
	struct fx *f = *state;
	const char *path = fx_write(f, "main.ini", TAIL);
	struct cfg *c = load_ok("a minimal config", path, NULL);

	expect_str("default database", c->database, "/var/lib/deadlined/deadlined.db");
	expect_str("default control_socket", c->control_socket, "/run/deadlined/control");
	expect_path("default templates", c->templates, fx_path(f, "templates"));
	expect_str("default language", c->language, "vi");
	expect_int("default transport", c->transport, CFG_MAILDIR);
	expect_int("default port", c->port, 25);
	expect_true("default verify = yes", c->verify);
	expect_int("default tls", c->tls, CFG_TLS_STARTTLS);
	expect_int("default timeout", c->timeout, 60);
	expect_int("default max_per_connection", c->max_per_connection, 20);
	expect_int("default connections", c->connections, 3);
	expect_int("default retry_max_age", c->retry_max_age, 3 * 86400);
	expect_str("default_supervisor, with an agency ubnd", c->default_supervisor, "ubnd");
	cfg_free(c);

	path = fx_write(f, "main.ini",
	                "[daemon]\ndefault_supervisor = top\n" MAIL UBND
	                "[agency top]\nname = Văn phòng\nemail = top@qn.example\n");
	c = load_ok("a config naming its default_supervisor", path, NULL);
	expect_str("explicit default_supervisor", c->default_supervisor, "top");
	cfg_free(c);

	/* durations */
	path = fx_write(f, "main.ini",
	                "[smtp]\nretry_max_age = 12h\nretry_base = 90\ntimeout = 30\n"
	                "max_per_connection = 5\nconnections = 16\nverify = no\n" TAIL);
	c = load_ok("durations", path, NULL);
	expect_int("retry_max_age = 12h", c->retry_max_age, 12 * 3600);
	expect_int("retry_base = 90", c->retry_base, 90);
	expect_int("timeout = 30", c->timeout, 30);
	expect_int("max_per_connection = 5", c->max_per_connection, 5);
	expect_int("connections = 16", c->connections, 16);
	expect_true("verify = no", !c->verify);
	cfg_free(c);
}

/*
 * A config with no directory at all loads, with no default supervisor.
 * (Run last: under UBSan a crash here would hide the tests after it.)
 */
static void test_no_agencies(void **state)
{
	struct fx *f = *state;
	const char *path = fx_write(f, "main.ini", MAIL);
	struct cfg *c = load_ok("a config without agencies", path, NULL);

	expect_int("no agencies", (long long)c->n_agencies, 0);
	expect_int("no groups", (long long)c->n_groups, 0);
	expect_true("no default_supervisor without an agency ubnd", c->default_supervisor == NULL);
	expect_str("default language", c->language, "vi");
	cfg_free(c);
}

/* ---- cfg_policy -------------------------------------------------------- */

static void expect_offsets(const char *what, const struct policy_list *l, const int *days,
                           const bool *working, int n)
{
	bool ok = l->n == n;

	for (int i = 0; ok && i < n; i++)
		ok = l->at[i].days == days[i] && l->at[i].working == (working ? working[i] : false);
	if (ok)
		return;
	print_error("%s: got %d offsets:", what, l->n);
	for (int i = 0; i < l->n; i++)
		print_error(" %d%s", l->at[i].days, l->at[i].working ? "wd" : "");
	print_error("; expected %d:", n);
	for (int i = 0; i < n; i++)
		print_error(" %d%s", days[i], working && working[i] ? "wd" : "");
	print_error("\n");
	fail();
}

static void test_cfg_policy(void **state)
{
	struct fx *f = *state;
	const char *path = fx_write(f, "main.ini",
	                            "[policy]\n"
	                            "remind.yearly = 30 7 1\n"
	                            "remind.once = 20 10\n"
	                            "escalate = 1:lead 7:monitor 30:supervisor\n"
	                            "coordinating = yes\n"
	                            "[plan P]\n"
	                            "title = Kế hoạch P\n"
	                            "remind.yearly = 14 2\n"
	                            "escalate = 2:lead 10:supervisor\n"
	                            "coordinating = no\n"
	                            "[task t]\n"
	                            "plan = P\n"
	                            "title = Báo cáo năm\n"
	                            "lead = Sở Y tế\n"
	                            "timeframe = trước ngày 15/12 hàng năm\n"
	                            "remind = 5 1wd\n"
	                            "repeat_limit = 2\n" TAIL);
	struct cfg *c = load_ok("policy overrides", path, NULL);
	struct policy p;

	/* global only */
	cfg_policy(c, NULL, NULL, TF_YEARLY, &p);
	expect_offsets("global remind.yearly", &p.remind[TF_YEARLY], (const int[]){30, 7, 1}, NULL,
	               3);
	expect_offsets("global remind.once", &p.remind[TF_ONCE], (const int[]){20, 10}, NULL, 2);
	expect_int("global escalations", p.n_escalations, 3);
	expect_true("global coordinating", p.remind_coordinating);
	cfg_policy(c, "no-such-plan", NULL, TF_YEARLY, &p);
	expect_offsets("unknown plan: global remind.yearly", &p.remind[TF_YEARLY],
	               (const int[]){30, 7, 1}, NULL, 3);

	/* the plan's overrides */
	cfg_policy(c, "P", NULL, TF_YEARLY, &p);
	expect_offsets("plan remind.yearly", &p.remind[TF_YEARLY], (const int[]){14, 2}, NULL, 2);
	expect_offsets("plan leaves remind.once", &p.remind[TF_ONCE], (const int[]){20, 10}, NULL,
	               2);
	expect_int("plan escalations", p.n_escalations, 2);
	expect_int("plan escalation 1 days", p.escalate[1].after.days, 10);
	expect_int("plan escalation 1 level", p.escalate[1].level, POLICY_SUPERVISOR);
	expect_true("plan coordinating = no", !p.remind_coordinating);
	expect_int("plan leaves repeat_limit", p.repeat_limit, 6);

	/* … then the task's, from the INI: "remind" applies to the task's kind */
	expect_int("tasks", (long long)c->n_tasks, 1);
	cfg_policy(c, "P", &c->tasks[0].policy, TF_YEARLY, &p);
	expect_offsets("task remind (yearly)", &p.remind[TF_YEARLY], (const int[]){5, 1},
	               (const bool[]){false, true}, 2);
	expect_offsets("task leaves remind.once", &p.remind[TF_ONCE], (const int[]){20, 10}, NULL,
	               2);
	expect_int("task repeat_limit", p.repeat_limit, 2);
	expect_int("task keeps the plan's escalations", p.n_escalations, 2);

	/* … and imported overrides, "key = value" pairs */
	char k1[] = "remind", v1[] = "3", k2[] = "escalate", v2[] = "4:monitor";
	struct cfg_kv kv[] = {{k1, v1, {NULL, 0}}, {k2, v2, {NULL, 0}}};
	struct cfg_kvs kvs = {kv, 2};
	cfg_policy(c, "P", &kvs, TF_ONCE, &p);
	expect_offsets("imported remind (once)", &p.remind[TF_ONCE], (const int[]){3}, NULL, 1);
	expect_offsets("plan remind.yearly under an imported task", &p.remind[TF_YEARLY],
	               (const int[]){14, 2}, NULL, 2);
	expect_int("imported escalations", p.n_escalations, 1);
	expect_int("imported escalation level", p.escalate[0].level, POLICY_MONITOR);
	expect_int("imported escalation days", p.escalate[0].after.days, 4);

	/* Per kind: [policy]'s escalate.weekly (shipped) holds without overrides; a plan's
	 * bare escalate replaces it for weekly tasks (the more specific section wins); within
	 * one section the kind's own key wins whatever the order. */
	cfg_policy(c, NULL, NULL, TF_WEEKLY, &p);
	expect_true("weekly keeps its own escalation", p.kind[TF_WEEKLY].own_steps);
	cfg_policy(c, "P", NULL, TF_WEEKLY, &p);
	expect_true("the plan's escalate reaches weekly tasks", !p.kind[TF_WEEKLY].own_steps);
	expect_int("… with the plan's two steps", p.n_escalations, 2);
	char k4[] = "escalate.weekly", v4[] = "1:monitor", k5[] = "escalate", v5[] = "3:supervisor";
	struct cfg_kv both[] = {{k4, v4, {NULL, 0}}, {k5, v5, {NULL, 0}}};
	struct cfg_kvs both_kvs = {both, 2};
	cfg_policy(c, "P", &both_kvs, TF_WEEKLY, &p);
	expect_true("escalate.weekly beats escalate in one section", p.kind[TF_WEEKLY].own_steps);
	expect_int("… its level", p.kind[TF_WEEKLY].escalate[0].level, POLICY_MONITOR);
	expect_int("… while other kinds get the bare one", p.escalate[0].level, POLICY_SUPERVISOR);

	/* bad imported overrides are skipped */
	char k3[] = "remind", v3[] = "soon";
	struct cfg_kv bad[] = {{k3, v3, {NULL, 0}}};
	struct cfg_kvs bad_kvs = {bad, 1};
	cfg_policy(c, NULL, &bad_kvs, TF_ONCE, &p);
	expect_offsets("a bad override is skipped", &p.remind[TF_ONCE], (const int[]){20, 10}, NULL,
	               2);
	cfg_free(c);
}

/* ---- cfg_planning_digest ------------------------------------------------ */

#define DIGEST_BASE_HEAD                                                                           \
	"[daemon]\nmonitor = skhcn\n"                                                              \
	"[mail]\nmaildir = mail\nadmin = quantri@qn.example\n"                                     \
	"[smtp]\ntimeout = 60\n"                                                                   \
	"[calendar]\nsend_at = 08:00\nholiday = 2025-01-25..2025-02-02\n"                          \
	"[policy]\nremind.once = 30 7 1\n"                                                         \
	"[plan P]\ntitle = P\nremind.yearly = 14\n"
#define DIGEST_DIR                                                                                 \
	"[agency ubnd]\nname = Ủy ban nhân dân tỉnh\nemail = ubnd@qn.example\n"              \
	"[agency skhcn]\nname = Sở Khoa học và Công nghệ\nemail = skhcn@qn.example\n"      \
	"[agency sttt]\nname = Sở Thông tin và Truyền thông\nemail = sttt@qn.example\n"     \
	"successor = skhcn\nsince = 2025-03-01\n"                                                  \
	"[agency syt]\nname = Sở Y tế\nemail = syt@qn.example\n"                               \
	"[group g]\nname = Các sở, ngành\nmember = sttt\nmember = syt\n"

struct digest_case {
	const char *name;
	const char *text;
	bool changes;
};

static const struct digest_case digest_cases[] = {
    {"the same text", DIGEST_BASE_HEAD DIGEST_DIR, false},
    {"a comment added", "; a comment\n" DIGEST_BASE_HEAD DIGEST_DIR "; another\n", false},
    {"admin changed",
     "[daemon]\nmonitor = skhcn\n[mail]\nmaildir = mail\nadmin = other@qn.example\n"
     "[smtp]\ntimeout = 60\n[calendar]\nsend_at = 08:00\nholiday = 2025-01-25..2025-02-02\n"
     "[policy]\nremind.once = 30 7 1\n[plan P]\ntitle = P\nremind.yearly = 14\n" DIGEST_DIR,
     false},
    {"smtp timeout changed",
     "[daemon]\nmonitor = skhcn\n[mail]\nmaildir = mail\nadmin = quantri@qn.example\n"
     "[smtp]\ntimeout = 90\n[calendar]\nsend_at = 08:00\nholiday = 2025-01-25..2025-02-02\n"
     "[policy]\nremind.once = 30 7 1\n[plan P]\ntitle = P\nremind.yearly = 14\n" DIGEST_DIR,
     false},
    {"language changed", "[daemon]\nlanguage = en\n" DIGEST_BASE_HEAD DIGEST_DIR, false},
    {"plan title changed",
     "[daemon]\nmonitor = skhcn\n[mail]\nmaildir = mail\nadmin = quantri@qn.example\n"
     "[smtp]\ntimeout = 60\n[calendar]\nsend_at = 08:00\nholiday = 2025-01-25..2025-02-02\n"
     "[policy]\nremind.once = 30 7 1\n[plan P]\ntitle = Other\nremind.yearly = 14\n" DIGEST_DIR,
     false},
    {"policy remind.once changed",
     "[daemon]\nmonitor = skhcn\n[mail]\nmaildir = mail\nadmin = quantri@qn.example\n"
     "[smtp]\ntimeout = 60\n[calendar]\nsend_at = 08:00\nholiday = 2025-01-25..2025-02-02\n"
     "[policy]\nremind.once = 30 7 2\n[plan P]\ntitle = P\nremind.yearly = 14\n" DIGEST_DIR,
     true},
    {"policy escalate added", DIGEST_BASE_HEAD "[policy]\nescalate = 2:lead\n" DIGEST_DIR, true},
    {"plan override changed",
     "[daemon]\nmonitor = skhcn\n[mail]\nmaildir = mail\nadmin = quantri@qn.example\n"
     "[smtp]\ntimeout = 60\n[calendar]\nsend_at = 08:00\nholiday = 2025-01-25..2025-02-02\n"
     "[policy]\nremind.once = 30 7 1\n[plan P]\ntitle = P\nremind.yearly = 15\n" DIGEST_DIR,
     true},
    {"holiday added", DIGEST_BASE_HEAD "[calendar]\nholiday = 2025-11-20\n" DIGEST_DIR, true},
    {"workday added", DIGEST_BASE_HEAD "[calendar]\nworkday = 2025-01-04\n" DIGEST_DIR, true},
    {"send_at changed",
     "[daemon]\nmonitor = skhcn\n[mail]\nmaildir = mail\nadmin = quantri@qn.example\n"
     "[smtp]\ntimeout = 60\n[calendar]\nsend_at = 09:00\nholiday = 2025-01-25..2025-02-02\n"
     "[policy]\nremind.once = 30 7 1\n[plan P]\ntitle = P\nremind.yearly = 14\n" DIGEST_DIR,
     true},
    {"workdays changed", DIGEST_BASE_HEAD "[calendar]\nworkdays = mon-sat\n" DIGEST_DIR, true},
    {"national holidays off", DIGEST_BASE_HEAD "[calendar]\nnational_holidays = no\n" DIGEST_DIR,
     true},
    {"timezone changed", "[daemon]\ntimezone = +08:00\n" DIGEST_BASE_HEAD DIGEST_DIR, true},
    {"agency added",
     DIGEST_BASE_HEAD DIGEST_DIR "[agency stp]\nname = Sở Tư pháp\nemail = stp@qn.example\n", true},
    {"supervisor added",
     DIGEST_BASE_HEAD DIGEST_DIR
     "[agency stp]\nname = Sở Tư pháp\nemail = stp@qn.example\nsupervisor = skhcn\n",
     true},
    {"successor day changed",
     DIGEST_BASE_HEAD
     "[agency ubnd]\nname = Ủy ban nhân dân tỉnh\nemail = ubnd@qn.example\n"
     "[agency skhcn]\nname = Sở Khoa học và Công nghệ\nemail = skhcn@qn.example\n"
     "[agency sttt]\nname = Sở Thông tin và Truyền thông\nemail = sttt@qn.example\n"
     "successor = skhcn\nsince = 2025-04-01\n"
     "[agency syt]\nname = Sở Y tế\nemail = syt@qn.example\n"
     "[group g]\nname = Các sở, ngành\nmember = sttt\nmember = syt\n",
     true},
    {"monitor changed",
     "[daemon]\nmonitor = syt\n[mail]\nmaildir = mail\nadmin = "
     "quantri@qn.example\n[smtp]\ntimeout = 60\n[calendar]\nsend_at = "
     "08:00\nholiday = 2025-01-25..2025-02-02\n[policy]\nremind.once = 30 "
     "7 1\n[plan P]\ntitle = P\nremind.yearly = 14\n" DIGEST_DIR,
     true},
    {"group member removed (resolution happens when tasks are stored: no replanning)",
     DIGEST_BASE_HEAD
     "[agency ubnd]\nname = Ủy ban nhân dân tỉnh\nemail = ubnd@qn.example\n"
     "[agency skhcn]\nname = Sở Khoa học và Công nghệ\nemail = skhcn@qn.example\n"
     "[agency sttt]\nname = Sở Thông tin và Truyền thông\nemail = sttt@qn.example\n"
     "successor = skhcn\nsince = 2025-03-01\n"
     "[agency syt]\nname = Sở Y tế\nemail = syt@qn.example\n"
     "[group g]\nname = Các sở, ngành\nmember = sttt\n",
     false},
    {"group added (resolution happens when tasks are stored: no replanning)",
     DIGEST_BASE_HEAD DIGEST_DIR "[group h]\nname = Nhóm H\nmember = syt\n", false},
    {"alias added (resolution happens when tasks are stored: no replanning)",
     DIGEST_BASE_HEAD
     "[agency ubnd]\nname = Ủy ban nhân dân tỉnh\nemail = ubnd@qn.example\n"
     "[agency skhcn]\nname = Sở Khoa học và Công nghệ\nemail = skhcn@qn.example\n"
     "[agency sttt]\nname = Sở Thông tin và Truyền thông\nemail = sttt@qn.example\n"
     "successor = skhcn\nsince = 2025-03-01\n"
     "[agency syt]\nname = Sở Y tế\nemail = syt@qn.example\nalias = SYT\n"
     "[group g]\nname = Các sở, ngành\nmember = sttt\nmember = syt\n",
     false},
    {"agency renamed (resolution happens when tasks are stored: no replanning)",
     DIGEST_BASE_HEAD
     "[agency ubnd]\nname = Ủy ban nhân dân tỉnh\nemail = ubnd@qn.example\n"
     "[agency skhcn]\nname = Sở Khoa học và Công nghệ\nemail = skhcn@qn.example\n"
     "[agency sttt]\nname = Sở Thông tin và Truyền thông\nemail = sttt@qn.example\n"
     "successor = skhcn\nsince = 2025-03-01\n"
     "[agency syt]\nname = Sở Y tế tỉnh\nemail = syt@qn.example\n"
     "[group g]\nname = Các sở, ngành\nmember = sttt\nmember = syt\n",
     false},
};

static void digest_of(struct fx *f, const char *what, const char *text, char out[17])
{
	const char *path = fx_write(f, "main.ini", text);
	struct cfg *c = load_ok(what, path, NULL);

	memset(out, 0, 17);
	cfg_planning_digest(c, out);
	cfg_free(c);
}

static void test_planning_digest(void **state)
{
	struct fx *f = *state;
	char base[17], again[17];

	digest_of(f, "the digest base", DIGEST_BASE_HEAD DIGEST_DIR, base);
	expect_int("digest length", (long long)strlen(base), 16);
	for (int i = 0; i < 16; i++)
		expect_true("the digest is lowercase hex",
		            strchr("0123456789abcdef", base[i]) != NULL);
	digest_of(f, "the digest base again", DIGEST_BASE_HEAD DIGEST_DIR, again);
	expect_str("the digest of the same config, loaded twice", again, base);

	size_t failed = 0;
	for (size_t i = 0; i < N_ELEMS(digest_cases); i++) {
		const struct digest_case *d = &digest_cases[i];
		char got[17];
		digest_of(f, d->name, d->text, got);
		if ((strcmp(got, base) != 0) != d->changes) {
			print_error("digest: %s: the digest %s (base %s, now %s), expected it %s\n",
			            d->name, strcmp(got, base) ? "changed" : "did not change", base,
			            got, d->changes ? "to change" : "to stay");
			failed++;
		}
	}
	if (failed) {
		print_error("digest: %zu of %zu cases failed\n", failed, N_ELEMS(digest_cases));
		fail();
	}
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_real_config),
	    cmocka_unit_test(test_real_config_consistent),
	    T(test_values_and_comments),
	    T(test_continuation_lines),
	    T(test_long_value_over_lines),
	    T(test_long_lines),
	    T(test_long_line_names_section_and_key),
	    T(test_parse_errors),
	    T(test_empty_sections),
	    T(test_validation_errors),
	    T(test_tls_none_loopback),
	    T(test_password_file),
	    T(test_password_file_read_by_the_daemon_only),
	    T(test_inbox_key_read_by_the_daemon_only),
	    T(test_duplicate_names),
	    T(test_duplicate_agency_section),
	    T(test_unparsed_timeframe_is_a_warning),
	    T(test_all_parse_errors_reported),
	    T(test_all_syntax_errors_reported),
	    T(test_parse_and_validation_errors_reported),
	    T(test_utf8_bom),
	    T(test_nul_byte),
	    T(test_error_limit),
	    T(test_errors_buffer_may_be_null),
	    T(test_missing_file),
	    T(test_include_and_relative_paths),
	    T(test_include_errors_name_their_file),
	    T(test_defaults),
	    T(test_cfg_policy),
	    T(test_planning_digest),
	    T(test_no_agencies),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
