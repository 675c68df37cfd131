/*
 * cal — see cal.h.
 *
 * Holidays are kept as a sorted array of local day numbers and looked up by
 * binary search: `preview` asks "is this a working day?" millions of times.
 * The national holidays are generated once, in cal_finish(), for the years
 * NATIONAL_FIRST..NATIONAL_LAST, which covers every plan we will ever see.
 */
#include "cal.h"

#include "date.h"
#include "lunar.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NATIONAL_FIRST 2000
#define NATIONAL_LAST  2100
#define MAX_SEARCH     400 /* days: no office is closed longer than that */

void cal_init(struct cal *c, int tz_offset)
{
	memset(c, 0, sizeof(*c));
	c->tz_offset = tz_offset;
	c->workdays = 0x1F; /* Monday to Friday */
	c->open_min = 7 * 60 + 30;
	c->close_min = 17 * 60;
	c->send_min = 8 * 60;
	c->national = true;
}

void cal_free(struct cal *c)
{
	free(c->holidays);
	free(c->extra_workdays);
	free(c->configured);
	memset(c, 0, sizeof(*c));
}

static int64_t *copy_days(const int64_t *days, size_t n)
{
	int64_t *p = xmalloc((n ? n : 1) * sizeof(*p));

	if (n)
		memcpy(p, days, n * sizeof(*p));
	return p;
}

void cal_copy(struct cal *dst, const struct cal *src)
{
	*dst = *src;
	dst->holidays = copy_days(src->holidays, src->n_holidays);
	dst->extra_workdays = copy_days(src->extra_workdays, src->n_extra_workdays);
	dst->configured = copy_days(src->configured, src->n_configured);
}

static void push_day(int64_t **days, size_t *n, int64_t day)
{
	*days = xrealloc(*days, (*n + 1) * sizeof(**days));
	(*days)[(*n)++] = day;
}

void cal_add_holidays(struct cal *c, int64_t first, int64_t last)
{
	for (int64_t d = first; d <= last && d - first < MAX_SEARCH; d++) {
		push_day(&c->holidays, &c->n_holidays, d);
		push_day(&c->configured, &c->n_configured, d);
	}
}

void cal_add_workday(struct cal *c, int64_t day)
{
	push_day(&c->extra_workdays, &c->n_extra_workdays, day);
}

