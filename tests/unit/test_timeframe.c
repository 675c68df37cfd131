/*
 * Unit tests for timeframe: Vietnamese deadline phrases read as an official
 * reads them. Written test-first from include/timeframe.h and the domain
 * notes, so every expectation here is the specification, not the code.
 */
#include "check.h"

#include "date.h"
#include "text.h"
#include "timeframe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ANY_POS (-1) /* assert_unparsed: any error_pos within the input */

static const struct tf_ctx no_plan = {TZ, 0, 0};

static struct tf_ctx plan_ctx(int first, int last)
{
	struct tf_ctx c = {TZ, first, last};

	return c;
}

static int blen(const char *prefix)
{
	return (int)strlen(prefix);
}

/* ---- reporting: every failure names the phrase it was about ---- */

static const char *show(time_t t, char *buf, size_t len)
{
	if (t == TF_NONE) {
		snprintf(buf, len, "TF_NONE");
		return buf;
	}
	return date_format_iso(t, TZ, buf, len);
}

static const char *kind_label(int kind)
{
	static const char *const names[] = {
	    "TF_ONCE",    "TF_PERIOD", "TF_YEARLY",  "TF_HALF_YEARLY", "TF_QUARTERLY",
	    "TF_MONTHLY", "TF_WEEKLY", "TF_ONGOING", "TF_EVENT",       "TF_UNPARSED",
	};

	if (kind >= 0 && kind < (int)N_ELEMS(names))
		return names[kind];
	return "(invalid kind)";
}

/* The test's own idea of the recurring kinds, so it does not lean on tf_recurring(). */
static bool is_recurring(enum tf_kind kind)
{
	return kind == TF_YEARLY || kind == TF_HALF_YEARLY || kind == TF_QUARTERLY ||
	       kind == TF_MONTHLY || kind == TF_WEEKLY;
}

static void expect_time(const char *phrase, const char *what, time_t got, time_t want)
{
	char g[40], w[40];

	if (got == want)
		return;
	print_error("\"%s\": %s is %s, expected %s\n", phrase, what, show(got, g, sizeof(g)),
	            show(want, w, sizeof(w)));
	fail();
}

static void expect_int(const char *phrase, const char *what, long long got, long long want)
{
	if (got == want)
		return;
	print_error("\"%s\": %s is %lld, expected %lld\n", phrase, what, got, want);
	fail();
}

static void expect_kind(const char *phrase, enum tf_kind got, enum tf_kind want)
{
	if (got == want)
		return;
	print_error("\"%s\": kind is %s, expected %s\n", phrase, kind_label((int)got),
	            kind_label((int)want));
	fail();
}

static void expect_true(const char *phrase, const char *what, bool ok)
{
	if (ok)
		return;
	print_error("\"%s\": expected %s\n", phrase, what);
	fail();
}

static void expect_cstr(const char *phrase, const char *what, const char *buf, size_t cap,
                        const char *want)
{
	if (memchr(buf, '\0', cap) == NULL) {
		print_error("\"%s\": %s is not NUL-terminated\n", phrase, what);
		fail();
	}
	if (strcmp(buf, want) == 0)
		return;
	print_error("\"%s\": %s is \"%s\", expected \"%s\"\n", phrase, what, buf, want);
	fail();
}

/* ---- parsing helpers ---- */

static int parse(const char *phrase, const struct tf_ctx *ctx, struct tf *t)
{
	/* The text fields start as garbage, so one tf_parse forgets shows. */
	memset(t, 0, sizeof(*t));
	memset(t->condition, 'Z', sizeof(t->condition));
	memset(t->error, 'Z', sizeof(t->error));
	return tf_parse(phrase, ctx, t);
}

static void parse_ok(const char *phrase, const struct tf_ctx *ctx, struct tf *t)
{
	int rc = parse(phrase, ctx, t);

	if (rc != 0 || t->kind == TF_UNPARSED) {
		print_error("\"%s\": tf_parse returned %d, kind %s, error \"%.*s\" at %d\n", phrase,
		            rc, kind_label((int)t->kind), TF_ERROR_MAX - 1, t->error, t->error_pos);
		fail();
	}
	expect_int(phrase, "tz_offset", t->tz_offset, ctx->tz_offset);
	expect_true(phrase, "a NUL-terminated condition",
	            memchr(t->condition, '\0', sizeof(t->condition)) != NULL);
}

static void assert_next(const char *phrase, const struct tf *t, time_t now, time_t window_start,
                        time_t due)
{
	struct tf_occ o;
	char what[96], nb[40];

	snprintf(what, sizeof(what), "tf_next(%s)", show(now, nb, sizeof(nb)));
	if (!tf_next(t, now, &o)) {
		print_error("\"%s\": %s found no occurrence\n", phrase, what);
		fail();
	}
	snprintf(what, sizeof(what), "tf_next(%s).window_start", nb);
	expect_time(phrase, what, o.window_start, window_start);
	snprintf(what, sizeof(what), "tf_next(%s).due", nb);
	expect_time(phrase, what, o.due, due);
}

static void assert_no_next(const char *phrase, const struct tf *t, time_t now)
{
	struct tf_occ o;
	char what[96], nb[40];

	snprintf(what, sizeof(what), "tf_next(%s) to find nothing", show(now, nb, sizeof(nb)));
	expect_true(phrase, what, !tf_next(t, now, &o));
}

/* One deadline: kind ONCE, one phase equal to the window and due. */
static void assert_once_cond(const char *phrase, const struct tf_ctx *ctx, time_t window_start,
                             time_t due, const char *condition)
{
	struct tf t;

	parse_ok(phrase, ctx, &t);
	expect_kind(phrase, t.kind, TF_ONCE);
	expect_time(phrase, "window_start", t.window_start, window_start);
	expect_time(phrase, "due", t.due, due);
	expect_int(phrase, "n_phases", t.n_phases, 1);
	expect_time(phrase, "phases[0].window_start", t.phases[0].window_start, window_start);
	expect_time(phrase, "phases[0].due", t.phases[0].due, due);
	expect_cstr(phrase, "condition", t.condition, sizeof(t.condition), condition);
	expect_true(phrase, "implicit to be false", !t.implicit);
	assert_next(phrase, &t, due, window_start, due);
	assert_no_next(phrase, &t, due + 1);
}

static void assert_once(const char *phrase, const struct tf_ctx *ctx, time_t window_start,
                        time_t due)
{
	assert_once_cond(phrase, ctx, window_start, due, "");
}

static void assert_period(const char *phrase, const struct tf_ctx *ctx, time_t window_start,
                          time_t due)
{
	struct tf t;

	parse_ok(phrase, ctx, &t);
	expect_kind(phrase, t.kind, TF_PERIOD);
	expect_time(phrase, "window_start", t.window_start, window_start);
	expect_time(phrase, "due", t.due, due);
	expect_cstr(phrase, "condition", t.condition, sizeof(t.condition), "");
	expect_true(phrase, "implicit to be false", !t.implicit);
	assert_next(phrase, &t, window_start, window_start, due);
	assert_next(phrase, &t, due, window_start, due);
	assert_no_next(phrase, &t, due + 1);
}

/*
 * A recurring phrase with one anchor. Without a plan the rule is unbounded
 * on both sides, so there is no first occurrence: due and window are TF_NONE.
 */
static void parse_recurring(const char *phrase, const struct tf_ctx *ctx, struct tf *t,
                            enum tf_kind kind, int cycle_months, int month, int day, bool before,
                            int window_month)
{
	parse_ok(phrase, ctx, t);
	expect_kind(phrase, t->kind, kind);
	expect_int(phrase, "cycle_months", t->cycle_months, cycle_months);
	expect_int(phrase, "n_anchors", t->n_anchors, 1);
	expect_int(phrase, "anchors[0].month", t->anchors[0].month, month);
	expect_int(phrase, "anchors[0].day", t->anchors[0].day, day);
	expect_int(phrase, "anchors[0].before", t->anchors[0].before, before);
	expect_int(phrase, "anchors[0].window_month", t->anchors[0].window_month, window_month);
	expect_cstr(phrase, "condition", t->condition, sizeof(t->condition), "");
	expect_true(phrase, "implicit to be false", !t->implicit);
	if (ctx->plan_first_year == 0) {
		expect_time(phrase, "from", t->from, TF_NONE);
		expect_time(phrase, "until", t->until, TF_NONE);
		expect_time(phrase, "due", t->due, TF_NONE);
		expect_time(phrase, "window_start", t->window_start, TF_NONE);
	}
}

static void assert_unparsed(const char *phrase, const struct tf_ctx *ctx, int pos)
{
	struct tf t;
	struct tf_occ o[2];
	int rc = parse(phrase, ctx, &t);

	expect_int(phrase, "tf_parse() result", rc, -1);
	expect_kind(phrase, t.kind, TF_UNPARSED);
	expect_true(phrase, "a NUL-terminated error",
	            memchr(t.error, '\0', sizeof(t.error)) != NULL);
	expect_true(phrase, "a non-empty error", t.error[0] != '\0');
	if (pos == ANY_POS)
		expect_true(phrase, "error_pos within the input",
		            t.error_pos >= 0 && t.error_pos <= blen(phrase));
	else
		expect_int(phrase, "error_pos", t.error_pos, pos);
	expect_time(phrase, "window_start", t.window_start, TF_NONE);
	expect_time(phrase, "due", t.due, TF_NONE);
	assert_no_next(phrase, &t, at(2025, 1, 1, 0, 0, 0));
	expect_int(phrase, "tf_occurrences()",
	           (long long)tf_occurrences(&t, at(2020, 1, 1, 0, 0, 0), end_of(2030, 12, 31), o,
	                                     N_ELEMS(o)),
	           0);
}

/* ---- the phrases, grouped by meaning (reused by the invariants) ---- */

static const char *const q2_2025_forms[] = {
    "Quý II/2025",         "Quý 2/2025",  "quý II năm 2025",    "QUÝ II/2025",
    "Quí II/2025",         "quý ii/2025", "  Quý   II / 2025 ", "Quý II/ 2025",
    "Quy\xcc\x81 II/2025", /* NFD: y + U+0301 combining acute */
    "Quý II năm 2025",
};

static const char *const year_2025_forms[] = {
    "Năm 2025",
    "năm 2025",
    "Trong năm 2025",
    "Đến hết năm 2025",
};

static const char *const period_2022_2025_forms[] = {
    "2022 - 2025",
    "2022–2025", /* U+2013 en dash */
    "2022—2025", /* U+2014 em dash */
    "giai đoạn 2022-2025",
    "Giai đoạn 2022 – 2025",
    "Từ năm 2022 đến năm 2025",
    "Năm 2022 - 2025",
};

static const char *const dec_2022_forms[] = {
    "Tháng 12/2022",
    "tháng 12 năm 2022",
    "12/2022",
};

static const char *const q4_yearly_forms[] = {
    "Quý IV hàng năm",
    "Quý IV hằng năm",
    "quý 4 hàng năm",
    "Quý IV Hàng Năm",
};

static const char *const before_15_12_yearly_forms[] = {
    "trước ngày 15/12 hàng năm",
    "Định kỳ hàng năm (trước ngày 15/12)",
    "Định kỳ hàng năm (*trước ngày 15/12*)",
    "Hằng năm, trước ngày 15/12",
    "Trước 15/12 hằng năm",
    "trước ngày 15 tháng 12 hàng năm",
};

static const char *const bare_date_forms[] = {
    "30/6/2024",
    "30/06/2024",
    "ngày 30/6/2024",
    "ngày 30 tháng 6 năm 2024",
};

static const char *const weekly_forms[] = {"Hàng tuần", "Mỗi tuần", "hằng tuần"};
static const char *const monthly_forms[] = {"Hàng tháng", "hằng tháng", "Định kỳ hàng tháng"};
static const char *const quarterly_forms[] = {"Hàng quý", "Định kỳ hàng quý", "hằng quý"};
static const char *const half_yearly_forms[] = {
    "6 tháng",
    "Định kỳ 6 tháng",
    "báo cáo 6 tháng và báo cáo năm",
    "Hàng 6 tháng",
};
static const char *const ongoing_forms[] = {"Thường xuyên", "thường xuyên", "THƯỜNG XUYÊN"};
static const char *const event_forms[] = {
    "Khi có phát sinh",
    "khi có yêu cầu",
    "Sau khi Đề án được phê duyệt",
    "Ngay sau khi Bộ ban hành hướng dẫn",
};

/* ---- one-off deadlines ---- */

