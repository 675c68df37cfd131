/*
 * engine — see engine.h.
 *
 * Division of labour (OpenSMTPD's): the scheduler decides, this file does
 * the I/O around the decision, the mail worker talks to the network. All
 * store writes happen here, in the loop thread. A message and the ledger
 * rows it carries are committed before the message is handed to the
 * worker, so a crash can duplicate at most the messages in flight and can
 * never lose one.
 */
#include "engine.h"

#include "cfg.h"
#include "ctl.h"
#include "ctlproto.h"
#include "date.h"
#include "digest.h"
#include "dir.h"
#include "log.h"
#include "loop.h"
#include "lunar.h"
#include "mail.h"
#include "mime.h"
#include "planner.h"
#include "scheduler.h"
#include "store.h"
#include "svc.h"
#include "sync.h"
#include "util.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BATCH_OCCURRENCES 2000 /* per tick; more is picked up right after */
#define BATCH_RETRIES     200
#define LEASE_SECONDS     3600 /* a message with the worker is not retried before this */
#define MAX_BACKOFF       (6 * 3600)

/* What the daemon runs on; replaced whole by a successful reload. */
struct config_set {
	struct cfg *cfg;
	struct dir *dir;
	struct digest_templates *tpl;
};

static struct engine {
	const struct engine_options *opt;
	struct config_set conf;
	char *db_path;
	struct store *st;
	struct mail *mail;
	struct loop_async *mail_wake;
	struct loop_timer *wake, *watchdog;
	struct loop_watch *watch;
	struct ctl *ctl;
	int lock_fd;        /* one daemon per database */
	int64_t *in_flight; /* with the worker, result not yet back: never handed twice */
	size_t n_in_flight;
	time_t skew; /* --now: the daemon's clock minus the real one */
	time_t next_wake, logged_wake;
	char last_result[512];
	time_t last_result_at;
	unsigned long delivered, failed;
	bool stopping;
} E;

static time_t engine_now(void)
{
	return (time_t)loop_wall() + E.skew;
}

static const char *iso(time_t t, char *buf, size_t len)
{
	if (t == TF_NONE)
		return "none";
	return date_format_iso(t, E.conf.cfg->tz_offset, buf, len);
}

/* ---- configuration ---------------------------------------------------------- */

static void config_free(struct config_set *c)
{
	digest_templates_free(c->tpl);
	dir_free(c->dir);
	cfg_free(c->cfg);
	memset(c, 0, sizeof(*c));
}

/* Loads everything a config consists of; on any error, nothing. */
static int config_load(const char *path, struct config_set *out, struct buf *errors)
{
	struct buf warnings = BUF_INIT;

	memset(out, 0, sizeof(*out));
	out->cfg = cfg_load(path, errors, &warnings);
	if (warnings.len)
		log_warnx("%s", buf_str(&warnings));
	buf_free(&warnings);
	if (!out->cfg)
		return -1;
	out->dir = dir_new(out->cfg);
	out->tpl = digest_templates_load(out->cfg->templates, out->cfg->language, errors);
	if (!out->tpl) {
		config_free(out);
		return -1;
	}
	return 0;
}

/* Stores the INI tasks; if planning rules changed, every occurrence is looked at again. */
static int config_sync(time_t now)
{
	struct sync_report r;
	char digest[17], stored[32];

	if (store_begin(E.st) < 0)
		return -1;
	if (sync_config(E.st, E.conf.dir, now, &r) < 0)
		goto fail;
	cfg_planning_digest(E.conf.cfg, digest);
	if (store_meta_get(E.st, "planning_digest", stored, sizeof(stored)) < 0)
		goto fail;
	if (strcmp(digest, stored) != 0) {
		if (stored[0])
			log_info("policy, calendar or directory changed: replanning");
		if (store_occ_replan_all(E.st, now) < 0 ||
		    store_meta_set(E.st, "planning_digest", digest) < 0)
			goto fail;
	}
	if (store_commit(E.st) < 0)
		goto fail;
	log_info("config tasks: %d (%d new, %d changed, %d removed, %d flagged), %d new "
	         "occurrences",
	         r.tasks, r.created, r.updated, r.removed, r.flagged, r.occurrences);
	return 0;
fail:
	store_rollback(E.st);
	log_warnx("config sync: %s", store_error(E.st));
	return -1;
}