static int cmp_day(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static size_t sort_unique(int64_t *days, size_t n)
{
	size_t out = 0;

	if (n == 0)
		return 0; /* qsort(NULL, 0) is undefined behaviour */
	qsort(days, n, sizeof(*days), cmp_day);
	for (size_t i = 0; i < n; i++)
		if (out == 0 || days[out - 1] != days[i])
			days[out++] = days[i];
	return out;
}

static bool contains(const int64_t *days, size_t n, int64_t day)
{
	return n && bsearch(&day, days, n, sizeof(*days), cmp_day) != NULL;
}

static bool weekly_workday(const struct cal *c, int64_t day)
{
	return c->workdays & (1u << (date_weekday(day) - 1));
}

/*
 * 2/9 comes with one adjacent day, chosen each year to make a long weekend:
 * the day before, unless 2/9 is a Monday (then the Tuesday after). That is
 * what the government decided in 2022-2025; a configured holiday overrides.
 */
static int64_t national_day_partner(int year)
{
	int64_t sep2 = date_days_from_civil(year, 9, 2);

	return date_weekday(sep2) == 1 ? sep2 + 1 : sep2 - 1;
}

static bool among(const int64_t *days, size_t n, int64_t day)
{
	for (size_t i = 0; i < n; i++)
		if (days[i] == day)
			return true;
	return false;
}

/*
 * A holiday on a weekly rest day gives the next working day off (nghỉ bù);
 * when two fall on one weekend (30/4 and 1/5 of 2022) the second day off
 * comes after the first.
 */
static void add_national_year(struct cal *c, int year)
{
	struct lunar_date gio_to = {year, 3, 10, false};
	int64_t days[8], taken[16];
	size_t n = 0, n_taken = 0;
	int y, m, d;

	days[n++] = date_days_from_civil(year, 1, 1);
	if (lunar_to_solar(&gio_to, &y, &m, &d) == 0)
		days[n++] = date_days_from_civil(y, m, d);
	days[n++] = date_days_from_civil(year, 4, 30);
	days[n++] = date_days_from_civil(year, 5, 1);
	days[n++] = national_day_partner(year);
	days[n++] = date_days_from_civil(year, 9, 2);
	for (size_t i = 0; i < n; i++)
		taken[n_taken++] = days[i];
	for (size_t i = 0; i < n; i++) {
		push_day(&c->holidays, &c->n_holidays, days[i]);
		if (weekly_workday(c, days[i]))
			continue;
		int64_t lieu = days[i] + 1;
		while ((!weekly_workday(c, lieu) || among(taken, n_taken, lieu)) &&
		       lieu - days[i] < 14)
			lieu++;
		taken[n_taken++] = lieu;
		push_day(&c->holidays, &c->n_holidays, lieu);
	}
}

void cal_finish(struct cal *c)
{
	if (c->national)
		for (int year = NATIONAL_FIRST; year <= NATIONAL_LAST; year++)
			add_national_year(c, year);
	c->n_holidays = sort_unique(c->holidays, c->n_holidays);
	c->n_extra_workdays = sort_unique(c->extra_workdays, c->n_extra_workdays);
	c->n_configured = sort_unique(c->configured, c->n_configured);
}

bool cal_is_holiday(const struct cal *c, int64_t day)
{
	return contains(c->holidays, c->n_holidays, day);
}

bool cal_is_workday(const struct cal *c, int64_t day)
{
	if (contains(c->extra_workdays, c->n_extra_workdays, day))
		return true;
	return weekly_workday(c, day) && !cal_is_holiday(c, day);
}

static time_t slot_of(const struct cal *c, int64_t day)
{
	return date_day_start(day, c->tz_offset) + (time_t)c->send_min * 60;
}

time_t cal_slot_at_or_before(const struct cal *c, time_t t)
{
	int64_t day = date_local_days(t, c->tz_offset);

	if (slot_of(c, day) > t)
		day--;
	for (int i = 0; i < MAX_SEARCH && !cal_is_workday(c, day); i++)
		day--;
	return slot_of(c, day);
}

time_t cal_slot_at_or_after(const struct cal *c, time_t t)
{
	int64_t day = date_local_days(t, c->tz_offset);

	if (slot_of(c, day) < t)
		day++;
	for (int i = 0; i < MAX_SEARCH && !cal_is_workday(c, day); i++)
		day++;
	return slot_of(c, day);
}

/* t itself when it lies in [open_min, close_min) of a working day, else the next opening. */
static time_t window_at_or_after(const struct cal *c, int open_min, time_t t)
{
	int64_t day = date_local_days(t, c->tz_offset);
	time_t start = date_day_start(day, c->tz_offset);

	if (cal_is_workday(c, day) && t >= start + open_min * 60 && t < start + c->close_min * 60)
		return t;
	if (t >= start + open_min * 60)
		day++;
	for (int i = 0; i < MAX_SEARCH && !cal_is_workday(c, day); i++)
		day++;
	return date_day_start(day, c->tz_offset) + (time_t)open_min * 60;
}

time_t cal_office_at_or_after(const struct cal *c, time_t t)
{
	return window_at_or_after(c, c->open_min, t);
}

time_t cal_send_at_or_after(const struct cal *c, time_t t)
{
	return window_at_or_after(c, c->send_min > c->open_min ? c->send_min : c->open_min, t);
}

time_t cal_send_next_day(const struct cal *c, time_t t)
{
	int64_t day = date_local_days(t, c->tz_offset);

	return cal_send_at_or_after(c, date_day_start(day + 1, c->tz_offset));
}

int64_t cal_add_workdays(const struct cal *c, int64_t day, int n)
{
	int step = n < 0 ? -1 : 1;

	for (int left = n < 0 ? -n : n; left > 0;) {
		day += step;
		if (cal_is_workday(c, day))
			left--;
	}
	return day;
}

bool cal_has_tet(const struct cal *c, int year)
{
	int m, d;

	if (lunar_tet(year, &m, &d) < 0)
		return true; /* out of range: nothing sensible to ask for */
	int64_t tet = date_days_from_civil(year, m, d);
	for (int64_t day = tet - 3; day <= tet + 3; day++)
		if (contains(c->configured, c->n_configured, day))
			return true;
	return false;
}

int cal_parse_time(const char *s, int *min)
{
	int h, m, used = 0;

	if (sscanf(s, "%2d:%2d%n", &h, &m, &used) != 2 || s[used] || h > 23 || m > 59 || h < 0 ||
	    m < 0)
		return -1;
	*min = h * 60 + m;
	return 0;
}

int cal_parse_hours(const char *s, int *open_min, int *close_min)
{
	char a[8], b[8];
	int used = 0;

	if (sscanf(s, " %5[0-9:] - %5[0-9:]%n", a, b, &used) != 2 || s[used])
		return -1;
	if (cal_parse_time(a, open_min) < 0 || cal_parse_time(b, close_min) < 0 ||
	    *close_min <= *open_min)
		return -1;
	return 0;
}

static int weekday_index(const char *s, size_t n)
{
	static const char *const names[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

	for (int i = 0; i < 7; i++)
		if (n == 3 && strncasecmp(s, names[i], 3) == 0)
			return i;
	return -1;
}

int cal_parse_weekdays(const char *s, unsigned *mask)
{
	unsigned m = 0;

	while (*s) {
		size_t n = strcspn(s, " ,-");
		int a = weekday_index(s, n), b = a;
		if (a < 0)
			return -1;
		s += n;
		if (*s == '-') {
			n = strcspn(++s, " ,");
			if ((b = weekday_index(s, n)) < a)
				return -1;
			s += n;
		}
		for (int i = a; i <= b; i++)
			m |= 1u << i;
		s += strspn(s, " ,");
	}
	if (!m)
		return -1;
	*mask = m;
	return 0;
}

static int parse_day(const char *s, int64_t *day)
{
	int y, m, d, used = 0;

	if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &used) != 3 || used != 10 || s[10] ||
	    !date_valid(y, m, d))
		return -1;
	*day = date_days_from_civil(y, m, d);
	return 0;
}

int cal_parse_days(const char *s, int64_t *first, int64_t *last)
{
	char a[16], b[16];
	const char *dots = strstr(s, "..");

	if (!dots)
		return parse_day(s, first) < 0 ? -1 : (*last = *first, 0);
	if (dots - s != 10 || strlen(dots + 2) != 10)
		return -1;
	memcpy(a, s, 10);
	a[10] = '\0';
	util_strlcpy(b, dots + 2, sizeof(b));
	if (parse_day(a, first) < 0 || parse_day(b, last) < 0 || *last < *first ||
	    *last - *first >= MAX_SEARCH)
		return -1;
	return 0;
}
