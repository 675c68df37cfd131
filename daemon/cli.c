/*
 * cli — see cli.h.
 *
 * Commands that change the store (import, progress, extend) poke the
 * daemon afterwards ("reschedule"), so the change takes effect at once;
 * a daemon that is not running picks it up when it starts.
 */
#include "cli.h"

#include "cfg.h"
#include "ctl.h"
#include "ctlproto.h"
#include "date.h"
#include "digest.h"
#include "dir.h"
#include "ingest.h"
#include "json.h"
#include "log.h"
#include "report.h"
#include "store.h"
#include "sync.h"
#include "text.h"
#include "timeframe.h"
#include "util.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cli {
	const char *config_path, *db_path, *socket;
	char *config_socket; /* read from the config, even a broken one */
	bool viewing;        /* a transaction with the INI's tasks, never committed */
	struct cfg *cfg;
	struct dir *dir;
	struct store *st;
	time_t now;
};

typedef int (*command_fn)(struct cli *c, int argc, char **argv);

static int usage_error(const char *usage)
{
	fprintf(stderr, "usage: deadlinectl %s\n", usage);
	return 2;
}

static int load_config(struct cli *c)
{
	struct buf errors = BUF_INIT, warnings = BUF_INIT;

	c->cfg = cfg_load(c->config_path, &errors, &warnings);
	if (warnings.len)
		fprintf(stderr, "%s", buf_str(&warnings));
	if (!c->cfg)
		fprintf(stderr, "deadlinectl: %s has errors:\n%s", c->config_path,
		        buf_str(&errors));
	buf_free(&errors);
	buf_free(&warnings);
	if (!c->cfg)
		return -1;
	c->dir = dir_new(c->cfg);
	return 0;
}

static int open_store(struct cli *c)
{
	char err[512];

	if (!c->cfg && load_config(c) < 0)
		return -1;
	if (store_open(c->db_path ? c->db_path : c->cfg->database, &c->st, err, sizeof(err)) < 0) {
		fprintf(stderr, "deadlinectl: database %s\n", err);
		return -1;
	}
	return 0;
}

/*
 * For commands that only read (tasks, agencies, preview): the store as the
 * daemon will see it once it has read this config, so that a preview of a
 * config it has not read yet is not empty. The INI's tasks are stored in a
 * transaction that is never committed: when they change anything, the
 * transaction stays open while the command reads and is rolled back at
 * exit; when they change nothing, no lock is held.
 */
static int open_view(struct cli *c)
{
	struct sync_report r;

	if (open_store(c) < 0)
		return -1;
	if (store_begin(c->st) < 0 || sync_config(c->st, c->dir, c->now, &r) < 0) {
		fprintf(stderr, "deadlinectl: warning: %s: %s; showing the store as it is\n",
		        c->config_path, store_error(c->st));
		store_rollback(c->st);
		return 0;
	}
	if (r.created + r.updated + r.removed + r.occurrences == 0) {
		store_rollback(c->st);
		return 0;
	}
	c->viewing = true;
	return 0;
}

/* Only the socket is read: the daemon still answers while the file on disk is broken. */
static const char *socket_path(struct cli *c)
{
	if (c->socket)
		return c->socket;
	if (c->cfg)
		return c->cfg->control_socket;
	if (!c->config_socket && !(c->config_socket = cfg_control_socket(c->config_path)))
		fprintf(stderr, "deadlinectl: cannot read %s: %s\n", c->config_path,
		        strerror(errno));
	return c->config_socket;
}

/* The store changed: the daemon looks again now, or at its next start. */
static void poke_daemon(struct cli *c)
{
	struct buf reply = BUF_INIT;
	const char *path = socket_path(c);

	if (path && ctl_request(path, CTL_RESCHEDULE, &reply) < 0)
		fprintf(stderr,
		        "deadlinectl: the daemon is not running (%s): the change takes "
		        "effect when it starts\n",
		        path);
	buf_free(&reply);
}

/* "2025-12-08" (the start of the day), or a full ISO 8601 time. */
static int parse_when(const char *s, int tz, bool end_of_day, time_t *out)
{
	if (date_parse_iso(s, tz, out) < 0)
		return -1;
	if (end_of_day && strlen(s) == 10)
		*out += DATE_DAY - 1;
	return 0;
}

/* ---- parse --------------------------------------------------------------------------- */

