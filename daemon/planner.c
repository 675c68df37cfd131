/* planner — see planner.h. */
#include "planner.h"

#include "date.h"
#include "policy.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void planner_plan_of(const struct store_plan *sp, time_t created, int tz_offset,
                     struct planner_plan *out)
{
	int y, m, d;

	memset(out, 0, sizeof(*out));
	out->start = TF_NONE;
	if (!sp)
		return;
	out->monitor = sp->monitor;
	out->first_year = sp->first_year;
	out->last_year = sp->last_year;
	out->issued_on = tf_issued(sp->issued);
	/* The date of issue; else the period's start is the bound (tf_parse has it);
	 * else the day the store first heard of the plan: it did not exist before. */
	if (sp->issued && sscanf(sp->issued, "%4d-%2d-%2d", &y, &m, &d) == 3)
		out->start = date_make(y, m, d, 0, 0, 0, tz_offset);
	else if (!sp->first_year)
		out->start = created;
}

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

static bool has_successor(const struct cfg *c, const char *id)
{
	const struct cfg_agency *a = cfg_agency(c, id);

	return a && a->successor;
}

static void chain_of(const struct cfg *c, const char *id, struct planner_chain *out)
{
	const struct cfg_agency *a = cfg_agency(c, id);

	out->n = 0;
	out->holder[0] = id;
	out->since[0] = INT64_MIN;
	while (a && a->successor && out->n < PLANNER_MAX_HOPS) {
		out->n++;
		out->holder[out->n] = a->successor;
		out->since[out->n] = a->since;
		a = cfg_agency(c, a->successor);
	}
}

/* The hop in force on `day`: as dir_holder, a hop applies once every one before it has. */
static int chain_hop(const struct planner_chain *ch, int64_t day)
{
	int k = 0;

	while (k < ch->n && ch->since[k + 1] <= day)
		k++;
	return k;
}

bool planner_taken_over_after(const struct dir *d, const char *id, int64_t today, int64_t last_day)
{
	struct planner_chain ch;

	chain_of(dir_cfg(d), id, &ch);
	return ch.since[chain_hop(&ch, today)] > last_day;
}

static void add_party(const char **v, size_t *n, const char *id)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp(v[i], id))
			return;
	if (*n < PLANNER_MAX_PARTIES)
		v[(*n)++] = id;
}

/*
 * The parties this occurrence concerns, and when it is missed. A recurring
 * occurrence whose last day came before a party's successor took over is
 * not the successor's: it is dropped from the lists (one-offs are taken
 * over whole).
 */
static void concerned(const struct dir *d, struct planner_occ *p, int64_t today)
{
	bool recurring = tf_recurring(p->in.kind) && p->tf.kind == p->in.kind;
	int64_t last = recurring && p->successors && p->in.due != TF_NONE
	                   ? policy_last_day(p->in.due, dir_cfg(d)->tz_offset)
	                   : INT64_MAX;
	struct tf_occ next;

	p->in.missed_at = TF_NONE;
	if (recurring && p->in.due != TF_NONE && tf_next(&p->tf, p->in.due + 1, &next))
		p->in.missed_at = next.due;
	p->in.n_leads = p->in.n_coords = 0;
	for (size_t i = 0; i < p->n_leads; i++)
		if (last == INT64_MAX ||
		    p->lead_chain[i].since[chain_hop(&p->lead_chain[i], today)] <= last)
			p->in_leads[p->in.n_leads++] = p->leads[i];
	for (size_t i = 0; i < p->n_coords; i++)
		if (last == INT64_MAX ||
		    p->coord_chain[i].since[chain_hop(&p->coord_chain[i], today)] <= last)
			p->in_coords[p->in.n_coords++] = p->coords[i];
	p->in.leads = p->in_leads;
	p->in.coords = p->in_coords;
	p->in.monitor = p->monitor;
	if (p->monitor && last != INT64_MAX &&
	    p->monitor_chain.since[chain_hop(&p->monitor_chain, today)] > last)
		p->in.monitor = NULL;
}

/* The chain of a lead of this occurrence (in_leads points into leads). */
static const struct planner_chain *lead_chain(const struct planner_occ *p, const char *id)
{
	for (size_t i = 0; i < p->n_leads; i++)
		if (p->leads[i] == id)
			return &p->lead_chain[i];
	return NULL;
}

