/*
 * read_csv — a CSV file (RFC 4180 quoting, fields may span lines), as a
 * spreadsheet saves it: ',' or, as a Vietnamese Excel does, ';'. The whole
 * file is one table; a line break inside a quoted cell is a "\n" in it. Pure.
 */
#ifndef DEADLINED_IMPORT_READ_CSV_H
#define DEADLINED_IMPORT_READ_CSV_H

#include "import/doc.h"

#include <stdbool.h>
#include <stddef.h>

/* Whether text reads as CSV: its first record has two fields or more and
 * most of the next records have as many. */
bool read_csv_detect(const char *text, size_t len);

/* A reader (see doc.h). text must be NUL-terminated at len. */
int read_csv(const char *text, size_t len, struct doc *out);

#endif