struct parse_opts {
	struct tf_ctx ctx;
	time_t now;
	bool json;
};

/* The occurrence a phrase is "due" at: the first at or after now when it recurs. */
static bool reported_occurrence(const struct tf *t, time_t now, struct tf_occ *o)
{
	if (tf_recurring(t->kind))
		return tf_next(t, now, o);
	if (t->kind == TF_ONCE && t->n_phases > 1 && tf_next(t, now, o))
		return true;
	o->window_start = t->window_start;
	o->due = t->due;
	return t->due != TF_NONE || t->window_start != TF_NONE;
}

static void parse_json(const char *phrase, const struct tf *t, const struct parse_opts *o,
                       struct buf *b)
{
	struct tf_occ occ, next[3];
	bool have = t->kind != TF_UNPARSED && reported_occurrence(t, o->now, &occ);
	size_t n = tf_recurring(t->kind) || t->n_phases > 1
	               ? tf_occurrences(t, o->now, (time_t)INT64_MAX / 2, next, 3)
	               : 0;
	bool first = true;
	int tz = o->ctx.tz_offset;

	buf_addc(b, '{');
	json_key(b, "input", &first);
	json_string(b, phrase);
	json_key(b, "kind", &first);
	json_string(b, tf_kind_name(t->kind));
	json_key(b, "due", &first);
	json_time(b, have ? occ.due : TF_NONE, tz);
	json_key(b, "window_start", &first);
	json_time(b, have ? occ.window_start : TF_NONE, tz);
	json_key(b, "window_end", &first);
	json_time(b, have ? occ.due : TF_NONE, tz);
	json_key(b, "next", &first);
	buf_addc(b, '[');
	for (size_t i = 0; i < n; i++) {
		buf_adds(b, i ? "," : "");
		json_time(b, next[i].due, tz);
	}
	buf_addc(b, ']');
	json_key(b, "condition", &first);
	json_string(b, t->condition[0] ? t->condition : NULL);
	json_key(b, "implicit", &first);
	buf_adds(b, t->implicit ? "true" : "false");
	if (t->kind == TF_UNPARSED) {
		json_key(b, "error", &first);
		json_string(b, t->error);
		json_key(b, "error_pos", &first);
		buf_printf(b, "%d", t->error_pos);
	}
	buf_adds(b, "}\n");
}

static void parse_text(const char *phrase, const struct tf *t, const struct parse_opts *o,
                       struct buf *b)
{
	struct tf_occ occ, next[3];
	char a[40], z[40];
	int tz = o->ctx.tz_offset;

	buf_printf(b, "%s\n", phrase);
	if (t->kind == TF_UNPARSED) {
		size_t col = text_width(phrase, (size_t)t->error_pos);
		buf_printf(b, "  unparsed at byte %d: %s\n    %s\n    %*s^\n", t->error_pos,
		           t->error, phrase, (int)col, "");
		return;
	}
	buf_printf(b, "  %s", tf_kind_name(t->kind));
	if (reported_occurrence(t, o->now, &occ)) {
		if (occ.due != TF_NONE)
			buf_printf(b, ": due %s", date_format_iso(occ.due, tz, a, sizeof(a)));
		if (occ.window_start != TF_NONE)
			buf_printf(b, " (window from %s)",
			           date_format_iso(occ.window_start, tz, z, sizeof(z)));
	}
	buf_addc(b, '\n');
	size_t n = tf_recurring(t->kind) || t->n_phases > 1
	               ? tf_occurrences(t, o->now, (time_t)INT64_MAX / 2, next, 3)
	               : 0;
	for (size_t i = 0; i < n; i++)
		buf_printf(b, "%s%s",
		           i ? ", " : "  next: ", date_format_iso(next[i].due, tz, a, sizeof(a)));
	if (n)
		buf_addc(b, '\n');
	if (t->condition[0])
		buf_printf(b, "  condition: %s\n", t->condition);
	if (t->implicit)
		buf_adds(b, "  (empty: the plan's period)\n");
}

static bool parse_one(const char *phrase, const struct parse_opts *o)
{
	struct tf t;
	struct buf b = BUF_INIT;
	bool ok = tf_parse(phrase, &o->ctx, &t) == 0;

	(o->json ? parse_json : parse_text)(phrase, &t, o, &b);
	fputs(buf_str(&b), stdout);
	buf_free(&b);
	return ok;
}

