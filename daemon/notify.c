/*
 * notify — see notify.h.
 *
 * The scheduler decides, this file records and gathers. Planning and
 * composing are apart because a province's catch-up is hundreds of
 * thousands of occurrences, decided in many batches: if each batch built
 * its own digests, an agency would get one message per batch. The ledger's
 * pending rows carry what was decided from tick to tick (and across a
 * restart); composing reads them all at once.
 *
 * Within a tick (one transaction) the rows its rounds decide stay in
 * memory: those a digest carries are written once, already claimed by it,
 * not written pending and then updated (at start-up on a large portfolio,
 * that is most rows, and the update was a sixth of the time to READY).
 */
#include "notify.h"

#include "compose.h"
#include "date.h"
#include "log.h"
#include "planner.h"
#include "scheduler.h"
#include "sync.h"
#include "util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void notify_compose_times(const struct cal *cal, const time_t *decided, size_t n, time_t last_mail,
                          time_t *compose)
{
	time_t open = TF_NONE; /* the message being filled */

	for (size_t i = 0; i < n; i++) {
		if (open != TF_NONE && decided[i] <= open) {
			compose[i] = open;
			continue;
		}
		time_t at = decided[i];
		if (last_mail != TF_NONE && date_local_days(last_mail, cal->tz_offset) ==
		                                date_local_days(at, cal->tz_offset))
			at = cal_send_next_day(cal, at);
		compose[i] = open = last_mail = at;
		/* Whatever was decided by then goes in the same message. */
	}
}

/* ---- a tick: its rounds and the pending rows they decided ------------------------ */

/* A pending row with what composing needs; `stored`: the ledger has it (an
 * earlier tick's), else it is this tick's, written by notify_end. */
struct pending {
	struct store_note note;
	int64_t task_id;
	time_t due;
	char holder[64]; /* who holds the duty today: the recipient */
	enum sched_role role;
	enum sched_kind kind;
	bool stored;
};

struct notify_tick {
	struct notify_env env;
	time_t now;
	int64_t today;
	bool planned; /* the last round left nothing to decide */
	struct pending *v;
	size_t n, cap;
};

static struct pending *pending_push(struct notify_tick *t)
{
	if (t->n == t->cap)
		t->v = xrealloc(t->v, (t->cap = 2 * t->cap + 256) * sizeof(*t->v));
	struct pending *p = &t->v[t->n++];
	memset(p, 0, sizeof(*p));
	return p;
}

struct notify_tick *notify_begin(const struct notify_env *env, time_t now)
{
	struct notify_tick *t = xcalloc(1, sizeof(*t));

	t->env = *env;
	t->now = now;
	t->today = date_local_days(now, env->cfg->tz_offset);
	return t;
}

void notify_free(struct notify_tick *t)
{
	if (t) {
		free(t->v);
		free(t);
	}
}

/* ---- caches: the tasks and plans a round touches ------------------------------ */

struct task_slot {
	struct task task;
	time_t max_due; /* of its stored occurrences; TF_NONE until asked */
	bool loaded, asked;
};

struct plan_slot {
	struct store_plan sp;
	struct planner_plan pp;
};

struct round {
	struct notify_tick *tick;
	const struct notify_env *env;
	time_t now;
	int64_t today;
	/* By id, open addressing; slots are allocated one by one, so a task
	 * stays where it is while the planner and digests point into it. */
	struct task_slot **tasks;
	size_t cap_tasks, n_tasks;
	struct plan_slot *plans;
	size_t n_plans;
	/* The planner's work for the task decided last: occurrences come in task order. */
	struct planner_occ po;
	int64_t po_task;
	/* What the batch decided, written at its end (flush): ledger rows in the
	 * order decided, and each occurrence's next look. Nothing in a batch reads
	 * them back: each occurrence is decided once, from the rows read before. */
	struct store_note *notes;
	size_t n_notes, cap_notes;
	struct store_next *next;
	size_t n_next, cap_next;
	struct notify_result *res;
};

static size_t slot_of_id(size_t cap, int64_t id)
{
	return (size_t)((uint64_t)id * 0x9E3779B97F4A7C15ULL >> 7) & (cap - 1);
}

