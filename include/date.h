/*
 * date — civil-date arithmetic, pure.
 *
 * Instants are time_t seconds since the Unix epoch (UTC). Local civil time is
 * an instant plus a fixed offset in seconds: Vietnam (Asia/Ho_Chi_Minh) has
 * been UTC+7 without daylight saving since 1975, so a fixed offset is exact
 * for every date a plan can name. Nothing here reads the clock or TZ.
 */
#ifndef DEADLINED_DATE_H
#define DEADLINED_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define DATE_TZ_VIETNAM (7 * 3600)
#define DATE_DAY        86400

struct date_civil {
	int year, month, day; /* month 1-12, day 1-31 */
	int hour, minute, second;
	int weekday; /* 1 = Monday … 7 = Sunday (ISO 8601) */
};

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
int64_t date_days_from_civil(int year, int month, int day);
void date_civil_from_days(int64_t days, int *year, int *month, int *day);

/* ISO weekday (1 = Monday … 7 = Sunday) of a day number from the above. */
int date_weekday(int64_t days);
/* The local day number of an instant, and the instant a local day begins. */
int64_t date_local_days(time_t t, int tz_offset);
time_t date_day_start(int64_t days, int tz_offset);

bool date_is_leap(int year);
int date_days_in_month(int year, int month);
bool date_valid(int year, int month, int day);

/* The instant of a local wall-clock time at a fixed UTC offset. */
time_t date_make(int year, int month, int day, int hour, int minute, int second, int tz_offset);
/* The local wall-clock fields of an instant. */
void date_split(time_t t, int tz_offset, struct date_civil *out);

/* "2025-06-30T23:59:59+07:00"; buf needs 26 bytes. Returns buf. */
char *date_format_iso(time_t t, int tz_offset, char *buf, size_t len);
/* "30/06/2025"; buf needs 11 bytes. Returns buf. */
char *date_format_vn(time_t t, int tz_offset, char *buf, size_t len);
/* The last day of the quarter after t's, as date_format_vn(): a date an
 * example may show without its being past ("Xin gia hạn đến …"). */
char *date_format_next_quarter_end(time_t t, int tz_offset, char *buf, size_t len);

/*
 * Parses "YYYY-MM-DD", "YYYY-MM-DDTHH:MM", "YYYY-MM-DDTHH:MM:SS", each with an
 * optional "Z" or "±HH:MM" (a space may stand for "T"). Without a zone the
 * time is local at default_tz_offset; a bare date means 00:00. Returns 0, or
 * -1 for anything malformed or out of range.
 */
int date_parse_iso(const char *s, int default_tz_offset, time_t *out);

/* The year of a date written "YYYY-MM-DD…" (a plan's date of issue); 0 when
 * s is NULL or does not start with a valid date. */
int date_iso_year(const char *s);

/*
 * A fixed UTC offset: "+07:00", "-05:30", "+07", "+7" (a sign, hours up
 * to 14, minutes up to 59), "UTC", "Z", or a zone without daylight saving that stays at
 * +07:00 ("Asia/Ho_Chi_Minh"). Returns 0, or -1.
 */
int date_parse_zone(const char *s, int *offset);

#endif
