/*
 * Unit tests for cal: the office calendar. Every expectation is written from
 * include/cal.h, the domain notes and the real Vietnamese calendar (the
 * weekdays and holidays of 2022-2026), never from the implementation.
 *
 * Table-driven tests check every row and report all the rows that fail
 * before failing, so one wrong holiday does not hide the others.
 */
#include "check.h"

#include "cal.h"
#include "date.h"

#include <stdio.h>
#include <string.h>

static const char *show_day(int64_t days, char *buf, size_t len)
{
	static const char *const wd[] = {"?", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
	int y, m, d;

	date_civil_from_days(days, &y, &m, &d);
	snprintf(buf, len, "%04d-%02d-%02d (%s)", y, m, d, wd[date_weekday(days)]);
	return buf;
}

static const char *show_time(time_t t, char *buf, size_t len)
{
	static const char *const wd[] = {"?", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
	struct date_civil c;

	date_split(t, TZ, &c);
	snprintf(buf, len, "%04d-%02d-%02d %02d:%02d:%02d (%s)", c.year, c.month, c.day, c.hour,
	         c.minute, c.second, wd[c.weekday]);
	return buf;
}

/* ---- defaults ---------------------------------------------------------- */

static void test_init_defaults(void **state)
{
	struct cal c;

	(void)state;
	cal_init(&c, TZ);
	assert_int_equal(c.tz_offset, TZ);
	assert_int_equal(c.workdays, 0x1F); /* Mon..Fri: bits 0..4 */
	assert_int_equal(c.open_min, 7 * 60 + 30);
	assert_int_equal(c.close_min, 17 * 60);
	assert_int_equal(c.send_min, 8 * 60);
	assert_true(c.national);
	cal_finish(&c);
	cal_free(&c);
}

/* ---- working days and holidays ----------------------------------------- */

struct day_case {
	int y, m, d;
	bool workday;
	bool holiday;
	const char *why;
};

static int check_days(const struct cal *c, const char *label, const struct day_case *cases,
                      size_t n)
{
	int bad = 0;
	char b[40];

	for (size_t i = 0; i < n; i++) {
		const struct day_case *k = &cases[i];
		int64_t dd = day(k->y, k->m, k->d);
		bool w = cal_is_workday(c, dd), h = cal_is_holiday(c, dd);
		if (w != k->workday || h != k->holiday) {
			print_error("%s: %s [%s]: workday=%d holiday=%d, expected workday=%d "
			            "holiday=%d\n",
			            label, show_day(dd, b, sizeof(b)), k->why, w, h, k->workday,
			            k->holiday);
			bad++;
		}
	}
	return bad;
}

static void test_weekdays(void **state)
{
	static const struct day_case cases[] = {
	    {2025, 6, 30, true, false, "Monday"},    {2025, 7, 1, true, false, "Tuesday"},
	    {2025, 7, 2, true, false, "Wednesday"},  {2025, 7, 3, true, false, "Thursday"},
	    {2025, 7, 4, true, false, "Friday"},     {2025, 7, 5, false, false, "Saturday"},
	    {2025, 7, 6, false, false, "Sunday"},    {2025, 3, 10, true, false, "10/3 solar"},
	    {2025, 12, 31, true, false, "31/12"},    {2024, 2, 29, true, false, "leap day"},
	    {2026, 1, 2, true, false, "after 1/1"},  {2025, 4, 29, true, false, "29/4"},
	    {2025, 5, 2, true, false, "after 1/5"},  {2025, 8, 29, true, false, "Fri before 1/9"},
	    {2025, 9, 3, true, false, "after 2/9"},  {2025, 4, 8, true, false, "after Giỗ Tổ"},
	    {2025, 4, 4, true, false, "Fri before"},
	};
	struct cal c;

	(void)state;
	office_calendar(&c);
	int bad = check_days(&c, "weekdays", cases, N_ELEMS(cases));
	cal_free(&c);
	assert_int_equal(bad, 0);
}

/* Holidays on working days: no day in lieu involved. */
static void test_national_holidays(void **state)
{
	static const struct day_case cases[] = {
	    {2025, 1, 1, false, true, "1/1/2025 is a Wednesday"},
	    {2026, 1, 1, false, true, "1/1/2026 is a Thursday"},
	    {2025, 4, 7, false, true, "Giỗ Tổ 2025 (10/3 Ất Tỵ), a Monday"},
	    {2024, 4, 18, false, true, "Giỗ Tổ 2024 (10/3 Giáp Thìn), a Thursday"},
	    {2025, 4, 30, false, true, "30/4/2025, a Wednesday"},
	    {2025, 5, 1, false, true, "1/5/2025, a Thursday"},
	    {2025, 9, 2, false, true, "2/9/2025, a Tuesday"},
	    {2025, 9, 1, false, true, "1/9/2025: the day before 2/9"},
	    {2025, 8, 29, true, false, "29/8/2025: an ordinary Friday"},
	    {2024, 9, 2, false, true, "2/9/2024, a Monday"},
	    {2024, 9, 3, false, true, "3/9/2024: 2/9 is a Monday, the day after"},
	    {2024, 8, 30, true, false, "30/8/2024: not the adjacent day when 2/9 is a Monday"},
	    {2024, 9, 4, true, false, "4/9/2024"},
	    {2022, 9, 2, false, true, "2/9/2022, a Friday"},
	    {2022, 9, 1, false, true, "1/9/2022: the day before"},
	    {2022, 8, 31, true, false, "31/8/2022"},
	    {2022, 9, 5, true, false, "5/9/2022: nothing in lieu, no holiday on a weekend"},
	};
	struct cal c;

	(void)state;
	office_calendar(&c);
	int bad = check_days(&c, "national", cases, N_ELEMS(cases));
	cal_free(&c);
	assert_int_equal(bad, 0);
}

/* A holiday on a single weekend day gives the next working day off. */
static void test_days_in_lieu_single(void **state)
{
	static const struct day_case cases[] = {
	    {2022, 1, 1, false, true, "1/1/2022 is a Saturday"},
	    {2022, 1, 3, false, true, "3/1/2022: in lieu of 1/1 (Saturday)"},
	    {2022, 1, 4, true, false, "4/1/2022: ordinary Tuesday"},
	    {2023, 1, 1, false, true, "1/1/2023 is a Sunday"},
	    {2023, 1, 2, false, true, "2/1/2023: in lieu of 1/1 (Sunday)"},
	    {2023, 1, 3, true, false, "3/1/2023: ordinary Tuesday"},
	    {2022, 4, 10, false, true, "Giỗ Tổ 2022 is Sunday 10/4"},
	    {2022, 4, 11, false, true, "11/4/2022: in lieu of Giỗ Tổ"},
	    {2022, 4, 12, true, false, "12/4/2022: ordinary Tuesday"},
	    {2023, 9, 2, false, true, "2/9/2023 is a Saturday"},
	    {2023, 9, 1, false, true, "1/9/2023: the day before 2/9"},
	    {2023, 9, 4, false, true, "4/9/2023: in lieu of 2/9 (Saturday)"},
	    {2023, 9, 5, true, false, "5/9/2023: ordinary Tuesday"},
	};
	struct cal c;

	(void)state;
	office_calendar(&c);
	int bad = check_days(&c, "lieu", cases, N_ELEMS(cases));
	cal_free(&c);
	assert_int_equal(bad, 0);
}

/*
 * Two holidays on one weekend: each gets its own day in lieu, the next
 * working day *not already off*. 30/4/2022 was a Saturday and 1/5/2022 a
 * Sunday: Monday 2/5 and Tuesday 3/5 were off. In 2023 Giỗ Tổ fell on
 * Saturday 29/4, 30/4 on Sunday and 1/5 on Monday: 2/5 and 3/5 were off.
 * In 2029 the day before 2/9 is a Saturday and 2/9 a Sunday: by the same
 * rule, Monday 3/9 and Tuesday 4/9 are off.
 */
static void test_days_in_lieu_stacked(void **state)
{
	static const struct day_case cases[] = {
	    {2022, 4, 29, true, false, "29/4/2022: ordinary Friday"},
	    {2022, 4, 30, false, true, "30/4/2022 (Saturday)"},
	    {2022, 5, 1, false, true, "1/5/2022 (Sunday)"},
	    {2022, 5, 2, false, true, "2/5/2022: in lieu of 30/4"},
	    {2022, 5, 3, false, true, "3/5/2022: in lieu of 1/5"},
	    {2022, 5, 4, true, false, "4/5/2022: back to work"},
	    {2023, 4, 29, false, true, "Giỗ Tổ 2023 (Saturday 29/4)"},
	    {2023, 4, 30, false, true, "30/4/2023 (Sunday)"},
	    {2023, 5, 1, false, true, "1/5/2023 (Monday)"},
	    {2023, 5, 2, false, true, "2/5/2023: in lieu of Giỗ Tổ"},
	    {2023, 5, 3, false, true, "3/5/2023: in lieu of 30/4"},
	    {2023, 5, 4, true, false, "4/5/2023: back to work"},
	    /* By the rules (not yet decided): 1/9/2029 Saturday, 2/9 Sunday. */
	    {2029, 8, 31, true, false, "31/8/2029: ordinary Friday"},
	    {2029, 9, 1, false, true, "1/9/2029: the day before 2/9 (Saturday)"},
	    {2029, 9, 2, false, true, "2/9/2029 (Sunday)"},
	    {2029, 9, 3, false, true, "3/9/2029: in lieu of 1/9"},
	    {2029, 9, 4, false, true, "4/9/2029: in lieu of 2/9"},
	    {2029, 9, 5, true, false, "5/9/2029: back to work"},
	};
	struct cal c;

	(void)state;
	office_calendar(&c);
	int bad = check_days(&c, "stacked lieu", cases, N_ELEMS(cases));
	cal_free(&c);
	assert_int_equal(bad, 0);
}

static void test_configured_tet(void **state)
{
	static const struct day_case cases[] = {
	    {2026, 2, 13, true, false, "Friday before Tết 2026"},
	    {2026, 2, 14, false, true, "first configured day (Saturday)"},
	    {2026, 2, 16, false, true, "Monday in Tết"},
	    {2026, 2, 17, false, true, "Tết 2026 (1/1 Bính Ngọ)"},
	    {2026, 2, 20, false, true, "Friday in Tết"},
	    {2026, 2, 22, false, true, "last configured day (Sunday)"},
	    {2026, 2, 23, true, false, "Monday after Tết"},
	    {2025, 1, 24, true, false, "Friday before Tết 2025"},
	    {2025, 1, 29, false, true, "Tết 2025"},
	    {2025, 2, 3, true, false, "Monday after Tết 2025"},
	};
	struct cal c;

	(void)state;
	office_calendar(&c);
	int bad = check_days(&c, "Tết", cases, N_ELEMS(cases));
	cal_free(&c);
	assert_int_equal(bad, 0);
}

static void test_national_off(void **state)
{
	struct cal c;

	(void)state;
	cal_init(&c, TZ);
	c.national = false;
	cal_add_holidays(&c, day(2026, 2, 14), day(2026, 2, 22));
	cal_finish(&c);
	assert_true(cal_is_workday(&c, day(2025, 1, 1)));
	assert_false(cal_is_holiday(&c, day(2025, 1, 1)));
	assert_true(cal_is_workday(&c, day(2025, 9, 2)));
	assert_true(cal_is_workday(&c, day(2022, 5, 2)));   /* no lieu without holidays */
	assert_false(cal_is_workday(&c, day(2025, 7, 5)));  /* weekends still off */
	assert_false(cal_is_workday(&c, day(2026, 2, 17))); /* configured still off */
	assert_true(cal_is_holiday(&c, day(2026, 2, 17)));
	cal_free(&c);
}

static void test_swapped_saturday(void **state)
{
	struct cal c;

	(void)state;
	cal_init(&c, TZ);
	cal_add_workday(&c, day(2025, 1, 4)); /* a Saturday worked (ngày làm bù) */
	cal_finish(&c);
	assert_true(cal_is_workday(&c, day(2025, 1, 4)));
	assert_false(cal_is_workday(&c, day(2025, 1, 11))); /* other Saturdays stay off */
	assert_false(cal_is_workday(&c, day(2025, 1, 5)));
	/* Slots and office hours use it. */
	assert_int_equal(cal_slot_at_or_after(&c, at(2025, 1, 3, 9, 0, 0)),
	                 at(2025, 1, 4, 8, 0, 0));
	assert_int_equal(cal_slot_at_or_before(&c, at(2025, 1, 5, 12, 0, 0)),
	                 at(2025, 1, 4, 8, 0, 0));
	assert_int_equal(cal_office_at_or_after(&c, at(2025, 1, 4, 10, 0, 0)),
	                 at(2025, 1, 4, 10, 0, 0));
	assert_int_equal(cal_add_workdays(&c, day(2025, 1, 3), 1), day(2025, 1, 4));
	assert_int_equal(cal_add_workdays(&c, day(2025, 1, 6), -1), day(2025, 1, 4));
	cal_free(&c);
}

static void test_custom_weekdays(void **state)
{
	struct cal c;

	(void)state;
	cal_init(&c, TZ);
	c.workdays = 0x3F; /* Mon..Sat */
	cal_finish(&c);
	assert_true(cal_is_workday(&c, day(2025, 7, 5)));  /* Saturday */
	assert_false(cal_is_workday(&c, day(2025, 7, 6))); /* Sunday */
	assert_false(cal_is_workday(&c, day(2023, 1, 1))); /* 1/1/2023, a Sunday */
	assert_false(cal_is_workday(&c, day(2023, 1, 2))); /* in lieu, Monday */
	assert_false(cal_is_workday(&c, day(2022, 1, 1))); /* a working Saturday, holiday */
	assert_true(cal_is_workday(&c, day(2022, 1, 3)));  /* no lieu: 1/1 was a workday */
	cal_free(&c);
}

static void test_copy_is_deep(void **state)
{
	struct cal a, b;

	(void)state;
	office_calendar(&a);
	cal_add_workday(&a, day(2025, 1, 4));
	cal_finish(&a);
	cal_copy(&b, &a);
	cal_free(&a);
	assert_false(cal_is_workday(&b, day(2026, 2, 17)));
	assert_false(cal_is_workday(&b, day(2025, 4, 7)));
	assert_true(cal_is_workday(&b, day(2025, 1, 4)));
	assert_true(cal_has_tet(&b, 2026));
	assert_int_equal(b.send_min, 8 * 60);
	cal_free(&b);
}

/* ---- slots ------------------------------------------------------------- */

struct slot_case {
	time_t t, want;
	const char *why;
};

static int check_slots(const struct cal *c, bool before, const struct slot_case *cases, size_t n)
{
	int bad = 0;
	char a[48], b[48], w[48];

	for (size_t i = 0; i < n; i++) {
		time_t got = before ? cal_slot_at_or_before(c, cases[i].t)
		                    : cal_slot_at_or_after(c, cases[i].t);
		if (got != cases[i].want) {
			print_error("cal_slot_at_or_%s(%s) [%s] = %s, expected %s\n",
			            before ? "before" : "after",
			            show_time(cases[i].t, a, sizeof(a)), cases[i].why,
			            show_time(got, b, sizeof(b)),
			            show_time(cases[i].want, w, sizeof(w)));
			bad++;
		}
	}
	return bad;
}

static void test_slot_at_or_before(void **state)
{
	const struct slot_case cases[] = {
	    {at(2025, 6, 30, 8, 0, 0), at(2025, 6, 30, 8, 0, 0), "exactly a slot"},
	    {at(2025, 6, 30, 12, 0, 0), at(2025, 6, 30, 8, 0, 0), "later that day"},
	    {at(2025, 6, 30, 23, 59, 59), at(2025, 6, 30, 8, 0, 0), "end of day"},
	    {at(2025, 6, 30, 7, 59, 59), at(2025, 6, 27, 8, 0, 0), "Monday before the slot"},
	    {at(2025, 6, 30, 0, 0, 0), at(2025, 6, 27, 8, 0, 0), "Monday 00:00"},
	    {at(2025, 6, 29, 12, 0, 0), at(2025, 6, 27, 8, 0, 0), "Sunday"},
	    {at(2025, 6, 28, 8, 0, 0), at(2025, 6, 27, 8, 0, 0), "Saturday 08:00"},
	    {at(2025, 7, 2, 8, 0, 0), at(2025, 7, 2, 8, 0, 0), "Wednesday"},
	    {at(2025, 9, 2, 12, 0, 0), at(2025, 8, 29, 8, 0, 0), "2/9 and 1/9, weekend"},
	    {at(2025, 4, 7, 9, 0, 0), at(2025, 4, 4, 8, 0, 0), "Giỗ Tổ Monday"},
	    {at(2025, 5, 1, 9, 0, 0), at(2025, 4, 29, 8, 0, 0), "1/5 and 30/4"},
	    {at(2026, 2, 22, 9, 0, 0), at(2026, 2, 13, 8, 0, 0), "through Tết 2026"},
	    {at(2026, 2, 23, 7, 0, 0), at(2026, 2, 13, 8, 0, 0), "Monday after Tết, early"},
	    {at(2026, 1, 1, 9, 0, 0), at(2025, 12, 31, 8, 0, 0), "1/1 across the year"},
	};

	(void)state;
	struct cal c;
	office_calendar(&c);
	int bad = check_slots(&c, true, cases, N_ELEMS(cases));
	cal_free(&c);
	assert_int_equal(bad, 0);
}

static void test_slot_at_or_after(void **state)
{
	const struct slot_case cases[] = {
	    {at(2025, 6, 30, 8, 0, 0), at(2025, 6, 30, 8, 0, 0), "exactly a slot"},
	    {at(2025, 6, 30, 8, 0, 1), at(2025, 7, 1, 8, 0, 0), "one second late"},
	    {at(2025, 6, 30, 0, 0, 0), at(2025, 6, 30, 8, 0, 0), "Monday 00:00"},
	    {at(2025, 6, 27, 9, 0, 0), at(2025, 6, 30, 8, 0, 0), "Friday after the slot"},
	    {at(2025, 6, 28, 7, 0, 0), at(2025, 6, 30, 8, 0, 0), "Saturday"},
	    {at(2025, 8, 30, 0, 0, 0), at(2025, 9, 3, 8, 0, 0), "weekend, 1/9, 2/9"},
	    {at(2025, 8, 29, 23, 59, 59), at(2025, 9, 3, 8, 0, 0), "end of Friday 29/8"},
	    {at(2025, 4, 6, 10, 0, 0), at(2025, 4, 8, 8, 0, 0), "Sunday, then Giỗ Tổ"},
	    {at(2025, 4, 29, 23, 59, 59), at(2025, 5, 2, 8, 0, 0), "30/4, 1/5"},
	    {at(2026, 2, 13, 9, 0, 0), at(2026, 2, 23, 8, 0, 0), "into Tết 2026"},
	    {at(2025, 12, 31, 9, 0, 0), at(2026, 1, 2, 8, 0, 0), "over 1/1"},
	    {at(2024, 8, 30, 9, 0, 0), at(2024, 9, 4, 8, 0, 0), "2/9/2024 Monday + 3/9"},
	};

	(void)state;
	struct cal c;
	office_calendar(&c);
	int bad = check_slots(&c, false, cases, N_ELEMS(cases));
	cal_free(&c);
	assert_int_equal(bad, 0);
}

/* The slots around 30/4–1/5/2022, which depend on both days in lieu. */
static void test_slots_stacked_lieu(void **state)
{
	const struct slot_case before[] = {
	    {at(2022, 5, 4, 7, 0, 0), at(2022, 4, 29, 8, 0, 0), "4/5/2022 early"},
	    {at(2022, 5, 3, 9, 0, 0), at(2022, 4, 29, 8, 0, 0), "3/5/2022, in lieu"},
	};
	const struct slot_case after[] = {
	    {at(2022, 4, 29, 9, 0, 0), at(2022, 5, 4, 8, 0, 0), "29/4/2022 after the slot"},
	    {at(2023, 4, 28, 9, 0, 0), at(2023, 5, 4, 8, 0, 0), "28/4/2023 after the slot"},
	};

	(void)state;
	struct cal c;
	office_calendar(&c);
	int bad = check_slots(&c, true, before, N_ELEMS(before)) +
	          check_slots(&c, false, after, N_ELEMS(after));
	cal_free(&c);
	assert_int_equal(bad, 0);
}

static void test_slot_custom_send_time(void **state)
{
	struct cal c;

	(void)state;
	office_calendar(&c);
	c.send_min = 14 * 60;
	assert_int_equal(cal_slot_at_or_after(&c, at(2025, 6, 30, 8, 0, 0)),
	                 at(2025, 6, 30, 14, 0, 0));
	assert_int_equal(cal_slot_at_or_after(&c, at(2025, 6, 30, 14, 0, 1)),
	                 at(2025, 7, 1, 14, 0, 0));
	assert_int_equal(cal_slot_at_or_before(&c, at(2025, 6, 30, 13, 59, 59)),
	                 at(2025, 6, 27, 14, 0, 0));
	assert_int_equal(cal_slot_at_or_before(&c, at(2025, 6, 30, 14, 0, 0)),
	                 at(2025, 6, 30, 14, 0, 0));
	cal_free(&c);
}

/* ---- office hours ------------------------------------------------------ */
/* Sending starts at the slot (08:00), or at the opening when that is later. */
static void test_send_at_or_after(void **state)
{
	const struct slot_case cases[] = {
	    {at(2025, 6, 30, 7, 30, 0), at(2025, 6, 30, 8, 0, 0), "opening, before the slot"},
	    {at(2025, 6, 30, 7, 59, 59), at(2025, 6, 30, 8, 0, 0), "just before the slot"},
	    {at(2025, 6, 30, 8, 0, 0), at(2025, 6, 30, 8, 0, 0), "the slot"},
	    {at(2025, 6, 30, 12, 34, 56), at(2025, 6, 30, 12, 34, 56), "midday"},
	    {at(2025, 6, 30, 17, 0, 0), at(2025, 7, 1, 8, 0, 0), "closing"},
	    {at(2025, 6, 28, 10, 0, 0), at(2025, 6, 30, 8, 0, 0), "Saturday"},
	    {at(2025, 9, 1, 10, 0, 0), at(2025, 9, 3, 8, 0, 0), "holiday 1/9/2025"},
	};
	const struct slot_case next_day[] = {
	    {at(2025, 6, 30, 8, 0, 0), at(2025, 7, 1, 8, 0, 0), "Monday"},
	    {at(2025, 6, 27, 16, 0, 0), at(2025, 6, 30, 8, 0, 0), "Friday"},
	    {at(2025, 8, 29, 8, 0, 0), at(2025, 9, 3, 8, 0, 0), "before the 2/9 break"},
	};
	struct cal c;
	int bad = 0;
	char a[48], b[48], w[48];

	(void)state;
	office_calendar(&c);
	for (size_t i = 0; i < N_ELEMS(cases) + N_ELEMS(next_day); i++) {
		bool first = i < N_ELEMS(cases);
		const struct slot_case *k = first ? &cases[i] : &next_day[i - N_ELEMS(cases)];
		time_t got = first ? cal_send_at_or_after(&c, k->t) : cal_send_next_day(&c, k->t);
		if (got != k->want) {
			print_error("%s(%s) [%s] = %s, expected %s\n",
			            first ? "cal_send_at_or_after" : "cal_send_next_day",
			            show_time(k->t, a, sizeof(a)), k->why,
			            show_time(got, b, sizeof(b)), show_time(k->want, w, sizeof(w)));
			bad++;
		}
	}
	/* An opening after the slot: sending waits for the opening. */
	c.open_min = 9 * 60;
	if (cal_send_at_or_after(&c, at(2025, 6, 30, 8, 30, 0)) != at(2025, 6, 30, 9, 0, 0))
		bad++;
	cal_free(&c);
	assert_int_equal(bad, 0);
}

static void test_office_at_or_after(void **state)
{
	const struct slot_case cases[] = {
	    {at(2025, 6, 30, 7, 30, 0), at(2025, 6, 30, 7, 30, 0), "opening"},
	    {at(2025, 6, 30, 7, 29, 59), at(2025, 6, 30, 7, 30, 0), "just before opening"},
	    {at(2025, 6, 30, 0, 0, 0), at(2025, 6, 30, 7, 30, 0), "midnight"},
	    {at(2025, 6, 30, 12, 34, 56), at(2025, 6, 30, 12, 34, 56), "midday"},
	    {at(2025, 6, 30, 16, 59, 59), at(2025, 6, 30, 16, 59, 59), "last second"},
	    {at(2025, 6, 30, 17, 0, 0), at(2025, 7, 1, 7, 30, 0), "closing"},
	    {at(2025, 6, 27, 18, 0, 0), at(2025, 6, 30, 7, 30, 0), "Friday evening"},
	    {at(2025, 6, 28, 10, 0, 0), at(2025, 6, 30, 7, 30, 0), "Saturday"},
	    {at(2025, 6, 29, 6, 0, 0), at(2025, 6, 30, 7, 30, 0), "Sunday early"},
	    {at(2025, 9, 1, 10, 0, 0), at(2025, 9, 3, 7, 30, 0), "holiday 1/9/2025"},
	    {at(2025, 9, 1, 6, 0, 0), at(2025, 9, 3, 7, 30, 0), "holiday, before opening"},
	    {at(2025, 8, 29, 17, 30, 0), at(2025, 9, 3, 7, 30, 0), "before the 2/9 break"},
	    {at(2026, 2, 13, 17, 0, 0), at(2026, 2, 23, 7, 30, 0), "before Tết 2026"},
	    {at(2025, 4, 7, 8, 0, 0), at(2025, 4, 8, 7, 30, 0), "Giỗ Tổ 2025"},
	};
	struct cal c;
	int bad = 0;
	char a[48], b[48], w[48];

	(void)state;
	office_calendar(&c);
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		time_t got = cal_office_at_or_after(&c, cases[i].t);
		if (got != cases[i].want) {
			print_error("cal_office_at_or_after(%s) [%s] = %s, expected %s\n",
			            show_time(cases[i].t, a, sizeof(a)), cases[i].why,
			            show_time(got, b, sizeof(b)),
			            show_time(cases[i].want, w, sizeof(w)));
			bad++;
		}
	}
	/* Other hours. */
	c.open_min = 8 * 60;
	c.close_min = 11 * 60 + 30;
	assert_int_equal(cal_office_at_or_after(&c, at(2025, 6, 30, 11, 30, 0)),
	                 at(2025, 7, 1, 8, 0, 0));
	assert_int_equal(cal_office_at_or_after(&c, at(2025, 6, 30, 7, 45, 0)),
	                 at(2025, 6, 30, 8, 0, 0));
	cal_free(&c);
	assert_int_equal(bad, 0);
}

/* ---- working-day arithmetic -------------------------------------------- */

struct add_case {
	int y, m, d, n;
	int wy, wm, wd;
	const char *why;
};

static int check_add(const struct cal *c, const struct add_case *cases, size_t n)
{
	int bad = 0;
	char a[40], b[40], w[40];

	for (size_t i = 0; i < n; i++) {
		const struct add_case *k = &cases[i];
		int64_t got = cal_add_workdays(c, day(k->y, k->m, k->d), k->n);
		int64_t want = day(k->wy, k->wm, k->wd);
		if (got != want) {
			print_error("cal_add_workdays(%s, %d) [%s] = %s, expected %s\n",
			            show_day(day(k->y, k->m, k->d), a, sizeof(a)), k->n, k->why,
			            show_day(got, b, sizeof(b)), show_day(want, w, sizeof(w)));
			bad++;
		}
	}
	return bad;
}

static void test_add_workdays(void **state)
{
	static const struct add_case cases[] = {
	    {2025, 6, 30, 1, 2025, 7, 1, "Mon + 1"},
	    {2025, 6, 27, 1, 2025, 6, 30, "Fri + 1 skips the weekend"},
	    {2025, 6, 30, -1, 2025, 6, 27, "Mon - 1"},
	    {2025, 6, 30, 5, 2025, 7, 7, "a working week"},
	    {2025, 7, 7, -5, 2025, 6, 30, "a working week back"},
	    {2025, 6, 28, 1, 2025, 6, 30, "from a Saturday"},
	    {2025, 6, 28, -1, 2025, 6, 27, "from a Saturday, back"},
	    {2025, 8, 29, 1, 2025, 9, 3, "over the 2/9 break"},
	    {2025, 9, 3, -1, 2025, 8, 29, "back over the 2/9 break"},
	    {2025, 4, 4, 1, 2025, 4, 8, "over Giỗ Tổ"},
	    {2026, 2, 13, 1, 2026, 2, 23, "over Tết 2026"},
	    {2026, 2, 24, -5, 2026, 2, 10, "5 back across Tết"},
	    {2026, 2, 24, 3, 2026, 2, 27, "3 after Tết"},
	    {2026, 2, 10, 5, 2026, 2, 24, "5 forward across Tết"},
	    {2025, 12, 31, 1, 2026, 1, 2, "over 1/1/2026"},
	    {2025, 6, 30, 20, 2025, 7, 28, "four weeks"},
	};
	struct cal c;

	(void)state;
	office_calendar(&c);
	int bad = check_add(&c, cases, N_ELEMS(cases));
	cal_free(&c);
	assert_int_equal(bad, 0);
}

/* Working days over 30/4-1/5/2022 (Saturday, Sunday) and both days in lieu. */
static void test_add_workdays_stacked_lieu(void **state)
{
	static const struct add_case cases[] = {
	    {2022, 4, 29, 1, 2022, 5, 4, "over 30/4-1/5/2022 and both days in lieu"},
	    {2022, 5, 4, -1, 2022, 4, 29, "back over them"},
	    {2023, 4, 28, 1, 2023, 5, 4, "over 29/4-1/5/2023 and both days in lieu"},
	};
	struct cal c;

	(void)state;
	office_calendar(&c);
	int bad = check_add(&c, cases, N_ELEMS(cases));
	cal_free(&c);
	assert_int_equal(bad, 0);
}

/* ---- Tết configured? --------------------------------------------------- */

static void test_has_tet(void **state)
{
	struct cal c;

	(void)state;
	office_calendar(&c);
	assert_true(cal_has_tet(&c, 2024));  /* Tết 10/2/2024 within 8..14/2 */
	assert_true(cal_has_tet(&c, 2025));  /* Tết 29/1/2025 */
	assert_true(cal_has_tet(&c, 2026));  /* Tết 17/2/2026 */
	assert_false(cal_has_tet(&c, 2027)); /* nothing configured */
	assert_false(cal_has_tet(&c, 2023));
	cal_free(&c);

	/* National holidays are not Tết. */
	cal_init(&c, TZ);
	cal_finish(&c);
	assert_false(cal_has_tet(&c, 2026));
	cal_free(&c);

	/* Within 3 days of 17/2/2026, either side. */
	static const struct {
		int m, d;
		bool want;
	} near[] = {
	    {2, 14, true},  {2, 20, true},  {2, 17, true},
	    {2, 13, false}, {2, 21, false}, {5, 19, false},
	};
	int bad = 0;
	for (size_t i = 0; i < N_ELEMS(near); i++) {
		cal_init(&c, TZ);
		cal_add_holidays(&c, day(2026, near[i].m, near[i].d),
		                 day(2026, near[i].m, near[i].d));
		cal_finish(&c);
		if (cal_has_tet(&c, 2026) != near[i].want) {
			print_error("holiday 2026-%02d-%02d only: cal_has_tet(2026) should be %d\n",
			            near[i].m, near[i].d, near[i].want);
			bad++;
		}
		cal_free(&c);
	}
	assert_int_equal(bad, 0);
}

/* ---- parsers ----------------------------------------------------------- */

static void test_parse_time(void **state)
{
	static const struct {
		const char *s;
		int rc, min;
	} cases[] = {
	    {"08:00", 0, 480},  {"00:00", 0, 0},     {"23:59", 0, 1439}, {"17:00", 0, 1020},
	    {"07:30", 0, 450},  {"24:00", -1, 0},    {"08:60", -1, 0},   {"8", -1, 0},
	    {"", -1, 0},        {"08:00:00", -1, 0}, {"08:0x", -1, 0},   {"ab:cd", -1, 0},
	    {"08:00 x", -1, 0}, {"-1:00", -1, 0},
	};
	int bad = 0;

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		int min = -12345;
		int rc = cal_parse_time(cases[i].s, &min);
		if (rc != cases[i].rc || (rc == 0 && min != cases[i].min)) {
			print_error("cal_parse_time(\"%s\") = %d (min %d), expected %d (min %d)\n",
			            cases[i].s, rc, min, cases[i].rc, cases[i].min);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

static void test_parse_hours(void **state)
{
	static const struct {
		const char *s;
		int rc, open, close;
	} cases[] = {
	    {"07:30-17:00", 0, 450, 1020},
	    {"08:00-11:30", 0, 480, 690},
	    {"00:00-23:59", 0, 0, 1439},
	    {"17:00-07:30", -1, 0, 0},
	    {"08:00-08:00", -1, 0, 0},
	    {"07:30", -1, 0, 0},
	    {"07:30-", -1, 0, 0},
	    {"-17:00", -1, 0, 0},
	    {"07:30-25:00", -1, 0, 0},
	    {"07:61-17:00", -1, 0, 0},
	    {"", -1, 0, 0},
	    {"07:30-17:00x", -1, 0, 0},
	    {"abc", -1, 0, 0},
	    {"07:30-17:00-18:00", -1, 0, 0},
	};
	int bad = 0;

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		int o = -1, c = -1;
		int rc = cal_parse_hours(cases[i].s, &o, &c);
		if (rc != cases[i].rc || (rc == 0 && (o != cases[i].open || c != cases[i].close))) {
			print_error("cal_parse_hours(\"%s\") = %d (%d-%d), expected %d (%d-%d)\n",
			            cases[i].s, rc, o, c, cases[i].rc, cases[i].open,
			            cases[i].close);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

static void test_parse_weekdays(void **state)
{
	static const struct {
		const char *s;
		int rc;
		unsigned mask;
	} cases[] = {
	    {"mon-fri", 0, 0x1F},     {"mon tue", 0, 0x03},
	    {"mon-sat", 0, 0x3F},     {"sun", 0, 0x40},
	    {"mon-sun", 0, 0x7F},     {"sat-sun", 0, 0x60},
	    {"mon wed fri", 0, 0x15}, {"mon-wed fri", 0, 0x17},
	    {"tue tue", 0, 0x02},     {"", -1, 0},
	    {"monday", -1, 0},        {"fri-mon", -1, 0},
	    {"mon-", -1, 0},          {"xyz", -1, 0},
	    {"mon-fri-sat", -1, 0},   {"mo", -1, 0},
	};
	int bad = 0;

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		unsigned mask = 0xDEAD;
		int rc = cal_parse_weekdays(cases[i].s, &mask);
		if (rc != cases[i].rc || (rc == 0 && mask != cases[i].mask)) {
			print_error(
			    "cal_parse_weekdays(\"%s\") = %d (mask 0x%x), expected %d (0x%x)\n",
			    cases[i].s, rc, mask, cases[i].rc, cases[i].mask);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

static void test_parse_days(void **state)
{
	static const struct {
		const char *s;
		int rc;
		int fy, fm, fd, ly, lm, ld;
	} cases[] = {
	    {"2026-02-14", 0, 2026, 2, 14, 2026, 2, 14},
	    {"2026-02-14..2026-02-22", 0, 2026, 2, 14, 2026, 2, 22},
	    {"2025-01-25..2025-02-02", 0, 2025, 1, 25, 2025, 2, 2},
	    {"2024-12-30..2025-01-01", 0, 2024, 12, 30, 2025, 1, 1},
	    {"2024-02-29", 0, 2024, 2, 29, 2024, 2, 29},
	    {"2026-02-14..2026-02-14", 0, 2026, 2, 14, 2026, 2, 14},
	    {"2025-02-29", -1, 0, 0, 0, 0, 0, 0},
	    {"2026-02-30", -1, 0, 0, 0, 0, 0, 0},
	    {"2026-13-01", -1, 0, 0, 0, 0, 0, 0},
	    {"2026-02-22..2026-02-14", -1, 0, 0, 0, 0, 0, 0},
	    {"2026-2-14", -1, 0, 0, 0, 0, 0, 0},
	    {"2026-02-14..", -1, 0, 0, 0, 0, 0, 0},
	    {"..2026-02-14", -1, 0, 0, 0, 0, 0, 0},
	    {"2026-02-14..2026-02-22x", -1, 0, 0, 0, 0, 0, 0},
	    {"", -1, 0, 0, 0, 0, 0, 0},
	    {"Tết", -1, 0, 0, 0, 0, 0, 0},
	    {"14/02/2026", -1, 0, 0, 0, 0, 0, 0},
	};
	int bad = 0;

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		int64_t f = -1, l = -1;
		int rc = cal_parse_days(cases[i].s, &f, &l);
		int64_t wf = rc == 0 ? day(cases[i].fy, cases[i].fm, cases[i].fd) : 0;
		int64_t wl = rc == 0 ? day(cases[i].ly, cases[i].lm, cases[i].ld) : 0;
		if (rc != cases[i].rc || (rc == 0 && (f != wf || l != wl))) {
			char a[40], b[40];
			print_error("cal_parse_days(\"%s\") = %d (%s..%s), expected %d\n",
			            cases[i].s, rc, rc == 0 ? show_day(f, a, sizeof(a)) : "-",
			            rc == 0 ? show_day(l, b, sizeof(b)) : "-", cases[i].rc);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

/*
 * A single day followed by anything else is as malformed as a range followed
 * by anything else ("2026-02-14..2026-02-22x" is refused above). The config
 * keeps a ';' inside a value, so "holiday = 2026-02-17 ; Tết" must be an
 * error, not silently the 17th.
 */
static void test_parse_days_trailing_garbage(void **state)
{
	static const char *const cases[] = {"2026-02-14x", "2026-02-17 ; Tết",
	                                    "2026-02-14 2026-02-20", "2026-02-140"};
	int bad = 0;

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		int64_t f = -1, l = -1;
		if (cal_parse_days(cases[i], &f, &l) != -1) {
			print_error("cal_parse_days(\"%s\") accepted, expected -1\n", cases[i]);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_init_defaults),
	    cmocka_unit_test(test_weekdays),
	    cmocka_unit_test(test_national_holidays),
	    cmocka_unit_test(test_days_in_lieu_single),
	    cmocka_unit_test(test_days_in_lieu_stacked),
	    cmocka_unit_test(test_configured_tet),
	    cmocka_unit_test(test_national_off),
	    cmocka_unit_test(test_swapped_saturday),
	    cmocka_unit_test(test_custom_weekdays),
	    cmocka_unit_test(test_copy_is_deep),
	    cmocka_unit_test(test_slot_at_or_before),
	    cmocka_unit_test(test_slot_at_or_after),
	    cmocka_unit_test(test_slots_stacked_lieu),
	    cmocka_unit_test(test_slot_custom_send_time),
	    cmocka_unit_test(test_office_at_or_after),
	    cmocka_unit_test(test_send_at_or_after),
	    cmocka_unit_test(test_add_workdays),
	    cmocka_unit_test(test_add_workdays_stacked_lieu),
	    cmocka_unit_test(test_has_tet),
	    cmocka_unit_test(test_parse_time),
	    cmocka_unit_test(test_parse_hours),
	    cmocka_unit_test(test_parse_weekdays),
	    cmocka_unit_test(test_parse_days),
	    cmocka_unit_test(test_parse_days_trailing_garbage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
