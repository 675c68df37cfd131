/*
 * Unit tests for planner: which occurrences of a task should exist, and the
 * scheduler input for one of them (effective policy, deadline after a gia
 * hạn, recipients, ledger). Expectations come from include/planner.h, the
 * timeframe conventions of include/timeframe.h ("end of" a day is 23:59:59,
 * "trước ngày D" is 00:00 of D) and the real calendar; the configuration is
 * a small INI file written to a temporary directory.
 */
#include "check.h"

#include "buf.h"
#include "cfg.h"
#include "date.h"
#include "dir.h"
#include "planner.h"
#include "policy.h"
#include "scheduler.h"
#include "store.h"
#include "task.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_OCC 64

static const char *show_time(time_t t, char *buf, size_t len)
{
	if (t == TF_NONE) {
		snprintf(buf, len, "TF_NONE");
		return buf;
	}
	return date_format_iso(t, TZ, buf, len);
}

/* ---- tasks ------------------------------------------------------------- */

static void task_with(struct task *t, const char *plan, const char *timeframe, enum tf_kind kind,
                      time_t due, enum task_status status)
{
	task_init(t);
	t->plan_id = plan ? strdup(plan) : NULL;
	t->key = strdup("t1");
	t->title = strdup("Nhiệm vụ thử");
	t->timeframe = timeframe ? strdup(timeframe) : NULL;
	t->kind = kind;
	t->due = due;
	t->status = status;
}

/* ---- planner_occurrences ------------------------------------------------ */

struct occ_want {
	time_t window_start, due;
};

static int check_occ(const char *label, const struct tf_occ *got, size_t n,
                     const struct occ_want *want, size_t nw)
{
	char a[32], b[32], c[32], d[32];
	int bad = 0;

	if (n != nw) {
		print_error("%s: %zu occurrences, expected %zu\n", label, n, nw);
		bad++;
	}
	for (size_t i = 0; i < n && i < nw; i++)
		if (got[i].due != want[i].due || (want[i].window_start != TF_NONE &&
		                                  got[i].window_start != want[i].window_start)) {
			print_error("%s: occurrence %zu is %s .. %s, expected %s .. %s\n", label, i,
			            show_time(got[i].window_start, a, sizeof(a)),
			            show_time(got[i].due, b, sizeof(b)),
			            show_time(want[i].window_start, c, sizeof(c)),
			            show_time(want[i].due, d, sizeof(d)));
			bad++;
		}
	if (bad)
		for (size_t i = 0; i < n; i++)
			print_error("  got %s .. %s\n",
			            show_time(got[i].window_start, a, sizeof(a)),
			            show_time(got[i].due, b, sizeof(b)));
	return bad;
}

static int occurrences(const char *label, const char *timeframe, enum task_status status, int first,
                       int last, time_t now, const struct occ_want *want, size_t nw, size_t max)
{
	struct task t;
	struct tf_occ out[MAX_OCC];
	char full[200], b[32];

	snprintf(full, sizeof(full), "%s: \"%s\" plan %d-%d, %s, now %s", label, timeframe, first,
	         last, task_status_name(status), show_time(now, b, sizeof(b)));
	task_with(&t, "KH-1", timeframe, TF_UNPARSED, TF_NONE, status);
	memset(out, 0, sizeof(out));
	struct planner_plan plan = {NULL, first, last, TF_NONE, 0};
	size_t n = planner_occurrences(&t, TZ, &plan, now, out, max);
	int bad = 0;
	if (n > max) {
		print_error("%s: %zu occurrences for max %zu\n", full, n, max);
		bad++;
	} else
		bad += check_occ(full, out, n, want, nw);
	task_free(&t);
	return bad;
}

/* One-offs and periods: their phases, whatever now is. */
static void test_occurrences_once(void **state)
{
	const struct occ_want q2[] = {{start_of(2025, 4, 1), end_of(2025, 6, 30)}};
	const struct occ_want phases[] = {
	    {start_of(2025, 1, 1), end_of(2025, 3, 31)},
	    {start_of(2025, 7, 1), end_of(2025, 9, 30)},
	};
	const struct occ_want period[] = {{start_of(2022, 1, 1), end_of(2025, 12, 31)}};
	const struct occ_want before[] = {{TF_NONE, start_of(2024, 6, 30)}};
	int bad = 0;

	(void)state;
	bad += occurrences("quarter", "Quý II/2025", TASK_OPEN, 0, 0, at(2025, 5, 1, 9, 0, 0), q2,
	                   1, MAX_OCC);
	bad += occurrences("quarter, long past", "Quý II/2025", TASK_OPEN, 0, 0,
	                   at(2030, 1, 1, 9, 0, 0), q2, 1, MAX_OCC);
	bad += occurrences("quarter, long before", "Quý II/2025", TASK_OPEN, 0, 0,
	                   at(2020, 1, 1, 9, 0, 0), q2, 1, MAX_OCC);
	bad += occurrences("phases", "Quý I/2025; Quý III/2025", TASK_OPEN, 0, 0,
	                   at(2025, 5, 1, 9, 0, 0), phases, 2, MAX_OCC);
	bad += occurrences("phases, max 1", "Quý I/2025; Quý III/2025", TASK_OPEN, 0, 0,
	                   at(2025, 5, 1, 9, 0, 0), phases, 1, 1);
	bad += occurrences("period", "2022 - 2025", TASK_OPEN, 0, 0, at(2025, 5, 1, 9, 0, 0),
	                   period, 1, MAX_OCC);
	bad += occurrences("trước ngày", "trước ngày 30/6/2024", TASK_IN_PROGRESS, 0, 0,
	                   at(2024, 1, 10, 9, 0, 0), before, 1, MAX_OCC);
	bad += occurrences("waiting", "Quý II/2025", TASK_WAITING, 0, 0, at(2025, 5, 1, 9, 0, 0),
	                   q2, 1, MAX_OCC);
	/* No timeframe written: the plan's period, or its year. */
	const struct occ_want plan3[] = {{start_of(2023, 1, 1), end_of(2025, 12, 31)}};
	const struct occ_want plan1[] = {{start_of(2023, 1, 1), end_of(2023, 12, 31)}};
	bad += occurrences("implicit", "", TASK_OPEN, 2023, 2025, at(2024, 5, 1, 9, 0, 0), plan3, 1,
	                   MAX_OCC);
	bad += occurrences("implicit, one year", "", TASK_OPEN, 2023, 2023, at(2023, 5, 1, 9, 0, 0),
	                   plan1, 1, MAX_OCC);
	bad += occurrences("not met", "Quý II/2025", TASK_NOT_MET, 0, 0, at(2025, 8, 1, 9, 0, 0),
	                   q2, 1, MAX_OCC);
	assert_int_equal(bad, 0);
}

