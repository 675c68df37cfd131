/*
 * preview — see preview.h.
 *
 * Occurrences are independent (the ledger is keyed by occurrence), so each
 * is replayed on its own: decide at `from`, then at each next_at the
 * scheduler returns, exactly as the daemon's timer would fire, until the
 * window ends. What would be sent at the same moment to the same recipient
 * becomes one digest, as in the daemon's tick.
 */
#include "preview.h"

#include "date.h"
#include "planner.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define MAX_OCCURRENCES 600
#define MAX_WAKES       400 /* per occurrence: a safety net, never reached in practice */

struct plan_info {
	struct store_plan plan;
};

struct run {
	struct store *st;
	const struct dir *d;
	time_t from, to;
	struct plan_info *plans;
	size_t n_plans;
	struct preview *out;
	int64_t virtual_ids;  /* occurrences not stored yet: -1, -2, … */
	struct emitted *sent; /* every note that would be sent, before grouping */
	size_t n_sent, cap_sent;
};

struct emitted {
	time_t at;
	char holder[64];
	struct preview_item item;
};

static const struct store_plan *plan_of(struct run *r, const char *id)
{
	for (size_t i = 0; i < r->n_plans; i++)
		if (!strcmp(r->plans[i].plan.id, id))
			return &r->plans[i].plan;
	r->plans = xrealloc(r->plans, (r->n_plans + 1) * sizeof(*r->plans));
	struct store_plan *p = &r->plans[r->n_plans].plan;
	if (store_plan_get(r->st, id, p) != 1) {
		memset(p, 0, sizeof(*p));
		p->id = xstrdup(id);
	}
	return &r->plans[r->n_plans++].plan;
}

static void emit(struct run *r, size_t task, int64_t occurrence, const struct planner_occ *po,
                 const struct sched_note *n, time_t at)
{
	int tz = dir_cfg(r->d)->tz_offset;

	if (r->n_sent == r->cap_sent)
		r->sent = xrealloc(r->sent, (r->cap_sent = r->cap_sent ? r->cap_sent * 2 : 1024) *
		                                sizeof(*r->sent));
	struct emitted *e = &r->sent[r->n_sent++];
	memset(e, 0, sizeof(*e));
	e->at = at;
	util_strlcpy(e->holder, dir_holder(r->d, n->agency, date_local_days(at, tz)),
	             sizeof(e->holder));
	e->item.task = task;
	e->item.occurrence = occurrence;
	e->item.due = po->in.due;
	e->item.original_due = po->original_due;
	e->item.role = n->role;
	e->item.kind = n->kind;
	util_strlcpy(e->item.agency, n->agency, sizeof(e->item.agency));
	util_strlcpy(e->item.step, n->step, sizeof(e->item.step));
}

/* The simulated ledger grows as notes would be recorded. */
static void remember(struct store_note **ledger, size_t *n, const struct sched_note *notes,
                     size_t count)
{
	*ledger = xrealloc(*ledger, (*n + count + 1) * sizeof(**ledger));
	for (size_t i = 0; i < count; i++) {
		struct store_note *l = &(*ledger)[(*n)++];
		memset(l, 0, sizeof(*l));
		util_strlcpy(l->agency, notes[i].agency, sizeof(l->agency));
		util_strlcpy(l->step, notes[i].step, sizeof(l->step));
	}
}

/* The daemon's cycle for one occurrence, from `from` to `to`. Frees ledger. */
static void replay(struct run *r, size_t ti, int64_t occurrence, time_t due,
                   enum task_status status, struct store_note *ledger, size_t n_ledger)
{
	const struct task *t = &r->out->tasks[ti];
	const struct store_plan *plan = plan_of(r, t->plan_id);
	struct policy_step steps[128];
	int n_steps = -1;
	time_t now = r->from;

