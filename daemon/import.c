/*
 * import — see import.h.
 *
 * Everything is decided on the folded text (lowercase ASCII without
 * diacritics, text_fold), so "Chủ trì", "CHỦ TRÌ" and an NFD "Chủ trì"
 * read the same; everything stored is the original text. The document is
 * first cut into lines; the table, prose and duty readers each walk the
 * lines once and append rows.
 */
#include "import.h"

#include "text.h"
#include "util.h"

#include <ctype.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FOLD_MAX  2048
#define MAX_CELLS 32
#define MAX_DEPTH 8

struct line {
	const char *s;
	size_t len;
};

struct reader {
	const char *text;
	struct line *lines;
	size_t n_lines;
	struct import_doc *doc;
	char **keys; /* every key given, to make duplicates unique */
	size_t n_keys;
};

/* ---- text helpers ----------------------------------------------------------- */

static void fold(const char *s, size_t len, char *out, size_t cap)
{
	text_fold(s, len, out, NULL, cap);
}

/* s folded, trimmed, for matching; valid until the next call of the same slot. */
static const char *folded(const char *s, char *buf, size_t cap)
{
	fold(s, strlen(s), buf, cap);
	return util_trim(buf);
}

static bool starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static char *trimmed_copy(const char *s, size_t len)
{
	while (len && isspace((unsigned char)*s))
		s++, len--;
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	return xstrndup(s, len);
}

/* A letter or digit, counting every byte of a multibyte character (Vietnamese letters). */
static bool word_byte(char c)
{
	return isalnum((unsigned char)c) || (unsigned char)c >= 0x80;
}

/*
 * Whether the run of n '*' or '_' at s[i] is Markdown emphasis. A '*' run
 * is, unless it stands alone between spaces or in "(*)" (a footnote mark,
 * "5 * 3"); a '_' run is, unless it is inside a word ("ten_file") or alone.
 * Runs longer than "***" / "__" are rules or blanks to fill in, not emphasis.
 */
static bool emphasis_run(const char *s, size_t i, size_t n)
{
	char prev = i ? s[i - 1] : '\0', next = s[i + n];
	bool space_before = prev && strchr(" \t([", prev);
	bool space_after = !next || strchr(" \t)]", next);

	if (s[i] == '*')
		return n <= 3 && !(space_before && space_after);
	if (n > 2 || (word_byte(prev) && word_byte(next)))
		return false;
	return !((!prev || isspace((unsigned char)prev)) &&
	         (!next || isspace((unsigned char)next)));
}

/* s without its Markdown emphasis markers; a new string. */
static char *strip_emphasis(const char *s)
{
	struct buf b = BUF_INIT;

	for (size_t i = 0; s[i];) {
		size_t n = s[i] == '*' || s[i] == '_' ? strspn(s + i, s[i] == '*' ? "*" : "_") : 0;
		if (n && emphasis_run(s, i, n)) {
			i += n;
		} else if (n) {
			buf_add(&b, s + i, n);
			i += n;
		} else {
			buf_addc(&b, s[i++]);
		}
	}
	return buf_steal(&b);
}

/*
 * In place: every run of white space (a CSV cell's CR LF, a tab, a
 * no-break space) becomes one space, and none is left at either end —
 * a title or a timeframe is one line however it was wrapped.
 */
static void collapse_space(char *s)
{
	char *out = s;
	bool gap = false;

	for (const char *p = s; *p;) {
		size_t nbsp = (unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xA0 ? 2 : 0;
		if (nbsp || isspace((unsigned char)*p)) {
			gap = out != s;
			p += nbsp ? nbsp : 1;
			continue;
		}
		if (gap)
			*out++ = ' ';
		gap = false;
		*out++ = *p++;
	}
	*out = '\0';
}

/* A stored cell: emphasis dropped, white space collapsed. NULL stays NULL. */
static void tidy(char **cell)
{
	if (!*cell)
		return;
	char *t = strip_emphasis(*cell);
	collapse_space(t);
	free(*cell);
	*cell = t;
}

/* Drops Markdown emphasis and trailing punctuation that is not part of a name. */
static char *clean_value(const char *s)
{
	char *v = strip_emphasis(s), *t = util_trim(v);
	size_t n = strlen(t);
	while (n && strchr(";.,:", t[n - 1]))
		t[--n] = '\0';
	char *out = xstrdup(util_trim(t));
	free(v);
	return out;
}

/* How much of s to quote in a note: at most max bytes, never half a character. */
static int utf8_cut(const char *s, int max)
{
	int n = (int)strnlen(s, (size_t)max);

	while (n > 0 && s[n] && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return n;
}

static void problem(struct reader *r, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void problem(struct reader *r, int line, const char *fmt, ...)
{
	va_list ap;
	char msg[512];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	buf_printf(&r->doc->problems, "%d: %s\n", line, msg);
}

static void split_lines(struct reader *r)
{
	const char *p = r->text;
	size_t left = strlen(r->text);

	while (left) {
		const char *nl = memchr(p, '\n', left);
		size_t n = nl ? (size_t)(nl - p) : left;
		size_t content = n && p[n - 1] == '\r' ? n - 1 : n;
		r->lines = xrealloc(r->lines, (r->n_lines + 1) * sizeof(*r->lines));
		r->lines[r->n_lines++] = (struct line){p, content};
		p += n + (nl != NULL);
		left -= n + (nl != NULL);
	}
}

/* ---- rows ------------------------------------------------------------------------ */

/* A key that is unique in the document: the second "6.1" becomes "6.1#2". */
static char *unique_key(struct reader *r, const char *key)
{
	int seen = 0;
	char buf[256];

	for (size_t i = 0; i < r->n_keys; i++)
		seen += strcmp(r->keys[i], key) == 0;
	r->keys = xrealloc(r->keys, (r->n_keys + 1) * sizeof(*r->keys));
	r->keys[r->n_keys++] = xstrdup(key);
	if (!seen)
		return xstrdup(key);
	snprintf(buf, sizeof(buf), "%s#%d", key, seen + 1);
	return xstrdup(buf);
}

static struct import_row *add_row(struct reader *r, enum import_layout layout, int line)
{
	struct import_doc *d = r->doc;

	d->rows = xrealloc(d->rows, (d->n_rows + 1) * sizeof(*d->rows));
	struct import_row *row = &d->rows[d->n_rows++];
	memset(row, 0, sizeof(*row));
	row->layout = layout;
	row->line = line;
	d->per_layout[layout]++;
	return row;
}

/* Appends text to a cell, as a wrapped line continues: with a space. */
static void append(char **cell, const char *more)
{
	if (!more || !*more)
		return;
	if (!*cell || !**cell) {
		free(*cell);
		*cell = xstrdup(more);
		return;
	}
	struct buf b = BUF_INIT;
	buf_printf(&b, "%s %s", *cell, more);
	free(*cell);
	*cell = buf_steal(&b);
}

static bool is_roman(const char *s, size_t n)
{
	if (n == 0 || n > 5)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!strchr("IVX", s[i]))
			return false;
	return true;
}

/* "1.", "6.1", "A", "II", "V.1", "a)", "1.3.a" */
static bool looks_like_index(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 10)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr(".)", s[i]))
			return false;
	return isdigit((unsigned char)s[0]) || is_roman(s, strcspn(s, ".)")) ||
	       (isalpha((unsigned char)s[0]) && (n == 1 || strchr(".)", s[1])));
}

