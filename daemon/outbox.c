/*
 * outbox — see outbox.h.
 *
 * A message and the ledger rows it carries were committed before it is
 * handed over, so a crash can duplicate at most the messages in flight and
 * never lose one. Handing over takes a lease: a message due again while the
 * worker still has it (send-now, a long session) is not handed twice.
 */
#include "outbox.h"

#include "date.h"
#include "log.h"
#include "util.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BATCH_RETRIES 200
#define LEASE_SECONDS 3600 /* a message with the worker is not retried before this */
#define MAX_BACKOFF   (6 * 3600)

struct outbox {
	struct store *st;
	struct mail *mail;
	int64_t *in_flight; /* with the worker, result not yet recorded: never handed twice */
	size_t n_in_flight;
	struct mail_result *pending; /* back from the worker, not yet recorded (a busy store) */
	size_t n_pending;
	struct log_limit busy_log, submit_log;
	struct outbox_stats stats;
};

struct outbox *outbox_new(struct store *st, struct mail *m)
{
	struct outbox *ob = xcalloc(1, sizeof(*ob));

	ob->st = st;
	ob->mail = m;
	return ob;
}

void outbox_free(struct outbox *ob)
{
	if (!ob)
		return;
	free(ob->in_flight);
	mail_results_free(ob->pending, ob->n_pending);
	free(ob);
}

size_t outbox_in_flight(const struct outbox *ob)
{
	return ob->n_in_flight;
}

const struct outbox_stats *outbox_stats(const struct outbox *ob)
{
	return &ob->stats;
}

static bool is_in_flight(const struct outbox *ob, int64_t id)
{
	for (size_t i = 0; i < ob->n_in_flight; i++)
		if (ob->in_flight[i] == id)
			return true;
	return false;
}

