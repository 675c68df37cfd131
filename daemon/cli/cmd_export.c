/*
 * cmd_export — `export ics DIR`: one iCalendar file per agency
 * (DIR/AGENCY.ics), each deadline of its tasks a VTODO with an alarm at
 * every reminder the policy plans for it. UIDs are the task, the
 * occurrence's deadline as the timeframe gives it and the agency, at the
 * sender's domain: stable across exports (a gia hạn moves DUE and raises
 * SEQUENCE under the same UID), so re-importing or re-subscribing updates
 * the entries. Every agency of the directory gets a file, empty ones too:
 * a published URL never disappears.
 */
#include "cli/cmd.h"

#include "compose.h"
#include "date.h"
#include "ics.h"
#include "planner.h"
#include "table.h"
#include "util.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_OCCURRENCES 800
#define PAST_DAYS       366 /* deadlines this far back stay in the files */

/* One VTODO for one agency, with the strings it owns. */
struct item {
	const char *agency; /* the holder's id, owned by the cfg */
	struct ics_todo todo;
	char *uid, *summary, *description, *category;
	time_t *alarms;
};

struct export
{
	struct cli *c;
	const char *only;
	int days;
	struct item *items;
	size_t n_items, cap_items;
};

static enum ics_status ics_status_of(enum task_status s)
{
	switch (s) {
	case TASK_DONE:
		return ICS_COMPLETED;
	case TASK_CANCELLED:
	case TASK_REMOVED:
		return ICS_CANCELLED;
	case TASK_IN_PROGRESS:
	case TASK_WAITING:
	case TASK_NOT_MET:
		return ICS_IN_PROCESS;
	case TASK_OPEN:
		break;
	}
	return ICS_NEEDS_ACTION;
}

/* The reminders the policy plans for one deadline: the alarms of its entries. */
struct reminders {
	time_t at[2 * POLICY_MAX_STEPS];
	size_t n;
	bool coordinating; /* coordinating agencies are reminded too */
};

static void reminders_for(const struct cfg *cfg, const struct policy *pol, enum tf_kind kind,
                          time_t due, struct reminders *out)
{
	struct policy_step steps[2 * POLICY_MAX_STEPS];
	int k = policy_steps(pol, &cfg->cal, kind, due, steps, (int)UTIL_NELEM(steps));

	out->n = 0;
	out->coordinating = pol->remind_coordinating;
	for (int i = 0; i < k; i++)
		if (steps[i].level == POLICY_REMIND && steps[i].at < due)
			out->at[out->n++] = steps[i].at;
}

/* The entry's text: the plan, the role, the timeframe as written, who leads and helps. */
static void describe(const struct cli *c, const struct task *t, const struct store_plan *p,
                     enum task_role role, struct buf *b)
{
	bool vi = !strcmp(c->cfg->language, "vi");
	const char *roles[2][2] = {{"lead", "coordinating"}, {"chủ trì", "phối hợp"}};
	const char *parties[2][2] = {{"Lead", "Coordinating"}, {"Chủ trì", "Phối hợp"}};

	buf_printf(b, "%s:%s%s%s\n", t->plan_id, t->key, p->title ? " — " : "",
	           p->title ? p->title : "");
	buf_printf(b, "%s: %s\n", vi ? "Vai trò" : "Role", roles[vi][role]);
	buf_printf(b, "%s: %s\n", vi ? "Thời gian" : "Timeframe", t->timeframe);
	for (int r = 0; r < 2; r++) {
		struct buf names = BUF_INIT;
		for (size_t i = 0; i < t->n_agencies; i++)
			if ((int)t->agencies[i].role == r)
				buf_printf(&names, "%s%s", names.len ? "; " : "",
				           t->agencies[i].resolved
				               ? dir_name(c->dir, t->agencies[i].agency)
				               : t->agencies[i].agency);
		if (names.len)
			buf_printf(b, "%s: %s\n", parties[vi][r], buf_str(&names));
		buf_free(&names);
	}
	if (t->status_note)
		buf_printf(b, "%s: %s\n", vi ? "Kết quả" : "Result", t->status_note);
}

static void add_item(struct export *e, const struct task *t, const struct store_plan *p,
                     const struct tf_occ *o, enum task_status status, const char *holder,
                     enum task_role role, const struct reminders *rem)
{
	const struct cli *c = e->c;
	time_t due = t->extended_due != TF_NONE && o->due == t->due ? t->extended_due : o->due;
	struct date_civil d;
	struct buf b = BUF_INIT;