/* "1." → "1", "a)" → "a" */
static char *index_key(const char *index)
{
	char *k = xstrdup(index);
	size_t n = strlen(k);

	while (n && strchr(".)", k[n - 1]))
		k[--n] = '\0';
	return k;
}

/* ---- tables ------------------------------------------------------------------------ */

/* Defined with the prose reader; a table ends at a heading. */
static const char *skip_bullet(const char *s);
static size_t numbered_prefix(const char *s);
static size_t lettered_prefix(const char *s);
static size_t roman_prefix(const char *s);

enum col { COL_NONE, COL_INDEX, COL_TASK, COL_LEAD, COL_COORD, COL_TIME, COL_KINDS };

struct section {
	int level;
	char *index, *title;
};

struct table {
	enum col cols[MAX_CELLS];
	int n_cols;
	bool has_index;
	enum col order[COL_KINDS]; /* the data columns after the index, in header order */
	int n_order;
	struct section stack[MAX_DEPTH];
	int depth;
	ssize_t last_row;  /* the row a continuation line belongs to, or -1 */
	bool last_section; /* … or the section title it belongs to */
};

/* What a header cell names. Order matters: "Thời gian thực hiện" is a time. */
static enum col classify(const char *cell)
{
	char buf[256];
	const char *s = folded(cell, buf, sizeof(buf));

	if (!*s || strlen(s) > 48)
		return COL_NONE;
	if (strstr(s, "thoi gian") || strstr(s, "tien do") || strstr(s, "thoi han"))
		return COL_TIME;
	if (strstr(s, "phoi hop"))
		return COL_COORD;
	if (strstr(s, "chu tri"))
		return COL_LEAD;
	if (strstr(s, "nhiem vu") || strstr(s, "noi dung") || strstr(s, "giai phap") ||
	    strstr(s, "cong viec") || starts(s, "ten "))
		return COL_TASK;
	if (strstr(s, "thuc hien") || strstr(s, "trach nhiem") || !strcmp(s, "don vi") ||
	    !strcmp(s, "co quan"))
		return COL_LEAD;
	if (!strcmp(s, "tt") || !strcmp(s, "stt") || !strcmp(s, "so tt") || !strcmp(s, "#") ||
	    !strcmp(s, "so thu tu"))
		return COL_INDEX;
	return COL_NONE;
}

/* A header names at least two columns, one of them the task or the lead, and nothing else. */
static bool read_header(char **cells, int n, struct table *t)
{
	enum col cols[MAX_CELLS];
	unsigned seen = 0;
	int named = 0;

	for (int i = 0; i < n; i++) {
		cols[i] = classify(cells[i]);
		if (cols[i] == COL_NONE && cells[i][0])
			return false;
		if (cols[i] != COL_NONE && !(seen & (1u << cols[i]))) {
			seen |= 1u << cols[i];
			named++;
		}
	}
	if (named < 2 || !(seen & ((1u << COL_TASK) | (1u << COL_LEAD))))
		return false;
	memcpy(t->cols, cols, (size_t)n * sizeof(*cols));
	t->n_cols = n;
	t->has_index = seen & (1u << COL_INDEX);
	t->n_order = 0;
	for (int i = 0; i < n; i++)
		if (cols[i] != COL_NONE && cols[i] != COL_INDEX)
			t->order[t->n_order++] = cols[i];
	return true;
}

/*
 * Which cell is which. When the row has the header's shape, by position;
 * otherwise (PDF extraction drops or adds empty cells) the non-empty cells
 * in the header's order, after an index-looking first cell.
 */
static void map_cells(const struct table *t, char **cells, int n, const char **v)
{
	for (int k = 0; k < COL_KINDS; k++)
		v[k] = "";
	if (n == t->n_cols && t->has_index) {
		for (int i = 0; i < n; i++)
			if (t->cols[i] != COL_NONE && !*v[t->cols[i]])
				v[t->cols[i]] = cells[i];
		return;
	}
	int next = 0, i = 0;
	while (i < n && !cells[i][0])
		i++;
	if (i < n && looks_like_index(cells[i]))
		v[COL_INDEX] = cells[i++];
	for (; i < n; i++)
		if (cells[i][0] && next < t->n_order)
			v[t->order[next++]] = cells[i];
}

