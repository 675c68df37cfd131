/*
 * notify — see notify.h.
 *
 * The scheduler decides, this file gathers: each occurrence due for a look
 * is decided on its own, and what is due is grouped by the agency that
 * holds the duties today (a successor after a reorganisation), so every
 * recipient gets one digest per round.
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

#define BATCH_OCCURRENCES 2000 /* per round; more is picked up right after */

/* A due notification, waiting to be grouped with others for the same recipient. */
struct pending {
	size_t task; /* index in tick.tasks */
	size_t plan; /* index in tick.plans */
	int64_t occurrence;
	time_t due, original_due, at;
	enum sched_role role;
	enum sched_kind kind;
	char agency[64]; /* assigned: the ledger key */
	char holder[64]; /* who holds the duties today: the recipient */
	char step[32];
	char prev[256];
};

struct tick {
	const struct notify_env *env;
	time_t now;
	struct task *tasks;
	size_t n_tasks;
	struct store_plan *plans;
	size_t n_plans;
	struct pending *p;
	size_t n;
	int processed;
	int messages;
};

static size_t tick_plan(struct tick *tk, const char *id)
{
	for (size_t i = 0; i < tk->n_plans; i++)
		if (!strcmp(tk->plans[i].id, id))
			return i;
	tk->plans = xrealloc(tk->plans, (tk->n_plans + 1) * sizeof(*tk->plans));
	struct store_plan *p = &tk->plans[tk->n_plans];
	if (store_plan_get(tk->env->st, id, p) != 1) {
		memset(p, 0, sizeof(*p));
		p->id = xstrdup(id);
	}
	return tk->n_plans++;
}

/* The task, loaded once per tick; SIZE_MAX if it is gone. */
static size_t tick_task(struct tick *tk, int64_t id)
{
	for (size_t i = 0; i < tk->n_tasks; i++)
		if (tk->tasks[i].id == id)
			return i;
	tk->tasks = xrealloc(tk->tasks, (tk->n_tasks + 1) * sizeof(*tk->tasks));
	if (store_task_get(tk->env->st, id, &tk->tasks[tk->n_tasks]) != 1)
		return SIZE_MAX;
	return tk->n_tasks++;
}

static void to_store_note(const struct sched_note *n, int64_t occurrence, struct store_note *out)
{
	memset(out, 0, sizeof(*out));
	out->occurrence_id = occurrence;
	util_strlcpy(out->agency, n->agency, sizeof(out->agency));
	util_strlcpy(out->step, n->step, sizeof(out->step));
	util_strlcpy(out->kind, sched_kind_name(n->kind), sizeof(out->kind));
	out->planned_at = n->at;
}

static int record_skipped(struct store *st, const struct sched_out *out, int64_t occurrence,
                          time_t now)
{
	int rc = 0;

	for (size_t i = 0; i < out->n_skip && rc == 0; i++) {
		struct store_note note;
		to_store_note(&out->skip[i], occurrence, &note);
		rc = store_notes_record(st, &note, 1, NOTE_SKIPPED, now);
	}
	return rc;
}

static void add_pending(struct tick *tk, size_t task, size_t plan, const struct store_occ *o,
                        const struct planner_occ *po, const struct sched_note *n)
{
	int64_t today = date_local_days(tk->now, tk->env->cfg->tz_offset);
	struct pending *p;

	tk->p = xrealloc(tk->p, (tk->n + 1) * sizeof(*tk->p));
	p = &tk->p[tk->n++];
	memset(p, 0, sizeof(*p));
	p->task = task;
	p->plan = plan;
	p->occurrence = o->id;
	p->due = po->in.due;
	p->original_due = po->original_due;
	p->at = n->at;
	p->role = n->role;
	p->kind = n->kind;
	util_strlcpy(p->agency, n->agency, sizeof(p->agency));
	util_strlcpy(p->holder, dir_holder(tk->env->dir, n->agency, today), sizeof(p->holder));
	util_strlcpy(p->step, n->step, sizeof(p->step));
	store_thread_last(tk->env->st, o->id, n->agency, p->prev, sizeof(p->prev));
}