	if (e->only && strcmp(e->only, holder))
		return;
	if (e->n_items == e->cap_items)
		e->items =
		    xrealloc(e->items, (e->cap_items = e->cap_items ? 2 * e->cap_items : 256) *
		                           sizeof(*e->items));
	struct item *it = &e->items[e->n_items++];
	memset(it, 0, sizeof(*it));
	it->agency = holder;
	/* The deadline as the timeframe gives it: an extension keeps the UID. */
	date_split(o->due, c->cfg->tz_offset, &d);
	buf_printf(&b, "%lld-%04d%02d%02d-%s@%s", (long long)t->id, d.year, d.month, d.day, holder,
	           compose_domain(c->cfg));
	it->uid = buf_steal(&b);
	if (!strcmp(c->cfg->language, "vi"))
		buf_printf(&b, "[%s] %s", role == TASK_LEAD ? "Chủ trì" : "Phối hợp", t->title);
	else
		buf_printf(&b, "[%s] %s", role == TASK_LEAD ? "Lead" : "Coordinating", t->title);
	it->summary = buf_steal(&b);
	describe(c, t, p, role, &b);
	it->description = buf_steal(&b);
	it->category = xstrdup(t->plan_id);
	it->todo = (struct ics_todo){.uid = it->uid,
	                             .summary = it->summary,
	                             .description = it->description,
	                             .category = it->category,
	                             .start = o->window_start,
	                             .due = due,
	                             .status = ics_status_of(status),
	                             .sequence = t->ext};
	it->todo.n_alarms = role == TASK_LEAD || rem->coordinating ? rem->n : 0;
	it->alarms = xcalloc(rem->n ? rem->n : 1, sizeof(*it->alarms));
	memcpy(it->alarms, rem->at, rem->n * sizeof(*it->alarms));
	it->todo.alarms = it->alarms;
}

struct occ_status {
	struct store_occ *v;
	size_t n;
};

static int on_occ(const struct store_occ *o, void *arg)
{
	struct occ_status *s = arg;

	s->v = xrealloc(s->v, (s->n + 1) * sizeof(*s->v));
	s->v[s->n++] = *o;
	return 0;
}

static enum task_status status_of(const struct task *t, const struct occ_status *s, time_t due)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].due == due && s->v[i].status != TASK_OPEN)
			return s->v[i].status;
	return t->status;
}

/* Every deadline of the task within the window, for each agency that holds it. */
static int export_task(struct export *e, const struct task *t, const struct store_plan *p,
                       struct tf_occ *occ)
{
	const int tz = e->c->cfg->tz_offset;
	int64_t today = date_local_days(e->c->now, tz);
	struct occ_status s = {0};
	size_t n;

	if (store_occ_of_task(e->c->st, t->id, on_occ, &s) < 0)
		return -1;
	if (task_status_final(t->status)) {
		/* Done or cancelled: its deadline stays, marked so, in calendars that have it. */
		n = 0;
		if (t->due != TF_NONE)
			occ[n++] = (struct tf_occ){t->window_start, t->due};
	} else {
		n = planner_occurrences(t, tz, p->first_year, p->last_year, e->c->now, occ,
		                        MAX_OCCURRENCES);
	}
	const char **holders = xcalloc(t->n_agencies + 1, sizeof(*holders));
	struct cfg_kvs kvs;
	struct policy pol;
	planner_task_kvs(t->policy, &kvs);
	cfg_policy(e->c->cfg, t->plan_id, &kvs, t->kind, &pol);
	planner_kvs_free(&kvs);
	for (size_t i = 0; i < n; i++) {
		int64_t last = policy_last_day(occ[i].due, tz);
		size_t n_holders = 0;
		struct reminders rem;
		if (last < today - PAST_DAYS || last > today + e->days)
			continue;
		reminders_for(e->c->cfg, &pol, t->kind,
		              t->extended_due != TF_NONE && occ[i].due == t->due ? t->extended_due
		                                                                 : occ[i].due,
		              &rem);
		/* Leads first: an agency both leading and coordinating, or several merged
		 * into one successor, gets one entry, in its most responsible role. */
		for (size_t k = 0; k < 2 * t->n_agencies; k++) {
			const struct task_agency *ag = &t->agencies[k % t->n_agencies];
			enum task_role pass = k < t->n_agencies ? TASK_LEAD : TASK_COORD;
			if (ag->role != pass || !ag->resolved || !cfg_agency(e->c->cfg, ag->agency))
				continue;
			/* The cfg's copy of the id: the task's is freed before the files are
			 * written. */
			const struct cfg_agency *holder =
			    cfg_agency(e->c->cfg, dir_holder(e->c->dir, ag->agency, last));
			bool seen = !holder;
			for (size_t h = 0; h < n_holders && !seen; h++)
				seen = holders[h] == holder->id;
			if (seen)
				continue;
			holders[n_holders++] = holder->id;
			add_item(e, t, p, &occ[i], status_of(t, &s, occ[i].due), holder->id,
			         ag->role, &rem);
		}
	}
	free(holders);
	free(s.v);
	return 0;
}

