/*
 * table — see table.h.
 *
 * Cells are kept as one array, row after row; widths are measured once,
 * when the table is rendered.
 */
#include "table.h"

#include "text.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct table {
	size_t n_cols;
	char **cells; /* headings first, then the rows */
	size_t n_cells, cap;
	bool *right;
	size_t *max;
};

static void add(struct table *t, const char *text)
{
	size_t len = text ? strlen(text) : 0;
	char *clean = xmalloc(len + 1);

	text_sanitize_line(text ? text : "", clean, len + 1);
	if (t->n_cells == t->cap)
		t->cells =
		    xrealloc(t->cells, (t->cap = t->cap ? 2 * t->cap : 64) * sizeof(*t->cells));
	t->cells[t->n_cells++] = clean;
}

struct table *table_new(const char *const *headings, size_t n_cols)
{
	struct table *t = xcalloc(1, sizeof(*t));

	t->n_cols = n_cols;
	t->right = xcalloc(n_cols, sizeof(*t->right));
	t->max = xcalloc(n_cols, sizeof(*t->max));
	for (size_t i = 0; i < n_cols; i++)
		add(t, headings[i]);
	return t;
}

void table_free(struct table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n_cells; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t->right);
	free(t->max);
	free(t);
}

void table_align_right(struct table *t, size_t col)
{
	t->right[col] = true;
}

void table_max_width(struct table *t, size_t col, size_t max)
{
	t->max[col] = max;
}

void table_cell(struct table *t, const char *text)
{
	add(t, text);
}

void table_cellf(struct table *t, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	add(t, s);
	free(s);
}

size_t table_rows(const struct table *t)
{
	return t->n_cells / t->n_cols - 1;
}

/* Bytes in the UTF-8 sequence starting with c (1 for a stray byte). */
static size_t seq_len(unsigned char c)
{
	return c >= 0xF0 && c < 0xF8 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

size_t table_fit(const char *s, size_t max, bool *cut)
{
	size_t len = strlen(s), i = 0, width = 0;

	*cut = false;
	if (max == 0 || text_width(s, len) <= max)
		return len;
	*cut = true;
	while (i < len) {
		size_t n = seq_len((unsigned char)s[i]);
		if (i + n > len)
			n = len - i;
		size_t w = text_width(s + i, n);
		/* A combining accent stays with its letter; "…" takes the last column. */
		if (w > 0 && width + w > max - 1)
			break;
		width += w;
		i += n;
	}
	return i;
}

static size_t cell_width(const struct table *t, size_t col, const char *s)
{
	bool cut;
	size_t n = table_fit(s, t->max[col], &cut);

	return text_width(s, n) + cut;
}

static void pad(struct buf *out, size_t n)
{
	for (size_t i = 0; i < n; i++)
		buf_addc(out, ' ');
}

static void render_row(const struct table *t, char *const *row, const size_t *width,
                       const char *indent, struct buf *out)
{
	size_t start = out->len, pending = 0;

	buf_adds(out, indent);
	for (size_t c = 0; c < t->n_cols; c++) {
		bool cut;
		size_t n = table_fit(row[c], t->max[c], &cut);
		size_t w = text_width(row[c], n) + cut;
		pad(out, pending + (c ? 2 : 0) + (t->right[c] ? width[c] - w : 0));
		buf_add(out, row[c], n);
		if (cut)
			buf_adds(out, "…");
		pending = t->right[c] ? 0 : width[c] - w;
	}
	/* No trailing spaces (the last cell may be empty). */
	while (out->len > start && out->data[out->len - 1] == ' ')
		out->data[--out->len] = '\0';
	buf_addc(out, '\n');
}

void table_render(const struct table *t, const char *indent, struct buf *out)
{
	size_t *width = xcalloc(t->n_cols, sizeof(*width));
	size_t n_rows = t->n_cells / t->n_cols;

	for (size_t r = 0; r < n_rows; r++)
		for (size_t c = 0; c < t->n_cols; c++) {
			size_t w = cell_width(t, c, t->cells[r * t->n_cols + c]);
			if (w > width[c])
				width[c] = w;
		}
	render_row(t, t->cells, width, indent, out);
	buf_adds(out, indent);
	for (size_t c = 0; c < t->n_cols; c++) {
		pad(out, c ? 2 : 0);
		for (size_t i = 0; i < width[c]; i++)
			buf_addc(out, '-');
	}
	buf_addc(out, '\n');
	for (size_t r = 1; r < n_rows; r++)
		render_row(t, t->cells + r * t->n_cols, width, indent, out);
	free(width);
}
