/*
 * Unit tests for policy: the reminder and escalation steps of one
 * occurrence, and the INI values that configure them. The expected slots
 * are worked out by hand from include/policy.h, the domain notes and the
 * real calendar (weekdays, national holidays, Tết 2026 = 17/2/2026).
 */
#include "check.h"

#include "cal.h"
#include "date.h"
#include "policy.h"
#include "timeframe.h"

#include <stdio.h>
#include <string.h>

#define MAX_OUT 64

static const char *show_time(time_t t, char *buf, size_t len)
{
	static const char *const wd[] = {"?", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
	struct date_civil c;

	date_split(t, TZ, &c);
	snprintf(buf, len, "%04d-%02d-%02d %02d:%02d (%s)", c.year, c.month, c.day, c.hour,
	         c.minute, wd[c.weekday]);
	return buf;
}

static const char *level_name(enum policy_level l)
{
	static const char *const names[] = {"remind", "lead", "monitor", "supervisor"};

	return (unsigned)l < N_ELEMS(names) ? names[l] : "(bad level)";
}

/* Sets keys on a policy, failing the test on any error. */
static void set(struct policy *p, const char *key, const char *value, enum tf_kind kind)
{
	char err[160] = "";

	if (policy_set(p, key, value, kind, err, sizeof(err)) != 0) {
		print_error("policy_set(%s = \"%s\") failed: %s\n", key, value, err);
		fail();
	}
}

struct want_step {
	const char *id;
	enum policy_level level;
	time_t at;
};

static void dump(const char *label, const struct policy_step *got, int n)
{
	char b[40];

	print_error("%s: got %d steps:\n", label, n);
	for (int i = 0; i < n; i++)
		print_error("  %-6s %-10s %s\n", got[i].id, level_name(got[i].level),
		            show_time(got[i].at, b, sizeof(b)));
}

/* Compares the whole list; on a mismatch prints what differs and everything got. */
static int check_steps(const char *label, const struct policy_step *got, int n,
                       const struct want_step *want, int nw)
{
	char a[40], b[40];
	int bad = 0;

	if (n != nw) {
		print_error("%s: %d steps, expected %d\n", label, n, nw);
		bad++;
	}
	for (int i = 0; i < n && i < nw; i++) {
		if (strcmp(got[i].id, want[i].id) || got[i].level != want[i].level ||
		    got[i].at != want[i].at) {
			print_error("%s: step %d is %s/%s at %s, expected %s/%s at %s\n", label, i,
			            got[i].id, level_name(got[i].level),
			            show_time(got[i].at, a, sizeof(a)), want[i].id,
			            level_name(want[i].level), show_time(want[i].at, b, sizeof(b)));
			bad++;
		}
	}
	if (bad)
		dump(label, got, n);
	return bad;
}

static int steps_of(const struct policy *p, const struct cal *c, enum tf_kind kind, time_t due,
                    struct policy_step *out)
{
	memset(out, 0x5A, MAX_OUT * sizeof(*out));
	int n = policy_steps(p, c, kind, due, out, MAX_OUT);
	assert_true(n >= 0 && n <= MAX_OUT);
	return n;
}

/* ---- defaults ---------------------------------------------------------- */

static void expect_list(const char *what, const struct policy_list *l, const int *days, int n)
{
	int bad = l->n != n;

	for (int i = 0; !bad && i < n; i++)
		bad = l->at[i].days != days[i] || l->at[i].working;
	if (bad) {
		print_error("%s: n=%d:", what, l->n);
		for (int i = 0; i < l->n && i < POLICY_MAX_STEPS; i++)
			print_error(" %d%s", l->at[i].days, l->at[i].working ? "wd" : "");
		print_error(", expected %d entries\n", n);
		fail();
	}
}

static void test_default(void **state)
{
	static const int once[] = {30, 14, 7, 3, 1, 0}, yearly[] = {30, 7, 1}, cycle[] = {14, 7, 1},
	                 monthly[] = {7, 1}, weekly[] = {1};
	struct policy p;

	(void)state;
	memset(&p, 0x77, sizeof(p));
	policy_default(&p);
	expect_list("once", &p.remind[TF_ONCE], once, 6);
	expect_list("period", &p.remind[TF_PERIOD], once, 6);
	expect_list("yearly", &p.remind[TF_YEARLY], yearly, 3);
	expect_list("half-yearly", &p.remind[TF_HALF_YEARLY], cycle, 3);
	expect_list("quarterly", &p.remind[TF_QUARTERLY], cycle, 3);
	expect_list("monthly", &p.remind[TF_MONTHLY], monthly, 2);
	expect_list("weekly", &p.remind[TF_WEEKLY], weekly, 1);
	assert_int_equal(p.remind[TF_ONGOING].n, 0);
	assert_int_equal(p.remind[TF_EVENT].n, 0);
	assert_int_equal(p.remind[TF_UNPARSED].n, 0);
	assert_int_equal(p.n_escalations, 3);
	assert_int_equal(p.escalate[0].after.days, 1);
	assert_false(p.escalate[0].after.working);
	assert_int_equal(p.escalate[0].level, POLICY_LEAD);
	assert_int_equal(p.escalate[1].after.days, 7);
	assert_int_equal(p.escalate[1].level, POLICY_MONITOR);
	assert_int_equal(p.escalate[2].after.days, 30);
	assert_int_equal(p.escalate[2].level, POLICY_SUPERVISOR);
	assert_int_equal(p.repeat.days, 14);
	assert_false(p.repeat.working);
	assert_int_equal(p.repeat_limit, 6);
	assert_int_equal(p.backfill_days, 7);
	assert_true(p.remind_coordinating);
}

/* ---- policy_set -------------------------------------------------------- */

static void test_set_remind_lists(void **state)
{
	struct policy p;
	char err[160];

	(void)state;
	policy_default(&p);
	set(&p, "remind.once", "30 14 7 3 1 0", TF_UNPARSED);
	static const int once[] = {30, 14, 7, 3, 1, 0};
	expect_list("remind.once", &p.remind[TF_ONCE], once, 6);

	set(&p, "remind.yearly", "60 30", TF_ONCE);
	static const int yearly[] = {60, 30};
	expect_list("remind.yearly", &p.remind[TF_YEARLY], yearly, 2);
	expect_list("remind.once untouched", &p.remind[TF_ONCE], once, 6);

	set(&p, "remind.half-yearly", "21", TF_ONCE);
	static const int half[] = {21};
	expect_list("remind.half-yearly", &p.remind[TF_HALF_YEARLY], half, 1);

	set(&p, "remind.period", "90 30", TF_ONCE);
	static const int period[] = {90, 30};
	expect_list("remind.period", &p.remind[TF_PERIOD], period, 2);

	/* The bare key is the task's own list, for the kind given. */
	set(&p, "remind", "5wd 1", TF_MONTHLY);
	assert_int_equal(p.remind[TF_MONTHLY].n, 2);
	assert_int_equal(p.remind[TF_MONTHLY].at[0].days, 5);
	assert_true(p.remind[TF_MONTHLY].at[0].working);
	assert_int_equal(p.remind[TF_MONTHLY].at[1].days, 1);
	assert_false(p.remind[TF_MONTHLY].at[1].working);
	expect_list("remind.yearly untouched", &p.remind[TF_YEARLY], yearly, 2);

	/* Twelve offsets fit. */
	set(&p, "remind.weekly", "12 11 10 9 8 7 6 5 4 3 2 1", TF_ONCE);
	assert_int_equal(p.remind[TF_WEEKLY].n, 12);
	assert_int_equal(p.remind[TF_WEEKLY].at[11].days, 1);

	/* An empty list: no reminders. */
	set(&p, "remind.quarterly", "", TF_ONCE);
	assert_int_equal(p.remind[TF_QUARTERLY].n, 0);

	err[0] = '\0';
	assert_int_equal(
	    policy_set(&p, "remind.once", "7 7 7 7 7 7 7 7 7 7 7 7 7", TF_ONCE, err, sizeof(err)),
	    -1);
	assert_true(err[0] != '\0');
	expect_list("remind.once after a refused value", &p.remind[TF_ONCE], once, 6);
}

static void test_set_errors(void **state)
{
	static const struct {
		const char *key, *value;
		enum tf_kind kind;
	} cases[] = {
	    {"remind.once", "7 x", TF_ONCE},    {"remind.once", "-1", TF_ONCE},
	    {"remind.once", "7days", TF_ONCE},  {"remind.once", "1.5", TF_ONCE},
	    {"remind.bogus", "7", TF_ONCE},     {"remind.ongoing", "7", TF_ONCE},
	    {"remind.event", "7", TF_ONCE},     {"remind", "7", TF_ONGOING},
	    {"remind", "7", TF_EVENT},          {"remind", "7", TF_UNPARSED},
	    {"escalate", "7:boss", TF_ONCE},    {"escalate", "7", TF_ONCE},
	    {"escalate", "lead", TF_ONCE},      {"escalate", ":lead", TF_ONCE},
	    {"escalate", "1:lead 7:", TF_ONCE}, {"escalate", "x:monitor", TF_ONCE},
	    {"escalate", "-1:lead", TF_ONCE},   {"repeat", "x", TF_ONCE},
	    {"repeat", "-14", TF_ONCE},         {"repeat", "", TF_ONCE},
	    {"repeat_limit", "-1", TF_ONCE},    {"repeat_limit", "abc", TF_ONCE},
	    {"repeat_limit", "3x", TF_ONCE},    {"repeat_limit", "", TF_ONCE},
	    {"backfill", "seven", TF_ONCE},     {"backfill", "-1", TF_ONCE},
	    {"coordinating", "maybe", TF_ONCE}, {"coordinating", "", TF_ONCE},
	    {"frobnicate", "1", TF_ONCE},       {"", "1", TF_ONCE},
	};
	int bad = 0;

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		struct policy p, before;
		char err[160];
		policy_default(&p);
		memcpy(&before, &p, sizeof(p));
		memset(err, 0, sizeof(err));
		int rc =
		    policy_set(&p, cases[i].key, cases[i].value, cases[i].kind, err, sizeof(err));
		if (rc != -1) {
			print_error("policy_set(%s = \"%s\", kind %d) = %d, expected -1\n",
			            cases[i].key, cases[i].value, (int)cases[i].kind, rc);
			bad++;
			continue;
		}
		if (err[0] == '\0') {
			print_error("policy_set(%s = \"%s\"): no reason in err\n", cases[i].key,
			            cases[i].value);
			bad++;
		}
		if (memcmp(&p, &before, sizeof(p)) != 0) {
			print_error("policy_set(%s = \"%s\") failed but changed the policy\n",
			            cases[i].key, cases[i].value);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

static void test_set_escalate(void **state)
{
	struct policy p;

	(void)state;
	policy_default(&p);
	set(&p, "escalate", "2:lead 5wd:monitor 20:supervisor 40:supervisor", TF_ONCE);
	assert_int_equal(p.n_escalations, 4);
	assert_int_equal(p.escalate[0].after.days, 2);
	assert_false(p.escalate[0].after.working);
	assert_int_equal(p.escalate[0].level, POLICY_LEAD);
	assert_int_equal(p.escalate[1].after.days, 5);
	assert_true(p.escalate[1].after.working);
	assert_int_equal(p.escalate[1].level, POLICY_MONITOR);
	assert_int_equal(p.escalate[2].after.days, 20);
	assert_int_equal(p.escalate[2].level, POLICY_SUPERVISOR);
	assert_int_equal(p.escalate[3].after.days, 40);
	assert_int_equal(p.escalate[3].level, POLICY_SUPERVISOR);

	set(&p, "escalate", "1:lead 7:monitor 30:supervisor", TF_ONCE);
	assert_int_equal(p.n_escalations, 3);
	assert_int_equal(p.escalate[2].after.days, 30);

	/* Nothing: no escalation at all. */
	set(&p, "escalate", "", TF_ONCE);
	assert_int_equal(p.n_escalations, 0);
}

static void test_set_scalars(void **state)
{
	struct policy p;

	(void)state;
	policy_default(&p);
	set(&p, "repeat", "10wd", TF_ONCE);
	assert_int_equal(p.repeat.days, 10);
	assert_true(p.repeat.working);
	set(&p, "repeat", "21", TF_ONCE);
	assert_int_equal(p.repeat.days, 21);
	assert_false(p.repeat.working);
	set(&p, "repeat", "none", TF_ONCE);
	assert_int_equal(p.repeat.days, 0);
	set(&p, "repeat_limit", "3", TF_ONCE);
	assert_int_equal(p.repeat_limit, 3);
	set(&p, "repeat_limit", "0", TF_ONCE);
	assert_int_equal(p.repeat_limit, 0);
	set(&p, "backfill", "30", TF_ONCE);
	assert_int_equal(p.backfill_days, 30);
	set(&p, "backfill", "0", TF_ONCE);
	assert_int_equal(p.backfill_days, 0);

	static const struct {
		const char *v;
		bool want;
	} bools[] = {{"no", false},  {"yes", true},  {"false", false},
	             {"true", true}, {"off", false}, {"on", true}};
	for (size_t i = 0; i < N_ELEMS(bools); i++) {
		p.remind_coordinating = !bools[i].want;
		set(&p, "coordinating", bools[i].v, TF_ONCE);
		if (p.remind_coordinating != bools[i].want) {
			print_error("coordinating = %s gave %d\n", bools[i].v,
			            p.remind_coordinating);
			fail();
		}
	}
}

static void test_is_key(void **state)
{
	static const char *const yes[] = {
	    "remind",         "remind.once",      "remind.period",      "remind.yearly",
	    "remind.monthly", "remind.quarterly", "remind.half-yearly", "remind.weekly",
	    "escalate",       "repeat",           "repeat_limit",       "backfill",
	    "coordinating",   "escalate.weekly",  "repeat.monthly",     "repeat_limit.yearly",
	};
	static const char *const no[] = {
	    "remind.", "remind.bogus", "reminder", "escalation",      "title",          "lead", "",
	    "Repeat",  "timeframe",    "monitor",  "backfill.weekly", "escalate.bogus",
	};

	(void)state;
	for (size_t i = 0; i < N_ELEMS(yes); i++)
		if (!policy_is_key(yes[i])) {
			print_error("policy_is_key(\"%s\") is false\n", yes[i]);
			fail();
		}
	for (size_t i = 0; i < N_ELEMS(no); i++)
		if (policy_is_key(no[i])) {
			print_error("policy_is_key(\"%s\") is true\n", no[i]);
			fail();
		}
}

/* ---- last day ---------------------------------------------------------- */

static void test_last_day(void **state)
{
	const struct {
		time_t due;
		int y, m, d;
		const char *why;
	} cases[] = {
	    {at(2025, 12, 15, 0, 0, 0), 2025, 12, 14, "trước ngày 15/12: 00:00 on 15/12"},
	    {at(2025, 6, 30, 23, 59, 59), 2025, 6, 30, "end of 30/6"},
	    {at(2025, 6, 30, 12, 0, 0), 2025, 6, 30, "noon on 30/6"},
	    {at(2026, 1, 1, 0, 0, 0), 2025, 12, 31, "00:00 on 1/1/2026"},
	    {at(2025, 7, 1, 0, 0, 1), 2025, 7, 1, "00:00:01 on 1/7"},
	    {at(2025, 6, 30, 0, 0, 0), 2025, 6, 29, "Monday 00:00: the Sunday"},
	};
	int bad = 0;

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		int64_t got = policy_last_day(cases[i].due, TZ);
		if (got != day(cases[i].y, cases[i].m, cases[i].d)) {
			int y, m, d;
			date_civil_from_days(got, &y, &m, &d);
			print_error(
			    "policy_last_day [%s] = %04d-%02d-%02d, expected %04d-%02d-%02d\n",
			    cases[i].why, y, m, d, cases[i].y, cases[i].m, cases[i].d);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

/* ---- steps with the shipped policy -------------------------------------- */

/*
 * "Quý II/2025": due at the end of Monday 30/6/2025.
 * r30 → Sat 31/5 → Fri 30/5; r14 → Mon 16/6; r7 → Mon 23/6; r3 → Fri 27/6;
 * r1 → Sun 29/6 → Fri 27/6, the same slot as r3: r1 (the later) stays;
 * r0 → Mon 30/6. e1 Tue 1/7, e7 Mon 7/7, e30 Wed 30/7, then every 14 days
 * six times: 13/8, 27/8, 10/9, 24/9, 8/10, 22/10 (all Wednesdays).
 */
static void test_steps_once_default(void **state)
{
	const struct want_step want[] = {
	    {"r30", POLICY_REMIND, slot(2025, 5, 30)},
	    {"r14", POLICY_REMIND, slot(2025, 6, 16)},
	    {"r7", POLICY_REMIND, slot(2025, 6, 23)},
	    {"r1", POLICY_REMIND, slot(2025, 6, 27)},
	    {"r0", POLICY_REMIND, slot(2025, 6, 30)},
	    {"e1", POLICY_LEAD, slot(2025, 7, 1)},
	    {"e7", POLICY_MONITOR, slot(2025, 7, 7)},
	    {"e30", POLICY_SUPERVISOR, slot(2025, 7, 30)},
	    {"x1", POLICY_SUPERVISOR, slot(2025, 8, 13)},
	    {"x2", POLICY_SUPERVISOR, slot(2025, 8, 27)},
	    {"x3", POLICY_SUPERVISOR, slot(2025, 9, 10)},
	    {"x4", POLICY_SUPERVISOR, slot(2025, 9, 24)},
	    {"x5", POLICY_SUPERVISOR, slot(2025, 10, 8)},
	    {"x6", POLICY_SUPERVISOR, slot(2025, 10, 22)},
	};
	struct policy p;
	struct cal c;
	struct policy_step out[MAX_OUT];

	(void)state;
	policy_default(&p);
	office_calendar(&c);
	int n = steps_of(&p, &c, TF_ONCE, at(2025, 6, 30, 23, 59, 59), out);
	int bad = check_steps("once due 30/6/2025 23:59:59", out, n, want, (int)N_ELEMS(want));
	/* A period is reminded like a one-off. */
	n = steps_of(&p, &c, TF_PERIOD, at(2025, 6, 30, 23, 59, 59), out);
	bad += check_steps("period due 30/6/2025 23:59:59", out, n, want, (int)N_ELEMS(want));
	cal_free(&c);
	assert_int_equal(bad, 0);
}

/*
 * "trước ngày 15/12 hàng năm", 2025: due Monday 15/12 00:00, last day Sunday
 * 14/12. r30 Fri 14/11; r7 → Sun 7/12 → Fri 5/12; r1 → Sat 13/12 → Fri 12/12.
 * e1 Mon 15/12 08:00 (after the deadline); e7 → Sun 21/12 → Mon 22/12;
 * e30 Tue 13/1/2026; x1..x6 every 14 days: 27/1, 10/2, 24/2, 10/3, 24/3, 7/4.
 */
static void test_steps_yearly_before_monday(void **state)
{
	const struct want_step want[] = {
	    {"r30", POLICY_REMIND, slot(2025, 11, 14)},
	    {"r7", POLICY_REMIND, slot(2025, 12, 5)},
	    {"r1", POLICY_REMIND, slot(2025, 12, 12)},
	    {"e1", POLICY_LEAD, slot(2025, 12, 15)},
	    {"e7", POLICY_MONITOR, slot(2025, 12, 22)},
	    {"e30", POLICY_SUPERVISOR, slot(2026, 1, 13)},
	    {"x1", POLICY_SUPERVISOR, slot(2026, 1, 27)},
	    {"x2", POLICY_SUPERVISOR, slot(2026, 2, 10)},
	    {"x3", POLICY_SUPERVISOR, slot(2026, 2, 24)},
	    {"x4", POLICY_SUPERVISOR, slot(2026, 3, 10)},
	    {"x5", POLICY_SUPERVISOR, slot(2026, 3, 24)},
	    {"x6", POLICY_SUPERVISOR, slot(2026, 4, 7)},
	};
	struct policy p;
	struct cal c;
	struct policy_step out[MAX_OUT];

	(void)state;
	policy_default(&p);
	office_calendar(&c);
	int n = steps_of(&p, &c, TF_YEARLY, at(2025, 12, 15, 0, 0, 0), out);
	int bad = check_steps("yearly due 15/12/2025 00:00", out, n, want, (int)N_ELEMS(want));
	cal_free(&c);
	assert_int_equal(bad, 0);
}

/*
 * A one-off due Monday 15/12/2025 00:00 with the six default reminders:
 * r14 → Sun 30/11 → Fri 28/11; r3 Thu 11/12; r1 (Sat) and r0 (Sun) both
 * land on Fri 12/12: only r0, the later one, is kept.
 */
static void test_steps_monday_midnight_tie(void **state)
{
	const struct want_step want[] = {
	    {"r30", POLICY_REMIND, slot(2025, 11, 14)}, {"r14", POLICY_REMIND, slot(2025, 11, 28)},
	    {"r7", POLICY_REMIND, slot(2025, 12, 5)},   {"r3", POLICY_REMIND, slot(2025, 12, 11)},
	    {"r0", POLICY_REMIND, slot(2025, 12, 12)},
	};
	struct policy p;
	struct cal c;
	struct policy_step out[MAX_OUT];

	(void)state;
	policy_default(&p);
	set(&p, "escalate", "", TF_ONCE);
	office_calendar(&c);
	int n = steps_of(&p, &c, TF_ONCE, at(2025, 12, 15, 0, 0, 0), out);
	int bad = check_steps("once due Mon 15/12/2025 00:00", out, n, want, (int)N_ELEMS(want));
	cal_free(&c);
	assert_int_equal(bad, 0);
}

/*
 * The same offsets written in another order must give the same steps: ids
 * depend on what was written, not on positions, and of r1 and r0 in one
 * slot the later (r0) is kept whatever the order of the list.
 */
static void test_steps_list_order_irrelevant(void **state)
{
	static const char *const lists[] = {"3 1 0", "0 1 3", "1 3 0", "0 3 1"};
	const struct want_step want[] = {
	    {"r3", POLICY_REMIND, slot(2025, 12, 11)},
	    {"r0", POLICY_REMIND, slot(2025, 12, 12)},
	};
	struct policy p;
	struct cal c;
	struct policy_step out[MAX_OUT];
	int bad = 0;

	(void)state;
	office_calendar(&c);
	for (size_t i = 0; i < N_ELEMS(lists); i++) {
		char label[80];
		policy_default(&p);
		set(&p, "escalate", "", TF_ONCE);
		set(&p, "remind.once", lists[i], TF_ONCE);
		snprintf(label, sizeof(label), "remind.once = \"%s\", due Mon 15/12/2025 00:00",
		         lists[i]);
		int n = steps_of(&p, &c, TF_ONCE, at(2025, 12, 15, 0, 0, 0), out);
		bad += check_steps(label, out, n, want, (int)N_ELEMS(want));
	}
	cal_free(&c);
	assert_int_equal(bad, 0);
}

/*
 * Due at the end of Friday 29/8/2025. e1 → Sat 30/8; Sun 31/8, Mon 1/9 and
 * Tue 2/9 are off: Wed 3/9. e7 Fri 5/9; e30 → Sun 28/9 → Mon 29/9; repeats
 * every 14 days land on Sundays too and move to the Mondays.
 */
static void test_steps_escalation_over_holiday(void **state)
{
	const struct want_step want[] = {
	    {"r30", POLICY_REMIND, slot(2025, 7, 30)},
	    {"r14", POLICY_REMIND, slot(2025, 8, 15)},
	    {"r7", POLICY_REMIND, slot(2025, 8, 22)},
	    {"r3", POLICY_REMIND, slot(2025, 8, 26)},
	    {"r1", POLICY_REMIND, slot(2025, 8, 28)},
	    {"r0", POLICY_REMIND, slot(2025, 8, 29)},
	    {"e1", POLICY_LEAD, slot(2025, 9, 3)},
	    {"e7", POLICY_MONITOR, slot(2025, 9, 5)},
	    {"e30", POLICY_SUPERVISOR, slot(2025, 9, 29)},
	    {"x1", POLICY_SUPERVISOR, slot(2025, 10, 13)},
	    {"x2", POLICY_SUPERVISOR, slot(2025, 10, 27)},
	    {"x3", POLICY_SUPERVISOR, slot(2025, 11, 10)},
	    {"x4", POLICY_SUPERVISOR, slot(2025, 11, 24)},
	    {"x5", POLICY_SUPERVISOR, slot(2025, 12, 8)},
	    {"x6", POLICY_SUPERVISOR, slot(2025, 12, 22)},
	};
	struct policy p;
	struct cal c;
	struct policy_step out[MAX_OUT];

	(void)state;
	policy_default(&p);
	office_calendar(&c);
	int n = steps_of(&p, &c, TF_ONCE, at(2025, 8, 29, 23, 59, 59), out);
	int bad = check_steps("once due 29/8/2025 23:59:59", out, n, want, (int)N_ELEMS(want));

	/* 30/4 and 1/5/2025 (Wed, Thu): e1 after a due on Tue 29/4 is Fri 2/5. */
	set(&p, "remind.once", "", TF_ONCE);
	set(&p, "escalate", "1:lead", TF_ONCE);
	set(&p, "repeat", "none", TF_ONCE);
	const struct want_step want2[] = {{"e1", POLICY_LEAD, slot(2025, 5, 2)}};
	n = steps_of(&p, &c, TF_ONCE, at(2025, 4, 29, 23, 59, 59), out);
	bad += check_steps("e1 after 29/4/2025", out, n, want2, 1);
	cal_free(&c);
	assert_int_equal(bad, 0);
}

/* Due at the end of Tuesday 8/4/2025, the day after Giỗ Tổ (Mon 7/4):
 * r1 → 7/4 → Fri 4/4; r3 → Sat 5/4 → Fri 4/4 too: r1 stays. */
static void test_steps_reminder_on_holiday(void **state)
{
	const struct want_step want[] = {
	    {"r1", POLICY_REMIND, slot(2025, 4, 4)},
	    {"r0", POLICY_REMIND, slot(2025, 4, 8)},
	};
	struct policy p;
	struct cal c;
	struct policy_step out[MAX_OUT];

	(void)state;
	policy_default(&p);
	set(&p, "remind.once", "3 1 0", TF_ONCE);
	set(&p, "escalate", "", TF_ONCE);
	office_calendar(&c);
	int n = steps_of(&p, &c, TF_ONCE, at(2025, 4, 8, 23, 59, 59), out);
	int bad = check_steps("once due 8/4/2025", out, n, want, (int)N_ELEMS(want));
	cal_free(&c);
	assert_int_equal(bad, 0);
}

/*
 * Working days across Tết 2026 (14..22/2 off), due at the end of Tue 24/2:
 * 5wd before: 23/2, 13/2, 12/2, 11/2, 10/2 → Tue 10/2; 1wd before → Mon
 * 23/2; 7 calendar days before is 17/2 (Tết) → Fri 13/2. Escalation 3wd
 * after: 25, 26, 27/2 → Fri 27/2; repeats every 2wd, twice: 3/3, 5/3.
 */
static void test_steps_working_days_across_tet(void **state)
{
	const struct want_step want[] = {
	    {"r5w", POLICY_REMIND, slot(2026, 2, 10)}, {"r7", POLICY_REMIND, slot(2026, 2, 13)},
	    {"r1w", POLICY_REMIND, slot(2026, 2, 23)}, {"e3w", POLICY_LEAD, slot(2026, 2, 27)},
	    {"x1", POLICY_LEAD, slot(2026, 3, 3)},     {"x2", POLICY_LEAD, slot(2026, 3, 5)},
	};
	struct policy p;
	struct cal c;
	struct policy_step out[MAX_OUT];

	(void)state;
	policy_default(&p);
	set(&p, "remind.once", "7 5wd 1wd", TF_ONCE);
	set(&p, "escalate", "3wd:lead", TF_ONCE);
	set(&p, "repeat", "2wd", TF_ONCE);
	set(&p, "repeat_limit", "2", TF_ONCE);
	office_calendar(&c);
	int n = steps_of(&p, &c, TF_ONCE, at(2026, 2, 24, 23, 59, 59), out);
	int bad = check_steps("once due 24/2/2026, wd offsets", out, n, want, (int)N_ELEMS(want));
	cal_free(&c);
	assert_int_equal(bad, 0);
}

/*
 * Escalations in one slot: due at the end of Fri 13/2/2026, e1 (Sat 14/2)
 * and e1w both land on Mon 23/2 after Tết: e1w (monitor, the later) stays.
 * e5w: 23..27/2 → Fri 27/2; repeats every 5wd: Fri 6/3, Fri 13/3.
 */
static void test_steps_escalation_tie(void **state)
{
	const struct want_step want[] = {
	    {"e1w", POLICY_MONITOR, slot(2026, 2, 23)},
	    {"e5w", POLICY_SUPERVISOR, slot(2026, 2, 27)},
	    {"x1", POLICY_SUPERVISOR, slot(2026, 3, 6)},
	    {"x2", POLICY_SUPERVISOR, slot(2026, 3, 13)},
	};
	struct policy p;
	struct cal c;
	struct policy_step out[MAX_OUT];

	(void)state;
	policy_default(&p);
	set(&p, "remind.once", "", TF_ONCE);
	set(&p, "escalate", "1:lead 1wd:monitor 5wd:supervisor", TF_ONCE);
	set(&p, "repeat", "5wd", TF_ONCE);
	set(&p, "repeat_limit", "2", TF_ONCE);
	office_calendar(&c);
	int n = steps_of(&p, &c, TF_ONCE, at(2026, 2, 13, 23, 59, 59), out);
	int bad =
	    check_steps("once due 13/2/2026, escalation tie", out, n, want, (int)N_ELEMS(want));
	cal_free(&c);
	assert_int_equal(bad, 0);
}

/*
 * Escalations written in another order: the same steps. The last escalation
 * is e30 (supervisor), so the repeats follow it, every 14 days, at its level.
 */
static void test_steps_escalation_order_irrelevant(void **state)
{
	static const char *const lists[] = {
	    "1:lead 7:monitor 30:supervisor",
	    "30:supervisor 1:lead 7:monitor",
	    "7:monitor 30:supervisor 1:lead",
	};
	const struct want_step want[] = {
	    {"e1", POLICY_LEAD, slot(2025, 7, 1)},
	    {"e7", POLICY_MONITOR, slot(2025, 7, 7)},
	    {"e30", POLICY_SUPERVISOR, slot(2025, 7, 30)},
	    {"x1", POLICY_SUPERVISOR, slot(2025, 8, 13)},
	    {"x2", POLICY_SUPERVISOR, slot(2025, 8, 27)},
	};
	struct policy p;
	struct cal c;
	struct policy_step out[MAX_OUT];
	int bad = 0;

	(void)state;
	office_calendar(&c);
	for (size_t i = 0; i < N_ELEMS(lists); i++) {
		char label[96];
		policy_default(&p);
		set(&p, "remind.once", "", TF_ONCE);
		set(&p, "repeat_limit", "2", TF_ONCE);
		set(&p, "escalate", lists[i], TF_ONCE);
		snprintf(label, sizeof(label), "escalate = \"%s\", due 30/6/2025", lists[i]);
		int n = steps_of(&p, &c, TF_ONCE, at(2025, 6, 30, 23, 59, 59), out);
		bad += check_steps(label, out, n, want, (int)N_ELEMS(want));
	}
	cal_free(&c);
	assert_int_equal(bad, 0);
}

/* Repeat limits: 2 repeats, none, no repeat interval, no escalation at all. */
static void test_steps_repeat_limits(void **state)
{
	const time_t due = at(2025, 6, 30, 23, 59, 59);
	struct policy p;
	struct cal c;
	struct policy_step out[MAX_OUT];
	int n, bad = 0;

	(void)state;
	office_calendar(&c);

	policy_default(&p);
	set(&p, "remind.once", "", TF_ONCE);
	set(&p, "repeat_limit", "2", TF_ONCE);
	const struct want_step two[] = {
	    {"e1", POLICY_LEAD, slot(2025, 7, 1)},
	    {"e7", POLICY_MONITOR, slot(2025, 7, 7)},
	    {"e30", POLICY_SUPERVISOR, slot(2025, 7, 30)},
	    {"x1", POLICY_SUPERVISOR, slot(2025, 8, 13)},
	    {"x2", POLICY_SUPERVISOR, slot(2025, 8, 27)},
	};
	n = steps_of(&p, &c, TF_ONCE, due, out);
	bad += check_steps("repeat_limit = 2", out, n, two, (int)N_ELEMS(two));

	set(&p, "repeat_limit", "0", TF_ONCE);
	n = steps_of(&p, &c, TF_ONCE, due, out);
	bad += check_steps("repeat_limit = 0", out, n, two, 3);

	set(&p, "repeat_limit", "6", TF_ONCE);
	set(&p, "repeat", "none", TF_ONCE);
	n = steps_of(&p, &c, TF_ONCE, due, out);
	bad += check_steps("repeat = none", out, n, two, 3);

	/* Repeats follow the last escalation, at its level. */
	set(&p, "repeat", "7", TF_ONCE);
	set(&p, "repeat_limit", "1", TF_ONCE);
	set(&p, "escalate", "2:monitor", TF_ONCE);
	const struct want_step monitor[] = {
	    {"e2", POLICY_MONITOR, slot(2025, 7, 2)},
	    {"x1", POLICY_MONITOR, slot(2025, 7, 9)},
	};
	n = steps_of(&p, &c, TF_ONCE, due, out);
	bad += check_steps("escalate = 2:monitor, repeat 7 once", out, n, monitor, 2);

	/* No escalation: nothing to repeat. */
	set(&p, "escalate", "", TF_ONCE);
	n = steps_of(&p, &c, TF_ONCE, due, out);
	bad += check_steps("no escalation", out, n, NULL, 0);

	cal_free(&c);
	assert_int_equal(bad, 0);
}

/*
 * Reminders arrive before the deadline. Due at 07:00 on Mon 30/6/2025 (before
 * the 08:00 slot): r0's slot that day would be after the deadline, so it
 * moves to Fri 27/6, where r1 (Sunday) also lands; r0 stays. e0 is the first
 * slot at or after the deadline: 30/6 08:00.
 */
static void test_steps_reminder_before_deadline(void **state)
{
	struct policy p;
	struct cal c;
	struct policy_step out[MAX_OUT];
	int n, bad = 0;

	(void)state;
	office_calendar(&c);
	policy_default(&p);
	set(&p, "remind.once", "1 0", TF_ONCE);
	set(&p, "escalate", "0:lead", TF_ONCE);
	set(&p, "repeat", "none", TF_ONCE);
	const struct want_step early[] = {
	    {"r0", POLICY_REMIND, slot(2025, 6, 27)},
	    {"e0", POLICY_LEAD, slot(2025, 6, 30)},
	};
	n = steps_of(&p, &c, TF_ONCE, at(2025, 6, 30, 7, 0, 0), out);
	bad += check_steps("due 30/6/2025 07:00", out, n, early, 2);

	/* End of Fri 27/6: e0's slot that day is before the deadline → Mon 30/6. */
	set(&p, "remind.once", "0", TF_ONCE);
	const struct want_step eod[] = {
	    {"r0", POLICY_REMIND, slot(2025, 6, 27)},
	    {"e0", POLICY_LEAD, slot(2025, 6, 30)},
	};
	n = steps_of(&p, &c, TF_ONCE, at(2025, 6, 27, 23, 59, 59), out);
	bad += check_steps("due 27/6/2025 23:59:59", out, n, eod, 2);

	/* Every reminder is strictly before the deadline, for any due. */
	policy_default(&p);
	for (int h = 0; h < 24; h++) {
		time_t due = at(2025, 6, 30, h, 0, 0);
		n = steps_of(&p, &c, TF_ONCE, due, out);
		for (int i = 0; i < n; i++)
			if (out[i].level == POLICY_REMIND && out[i].at >= due) {
				char b[40];
				print_error("due 30/6 %02d:00: %s at %s is not before it\n", h,
				            out[i].id, show_time(out[i].at, b, sizeof(b)));
				bad++;
			} else if (out[i].level != POLICY_REMIND && out[i].at < due) {
				char b[40];
				print_error("due 30/6 %02d:00: %s at %s is before it\n", h,
				            out[i].id, show_time(out[i].at, b, sizeof(b)));
				bad++;
			}
	}
	cal_free(&c);
	assert_int_equal(bad, 0);
}

/* The reminder lists of the recurring kinds. */
static void test_steps_recurring_kinds(void **state)
{
	const struct {
		enum tf_kind kind;
		time_t due;
		struct want_step want[3];
		int n;
		const char *label;
	} cases[] = {
	    {TF_WEEKLY,
	     at(2025, 7, 4, 23, 59, 59),
	     {{"r1", POLICY_REMIND, slot(2025, 7, 3)}},
	     1,
	     "weekly, end of Fri 4/7/2025"},
	    {TF_MONTHLY,
	     at(2025, 7, 31, 23, 59, 59),
	     {{"r7", POLICY_REMIND, slot(2025, 7, 24)}, {"r1", POLICY_REMIND, slot(2025, 7, 30)}},
	     2,
	     "monthly, end of Thu 31/7/2025"},
	    {TF_QUARTERLY,
	     at(2025, 9, 30, 23, 59, 59),
	     {{"r14", POLICY_REMIND, slot(2025, 9, 16)},
	      {"r7", POLICY_REMIND, slot(2025, 9, 23)},
	      {"r1", POLICY_REMIND, slot(2025, 9, 29)}},
	     3,
	     "quarterly, end of Tue 30/9/2025"},
	    {TF_HALF_YEARLY,
	     at(2025, 12, 31, 23, 59, 59),
	     {{"r14", POLICY_REMIND, slot(2025, 12, 17)},
	      {"r7", POLICY_REMIND, slot(2025, 12, 24)},
	      {"r1", POLICY_REMIND, slot(2025, 12, 30)}},
	     3,
	     "half-yearly, end of Wed 31/12/2025"},
	};
	struct policy p;
	struct cal c;
	struct policy_step out[MAX_OUT], rem[MAX_OUT];
	int bad = 0;

	(void)state;
	policy_default(&p);
	office_calendar(&c);
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		int n = steps_of(&p, &c, cases[i].kind, cases[i].due, out), k = 0;
		for (int j = 0; j < n; j++)
			if (out[j].level == POLICY_REMIND)
				rem[k++] = out[j];
		bad += check_steps(cases[i].label, rem, k, cases[i].want, cases[i].n);
	}
	cal_free(&c);
	assert_int_equal(bad, 0);
}

/* Escalation per kind: the shipped defaults and escalate.KIND overrides. */
static void test_steps_kind_escalation(void **state)
{
	/* Weekly, end of Fri 4/7/2025: r1 Thu 3/7, e1 (lead) Sat 5/7 → Mon 7/7. */
	const struct want_step weekly[] = {
	    {"r1", POLICY_REMIND, slot(2025, 7, 3)},
	    {"e1", POLICY_LEAD, slot(2025, 7, 7)},
	};
	/* Monthly, end of Thu 31/7/2025: e1 Fri 1/8, e7 (monitor) Thu 7/8, no repeats. */
	const struct want_step monthly[] = {
	    {"r7", POLICY_REMIND, slot(2025, 7, 24)},
	    {"r1", POLICY_REMIND, slot(2025, 7, 30)},
	    {"e1", POLICY_LEAD, slot(2025, 8, 1)},
	    {"e7", POLICY_MONITOR, slot(2025, 8, 7)},
	};
	/* Quarterly, end of Tue 30/9/2025: the default ladder, no repeats. */
	const struct want_step quarterly[] = {
	    {"r14", POLICY_REMIND, slot(2025, 9, 16)},
	    {"r7", POLICY_REMIND, slot(2025, 9, 23)},
	    {"r1", POLICY_REMIND, slot(2025, 9, 29)},
	    {"e1", POLICY_LEAD, slot(2025, 10, 1)},
	    {"e7", POLICY_MONITOR, slot(2025, 10, 7)},
	    {"e30", POLICY_SUPERVISOR, slot(2025, 10, 30)},
	};
	/* After "escalate.weekly = 2:monitor" and "repeat.weekly = 7", "repeat_limit.weekly = 1":
	 * e2 Sun 6/7 → Mon 7/7, x1 Sun 13/7 → Mon 14/7. */
	const struct want_step weekly_own[] = {
	    {"r1", POLICY_REMIND, slot(2025, 7, 3)},
	    {"e2", POLICY_MONITOR, slot(2025, 7, 7)},
	    {"x1", POLICY_MONITOR, slot(2025, 7, 14)},
	};
	struct policy p;
	struct cal c;
	struct policy_step out[MAX_OUT];
	char err[160] = "";
	int bad = 0, n;

	(void)state;
	policy_default(&p);
	office_calendar(&c);
	n = steps_of(&p, &c, TF_WEEKLY, at(2025, 7, 4, 23, 59, 59), out);
	bad += check_steps("weekly default", out, n, weekly, (int)N_ELEMS(weekly));
	n = steps_of(&p, &c, TF_MONTHLY, at(2025, 7, 31, 23, 59, 59), out);
	bad += check_steps("monthly default", out, n, monthly, (int)N_ELEMS(monthly));
	n = steps_of(&p, &c, TF_QUARTERLY, at(2025, 9, 30, 23, 59, 59), out);
	bad += check_steps("quarterly default", out, n, quarterly, (int)N_ELEMS(quarterly));

	/* A later bare "escalate" does not undo a kind's own list. */
	set(&p, "escalate.weekly", "2:monitor", TF_UNPARSED);
	set(&p, "repeat.weekly", "7", TF_UNPARSED);
	set(&p, "repeat_limit.weekly", "1", TF_UNPARSED);
	set(&p, "escalate", "3:supervisor", TF_UNPARSED);
	n = steps_of(&p, &c, TF_WEEKLY, at(2025, 7, 4, 23, 59, 59), out);
	bad += check_steps("weekly own", out, n, weekly_own, (int)N_ELEMS(weekly_own));

	/* Errors name the value; unknown kinds are refused. */
	if (policy_set(&p, "escalate.weekly", "2:boss", TF_UNPARSED, err, sizeof(err)) == 0 ||
	    !strstr(err, "2:boss")) {
		print_error("escalate.weekly = 2:boss: '%s'\n", err);
		bad++;
	}
	if (policy_set(&p, "repeat.fortnightly", "7", TF_UNPARSED, err, sizeof(err)) == 0 ||
	    !strstr(err, "fortnightly")) {
		print_error("repeat.fortnightly: '%s'\n", err);
		bad++;
	}
	if (policy_set(&p, "repeat_limit.monthly", "99", TF_UNPARSED, err, sizeof(err)) == 0) {
		print_error("repeat_limit.monthly = 99 accepted\n");
		bad++;
	}
	cal_free(&c);
	assert_int_equal(bad, 0);
}

/* At most max steps, the earliest ones; the list is in time order. */
static void test_steps_max_and_order(void **state)
{
	const struct want_step want[] = {
	    {"r30", POLICY_REMIND, slot(2025, 5, 30)},
	    {"r14", POLICY_REMIND, slot(2025, 6, 16)},
	};
	struct policy p;
	struct cal c;
	struct policy_step out[MAX_OUT];
	int bad = 0;

	(void)state;
	policy_default(&p);
	office_calendar(&c);
	memset(out, 0x5A, sizeof(out));
	int n = policy_steps(&p, &c, TF_ONCE, at(2025, 6, 30, 23, 59, 59), out, 2);
	bad += check_steps("max = 2", out, n, want, 2);
	/* Nothing written past max. */
	unsigned char guard[sizeof(out[0])];
	memset(guard, 0x5A, sizeof(guard));
	if (memcmp(&out[2], guard, sizeof(guard)) != 0) {
		print_error("policy_steps(max = 2) wrote a third step\n");
		bad++;
	}
	n = policy_steps(&p, &c, TF_ONCE, at(2025, 6, 30, 23, 59, 59), out, 0);
	assert_int_equal(n, 0);

	/* Time order, distinct slots, distinct ids, over a long default plan. */
	n = steps_of(&p, &c, TF_ONCE, at(2026, 2, 16, 23, 59, 59), out);
	for (int i = 1; i < n; i++) {
		if (out[i].at <= out[i - 1].at) {
			print_error("step %d (%s) is not after step %d (%s)\n", i, out[i].id, i - 1,
			            out[i - 1].id);
			bad++;
		}
		for (int j = 0; j < i; j++)
			if (!strcmp(out[i].id, out[j].id)) {
				print_error("id %s twice\n", out[i].id);
				bad++;
			}
	}
	/* Every slot is on a working day at 08:00. */
	for (int i = 0; i < n; i++) {
		struct date_civil dc;
		date_split(out[i].at, TZ, &dc);
		if (!cal_is_workday(&c, date_local_days(out[i].at, TZ)) || dc.hour != 8 ||
		    dc.minute != 0 || dc.second != 0) {
			char b[40];
			print_error("%s at %s is not a slot\n", out[i].id,
			            show_time(out[i].at, b, sizeof(b)));
			bad++;
		}
	}
	if (bad)
		dump("due 16/2/2026 (in Tết)", out, n);
	cal_free(&c);
	assert_int_equal(bad, 0);
}

/* A deadline inside Tết 2026 (end of Mon 16/2): it is still the deadline.
 * r0 and r1 (15/2) move back to Fri 13/2 (r0 stays), r3 → Fri 13/2 too;
 * e1 → Tue 17/2 → Mon 23/2; e7 → Mon 23/2 as well: e7 stays. */
static void test_steps_due_in_tet(void **state)
{
	const struct want_step want[] = {
	    {"r30", POLICY_REMIND, slot(2026, 1, 16)}, {"r14", POLICY_REMIND, slot(2026, 2, 2)},
	    {"r7", POLICY_REMIND, slot(2026, 2, 9)},   {"r0", POLICY_REMIND, slot(2026, 2, 13)},
	    {"e7", POLICY_MONITOR, slot(2026, 2, 23)},
	};
	struct policy p;
	struct cal c;
	struct policy_step out[MAX_OUT];

	(void)state;
	policy_default(&p);
	set(&p, "escalate", "1:lead 7:monitor", TF_ONCE);
	set(&p, "repeat", "none", TF_ONCE);
	office_calendar(&c);
	int n = steps_of(&p, &c, TF_ONCE, at(2026, 2, 16, 23, 59, 59), out);
	int bad = check_steps("once due 16/2/2026 (Tết)", out, n, want, (int)N_ELEMS(want));
	cal_free(&c);
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_default),
	    cmocka_unit_test(test_set_remind_lists),
	    cmocka_unit_test(test_set_errors),
	    cmocka_unit_test(test_set_escalate),
	    cmocka_unit_test(test_set_scalars),
	    cmocka_unit_test(test_is_key),
	    cmocka_unit_test(test_last_day),
	    cmocka_unit_test(test_steps_once_default),
	    cmocka_unit_test(test_steps_yearly_before_monday),
	    cmocka_unit_test(test_steps_monday_midnight_tie),
	    cmocka_unit_test(test_steps_list_order_irrelevant),
	    cmocka_unit_test(test_steps_escalation_over_holiday),
	    cmocka_unit_test(test_steps_reminder_on_holiday),
	    cmocka_unit_test(test_steps_working_days_across_tet),
	    cmocka_unit_test(test_steps_escalation_tie),
	    cmocka_unit_test(test_steps_escalation_order_irrelevant),
	    cmocka_unit_test(test_steps_repeat_limits),
	    cmocka_unit_test(test_steps_reminder_before_deadline),
	    cmocka_unit_test(test_steps_recurring_kinds),
	    cmocka_unit_test(test_steps_kind_escalation),
	    cmocka_unit_test(test_steps_max_and_order),
	    cmocka_unit_test(test_steps_due_in_tet),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
