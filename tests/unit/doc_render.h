/*
 * doc_render.h — a document model (import/doc.h) as compact text, so the
 * reader suites compare a whole reading with one expected string:
 *
 *   p '1.' l1 h2 B: text        a paragraph: its number, level, heading,
 *                               emphasis (B bold, I italic) when set
 *   t1 p3                       table 1 (on page 3 when known)
 *   r: a | b<2> | c^ | v        a row ("rh:" a header row); <2> a column
 *                               span, ^ a merge start, v a continued merge
 *
 * A line break inside a text is written "/". With positions, each block,
 * row and cell is followed by "@" and doc_pos_format's words. Include it
 * after check.h (check_refusal uses cmocka).
 */
#ifndef DEADLINED_TEST_DOC_RENDER_H
#define DEADLINED_TEST_DOC_RENDER_H

#include "buf.h"
#include "import/doc.h"

#include <stdbool.h>
#include <string.h>

static inline void render_text(struct buf *b, const char *s)
{
	for (; *s; s++)
		buf_addc(b, *s == '\n' ? '/' : *s);
}

static inline void render_emph(struct buf *b, unsigned emph)
{
	if (emph & DOC_BOLD)
		buf_adds(b, " B");
	if (emph & DOC_ITALIC)
		buf_adds(b, " I");
}

static inline void render_pos(struct buf *b, const struct doc_pos *p, bool positions)
{
	char where[128];

	if (positions)
		buf_printf(b, " @%s", doc_pos_format(p, where, sizeof(where)));
}

static inline void render_table(struct buf *b, const struct doc_table *t, bool positions)
{
	buf_printf(b, "t%d", t->pos.table);
	if (t->pos.page)
		buf_printf(b, " p%d", t->pos.page);
	render_pos(b, &t->pos, positions);
	buf_addc(b, '\n');
	for (size_t r = 0; r < t->n_rows; r++) {
		const struct doc_row *row = &t->rows[r];
		buf_adds(b, row->header ? "rh:" : "r:");
		for (size_t c = 0; c < row->n_cells; c++) {
			const struct doc_cell *cell = &row->cells[c];
			buf_adds(b, c ? " | " : " ");
			render_text(b, cell->text);
			if (cell->col_span > 1)
				buf_printf(b, "<%d>", cell->col_span);
			if (cell->row_span > 1)
				buf_printf(b, "<r%d>", cell->row_span);
			buf_adds(b, cell->merge == DOC_MERGE_START  ? "^"
			            : cell->merge == DOC_MERGE_CONT ? "v"
			                                            : "");
			render_emph(b, cell->emph);
			render_pos(b, &cell->pos, positions && c > 0);
		}
		render_pos(b, &row->pos, positions);
		buf_addc(b, '\n');
	}
}

/* The whole document; free() the result. */
static inline char *doc_render(const struct doc *d, bool positions)
{
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < d->n_blocks; i++) {
		const struct doc_block *k = &d->blocks[i];
		if (k->kind == DOC_TABLE) {
			render_table(&b, k->table, positions);
			continue;
		}
		const struct doc_para *p = k->para;
		buf_adds(&b, "p");
		if (*p->number)
			buf_printf(&b, " '%s'", p->number);
		if (p->level)
			buf_printf(&b, " l%d", p->level);
		if (p->heading)
			buf_printf(&b, " h%d", p->heading);
		render_emph(&b, p->emph);
		buf_adds(&b, ": ");
		render_text(&b, p->text);
		render_pos(&b, &p->pos, positions);
		buf_addc(&b, '\n');
	}
	return buf_steal(&b);
}

/* A reader's refusal: one problem, beginning with prefix. */
static inline void check_refusal(const char *what, const struct doc *d, const char *prefix)
{
	check_int(what, d->n_problems, 1);
	if (strncmp(d->problems[0].what, prefix, strlen(prefix)) != 0)
		fail_msg("%s: got \"%s\", want \"%s…\"", what, d->problems[0].what, prefix);
}

#endif