static int cmd_parse(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {{"now", required_argument, NULL, 'n'},
	                                     {"plan-period", required_argument, NULL, 'p'},
	                                     {"tz", required_argument, NULL, 'z'},
	                                     {"json", no_argument, NULL, 'j'},
	                                     {NULL, 0, NULL, 0}};
	const char *usage = "parse [--now ISO] [--plan-period YYYY-YYYY] [--tz ±HH:MM] [--json] "
	                    "PHRASE... | -";
	struct parse_opts o = {{DATE_TZ_VIETNAM, 0, 0}, c->now, false};
	const char *now = NULL;
	int ch, failed = 0;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'n') {
			now = optarg; /* read once the zone is known, whatever the order */
			continue;
		}
		if (ch == 'p' &&
		    sscanf(optarg, "%d-%d", &o.ctx.plan_first_year, &o.ctx.plan_last_year) == 2 &&
		    o.ctx.plan_first_year <= o.ctx.plan_last_year)
			continue;
		if (ch == 'z' && date_parse_zone(optarg, &o.ctx.tz_offset) == 0)
			continue;
		if (ch == 'j') {
			o.json = true;
			continue;
		}
		return usage_error(usage);
	}
	if (optind >= argc || (now && parse_when(now, o.ctx.tz_offset, false, &o.now) < 0))
		return usage_error(usage);
	for (int i = optind; i < argc; i++) {
		if (strcmp(argv[i], "-") != 0) {
			failed += !parse_one(argv[i], &o);
			continue;
		}
		char *line = NULL;
		size_t cap = 0;
		ssize_t n;
		while ((n = getline(&line, &cap, stdin)) >= 0) {
			line[strcspn(line, "\r\n")] = '\0';
			failed += !parse_one(line, &o);
		}
		free(line);
	}
	return failed ? 1 : 0;
}

/* ---- config and daemon --------------------------------------------------------------- */

static int cmd_check_config(struct cli *c, int argc, char **argv)
{
	struct buf errors = BUF_INIT;

	(void)argv;
	if (argc > 1)
		return usage_error("check-config");
	if (load_config(c) < 0)
		return 1;
	struct digest_templates *t =
	    digest_templates_load(c->cfg->templates, c->cfg->language, &errors);
	if (!t) {
		fprintf(stderr, "deadlinectl: templates:\n%s", buf_str(&errors));
		buf_free(&errors);
		return 1;
	}
	digest_templates_free(t);
	printf("%s: ok: %zu agencies, %zu groups, %zu plans, %zu tasks; templates %s/%s\n",
	       c->config_path, c->cfg->n_agencies, c->cfg->n_groups, c->cfg->n_plans,
	       c->cfg->n_tasks, c->cfg->templates, c->cfg->language);
	return 0;
}

/* status, reload, reschedule, send-now: one request to the daemon. */
static int cmd_daemon(struct cli *c, int argc, char **argv)
{
	struct buf reply = BUF_INIT;
	const char *path;

	if (argc != 1)
		return usage_error(argv[0]);
	if (!(path = socket_path(c)))
		return 1;
	if (ctl_request(path, argv[0], &reply) < 0) {
		fprintf(stderr, "deadlinectl: cannot reach the daemon at %s: %s\n", path,
		        strerror(errno));
		buf_free(&reply);
		return 1;
	}
	/* "ok" then the details, or "error: why". */
	const char *text = buf_str(&reply);
	bool ok = !strncmp(text, "ok", 2) && (text[2] == '\n' || text[2] == '\0');
	if (ok)
		fputs(text + 2 + (text[2] == '\n'), stdout);
	else
		fprintf(stderr, "deadlinectl: %s", text);
	buf_free(&reply);
	return ok ? 0 : 1;
}

/* ---- import, tasks, agencies, preview ------------------------------------------------ */

