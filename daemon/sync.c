/*
 * sync — see sync.h.
 *
 * Changing a task in the store always goes with "look at its occurrences
 * again" (next_at = 0): that single rule is what makes edits, imports and
 * progress reports take effect at the daemon's next wake-up.
 */
#include "sync.h"

#include "buf.h"
#include "planner.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define MAX_OCCURRENCES 600 /* a weekly duty over the horizon, with room */
#define CONFIG_PLAN     "config"

/* The plan's period: the INI [plan] section wins over what an import stored. */
static void plan_years(struct store *st, const struct cfg *c, const char *plan, int *first,
                       int *last)
{
	const struct cfg_plan *cp = cfg_plan(c, plan);
	struct store_plan sp;

	*first = *last = 0;
	if (cp && cp->first_year) {
		*first = cp->first_year;
		*last = cp->last_year;
	} else if (store_plan_get(st, plan, &sp) == 1) {
		*first = sp.first_year;
		*last = sp.last_year;
		store_plan_free(&sp);
	}
}

int sync_occurrences(struct store *st, const struct task *t, int tz_offset, time_t now,
                     int *created)
{
	struct tf_occ *occ = xcalloc(MAX_OCCURRENCES, sizeof(*occ));
	struct store_plan sp;
	int first = 0, last = 0, rc = 0;

	*created = 0;
	if (store_plan_get(st, t->plan_id, &sp) == 1) {
		first = sp.first_year;
		last = sp.last_year;
		store_plan_free(&sp);
	}
	size_t n = planner_occurrences(t, tz_offset, first, last, now, occ, MAX_OCCURRENCES);
	for (size_t i = 0; i < n && rc == 0; i++) {
		int64_t id;
		bool made;
		rc = store_occ_ensure(st, t->id, occ[i].due, occ[i].window_start, &id, &made);
		*created += made;
	}
	free(occ);
	return rc;
}

struct retire {
	struct store *st;
	struct tf tf;
};

/* Is `due` still an occurrence of the (changed) timeframe? */
static bool still_due(const struct tf *tf, time_t due)
{
	struct tf_occ o;

	return tf_next(tf, due, &o) && o.due == due;
}

static int retire_one(const struct store_occ *o, void *arg)
{
	struct retire *r = arg;

	if (task_status_final(o->status) || still_due(&r->tf, o->due))
		return 0;
	if (store_occ_set_status(r->st, o->id, TASK_REMOVED) < 0)
		return -1;
	return store_occ_set_next(r->st, o->id, TF_NONE);
}

/*
 * A revised timeframe leaves occurrences behind ("2022 - 2025" became
 * "2022 - 2024"): they are retired, so only the new deadline is reminded of.
 */
static int retire_stale(struct store *st, const struct task *t, int tz_offset)
{
	struct retire r = {.st = st};
	struct store_plan sp;
	struct tf_ctx ctx = {tz_offset, 0, 0};

	if (store_plan_get(st, t->plan_id, &sp) == 1) {
		ctx.plan_first_year = sp.first_year;
		ctx.plan_last_year = sp.last_year;
		store_plan_free(&sp);
	}
	tf_parse(t->timeframe, &ctx, &r.tf);
	return store_occ_of_task(st, t->id, retire_one, &r);
}

static int touch_one(const struct store_occ *o, void *arg)
{
	return store_occ_set_next(arg, o->id, 0);
}

int sync_touch(struct store *st, int64_t task_id)
{
	return store_occ_of_task(st, task_id, touch_one, st);
}

int sync_task(struct store *st, struct task *t, int tz_offset, time_t now,
              enum store_change *change, struct sync_report *r)
{
	struct task stored;
	int made = 0;