/* Done, cancelled, removed: no occurrence at all; nor for no deadline. */
static void test_occurrences_none(void **state)
{
	static const enum task_status finals[] = {TASK_DONE, TASK_CANCELLED, TASK_REMOVED};
	static const char *const phrases[] = {"Quý II/2025", "trước ngày 15/12 hàng năm",
	                                      "Hàng quý", "2022 - 2025"};
	int bad = 0;

	(void)state;
	for (size_t i = 0; i < N_ELEMS(finals); i++)
		for (size_t k = 0; k < N_ELEMS(phrases); k++)
			bad += occurrences("final", phrases[k], finals[i], 2023, 2025,
			                   at(2025, 5, 1, 9, 0, 0), NULL, 0, MAX_OCC);
	bad += occurrences("ongoing", "Thường xuyên", TASK_OPEN, 2023, 2025,
	                   at(2025, 5, 1, 9, 0, 0), NULL, 0, MAX_OCC);
	bad += occurrences("event", "Khi có phát sinh", TASK_OPEN, 2023, 2025,
	                   at(2025, 5, 1, 9, 0, 0), NULL, 0, MAX_OCC);
	bad += occurrences("unparsed", "sau khi có ý kiến của Bộ", TASK_OPEN, 2023, 2025,
	                   at(2025, 5, 1, 9, 0, 0), NULL, 0, MAX_OCC);
	assert_int_equal(bad, 0);
}

/*
 * A yearly duty of plan 2023-2025, "trước ngày 15/12 hàng năm": due at 00:00
 * on 15/12 of 2023, 2024, 2025. Every one from the plan's start up to now +
 * 62 days (PLANNER_HORIZON), plus the first beyond.
 */
static void test_occurrences_yearly_with_plan(void **state)
{
	const struct occ_want all[] = {
	    {TF_NONE, start_of(2023, 12, 15)},
	    {TF_NONE, start_of(2024, 12, 15)},
	    {TF_NONE, start_of(2025, 12, 15)},
	};
	const char *ph = "trước ngày 15/12 hàng năm";
	int bad = 0;

	(void)state;
	/* 1/6/2024 + 62 days = 2/8/2024: 2023 within, 2024 the first beyond. */
	bad += occurrences("mid-plan", ph, TASK_OPEN, 2023, 2025, at(2024, 6, 1, 9, 0, 0), all, 2,
	                   MAX_OCC);
	/* 1/2/2023 + 62 days = 4/4/2023: 2023 the first beyond. */
	bad += occurrences("plan start", ph, TASK_OPEN, 2023, 2025, at(2023, 2, 1, 9, 0, 0), all, 1,
	                   MAX_OCC);
	/* 1/11/2024 + 62 days = 2/1/2025: 2024 within, 2025 beyond. */
	bad += occurrences("before the deadline", ph, TASK_OPEN, 2023, 2025,
	                   at(2024, 11, 1, 9, 0, 0), all, 3, MAX_OCC);
	/* After the plan: all three (past ones included), nothing beyond. */
	bad += occurrences("after the plan", ph, TASK_OPEN, 2023, 2025, at(2026, 6, 1, 9, 0, 0),
	                   all, 3, MAX_OCC);
	bad += occurrences("max 2", ph, TASK_OPEN, 2023, 2025, at(2026, 6, 1, 9, 0, 0), all, 2, 2);
	/* A waiting task still has its occurrences. */
	bad += occurrences("waiting", ph, TASK_WAITING, 2023, 2025, at(2024, 6, 1, 9, 0, 0), all, 2,
	                   MAX_OCC);
	assert_int_equal(bad, 0);
}

/* Without a plan start: from the current cycle on, never the years before. */
static void test_occurrences_yearly_without_plan(void **state)
{
	const struct occ_want want[] = {
	    {TF_NONE, start_of(2025, 12, 15)},
	    {TF_NONE, start_of(2026, 12, 15)},
	};
	const struct occ_want q4[] = {
	    {start_of(2025, 10, 1), end_of(2025, 12, 31)},
	    {start_of(2026, 10, 1), end_of(2026, 12, 31)},
	};
	int bad = 0;

	(void)state;
	/* 1/6/2025 + 62 days = 2/8/2025: 15/12/2025 the first beyond. */
	bad += occurrences("no plan", "trước ngày 15/12 hàng năm", TASK_OPEN, 0, 0,
	                   at(2025, 6, 1, 9, 0, 0), want, 1, MAX_OCC);
	bad += occurrences("no plan, Quý IV", "Quý IV hàng năm", TASK_OPEN, 0, 0,
	                   at(2025, 6, 1, 9, 0, 0), q4, 1, MAX_OCC);
	/* 15/10/2025 + 62 days = 16/12/2025: 15/12/2025 within, 15/12/2026 beyond. */
	bad += occurrences("no plan, in December", "trước ngày 15/12 hàng năm", TASK_OPEN, 0, 0,
	                   at(2025, 10, 15, 9, 0, 0), want, 2, MAX_OCC);
	/* Inside the current window (Quý IV/2025 runs 1/10..31/12). */
	bad += occurrences("no plan, in Quý IV", "Quý IV hàng năm", TASK_OPEN, 0, 0,
	                   at(2025, 11, 1, 9, 0, 0), q4, 2, MAX_OCC);
	assert_int_equal(bad, 0);
}