static void tasks_grow(struct round *r)
{
	struct task_slot **old = r->tasks;
	size_t cap = r->cap_tasks;

	r->cap_tasks = cap ? 2 * cap : 1024;
	r->tasks = xcalloc(r->cap_tasks, sizeof(*r->tasks));
	for (size_t i = 0; i < cap; i++) {
		if (!old[i])
			continue;
		size_t k = slot_of_id(r->cap_tasks, old[i]->task.id);
		while (r->tasks[k])
			k = (k + 1) & (r->cap_tasks - 1);
		r->tasks[k] = old[i];
	}
	free(old);
}

/* Where the task of id is in the table, or the empty place it goes to. */
static struct task_slot **slot_for(struct round *r, int64_t id)
{
	if (2 * (r->n_tasks + 1) > r->cap_tasks)
		tasks_grow(r);
	size_t k = slot_of_id(r->cap_tasks, id);
	while (r->tasks[k] && r->tasks[k]->task.id != id)
		k = (k + 1) & (r->cap_tasks - 1);
	return &r->tasks[k];
}

/*
 * The tasks of ids not in the table yet, read together: two queries, not
 * two a task. Those not found are left to round_task, which notes them.
 */
static int prefetch(struct round *r, const int64_t *ids, size_t n)
{
	int64_t *want = xcalloc(n ? n : 1, sizeof(*want));
	struct task *v = NULL;
	size_t k = 0, got = 0;
	int rc = 0;

	for (size_t i = 0; i < n; i++)
		if (!*slot_for(r, ids[i]))
			want[k++] = ids[i];
	if (k)
		rc = store_tasks_get(r->env->st, want, k, &v, &got);
	for (size_t i = 0; i < got; i++) {
		struct task_slot **p = slot_for(r, v[i].id);
		*p = xcalloc(1, sizeof(**p));
		(*p)->task = v[i]; /* the slot owns it now */
		(*p)->loaded = true;
		r->n_tasks++;
	}
	free(v);
	free(want);
	return rc;
}

/* The task, loaded once per round; NULL if it is gone. */
static struct task_slot *round_task(struct round *r, int64_t id)
{
	struct task_slot **p = slot_for(r, id);

	if (*p)
		return (*p)->loaded ? *p : NULL;
	struct task_slot *s = *p = xcalloc(1, sizeof(*s));
	s->loaded = store_task_get(r->env->st, id, &s->task) == 1;
	if (!s->loaded) {
		task_free(&s->task);
		task_init(&s->task);
	}
	s->task.id = id; /* the slot is taken either way */
	r->n_tasks++;
	return s->loaded ? s : NULL;
}

static const struct plan_slot *round_plan(struct round *r, const char *id)
{
	for (size_t i = 0; i < r->n_plans; i++)
		if (!strcmp(r->plans[i].sp.id, id))
			return &r->plans[i];
	r->plans = xrealloc(r->plans, (r->n_plans + 1) * sizeof(*r->plans));
	struct plan_slot *p = &r->plans[r->n_plans++];
	time_t created = TF_NONE;
	int found = store_plan_get(r->env->st, id, &p->sp);
	store_plan_created(r->env->st, id, &created);
	if (found != 1) {
		memset(&p->sp, 0, sizeof(p->sp));
		p->sp.id = xstrdup(id);
	}
	planner_plan_of(found == 1 ? &p->sp : NULL, created, r->env->cfg->tz_offset, &p->pp);
	return p;
}

static void round_free(struct round *r)
{
	for (size_t i = 0; i < r->cap_tasks; i++)
		if (r->tasks[i]) {
			task_free(&r->tasks[i]->task);
			free(r->tasks[i]);
		}
	for (size_t i = 0; i < r->n_plans; i++)
		store_plan_free(&r->plans[i].sp);
	free(r->tasks);
	free(r->plans);
	free(r->notes);
	free(r->next);
	if (r->po_task)
		planner_occ_free(&r->po);
}

/* ---- planning ------------------------------------------------------------------- */

static void to_store_note(const struct sched_note *n, int64_t occurrence, struct store_note *out)
{
	memset(out, 0, sizeof(*out));
	out->occurrence_id = occurrence;
	util_strlcpy(out->agency, n->agency, sizeof(out->agency));
	util_strlcpy(out->step, n->step, sizeof(out->step));
	util_strlcpy(out->kind, sched_kind_name(n->kind), sizeof(out->kind));
	util_strlcpy(out->role, sched_role_name(n->role), sizeof(out->role));
	out->planned_at = n->at;
}

