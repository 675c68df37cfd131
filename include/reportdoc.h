/*
 * reportdoc — the progress report as documents a monitoring agency sends
 * up: one self-contained, printable HTML page (styles and an SVG bar chart
 * inline, nothing fetched), and CSV that spreadsheets open as UTF-8. Pure:
 * from a finished progress_report into a buf.
 *
 * The layout follows the appendix of a provincial status report: per
 * task its number, the task, the lead agency, the timeframe, the
 * completion level and the result; then the days overdue. Words are
 * Vietnamese for language "vi", else English.
 */
#ifndef DEADLINED_REPORTDOC_H
#define DEADLINED_REPORTDOC_H

#include "buf.h"
#include "progress.h"

struct reportdoc_meta {
	const char *language;
	const char *organisation; /* the monitoring agency's name, or NULL */
	const char *plan_id;      /* NULL: every plan */
	const char *plan_title, *plan_issued;
};

/* The column headings, in the language asked. */
struct reportdoc_words {
	const char *title, *as_of, *agencies_heading, *tasks_heading, *total;
	const char *sheet_agencies,
	    *sheet_tasks; /* short: a sheet name has 31 characters at most */
	const char *number, *agency, *task, *lead, *timeframe, *due, *level, *state, *result,
	    *days_overdue, *plan, *category, *missed;
};
const struct reportdoc_words *reportdoc_words(const char *language);

/*
 * A task's row as the spreadsheets (CSV, xlsx) have it: plan, number,
 * section, task, leads, timeframe, due, completion level, state, result,
 * days overdue ("" when not overdue). Points into the item and into out.
 */
#define REPORTDOC_COLUMNS 11
struct reportdoc_row {
	const char *cell[REPORTDOC_COLUMNS];
	char due[16], days[16];
};
void reportdoc_headings(const char *language, const char *out[REPORTDOC_COLUMNS]);
void reportdoc_row(const struct progress_report *r, const struct progress_item *it,
                   const char *language, struct reportdoc_row *out);

void reportdoc_html(const struct progress_report *r, const struct reportdoc_meta *m,
                    struct buf *out);
/* One row per task; a cell starting with = + - @ gets a leading apostrophe,
 * as spreadsheets would otherwise read it as a formula. */
void reportdoc_csv(const struct progress_report *r, const struct reportdoc_meta *m,
                   struct buf *out);

#endif
