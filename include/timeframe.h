/*
 * timeframe — the Vietnamese deadline phrases of plans, read as an official
 * would read them. Pure: no clock, no I/O, no global state.
 *
 * A phrase ("Quý II/2025", "trước ngày 15/12 hàng năm", "2022 - 2025",
 * "Thường xuyên") becomes a struct tf: its kind, the window it covers, the
 * due instant, any condition written beside it, and for recurring kinds a
 * rule that the iterator functions expand into occurrences.
 *
 * Conventions (all local time at ctx->tz_offset, Vietnam is UTC+7):
 *  - "end of" a day is 23:59:59 of that day; a quarter, month or year ends at
 *    the end of its last day.
 *  - "trước ngày D" (before D) is due at 00:00:00 of D.
 *  - a window runs from 00:00:00 of its first day to its due instant.
 * Nothing is guessed silently. A phrase made only of timing words is read
 * exactly, or is TF_UNPARSED with the byte position and a reason. A phrase
 * that is a sentence ("Ban hành trong quý II năm 2027. Tổ chức triển khai …")
 * is read as an official reads it: its deadline-bearing clauses give the
 * dues, the other clauses are kept in condition, and `loose` is set so that
 * an admin checks it. A sentence with no deadline-bearing clause stays
 * TF_UNPARSED (or TF_EVENT when it waits for something: "… theo hướng dẫn").
 *
 * A date without a year is read in the year of the dated deadline it is
 * written inside ("Quý I/2026 (trước 31/3)": that deadline falls due on
 * 31/3/2026), and a range writes its year once, at its end ("tháng 3 –
 * tháng 5/2026", "từ 15/3 đến 20/5/2026"). A dated day inside a period
 * written beside it is that deadline's exact due ("Trong tháng 10/2026
 * (chậm nhất ngày 25/10/2026)"), the period its window.
 *
 * A part of a dated period reads as the part an official means: the early
 * part ("đầu") of a year is its first quarter, of a quarter its first
 * month, of a month its first ten days ("thượng tuần"); the middle
 * ("giữa", "trung tuần") a year's first half, a quarter's second month, a
 * month's middle ten days; "hạ tuần" a month's end. "Tết Nguyên đán 2027"
 * is the lunar new year's first day (lunar.h). "N lần/năm" (quý, tháng)
 * recurs each half, quarter or month when N divides the unit so, else
 * once in each unit.
 *
 * Dated deadlines written beside a cycle ("trước ngày 10/5/2026 và hằng quý",
 * "2022 - 2025 và các năm tiếp theo") come first, as phases of the recurring
 * kind; the cycle's occurrences follow, due after the last phase.
 */
#ifndef DEADLINED_TIMEFRAME_H
#define DEADLINED_TIMEFRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

enum tf_kind {
	TF_ONCE,   /* one deadline (or several phases, each a deadline) */
	TF_PERIOD, /* a span of years or quarters, due at its end */
	TF_YEARLY,
	TF_HALF_YEARLY,
	TF_QUARTERLY,
	TF_MONTHLY,
	TF_WEEKLY,
	TF_ONGOING, /* "Thường xuyên", "Từ năm 2023": no deadline of its own */
	TF_EVENT,   /* tied to an event without a date: "Khi có phát sinh" */
	TF_UNPARSED,
};

#define TF_NONE        ((time_t)-1) /* "no instant": no due, unbounded */
#define TF_MAX_ANCHORS 4
#define TF_MAX_PHASES  8
#define TF_COND_MAX    240
#define TF_ERROR_MAX   120

/*
 * What the caller knows that a phrase may leave implicit. The year the plan
 * was issued is an argument of tf_parse_issued(): a fourth field here would
 * break every positional {tz, first, last} under -Wextra -Werror.
 */
struct tf_ctx {
	int tz_offset;       /* seconds east of UTC */
	int plan_first_year; /* the plan's period, 0 when unknown; an empty */
	int plan_last_year;  /* phrase means this period, and recurrences end with it */
};

/* A byte range of the phrase given to tf_parse(); len 0 when there is none. */
struct tf_range {
	int off, len;
};

/*
 * One due date within a recurrence cycle. For a cycle of 12 months, month
 * 12 day 15 is 15 December; for a quarterly cycle (3 months), month 3 day 0
 * is the last day of each quarter's third month. day 0 = the month's last
 * day. before: due at 00:00 of that day ("trước ngày"), else at its end.
 * window_month: the month (1-based within the cycle) the occurrence window
 * opens, e.g. 10 for "Quý IV hàng năm".
 */
struct tf_anchor {
	int month;
	int day;
	bool before;
	int window_month;
};

/* One occurrence: a window and the due instant closing it. */
struct tf_occ {
	time_t window_start;
	time_t due;
};