/* The scheduler's skipped notes of one occurrence, for flush(). */
static void record(struct round *r, const struct sched_note *v, size_t n, int64_t occurrence,
                   enum store_note_state state)
{
	for (size_t i = 0; i < n; i++) {
		if (r->n_notes == r->cap_notes)
			r->notes = xrealloc(r->notes, (r->cap_notes = 2 * r->cap_notes + 1024) *
			                                  sizeof(*r->notes));
		struct store_note *note = &r->notes[r->n_notes++];
		to_store_note(&v[i], occurrence, note);
		note->state = state;
	}
}

/* The notifications due now, kept for composing: see struct notify_tick. */
static void carry(struct notify_tick *t, const struct sched_note *v, size_t n,
                  const struct store_occ *o)
{
	for (size_t i = 0; i < n; i++) {
		struct pending *p = pending_push(t);
		to_store_note(&v[i], o->id, &p->note);
		p->note.state = NOTE_PENDING;
		p->task_id = o->task_id;
		p->due = o->due;
		p->role = v[i].role;
		p->kind = v[i].kind;
	}
}

/* When the occurrence is looked at again (TF_NONE: never), for flush(). */
static void set_next(struct round *r, int64_t occurrence, time_t next_at)
{
	if (r->n_next == r->cap_next)
		r->next =
		    xrealloc(r->next, (r->cap_next = 2 * r->cap_next + 1024) * sizeof(*r->next));
	r->next[r->n_next++] = (struct store_next){occurrence, next_at};
}

/* The batch's ledger rows and next looks, into the store. */
static int flush(struct round *r)
{
	int rc = store_notes_insert(r->env->st, r->notes, r->n_notes, r->now, false);

	if (rc == 0)
		rc = store_occ_set_next_many(r->env->st, r->next, r->n_next);
	r->n_notes = r->n_next = 0;
	return rc;
}

/*
 * A recurring duty grows occurrences as time goes by: when its latest one
 * is decided (its first reminder is the cue), those due after it are made.
 */
static int grow(struct round *r, struct task_slot *ts, const struct plan_slot *ps, time_t due)
{
	int made = 0;

	if (!ts->asked) {
		ts->asked = true;
		if (store_occ_max_due(r->env->st, ts->task.id, &ts->max_due) < 0)
			return -1;
	}
	if (due < ts->max_due)
		return 0;
	if (sync_occurrences_after(r->env->st, &ts->task, &ps->pp, r->env->cfg->tz_offset, r->now,
	                           ts->max_due, &made) < 0)
		return -1;
	ts->asked = false; /* a new latest one */
	return 0;
}

/* One occurrence: ask the scheduler, record what is due, skipped or missed. */
static int decide(const struct store_occ *o, void *arg)
{
	struct round *r = arg;
	struct store *st = r->env->st;
	struct task_slot *ts = round_task(r, o->task_id);
	struct store_note *ledger;
	size_t n_ledger;

	r->res->processed++;
	if (!ts) {
		set_next(r, o->id, TF_NONE);
		return 0;
	}
	const struct task *t = &ts->task;
	const struct plan_slot *ps = round_plan(r, t->plan_id);
	if (r->po_task != t->id) {
		if (r->po_task)
			planner_occ_free(&r->po);
		planner_prepare(r->env->dir, t, &ps->pp, o->due, o->status, NULL, 0, r->now,
		                &r->po);
		r->po_task = t->id;
	}
	ledger = NULL;
	n_ledger = 0;
	if (o->has_ledger && store_ledger(st, o->id, &ledger, &n_ledger) < 0)
		return -1;
	struct sched_done *done = xcalloc(n_ledger + 1, sizeof(*done));
	for (size_t i = 0; i < n_ledger; i++)
		done[i] = (struct sched_done){ledger[i].agency, ledger[i].step};
	planner_retarget(r->env->dir, &r->po, t, o->due, o->status, done, n_ledger, r->now);
	struct sched_out out;
	sched_decide(&r->po.in, r->now, &out);
	int rc = 0;
	record(r, out.skip, out.n_skip, o->id, NOTE_SKIPPED);
	carry(r->tick, out.send, out.n_send, o);
	r->res->notifications += (int)out.n_send;
	if (out.missed)
		rc = store_occ_set_status(st, o->id, TASK_MISSED);
	set_next(r, o->id, out.missed ? TF_NONE : out.next_at);
	if (rc == 0 && tf_recurring(t->kind))
		rc = grow(r, ts, ps, o->due);
	sched_out_free(&out);
	free(done);
	free(ledger);
	return rc;
}

