/*
 * Unit tests for lunar: published Vietnamese calendar dates, the structure of
 * every month over the valid range, and the dates that do not exist.
 *
 * Sources of the expected values: Tết and Giỗ Tổ dates as announced for the
 * public holidays; Hồ Ngọc Đức's article for the 1985 and 2007 differences
 * with China, Hoàng Xuân Hãn (via scienceinfo.net) for 2030; the leap months of 2020 and 2023 from
 * published calendars, checked against USNO new moon times (2020-05-22 17:39 UTC, 2023-03-21 17:23
 * UTC, both after midnight at UTC+7); the last days of the lunar year from Vietnamese press ("29
 * Tết", "30 Tết").
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lunar.h"

#include "date.h"

static void assert_lunar(int y, int m, int d, int ly, int lm, int ld, bool leap)
{
	struct lunar_date l;

	assert_int_equal(lunar_from_solar(y, m, d, &l), 0);
	assert_int_equal(l.year, ly);
	assert_int_equal(l.month, lm);
	assert_int_equal(l.day, ld);
	assert_int_equal(l.leap, leap);
}

static void assert_solar(int ly, int lm, int ld, bool leap, int y, int m, int d)
{
	struct lunar_date l = {.year = ly, .month = lm, .day = ld, .leap = leap};
	int sy, sm, sd;

	assert_int_equal(lunar_to_solar(&l, &sy, &sm, &sd), 0);
	assert_int_equal(sy, y);
	assert_int_equal(sm, m);
	assert_int_equal(sd, d);
}

static void assert_no_solar(int ly, int lm, int ld, bool leap)
{
	struct lunar_date l = {.year = ly, .month = lm, .day = ld, .leap = leap};
	int y, m, d;

	assert_int_equal(lunar_to_solar(&l, &y, &m, &d), -1);
}

static void test_tet(void **state)
{
	static const int tet[][3] = {
	    {2020, 1, 25}, {2021, 2, 12}, {2022, 2, 1}, {2023, 1, 22}, {2024, 2, 10},
	    {2025, 1, 29}, {2026, 2, 17}, {2027, 2, 6}, {2028, 1, 26}, {2029, 2, 13},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(tet) / sizeof(tet[0]); i++) {
		int m, d;

		assert_int_equal(lunar_tet(tet[i][0], &m, &d), 0);
		assert_int_equal(m, tet[i][1]);
		assert_int_equal(d, tet[i][2]);
		assert_lunar(tet[i][0], tet[i][1], tet[i][2], tet[i][0], 1, 1, false);
		assert_solar(tet[i][0], 1, 1, false, tet[i][0], tet[i][1], tet[i][2]);
	}
}

/*
 * China (UTC+8) had its New Year on 1985-02-20 and 2007-02-18 and will on
 * 2030-02-03; the new moon of 2030-02-02 falls between 23:00 and midnight
 * at UTC+7, so Vietnam's Tết is a day earlier.
 */
static void test_tet_differs_from_china(void **state)
{
	int m, d;

	(void)state;
	assert_int_equal(lunar_tet(2030, &m, &d), 0);
	assert_int_equal(m, 2);
	assert_int_equal(d, 2);
	assert_lunar(2030, 2, 3, 2030, 1, 2, false);
	assert_int_equal(lunar_tet(1985, &m, &d), 0);
	assert_int_equal(m, 1);
	assert_int_equal(d, 21);
	assert_int_equal(lunar_tet(2007, &m, &d), 0);
	assert_int_equal(m, 2);
	assert_int_equal(d, 17);
	assert_lunar(2007, 2, 18, 2007, 1, 2, false);
}

static void test_gio_to(void **state)
{
	(void)state;
	assert_solar(2023, 3, 10, false, 2023, 4, 29);
	assert_solar(2024, 3, 10, false, 2024, 4, 18);
	assert_solar(2025, 3, 10, false, 2025, 4, 7);
	assert_solar(2026, 3, 10, false, 2026, 4, 26);
	assert_lunar(2025, 4, 7, 2025, 3, 10, false);
}

static void test_leap_months(void **state)
{
	(void)state;
	/* 2023: month 2 began on 2023-02-20, its leap repeat on 2023-03-22. */
	assert_lunar(2023, 3, 21, 2023, 2, 30, false);
	assert_lunar(2023, 3, 22, 2023, 2, 1, true);
	assert_solar(2023, 2, 1, true, 2023, 3, 22);
	assert_solar(2023, 2, 1, false, 2023, 2, 20);
	/*
	 * 2020: the leap 4th month began on 2020-05-23; the 5th on the new
	 * moon of the annular eclipse, 2020-06-21 06:41 UTC, so it had 29 days.
	 */
	assert_lunar(2020, 5, 23, 2020, 4, 1, true);
	assert_lunar(2020, 6, 20, 2020, 4, 29, true);
	assert_lunar(2020, 6, 21, 2020, 5, 1, false);
	assert_solar(2020, 4, 1, true, 2020, 5, 23);
	assert_no_solar(2020, 4, 30, true);
}

