/*
 * scheduler — see scheduler.h.
 *
 * The decision is recomputed from scratch every time an occurrence is
 * looked at; nothing is remembered between calls except the ledger. That
 * is what makes restarts, reloads and policy changes safe: the answer only
 * depends on what was actually recorded as sent.
 */
#include "scheduler.h"

#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_STEPS 128

/* Asked for every step and recipient at every decision: the first two bytes of
 * a step ("r3", "r30", "e7", "x2") tell most apart without a call. */
static bool in_ledger(const struct sched_in *in, const char *agency, const char *step)
{
	for (size_t i = 0; i < in->n_done; i++) {
		const struct sched_done *d = &in->done[i];
		if (d->step[0] != step[0] || (step[0] && d->step[1] != step[1]))
			continue;
		if (!strcmp(d->step, step) && (d->agency == agency || !strcmp(d->agency, agency)))
			return true;
	}
	return false;
}

struct recipient {
	const char *agency;
	enum sched_role role;
};

static void add_recipient(struct recipient *r, size_t *n, size_t max, const char *agency,
                          enum sched_role role)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp(r[i].agency, agency))
			return; /* one agency, one role: the first (closest) wins */
	if (*n < max)
		r[(*n)++] = (struct recipient){agency, role};
}

/* Who a step goes to: each level adds to the one before. */
static size_t recipients(const struct sched_in *in, enum policy_level level, struct recipient *r,
                         size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < in->n_leads; i++)
		add_recipient(r, &n, max, in->leads[i], ROLE_LEAD);
	if (level == POLICY_REMIND && in->policy->remind_coordinating)
		for (size_t i = 0; i < in->n_coords; i++)
			add_recipient(r, &n, max, in->coords[i], ROLE_COORD);
	if (level >= POLICY_MONITOR && in->monitor)
		add_recipient(r, &n, max, in->monitor, ROLE_MONITOR);
	if (level >= POLICY_SUPERVISOR)
		for (size_t i = 0; i < in->n_supervisors; i++)
			add_recipient(r, &n, max, in->supervisors[i], ROLE_SUPERVISOR);
	return n;
}

static void push(struct sched_note **v, size_t *n, const struct sched_note *note)
{
	/* Grown at 0, 4, 8, 16 …: preview decides millions of times. */
	if (*n == 0 || (*n >= 4 && (*n & (*n - 1)) == 0))
		*v = xrealloc(*v, (*n ? 2 * *n : 4) * sizeof(**v));
	(*v)[(*n)++] = *note;
}

/* The due note for this agency, if one is already chosen. */
static struct sched_note *chosen_for(struct sched_out *out, const char *agency)
{
	for (size_t i = 0; i < out->n_send; i++)
		if (!strcmp(out->send[i].agency, agency))
			return &out->send[i];
	return NULL;
}

/* Steps come in time order: a later due step supersedes the one chosen before. */
static void take_due(struct sched_out *out, const struct sched_note *note)
{
	struct sched_note *prev = chosen_for(out, note->agency);

	if (!prev) {
		push(&out->send, &out->n_send, note);
		return;
	}
	push(&out->skip, &out->n_skip, prev);
	*prev = *note;
}

static void earliest(time_t *t, time_t candidate)
{
	if (*t == TF_NONE || candidate < *t)
		*t = candidate;
}

static void consider_step(const struct sched_in *in, const struct policy_step *s, time_t now,
                          struct sched_out *out)
{
	/* Leads, coordinating agencies, the monitor and supervisors: all of them. */
	size_t max = in->n_leads + in->n_coords + 1 + in->n_supervisors;
	struct recipient few[32];
	struct recipient *r = max <= UTIL_NELEM(few) ? few : xcalloc(max, sizeof(*r));
	size_t n = recipients(in, s->level, r, max);
	struct sched_note note = {.level = s->level, .at = s->at};

	if (in->ext)
		snprintf(note.step, sizeof(note.step), "%.15s@%d", s->id, in->ext);
	else
		util_strlcpy(note.step, s->id, sizeof(note.step));
	note.kind = s->level == POLICY_REMIND ? SCHED_REMINDER : SCHED_ESCALATION;
	for (size_t i = 0; i < n; i++) {
		if (in_ledger(in, r[i].agency, note.step))
			continue;
		note.agency = r[i].agency;
		note.role = r[i].role;
		if (s->at > now)
			earliest(&out->next_at, s->at);
		else if (note.kind == SCHED_REMINDER && in->due <= now)
			push(&out->skip, &out->n_skip, &note); /* too late to remind */
		else
			take_due(out, &note);
	}
	if (r != few)
		free(r);
}

void sched_decide(const struct sched_in *in, time_t now, struct sched_out *out)
{
	struct policy_step steps[MAX_STEPS];

	memset(out, 0, sizeof(*out));
	out->next_at = TF_NONE;
	if (task_status_final(in->status) || in->due == TF_NONE)
		return;
	const struct policy_step *s = in->steps;
	int n = in->n_steps;
	if (!s) {
		n = policy_steps(in->policy, in->cal, in->kind, in->due, steps, MAX_STEPS);
		s = steps;
	}
	for (int i = 0; i < n; i++) {
		if (s[i].level != POLICY_REMIND && in->status == TASK_WAITING)
			continue;
		consider_step(in, &s[i], now, out);
	}
	if (!out->n_send)
		return;
	/* Messages arrive in office hours: outside them, wait for the opening. */
	time_t open = cal_office_at_or_after(in->cal, now);
	if (open > now) {
		earliest(&out->next_at, open);
		free(out->send);
		out->send = NULL;
		out->n_send = 0;
		return;
	}
	for (size_t i = 0; i < out->n_send; i++)
		if (now - out->send[i].at > (time_t)in->policy->backfill_days * 86400)
			out->send[i].kind = SCHED_SUMMARY;
}

void sched_out_free(struct sched_out *out)
{
	free(out->send);
	free(out->skip);
	memset(out, 0, sizeof(*out));
}

const char *sched_kind_name(enum sched_kind k)
{
	return k == SCHED_REMINDER ? "reminder" : k == SCHED_ESCALATION ? "escalation" : "summary";
}

const char *sched_role_name(enum sched_role r)
{
	static const char *const names[] = {"lead", "coordinating", "monitor", "supervisor"};

	return names[r];
}
