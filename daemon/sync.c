/*
 * sync — see sync.h.
 *
 * Changing a task in the store always goes with "look at its occurrences
 * again" (next_at = 0): that single rule is what makes edits, imports and
 * progress reports take effect at the daemon's next wake-up.
 */
#include "sync.h"

#include "buf.h"
#include "date.h"
#include "planner.h"
#include "text.h"
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

/* The plan's date of issue as tf_issued() gives it, 0 when unknown: the INI [plan] section wins
 * here too. */
static int plan_issued_on(struct store *st, const struct cfg *c, const char *plan)
{
	const struct cfg_plan *cp = cfg_plan(c, plan);
	struct store_plan sp;
	int issued = 0;

	if (cp && cp->issued)
		return tf_issued(cp->issued);
	if (store_plan_get(st, plan, &sp) == 1) {
		issued = tf_issued(sp.issued);
		store_plan_free(&sp);
	}
	return issued;
}

int sync_occurrences_after(struct store *st, const struct task *t, const struct planner_plan *plan,
                           int tz_offset, time_t now, time_t after, int *created)
{
	struct tf_occ *occ = xcalloc(MAX_OCCURRENCES, sizeof(*occ));
	size_t n = planner_occurrences(t, tz_offset, plan, now, occ, MAX_OCCURRENCES);
	int rc = 0;

	*created = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		int64_t id;
		bool made;
		if (after != TF_NONE && occ[i].due <= after)
			continue;
		/* Its next one already due (a plan imported late): missed from the start. */
		if (tf_recurring(t->kind) && i + 1 < n && occ[i + 1].due <= now)
			rc = store_occ_ensure_missed(st, t->id, occ[i].due, occ[i].window_start,
			                             &id, &made);
		else
			rc = store_occ_ensure(st, t->id, occ[i].due, occ[i].window_start, &id,
			                      &made);
		*created += made;
	}
	free(occ);
	return rc;
}

int sync_occurrences(struct store *st, const struct task *t, int tz_offset, time_t now,
                     int *created)
{
	struct store_plan sp;
	struct planner_plan plan;
	time_t made_at;

	*created = 0;
	int found = store_plan_get(st, t->plan_id, &sp);
	if (found < 0 || store_plan_created(st, t->plan_id, &made_at) < 0)
		return -1;
	planner_plan_of(found == 1 ? &sp : NULL, made_at, tz_offset, &plan);
	int rc = sync_occurrences_after(st, t, &plan, tz_offset, now, TF_NONE, created);
	store_plan_free(&sp);
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
	int issued = 0;

	if (store_plan_get(st, t->plan_id, &sp) == 1) {
		ctx.plan_first_year = sp.first_year;
		ctx.plan_last_year = sp.last_year;
		issued = tf_issued(sp.issued);
		store_plan_free(&sp);
	}
	tf_parse_issued(t->timeframe, &ctx, issued, &r.tf);
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
	r->flagged += (t->flags & TASK_FLAGS_CHECK) != 0;
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
	task_set_timeframe_issued(out, ct->timeframe ? ct->timeframe : "", &ctx,
	                          plan_issued_on(st, c, out->plan_id));
	for (size_t i = 0; i < ct->leads.n; i++)
		task_assign(out, d, TASK_LEAD, ct->leads.v[i]);
	for (size_t i = 0; i < ct->coordinating.n; i++)
		task_assign(out, d, TASK_COORD, ct->coordinating.v[i]);
}

/* ---- one duty, two sources ---------------------------------------------------
 *
 * A reporting duty the admin wrote in the INI may arrive later with an
 * imported plan too. Planned twice, it would be in every digest twice; so
 * an INI task that is the same duty as an imported one is not stored, and
 * the imported one is planned (an INI task stored earlier is retired like
 * a removed section). "The same" is said by `same_as = PLAN:KEY`, or
 * recognised: the same plan (the same id, or the same title once a leading
 * "Kế hoạch" is set aside), the same kind of timeframe falling due on the
 * same dates, and the same lead agencies.
 */

/* A plan title's comparison key: folded, without a leading "kế hoạch". */
static void title_key(const char *title, char *out, size_t cap)
{
	size_t n = text_fold(title ? title : "", title ? strlen(title) : 0, out, NULL, cap);
	const char *p = out;

	out[n] = '\0';
	if (!strncmp(p, "ke hoach ", 9))
		p += 9;
	memmove(out, p, strlen(p) + 1);
	for (n = strlen(out); n && strchr(" .,;:", out[n - 1]); n--)
		out[n - 1] = '\0';
}

struct same_plans {
	char key[512];
	const char *own;
	char **ids;
	size_t n;
};