/* ---- composing ------------------------------------------------------------------ */

static int on_pending(const struct store_pending *sp, void *arg)
{
	struct pending *p = pending_push(arg);

	p->note = sp->note;
	p->task_id = sp->task_id;
	p->due = sp->due;
	p->role = sched_role_parse(sp->note.role);
	p->kind = sched_kind_parse(sp->note.kind);
	p->stored = true;
	return 0;
}

/* By recipient, then occurrence and step: preview's order within a message. */
static int cmp_pending(const void *a, const void *b)
{
	const struct pending *x = a, *y = b;
	int c = strcmp(x->holder, y->holder);

	if (c)
		return c;
	if (x->note.occurrence_id != y->note.occurrence_id)
		return (x->note.occurrence_id > y->note.occurrence_id) -
		       (x->note.occurrence_id < y->note.occurrence_id);
	if ((c = strcmp(x->note.step, y->note.step)))
		return c;
	return strcmp(x->note.agency, y->note.agency);
}

/* A queued digest in the journal: its agency, its Message-ID, each task and plan it is about. */
static void log_queued(const struct digest_item *items, size_t n, const char *holder,
                       const struct digest_msg *d, const char *message_id)
{
	const char **tasks = xcalloc(n ? n : 1, sizeof(*tasks));
	const char **plans = xcalloc(n ? n : 1, sizeof(*plans));

	for (size_t i = 0; i < n; i++) {
		tasks[i] = items[i].task->key;
		plans[i] = items[i].task->plan_id;
	}
	log_fields(LOG_INFO,
	           &(struct log_about){.agency = holder,
	                               .message_id = message_id,
	                               .tasks = tasks,
	                               .plans = plans,
	                               .n_tasks = n},
	           "%s for %s <%s>: %zu task%s, %s", sched_kind_name(d->kind), d->to_name,
	           d->to.v[0], n, n == 1 ? "" : "s", d->subject);
	free(tasks);
	free(plans);
}

/* The threads this recipient can follow: only mail it was actually sent. */
static char (*threads(struct round *r, const char *holder, const struct pending *p, size_t n))[256]
{
	char(*prev)[256] = xcalloc(n, sizeof(*prev));
	bool any = false;

	if (store_sent_to(r->env->st, holder, &any) < 0 || !any)
		return prev;
	for (size_t i = 0; i < n; i++)
		if (i == 0 || p[i].note.occurrence_id != p[i - 1].note.occurrence_id)
			store_thread_last(r->env->st, p[i].note.occurrence_id, holder, prev[i],
			                  sizeof(prev[i]));
		else
			memcpy(prev[i], prev[i - 1], sizeof(prev[i]));
	return prev;
}

/* The agencies whose stored pending rows a holder's message carries (a holder
 * and its predecessors). */
static size_t agencies_of(const struct pending *p, size_t n, const char **out)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		bool seen = !p[i].stored;
		for (size_t j = 0; j < k && !seen; j++)
			seen = !strcmp(out[j], p[i].note.agency);
		if (!seen)
			out[k++] = p[i].note.agency;
	}
	return k;
}

/* A holder's rows, claimed by its message (message 0: failed): the ledger's
 * own by their agencies, this tick's when notify_end writes them. */
static int claim(struct round *r, struct pending *p, size_t n, enum store_note_state state,
                 int64_t message)
{
	const char **agencies = xcalloc(n + 1, sizeof(*agencies));
	size_t k = agencies_of(p, n, agencies);
	int64_t claimed;
	int rc = k ? store_pending_claim(r->env->st, agencies, k, state, message, &claimed) : 0;

	for (size_t i = 0; i < n; i++)
		if (!p[i].stored) {
			p[i].note.state = state;
			p[i].note.message = message;
		}
	free(agencies);
	return rc;
}

