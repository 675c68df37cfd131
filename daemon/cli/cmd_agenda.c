/*
 * cmd_agenda — `agenda`: for each agency, what is overdue, what falls due
 * within a week and what comes later in the window, with the recorded
 * completion level and the last message the agency got. Tasks count for
 * their lead agencies, under whoever holds those duties today (a
 * successor after a reorganisation).
 */
#include "cli/cmd.h"

#include "date.h"
#include "json.h"
#include "progress.h"
#include "table.h"
#include "util.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SOON_DAYS 7

enum section { SEC_OVERDUE, SEC_SOON, SEC_UPCOMING };
static const char *const section_names[] = {"overdue", "soon", "upcoming"};

struct entry {
	char *agency; /* the holder's id, or a name nobody resolved */
	enum section section;
	size_t task; /* index into agenda.tasks */
	time_t due;
	int days; /* overdue by, or left */
	enum task_status level;
};

struct agenda {
	struct cli *c;
	const char *only; /* --agency */
	int days;
	bool overdue_only;
	struct task *tasks;
	size_t n_tasks;
	struct entry *entries;
	size_t n_entries, cap_entries;
	struct progress_occ *occ; /* of the task being judged */
	size_t n_occ, cap_occ;
};

static int on_occ(const struct store_occ *o, void *arg)
{
	struct agenda *a = arg;

	if (a->n_occ == a->cap_occ)
		a->occ = xrealloc(a->occ, (a->cap_occ = a->cap_occ ? 2 * a->cap_occ : 64) *
		                              sizeof(*a->occ));
	a->occ[a->n_occ++] = (struct progress_occ){o->due, o->status};
	return 0;
}

static void add_entry(struct agenda *a, const char *agency, enum section s, size_t task, time_t due,
                      int days, enum task_status level)
{
	if (a->only && strcmp(a->only, agency))
		return;
	if (a->overdue_only && s != SEC_OVERDUE)
		return;
	if (a->n_entries == a->cap_entries)
		a->entries = xrealloc(a->entries,
		                      (a->cap_entries = a->cap_entries ? 2 * a->cap_entries : 256) *
		                          sizeof(*a->entries));
	a->entries[a->n_entries++] = (struct entry){xstrdup(agency), s, task, due, days, level};
}

/* One line per lead agency for each deadline the task has in the agenda. */
static void place(struct agenda *a, size_t ti, const struct progress_row *row)
{
	const struct task *t = &a->tasks[ti];
	const int tz = a->c->cfg->tz_offset;
	int64_t today = date_local_days(a->c->now, tz);
	struct when {
		enum section s;
		time_t due;
		int days;
	} when[2];
	int n = 0;

	if (row->state == PROGRESS_OVERDUE ||
	    (row->state == PROGRESS_WAITING && row->days_overdue > 0))
		when[n++] = (struct when){SEC_OVERDUE, row->due, row->days_overdue};
	if (row->next_due != TF_NONE) {
		int left = (int)(policy_last_day(row->next_due, tz) - today);
		if (left <= a->days)
			when[n++] = (struct when){left <= SOON_DAYS ? SEC_SOON : SEC_UPCOMING,
			                          row->next_due, left};
	}
	const char **holders = xcalloc(t->n_agencies + 1, sizeof(*holders));
	for (int w = 0; w < n; w++) {
		size_t n_holders = 0;
		for (size_t i = 0; i < t->n_agencies; i++) {
			const struct task_agency *ag = &t->agencies[i];
			if (ag->role != TASK_LEAD)
				continue;
			const char *holder =
			    ag->resolved ? dir_holder(a->c->dir, ag->agency, today) : ag->agency;
			/* Merged agencies lead once, under their successor. */
			bool seen = false;
			for (size_t k = 0; k < n_holders && !seen; k++)
				seen = !strcmp(holders[k], holder);
			if (seen)
				continue;
			holders[n_holders++] = holder;
			add_entry(a, holder, when[w].s, ti, when[w].due, when[w].days, row->level);
		}
		bool any = n_holders > 0;
		if (!any)
			add_entry(a, "(no lead)", when[w].s, ti, when[w].due, when[w].days,
			          row->level);
	}
	free(holders);
}

static int cmp_entry(const void *x, const void *y)
{
	const struct entry *p = x, *q = y;
	int c = strcmp(p->agency, q->agency);

	if (c)
		return c;
	if (p->section != q->section)
		return (int)p->section - (int)q->section;
	if (p->due != q->due)
		return (p->due > q->due) - (p->due < q->due);
	return (p->task > q->task) - (p->task < q->task); /* the plan's order */
}

struct group {
	size_t first, n;
	int count[3];
};

