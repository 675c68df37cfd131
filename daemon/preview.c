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
#include "notify.h"
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
	uint8_t pending, role, kind; /* a pending row waits to be composed */
};

struct holder_memo {
	bool known;
	uint16_t holder;
	int64_t from, until; /* the local days it holds for */
};

struct plan_info {
	struct store_plan sp;
	struct planner_plan pp;
};

/*
 * One notification as the replay found it. All are held until they are
 * grouped (the emails are in time order, the replay goes task by task), so
 * an item is 16 bytes: what its occurrence's other items share is in an
 * occ_ref, its time and recipient are its pair's.
 */
struct item {
	uint32_t pair; /* (time, recipient): in run.pairs */
	uint32_t occ;  /* in run.occs */
	uint16_t agency, step;
	uint8_t role, kind;
};

struct occ_ref {
	int64_t id; /* negative: one the daemon has not created yet */
	time_t due;
	uint32_t task;
};

/* Distinct (time, recipient) pairs, each a key (time << 16 | name), with an id. */
struct buckets {
	uint64_t *keys;  /* by bucket id */
	uint32_t *slots; /* hash: bucket id + 1 */
	size_t n, cap;
};

#define STEPS_MEMO 4096 /* a year's distinct deadlines are a few thousand */

struct steps_memo {
	int n; /* -1: empty */
	uint32_t plan;
	enum tf_kind kind;
	time_t due;
	struct policy_step *steps;
};

struct run {
	struct store *st;
	const struct dir *d;
	time_t from, to;
	int tz;
	struct preview *out;
	preview_mail_cb cb;
	void *cb_arg;
	struct names names;
	struct plan_info *plans;
	size_t n_plans;
	uint32_t *task_plan; /* by task index: its plan in plans */
	uint8_t *is_holder;  /* by name: some item goes to it */
	size_t cap_holder;
	struct holder_memo *holders; /* by name */
	size_t cap_holders;
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
	struct item *items; /* every notification, as the replay found them */
	size_t cap_items;
	struct occ_ref *occs; /* what the items of each replayed occurrence share */
	size_t n_occs, cap_occs;
	struct buckets pairs;     /* the (time, recipient) pairs of the items */
	struct steps_memo *steps; /* STEPS_MEMO, direct-mapped */
	size_t done_rows;         /* where load_done found the occurrence's rows in ledger */
	int64_t virtual_ids;      /* occurrences not stored yet: -1, -2, … */
};

/* Plans are read while the snapshot is open, and only then. */
static const struct plan_info *plan_of(struct run *r, const char *id)
{
	for (size_t i = 0; i < r->n_plans; i++)
		if (!strcmp(r->plans[i].sp.id, id))
			return &r->plans[i];
	r->plans = xrealloc(r->plans, (r->n_plans + 1) * sizeof(*r->plans));
	struct plan_info *p = &r->plans[r->n_plans++];
	time_t created = TF_NONE;
	int found = store_plan_get(r->st, id, &p->sp);
	store_plan_created(r->st, id, &created);
	if (found != 1) {
		memset(&p->sp, 0, sizeof(p->sp));
		p->sp.id = xstrdup(id);
	}
	planner_plan_of(found == 1 ? &p->sp : NULL, created, r->tz, &p->pp);
	return p;
}

/*
 * Who holds an agency's duties on a day, by interned name: the answer only
 * changes at a successor's `since`, so it is kept with the days it holds for.
 */
static uint16_t holder_of(struct run *r, uint16_t agency, int64_t day)
{
	if (agency >= r->cap_holders) {
		size_t cap = 2 * (size_t)agency + 64;
		r->holders = xrealloc(r->holders, cap * sizeof(*r->holders));
		memset(r->holders + r->cap_holders, 0,
		       (cap - r->cap_holders) * sizeof(*r->holders));
		r->cap_holders = cap;
	}
	struct holder_memo *m = &r->holders[agency];
	if (m->known && day >= m->from && day < m->until)
		return m->holder;
	const struct cfg *c = dir_cfg(r->d);
	const struct cfg_agency *a = cfg_agency(c, r->out->names[agency]);
	const char *id = r->out->names[agency];
	int64_t from = INT64_MIN, until = INT64_MAX;
	for (size_t k = 0; a && a->successor && k < c->n_agencies; k++) {
		if (a->since > day) {
			until = a->since;
			break;
		}
		from = a->since;
		id = a->successor;
		a = cfg_agency(c, id);
	}
	uint16_t h = intern(&r->names, id);
	m = &r->holders[agency]; /* interning may grow nothing here, but stay safe */
	*m = (struct holder_memo){true, h, from, until};
	return h;
}