/* One holder's digest, built and queued with its rows. 1 if queued, 0 if not, -1 on error. */
static int queue_digest(struct round *r, struct pending *p, size_t n)
{
	const struct notify_env *env = r->env;
	struct digest_item *items = xcalloc(n, sizeof(*items));
	char(*prev)[256] = threads(r, p[0].holder, p, n);
	struct digest_msg d;
	struct store_message m = {0};
	size_t k = 0;
	int rc = 0;

	for (size_t i = 0; i < n; i++) {
		struct task_slot *ts = round_task(r, p[i].task_id);
		if (!ts)
			continue; /* a task deleted meanwhile: its rows go with the message */
		const struct plan_slot *ps = round_plan(r, ts->task.plan_id);
		items[k++] = (struct digest_item){.task = &ts->task,
		                                  .plan_title = ps->sp.title,
		                                  .plan_issued = ps->sp.issued,
		                                  .monitor = ps->pp.monitor,
		                                  .occurrence_id = p[i].note.occurrence_id,
		                                  .due = p[i].due,
		                                  .original_due = TF_NONE,
		                                  .role = p[i].role,
		                                  .kind = p[i].kind,
		                                  .step = p[i].note.step,
		                                  .assigned = p[i].note.agency,
		                                  .prev_msgid = prev[i]};
		/* A gia hạn: the row's due is the new deadline. */
		if (ts->task.extended_due != TF_NONE && p[i].due == ts->task.due)
			items[k - 1].due = ts->task.extended_due,
			          items[k - 1].original_due = p[i].due;
	}
	digest_build(env->tpl, env->dir, p[0].holder, items, k, r->now, compose_domain(env->cfg),
	             &d);
	if (d.to.n == 0 || k == 0) {
		log_fields(LOG_WARNING, &(struct log_about){.agency = p[0].holder},
		           "%s has no email address: %zu notifications recorded as failed",
		           p[0].holder, n);
		rc = claim(r, p, n, NOTE_FAILED, 0);
		goto out;
	}
	m.message_id = compose_message_id(env->cfg, r->now);
	struct buf text = BUF_INIT;
	char err[256];
	if (compose_digest(env->cfg, &d, p[0].holder, m.message_id, r->now, &text, err,
	                   sizeof(err)) < 0) {
		log_fields(LOG_WARNING, &(struct log_about){.agency = p[0].holder},
		           "cannot compose a message to %s: %s", d.to_name, err);
		buf_free(&text);
		rc = claim(r, p, n, NOTE_FAILED, 0);
		goto out;
	}
	m.body_len = text.len;
	m.body = buf_steal(&text);
	m.recipient = xstrdup(p[0].holder);
	m.rcpt = compose_envelope(&d);
	m.subject = xstrdup(d.subject);
	m.kind = xstrdup(sched_kind_name(d.kind));
	/* The message, then every pending row of its agencies claimed by it: one
	 * transaction (the caller's), so both are there or neither. */
	bool queued;
	int qrc = store_message_queue(env->st, &m, NULL, 0, r->now, &queued);
	if (qrc == 0)
		qrc = claim(r, p, n, NOTE_QUEUED, m.id);
	if (qrc < 0) {
		rc = -1;
	} else if (queued) {
		rc = 1;
		log_queued(items, k, p[0].holder, &d, m.message_id);
	}
out:
	store_message_free(&m);
	digest_msg_free(&d);
	free(prev);
	free(items);
	return rc;
}

/*
 * After the sort, one row twice (the same key) is kept once, the ledger's.
 * The scheduler, told what the ledger holds, does not repeat a step; this
 * is the guard the ledger's key was when every row was written at once.
 */
static size_t unique(struct pending *v, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		if (k && !cmp_pending(&v[k - 1], &v[i])) {
			if (v[i].stored)
				v[k - 1] = v[i];
			continue;
		}
		v[k++] = v[i];
	}
	return k;
}

/* Every pending row, the ledger's and this tick's: one digest per holder
 * not yet written to today. */
static int compose(struct round *r)
{
	struct notify_tick *t = r->tick;
	int rc = store_pending(r->env->st, on_pending, t);

	for (size_t i = 0; i < t->n; i++)
		util_strlcpy(t->v[i].holder, dir_holder(r->env->dir, t->v[i].note.agency, r->today),
		             sizeof(t->v[i].holder));
	if (rc == 0 && t->n) {
		int64_t *ids = xcalloc(t->n, sizeof(*ids));
		for (size_t i = 0; i < t->n; i++)
			ids[i] = t->v[i].task_id;
		rc = prefetch(r, ids, t->n);
		free(ids);
		qsort(t->v, t->n, sizeof(*t->v), cmp_pending);
		t->n = unique(t->v, t->n);
	}
	for (size_t i = 0, j; rc == 0 && i < t->n; i = j) {
		for (j = i + 1; j < t->n && !strcmp(t->v[j].holder, t->v[i].holder); j++)
			;
		time_t last;
		if ((rc = store_last_message_at(r->env->st, t->v[i].holder, &last)) < 0)
			break;
		if (last != TF_NONE && date_local_days(last, r->env->cfg->tz_offset) == r->today) {
			r->res->held += (int)(j - i);
			continue;
		}
		int q = queue_digest(r, &t->v[i], j - i);
		if (q < 0)
			rc = -1;
		r->res->messages += q > 0;
	}
	return rc;
}