/* Quarterly, no plan, on 10/5/2025: the current quarter (Q2/2025), due by
 * 11/7/2025 (10/5/2025 + 62 days), then Q3/2025 beyond. */
static void test_occurrences_quarterly(void **state)
{
	const struct occ_want want[] = {
	    {start_of(2025, 4, 1), end_of(2025, 6, 30)},
	    {start_of(2025, 7, 1), end_of(2025, 9, 30)},
	    {start_of(2025, 10, 1), end_of(2025, 12, 31)},
	    {start_of(2026, 1, 1), end_of(2026, 3, 31)},
	    {start_of(2026, 4, 1), end_of(2026, 6, 30)},
	};
	const struct occ_want plan[] = {
	    {start_of(2025, 1, 1), end_of(2025, 3, 31)},
	    {start_of(2025, 4, 1), end_of(2025, 6, 30)},
	    {start_of(2025, 7, 1), end_of(2025, 9, 30)},
	    {start_of(2025, 10, 1), end_of(2025, 12, 31)},
	};
	int bad = 0;

	(void)state;
	bad += occurrences("quarterly", "Hàng quý", TASK_OPEN, 0, 0, at(2025, 5, 10, 9, 0, 0), want,
	                   2, MAX_OCC);
	bad += occurrences("quarterly, max 1", "Hàng quý", TASK_OPEN, 0, 0,
	                   at(2025, 5, 10, 9, 0, 0), want, 1, 1);
	/* Plan 2025 only: its quarters from its start; late in the year, nothing after. */
	bad += occurrences("quarterly, plan 2025", "Hàng quý", TASK_OPEN, 2025, 2025,
	                   at(2025, 5, 10, 9, 0, 0), plan, 3, MAX_OCC);
	bad += occurrences("quarterly, plan 2025, late", "Hàng quý", TASK_OPEN, 2025, 2025,
	                   at(2025, 12, 1, 9, 0, 0), plan, 4, MAX_OCC);
	assert_int_equal(bad, 0);
}