static uint32_t bucket_of(struct buckets *b, uint64_t key);

/* A name is 16 bits (MAX_NAMES); a time_t shifted by 16 stays far from overflow. */
static uint64_t pair_key(time_t at, uint16_t name)
{
	return ((uint64_t)at << 16) | name;
}

static void emit(struct run *r, uint32_t task, int64_t occurrence, const struct sched_note *n,
                 time_t at)
{
	struct preview *p = r->out;
	uint16_t agency = intern(&r->names, n->agency);
	uint16_t holder = holder_of(r, agency, date_local_days(at, r->tz));
	time_t due = r->po->in.due;
	const struct occ_ref *o = r->n_occs ? &r->occs[r->n_occs - 1] : NULL;

	/* An occurrence's items are emitted together: only the last ref can be theirs. */
	if (!o || o->id != occurrence || o->due != due || o->task != task) {
		if (r->n_occs == UINT32_MAX)
			fatal("preview: more than %u occurrences", UINT32_MAX);
		if (r->n_occs == r->cap_occs)
			r->occs = xrealloc(r->occs, (r->cap_occs = 2 * r->cap_occs + 4096) *
			                                sizeof(*r->occs));
		r->occs[r->n_occs++] = (struct occ_ref){occurrence, due, task};
	}
	if (p->n_items == r->cap_items)
		r->items =
		    xrealloc(r->items, (r->cap_items = r->cap_items ? 2 * r->cap_items : 4096) *
		                           sizeof(*r->items));
	r->items[p->n_items++] = (struct item){
	    .pair = bucket_of(&r->pairs, pair_key(at, holder)),
	    .occ = (uint32_t)(r->n_occs - 1),
	    .agency = agency,
	    .step = intern(&r->names, n->step),
	    .role = (uint8_t)n->role,
	    .kind = (uint8_t)n->kind,
	};
	if (holder >= r->cap_holder) {
		size_t cap = 2 * (size_t)holder + 64;
		r->is_holder = xrealloc(r->is_holder, cap);
		memset(r->is_holder + r->cap_holder, 0, cap - r->cap_holder);
		r->cap_holder = cap;
	}
	r->is_holder[holder] = 1;
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

/*
 * An occurrence's steps depend only on its policy, kind and deadline, and a
 * task without a policy of its own has its plan's (cfg_policy): such tasks
 * of one plan share them. Computing them was a tenth of a year's replay.
 */
static int occ_steps(struct run *r, const struct task *t, uint32_t ti, struct policy_step *steps,
                     int max)
{
	const struct sched_in *in = &r->po->in;

	if (t->policy)
		return policy_steps(in->policy, in->cal, in->kind, in->due, steps, max);
	uint32_t plan = r->task_plan[ti];
	uint64_t h = ((uint64_t)in->due * 0x9E3779B97F4A7C15ULL) ^ ((uint64_t)plan << 8) ^
	             (uint64_t)in->kind;
	struct steps_memo *m = &r->steps[(h ^ (h >> 29)) & (STEPS_MEMO - 1)];
	if (m->n < 0 || m->plan != plan || m->kind != in->kind || m->due != in->due) {
		m->n = policy_steps(in->policy, in->cal, in->kind, in->due, steps, max);
		m->steps = xrealloc(m->steps, ((size_t)m->n + 1) * sizeof(*m->steps));
		memcpy(m->steps, steps, (size_t)m->n * sizeof(*steps));
		m->plan = plan, m->kind = in->kind, m->due = in->due;
		return m->n;
	}
	memcpy(steps, m->steps, (size_t)m->n * sizeof(*steps));
	return m->n;
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
			n_steps = occ_steps(r, t, ti, steps, (int)UTIL_NELEM(steps));
		in->steps = steps;
		in->n_steps = n_steps;
		sched_decide(in, now, &out);
		if (out.missed) {
			sched_out_free(&out);
			break;
		}
		for (size_t i = 0; i < out.n_send; i++)
			emit(r, ti, occurrence, &out.send[i], now);
		n_done = remember(r, n_done, out.send, out.n_send);
		n_done = remember(r, n_done, out.skip, out.n_skip);
		time_t next = out.next_at;
		sched_out_free(&out);
		now = next != TF_NONE && next <= now ? now + 1 : next;
	}
}