/* One batch of due occurrences, decided in order, their tasks read first. */
static int plan(struct round *r)
{
	struct store_occ *v;
	size_t n;
	int rc = store_occ_due_list(r->env->st, r->now, NOTIFY_BATCH, &v, &n);

	if (rc == 0 && n) {
		int64_t *ids = xcalloc(n, sizeof(*ids));
		for (size_t i = 0; i < n; i++)
			ids[i] = v[i].task_id;
		rc = prefetch(r, ids, n);
		free(ids);
	}
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = decide(&v[i], r);
	if (rc == 0)
		rc = flush(r);
	free(v);
	return rc;
}

static struct round round_of(struct notify_tick *t, struct notify_result *out)
{
	memset(out, 0, sizeof(*out));
	return (struct round){
	    .tick = t, .env = &t->env, .now = t->now, .today = t->today, .res = out};
}

static int cmp_key(const void *a, const void *b)
{
	const struct store_note *x = &((const struct pending *)a)->note;
	const struct store_note *y = &((const struct pending *)b)->note;
	int c;

	if (x->occurrence_id != y->occurrence_id)
		return (x->occurrence_id > y->occurrence_id) -
		       (x->occurrence_id < y->occurrence_id);
	if ((c = strcmp(x->agency, y->agency)))
		return c;
	return strcmp(x->step, y->step);
}

/* This tick's rows that are (claimed) or are not (pending) claimed by a
 * message, into the ledger a chunk at a time: no second copy of them all. */
static int write_some(const struct notify_tick *t, bool claimed)
{
	enum { CHUNK = 1024 };
	struct store_note *chunk = xcalloc(CHUNK, sizeof(*chunk));
	size_t k = 0;
	int rc = 0;

	for (size_t i = 0; i <= t->n && rc == 0; i++) {
		if (k == CHUNK || (i == t->n && k)) {
			/* Rows a message carries must be new: else it goes without them. */
			rc = store_notes_insert(t->env.st, chunk, k, t->now, claimed);
			k = 0;
		}
		if (i < t->n && !t->v[i].stored && (t->v[i].note.state != NOTE_PENDING) == claimed)
			chunk[k++] = t->v[i].note;
	}
	free(chunk);
	return rc;
}

/* This tick's rows, each in its state, in the ledger's key order: inserted
 * in holder order they landed all over the table, at three times the cost. */
static int write_rows(struct notify_tick *t)
{
	if (t->n)
		qsort(t->v, t->n, sizeof(*t->v), cmp_key);
	int rc = write_some(t, true);
	if (rc == 0)
		rc = write_some(t, false);
	t->n = 0;
	return rc;
}

/* Whether this tick composes (planning done): `now` is in the sending window. */
static bool composes(const struct notify_tick *t)
{
	return cal_send_at_or_after(&t->env.cfg->cal, t->now) == t->now;
}

int notify_round(struct notify_tick *t, struct notify_result *out)
{
	struct round r = round_of(t, out);
	int rc = plan(&r);

	out->more = rc == 0 && out->processed == NOTIFY_BATCH;
	t->planned = rc == 0 && !out->more;
	/* Nothing to compose for: the rows need not wait in memory. */
	if (rc == 0 && !composes(t))
		rc = write_rows(t);
	round_free(&r);
	return rc;
}

int notify_end(struct notify_tick *t, struct notify_result *out)
{
	struct round r = round_of(t, out);
	int rc = 0;

	/* Compose once planning is done, and only in the sending window. */
	if (t->planned && composes(t))
		rc = compose(&r);
	if (rc == 0)
		rc = write_rows(t);
	round_free(&r);
	return rc;
}

int notify_next(const struct notify_env *env, time_t now, time_t *at)
{
	const struct cal *cal = &env->cfg->cal;
	bool any;

	*at = TF_NONE;
	if (store_pending_any(env->st, &any) < 0)
		return -1;
	if (any) {
		time_t open = cal_send_at_or_after(cal, now);
		/* In the window, what is left waits for its holder's next day. */
		*at = open > now ? open : cal_send_next_day(cal, now);
	}
	return 0;
}
