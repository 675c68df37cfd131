/*
 * table — aligned text columns for people. Widths are terminal columns
 * (text_width), not bytes, so Vietnamese names line up whether their
 * accents are precomposed or combining. Cells are copied; control
 * characters in them become spaces, so a document's text cannot move the
 * cursor. Pure: renders into a buf.
 */
#ifndef DEADLINED_TABLE_H
#define DEADLINED_TABLE_H

#include "buf.h"

#include <stdbool.h>
#include <stddef.h>

struct table;

/* A table with these column headings (n_cols of them). */
struct table *table_new(const char *const *headings, size_t n_cols);
void table_free(struct table *t);

/* Numbers read better right-aligned. */
void table_align_right(struct table *t, size_t col);
/* Cells wider than max columns are cut, ending in "…" (0: no limit). */
void table_max_width(struct table *t, size_t col, size_t max);

/* Appends the next cell, left to right; a row is complete after n_cols cells. NULL is "". */
void table_cell(struct table *t, const char *text);
void table_cellf(struct table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
size_t table_rows(const struct table *t);

/*
 * Appends the headings, a rule and the rows, each line starting with
 * `indent` and without trailing spaces; columns are two spaces apart.
 */
void table_render(const struct table *t, const char *indent, struct buf *out);

/* The first bytes of s that fit in max columns ("…" counts one); the byte count. */
size_t table_fit(const char *s, size_t max, bool *cut);

#endif
