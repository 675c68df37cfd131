/* read_grid — see import/read_grid.h. */
#include "import/read_grid.h"

#include "import/markup.h"
#include "text.h"
#include "util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_HEADER_LINES 2

static bool pipe_row(const struct line *l)
{
	size_t i = 0;

	while (i < l->len && isspace((unsigned char)l->s[i]))
		i++;
	return i < l->len && l->s[i] == '|' && memchr(l->s + i + 1, '|', l->len - i - 1);
}

bool read_grid_line(const struct line *l)
{
	return memchr(l->s, '\t', l->len) || pipe_row(l);
}

/* The cells of a grid line, as [start, end) byte ranges. */
static size_t cut_cells(const struct line *l, const char **start, size_t *len, size_t max)
{
	const char *s = l->s, *end = l->s + l->len;
	char sep = pipe_row(l) ? '|' : '\t';
	size_t n = 0;

	if (sep == '|') {
		while (s < end && isspace((unsigned char)*s))
			s++;
		s++; /* the leading '|' */
		while (end > s && isspace((unsigned char)end[-1]))
			end--;
		if (end > s && end[-1] == '|')
			end--;
	}
	while (n < max) {
		const char *c = memchr(s, sep, (size_t)(end - s));
		start[n] = s;
		len[n++] = (size_t)((c ? c : end) - s);
		if (!c)
			break;
		s = c + 1;
	}
	return n;
}

/* |---|:---:| */
static bool markdown_rule(const char *const *start, const size_t *len, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		bool dash = false;
		for (size_t k = 0; k < len[i]; k++) {
			if (!strchr("-: ", start[i][k]))
				return false;
			dash |= start[i][k] == '-';
		}
		if (!dash)
			return false;
	}
	return n > 0;
}

/*
 * A line a PDF repeats at the top of each page ("Kế hoạch số …"), after a
 * form feed: not the prose that ends a table. A heading (I., 1., a), a
 * bullet, "Nơi nhận") is never one: it starts what comes after the table.
 */
static bool page_header(const struct line *l)
{
	char *text = lines_trimmed(l), f[64];
	size_t marker_at, text_at;
	bool heading = lines_marker(text, &marker_at, &text_at) != 0;

	text_fold(text, strlen(text), f, NULL, sizeof(f));
	heading |= !strncmp(util_trim(f), "noi nhan", 8);
	free(text);
	return !heading;
}

/* Page-break lines from `from`: the index of the grid line after them, or `from`. */
static size_t skip_page_break(const struct lines *l, size_t from)
{
	int after_break = -1;

	for (size_t i = from; i < l->n; i++) {
		const struct line *line = &l->v[i];
		if (read_grid_line(line))
			return i;
		if (memchr(line->s, '\f', line->len))
			after_break = 0;
		if (lines_blank(line) || lines_page_number(line))
			continue;
		if (after_break >= 0 && after_break < PAGE_HEADER_LINES && page_header(line)) {
			after_break++;
			continue;
		}
		return from;
	}
	return from;
}

static void add_row(struct doc_table *t, const struct line *l)
{
	const char *start[DOC_MAX_COLS];
	size_t len[DOC_MAX_COLS];
	size_t n = cut_cells(l, start, len, DOC_MAX_COLS);
	struct doc_pos pos = {.line = l->no, .end_line = l->no};

	if (markdown_rule(start, len, n)) {
		if (t->n_rows)
			t->rows[t->n_rows - 1].header = true;
		return;
	}
	struct doc_row *r = doc_table_add_row(t, pos);
	for (size_t i = 0; i < n; i++) {
		unsigned emph;
		char *text = markup_strip(start[i], len[i], &emph);
		doc_row_add_cell(r, text, strlen(text), r->pos)->emph = emph;
		free(text);
	}
}

/*
 * After blank lines, a Markdown header of another width over its rule
 * begins another table ("| Chữ viết tắt | Nghĩa |" under a task table),
 * not rows of this one.
 */
static bool other_table_at(const struct lines *l, size_t i, const struct doc_table *t)
{
	const char *start[DOC_MAX_COLS];
	size_t len[DOC_MAX_COLS];

	if (i + 1 >= l->n || !t->n_rows || !pipe_row(&l->v[i]) || !pipe_row(&l->v[i + 1]))
		return false;
	size_t n = cut_cells(&l->v[i + 1], start, len, DOC_MAX_COLS);
	if (!markdown_rule(start, len, n))
		return false;
	return cut_cells(&l->v[i], start, len, DOC_MAX_COLS) != t->rows[0].n_cells;
}

size_t read_grid(const struct lines *l, size_t from, struct doc *out)
{
	const struct line *first = &l->v[from];
	enum doc_form form = pipe_row(first) ? DOC_FORM_PIPE : DOC_FORM_TSV;
	struct doc_table *t = doc_add_table(out, form, (struct doc_pos){.line = first->no});
	size_t i = from;

	while (i < l->n) {
		if (read_grid_line(&l->v[i])) {
			add_row(t, &l->v[i]);
			t->pos.end_line = l->v[i].no;
			i++;
			continue;
		}
		size_t next = skip_page_break(l, i);
		if (next == i || other_table_at(l, next, t))
			break;
		i = next;
	}
	return i;
}