/* Monthly within a plan year: from January to 16/5/2025 (15/3 + 62 days), May beyond. */
static void test_occurrences_monthly(void **state)
{
	static const int last[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	struct occ_want want[12];
	int bad = 0;

	(void)state;
	for (int m = 1; m <= 12; m++)
		want[m - 1] = (struct occ_want){start_of(2025, m, 1), end_of(2025, m, last[m - 1])};
	bad += occurrences("monthly", "Hàng tháng", TASK_OPEN, 2025, 2025, at(2025, 3, 15, 9, 0, 0),
	                   want, 5, MAX_OCC);
	bad += occurrences("monthly, after the plan", "Hàng tháng", TASK_OPEN, 2025, 2025,
	                   at(2026, 3, 15, 9, 0, 0), want, 12, MAX_OCC);
	assert_int_equal(bad, 0);
}

/*
 * Weekly, due at the end of each Friday. Plan 2025, on 1/3/2025: the Fridays
 * from 3/1 to 25/4 (due by 1/3 + 62 days = 2/5 09:00), and 2/5 beyond. No
 * plan, on Wed 4/6/2025: Fri 6/6 to Fri 1/8 (by 5/8), and 8/8 beyond.
 */
static void test_occurrences_weekly(void **state)
{
	struct occ_want want[60];
	int bad = 0;

	(void)state;
	for (int i = 0; i < 52; i++)
		want[i] = (struct occ_want){TF_NONE, end_of(2025, 1, 3) + (time_t)i * 7 * 86400};
	bad += occurrences("weekly, plan 2025", "Hàng tuần", TASK_OPEN, 2025, 2025,
	                   at(2025, 3, 1, 9, 0, 0), want, 18, MAX_OCC);
	bad += occurrences("weekly, after plan 2025", "Hàng tuần", TASK_OPEN, 2025, 2025,
	                   at(2026, 3, 1, 9, 0, 0), want, 52, MAX_OCC);
	for (int i = 0; i < 10; i++)
		want[i] = (struct occ_want){TF_NONE, end_of(2025, 6, 6) + (time_t)i * 7 * 86400};
	bad += occurrences("weekly, no plan", "Hàng tuần", TASK_OPEN, 0, 0, at(2025, 6, 4, 9, 0, 0),
	                   want, 10, MAX_OCC);
	assert_true(want[9].due == end_of(2025, 8, 8));
	assert_int_equal(bad, 0);
}

/* A plan's duties start with the plan: its date of issue, else the day the
 * store first heard of it; never the cycles before. */
static void test_occurrences_from_plan_start(void **state)
{
	struct occ_want want[16];
	struct planner_plan issued = {NULL, 0, 0, at(2025, 5, 14, 0, 0, 0), 2025};
	struct planner_plan period = {NULL, 2025, 2025, at(2025, 7, 11, 0, 0, 0), 2025};
	struct tf_occ out[MAX_OCC];
	struct task t;
	int bad = 0;

	(void)state;
	/* Issued Wed 14/5/2025, seen on 4/6: the Fridays from 16/5 (not the current
	 * cycle only, not the year before), due by 5/8, and 8/8 beyond. */
	for (int i = 0; i < 13; i++)
		want[i] = (struct occ_want){TF_NONE, end_of(2025, 5, 16) + (time_t)i * 7 * 86400};
	task_with(&t, "KH-1", "Hàng tuần", TF_UNPARSED, TF_NONE, TASK_OPEN);
	size_t n = planner_occurrences(&t, TZ, &issued, at(2025, 6, 4, 9, 0, 0), out, MAX_OCC);
	bad += check_occ("weekly from the date of issue", out, n, want, 13);
	/* A period 2025 issued on 11/7: not the half of 2025 before the plan. */
	task_free(&t);
	task_with(&t, "KH-1", "báo cáo 6 tháng và báo cáo năm", TF_UNPARSED, TF_NONE, TASK_OPEN);
	n = planner_occurrences(&t, TZ, &period, at(2025, 8, 1, 9, 0, 0), out, MAX_OCC);
	want[0] = (struct occ_want){TF_NONE, end_of(2025, 12, 31)};
	bad += check_occ("half-yearly within a period, from the date of issue", out, n, want, 1);
	task_free(&t);
	assert_int_equal(bad, 0);
}

/* "năm sau" is the year after the plan's: without the year of issue it means nothing. */
static void test_occurrences_relative_to_the_year_of_issue(void **state)
{
	struct planner_plan issued = {NULL, 0, 0, at(2025, 12, 20, 0, 0, 0), 2025};
	struct planner_plan unknown = {NULL, 0, 0, TF_NONE, 0};
	struct occ_want want[] = {{at(2026, 4, 1, 0, 0, 0), end_of(2026, 6, 30)}};
	struct tf_occ out[MAX_OCC];
	struct task t;
	int bad = 0;

	(void)state;
	task_with(&t, "KH-1", "Quý II năm sau", TF_UNPARSED, TF_NONE, TASK_OPEN);
	size_t n = planner_occurrences(&t, TZ, &issued, at(2026, 1, 5, 9, 0, 0), out, MAX_OCC);
	bad += check_occ("Q2 of the year after the plan's", out, n, want, 1);
	n = planner_occurrences(&t, TZ, &unknown, at(2026, 1, 5, 9, 0, 0), out, MAX_OCC);
	bad += check_occ("no year of issue: nothing", out, n, want, 0);
	task_free(&t);
	assert_int_equal(bad, 0);
}

/* planner_plan_of: the date of issue, else (no period) when the store first heard of it. */
static void test_plan_of(void **state)
{
	struct store_plan dated = {.id = "119/KH-UBND", .issued = "2020-10-09", .monitor = "sttt"};
	struct store_plan undated = {.id = "KH-2025"};
	struct store_plan period = {.id = "906/QĐ-UBND", .first_year = 2022, .last_year = 2025};
	const time_t created = at(2026, 12, 4, 16, 0, 0);
	struct planner_plan p;

	(void)state;
	planner_plan_of(&dated, created, TZ, &p);
	assert_true(p.start == at(2020, 10, 9, 0, 0, 0));
	assert_string_equal(p.monitor, "sttt");
	assert_int_equal(p.issued_on, 20201009);
	planner_plan_of(&undated, created, TZ, &p);
	assert_true(p.start == created);
	assert_int_equal(p.issued_on, 0);
	planner_plan_of(&period, created, TZ, &p);
	assert_true(p.start == TF_NONE); /* the period bounds it */
	assert_int_equal(p.first_year, 2022);
	planner_plan_of(NULL, created, TZ, &p);
	assert_true(p.start == TF_NONE && !p.monitor);
}

/* ---- planner_task_kvs --------------------------------------------------- */

static void test_task_kvs(void **state)
{
	static const struct {
		const char *key, *value;
	} want[] = {
	    {"remind", "7 1"}, {"escalate", "2:monitor"}, {"repeat_limit", "3"},
	    {"repeat", "a=b"}, {"backfill", "5"},
	};
	struct cfg_kvs k;

	(void)state;
	planner_task_kvs("remind = 7 1\nescalate=2:monitor\n  repeat_limit  =  3  \nno equals "
	                 "here\n\nrepeat = a=b\nbackfill = 5\r\n",
	                 &k);
	assert_int_equal(k.n, N_ELEMS(want));
	for (size_t i = 0; i < k.n && i < N_ELEMS(want); i++) {
		if (strcmp(k.v[i].key, want[i].key) || strcmp(k.v[i].value, want[i].value)) {
			print_error("kv %zu is \"%s\" = \"%s\", expected \"%s\" = \"%s\"\n", i,
			            k.v[i].key, k.v[i].value, want[i].key, want[i].value);
			planner_kvs_free(&k);
			fail();
		}
	}
	planner_kvs_free(&k);
	assert_int_equal(k.n, 0);

	planner_task_kvs(NULL, &k);
	assert_int_equal(k.n, 0);
	planner_kvs_free(&k);
	planner_task_kvs("", &k);
	assert_int_equal(k.n, 0);
	planner_kvs_free(&k);
	planner_task_kvs("repeat = none", &k); /* no final newline */
	assert_int_equal(k.n, 1);
	assert_string_equal(k.v[0].key, "repeat");
	assert_string_equal(k.v[0].value, "none");
	planner_kvs_free(&k);
}

/* ---- planner_prepare ---------------------------------------------------- */

/* A plan monitored by Sở TT&TT (Sở KH&CN's predecessor). */
static const struct planner_plan sttt_plan = {"sttt", 0, 0, TF_NONE, 0};

static const char ini[] = "[daemon]\n"
                          "monitor = skhcn\n"
                          "default_supervisor = ubnd\n"
                          "\n"
                          "[mail]\n"
                          "transport = maildir\n"
                          "maildir = mail\n"
                          "\n"
                          "[calendar]\n"
                          "workdays = mon-fri\n"
                          "office_hours = 07:30-17:00\n"
                          "send_at = 08:00\n"
                          "holiday = 2026-02-14..2026-02-22\n"
                          "\n"
                          "[policy]\n"
                          "remind.once = 21 7 0\n"
                          "remind.yearly = 30 7 1\n"
                          "escalate = 1:lead 7:monitor 30:supervisor\n"
                          "repeat = 14\n"
                          "repeat_limit = 4\n"
                          "backfill = 10\n"
                          "coordinating = yes\n"
                          "\n"
                          "[agency ubnd]\n"
                          "name = Ủy ban nhân dân tỉnh Quảng Ngãi\n"
                          "email = ubnd@quangngai.example\n"
                          "\n"
                          "[agency vpubnd]\n"
                          "name = Văn phòng Ủy ban nhân dân tỉnh Quảng Ngãi\n"
                          "email = vpubnd@quangngai.example\n"
                          "\n"
                          "[agency skhcn]\n"
                          "name = Sở Khoa học và Công nghệ\n"
                          "email = skhcn@quangngai.example\n"
                          "\n"
                          "[agency sttt]\n"
                          "name = Sở Thông tin và Truyền thông\n"
                          "email = sttt@quangngai.example\n"
                          "supervisor = vpubnd\n"
                          "successor = skhcn\n"
                          "since = 2025-03-01\n"
                          "\n"
                          "[agency sxd]\n"
                          "name = Sở Xây dựng\n"
                          "email = sxd@quangngai.example\n"
                          "\n"
                          "[agency stc]\n"
                          "name = Sở Tài chính\n"
                          "email = stc@quangngai.example\n"
                          "\n"
                          "[plan KH-1]\n"
                          "title = Kế hoạch thử\n"
                          "period = 2023-2025\n"
                          "monitor = sttt\n"
                          "remind.once = 10 5\n"
                          "repeat_limit = 2\n";

struct env {
	char dir[64];
	char path[96];
	struct cfg *cfg;
	struct dir *d;
};

static int env_setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));
	struct buf errors = BUF_INIT, warnings = BUF_INIT;

	if (!e)
		return -1;
	snprintf(e->dir, sizeof(e->dir), "/tmp/test_planner.XXXXXX");
	if (!mkdtemp(e->dir)) {
		free(e);
		return -1;
	}
	snprintf(e->path, sizeof(e->path), "%s/deadlined.ini", e->dir);
	FILE *f = fopen(e->path, "w");
	if (!f || fputs(ini, f) < 0 || fclose(f) != 0) {
		print_error("cannot write %s\n", e->path);
		return -1;
	}
	e->cfg = cfg_load(e->path, &errors, &warnings);
	if (!e->cfg) {
		print_error("cfg_load failed:\n%s\n", buf_str(&errors));
		buf_free(&errors);
		buf_free(&warnings);
		return -1;
	}
	buf_free(&errors);
	buf_free(&warnings);
	e->d = dir_new(e->cfg);
	*state = e;
	return 0;
}