/* One occurrence: ask the scheduler, record what it skips, keep what is due. */
static int decide(const struct store_occ *o, void *arg)
{
	struct tick *tk = arg;
	size_t ti = tick_task(tk, o->task_id);
	struct store_note *ledger;
	size_t n_ledger;

	tk->processed++;
	if (ti == SIZE_MAX)
		return store_occ_set_next(tk->env->st, o->id, TF_NONE);
	const struct task *t = &tk->tasks[ti];
	size_t pi = tick_plan(tk, t->plan_id);
	if (store_ledger(tk->env->st, o->id, &ledger, &n_ledger) < 0)
		return -1;
	struct planner_occ po;
	struct sched_out out;
	planner_prepare(tk->env->dir, t, tk->plans[pi].monitor, o->due, o->status, ledger, n_ledger,
	                tk->now, &po);
	sched_decide(&po.in, tk->now, &out);
	int rc = record_skipped(tk->env->st, &out, o->id, tk->now);
	for (size_t i = 0; i < out.n_send; i++)
		add_pending(tk, ti, pi, o, &po, &out.send[i]);
	if (rc == 0)
		rc = store_occ_set_next(tk->env->st, o->id, out.next_at);
	/* A recurring duty grows new occurrences as time goes by. */
	int made = 0;
	if (rc == 0 && tf_recurring(t->kind))
		rc = sync_occurrences(tk->env->st, t, tk->env->cfg->tz_offset, tk->now, &made);
	sched_out_free(&out);
	planner_occ_free(&po);
	free(ledger);
	return rc;
}

/* By recipient, then occurrence, step and assigned agency: the same order as preview. */
static int cmp_pending(const void *a, const void *b)
{
	const struct pending *x = a, *y = b;
	int c = strcmp(x->holder, y->holder);

	if (c)
		return c;
	if (x->occurrence != y->occurrence)
		return (x->occurrence > y->occurrence) - (x->occurrence < y->occurrence);
	if ((c = strcmp(x->step, y->step)))
		return c;
	return strcmp(x->agency, y->agency);
}

static void notes_of(const struct pending *p, size_t n, struct store_note *notes)
{
	for (size_t i = 0; i < n; i++) {
		memset(&notes[i], 0, sizeof(notes[i]));
		notes[i].occurrence_id = p[i].occurrence;
		util_strlcpy(notes[i].agency, p[i].agency, sizeof(notes[i].agency));
		util_strlcpy(notes[i].step, p[i].step, sizeof(notes[i].step));
		util_strlcpy(notes[i].kind, sched_kind_name(p[i].kind), sizeof(notes[i].kind));
		notes[i].planned_at = p[i].at;
	}
}

/* A queued digest in the journal: its agency, its Message-ID, each task and plan it is about. */
static void log_queued(const struct tick *tk, const struct pending *p, size_t n,
                       const struct digest_msg *d, const char *message_id)
{
	const char **tasks = xcalloc(n, sizeof(*tasks)), **plans = xcalloc(n, sizeof(*plans));

	for (size_t i = 0; i < n; i++) {
		tasks[i] = tk->tasks[p[i].task].key;
		plans[i] = tk->tasks[p[i].task].plan_id;
	}
	log_fields(LOG_INFO,
	           &(struct log_about){.agency = p[0].holder,
	                               .message_id = message_id,
	                               .tasks = tasks,
	                               .plans = plans,
	                               .n_tasks = n},
	           "%s for %s <%s>: %s", sched_kind_name(d->kind), d->to_name, d->to.v[0],
	           d->subject);
	free(tasks);
	free(plans);
}

