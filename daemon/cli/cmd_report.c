/*
 * cmd_report — `report`: the progress report a monitoring agency sends
 * up, as of a day: per task its lead, timeframe, completion level, result
 * and days overdue; per lead agency the counts. A table for the terminal,
 * JSON for scripts, or a document (HTML, CSV, xlsx) written whole.
 */
#include "cli/cmd.h"

#include "date.h"
#include "json.h"
#include "progress.h"
#include "reportdoc.h"
#include "table.h"
#include "util.h"
#include "xlsx.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum format { FMT_TEXT, FMT_JSON, FMT_HTML, FMT_CSV, FMT_XLSX };

static const enum progress_state counted[] = {PROGRESS_DONE, PROGRESS_IN_PROGRESS, PROGRESS_WAITING,
                                              PROGRESS_OVERDUE, PROGRESS_NOT_DUE};

struct gathered {
	struct task *tasks;
	size_t n_tasks;
	struct progress_occ *occ;
	size_t n_occ, cap_occ;
};

static int on_occ(const struct store_occ *o, void *arg)
{
	struct gathered *g = arg;

	if (g->n_occ == g->cap_occ)
		g->occ = xrealloc(g->occ, (g->cap_occ = g->cap_occ ? 2 * g->cap_occ : 64) *
		                              sizeof(*g->occ));
	g->occ[g->n_occ++] = (struct progress_occ){o->due, o->status};
	return 0;
}

/* Every task of the plan (or all) but the removed ones, judged as of the day. */
static int gather(struct cli *c, const char *plan, time_t as_of, struct gathered *g,
                  struct progress_report *r)
{
	int64_t *ids = NULL, today = date_local_days(as_of, c->cfg->tz_offset);
	size_t n = 0;

	if (store_task_ids(c->st, plan, &ids, &n) < 0)
		return -1;
	g->tasks = xcalloc(n ? n : 1, sizeof(*g->tasks));
	for (size_t i = 0; i < n; i++) {
		struct task *t = &g->tasks[g->n_tasks];
		if (store_task_get(c->st, ids[i], t) != 1) {
			free(ids);
			return -1;
		}
		if (t->status == TASK_REMOVED) {
			task_free(t);
			continue;
		}
		g->n_tasks++;
	}
	free(ids);
	progress_init(r, as_of, c->cfg->tz_offset);
	for (size_t i = 0; i < g->n_tasks; i++) {
		const struct task *t = &g->tasks[i];
		const struct store_plan *p = cli_plan(c, t->plan_id);
		const char **lead_ids = xcalloc(t->n_agencies + 1, sizeof(*lead_ids));
		const char **names = xcalloc(t->n_agencies + 1, sizeof(*names));
		const char **shown = xcalloc(t->n_agencies + 1, sizeof(*shown));
		size_t n_leads = 0;
		struct progress_row row;

		g->n_occ = 0;
		if (store_occ_of_task(c->st, t->id, on_occ, g) < 0) {
			free(lead_ids);
			free(names);
			return -1;
		}
		struct planner_plan pp;
		cli_planner_plan(c, p, &pp);
		progress_judge(t, &pp, g->occ, g->n_occ, as_of, c->cfg->tz_offset, &row);
		for (size_t k = 0; k < t->n_agencies; k++) {
			const struct task_agency *ag = &t->agencies[k];
			if (ag->role != TASK_LEAD)
				continue;
			/* Counted under whoever holds the duty on the day (2025's successors). */
			const char *id =
			    ag->resolved ? dir_holder(c->dir, ag->agency, today) : ag->agency;
			lead_ids[n_leads] = id;
			names[n_leads] = ag->resolved ? dir_name(c->dir, id) : ag->agency;
			/* A group's members show as the group the plan wrote, as in the mail. */
			shown[n_leads] =
			    ag->via_group && ag->written ? ag->written : names[n_leads];
			n_leads++;
		}
		progress_add(r, t, &row, lead_ids, names, shown, n_leads);
		free(lead_ids);
		free(names);
		free(shown);
	}
	progress_finish(r);
	return 0;
}