static void test_quarter_once(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMS(q2_2025_forms); i++)
		assert_once(q2_2025_forms[i], &no_plan, start_of(2025, 4, 1), end_of(2025, 6, 30));
	assert_once("Quý I/2024", &no_plan, start_of(2024, 1, 1), end_of(2024, 3, 31));
	assert_once("Quý III/2025", &no_plan, start_of(2025, 7, 1), end_of(2025, 9, 30));
	assert_once("Quý IV/2025", &no_plan, start_of(2025, 10, 1), end_of(2025, 12, 31));
}

static void test_year_once(void **state)
{
	struct tf_ctx p2022 = plan_ctx(2022, 2025), p2025 = plan_ctx(2025, 2025);
	struct tf_ctx p2020 = plan_ctx(2020, 2025);

	(void)state;
	for (size_t i = 0; i < N_ELEMS(year_2025_forms); i++)
		assert_once(year_2025_forms[i], &no_plan, start_of(2025, 1, 1),
		            end_of(2025, 12, 31));
	/* "Đến năm" (by the year) opens with the plan when the plan starts earlier. */
	assert_once("Đến năm 2025", &p2022, start_of(2022, 1, 1), end_of(2025, 12, 31));
	assert_once("Đến năm 2025", &no_plan, start_of(2025, 1, 1), end_of(2025, 12, 31));
	assert_once("Đến năm 2025", &p2025, start_of(2025, 1, 1), end_of(2025, 12, 31));
	assert_once("đến năm 2030", &p2020, start_of(2020, 1, 1), end_of(2030, 12, 31));
}

static void test_month_once(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMS(dec_2022_forms); i++)
		assert_once(dec_2022_forms[i], &no_plan, start_of(2022, 12, 1),
		            end_of(2022, 12, 31));
	assert_once("tháng 02/2024", &no_plan, start_of(2024, 2, 1), end_of(2024, 2, 29));
	assert_once("Tháng 2/2025", &no_plan, start_of(2025, 2, 1), end_of(2025, 2, 28));
}

static void test_dates_once(void **state)
{
	struct tf_ctx p = plan_ctx(2022, 2025);

	(void)state;
	/* "trước ngày D": due as D begins; the window opens with the plan, if known. */
	assert_once("trước ngày 30/6/2024", &no_plan, TF_NONE, start_of(2024, 6, 30));
	assert_once("trước ngày 30/6/2024", &p, start_of(2022, 1, 1), start_of(2024, 6, 30));
	/* A bare date is due at the end of that day. */
	for (size_t i = 0; i < N_ELEMS(bare_date_forms); i++)
		assert_once(bare_date_forms[i], &no_plan, TF_NONE, end_of(2024, 6, 30));
}

static void test_half_of_year(void **state)
{
	struct tf t;
	const char *ph;

	(void)state;
	assert_once("6 tháng đầu năm 2025", &no_plan, start_of(2025, 1, 1), end_of(2025, 6, 30));
	assert_once("6 tháng cuối năm 2025", &no_plan, start_of(2025, 7, 1), end_of(2025, 12, 31));

	ph = "6 tháng cuối năm";
	parse_recurring(ph, &no_plan, &t, TF_YEARLY, 12, 12, 0, false, 7);
	assert_next(ph, &t, at(2025, 3, 1, 0, 0, 0), start_of(2025, 7, 1), end_of(2025, 12, 31));

	ph = "6 tháng đầu năm";
	parse_recurring(ph, &no_plan, &t, TF_YEARLY, 12, 6, 0, false, 1);
	assert_next(ph, &t, at(2025, 3, 1, 0, 0, 0), start_of(2025, 1, 1), end_of(2025, 6, 30));
}

/* ---- periods ---- */

static void test_year_period(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMS(period_2022_2025_forms); i++)
		assert_period(period_2022_2025_forms[i], &no_plan, start_of(2022, 1, 1),
		              end_of(2025, 12, 31));
	assert_period("2021- 2025", &no_plan, start_of(2021, 1, 1), end_of(2025, 12, 31));
	assert_period("2022 - 2023", &no_plan, start_of(2022, 1, 1), end_of(2023, 12, 31));
	assert_unparsed("2025 - 2022", &no_plan, ANY_POS);
	/* Tết moves every year: without its year it is no date. */
	assert_unparsed("trước Tết Nguyên đán", &no_plan, blen("trước "));
}

static void test_quarter_ranges_and_lists(void **state)
{
	struct tf t;
	const char *ph = "Quý I và Quý III/2025";

	(void)state;
	assert_period("Quý III - Quý IV/2024", &no_plan, start_of(2024, 7, 1),
	              end_of(2024, 12, 31));
	assert_period("Quý III-IV/2024", &no_plan, start_of(2024, 7, 1), end_of(2024, 12, 31));
	/* Adjacent quarters join into one span. */
	assert_period("Quý I, II/2025", &no_plan, start_of(2025, 1, 1), end_of(2025, 6, 30));
	assert_period("Quý I và II/2025", &no_plan, start_of(2025, 1, 1), end_of(2025, 6, 30));
	/* A day alone at the start is in the end's month. */
	assert_period("từ ngày 5 đến ngày 20/6/2025", &no_plan, start_of(2025, 6, 5),
	              end_of(2025, 6, 20));
	assert_period("từ ngày 25 đến ngày 5/7/2025", &no_plan, start_of(2025, 6, 25),
	              end_of(2025, 7, 5));
	assert_period("từ ngày 25 đến ngày 5/1/2027", &no_plan, start_of(2026, 12, 25),
	              end_of(2027, 1, 5));
	assert_period("Từ Quý II/2024 đến Quý IV/2025", &no_plan, start_of(2024, 4, 1),
	              end_of(2025, 12, 31));

	/* Non-adjacent quarters stay two deadlines. */
	parse_ok(ph, &no_plan, &t);
	expect_kind(ph, t.kind, TF_ONCE);
	expect_int(ph, "n_phases", t.n_phases, 2);
	expect_time(ph, "phases[0].window_start", t.phases[0].window_start, start_of(2025, 1, 1));
	expect_time(ph, "phases[0].due", t.phases[0].due, end_of(2025, 3, 31));
	expect_time(ph, "phases[1].window_start", t.phases[1].window_start, start_of(2025, 7, 1));
	expect_time(ph, "phases[1].due", t.phases[1].due, end_of(2025, 9, 30));
	expect_time(ph, "window_start", t.window_start, start_of(2025, 1, 1));
	expect_time(ph, "due", t.due, end_of(2025, 9, 30));
	expect_cstr(ph, "condition", t.condition, sizeof(t.condition), "");
	assert_next(ph, &t, at(2025, 2, 1, 0, 0, 0), start_of(2025, 1, 1), end_of(2025, 3, 31));
	assert_next(ph, &t, at(2025, 4, 1, 0, 0, 0), start_of(2025, 7, 1), end_of(2025, 9, 30));
	assert_no_next(ph, &t, end_of(2025, 9, 30) + 1);
}

static void test_phases(void **state)
{
	struct tf t;
	struct tf_occ o[4];
	const char *ph = "Giai đoạn 1: Quý IV/2023; Giai đoạn 2: Năm 2024";

	(void)state;
	parse_ok(ph, &no_plan, &t);
	expect_kind(ph, t.kind, TF_ONCE);
	expect_int(ph, "n_phases", t.n_phases, 2);
	expect_time(ph, "phases[0].window_start", t.phases[0].window_start, start_of(2023, 10, 1));
	expect_time(ph, "phases[0].due", t.phases[0].due, end_of(2023, 12, 31));
	expect_time(ph, "phases[1].window_start", t.phases[1].window_start, start_of(2024, 1, 1));
	expect_time(ph, "phases[1].due", t.phases[1].due, end_of(2024, 12, 31));
	expect_time(ph, "window_start", t.window_start, start_of(2023, 10, 1));
	expect_time(ph, "due", t.due, end_of(2024, 12, 31));
	assert_next(ph, &t, start_of(2024, 1, 1), start_of(2024, 1, 1), end_of(2024, 12, 31));
	expect_int(ph, "tf_occurrences(2020..2030)",
	           (long long)tf_occurrences(&t, start_of(2020, 1, 1), end_of(2030, 12, 31), o,
	                                     N_ELEMS(o)),
	           2);
	expect_time(ph, "occurrence 0 due", o[0].due, end_of(2023, 12, 31));
	expect_time(ph, "occurrence 1 due", o[1].due, end_of(2024, 12, 31));
}

/* ---- recurring ---- */

static void test_quarter_yearly(void **state)
{
	struct tf t;

	(void)state;
	for (size_t i = 0; i < N_ELEMS(q4_yearly_forms); i++) {
		const char *ph = q4_yearly_forms[i];

		parse_recurring(ph, &no_plan, &t, TF_YEARLY, 12, 12, 0, false, 10);
		assert_next(ph, &t, at(2025, 11, 24, 10, 0, 0), start_of(2025, 10, 1),
		            end_of(2025, 12, 31));
		/* At the due instant the occurrence is still the next one. */
		assert_next(ph, &t, end_of(2025, 12, 31), start_of(2025, 10, 1),
		            end_of(2025, 12, 31));
		assert_next(ph, &t, start_of(2026, 1, 1), start_of(2026, 10, 1),
		            end_of(2026, 12, 31));
	}
}

static void test_month_yearly(void **state)
{
	struct tf t;
	const char *ph = "tháng 9 hàng năm";

	(void)state;
	parse_recurring(ph, &no_plan, &t, TF_YEARLY, 12, 9, 0, false, 9);
	assert_next(ph, &t, at(2025, 1, 10, 0, 0, 0), start_of(2025, 9, 1), end_of(2025, 9, 30));
}

static void test_before_day_yearly(void **state)
{
	struct tf t;
	const char *ph;

	(void)state;
	for (size_t i = 0; i < N_ELEMS(before_15_12_yearly_forms); i++) {
		ph = before_15_12_yearly_forms[i];
		/* The parenthesis holds a date, not a condition: condition "". */
		parse_recurring(ph, &no_plan, &t, TF_YEARLY, 12, 12, 15, true, 1);
		assert_next(ph, &t, at(2025, 11, 24, 10, 0, 0), start_of(2025, 1, 1),
		            start_of(2025, 12, 15));
		assert_next(ph, &t, start_of(2025, 12, 15), start_of(2025, 1, 1),
		            start_of(2025, 12, 15));
		assert_next(ph, &t, start_of(2025, 12, 15) + 1, start_of(2026, 1, 1),
		            start_of(2026, 12, 15));
	}

	ph = "trước ngày 01/12 hàng năm";
	parse_recurring(ph, &no_plan, &t, TF_YEARLY, 12, 12, 1, true, 1);
	assert_next(ph, &t, at(2025, 1, 1, 0, 0, 0), start_of(2025, 1, 1), start_of(2025, 12, 1));

	ph = "Trước 31/12 hằng năm";
	parse_recurring(ph, &no_plan, &t, TF_YEARLY, 12, 12, 31, true, 1);
	assert_next(ph, &t, at(2025, 1, 1, 0, 0, 0), start_of(2025, 1, 1), start_of(2025, 12, 31));
}

static void test_weekly(void **state)
{
	struct tf t;

	(void)state;
	for (size_t i = 0; i < N_ELEMS(weekly_forms); i++) {
		const char *ph = weekly_forms[i];

		parse_ok(ph, &no_plan, &t);
		expect_kind(ph, t.kind, TF_WEEKLY);
		expect_int(ph, "cycle_months", t.cycle_months, 0);
		expect_int(ph, "weekday", t.weekday, 5);
		expect_cstr(ph, "condition", t.condition, sizeof(t.condition), "");
		expect_time(ph, "from", t.from, TF_NONE);
		expect_time(ph, "until", t.until, TF_NONE);
		expect_time(ph, "due", t.due, TF_NONE);
		expect_time(ph, "window_start", t.window_start, TF_NONE);
		/* Tuesday → the week's Monday to Friday; Saturday → next week's Friday. */
		assert_next(ph, &t, at(2026, 11, 24, 10, 0, 0), start_of(2026, 11, 23),
		            end_of(2026, 11, 27));
		assert_next(ph, &t, end_of(2026, 11, 27), start_of(2026, 11, 23),
		            end_of(2026, 11, 27));
		assert_next(ph, &t, at(2026, 11, 28, 9, 0, 0), start_of(2026, 11, 30),
		            end_of(2026, 12, 4));
	}
}

static void test_monthly(void **state)
{
	struct tf t;

	(void)state;
	for (size_t i = 0; i < N_ELEMS(monthly_forms); i++) {
		const char *ph = monthly_forms[i];

		parse_recurring(ph, &no_plan, &t, TF_MONTHLY, 1, 1, 0, false, 1);
		assert_next(ph, &t, at(2025, 2, 10, 0, 0, 0), start_of(2025, 2, 1),
		            end_of(2025, 2, 28));
		assert_next(ph, &t, at(2024, 2, 10, 0, 0, 0), start_of(2024, 2, 1),
		            end_of(2024, 2, 29));
	}
}

