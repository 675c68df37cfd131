/*
 * cal — the office calendar: working days, holidays, send slots. Pure.
 *
 * Agencies read mail at work, so every message is placed in a *slot*: a
 * working day (Mon–Fri by default, minus holidays, plus the Saturdays the
 * government swaps in as "ngày làm bù") at the configured send time. The
 * fixed national holidays are built in — 1/1, Giỗ Tổ Hùng Vương (10/3
 * lunar), 30/4, 1/5, 2/9 and its adjacent day — with the day off in lieu
 * when one falls on a weekend. Tết moves and its length is decided each
 * year, so it comes from the config (cal_has_tet tells when it is missing).
 * Days are local day numbers (date_days_from_civil).
 */
#ifndef DEADLINED_CAL_H
#define DEADLINED_CAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct cal {
	int tz_offset;
	unsigned workdays; /* bit (w-1) set for ISO weekday w */
	int open_min;      /* office hours, minutes after midnight */
	int close_min;
	int send_min; /* when slots are, e.g. 8*60 */
	bool national;
	int64_t *holidays; /* sorted, configured and national */
	size_t n_holidays;
	int64_t *extra_workdays; /* sorted: non-working weekdays worked anyway */
	size_t n_extra_workdays;
	int64_t *configured; /* sorted: the holidays from the config only */
	size_t n_configured;
};

/* Mon–Fri, 07:30–17:00, slots at 08:00, national holidays on. */
void cal_init(struct cal *c, int tz_offset);
void cal_free(struct cal *c);
void cal_copy(struct cal *dst, const struct cal *src);
void cal_add_holidays(struct cal *c, int64_t first, int64_t last);
void cal_add_workday(struct cal *c, int64_t day);
/* Adds the national holidays and sorts; call once after the additions. */
void cal_finish(struct cal *c);

bool cal_is_workday(const struct cal *c, int64_t day);
bool cal_is_holiday(const struct cal *c, int64_t day);

/* The latest slot at or before t; the earliest slot at or after t. */
time_t cal_slot_at_or_before(const struct cal *c, time_t t);
time_t cal_slot_at_or_after(const struct cal *c, time_t t);
/* t itself when it is within office hours on a working day, else the next opening. */
time_t cal_office_at_or_after(const struct cal *c, time_t t);
/*
 * The same for sending: mail goes out from the send slot (or the opening,
 * if later) to the close, so that a catch-up decided at 07:45 and the 08:00
 * slot's reminders make one message, not two.
 */
time_t cal_send_at_or_after(const struct cal *c, time_t t);
/* The first sending moment on a later day than t's: where a recipient's
 * second batch of the day waits (one message per agency per day). */
time_t cal_send_next_day(const struct cal *c, time_t t);
/* The working day n working days after (n > 0) or before (n < 0) day. */
int64_t cal_add_workdays(const struct cal *c, int64_t day, int n);

/* True when a configured holiday lies within 3 days of lunar year's Tết. */
bool cal_has_tet(const struct cal *c, int year);

/* Parsers for the config: "07:30-17:00", "08:00", "mon-fri" or "mon tue …",
 * "2026-02-14" or "2026-02-14..2026-02-22". Return 0 or -1. */
int cal_parse_hours(const char *s, int *open_min, int *close_min);
int cal_parse_time(const char *s, int *min);
int cal_parse_weekdays(const char *s, unsigned *mask);
int cal_parse_days(const char *s, int64_t *first, int64_t *last);

#endif