static void text_out(const struct cli *c, const struct progress_report *r,
                     const struct reportdoc_meta *m, struct buf *b)
{
	const char *ah[] = {"AGENCY",  "NAME",    "DONE",    "IN PROGRESS",
	                    "WAITING", "OVERDUE", "NOT DUE", "TOTAL"};
	const char *th[] = {"TASK", "LEAD", "DUE", "LEVEL", "STATE", "LATE", "TITLE"};
	struct table *t = table_new(ah, UTIL_NELEM(ah));
	char day[16];

	buf_printf(b, "Progress as of %s", cli_day(c, r->as_of, day, sizeof(day)));
	if (m->plan_id)
		buf_printf(b, " — plan %s%s%s", m->plan_id, m->plan_title ? ": " : "",
		           m->plan_title ? m->plan_title : "");
	buf_adds(b, "\n\n");
	table_max_width(t, 0, 24);
	table_max_width(t, 1, 40);
	for (size_t i = 2; i < UTIL_NELEM(ah); i++)
		table_align_right(t, i);
	for (size_t i = 0; i <= r->n_agencies; i++) {
		bool total = i == r->n_agencies;
		const struct progress_counts *n = total ? &r->total : &r->agencies[i].counts;
		table_cell(t, total ? "TOTAL" : r->agencies[i].id);
		table_cell(t, total ? "" : r->agencies[i].name);
		for (size_t s = 0; s < UTIL_NELEM(counted); s++)
			table_cellf(t, "%d", n->n[counted[s]]);
		table_cellf(t, "%d", n->total);
	}
	table_render(t, "", b);
	table_free(t);
	buf_addc(b, '\n');
	t = table_new(th, UTIL_NELEM(th));
	table_max_width(t, 1, 30);
	table_max_width(t, 6, 60);
	table_align_right(t, 5);
	for (size_t i = 0; i < r->n_items; i++) {
		const struct progress_item *it = &r->items[i];
		table_cellf(t, "%s:%s", it->task->plan_id, it->task->key);
		table_cell(t, it->leads);
		table_cell(t, cli_day(c, it->row.due, day, sizeof(day)));
		table_cell(t, task_status_name(it->row.level));
		table_cell(t, progress_state_name(it->row.state));
		if (it->row.days_overdue)
			table_cellf(t, "%d", it->row.days_overdue);
		else
			table_cell(t, "");
		table_cell(t, it->task->title);
	}
	table_render(t, "", b);
	buf_printf(b, "%zu task%s\n", r->n_items, r->n_items == 1 ? "" : "s");
	table_free(t);
}

static void counts_json(const struct progress_counts *n, struct buf *b)
{
	bool first = true;

	buf_addc(b, '{');
	for (size_t s = 0; s < UTIL_NELEM(counted); s++) {
		json_key(b, progress_state_name(counted[s]), &first);
		buf_printf(b, "%d", n->n[counted[s]]);
	}
	json_key(b, "cancelled", &first);
	buf_printf(b, "%d", n->n[PROGRESS_CANCELLED]);
	json_key(b, "total", &first);
	buf_printf(b, "%d}", n->total);
}

static void json_out(const struct progress_report *r, const struct reportdoc_meta *m, struct buf *b)
{
	bool first = true;

	buf_addc(b, '{');
	json_key(b, "as_of", &first);
	json_time(b, r->as_of, r->tz);
	json_key(b, "plan", &first);
	json_string(b, m->plan_id);
	json_key(b, "total", &first);
	counts_json(&r->total, b);
	json_key(b, "agencies", &first);
	buf_addc(b, '[');
	for (size_t i = 0; i < r->n_agencies; i++) {
		bool f = true;
		buf_adds(b, i ? ",{" : "{");
		json_key(b, "agency", &f);
		json_string(b, r->agencies[i].id);
		json_key(b, "name", &f);
		json_string(b, r->agencies[i].name);
		json_key(b, "counts", &f);
		counts_json(&r->agencies[i].counts, b);
		buf_addc(b, '}');
	}
	buf_adds(b, "]");
	json_key(b, "tasks", &first);
	buf_addc(b, '[');
	for (size_t i = 0; i < r->n_items; i++) {
		const struct progress_item *it = &r->items[i];
		struct buf ref = BUF_INIT;
		bool f = true;
		buf_adds(b, i ? ",{" : "{");
		buf_printf(&ref, "%s:%s", it->task->plan_id, it->task->key);
		json_key(b, "id", &f);
		buf_printf(b, "%lld", (long long)it->task->id);
		json_key(b, "ref", &f);
		json_string(b, buf_str(&ref));
		json_key(b, "title", &f);
		json_string(b, it->task->title);
		json_key(b, "leads", &f);
		json_string(b, it->leads);
		json_key(b, "timeframe", &f);
		json_string(b, it->task->timeframe);
		json_key(b, "due", &f);
		json_time(b, it->row.due, r->tz);
		json_key(b, "level", &f);
		json_string(b, task_status_name(it->row.level));
		json_key(b, "state", &f);
		json_string(b, progress_state_name(it->row.state));
		json_key(b, "days_overdue", &f);
		buf_printf(b, "%d", it->row.days_overdue);
		json_key(b, "missed", &f);
		buf_printf(b, "%d", it->row.missed);
		json_key(b, "result", &f);
		json_string(b, it->task->status_note);
		buf_addc(b, '}');
		buf_free(&ref);
	}
	buf_adds(b, "]}\n");
}