static void test_quarterly(void **state)
{
	struct tf t;

	(void)state;
	for (size_t i = 0; i < N_ELEMS(quarterly_forms); i++) {
		const char *ph = quarterly_forms[i];

		parse_recurring(ph, &no_plan, &t, TF_QUARTERLY, 3, 3, 0, false, 1);
		assert_next(ph, &t, at(2025, 5, 1, 0, 0, 0), start_of(2025, 4, 1),
		            end_of(2025, 6, 30));
	}
}

static void test_half_yearly(void **state)
{
	struct tf t;

	(void)state;
	for (size_t i = 0; i < N_ELEMS(half_yearly_forms); i++) {
		const char *ph = half_yearly_forms[i];

		parse_recurring(ph, &no_plan, &t, TF_HALF_YEARLY, 6, 6, 0, false, 1);
		assert_next(ph, &t, at(2025, 7, 1, 0, 0, 0), start_of(2025, 7, 1),
		            end_of(2025, 12, 31));
		assert_next(ph, &t, at(2025, 3, 1, 0, 0, 0), start_of(2025, 1, 1),
		            end_of(2025, 6, 30));
	}
}

static void test_and_following_years(void **state)
{
	struct tf t;
	const char *ph = "Năm 2024 và các năm tiếp theo";

	(void)state;
	parse_ok(ph, &no_plan, &t);
	expect_kind(ph, t.kind, TF_YEARLY);
	expect_int(ph, "cycle_months", t.cycle_months, 12);
	expect_int(ph, "n_anchors", t.n_anchors, 1);
	expect_int(ph, "anchors[0].month", t.anchors[0].month, 12);
	expect_int(ph, "anchors[0].day", t.anchors[0].day, 0);
	expect_int(ph, "anchors[0].before", t.anchors[0].before, false);
	expect_int(ph, "anchors[0].window_month", t.anchors[0].window_month, 1);
	expect_time(ph, "from", t.from, start_of(2024, 1, 1));
	expect_time(ph, "until", t.until, TF_NONE);
	expect_time(ph, "due", t.due, end_of(2024, 12, 31));
	expect_time(ph, "window_start", t.window_start, start_of(2024, 1, 1));
	assert_next(ph, &t, at(2030, 5, 1, 0, 0, 0), start_of(2030, 1, 1), end_of(2030, 12, 31));

	ph = "Quý IV/2024 và các năm tiếp theo";
	parse_ok(ph, &no_plan, &t);
	expect_kind(ph, t.kind, TF_YEARLY);
	expect_int(ph, "cycle_months", t.cycle_months, 12);
	expect_int(ph, "n_anchors", t.n_anchors, 1);
	expect_int(ph, "anchors[0].month", t.anchors[0].month, 12);
	expect_int(ph, "anchors[0].day", t.anchors[0].day, 0);
	expect_int(ph, "anchors[0].before", t.anchors[0].before, false);
	expect_int(ph, "anchors[0].window_month", t.anchors[0].window_month, 10);
	expect_time(ph, "from", t.from, start_of(2024, 1, 1));
	expect_time(ph, "until", t.until, TF_NONE);
	expect_time(ph, "due", t.due, end_of(2024, 12, 31));
	expect_time(ph, "window_start", t.window_start, start_of(2024, 10, 1));
	assert_next(ph, &t, at(2026, 3, 1, 0, 0, 0), start_of(2026, 10, 1), end_of(2026, 12, 31));
}

static void test_plan_bounds(void **state)
{
	struct tf t;
	struct tf_occ o[10];
	struct tf_ctx p = plan_ctx(2022, 2025);
	const char *ph = "Quý IV hàng năm";
	size_t n;

	(void)state;
	parse_recurring(ph, &p, &t, TF_YEARLY, 12, 12, 0, false, 10);
	expect_time(ph, "from", t.from, start_of(2022, 1, 1));
	expect_time(ph, "until", t.until, end_of(2025, 12, 31));
	expect_time(ph, "due", t.due, end_of(2022, 12, 31));
	expect_time(ph, "window_start", t.window_start, start_of(2022, 10, 1));

	n = tf_occurrences(&t, start_of(2020, 1, 1), start_of(2030, 1, 1), o, N_ELEMS(o));
	expect_int(ph, "tf_occurrences(2020..2030)", (long long)n, 4);
	for (int i = 0; i < 4; i++) {
		expect_time(ph, "occurrence window_start", o[i].window_start,
		            start_of(2022 + i, 10, 1));
		expect_time(ph, "occurrence due", o[i].due, end_of(2022 + i, 12, 31));
	}
	assert_next(ph, &t, start_of(2020, 1, 1), start_of(2022, 10, 1), end_of(2022, 12, 31));
	assert_no_next(ph, &t, start_of(2026, 1, 1));

	memset(o, 0, sizeof(o));
	n = tf_occurrences(&t, start_of(2020, 1, 1), start_of(2030, 1, 1), o, 2);
	expect_int(ph, "tf_occurrences(max 2)", (long long)n, 2);
	expect_time(ph, "occurrence 0 due", o[0].due, end_of(2022, 12, 31));
	expect_time(ph, "occurrence 1 due", o[1].due, end_of(2023, 12, 31));
	expect_time(ph, "out[2] untouched", o[2].due, 0);
}

/* ---- no deadline of their own ---- */

static void test_ongoing(void **state)
{
	struct tf t;
	const char *ph;

	(void)state;
	for (size_t i = 0; i < N_ELEMS(ongoing_forms); i++) {
		ph = ongoing_forms[i];
		parse_ok(ph, &no_plan, &t);
		expect_kind(ph, t.kind, TF_ONGOING);
		expect_time(ph, "window_start", t.window_start, TF_NONE);
		expect_time(ph, "due", t.due, TF_NONE);
		assert_no_next(ph, &t, at(2025, 1, 1, 0, 0, 0));
	}

	ph = "Từ năm 2023";
	parse_ok(ph, &no_plan, &t);
	expect_kind(ph, t.kind, TF_ONGOING);
	expect_time(ph, "window_start", t.window_start, start_of(2023, 1, 1));
	expect_time(ph, "due", t.due, TF_NONE);
	assert_no_next(ph, &t, at(2025, 1, 1, 0, 0, 0));

	ph = "Từ tháng 3/2024";
	parse_ok(ph, &no_plan, &t);
	expect_kind(ph, t.kind, TF_ONGOING);
	expect_time(ph, "window_start", t.window_start, start_of(2024, 3, 1));
	expect_time(ph, "due", t.due, TF_NONE);
}

static void test_events(void **state)
{
	struct tf t;

	(void)state;
	for (size_t i = 0; i < N_ELEMS(event_forms); i++) {
		const char *ph = event_forms[i];

		parse_ok(ph, &no_plan, &t);
		expect_kind(ph, t.kind, TF_EVENT);
		expect_time(ph, "window_start", t.window_start, TF_NONE);
		expect_time(ph, "due", t.due, TF_NONE);
		expect_cstr(ph, "condition", t.condition, sizeof(t.condition), ph);
		assert_no_next(ph, &t, at(2025, 1, 1, 0, 0, 0));
	}
	/* The condition is the phrase trimmed. */
	parse_ok("  Khi có phát sinh  ", &no_plan, &t);
	expect_kind("  Khi có phát sinh  ", t.kind, TF_EVENT);
	expect_cstr("  Khi có phát sinh  ", "condition", t.condition, sizeof(t.condition),
	            "Khi có phát sinh");
}

/* ---- conditions, empty cells ---- */

static void test_conditions(void **state)
{
	(void)state;
	assert_once_cond("Năm 2025 (sau khi có hướng dẫn của Bộ Khoa học và Công nghệ)", &no_plan,
	                 start_of(2025, 1, 1), end_of(2025, 12, 31),
	                 "sau khi có hướng dẫn của Bộ Khoa học và Công nghệ");
	assert_once_cond("Năm 2025 (*sau khi có hướng dẫn của Bộ Khoa học và Công nghệ*)", &no_plan,
	                 start_of(2025, 1, 1), end_of(2025, 12, 31),
	                 "sau khi có hướng dẫn của Bộ Khoa học và Công nghệ");
	assert_once_cond("Quý II/2025 (nếu có kinh phí)", &no_plan, start_of(2025, 4, 1),
	                 end_of(2025, 6, 30), "nếu có kinh phí");
}

static void test_empty_phrase_uses_plan(void **state)
{
	static const char *const empties[] = {"", "   "};
	struct tf_ctx one_year = plan_ctx(2023, 2023), four_years = plan_ctx(2022, 2025);
	struct tf t;

	(void)state;
	for (size_t i = 0; i < N_ELEMS(empties); i++) {
		const char *ph = empties[i];

		parse_ok(ph, &one_year, &t);
		expect_kind(ph, t.kind, TF_ONCE);
		expect_true(ph, "implicit (plan 2023)", t.implicit);
		expect_time(ph, "window_start", t.window_start, start_of(2023, 1, 1));
		expect_time(ph, "due", t.due, end_of(2023, 12, 31));

		parse_ok(ph, &four_years, &t);
		expect_kind(ph, t.kind, TF_PERIOD);
		expect_true(ph, "implicit (plan 2022-2025)", t.implicit);
		expect_time(ph, "window_start", t.window_start, start_of(2022, 1, 1));
		expect_time(ph, "due", t.due, end_of(2025, 12, 31));

		assert_unparsed(ph, &no_plan, 0);
	}
}

/* ---- errors ---- */

static void test_errors(void **state)
{
	(void)state;
	assert_unparsed("Quý V/2025", &no_plan, blen("Quý "));
	assert_unparsed("Quý 0/2025", &no_plan, blen("Quý "));
	assert_unparsed("tháng 13/2025", &no_plan, blen("tháng "));
	assert_unparsed("31/2/2025", &no_plan, 0);
	assert_unparsed("trước ngày 31/4 hàng năm", &no_plan, blen("trước ngày "));
	/* A word that is no timing makes a sentence, read loosely (test_deadline_in_a_sentence);
	 * a wrong date in it is still an error. */
	assert_unparsed("Quý II/2025 và Quý V", &no_plan, blen("Quý II/2025 và Quý "));
	assert_unparsed("blah blah", &no_plan, 0);
	/* 29 February is not in every year. */
	assert_unparsed("29/2 hàng năm", &no_plan, ANY_POS);
	/* Years outside 1900..2200. */
	assert_unparsed("Quý II/99999", &no_plan, ANY_POS);
	assert_unparsed("Năm 1800", &no_plan, ANY_POS);
	assert_unparsed("2025 - 2022", &no_plan, ANY_POS);
}

/* ---- the seed documents ---- */

struct when {
	int y, m, d, h, mi, s; /* y 0: TF_NONE; y -1: not checked */
};

#define W_NONE                                                                                     \
	{                                                                                          \
		0, 0, 0, 0, 0, 0                                                                   \
	}
#define W_SKIP                                                                                     \
	{                                                                                          \
		-1, 0, 0, 0, 0, 0                                                                  \
	}
#define W_START(y, m, d)                                                                           \
	{                                                                                          \
		y, m, d, 0, 0, 0                                                                   \
	}
#define W_END(y, m, d)                                                                             \
	{                                                                                          \
		y, m, d, 23, 59, 59                                                                \
	}

static time_t when_time(struct when w)
{
	return w.y == 0 ? TF_NONE : at(w.y, w.m, w.d, w.h, w.mi, w.s);
}

#define SEED_906  "906-QD-UBND-2022_digital-economy-plan-2022-2025.txt"
#define SEED_KH25 "KH-2025_digital-economy-by-sector.txt"
#define SEED_119  "119-KH-UBND-2020_national-dx-programme-plan.txt"

struct seed_case {
	const char *file; /* in ../shared/seeds/ */
	const char *phrase;
	int plan_first, plan_last; /* the document's own period */
	enum tf_kind kind;
	/* ONCE, PERIOD, ONGOING, EVENT: the struct; recurring: tf_next(1/1/2025). */
	struct when window_start, due;
	const char *condition;
};

/*
 * Every distinct timeframe phrase of the seed plans, as written:
 *  - 906-QD-UBND-2022 (plan 2022-2025): the appendix table's "Thời gian"
 *    column (one row, VI.6, has an empty cell), and the reporting duties of
 *    part III ("báo cáo 6 tháng và báo cáo năm", "định kỳ hàng năm").
 *  - KH-2025 (plan for 2025): the "Thời gian thực hiện:", "Thời gian hoàn
 *    thành:" and "Thời gian thực hiện, hoàn thành:" lines, the yearly report
 *    "Định kỳ hàng năm (*trước ngày 15/12*)" and the monitoring agency's
 *    "định kỳ hàng năm báo cáo".
 *  - 119-KH-UBND-2020 (plan 2020-2025): the report "trước ngày 01/12 hàng
 *    năm", the targets "đến năm 2025" / "đến năm 2030", and the Sở TT&TT
 *    task "… giai đoạn 2021- 2025" (split over two lines in the text).
 */
