/*
 * lunar — the Vietnamese lunar calendar, after Hồ Ngọc Đức.
 *
 * Holidays such as Tết and Giỗ Tổ are fixed in the lunar calendar, so the
 * planner needs to turn lunar dates into solar ones. Vietnam publishes no
 * machine-readable calendar; in practice every Vietnamese calendar is printed
 * from Hồ Ngọc Đức's algorithm, so we implement that algorithm, with his
 * low-precision Meeus series and constants kept verbatim: a more accurate
 * ephemeris would disagree with the printed calendars on the rare days where
 * a new moon or a solar term falls within minutes of local midnight.
 *
 * The rules: a month begins on the local (UTC+7) day of a new moon; month 11
 * is the one containing the winter solstice; when 13 months separate two
 * months 11, the first of them without a major solar term (a multiple of 30°
 * of solar longitude) is the leap month and repeats the previous number.
 *
 * Days are Julian Day Numbers here because the series are anchored to them.
 * Lunations are counted from the new moon of 1900-01-01 (k = 0).
 */
#include "lunar.h"

#include "date.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#define LUNAR_MIN_YEAR 1900
#define LUNAR_MAX_YEAR 2199

#define JDN_UNIX_EPOCH 2440588 /* Julian Day Number of 1970-01-01 */
#define TZ_DAYS        (7.0 / 24.0)
#define SYNODIC_MONTH  29.530588853
#define LUNATION_EPOCH 2415021.076998695 /* local day of new moon k = 0, for estimates */

#define PI      3.14159265358979323846
#define DEG2RAD (PI / 180.0)

/*
 * The months from one month 11 to the next, the unit the leap rule works on.
 * It is named by the solar year whose December holds its first month.
 */
struct span {
	int year;
	int k11;  /* lunation that starts month 11 */
	int leap; /* offset from k11 of the leap month; 0 in a 12-month span */
};

static int64_t jdn_from_civil(int year, int month, int day)
{
	return date_days_from_civil(year, month, day) + JDN_UNIX_EPOCH;
}

static double new_moon_correction(double k, double t)
{
	double t2 = t * t, t3 = t2 * t;
	double m = (359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3) * DEG2RAD;
	double mpr = (306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3) * DEG2RAD;
	double f = (21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3) * DEG2RAD;
	double c;

	c = (0.1734 - 0.000393 * t) * sin(m) + 0.0021 * sin(2 * m);
	c = c - 0.4068 * sin(mpr) + 0.0161 * sin(2 * mpr);
	c = c - 0.0004 * sin(3 * mpr);
	c = c + 0.0104 * sin(2 * f) - 0.0051 * sin(m + mpr);
	c = c - 0.0074 * sin(m - mpr) + 0.0004 * sin(2 * f + m);
	c = c - 0.0004 * sin(2 * f - m) - 0.0006 * sin(2 * f + mpr);
	c = c + 0.0010 * sin(2 * f - mpr) + 0.0005 * sin(2 * mpr + m);
	return c;
}

/* The instant (Julian Date, UT) of new moon k. */
static double new_moon(int k)
{
	double t = k / 1236.85; /* Julian centuries from 1900 January 0.5 */
	double t2 = t * t, t3 = t2 * t;
	double jd, delta_t;

	jd = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3;
	jd += 0.00033 * sin((166.56 + 132.87 * t - 0.009173 * t2) * DEG2RAD);
	jd += new_moon_correction(k, t);
	/* The series give Dynamical Time; Hồ Ngọc Đức's ΔT brings it to UT. */
	if (t < -11)
		delta_t =
		    0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3;
	else
		delta_t = -0.000278 + 0.000265 * t + 0.000262 * t2;
	return jd - delta_t;
}

/* The sun's apparent longitude in radians, [0, 2π), at Julian Date jd. */
static double sun_longitude(double jd)
{
	double t = (jd - 2451545.0) / 36525; /* Julian centuries from J2000.0 */
	double t2 = t * t;
	double m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2;
	double l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2;
	double dl;
	double l;

	dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * sin(DEG2RAD * m);
	dl += (0.019993 - 0.000101 * t) * sin(DEG2RAD * 2 * m) + 0.000290 * sin(DEG2RAD * 3 * m);
	l = (l0 + dl) * DEG2RAD;
	return l - PI * 2 * floor(l / (PI * 2));
}

/* The local day on which lunation k begins. */
static int64_t new_moon_day(int k)
{
	return (int64_t)floor(new_moon(k) + 0.5 + TZ_DAYS);
}

/*
 * Which 30° sector (0 = from the March equinox) the sun is in at local
 * midnight starting day jdn. A month whose first day and the next month's
 * first day share a sector contains no major term.
 */