static bool is_section_index(const char *s)
{
	size_t n = strlen(s);

	if (n == 1 && isupper((unsigned char)s[0]))
		return true;
	if (is_roman(s, strcspn(s, ".")))
		return true;
	return strspn(s, "0123456789") == n;
}

static int section_level(const char *s)
{
	if (strlen(s) == 1 && isupper((unsigned char)s[0]) && !is_roman(s, 1))
		return 0;
	return strchr(s, '.') ? 2 : 1;
}

static void push_section(struct table *t, const char *index, const char *title)
{
	int level = section_level(index);

	while (t->depth && t->stack[t->depth - 1].level >= level) {
		t->depth--;
		free(t->stack[t->depth].index);
		free(t->stack[t->depth].title);
	}
	if (t->depth == MAX_DEPTH)
		return;
	t->stack[t->depth++] = (struct section){level, index_key(index), xstrdup(title)};
}

/* "A.I.1": the sections' indexes, unless the next one already starts with them. */
static char *row_key(const struct table *t, const char *index)
{
	struct buf b = BUF_INIT;
	char *own = index_key(index);

	for (int i = 0; i < t->depth; i++) {
		const char *next = i + 1 < t->depth ? t->stack[i + 1].index : own;
		size_t len = strlen(t->stack[i].index);
		if (!strncmp(next, t->stack[i].index, len) && next[len] == '.')
			continue;
		buf_printf(&b, "%s.", t->stack[i].index);
	}
	buf_adds(&b, own);
	free(own);
	return buf_steal(&b);
}

static char *category_of(const struct table *t)
{
	struct buf b = BUF_INIT;

	for (int i = 0; i < t->depth; i++)
		buf_printf(&b, "%s%s. %s", i ? " / " : "", t->stack[i].index, t->stack[i].title);
	return t->depth ? buf_steal(&b) : NULL;
}

static void continue_row(struct reader *r, struct table *t, const char **v, const char *raw,
                         int line)
{
	if (t->last_section && t->depth) {
		append(&t->stack[t->depth - 1].title, v[COL_TASK]);
		return;
	}
	if (t->last_row < 0) {
		problem(r, line, "a continued row without a row before it: \"%.*s\"",
		        utf8_cut(raw, 60), raw);
		return;
	}
	struct import_row *row = &r->doc->rows[t->last_row];
	append(&row->title, v[COL_TASK]);
	append(&row->lead, v[COL_LEAD]);
	append(&row->coord, v[COL_COORD]);
	append(&row->timeframe, v[COL_TIME]);
	append(&row->raw, raw);
}

static void table_row(struct reader *r, struct table *t, char **cells, int n, int line,
                      const char *raw)
{
	const char *v[COL_KINDS];

	map_cells(t, cells, n, v);
	bool assigned = v[COL_LEAD][0] || v[COL_COORD][0] || v[COL_TIME][0];
	/* Under a section row, an unnumbered row that assigns someone is a task ("A.I.0"). */
	if (!v[COL_INDEX][0] && !(t->last_section && assigned && v[COL_TASK][0])) {
		continue_row(r, t, v, raw, line);
		return;
	}
	if (v[COL_INDEX][0] && v[COL_TASK][0] && !assigned && is_section_index(v[COL_INDEX])) {
		push_section(t, v[COL_INDEX], v[COL_TASK]);
		t->last_section = true;
		return;
	}
	struct import_row *row = add_row(r, IMPORT_TABLE, line);
	/* An unnumbered row's key says "0" (stores already hold "A.I.0"), its index nothing. */
	char *key = row_key(t, v[COL_INDEX][0] ? v[COL_INDEX] : "0");
	row->key = unique_key(r, key);
	free(key);
	row->index = v[COL_INDEX][0] ? xstrdup(v[COL_INDEX]) : NULL;
	row->category = category_of(t);
	row->title = xstrdup(v[COL_TASK]);
	row->lead = v[COL_LEAD][0] ? xstrdup(v[COL_LEAD]) : NULL;
	row->coord = v[COL_COORD][0] ? xstrdup(v[COL_COORD]) : NULL;
	row->timeframe = xstrdup(v[COL_TIME]);
	row->raw = xstrdup(raw);
	if (!row->title[0])
		problem(r, line, "row %s has no task text", row->key);
	t->last_row = (ssize_t)(row - r->doc->rows);
	t->last_section = false;
}

static void table_free(struct table *t)
{
	for (int i = 0; i < t->depth; i++) {
		free(t->stack[i].index);
		free(t->stack[i].title);
	}
}

static void free_cells(char **cells, int n)
{
	for (int i = 0; i < n; i++)
		free(cells[i]);
}

/* A tab-separated or Markdown row; 0 cells when the line is neither. */
static int split_line(const struct line *l, char **cells)
{
	const char *s = l->s, *end = l->s + l->len;
	char sep = memchr(s, '\t', l->len) ? '\t' : 0;
	int n = 0;

	if (!sep) {
		while (s < end && isspace((unsigned char)*s))
			s++;
		if (s == end || *s != '|')
			return 0;
		sep = '|';
		s++;
		while (end > s && isspace((unsigned char)end[-1]))
			end--;
		if (end > s && end[-1] == '|')
			end--;
	}
	while (n < MAX_CELLS) {
		const char *c = memchr(s, sep, (size_t)(end - s));
		cells[n++] = trimmed_copy(s, (size_t)((c ? c : end) - s));
		if (!c)
			break;
		s = c + 1;
	}
	return n;
}

/* |---|:---:| */
static bool markdown_rule(char **cells, int n)
{
	for (int i = 0; i < n; i++)
		if (strspn(cells[i], "-: ") != strlen(cells[i]) || !strchr(cells[i], '-'))
			return false;
	return n > 0;
}