static void test_year_end(void **state)
{
	(void)state;
	/* The 2020 Tết holiday began on 23/1/2020, "29 tháng Chạp". */
	assert_lunar(2020, 1, 23, 2019, 12, 29, false);
	/* Canh Tý ended on "30 Tết" 11/2/2021; Ất Tỵ on "29 Tết" 16/2/2026. */
	assert_solar(2020, 12, 30, false, 2021, 2, 11);
	assert_solar(2025, 12, 29, false, 2026, 2, 16);
	assert_no_solar(2025, 12, 30, false);
	/* The next "30 Tết" after a run of 29-day months: 30/1/2033. */
	assert_solar(2032, 12, 30, false, 2033, 1, 30);
}

/* In the 21st century Tết falls between 21 January and 19 February. */
static void test_tet_window(void **state)
{
	(void)state;
	for (int y = 2001; y <= 2100; y++) {
		int m, d;

		assert_int_equal(lunar_tet(y, &m, &d), 0);
		assert_true((m == 1 && d >= 21) || (m == 2 && d <= 19));
	}
}

/* Each day is the day after the previous one, in the lunar calendar too. */
static void assert_follows(const struct lunar_date *prev, const struct lunar_date *l)
{
	if (l->day > 1) {
		assert_int_equal(l->year, prev->year);
		assert_int_equal(l->month, prev->month);
		assert_int_equal(l->leap, prev->leap);
		assert_int_equal(l->day, prev->day + 1);
		return;
	}
	assert_true(prev->day == 29 || prev->day == 30);
	if (l->leap) {
		assert_false(prev->leap);
		assert_int_equal(l->month, prev->month);
		assert_int_equal(l->year, prev->year);
	} else {
		assert_int_equal(l->month, prev->month % 12 + 1);
		assert_int_equal(l->year, prev->year + (l->month == 1));
	}
}

static void test_every_day(void **state)
{
	int64_t first = date_days_from_civil(1900, 1, 1);
	int64_t last = date_days_from_civil(2199, 12, 31);
	struct lunar_date prev = {0}, l;
	int leaps = 0, leap_year = 0;

	(void)state;
	for (int64_t t = first; t <= last; t++) {
		int y, m, d, sy, sm, sd;

		date_civil_from_days(t, &y, &m, &d);
		assert_int_equal(lunar_from_solar(y, m, d, &l), 0);
		assert_int_equal(lunar_to_solar(&l, &sy, &sm, &sd), 0);
		assert_int_equal(sy, y);
		assert_int_equal(sm, m);
		assert_int_equal(sd, d);
		if (t > first)
			assert_follows(&prev, &l);
		if (l.leap && l.day == 1) {
			/* At most one leap month a year. */
			assert_int_not_equal(l.year, leap_year);
			leap_year = l.year;
			leaps++;
		}
		prev = l;
	}
	/* Seven leap months every 19 years (the Metonic cycle). */
	assert_in_range(leaps, 300 * 7 / 19 - 2, 300 * 7 / 19 + 2);
}

static void test_errors(void **state)
{
	struct lunar_date l;
	int m, d;

	(void)state;
	assert_int_equal(lunar_from_solar(1899, 12, 31, &l), -1);
	assert_int_equal(lunar_from_solar(2200, 1, 1, &l), -1);
	assert_int_equal(lunar_from_solar(2023, 2, 29, &l), -1);
	assert_int_equal(lunar_from_solar(2023, 13, 1, &l), -1);
	assert_int_equal(lunar_from_solar(2023, 1, 1, NULL), -1);
	assert_int_equal(lunar_tet(1899, &m, &d), -1);
	assert_int_equal(lunar_tet(2200, &m, &d), -1);
	assert_no_solar(1850, 1, 1, false);
	assert_no_solar(2200, 1, 1, false);
	/* Lunar 1899 ends in solar 1900, but begins before the range. */
	assert_no_solar(1899, 1, 1, false);
	assert_no_solar(2023, 13, 1, false);
	assert_no_solar(2023, 0, 1, false);
	assert_no_solar(2023, 1, 0, false);
	assert_no_solar(2023, 1, 31, false);
	/* 2023 repeated month 2, 2025 month 6, 2014 month 9; 2024 had none. */
	assert_no_solar(2023, 3, 1, true);
	assert_no_solar(2023, 1, 1, true);
	assert_no_solar(2025, 5, 1, true);
	assert_no_solar(2014, 8, 1, true);
	assert_no_solar(2024, 1, 1, true);
	assert_no_solar(2024, 6, 1, true);
	l = (struct lunar_date){.year = 2025, .month = 6, .day = 1, .leap = true};
	assert_int_equal(lunar_to_solar(&l, &m, &m, &d), 0);
	l = (struct lunar_date){.year = 2014, .month = 9, .day = 1, .leap = true};
	assert_int_equal(lunar_to_solar(&l, &m, &m, &d), 0);
	assert_int_equal(lunar_to_solar(NULL, &m, &m, &d), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tet),       cmocka_unit_test(test_tet_differs_from_china),
	    cmocka_unit_test(test_gio_to),    cmocka_unit_test(test_leap_months),
	    cmocka_unit_test(test_year_end),  cmocka_unit_test(test_tet_window),
	    cmocka_unit_test(test_every_day), cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