static int cmp_group(const void *x, const void *y, void *arg)
{
	const struct group *p = x, *q = y;
	const struct entry *e = arg;

	if (p->count[SEC_OVERDUE] != q->count[SEC_OVERDUE])
		return q->count[SEC_OVERDUE] - p->count[SEC_OVERDUE];
	return strcmp(e[p->first].agency, e[q->first].agency);
}

/* The last message an agency got: "08/12/2025 08:00, reminder, sent: “subject”". */
struct last {
	const struct cli *c;
	struct buf text, json;
};

static int on_last(const struct store_message *m, void *arg)
{
	static const char *const states[] = {"queued", "sent", "failed", "partial"};
	struct last *l = arg;
	char when[32];
	time_t at = m->sent_at != TF_NONE ? m->sent_at : m->created_at;

	buf_printf(&l->text, "%s, %s, %s: \"%s\" (message %lld)",
	           cli_when(l->c, at, when, sizeof(when)), m->kind, states[m->state], m->subject,
	           (long long)m->id);
	buf_addc(&l->json, '{');
	cli_message_json(l->c, m, &l->json);
	buf_addc(&l->json, '}');
	return 0;
}

static int last_message(const struct cli *c, const char *agency, struct last *l)
{
	struct store_msg_filter f = {.agency = agency, .limit = 1};

	buf_reset(&l->text);
	buf_reset(&l->json);
	if (store_messages_find(c->st, &f, on_last, l) < 0)
		return -1;
	if (!l->text.len) {
		buf_adds(&l->text, "none");
		buf_adds(&l->json, "null");
	}
	return 0;
}

static const char *agency_name(const struct cli *c, const char *id)
{
	return cfg_agency(c->cfg, id) ? dir_name(c->dir, id) : id;
}

static void when_words(const struct entry *e, char *buf, size_t len)
{
	if (e->section == SEC_OVERDUE)
		snprintf(buf, len, "%d day%s late", e->days, e->days == 1 ? "" : "s");
	else if (e->days == 0)
		snprintf(buf, len, "today");
	else
		snprintf(buf, len, "in %d day%s", e->days, e->days == 1 ? "" : "s");
}

static void group_text(struct agenda *a, const struct group *g, struct last *l, struct buf *b)
{
	const struct entry *e = &a->entries[g->first];
	const char *heads[] = {"WHEN", "DUE", "TASK", "LEVEL", "TITLE"};
	struct table *t = table_new(heads, UTIL_NELEM(heads));
	char words[32], due[16];

	table_max_width(t, 4, 70);
	buf_printf(b, "%s (%s): %d overdue, %d due within %d days, %d later\n",
	           agency_name(a->c, e->agency), e->agency, g->count[SEC_OVERDUE],
	           g->count[SEC_SOON], SOON_DAYS, g->count[SEC_UPCOMING]);
	buf_printf(b, "  last message: %s\n", buf_str(&l->text));
	for (size_t i = 0; i < g->n; i++) {
		const struct task *task = &a->tasks[e[i].task];
		when_words(&e[i], words, sizeof(words));
		table_cell(t, words);
		table_cell(t, cli_day(a->c, e[i].due, due, sizeof(due)));
		table_cellf(t, "%s:%s", task->plan_id, task->key);
		table_cell(t, task_status_name(e[i].level));
		table_cell(t, task->title);
	}
	table_render(t, "  ", b);
	buf_addc(b, '\n');
	table_free(t);
}

static void group_json(struct agenda *a, const struct group *g, struct last *l, struct buf *b)
{
	const struct entry *e = &a->entries[g->first];
	const int tz = a->c->cfg->tz_offset;
	bool first = true;

	buf_addc(b, '{');
	json_key(b, "agency", &first);
	json_string(b, e->agency);
	json_key(b, "name", &first);
	json_string(b, agency_name(a->c, e->agency));
	json_key(b, "last_message", &first);
	buf_adds(b, buf_str(&l->json));
	for (int s = 0; s < 3; s++) {
		json_key(b, section_names[s], &first);
		buf_addc(b, '[');
		int n = 0;
		for (size_t i = 0; i < g->n; i++) {
			if (e[i].section != (enum section)s)
				continue;
			const struct task *task = &a->tasks[e[i].task];
			struct buf ref = BUF_INIT;
			bool f = true;
			buf_adds(b, n++ ? ",{" : "{");
			buf_printf(&ref, "%s:%s", task->plan_id, task->key);
			json_key(b, "ref", &f);
			json_string(b, buf_str(&ref));
			json_key(b, "task_id", &f);
			buf_printf(b, "%lld", (long long)task->id);
			json_key(b, "title", &f);
			json_string(b, task->title);
			json_key(b, "timeframe", &f);
			json_string(b, task->timeframe);
			json_key(b, "due", &f);
			json_time(b, e[i].due, tz);
			json_key(b, s == SEC_OVERDUE ? "days_overdue" : "days_left", &f);
			buf_printf(b, "%d", e[i].days);
			json_key(b, "level", &f);
			json_string(b, task_status_name(e[i].level));
			buf_addc(b, '}');
			buf_free(&ref);
		}
		buf_addc(b, ']');
	}
	buf_adds(b, "}\n");
}

