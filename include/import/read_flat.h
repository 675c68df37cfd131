/*
 * read_flat — tables flattened to one cell per line, as text copied out of
 * a web page or a PDF viewer comes: a line holding only "|" between two
 * cells, two or more such lines between two rows, a cell's text wrapped
 * over several lines. Empty cells leave no line, so a row may come short
 * (merged cells of the source, or an empty cell that ended the row early):
 * the meaning stage judges that, this reader keeps what is written.
 *
 * Web pages put the whole document into layout tables, so not every cell
 * is a table's: a "cell" of more than FLAT_BODY_LINES lines is running text
 * (read as paragraphs, ending the table), and so is a bold line that
 * follows a cell's plain text without a "|" ("30/09/2025" /
 * "**2. Các nhiệm vụ …**": the heading after a table whose last row was
 * never closed). A blank line after a "|" ends the region. Pure.
 */
#ifndef DEADLINED_IMPORT_READ_FLAT_H
#define DEADLINED_IMPORT_READ_FLAT_H

#include "import/doc.h"
#include "import/lines.h"

#include <stdbool.h>

#define FLAT_BODY_LINES 40

/* A line holding only "|". */
bool read_flat_line(const struct line *l);

/* Reads the region starting at line `from` (a "|" line); returns the index
 * of the first line after it. */
size_t read_flat(const struct lines *l, size_t from, struct doc *out);

#endif