/* Empty, or only white space and form feeds. */
static bool blank_line(const struct line *l)
{
	for (size_t i = 0; i < l->len; i++)
		if (!isspace((unsigned char)l->s[i]))
			return false;
	return true;
}

/* "12", "- 12 -", "Trang 3", "3/10": a page's number, printed between two parts of a table. */
static bool page_number(const struct line *l)
{
	char f[64];

	if (l->len >= sizeof(f))
		return false;
	fold(l->s, l->len, f, sizeof(f));
	const char *s = util_trim(f);
	if (starts(s, "trang "))
		s += strlen("trang ");
	return strpbrk(s, "0123456789") && strspn(s, "0123456789-/. ") == strlen(s);
}

/*
 * A line a PDF repeats at the top of each page ("Kế hoạch số …"), read
 * after a form feed: not the prose that ends a table. A heading (I., 1.,
 * a), "Nơi nhận") is never one: it starts what comes after the table.
 */
static bool page_header(const struct line *l)
{
	char f[64], *text = trimmed_copy(l->s, l->len);
	const char *s = skip_bullet(text);
	bool heading = roman_prefix(s) || numbered_prefix(s) || lettered_prefix(s) || s != text ||
	               starts(folded(text, f, sizeof(f)), "noi nhan");

	free(text);
	return !heading;
}

/* A row of a table, judging by itself: a number, then at least one more cell. */
static bool looks_like_row(char **cells, int n)
{
	int i = 0, filled = 0;

	while (i < n && !cells[i][0])
		i++;
	if (i == n || !looks_like_index(cells[i]))
		return false;
	for (; i < n; i++)
		filled += cells[i][0] != '\0';
	return filled >= 2;
}

#define PAGE_HEADER_LINES 2

static void read_line_tables(struct reader *r)
{
	struct table t = {.last_row = -1};
	char *cells[MAX_CELLS];
	int after_break = -1; /* prose lines read since a form feed; -1: none since the last row */
	bool ended = false;   /* a table was ended by prose and no header came since */

	for (size_t i = 0; i < r->n_lines; i++) {
		const struct line *l = &r->lines[i];
		int n = split_line(l, cells);
		if (n == 0) {
			/*
			 * Prose between tables ends the one before. Blank lines, a
			 * page break (form feed) with the page's number and running
			 * header do not: the rows after it are the same table's.
			 */
			if (memchr(l->s, '\f', l->len))
				after_break = 0;
			if (blank_line(l) || page_number(l) || !t.n_cols)
				continue;
			if (after_break >= 0 && after_break < PAGE_HEADER_LINES && page_header(l)) {
				after_break++;
				continue;
			}
			t.n_cols = 0;
			ended = true;
			continue;
		}
		after_break = -1;
		char *raw = trimmed_copy(l->s, l->len);
		if (markdown_rule(cells, n)) {
			/* |---|---|: part of the header */
		} else if (read_header(cells, n, &t)) {
			ended = false;
		} else if (t.n_cols) {
			table_row(r, &t, cells, n, (int)i + 1, raw);
		} else if (ended && looks_like_row(cells, n)) {
			/* Never dropped silently: the admin sees what was not read. */
			problem(r, (int)i + 1,
			        "a row after the table ended, with no header above it, not read: "
			        "\"%.*s\"",
			        utf8_cut(raw, 60), raw);
		}
		free(raw);
		free_cells(cells, n);
	}
	table_free(&t);
}

/*
 * One CSV record from *pos: RFC 4180 quoting, fields may span lines.
 * Returns the number of cells (0 at the end); *lines counts newlines read.
 */
static int csv_record(const char *text, size_t *pos, char delim, char **cells, int *lines)
{
	const char *p = text + *pos;
	struct buf cell = BUF_INIT;
	int n = 0;
	bool quoted = false;

	if (!*p)
		return 0;
	for (;; p++) {
		if (quoted) {
			if (*p == '"' && p[1] == '"')
				buf_addc(&cell, *p++);
			else if (*p == '"')
				quoted = false;
			else if (*p == '\0')
				break;
			else {
				*lines += *p == '\n';
				buf_addc(&cell, *p);
			}
			continue;
		}
		if (*p == '"' && cell.len == 0) {
			quoted = true;
		} else if (*p == delim || *p == '\n' || *p == '\0') {
			if (n < MAX_CELLS)
				cells[n++] = trimmed_copy(buf_str(&cell), cell.len);
			buf_reset(&cell);
			if (*p != delim) {
				*lines += *p == '\n';
				if (*p)
					p++;
				break;
			}
		} else if (*p != '\r') {
			buf_addc(&cell, *p);
		}
	}
	buf_free(&cell);
	*pos = (size_t)(p - text);
	return n;
}

/* A CSV document starts with a header row; the delimiter is ',' or ';'. */
static bool read_csv_tables(struct reader *r)
{
	struct table t = {.last_row = -1};
	char *cells[MAX_CELLS];
	size_t pos = 0;
	int line = 1, lines = 0, n;
	const char *first = r->text + strspn(r->text, " \r\n");
	size_t first_len = strcspn(first, "\n");
	char delim = memchr(first, ';', first_len) && !memchr(first, ',', first_len) ? ';' : ',';

	if (memchr(first, '\t', first_len) || *first == '|')
		return false;
	pos = (size_t)(first - r->text);
	line += (int)(first - r->text > 0 ? memchr(r->text, '\n', pos) != NULL : 0);
	n = csv_record(r->text, &pos, delim, cells, &lines);
	bool header = n >= 2 && read_header(cells, n, &t);
	free_cells(cells, n);
	if (!header)
		return false;
	for (line += lines; (lines = 0, n = csv_record(r->text, &pos, delim, cells, &lines));
	     line += lines) {
		struct buf raw = BUF_INIT;
		for (int i = 0; i < n; i++)
			buf_printf(&raw, "%s%s", i ? " | " : "", cells[i]);
		bool blank = raw.len == (size_t)(n > 1 ? 3 * (n - 1) : 0);
		if (!blank && !read_header(cells, n, &t))
			table_row(r, &t, cells, n, line, buf_str(&raw));
		buf_free(&raw);
		free_cells(cells, n);
	}
	table_free(&t);
	return true;
}