static int env_teardown(void **state)
{
	struct env *e = *state;

	if (!e)
		return 0;
	dir_free(e->d);
	cfg_free(e->cfg);
	unlink(e->path);
	rmdir(e->dir);
	free(e);
	return 0;
}

static void expect_offsets(const char *what, const struct policy_list *l, const int *days, int n)
{
	int bad = l->n != n;

	for (int i = 0; !bad && i < n; i++)
		bad = l->at[i].days != days[i] || l->at[i].working;
	if (bad) {
		print_error("%s: %d offsets:", what, l->n);
		for (int i = 0; i < l->n && i < POLICY_MAX_STEPS; i++)
			print_error(" %d%s", l->at[i].days, l->at[i].working ? "wd" : "");
		print_error(", expected %d\n", n);
		fail();
	}
}

static bool has(const char *const *v, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] && !strcmp(v[i], id))
			return true;
	return false;
}

/* The [policy] section alone: no [plan] for the task's plan, no overrides. */
static void test_prepare_global_policy(void **state)
{
	struct env *e = *state;
	static const int once[] = {21, 7, 0}, yearly[] = {30, 7, 1};
	struct task t;
	struct planner_occ o;
	const time_t due = end_of(2025, 6, 30);

	task_with(&t, "KH-OTHER", "Quý II/2025", TF_ONCE, due, TASK_OPEN);
	planner_prepare(e->d, &t, NULL, due, TASK_OPEN, NULL, 0, at(2025, 6, 1, 9, 0, 0), &o);
	expect_offsets("remind.once", &o.policy.remind[TF_ONCE], once, 3);
	expect_offsets("remind.yearly", &o.policy.remind[TF_YEARLY], yearly, 3);
	assert_int_equal(o.policy.n_escalations, 3);
	assert_int_equal(o.policy.escalate[1].after.days, 7);
	assert_int_equal(o.policy.escalate[1].level, POLICY_MONITOR);
	assert_int_equal(o.policy.repeat.days, 14);
	assert_int_equal(o.policy.repeat_limit, 4);
	assert_int_equal(o.policy.backfill_days, 10);
	assert_true(o.policy.remind_coordinating);

	assert_ptr_equal(o.in.policy, &o.policy);
	assert_ptr_equal(o.in.cal, &e->cfg->cal);
	assert_int_equal(o.in.kind, TF_ONCE);
	assert_int_equal(o.in.due, due);
	assert_int_equal(o.in.ext, 0);
	assert_int_equal(o.original_due, TF_NONE);
	assert_int_equal(o.in.status, TASK_OPEN);
	assert_int_equal(o.in.n_done, 0);
	/* No monitor given: the [daemon] one. */
	assert_non_null(o.in.monitor);
	assert_string_equal(o.in.monitor, "skhcn");
	planner_occ_free(&o);
	task_free(&t);
}

