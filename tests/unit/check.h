/*
 * check.h — what several unit suites share: cmocka, checks whose failure
 * names what was checked, local time in the daemon's zone, the shipped
 * office calendar and a few file chores. Header-only: everything is a macro
 * or static inline, so a suite pays nothing for what it does not use.
 */
#ifndef DEADLINED_TEST_CHECK_H
#define DEADLINED_TEST_CHECK_H

/* cmocka needs these before it, in this order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "buf.h"
#include "cal.h"
#include "date.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* The zone the suites work in: Vietnam's, as the daemon's. */
#define TZ DATE_TZ_VIETNAM

/* ---- checks ------------------------------------------------------------- */

#define check_int(what, got, want)                                                                 \
	do {                                                                                       \
		long long got_ = (long long)(got), want_ = (long long)(want);                      \
		if (got_ != want_)                                                                 \
			fail_msg("%s: got %lld, want %lld", (what), got_, want_);                  \
	} while (0)

/* want may be NULL: then got must be NULL too. */
#define check_str(what, got, want)                                                                 \
	do {                                                                                       \
		const char *got_ = (got), *want_ = (want);                                         \
		if (!want_ && got_)                                                                \
			fail_msg("%s: got \"%s\", want NULL", (what), got_);                       \
		if (want_ && (!got_ || strcmp(got_, want_) != 0))                                  \
			fail_msg("%s: got %s%s%s, want \"%s\"", (what), got_ ? "\"" : "",          \
			         got_ ? got_ : "NULL", got_ ? "\"" : "", want_);                   \
	} while (0)

/* A store call that must succeed; on failure the store's own reason is
 * shown (for suites that include store.h). */
#define must(st, call)                                                                             \
	do {                                                                                       \
		if ((call) != 0)                                                                   \
			fail_msg("%s failed: %s", #call, store_error(st));                         \
	} while (0)

/* ---- local time (TZ) ---------------------------------------------------- */

/* The local day number of y-m-d, as cal counts days. */
static inline int64_t day(int y, int m, int d)
{
	return date_days_from_civil(y, m, d);
}

static inline time_t at(int y, int mo, int d, int h, int mi, int s)
{
	return date_make(y, mo, d, h, mi, s, TZ);
}

/* The slot of a day at the default send time, 08:00. */
static inline time_t slot(int y, int mo, int d)
{
	return at(y, mo, d, 8, 0, 0);
}

static inline time_t start_of(int y, int m, int d)
{
	return at(y, m, d, 0, 0, 0);
}

static inline time_t end_of(int y, int m, int d)
{
	return at(y, m, d, 23, 59, 59);
}

/* The shipped calendar: Mon–Fri, 07:30–17:00, slots at 08:00, national
 * holidays, and the three Tết breaks of config/deadlined.ini. */
static inline void office_calendar(struct cal *c)
{
	cal_init(c, TZ);
	cal_add_holidays(c, day(2024, 2, 8), day(2024, 2, 14));
	cal_add_holidays(c, day(2025, 1, 25), day(2025, 2, 2));
	cal_add_holidays(c, day(2026, 2, 14), day(2026, 2, 22));
	cal_finish(c);
}

/* ---- files -------------------------------------------------------------- */

static inline int rm_rf_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb, (void)flag, (void)ftw;
	return remove(path);
}

/* Removes a directory and everything below it (a fixture's temporary one). */
static inline void rm_rf(const char *dir)
{
	nftw(dir, rm_rf_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* The whole file, to be freed; fails the test if it cannot be read. */
static inline char *read_all(const char *path)
{
	FILE *fp = fopen(path, "rb");
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;

	if (!fp)
		fail_msg("cannot read %s (run from the repository root)", path);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(&b, chunk, n);
	fclose(fp);
	return buf_steal(&b);
}

static inline void write_all(const char *path, const char *text)
{
	FILE *fp = fopen(path, "wb");

	if (!fp || fputs(text, fp) < 0 || fclose(fp) != 0)
		fail_msg("cannot write %s", path);
}

#endif