static int render(struct agenda *a, bool json)
{
	struct group *g = NULL;
	size_t n_groups = 0;
	struct last l = {.c = a->c};
	struct buf b = BUF_INIT;
	int rc = 0;

	if (a->n_entries) /* qsort wants an array, even of nothing */
		qsort(a->entries, a->n_entries, sizeof(*a->entries), cmp_entry);
	for (size_t i = 0; i < a->n_entries; i++) {
		if (!i || strcmp(a->entries[i].agency, a->entries[i - 1].agency)) {
			g = xrealloc(g, (n_groups + 1) * sizeof(*g));
			g[n_groups++] = (struct group){.first = i};
		}
		g[n_groups - 1].n++;
		g[n_groups - 1].count[a->entries[i].section]++;
	}
	if (n_groups)
		qsort_r(g, n_groups, sizeof(*g), cmp_group, a->entries);
	for (size_t i = 0; i < n_groups && rc == 0; i++) {
		if ((rc = last_message(a->c, a->entries[g[i].first].agency, &l)) < 0)
			break;
		(json ? group_json : group_text)(a, &g[i], &l, &b);
		cli_print(&b);
	}
	if (rc < 0)
		fprintf(stderr, "deadlinectl: %s\n", store_error(a->c->st));
	else if (!json && !n_groups)
		printf("nothing overdue or due within %d days%s%s\n", a->days,
		       a->only ? " for " : "", a->only ? a->only : "");
	free(g);
	buf_free(&b);
	buf_free(&l.text);
	buf_free(&l.json);
	return rc < 0 ? 1 : 0;
}

int cmd_agenda(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"agency", required_argument, NULL, 'a'}, {"plan", required_argument, NULL, 'p'},
	    {"days", required_argument, NULL, 'd'},   {"overdue", no_argument, NULL, 'o'},
	    {"json", no_argument, NULL, 'j'},         {NULL, 0, NULL, 0}};
	struct agenda a = {.c = c, .days = 30};
	const char *plan = NULL;
	bool json = false;
	char *end;
	int ch, rc = 1;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'a')
			a.only = optarg;
		else if (ch == 'p')
			plan = optarg;
		else if (ch == 'd' && (a.days = (int)strtol(optarg, &end, 10)) >= 0 && !*end &&
		         a.days <= 3660)
			continue;
		else if (ch == 'o')
			a.overdue_only = true;
		else if (ch == 'j')
			json = true;
		else
			return cli_usage_error(c->usage);
	}
	if (optind != argc)
		return cli_usage_error(c->usage);
	if (cli_open_view(c) < 0)
		return 1;
	if (a.only && !cfg_agency(c->cfg, a.only)) {
		fprintf(stderr, "deadlinectl: --agency %s: no such agency in the directory\n",
		        a.only);
		return 1;
	}
	int64_t *ids = NULL;
	size_t n_ids = 0;
	if (store_task_ids(c->st, plan, &ids, &n_ids) < 0)
		goto fail;
	a.tasks = xcalloc(n_ids ? n_ids : 1, sizeof(*a.tasks));
	for (size_t i = 0; i < n_ids; i++) {
		struct task *t = &a.tasks[a.n_tasks];
		if (store_task_get(c->st, ids[i], t) != 1) {
			free(ids);
			goto fail;
		}
		if (task_status_final(t->status)) {
			task_free(t);
			continue;
		}
		/* The source text is what weighs; the agenda does not show it. */
		free(t->raw);
		t->raw = NULL;
		a.n_tasks++;
	}
	free(ids);
	for (size_t i = 0; i < a.n_tasks; i++) {
		struct task *t = &a.tasks[i];
		const struct store_plan *p = cli_plan(c, t->plan_id);
		struct progress_row row;
		a.n_occ = 0;
		if (store_occ_of_task(c->st, t->id, on_occ, &a) < 0)
			goto fail;
		progress_judge(t, p->first_year, p->last_year, a.occ, a.n_occ, c->now,
		               c->cfg->tz_offset, &row);
		place(&a, i, &row);
	}
	rc = render(&a, json);
	goto out;
fail:
	fprintf(stderr, "deadlinectl: %s\n", store_error(c->st));
out:
	for (size_t i = 0; i < a.n_entries; i++)
		free(a.entries[i].agency);
	free(a.entries);
	for (size_t i = 0; i < a.n_tasks; i++)
		task_free(&a.tasks[i]);
	free(a.tasks);
	free(a.occ);
	return rc;
}
