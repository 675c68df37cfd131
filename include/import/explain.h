/*
 * explain — `deadlinectl import --explain FILE`: how a document was read,
 * for an admin who wants to know why a row was missed. Each table: where
 * it is, what it was taken for, its columns and the role given to each;
 * each row: what became of it (task, section, header again, continuation,
 * indicator, text …) and why. Runs of paragraphs that are only text are
 * summed up in one line; paragraphs that made items, labels or tasks are
 * listed. Then what was found, and every note on reading. Pure.
 */
#ifndef DEADLINED_IMPORT_EXPLAIN_H
#define DEADLINED_IMPORT_EXPLAIN_H

#include "buf.h"
#include "import/doc.h"
#include "import/result.h"

void explain_write(const char *path, const struct doc *d, const struct import_result *r,
                   struct buf *out);

#endif