	if (store_task_upsert(st, t, now, change) < 0)
		return -1;
	r->tasks++;
	r->created += *change == STORE_NEW;
	r->updated += *change == STORE_UPDATED;
	r->unchanged += *change == STORE_SAME;
	r->flagged += (t->flags & (TASK_FLAG_UNPARSED | TASK_FLAG_UNRESOLVED)) != 0;
	if (*change == STORE_SAME)
		return 0;
	if (sync_touch(st, t->id) < 0 ||
	    (*change == STORE_UPDATED && retire_stale(st, t, tz_offset) < 0))
		return -1;
	/* The stored status decides whether it still has occurrences to make. */
	if (store_task_get(st, t->id, &stored) != 1)
		return -1;
	int rc = sync_occurrences(st, &stored, tz_offset, now, &made);
	task_free(&stored);
	r->occurrences += made;
	return rc;
}

static char *policy_text(const struct cfg_kvs *kvs)
{
	struct buf b = BUF_INIT;

	if (!kvs->n)
		return NULL;
	for (size_t i = 0; i < kvs->n; i++)
		buf_printf(&b, "%s = %s\n", kvs->v[i].key, kvs->v[i].value);
	return buf_steal(&b);
}

void sync_ini_task(struct store *st, const struct dir *d, const struct cfg_task *ct,
                   struct task *out)
{
	const struct cfg *c = dir_cfg(d);
	struct tf_ctx ctx = {c->tz_offset, 0, 0};

	task_init(out);
	out->plan_id = xstrdup(ct->plan ? ct->plan : CONFIG_PLAN);
	out->key = xstrdup(ct->id);
	out->title = xstrdup(ct->title ? ct->title : ct->id);
	out->origin = xstrdup("ini");
	out->source_file = xstrdup(ct->at.file);
	out->source_line = ct->at.line;
	out->policy = policy_text(&ct->policy);
	plan_years(st, c, out->plan_id, &ctx.plan_first_year, &ctx.plan_last_year);
	task_set_timeframe(out, ct->timeframe ? ct->timeframe : "", &ctx);
	for (size_t i = 0; i < ct->leads.n; i++)
		task_assign(out, d, TASK_LEAD, ct->leads.v[i]);
	for (size_t i = 0; i < ct->coordinating.n; i++)
		task_assign(out, d, TASK_COORD, ct->coordinating.v[i]);
}

static int sync_plans(struct store *st, const struct cfg *c, time_t now)
{
	for (size_t i = 0; i < c->n_plans; i++) {
		const struct cfg_plan *p = &c->plans[i];
		struct store_plan sp = {.id = p->id,
		                        .title = p->title,
		                        .issued = p->issued,
		                        .monitor = p->monitor,
		                        .source = (char *)p->at.file,
		                        .origin = "ini",
		                        .first_year = p->first_year,
		                        .last_year = p->last_year};
		if (store_plan_upsert(st, &sp, now) < 0)
			return -1;
	}
	/* INI tasks may name a plan no section and no import has described yet. */
	for (size_t i = 0; i < c->n_tasks; i++) {
		struct store_plan sp = {.id = c->tasks[i].plan ? c->tasks[i].plan : CONFIG_PLAN,
		                        .origin = "ini"};
		struct store_plan have;
		int found = store_plan_get(st, sp.id, &have);
		store_plan_free(&have);
		if (found < 0 || (!found && store_plan_upsert(st, &sp, now) < 0))
			return -1;
	}
	return 0;
}

int sync_config(struct store *st, const struct dir *d, time_t now, struct sync_report *r)
{
	const struct cfg *c = dir_cfg(d);
	int64_t *keep = xcalloc(c->n_tasks ? c->n_tasks : 1, sizeof(*keep));
	int rc = sync_plans(st, c, now);

	memset(r, 0, sizeof(*r));
	for (size_t i = 0; i < c->n_tasks && rc == 0; i++) {
		struct task t;
		enum store_change change;
		sync_ini_task(st, d, &c->tasks[i], &t);
		rc = sync_task(st, &t, c->tz_offset, now, &change, r);
		keep[i] = t.id;
		task_free(&t);
	}
	if (rc == 0)
		rc = store_tasks_remove_missing(st, "ini", keep, c->n_tasks, now, &r->removed);
	free(keep);
	return rc;
}