/* The plan's overrides, then the task's own lines on top. */
static void test_prepare_overrides(void **state)
{
	struct env *e = *state;
	static const int plan_once[] = {10, 5}, task_once[] = {7, 1}, yearly[] = {30, 7, 1},
	                 task_yearly[] = {3};
	struct task t;
	struct planner_occ o;
	const time_t due = end_of(2025, 6, 30);

	(void)state;
	task_with(&t, "KH-1", "Quý II/2025", TF_ONCE, due, TASK_OPEN);
	planner_prepare(e->d, &t, &sttt_plan, due, TASK_OPEN, NULL, 0, at(2025, 6, 1, 9, 0, 0), &o);
	expect_offsets("plan remind.once", &o.policy.remind[TF_ONCE], plan_once, 2);
	assert_int_equal(o.policy.repeat_limit, 2);
	assert_int_equal(o.policy.backfill_days, 10);
	assert_string_equal(o.in.monitor, "sttt");
	planner_occ_free(&o);

	t.policy = strdup("remind = 7 1\nescalate = 2:monitor\nrepeat_limit = lots\ncoordinating = "
	                  "no\n");
	planner_prepare(e->d, &t, &sttt_plan, due, TASK_OPEN, NULL, 0, at(2025, 6, 1, 9, 0, 0), &o);
	expect_offsets("task remind", &o.policy.remind[TF_ONCE], task_once, 2);
	expect_offsets("remind.yearly untouched", &o.policy.remind[TF_YEARLY], yearly, 3);
	assert_int_equal(o.policy.n_escalations, 1);
	assert_int_equal(o.policy.escalate[0].after.days, 2);
	assert_int_equal(o.policy.escalate[0].level, POLICY_MONITOR);
	assert_int_equal(o.policy.repeat_limit, 2); /* the bad line is skipped */
	assert_false(o.policy.remind_coordinating);
	planner_occ_free(&o);
	task_free(&t);

	/* A yearly task: the bare "remind" is its kind's list. */
	task_with(&t, "KH-1", "trước ngày 15/12 hàng năm", TF_YEARLY, start_of(2023, 12, 15),
	          TASK_OPEN);
	t.policy = strdup("remind = 3");
	planner_prepare(e->d, &t, NULL, start_of(2024, 12, 15), TASK_OPEN, NULL, 0,
	                at(2024, 6, 1, 9, 0, 0), &o);
	expect_offsets("yearly task remind", &o.policy.remind[TF_YEARLY], task_yearly, 1);
	expect_offsets("remind.once from the plan", &o.policy.remind[TF_ONCE], plan_once, 2);
	assert_int_equal(o.in.kind, TF_YEARLY);
	assert_int_equal(o.in.due, start_of(2024, 12, 15));
	planner_occ_free(&o);
	task_free(&t);
}

/* A gia hạn moves the main deadline only, and gives the steps new keys. */
static void test_prepare_extension(void **state)
{
	struct env *e = *state;
	struct task t;
	struct planner_occ o;
	char a[32], b[32];

	task_with(&t, "KH-1", "Quý I/2025; Quý II/2025", TF_ONCE, end_of(2025, 6, 30), TASK_OPEN);
	t.extended_due = end_of(2025, 7, 31);
	t.ext = 2;

	planner_prepare(e->d, &t, NULL, end_of(2025, 6, 30), TASK_OPEN, NULL, 0,
	                at(2025, 6, 1, 9, 0, 0), &o);
	if (o.in.due != end_of(2025, 7, 31)) {
		print_error("extended occurrence: due %s, expected %s\n",
		            show_time(o.in.due, a, sizeof(a)),
		            show_time(end_of(2025, 7, 31), b, sizeof(b)));
		fail();
	}
	assert_int_equal(o.in.ext, 2);
	assert_int_equal(o.original_due, end_of(2025, 6, 30));
	planner_occ_free(&o);

	/* The other phase keeps its deadline and its keys. */
	planner_prepare(e->d, &t, NULL, end_of(2025, 3, 31), TASK_OPEN, NULL, 0,
	                at(2025, 2, 1, 9, 0, 0), &o);
	assert_int_equal(o.in.due, end_of(2025, 3, 31));
	assert_int_equal(o.in.ext, 0);
	assert_int_equal(o.original_due, TF_NONE);
	planner_occ_free(&o);

	/* No extension: nothing moves. */
	t.extended_due = TF_NONE;
	t.ext = 0;
	planner_prepare(e->d, &t, NULL, end_of(2025, 6, 30), TASK_OPEN, NULL, 0,
	                at(2025, 6, 1, 9, 0, 0), &o);
	assert_int_equal(o.in.due, end_of(2025, 6, 30));
	assert_int_equal(o.in.ext, 0);
	assert_int_equal(o.original_due, TF_NONE);
	planner_occ_free(&o);
	task_free(&t);
}

/* The occurrence's own status speaks when it has one; else the task's. */
static void test_prepare_status(void **state)
{
	struct env *e = *state;
	struct task t;
	struct planner_occ o;
	const time_t due = end_of(2025, 6, 30);

	task_with(&t, "KH-1", "Quý II/2025", TF_ONCE, due, TASK_OPEN);
	planner_prepare(e->d, &t, NULL, due, TASK_WAITING, NULL, 0, at(2025, 6, 1, 9, 0, 0), &o);
	assert_int_equal(o.in.status, TASK_WAITING);
	planner_occ_free(&o);
	planner_prepare(e->d, &t, NULL, due, TASK_DONE, NULL, 0, at(2025, 6, 1, 9, 0, 0), &o);
	assert_int_equal(o.in.status, TASK_DONE);
	planner_occ_free(&o);
	t.status = TASK_IN_PROGRESS;
	planner_prepare(e->d, &t, NULL, due, TASK_OPEN, NULL, 0, at(2025, 6, 1, 9, 0, 0), &o);
	assert_int_equal(o.in.status, TASK_IN_PROGRESS);
	planner_occ_free(&o);
	t.status = TASK_DONE;
	planner_prepare(e->d, &t, NULL, due, TASK_OPEN, NULL, 0, at(2025, 6, 1, 9, 0, 0), &o);
	assert_int_equal(o.in.status, TASK_DONE);
	planner_occ_free(&o);
	task_free(&t);
}