/* ---- prose: numbered items with "Đơn vị chủ trì:" lines --------------------------------- */

struct item {
	char *index; /* "1.3", "a" */
	char *title;
	int line;
	bool has_child, has_task;
};

struct prose {
	char *roman; /* the current top section, "III. NỘI DUNG THỰC HIỆN" */
	bool roman_has_task;
	struct item stack[MAX_DEPTH];
	int depth;
	ssize_t row; /* the task being filled, or -1 */
	size_t roman_first_row;
	struct item *leaves; /* leaf items seen in this roman section, for the check */
	size_t n_leaves;
};

/* The text after "- " bullets and emphasis, for reading labels. */
static const char *skip_bullet(const char *s)
{
	while (*s == ' ' || *s == '-' || *s == '+' || *s == '*')
		s++;
	return s;
}

/* "1.", "1.1.", "3.2" followed by a space: a numbered item; returns its length. */
static size_t numbered_prefix(const char *s)
{
	size_t i = 0;

	if (!isdigit((unsigned char)s[0]))
		return 0;
	while (isdigit((unsigned char)s[i]) || (s[i] == '.' && isdigit((unsigned char)s[i + 1])))
		i++;
	if (s[i] == '.')
		i++;
	return s[i] == ' ' && i > 0 && (s[i - 1] == '.' || strchr(s, '.') < s + i) ? i : 0;
}

/* "a) ", "đ) " */
static size_t lettered_prefix(const char *s)
{
	if (isalpha((unsigned char)s[0]) && islower((unsigned char)s[0]) && s[1] == ')' &&
	    s[2] == ' ')
		return 2;
	if (!strncmp(s, "đ) ", 4))
		return 3;
	return 0;
}

static size_t roman_prefix(const char *s)
{
	size_t n = strspn(s, "IVX");

	return n && s[n] == '.' && s[n + 1] == ' ' ? n + 1 : 0;
}

struct prose_item {
	char *index, *title, *path; /* path: the titles of the items above */
	int line;
	bool has_child, has_task;
};

struct prose_state {
	char *section;            /* "III. NỘI DUNG THỰC HIỆN" */
	struct prose_item *items; /* the items of the current section */
	size_t n_items;
	size_t stack[MAX_DEPTH]; /* indexes into items */
	int depth;
	int numbered_depth; /* how many of the stack are numbered (not lettered) */
	ssize_t row;        /* the task being filled, or -1 */
	bool section_has_task;
};

/* Takes ownership of index and title. */
static void prose_new_item(struct prose_state *p, char *index, char *title, int line, int depth)
{
	struct buf path = BUF_INIT;

	if (p->section)
		buf_adds(&path, p->section);
	for (int i = 0; i < depth && i < p->depth; i++) {
		struct prose_item *up = &p->items[p->stack[i]];
		buf_printf(&path, "%s%s. %s", path.len ? " / " : "", up->index, up->title);
	}
	if (depth > 0 && depth <= p->depth)
		p->items[p->stack[depth - 1]].has_child = true;
	p->items = xrealloc(p->items, (p->n_items + 1) * sizeof(*p->items));
	p->items[p->n_items] = (struct prose_item){index, title, path.len ? buf_steal(&path) : NULL,
	                                           line,  false, false};
	buf_free(&path);
	p->depth = depth < MAX_DEPTH ? depth : MAX_DEPTH - 1;
	p->stack[p->depth++] = p->n_items++;
	p->row = -1;
}

static struct import_row *prose_row(struct reader *r, struct prose_state *p, int line)
{
	struct prose_item *it = &p->items[p->stack[p->depth - 1]];
	struct import_row *row = add_row(r, IMPORT_PROSE, it->line);

	row->key = unique_key(r, it->index);
	row->index = xstrdup(it->index);
	row->category = it->path ? xstrdup(it->path) : NULL;
	row->title = xstrdup(it->title);
	row->timeframe = xstrdup("");
	row->raw = xstrdup(it->title);
	it->has_task = p->section_has_task = true;
	p->row = (ssize_t)(row - r->doc->rows);
	(void)line;
	return row;
}

/* Leaf items of a section with tasks, but without "Đơn vị chủ trì": kept, flagged. */
static void prose_end_section(struct reader *r, struct prose_state *p)
{
	for (size_t i = 0; i < p->n_items && p->section_has_task; i++) {
		struct prose_item *it = &p->items[i];
		if (it->has_child || it->has_task)
			continue;
		problem(r, it->line, "item %s has no 'Đơn vị chủ trì' line", it->index);
		p->stack[0] = i;
		p->depth = 1;
		prose_row(r, p, it->line);
	}
	for (size_t i = 0; i < p->n_items; i++) {
		free(p->items[i].index);
		free(p->items[i].title);
		free(p->items[i].path);
	}
	free(p->items);
	free(p->section);
	memset(p, 0, sizeof(*p));
	p->row = -1;
}

enum label { LABEL_NONE, LABEL_LEAD, LABEL_COORD, LABEL_TIME };

/* "- Đơn vị chủ trì: …" and the like; *value points after the colon. */
static enum label read_label(const char *s, const char **value)
{
	char buf[128];
	const char *colon = strchr(s, ':');