static int write_xlsx(const char *path, const struct progress_report *r,
                      const struct reportdoc_meta *m)
{
	char tmp[4096], err[512];

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if (xlsx_report(tmp, r, m, err, sizeof(err)) < 0 || rename(tmp, path) < 0) {
		fprintf(stderr, "deadlinectl: %s\n", err[0] ? err : strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

static int parse_format(const char *s, enum format *f)
{
	static const char *const names[] = {"text", "json", "html", "csv", "xlsx"};

	for (size_t i = 0; i < UTIL_NELEM(names); i++)
		if (!strcmp(s, names[i])) {
			*f = (enum format)i;
			return 0;
		}
	return -1;
}

int cmd_report(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"plan", required_argument, NULL, 'p'},   {"as-of", required_argument, NULL, 'a'},
	    {"format", required_argument, NULL, 'f'}, {"output", required_argument, NULL, 'o'},
	    {"json", no_argument, NULL, 'j'},         {NULL, 0, NULL, 0}};
	const char *plan = NULL, *as_of_s = NULL, *output = NULL;
	enum format fmt = FMT_TEXT;
	struct gathered g = {0};
	struct progress_report r = {0};
	struct store_plan p = {0};
	time_t as_of;
	int ch, rc = 1;

	while ((ch = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		if (ch == 'p')
			plan = optarg;
		else if (ch == 'a')
			as_of_s = optarg;
		else if (ch == 'f' && parse_format(optarg, &fmt) == 0)
			continue;
		else if (ch == 'o')
			output = optarg;
		else if (ch == 'j')
			fmt = FMT_JSON;
		else
			return cli_usage_error(c->usage);
	}
	if (optind != argc)
		return cli_usage_error(c->usage);
	if (fmt == FMT_XLSX && !output) {
		fprintf(stderr, "deadlinectl: --format xlsx needs -o FILE.xlsx\n");
		return 2;
	}
	if (cli_open_view(c) < 0)
		return 1;
	as_of = c->now;
	if (as_of_s && cli_parse_when(as_of_s, c->cfg->tz_offset, true, &as_of) < 0) {
		fprintf(stderr, "deadlinectl: --as-of %s: not a date (YYYY-MM-DD)\n", as_of_s);
		return 2;
	}
	if (plan && store_plan_get(c->st, plan, &p) != 1) {
		fprintf(stderr, "deadlinectl: no plan '%s' (see `deadlinectl tasks`)\n", plan);
		return 1;
	}
	/* The monitoring agency as it is named on the day (after a reorganisation, its successor).
	 */
	const char *monitor = p.monitor ? p.monitor : c->cfg->monitor;
	if (monitor)
		monitor = dir_holder(c->dir, monitor, date_local_days(as_of, c->cfg->tz_offset));
	struct reportdoc_meta m = {.language = c->cfg->language,
	                           .organisation = monitor ? dir_name(c->dir, monitor) : NULL,
	                           .plan_id = plan,
	                           .plan_title = p.title,
	                           .plan_issued = p.issued};
	if (gather(c, plan, as_of, &g, &r) < 0) {
		fprintf(stderr, "deadlinectl: %s\n", store_error(c->st));
		goto out;
	}
	struct buf b = BUF_INIT;
	if (fmt == FMT_TEXT)
		text_out(c, &r, &m, &b);
	else if (fmt == FMT_JSON)
		json_out(&r, &m, &b);
	else if (fmt == FMT_HTML)
		reportdoc_html(&r, &m, &b);
	else if (fmt == FMT_CSV)
		reportdoc_csv(&r, &m, &b);
	if (fmt == FMT_XLSX)
		rc = write_xlsx(output, &r, &m) < 0;
	else if (output)
		rc = cli_write_file(output, b.data ? b.data : "", b.len) < 0;
	else
		rc = (cli_print(&b), 0);
	if (rc == 0 && output)
		printf("%s: %zu tasks, %zu agencies, as of %s\n", output, r.n_items, r.n_agencies,
		       cli_day(c, as_of, (char[16]){0}, 16));
	buf_free(&b);
out:
	progress_free(&r);
	for (size_t i = 0; i < g.n_tasks; i++)
		task_free(&g.tasks[i]);
	free(g.tasks);
	free(g.occ);
	if (p.id)
		store_plan_free(&p);
	return rc;
}