/*
 * A task that is done, cancelled or removed gets nothing more (scheduler.h,
 * DOMAIN.md), whatever the status its occurrence had: an occurrence marked
 * "Chờ …" or in progress must not keep a removed task alive.
 */
static void test_prepare_final_task_wins(void **state)
{
	static const enum task_status finals[] = {TASK_DONE, TASK_CANCELLED, TASK_REMOVED};
	static const enum task_status occs[] = {TASK_WAITING, TASK_IN_PROGRESS, TASK_NOT_MET};
	struct env *e = *state;
	struct task t;
	struct planner_occ o;
	const time_t due = end_of(2025, 6, 30);
	int bad = 0;

	task_with(&t, "KH-1", "Quý II/2025", TF_ONCE, due, TASK_OPEN);
	task_add_agency(&t, TASK_LEAD, "sxd", "Sở Xây dựng", NULL, true);
	for (size_t i = 0; i < N_ELEMS(finals); i++)
		for (size_t k = 0; k < N_ELEMS(occs); k++) {
			t.status = finals[i];
			planner_prepare(e->d, &t, NULL, due, occs[k], NULL, 0,
			                at(2025, 6, 1, 9, 0, 0), &o);
			if (!task_status_final(o.in.status)) {
				print_error(
				    "task %s, occurrence %s: in.status %s, expected a final "
				    "status\n",
				    task_status_name(finals[i]), task_status_name(occs[k]),
				    task_status_name(o.in.status));
				bad++;
			}
			planner_occ_free(&o);
		}
	task_free(&t);
	assert_int_equal(bad, 0);
}

/* Leads and coordinating agencies (resolved ones), supervisors of the
 * leads as held on the day, the ledger. */
static void test_prepare_recipients(void **state)
{
	struct env *e = *state;
	struct task t;
	struct planner_occ o;
	const time_t due = end_of(2025, 6, 30);
	struct store_note ledger[3];

	task_with(&t, "KH-1", "Quý II/2025", TF_ONCE, due, TASK_OPEN);
	task_add_agency(&t, TASK_LEAD, "sxd", "Sở Xây dựng", NULL, true);
	task_add_agency(&t, TASK_LEAD, "sttt", "Sở TT&TT", NULL, true);
	task_add_agency(&t, TASK_LEAD, "Sở Ma", "Sở Ma", NULL, false);
	task_add_agency(&t, TASK_COORD, "stc", "Sở Tài chính", NULL, true);
	task_add_agency(&t, TASK_COORD, "Ban Không Tên", "Ban Không Tên", NULL, false);

	memset(ledger, 0, sizeof(ledger));
	snprintf(ledger[0].agency, sizeof(ledger[0].agency), "sxd");
	snprintf(ledger[0].step, sizeof(ledger[0].step), "r30");
	snprintf(ledger[1].agency, sizeof(ledger[1].agency), "stc");
	snprintf(ledger[1].step, sizeof(ledger[1].step), "r30");
	snprintf(ledger[2].agency, sizeof(ledger[2].agency), "sttt");
	snprintf(ledger[2].step, sizeof(ledger[2].step), "r7@1");

	/* Before 1/3/2025 Sở TT&TT answers to the VP UBND, then to UBND tỉnh. */
	planner_prepare(e->d, &t, &sttt_plan, due, TASK_OPEN, ledger, 3, at(2025, 2, 1, 9, 0, 0),
	                &o);
	assert_int_equal(o.in.n_leads, 2);
	assert_true(has(o.in.leads, o.in.n_leads, "sxd"));
	assert_true(has(o.in.leads, o.in.n_leads, "sttt"));
	assert_int_equal(o.in.n_coords, 1);
	assert_true(has(o.in.coords, o.in.n_coords, "stc"));
	assert_string_equal(o.in.monitor, "sttt");
	if (o.in.n_supervisors != 2 || !has(o.in.supervisors, o.in.n_supervisors, "vpubnd") ||
	    !has(o.in.supervisors, o.in.n_supervisors, "ubnd")) {
		print_error("supervisors on 1/2/2025: %zu, expected vpubnd and ubnd\n",
		            o.in.n_supervisors);
		for (size_t i = 0; i < o.in.n_supervisors; i++)
			print_error("  %s\n", o.in.supervisors[i]);
		planner_occ_free(&o);
		task_free(&t);
		fail();
	}
	assert_int_equal(o.in.n_done, 3);
	for (size_t i = 0; i < 3; i++) {
		assert_string_equal(o.in.done[i].agency, ledger[i].agency);
		assert_string_equal(o.in.done[i].step, ledger[i].step);
	}
	planner_occ_free(&o);

	/* From 1/3/2025 its duties are Sở KH&CN's, which answers to UBND tỉnh. */
	planner_prepare(e->d, &t, NULL, due, TASK_OPEN, NULL, 0, at(2025, 6, 1, 9, 0, 0), &o);
	if (o.in.n_supervisors != 1 || !has(o.in.supervisors, o.in.n_supervisors, "ubnd")) {
		print_error("supervisors on 1/6/2025: %zu, expected ubnd only\n",
		            o.in.n_supervisors);
		for (size_t i = 0; i < o.in.n_supervisors; i++)
			print_error("  %s\n", o.in.supervisors[i]);
		planner_occ_free(&o);
		task_free(&t);
		fail();
	}
	assert_string_equal(o.in.monitor, "skhcn");
	assert_int_equal(o.in.n_done, 0);
	planner_occ_free(&o);
	task_free(&t);
}

