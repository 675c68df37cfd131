/*
 * meaning — the second stage of import: a document model (doc.h) to what
 * it means (result.h). The tables (tables.h), the running text (lists.h)
 * and the plan's facts (plan_facts.h) are read in turn; then every task
 * gets its final key: a table's numbers restart in each table of some
 * documents, so when two tables would give the same key, each such table's
 * keys take its label ("1.", "PL.II", "T2"); a key still taken becomes
 * "key#2". Keys depend on the document alone: the same document gives the
 * same keys, so a re-import finds its tasks again. Pure.
 */
#ifndef DEADLINED_IMPORT_MEANING_H
#define DEADLINED_IMPORT_MEANING_H

#include "import/doc.h"
#include "import/result.h"

/* r must be result_init'ed; free it with result_free. */
void meaning_read(const struct doc *d, struct import_result *r);

#endif
