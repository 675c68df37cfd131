/*
 * preview — see preview.h.
 *
 * Occurrences are independent (the ledger is keyed by occurrence), so each
 * is replayed on its own: decide at `from`, then at each next_at the
 * scheduler returns, exactly as the daemon's timer would fire, until the
 * window ends. What would be sent at the same moment to the same recipient
 * becomes one digest, as in the daemon's tick.
 *
 * At 100,000 tasks a query or a policy copy per occurrence is what would
 * dominate, so the store is read in bulk (every occurrence in one query,
 * every ledger row in another) and the planner's per-task work is done
 * once per task; each wake-up only retargets it.
 */
#include "preview.h"

#include "date.h"
#include "log.h"
#include "planner.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define MAX_OCCURRENCES 600
#define MAX_WAKES       400 /* per occurrence: a safety net, never reached in practice */
#define MAX_NAMES       UINT16_MAX

/* ---- names: agency ids and step names, each stored once -------------------------- */

struct names {
	struct preview *p; /* the strings are p->names */
	uint32_t *slots;   /* open addressing: index + 1, 0 when empty */
	size_t cap;        /* a power of two */
};

static uint64_t hash(const char *s)
{
	uint64_t h = 14695981039346656037ULL; /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static void names_grow(struct names *n)
{
	size_t cap = n->cap ? 2 * n->cap : 1024;
	uint32_t *slots = xcalloc(cap, sizeof(*slots));

	for (size_t i = 0; i < n->cap; i++) {
		if (!n->slots[i])
			continue;
		size_t k = hash(n->p->names[n->slots[i] - 1]) & (cap - 1);
		while (slots[k])
			k = (k + 1) & (cap - 1);
		slots[k] = n->slots[i];
	}
	free(n->slots);
	n->slots = slots;
	n->cap = cap;
}

static uint16_t intern(struct names *n, const char *s)
{
	struct preview *p = n->p;

	if (2 * (p->n_names + 1) > n->cap)
		names_grow(n);
	size_t k = hash(s) & (n->cap - 1);
	for (; n->slots[k]; k = (k + 1) & (n->cap - 1))
		if (!strcmp(p->names[n->slots[k] - 1], s))
			return (uint16_t)(n->slots[k] - 1);
	/* A province has hundreds of agencies and a policy dozens of steps. */
	if (p->n_names == MAX_NAMES)
		fatal("preview: more than %d distinct agencies and steps", MAX_NAMES);
	p->names = xrealloc(p->names, (p->n_names + 1) * sizeof(*p->names));
	p->names[p->n_names++] = xstrdup(s);
	n->slots[k] = (uint32_t)p->n_names;
	return (uint16_t)(p->n_names - 1);
}

/* ---- the run ------------------------------------------------------------------------ */

struct ledger_row {
	int64_t occurrence;
	uint16_t agency, step;
};

struct run {
	struct store *st;
	const struct dir *d;
	time_t from, to;
	int tz;
	struct preview *out;
	struct names names;
	struct store_plan *plans;
	size_t n_plans;
	size_t *by_id;           /* task indexes in id order, the order occurrences arrive in */
	size_t next;             /* in by_id: the tasks before it are replayed */
	struct store_occ *group; /* the stored occurrences of one task */
	size_t n_group, cap_group;
	struct ledger_row *ledger; /* by occurrence */
	size_t n_ledger, cap_ledger;
	struct sched_done *done; /* the simulated ledger of the occurrence being replayed */
	size_t cap_done;
	struct planner_occ *po; /* the task being replayed */
	struct tf_occ *virt;    /* its occurrences at one end of the window */
	time_t *dues;           /* the dues of its occurrences replayed so far */
	size_t n_dues, cap_dues;
	size_t cap_items;
	int64_t virtual_ids; /* occurrences not stored yet: -1, -2, … */
};

static const struct store_plan *plan_of(struct run *r, const char *id)
{
	for (size_t i = 0; i < r->n_plans; i++)
		if (!strcmp(r->plans[i].id, id))
			return &r->plans[i];
	r->plans = xrealloc(r->plans, (r->n_plans + 1) * sizeof(*r->plans));
	struct store_plan *p = &r->plans[r->n_plans++];
	if (store_plan_get(r->st, id, p) != 1) {
		memset(p, 0, sizeof(*p));
		p->id = xstrdup(id);
	}
	return p;
}

static void emit(struct run *r, uint32_t task, int64_t occurrence, const struct sched_note *n,
                 time_t at)
{
	struct preview *p = r->out;

	if (p->n_items == r->cap_items)
		p->items =
		    xrealloc(p->items, (r->cap_items = r->cap_items ? 2 * r->cap_items : 4096) *
		                           sizeof(*p->items));
	p->items[p->n_items++] = (struct preview_item){
	    .at = at,
	    .due = r->po->in.due,
	    .original_due = r->po->original_due,
	    .occurrence = occurrence,
	    .task = task,
	    .holder = intern(&r->names, dir_holder(r->d, n->agency, date_local_days(at, r->tz))),
	    .agency = intern(&r->names, n->agency),
	    .step = intern(&r->names, n->step),
	    .role = (uint8_t)n->role,
	    .kind = (uint8_t)n->kind,
	};
}

static void reserve_done(struct run *r, size_t n)
{
	if (n > r->cap_done)
		r->done = xrealloc(r->done, (r->cap_done = 2 * n + 16) * sizeof(*r->done));
}

/*
 * The simulated ledger grows as notes would be recorded. An agency points
 * into the task, which outlives the replay; a step is the note's own copy,
 * so it is interned (first: interning may move the names array, never the
 * strings).
 */
static size_t remember(struct run *r, size_t n_done, const struct sched_note *notes, size_t count)
{
	reserve_done(r, n_done + count);
	for (size_t i = 0; i < count; i++) {
		uint16_t step = intern(&r->names, notes[i].step);
		r->done[n_done++] = (struct sched_done){notes[i].agency, r->out->names[step]};
	}
	return n_done;
}

/* The daemon's cycle for one occurrence, from `from` to `to`; n_done rows are in r->done. */
static void replay(struct run *r, const struct task *t, uint32_t ti, int64_t occurrence, time_t due,
                   enum task_status status, size_t n_done)
{
	struct policy_step steps[128];
	int n_steps = -1;
	time_t now = r->from;

	for (int wake = 0; wake < MAX_WAKES && now != TF_NONE && now <= r->to; wake++) {
		struct sched_in *in = &r->po->in;
		struct sched_out out;
		planner_retarget(r->d, r->po, t, due, status, r->done, n_done, now);
		/* The steps do not depend on `now`: computed once per occurrence. */
		if (n_steps < 0)
			n_steps = policy_steps(in->policy, in->cal, in->kind, in->due, steps,
			                       (int)UTIL_NELEM(steps));
		in->steps = steps;
		in->n_steps = n_steps;
		sched_decide(in, now, &out);
		for (size_t i = 0; i < out.n_send; i++)
			emit(r, ti, occurrence, &out.send[i], now);
		n_done = remember(r, n_done, out.send, out.n_send);
		n_done = remember(r, n_done, out.skip, out.n_skip);
		time_t next = out.next_at;
		sched_out_free(&out);
		now = next != TF_NONE && next <= now ? now + 1 : next;
	}
}

/* The stored ledger of one occurrence into r->done; returns its length. */
static size_t load_done(struct run *r, int64_t occurrence)
{
	size_t lo = 0, hi = r->n_ledger, n = 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (r->ledger[mid].occurrence < occurrence)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < r->n_ledger && r->ledger[i].occurrence == occurrence; i++) {
		reserve_done(r, n + 1);
		r->done[n++] = (struct sched_done){r->out->names[r->ledger[i].agency],
		                                   r->out->names[r->ledger[i].step]};
	}
	return n;
}