	for (int wake = 0; wake < MAX_WAKES && now != TF_NONE && now <= r->to; wake++) {
		struct planner_occ po;
		struct sched_out out;
		planner_prepare(r->d, t, plan->monitor, due, status, ledger, n_ledger, now, &po);
		/* The steps do not depend on `now`: compute them once per occurrence. */
		if (n_steps < 0)
			n_steps = policy_steps(po.in.policy, po.in.cal, po.in.kind, po.in.due,
			                       steps, (int)UTIL_NELEM(steps));
		po.in.steps = steps;
		po.in.n_steps = n_steps;
		sched_decide(&po.in, now, &out);
		for (size_t i = 0; i < out.n_send; i++)
			emit(r, ti, occurrence, &po, &out.send[i], now);
		planner_occ_free(&po);
		remember(&ledger, &n_ledger, out.send, out.n_send);
		remember(&ledger, &n_ledger, out.skip, out.n_skip);
		time_t next = out.next_at;
		sched_out_free(&out);
		now = next != TF_NONE && next <= now ? now + 1 : next;
	}
	free(ledger);
}

struct occ_list {
	struct store_occ *v;
	size_t n;
};

static int collect_occ(const struct store_occ *o, void *arg)
{
	struct occ_list *l = arg;

	l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	l->v[l->n++] = *o;
	return 0;
}

static bool stored_due(const struct occ_list *l, time_t due)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].due == due)
			return true;
	return false;
}

/*
 * A task's occurrences: the stored ones with their ledger, and those the
 * daemon would create during the window (planner_occurrences at both ends).
 */
static int replay_task(struct run *r, size_t ti)
{
	const struct task *t = &r->out->tasks[ti];
	const struct store_plan *plan = plan_of(r, t->plan_id);
	struct occ_list stored = {0};
	struct tf_occ *virt = xcalloc(MAX_OCCURRENCES, sizeof(*virt));
	int tz = dir_cfg(r->d)->tz_offset;

	if (store_occ_of_task(r->st, t->id, collect_occ, &stored) < 0) {
		free(virt);
		return -1;
	}
	for (size_t i = 0; i < stored.n; i++) {
		struct store_note *ledger;
		size_t n;
		if (store_ledger(r->st, stored.v[i].id, &ledger, &n) < 0)
			break;
		replay(r, ti, stored.v[i].id, stored.v[i].due, stored.v[i].status, ledger, n);
	}
	time_t ends[2] = {r->from, r->to};
	for (int e = 0; e < 2; e++) {
		size_t n = planner_occurrences(t, tz, plan->first_year, plan->last_year, ends[e],
		                               virt, MAX_OCCURRENCES);
		for (size_t i = 0; i < n; i++) {
			if (stored_due(&stored, virt[i].due))
				continue;
			collect_occ(&(struct store_occ){0, t->id, virt[i].due, virt[i].window_start,
			                                TF_NONE, TASK_OPEN},
			            &stored);
			replay(r, ti, --r->virtual_ids, virt[i].due, TASK_OPEN, NULL, 0);
		}
	}
	free(virt);
	free(stored.v);
	return 0;
}

static int cmp_emitted(const void *a, const void *b)
{
	const struct emitted *x = a, *y = b;

	if (x->at != y->at)
		return (x->at > y->at) - (x->at < y->at);
	int c = strcmp(x->holder, y->holder);
	if (c)
		return c;
	return (x->item.occurrence > y->item.occurrence) -
	       (x->item.occurrence < y->item.occurrence);
}

static void add_list(struct cfg_list *dst, const struct cfg_list *src)
{
	dst->v = xcalloc(src->n ? src->n : 1, sizeof(*dst->v));
	for (size_t i = 0; i < src->n; i++)
		dst->v[i] = xstrdup(src->v[i]);
	dst->n = src->n;
}