/* From prepare to decide: the scheduler sees the plan's policy and parties. */
static void test_prepare_then_decide(void **state)
{
	struct env *e = *state;
	struct task t;
	struct planner_occ o;
	struct sched_out out;
	const time_t due = end_of(2025, 6, 30);

	/* Plan KH-1: remind.once = 10 5. r10 → Fri 20/6/2025, r5 → Wed 25/6. */
	task_with(&t, "KH-1", "Quý II/2025", TF_ONCE, due, TASK_OPEN);
	task_add_agency(&t, TASK_LEAD, "sxd", "Sở Xây dựng", NULL, true);
	task_add_agency(&t, TASK_COORD, "stc", "Sở Tài chính", NULL, true);
	const time_t now = at(2025, 6, 20, 9, 0, 0);
	planner_prepare(e->d, &t, NULL, due, TASK_OPEN, NULL, 0, now, &o);
	sched_decide(&o.in, now, &out);
	int bad = 0;
	if (out.n_send != 2) {
		print_error("20/6/2025: %zu notes sent, expected r10 to sxd and stc\n", out.n_send);
		bad++;
	}
	for (size_t i = 0; i < out.n_send; i++)
		if (strcmp(out.send[i].step, "r10") || out.send[i].at != at(2025, 6, 20, 8, 0, 0)) {
			print_error("20/6/2025: sent %s to %s\n", out.send[i].step,
			            out.send[i].agency);
			bad++;
		}
	if (out.next_at != at(2025, 6, 25, 8, 0, 0)) {
		char a[32];
		print_error("20/6/2025: next_at %s, expected 2025-06-25T08:00\n",
		            show_time(out.next_at, a, sizeof(a)));
		bad++;
	}
	sched_out_free(&out);
	planner_occ_free(&o);
	task_free(&t);
	assert_int_equal(bad, 0);
}

/*
 * Sở TT&TT's duties pass to Sở KH&CN on 1/3/2025. A yearly report of Sở
 * TT&TT due before that day was never Sở KH&CN's: the occurrence concerns
 * nobody now. One due after it is Sở KH&CN's (through the holder), and so
 * is a one-off task, however old. A recurring occurrence is missed when the
 * next one falls due.
 */
static void test_successor_and_missed(void **state)
{
	struct env *e = *state;
	static const struct {
		const char *timeframe;
		enum tf_kind kind;
		time_t due, missed_at;
		size_t leads; /* sttt kept (1) or dropped (0) */
		bool monitor;
	} cases[] = {
	    {"trước ngày 01/12 hàng năm", TF_YEARLY, 0, 0, 0, false},
	    {"trước ngày 01/12 hàng năm", TF_YEARLY, 1, 1, 1, true},
	    {"Quý IV/2024", TF_ONCE, 2, TF_NONE, 1, true},
	};
	const time_t dues[] = {at(2024, 12, 1, 0, 0, 0), at(2025, 12, 1, 0, 0, 0),
	                       end_of(2024, 12, 31)};
	const time_t missed[] = {at(2025, 12, 1, 0, 0, 0), at(2026, 12, 1, 0, 0, 0)};
	const time_t now = at(2025, 6, 2, 9, 0, 0);
	int bad = 0;

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		struct task t;
		struct planner_occ o;
		time_t due = dues[cases[i].due];
		time_t want_missed =
		    cases[i].missed_at == TF_NONE ? TF_NONE : missed[cases[i].missed_at];
		task_with(&t, "KH-1", cases[i].timeframe, cases[i].kind, due, TASK_OPEN);
		task_add_agency(&t, TASK_LEAD, "sttt", "Sở TT&TT", NULL, true);
		task_add_agency(&t, TASK_LEAD, "sxd", "Sở Xây dựng", NULL, true);
		planner_prepare(e->d, &t, &sttt_plan, due, TASK_OPEN, NULL, 0, now, &o);
		bool kept = has(o.in.leads, o.in.n_leads, "sttt");
		if (kept != (cases[i].leads == 1) || !has(o.in.leads, o.in.n_leads, "sxd") ||
		    (o.in.monitor != NULL) != cases[i].monitor || o.in.missed_at != want_missed) {
			print_error(
			    "case %zu (%s due %lld): sttt %s, sxd %s, monitor %s, missed_at "
			    "%lld (want %lld)\n",
			    i, cases[i].timeframe, (long long)due, kept ? "kept" : "dropped",
			    has(o.in.leads, o.in.n_leads, "sxd") ? "kept" : "dropped",
			    o.in.monitor ? o.in.monitor : "none", (long long)o.in.missed_at,
			    (long long)want_missed);
			bad++;
		}
		planner_occ_free(&o);
		task_free(&t);
	}
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_occurrences_once),
	    cmocka_unit_test(test_occurrences_none),
	    cmocka_unit_test(test_occurrences_yearly_with_plan),
	    cmocka_unit_test(test_occurrences_yearly_without_plan),
	    cmocka_unit_test(test_occurrences_quarterly),
	    cmocka_unit_test(test_occurrences_monthly),
	    cmocka_unit_test(test_occurrences_weekly),
	    cmocka_unit_test(test_task_kvs),
	    cmocka_unit_test_setup_teardown(test_prepare_global_policy, env_setup, env_teardown),
	    cmocka_unit_test_setup_teardown(test_prepare_overrides, env_setup, env_teardown),
	    cmocka_unit_test_setup_teardown(test_prepare_extension, env_setup, env_teardown),
	    cmocka_unit_test_setup_teardown(test_prepare_status, env_setup, env_teardown),
	    cmocka_unit_test_setup_teardown(test_prepare_final_task_wins, env_setup, env_teardown),
	    cmocka_unit_test_setup_teardown(test_prepare_recipients, env_setup, env_teardown),
	    cmocka_unit_test_setup_teardown(test_prepare_then_decide, env_setup, env_teardown),
	    cmocka_unit_test_setup_teardown(test_successor_and_missed, env_setup, env_teardown),
	    cmocka_unit_test(test_occurrences_from_plan_start),
	    cmocka_unit_test(test_occurrences_relative_to_the_year_of_issue),
	    cmocka_unit_test(test_plan_of),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