static int cmp_time(const void *a, const void *b)
{
	time_t x = *(const time_t *)a, y = *(const time_t *)b;

	return (x > y) - (x < y);
}

static int cmp_occ_due(const void *a, const void *b)
{
	return cmp_time(&((const struct tf_occ *)a)->due, &((const struct tf_occ *)b)->due);
}

static void add_due(struct run *r, time_t due)
{
	if (r->n_dues == r->cap_dues)
		r->dues =
		    xrealloc(r->dues, (r->cap_dues = 2 * r->cap_dues + 64) * sizeof(*r->dues));
	r->dues[r->n_dues++] = due;
}

/*
 * A task's occurrences: the stored ones with their ledger, and those the
 * daemon would create during the window (planner_occurrences at both ends).
 * A weekly task has hundreds, so the dues already replayed are searched
 * sorted, not scanned.
 */
static void replay_task(struct run *r, size_t ti, const struct store_occ *stored, size_t n_stored)
{
	const struct task *t = &r->out->tasks[ti];
	const struct store_plan *plan = plan_of(r, t->plan_id);
	time_t ends[2] = {r->from, r->to};

	planner_prepare(r->d, t, plan->monitor, TF_NONE, TASK_OPEN, NULL, 0, r->from, r->po);
	r->n_dues = 0;
	for (size_t i = 0; i < n_stored; i++) {
		add_due(r, stored[i].due);
		if (!task_status_final(stored[i].status))
			replay(r, t, (uint32_t)ti, stored[i].id, stored[i].due, stored[i].status,
			       load_done(r, stored[i].id));
	}
	for (int e = 0; e < 2; e++) {
		size_t n = planner_occurrences(t, r->tz, plan->first_year, plan->last_year, ends[e],
		                               r->virt, MAX_OCCURRENCES);
		size_t known = r->n_dues;
		qsort(r->dues, known, sizeof(*r->dues), cmp_time);
		qsort(r->virt, n, sizeof(*r->virt), cmp_occ_due);
		for (size_t i = 0; i < n; i++) {
			time_t due = r->virt[i].due;
			if ((i && due == r->virt[i - 1].due) ||
			    bsearch(&due, r->dues, known, sizeof(*r->dues), cmp_time))
				continue;
			add_due(r, due);
			replay(r, t, (uint32_t)ti, --r->virtual_ids, due, TASK_OPEN, 0);
		}
	}
	planner_occ_free(r->po);
}