static const struct seed_case seed_cases[] = {
    {SEED_906, "2022 - 2025", 2022, 2025, TF_PERIOD, W_START(2022, 1, 1), W_END(2025, 12, 31), ""},
    {SEED_906, "2022 - 2023", 2022, 2025, TF_PERIOD, W_START(2022, 1, 1), W_END(2023, 12, 31), ""},
    {SEED_906, "2022 - 2024", 2022, 2025, TF_PERIOD, W_START(2022, 1, 1), W_END(2024, 12, 31), ""},
    {SEED_906, "", 2022, 2025, TF_PERIOD, W_START(2022, 1, 1), W_END(2025, 12, 31), ""},
    {SEED_906, "báo cáo 6 tháng và báo cáo năm", 2022, 2025, TF_HALF_YEARLY, W_START(2025, 1, 1),
     W_END(2025, 6, 30), ""},
    {SEED_KH25, "Thường xuyên", 2025, 2025, TF_ONGOING, W_SKIP, W_NONE, ""},
    {SEED_KH25, "Quý II/2025", 2025, 2025, TF_ONCE, W_START(2025, 4, 1), W_END(2025, 6, 30), ""},
    {SEED_KH25, "Quý III/2025", 2025, 2025, TF_ONCE, W_START(2025, 7, 1), W_END(2025, 9, 30), ""},
    {SEED_KH25, "Quý IV/2025", 2025, 2025, TF_ONCE, W_START(2025, 10, 1), W_END(2025, 12, 31), ""},
    {SEED_KH25, "Quý IV hàng năm", 2025, 2025, TF_YEARLY, W_START(2025, 10, 1), W_END(2025, 12, 31),
     ""},
    {SEED_KH25, "Năm 2025", 2025, 2025, TF_ONCE, W_START(2025, 1, 1), W_END(2025, 12, 31), ""},
    {SEED_KH25, "Năm 2025 (*sau khi có hướng dẫn của Bộ Khoa học và Công nghệ*)", 2025, 2025,
     TF_ONCE, W_START(2025, 1, 1), W_END(2025, 12, 31),
     "sau khi có hướng dẫn của Bộ Khoa học và Công nghệ"},
    /* 1/1/2025 is a Wednesday: the week's Friday is 3/1/2025. */
    {SEED_KH25, "Hàng tuần", 2025, 2025, TF_WEEKLY, W_SKIP, W_END(2025, 1, 3), ""},
    {SEED_KH25, "Định kỳ hàng năm (*trước ngày 15/12*)", 2025, 2025, TF_YEARLY, W_START(2025, 1, 1),
     W_START(2025, 12, 15), ""},
    /* Not in the contract's table: once a year, so by the end of the year. */
    {SEED_KH25, "Định kỳ hàng năm", 2025, 2025, TF_YEARLY, W_START(2025, 1, 1), W_END(2025, 12, 31),
     ""},
    {SEED_119, "trước ngày 01/12 hàng năm", 2020, 2025, TF_YEARLY, W_START(2025, 1, 1),
     W_START(2025, 12, 1), ""},
    {SEED_119, "đến năm 2025", 2020, 2025, TF_ONCE, W_START(2020, 1, 1), W_END(2025, 12, 31), ""},
    {SEED_119, "đến năm 2030", 2020, 2025, TF_ONCE, W_START(2020, 1, 1), W_END(2030, 12, 31), ""},
    {SEED_119, "giai đoạn 2021- 2025", 2020, 2025, TF_PERIOD, W_START(2021, 1, 1),
     W_END(2025, 12, 31), ""},
};

/*
 * The seed text with every run of white space made one space, or NULL when
 * the seeds are not there (they live beside the repository, not in it).
 */
static char *read_seed(const char *file)
{
	char path[256];
	FILE *f;
	char *text;
	size_t n = 0, cap = 1 << 16;
	int c;
	bool space = false;

	snprintf(path, sizeof(path), "../shared/seeds/%s", file);
	f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	text = malloc(cap);
	assert_non_null(text);
	while ((c = fgetc(f)) != EOF) {
		bool ws = c == ' ' || c == '\t' || c == '\n' || c == '\r';

		if (ws && space)
			continue;
		space = ws;
		if (n + 2 > cap) {
			cap *= 2;
			text = realloc(text, cap);
			assert_non_null(text);
		}
		text[n++] = ws ? ' ' : (char)c;
	}
	text[n] = '\0';
	fclose(f);
	return text;
}

static void test_seed_phrases(void **state)
{
	const time_t now = at(2025, 1, 1, 0, 0, 0);

	(void)state;
	for (size_t i = 0; i < N_ELEMS(seed_cases); i++) {
		const struct seed_case *c = &seed_cases[i];
		struct tf_ctx ctx = plan_ctx(c->plan_first, c->plan_last);
		struct tf t;
		struct tf_occ o;
		time_t ws, due;
		char *text;

		/* The table must quote the seeds, when they can be read. */
		text = c->phrase[0] != '\0' ? read_seed(c->file) : NULL;
		if (text != NULL) {
			bool found = strstr(text, c->phrase) != NULL;

			free(text);
			expect_true(c->phrase, "the phrase to occur in its seed file", found);
		}

		parse_ok(c->phrase, &ctx, &t);
		expect_kind(c->phrase, t.kind, c->kind);
		expect_cstr(c->phrase, "condition", t.condition, sizeof(t.condition), c->condition);
		if (is_recurring(c->kind)) {
			if (!tf_next(&t, now, &o)) {
				print_error("\"%s\": tf_next(2025-01-01) found nothing\n",
				            c->phrase);
				fail();
			}
			ws = o.window_start;
			due = o.due;
		} else {
			ws = t.window_start;
			due = t.due;
		}
		if (c->window_start.y != -1)
			expect_time(c->phrase, "window_start", ws, when_time(c->window_start));
		expect_time(c->phrase, "due", due, when_time(c->due));
	}
}

/* ---- invariants over every phrase that parses ---- */

struct phrase_group {
	const char *const *phrases;
	size_t n;
};

#define GROUP(a)                                                                                   \
	{                                                                                          \
		a, N_ELEMS(a)                                                                      \
	}

static const struct phrase_group no_plan_groups[] = {
    GROUP(q2_2025_forms),   GROUP(year_2025_forms),   GROUP(period_2022_2025_forms),
    GROUP(dec_2022_forms),  GROUP(q4_yearly_forms),   GROUP(before_15_12_yearly_forms),
    GROUP(bare_date_forms), GROUP(weekly_forms),      GROUP(monthly_forms),
    GROUP(quarterly_forms), GROUP(half_yearly_forms), GROUP(ongoing_forms),
    GROUP(event_forms),
};

struct planned_phrase {
	const char *phrase;
	int plan_first, plan_last;
};

static const struct planned_phrase other_phrases[] = {
    {"Quý I/2024", 0, 0},
    {"Quý III/2025", 0, 0},
    {"Quý IV/2025", 0, 0},
    {"Đến năm 2025", 2022, 2025},
    {"Đến năm 2025", 0, 0},
    {"đến năm 2030", 2020, 2025},
    {"2021- 2025", 0, 0},
    {"2022 - 2023", 0, 0},
    {"tháng 02/2024", 0, 0},
    {"Tháng 2/2025", 0, 0},
    {"tháng 9 hàng năm", 0, 0},
    {"trước ngày 01/12 hàng năm", 0, 0},
    {"Trước 31/12 hằng năm", 0, 0},
    {"trước ngày 30/6/2024", 0, 0},
    {"trước ngày 30/6/2024", 2022, 2025},
    {"6 tháng đầu năm 2025", 0, 0},
    {"6 tháng cuối năm 2025", 0, 0},
    {"6 tháng cuối năm", 0, 0},
    {"6 tháng đầu năm", 0, 0},
    {"Từ năm 2023", 0, 0},
    {"Từ tháng 3/2024", 0, 0},
    {"Năm 2025 (sau khi có hướng dẫn của Bộ Khoa học và Công nghệ)", 0, 0},
    {"Quý II/2025 (nếu có kinh phí)", 0, 0},
    {"", 2023, 2023},
    {"   ", 2022, 2025},
    {"Quý III - Quý IV/2024", 0, 0},
    {"Quý III-IV/2024", 0, 0},
    {"Quý I, II/2025", 0, 0},
    {"Quý I và II/2025", 0, 0},
    {"Quý I và Quý III/2025", 0, 0},
    {"Từ Quý II/2024 đến Quý IV/2025", 0, 0},
    {"Giai đoạn 1: Quý IV/2023; Giai đoạn 2: Năm 2024", 0, 0},
    {"Năm 2024 và các năm tiếp theo", 0, 0},
    {"Quý IV/2024 và các năm tiếp theo", 0, 0},
    {"Quý IV hàng năm", 2022, 2025},
    {"Hàng tuần", 2025, 2025},
    {"Hàng tháng", 2024, 2025},
};

static bool same_occ(const struct tf_occ *a, const struct tf_occ *b)
{
	return a->window_start == b->window_start && a->due == b->due;
}

static void check_invariants(const char *ph, const struct tf *t)
{
	static const int probes[][6] = {
	    {2019, 6, 1, 0, 0, 0},      {2022, 1, 1, 0, 0, 0},     {2024, 2, 29, 12, 0, 0},
	    {2025, 1, 1, 0, 0, 0},      {2025, 6, 30, 23, 59, 59}, {2025, 12, 15, 0, 0, 0},
	    {2025, 12, 31, 23, 59, 59}, {2026, 1, 1, 0, 0, 0},     {2031, 3, 1, 0, 0, 0},
	};
	static struct tf_occ occ[1024];
	const time_t from = start_of(2020, 1, 1), to = end_of(2030, 12, 31);
	struct tf_occ o, again;
	char what[96], xb[40];
	size_t n;

	if (t->window_start != TF_NONE && t->due != TF_NONE)
		expect_true(ph, "window_start <= due", t->window_start <= t->due);
	if (t->kind == TF_ONCE && t->n_phases >= 1) {
		expect_true(ph, "n_phases <= TF_MAX_PHASES", t->n_phases <= TF_MAX_PHASES);
		expect_time(ph, "window_start (of the first phase)", t->window_start,
		            t->phases[0].window_start);
		expect_time(ph, "due (of the last phase)", t->due, t->phases[t->n_phases - 1].due);
		for (int i = 1; i < t->n_phases; i++)
			expect_true(ph, "phases in order of due, one due per agency",
			            t->phases[i - 1].due < t->phases[i].due ||
			                (t->phases[i - 1].due == t->phases[i].due &&
			                 t->phase_agency[i - 1].len + t->phase_agency[i].len > 0));
	}
	if (is_recurring(t->kind) && t->from != TF_NONE) {
		/* The struct holds the first occurrence within the bounds. */
		expect_true(ph, "an occurrence at or after from", tf_next(t, t->from, &o));
		expect_time(ph, "window_start (first occurrence)", t->window_start, o.window_start);
		expect_time(ph, "due (first occurrence)", t->due, o.due);
	}

	for (size_t i = 0; i < N_ELEMS(probes); i++) {
		const int *p = probes[i];
		time_t x = at(p[0], p[1], p[2], p[3], p[4], p[5]);
		bool found = tf_next(t, x, &o);
		int want = -1; /* 1: must find one, 0: must not, -1: either */

		switch (t->kind) {
		case TF_ONCE:
		case TF_PERIOD:
			want = x <= t->due;
			break;
		case TF_ONGOING:
		case TF_EVENT:
		case TF_UNPARSED:
			want = 0;
			break;
		default:
			if (t->until == TF_NONE)
				want = 1;
			else if (x > t->until)
				want = 0;
			break;
		}
		snprintf(what, sizeof(what), "tf_next(%s) to %s", show(x, xb, sizeof(xb)),
		         want == 1 ? "find an occurrence" : "find nothing");
		if (want != -1)
			expect_true(ph, what, found == (want == 1));
		if (!found)
			continue;
		snprintf(what, sizeof(what), "tf_next(%s).due >= not_before", xb);
		expect_true(ph, what, o.due != TF_NONE && o.due >= x);
		if (o.window_start != TF_NONE)
			expect_true(ph, "tf_next().window_start <= due", o.window_start <= o.due);
	}

	n = tf_occurrences(t, from, to, occ, N_ELEMS(occ));
	expect_true(ph, "tf_occurrences() <= max", n <= N_ELEMS(occ));
	if (!is_recurring(t->kind) && t->kind != TF_ONCE && t->kind != TF_PERIOD)
		expect_int(ph, "tf_occurrences() of a kind without deadlines", (long long)n, 0);
	for (size_t i = 0; i < n; i++) {
		expect_true(ph, "occurrences due within [from, to]",
		            occ[i].due >= from && occ[i].due <= to);
		if (i > 0)
			expect_true(ph, "occurrence dues strictly increasing",
			            occ[i - 1].due < occ[i].due);
		expect_true(ph, "tf_next(occurrence due) to find it",
		            tf_next(t, occ[i].due, &again) && same_occ(&again, &occ[i]));
	}
}