	if (!colon || colon - s > 60)
		return LABEL_NONE;
	fold(s, (size_t)(colon - s), buf, sizeof(buf));
	const char *f = util_trim(buf);
	*value = colon + 1;
	if (strstr(f, "chu tri") || !strcmp(f, "don vi thuc hien") ||
	    !strcmp(f, "co quan thuc hien"))
		return LABEL_LEAD;
	if (strstr(f, "phoi hop"))
		return LABEL_COORD;
	if (starts(f, "thoi gian") || starts(f, "thoi han") || starts(f, "tien do"))
		return LABEL_TIME;
	return LABEL_NONE;
}

static void prose_label(struct reader *r, struct prose_state *p, enum label label,
                        const char *value, const char *raw, int line)
{
	struct import_row *row = p->row >= 0 ? &r->doc->rows[p->row] : NULL;

	if (!p->depth) {
		problem(r, line, "'%.*s' outside any numbered item", utf8_cut(raw, 40), raw);
		return;
	}
	/* A second "chủ trì" under one item starts another task. */
	if (!row || (label == LABEL_LEAD && row->lead))
		row = prose_row(r, p, line);
	char **field = label == LABEL_LEAD    ? &row->lead
	               : label == LABEL_COORD ? &row->coord
	                                      : &row->timeframe;
	free(*field);
	*field = clean_value(value);
	append(&row->raw, raw);
}

static void prose_line(struct reader *r, struct prose_state *p, const char *text, int line)
{
	const char *s = text + strspn(text, " \t\f\v\r"), *value;
	const char *b = skip_bullet(s);
	size_t n;
	enum label label;

	if ((n = roman_prefix(s))) {
		prose_end_section(r, p);
		p->section = clean_value(s);
	} else if ((n = numbered_prefix(s))) {
		int depth = 1;
		for (const char *c = s; c < s + n - 1; c++)
			depth += *c == '.' && isdigit((unsigned char)c[1]);
		char *written = xstrndup(s, n);
		prose_new_item(p, index_key(written), clean_value(s + n), line, depth - 1);
		free(written);
		p->numbered_depth = p->depth;
	} else if ((n = lettered_prefix(b)) && p->numbered_depth) {
		struct buf idx = BUF_INIT;
		const struct prose_item *up = &p->items[p->stack[p->numbered_depth - 1]];
		buf_printf(&idx, "%s.%.*s", up->index, (int)n - 1, b);
		prose_new_item(p, buf_steal(&idx), clean_value(b + n), line, p->numbered_depth);
	} else if ((label = read_label(b, &value)) != LABEL_NONE) {
		prose_label(r, p, label, value, s, line);
	} else if (p->row >= 0 && *s) {
		append(&r->doc->rows[p->row].raw, s);
	}
}

static void read_prose(struct reader *r)
{
	struct prose_state p = {.row = -1};

	for (size_t i = 0; i < r->n_lines; i++) {
		const struct line *l = &r->lines[i];
		if (memchr(l->s, '\t', l->len))
			continue; /* table rows are the table reader's */
		char *text = xstrndup(l->s, l->len);
		prose_line(r, &p, text, (int)i + 1);
		free(text);
	}
	prose_end_section(r, &p);
}

/* ---- paragraphs, for the organisation section and the header ------------------------- */

enum para_kind { PARA_PLAIN, PARA_ROMAN, PARA_NUMBERED, PARA_LETTERED, PARA_BULLET };

struct para {
	char *text; /* hard-wrapped lines joined with spaces */
	int line;
	enum para_kind kind;
};

static enum para_kind para_kind_of(const char *s)
{
	const char *b = skip_bullet(s);

	if (roman_prefix(s))
		return PARA_ROMAN;
	if (numbered_prefix(s))
		return PARA_NUMBERED;
	if (lettered_prefix(b))
		return PARA_LETTERED;
	if (*s == '-' || *s == '+')
		return PARA_BULLET;
	return PARA_PLAIN;
}

/* A new paragraph at a blank line or a line that starts an item; others continue. */
static size_t paragraphs(const struct reader *r, struct para **out)
{
	size_t n = 0;
	bool open = false;

	*out = NULL;
	for (size_t i = 0; i < r->n_lines; i++) {
		const struct line *l = &r->lines[i];
		char *text = trimmed_copy(l->s, l->len);
		enum para_kind kind = para_kind_of(text);
		if (!*text || memchr(l->s, '\t', l->len)) {
			open = false;
			free(text);
			continue;
		}
		if (open && kind == PARA_PLAIN) {
			append(&(*out)[n - 1].text, text);
			free(text);
			continue;
		}
		*out = xrealloc(*out, (n + 1) * sizeof(**out));
		(*out)[n++] = (struct para){text, (int)i + 1, kind};
		open = true;
	}
	return n;
}

static void paragraphs_free(struct para *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(p[i].text);
	free(p);
}

/* ---- reporting duties ------------------------------------------------------------------- */

struct match {
	size_t a, b; /* folded offsets; a == b: none */
};

static struct match find_re(const char *pattern, const char *folded_text)
{
	regex_t re;
	regmatch_t m;
	struct match out = {0, 0};

	if (regcomp(&re, pattern, REG_EXTENDED) != 0)
		return out;
	if (regexec(&re, folded_text, 1, &m, 0) == 0)
		out = (struct match){(size_t)m.rm_so, (size_t)m.rm_eo};
	regfree(&re);
	return out;
}

/* The original text of folded [a, b), with a closing "*)" or ")" that follows. */
static void original(const char *text, const uint32_t *map, const char *f, struct match m,
                     struct buf *out)
{
	size_t b = m.b;

	while (f[b] == '*' || f[b] == ')')
		b++;
	buf_add(out, text + map[m.a], map[b] - map[m.a]);
}

