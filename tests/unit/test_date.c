/* Unit tests for date: civil arithmetic, formatting and ISO parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "date.h"

#include <string.h>

static void test_days_round_trip(void **state)
{
	(void)state;
	for (int64_t d = -800000; d <= 800000; d += 37) {
		int y, m, day;
		date_civil_from_days(d, &y, &m, &day);
		assert_true(date_valid(y, m, day));
		assert_int_equal(date_days_from_civil(y, m, day), d);
	}
	assert_int_equal(date_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(date_days_from_civil(2000, 3, 1), 11017);
}

static void test_leap_years_and_month_lengths(void **state)
{
	(void)state;
	assert_true(date_is_leap(2024));
	assert_true(date_is_leap(2000));
	assert_false(date_is_leap(1900));
	assert_false(date_is_leap(2025));
	assert_int_equal(date_days_in_month(2024, 2), 29);
	assert_int_equal(date_days_in_month(2025, 2), 28);
	assert_int_equal(date_days_in_month(2025, 4), 30);
	assert_false(date_valid(2025, 2, 29));
	assert_false(date_valid(2025, 13, 1));
	assert_false(date_valid(2025, 6, 31));
}

static void test_weekday(void **state)
{
	(void)state;
	/* 2025-06-30 was a Monday; 2025-12-15 a Monday; 2026-11-24 a Tuesday. */
	assert_int_equal(date_weekday(date_days_from_civil(2025, 6, 30)), 1);
	assert_int_equal(date_weekday(date_days_from_civil(2025, 12, 14)), 7);
	assert_int_equal(date_weekday(date_days_from_civil(2026, 11, 24)), 2);
	assert_int_equal(date_weekday(date_days_from_civil(1969, 12, 31)), 3);
}

static void test_make_split_format(void **state)
{
	char buf[32];
	struct date_civil c;
	time_t t = date_make(2025, 6, 30, 23, 59, 59, DATE_TZ_VIETNAM);

	(void)state;
	assert_int_equal(t, 1751302799);
	assert_string_equal(date_format_iso(t, DATE_TZ_VIETNAM, buf, sizeof(buf)),
	                    "2025-06-30T23:59:59+07:00");
	assert_string_equal(date_format_iso(t, 0, buf, sizeof(buf)), "2025-06-30T16:59:59+00:00");
	assert_string_equal(date_format_vn(t, DATE_TZ_VIETNAM, buf, sizeof(buf)), "30/06/2025");
	date_split(t + 1, DATE_TZ_VIETNAM, &c);
	assert_int_equal(c.year, 2025);
	assert_int_equal(c.month, 7);
	assert_int_equal(c.day, 1);
	assert_int_equal(c.hour, 0);
	assert_int_equal(c.weekday, 2);
	/* Local day boundaries at UTC+7 fall at 17:00 UTC. */
	assert_int_equal(date_day_start(date_local_days(t, DATE_TZ_VIETNAM), DATE_TZ_VIETNAM),
	                 date_make(2025, 6, 30, 0, 0, 0, DATE_TZ_VIETNAM));
}

/* An example's date: the end of the quarter after the day's, never past. */
static void test_next_quarter_end(void **state)
{
	static const struct {
		int y, m, d;
		const char *want;
	} cases[] = {
	    {2025, 1, 1, "30/06/2025"},   {2025, 3, 31, "30/06/2025"}, {2025, 4, 1, "30/09/2025"},
	    {2025, 6, 20, "30/09/2025"},  {2025, 7, 1, "31/12/2025"},  {2025, 10, 1, "31/03/2026"},
	    {2026, 12, 31, "31/03/2027"},
	};
	char buf[16];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		time_t t =
		    date_make(cases[i].y, cases[i].m, cases[i].d, 23, 59, 0, DATE_TZ_VIETNAM);
		assert_string_equal(
		    date_format_next_quarter_end(t, DATE_TZ_VIETNAM, buf, sizeof(buf)),
		    cases[i].want);
	}
}

static void test_parse_iso(void **state)
{
	time_t t;

	(void)state;
	assert_int_equal(date_parse_iso("2025-06-20T09:00:00+07:00", 0, &t), 0);
	assert_int_equal(t, date_make(2025, 6, 20, 9, 0, 0, DATE_TZ_VIETNAM));
	assert_int_equal(date_parse_iso("2025-06-20T02:00Z", DATE_TZ_VIETNAM, &t), 0);
	assert_int_equal(t, date_make(2025, 6, 20, 9, 0, 0, DATE_TZ_VIETNAM));
	assert_int_equal(date_parse_iso("2025-06-20", DATE_TZ_VIETNAM, &t), 0);
	assert_int_equal(t, date_make(2025, 6, 20, 0, 0, 0, DATE_TZ_VIETNAM));
	assert_int_equal(date_parse_iso("2025-06-20 09:30", DATE_TZ_VIETNAM, &t), 0);
	assert_int_equal(t, date_make(2025, 6, 20, 9, 30, 0, DATE_TZ_VIETNAM));
	assert_int_equal(date_parse_iso("2025-02-29", 0, &t), -1);
	assert_int_equal(date_parse_iso("2025-06-20T24:00", 0, &t), -1);
	assert_int_equal(date_parse_iso("2025-6-20", 0, &t), -1);
	assert_int_equal(date_parse_iso("2025-06-20T09:00+7", 0, &t), -1);
	assert_int_equal(date_parse_iso("", 0, &t), -1);
}

static void test_parse_zone(void **state)
{
	static const struct {
		const char *s;
		int offset; /* -1: refused */
	} cases[] = {
	    {"+07:00", 7 * 3600},
	    {"-05:30", -(5 * 3600 + 30 * 60)},
	    {"+14:00", 14 * 3600},
	    {"-12:00", -12 * 3600},
	    {"+09", 9 * 3600},
	    {"Z", 0},
	    {"UTC", 0},
	    {"Asia/Ho_Chi_Minh", 7 * 3600},
	    {"+15:00", -1},
	    {"10:00", -1},
	    {"+07:99", -1},
	    {"+7:60", -1},
	    {"+7", 7 * 3600},
	    {"+7:00", 7 * 3600},
	    {"+123", -1},
	    {"+-7:00", -1},
	    {"+ 7:00", -1},
	    {"+07:00x", -1},
	    {"", -1},
	    {"Europe/Paris", -1},
	};
	int offset;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		offset = 12345;
		int rc = date_parse_zone(cases[i].s, &offset);
		if (cases[i].offset == -1 ? rc != -1 : rc != 0 || offset != cases[i].offset) {
			print_error("date_parse_zone(\"%s\") = %d, offset %d\n", cases[i].s, rc,
			            offset);
			fail();
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_days_round_trip),
	    cmocka_unit_test(test_leap_years_and_month_lengths),
	    cmocka_unit_test(test_weekday),
	    cmocka_unit_test(test_make_split_format),
	    cmocka_unit_test(test_next_quarter_end),
	    cmocka_unit_test(test_parse_iso),
	    cmocka_unit_test(test_parse_zone),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
