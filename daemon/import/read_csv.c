/* read_csv — see import/read_csv.h. */
#include "import/read_csv.h"

#include "buf.h"
#include "import/markup.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define DETECT_RECORDS 20

struct record {
	struct buf cells[DOC_MAX_COLS];
	size_t n;
	int first_line, last_line;
};

/*
 * One record from text[*pos]: fields may be quoted ("" is a quote) and
 * span lines. Returns false at the end of the text. *line counts lines.
 */
static bool next_record(const char *text, size_t len, size_t *pos, char delim, int *line,
                        struct record *r)
{
	size_t p = *pos;
	bool quoted = false;

	for (size_t i = 0; i < r->n; i++)
		buf_reset(&r->cells[i]);
	r->n = 0;
	if (p >= len)
		return false;
	r->first_line = *line;
	struct buf *cell = &r->cells[r->n++];
	buf_reset(cell);
	buf_adds(cell, "");
	for (; p < len; p++) {
		char c = text[p];
		if (quoted) {
			if (c == '"' && p + 1 < len && text[p + 1] == '"')
				buf_addc(cell, text[p++]);
			else if (c == '"')
				quoted = false;
			else {
				*line += c == '\n';
				buf_addc(cell, c);
			}
			continue;
		}
		if (c == '"' && cell->len == 0) {
			quoted = true;
		} else if (c == delim) {
			if (r->n < DOC_MAX_COLS) {
				cell = &r->cells[r->n++];
				buf_reset(cell);
				buf_adds(cell, "");
			} else {
				buf_addc(cell, ' ');
			}
		} else if (c == '\n') {
			p++;
			break;
		} else if (c != '\r') {
			buf_addc(cell, c);
		}
	}
	r->last_line = *line;
	*line += p > 0 && text[p - 1] == '\n';
	*pos = p;
	return true;
}

static void record_free(struct record *r)
{
	for (size_t i = 0; i < DOC_MAX_COLS; i++)
		buf_free(&r->cells[i]);
}

static bool record_blank(const struct record *r)
{
	for (size_t i = 0; i < r->n; i++)
		if (strspn(buf_str(&r->cells[i]), " \t\r\n") != r->cells[i].len)
			return false;
	return true;
}

/* The delimiter the first line uses; 0 when it reads as no CSV at all. */
static char delimiter(const char *text, size_t len, size_t *start)
{
	size_t at = 0;

	while (at < len && strchr(" \t\r\n", text[at]))
		at++;
	const char *first = text + at;
	size_t n = strcspn(first, "\n");
	if (memchr(first, '\t', n) || *first == '|')
		return 0;
	*start = at;
	return memchr(first, ';', n) && !memchr(first, ',', n) ? ';' : ',';
}

bool read_csv_detect(const char *text, size_t len)
{
	size_t pos, records = 0, same = 0, width;
	char delim = delimiter(text, len, &pos);
	int line = 1;
	struct record *r = xcalloc(1, sizeof(*r));
	bool csv = false;

	if (delim && next_record(text, len, &pos, delim, &line, r) && r->n >= 2) {
		width = r->n;
		while (records < DETECT_RECORDS && next_record(text, len, &pos, delim, &line, r)) {
			if (record_blank(r))
				continue;
			records++;
			same += r->n == width;
		}
		csv = records > 0 && same * 5 >= records * 4;
	}
	record_free(r);
	free(r);
	return csv;
}

int read_csv(const char *text, size_t len, struct doc *out)
{
	size_t pos = 0;
	char delim = delimiter(text, len, &pos);
	int line = 1;
	struct record *r = xcalloc(1, sizeof(*r));
	struct doc_table *t;

	if (!delim) {
		doc_problem(out, (struct doc_pos){.line = 1}, "not a CSV file");
		free(r);
		return -1;
	}
	for (size_t i = 0; i < pos; i++)
		line += text[i] == '\n';
	t = doc_add_table(out, DOC_FORM_CSV, (struct doc_pos){.line = line});
	while (next_record(text, len, &pos, delim, &line, r)) {
		if (record_blank(r))
			continue;
		struct doc_pos at = {.line = r->first_line, .end_line = r->last_line};
		struct doc_row *row = doc_table_add_row(t, at);
		for (size_t i = 0; i < r->n; i++) {
			unsigned emph;
			char *cell = markup_strip(buf_str(&r->cells[i]), r->cells[i].len, &emph);
			doc_row_add_cell(row, cell, strlen(cell), at)->emph = emph;
			free(cell);
		}
		t->pos.end_line = r->last_line;
	}
	if (t->n_rows)
		t->rows[0].header = true;
	record_free(r);
	free(r);
	return 0;
}
