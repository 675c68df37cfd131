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

/*
 * The agencies the ledger has a step for, into out (room for in->n_done).
 * Asked for every step at every decision (preview decides millions of
 * times): the ledger is read once per step, not once per recipient, and the
 * first two bytes of a step ("r3", "r30", "e7", "x2") tell most apart
 * without a call.
 */
static size_t done_for_step(const struct sched_in *in, const char *step, const char **out)
{
	size_t n = 0;

	for (size_t i = 0; i < in->n_done; i++) {
		const struct sched_done *d = &in->done[i];
		if (d->step[0] != step[0] || (step[0] && d->step[1] != step[1]))
			continue;
		if (!strcmp(d->step, step))
			out[n++] = d->agency;
	}
	return n;
}

static bool among(const char *const *v, size_t n, const char *agency)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == agency || !strcmp(v[i], agency))
			return true;
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

/*
 * Who a step goes to: each level adds to the one before. Coordinating
 * agencies hear of the reminders and of the escalation to the lead (in
 * their own digest, as coordinating), not of the steps that call in the
 * monitor and supervisors, and never of a weekly or monthly duty.
 */
static size_t recipients(const struct sched_in *in, enum policy_level level, struct recipient *r,
                         size_t max)
{
	size_t n = 0;
	bool short_cycle = in->kind == TF_WEEKLY || in->kind == TF_MONTHLY;

	for (size_t i = 0; i < in->n_leads; i++)
		add_recipient(r, &n, max, in->leads[i], ROLE_LEAD);
	if (level <= POLICY_LEAD && in->policy->remind_coordinating && !short_cycle)
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
	if (in->missed_at != TF_NONE && s->at >= in->missed_at)
		n = 0; /* the next occurrence speaks by then */
	const char *few_done[32];
	const char **done =
	    in->n_done <= UTIL_NELEM(few_done) ? few_done : xcalloc(in->n_done, sizeof(*done));
	size_t n_done = n ? done_for_step(in, note.step, done) : 0;
	for (size_t i = 0; i < n; i++) {
		if (among(done, n_done, r[i].agency))
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
	if (done != few_done)
		free(done);
}

void sched_decide(const struct sched_in *in, time_t now, struct sched_out *out)
{
	struct policy_step steps[MAX_STEPS];

	memset(out, 0, sizeof(*out));
	out->next_at = TF_NONE;
	if (task_status_final(in->status) || in->due == TF_NONE)
		return;
	if (in->missed_at != TF_NONE && now >= in->missed_at) {
		out->missed = true;
		return;
	}
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
	/*
	 * Nothing left to send before the next occurrence: look once more when it
	 * is due, to record this one as missed (at a slot: no extra wake-up) —
	 * and first, if it is still ahead, as long before it as its reminders
	 * reach: deciding the latest occurrence is what makes the next one
	 * (planner_occurrences' horizon), so it must exist before its reminders.
	 */
	if (in->missed_at != TF_NONE && out->next_at == TF_NONE) {
		time_t lead = 0;
		for (int i = 0; i < n; i++)
			if (s[i].level == POLICY_REMIND && in->due - s[i].at > lead)
				lead = in->due - s[i].at;
		time_t early = cal_slot_at_or_before(in->cal, in->missed_at - lead - 86400);
		out->next_at = early > now ? early : cal_slot_at_or_after(in->cal, in->missed_at);
	}
	if (!out->n_send)
		return;
	/* Messages arrive in the sending window: outside it, wait for it. */
	time_t open = cal_send_at_or_after(in->cal, now);
	if (open > now) {
		earliest(&out->next_at, open);
		free(out->send);
		out->send = NULL;
		out->n_send = 0;
		return;
	}
	/* Missed by more than backfill days: a catch-up for those who must act;
	 * a coordinating agency needs no news of an old step (recorded, not sent). */
	size_t kept = 0;
	for (size_t i = 0; i < out->n_send; i++) {
		struct sched_note *note = &out->send[i];
		if (now - note->at > (time_t)in->policy->backfill_days * 86400) {
			note->kind = SCHED_SUMMARY;
			if (note->role == ROLE_COORD) {
				push(&out->skip, &out->n_skip, note);
				continue;
			}
		}
		out->send[kept++] = *note;
	}
	out->n_send = kept;
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

enum sched_kind sched_kind_parse(const char *name)
{
	for (int k = SCHED_REMINDER; k <= SCHED_SUMMARY; k++)
		if (name && !strcmp(name, sched_kind_name((enum sched_kind)k)))
			return (enum sched_kind)k;
	return SCHED_REMINDER;
}

enum sched_role sched_role_parse(const char *name)
{
	for (int r = ROLE_LEAD; r <= ROLE_SUPERVISOR; r++)
		if (name && !strcmp(name, sched_role_name((enum sched_role)r)))
			return (enum sched_role)r;
	return ROLE_LEAD; /* rows from before roles were recorded were mostly the leads' */
}