/* Supervisors of every lead, as their duties are held today; gathered again
 * only when the holders change (preview asks for every day of a year). */
static void gather_supervisors(const struct dir *d, struct planner_occ *p, int64_t today)
{
	const char *holders[PLANNER_MAX_PARTIES];
	size_t n = 0;

	for (size_t i = 0; i < p->in.n_leads; i++) {
		const struct planner_chain *ch = lead_chain(p, p->in.leads[i]);
		holders[n++] = ch ? ch->holder[chain_hop(ch, today)] : p->in.leads[i];
	}
	if (p->have_supervisors && n == p->n_supervised &&
	    !memcmp(holders, p->supervised, n * sizeof(*holders)))
		return;
	memcpy(p->supervised, holders, n * sizeof(*holders));
	p->n_supervised = n;
	p->have_supervisors = true;
	p->in.n_supervisors = 0;
	for (size_t i = 0; i < n; i++) {
		const char *chain[16];
		size_t k = dir_supervisors(d, holders[i], chain, 16);
		for (size_t j = 0; j < k; j++)
			add_party(p->supervisors, &p->in.n_supervisors, chain[j]);
	}
}

void planner_prepare(const struct dir *d, const struct task *t, const struct planner_plan *plan,
                     time_t occ_due, enum task_status occ_status, const struct store_note *ledger,
                     size_t n_ledger, time_t now, struct planner_occ *out)
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
	out->tf.kind = TF_UNPARSED;
	if (tf_recurring(t->kind)) {
		struct tf_ctx ctx = {c->tz_offset, plan ? plan->first_year : 0,
		                     plan ? plan->last_year : 0};
		tf_parse_issued(t->timeframe, &ctx, plan ? plan->issued_on : 0, &out->tf);
	}
	for (size_t i = 0; i < t->n_agencies; i++) {
		const struct task_agency *a = &t->agencies[i];
		if (!a->resolved)
			continue;
		if (a->role == TASK_LEAD)
			add_party(out->leads, &out->n_leads, a->agency);
		else
			add_party(out->coords, &out->n_coords, a->agency);
		out->successors |= has_successor(c, a->agency);
	}
	for (size_t i = 0; i < out->n_leads; i++)
		chain_of(c, out->leads[i], &out->lead_chain[i]);
	for (size_t i = 0; i < out->n_coords; i++)
		chain_of(c, out->coords[i], &out->coord_chain[i]);
	out->monitor = plan && plan->monitor ? plan->monitor : c->monitor;
	if (out->monitor)
		chain_of(c, out->monitor, &out->monitor_chain);
	out->successors |= out->monitor && has_successor(c, out->monitor);
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
	int64_t today = date_local_days(now, dir_cfg(d)->tz_offset);
	concerned(d, p, today);
	gather_supervisors(d, p, today);
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

size_t planner_occurrences(const struct task *t, int tz_offset, const struct planner_plan *plan,
                           time_t now, struct tf_occ *out, size_t max)
{
	struct tf_ctx ctx = {tz_offset, plan ? plan->first_year : 0, plan ? plan->last_year : 0};
	time_t start = plan ? plan->start : TF_NONE;
	struct tf tf;

	if (task_status_final(t->status) ||
	    tf_parse_issued(t->timeframe, &ctx, plan ? plan->issued_on : 0, &tf) < 0)
		return 0;
	if (tf.kind == TF_ONCE || tf.kind == TF_PERIOD) {
		size_t n = 0;
		for (int i = 0; i < tf.n_phases && n < max; i++)
			out[n++] = tf.phases[i];
		return n;
	}
	if (!tf_recurring(tf.kind))
		return 0;
	/* A plan's duties start with the plan; with no start known at all, a
	 * recurrence starts with the current cycle. */
	time_t from = tf.from;
	if (start != TF_NONE && (from == TF_NONE || start > from))
		from = start;
	if (from == TF_NONE) {
		struct tf_occ current;
		from = now - 400 * 86400;
		if (tf_next(&tf, now, &current))
			from = current.window_start;
	}
	size_t n = tf_occurrences(&tf, from, now + PLANNER_HORIZON, out, max);
	if (n < max && tf_next(&tf, n ? out[n - 1].due + 1 : now + PLANNER_HORIZON, &out[n]))
		n++;
	return n;
}
