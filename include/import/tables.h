/*
 * tables — the meaning of a document's tables: which row is the header and
 * what each column is for (columns), which rows are tasks, sections,
 * repeated headers, column numbers, the continuation or the cut-off end of
 * the row above, and which tables list indicators rather than tasks.
 *
 * Rows come as the readers wrote them; a flattened table loses the cells
 * its source merged over several rows, and an official reads the missing
 * lead, timeframe or result as the one of the row above: so does this, for
 * flattened tables (a Word reader says so itself with DOC_MERGE_CONT). A
 * row with fewer cells than the header is aligned to the columns by what
 * its cells look like (a number, an agency, a deadline, a long text).
 * Section rows (A, I, V.1, III.1.1, a bold group title) make the task's
 * section path, which is part of its key. Pure.
 */
#ifndef DEADLINED_IMPORT_TABLES_H
#define DEADLINED_IMPORT_TABLES_H

#include "import/doc.h"
#include "import/result.h"

/* Reads every table block of d into r: tasks, indicators, notes, problems. */
void tables_read(const struct doc *d, struct import_result *r);

#endif