static void test_invariants(void **state)
{
	struct tf t;
	int failed = 0, checked = 0;

	(void)state;
	for (size_t g = 0; g < N_ELEMS(no_plan_groups); g++) {
		for (size_t i = 0; i < no_plan_groups[g].n; i++) {
			const char *ph = no_plan_groups[g].phrases[i];

			if (parse(ph, &no_plan, &t) != 0 || t.kind == TF_UNPARSED) {
				print_error("\"%s\": does not parse (no plan)\n", ph);
				failed++;
				continue;
			}
			check_invariants(ph, &t);
			checked++;
		}
	}
	for (size_t i = 0; i < N_ELEMS(other_phrases); i++) {
		const struct planned_phrase *pp = &other_phrases[i];
		struct tf_ctx ctx = plan_ctx(pp->plan_first, pp->plan_last);

		if (parse(pp->phrase, &ctx, &t) != 0 || t.kind == TF_UNPARSED) {
			print_error("\"%s\": does not parse (plan %d-%d)\n", pp->phrase,
			            pp->plan_first, pp->plan_last);
			failed++;
			continue;
		}
		check_invariants(pp->phrase, &t);
		checked++;
	}
	for (size_t i = 0; i < N_ELEMS(seed_cases); i++) {
		const struct seed_case *c = &seed_cases[i];
		struct tf_ctx ctx = plan_ctx(c->plan_first, c->plan_last);

		if (parse(c->phrase, &ctx, &t) != 0 || t.kind == TF_UNPARSED) {
			print_error("\"%s\": does not parse (plan %d-%d)\n", c->phrase,
			            c->plan_first, c->plan_last);
			failed++;
			continue;
		}
		check_invariants(c->phrase, &t);
		checked++;
	}
	if (failed > 0) {
		print_error("%d phrases did not parse (invariants held for the other %d)\n", failed,
		            checked);
		fail();
	}
}

/* ---- sentences, cycles beside dates, several agencies, open ends ---- */

#define MAX_DUES  5
#define MAX_WHO   3
#define NO_AGENCY ""
#define UNCHECKED NULL
#define LOOSE     true  /* read from a sentence */
#define EXACT     false /* every word understood */

struct phase_want {
	struct when due;    /* y 0 ends the list */
	const char *agency; /* NO_AGENCY: the clause names no one */
};

/*
 * One phrase and what an official reads in it: the kind; whether it was read
 * from a sentence; the condition kept (UNCHECKED: not checked here); the
 * first occurrences due from 1/1/2020, in order (y 0 ends the list: no
 * more); the phases, each with the agency it names.
 */
struct shape_case {
	const char *phrase;
	int plan_first, plan_last, issued;
	enum tf_kind kind;
	bool loose;
	const char *condition;
	struct when dues[MAX_DUES];
	struct phase_want phases[MAX_WHO];
};

static void expect_agency(const char *phrase, const struct tf *t, int i, const char *want)
{
	const struct tf_range *a = &t->phase_agency[i];
	char what[48];

	snprintf(what, sizeof(what), "phase_agency[%d].len", i);
	expect_int(phrase, what, a->len, (long long)strlen(want));
	if (a->len == (int)strlen(want) && a->len > 0 &&
	    (a->off < 0 || a->off + a->len > blen(phrase) ||
	     memcmp(phrase + a->off, want, (size_t)a->len) != 0)) {
		print_error("\"%s\": phase %d is for \"%.*s\", expected \"%s\"\n", phrase, i,
		            a->len, a->off >= 0 ? phrase + a->off : "", want);
		fail();
	}
}

static size_t count_whens(const struct when *w, size_t max)
{
	size_t n = 0;

	while (n < max && w[n].y != 0)
		n++;
	return n;
}

static void check_shape(const struct shape_case *c)
{
	struct tf_ctx ctx = plan_ctx(c->plan_first, c->plan_last);
	struct tf_occ occ[MAX_DUES];
	struct tf t;
	char what[48];
	int n_phases = 0;

	memset(&t, 0, sizeof(t));
	memset(t.condition, 'Z', sizeof(t.condition));
	if (tf_parse_issued(c->phrase, &ctx, c->issued, &t) != 0) {
		print_error("\"%s\": unparsed: %.*s (byte %d)\n", c->phrase, TF_ERROR_MAX - 1,
		            t.error, t.error_pos);
		fail();
	}
	expect_kind(c->phrase, t.kind, c->kind);
	expect_int(c->phrase, "loose", t.loose, c->loose);
	if (c->condition)
		expect_cstr(c->phrase, "condition", t.condition, sizeof(t.condition), c->condition);
	while (n_phases < MAX_WHO && c->phases[n_phases].due.y != 0)
		n_phases++;
	expect_int(c->phrase, "n_phases", t.n_phases, n_phases);
	for (int i = 0; i < n_phases && i < t.n_phases; i++) {
		snprintf(what, sizeof(what), "phases[%d].due", i);
		expect_time(c->phrase, what, t.phases[i].due, when_time(c->phases[i].due));
		expect_agency(c->phrase, &t, i, c->phases[i].agency);
	}
	size_t want = count_whens(c->dues, MAX_DUES);
	size_t got = tf_occurrences(&t, start_of(2020, 1, 1), end_of(2040, 12, 31), occ, MAX_DUES);
	expect_int(c->phrase, "occurrences (at most 5)", (long long)got, (long long)want);
	for (size_t i = 0; i < got && i < want; i++) {
		snprintf(what, sizeof(what), "occurrence %zu due", i);
		expect_time(c->phrase, what, occ[i].due, when_time(c->dues[i]));
	}
	check_invariants(c->phrase, &t);
}

/* One row per phrase reads better than one field per line. */
/* clang-format off */
#define E(y, m, d)    W_END(y, m, d)   /* due at the end of that day */
#define B(y, m, d)    W_START(y, m, d) /* due as that day begins ("trước ngày") */
#define NO_PHASES     {{W_NONE, NO_AGENCY}}
#define YEARS_FROM(y) {E(y, 12, 31), E(y + 1, 12, 31), E(y + 2, 12, 31), E(y + 3, 12, 31), \
                       E(y + 4, 12, 31)}

/* A deadline inside a sentence: the clause with a date gives the due, the rest is kept. */
static const struct shape_case sentence_cases[] = {
    {"Ban hành trong quý II năm 2027. Tổ chức triển khai, cập nhật (nếu có)", 0, 0, 0,
     TF_ONCE, LOOSE, "Tổ chức triển khai, cập nhật (nếu có)",
     {E(2027, 6, 30)}, {{E(2027, 6, 30), NO_AGENCY}}},
    /* With a comma: what follows the deadline is kept. */
    {"Ban hành trong quý II/2027, tổ chức triển khai (nếu có)", 0, 0, 0,
     TF_ONCE, LOOSE, "tổ chức triển khai (nếu có)",
     {E(2027, 6, 30)}, {{E(2027, 6, 30), NO_AGENCY}}},
    {"Công bố trong năm 2026", 0, 0, 0,
     TF_ONCE, LOOSE, "", {E(2026, 12, 31)}, {{E(2026, 12, 31), NO_AGENCY}}},
    /* NFD, capitals, no diacritics. */
    {"Co\xcc\x82ng bo\xcc\x82\xcc\x81 trong na\xcc\x86m 2026", 0, 0, 0,
     TF_ONCE, LOOSE, "", {E(2026, 12, 31)}, {{E(2026, 12, 31), NO_AGENCY}}},
    {"CÔNG BỐ TRONG NĂM 2026", 0, 0, 0,
     TF_ONCE, LOOSE, "", {E(2026, 12, 31)}, {{E(2026, 12, 31), NO_AGENCY}}},
    {"Cong bo trong nam 2026", 0, 0, 0,
     TF_ONCE, LOOSE, "", {E(2026, 12, 31)}, {{E(2026, 12, 31), NO_AGENCY}}},
    /* Then ongoing work, which has no due of its own. */
    {"Trình UBND tỉnh trong năm 2026 và tổ chức thực hiện thường xuyên", 0, 0, 0,
     TF_ONCE, LOOSE, "", {E(2026, 12, 31)}, {{E(2026, 12, 31), NO_AGENCY}}},
    /* A pilot period, then a start after it: the period is due, the rest goes on. */
    {"Thí điểm năm 2026 - 2027 và nhân rộng từ năm 2028", 0, 0, 0,
     TF_PERIOD, LOOSE, "", {E(2027, 12, 31)}, {{E(2027, 12, 31), NO_AGENCY}}},
    {"Xây dựng và trình phê duyệt Đề án trước ngày 30/9/2026; tổ chức thực hiện từ năm 2027", 0, 0, 0,
     TF_ONCE, LOOSE, "", {B(2026, 9, 30)}, {{B(2026, 9, 30), NO_AGENCY}}},
    /* A year, then the following years, with the condition of the second clause. */
    {"Hoàn thành trong năm 2027 và rà soát, bổ sung trong các năm sau (nếu cần)", 0, 0, 0,
     TF_YEARLY, LOOSE, "nếu cần", YEARS_FROM(2027), NO_PHASES},
    /* A year in a name is no deadline: the law's, the resolution's date, the programme's. */
    {"Triển khai thi hành Luật Đất đai năm 2024 trong năm 2025", 0, 0, 0,
     TF_ONCE, LOOSE, "", {E(2025, 12, 31)}, {{E(2025, 12, 31), NO_AGENCY}}},
    {"Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 trước ngày 30/6/2026", 0, 0, 0,
     TF_ONCE, LOOSE, "", {B(2026, 6, 30)}, {{B(2026, 6, 30), NO_AGENCY}}},
    {"Tổng kết Chương trình 2030 vào Quý IV/2030", 0, 0, 0,
     TF_ONCE, LOOSE, "", {E(2030, 12, 31)}, {{E(2030, 12, 31), NO_AGENCY}}},
    {"Sơ kết Đề án giai đoạn 2026-2030, định hướng đến năm 2035 trong Quý I/2028", 0, 0, 0,
     TF_ONCE, LOOSE, "", {E(2028, 3, 31)}, {{E(2028, 3, 31), NO_AGENCY}}},
    /* A word that is no timing after a deadline: read, and kept. */
    {"Quý II/2025 abc", 0, 0, 0,
     TF_ONCE, LOOSE, "abc", {E(2025, 6, 30)}, {{E(2025, 6, 30), NO_AGENCY}}},
    /* No date, but waiting for someone: an event, the sentence kept. */
    {"Tổ chức triển khai theo hướng dẫn của Bộ Y tế", 0, 0, 0,
     TF_EVENT, LOOSE, "Tổ chức triển khai theo hướng dẫn của Bộ Y tế", {W_NONE}, NO_PHASES},
};