/* Replays the tasks up to the one whose stored occurrences are grouped (all, at the end). */
static void flush_group(struct run *r, bool last)
{
	struct preview *p = r->out;
	int64_t group_task = r->n_group ? r->group[0].task_id : 0;

	while (r->next < p->n_tasks) {
		size_t ti = r->by_id[r->next];
		if (!last && p->tasks[ti].id > group_task)
			break;
		r->next++;
		if (task_status_final(p->tasks[ti].status))
			continue;
		bool mine = r->n_group && p->tasks[ti].id == group_task;
		replay_task(r, ti, mine ? r->group : NULL, mine ? r->n_group : 0);
	}
	r->n_group = 0;
}

static int on_occurrence(const struct store_occ *o, void *arg)
{
	struct run *r = arg;

	if (r->n_group && o->task_id != r->group[0].task_id)
		flush_group(r, false);
	if (r->n_group == r->cap_group)
		r->group =
		    xrealloc(r->group, (r->cap_group = 2 * r->cap_group + 64) * sizeof(*r->group));
	r->group[r->n_group++] = *o;
	return 0;
}

static int on_ledger_row(const struct store_note *n, void *arg)
{
	struct run *r = arg;

	if (r->n_ledger == r->cap_ledger)
		r->ledger = xrealloc(r->ledger, (r->cap_ledger = 2 * r->cap_ledger + 1024) *
		                                    sizeof(*r->ledger));
	r->ledger[r->n_ledger++] = (struct ledger_row){
	    n->occurrence_id, intern(&r->names, n->agency), intern(&r->names, n->step)};
	return 0;
}

/* ---- loading ------------------------------------------------------------------------- */

static int cmp_task_id(const void *a, const void *b, void *arg)
{
	const struct task *tasks = arg;
	int64_t x = tasks[*(const size_t *)a].id, y = tasks[*(const size_t *)b].id;

	return (x > y) - (x < y);
}

/* Every task, and its plan (the replay itself must not query the store). */
static int load_tasks(struct run *r)
{
	struct preview *p = r->out;
	int64_t *ids;
	size_t n;

	if (store_task_ids(r->st, NULL, &ids, &n) < 0)
		return -1;
	p->tasks = xcalloc(n ? n : 1, sizeof(*p->tasks));
	for (size_t i = 0; i < n; i++)
		if (store_task_get(r->st, ids[i], &p->tasks[p->n_tasks]) == 1)
			plan_of(r, p->tasks[p->n_tasks++].plan_id);
	free(ids);
	r->by_id = xcalloc(p->n_tasks + 1, sizeof(*r->by_id));
	for (size_t i = 0; i < p->n_tasks; i++)
		r->by_id[i] = i;
	qsort_r(r->by_id, p->n_tasks, sizeof(*r->by_id), cmp_task_id, p->tasks);
	return 0;
}

/* ---- grouping into emails ------------------------------------------------------------ */

/*
 * Sending order: by time, then recipient (by name, as the daemon's tick),
 * then occurrence. Millions of items share a few thousand (time, recipient)
 * pairs, so they are bucketed by pair (a hash of the pair, then a counting
 * sort) and only each small bucket is sorted by occurrence: a comparison
 * sort of the whole array is several times slower, mostly in cache misses.
 */
struct buckets {
	uint64_t *keys;  /* distinct (time, rank) pairs, by bucket id */
	uint32_t *slots; /* hash: bucket id + 1 */
	size_t n, cap;
};