/* ---- one wake-up: deciding ---------------------------------------------------- */

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
	if (store_plan_get(E.st, id, p) != 1) {
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
	if (store_task_get(E.st, id, &tk->tasks[tk->n_tasks]) != 1)
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

static int record_skipped(const struct sched_out *out, int64_t occurrence, time_t now)
{
	int rc = 0;

	for (size_t i = 0; i < out->n_skip && rc == 0; i++) {
		struct store_note note;
		to_store_note(&out->skip[i], occurrence, &note);
		rc = store_notes_record(E.st, &note, 1, NOTE_SKIPPED, now);
	}
	return rc;
}

static void add_pending(struct tick *tk, size_t task, size_t plan, const struct store_occ *o,
                        const struct planner_occ *po, const struct sched_note *n)
{
	int64_t today = date_local_days(tk->now, E.conf.cfg->tz_offset);
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
	util_strlcpy(p->holder, dir_holder(E.conf.dir, n->agency, today), sizeof(p->holder));
	util_strlcpy(p->step, n->step, sizeof(p->step));
	store_thread_last(E.st, o->id, n->agency, p->prev, sizeof(p->prev));
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
		return store_occ_set_next(E.st, o->id, TF_NONE);
	const struct task *t = &tk->tasks[ti];
	size_t pi = tick_plan(tk, t->plan_id);
	if (store_ledger(E.st, o->id, &ledger, &n_ledger) < 0)
		return -1;
	struct planner_occ po;
	struct sched_out out;
	planner_prepare(E.conf.dir, t, tk->plans[pi].monitor, o->due, o->status, ledger, n_ledger,
	                tk->now, &po);
	sched_decide(&po.in, tk->now, &out);
	int rc = record_skipped(&out, o->id, tk->now);
	for (size_t i = 0; i < out.n_send; i++)
		add_pending(tk, ti, pi, o, &po, &out.send[i]);
	if (rc == 0)
		rc = store_occ_set_next(E.st, o->id, out.next_at);
	/* A recurring duty grows new occurrences as time goes by. */
	int made = 0;
	if (rc == 0 && tf_recurring(t->kind))
		rc = sync_occurrences(E.st, t, E.conf.cfg->tz_offset, tk->now, &made);
	sched_out_free(&out);
	planner_occ_free(&po);
	free(ledger);
	return rc;
}

/* ---- one wake-up: writing ------------------------------------------------------ */

static const char *mail_domain(void)
{
	const char *at = strrchr(E.conf.cfg->from_addr, '@');

	return at ? at + 1 : "localhost";
}

/* <deadlined.20251208T080000.9f2c61d07a1b33e4@domain>, without the brackets. */
static char *new_message_id(time_t now)
{
	struct date_civil c;
	char id[320];

	date_split(now, 0, &c);
	snprintf(id, sizeof(id), "deadlined.%04d%02d%02dT%02d%02d%02d.%08x%08x@%s", c.year, c.month,
	         c.day, c.hour, c.minute, c.second, arc4random(), arc4random(), mail_domain());
	return xstrdup(id);
}

static void addr_list(const struct cfg_list *l, const char *name, struct mime_addr **out, size_t *n)
{
	*out = xcalloc(l->n ? l->n : 1, sizeof(**out));
	for (size_t i = 0; i < l->n; i++)
		(*out)[i] = (struct mime_addr){name, l->v[i]};
	*n = l->n;
}

/* The RFC 5322 text of a digest; NULL (logged) if an address is unusable. */
static char *compose(const struct digest_msg *d, const char *msgid, time_t now, size_t *len)
{
	const struct cfg *c = E.conf.cfg;
	struct mime_addr *to, *cc, reply = {c->reply_name, c->reply_addr};
	size_t n_to, n_cc;
	struct buf out = BUF_INIT;
	char err[256];

	addr_list(&d->to, d->to_name, &to, &n_to);
	addr_list(&d->cc, NULL, &cc, &n_cc);
	struct mime_msg m = {
	    .from = {c->from_name, c->from_addr},
	    .reply_to = c->reply_addr ? &reply : NULL,
	    .to = to,
	    .n_to = n_to,
	    .cc = cc,
	    .n_cc = n_cc,
	    .subject = d->subject,
	    .date = now,
	    .tz_offset = c->tz_offset,
	    .message_id = msgid,
	    .in_reply_to = d->in_reply_to,
	    .references = (const char *const *)d->references.v,
	    .n_references = d->references.n,
	    .text = d->text,
	    .html = d->html,
	    .language = c->language,
	};
	int rc = mime_build(&m, &out, err, sizeof(err));
	free(to);
	free(cc);
	if (rc < 0) {
		log_warnx("cannot compose a message to %s: %s", d->to_name, err);
		buf_free(&out);
		return NULL;
	}
	*len = out.len;
	return buf_steal(&out);
}

static char *envelope(const struct digest_msg *d)
{
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < d->to.n; i++)
		buf_printf(&b, "%s\n", d->to.v[i]);
	for (size_t i = 0; i < d->cc.n; i++)
		buf_printf(&b, "%s\n", d->cc.v[i]);
	return buf_steal(&b);
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
	digest_build(E.conf.tpl, E.conf.dir, p[0].holder, items, n, tk->now, mail_domain(), &d);
	struct store_message m = {0};
	if (d.to.n == 0) {
		log_warnx("%s has no email address: %zu notifications recorded as failed",
		          p[0].holder, n);
		store_notes_record(E.st, notes, n, NOTE_FAILED, tk->now);
		goto out;
	}
	m.message_id = new_message_id(tk->now);
	m.body = compose(&d, m.message_id, tk->now, &m.body_len);
	if (!m.body) {
		store_notes_record(E.st, notes, n, NOTE_FAILED, tk->now);
		goto out;
	}
	m.recipient = xstrdup(p[0].holder);
	m.rcpt = envelope(&d);
	m.subject = xstrdup(d.subject);
	m.kind = xstrdup(sched_kind_name(d.kind));
	bool queued;
	if (store_message_queue(E.st, &m, notes, n, tk->now, &queued) < 0)
		log_warnx("queue message to %s: %s", p[0].holder, store_error(E.st));
	else if (queued) {
		id = m.id;
		log_info("%s for %s <%s>: %s", sched_kind_name(d.kind), d.to_name, d.to.v[0],
		         d.subject);
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

/* ---- handing messages to the worker ---------------------------------------------- */

static bool is_in_flight(int64_t id)
{
	for (size_t i = 0; i < E.n_in_flight; i++)
		if (E.in_flight[i] == id)
			return true;
	return false;
}

static void landed(int64_t id)
{
	for (size_t i = 0; i < E.n_in_flight; i++)
		if (E.in_flight[i] == id) {
			E.in_flight[i] = E.in_flight[--E.n_in_flight];
			return;
		}
}

static struct mail_job *job_of(const struct store_message *m)
{
	struct mail_job *job = xcalloc(1, sizeof(*job));

	job->id = m->id;
	job->body = xstrndup(m->body, m->body_len);
	job->len = m->body_len;
	for (const char *line = m->rcpt; line && *line;) {
		size_t n = strcspn(line, "\n");
		if (n) {
			job->rcpt = xrealloc(job->rcpt, (job->n_rcpt + 1) * sizeof(*job->rcpt));
			job->rcpt[job->n_rcpt++] = xstrndup(line, n);
		}
		line += n + (line[n] == '\n');
	}
	return job;
}

struct submission {
	time_t now;
	struct mail_job **jobs;
	size_t n;
};

static int submit(const struct store_message *m, void *arg)
{
	struct submission *sub = arg;

	/* Due again while still with the worker (send-now, a long session): held on. */
	if (store_message_lease(E.st, m->id, sub->now + LEASE_SECONDS) < 0)
		return -1;
	if (is_in_flight(m->id))
		return 0;
	sub->jobs = xrealloc(sub->jobs, (sub->n + 1) * sizeof(*sub->jobs));
	sub->jobs[sub->n++] = job_of(m);
	return 0;
}

/* Everything queued and due, new messages and retries alike, in one hand-over. */
static void submit_due(time_t now)
{
	struct submission sub = {.now = now};

	if (store_begin(E.st) < 0 ||
	    store_messages_due(E.st, now, BATCH_RETRIES, submit, &sub) < 0 ||
	    store_commit(E.st) < 0) {
		log_warnx("outbox: %s", store_error(E.st));
		store_rollback(E.st);
		for (size_t i = 0; i < sub.n; i++)
			mail_job_free(sub.jobs[i]);
		free(sub.jobs);
		return;
	}
	E.in_flight = xrealloc(E.in_flight, (E.n_in_flight + sub.n + 1) * sizeof(*E.in_flight));
	for (size_t i = 0; i < sub.n; i++)
		E.in_flight[E.n_in_flight++] = sub.jobs[i]->id;
	mail_submit(E.mail, sub.jobs, sub.n);
	free(sub.jobs);
}

/* ---- notices to the admin ------------------------------------------------------ */

/* Queues a notice to [mail] admin; 0, or -1 (logged). */
static int queue_admin(const char *subject, const char *text, time_t now)
{
	const struct cfg *c = E.conf.cfg;
	struct mime_addr to = {NULL, c->admin};
	struct buf out = BUF_INIT;
	char err[256];
	char *msgid = new_message_id(now);
	struct mime_msg m = {.from = {c->from_name, c->from_addr},
	                     .to = &to,
	                     .n_to = 1,
	                     .subject = subject,
	                     .date = now,
	                     .tz_offset = c->tz_offset,
	                     .message_id = msgid,
	                     .text = text,
	                     .language = "en"};
	int rc = -1;

	if (mime_build(&m, &out, err, sizeof(err)) < 0) {
		log_warnx("admin notice: %s", err);
	} else {
		struct store_message sm = {.message_id = msgid,
		                           .recipient = "admin",
		                           .rcpt = c->admin,
		                           .subject = (char *)subject,
		                           .body = out.data,
		                           .body_len = out.len,
		                           .kind = "admin"};
		rc = store_message_queue(E.st, &sm, NULL, 0, now, &(bool){false});
		if (rc < 0)
			log_warnx("admin notice: %s", store_error(E.st));
	}
	buf_free(&out);
	free(msgid);
	return rc;
}

static int list_failure(const struct store_message *m, void *arg)
{
	struct buf *b = arg;

	buf_printf(b, "- %s (%s) to %s: %s\n", m->message_id, m->kind, m->recipient,
	           m->last_error ? m->last_error : "?");
	return 0;
}

/* Once a day at most, in office hours: what could not be delivered. */
static void admin_failures(time_t now)
{
	char value[32];
	int64_t n = 0;

	if (!E.conf.cfg->admin ||
	    store_meta_get(E.st, "admin_summary_at", value, sizeof(value)) < 0)
		return;
	time_t since = (time_t)strtoll(value, NULL, 10);
	if ((since && now - since < 86400) ||
	    cal_office_at_or_after(&E.conf.cfg->cal, now) != now ||
	    store_failures_count(E.st, &n) < 0 || n == 0)
		return;
	struct buf text = BUF_INIT, subject = BUF_INIT;
	buf_printf(&text,
	           "deadlined could not deliver %lld message(s) to all their recipients:\n\n",
	           (long long)n);
	store_failures_unreported(E.st, list_failure, &text);
	buf_adds(&text, "\nSee `deadlinectl status` and the journal for details.\n");
	buf_printf(&subject, "[deadlined] %lld message(s) not delivered", (long long)n);
	/* Each failure is told once; the summary itself waits a day after the last. */
	if (queue_admin(buf_str(&subject), buf_str(&text), now) == 0) {
		store_failures_reported(E.st);
		snprintf(value, sizeof(value), "%lld", (long long)now);
		store_meta_set(E.st, "admin_summary_at", value);
	}
	buf_free(&text);
	buf_free(&subject);
}

/* From October, next year's Tết must be in the calendar, or reminders may land on it. */
static void admin_calendar(time_t now)
{
	struct date_civil c;
	char key[32], value[32];
	int m, d;

	date_split(now, E.conf.cfg->tz_offset, &c);
	snprintf(key, sizeof(key), "tet_warned_%d", c.year + 1);
	if (c.month < 10 || cal_has_tet(&E.conf.cfg->cal, c.year + 1) ||
	    store_meta_get(E.st, key, value, sizeof(value)) < 0 || value[0] ||
	    lunar_tet(c.year + 1, &m, &d) < 0)
		return;
	struct buf text = BUF_INIT;
	buf_printf(&text,
	           "Tết %d (the lunar new year falls on %02d/%02d/%d) has no holidays in the "
	           "[calendar] section of %s.\nAdd the days off the government announces, e.g.\n"
	           "  holiday = %d-%02d-%02d..%d-%02d-%02d\nso that no reminder is planned "
	           "for a day the offices are closed.\n",
	           c.year + 1, d, m, c.year + 1, E.conf.cfg->path, c.year + 1, m, d, c.year + 1, m,
	           d);
	log_warnx("calendar: %s", buf_str(&text));
	if (E.conf.cfg->admin)
		queue_admin("[deadlined] Tết holidays missing from the calendar", buf_str(&text),
		            now);
	store_meta_set(E.st, key, "1");
	buf_free(&text);
}

/* When the admin notices above next want to run. */
static time_t admin_next(time_t now)
{
	struct date_civil c;
	char value[32];
	int64_t n = 0;
	time_t next = TF_NONE;
	const struct cfg *cfg = E.conf.cfg;

	if (cfg->admin && store_meta_get(E.st, "admin_summary_at", value, sizeof(value)) == 0) {
		time_t since = (time_t)strtoll(value, NULL, 10);
		if (store_failures_count(E.st, &n) == 0 && n > 0) {
			time_t at = since ? since + 86400 : now;
			next = cal_office_at_or_after(&cfg->cal, at > now ? at : now);
		}
	}
	date_split(now, cfg->tz_offset, &c);
	snprintf(value, sizeof(value), "tet_warned_%d", c.year + 1);
	char warned[8];
	if (!cal_has_tet(&cfg->cal, c.year + 1) &&
	    store_meta_get(E.st, value, warned, sizeof(warned)) == 0 && !warned[0]) {
		time_t october = date_make(c.year, 10, 1, 0, 0, 0, cfg->tz_offset);
		time_t at = cal_office_at_or_after(&cfg->cal, october > now ? october : now);
		if (next == TF_NONE || at < next)
			next = at;
	}
	return next;
}

/* ---- the wake-up timer ------------------------------------------------------------ */

static void earliest(time_t *t, time_t candidate)
{
	if (candidate != TF_NONE && (*t == TF_NONE || candidate < *t))
		*t = candidate;
}

/* Arms the one timer at the earliest thing to do; none: sleep until poked. */
static void schedule(bool more)
{
	time_t now = engine_now(), next = more ? now : TF_NONE, t;
	char buf[40];

	if (store_next_wake(E.st, &t) == 0)
		earliest(&next, t);
	if (store_next_retry(E.st, &t) == 0)
		earliest(&next, t);
	earliest(&next, admin_next(now));
	E.next_wake = next;
	if (next == TF_NONE) {
		loop_timer_stop(E.wake);
		svc_status("idle: nothing to send");
		if (E.logged_wake != TF_NONE)
			log_info("next wake-up: none (nothing to send)");
		E.logged_wake = TF_NONE;
		return;
	}
	loop_timer_at(E.wake, (double)(next - E.skew));
	svc_status("next wake-up %s", iso(next, buf, sizeof(buf)));
	/* While the worker holds messages, their lease is the next wake-up: not news. */
	if (next > now && next != E.logged_wake && E.n_in_flight == 0) {
		log_info("next wake-up: %s", buf);
		E.logged_wake = next;
	}
}

static void tick(void)
{
	struct tick tk = {.now = engine_now()};
	bool ok;

	if (store_begin(E.st) < 0) {
		log_warnx("planning: %s", store_error(E.st));
		loop_timer_at(E.wake, loop_wall() + 60);
		return;
	}
	ok = store_occ_due(E.st, tk.now, BATCH_OCCURRENCES, decide, &tk) == 0;
	if (ok && tk.n) {
		qsort(tk.p, tk.n, sizeof(*tk.p), cmp_pending);
		for (size_t i = 0, j; i < tk.n; i = j) {
			for (j = i + 1; j < tk.n && !strcmp(tk.p[j].holder, tk.p[i].holder); j++)
				;
			tk.messages += queue_digest(&tk, &tk.p[i], j - i) != 0;
		}
	}
	if (ok) {
		admin_failures(tk.now);
		admin_calendar(tk.now);
	}
	if (!ok || store_commit(E.st) < 0) {
		log_warnx("planning: %s", store_error(E.st));
		store_rollback(E.st);
		tick_free(&tk);
		loop_timer_at(E.wake, loop_wall() + 60); /* a broken database: retry calmly */
		return;
	}
	if (tk.messages)
		log_info("queued %d message%s for %zu notification%s", tk.messages,
		         tk.messages == 1 ? "" : "s", tk.n, tk.n == 1 ? "" : "s");
	submit_due(tk.now);
	bool more = tk.processed == BATCH_OCCURRENCES;
	tick_free(&tk);
	schedule(more);
}

static void on_wake(void *arg)
{
	(void)arg;
	if (!E.stopping)
		tick();
}

/* ---- results from the worker ------------------------------------------------------- */

static time_t backoff(int attempts, time_t now)
{
	long delay = E.conf.cfg->retry_base;

	for (int i = 1; i < attempts && delay < MAX_BACKOFF; i++)
		delay *= 2;
	if (delay > MAX_BACKOFF)
		delay = MAX_BACKOFF;
	/* ±20% so that many failed messages do not all come back at once. */
	long jitter = delay / 5;
	return now + delay - jitter + (long)arc4random_uniform((uint32_t)(2 * jitter + 1));
}

static void refused_recipients(const struct mail_result *r, time_t now)
{
	for (size_t i = 0; i < r->n_rcpts; i++)
		if (r->rcpts[i].permanent)
			store_rcpt_failure(E.st, r->id, r->rcpts[i].address, r->rcpts[i].code,
			                   r->rcpts[i].text, now);
}

/*
 * A temporary failure after some recipients were settled (accepted, or
 * refused for good): the next attempt goes to the others only, so nobody
 * gets the message twice. Returns true if anyone has it by now.
 */
static bool narrow_recipients(const struct mail_result *r, const struct store_message *m,
                              time_t now)
{
	struct buf rest = BUF_INIT, done = BUF_INIT;
	size_t settled = 0;

	buf_adds(&done, m->delivered_to ? m->delivered_to : "");
	for (size_t i = 0; i < r->n_rcpts; i++) {
		const struct mail_rcpt_result *rr = &r->rcpts[i];
		struct buf *to = rr->accepted ? &done : rr->permanent ? NULL : &rest;
		settled += to != &rest;
		if (to)
			buf_printf(to, "%s%s", to->len ? "\n" : "", rr->address);
	}
	if (settled) {
		refused_recipients(r, now);
		store_message_progress(E.st, r->id, buf_str(&rest),
		                       done.len ? buf_str(&done) : NULL);
	}
	bool reached = done.len > 0;
	buf_free(&rest);
	buf_free(&done);
	return reached;
}

/* The last attempt failed for the remaining recipients: stop, and say so. */
static void give_up(const struct mail_result *r, const struct store_message *m, bool reached,
                    time_t now, char *why, size_t len)
{
	snprintf(why, len, "gave up after %d attempts: %s", m->attempts + 1,
	         r->error ? r->error : "?");
	for (size_t i = 0; i < r->n_rcpts; i++)
		if (!r->rcpts[i].accepted && !r->rcpts[i].permanent)
			store_rcpt_failure(E.st, r->id, r->rcpts[i].address, r->rcpts[i].code, why,
			                   now);
	/* No recipient reached (server down, TLS refused): every one left failed. */
	if (r->n_rcpts == 0)
		for (const char *line = m->rcpt; line && *line;) {
			size_t n = strcspn(line, "\n");
			char *address = xstrndup(line, n);
			if (n)
				store_rcpt_failure(E.st, r->id, address, 0, why, now);
			free(address);
			line += n + (line[n] == '\n');
		}
	store_message_result(E.st, r->id, reached ? MSG_PARTIAL : MSG_FAILED, why, TF_NONE, now);
	E.failed++;
	log_warnx("%s: %s", m->message_id, why);
}

static void record_result(const struct mail_result *r, time_t now)
{
	struct store_message m;
	char why[512], at[40];

	if (store_message_get(E.st, r->id, &m) != 1)
		return;
	const char *to = m.rcpt ? m.rcpt : "";
	int to_len = (int)strcspn(to, "\n");
	bool earlier = m.delivered_to != NULL; /* reached some recipients before */
	switch (r->status) {
	case MAIL_SENT:
		/* Everyone left has it; one refused on an earlier attempt makes it partial. */
		store_message_result(E.st, r->id, m.refused ? MSG_PARTIAL : MSG_SENT,
		                     m.refused ? m.last_error : NULL, TF_NONE, now);
		E.delivered++;
		log_info("delivered %s to %.*s%s (%s)", m.message_id, to_len, to,
		         to[to_len] && to[to_len + 1] ? " and the others" : "", r->where);
		snprintf(why, sizeof(why), "delivered %s", m.message_id);
		break;
	case MAIL_PARTIAL:
	case MAIL_PERMFAIL:
		refused_recipients(r, now);
		store_message_result(
		    E.st, r->id, r->status == MAIL_PARTIAL || earlier ? MSG_PARTIAL : MSG_FAILED,
		    r->error, TF_NONE, now);
		E.failed++;
		log_warnx("%s %s: %s", r->status == MAIL_PARTIAL ? "partly refused" : "refused",
		          m.message_id, r->error ? r->error : "?");
		snprintf(why, sizeof(why), "refused %s: %s", m.message_id,
		         r->error ? r->error : "?");
		break;
	default:
		earlier = narrow_recipients(r, &m, now) || earlier;
		if (now - m.created_at >= E.conf.cfg->retry_max_age) {
			give_up(r, &m, earlier, now, why, sizeof(why));
			break;
		}
		time_t next = backoff(m.attempts + 1, now);
		store_message_result(E.st, r->id, MSG_QUEUED, r->error, next, now);
		log_warnx("%s not delivered (%s); retry at %s", m.message_id,
		          r->error ? r->error : "?", iso(next, at, sizeof(at)));
		snprintf(why, sizeof(why), "deferred %s: %s", m.message_id,
		         r->error ? r->error : "?");
	}
	util_strlcpy(E.last_result, why, sizeof(E.last_result));
	E.last_result_at = now;
	store_message_free(&m);
}

static void on_mail_results(void *arg)
{
	struct mail_result *r;
	size_t n = mail_collect(E.mail, &r);
	time_t now = engine_now();

	(void)arg;
	if (!n)
		return;
	if (store_begin(E.st) < 0) {
		log_warnx("recording results: %s", store_error(E.st));
	} else {
		for (size_t i = 0; i < n; i++)
			record_result(&r[i], now);
		if (store_commit(E.st) < 0) {
			log_warnx("recording results: %s", store_error(E.st));
			store_rollback(E.st);
		}
	}
	/* Unrecorded results leave the messages queued: their lease brings them back. */
	for (size_t i = 0; i < n; i++)
		landed(r[i].id);
	mail_results_free(r, n);
	if (!E.stopping)
		schedule(false);
}

/* ---- reload, control, signals -------------------------------------------------------- */

static void on_config_changed(void *arg);

static void watch_config(void)
{
	loop_watch_free(E.watch);
	E.watch =
	    loop_watch_files(E.conf.cfg->files.v, E.conf.cfg->files.n, on_config_changed, NULL);
}

/* Read, validate, swap; on any error the running config stays. */
static int reload(struct buf *why)
{
	struct config_set next;
	struct buf errors = BUF_INIT;

	svc_reloading();
	if (config_load(E.opt->config, &next, &errors) < 0) {
		log_warnx("reload failed, still running the previous config:\n%s",
		          buf_str(&errors));
		if (why)
			buf_add(why, errors.data, errors.len);
		buf_free(&errors);
		svc_ready();
		return -1;
	}
	buf_free(&errors);
	if (!E.opt->database && strcmp(next.cfg->database, E.db_path) != 0)
		log_warnx("database %s: a new path takes effect at restart", next.cfg->database);
	config_free(&E.conf);
	E.conf = next;
	struct mail_settings ms;
	mail_settings_from_cfg(E.conf.cfg, &ms);
	mail_reconfigure(E.mail, &ms);
	mail_settings_free(&ms);
	watch_config();
	config_sync(engine_now());
	log_info("reloaded %s", E.opt->config);
	svc_ready();
	schedule(false);
	return 0;
}

static void on_config_changed(void *arg)
{
	(void)arg;
	log_info("%s changed on disk", E.opt->config);
	reload(NULL);
}

static void on_hangup(void *arg)
{
	(void)arg;
	reload(NULL);
}

static void status(struct buf *out)
{
	struct store_stats s;
	char a[40], b[40];
	time_t now = engine_now();

	buf_adds(out, "ok\n");
	buf_printf(out, "state: %s\n", E.stopping ? "stopping" : "running");
	buf_printf(out, "now: %s%s\n", iso(now, a, sizeof(a)), E.skew ? " (set with --now)" : "");
	buf_printf(out, "next_wakeup: %s\n", iso(E.next_wake, b, sizeof(b)));
	buf_printf(out, "in_flight: %zu\n", E.n_in_flight);
	if (store_stats(E.st, &s) == 0) {
		buf_printf(out, "queue: %lld\n", (long long)s.queued);
		buf_printf(out, "sent: %lld\nfailed: %lld\npartial: %lld\n", (long long)s.sent,
		           (long long)s.failed, (long long)s.partial);
		buf_printf(out, "plans: %lld\ntasks: %lld\ntasks_open: %lld\ntasks_flagged: %lld\n",
		           (long long)s.plans, (long long)s.tasks, (long long)s.tasks_open,
		           (long long)s.tasks_flagged);
		buf_printf(out, "occurrences: %lld\noccurrences_open: %lld\nnotifications: %lld\n",
		           (long long)s.occurrences, (long long)s.occurrences_open,
		           (long long)s.notes);
	}
	buf_printf(out, "last_result: %s\n", E.last_result[0] ? E.last_result : "none");
	buf_printf(out, "last_result_at: %s\n",
	           iso(E.last_result_at ? E.last_result_at : TF_NONE, a, sizeof(a)));
	buf_printf(out, "config: %s\ndatabase: %s\n", E.opt->config, E.db_path);
	buf_printf(out, "transport: %s\n", E.conf.cfg->transport == CFG_SMTP ? "smtp" : "maildir");
}

static void control(const char *request, struct buf *reply, void *arg)
{
	(void)arg;
	if (!strcmp(request, CTL_STATUS)) {
		status(reply);
	} else if (!strcmp(request, CTL_RELOAD)) {
		struct buf why = BUF_INIT;
		if (reload(&why) == 0)
			buf_adds(reply, "ok\n");
		else
			buf_printf(reply,
			           "error: the new config has errors; still running the "
			           "previous one\n%s",
			           buf_str(&why));
		buf_free(&why);
	} else if (!strcmp(request, CTL_RESCHEDULE)) {
		char at[40];
		schedule(false);
		buf_printf(reply, "ok\nnext_wakeup: %s\n", iso(E.next_wake, at, sizeof(at)));
	} else if (!strcmp(request, CTL_SEND_NOW)) {
		store_messages_release(E.st, engine_now());
		tick();
		buf_adds(reply, "ok\n");
	} else {
		buf_printf(reply, "error: unknown request '%s'\n", request);
	}
}

static void stop(void *arg)
{
	(void)arg;
	if (E.stopping)
		return;
	E.stopping = true;
	svc_stopping();
	log_info("stopping: finishing the message in flight");
	loop_timer_stop(E.wake);
	mail_stop(E.mail);
	on_mail_results(NULL); /* what the worker finished is recorded, not lost */
	loop_stop();
}

static void watchdog(void *arg)
{
	(void)arg;
	svc_watchdog_ping();
	loop_timer_in(E.watchdog, svc_watchdog_usec() / 2e6);
}

/* ---- start and finish ----------------------------------------------------------------- */

/*
 * One daemon per database and per socket, checked before anything is
 * touched: a second instance must not sync its config into the first one's
 * store or release the messages it has in flight.
 */
static int claim(void)
{
	const char *socket = E.conf.cfg->control_socket;
	struct buf lock = BUF_INIT;

	E.db_path = xstrdup(E.opt->database ? E.opt->database : E.conf.cfg->database);
	if (util_make_parent(E.db_path) < 0 || util_make_parent(socket) < 0)
		log_warn("creating the directory of %s", E.db_path);
	buf_printf(&lock, "%s.lock", E.db_path);
	E.lock_fd = util_lock_file(buf_str(&lock));
	if (E.lock_fd < 0) {
		if (errno == EWOULDBLOCK)
			log_warnx("%s: another deadlined is running on this database", E.db_path);
		else
			log_warn("%s", buf_str(&lock));
	}
	buf_free(&lock);
	if (E.lock_fd < 0)
		return -1;
	E.ctl = ctl_listen(socket, control, NULL);
	if (!E.ctl) {
		if (errno == EADDRINUSE)
			log_warnx("%s: another deadlined is running", socket);
		else
			log_warn("control socket %s", socket);
		return -1;
	}
	return 0;
}

static int open_store(void)
{
	char err[512];

	if (store_open(E.db_path, &E.st, err, sizeof(err)) < 0) {
		log_warnx("database %s", err);
		return -1;
	}
	return 0;
}

static int start_services(void)
{
	struct mail_settings ms;

	E.mail_wake = loop_async_new(on_mail_results, NULL);
	mail_settings_from_cfg(E.conf.cfg, &ms);
	E.mail = mail_start(&ms, E.mail_wake);
	mail_settings_free(&ms);
	loop_signal(SIGTERM, stop, NULL);
	loop_signal(SIGINT, stop, NULL);
	loop_signal(SIGHUP, on_hangup, NULL);
	watch_config();
	E.wake = loop_timer_new(on_wake, NULL);
	if (svc_watchdog_usec()) {
		E.watchdog = loop_timer_new(watchdog, NULL);
		watchdog(NULL);
	}
	return 0;
}

static void finish(void)
{
	ctl_close(E.ctl);
	loop_watch_free(E.watch);
	loop_timer_free(E.wake);
	loop_timer_free(E.watchdog);
	if (E.mail && !E.stopping)
		mail_stop(E.mail);
	mail_free(E.mail);
	loop_async_free(E.mail_wake);
	store_close(E.st);
	config_free(&E.conf);
	free(E.db_path);
	free(E.in_flight);
	if (E.lock_fd >= 0)
		close(E.lock_fd);
}

static void announce(void)
{
	struct store_stats s;
	char now[40];

	store_stats(E.st, &s);
	log_info("started: config %s, database %s, %s delivery%s", E.opt->config, E.db_path,
	         E.conf.cfg->transport == CFG_SMTP ? "smtp" : "maildir",
	         E.conf.cfg->transport == CFG_SMTP ? "" : " into the Maildir");
	log_info("clock: %s%s", iso(engine_now(), now, sizeof(now)), E.skew ? " (--now)" : "");
	log_info("store: %lld plans, %lld tasks (%lld open, %lld flagged), %lld occurrences, "
	         "%lld messages queued",
	         (long long)s.plans, (long long)s.tasks, (long long)s.tasks_open,
	         (long long)s.tasks_flagged, (long long)s.occurrences, (long long)s.queued);
}

int engine_run(const struct engine_options *o)
{
	struct buf errors = BUF_INIT;
	int rc = 1;

	log_init("deadlined", o->foreground, o->verbose);
	E.opt = o;
	/* A peer closing the SMTP connection must be an error, not a signal. */
	signal(SIGPIPE, SIG_IGN);
	if (config_load(o->config, &E.conf, &errors) < 0) {
		log_warnx("%s: the configuration has errors:\n%s", o->config, buf_str(&errors));
		buf_free(&errors);
		return 1;
	}
	loop_init();
	if (o->have_now)
		E.skew = o->now - (time_t)loop_wall();
	E.lock_fd = -1;
	if (claim() == 0 && open_store() == 0 && config_sync(engine_now()) == 0 &&
	    store_messages_release(E.st, engine_now()) == 0 && start_services() == 0) {
		announce();
		svc_ready();
		schedule(false);
		loop_run();
		rc = 0;
	}
	finish();
	log_info("stopped");
	return rc;
}