/*
 * The deadline of a reporting duty, as written: "Định kỳ hàng năm (trước
 * ngày 15/12)", "trước ngày 01/12 hàng năm", "báo cáo 6 tháng và báo cáo
 * năm", "định kỳ hàng năm". NULL when the paragraph sets no deadline.
 */
static char *duty_timeframe(const char *text)
{
	char f[FOLD_MAX];
	uint32_t map[FOLD_MAX];

	text_fold(text, strlen(text), f, map, sizeof(f));
	if (!strstr(f, "bao cao"))
		return NULL;
	struct match date = find_re("truoc (ngay )?[0-9]{1,2}/[0-9]{1,2}(/[0-9]{4})?", f);
	struct match rec = find_re("(dinh ky )?(hang|moi) (nam|quy|thang)|bao cao 6 thang( va bao "
	                           "cao nam)?|dinh ky 6 thang",
	                           f);
	struct buf out = BUF_INIT;
	bool has_date = date.b > date.a, has_rec = rec.b > rec.a;

	if (has_date && has_rec) {
		size_t gap = date.a > rec.b ? date.a - rec.b : rec.a > date.b ? rec.a - date.b : 0;
		if (gap <= 16) {
			struct match both = {date.a < rec.a ? date.a : rec.a,
			                     date.b > rec.b ? date.b : rec.b};
			original(text, map, f, both, &out);
		} else {
			original(text, map, f, rec, &out);
			buf_adds(&out, ", ");
			original(text, map, f, date, &out);
		}
	} else if (has_date || has_rec) {
		original(text, map, f, has_date ? date : rec, &out);
	}
	return out.len ? buf_steal(&out) : NULL;
}

/* "2. Các sở, ban, ngành …:" → the agencies, up to the colon. */
static char *addressee(const char *heading)
{
	const char *s = heading + numbered_prefix(heading);
	size_t n = strcspn(s, ":");

	char *slice = xstrndup(s, n), *out = clean_value(slice);

	free(slice);
	return out;
}

static void add_duty(struct reader *r, const struct para *p, const char *section,
                     const char *agency, int item, int nth, char *timeframe)
{
	struct import_row *row = add_row(r, IMPORT_DUTY, p->line);
	const char *body = skip_bullet(p->text);
	size_t letter = lettered_prefix(body);
	char key[64];

	snprintf(key, sizeof(key), "duty.%d.%d", item, nth);
	row->key = unique_key(r, key);
	row->index = letter ? xstrndup(body, letter) : xstrdup("");
	row->category = section ? xstrdup(section) : NULL;
	row->title = clean_value(body + (letter ? letter + 1 : 0));
	row->lead = agency ? xstrdup(agency) : NULL;
	row->timeframe = timeframe;
	row->raw = xstrdup(p->text);
	if (!agency)
		problem(r, p->line, "a reporting duty outside any numbered item: no lead agency");
}

/* The monitoring agency: the first addressee told to "theo dõi" or "đôn đốc". */
static void note_monitor(struct reader *r, const struct para *p, const char *agency)
{
	char f[FOLD_MAX];

	if (r->doc->monitor || !agency)
		return;
	fold(p->text, strlen(p->text), f, sizeof(f));
	const char *body = skip_bullet(f);
	if ((strstr(f, "theo doi") || strstr(f, "don doc")) && !starts(body, "phoi hop") &&
	    !strstr(body, ") phoi hop"))
		r->doc->monitor = xstrdup(agency);
}

static bool is_organisation(const char *text)
{
	char f[256];

	return strstr(folded(text, f, sizeof(f)), "to chuc thuc hien") != NULL;
}

static void read_duties(struct reader *r)
{
	struct para *p;
	size_t n = paragraphs(r, &p);
	char *section = NULL, *agency = NULL;
	bool inside = false;
	int item = 0, nth = 0;

	for (size_t i = 0; i < n; i++) {
		char f[64];
		if (p[i].kind == PARA_ROMAN) {
			inside = is_organisation(p[i].text);
			free(section);
			section = inside ? clean_value(p[i].text) : NULL;
			continue;
		}
		if (!inside)
			continue;
		if (starts(folded(p[i].text, f, sizeof(f)), "noi nhan"))
			break;
		if (p[i].kind == PARA_NUMBERED) {
			free(agency);
			agency = addressee(p[i].text);
			item++;
			nth = 0;
		}
		note_monitor(r, &p[i], agency);
		char *tf = duty_timeframe(p[i].text);
		if (tf)
			add_duty(r, &p[i], section, agency, item, ++nth, tf);
	}
	free(section);
	free(agency);
	paragraphs_free(p, n);
}

/* ---- the plan's own facts ------------------------------------------------------------- */

#define HEADER_LINES 60

/* "Số: 906/QĐ-UBND" — without digits ("Số:    /BC-SKHCN") there is no number yet. */
static void read_number(struct reader *r)
{
	for (size_t i = 0; i < r->n_lines && i < HEADER_LINES; i++) {
		char f[256];
		char *line = trimmed_copy(r->lines[i].s, r->lines[i].len);
		const char *s = folded(line, f, sizeof(f));
		if (starts(s, "so:") && strpbrk(s + 3, "0123456789")) {
			const char *v = line + strcspn(line, ":") + 1;
			v += strspn(v, " ");
			char *slice = xstrndup(v, strcspn(v, " *"));
			r->doc->number = clean_value(slice);
			free(slice);
		}
		free(line);
		if (r->doc->number)
			return;
	}
}

/* The header's lines joined, folded, for the date and the period. */
static char *header_text(struct reader *r, bool fold_it)
{
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < r->n_lines && i < HEADER_LINES; i++) {
		buf_add(&b, r->lines[i].s, r->lines[i].len);
		buf_addc(&b, ' ');
	}
	if (!fold_it)
		return buf_steal(&b);
	char *f = xmalloc(b.len + 1);
	fold(buf_str(&b), b.len, f, b.len + 1);
	buf_free(&b);
	return f;
}