/* A rank is 16 bits (MAX_NAMES); a time_t shifted by 16 stays far from overflow. */
static uint64_t pair_key(const struct preview_item *it, const uint32_t *rank)
{
	return ((uint64_t)it->at << 16) | rank[it->holder];
}

static uint32_t bucket_of(struct buckets *b, uint64_t key)
{
	if (2 * (b->n + 1) > b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 4096;
		uint32_t *slots = xcalloc(cap, sizeof(*slots));
		for (size_t i = 0; i < b->n; i++) {
			size_t k = (size_t)(b->keys[i] * 0x9E3779B97F4A7C15ULL >> 20) & (cap - 1);
			while (slots[k])
				k = (k + 1) & (cap - 1);
			slots[k] = (uint32_t)i + 1;
		}
		free(b->slots);
		b->slots = slots;
		b->cap = cap;
		b->keys = xrealloc(b->keys, cap / 2 * sizeof(*b->keys));
	}
	size_t k = (size_t)(key * 0x9E3779B97F4A7C15ULL >> 20) & (b->cap - 1);
	for (; b->slots[k]; k = (k + 1) & (b->cap - 1))
		if (b->keys[b->slots[k] - 1] == key)
			return b->slots[k] - 1;
	b->keys[b->n] = key;
	b->slots[k] = (uint32_t)++b->n;
	return (uint32_t)(b->n - 1);
}

static int cmp_u64_at(const void *a, const void *b, void *arg)
{
	const uint64_t *keys = arg;
	uint64_t x = keys[*(const uint32_t *)a], y = keys[*(const uint32_t *)b];

	return (x > y) - (x < y);
}

/* Within one email: by occurrence, then step and assigned agency (by name, as the daemon). */
static int cmp_in_bucket(const void *a, const void *b, void *arg)
{
	const struct preview_item *x = a, *y = b;
	const uint32_t *rank = arg;

	if (x->occurrence != y->occurrence)
		return (x->occurrence > y->occurrence) - (x->occurrence < y->occurrence);
	if (x->step != y->step)
		return (rank[x->step] > rank[y->step]) - (rank[x->step] < rank[y->step]);
	return (rank[x->agency] > rank[y->agency]) - (rank[x->agency] < rank[y->agency]);
}

static int cmp_name(const void *a, const void *b, void *arg)
{
	char *const *names = arg;

	return strcmp(names[*(const uint32_t *)a], names[*(const uint32_t *)b]);
}

static uint32_t *name_ranks(const struct preview *p)
{
	uint32_t *order = xcalloc(p->n_names + 1, sizeof(*order));
	uint32_t *rank = xcalloc(p->n_names + 1, sizeof(*rank));

	for (uint32_t i = 0; i < p->n_names; i++)
		order[i] = i;
	qsort_r(order, p->n_names, sizeof(*order), cmp_name, p->names);
	for (uint32_t i = 0; i < p->n_names; i++)
		rank[order[i]] = i;
	free(order);
	return rank;
}

static void sort_items(struct preview *p)
{
	uint32_t *rank = name_ranks(p);
	struct buckets b = {0};
	uint32_t *bucket = xcalloc(p->n_items + 1, sizeof(*bucket));

	for (size_t i = 0; i < p->n_items; i++)
		bucket[i] = bucket_of(&b, pair_key(&p->items[i], rank));
	/* Buckets in key order, then where each one starts in the sorted array. */
	uint32_t *order = xcalloc(b.n + 1, sizeof(*order));
	size_t *start = xcalloc(b.n + 1, sizeof(*start));
	for (uint32_t i = 0; i < b.n; i++)
		order[i] = i;
	qsort_r(order, b.n, sizeof(*order), cmp_u64_at, b.keys);
	for (size_t i = 0; i < p->n_items; i++)
		start[bucket[i]]++;
	for (size_t i = 0, at = 0; i < b.n; i++) {
		size_t count = start[order[i]];
		start[order[i]] = at;
		at += count;
	}
	struct preview_item *sorted = xcalloc(p->n_items + 1, sizeof(*sorted));
	for (size_t i = 0; i < p->n_items; i++)
		sorted[start[bucket[i]]++] = p->items[i];
	/* start[] now points past each bucket. */
	for (size_t i = 0, from = 0; i < b.n; i++) {
		size_t end = start[order[i]];
		qsort_r(sorted + from, end - from, sizeof(*sorted), cmp_in_bucket, rank);
		from = end;
	}
	free(p->items);
	p->items = sorted;
	free(start);
	free(order);
	free(bucket);
	free(b.keys);
	free(b.slots);
	free(rank);
}