/*
 * The rows the daemon has decided but not yet composed go out at its next
 * sending moment, as the daemon's compose step would send them.
 */
static void emit_pending(struct run *r, uint32_t task, int64_t occurrence, size_t n_done)
{
	time_t at = cal_send_at_or_after(&dir_cfg(r->d)->cal, r->from);

	for (size_t i = 0; i < n_done; i++) {
		const struct ledger_row *row = &r->ledger[r->done_rows + i];
		if (!row->pending || at > r->to)
			continue;
		struct sched_note n = {.agency = r->out->names[row->agency],
		                       .role = (enum sched_role)row->role,
		                       .kind = (enum sched_kind)row->kind};
		util_strlcpy(n.step, r->out->names[row->step], sizeof(n.step));
		emit(r, task, occurrence, &n, at);
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
	r->done_rows = lo;
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
	const struct plan_info *plan = &r->plans[r->task_plan[ti]];
	time_t ends[2] = {r->from, r->to};

	planner_prepare(r->d, t, &plan->pp, TF_NONE, TASK_OPEN, NULL, 0, r->from, r->po);
	r->n_dues = 0;
	for (size_t i = 0; i < n_stored; i++) {
		add_due(r, stored[i].due);
		if (task_status_final(stored[i].status))
			continue;
		size_t n_done = load_done(r, stored[i].id);
		r->po->in.due = stored[i].due; /* what emit records */
		r->po->original_due = TF_NONE;
		if (t->extended_due != TF_NONE && stored[i].due == t->due)
			r->po->in.due = t->extended_due, r->po->original_due = stored[i].due;
		emit_pending(r, (uint32_t)ti, stored[i].id, n_done);
		replay(r, t, (uint32_t)ti, stored[i].id, stored[i].due, stored[i].status, n_done);
	}
	for (int e = 0; e < 2; e++) {
		size_t n =
		    planner_occurrences(t, r->tz, &plan->pp, ends[e], r->virt, MAX_OCCURRENCES);
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
	r->ledger[r->n_ledger++] = (struct ledger_row){n->occurrence_id,
	                                               intern(&r->names, n->agency),
	                                               intern(&r->names, n->step),
	                                               n->state == NOTE_PENDING,
	                                               (uint8_t)sched_role_parse(n->role),
	                                               (uint8_t)sched_kind_parse(n->kind)};
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

	if (store_task_load_all(r->st, &p->tasks, &p->n_tasks) < 0)
		return -1;
	r->task_plan = xcalloc(p->n_tasks + 1, sizeof(*r->task_plan));
	for (size_t i = 0; i < p->n_tasks; i++)
		r->task_plan[i] = (uint32_t)(plan_of(r, p->tasks[i].plan_id) - r->plans);
	r->by_id = xcalloc(p->n_tasks + 1, sizeof(*r->by_id));
	for (size_t i = 0; i < p->n_tasks; i++)
		r->by_id[i] = i;
	qsort_r(r->by_id, p->n_tasks, sizeof(*r->by_id), cmp_task_id, p->tasks);
	return 0;
}

/* ---- grouping into emails ------------------------------------------------------------ */

/*
 * Millions of items share a few thousand (time, recipient) pairs: each is
 * given its pair's id as it is emitted, so the emails are a counting sort
 * of the items by pair, never a comparison sort of the items.
 */
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

static void buckets_free(struct buckets *b)
{
	free(b->keys);
	free(b->slots);
	memset(b, 0, sizeof(*b));
}

static time_t pair_at(uint64_t key)
{
	return (time_t)(key >> 16);
}

static uint16_t pair_name(uint64_t key)
{
	return (uint16_t)(key & UINT16_MAX);
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

/* The pairs in sending order: by time, then recipient (by name, as the daemon's tick). */
static uint32_t *pair_order(const struct buckets *b, const uint32_t *rank)
{
	uint64_t *sorted = xcalloc(b->n + 1, sizeof(*sorted));
	uint32_t *order = xcalloc(b->n + 1, sizeof(*order));

	for (uint32_t i = 0; i < b->n; i++) {
		/* A rank is below MAX_NAMES: it takes the name's 16 bits. */
		sorted[i] = pair_key(pair_at(b->keys[i]), (uint16_t)rank[pair_name(b->keys[i])]);
		order[i] = i;
	}
	qsort_r(order, b->n, sizeof(*order), cmp_u64_at, sorted);
	free(sorted);
	return order;
}

/*
 * The daemon's one-a-day rule (notify_compose_times) over the pairs of
 * each holder, in time order: a pair whose holder already had a message
 * that day moves to the next day's sending moment. Returns each pair's
 * moment, or NULL when none moved.
 */
static time_t *compose_times(const struct preview *p, const struct cal *cal,
                             const time_t *last_mail, const struct buckets *b,
                             const uint32_t *order)
{
	size_t *first = xcalloc(p->n_names + 1, sizeof(*first));
	uint32_t *by_holder = xcalloc(b->n + 1, sizeof(*by_holder));
	time_t *decided = xcalloc(b->n + 1, sizeof(*decided));
	time_t *compose = xcalloc(b->n + 1, sizeof(*compose));
	time_t *moved = xcalloc(b->n + 1, sizeof(*moved));
	bool any = false;

	/* The pairs grouped by holder, each group in time order (a counting sort). */
	for (size_t i = 0; i < b->n; i++)
		first[pair_name(b->keys[i]) + 1]++;
	for (size_t h = 1; h <= p->n_names; h++)
		first[h] += first[h - 1];
	for (size_t i = 0; i < b->n; i++)
		by_holder[first[pair_name(b->keys[order[i]])]++] = order[i];
	for (size_t h = 0, from = 0; h < p->n_names; h++) {
		size_t end = first[h];
		for (size_t k = from; k < end; k++)
			decided[k] = pair_at(b->keys[by_holder[k]]);
		notify_compose_times(cal, decided + from, end - from, last_mail[h], compose + from);
		for (size_t k = from; k < end; k++) {
			moved[by_holder[k]] = compose[k];
			any |= compose[k] != decided[k];
		}
		from = end;
	}
	free(compose);
	free(decided);
	free(by_holder);
	free(first);
	if (!any) {
		free(moved);
		return NULL;
	}
	return moved;
}

/* Some pairs wait for a later day: the items take the pairs of the moments they go out. */
static void move_pairs(struct run *r, const time_t *moved)
{
	struct buckets b = {0};
	uint32_t *to = xcalloc(r->pairs.n + 1, sizeof(*to));

	for (size_t i = 0; i < r->pairs.n; i++)
		to[i] = bucket_of(&b, pair_key(moved[i], pair_name(r->pairs.keys[i])));
	for (size_t i = 0; i < r->out->n_items; i++)
		r->items[i].pair = to[r->items[i].pair];
	free(to);
	buckets_free(&r->pairs);
	r->pairs = b;
}

/* The items grouped into emails: for each, a range of item indexes. */
struct grouping {
	uint32_t *rank;  /* of each name: the daemon's order of recipients */
	uint32_t *order; /* the pairs in sending order */
	uint32_t *idx;   /* item indexes, email by email, each in the order found */
	size_t *end;     /* where each email's indexes end, in sending order */
	size_t n_mails;
};

static void grouping_free(struct grouping *g)
{
	free(g->rank);
	free(g->order);
	free(g->idx);
	free(g->end);
	memset(g, 0, sizeof(*g));
}

static void group_items(struct run *r, const struct cal *cal, const time_t *last_mail,
                        struct grouping *g)
{
	const struct preview *p = r->out;
	size_t n = r->pairs.n;

	g->rank = name_ranks(p);
	g->order = pair_order(&r->pairs, g->rank);
	time_t *moved = compose_times(p, cal, last_mail, &r->pairs, g->order);
	if (moved) {
		move_pairs(r, moved);
		free(moved);
		free(g->order);
		g->order = pair_order(&r->pairs, g->rank);
		n = r->pairs.n;
	}
	/* A stable counting sort of the items by their pair's place in sending order. */
	size_t *start = xcalloc(n + 1, sizeof(*start));
	for (size_t i = 0; i < p->n_items; i++)
		start[r->items[i].pair]++;
	g->end = xcalloc(n + 1, sizeof(*g->end));
	for (size_t i = 0, at = 0; i < n; i++) {
		size_t count = start[g->order[i]];
		start[g->order[i]] = at;
		at += count;
		g->end[i] = at;
	}
	g->idx = xcalloc(p->n_items + 1, sizeof(*g->idx));
	for (size_t i = 0; i < p->n_items; i++)
		g->idx[start[r->items[i].pair]++] = (uint32_t)i;
	g->n_mails = n;
	free(start);
}

time_t preview_original_due(const struct preview *p, const struct preview_item *it)
{
	const struct task *t = &p->tasks[it->task];

	return t->extended_due != TF_NONE && it->due == t->extended_due && t->due != TF_NONE
	           ? t->due
	           : TF_NONE;
}

static void copy_list(struct cfg_list *dst, const struct cfg_list *src)
{
	dst->v = xcalloc(src->n ? src->n : 1, sizeof(*dst->v));
	for (size_t i = 0; i < src->n; i++)
		dst->v[i] = xstrdup(src->v[i]);
	dst->n = src->n;
}

/* One digest from the notes sent at one moment to one recipient. */
static int make_mail(struct run *r, const struct digest_templates *tpl,
                     const struct preview_item *it, size_t n)
{
	struct preview *p = r->out;
	struct digest_item *items = xcalloc(n, sizeof(*items));
	struct digest_msg d;
	const char *domain = strrchr(dir_cfg(r->d)->from_addr, '@');
	const char *holder = p->names[it[0].holder];

	for (size_t i = 0; i < n; i++) {
		const struct task *t = &p->tasks[it[i].task];
		const struct plan_info *plan = &r->plans[r->task_plan[it[i].task]];
		items[i] = (struct digest_item){.task = t,
		                                .plan_title = plan->sp.title,
		                                .plan_issued = plan->sp.issued,
		                                .monitor = plan->pp.monitor,
		                                .occurrence_id = it[i].occurrence,
		                                .due = it[i].due,
		                                .original_due = preview_original_due(p, &it[i]),
		                                .role = (enum sched_role)it[i].role,
		                                .kind = (enum sched_kind)it[i].kind,
		                                .step = p->names[it[i].step],
		                                .assigned = p->names[it[i].agency],
		                                .prev_msgid = ""};
	}
	digest_build_headers(tpl, r->d, holder, items, n, it[0].at,
	                     domain ? domain + 1 : "localhost", &d);
	free(items);
	struct preview_mail one = {.at = it[0].at,
	                           .holder = holder,
	                           .kind = d.kind,
	                           .subject = d.subject,
	                           .to = d.to,
	                           .cc = d.cc,
	                           .items = it,
	                           .n_items = n};
	p->n_mails++;
	if (r->cb) {
		int rc = r->cb(p, &one, r->cb_arg);
		digest_msg_free(&d);
		return rc;
	}
	struct preview_mail *m = &p->mails[p->n_mails - 1];
	*m = one;
	m->subject = xstrdup(d.subject);
	copy_list(&m->to, &d.to);
	copy_list(&m->cc, &d.cc);
	digest_msg_free(&d);
	return 0;
}

static int make_mails(struct run *r, const struct digest_templates *tpl, const struct grouping *g)
{
	struct preview *p = r->out;
	struct preview_item *one = NULL;
	size_t cap = 0;
	int rc = 0;

	if (!r->cb)
		p->mails = xcalloc(g->n_mails + 1, sizeof(*p->mails));
	for (size_t k = 0, from = 0; rc == 0 && k < g->n_mails; from = g->end[k++]) {
		size_t n = g->end[k] - from;
		if (n > cap)
			one = xrealloc(one, (cap = 2 * n) * sizeof(*one));
		uint64_t pair = r->pairs.keys[g->order[k]];
		for (size_t i = 0; i < n; i++) {
			const struct item *it = &r->items[g->idx[from + i]];
			const struct occ_ref *o = &r->occs[it->occ];
			one[i] = (struct preview_item){.at = pair_at(pair),
			                               .due = o->due,
			                               .occurrence = o->id,
			                               .task = o->task,
			                               .holder = pair_name(pair),
			                               .agency = it->agency,
			                               .step = it->step,
			                               .role = it->role,
			                               .kind = it->kind};
		}
		qsort_r(one, n, sizeof(*one), cmp_in_bucket, g->rank);
		rc = make_mail(r, tpl, one, n);
		if (!r->cb) { /* kept: the email owns its items */
			struct preview_mail *m = &p->mails[p->n_mails - 1];
			m->items = xcalloc(n, sizeof(*m->items));
			memcpy((struct preview_item *)m->items, one, n * sizeof(*one));
		}
	}
	free(one);
	return rc;
}

int preview_run(struct store *st, const struct dir *d, const struct digest_templates *tpl,
                time_t from, time_t to, preview_mail_cb cb, void *arg, struct preview *out)
{
	struct run r = {.st = st,
	                .d = d,
	                .from = from,
	                .to = to,
	                .tz = dir_cfg(d)->tz_offset,
	                .out = out,
	                .cb = cb,
	                .cb_arg = arg};
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
	r.steps = xcalloc(STEPS_MEMO, sizeof(*r.steps));
	for (size_t i = 0; i < STEPS_MEMO; i++)
		r.steps[i].n = -1;
	rc = load_tasks(&r);
	if (rc == 0)
		rc = store_ledger_live(st, on_ledger_row, &r);
	if (rc == 0)
		rc = store_occ_live(st, on_occurrence, &r);
	if (rc == 0)
		flush_group(&r, true);
	/* When each recipient last had a message: the daemon's one-a-day rule. */
	time_t *last_mail = xcalloc(out->n_names + 1, sizeof(*last_mail));
	for (size_t i = 0; i < out->n_names; i++) {
		last_mail[i] = TF_NONE;
		if (rc == 0 && i < r.cap_holder && r.is_holder[i])
			rc = store_last_message_at(st, out->names[i], &last_mail[i]);
	}
	if (own)
		store_commit(st); /* a read: nothing to fail but the lock's release */
	if (rc == 0) {
		struct grouping g = {0};
		group_items(&r, &dir_cfg(d)->cal, last_mail, &g);
		rc = make_mails(&r, tpl, &g);
		grouping_free(&g);
	}
	free(last_mail);
	free(r.is_holder);
	free(r.holders);
	free(r.task_plan);
	for (size_t i = 0; i < r.n_plans; i++)
		store_plan_free(&r.plans[i].sp);
	free(r.plans);
	free(r.by_id);
	free(r.group);
	free(r.ledger);
	free(r.done);
	free(r.po);
	free(r.virt);
	free(r.dues);
	free(r.names.slots);
	free(r.items);
	free(r.occs);
	buckets_free(&r.pairs);
	for (size_t i = 0; i < STEPS_MEMO; i++)
		free(r.steps[i].steps);
	free(r.steps);
	if (rc != 0)
		preview_free(out);
	return rc;
}

void preview_free(struct preview *p)
{
	for (size_t i = 0; i < p->n_tasks; i++)
		task_free(&p->tasks[i]);
	for (size_t i = 0; p->mails && i < p->n_mails; i++) {
		struct preview_mail *m = &p->mails[i];
		free(m->subject);
		for (size_t k = 0; k < m->to.n; k++)
			free(m->to.v[k]);
		for (size_t k = 0; k < m->cc.n; k++)
			free(m->cc.v[k]);
		free(m->to.v);
		free(m->cc.v);
		free((struct preview_item *)m->items);
	}
	for (size_t i = 0; i < p->n_names; i++)
		free(p->names[i]);
	free(p->names);
	free(p->tasks);
	free(p->mails);
	memset(p, 0, sizeof(*p));
}