/* Ongoing work with a recurring report: the cycle gives the dues. */
static const struct shape_case cycle_cases[] = {
    {"Thường xuyên; báo cáo định kỳ hằng năm", 2026, 2030, 0,
     TF_YEARLY, EXACT, "", YEARS_FROM(2026), NO_PHASES},
    /* Whom the report goes to is part of the duty. */
    {"Thường xuyên, định kỳ 6 tháng báo cáo về Sở Nội vụ", 2026, 2030, 0,
     TF_HALF_YEARLY, EXACT, "",
     {E(2026, 6, 30), E(2026, 12, 31), E(2027, 6, 30), E(2027, 12, 31), E(2028, 6, 30)}, NO_PHASES},
    {"Thuong xuyen, dinh ky hang quy bao cao UBND tinh", 2026, 2030, 0,
     TF_QUARTERLY, EXACT, "",
     {E(2026, 3, 31), E(2026, 6, 30), E(2026, 9, 30), E(2026, 12, 31), E(2027, 3, 31)}, NO_PHASES},
    /* A dated deadline and a cycle: the date first, then the cycle after it … */
    {"trước ngày 10 tháng 5 năm 2026 và hằng quý", 0, 0, 0,
     TF_QUARTERLY, EXACT, "",
     {B(2026, 5, 10), E(2026, 6, 30), E(2026, 9, 30), E(2026, 12, 31), E(2027, 3, 31)},
     {{B(2026, 5, 10), NO_AGENCY}}},
    /* … within the plan's period. */
    {"trước ngày 10/5/2026 và hằng quý", 2026, 2026, 0,
     TF_QUARTERLY, EXACT, "",
     {B(2026, 5, 10), E(2026, 6, 30), E(2026, 9, 30), E(2026, 12, 31)},
     {{B(2026, 5, 10), NO_AGENCY}}},
    {"Quý I/2026 và hằng tháng", 0, 0, 0,
     TF_MONTHLY, EXACT, "",
     {E(2026, 3, 31), E(2026, 4, 30), E(2026, 5, 31), E(2026, 6, 30), E(2026, 7, 31)},
     {{E(2026, 3, 31), NO_AGENCY}}},
    /* With a yearly cycle the date itself repeats, as "và các năm tiếp theo" says. */
    {"Trước ngày 31/3/2026, sau đó hằng năm", 0, 0, 0,
     TF_YEARLY, EXACT, "",
     {B(2026, 3, 31), B(2027, 3, 31), B(2028, 3, 31), B(2029, 3, 31), B(2030, 3, 31)}, NO_PHASES},
    /* A period or "đến" bounds the cycle. */
    {"Hằng năm, giai đoạn 2022 - 2025", 0, 0, 0,
     TF_YEARLY, EXACT, "",
     {E(2022, 12, 31), E(2023, 12, 31), E(2024, 12, 31), E(2025, 12, 31)}, NO_PHASES},
    {"hằng quý đến hết năm 2026", 2026, 2030, 0,
     TF_QUARTERLY, EXACT, "",
     {E(2026, 3, 31), E(2026, 6, 30), E(2026, 9, 30), E(2026, 12, 31)}, NO_PHASES},
    /* Routine work, however it is said. */
    {"Là nhiệm vụ thường xuyên", 0, 0, 0, TF_ONGOING, EXACT, "", {W_NONE}, NO_PHASES},
    {"Nhiệm vụ thường xuyên", 0, 0, 0, TF_ONGOING, EXACT, "", {W_NONE}, NO_PHASES},
    {"Là công việc thường xuyên, liên tục", 0, 0, 0, TF_ONGOING, EXACT, "", {W_NONE}, NO_PHASES},
    {"Bắt đầu triển khai từ năm 2026", 0, 0, 0, TF_ONGOING, EXACT, "", {W_NONE}, NO_PHASES},
};

/* Several deadlines for several agencies: phases, each with whom it is for. */
static const struct shape_case agency_cases[] = {
    {"+ Các sở, ngành hoàn thành trước ngày 30 tháng 6 năm 2026. "
     "+ Sở Tài chính tổng hợp trước ngày 15 tháng 7 năm 2026.", 0, 0, 0,
     TF_ONCE, LOOSE, "", {B(2026, 6, 30), B(2026, 7, 15)},
     {{B(2026, 6, 30), "Các sở, ngành"}, {B(2026, 7, 15), "Sở Tài chính"}}},
    /* Written latest first: the phases are in order of due. */
    {"+ Sở Tài chính tổng hợp trước ngày 15/7/2026. "
     "+ Các sở, ngành gửi số liệu trong Quý II/2026.", 0, 0, 0,
     TF_ONCE, LOOSE, "", {E(2026, 6, 30), B(2026, 7, 15)},
     {{E(2026, 6, 30), "Các sở, ngành"}, {B(2026, 7, 15), "Sở Tài chính"}}},
    {"- UBND các xã, phường gửi báo cáo trước ngày 15/11/2026; "
     "- Sở Nội vụ tổng hợp, trình UBND tỉnh trước ngày 30/11/2026", 0, 0, 0,
     TF_ONCE, LOOSE, "", {B(2026, 11, 15), B(2026, 11, 30)},
     {{B(2026, 11, 15), "UBND các xã, phường"}, {B(2026, 11, 30), "Sở Nội vụ"}}},
    {"+ Các sở, ban, ngành, UBND các huyện gửi kết quả kiểm tra về Sở Nội vụ trước ngày 20 "
     "tháng 11 năm 2026. + Sở Nội vụ tổng hợp, báo cáo Chủ tịch UBND tỉnh trước ngày 05 tháng 12 "
     "năm 2026.", 0, 0, 0,
     TF_ONCE, LOOSE, "", {B(2026, 11, 20), B(2026, 12, 5)},
     {{B(2026, 11, 20), "Các sở, ban, ngành, UBND các huyện"}, {B(2026, 12, 5), "Sở Nội vụ"}}},
    /* One due for two agencies: two phases, one occurrence. */
    {"Sở Y tế hoàn thành trước ngày 30/6/2026; "
     "Sở Giáo dục và Đào tạo hoàn thành trước ngày 30/6/2026", 0, 0, 0,
     TF_ONCE, LOOSE, "", {B(2026, 6, 30)},
     {{B(2026, 6, 30), "Sở Y tế"}, {B(2026, 6, 30), "Sở Giáo dục và Đào tạo"}}},
    /* A clause that names no one: the task's own agencies. */
    {"Hoàn thành trong Quý III/2026; Sở Tư pháp thẩm định trước ngày 15/10/2026", 0, 0, 0,
     TF_ONCE, LOOSE, "", {E(2026, 9, 30), B(2026, 10, 15)},
     {{E(2026, 9, 30), NO_AGENCY}, {B(2026, 10, 15), "Sở Tư pháp"}}},
    /* A capitalised verb is part of the name; a parenthesis in the name is no condition. */
    {"Sở Xây dựng tổng hợp, báo cáo UBND tỉnh trước ngày 15/7/2026", 0, 0, 0,
     TF_ONCE, LOOSE, "", {B(2026, 7, 15)}, {{B(2026, 7, 15), "Sở Xây dựng"}}},
    {"Bộ Công an (Cục A05) hoàn thành trước ngày 30/6/2026", 0, 0, 0,
     TF_ONCE, LOOSE, "", {B(2026, 6, 30)}, {{B(2026, 6, 30), "Bộ Công an (Cục A05)"}}},
    /* NFD: the range is in the input's own bytes. */
    {"So\xcc\x9b\xcc\x89 Ta\xcc\x80i chi\xcc\x81nh to\xcc\x82\xcc\x89ng ho\xcc\x9b\xcc\xa3p "
     "tru\xcc\x9bo\xcc\x9b\xcc\x81" "c nga\xcc\x80y 15/7/2026", 0, 0, 0,
     TF_ONCE, LOOSE, "", {B(2026, 7, 15)},
     {{B(2026, 7, 15), "So\xcc\x9b\xcc\x89 Ta\xcc\x80i chi\xcc\x81nh"}}},
};

/* Open ends: a period and the years after it; years relative to the plan's. */
static const struct shape_case open_end_cases[] = {
    /* The period is due, then every year: none of its years is skipped. */
    {"2022 - 2025 và các năm tiếp theo", 0, 0, 0,
     TF_YEARLY, EXACT, "", YEARS_FROM(2025), {{E(2025, 12, 31), NO_AGENCY}}},
    {"Giai đoạn 2026-2030 và những năm tiếp theo", 0, 0, 0,
     TF_YEARLY, EXACT, "", YEARS_FROM(2030), {{E(2030, 12, 31), NO_AGENCY}}},
    {"2022 - 2025 và các năm tiếp theo", 2022, 2025, 0,
     TF_YEARLY, EXACT, "", {E(2025, 12, 31)}, {{E(2025, 12, 31), NO_AGENCY}}},
    {"Năm 2025 và những năm tiếp theo", 0, 0, 0,
     TF_YEARLY, EXACT, "", YEARS_FROM(2025), NO_PHASES},
    {"Từ năm 2025 và các năm tiếp theo", 0, 0, 0,
     TF_YEARLY, EXACT, "", YEARS_FROM(2025), NO_PHASES},
    /* Relative to the year the plan was issued. */
    {"Năm tiếp theo", 0, 0, 2025,
     TF_ONCE, EXACT, "", {E(2026, 12, 31)}, {{E(2026, 12, 31), NO_AGENCY}}},
    {"năm sau", 2030, 2035, 2030,
     TF_ONCE, EXACT, "", {E(2031, 12, 31)}, {{E(2031, 12, 31), NO_AGENCY}}},
    {"nam toi", 0, 0, 2025,
     TF_ONCE, EXACT, "", {E(2026, 12, 31)}, {{E(2026, 12, 31), NO_AGENCY}}},
    {"Quý II năm sau", 0, 0, 2025,
     TF_ONCE, EXACT, "", {E(2026, 6, 30)}, {{E(2026, 6, 30), NO_AGENCY}}},
    {"trước ngày 30 tháng 01 của năm tiếp theo", 0, 0, 2025,
     TF_ONCE, EXACT, "", {B(2026, 1, 30)}, {{B(2026, 1, 30), NO_AGENCY}}},
    {"Trong năm nay", 0, 0, 2025,
     TF_ONCE, EXACT, "", {E(2025, 12, 31)}, {{E(2025, 12, 31), NO_AGENCY}}},
    /* Each year's report of the year before. */
    {"Hằng năm, trước ngày 31/01 năm sau", 0, 0, 2025,
     TF_YEARLY, EXACT, "",
     {B(2026, 1, 31), B(2027, 1, 31), B(2028, 1, 31), B(2029, 1, 31), B(2030, 1, 31)}, NO_PHASES},
};

/* Someone else's schedule: an event, with the text kept. */
static const struct shape_case schedule_cases[] = {
    {"Theo lộ trình, hướng dẫn của Bộ Y tế", 0, 0, 0,
     TF_EVENT, EXACT, "Theo lộ trình, hướng dẫn của Bộ Y tế", {W_NONE}, NO_PHASES},
    {"Theo kế hoạch hằng năm của UBND tỉnh", 0, 0, 0,
     TF_EVENT, EXACT, "Theo kế hoạch hằng năm của UBND tỉnh", {W_NONE}, NO_PHASES},
    {"Theo lộ trình được giao tại Kế hoạch số 02-KH/BCĐTW", 0, 0, 0,
     TF_EVENT, EXACT, "Theo lộ trình được giao tại Kế hoạch số 02-KH/BCĐTW", {W_NONE}, NO_PHASES},
    {"theo huong dan cua Bo Tai chinh", 0, 0, 0,
     TF_EVENT, EXACT, "theo huong dan cua Bo Tai chinh", {W_NONE}, NO_PHASES},
    {"Căn cứ hướng dẫn của Bộ Tài chính", 0, 0, 0,
     TF_EVENT, EXACT, "Căn cứ hướng dẫn của Bộ Tài chính", {W_NONE}, NO_PHASES},
    /* A delay after an event has no date of its own either. */
    {"Trong 30 ngày kể từ ngày Nghị định có hiệu lực", 0, 0, 0,
     TF_EVENT, EXACT, UNCHECKED, {W_NONE}, NO_PHASES},
    {"06 tháng sau khi Luật có hiệu lực", 0, 0, 0,
     TF_EVENT, EXACT, UNCHECKED, {W_NONE}, NO_PHASES},
};

/*
 * What an official reads in a letter (công văn, thông báo) rather than a
 * plan: a date without a year is in the year the letter was issued when the
 * letter has no period of its own; a range writes its year once, at the end;
 * "chậm nhất (là) ngày X" is X itself; "tuần đầu tháng M" ends on the 7th;
 * and the reporting rules' "trước ngày
 * 18 của tháng cuối quý" is a day of each quarter's last month.
 */