static int sun_sector(int64_t jdn)
{
	int s = (int)floor(sun_longitude((double)jdn - 0.5 - TZ_DAYS) / PI * 6);

	/* Rounding can land exactly on 2π. */
	return s % 12;
}

/*
 * The lunation that starts month 11 of a solar year: the last new moon before
 * New Year's Eve, unless it came after the solstice (sector 9 or later).
 */
static int month11_lunation(int year)
{
	double off = (double)(jdn_from_civil(year, 12, 31) - 2415021);
	int k = (int)floor(off / SYNODIC_MONTH);

	if (sun_sector(new_moon_day(k)) >= 9)
		k--;
	return k;
}

/* 13 months to the next month 11 leave one without a major term: find it. */
static void span_init(struct span *s, int year)
{
	int next = month11_lunation(year + 1);

	s->year = year;
	s->k11 = month11_lunation(year);
	s->leap = 0;
	if (next - s->k11 < 13)
		return;
	/* Month 11 holds the solstice by construction, so start after it. */
	for (int i = 1; i < 13; i++) {
		if (sun_sector(new_moon_day(s->k11 + i)) ==
		    sun_sector(new_moon_day(s->k11 + i + 1))) {
			s->leap = i;
			return;
		}
	}
}

/*
 * The lunation containing day jdn. The mean-motion estimate can be one off
 * either way; Hồ Ngọc Đức's program checks one direction only and reports
 * day 0 for 2054-05-07 and 2062-04-09.
 */
static int lunation_of(int64_t jdn)
{
	int k = (int)floor(((double)jdn - LUNATION_EPOCH) / SYNODIC_MONTH);

	while (new_moon_day(k + 1) <= jdn)
		k++;
	while (new_moon_day(k) > jdn)
		k--;
	return k;
}

/* The month number of the n-th regular month of a span (0 = month 11). */
static int month_number(int n)
{
	return (n + 10) % 12 + 1;
}

static bool solar_in_range(int year, int month, int day)
{
	return year >= LUNAR_MIN_YEAR && year <= LUNAR_MAX_YEAR && date_valid(year, month, day);
}

int lunar_from_solar(int year, int month, int day, struct lunar_date *out)
{
	int64_t jdn;
	struct span s;
	int k, offset, n;

	if (out == NULL || !solar_in_range(year, month, day))
		return -1;
	jdn = jdn_from_civil(year, month, day);
	k = lunation_of(jdn);
	span_init(&s, year);
	if (k < s.k11) /* before this year's month 11 */
		span_init(&s, year - 1);
	offset = k - s.k11;
	n = (s.leap != 0 && offset >= s.leap) ? offset - 1 : offset;

	out->month = month_number(n);
	out->day = (int)(jdn - new_moon_day(k)) + 1;
	out->leap = s.leap != 0 && offset == s.leap;
	/* Months 11 and 12 open a span and still belong to its solar year. */
	out->year = out->month >= 11 ? s.year : s.year + 1;
	return 0;
}

/* The lunation of a lunar month; -1 for a leap month the year lacks. */
static int lunation_of_month(const struct lunar_date *in, int *k)
{
	struct span s;
	int offset = (in->month + 1) % 12; /* month 11 is offset 0 */

	span_init(&s, in->month >= 11 ? in->year : in->year - 1);
	if (in->leap) {
		/* The original program accepts any leap month in a 12-month year. */
		if (s.leap == 0 || month_number(s.leap - 1) != in->month)
			return -1;
		offset = s.leap;
	} else if (s.leap != 0 && offset >= s.leap) {
		offset++;
	}
	*k = s.k11 + offset;
	return 0;
}

int lunar_to_solar(const struct lunar_date *in, int *year, int *month, int *day)
{
	int64_t start;
	int k, y, m, d;

	if (in == NULL || year == NULL || month == NULL || day == NULL)
		return -1;
	/* Lunar 1899's last months still fall in solar 1900. */
	if (in->year < LUNAR_MIN_YEAR - 1 || in->year > LUNAR_MAX_YEAR || in->month < 1 ||
	    in->month > 12 || in->day < 1 || in->day > 30)
		return -1;
	if (lunation_of_month(in, &k) < 0)
		return -1;
	start = new_moon_day(k);
	if (in->day > new_moon_day(k + 1) - start)
		return -1;
	date_civil_from_days(start + in->day - 1 - JDN_UNIX_EPOCH, &y, &m, &d);
	if (!solar_in_range(y, m, d))
		return -1;
	*year = y;
	*month = m;
	*day = d;
	return 0;
}

int lunar_tet(int year, int *month, int *day)
{
	struct lunar_date tet = {.year = year, .month = 1, .day = 1, .leap = false};
	int y;

	if (year < LUNAR_MIN_YEAR || year > LUNAR_MAX_YEAR)
		return -1;
	return lunar_to_solar(&tet, &y, month, day);
}
