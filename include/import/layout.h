/*
 * layout — words placed on pages into the document model: the structure a
 * reader sees in a page, recovered from positions alone (PDF text layers).
 * Pure: no PDF library here (read_pdf extracts the words), so every rule
 * is tested on words written by hand.
 *
 *  - Lines: words sharing a baseline, left to right.
 *  - Page furniture: a line in the top or bottom band of its page that
 *    repeats on other pages (digits aside: "Trang 3", a running title), or
 *    that is only a page number, is dropped.
 *  - Tables: a run of lines whose words leave the same vertical gaps (the
 *    gutters between columns) is a table; a column boundary is such a gap,
 *    kept while the lines below respect it. A line crossing boundaries the
 *    table has already confirmed is a spanning row (a section title); a
 *    table going on after a page break, or after such a row, with the
 *    same boundaries is the same table. Rows start where a column that
 *    was empty on the line above gets text (cells are read top-aligned),
 *    where the first column holds a new number, or at a gap larger than
 *    the lines of one cell leave; a cell's lines are joined. A row span
 *    shows only as text running on over the rows below at a paragraph's
 *    line spacing: that text stays its cell's, and the cells it covers
 *    are DOC_MERGE_CONT. Other spans leave no trace: a row with nothing
 *    after some column ends there (a short row, as flattened text has),
 *    for the meaning stage to judge. Lines at a page's top repeating the
 *    first row are a repeated header (both marked header rows); the lines
 *    under it that start in lower case with no number go back to the row
 *    the page break cut.
 *  - Paragraphs: the other lines, split at a wider gap, an indented or
 *    differently emphasised line, a list marker ("1.", "a)", "II.", "-")
 *    or after a line ending short of the text's right edge.
 *  - A token broken at its own hyphen at a line's end is joined whole
 *    ("2026-" + "2030", "57-" + "NQ/TW"); a soft hyphen joins its word.
 */
#ifndef DEADLINED_IMPORT_LAYOUT_H
#define DEADLINED_IMPORT_LAYOUT_H

#include "import/doc.h"

#include <stddef.h>

/* A word: UTF-8 text (not NUL-terminated) and its box in points, y down. */
struct layout_word {
	const char *text;
	size_t len;
	double x0, y0, x1, y1;
	int page;      /* 1-based */
	unsigned emph; /* DOC_BOLD, DOC_ITALIC from its font */
};

struct layout_page {
	double width, height;
};

/*
 * Adds the blocks read from n words on n_pages pages (pages[i] is page
 * i + 1) to out, in reading order, with form DOC_FORM_PDF and page
 * positions. Words may come in any order.
 */
void layout_read(const struct layout_word *words, size_t n, const struct layout_page *pages,
                 int n_pages, struct doc *out);

#endif