static void landed(struct outbox *ob, int64_t id)
{
	for (size_t i = 0; i < ob->n_in_flight; i++)
		if (ob->in_flight[i] == id) {
			ob->in_flight[i] = ob->in_flight[--ob->n_in_flight];
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
	struct outbox *ob;
	time_t now;
	struct mail_job **jobs;
	size_t n;
};

static int submit(const struct store_message *m, void *arg)
{
	struct submission *sub = arg;
	struct outbox *ob = sub->ob;

	/* Due again while still with the worker (send-now, a long session): held on. */
	if (store_message_lease(ob->st, m->id, sub->now + LEASE_SECONDS) < 0)
		return -1;
	if (is_in_flight(ob, m->id))
		return 0;
	sub->jobs = xrealloc(sub->jobs, (sub->n + 1) * sizeof(*sub->jobs));
	sub->jobs[sub->n++] = job_of(m);
	return 0;
}

/* Everything queued and due, new messages and retries alike, in one hand-over. */
void outbox_submit_due(struct outbox *ob, time_t now)
{
	struct submission sub = {.ob = ob, .now = now};

	if (store_begin(ob->st) < 0 ||
	    store_messages_due(ob->st, now, BATCH_RETRIES, submit, &sub) < 0 ||
	    store_commit(ob->st) < 0) {
		log_warnx_limited(&ob->submit_log, "outbox: %s", store_error(ob->st));
		store_rollback(ob->st);
		for (size_t i = 0; i < sub.n; i++)
			mail_job_free(sub.jobs[i]);
		free(sub.jobs);
		return;
	}
	ob->in_flight =
	    xrealloc(ob->in_flight, (ob->n_in_flight + sub.n + 1) * sizeof(*ob->in_flight));
	for (size_t i = 0; i < sub.n; i++)
		ob->in_flight[ob->n_in_flight++] = sub.jobs[i]->id;
	mail_submit(ob->mail, sub.jobs, sub.n);
	free(sub.jobs);
}

/* ---- recording results ---------------------------------------------------------- */

static time_t backoff(const struct cfg *c, int attempts, time_t now)
{
	long delay = c->retry_base;

	for (int i = 1; i < attempts && delay < MAX_BACKOFF; i++)
		delay *= 2;
	if (delay > MAX_BACKOFF)
		delay = MAX_BACKOFF;
	/* ±20% so that many failed messages do not all come back at once. */
	long jitter = delay / 5;
	return now + delay - jitter + (long)arc4random_uniform((uint32_t)(2 * jitter + 1));
}

/* What a recorded result tells the log and `status`, once it is committed. */
struct verdict {
	bool warn;
	char *line;
	char last[512];
	bool delivered, failed;
	/* For the journal's fields */
	char agency[64], message_id[320];
	int smtp_code;
};

static void say(struct verdict *v, bool warn, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void say(struct verdict *v, bool warn, const char *fmt, ...)
{
	char line[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	v->warn = warn;
	v->line = xstrdup(line);
}

static int refused_recipients(struct outbox *ob, const struct mail_result *r, time_t now)
{
	for (size_t i = 0; i < r->n_rcpts; i++)
		if (r->rcpts[i].permanent &&
		    store_rcpt_failure(ob->st, r->id, r->rcpts[i].address, r->rcpts[i].code,
		                       r->rcpts[i].text, now) < 0)
			return -1;
	return 0;
}

/* The reply that refused or deferred a message, for the journal: the first recipient's. */
static int reply_code(const struct mail_result *r)
{
	for (size_t i = 0; i < r->n_rcpts; i++)
		if (!r->rcpts[i].accepted && r->rcpts[i].code)
			return r->rcpts[i].code;
	return 0;
}

/*
 * A temporary failure after some recipients were settled (accepted, or
 * refused for good): the next attempt goes to the others only, so nobody
 * gets the message twice. *reached: anyone has it by now.
 */
static int narrow_recipients(struct outbox *ob, const struct mail_result *r,
                             const struct store_message *m, time_t now, bool *reached)
{
	struct buf rest = BUF_INIT, done = BUF_INIT;
	size_t settled = 0;
	int rc = 0;

	buf_adds(&done, m->delivered_to ? m->delivered_to : "");
	for (size_t i = 0; i < r->n_rcpts; i++) {
		const struct mail_rcpt_result *rr = &r->rcpts[i];
		struct buf *to = rr->accepted ? &done : rr->permanent ? NULL : &rest;
		settled += to != &rest;
		if (to)
			buf_printf(to, "%s%s", to->len ? "\n" : "", rr->address);
	}
	if (settled)
		rc = refused_recipients(ob, r, now) < 0 ||
		             store_message_progress(ob->st, r->id, buf_str(&rest),
		                                    done.len ? buf_str(&done) : NULL) < 0
		         ? -1
		         : 0;
	*reached = *reached || done.len > 0;
	buf_free(&rest);
	buf_free(&done);
	return rc;
}

/* The last attempt failed for the remaining recipients: stop, and say so. */
static int give_up(struct outbox *ob, const struct mail_result *r, const struct store_message *m,
                   bool reached, time_t now, struct verdict *v)
{
	char why[512];

	snprintf(why, sizeof(why), "gave up after %d attempts: %s", m->attempts + 1,
	         r->error ? r->error : "?");
	for (size_t i = 0; i < r->n_rcpts; i++)
		if (!r->rcpts[i].accepted && !r->rcpts[i].permanent &&
		    store_rcpt_failure(ob->st, r->id, r->rcpts[i].address, r->rcpts[i].code, why,
		                       now) < 0)
			return -1;
	/* No recipient reached (server down, TLS refused): every one left failed. */
	for (const char *line = m->rcpt; r->n_rcpts == 0 && line && *line;) {
		size_t n = strcspn(line, "\n");
		char *address = xstrndup(line, n);
		int rc = n ? store_rcpt_failure(ob->st, r->id, address, 0, why, now) : 0;
		free(address);
		if (rc < 0)
			return -1;
		line += n + (line[n] == '\n');
	}
	v->failed = true;
	util_strlcpy(v->last, why, sizeof(v->last));
	say(v, true, "%s: %s", m->message_id, why);
	return store_message_result(ob->st, r->id, reached ? MSG_PARTIAL : MSG_FAILED, why, TF_NONE,
	                            now);
}

static int record_one(struct outbox *ob, const struct cfg *c, const struct mail_result *r,
                      const struct store_message *m, time_t now, struct verdict *v)
{
	const char *to = m->rcpt ? m->rcpt : "", *why = r->error ? r->error : "?";
	int to_len = (int)strcspn(to, "\n");
	bool earlier = m->delivered_to != NULL; /* reached some recipients before */
	char at[40];

	switch (r->status) {
	case MAIL_SENT:
		v->delivered = true;
		snprintf(v->last, sizeof(v->last), "delivered %s", m->message_id);
		say(v, false, "delivered %s to %.*s%s (%s)", m->message_id, to_len, to,
		    to[to_len] && to[to_len + 1] ? " and the others" : "", r->where);
		/* Everyone left has it; one refused on an earlier attempt makes it partial. */
		return store_message_result(ob->st, r->id, m->refused ? MSG_PARTIAL : MSG_SENT,
		                            m->refused ? m->last_error : NULL, TF_NONE, now);
	case MAIL_PARTIAL:
	case MAIL_PERMFAIL:
		v->failed = true;
		snprintf(v->last, sizeof(v->last), "refused %s: %s", m->message_id, why);
		say(v, true, "%s %s: %s", r->status == MAIL_PARTIAL ? "partly refused" : "refused",
		    m->message_id, why);
		if (refused_recipients(ob, r, now) < 0)
			return -1;
		return store_message_result(
		    ob->st, r->id, r->status == MAIL_PARTIAL || earlier ? MSG_PARTIAL : MSG_FAILED,
		    r->error, TF_NONE, now);
	default:
		if (narrow_recipients(ob, r, m, now, &earlier) < 0)
			return -1;
		if (now - m->created_at >= c->retry_max_age)
			return give_up(ob, r, m, earlier, now, v);
		time_t next = backoff(c, m->attempts + 1, now);
		snprintf(v->last, sizeof(v->last), "deferred %s: %s", m->message_id, why);
		say(v, true, "%s not delivered (%s); retry at %s", m->message_id, why,
		    date_format_iso(next, c->tz_offset, at, sizeof(at)));
		return store_message_result(ob->st, r->id, MSG_QUEUED, r->error, next, now);
	}
}

static int record_result(struct outbox *ob, const struct cfg *c, const struct mail_result *r,
                         time_t now, struct verdict *v)
{
	struct store_message m;
	int found = store_message_get(ob->st, r->id, &m);

	if (found < 0)
		return -1;
	int rc = found ? record_one(ob, c, r, &m, now, v) : 0;
	if (found) {
		util_strlcpy(v->agency, m.recipient ? m.recipient : "", sizeof(v->agency));
		util_strlcpy(v->message_id, m.message_id, sizeof(v->message_id));
		v->smtp_code = reply_code(r);
	}
	store_message_free(&m);
	return rc;
}

/* Committed: now the log and the stats may say so. */
static void tell(struct outbox *ob, struct verdict *v, time_t now)
{
	if (v->line) {
		log_fields(
		    v->warn ? LOG_WARNING : LOG_INFO,
		    &(struct log_about){.agency = v->agency[0] ? v->agency : NULL,
		                        .message_id = v->message_id[0] ? v->message_id : NULL,
		                        .smtp_code = v->smtp_code},
		    "%s", v->line);
		util_strlcpy(ob->stats.last_result, v->last, sizeof(ob->stats.last_result));
		ob->stats.last_result_at = now;
	}
	ob->stats.delivered += v->delivered;
	ob->stats.failed += v->failed;
}

size_t outbox_collect(struct outbox *ob, const struct cfg *c, time_t now)
{
	struct mail_result *r;
	size_t n = mail_collect(ob->mail, &r);

	if (n) {
		ob->pending = xrealloc(ob->pending, (ob->n_pending + n) * sizeof(*ob->pending));
		memcpy(ob->pending + ob->n_pending, r, n * sizeof(*r));
		ob->n_pending += n;
		free(r);
	}
	if (!ob->n_pending)
		return 0;
	/* All in one short transaction: they are recorded together or wait together. */
	struct verdict *v = xcalloc(ob->n_pending, sizeof(*v));
	int rc = store_begin(ob->st);
	for (size_t i = 0; i < ob->n_pending && rc == 0; i++)
		rc = record_result(ob, c, &ob->pending[i], now, &v[i]);
	if (rc == 0)
		rc = store_commit(ob->st);
	if (rc < 0) {
		log_warnx_limited(&ob->busy_log, "recording %zu result%s: %s; they wait in memory",
		                  ob->n_pending, ob->n_pending == 1 ? "" : "s",
		                  store_error(ob->st));
		store_rollback(ob->st);
	}
	for (size_t i = 0; i < ob->n_pending; i++) {
		if (rc == 0)
			tell(ob, &v[i], now);
		free(v[i].line);
	}
	free(v);
	if (rc < 0)
		return ob->n_pending;
	for (size_t i = 0; i < ob->n_pending; i++)
		landed(ob, ob->pending[i].id);
	mail_recorded(ob->mail, ob->n_pending);
	mail_results_free(ob->pending, ob->n_pending);
	ob->pending = NULL;
	ob->n_pending = 0;
	return 0;
}
