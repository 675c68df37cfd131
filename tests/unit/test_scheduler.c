/*
 * Unit tests for scheduler: what to send for one occurrence at `now`. The
 * rules are those of include/scheduler.h; the expectations are worked out by
 * hand for a real occurrence, "Quý II/2025" (due at the end of Monday
 * 30/6/2025), whose steps under the shipped policy are:
 *
 *   r30 Fri 30/5  r14 Mon 16/6  r7 Mon 23/6  r1 Fri 27/6 (r3 shares it)
 *   r0 Mon 30/6   e1 Tue 1/7 (lead)  e7 Mon 7/7 (monitor)
 *   e30 Wed 30/7 (supervisor)  x1..x6 Wed 13/8, 27/8, 10/9, 24/9, 8/10, 22/10
 *
 * all at 08:00. Most tests hand the scheduler that list (sched_in.steps) so
 * they test the scheduler alone; test_policy_integration lets it compute
 * them.
 */
#include "check.h"

#include "cal.h"
#include "date.h"
#include "policy.h"
#include "scheduler.h"
#include "task.h"

#include <stdio.h>
#include <string.h>

static const char *show_time(time_t t, char *buf, size_t len)
{
	static const char *const wd[] = {"?", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
	struct date_civil c;

	if (t == TF_NONE) {
		snprintf(buf, len, "TF_NONE");
		return buf;
	}
	date_split(t, TZ, &c);
	snprintf(buf, len, "%04d-%02d-%02d %02d:%02d:%02d (%s)", c.year, c.month, c.day, c.hour,
	         c.minute, c.second, wd[c.weekday]);
	return buf;
}

static const char *role_label(enum sched_role r)
{
	static const char *const names[] = {"LEAD", "COORD", "MONITOR", "SUPERVISOR"};

	return (unsigned)r < N_ELEMS(names) ? names[r] : "(bad role)";
}

static const char *kind_label(enum sched_kind k)
{
	static const char *const names[] = {"REMINDER", "ESCALATION", "SUMMARY"};

	return (unsigned)k < N_ELEMS(names) ? names[k] : "(bad kind)";
}

/* ---- the occurrence ---------------------------------------------------- */

static const char *const leads[] = {"sxd", "stc"};
static const char *const coords[] = {"svhttdl"};
static const char *const supervisors[] = {"vpubnd", "ubnd"};

#define MAX_STEPS 16

struct fixture {
	struct policy policy;
	struct cal cal;
	struct policy_step steps[MAX_STEPS];
	struct sched_in in;
};

static void add_step(struct fixture *f, const char *id, enum policy_level level, time_t t)
{
	struct policy_step *s = &f->steps[f->in.n_steps++];

	memset(s, 0, sizeof(*s));
	snprintf(s->id, sizeof(s->id), "%s", id);
	s->level = level;
	s->at = t;
}

/* "Quý II/2025" with the shipped policy and calendar, given its step list. */
static void setup(struct fixture *f)
{
	memset(f, 0, sizeof(*f));
	policy_default(&f->policy);
	cal_init(&f->cal, TZ);
	cal_add_holidays(&f->cal, day(2026, 2, 14), day(2026, 2, 22));
	cal_finish(&f->cal);
	f->in.policy = &f->policy;
	f->in.cal = &f->cal;
	f->in.kind = TF_ONCE;
	f->in.due = at(2025, 6, 30, 23, 59, 59);
	f->in.ext = 0;
	f->in.status = TASK_OPEN;
	f->in.missed_at = TF_NONE; /* a one-off: never missed */
	f->in.leads = leads;
	f->in.n_leads = N_ELEMS(leads);
	f->in.coords = coords;
	f->in.n_coords = N_ELEMS(coords);
	f->in.monitor = "skhcn";
	f->in.supervisors = supervisors;
	f->in.n_supervisors = N_ELEMS(supervisors);
	f->in.steps = f->steps;
	add_step(f, "r30", POLICY_REMIND, slot(2025, 5, 30));
	add_step(f, "r14", POLICY_REMIND, slot(2025, 6, 16));
	add_step(f, "r7", POLICY_REMIND, slot(2025, 6, 23));
	add_step(f, "r1", POLICY_REMIND, slot(2025, 6, 27));
	add_step(f, "r0", POLICY_REMIND, slot(2025, 6, 30));
	add_step(f, "e1", POLICY_LEAD, slot(2025, 7, 1));
	add_step(f, "e7", POLICY_MONITOR, slot(2025, 7, 7));
	add_step(f, "e30", POLICY_SUPERVISOR, slot(2025, 7, 30));
	add_step(f, "x1", POLICY_SUPERVISOR, slot(2025, 8, 13));
	add_step(f, "x2", POLICY_SUPERVISOR, slot(2025, 8, 27));
	add_step(f, "x3", POLICY_SUPERVISOR, slot(2025, 9, 10));
	add_step(f, "x4", POLICY_SUPERVISOR, slot(2025, 9, 24));
	add_step(f, "x5", POLICY_SUPERVISOR, slot(2025, 10, 8));
	add_step(f, "x6", POLICY_SUPERVISOR, slot(2025, 10, 22));
}

static void teardown(struct fixture *f)
{
	cal_free(&f->cal);
}

/* ---- expectations ------------------------------------------------------ */

struct want {
	const char *agency, *step;
	enum sched_role role;
	enum sched_kind kind;
};

static void dump_notes(const char *what, const struct sched_note *v, size_t n)
{
	char b[48];

	print_error("  %s (%zu):\n", what, n);
	for (size_t i = 0; i < n; i++)
		print_error("    %-8s %-6s %-10s %-10s level %d at %s\n", v[i].agency, v[i].step,
		            role_label(v[i].role), kind_label(v[i].kind), (int)v[i].level,
		            show_time(v[i].at, b, sizeof(b)));
}

/* The notes as a set: each expected one exactly once, nothing else. */
static int check_notes(const char *label, const char *what, const struct sched_note *v, size_t n,
                       const struct want *w, size_t nw)
{
	int bad = 0;

	if (n != nw) {
		print_error("%s: %zu %s notes, expected %zu\n", label, n, what, nw);
		bad++;
	}
	for (size_t i = 0; i < nw; i++) {
		size_t hits = 0;
		for (size_t k = 0; k < n; k++)
			if (v[k].agency && !strcmp(v[k].agency, w[i].agency) &&
			    !strcmp(v[k].step, w[i].step) && v[k].role == w[i].role &&
			    v[k].kind == w[i].kind)
				hits++;
		if (hits != 1) {
			print_error("%s: %s note %s/%s/%s/%s found %zu times, expected once\n",
			            label, what, w[i].agency, w[i].step, role_label(w[i].role),
			            kind_label(w[i].kind), hits);
			bad++;
		}
	}
	if (bad)
		dump_notes(what, v, n);
	return bad;
}

static int check_next(const char *label, time_t got, time_t want)
{
	char a[48], b[48];

	if (got == want)
		return 0;
	print_error("%s: next_at %s, expected %s\n", label, show_time(got, a, sizeof(a)),
	            show_time(want, b, sizeof(b)));
	return 1;
}

/* n_skip with skip == NULL: only the number of skipped notes is checked;
 * ANY: the skipped notes are not checked at all. */
#define ANY ((size_t)-1)

/* Runs sched_decide and checks everything; returns the number of problems. */
static int decide(const char *label, const struct sched_in *in, time_t now, const struct want *send,
                  size_t n_send, const struct want *skip, size_t n_skip, time_t next_at)
{
	struct sched_out out;
	char full[160], b[48];
	int bad = 0;

	snprintf(full, sizeof(full), "%s (now %s)", label, show_time(now, b, sizeof(b)));
	memset(&out, 0x5A, sizeof(out));
	sched_decide(in, now, &out);
	bad += check_notes(full, "send", out.send, out.n_send, send, n_send);
	if (skip)
		bad += check_notes(full, "skip", out.skip, out.n_skip, skip, n_skip);
	else if (n_skip != ANY && out.n_skip != n_skip) {
		print_error("%s: %zu skip notes, expected %zu\n", full, out.n_skip, n_skip);
		dump_notes("skip", out.skip, out.n_skip);
		bad++;
	}
	bad += check_next(full, out.next_at, next_at);
	sched_out_free(&out);
	return bad;
}

/* A ledger, built up per test. */
struct ledger {
	struct sched_done v[128];
	size_t n;
};

static void record(struct ledger *l, const char *agency, const char *step)
{
	l->v[l->n++] = (struct sched_done){agency, step};
}

static void record_all(struct ledger *l, const char *const *agencies, size_t n, const char *step)
{
	for (size_t i = 0; i < n; i++)
		record(l, agencies[i], step);
}

static void use_ledger(struct fixture *f, const struct ledger *l)
{
	f->in.done = l->v;
	f->in.n_done = l->n;
}

/* Every reminder recorded for the leads and the coordinating agency. */
static void record_reminders(struct ledger *l)
{
	static const char *const r[] = {"r30", "r14", "r7", "r1", "r0"};

	for (size_t i = 0; i < N_ELEMS(r); i++) {
		record_all(l, leads, N_ELEMS(leads), r[i]);
		record_all(l, coords, N_ELEMS(coords), r[i]);
	}
}

/* ---- tests ------------------------------------------------------------- */

static void test_final_statuses(void **state)
{
	static const enum task_status finals[] = {TASK_DONE, TASK_CANCELLED, TASK_REMOVED};
	struct fixture f;
	int bad = 0;

	(void)state;
	setup(&f);
	for (size_t i = 0; i < N_ELEMS(finals); i++) {
		char label[64];
		f.in.status = finals[i];
		snprintf(label, sizeof(label), "status %s", task_status_name(finals[i]));
		/* Steps due (e1 at 1/7 08:00), others to come: nothing, nothing more. */
		bad += decide(label, &f.in, at(2025, 7, 1, 9, 0, 0), NULL, 0, NULL, 0, TF_NONE);
		bad += decide(label, &f.in, at(2025, 5, 1, 9, 0, 0), NULL, 0, NULL, 0, TF_NONE);
	}
	/* No deadline: nothing either. */
	f.in.status = TASK_OPEN;
	f.in.due = TF_NONE;
	f.in.steps = NULL;
	f.in.n_steps = 0;
	bad += decide("due TF_NONE", &f.in, at(2025, 7, 1, 9, 0, 0), NULL, 0, NULL, 0, TF_NONE);
	teardown(&f);
	assert_int_equal(bad, 0);
}

static void test_nothing_due_yet(void **state)
{
	struct fixture f;
	int bad = 0;

	(void)state;
	setup(&f);
	bad += decide("a month ahead", &f.in, at(2025, 5, 1, 10, 0, 0), NULL, 0, NULL, 0,
	              slot(2025, 5, 30));
	bad += decide("one second before r30", &f.in, at(2025, 5, 30, 7, 59, 59), NULL, 0, NULL, 0,
	              slot(2025, 5, 30));
	teardown(&f);
	assert_int_equal(bad, 0);
}

/* r30 at its slot: leads, and the coordinating agency (coordinating = yes). */
static void test_first_reminder(void **state)
{
	const struct want send[] = {
	    {"sxd", "r30", ROLE_LEAD, SCHED_REMINDER},
	    {"stc", "r30", ROLE_LEAD, SCHED_REMINDER},
	    {"svhttdl", "r30", ROLE_COORD, SCHED_REMINDER},
	};
	struct fixture f;
	struct sched_out out;
	int bad = 0;

	(void)state;
	setup(&f);
	bad += decide("r30 at its slot", &f.in, slot(2025, 5, 30), send, 3, NULL, 0,
	              slot(2025, 6, 16));
	bad += decide("r30 at 16:59", &f.in, at(2025, 5, 30, 16, 59, 59), send, 3, NULL, 0,
	              slot(2025, 6, 16));

	/* The notes carry the step's level and slot. */
	sched_decide(&f.in, at(2025, 5, 30, 10, 0, 0), &out);
	for (size_t i = 0; i < out.n_send; i++)
		if (out.send[i].level != POLICY_REMIND || out.send[i].at != slot(2025, 5, 30)) {
			print_error("r30 note for %s: level %d, at %ld\n", out.send[i].agency,
			            (int)out.send[i].level, (long)out.send[i].at);
			bad++;
		}
	sched_out_free(&out);

	f.policy.remind_coordinating = false;
	bad += decide("coordinating = no", &f.in, slot(2025, 5, 30), send, 2, NULL, 0,
	              slot(2025, 6, 16));
	teardown(&f);
	assert_int_equal(bad, 0);
}

static void test_ledger_suppresses(void **state)
{
	const struct want rest[] = {
	    {"stc", "r30", ROLE_LEAD, SCHED_REMINDER},
	    {"svhttdl", "r30", ROLE_COORD, SCHED_REMINDER},
	};
	struct fixture f;
	struct ledger l = {0};
	int bad = 0;

	(void)state;
	setup(&f);
	record(&l, "sxd", "r30");
	record(&l, "stc", "r14");  /* another step: does not count for r30 */
	record(&l, "ubnd", "r30"); /* not a recipient of reminders */
	use_ledger(&f, &l);
	bad += decide("sxd already has r30", &f.in, at(2025, 5, 30, 9, 0, 0), rest, 2, NULL, 0,
	              slot(2025, 6, 16));

	record(&l, "stc", "r30");
	record(&l, "svhttdl", "r30");
	use_ledger(&f, &l);
	bad += decide("everyone has r30", &f.in, at(2025, 5, 30, 9, 0, 0), NULL, 0, NULL, 0,
	              slot(2025, 6, 16));
	teardown(&f);
	assert_int_equal(bad, 0);
}

/* Of r30, r14 and r7 due at once, only r7 goes out; the others are skipped. */
static void test_latest_only(void **state)
{
	const struct want send[] = {
	    {"sxd", "r7", ROLE_LEAD, SCHED_REMINDER},
	    {"stc", "r7", ROLE_LEAD, SCHED_REMINDER},
	    {"svhttdl", "r7", ROLE_COORD, SCHED_REMINDER},
	};
	const struct want skip[] = {
	    {"sxd", "r30", ROLE_LEAD, SCHED_REMINDER},
	    {"stc", "r30", ROLE_LEAD, SCHED_REMINDER},
	    {"svhttdl", "r30", ROLE_COORD, SCHED_REMINDER},
	    {"sxd", "r14", ROLE_LEAD, SCHED_REMINDER},
	    {"stc", "r14", ROLE_LEAD, SCHED_REMINDER},
	    {"svhttdl", "r14", ROLE_COORD, SCHED_REMINDER},
	};
	struct fixture f;
	struct ledger l = {0};
	int bad = 0;

	(void)state;
	setup(&f);
	bad += decide("three due", &f.in, at(2025, 6, 24, 9, 0, 0), send, 3, skip, 6,
	              slot(2025, 6, 27));

	/* Once r30 and r14 are recorded, r7 alone, nothing to skip. */
	record_all(&l, leads, 2, "r30");
	record_all(&l, coords, 1, "r30");
	record_all(&l, leads, 2, "r14");
	record_all(&l, coords, 1, "r14");
	use_ledger(&f, &l);
	bad += decide("r30, r14 recorded", &f.in, at(2025, 6, 24, 9, 0, 0), send, 3, skip, 0,
	              slot(2025, 6, 27));

	/* One agency behind: it alone gets a skip. */
	l.n = 0;
	record_all(&l, leads, 2, "r30");
	record_all(&l, coords, 1, "r30");
	record(&l, "sxd", "r14");
	record(&l, "svhttdl", "r14");
	use_ledger(&f, &l);
	const struct want skip1[] = {{"stc", "r14", ROLE_LEAD, SCHED_REMINDER}};
	bad += decide("stc lacks r14", &f.in, at(2025, 6, 24, 9, 0, 0), send, 3, skip1, 1,
	              slot(2025, 6, 27));
	teardown(&f);
	assert_int_equal(bad, 0);
}

/* After the deadline a missed reminder is skipped; the escalation speaks
 * (to the coordinating agency too, in its own digest). */
static void test_reminder_after_deadline(void **state)
{
	const struct want send[] = {
	    {"sxd", "e1", ROLE_LEAD, SCHED_ESCALATION},
	    {"stc", "e1", ROLE_LEAD, SCHED_ESCALATION},
	    {"svhttdl", "e1", ROLE_COORD, SCHED_ESCALATION},
	};
	const struct want skip[] = {
	    {"sxd", "r0", ROLE_LEAD, SCHED_REMINDER},
	    {"stc", "r0", ROLE_LEAD, SCHED_REMINDER},
	    {"svhttdl", "r0", ROLE_COORD, SCHED_REMINDER},
	};
	struct fixture f;
	struct ledger l = {0};
	int bad = 0;
	static const char *const r[] = {"r30", "r14", "r7", "r1"};

	(void)state;
	setup(&f);
	for (size_t i = 0; i < N_ELEMS(r); i++) {
		record_all(&l, leads, 2, r[i]);
		record_all(&l, coords, 1, r[i]);
	}
	use_ledger(&f, &l);
	bad += decide("r0 missed, e1 due", &f.in, at(2025, 7, 1, 9, 0, 0), send, 3, skip, 3,
	              slot(2025, 7, 7));
	/* Before e1's slot, after the deadline: r0 is skipped, nothing sent. */
	bad += decide("r0 missed, e1 not yet", &f.in, at(2025, 7, 1, 7, 45, 0), NULL, 0, skip, 3,
	              slot(2025, 7, 1));
	/* Before the deadline r0 is still sent, late in the day. */
	const struct want r0[] = {
	    {"sxd", "r0", ROLE_LEAD, SCHED_REMINDER},
	    {"stc", "r0", ROLE_LEAD, SCHED_REMINDER},
	    {"svhttdl", "r0", ROLE_COORD, SCHED_REMINDER},
	};
	bad += decide("r0 on the last day", &f.in, at(2025, 6, 30, 16, 0, 0), r0, 3, NULL, 0,
	              slot(2025, 7, 1));
	teardown(&f);
	assert_int_equal(bad, 0);
}

/* Recipients by level: lead → leads; monitor → + monitor; supervisor → + supervisors. */
static void test_escalation_levels(void **state)
{
	const struct want e7[] = {
	    {"sxd", "e7", ROLE_LEAD, SCHED_ESCALATION},
	    {"stc", "e7", ROLE_LEAD, SCHED_ESCALATION},
	    {"skhcn", "e7", ROLE_MONITOR, SCHED_ESCALATION},
	};
	const struct want e30[] = {
	    {"sxd", "e30", ROLE_LEAD, SCHED_ESCALATION},
	    {"stc", "e30", ROLE_LEAD, SCHED_ESCALATION},
	    {"skhcn", "e30", ROLE_MONITOR, SCHED_ESCALATION},
	    {"vpubnd", "e30", ROLE_SUPERVISOR, SCHED_ESCALATION},
	    {"ubnd", "e30", ROLE_SUPERVISOR, SCHED_ESCALATION},
	};
	const struct want x1[] = {
	    {"sxd", "x1", ROLE_LEAD, SCHED_ESCALATION},
	    {"stc", "x1", ROLE_LEAD, SCHED_ESCALATION},
	    {"skhcn", "x1", ROLE_MONITOR, SCHED_ESCALATION},
	    {"vpubnd", "x1", ROLE_SUPERVISOR, SCHED_ESCALATION},
	    {"ubnd", "x1", ROLE_SUPERVISOR, SCHED_ESCALATION},
	};
	struct fixture f;
	struct ledger l = {0};
	int bad = 0;

	(void)state;
	setup(&f);
	record_reminders(&l);
	record_all(&l, leads, 2, "e1");
	record_all(&l, coords, 1, "e1");
	use_ledger(&f, &l);
	bad += decide("e7", &f.in, at(2025, 7, 7, 9, 0, 0), e7, 3, NULL, 0, slot(2025, 7, 30));

	record_all(&l, leads, 2, "e7");
	record(&l, "skhcn", "e7");
	use_ledger(&f, &l);
	bad += decide("e30", &f.in, at(2025, 7, 30, 9, 0, 0), e30, 5, NULL, 0, slot(2025, 8, 13));

	record_all(&l, leads, 2, "e30");
	record(&l, "skhcn", "e30");
	record_all(&l, supervisors, 2, "e30");
	use_ledger(&f, &l);
	bad += decide("x1", &f.in, at(2025, 8, 13, 9, 0, 0), x1, 5, NULL, 0, slot(2025, 8, 27));

	/* No monitor: a monitor step reaches the leads only. */
	l.n = 0;
	record_reminders(&l);
	record_all(&l, leads, 2, "e1");
	record_all(&l, coords, 1, "e1");
	use_ledger(&f, &l);
	f.in.monitor = NULL;
	bad += decide("e7 without a monitor", &f.in, at(2025, 7, 7, 9, 0, 0), e7, 2, NULL, 0,
	              slot(2025, 7, 30));
	teardown(&f);
	assert_int_equal(bad, 0);
}

/* After x6 is recorded for everyone there is nothing more to do. */
static void test_all_recorded(void **state)
{
	static const char *const esc[] = {"e30", "x1", "x2", "x3", "x4", "x5", "x6"};
	struct fixture f;
	struct ledger l = {0};
	int bad = 0;

	(void)state;
	setup(&f);
	record_reminders(&l);
	record_all(&l, leads, 2, "e1");
	record_all(&l, coords, 1, "e1");
	record_all(&l, leads, 2, "e7");
	record(&l, "skhcn", "e7");
	for (size_t i = 0; i < N_ELEMS(esc); i++) {
		record_all(&l, leads, 2, esc[i]);
		record(&l, "skhcn", esc[i]);
		record_all(&l, supervisors, 2, esc[i]);
	}
	use_ledger(&f, &l);
	bad += decide("all recorded", &f.in, at(2025, 12, 1, 9, 0, 0), NULL, 0, NULL, 0, TF_NONE);
	teardown(&f);
	assert_int_equal(bad, 0);
}

/* One agency, one note: the closest role wins (lead, coordinating, monitor, supervisor). */
static void test_closest_role(void **state)
{
	static const char *const l1[] = {"sxd"};
	static const char *const c1[] = {"sxd", "stc"};
	static const char *const s1[] = {"stc", "sxd", "ubnd"};
	struct fixture f;
	int bad = 0;

	(void)state;
	setup(&f);
	f.in.leads = l1;
	f.in.n_leads = 1;
	f.in.coords = c1;
	f.in.n_coords = 2;
	f.in.monitor = "stc";
	f.in.supervisors = s1;
	f.in.n_supervisors = 3;
	f.in.n_steps = 0;
	add_step(&f, "r30", POLICY_REMIND, slot(2025, 5, 30));
	add_step(&f, "e30", POLICY_SUPERVISOR, slot(2025, 7, 30));

	const struct want r30[] = {
	    {"sxd", "r30", ROLE_LEAD, SCHED_REMINDER},
	    {"stc", "r30", ROLE_COORD, SCHED_REMINDER},
	};
	bad += decide("reminder, lead also coordinating", &f.in, at(2025, 5, 30, 9, 0, 0), r30, 2,
	              NULL, 0, slot(2025, 7, 30));
	const struct want e30[] = {
	    {"sxd", "e30", ROLE_LEAD, SCHED_ESCALATION},
	    {"stc", "e30", ROLE_MONITOR, SCHED_ESCALATION},
	    {"ubnd", "e30", ROLE_SUPERVISOR, SCHED_ESCALATION},
	};
	const struct want skip[] = {
	    {"sxd", "r30", ROLE_LEAD, SCHED_REMINDER},
	    {"stc", "r30", ROLE_COORD, SCHED_REMINDER},
	};
	bad += decide("supervisor step, overlapping parties", &f.in, at(2025, 7, 30, 9, 0, 0), e30,
	              3, skip, 2, TF_NONE);

	/* The monitor leads the task itself. */
	static const char *const l2[] = {"skhcn"};
	f.in.leads = l2;
	f.in.n_leads = 1;
	f.in.coords = NULL;
	f.in.n_coords = 0;
	f.in.monitor = "skhcn";
	f.in.supervisors = NULL;
	f.in.n_supervisors = 0;
	f.in.n_steps = 0;
	add_step(&f, "e7", POLICY_MONITOR, slot(2025, 7, 7));
	const struct want e7[] = {{"skhcn", "e7", ROLE_LEAD, SCHED_ESCALATION}};
	bad +=
	    decide("monitor is the lead", &f.in, at(2025, 7, 7, 9, 0, 0), e7, 1, NULL, 0, TF_NONE);
	teardown(&f);
	assert_int_equal(bad, 0);
}

/* Chờ …: reminders yes, escalation no. Other open statuses escalate. */
static void test_waiting(void **state)
{
	const struct want r7[] = {
	    {"sxd", "r7", ROLE_LEAD, SCHED_REMINDER},
	    {"stc", "r7", ROLE_LEAD, SCHED_REMINDER},
	    {"svhttdl", "r7", ROLE_COORD, SCHED_REMINDER},
	};
	const struct want e1[] = {
	    {"sxd", "e1", ROLE_LEAD, SCHED_ESCALATION},
	    {"stc", "e1", ROLE_LEAD, SCHED_ESCALATION},
	    {"svhttdl", "e1", ROLE_COORD, SCHED_ESCALATION},
	};
	struct fixture f;
	struct ledger l = {0};
	struct sched_out out;
	int bad = 0;

	(void)state;
	setup(&f);
	f.in.status = TASK_WAITING;
	bad += decide("waiting, before the deadline", &f.in, at(2025, 6, 24, 9, 0, 0), r7, 3, NULL,
	              6, slot(2025, 6, 27));

	/* After the deadline: no escalation now or later. */
	record_reminders(&l);
	use_ledger(&f, &l);
	bad += decide("waiting, after the deadline", &f.in, at(2025, 7, 7, 9, 0, 0), NULL, 0, NULL,
	              0, TF_NONE);
	l.n = 0;
	use_ledger(&f, &l);
	sched_decide(&f.in, at(2025, 8, 21, 9, 0, 0), &out);
	for (size_t i = 0; i < out.n_send + out.n_skip; i++) {
		const struct sched_note *n =
		    i < out.n_send ? &out.send[i] : &out.skip[i - out.n_send];
		if (n->level != POLICY_REMIND || n->kind != SCHED_REMINDER) {
			print_error("waiting: a %s note %s for %s\n", kind_label(n->kind), n->step,
			            n->agency);
			bad++;
		}
	}
	if (out.n_send != 0) {
		print_error("waiting after the deadline: %zu notes sent\n", out.n_send);
		bad++;
	}
	sched_out_free(&out);

	static const enum task_status open[] = {TASK_OPEN, TASK_IN_PROGRESS, TASK_NOT_MET};
	record_reminders(&l);
	use_ledger(&f, &l);
	for (size_t i = 0; i < N_ELEMS(open); i++) {
		char label[64];
		f.in.status = open[i];
		snprintf(label, sizeof(label), "status %s", task_status_name(open[i]));
		bad +=
		    decide(label, &f.in, at(2025, 7, 1, 9, 0, 0), e1, 3, NULL, 0, slot(2025, 7, 7));
	}
	teardown(&f);
	assert_int_equal(bad, 0);
}

/* Due steps go out only in the sending window of working days: from the
 * send slot (08:00), or the opening when later, to the close. */
static void test_office_hours(void **state)
{
	const struct want r30[] = {
	    {"sxd", "r30", ROLE_LEAD, SCHED_REMINDER},
	    {"stc", "r30", ROLE_LEAD, SCHED_REMINDER},
	    {"svhttdl", "r30", ROLE_COORD, SCHED_REMINDER},
	};
	struct fixture f;
	int bad = 0;

	(void)state;
	setup(&f);
	/* Friday 30/5 after closing: Monday 2/6 at the slot. */
	bad += decide("Friday 17:30", &f.in, at(2025, 5, 30, 17, 30, 0), NULL, 0, NULL, 0,
	              slot(2025, 6, 2));
	bad += decide("Friday 17:00", &f.in, at(2025, 5, 30, 17, 0, 0), NULL, 0, NULL, 0,
	              slot(2025, 6, 2));
	bad += decide("Saturday", &f.in, at(2025, 5, 31, 10, 0, 0), NULL, 0, NULL, 0,
	              slot(2025, 6, 2));
	/* Office opens at 07:30, but mail waits for 08:00: one message with the slot's. */
	bad += decide("Monday opening", &f.in, at(2025, 6, 2, 7, 30, 0), NULL, 0, NULL, 0,
	              slot(2025, 6, 2));
	bad += decide("Monday slot", &f.in, slot(2025, 6, 2), r30, 3, NULL, 0, slot(2025, 6, 16));
	/* A step due just before the next one: the next sending moment comes first. */
	bad += decide("Sunday before r14", &f.in, at(2025, 6, 15, 20, 0, 0), NULL, 0, NULL, 0,
	              slot(2025, 6, 16));

	/* Slots before opening (office from 09:00, slots at 08:00): wait for 09:00. */
	f.cal.open_min = 9 * 60;
	bad += decide("slot before opening", &f.in, slot(2025, 5, 30), NULL, 0, NULL, 0,
	              at(2025, 5, 30, 9, 0, 0));
	bad += decide("at opening", &f.in, at(2025, 5, 30, 9, 0, 0), r30, 3, NULL, 0,
	              slot(2025, 6, 16));
	teardown(&f);
	assert_int_equal(bad, 0);
}

/* Holidays and a swapped working Saturday decide when due steps go out. */
static void test_holidays_and_swapped_saturday(void **state)
{
	struct fixture f;
	int bad = 0;

	(void)state;
	setup(&f);
	f.in.due = at(2025, 8, 28, 23, 59, 59);
	f.in.n_steps = 0;
	add_step(&f, "e1", POLICY_LEAD, slot(2025, 8, 29));
	const struct want e1[] = {
	    {"sxd", "e1", ROLE_LEAD, SCHED_ESCALATION},
	    {"stc", "e1", ROLE_LEAD, SCHED_ESCALATION},
	    {"svhttdl", "e1", ROLE_COORD, SCHED_ESCALATION},
	};
	/* Mon 1/9 and Tue 2/9/2025 are holidays: Wednesday 3/9 at the slot. */
	bad += decide("on 1/9/2025", &f.in, at(2025, 9, 1, 10, 0, 0), NULL, 0, NULL, 0,
	              slot(2025, 9, 3));
	bad += decide("on 2/9/2025", &f.in, at(2025, 9, 2, 10, 0, 0), NULL, 0, NULL, 0,
	              slot(2025, 9, 3));
	bad += decide("on 3/9/2025", &f.in, slot(2025, 9, 3), e1, 3, NULL, 0, TF_NONE);

	/* Saturday 30/8 is worked in this calendar. */
	cal_free(&f.cal);
	cal_init(&f.cal, TZ);
	cal_add_workday(&f.cal, day(2025, 8, 30));
	cal_finish(&f.cal);
	bad += decide("swapped Saturday 30/8", &f.in, at(2025, 8, 30, 10, 0, 0), e1, 3, NULL, 0,
	              TF_NONE);
	bad += decide("ordinary Sunday 31/8", &f.in, at(2025, 8, 31, 10, 0, 0), NULL, 0, NULL, 0,
	              slot(2025, 9, 3));
	teardown(&f);
	assert_int_equal(bad, 0);
}

/*
 * A restart long after the deadline (empty ledger, 21/8/2025): everything up
 * to x1 (13/8) is due; x1 alone goes out, missed by more than 7 days: a
 * summary. Reminders are skipped (deadline passed), e1, e7, e30 superseded;
 * the coordinating agency's e1, a catch-up, is recorded but not sent.
 */
static void test_backfill_summary(void **state)
{
	const struct want send[] = {
	    {"sxd", "x1", ROLE_LEAD, SCHED_SUMMARY},
	    {"stc", "x1", ROLE_LEAD, SCHED_SUMMARY},
	    {"skhcn", "x1", ROLE_MONITOR, SCHED_SUMMARY},
	    {"vpubnd", "x1", ROLE_SUPERVISOR, SCHED_SUMMARY},
	    {"ubnd", "x1", ROLE_SUPERVISOR, SCHED_SUMMARY},
	};
	const struct want skip[] = {
	    {"sxd", "r30", ROLE_LEAD, SCHED_REMINDER},
	    {"stc", "r30", ROLE_LEAD, SCHED_REMINDER},
	    {"svhttdl", "r30", ROLE_COORD, SCHED_REMINDER},
	    {"sxd", "r14", ROLE_LEAD, SCHED_REMINDER},
	    {"stc", "r14", ROLE_LEAD, SCHED_REMINDER},
	    {"svhttdl", "r14", ROLE_COORD, SCHED_REMINDER},
	    {"sxd", "r7", ROLE_LEAD, SCHED_REMINDER},
	    {"stc", "r7", ROLE_LEAD, SCHED_REMINDER},
	    {"svhttdl", "r7", ROLE_COORD, SCHED_REMINDER},
	    {"sxd", "r1", ROLE_LEAD, SCHED_REMINDER},
	    {"stc", "r1", ROLE_LEAD, SCHED_REMINDER},
	    {"svhttdl", "r1", ROLE_COORD, SCHED_REMINDER},
	    {"sxd", "r0", ROLE_LEAD, SCHED_REMINDER},
	    {"stc", "r0", ROLE_LEAD, SCHED_REMINDER},
	    {"svhttdl", "r0", ROLE_COORD, SCHED_REMINDER},
	    {"sxd", "e1", ROLE_LEAD, SCHED_ESCALATION},
	    {"stc", "e1", ROLE_LEAD, SCHED_ESCALATION},
	    {"svhttdl", "e1", ROLE_COORD, SCHED_SUMMARY},
	    {"sxd", "e7", ROLE_LEAD, SCHED_ESCALATION},
	    {"stc", "e7", ROLE_LEAD, SCHED_ESCALATION},
	    {"skhcn", "e7", ROLE_MONITOR, SCHED_ESCALATION},
	    {"sxd", "e30", ROLE_LEAD, SCHED_ESCALATION},
	    {"stc", "e30", ROLE_LEAD, SCHED_ESCALATION},
	    {"skhcn", "e30", ROLE_MONITOR, SCHED_ESCALATION},
	    {"vpubnd", "e30", ROLE_SUPERVISOR, SCHED_ESCALATION},
	    {"ubnd", "e30", ROLE_SUPERVISOR, SCHED_ESCALATION},
	};
	struct fixture f;
	int bad = 0;

	(void)state;
	setup(&f);
	bad += decide("restart on 21/8/2025", &f.in, at(2025, 8, 21, 9, 0, 0), send, 5, skip,
	              N_ELEMS(skip), slot(2025, 8, 27));
	teardown(&f);
	assert_int_equal(bad, 0);
}

/* "More than backfill days": exactly 7 days late is still an escalation. */
static void test_backfill_boundary(void **state)
{
	struct want send[] = {
	    {"sxd", "x1", ROLE_LEAD, SCHED_ESCALATION},
	    {"stc", "x1", ROLE_LEAD, SCHED_ESCALATION},
	    {"skhcn", "x1", ROLE_MONITOR, SCHED_ESCALATION},
	    {"vpubnd", "x1", ROLE_SUPERVISOR, SCHED_ESCALATION},
	    {"ubnd", "x1", ROLE_SUPERVISOR, SCHED_ESCALATION},
	};
	struct fixture f;
	int bad = 0;

	(void)state;
	setup(&f);
	bad += decide("x1 7 days late", &f.in, at(2025, 8, 20, 8, 0, 0), send, 5, NULL, ANY,
	              slot(2025, 8, 27));
	bad += decide("x1 1 day late", &f.in, at(2025, 8, 14, 9, 0, 0), send, 5, NULL, ANY,
	              slot(2025, 8, 27));
	for (size_t i = 0; i < N_ELEMS(send); i++)
		send[i].kind = SCHED_SUMMARY;
	bad += decide("x1 7 days and 1 s late", &f.in, at(2025, 8, 20, 8, 0, 1), send, 5, NULL, ANY,
	              slot(2025, 8, 27));

	/* backfill = 0: anything not sent at its slot is a summary. */
	f.policy.backfill_days = 0;
	for (size_t i = 0; i < N_ELEMS(send); i++)
		send[i].kind = SCHED_ESCALATION;
	bad += decide("backfill 0, on time", &f.in, slot(2025, 8, 13), send, 5, NULL, ANY,
	              slot(2025, 8, 27));
	for (size_t i = 0; i < N_ELEMS(send); i++)
		send[i].kind = SCHED_SUMMARY;
	bad += decide("backfill 0, 1 s late", &f.in, at(2025, 8, 13, 8, 0, 1), send, 5, NULL, ANY,
	              slot(2025, 8, 27));

	/* A reminder missed by more than backfill days, deadline not passed: a
	 * catch-up for the leads; the coordinating agency's is recorded, not sent. */
	f.policy.backfill_days = 3;
	const struct want r14[] = {
	    {"sxd", "r14", ROLE_LEAD, SCHED_SUMMARY},
	    {"stc", "r14", ROLE_LEAD, SCHED_SUMMARY},
	};
	bad += decide("r14 4 days late, backfill 3", &f.in, at(2025, 6, 20, 9, 0, 0), r14, 2, NULL,
	              4, slot(2025, 6, 23));
	teardown(&f);
	assert_int_equal(bad, 0);
}

/* A gia hạn: new step keys "r7@1"; the old "r7" no longer suppresses. */
static void test_extension_keys(void **state)
{
	const struct want send[] = {
	    {"sxd", "r7@1", ROLE_LEAD, SCHED_REMINDER},
	    {"svhttdl", "r7@1", ROLE_COORD, SCHED_REMINDER},
	};
	const struct want skip[] = {
	    {"sxd", "r30@1", ROLE_LEAD, SCHED_REMINDER},
	    {"sxd", "r14@1", ROLE_LEAD, SCHED_REMINDER},
	    {"svhttdl", "r30@1", ROLE_COORD, SCHED_REMINDER},
	    {"svhttdl", "r14@1", ROLE_COORD, SCHED_REMINDER},
	};
	struct fixture f;
	struct ledger l = {0};
	int bad = 0;

	(void)state;
	setup(&f);
	f.in.ext = 1;
	record(&l, "sxd", "r30");
	record(&l, "sxd", "r14");
	record(&l, "sxd", "r7");
	record(&l, "stc", "r30@1");
	record(&l, "stc", "r14@1");
	record(&l, "stc", "r7@1");
	use_ledger(&f, &l);
	bad +=
	    decide("ext 1", &f.in, at(2025, 6, 24, 9, 0, 0), send, 2, skip, 4, slot(2025, 6, 27));

	f.in.ext = 2;
	l.n = 0;
	record_all(&l, leads, 2, "e1@1");
	use_ledger(&f, &l);
	f.in.n_steps = 0;
	add_step(&f, "e1", POLICY_LEAD, slot(2025, 7, 1));
	const struct want e1[] = {
	    {"sxd", "e1@2", ROLE_LEAD, SCHED_ESCALATION},
	    {"stc", "e1@2", ROLE_LEAD, SCHED_ESCALATION},
	    {"svhttdl", "e1@2", ROLE_COORD, SCHED_ESCALATION},
	};
	bad += decide("ext 2", &f.in, at(2025, 7, 1, 9, 0, 0), e1, 3, NULL, 0, TF_NONE);
	teardown(&f);
	assert_int_equal(bad, 0);
}

/* Without a step list the scheduler asks policy_steps: same answers. */
static void test_policy_integration(void **state)
{
	const struct want r7[] = {
	    {"sxd", "r7", ROLE_LEAD, SCHED_REMINDER},
	    {"stc", "r7", ROLE_LEAD, SCHED_REMINDER},
	    {"svhttdl", "r7", ROLE_COORD, SCHED_REMINDER},
	};
	const struct want x1[] = {
	    {"sxd", "x1", ROLE_LEAD, SCHED_SUMMARY},
	    {"stc", "x1", ROLE_LEAD, SCHED_SUMMARY},
	    {"skhcn", "x1", ROLE_MONITOR, SCHED_SUMMARY},
	    {"vpubnd", "x1", ROLE_SUPERVISOR, SCHED_SUMMARY},
	    {"ubnd", "x1", ROLE_SUPERVISOR, SCHED_SUMMARY},
	};
	struct fixture f;
	struct sched_out out;
	int bad = 0;

	(void)state;
	setup(&f);
	f.in.steps = NULL;
	f.in.n_steps = 0;
	bad += decide("policy: r7", &f.in, at(2025, 6, 24, 9, 0, 0), r7, 3, NULL, 6,
	              slot(2025, 6, 27));
	bad += decide("policy: restart", &f.in, at(2025, 8, 21, 9, 0, 0), x1, 5, NULL, 26,
	              slot(2025, 8, 27));
	bad += decide("policy: nothing yet", &f.in, at(2025, 5, 1, 9, 0, 0), NULL, 0, NULL, 0,
	              slot(2025, 5, 30));
	/* r3 and r1 share Fri 27/6: only r1 exists, so at 27/6 there is one note each. */
	sched_decide(&f.in, at(2025, 6, 27, 9, 0, 0), &out);
	for (size_t i = 0; i < out.n_send; i++)
		if (strcmp(out.send[i].step, "r1")) {
			print_error("policy: 27/6: sent %s to %s, expected r1\n", out.send[i].step,
			            out.send[i].agency);
			bad++;
		}
	for (size_t i = 0; i < out.n_skip; i++)
		if (!strcmp(out.skip[i].step, "r3")) {
			print_error("policy: 27/6: r3 exists for %s\n", out.skip[i].agency);
			bad++;
		}
	sched_out_free(&out);
	teardown(&f);
	assert_int_equal(bad, 0);
}

/*
 * A group as lead: "UBND các xã, phường, đặc khu" stands for about a hundred
 * communes since 7/2025, each a lead of its own. Every one is reminded and
 * every one is escalated to, once, with the monitor and supervisors.
 */
static void test_many_recipients(void **state)
{
	enum { N = 110 };
	static char names[N][16];
	const char *many[N];
	struct fixture f;
	struct sched_out out;
	int bad = 0;

	(void)state;
	for (int i = 0; i < N; i++) {
		snprintf(names[i], sizeof(names[i]), "xa-%03d", i);
		many[i] = names[i];
	}
	setup(&f);
	f.in.leads = many;
	f.in.n_leads = N;

	sched_decide(&f.in, at(2025, 5, 30, 9, 0, 0), &out);
	/* N leads and the coordinating agency. */
	if (out.n_send != N + 1) {
		print_error("r30 to %d leads + 1 coordinating: %zu notes\n", N, out.n_send);
		bad++;
	}
	for (int i = 0; i < N; i++) {
		size_t hits = 0;
		for (size_t k = 0; k < out.n_send; k++)
			hits +=
			    !strcmp(out.send[k].agency, many[i]) && out.send[k].role == ROLE_LEAD;
		if (hits != 1) {
			print_error("r30: lead %s has %zu notes, expected 1\n", many[i], hits);
			bad++;
			break;
		}
	}
	sched_out_free(&out);

	f.in.n_steps = 0;
	add_step(&f, "e30", POLICY_SUPERVISOR, slot(2025, 7, 30));
	sched_decide(&f.in, at(2025, 7, 30, 9, 0, 0), &out);
	/* N leads, the monitor, two supervisors. */
	if (out.n_send != N + 3) {
		print_error("e30 to %d leads + monitor + 2 supervisors: %zu notes\n", N,
		            out.n_send);
		bad++;
	}
	for (size_t k = 0; k < out.n_send; k++)
		if (!strcmp(out.send[k].agency, "ubnd") && out.send[k].role != ROLE_SUPERVISOR)
			bad++;
	size_t ubnd = 0, skhcn = 0;
	for (size_t k = 0; k < out.n_send; k++) {
		ubnd += !strcmp(out.send[k].agency, "ubnd");
		skhcn += !strcmp(out.send[k].agency, "skhcn");
	}
	if (ubnd != 1 || skhcn != 1) {
		print_error("e30 with %d leads: ubnd %zu notes, skhcn %zu notes, expected 1 each\n",
		            N, ubnd, skhcn);
		bad++;
	}
	sched_out_free(&out);
	teardown(&f);
	assert_int_equal(bad, 0);
}

/*
 * A weekly or monthly duty goes to the lead only: no reminder and no
 * escalation to a coordinating agency, whatever "coordinating" says.
 */
static void test_short_cycles_lead_only(void **state)
{
	static const enum tf_kind kinds[] = {TF_WEEKLY, TF_MONTHLY};
	const struct want r7[] = {
	    {"sxd", "r7", ROLE_LEAD, SCHED_REMINDER},
	    {"stc", "r7", ROLE_LEAD, SCHED_REMINDER},
	};
	const struct want e1[] = {
	    {"sxd", "e1", ROLE_LEAD, SCHED_ESCALATION},
	    {"stc", "e1", ROLE_LEAD, SCHED_ESCALATION},
	};
	struct fixture f;
	struct ledger l = {0};
	int bad = 0;

	(void)state;
	setup(&f);
	for (size_t i = 0; i < N_ELEMS(kinds); i++) {
		f.in.kind = kinds[i];
		l.n = 0;
		use_ledger(&f, &l);
		bad += decide("short cycle, r7", &f.in, at(2025, 6, 24, 9, 0, 0), r7, 2, NULL, ANY,
		              slot(2025, 6, 27));
		record_reminders(&l);
		use_ledger(&f, &l);
		bad += decide("short cycle, e1", &f.in, at(2025, 7, 1, 9, 0, 0), e1, 2, NULL, ANY,
		              slot(2025, 7, 7));
	}
	teardown(&f);
	assert_int_equal(bad, 0);
}

/*
 * An occurrence of a recurring duty is missed once the next one is due:
 * then nothing is sent and it is recorded as missed. Before that, steps at
 * or after the next due do not count, and with nothing left to send it is
 * looked at again before the next one's reminders (its lead: 30 days for
 * r30) and at the next due.
 */
static void test_missed(void **state)
{
	const struct {
		const char *label;
		time_t now, missed_at;
		bool all_recorded; /* else up to e7 */
		bool missed;
		size_t sent;
		time_t next;
	} cases[] = {
	    {"the next one is due: missed", at(2025, 8, 13, 9, 0, 0), at(2025, 8, 13, 0, 0, 0),
	     false, true, 0, TF_NONE},
	    {"long after: missed", at(2025, 12, 1, 9, 0, 0), at(2025, 8, 12, 23, 59, 59), false,
	     true, 0, TF_NONE},
	    /* e30 goes out; x1.. fall after the next due: then the missed check. */
	    {"steps after the next due do not count", at(2025, 7, 30, 9, 0, 0),
	     at(2025, 8, 12, 23, 59, 59), false, false, 5, slot(2025, 8, 13)},
	    /* 31/12 23:59:59 less r30's lead (31 days 16 h) and a day: Fri 28/11. */
	    {"nothing left: a look before the next one's reminders", at(2025, 8, 13, 9, 0, 0),
	     at(2025, 12, 31, 23, 59, 59), true, false, 0, slot(2025, 11, 28)},
	    /* 1/1/2026 is a holiday. */
	    {"nothing left, that look past: at the next due", at(2025, 12, 1, 9, 0, 0),
	     at(2025, 12, 31, 23, 59, 59), true, false, 0, slot(2026, 1, 2)},
	};
	static const char *const late[] = {"e30", "x1", "x2", "x3", "x4", "x5", "x6"};
	struct fixture f;
	int bad = 0;

	(void)state;
	setup(&f);
	f.in.kind = TF_QUARTERLY;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		struct ledger l = {0};
		struct sched_out out;
		char a1[48], b1[48];
		record_reminders(&l);
		record_all(&l, leads, 2, "e1");
		record_all(&l, coords, 1, "e1");
		record_all(&l, leads, 2, "e7");
		record(&l, "skhcn", "e7");
		for (size_t k = 0; cases[i].all_recorded && k < N_ELEMS(late); k++) {
			record_all(&l, leads, 2, late[k]);
			record(&l, "skhcn", late[k]);
			record_all(&l, supervisors, 2, late[k]);
		}
		use_ledger(&f, &l);
		f.in.missed_at = cases[i].missed_at;
		sched_decide(&f.in, cases[i].now, &out);
		if (out.missed != cases[i].missed || out.n_send != cases[i].sent ||
		    out.next_at != cases[i].next) {
			print_error("%s: missed %d, %zu sent, next %s (want %d, %zu, %s)\n",
			            cases[i].label, out.missed, out.n_send,
			            show_time(out.next_at, a1, sizeof(a1)), cases[i].missed,
			            cases[i].sent, show_time(cases[i].next, b1, sizeof(b1)));
			bad++;
		}
		sched_out_free(&out);
	}
	teardown(&f);
	assert_int_equal(bad, 0);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(sched_kind_name(SCHED_REMINDER), "reminder");
	assert_string_equal(sched_kind_name(SCHED_ESCALATION), "escalation");
	assert_string_equal(sched_kind_name(SCHED_SUMMARY), "summary");
	assert_string_equal(sched_role_name(ROLE_LEAD), "lead");
	assert_string_equal(sched_role_name(ROLE_COORD), "coordinating");
	assert_string_equal(sched_role_name(ROLE_MONITOR), "monitor");
	assert_string_equal(sched_role_name(ROLE_SUPERVISOR), "supervisor");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_final_statuses),
	    cmocka_unit_test(test_nothing_due_yet),
	    cmocka_unit_test(test_first_reminder),
	    cmocka_unit_test(test_ledger_suppresses),
	    cmocka_unit_test(test_latest_only),
	    cmocka_unit_test(test_reminder_after_deadline),
	    cmocka_unit_test(test_escalation_levels),
	    cmocka_unit_test(test_all_recorded),
	    cmocka_unit_test(test_closest_role),
	    cmocka_unit_test(test_waiting),
	    cmocka_unit_test(test_office_hours),
	    cmocka_unit_test(test_holidays_and_swapped_saturday),
	    cmocka_unit_test(test_backfill_summary),
	    cmocka_unit_test(test_backfill_boundary),
	    cmocka_unit_test(test_extension_keys),
	    cmocka_unit_test(test_policy_integration),
	    cmocka_unit_test(test_many_recipients),
	    cmocka_unit_test(test_short_cycles_lead_only),
	    cmocka_unit_test(test_missed),
	    cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