static int cmd_import(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"plan-id", required_argument, NULL, 'i'}, {"title", required_argument, NULL, 't'},
	    {"issued", required_argument, NULL, 'd'},  {"period", required_argument, NULL, 'p'},
	    {"monitor", required_argument, NULL, 'm'}, {"dry-run", no_argument, NULL, 'n'},
	    {"json", no_argument, NULL, 'j'},          {NULL, 0, NULL, 0}};
	const char *usage = "import [--plan-id ID] [--title T] [--issued YYYY-MM-DD] "
	                    "[--period YYYY-YYYY] [--monitor AGENCY] [--dry-run] [--json] FILE...";
	struct ingest_options o = {0};
	struct ingest_totals totals = {0};
	int ch, failed = 0;
	time_t day;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'i':
			o.plan_id = optarg;
			break;
		case 't':
			o.title = optarg;
			break;
		case 'm':
			o.monitor = optarg;
			break;
		case 'n':
			o.dry_run = true;
			break;
		case 'j':
			o.json = true;
			break;
		case 'd':
			if (strlen(optarg) != 10 || date_parse_iso(optarg, 0, &day) < 0)
				return usage_error(usage);
			o.issued = optarg;
			break;
		case 'p':
			if (sscanf(optarg, "%d-%d", &o.first_year, &o.last_year) != 2 ||
			    o.first_year > o.last_year)
				return usage_error(usage);
			break;
		default:
			return usage_error(usage);
		}
	}
	if (optind >= argc)
		return usage_error(usage);
	if (open_store(c) < 0)
		return 1;
	for (int i = optind; i < argc; i++)
		failed += ingest_file(c->st, c->dir, &o, argv[i], c->now, stdout, &totals) < 0;
	if (!o.json && totals.files > 1)
		printf("all files: %d tasks (%d new, %d updated, %d unchanged, %d flagged)\n",
		       totals.tasks, totals.created, totals.updated, totals.unchanged,
		       totals.flagged);
	if (!o.dry_run && totals.created + totals.updated > 0)
		poke_daemon(c);
	return failed ? 1 : 0;
}

static int cmd_tasks(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {{"plan", required_argument, NULL, 'p'},
	                                     {"flagged", no_argument, NULL, 'f'},
	                                     {"json", no_argument, NULL, 'j'},
	                                     {NULL, 0, NULL, 0}};
	const char *plan = NULL;
	bool flagged = false, json = false;
	int ch;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'p')
			plan = optarg;
		else if (ch == 'f')
			flagged = true;
		else if (ch == 'j')
			json = true;
		else
			return usage_error("tasks [--plan PLAN] [--flagged] [--json]");
	}
	if (optind != argc)
		return usage_error("tasks [--plan PLAN] [--flagged] [--json]");
	if (open_view(c) < 0)
		return 1;
	if (report_tasks(c->st, c->dir, plan, flagged, json, stdout) < 0) {
		fprintf(stderr, "deadlinectl: %s\n", store_error(c->st));
		return 1;
	}
	return 0;
}

static int cmd_agencies(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {{"unresolved", no_argument, NULL, 'u'},
	                                     {"json", no_argument, NULL, 'j'},
	                                     {NULL, 0, NULL, 0}};
	bool unresolved = false, json = false;
	int ch;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'u')
			unresolved = true;
		else if (ch == 'j')
			json = true;
		else
			return usage_error("agencies [--unresolved] [--json]");
	}
	if (optind != argc)
		return usage_error("agencies [--unresolved] [--json]");
	if (unresolved ? open_view(c) < 0 : load_config(c) < 0)
		return 1;
	if (report_agencies(c->st, c->dir, unresolved, json, stdout) < 0) {
		fprintf(stderr, "deadlinectl: %s\n", store_error(c->st));
		return 1;
	}
	return 0;
}

static int cmd_preview(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {{"from", required_argument, NULL, 'f'},
	                                     {"to", required_argument, NULL, 't'},
	                                     {"json", no_argument, NULL, 'j'},
	                                     {NULL, 0, NULL, 0}};
	const char *usage = "preview --from DATE --to DATE [--json]";
	const char *from_s = NULL, *to_s = NULL;
	bool json = false;
	time_t from, to;
	int ch;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'f')
			from_s = optarg;
		else if (ch == 't')
			to_s = optarg;
		else if (ch == 'j')
			json = true;
		else
			return usage_error(usage);
	}
	if (optind != argc || !from_s || !to_s || open_view(c) < 0)
		return optind != argc || !from_s || !to_s ? usage_error(usage) : 1;
	if (parse_when(from_s, c->cfg->tz_offset, false, &from) < 0 ||
	    parse_when(to_s, c->cfg->tz_offset, true, &to) < 0 || to < from)
		return usage_error(usage);
	struct buf errors = BUF_INIT;
	struct digest_templates *tpl =
	    digest_templates_load(c->cfg->templates, c->cfg->language, &errors);
	if (!tpl) {
		fprintf(stderr, "deadlinectl: templates:\n%s", buf_str(&errors));
		buf_free(&errors);
		return 1;
	}
	int rc = report_preview(c->st, c->dir, tpl, from, to, json, stdout);
	if (rc < 0)
		fprintf(stderr, "deadlinectl: %s\n", store_error(c->st));
	digest_templates_free(tpl);
	return rc < 0 ? 1 : 0;
}