static int cmp_item(const void *a, const void *b)
{
	const struct item *x = a, *y = b;
	int c = strcmp(x->agency, y->agency);

	if (c)
		return c;
	return (x->todo.due > y->todo.due) - (x->todo.due < y->todo.due);
}

/* DIR/AGENCY.ics, written beside and renamed over the old one. */
static int write_calendar(const struct cli *c, const char *dir, const char *agency,
                          const struct item *items, size_t n, char *path, size_t len)
{
	struct ics_todo *todos = xcalloc(n ? n : 1, sizeof(*todos));

	for (size_t i = 0; i < n; i++)
		todos[i] = items[i].todo;
	struct ics_calendar cal = {dir_name(c->dir, agency), c->cfg->tz_offset, c->now};
	char *text = ics_render(&cal, todos, n);
	free(todos);
	snprintf(path, len, "%s/%s.ics", dir, agency);
	int rc = cli_write_file(path, text, strlen(text));
	free(text);
	return rc;
}

static int write_all(struct export *e, const char *dir)
{
	const struct cfg *cfg = e->c->cfg;
	const char *heads[] = {"AGENCY", "TODOS", "FILE", "URL"};
	struct table *t = table_new(heads, cfg->calendar_url ? 4 : 3);
	struct buf out = BUF_INIT;
	char path[4096];
	size_t at = 0;
	int rc = 0;

	if (e->n_items) /* qsort wants an array, even of nothing */
		qsort(e->items, e->n_items, sizeof(*e->items), cmp_item);
	table_align_right(t, 1);
	for (size_t a = 0; a < cfg->n_agencies && rc == 0; a++) {
		const char *id = cfg->agencies_by_id[a]->id;
		if (e->only && strcmp(e->only, id))
			continue;
		while (at < e->n_items && strcmp(e->items[at].agency, id) < 0)
			at++;
		size_t end = at;
		while (end < e->n_items && !strcmp(e->items[end].agency, id))
			end++;
		rc = write_calendar(e->c, dir, id, e->items + at, end - at, path, sizeof(path));
		table_cell(t, id);
		table_cellf(t, "%zu", end - at);
		table_cell(t, path);
		if (cfg->calendar_url) {
			char *url = cfg_calendar_url(cfg, id);
			table_cell(t, url);
			free(url);
		}
		at = end;
	}
	if (rc == 0) {
		table_render(t, "", &out);
		buf_printf(&out, "%zu calendar%s, %zu deadline%s\n", table_rows(t),
		           table_rows(t) == 1 ? "" : "s", e->n_items, e->n_items == 1 ? "" : "s");
		cli_print(&out);
	}
	buf_free(&out);
	table_free(t);
	return rc;
}

int cmd_export(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {{"agency", required_argument, NULL, 'a'},
	                                     {"days", required_argument, NULL, 'd'},
	                                     {NULL, 0, NULL, 0}};
	struct export e = {.c = c, .days = 400};
	struct stat sb;
	char *end;
	int ch, rc = 1;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'a')
			e.only = optarg;
		else if (ch == 'd' && (e.days = (int)strtol(optarg, &end, 10)) > 0 && !*end &&
		         e.days <= 3660)
			continue;
		else
			return cli_usage_error(c->usage);
	}
	if (argc - optind != 2 || strcmp(argv[optind], "ics"))
		return cli_usage_error(c->usage);
	const char *dir = argv[optind + 1];
	if (stat(dir, &sb) < 0 || !S_ISDIR(sb.st_mode)) {
		fprintf(stderr, "deadlinectl: %s: %s\n", dir,
		        errno && !S_ISDIR(sb.st_mode) ? strerror(errno) : "not a directory");
		return 1;
	}
	if (cli_open_view(c) < 0)
		return 1;
	if (e.only && !cfg_agency(c->cfg, e.only)) {
		fprintf(stderr, "deadlinectl: --agency %s: no such agency in the directory\n",
		        e.only);
		return 1;
	}
	int64_t *ids = NULL;
	size_t n = 0;
	struct tf_occ *occ = xcalloc(MAX_OCCURRENCES, sizeof(*occ));
	if (store_task_ids(c->st, NULL, &ids, &n) < 0)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		struct task t;
		if (store_task_get(c->st, ids[i], &t) != 1)
			goto fail;
		const struct store_plan *p = cli_plan(c, t.plan_id);
		int r = t.status == TASK_REMOVED ? 0 : export_task(&e, &t, p, occ);
		task_free(&t);
		if (r < 0)
			goto fail;
	}
	rc = write_all(&e, dir) < 0;
	goto out;
fail:
	fprintf(stderr, "deadlinectl: %s\n", store_error(c->st));
out:
	for (size_t i = 0; i < e.n_items; i++) {
		free(e.items[i].uid);
		free(e.items[i].summary);
		free(e.items[i].description);
		free(e.items[i].category);
		free(e.items[i].alarms);
	}
	free(e.items);
	free(occ);
	free(ids);
	return rc;
}