static void copy_list(struct cfg_list *dst, const struct cfg_list *src)
{
	dst->v = xcalloc(src->n ? src->n : 1, sizeof(*dst->v));
	for (size_t i = 0; i < src->n; i++)
		dst->v[i] = xstrdup(src->v[i]);
	dst->n = src->n;
}

/* One digest from the notes sent at one moment to one recipient. */
static void make_mail(struct run *r, const struct digest_templates *tpl,
                      const struct preview_item *it, size_t n)
{
	struct preview *p = r->out;
	struct digest_item *items = xcalloc(n, sizeof(*items));
	struct digest_msg d;
	const char *domain = strrchr(dir_cfg(r->d)->from_addr, '@');
	const char *holder = p->names[it[0].holder];

	for (size_t i = 0; i < n; i++) {
		const struct task *t = &p->tasks[it[i].task];
		const struct store_plan *plan = plan_of(r, t->plan_id);
		items[i] = (struct digest_item){t,
		                                plan->title,
		                                plan->issued,
		                                it[i].occurrence,
		                                it[i].due,
		                                it[i].original_due,
		                                (enum sched_role)it[i].role,
		                                (enum sched_kind)it[i].kind,
		                                p->names[it[i].step],
		                                p->names[it[i].agency],
		                                ""};
	}
	digest_build_headers(tpl, r->d, holder, items, n, it[0].at,
	                     domain ? domain + 1 : "localhost", &d);
	struct preview_mail *m = &p->mails[p->n_mails++];
	*m = (struct preview_mail){.at = it[0].at,
	                           .holder = holder,
	                           .kind = d.kind,
	                           .subject = xstrdup(d.subject),
	                           .items = it,
	                           .n_items = n};
	copy_list(&m->to, &d.to);
	copy_list(&m->cc, &d.cc);
	digest_msg_free(&d);
	free(items);
}

static void make_mails(struct run *r, const struct digest_templates *tpl)
{
	struct preview *p = r->out;
	size_t n = 0;

	for (size_t i = 0; i < p->n_items; i++)
		n += i == 0 || p->items[i].at != p->items[i - 1].at ||
		     p->items[i].holder != p->items[i - 1].holder;
	p->mails = xcalloc(n ? n : 1, sizeof(*p->mails));
	for (size_t i = 0, j; i < p->n_items; i = j) {
		for (j = i + 1; j < p->n_items && p->items[j].at == p->items[i].at &&
		                p->items[j].holder == p->items[i].holder;
		     j++)
			;
		make_mail(r, tpl, &p->items[i], j - i);
	}
}

int preview_run(struct store *st, const struct dir *d, const struct digest_templates *tpl,
                time_t from, time_t to, struct preview *out)
{
	struct run r = {
	    .st = st, .d = d, .from = from, .to = to, .tz = dir_cfg(d)->tz_offset, .out = out};
	int rc;

	memset(out, 0, sizeof(*out));
	/* One snapshot for the whole replay, and no lock taken per query: the
	 * caller's transaction if it has one (deadlinectl's view of the INI). */
	bool own = !store_in_transaction(st);
	if (own && store_begin_read(st) < 0)
		return -1;
	r.names.p = out;
	r.po = xcalloc(1, sizeof(*r.po));
	r.virt = xcalloc(MAX_OCCURRENCES, sizeof(*r.virt));
	r.dues = xcalloc(r.cap_dues = 64, sizeof(*r.dues));
	rc = load_tasks(&r);
	if (rc == 0)
		rc = store_ledger_live(st, on_ledger_row, &r);
	if (rc == 0)
		rc = store_occ_live(st, on_occurrence, &r);
	if (rc == 0)
		flush_group(&r, true);
	if (own)
		store_commit(st); /* a read: nothing to fail but the lock's release */
	if (rc == 0) {
		sort_items(out);
		make_mails(&r, tpl);
	}
	for (size_t i = 0; i < r.n_plans; i++)
		store_plan_free(&r.plans[i]);
	free(r.plans);
	free(r.by_id);
	free(r.group);
	free(r.ledger);
	free(r.done);
	free(r.po);
	free(r.virt);
	free(r.dues);
	free(r.names.slots);
	if (rc < 0)
		preview_free(out);
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
	}
	for (size_t i = 0; i < p->n_names; i++)
		free(p->names[i]);
	free(p->names);
	free(p->tasks);
	free(p->items);
	free(p->mails);
	memset(p, 0, sizeof(*p));
}
