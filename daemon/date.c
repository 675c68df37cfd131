/*
 * date — civil-date arithmetic without the C library's time zone state.
 *
 * mktime() and localtime() read TZ and the zoneinfo files, and they are
 * neither pure nor cheap; the planner calls these functions millions of times
 * in `preview`. Days-from-civil is Howard Hinnant's public-domain algorithm.
 */
#include "date.h"

#include <stdio.h>
#include <string.h>

int64_t date_days_from_civil(int year, int month, int day)
{
	int64_t y = (int64_t)year - (month <= 2);
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

void date_civil_from_days(int64_t days, int *year, int *month, int *day)
{
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int m = (int)(mp < 10 ? mp + 3 : mp - 9);

	*day = (int)(doy - (153 * mp + 2) / 5 + 1);
	*month = m;
	*year = (int)(yoe + era * 400 + (m <= 2));
}

int date_weekday(int64_t days)
{
	/* 1970-01-01 was a Thursday (4). */
	int64_t w = (days + 3) % 7;

	if (w < 0)
		w += 7;
	return (int)w + 1;
}

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

int64_t date_local_days(time_t t, int tz_offset)
{
	return floor_div((int64_t)t + tz_offset, DATE_DAY);
}

time_t date_day_start(int64_t days, int tz_offset)
{
	return (time_t)(days * DATE_DAY - tz_offset);
}

bool date_is_leap(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int date_days_in_month(int year, int month)
{
	static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (month < 1 || month > 12)
		return 0;
	return len[month - 1] + (month == 2 && date_is_leap(year));
}

bool date_valid(int year, int month, int day)
{
	return month >= 1 && month <= 12 && day >= 1 && day <= date_days_in_month(year, month);
}

time_t date_make(int year, int month, int day, int hour, int minute, int second, int tz_offset)
{
	int64_t days = date_days_from_civil(year, month, day);

	return (time_t)(days * DATE_DAY + hour * 3600 + minute * 60 + second - tz_offset);
}

void date_split(time_t t, int tz_offset, struct date_civil *out)
{
	int64_t local = (int64_t)t + tz_offset;
	int64_t days = floor_div(local, DATE_DAY);
	int64_t secs = local - days * DATE_DAY;

	date_civil_from_days(days, &out->year, &out->month, &out->day);
	out->hour = (int)(secs / 3600);
	out->minute = (int)(secs / 60 % 60);
	out->second = (int)(secs % 60);
	out->weekday = date_weekday(days);
}

char *date_format_iso(time_t t, int tz_offset, char *buf, size_t len)
{
	struct date_civil c;
	int off = tz_offset < 0 ? -tz_offset : tz_offset;

	date_split(t, tz_offset, &c);
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", c.year, c.month, c.day,
	         c.hour, c.minute, c.second, tz_offset < 0 ? '-' : '+', off / 3600, off / 60 % 60);
	return buf;
}

char *date_format_vn(time_t t, int tz_offset, char *buf, size_t len)
{
	struct date_civil c;

	date_split(t, tz_offset, &c);
	snprintf(buf, len, "%02d/%02d/%04d", c.day, c.month, c.year);
	return buf;
}

char *date_format_next_quarter_end(time_t t, int tz_offset, char *buf, size_t len)
{
	struct date_civil c;

	date_split(t, tz_offset, &c);
	int month = (c.month - 1) / 3 * 3 + 6, year = c.year + (month > 12);
	month = (month - 1) % 12 + 1;
	snprintf(buf, len, "%02d/%02d/%04d", month == 3 || month == 12 ? 31 : 30, month, year);
	return buf;
}

/* Reads exactly n digits; -1 if any is missing. */
static int read_digits(const char **p, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if ((*p)[i] < '0' || (*p)[i] > '9')
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	return v;
}

static int parse_zone(const char *p, int *offset)
{
	int sign, hh, mm;

	if (strcmp(p, "Z") == 0) {
		*offset = 0;
		return 0;
	}
	if (*p != '+' && *p != '-')
		return -1;
	sign = *p++ == '-' ? -1 : 1;
	if ((hh = read_digits(&p, 2)) < 0 || *p++ != ':' || (mm = read_digits(&p, 2)) < 0)
		return -1;
	if (*p || hh > 14 || mm > 59)
		return -1;
	*offset = sign * (hh * 3600 + mm * 60);
	return 0;
}

int date_parse_iso(const char *s, int default_tz_offset, time_t *out)
{
	const char *p = s;
	int y, mo, d, h = 0, mi = 0, sec = 0, tz = default_tz_offset;

	if ((y = read_digits(&p, 4)) < 0 || *p++ != '-' || (mo = read_digits(&p, 2)) < 0 ||
	    *p++ != '-' || (d = read_digits(&p, 2)) < 0)
		return -1;
	if (*p == 'T' || *p == ' ') {
		p++;
		if ((h = read_digits(&p, 2)) < 0 || *p++ != ':' || (mi = read_digits(&p, 2)) < 0)
			return -1;
		if (*p == ':') {
			p++;
			if ((sec = read_digits(&p, 2)) < 0)
				return -1;
		}
	}
	if (*p && parse_zone(p, &tz) < 0)
		return -1;
	if (!date_valid(y, mo, d) || h > 23 || mi > 59 || sec > 59)
		return -1;
	*out = date_make(y, mo, d, h, mi, sec, tz);
	return 0;
}

int date_iso_year(const char *s)
{
	const char *p = s;
	int y, mo, d;

	if (!s || (y = read_digits(&p, 4)) < 0 || *p++ != '-' || (mo = read_digits(&p, 2)) < 0 ||
	    *p++ != '-' || (d = read_digits(&p, 2)) < 0 || !date_valid(y, mo, d))
		return 0;
	return y;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int date_parse_zone(const char *s, int *offset)
{
	int h, m = 0, used = 0;

	if (!strcmp(s, "Asia/Ho_Chi_Minh") || !strcmp(s, "Asia/Saigon") ||
	    !strcmp(s, "Asia/Bangkok") || !strcmp(s, "Asia/Jakarta")) {
		*offset = 7 * 3600; /* no DST in these zones since 1975 */
		return 0;
	}
	if (!strcmp(s, "UTC") || !strcmp(s, "Z")) {
		*offset = 0;
		return 0;
	}
	/* ±H, ±HH, ±H:MM or ±HH:MM, digits only: sscanf alone would take "+-7" or "+ 7". */
	if ((s[0] != '+' && s[0] != '-') || !is_digit(s[1]))
		return -1;
	h = s[1] - '0';
	used = 2;
	if (is_digit(s[2]))
		h = h * 10 + (s[used++] - '0');
	if (s[used] == ':') {
		if (!is_digit(s[used + 1]) || !is_digit(s[used + 2]))
			return -1;
		m = (s[used + 1] - '0') * 10 + (s[used + 2] - '0');
		used += 3;
	}
	if (s[used] || h > 14 || m > 59)
		return -1;
	*offset = (s[0] == '-' ? -1 : 1) * (h * 3600 + m * 60);
	return 0;
}
