/* read_flat — see import/read_flat.h. */
#include "import/read_flat.h"

#include "import/read_grid.h"
#include "import/read_para.h"
#include "util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

bool read_flat_line(const struct line *l)
{
	size_t bars = 0;

	for (size_t i = 0; i < l->len; i++) {
		if (l->s[i] == '|')
			bars++;
		else if (!isspace((unsigned char)l->s[i]))
			return false;
	}
	return bars == 1;
}

struct flat {
	const struct lines *l;
	struct doc *doc;
	struct doc_table *table; /* NULL: the next cell starts a new table */
	struct doc_row *row;     /* NULL: the next cell starts a new row */
};

static bool starts_with_bold(const struct line *l)
{
	size_t i = 0;

	while (i < l->len && isspace((unsigned char)l->s[i]))
		i++;
	return i + 1 < l->len &&
	       ((l->s[i] == '*' && l->s[i + 1] == '*') || (l->s[i] == '_' && l->s[i + 1] == '_'));
}

static bool has_emphasis(const struct line *l)
{
	return memchr(l->s, '*', l->len) || memchr(l->s, '_', l->len);
}

/* Where a heading starts inside cell lines [a, b): a bold line after plain ones, or b. */
static size_t heading_inside(const struct lines *l, size_t a, size_t b)
{
	for (size_t j = a + 1; j < b; j++) {
		if (has_emphasis(&l->v[j - 1]))
			return b;
		if (starts_with_bold(&l->v[j]))
			return j;
	}
	return b;
}

static void add_cell(struct flat *f, size_t a, size_t b)
{
	const struct line *v = &f->l->v[a];
	struct doc_pos pos = {.line = v->no, .end_line = f->l->v[b - 1].no};
	unsigned emph;

	if (!f->table)
		f->table = doc_add_table(f->doc, DOC_FORM_FLAT, pos);
	if (!f->row)
		f->row = doc_table_add_row(f->table, pos);
	char *text = read_para_cell(v, b - a, &emph);
	doc_row_add_cell(f->row, text, strlen(text), pos)->emph = emph;
	free(text);
	f->row->pos.end_line = pos.end_line;
	f->table->pos.end_line = pos.end_line;
}

/* Lines [a, b) between two "|" lines: a cell, or running text. */
static void segment(struct flat *f, size_t a, size_t b)
{
	if (a >= b)
		return;
	if (b - a > FLAT_BODY_LINES) {
		read_paras(f->l, a, b, DOC_FORM_FLAT, f->doc);
		f->table = NULL;
		f->row = NULL;
		return;
	}
	size_t h = heading_inside(f->l, a, b);
	add_cell(f, a, h);
	if (h < b) {
		read_paras(f->l, h, b, DOC_FORM_FLAT, f->doc);
		f->table = NULL;
		f->row = NULL;
	}
}

size_t read_flat(const struct lines *l, size_t from, struct doc *out)
{
	struct flat f = {l, out, NULL, NULL};
	size_t i = from, seg = from;

	while (i < l->n) {
		const struct line *line = &l->v[i];
		if (read_flat_line(line)) {
			segment(&f, seg, i);
			size_t k = 0;
			while (i + k < l->n && read_flat_line(&l->v[i + k]))
				k++;
			if (k >= 2)
				f.row = NULL;
			i += k;
			seg = i;
			continue;
		}
		/* A Markdown table after it is a table of its own. */
		if (read_grid_line(line) && !memchr(line->s, '\t', line->len)) {
			segment(&f, seg, i);
			return i;
		}
		if (lines_blank(line)) {
			size_t j = i;
			while (j < l->n && lines_blank(&l->v[j]))
				j++;
			/* Blank lines between two "|" lines stay inside the region. */
			if (seg == i && j < l->n && read_flat_line(&l->v[j])) {
				/* A page break between two rows: the row has ended. */
				f.row = NULL;
				i = j;
				seg = j;
				continue;
			}
			segment(&f, seg, i);
			return i;
		}
		i++;
	}
	segment(&f, seg, i);
	return i;
}
