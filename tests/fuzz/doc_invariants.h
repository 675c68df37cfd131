/*
 * doc_invariants.h — what every reading must satisfy, whatever the input,
 * for the reader fuzz targets: a refusal says why, strings are never NULL
 * and are UTF-8, spans and grid columns add up, positions format. A broken
 * invariant aborts (a finding).
 */
#ifndef DEADLINED_FUZZ_DOC_INVARIANTS_H
#define DEADLINED_FUZZ_DOC_INVARIANTS_H

#include "import/doc.h"
#include "text.h"

#include <stdlib.h>
#include <string.h>

static inline void check_text(const char *s)
{
	if (!s || !text_utf8_valid(s, strlen(s)))
		abort();
}

static inline void check_pos(const struct doc_pos *p)
{
	char where[128];

	if (!*doc_pos_format(p, where, sizeof(where)))
		abort();
}

static inline void check_doc(const struct doc *d, int rc)
{
	if (rc != 0 && (rc != -1 || d->n_problems == 0))
		abort();
	for (size_t i = 0; i < d->n_problems; i++)
		check_text(d->problems[i].what);
	for (size_t i = 0; i < d->n_blocks; i++) {
		const struct doc_block *b = &d->blocks[i];
		if (b->kind == DOC_PARAGRAPH) {
			check_text(b->para->text);
			check_text(b->para->number);
			check_pos(&b->para->pos);
			continue;
		}
		for (size_t r = 0; r < b->table->n_rows; r++) {
			const struct doc_row *row = &b->table->rows[r];
			int col = 0;
			if (row->n_cells > DOC_MAX_COLS)
				abort();
			for (size_t c = 0; c < row->n_cells; c++) {
				const struct doc_cell *cell = &row->cells[c];
				check_text(cell->text);
				check_pos(&cell->pos);
				if (cell->col_span < 1 || cell->grid_col != col ||
				    (unsigned)cell->merge > DOC_MERGE_CONT)
					abort();
				col += cell->col_span;
				(void)doc_merged_cell(b->table, r, cell->grid_col);
			}
		}
	}
}

#endif