static const struct shape_case letter_cases[] = {
    {"trước ngày 20/5", 0, 0, 2025,
     TF_ONCE, EXACT, "", {B(2025, 5, 20)}, {{B(2025, 5, 20), NO_AGENCY}}},
    {"Trình UBND tỉnh trước ngày 15 tháng 6", 0, 0, 2026,
     TF_ONCE, LOOSE, "", {B(2026, 6, 15)}, {{B(2026, 6, 15), NO_AGENCY}}},
    {"Tháng 9", 0, 0, 2025,
     TF_ONCE, EXACT, "", {E(2025, 9, 30)}, {{E(2025, 9, 30), NO_AGENCY}}},
    /* With the day of issue known, the next such date from it: past ones are the year after. */
    {"trước ngày 15/1", 0, 0, 20251210,
     TF_ONCE, EXACT, "", {B(2026, 1, 15)}, {{B(2026, 1, 15), NO_AGENCY}}},
    {"trong tháng 12", 0, 0, 20251210,
     TF_ONCE, EXACT, "", {E(2025, 12, 31)}, {{E(2025, 12, 31), NO_AGENCY}}},
    {"trước ngày 10/12", 0, 0, 20251210,
     TF_ONCE, EXACT, "", {B(2025, 12, 10)}, {{B(2025, 12, 10), NO_AGENCY}}},
    {"tuần đầu tháng 1", 0, 0, 20251210,
     TF_ONCE, EXACT, "", {E(2026, 1, 7)}, {{E(2026, 1, 7), NO_AGENCY}}},
    {"trước ngày 20/12 và 15/1", 0, 0, 20251210,
     TF_ONCE, EXACT, "", {B(2025, 12, 20), E(2026, 1, 15)},
     {{B(2025, 12, 20), NO_AGENCY}, {E(2026, 1, 15), NO_AGENCY}}},
    /* In a plan of one year the year is the plan's, unless the day was past at issue. */
    {"trước ngày 15/1", 2026, 2026, 20251210,
     TF_ONCE, EXACT, "", {B(2026, 1, 15)}, {{B(2026, 1, 15), NO_AGENCY}}},
    {"trước ngày 15/1", 2026, 2026, 20261120,
     TF_ONCE, EXACT, "", {B(2027, 1, 15)}, {{B(2027, 1, 15), NO_AGENCY}}},
    /* In a plan of two years, the one year where the date is still to come. */
    {"trước ngày 15/1", 2026, 2027, 20261120,
     TF_ONCE, EXACT, "", {B(2027, 1, 15)}, {{B(2027, 1, 15), NO_AGENCY}}},
    {"Từ tháng 3 đến tháng 6/2025", 0, 0, 0,
     TF_PERIOD, EXACT, "", {E(2025, 6, 30)}, {{E(2025, 6, 30), NO_AGENCY}}},
    {"từ ngày 01/10 đến ngày 15/11/2026", 0, 0, 0,
     TF_PERIOD, EXACT, "", {E(2026, 11, 15)}, {{E(2026, 11, 15), NO_AGENCY}}},
    /* A school year: September to the end of May. */
    {"trong năm học 2026 - 2027", 0, 0, 0,
     TF_PERIOD, EXACT, "", {E(2027, 5, 31)}, {{E(2027, 5, 31), NO_AGENCY}}},
    /* A dash writes the same range: the year once, at the end. */
    {"Tháng 3 – tháng 5/2026", 0, 0, 0,
     TF_PERIOD, EXACT, "", {E(2026, 5, 31)}, {{E(2026, 5, 31), NO_AGENCY}}},
    {"Tháng 3-5/2026", 0, 0, 0,
     TF_PERIOD, EXACT, "", {E(2026, 5, 31)}, {{E(2026, 5, 31), NO_AGENCY}}},
    {"15/3 - 20/5/2026", 0, 0, 0,
     TF_PERIOD, EXACT, "", {E(2026, 5, 20)}, {{E(2026, 5, 20), NO_AGENCY}}},
    {"tháng 11 - tháng 02/2027", 0, 0, 0,
     TF_PERIOD, EXACT, "", {E(2027, 2, 28)}, {{E(2027, 2, 28), NO_AGENCY}}},
    /* A date without a year inside a dated deadline: its year, and the exact due. */
    {"Quý I/2026 (trước 31/3)", 0, 0, 0,
     TF_ONCE, EXACT, "", {B(2026, 3, 31)}, {{B(2026, 3, 31), NO_AGENCY}}},
    {"Quý II/2026 (báo cáo trước 15/6)", 0, 0, 0,
     TF_ONCE, EXACT, "", {B(2026, 6, 15)}, {{B(2026, 6, 15), NO_AGENCY}}},
    {"Quý I/2026; Quý II/2026 (trước 15/6)", 0, 0, 0,
     TF_ONCE, EXACT, "", {E(2026, 3, 31), B(2026, 6, 15)},
     {{E(2026, 3, 31), NO_AGENCY}, {B(2026, 6, 15), NO_AGENCY}}},
    /* The start's month after the end's: the year before. */
    {"Từ tháng 11 đến hết tháng 02/2027", 0, 0, 0,
     TF_PERIOD, EXACT, "", {E(2027, 2, 28)}, {{E(2027, 2, 28), NO_AGENCY}}},
    {"chậm nhất ngày 10/11/2025", 0, 0, 0,
     TF_ONCE, EXACT, "", {E(2025, 11, 10)}, {{E(2025, 11, 10), NO_AGENCY}}},
    {"Chậm nhất là ngày 05 tháng 01 năm 2026", 0, 0, 0,
     TF_ONCE, EXACT, "", {E(2026, 1, 5)}, {{E(2026, 1, 5), NO_AGENCY}}},
    /* A week of a month: its first seven days, or its last. */
    {"Tuần đầu tháng 10/2026", 0, 0, 0,
     TF_ONCE, EXACT, "", {E(2026, 10, 7)}, {{E(2026, 10, 7), NO_AGENCY}}},
    {"trong tuần cuối tháng 02/2027", 0, 0, 0,
     TF_ONCE, EXACT, "", {E(2027, 2, 28)}, {{E(2027, 2, 28), NO_AGENCY}}},
    {"tuần đầu tháng 4 hằng năm", 2026, 2027, 0,
     TF_YEARLY, EXACT, "", {E(2026, 4, 7), E(2027, 4, 7)}, NO_PHASES},
    /* A half-year's dates written as dates of the year: one day in each half. */
    {"định kỳ 6 tháng (trước ngày 20/6 và 20/12)", 2026, 2027, 0,
     TF_HALF_YEARLY, EXACT, "", {B(2026, 6, 20), B(2026, 12, 20), B(2027, 6, 20), B(2027, 12, 20)},
     NO_PHASES},
    /* The reporting rules' quarter: a day of each quarter's last month. */
    {"Định kỳ hằng quý, trước ngày 18 của tháng cuối quý", 2026, 2027, 0,
     TF_QUARTERLY, EXACT, "",
     {B(2026, 3, 18), B(2026, 6, 18), B(2026, 9, 18), B(2026, 12, 18), B(2027, 3, 18)},
     NO_PHASES},
    /* Dates of the year on different days of their quarters: those dates. */
    {"hằng quý, trước ngày 20/3, 20/6, 20/9 và 15/12", 2026, 2026, 0,
     TF_QUARTERLY, EXACT, "",
     {B(2026, 3, 20), B(2026, 6, 20), B(2026, 9, 20), B(2026, 12, 15)}, NO_PHASES},
    {"trước ngày 20 tháng cuối quý", 2026, 2026, 0,
     TF_QUARTERLY, EXACT, "",
     {B(2026, 3, 20), B(2026, 6, 20), B(2026, 9, 20), B(2026, 12, 20)}, NO_PHASES},
};

/*
 * A part of a period (its early, middle or late part), Tết, and how often:
 * the readings an official gives them.
 */
static const struct shape_case part_cases[] = {
    /* The early part of a year is its first quarter; the middle, its first half. */
    {"Đầu năm 2027", 0, 0, 0,
     TF_ONCE, EXACT, "", {E(2027, 3, 31)}, {{E(2027, 3, 31), NO_AGENCY}}},
    {"Giữa năm 2026", 0, 0, 0,
     TF_ONCE, EXACT, "", {E(2026, 6, 30)}, {{E(2026, 6, 30), NO_AGENCY}}},
    {"hoàn thành trong đầu năm sau", 0, 0, 2026,
     TF_ONCE, EXACT, "", {E(2027, 3, 31)}, {{E(2027, 3, 31), NO_AGENCY}}},
    {"Đầu năm hằng năm", 2026, 2027, 0,
     TF_YEARLY, EXACT, "", {E(2026, 3, 31), E(2027, 3, 31)}, NO_PHASES},
    /* Of a quarter, its first or second month. */
    {"Đầu quý II/2027", 0, 0, 0,
     TF_ONCE, EXACT, "", {E(2027, 4, 30)}, {{E(2027, 4, 30), NO_AGENCY}}},
    {"giữa Quý III/2026", 0, 0, 0,
     TF_ONCE, EXACT, "", {E(2026, 8, 31)}, {{E(2026, 8, 31), NO_AGENCY}}},
    /* Of a month, its ten days: thượng, trung, hạ tuần. */
    {"đầu tháng 7/2026", 0, 0, 0,
     TF_ONCE, EXACT, "", {E(2026, 7, 10)}, {{E(2026, 7, 10), NO_AGENCY}}},
    {"Trung tuần tháng 6/2026", 0, 0, 0,
     TF_ONCE, EXACT, "", {E(2026, 6, 20)}, {{E(2026, 6, 20), NO_AGENCY}}},
    {"hạ tuần tháng 2/2028", 0, 0, 0,
     TF_ONCE, EXACT, "", {E(2028, 2, 29)}, {{E(2028, 2, 29), NO_AGENCY}}},
    /* Tết moves: the lunar new year's first day. */
    {"Trước Tết Nguyên đán 2027", 0, 0, 0,
     TF_ONCE, EXACT, "", {B(2027, 2, 6)}, {{B(2027, 2, 6), NO_AGENCY}}},
    {"Tết Nguyên đán năm 2026", 0, 0, 0,
     TF_ONCE, EXACT, "", {E(2026, 2, 17)}, {{E(2026, 2, 17), NO_AGENCY}}},
    /* How often: twice a year is each half, and so on; another count keeps the cycle. */
    {"Ít nhất 01 lần/năm", 2026, 2027, 0,
     TF_YEARLY, EXACT, "", {E(2026, 12, 31), E(2027, 12, 31)}, NO_PHASES},
    {"2 lần/năm", 2026, 2026, 0,
     TF_HALF_YEARLY, EXACT, "", {E(2026, 6, 30), E(2026, 12, 31)}, NO_PHASES},
    {"tối thiểu 1 lần mỗi quý", 2026, 2026, 0,
     TF_QUARTERLY, EXACT, "",
     {E(2026, 3, 31), E(2026, 6, 30), E(2026, 9, 30), E(2026, 12, 31)}, NO_PHASES},
    {"3 lần/năm", 2026, 2027, 0,
     TF_YEARLY, EXACT, "", {E(2026, 12, 31), E(2027, 12, 31)}, NO_PHASES},
    /* Words that only begin like these are none of them. */
    /* A date inside the period written beside it is the due; the period opens the window. */
    {"Trong tháng 10/2026 (chậm nhất ngày 25/10/2026)", 0, 0, 0,
     TF_ONCE, EXACT, "", {E(2026, 10, 25)}, {{E(2026, 10, 25), NO_AGENCY}}},
    {"Năm 2026, trước ngày 15/12/2026", 0, 0, 0,
     TF_ONCE, EXACT, "", {B(2026, 12, 15)}, {{B(2026, 12, 15), NO_AGENCY}}},
    {"Năm 2025, năm 2026, trước ngày 15/12/2025", 0, 0, 0,
     TF_ONCE, EXACT, "", {B(2025, 12, 15), E(2026, 12, 31)},
     {{B(2025, 12, 15), NO_AGENCY}, {E(2026, 12, 31), NO_AGENCY}}},
    /* but a date outside the period is a deadline of its own */
    {"Quý I/2026 và 15/5/2026", 0, 0, 0,
     TF_ONCE, EXACT, "", {E(2026, 3, 31), E(2026, 5, 15)},
     {{E(2026, 3, 31), NO_AGENCY}, {E(2026, 5, 15), NO_AGENCY}}},
    {"Đầu tư xong trong Quý II/2026", 0, 0, 0,
     TF_ONCE, LOOSE, UNCHECKED, {E(2026, 6, 30)}, {{E(2026, 6, 30), NO_AGENCY}}},
};

/* clang-format on */

/* One cmocka test per shape, each a table. */
#define SHAPE_TEST(name, cases)                                                                    \
	static void name(void **state)                                                             \
	{                                                                                          \
		(void)state;                                                                       \
		for (size_t i_ = 0; i_ < N_ELEMS(cases); i_++)                                     \
			check_shape(&(cases)[i_]);                                                 \
	}

SHAPE_TEST(test_deadline_in_a_sentence, sentence_cases)
SHAPE_TEST(test_ongoing_plus_a_cycle, cycle_cases)
SHAPE_TEST(test_deadlines_for_several_agencies, agency_cases)
SHAPE_TEST(test_open_ends, open_end_cases)
SHAPE_TEST(test_someone_elses_schedule, schedule_cases)
SHAPE_TEST(test_what_a_letter_means, letter_cases)
SHAPE_TEST(test_parts_tet_and_counts, part_cases)

/* A recurring duty's first due (the one a task shows) is not before the plan was issued. */
static void test_first_due_from_issue(void **state)
{
	static const struct {
		const char *phrase;
		int first, last, issued;
		struct when due;
	} cases[] = {
	    {"Chậm nhất ngày 20 hằng tháng", 2024, 2025, 20240314, E(2024, 3, 20)},
	    {"Chậm nhất ngày 20 hằng tháng", 2024, 2025, 20231201, E(2024, 1, 20)},
	    {"Hằng quý", 2026, 2026, 20260510, E(2026, 6, 30)},
	    {"Hằng quý", 2026, 2026, 0, E(2026, 3, 31)},
	};
	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		struct tf_ctx ctx = plan_ctx(cases[i].first, cases[i].last);
		struct tf t;
		expect_int(cases[i].phrase, "tf_parse_issued()",
		           tf_parse_issued(cases[i].phrase, &ctx, cases[i].issued, &t), 0);
		expect_time(cases[i].phrase, "due", t.due, when_time(cases[i].due));
	}
}

