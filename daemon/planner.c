/* planner — see planner.h. */
#include "planner.h"

#include "date.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

void planner_task_kvs(const char *policy, struct cfg_kvs *out)
{
	memset(out, 0, sizeof(*out));
	for (const char *line = policy; line && *line;) {
		size_t n = strcspn(line, "\n");
		char *copy = xstrndup(line, n);
		char *eq = strchr(copy, '=');
		if (eq) {
			*eq = '\0';
			out->v = xrealloc(out->v, (out->n + 1) * sizeof(*out->v));
			out->v[out->n++] = (struct cfg_kv){
			    xstrdup(util_trim(copy)), xstrdup(util_trim(eq + 1)), {NULL, 0}};
		}
		free(copy);
		line += n + (line[n] == '\n');
	}
}

void planner_kvs_free(struct cfg_kvs *k)
{
	for (size_t i = 0; i < k->n; i++) {
		free(k->v[i].key);
		free(k->v[i].value);
	}
	free(k->v);
	memset(k, 0, sizeof(*k));
}

static void add_party(const char **v, size_t *n, const char *id)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp(v[i], id))
			return;
	if (*n < PLANNER_MAX_PARTIES)
		v[(*n)++] = id;
}

/* Supervisors of every lead, as their duties are held today. */
static void gather_supervisors(const struct dir *d, struct planner_occ *p, int64_t today)
{
	if (p->in.supervisors && p->supervisors_day == today)
		return;
	p->in.n_supervisors = 0;
	p->supervisors_day = today;
	for (size_t i = 0; i < p->in.n_leads; i++) {
		const char *chain[16];
		size_t n = dir_supervisors(d, dir_holder(d, p->leads[i], today), chain, 16);
		for (size_t k = 0; k < n; k++)
			add_party(p->supervisors, &p->in.n_supervisors, chain[k]);
	}
}

void planner_prepare(const struct dir *d, const struct task *t, const char *monitor, time_t occ_due,
                     enum task_status occ_status, const struct store_note *ledger, size_t n_ledger,
                     time_t now, struct planner_occ *out)
{
	const struct cfg *c = dir_cfg(d);
	struct cfg_kvs kvs;

	memset(out, 0, sizeof(*out));
	planner_task_kvs(t->policy, &kvs);
	cfg_policy(c, t->plan_id, &kvs, t->kind, &out->policy);
	planner_kvs_free(&kvs);

	out->in.policy = &out->policy;
	out->in.cal = &c->cal;
	out->in.kind = t->kind;
	for (size_t i = 0; i < t->n_agencies; i++) {
		const struct task_agency *a = &t->agencies[i];
		if (!a->resolved)
			continue;
		if (a->role == TASK_LEAD)
			add_party(out->leads, &out->in.n_leads, a->agency);
		else
			add_party(out->coords, &out->in.n_coords, a->agency);
	}
	out->in.leads = out->leads;
	out->in.coords = out->coords;
	out->in.monitor = monitor ? monitor : c->monitor;
	out->done = xcalloc(n_ledger ? n_ledger : 1, sizeof(*out->done));
	for (size_t i = 0; i < n_ledger; i++)
		out->done[i] = (struct sched_done){ledger[i].agency, ledger[i].step};
	planner_retarget(d, out, t, occ_due, occ_status, out->done, n_ledger, now);
}

void planner_retarget(const struct dir *d, struct planner_occ *p, const struct task *t,
                      time_t occ_due, enum task_status occ_status, const struct sched_done *done,
                      size_t n_done, time_t now)
{
	p->in.due = occ_due;
	p->in.ext = 0;
	p->original_due = TF_NONE;
	/* A gia hạn moves the main deadline and gives its steps new keys. */
	if (t->extended_due != TF_NONE && occ_due == t->due) {
		p->in.due = t->extended_due;
		p->in.ext = t->ext;
		p->original_due = occ_due;
	}
	/* A done, cancelled or removed task is over, whatever one occurrence says. */
	p->in.status =
	    task_status_final(t->status) || occ_status == TASK_OPEN ? t->status : occ_status;
	gather_supervisors(d, p, date_local_days(now, dir_cfg(d)->tz_offset));
	p->in.supervisors = p->supervisors;
	p->in.done = done;
	p->in.n_done = n_done;
	p->in.steps = NULL;
	p->in.n_steps = 0;
}

void planner_occ_free(struct planner_occ *p)
{
	free(p->done);
	memset(p, 0, sizeof(*p));
}

size_t planner_occurrences(const struct task *t, int tz_offset, int plan_first_year,
                           int plan_last_year, time_t now, struct tf_occ *out, size_t max)
{
	struct tf_ctx ctx = {tz_offset, plan_first_year, plan_last_year};
	struct tf tf;

	if (task_status_final(t->status) || tf_parse(t->timeframe, &ctx, &tf) < 0)
		return 0;
	if (tf.kind == TF_ONCE || tf.kind == TF_PERIOD) {
		size_t n = 0;
		for (int i = 0; i < tf.n_phases && n < max; i++)
			out[n++] = tf.phases[i];
		return n;
	}
	if (!tf_recurring(tf.kind))
		return 0;
	/* Without a plan start, a recurrence starts with the current cycle. */
	time_t from = tf.from != TF_NONE ? tf.from : now - 400 * 86400;
	if (tf.from == TF_NONE) {
		struct tf_occ current;
		if (tf_next(&tf, now, &current))
			from = current.window_start;
	}
	size_t n = tf_occurrences(&tf, from, now + PLANNER_HORIZON, out, max);
	if (n < max && tf_next(&tf, n ? out[n - 1].due + 1 : now + PLANNER_HORIZON, &out[n]))
		n++;
	return n;
}