/* ---- progress ------------------------------------------------------------------------ */

static int find_task(struct cli *c, const char *ref, struct task *t)
{
	int64_t id;
	int found = store_task_find(c->st, ref, &id);

	if (found == 1 && store_task_get(c->st, id, t) == 1)
		return 0;
	fprintf(stderr,
	        "deadlinectl: no task '%s' (use PLAN:KEY or the id from "
	        "`deadlinectl tasks`)\n",
	        ref);
	return -1;
}

struct occ_match {
	int64_t day;
	int tz;
	int64_t id;
};

static int match_occurrence(const struct store_occ *o, void *arg)
{
	struct occ_match *m = arg;

	if (date_local_days(o->due, m->tz) == m->day ||
	    date_local_days(o->due - 1, m->tz) == m->day)
		m->id = o->id;
	return 0;
}

static int set_progress(struct cli *c, const struct task *t, enum task_status s, const char *note,
                        const char *occurrence)
{
	if (!occurrence)
		return store_task_set_status(c->st, t->id, s, note, c->now);
	time_t day;
	struct occ_match m = {0, c->cfg->tz_offset, 0};
	if (date_parse_iso(occurrence, c->cfg->tz_offset, &day) < 0) {
		fprintf(stderr, "deadlinectl: --occurrence %s: not a date\n", occurrence);
		return -1;
	}
	m.day = date_local_days(day, m.tz);
	if (store_occ_of_task(c->st, t->id, match_occurrence, &m) < 0 || !m.id) {
		fprintf(stderr, "deadlinectl: task %s:%s has no occurrence due on %s\n", t->plan_id,
		        t->key, occurrence);
		return -1;
	}
	if (store_occ_set_status(c->st, m.id, s) < 0)
		return -1;
	return store_history_add(c->st, t->id, task_status_name(s), occurrence, c->now);
}

static int cmd_progress(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {{"note", required_argument, NULL, 'n'},
	                                     {"occurrence", required_argument, NULL, 'o'},
	                                     {NULL, 0, NULL, 0}};
	const char *usage =
	    "progress TASK STATUS [--note TEXT] [--occurrence YYYY-MM-DD]\n"
	    "  STATUS: open, in-progress, waiting, done, not-met, cancelled, or the "
	    "report's words\n  (Đạt, Hoàn thành, Đang thực hiện, Chờ …, Chưa đạt)";
	const char *note = NULL, *occurrence = NULL;
	enum task_status s;
	struct task t;
	int ch;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'n')
			note = optarg;
		else if (ch == 'o')
			occurrence = optarg;
		else
			return usage_error(usage);
	}
	if (argc - optind != 2 || task_status_parse(argv[optind + 1], &s) < 0 || s == TASK_REMOVED)
		return usage_error(usage);
	if (open_store(c) < 0 || find_task(c, argv[optind], &t) < 0)
		return 1;
	int rc = store_begin(c->st) < 0 || set_progress(c, &t, s, note, occurrence) < 0 ||
	         sync_touch(c->st, t.id) < 0 || store_commit(c->st) < 0;
	if (rc) {
		fprintf(stderr, "deadlinectl: %s\n", store_error(c->st));
		store_rollback(c->st);
	} else {
		printf("%s:%s: %s%s%s\n", t.plan_id, t.key, task_status_name(s),
		       occurrence ? " for the occurrence due " : "", occurrence ? occurrence : "");
		poke_daemon(c);
	}
	task_free(&t);
	return rc;
}

