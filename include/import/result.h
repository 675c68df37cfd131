/*
 * result — what the meaning stage makes of a document: the tasks, the
 * indicator rows, the plan's own facts, and for `import --explain` how each
 * table was read (its columns and their roles) and what became of each
 * row and paragraph, with the reason. The builders below are for the
 * meaning modules (tables, lists, plan_facts); ingest only reads. Pure.
 */
#ifndef DEADLINED_IMPORT_RESULT_H
#define DEADLINED_IMPORT_RESULT_H

#include "import/columns.h"
#include "import/doc.h"

#include <stdbool.h>
#include <stddef.h>

enum import_layout { IMPORT_TABLE, IMPORT_PROSE, IMPORT_DUTY, IMPORT_LAYOUTS };

struct import_row {
	enum import_layout layout;
	char *key;      /* unique in the plan, stable: "A.I.1", "1.3.a", "duty.3.1" */
	char *index;    /* the number as written ("1.", "6.1", "c)"), or NULL */
	char *category; /* the sections above it, "A. … / I. …", or NULL */
	/* Title, timeframe and the other texts on one line: white space runs
	 * (wrapped lines, a CSV cell's CR LF) are one space. */
	char *title;
	char *lead, *coord;           /* or NULL; names written on separate lines keep a "\n" */
	char *timeframe;              /* "" when none is written */
	char *result, *note, *status; /* other columns kept as text, or NULL */
	struct doc_pos pos;
	int line; /* pos.line, or 0 when the source has no lines */
	char *raw;
	/* Internal to the meaning stage until keys are final. */
	char *base_key;
	int context; /* index of the table read it came from, -1 for lists */
};

enum import_fate {
	FATE_TASK,
	FATE_INDICATOR,
	FATE_DUTY,
	FATE_SECTION,
	FATE_HEADER,
	FATE_REPEATED_HEADER,
	FATE_COLUMN_NUMBERS,
	FATE_CONTINUATION, /* text of the row above, carried over a page break */
	FATE_TAIL,         /* the end of the row above, cut off by an empty cell */
	FATE_LABEL,        /* "Đơn vị chủ trì: …" of a list item */
	FATE_ITEM,         /* a numbered item holding tasks */
	FATE_TEXT,         /* running text, not a task */
	FATE_NOISE,        /* page furniture, site text, figures, recipients */
	FATE_UNREAD,       /* looked like a task but could not be read: see the problems */
	FATE_KINDS
};

struct import_fate_note {
	size_t block;
	struct doc_pos pos;
	enum import_fate fate;
	char *key; /* the task, section or item it made, or NULL */
	char *why;
};

enum import_table_kind { TABLE_OTHER, TABLE_TASKS, TABLE_INDICATORS };

/* One header read: a table block can hold several (a new header midway). */
struct import_table_read {
	size_t block;
	struct doc_pos pos;
	enum doc_form form;
	enum import_table_kind kind;
	struct columns cols; /* n == 0 for TABLE_OTHER */
	char *why;
	/* The heading before the table: its number ("1", "PL.II") or "Tn", and
	 * its text; keys that would collide across tables take the label. */
	char *label, *heading;
};

struct import_problem {
	struct doc_pos pos;
	char *what;
};

struct import_result {
	char *number; /* "906/QĐ-UBND", or NULL */
	char *issued; /* "2022-07-11", or NULL */
	char *title;
	char *issuer;              /* the issuing body ("BỘ NỘI VỤ"), as written, or NULL */
	int first_year, last_year; /* the plan's period, 0 when not stated */
	char *monitor;             /* the monitoring agency as written, or NULL */
	struct import_row *rows;   /* tasks, in document order */
	size_t n_rows, cap_rows;
	struct import_row *indicators; /* indicator rows: targets, not tasks */
	size_t n_indicators, cap_indicators;
	size_t per_layout[IMPORT_LAYOUTS];
	struct import_table_read *tables;
	size_t n_tables, cap_tables;
	struct import_fate_note *fates;
	size_t n_fates, cap_fates;
	struct import_problem *problems;
	size_t n_problems, cap_problems;
	void *keys; /* the keys given so far (a hash set), for unique keys */
};

void result_init(struct import_result *r);
void result_free(struct import_result *r);

/* A new task row (zeroed but for layout and pos), or an indicator row. */
struct import_row *result_add_row(struct import_result *r, enum import_layout layout,
                                  struct doc_pos pos);
struct import_row *result_add_indicator(struct import_result *r, struct doc_pos pos);
void result_fate(struct import_result *r, size_t block, struct doc_pos pos, enum import_fate fate,
                 const char *key, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
void result_problem(struct import_result *r, struct doc_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
struct import_table_read *result_add_table(struct import_result *r, size_t block,
                                           struct doc_pos pos, enum doc_form form,
                                           enum import_table_kind kind);

/* key, or key#2, key#3 … : the first not given yet in this result (new string). */
char *result_unique_key(struct import_result *r, const char *key);
bool result_key_taken(const struct import_result *r, const char *key);

/* In place: white space runs → one space; NULL stays NULL. */
void result_one_line(char **s);
/* *field grows by sep and more (more alone when *field is empty); a field
 * past 16 KiB grows no further, so continued cells never append quadratically. */
void result_append(char **field, const char *more, const char *sep);
/* At most max bytes of s for a note, never half a character. */
int result_cut(const char *s, int max);

const char *import_layout_name(enum import_layout l); /* "table", "prose", "duty" */
const char *import_fate_name(enum import_fate f);     /* "task", "section" … */

#endif
