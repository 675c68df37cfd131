/*
 * legend — a plan's own list of abbreviations, applied to the agency cells
 * it explains. Plans that write "Sở TC", "BQL KKT" or "UBND các huyện, TX,
 * TP" in their tables often say what they mean under a heading of "chữ
 * viết tắt" ("Ghi chú: Chữ viết tắt trong Phụ lục:" then "- Sở TC: Sở Tài
 * chính", one per line or several joined by ';'), or in a table whose
 * header says "viết tắt". What a plan defines holds in that plan only:
 * the directory is not changed. Pure.
 */
#ifndef DEADLINED_IMPORT_LEGEND_H
#define DEADLINED_IMPORT_LEGEND_H

#include "import/doc.h"

#include <stddef.h>

struct legend_entry {
	char *abbr, *full;
};

struct legend {
	struct legend_entry *v; /* longest abbreviation first */
	size_t n;
};

/* The abbreviations d defines (none: n == 0). Free with legend_free. */
void legend_read(const struct doc *d, struct legend *out);
void legend_free(struct legend *l);

/*
 * cell with each abbreviation that stands as a whole name — between the
 * cell's ends, ',', ';', a line break or parentheses — written in full
 * (a new string); NULL stays NULL.
 */
char *legend_apply(const struct legend *l, const char *cell);

#endif
