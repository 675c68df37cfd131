/* doc — see import/doc.h. */
#include "import/doc.h"

#include "buf.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void doc_init(struct doc *d)
{
	memset(d, 0, sizeof(*d));
}

static void table_free(struct doc_table *t)
{
	for (size_t r = 0; r < t->n_rows; r++) {
		for (size_t c = 0; c < t->rows[r].n_cells; c++)
			free(t->rows[r].cells[c].text);
		free(t->rows[r].cells);
	}
	free(t->rows);
	free(t);
}

void doc_free(struct doc *d)
{
	for (size_t i = 0; i < d->n_blocks; i++) {
		struct doc_block *b = &d->blocks[i];
		if (b->table)
			table_free(b->table);
		if (b->para) {
			free(b->para->text);
			free(b->para->number);
			free(b->para);
		}
	}
	for (size_t i = 0; i < d->n_problems; i++)
		free(d->problems[i].what);
	free(d->blocks);
	free(d->problems);
	doc_init(d);
}

/* Grows an array of elements of size `size` to hold one more; doubling keeps appends linear. */
static void *grow(void *v, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return v;
	*cap = *cap ? *cap * 2 : 8;
	return xrealloc(v, *cap * size);
}

static struct doc_block *add_block(struct doc *d, enum doc_kind kind)
{
	d->blocks = grow(d->blocks, &d->cap_blocks, d->n_blocks, sizeof(*d->blocks));
	struct doc_block *b = &d->blocks[d->n_blocks++];
	memset(b, 0, sizeof(*b));
	b->kind = kind;
	return b;
}

/* The UTF-8 no-break space (U+00A0) and narrow one (U+202F) count as white space. */
static size_t space_at(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	if (*u == ' ' || *u == '\t' || *u == '\n' || *u == '\r' || *u == '\f' || *u == '\v')
		return 1;
	if (u[0] == 0xC2 && u[1] == 0xA0)
		return 2;
	if (u[0] == 0xE2 && u[1] == 0x80 && u[2] == 0xAF)
		return 3;
	return 0;
}

char *doc_tidy(char *s, bool keep_newlines)
{
	char *out = s;
	const char *p = s;

	while (*p) {
		size_t n = space_at(p);
		if (!n) {
			*out++ = *p++;
			continue;
		}
		bool newline = false;
		for (; (n = space_at(p)) != 0; p += n)
			newline |= *p == '\n';
		if (out != s && *p)
			*out++ = keep_newlines && newline ? '\n' : ' ';
	}
	*out = '\0';
	return s;
}

static char *tidy_copy(const char *text, size_t len)
{
	return doc_tidy(xstrndup(text ? text : "", text ? len : 0), true);
}

struct doc_table *doc_add_table(struct doc *d, enum doc_form form, struct doc_pos pos)
{
	struct doc_block *b = add_block(d, DOC_TABLE);

	b->table = xcalloc(1, sizeof(*b->table));
	b->table->form = form;
	b->table->pos = pos;
	b->table->pos.table = ++d->n_tables;
	return b->table;
}

struct doc_row *doc_table_add_row(struct doc_table *t, struct doc_pos pos)
{
	/* The capacity is 8, then the next power of two: it grows when n_rows reaches one. */
	size_t n = t->n_rows;
	if (n == 0 || (n >= 8 && !(n & (n - 1))))
		t->rows = xrealloc(t->rows, (n ? n * 2 : 8) * sizeof(*t->rows));
	struct doc_row *r = &t->rows[t->n_rows++];
	memset(r, 0, sizeof(*r));
	r->pos = pos;
	r->pos.table = t->pos.table;
	r->pos.row = (int)t->n_rows;
	return r;
}

static void regrid(struct doc_row *r, size_t from)
{
	int col = from ? r->cells[from - 1].grid_col + r->cells[from - 1].col_span : 0;

	for (size_t i = from; i < r->n_cells; i++) {
		r->cells[i].grid_col = col;
		r->cells[i].pos.col = col + 1;
		col += r->cells[i].col_span;
	}
}

void doc_cell_append(struct doc_cell *c, const char *text, size_t len, char sep)
{
	char *more = tidy_copy(text, len);

	if (!*more) {
		free(more);
		return;
	}
	if (!*c->text) {
		free(c->text);
		c->text = more;
		return;
	}
	struct buf b = BUF_INIT;
	buf_adds(&b, c->text);
	buf_addc(&b, sep == '\n' ? '\n' : ' ');
	buf_adds(&b, more);
	free(more);
	free(c->text);
	c->text = buf_steal(&b);
}