static int same_plan(const char *id, const char *title, void *arg)
{
	struct same_plans *sp = arg;
	char key[512];

	title_key(title, key, sizeof(key));
	if (!strcmp(id, sp->own) || (sp->key[0] && !strcmp(key, sp->key))) {
		sp->ids = xrealloc(sp->ids, (sp->n + 1) * sizeof(*sp->ids));
		sp->ids[sp->n++] = xstrdup(id);
	}
	return 0;
}

static bool same_leads(const struct task *a, const struct task *b)
{
	size_t na = 0, nb = 0;

	for (size_t i = 0; i < a->n_agencies; i++) {
		const struct task_agency *x = &a->agencies[i];
		if (x->role != TASK_LEAD || !x->resolved)
			continue;
		na++;
		bool found = false;
		for (size_t k = 0; k < b->n_agencies && !found; k++)
			found = b->agencies[k].role == TASK_LEAD && b->agencies[k].resolved &&
			        !strcmp(b->agencies[k].agency, x->agency);
		if (!found)
			return false;
	}
	for (size_t k = 0; k < b->n_agencies; k++)
		nb += b->agencies[k].role == TASK_LEAD && b->agencies[k].resolved;
	return na > 0 && na == nb;
}

/* Due on the same dates: the same one-off deadline, or the same next two occurrences. */
static bool same_dates(const struct task *a, int issued_a, const struct task *b, int issued_b,
                       int tz)
{
	struct tf_ctx ctx = {tz, 0, 0};
	struct tf ta, tb;
	struct tf_occ oa, ob;

	if (a->kind != b->kind)
		return false;
	if (!tf_recurring(a->kind))
		return a->due != TF_NONE && a->due == b->due;
	if (tf_parse_issued(a->timeframe, &ctx, issued_a, &ta) < 0 ||
	    tf_parse_issued(b->timeframe, &ctx, issued_b, &tb) < 0)
		return false;
	time_t ref = date_make(2000, 1, 1, 0, 0, 0, tz);
	for (int i = 0; i < 2; i++) {
		if (!tf_next(&ta, ref, &oa) || !tf_next(&tb, ref, &ob) || oa.due != ob.due)
			return false;
		ref = oa.due + 1;
	}
	return true;
}

/* The imported task the INI task t is, or 0. */
static int64_t same_duty(struct store *st, const struct cfg *c, const struct cfg_task *ct,
                         const struct task *t)
{
	const struct cfg_plan *cp = cfg_plan(c, t->plan_id);
	struct same_plans sp = {.own = t->plan_id};
	int64_t found = 0;

	if (ct->same_as) {
		struct task other;
		if (store_task_find(st, ct->same_as, &found) != 1)
			return 0; /* not imported (yet): the INI task is planned */
		int got = store_task_get(st, found, &other);
		bool imported = got == 1 && other.origin && !strcmp(other.origin, "import");
		if (got == 1)
			task_free(&other);
		return imported ? found : 0;
	}
	title_key(cp ? cp->title : NULL, sp.key, sizeof(sp.key));
	if (store_plans(st, same_plan, &sp) < 0)
		return -1;
	for (size_t i = 0; i < sp.n && !found; i++) {
		int64_t *ids;
		size_t n;
		if (store_imported_ids(st, sp.ids[i], t->kind, &ids, &n) < 0) {
			found = -1;
			break;
		}
		for (size_t k = 0; k < n && !found; k++) {
			struct task other;
			if (store_task_get(st, ids[k], &other) != 1)
				continue;
			if (same_leads(t, &other) &&
			    same_dates(t, plan_issued_on(st, c, t->plan_id), &other,
			               plan_issued_on(st, c, other.plan_id), c->tz_offset))
				found = ids[k];
			task_free(&other);
		}
		free(ids);
	}
	for (size_t i = 0; i < sp.n; i++)
		free(sp.ids[i]);
	free(sp.ids);
	return found;
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

	memset(r, 0, sizeof(*r));
	int rc = sync_plans(st, c, now);
	r->plans = (int)c->n_plans;
	for (size_t i = 0; i < c->n_tasks && rc == 0; i++) {
		struct task t;
		enum store_change change;
		sync_ini_task(st, d, &c->tasks[i], &t);
		int64_t same = same_duty(st, c, &c->tasks[i], &t);
		if (same < 0)
			rc = -1;
		else if (same > 0)
			r->linked++; /* keep[i] stays 0: an earlier copy is retired */
		else
			rc = sync_task(st, &t, c->tz_offset, now, &change, r);
		keep[i] = t.id;
		task_free(&t);
	}
	if (rc == 0)
		rc = store_tasks_remove_missing(st, "ini", keep, c->n_tasks, now, &r->removed);
	free(keep);
	return rc;
}