/* One recipient's digest: built, queued with its ledger rows. Returns the outbox id or 0. */
static int64_t queue_digest(struct tick *tk, struct pending *p, size_t n)
{
	struct digest_item *items = xcalloc(n, sizeof(*items));
	struct store_note *notes = xcalloc(n, sizeof(*notes));
	struct digest_msg d;
	int64_t id = 0;

	for (size_t i = 0; i < n; i++)
		items[i] = (struct digest_item){&tk->tasks[p[i].task],
		                                tk->plans[p[i].plan].title,
		                                tk->plans[p[i].plan].issued,
		                                p[i].occurrence,
		                                p[i].due,
		                                p[i].original_due,
		                                p[i].role,
		                                p[i].kind,
		                                p[i].step,
		                                p[i].agency,
		                                p[i].prev};
	notes_of(p, n, notes);
	digest_build(tk->env->tpl, tk->env->dir, p[0].holder, items, n, tk->now,
	             compose_domain(tk->env->cfg), &d);
	struct store_message m = {0};
	if (d.to.n == 0) {
		log_fields(LOG_WARNING, &(struct log_about){.agency = p[0].holder},
		           "%s has no email address: %zu notifications recorded as failed",
		           p[0].holder, n);
		store_notes_record(tk->env->st, notes, n, NOTE_FAILED, tk->now);
		goto out;
	}
	m.message_id = compose_message_id(tk->env->cfg, tk->now);
	struct buf text = BUF_INIT;
	char err[256];
	if (compose_digest(tk->env->cfg, &d, p[0].holder, m.message_id, tk->now, &text, err,
	                   sizeof(err)) < 0) {
		log_fields(LOG_WARNING, &(struct log_about){.agency = p[0].holder},
		           "cannot compose a message to %s: %s", d.to_name, err);
		buf_free(&text);
		store_notes_record(tk->env->st, notes, n, NOTE_FAILED, tk->now);
		goto out;
	}
	m.body_len = text.len;
	m.body = buf_steal(&text);
	m.recipient = xstrdup(p[0].holder);
	m.rcpt = compose_envelope(&d);
	m.subject = xstrdup(d.subject);
	m.kind = xstrdup(sched_kind_name(d.kind));
	bool queued;
	if (store_message_queue(tk->env->st, &m, notes, n, tk->now, &queued) < 0)
		log_fields(LOG_WARNING, &(struct log_about){.agency = p[0].holder},
		           "queue message to %s: %s", p[0].holder, store_error(tk->env->st));
	else if (queued) {
		id = m.id;
		log_queued(tk, p, n, &d, m.message_id);
	}
out:
	store_message_free(&m);
	digest_msg_free(&d);
	free(notes);
	free(items);
	return id;
}

static void tick_free(struct tick *tk)
{
	for (size_t i = 0; i < tk->n_tasks; i++)
		task_free(&tk->tasks[i]);
	for (size_t i = 0; i < tk->n_plans; i++)
		store_plan_free(&tk->plans[i]);
	free(tk->tasks);
	free(tk->plans);
	free(tk->p);
}

int notify_round(const struct notify_env *env, time_t now, struct notify_result *out)
{
	struct tick tk = {.env = env, .now = now};
	int rc = store_occ_due(env->st, now, BATCH_OCCURRENCES, decide, &tk);

	if (rc == 0 && tk.n) {
		qsort(tk.p, tk.n, sizeof(*tk.p), cmp_pending);
		for (size_t i = 0, j; i < tk.n; i = j) {
			for (j = i + 1; j < tk.n && !strcmp(tk.p[j].holder, tk.p[i].holder); j++)
				;
			tk.messages += queue_digest(&tk, &tk.p[i], j - i) != 0;
		}
	}
	*out = (struct notify_result){.processed = tk.processed,
	                              .notifications = (int)tk.n,
	                              .messages = tk.messages,
	                              .more = tk.processed == BATCH_OCCURRENCES};
	tick_free(&tk);
	return rc;
}