static int cmd_extend(struct cli *c, int argc, char **argv)
{
	const char *usage = "extend TASK DATE   (gia hạn: the new deadline, end of DATE)";
	struct task t;
	time_t due;

	if (argc != 3)
		return usage_error(usage);
	if (open_store(c) < 0 || find_task(c, argv[1], &t) < 0)
		return 1;
	if (parse_when(argv[2], c->cfg->tz_offset, true, &due) < 0 || t.due == TF_NONE ||
	    tf_recurring(t.kind)) {
		fprintf(stderr, "deadlinectl: %s\n",
		        t.due == TF_NONE || tf_recurring(t.kind)
		            ? "only a one-off or period deadline can be extended; for one "
		              "occurrence of a recurring duty use `progress … waiting`"
		            : "DATE is YYYY-MM-DD or an ISO 8601 time");
		task_free(&t);
		return 1;
	}
	int rc = store_begin(c->st) < 0 || store_task_extend(c->st, t.id, due, c->now) < 0 ||
	         sync_touch(c->st, t.id) < 0 || store_commit(c->st) < 0;
	if (rc) {
		fprintf(stderr, "deadlinectl: %s\n", store_error(c->st));
		store_rollback(c->st);
	} else {
		char a[40];
		printf("%s:%s: deadline extended to %s\n", t.plan_id, t.key,
		       date_format_iso(due, c->cfg->tz_offset, a, sizeof(a)));
		poke_daemon(c);
	}
	task_free(&t);
	return rc;
}

/* ---- dispatch ------------------------------------------------------------------------- */

static const struct {
	const char *name;
	command_fn run;
	const char *help;
} commands[] = {
    {"parse", cmd_parse, "read timeframe phrases (no config needed)"},
    {"check-config", cmd_check_config, "validate the configuration and templates"},
    {"import", cmd_import, "import plan documents as tasks"},
    {"tasks", cmd_tasks, "list tasks"},
    {"agencies", cmd_agencies, "list the directory, or names that match nothing"},
    {"preview", cmd_preview, "list the emails the daemon would send in a window"},
    {"progress", cmd_progress, "record a task's progress (done, waiting, …)"},
    {"extend", cmd_extend, "extend a deadline (gia hạn)"},
    {CTL_STATUS, cmd_daemon, "the daemon's state: next wake-up, queue, last result"},
    {CTL_RELOAD, cmd_daemon, "make the daemon reread its configuration"},
    {CTL_RESCHEDULE, cmd_daemon, "make the daemon look at the store again"},
    {CTL_SEND_NOW, cmd_daemon, "send what is due and retry the queue now"},
};

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: deadlinectl [--config FILE] [--db FILE] [--socket PATH] COMMAND [ARGS]\n"
	        "  --config FILE  default: $DEADLINED_CONFIG, else /etc/deadlined/deadlined.ini\n"
	        "commands:\n");
	for (size_t i = 0; i < UTIL_NELEM(commands); i++)
		fprintf(f, "  %-13s %s\n", commands[i].name, commands[i].help);
}

int cli_main(int argc, char **argv)
{
	static const struct option opts[] = {{"config", required_argument, NULL, 'c'},
	                                     {"db", required_argument, NULL, 'd'},
	                                     {"socket", required_argument, NULL, 's'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	const char *env = getenv("DEADLINED_CONFIG");
	struct cli c = {.config_path = env && *env ? env : "/etc/deadlined/deadlined.ini",
	                .now = time(NULL)};
	int ch, rc = 2;

	log_init("deadlinectl", true, false);
	while ((ch = getopt_long(argc, argv, "+c:d:s:h", opts, NULL)) != -1) {
		if (ch == 'c')
			c.config_path = optarg;
		else if (ch == 'd')
			c.db_path = optarg;
		else if (ch == 's')
			c.socket = optarg;
		else {
			usage(ch == 'h' ? stdout : stderr);
			return ch == 'h' ? 0 : 2;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	for (size_t i = 0; i < UTIL_NELEM(commands); i++)
		if (!strcmp(argv[optind], commands[i].name)) {
			char **sub = argv + optind;
			int subc = argc - optind;
			/* Each command parses its own options, after its arguments too:
			 * glibc starts afresh (and permutes again) only from optind 0. */
			optind = 0;
			rc = commands[i].run(&c, subc, sub);
			goto done;
		}
	fprintf(stderr, "deadlinectl: unknown command '%s'\n", argv[optind]);
	usage(stderr);
done:
	if (c.viewing)
		store_rollback(c.st);
	store_close(c.st);
	dir_free(c.dir);
	cfg_free(c.cfg);
	free(c.config_socket);
	return rc;
}