/* In a plan over several years a date without one could be in any of them: not read. */
static void test_yearless_in_a_plan_of_years(void **state)
{
	struct tf_ctx ctx = plan_ctx(2026, 2030);
	struct tf t;

	(void)state;
	expect_int("trước ngày 20/5", "tf_parse_issued() result",
	           tf_parse_issued("trước ngày 20/5", &ctx, 2025, &t), -1);
	expect_kind("trước ngày 20/5", t.kind, TF_UNPARSED);
	/* Still to come in both years of a plan of 20/11/2026 for 2026 - 2027: either. */
	ctx = plan_ctx(2026, 2027);
	expect_int("trước ngày 20/12", "tf_parse_issued() result",
	           tf_parse_issued("trước ngày 20/12", &ctx, 20261120, &t), -1);
}

/*
 * A recurrence's first due: within the plan's period when it has one; in a
 * letter with only a year of issue, the first due of that year; with
 * neither, none (the planner starts it with the plan).
 */
static void test_first_due_of_a_recurrence(void **state)
{
	static const struct {
		const char *phrase;
		int plan_first, plan_last, issued;
		struct when due;
	} cases[] = {
	    {"định kỳ hằng quý, trước ngày 20 của tháng cuối quý", 0, 0, 2025, B(2025, 3, 20)},
	    {"Quý IV hàng năm", 0, 0, 2025, E(2025, 12, 31)},
	    {"Hằng tháng, trước ngày 25", 0, 0, 2024, B(2024, 1, 25)},
	    {"Quý IV hàng năm", 2026, 2030, 2025, E(2026, 12, 31)},
	    {"Hằng năm, trước ngày 31/01 năm sau", 0, 0, 2025, B(2026, 1, 31)},
	    {"Quý IV hàng năm", 0, 0, 0, W_NONE},
	    /* The day of issue known: the first due from that day on. */
	    {"định kỳ hằng quý, trước ngày 18 của tháng cuối quý", 0, 0, 20251210, B(2025, 12, 18)},
	    {"định kỳ hằng quý, trước ngày 18 của tháng cuối quý", 0, 0, 20251220, B(2026, 3, 18)},
	};
	struct tf t;

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		struct tf_ctx ctx = plan_ctx(cases[i].plan_first, cases[i].plan_last);
		const char *ph = cases[i].phrase;

		expect_int(ph, "tf_parse_issued() result",
		           tf_parse_issued(ph, &ctx, cases[i].issued, &t), 0);
		expect_time(ph, "due", t.due, when_time(cases[i].due));
	}
}

/* A date of issue as the parser takes it; anything else is unknown (0). */
static void test_issued(void **state)
{
	static const struct {
		const char *iso;
		int want;
	} cases[] = {
	    {"2025-12-10", 20251210},
	    {"2025", 2025},
	    {"2024-02-29", 20240229},
	    {NULL, 0},
	    {"", 0},
	    {"2025-02-29", 0},
	    {"2025-13-01", 0},
	    {"25", 0},
	    {"2025-12-10x", 0},
	    {"20251", 0},
	    {"1800", 0},
	};

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++)
		expect_int(cases[i].iso ? cases[i].iso : "(null)", "tf_issued()",
		           tf_issued(cases[i].iso), cases[i].want);
}

/* Sentences with no deadline-bearing clause, a name's year, a mistake inside a date. */
static void test_sentences_without_a_deadline(void **state)
{
	static const struct {
		const char *phrase;
		int issued, pos;
		const char *why; /* a part of the reason */
	} cases[] = {
	    {"Tổ chức triển khai, cập nhật (nếu có)", 0, 0, "not understood"},
	    {"Luật Đất đai 2024", 0, 0, "not understood"},
	    {"Chương trình 2030", 0, 0, "not understood"},
	    {"Nghị quyết số 57-NQ/TW ngày 22/12/2024", 0, 0, "not understood"},
	    {"Kế hoạch 2026-2030 của tỉnh", 0, 0, "not understood"},
	    {"Đề án 06", 0, 0, "not understood"},
	    /* A duration is no year. */
	    {"trong 05 năm tiếp theo", 2025, ANY_POS, ""},
	    /* Inside a sentence a wrong date is still an error, where it is. */
	    {"Ban hành trong Quý V/2026", 0, (int)sizeof("Ban hành trong Quý ") - 1, "quarter"},
	    {"Sở Tài chính tổng hợp trước ngày 31/4/2026", 0,
	     (int)sizeof("Sở Tài chính tổng hợp trước ngày ") - 1, "31/04/2026"},
	    /* A date without a year, where no year of issue is known. */
	    {"trước ngày 20/5", 0, 0, "no year is given"},
	    {"Từ tháng 3 đến tháng 6", 0, 0, "needs a date with a year"},
	    /* A date without a year in several years written, or in none. */
	    {"2025 - 2026 (trước 31/3)", 0, 0, "could be in several"},
	    {"Quý II/2026 (trước 15/9)", 0, 0, "outside the dated deadline"},
	    {"năm học 2026 - 2028", 0, (int)sizeof("năm học 2026 - ") - 1, "two years in a row"},
	    /* "năm sau" needs the plan's year. */
	    {"Năm tiếp theo", 0, 0, "relative to the plan's year"},
	    {"Quý II năm sau", 0, (int)sizeof("Quý II ") - 1, "relative to the plan's year"},
	};
	struct tf t;

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		const char *ph = cases[i].phrase;
		int rc = tf_parse_issued(ph, &no_plan, cases[i].issued, &t);

		expect_int(ph, "tf_parse_issued() result", rc, -1);
		expect_kind(ph, t.kind, TF_UNPARSED);
		expect_int(ph, "loose", t.loose, false);
		if (cases[i].pos != ANY_POS)
			expect_int(ph, "error_pos", t.error_pos, cases[i].pos);
		if (!strstr(t.error, cases[i].why)) {
			print_error("\"%s\": the reason \"%s\" does not say \"%s\"\n", ph, t.error,
			            cases[i].why);
			fail();
		}
		assert_unparsed(ph, &no_plan, cases[i].issued ? ANY_POS : cases[i].pos);
	}
}

/*
 * The condition is cut between characters, whatever the byte the cut falls
 * on: a long "Sau khi …" phrase, shifted by 0 to 3 bytes.
 */
static void test_long_condition_is_cut_between_characters(void **state)
{
	static const char words[] = "Sau khi Nghị định về quản lý, kết nối và chia sẻ dữ liệu số "
	                            "của cơ quan nhà nước được ban hành và có hiệu lực thi hành, "
	                            "tổ chức triển khai thực hiện theo quy định tại Nghị định đó";
	char phrase[sizeof(words) + 8];
	struct tf t;

	(void)state;
	assert_true(sizeof(words) > TF_COND_MAX);
	for (int shift = 0; shift < 4; shift++) {
		snprintf(phrase, sizeof(phrase), "%.*s%s", shift, "KKK", words);
		parse_ok(phrase, &no_plan, &t);
		expect_kind(phrase, t.kind, TF_EVENT);
		size_t n = strlen(t.condition);
		expect_true(phrase, "a condition that fills the field", n + 5 > TF_COND_MAX - 1);
		expect_true(phrase, "a condition that is valid UTF-8",
		            text_utf8_valid(t.condition, n));
		expect_true(phrase, "a condition that starts the phrase",
		            strncmp(t.condition, phrase, n) == 0);
	}
	/* Invalid input bytes become U+FFFD. */
	parse_ok("Khi c\xff phát sinh", &no_plan, &t);
	expect_cstr("Khi c\\xff phát sinh", "condition", t.condition, sizeof(t.condition),
	            "Khi c\xef\xbf\xbd phát sinh");
}

static void test_kind_names(void **state)
{
	static const struct {
		enum tf_kind kind;
		const char *name;
		bool recurring;
	} kinds[] = {
	    {TF_ONCE, "once", false},          {TF_PERIOD, "period", false},
	    {TF_YEARLY, "yearly", true},       {TF_HALF_YEARLY, "half-yearly", true},
	    {TF_QUARTERLY, "quarterly", true}, {TF_MONTHLY, "monthly", true},
	    {TF_WEEKLY, "weekly", true},       {TF_ONGOING, "ongoing", false},
	    {TF_EVENT, "event", false},        {TF_UNPARSED, "unparsed", false},
	};

	(void)state;
	assert_int_equal(N_ELEMS(kinds), TF_UNPARSED + 1);
	for (size_t i = 0; i < N_ELEMS(kinds); i++) {
		const char *name = tf_kind_name(kinds[i].kind);

		if (name == NULL || strcmp(name, kinds[i].name) != 0) {
			print_error("tf_kind_name(%s) is \"%s\", expected \"%s\"\n",
			            kind_label((int)kinds[i].kind), name ? name : "(null)",
			            kinds[i].name);
			fail();
		}
		assert_int_equal(tf_kind_from_name(kinds[i].name), kinds[i].kind);
		assert_int_equal(tf_kind_from_name(name), kinds[i].kind);
		if (tf_recurring(kinds[i].kind) != kinds[i].recurring) {
			print_error("tf_recurring(%s) is wrong\n", kinds[i].name);
			fail();
		}
	}
	assert_int_equal(tf_kind_from_name("fortnightly"), TF_UNPARSED);
	assert_int_equal(tf_kind_from_name(""), TF_UNPARSED);
}

/* ---- time zone ---- */

static void test_time_zone(void **state)
{
	struct tf_ctx utc = {0, 0, 0};
	struct tf t;
	const char *ph = "Quý II/2025";

	(void)state;
	parse_ok(ph, &utc, &t);
	expect_kind(ph, t.kind, TF_ONCE);
	expect_int(ph, "tz_offset", t.tz_offset, 0);
	expect_time(ph, "window_start (UTC)", t.window_start, date_make(2025, 4, 1, 0, 0, 0, 0));
	expect_time(ph, "due (UTC)", t.due, date_make(2025, 6, 30, 23, 59, 59, 0));

	parse_ok(ph, &no_plan, &t);
	expect_int(ph, "tz_offset", t.tz_offset, DATE_TZ_VIETNAM);
	expect_time(ph, "due (UTC+7)", t.due, date_make(2025, 6, 30, 23, 59, 59, DATE_TZ_VIETNAM));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_quarter_once),
	    cmocka_unit_test(test_year_once),
	    cmocka_unit_test(test_month_once),
	    cmocka_unit_test(test_dates_once),
	    cmocka_unit_test(test_half_of_year),
	    cmocka_unit_test(test_year_period),
	    cmocka_unit_test(test_quarter_ranges_and_lists),
	    cmocka_unit_test(test_phases),
	    cmocka_unit_test(test_quarter_yearly),
	    cmocka_unit_test(test_month_yearly),
	    cmocka_unit_test(test_before_day_yearly),
	    cmocka_unit_test(test_weekly),
	    cmocka_unit_test(test_monthly),
	    cmocka_unit_test(test_quarterly),
	    cmocka_unit_test(test_half_yearly),
	    cmocka_unit_test(test_and_following_years),
	    cmocka_unit_test(test_plan_bounds),
	    cmocka_unit_test(test_ongoing),
	    cmocka_unit_test(test_events),
	    cmocka_unit_test(test_conditions),
	    cmocka_unit_test(test_empty_phrase_uses_plan),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_seed_phrases),
	    cmocka_unit_test(test_deadline_in_a_sentence),
	    cmocka_unit_test(test_ongoing_plus_a_cycle),
	    cmocka_unit_test(test_deadlines_for_several_agencies),
	    cmocka_unit_test(test_open_ends),
	    cmocka_unit_test(test_what_a_letter_means),
	    cmocka_unit_test(test_parts_tet_and_counts),
	    cmocka_unit_test(test_first_due_from_issue),
	    cmocka_unit_test(test_yearless_in_a_plan_of_years),
	    cmocka_unit_test(test_first_due_of_a_recurrence),
	    cmocka_unit_test(test_issued),
	    cmocka_unit_test(test_someone_elses_schedule),
	    cmocka_unit_test(test_sentences_without_a_deadline),
	    cmocka_unit_test(test_long_condition_is_cut_between_characters),
	    cmocka_unit_test(test_invariants),
	    cmocka_unit_test(test_kind_names),
	    cmocka_unit_test(test_time_zone),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