struct doc_cell *doc_row_add_cell(struct doc_row *r, const char *text, size_t len,
                                  struct doc_pos pos)
{
	if (r->n_cells == DOC_MAX_COLS) {
		struct doc_cell *last = &r->cells[r->n_cells - 1];
		doc_cell_append(last, text, len, ' ');
		return last;
	}
	if (!r->n_cells || !(r->n_cells & (r->n_cells - 1)))
		r->cells =
		    xrealloc(r->cells, (r->n_cells ? r->n_cells * 2 : 1) * sizeof(*r->cells));
	struct doc_cell *c = &r->cells[r->n_cells++];
	memset(c, 0, sizeof(*c));
	c->text = tidy_copy(text, len);
	c->col_span = c->row_span = 1;
	c->pos = pos;
	c->pos.table = r->pos.table;
	c->pos.row = r->pos.row;
	regrid(r, r->n_cells - 1);
	return c;
}

void doc_cell_set_span(struct doc_row *r, size_t cell, int col_span)
{
	if (cell >= r->n_cells)
		return;
	r->cells[cell].col_span = col_span < 1              ? 1
	                          : col_span > DOC_MAX_COLS ? DOC_MAX_COLS
	                                                    : col_span;
	regrid(r, cell);
}

struct doc_para *doc_add_para(struct doc *d, enum doc_form form, const char *number,
                              const char *text, size_t len, struct doc_pos pos)
{
	struct doc_block *b = add_block(d, DOC_PARAGRAPH);
	struct doc_para *p = xcalloc(1, sizeof(*p));

	p->text = tidy_copy(text, len);
	p->number = doc_tidy(xstrdup(number ? number : ""), false);
	p->form = form;
	p->pos = pos;
	b->para = p;
	return p;
}

void doc_para_append(struct doc_para *p, const char *text, size_t len, char sep)
{
	/* A paragraph's text behaves as a cell's. */
	struct doc_cell c = {.text = p->text};

	doc_cell_append(&c, text, len, sep);
	p->text = c.text;
}

void doc_problem(struct doc *d, struct doc_pos pos, const char *fmt, ...)
{
	va_list ap;
	struct buf b = BUF_INIT;
	char msg[512];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	buf_adds(&b, msg);
	d->problems = grow(d->problems, &d->cap_problems, d->n_problems, sizeof(*d->problems));
	d->problems[d->n_problems++] = (struct doc_problem){pos, buf_steal(&b)};
}

const struct doc_cell *doc_cell_at(const struct doc_row *r, int col)
{
	for (size_t i = 0; i < r->n_cells; i++)
		if (col >= r->cells[i].grid_col &&
		    col < r->cells[i].grid_col + r->cells[i].col_span)
			return &r->cells[i];
	return NULL;
}

const struct doc_cell *doc_merged_cell(const struct doc_table *t, size_t row, int col)
{
	if (row >= t->n_rows)
		return NULL;
	const struct doc_cell *here = doc_cell_at(&t->rows[row], col);
	if (here && here->merge != DOC_MERGE_CONT)
		return here;
	/* Up to the START of the merge, or a cell whose row_span reaches this row. */
	for (size_t up = row; up-- > 0;) {
		const struct doc_cell *c = doc_cell_at(&t->rows[up], col);
		if (!c)
			continue;
		if (c->merge == DOC_MERGE_CONT)
			continue;
		if (c->merge == DOC_MERGE_START || (size_t)c->row_span > row - up)
			return c;
		break;
	}
	return here;
}

const char *doc_pos_format(const struct doc_pos *p, char *buf, size_t cap)
{
	struct buf b = BUF_INIT;

	if (p->page)
		buf_printf(&b, "page %d", p->page);
	if (p->line)
		buf_printf(&b, "%s%s %d", b.len ? ", " : "",
		           p->end_line > p->line ? "lines" : "line", p->line);
	if (p->line && p->end_line > p->line)
		buf_printf(&b, "-%d", p->end_line);
	if (!p->line && p->table)
		buf_printf(&b, "%stable %d", b.len ? ", " : "", p->table);
	if (!p->line && p->row)
		buf_printf(&b, ", row %d", p->row);
	if (!p->line && p->col)
		buf_printf(&b, ", column %d", p->col);
	if (!p->line && !p->table && p->para)
		buf_printf(&b, "%sparagraph %d", b.len ? ", " : "", p->para);
	if (!b.len)
		buf_adds(&b, "(unknown place)");
	util_strlcpy(buf, buf_str(&b), cap);
	buf_free(&b);
	return buf;
}

const char *doc_form_name(enum doc_form f)
{
	static const char *const names[DOC_FORMS] = {
	    [DOC_FORM_TSV] = "tab-separated", [DOC_FORM_PIPE] = "pipe", [DOC_FORM_CSV] = "csv",
	    [DOC_FORM_FLAT] = "flattened",    [DOC_FORM_TEXT] = "text", [DOC_FORM_WORD] = "word",
	    [DOC_FORM_PDF] = "pdf",
	};

	return (unsigned)f < DOC_FORMS ? names[f] : "?";
}