struct tf {
	enum tf_kind kind;
	/*
	 * ONCE, PERIOD: the window and the (last) due instant.
	 * Recurring kinds: the first occurrence within the bounds.
	 * ONGOING: window_start is when it starts (TF_NONE if it always was).
	 * EVENT, UNPARSED: all TF_NONE.
	 */
	time_t window_start;
	time_t due;

	/*
	 * Dated deadlines, in order of due: ONCE and PERIOD ("Quý I/2025; Quý
	 * III/2025"), and recurring kinds whose cycle follows dated deadlines
	 * (see above; 0 phases for a plain cycle). Two phases share a due only
	 * when they are for different agencies (phase_agency).
	 */
	int n_phases;
	struct tf_occ phases[TF_MAX_PHASES];
	/*
	 * Who each phase is for, when its clause names it: "+ Các sở, ngành hoàn
	 * thành trước ngày 30/6/2026. + Sở Tài chính tổng hợp trước ngày
	 * 15/7/2026." gives "Các sở, ngành" and "Sở Tài chính". It is the subject
	 * of the phase's sentence (from an agency word — Sở, Bộ, UBND, các cơ
	 * quan … — to its verb), as written, within the input; one or several
	 * names, for the directory to resolve (dir_split). len 0: the clause names
	 * no one, the task's own agencies apply. Only a loose reading sets it.
	 */
	struct tf_range phase_agency[TF_MAX_PHASES];

	/* Recurring kinds: cycle_months is 12, 6, 3 or 1 (0 for WEEKLY). */
	int cycle_months;
	int weekday; /* WEEKLY: ISO weekday of the due day, 5 = Friday */
	int n_anchors;
	struct tf_anchor anchors[TF_MAX_ANCHORS];
	time_t from;  /* occurrences are due within [from, until]; */
	time_t until; /* TF_NONE = unbounded on that side */

	bool implicit; /* the phrase was empty: the plan's period applies */
	/*
	 * Read from a sentence: some words are not timing (verbs, agencies,
	 * notes). The dues come from its deadline-bearing clauses; the clauses
	 * without a deadline, and what follows the last deadline of a clause,
	 * are in condition. The caller flags the task for an admin to check.
	 */
	bool loose;
	/*
	 * From the input: a condition ("sau khi có hướng dẫn …"), or for a loose
	 * reading the parts that are not deadlines, joined by "; ". "" when none.
	 * Valid UTF-8 (an invalid input byte becomes U+FFFD), never cut inside a
	 * character; so is error.
	 */
	char condition[TF_COND_MAX];
	int error_pos;            /* UNPARSED: byte offset in the input */
	char error[TF_ERROR_MAX]; /* UNPARSED: why, in English */
	int tz_offset;
};

/*
 * Parses a NUL-terminated UTF-8 phrase (NFC or NFD, any case). Returns 0,
 * or -1 when the result is TF_UNPARSED. Never reads the clock: "now" is
 * only an argument of the iterators below.
 */
int tf_parse(const char *phrase, const struct tf_ctx *ctx, struct tf *out);

/*
 * tf_parse() for a plan issued on `issued`, as tf_issued() gives it (0 when
 * unknown): "năm sau", "năm tiếp theo", "năm tới" are the year after it,
 * "năm nay" that year; without it such a phrase is TF_UNPARSED, with that
 * reason. In a document with no period of its own, a date without a year is
 * the next one on or after the day of issue ("trước ngày 15/1" in a letter
 * of 10/12/2025 is 15/1/2026), and a recurrence's first due is the first
 * on or after it.
 */
int tf_parse_issued(const char *phrase, const struct tf_ctx *ctx, int issued, struct tf *out);

/*
 * A date of issue as tf_parse_issued() takes it: YYYYMMDD from "YYYY-MM-DD",
 * YYYY from "YYYY" (only the year known), 0 from NULL or anything else.
 */
int tf_issued(const char *iso);

/*
 * The first occurrence due at or after not_before (for ONCE: the first phase
 * not yet due; for PERIOD: the period itself; for a recurring kind with
 * phases: a phase, else a cycle due after the last phase). Returns false
 * when there is none (ONGOING, EVENT, UNPARSED, or past the bounds).
 */
bool tf_next(const struct tf *t, time_t not_before, struct tf_occ *out);

/* Occurrences due within [from, to], at most max of them; returns the count. */
size_t tf_occurrences(const struct tf *t, time_t from, time_t to, struct tf_occ *out, size_t max);

bool tf_recurring(enum tf_kind kind);
const char *tf_kind_name(enum tf_kind kind); /* "once", "half-yearly", … */
/* The kind named by tf_kind_name(), or TF_UNPARSED. */
enum tf_kind tf_kind_from_name(const char *name);

#endif