/* One digest from the notes sent at one moment to one recipient. */
static void make_mail(struct run *r, const struct digest_templates *tpl, struct emitted *e,
                      size_t n)
{
	struct preview *p = r->out;
	struct digest_item *items = xcalloc(n, sizeof(*items));
	struct digest_msg d;
	const char *domain = strrchr(dir_cfg(r->d)->from_addr, '@');

	for (size_t i = 0; i < n; i++) {
		const struct task *t = &p->tasks[e[i].item.task];
		const struct store_plan *plan = plan_of(r, t->plan_id);
		items[i] = (struct digest_item){t,
		                                plan->title,
		                                plan->issued,
		                                e[i].item.occurrence,
		                                e[i].item.due,
		                                e[i].item.original_due,
		                                e[i].item.role,
		                                e[i].item.kind,
		                                e[i].item.step,
		                                e[i].item.agency,
		                                ""};
	}
	digest_build_headers(tpl, r->d, e[0].holder, items, n, e[0].at,
	                     domain ? domain + 1 : "localhost", &d);
	p->mails = xrealloc(p->mails, (p->n_mails + 1) * sizeof(*p->mails));
	struct preview_mail *m = &p->mails[p->n_mails++];
	memset(m, 0, sizeof(*m));
	m->at = e[0].at;
	util_strlcpy(m->holder, e[0].holder, sizeof(m->holder));
	m->kind = d.kind;
	m->subject = xstrdup(d.subject);
	add_list(&m->to, &d.to);
	add_list(&m->cc, &d.cc);
	m->items = xcalloc(n, sizeof(*m->items));
	for (size_t i = 0; i < n; i++)
		m->items[i] = e[i].item;
	m->n_items = n;
	digest_msg_free(&d);
	free(items);
}

static int load_tasks(struct run *r)
{
	int64_t *ids;
	size_t n;

	if (store_task_ids(r->st, NULL, &ids, &n) < 0)
		return -1;
	r->out->tasks = xcalloc(n ? n : 1, sizeof(*r->out->tasks));
	for (size_t i = 0; i < n; i++)
		if (store_task_get(r->st, ids[i], &r->out->tasks[r->out->n_tasks]) == 1)
			r->out->n_tasks++;
	free(ids);
	return 0;
}

int preview_run(struct store *st, const struct dir *d, const struct digest_templates *tpl,
                time_t from, time_t to, struct preview *out)
{
	struct run r = {.st = st, .d = d, .from = from, .to = to, .out = out};
	int rc;

	memset(out, 0, sizeof(*out));
	rc = load_tasks(&r);
	for (size_t i = 0; rc == 0 && i < out->n_tasks; i++)
		if (!task_status_final(out->tasks[i].status))
			rc = replay_task(&r, i);
	if (r.n_sent) /* qsort(NULL, 0) is undefined behaviour */
		qsort(r.sent, r.n_sent, sizeof(*r.sent), cmp_emitted);
	for (size_t i = 0, j; rc == 0 && i < r.n_sent; i = j) {
		for (j = i + 1; j < r.n_sent && r.sent[j].at == r.sent[i].at &&
		                !strcmp(r.sent[j].holder, r.sent[i].holder);
		     j++)
			;
		make_mail(&r, tpl, &r.sent[i], j - i);
	}
	out->n_notes = r.n_sent;
	for (size_t i = 0; i < r.n_plans; i++)
		store_plan_free(&r.plans[i].plan);
	free(r.plans);
	free(r.sent);
	return rc;
}

void preview_free(struct preview *p)
{
	for (size_t i = 0; i < p->n_tasks; i++)
		task_free(&p->tasks[i]);
	for (size_t i = 0; i < p->n_mails; i++) {
		struct preview_mail *m = &p->mails[i];
		free(m->subject);
		for (size_t k = 0; k < m->to.n; k++)
			free(m->to.v[k]);
		for (size_t k = 0; k < m->cc.n; k++)
			free(m->cc.v[k]);
		free(m->to.v);
		free(m->cc.v);
		free(m->items);
	}
	free(p->tasks);
	free(p->mails);
	memset(p, 0, sizeof(*p));
}
