/*
 * read_grid — tables written one row per line: tab-separated (as copied
 * from Word or a PDF) and Markdown pipe tables. A "|---|" rule marks the
 * row above it a header. A page break inside a table (a form feed, the
 * page's number, up to two lines of running page header after the form
 * feed, blank lines) does not end it; any other line does, and so does a
 * Markdown header of another width over its rule after blank lines (the
 * next table). Pure.
 */
#ifndef DEADLINED_IMPORT_READ_GRID_H
#define DEADLINED_IMPORT_READ_GRID_H

#include "import/doc.h"
#include "import/lines.h"

#include <stdbool.h>

/* A tab-separated line (two cells or more) or a Markdown table row. */
bool read_grid_line(const struct line *l);

/* Reads the table starting at line `from` (a grid line) into one table
 * block; returns the index of the first line that is not the table's. */
size_t read_grid(const struct lines *l, size_t from, struct doc *out);

#endif
