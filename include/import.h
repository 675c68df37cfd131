/*
 * import — plan documents into task rows. Pure: text in, rows out.
 *
 * The layout is read from the text itself, in any mix:
 *  - TABLE: tab-separated (as extracted from Word/PDF), Markdown pipe or
 *    CSV tables. Columns are recognised by their header text (TT/STT,
 *    Nhiệm vụ/Nội dung, Chủ trì/Đơn vị thực hiện, Phối hợp, Thời
 *    gian/Tiến độ/Thời hạn), not by position. A page break (form feed,
 *    page number, running page header) does not end a table, and headers
 *    repeated after it are skipped; a row with an empty index continues the
 *    one before (under a section row, one that assigns someone is a task);
 *    section rows (A, I, V.1, or a bare number with nothing assigned) become
 *    the category of the rows under them.
 *  - PROSE: numbered items with "Đơn vị chủ trì:", "Đơn vị phối hợp:",
 *    "Thời gian thực hiện:" (or "hoàn thành") lines.
 *  - DUTY: reporting duties in the organisation section (Tổ chức thực
 *    hiện), e.g. "Định kỳ hàng năm (trước ngày 15/12) … báo cáo …": a task
 *    for the agency the paragraph is addressed to.
 * It also reads the plan's number, date, title, period and monitoring
 * agency when the document states them. Every row keeps its line and raw
 * text; what cannot be read fully is still returned (with a problem note),
 * never dropped.
 */
#ifndef DEADLINED_IMPORT_H
#define DEADLINED_IMPORT_H

#include "buf.h"

#include <stddef.h>

enum import_layout { IMPORT_TABLE, IMPORT_PROSE, IMPORT_DUTY, IMPORT_LAYOUTS };

struct import_row {
	enum import_layout layout;
	char *key;      /* stable within the plan: "A.I.1", "1.3.a", "duty.3.1" */
	char *index;    /* as written: "1.", "6.1", "c)"; NULL or "" when none is */
	char *category; /* the sections above it, "A. … / I. …", or NULL */
	/* Title, cells and timeframe as written, on one line: white space runs
	 * (wrapped lines, a CSV cell's CR LF) are one space, and Markdown
	 * emphasis ("*", "**", "_") is dropped. */
	char *title;
	char *lead, *coord; /* or NULL */
	char *timeframe;    /* "" when none is written */
	int line;           /* first line of the row in the file */
	char *raw;
};

struct import_doc {
	char *number; /* "906/QĐ-UBND", or NULL */
	char *issued; /* "2022-07-11", or NULL */
	char *title;
	int first_year, last_year; /* the plan's period, 0 when not stated */
	char *monitor;             /* the monitoring agency as written, or NULL */
	struct import_row *rows;
	size_t n_rows;
	size_t per_layout[IMPORT_LAYOUTS];
	struct buf problems; /* "LINE: what", one per line */
};

/* Reads a document. Returns the number of rows (0: no layout recognised). */
size_t import_parse(const char *text, size_t len, struct import_doc *out);
void import_doc_free(struct import_doc *d);

const char *import_layout_name(enum import_layout l); /* "table", "prose", "duty" */

#endif
