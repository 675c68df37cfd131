/*
 * read_text — a plan saved as text (UTF-8) into the document model.
 *
 * A CSV file is one table (read_csv). Any other text is read region by
 * region, so one document may mix forms: lines with tabs or Markdown pipes
 * (read_grid), runs of "|" lines with one cell per line (read_flat), and
 * running text in paragraphs (read_para) between them. Pure.
 */
#ifndef DEADLINED_IMPORT_READ_TEXT_H
#define DEADLINED_IMPORT_READ_TEXT_H

#include "import/doc.h"

#include <stddef.h>

/*
 * 0 when data is text the readers can take: no NUL byte, valid UTF-8.
 * Otherwise the 1-based line of the first bad byte, with *why saying what
 * it is ("a NUL byte", "invalid UTF-8") and *column its 1-based byte.
 */
int read_text_check(const char *data, size_t len, const char **why, int *column);

/* A reader (see doc.h); data[len] must be NUL. A bad byte is refused: -1, nothing read. */
int read_text(const char *data, size_t len, struct doc *out);

#endif