/* "Quảng Ngãi, ngày 11 tháng 7 năm 2022", possibly wrapped. */
static void read_issued(struct reader *r)
{
	char *f = header_text(r, true);
	regex_t re;
	regmatch_t m[4];

	if (regcomp(&re, "ngay +([0-9]{1,2}) +thang +([0-9]{1,2}) +nam +([0-9]{4})",
	            REG_EXTENDED) == 0) {
		if (regexec(&re, f, 4, m, 0) == 0) {
			int d = atoi(f + m[1].rm_so), mo = atoi(f + m[2].rm_so),
			    y = atoi(f + m[3].rm_so);
			char date[16];
			snprintf(date, sizeof(date), "%04d-%02d-%02d", y, mo, d);
			r->doc->issued = xstrdup(date);
		}
		regfree(&re);
	}
	free(f);
}

static bool title_stop(const char *line)
{
	static const char *const stops[] = {
	    "can cu", "thuc hien",  "theo de nghi", "chu tich", "trien khai thuc hien quyet dinh",
	    "phan ",  "quyet dinh:"};
	char f[256];
	const char *s = folded(line, f, sizeof(f));

	while (*s == '*')
		s++;
	for (size_t i = 0; i < UTIL_NELEM(stops); i++)
		if (starts(s, stops[i]))
			return true;
	return false;
}

/* The line after the header's "KẾ HOẠCH" or "QUYẾT ĐỊNH" keyword, or HEADER_LINES. */
static size_t title_start(const struct reader *r)
{
	for (size_t i = 0; i < r->n_lines && i < HEADER_LINES; i++) {
		char f[256], *line = trimmed_copy(r->lines[i].s, r->lines[i].len);
		const char *s = folded(line, f, sizeof(f));
		while (*s == '*')
			s++;
		bool keyword = starts(s, "ke hoach") || !strcmp(s, "quyet dinh");
		free(line);
		if (keyword)
			return i + 1;
	}
	return HEADER_LINES;
}

/* The lines after "KẾ HOẠCH" or "QUYẾT ĐỊNH", up to a blank line or the preamble. */
static void read_title(struct reader *r)
{
	for (size_t i = title_start(r), taken = 0; i < r->n_lines && taken < 4; i++) {
		char *line = trimmed_copy(r->lines[i].s, r->lines[i].len);
		/* A table row is not the title, even with no blank line before it. */
		bool stop = (!*line && taken) || title_stop(line) ||
		            memchr(r->lines[i].s, '\t', r->lines[i].len) || *line == '|';
		if (!stop && *line) {
			append(&r->doc->title, line);
			taken++;
		}
		free(line);
		if (stop)
			break;
	}
	if (r->doc->title) {
		char *t = clean_value(r->doc->title);
		free(r->doc->title);
		r->doc->title = t;
	}
}

static bool matched(const char *pattern, const char *f, struct match *m)
{
	*m = find_re(pattern, f);
	return m->b > m->a;
}

/* "giai đoạn 2022 - 2025", "năm 2023", "đến năm 2025" in the title. */
static void read_period(struct reader *r)
{
	char f[FOLD_MAX];
	struct match m;

	if (!r->doc->title)
		return;
	fold(r->doc->title, strlen(r->doc->title), f, sizeof(f));
	if (matched("(19|20)[0-9]{2} *- *(19|20)[0-9]{2}", f, &m)) {
		r->doc->first_year = atoi(f + m.a);
		r->doc->last_year = atoi(f + m.b - 4);
	} else if (matched("den nam (19|20)[0-9]{2}", f, &m)) {
		r->doc->last_year = atoi(f + m.b - 4);
		r->doc->first_year = r->doc->issued ? atoi(r->doc->issued) : r->doc->last_year;
	} else if (matched("nam (19|20)[0-9]{2}", f, &m)) {
		r->doc->first_year = r->doc->last_year = atoi(f + m.b - 4);
	}
}

/* ---- the entry point ------------------------------------------------------------------- */

size_t import_parse(const char *text, size_t len, struct import_doc *out)
{
	struct reader r = {0};
	char *copy = xstrndup(text, len);

	memset(out, 0, sizeof(*out));
	r.text = copy;
	r.doc = out;
	split_lines(&r);
	read_number(&r);
	read_issued(&r);
	read_title(&r);
	read_period(&r);
	if (!read_csv_tables(&r))
		read_line_tables(&r);
	read_prose(&r);
	read_duties(&r);
	/* Every layout's cells the same way: a duty's "(*trước ngày 15/12*)" is a
	 * timeframe like an item's, a CSV cell's CR LF a space like a wrapped line's. */
	for (size_t i = 0; i < out->n_rows; i++) {
		struct import_row *row = &out->rows[i];
		tidy(&row->category), tidy(&row->title), tidy(&row->timeframe);
		tidy(&row->lead), tidy(&row->coord);
	}
	for (size_t i = 0; i < r.n_keys; i++)
		free(r.keys[i]);
	free(r.keys);
	free(r.lines);
	free(copy);
	return out->n_rows;
}

void import_doc_free(struct import_doc *d)
{
	for (size_t i = 0; i < d->n_rows; i++) {
		struct import_row *row = &d->rows[i];
		free(row->key), free(row->index), free(row->category), free(row->title);
		free(row->lead), free(row->coord), free(row->timeframe), free(row->raw);
	}
	free(d->rows);
	free(d->number), free(d->issued), free(d->title), free(d->monitor);
	buf_free(&d->problems);
	memset(d, 0, sizeof(*d));
}

const char *import_layout_name(enum import_layout l)
{
	static const char *const names[] = {"table", "prose", "duty"};

	return (unsigned)l < UTIL_NELEM(names) ? names[l] : "?";
}
