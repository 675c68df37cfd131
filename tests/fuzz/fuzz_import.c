/*
 * libFuzzer target for the import's structure and meaning stages (make
 * fuzz): any bytes through the readers (text, CSV, grid, flattened,
 * paragraphs), the meaning stage and the explanation. Besides memory
 * errors (ASan) and undefined behaviour (UBSan), it checks the contract:
 *  - a file the readers refuse says why, with at least one problem;
 *  - the document model holds together: cells, rows and tables numbered
 *    in order, grid columns increasing, no NULL text;
 *  - every task has a key, unique in the document, and a non-NULL title
 *    and timeframe; every table read names its block;
 *  - everything that comes out is valid UTF-8 when what went in was.
 * Every input that ever failed is kept in tests/fuzz/regressions/import/.
 */
#include "buf.h"
#include "import/doc.h"
#include "import/explain.h"
#include "import/meaning.h"
#include "import/reader.h"
#include "text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_text(const char *s, bool utf8)
{
	if (!s || (utf8 && !text_utf8_valid(s, strlen(s))))
		abort();
}

static void check_doc(const struct doc *d, bool utf8)
{
	int tables = 0;

	for (size_t b = 0; b < d->n_blocks; b++) {
		const struct doc_block *blk = &d->blocks[b];
		if (blk->kind == DOC_PARAGRAPH) {
			if (!blk->para || blk->table)
				abort();
			check_text(blk->para->text, utf8);
			check_text(blk->para->number, utf8);
			continue;
		}
		if (!blk->table || blk->para || blk->table->pos.table != ++tables)
			abort();
		for (size_t r = 0; r < blk->table->n_rows; r++) {
			const struct doc_row *row = &blk->table->rows[r];
			int col = -1;
			if (row->pos.row != (int)r + 1 || row->n_cells > DOC_MAX_COLS)
				abort();
			for (size_t c = 0; c < row->n_cells; c++) {
				if (row->cells[c].grid_col <= col || row->cells[c].col_span < 1)
					abort();
				col = row->cells[c].grid_col;
				check_text(row->cells[c].text, utf8);
			}
		}
	}
}

static void check_result(const struct doc *d, const struct import_result *r, bool utf8)
{
	for (size_t i = 0; i < r->n_rows; i++) {
		const struct import_row *row = &r->rows[i];
		check_text(row->key, utf8);
		check_text(row->title, utf8);
		check_text(row->timeframe, utf8);
		if (!*row->key)
			abort();
		for (size_t k = 0; k < i; k++)
			if (!strcmp(r->rows[k].key, row->key))
				abort();
	}
	for (size_t i = 0; i < r->n_tables; i++)
		if (r->tables[i].block >= d->n_blocks)
			abort();
	for (size_t i = 0; i < r->n_fates; i++)
		if (r->fates[i].block >= d->n_blocks)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct doc d;
	struct import_result r;
	struct buf out = BUF_INIT;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	bool utf8 = text_utf8_valid(text, size) && !memchr(text, '\0', size);
	doc_init(&d);
	result_init(&r);
	if (reader_read(text, size, &d) < 0) {
		if (!d.n_problems)
			abort();
	} else {
		check_doc(&d, utf8);
		meaning_read(&d, &r);
		check_result(&d, &r, utf8);
		explain_write("fuzz", &d, &r, &out);
		check_text(buf_str(&out), utf8);
	}
	buf_free(&out);
	result_free(&r);
	doc_free(&d);
	free(text);
	return 0;
}
