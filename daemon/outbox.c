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
	int64_t *in_flight; /* with the worker, result not yet back: never handed twice */
	size_t n_in_flight;
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
		log_warnx("outbox: %s", store_error(ob->st));
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

/* ---- notices to the admin ------------------------------------------------------ */

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

static void refused_recipients(struct outbox *ob, const struct mail_result *r, time_t now)
{
	for (size_t i = 0; i < r->n_rcpts; i++)
		if (r->rcpts[i].permanent)
			store_rcpt_failure(ob->st, r->id, r->rcpts[i].address, r->rcpts[i].code,
			                   r->rcpts[i].text, now);
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
 * gets the message twice. Returns true if anyone has it by now.
 */
static bool narrow_recipients(struct outbox *ob, const struct mail_result *r,
                              const struct store_message *m, time_t now)
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
		refused_recipients(ob, r, now);
		store_message_progress(ob->st, r->id, buf_str(&rest),
		                       done.len ? buf_str(&done) : NULL);
	}
	bool reached = done.len > 0;
	buf_free(&rest);
	buf_free(&done);
	return reached;
}

/* The last attempt failed for the remaining recipients: stop, and say so. */
static void give_up(struct outbox *ob, const struct mail_result *r, const struct store_message *m,
                    bool reached, time_t now, char *why, size_t len)
{
	snprintf(why, len, "gave up after %d attempts: %s", m->attempts + 1,
	         r->error ? r->error : "?");
	for (size_t i = 0; i < r->n_rcpts; i++)
		if (!r->rcpts[i].accepted && !r->rcpts[i].permanent)
			store_rcpt_failure(ob->st, r->id, r->rcpts[i].address, r->rcpts[i].code,
			                   why, now);
	/* No recipient reached (server down, TLS refused): every one left failed. */
	if (r->n_rcpts == 0)
		for (const char *line = m->rcpt; line && *line;) {
			size_t n = strcspn(line, "\n");
			char *address = xstrndup(line, n);
			if (n)
				store_rcpt_failure(ob->st, r->id, address, 0, why, now);
			free(address);
			line += n + (line[n] == '\n');
		}
	store_message_result(ob->st, r->id, reached ? MSG_PARTIAL : MSG_FAILED, why, TF_NONE, now);
	ob->stats.failed++;
	log_fields(LOG_WARNING,
	           &(struct log_about){.agency = m->recipient,
	                               .message_id = m->message_id,
	                               .smtp_code = reply_code(r)},
	           "%s: %s", m->message_id, why);
}

static void record_result(struct outbox *ob, const struct cfg *c, const struct mail_result *r,
                          time_t now)
{
	struct store_message m;
	char why[512], at[40];

	if (store_message_get(ob->st, r->id, &m) != 1)
		return;
	const char *to = m.rcpt ? m.rcpt : "";
	int to_len = (int)strcspn(to, "\n");
	bool earlier = m.delivered_to != NULL; /* reached some recipients before */
	switch (r->status) {
	case MAIL_SENT:
		/* Everyone left has it; one refused on an earlier attempt makes it partial. */
		store_message_result(ob->st, r->id, m.refused ? MSG_PARTIAL : MSG_SENT,
		                     m.refused ? m.last_error : NULL, TF_NONE, now);
		ob->stats.delivered++;
		log_fields(LOG_INFO,
		           &(struct log_about){.agency = m.recipient, .message_id = m.message_id},
		           "delivered %s to %.*s%s (%s)", m.message_id, to_len, to,
		           to[to_len] && to[to_len + 1] ? " and the others" : "", r->where);
		snprintf(why, sizeof(why), "delivered %s", m.message_id);
		break;
	case MAIL_PARTIAL:
	case MAIL_PERMFAIL:
		refused_recipients(ob, r, now);
		store_message_result(
		    ob->st, r->id, r->status == MAIL_PARTIAL || earlier ? MSG_PARTIAL : MSG_FAILED,
		    r->error, TF_NONE, now);
		ob->stats.failed++;
		log_fields(LOG_WARNING,
		           &(struct log_about){.agency = m.recipient,
		                               .message_id = m.message_id,
		                               .smtp_code = reply_code(r)},
		           "%s %s: %s", r->status == MAIL_PARTIAL ? "partly refused" : "refused",
		           m.message_id, r->error ? r->error : "?");
		snprintf(why, sizeof(why), "refused %s: %s", m.message_id,
		         r->error ? r->error : "?");
		break;
	default:
		earlier = narrow_recipients(ob, r, &m, now) || earlier;
		if (now - m.created_at >= c->retry_max_age) {
			give_up(ob, r, &m, earlier, now, why, sizeof(why));
			break;
		}
		time_t next = backoff(c, m.attempts + 1, now);
		store_message_result(ob->st, r->id, MSG_QUEUED, r->error, next, now);
		log_fields(LOG_WARNING,
		           &(struct log_about){.agency = m.recipient,
		                               .message_id = m.message_id,
		                               .smtp_code = reply_code(r)},
		           "%s not delivered (%s); retry at %s", m.message_id,
		           r->error ? r->error : "?",
		           date_format_iso(next, c->tz_offset, at, sizeof(at)));
		snprintf(why, sizeof(why), "deferred %s: %s", m.message_id,
		         r->error ? r->error : "?");
	}
	util_strlcpy(ob->stats.last_result, why, sizeof(ob->stats.last_result));
	ob->stats.last_result_at = now;
	store_message_free(&m);
}

void outbox_collect(struct outbox *ob, const struct cfg *c, time_t now)
{
	struct mail_result *r;
	size_t n = mail_collect(ob->mail, &r);

	if (!n)
		return;
	if (store_begin(ob->st) < 0) {
		log_warnx("recording results: %s", store_error(ob->st));
	} else {
		for (size_t i = 0; i < n; i++)
			record_result(ob, c, &r[i], now);
		if (store_commit(ob->st) < 0) {
			log_warnx("recording results: %s", store_error(ob->st));
			store_rollback(ob->st);
		}
	}
	/* Unrecorded results leave the messages queued: their lease brings them back. */
	for (size_t i = 0; i < n; i++)
		landed(ob, r[i].id);
	mail_results_free(r, n);
}
