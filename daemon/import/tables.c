/*
 * tables — see import/tables.h.
 *
 * One pass over the blocks. A context is one header and what is read under
 * it: its columns, its section stack, the last row (for continuations and
 * merged cells). A header identical to the current one continues it (a page
 * break repeats headers) unless a heading came between the two tables.
 */
#include "import/tables.h"

#include "buf.h"
#include "import/lines.h"
#include "import/words.h"
#include "text.h"
#include "util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define MAX_DEPTH       8
#define INDEXLESS_LEVEL 50 /* a group title without a number: below any numbered section */

struct section {
	int level;
	char *key;       /* "I", "V.1"; "" for a group without a number */
	char *title;     /* as written */
	bool digit_rows; /* rows under it were numbered 1, 2 …, not a), b) */
};

/* One cell's value in a row, by column. */
struct value {
	const char *text; /* "" when missing */
	unsigned emph;
	bool present;   /* the row writes this cell (even empty) */
	bool inherited; /* taken from the row above (a merged cell) */
};

struct context {
	bool have;
	int table_read; /* index in r->tables */
	struct columns cols;
	enum doc_form form;
	enum import_table_kind kind;
	struct section stack[MAX_DEPTH];
	int depth;
	ssize_t last_row; /* in rows or indicators, -1 */
	bool last_section;
	char *prev[COLUMNS_MAX]; /* the last task row's values, for merged cells */
	bool prev_inherited[COLUMNS_MAX];
	int prev_cover; /* columns the last task row wrote, from the left */
	char *prev_base;
	int unnumbered; /* task rows of a table with no number column, so far */
	bool fresh;     /* nothing read under the header yet: a second header row may come */
};

struct reader {
	const struct doc *doc;
	struct import_result *res;
	size_t block;
	const struct doc_table *table;
	size_t row_index; /* in table */
	struct context ctx;
	bool heading_since;  /* a heading paragraph came since the last table */
	char *label_number;  /* the last heading's number, "PL.II", or NULL */
	char *label_heading; /* its text */
	int n_contexts;
};

/* ---- small helpers ------------------------------------------------------------------------ */

static char *one_line(const char *s)
{
	char *t = xstrdup(s ? s : "");
	result_one_line(&t);
	return t;
}

static bool filled(const struct value *v)
{
	return v->text && *v->text;
}

static struct value *col(struct value *v, const struct context *c, enum col_role role)
{
	static struct value none = {"", 0, false, false};
	int g = c->cols.where[role];

	return g >= 0 ? &v[g] : &none;
}

static void clear_stack(struct context *c)
{
	for (int i = 0; i < c->depth; i++) {
		free(c->stack[i].key);
		free(c->stack[i].title);
	}
	c->depth = 0;
}

static void clear_prev(struct context *c)
{
	for (int i = 0; i < COLUMNS_MAX; i++) {
		free(c->prev[i]);
		c->prev[i] = NULL;
		c->prev_inherited[i] = false;
	}
	c->prev_cover = 0;
	free(c->prev_base);
	c->prev_base = NULL;
}

static void context_free(struct context *c)
{
	clear_stack(c);
	clear_prev(c);
	columns_free(&c->cols);
	memset(c, 0, sizeof(*c));
	c->last_row = -1;
}

static struct import_row *last_row(struct reader *rd)
{
	struct context *c = &rd->ctx;

	if (c->last_row < 0)
		return NULL;
	return c->kind == TABLE_INDICATORS ? &rd->res->indicators[c->last_row]
	                                   : &rd->res->rows[c->last_row];
}

/* ---- what a cell looks like, for aligning short rows --------------------------------------- */

static bool org_name(const char *s)
{
	return words_org_name(s);
}

static bool status_words(const char *f)
{
	static const char *const words[] = {
	    "dang thuc hien", "da hoan thanh", "chua hoan thanh", "hoan thanh", "dat",
	    "chua dat",       "tiep tuc",      "dang trien khai", "cho"};

	for (size_t i = 0; i < UTIL_NELEM(words); i++)
		if (words_starts(f, words[i]))
			return true;
	return false;
}

static bool person_words(const char *f)
{
	static const char *const words[] = {
	    "giam doc",  "cuc truong", "vu truong",  "thu truong",   "chanh van phong",
	    "bo truong", "chu tich",   "truong ban", "pho giam doc", "lanh dao"};

	for (size_t i = 0; i < UTIL_NELEM(words); i++)
		if (words_starts(f, words[i]))
			return true;
	return false;
}

static int cell_score(const char *text, unsigned emph, enum col_role role)
{
	char buf[512];
	const char *f = words_fold(text, buf, sizeof(buf));
	size_t words = words_count(f);
	bool index = words_index(text), tf = words_timeframe_like(text);

	if (!*f)
		return 0;
	switch (role) {
	case COL_INDEX:
		return index ? 5 : -8;
	case COL_TASK:
		if (index)
			return -5;
		/* A bold text is a section's title, or a task's: never a deadline. */
		if (emph & DOC_BOLD)
			return 4;
		if (tf && words < 8)
			return -3;
		return words >= 6 ? 4 : words >= 3 ? 2 : 0;
	case COL_LEAD:
	case COL_COORD:
		if (index)
			return -5;
		if (tf && !org_name(text))
			return -3;
		return org_name(text) ? (words > 40 ? 1 : 3) : -1;
	case COL_TIME:
		return index ? -5 : tf ? 4 : -3;
	case COL_STATUS:
		return index ? -5 : status_words(f) ? 3 : 0;
	case COL_PERSON:
		return index ? -5 : person_words(f) ? 3 : org_name(text) ? -1 : 0;
	default:
		return index ? -5 : 0;
	}
}

/*
 * Places cells c[0..k) in columns [lo, hi), in order, where they fit best.
 * Ties go to the leftmost place (right_first: the rightmost). at[i] gets
 * the column of cell i. Returns the score.
 */
static int align(const struct context *ctx, const struct doc_cell *c, size_t k, int lo, int hi,
                 bool right_first, int *at)
{
	int n = hi - lo;
	int(*best)[COLUMNS_MAX + 1] = xcalloc((size_t)k + 1, sizeof(*best));
	const int NEG = -1000000;

	/* best[i][j]: cells i.. placed in columns lo+j.. */
	for (int j = 0; j <= n; j++)
		best[k][j] = 0;
	for (size_t i = k; i-- > 0;)
		for (int j = n; j >= 0; j--) {
			int left = (int)(k - i) > n - j ? NEG : 0;
			if (left == NEG) {
				best[i][j] = NEG;
				continue;
			}
			int place = best[i + 1][j + 1] == NEG
			                ? NEG
			                : cell_score(c[i].text, c[i].emph, ctx->cols.role[lo + j]) +
			                      best[i + 1][j + 1];
			int skip = j + 1 <= n ? best[i][j + 1] : NEG;
			best[i][j] = place > skip || (place == skip && !right_first) ? place : skip;
		}
	int score = best[0][0];
	for (size_t i = 0, j = 0; i < k; j++) {
		int place = best[i + 1][j + 1] == NEG
		                ? NEG
		                : cell_score(c[i].text, c[i].emph, ctx->cols.role[lo + (int)j]) +
		                      best[i + 1][j + 1];
		int skip = (int)j + 1 <= n ? best[i][j + 1] : NEG;
		if (place > skip || (place == skip && !right_first)) {
			at[i] = lo + (int)j;
			i++;
		}
	}
	free(best);
	return score;
}

/* ---- rows to values ---------------------------------------------------------------------- */

/* Grid columns the cells cover, counted from base. */
static int cover(const struct doc_cell *c, size_t n, int base)
{
	return n ? c[n - 1].grid_col + c[n - 1].col_span - base : 0;
}

static bool has_spans(const struct doc_cell *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (c[i].col_span > 1 || c[i].merge != DOC_MERGE_NONE || c[i].row_span > 1)
			return true;
	return false;
}

/* Sources whose row spans are gone: a flattened text, a PDF's text layer.
 * A row the span covered comes short, and takes the row above's value. */
static bool loses_spans(enum doc_form f)
{
	return f == DOC_FORM_FLAT || f == DOC_FORM_PDF;
}

static void map_cells(struct reader *rd, const struct doc_cell *c, size_t n, int base,
                      struct value *v)
{
	struct context *ctx = &rd->ctx;
	int N = ctx->cols.n;

	for (int g = 0; g < N; g++)
		v[g] = (struct value){"", 0, false, false};
	bool text_form = ctx->form == DOC_FORM_FLAT || ctx->form == DOC_FORM_TSV ||
	                 ctx->form == DOC_FORM_PIPE || ctx->form == DOC_FORM_CSV ||
	                 ctx->form == DOC_FORM_TEXT;
	if (cover(c, n, base) >= N || has_spans(c, n) || !text_form) {
		for (size_t i = 0; i < n; i++) {
			int g = c[i].grid_col - base;
			if (g < 0 || g >= N)
				continue;
			v[g] = (struct value){c[i].text, c[i].emph, true, false};
			if (c[i].merge == DOC_MERGE_CONT && rd->table) {
				const struct doc_cell *m =
				    doc_merged_cell(rd->table, rd->row_index, c[i].grid_col);
				if (m && m != &c[i])
					v[g] = (struct value){m->text, m->emph, true, true};
			}
		}
		/* A Word row span from above reaches cells this row leaves out. */
		for (int g = 0; g < N && rd->table && !text_form; g++)
			if (!v[g].present) {
				const struct doc_cell *m =
				    doc_merged_cell(rd->table, rd->row_index, g + base);
				if (m)
					v[g] = (struct value){m->text, m->emph, true, true};
			}
		return;
	}
	/* A short row: its cells go where they fit; empty ones say nothing. */
	const struct doc_cell *kept[COLUMNS_MAX];
	size_t k = 0;
	for (size_t i = 0; i < n && k < COLUMNS_MAX; i++)
		if (*c[i].text || ctx->form == DOC_FORM_FLAT)
			kept[k++] = &c[i];
	struct doc_cell tmp[COLUMNS_MAX] = {0};
	int at[COLUMNS_MAX] = {0};
	for (size_t i = 0; i < k; i++)
		tmp[i] = *kept[i];
	int ti = ctx->cols.where[COL_TASK], ii = ctx->cols.where[COL_INDEX];
	if (k == 2 && ti >= 0 && ii >= 0 && ii < ti && words_section_index(tmp[0].text) &&
	    !words_index(tmp[1].text)) {
		/* "I | Giai đoạn 2025-2027": a number and a title, whatever the title says. */
		at[0] = ii;
		at[1] = ti;
	} else {
		align(ctx, tmp, k, 0, N, false, at);
	}
	for (size_t i = 0; i < k; i++)
		v[at[i]] = (struct value){tmp[i].text, tmp[i].emph, true, false};
}

static char *raw_of(const struct doc_cell *c, size_t n)
{
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < n; i++)
		buf_printf(&b, "%s%s", i ? " | " : "", c[i].text);
	char *s = buf_steal(&b);
	if (!s)
		s = xstrdup("");
	result_one_line(&s);
	return s;
}

/* ---- sections and keys ------------------------------------------------------------------- */

static void push_section(struct context *c, const char *index, const char *title)
{
	int level = *index ? words_section_level(index) : INDEXLESS_LEVEL;

	while (c->depth && c->stack[c->depth - 1].level >= level) {
		c->depth--;
		free(c->stack[c->depth].key);
		free(c->stack[c->depth].title);
	}
	if (c->depth == MAX_DEPTH)
		return;
	c->stack[c->depth++] =
	    (struct section){level, words_index_key(index), one_line(title), false};
}

static bool digits(const char *s)
{
	return *s && strspn(s, "0123456789.") == strlen(s);
}

/*
 * "2 | Xây dựng tủ sách" over rows a), b), then "3 | Tổ chức Ngày Pháp
 * luật": a number of the section's own kind that follows it is its next
 * sibling, not its child. The section ends; the row is read at its level.
 */
static void sibling_ends_section(struct context *c, const char *own)
{
	if (!c->depth || !digits(own))
		return;
	struct section *top = &c->stack[c->depth - 1];
	if (!top->digit_rows && digits(top->key) &&
	    words_section_level(own) == words_section_level(top->key) &&
	    atoi(own) > atoi(top->key)) {
		c->depth--;
		free(top->key);
		free(top->title);
		return;
	}
	top->digit_rows = true;
}

/* "A.I.1": the sections' numbers, unless the next one already starts with them. */
static char *row_key(const struct context *c, const char *own)
{
	struct buf b = BUF_INIT;
	const char *keys[MAX_DEPTH + 1];
	int n = 0;

	for (int i = 0; i < c->depth; i++)
		if (*c->stack[i].key)
			keys[n++] = c->stack[i].key;
	keys[n++] = own;
	for (int i = 0; i + 1 < n; i++) {
		size_t len = strlen(keys[i]);
		if (!strncmp(keys[i + 1], keys[i], len) && keys[i + 1][len] == '.')
			continue;
		buf_printf(&b, "%s.", keys[i]);
	}
	buf_adds(&b, own);
	return buf_steal(&b);
}

static char *category_of(const struct context *c)
{
	struct buf b = BUF_INIT;

	for (int i = 0; i < c->depth; i++) {
		buf_adds(&b, i ? " / " : "");
		if (*c->stack[i].key)
			buf_printf(&b, "%s. ", c->stack[i].key);
		buf_adds(&b, c->stack[i].title);
	}
	return c->depth ? buf_steal(&b) : NULL;
}

/* ---- contexts ----------------------------------------------------------------------------- */

static const char *kind_name(enum import_table_kind k)
{
	return k == TABLE_TASKS ? "tasks" : k == TABLE_INDICATORS ? "indicators" : "not tasks";
}

static void new_context(struct reader *rd, struct columns *cols, struct doc_pos pos)
{
	struct context *c = &rd->ctx;
	enum import_table_kind kind = cols->indicators ? TABLE_INDICATORS : TABLE_TASKS;

	context_free(c);
	c->have = true;
	c->cols = *cols;
	c->form = rd->table->form;
	c->kind = kind;
	c->last_row = -1;
	c->unnumbered = 0;
	c->fresh = true;
	struct import_table_read *t = result_add_table(rd->res, rd->block, pos, c->form, kind);
	t->cols.n = cols->n;
	for (int g = 0; g < cols->n; g++) {
		t->cols.role[g] = cols->role[g];
		t->cols.header[g] = xstrdup(cols->header[g]);
	}
	memcpy(t->cols.where, cols->where, sizeof(t->cols.where));
	t->cols.indicators = cols->indicators;
	t->cols.month_first = cols->month_first;
	if (cols->month_first)
		result_problem(rd->res, pos,
		               "the column \"%s\" writes its dates month first (\"1/31/2025\"): "
		               "they are read day first (\"31/1/2025\")",
		               cols->header[cols->where[COL_TIME]]);
	t->why = xstrdup(kind == TABLE_INDICATORS
	                     ? "indicators: no time column, targets to be monitored"
	                     : "tasks: a task or lead column among the roles below");
	rd->n_contexts++;
	char label[32];
	snprintf(label, sizeof(label), "T%d", rd->n_contexts);
	t->label = xstrdup(rd->label_number ? rd->label_number : label);
	t->heading = rd->label_heading ? xstrdup(rd->label_heading) : NULL;
	c->table_read = (int)(rd->res->n_tables - 1);
}

/* The same named roles, number column aside: a header repeated at a page
 * break, sometimes without its STT cell or in other words ("Nội dung"). */
static bool same_roles(const struct columns *a, const struct columns *b)
{
	for (int r = 0; r < COL_ROLES; r++)
		if (r != COL_OTHER && r != COL_INDEX && (a->where[r] >= 0) != (b->where[r] >= 0))
			return false;
	return true;
}

/* "A | B | 1 | 2 | 3": the column numbers a header is followed by. */
static bool column_numbers(const struct doc_cell *c, size_t n)
{
	size_t written = 0, numbers = 0;

	for (size_t i = 0; i < n; i++) {
		const char *s = c[i].text;
		size_t len = strlen(s);
		if (!len)
			continue;
		written++;
		if (len > 4)
			return false;
		if (strspn(s, "0123456789()") == len ||
		    (len <= 2 && isupper((unsigned char)s[0]) &&
		     strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ()") == len))
			numbers++;
		else
			return false;
	}
	return written >= 3 && numbers == written;
}

/* ---- rows ----------------------------------------------------------------------------------- */

static bool inheritable(enum col_role r)
{
	return r != COL_INDEX && r != COL_TASK;
}

/* "1/31/2025" → "31/1/2025", "01/31/2025" → "31/01/2025": a column that writes the month first. */
static void day_first(char **field)
{
	struct buf b = BUF_INIT;
	const char *s = *field;

	for (const char *p = s; *p;) {
		unsigned a, d, y;
		int used = 0, la = 0, ld = 0;
		if (isdigit((unsigned char)*p) && (p == s || !isdigit((unsigned char)p[-1])) &&
		    sscanf(p, "%2u%n/%2u%n/%4u%n", &a, &la, &d, &ld, &y, &used) == 3 && used >= 8 &&
		    !isdigit((unsigned char)p[used])) {
			/* each part keeps its own width: "01/31" → "31/01" */
			buf_add(&b, p + la + 1, (size_t)(ld - la - 1));
			buf_addc(&b, '/');
			buf_add(&b, p, (size_t)la);
			buf_add(&b, p + ld, (size_t)(used - ld));
			p += used;
			continue;
		}
		buf_addc(&b, *p++);
	}
	free(*field);
	*field = buf_steal(&b);
	if (!*field)
		*field = xstrdup("");
}

/* Writes the row's fields from the context's current values (prev). */
static void apply(struct reader *rd, struct import_row *row)
{
	struct context *c = &rd->ctx;
	char **fields[] = {NULL,         NULL,        NULL,
	                   &row->lead,   &row->coord, &row->timeframe,
	                   &row->result, &row->note,  &row->status};
	enum col_role roles[] = {COL_OTHER, COL_INDEX,  COL_TASK, COL_LEAD,  COL_COORD,
	                         COL_TIME,  COL_RESULT, COL_NOTE, COL_STATUS};

	for (size_t i = 3; i < UTIL_NELEM(roles); i++) {
		int g = c->cols.where[roles[i]];
		const char *text = g >= 0 && c->prev[g] ? c->prev[g] : "";
		free(*fields[i]);
		*fields[i] = *text ? xstrdup(text) : NULL;
	}
	if (!row->timeframe)
		row->timeframe = xstrdup("");
	if (c->cols.month_first)
		day_first(&row->timeframe);
	result_one_line(&row->timeframe);
	result_one_line(&row->result);
	result_one_line(&row->note);
	result_one_line(&row->status);
}

/* The row's values become the context's: copied before the old ones go (v may point at them). */
static void remember(struct context *c, const struct value *v)
{
	char *next[COLUMNS_MAX] = {0};

	c->prev_cover = 0;
	for (int g = 0; g < c->cols.n; g++) {
		next[g] = xstrdup(v[g].text ? v[g].text : "");
		c->prev_inherited[g] = v[g].inherited;
		if (v[g].present && !v[g].inherited)
			c->prev_cover = g + 1;
	}
	for (int g = 0; g < COLUMNS_MAX; g++) {
		free(c->prev[g]);
		c->prev[g] = next[g];
		if (g >= c->cols.n)
			c->prev_inherited[g] = false;
	}
}

static void task_row(struct reader *rd, struct value *v, const char *index, const char *base,
                     const char *raw, struct doc_pos pos)
{
	struct context *c = &rd->ctx;
	struct import_result *r = rd->res;
	bool indicator = c->kind == TABLE_INDICATORS;
	struct import_row *row =
	    indicator ? result_add_indicator(r, pos) : result_add_row(r, IMPORT_TABLE, pos);
	struct buf inherited = BUF_INIT;

	/* Merged cells of a flattened table or a PDF: the row above's value. */
	if (loses_spans(c->form) && c->prev_base)
		for (int g = 0; g < c->cols.n; g++)
			if (!v[g].present && inheritable(c->cols.role[g]) && c->prev[g] &&
			    *c->prev[g]) {
				v[g] = (struct value){c->prev[g], 0, false, true};
				if (c->cols.role[g] != COL_OTHER)
					buf_printf(&inherited, "%s%s", inherited.len ? ", " : "",
					           columns_role_name(c->cols.role[g]));
			}
	row->index = index && *index ? one_line(index) : NULL;
	row->base_key = xstrdup(base);
	row->key = xstrdup(base);
	row->context = c->table_read;
	row->category = category_of(c);
	row->title = one_line(col(v, c, COL_TASK)->text);
	row->raw = xstrdup(raw);
	remember(c, v);
	free(c->prev_base);
	c->prev_base = xstrdup(base);
	apply(rd, row);
	c->last_row = indicator ? (ssize_t)(r->n_indicators - 1) : (ssize_t)(r->n_rows - 1);
	c->last_section = false;
	if (!*row->title)
		result_problem(r, pos, "row %s has no task text", base);
	if (inherited.len)
		result_fate(r, rd->block, pos, indicator ? FATE_INDICATOR : FATE_TASK, base,
		            "%s row; %s from the merged cell above",
		            indicator ? "an indicator" : "a task", buf_str(&inherited));
	else
		result_fate(r, rd->block, pos, indicator ? FATE_INDICATOR : FATE_TASK, base,
		            "%s row", indicator ? "an indicator" : "a task");
	buf_free(&inherited);
}

/* A page break carried the row's text over: each cell joins the row above's. */
static void continue_row(struct reader *rd, struct value *v, const char *raw, struct doc_pos pos)
{
	struct context *c = &rd->ctx;
	struct import_row *row = last_row(rd);

	if (c->last_section && c->depth) {
		char *more = one_line(col(v, c, COL_TASK)->text);
		result_append(&c->stack[c->depth - 1].title, more, " ");
		free(more);
		result_fate(rd->res, rd->block, pos, FATE_CONTINUATION, NULL,
		            "no number: the section title above goes on");
		return;
	}
	if (!row) {
		result_problem(rd->res, pos, "a continued row without a row before it: \"%.*s\"",
		               result_cut(raw, 60), raw);
		result_fate(rd->res, rd->block, pos, FATE_UNREAD, NULL,
		            "no number and no row above to continue");
		return;
	}
	for (int g = 0; g < c->cols.n; g++)
		if (filled(&v[g]) && c->prev[g]) {
			char *more = one_line(v[g].text);
			result_append(&c->prev[g], more, " ");
			free(more);
		}
	char *more = one_line(col(v, c, COL_TASK)->text);
	result_append(&row->title, more, " ");
	free(more);
	apply(rd, row);
	result_append(&row->raw, raw, " ");
	result_fate(rd->res, rd->block, pos, FATE_CONTINUATION, row->key,
	            "no number: the text of row %s goes on (a page break)", row->key);
}

/* The end of the row above, cut off by an empty cell of a flattened table. */
static bool tail_row(struct reader *rd, const struct doc_cell *cells, size_t n, const char *raw,
                     struct doc_pos pos)
{
	struct context *c = &rd->ctx;
	struct import_row *row = last_row(rd);
	int at[COLUMNS_MAX], N = c->cols.n;

	if (!row || c->last_section || c->prev_cover >= N || (int)n > N - c->prev_cover)
		return false;
	if (c->cols.where[COL_TASK] >= 0 && c->cols.where[COL_TASK] < c->prev_cover &&
	    cell_score(cells[0].text, cells[0].emph, COL_TASK) >= 4)
		return false; /* a text of its own: a row, not the end of one */
	if (align(c, cells, n, c->prev_cover, N, true, at) < 0)
		return false;
	for (int g = c->prev_cover; g < N; g++) {
		if (c->prev_inherited[g]) {
			free(c->prev[g]);
			c->prev[g] = xstrdup("");
		}
	}
	for (size_t i = 0; i < n; i++) {
		free(c->prev[at[i]]);
		c->prev[at[i]] = xstrdup(cells[i].text);
		c->prev_inherited[at[i]] = false;
	}
	c->prev_cover = at[n - 1] + 1;
	apply(rd, row);
	result_append(&row->raw, raw, " ");
	result_fate(rd->res, rd->block, pos, FATE_TAIL, row->key,
	            "the last cells of row %s, after an empty cell", row->key);
	return true;
}

static bool assigned(const struct context *c, struct value *v)
{
	return filled(col(v, c, COL_LEAD)) || filled(col(v, c, COL_COORD)) ||
	       filled(col(v, c, COL_TIME));
}

/* Any cell written besides the number and the task. */
static bool others_written(const struct context *c, const struct value *v)
{
	for (int g = 0; g < c->cols.n; g++)
		if (g != c->cols.where[COL_INDEX] && g != c->cols.where[COL_TASK] && filled(&v[g]))
			return true;
	return false;
}

/* "LĨNH VỰC GIÁO DỤC": letters, all capitals, more than one word — a group's title. */
static bool capitals(const char *s)
{
	utf8proc_int32_t cp;
	size_t letters = 0;
	bool space = false;

	for (const char *p = s; *p;) {
		utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)p, -1, &cp);
		if (n <= 0)
			return false;
		utf8proc_category_t cat = utf8proc_category(cp);
		if (cat == UTF8PROC_CATEGORY_LL)
			return false;
		letters += cat == UTF8PROC_CATEGORY_LU;
		space |= cp == ' ' && letters;
		p += n;
	}
	return letters >= 4 && space;
}

static bool section_row(const struct context *c, struct value *v, const char *index, int width)
{
	const struct value *task = col(v, c, COL_TASK), *num = col(v, c, COL_INDEX);

	if (!filled(task))
		return false;
	/* A group's title without a number is set apart: bold, italics or capitals. */
	if (!*index)
		return ((task->emph & (DOC_BOLD | DOC_ITALIC)) || capitals(task->text)) &&
		       !others_written(c, v) &&
		       (c->form != DOC_FORM_FLAT || num->present || task->emph & DOC_BOLD ||
		        capitals(task->text));
	if (!words_section_index(index))
		return false;
	/* A roman number heads a section whatever its row holds besides. */
	if (words_roman(index, strcspn(index, ".")) && strlen(index) > 1 + (index[1] == '.'))
		return true;
	if (assigned(c, v))
		return false;
	if (!isdigit((unsigned char)index[0]))
		return true;
	/* "3 | Nhóm việc": a numbered section, unless merged cells were lost. */
	return !loses_spans(c->form) || width >= c->cols.n || (task->emph & DOC_BOLD) ||
	       (num->emph & DOC_BOLD);
}

static void process(struct reader *rd, const struct doc_cell *cells, size_t n, int base,
                    struct doc_pos pos);
static void note_heading(struct reader *rd, const char *number, const char *text);

/* Headings a page glued into cells before a table's header ("**2. Các nhiệm vụ …**"). */
static void note_heading_cells(struct reader *rd, const struct doc_cell *cells, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (const char *s = cells[i].text; *s;) {
			size_t len = strcspn(s, "\n"), marker_at, text_at;
			char *line = xstrndup(s, len);
			size_t m = lines_marker(line, &marker_at, &text_at);
			char *number = xstrndup(line + marker_at, m);
			note_heading(rd, number, m ? line + text_at : line);
			free(number);
			free(line);
			s += len + (s[len] == '\n');
		}
}

/* A section row: the rows under it are its, and none goes on from above.
 * One without a number ("" — a bold group title) has no key of its own. */
static void open_section(struct reader *rd, const char *number, const char *title,
                         struct doc_pos pos, const char *why)
{
	struct context *c = &rd->ctx;

	push_section(c, number, title);
	c->last_section = true;
	c->last_row = -1;
	clear_prev(c);
	result_fate(rd->res, rd->block, pos, FATE_SECTION,
	            *number ? c->stack[c->depth - 1].key : NULL, "%s", why);
}

/*
 * "II. CẢI CÁCH THỦ TỤC HÀNH CHÍNH" written in one cell merged across the
 * table: a section, its number at the start of its text.
 */
static bool spanning_section(struct reader *rd, const struct doc_cell *cells, size_t n,
                             struct doc_pos pos)
{
	struct context *c = &rd->ctx;
	const struct doc_cell *only = NULL;

	for (size_t i = 0; i < n; i++)
		if (*cells[i].text) {
			if (only)
				return false;
			only = &cells[i];
		}
	if (!only || only->col_span < 2 || 2 * only->col_span < c->cols.n)
		return false;
	size_t len = strcspn(only->text, " \n");
	char *number = xstrndup(only->text, len);
	while (len && number[len - 1] == '.')
		number[--len] = '\0';
	const char *title = only->text + strcspn(only->text, " \n");
	title += strspn(title, " \n");
	bool section = len && *title && words_section_index(number);
	if (section)
		open_section(rd, number, title, pos,
		             "a section: its number and title in one cell across the table");
	free(number);
	return section;
}

/*
 * "5.1 | | Thương mại | | |": a number and a bold title alone on their row,
 * wherever the empty cells put the title, head the rows under them.
 */
static bool titled_number(struct reader *rd, const struct doc_cell *cells, size_t n,
                          struct doc_pos pos)
{
	const struct doc_cell *written[3];
	size_t k = 0;

	for (size_t i = 0; i < n && k < 3; i++)
		if (*cells[i].text)
			written[k++] = &cells[i];
	if (k != 2 || !words_index(written[0]->text) || words_figure_start(written[0]->text) ||
	    words_index(written[1]->text) || !(written[1]->emph & DOC_BOLD))
		return false;
	char *index = one_line(written[0]->text);
	open_section(rd, index, written[1]->text, pos,
	             "a section: a number and a bold title, nothing else");
	free(index);
	return true;
}

static void header_row(struct reader *rd, struct columns *cols, struct doc_pos pos)
{
	struct context *c = &rd->ctx;
	bool moved = rd->table && rd->row_index < rd->table->n_rows &&
	             columns_by_cells(cols, rd->table->rows + rd->row_index + 1,
	                              rd->table->n_rows - rd->row_index - 1);

	if (c->have && same_roles(&c->cols, cols) && !rd->heading_since) {
		columns_free(cols);
		result_fate(rd->res, rd->block, pos, FATE_REPEATED_HEADER, NULL,
		            "the header again (a page break)");
		return;
	}
	new_context(rd, cols, pos);
	rd->heading_since = false;
	result_fate(rd->res, rd->block, pos, FATE_HEADER, NULL, "the header: %s%s",
	            kind_name(rd->ctx.kind),
	            moved ? "; the task's text is the column its cells show it in" : "");
}

/* The table's reading takes the context's columns, as they now stand. */
static void publish_columns(struct reader *rd)
{
	struct context *c = &rd->ctx;
	struct import_table_read *t = &rd->res->tables[c->table_read];

	t->cols.n = c->cols.n;
	for (int g = 0; g < c->cols.n; g++) {
		t->cols.role[g] = c->cols.role[g];
		free(t->cols.header[g]);
		t->cols.header[g] = xstrdup(c->cols.header[g]);
	}
	memcpy(t->cols.where, c->cols.where, sizeof(t->cols.where));
	t->cols.indicators = c->cols.indicators;
	c->kind = c->cols.indicators ? TABLE_INDICATORS : TABLE_TASKS;
	t->kind = c->kind;
}

/* "Chủ trì | Phối hợp" under "Cơ quan thực hiện": the header's second row, now part of it. */
static void sub_header_row(struct reader *rd, struct columns *sub, struct doc_pos pos)
{
	columns_free(sub);
	publish_columns(rd);
	result_fate(rd->res, rd->block, pos, FATE_HEADER, NULL,
	            "the header's second row: the columns under a spanning header");
}

static int known_roles(const struct columns *cols)
{
	int known = 0;

	for (int g = 0; g < cols->n; g++)
		known += cols->role[g] != COL_OTHER;
	return known;
}

/* A row of a few short words, none a number, by header column into more[]. */
static bool header_words(const struct context *c, const struct doc_cell *cells, size_t n, int base,
                         const char **more)
{
	for (size_t i = 0; i < n; i++) {
		int g = cells[i].grid_col - base;
		char f[64];
		if (!*cells[i].text)
			continue;
		if (g < 0 || g >= c->cols.n || more[g] ||
		    words_count(words_fold(cells[i].text, f, sizeof(f))) > 3 ||
		    (g == c->cols.where[COL_INDEX] && words_index(cells[i].text)))
			return false;
		more[g] = cells[i].text;
	}
	return true;
}

/*
 * The header's words wrapped onto a second line of a narrow PDF column
 * ("Đơn vị chủ" / "trì", "Thời gian" / "hoàn thành", "T" / "T"): a row of
 * short words under a fresh header, no number, that joined to the header's
 * cells names more columns than it did. The header takes them.
 */
static bool wrapped_header_row(struct reader *rd, const struct doc_cell *cells, size_t n, int base,
                               struct doc_pos pos)
{
	struct context *c = &rd->ctx;
	const char *more[COLUMNS_MAX] = {0};
	struct doc_cell joined[COLUMNS_MAX] = {0};
	struct buf text[COLUMNS_MAX];
	struct columns cols;
	int N = c->cols.n;
	bool taken = false;

	if (!header_words(c, cells, n, base, more))
		return false;
	for (int g = 0; g < N; g++) {
		text[g] = (struct buf)BUF_INIT;
		buf_printf(&text[g], "%s%s%s", c->cols.header[g], more[g] ? " " : "",
		           more[g] ? more[g] : "");
		joined[g] = (struct doc_cell){
		    .text = (char *)buf_str(&text[g]), .col_span = 1, .row_span = 1, .grid_col = g};
	}
	if (columns_read(joined, (size_t)N, &cols)) {
		taken = known_roles(&cols) > known_roles(&c->cols);
		if (taken) {
			columns_free(&c->cols);
			c->cols = cols;
			publish_columns(rd);
			result_fate(rd->res, rd->block, pos, FATE_HEADER, NULL,
			            "the header's words wrapped onto a second line");
		} else
			columns_free(&cols);
	}
	for (int g = 0; g < N; g++)
		buf_free(&text[g]);
	return taken;
}

/* A row longer than the header: a header or a row starts inside it, or site text follows. */
static bool overflow(struct reader *rd, const struct doc_cell *cells, size_t n, int base,
                     struct doc_pos pos)
{
	struct context *c = &rd->ctx;
	struct columns inner;
	size_t fit = 0;

	while (fit < n && cells[fit].grid_col - base < c->cols.n)
		fit++;
	for (size_t p = 1; p < n; p++)
		if (columns_role(cells[p].text) != COL_OTHER &&
		    columns_read(cells + p, n - p, &inner)) {
			columns_free(&inner);
			process(rd, cells, p < fit ? p : fit, base, pos);
			if (p > fit)
				note_heading_cells(rd, cells + fit, p - fit);
			process(rd, cells + p, n - p, cells[p].grid_col, pos);
			return true;
		}
	for (size_t p = fit; p + 1 < n; p++)
		if (words_index(cells[p].text)) {
			process(rd, cells, fit, base, pos);
			char *noise = raw_of(cells + fit, p - fit);
			if (*noise)
				result_problem(rd->res, pos,
				               "text after the last column, not read: \"%.*s\"",
				               result_cut(noise, 80), noise);
			free(noise);
			process(rd, cells + p, n - p, cells[p].grid_col, pos);
			return true;
		}
	if (fit < n) {
		char *noise = raw_of(cells + fit, n - fit);
		if (*noise)
			result_problem(rd->res, pos,
			               "text after the last column, not read: \"%.*s\"",
			               result_cut(noise, 80), noise);
		free(noise);
		process(rd, cells, fit, base, pos);
		return true;
	}
	return false;
}

/* A row before any header: a task-looking one is reported, never silently dropped. */
static void headerless_row(struct reader *rd, const struct doc_cell *cells, size_t n,
                           struct doc_pos pos)
{
	size_t i = 0, written = 0, long_text = 0;

	while (i < n && !*cells[i].text)
		i++;
	bool numbered = i < n && words_index(cells[i].text) && !words_figure_start(cells[i].text);
	for (size_t k = i; k < n; k++) {
		char buf[256];
		written += *cells[k].text != '\0';
		long_text += words_count(words_fold(cells[k].text, buf, sizeof(buf))) >= 4;
	}
	if (numbered && written >= 3 && long_text) {
		char *raw = raw_of(cells, n);
		result_problem(rd->res, pos,
		               "a numbered row in a table with no task header above it, not read: "
		               "\"%.*s\"",
		               result_cut(raw, 60), raw);
		free(raw);
		result_fate(rd->res, rd->block, pos, FATE_UNREAD, NULL,
		            "numbered, but no header names a task or lead column");
		return;
	}
}

/* The number cell as a key would have it ("1\r\n.2" is "1.2"), or "" when it holds none. */
static char *row_number(struct context *c, struct value *v)
{
	char *index = one_line(col(v, c, COL_INDEX)->text);

	if (strlen(index) <= 16) {
		size_t o = 0;
		for (size_t k = 0; index[k]; k++)
			if (index[k] != ' ')
				index[o++] = index[k];
		index[o] = '\0';
	}
	/* A number alone is an STT however big; "2026 - 2030" in it is a figure. */
	bool bare = strspn(index, "0123456789.") == strlen(index);
	if ((!bare && words_figure_start(index)) || !words_index(index)) {
		/* Not a number: text in the number column, the task's when it has none. */
		if (*index && !filled(col(v, c, COL_TASK)) && c->cols.where[COL_TASK] >= 0)
			v[c->cols.where[COL_TASK]] = *col(v, c, COL_INDEX);
		free(index);
		index = xstrdup("");
	}
	return index;
}

/*
 * A table with no number column numbers its rows in the task's cell, if at
 * all: "1. Luật …" is row 1 with the title "Luật …". The number, or "".
 */
static char *number_in_task(struct context *c, struct value *v)
{
	struct value *task = col(v, c, COL_TASK);
	size_t n = strcspn(task->text, " \n");

	if (c->cols.where[COL_INDEX] >= 0 || !n || n > 12 || !task->text[n] ||
	    (task->text[n - 1] != '.' && task->text[n - 1] != ')') ||
	    !isdigit((unsigned char)task->text[0]))
		return xstrdup("");
	char *index = xstrndup(task->text, n);
	if (!words_index(index)) {
		free(index);
		return xstrdup("");
	}
	task->text += n + strspn(task->text + n, " \n");
	return index;
}

/*
 * In a table with no number column a row that writes a task and assigns it
 * (a lead, partners or a time) is a task of its own, keyed by its place
 * among them; only a row that assigns nothing goes on from the row above.
 */
static bool unnumbered_task(const struct context *c, struct value *v)
{
	return c->cols.where[COL_INDEX] < 0 && filled(col(v, c, COL_TASK)) && assigned(c, v);
}

/* Nothing but dots, "…" and spaces: the ellipsis of a form's last line. */
static bool only_dots(const char *s)
{
	while (*s) {
		if (*s == '.' || *s == ' ')
			s++;
		else if (!strncmp(s, "…", strlen("…")))
			s += strlen("…");
		else
			return false;
	}
	return true;
}

/* A row that writes nothing beside its number: "| 1 | | | |", "| ... | | |". */
static bool blank_row(const struct context *c, struct value *v)
{
	const struct value *task = col(v, c, COL_TASK);

	return !others_written(c, v) && (!filled(task) || only_dots(task->text));
}

/* A row that is neither a header nor furniture: a task, a section, or the rest of one. */
static void data_row(struct reader *rd, const struct doc_cell *cells, size_t n, int base,
                     const char *raw, struct doc_pos pos)
{
	struct context *c = &rd->ctx;
	struct value v[COLUMNS_MAX];
	bool flat = c->form == DOC_FORM_FLAT;

	map_cells(rd, cells, n, base, v);
	char *index = row_number(c, v);
	if (!*index) {
		free(index);
		index = number_in_task(c, v);
	}
	if (flat && !*index && tail_row(rd, cells, n, raw, pos)) {
		/* done */
	} else if (!flat && blank_row(c, v)) {
		/* "| 1 | | | |", "| ... | | |": a report form's blank line, to be filled in. */
		result_fate(rd->res, rd->block, pos, FATE_TEXT, NULL,
		            "a blank row of a form: nothing written beside its number");
	} else if (section_row(c, v, index, cover(cells, n, base))) {
		open_section(rd, index, col(v, c, COL_TASK)->text, pos,
		             *index
		                 ? "a section: a section number, nothing assigned"
		                 : "a section: a group title in bold or italics, nothing assigned");
	} else if (!*index && !flat && unnumbered_task(c, v)) {
		char own[16];
		snprintf(own, sizeof(own), "%d", ++c->unnumbered);
		char *base_key = row_key(c, own);
		task_row(rd, v, own, base_key, raw, pos);
		free(base_key);
	} else if (!*index && !flat &&
	           !(c->last_section && assigned(c, v) && filled(col(v, c, COL_TASK)))) {
		continue_row(rd, v, raw, pos);
	} else if (!*index && flat && !filled(col(v, c, COL_TASK))) {
		continue_row(rd, v, raw, pos);
	} else {
		char *own = *index ? words_index_key(index) : NULL;
		if (own)
			sibling_ends_section(c, own);
		char *base_key = own                    ? row_key(c, own)
		                 : flat && c->prev_base ? xstrdup(c->prev_base)
		                                        : row_key(c, "0");
		task_row(rd, v, index, base_key, raw, pos);
		free(own);
		free(base_key);
	}
	free(index);
}

/* "Tổng cộng: 4 nhiệm vụ", "Cộng": the sum a spreadsheet ends with, no row's text. */
static bool total_row(const struct doc_cell *cells, size_t n)
{
	char buf[256];
	size_t i = 0;

	while (i < n && !*cells[i].text)
		i++;
	if (i == n || words_index(cells[i].text))
		return false;
	const char *f = words_fold(cells[i].text, buf, sizeof(buf));
	return words_starts(f, "tong cong") || !strcmp(f, "cong") || !strncmp(f, "cong:", 5);
}

static void process(struct reader *rd, const struct doc_cell *cells, size_t n, int base,
                    struct doc_pos pos)
{
	struct context *c = &rd->ctx;
	struct columns cols;

	if (!n)
		return;
	if (c->have && !rd->heading_since && columns_repeated(&c->cols, cells, n)) {
		result_fate(rd->res, rd->block, pos, FATE_REPEATED_HEADER, NULL,
		            "the header's words again, without some columns");
		return;
	}
	if (columns_read(cells, n, &cols)) {
		if (c->have && c->fresh && columns_sub_header(&c->cols, &cols))
			sub_header_row(rd, &cols, pos);
		else
			header_row(rd, &cols, pos);
		return;
	}
	if (c->have && c->fresh && wrapped_header_row(rd, cells, n, base, pos))
		return;
	if (!c->have) {
		/* The text before a table runs into its header row when nothing closes it. */
		for (size_t p = 1; p < n; p++)
			if (columns_role(cells[p].text) != COL_OTHER &&
			    columns_read(cells + p, n - p, &cols)) {
				columns_free(&cols);
				headerless_row(rd, cells, p, pos);
				note_heading_cells(rd, cells, p);
				process(rd, cells + p, n - p, cells[p].grid_col, pos);
				return;
			}
		headerless_row(rd, cells, n, pos);
		return;
	}
	if (column_numbers(cells, n)) {
		result_fate(rd->res, rd->block, pos, FATE_COLUMN_NUMBERS, NULL,
		            "the columns' numbers under the header");
		return;
	}
	int width = cover(cells, n, base);
	if (width > c->cols.n && overflow(rd, cells, n, base, pos))
		return;
	char *raw = raw_of(cells, n);
	if (!*raw) {
		free(raw);
		result_fate(rd->res, rd->block, pos, FATE_NOISE, NULL, "an empty row");
		return;
	}
	if (total_row(cells, n)) {
		free(raw);
		result_fate(rd->res, rd->block, pos, FATE_NOISE, NULL, "a total row");
		return;
	}
	c->fresh = false;
	if (titled_number(rd, cells, n, pos) || spanning_section(rd, cells, n, pos)) {
		free(raw);
		return;
	}
	data_row(rd, cells, n, base, raw, pos);
	free(raw);
}

/* ---- headings between tables, for labels ---------------------------------------------------- */

static void note_heading(struct reader *rd, const char *number, const char *text)
{
	char buf[128];
	const char *f = words_fold(text, buf, sizeof(buf));
	char *label = NULL;

	if (words_starts(f, "phu luc")) {
		/* "Phụ lục II …" → "PL.II"; "Phụ lục" and a title → "PL". */
		const char *rest = text + strcspn(text, " ");
		rest += strspn(rest, " ");
		rest += strcspn(rest, " "); /* "Phụ lục" is two words */
		rest += strspn(rest, " ");
		size_t n = strcspn(rest, " .:");
		struct buf b = BUF_INIT;
		buf_adds(&b, "PL");
		if (n && n <= 6 && (words_roman(rest, n) || strspn(rest, "0123456789") == n))
			buf_printf(&b, ".%.*s", (int)n, rest);
		label = buf_steal(&b);
	} else if (*number && number[0] != '-' && number[0] != '+' && strlen(text) < 300) {
		label = words_index_key(number);
	}
	if (!label)
		return;
	/* Keys take the label: no spaces, no dots but between parts. */
	for (char *s = label; *s; s++)
		if (isspace((unsigned char)*s))
			*s = '-';
	free(rd->label_number);
	free(rd->label_heading);
	rd->label_number = label;
	struct buf b = BUF_INIT;
	if (*number && strncmp(number, "-", 1))
		buf_printf(&b, "%s ", number);
	buf_adds(&b, text);
	rd->label_heading = buf_steal(&b);
	result_one_line(&rd->label_heading);
	rd->heading_since = true;
}

/*
 * A table with no header of its own goes on with the one before only when
 * it looks like its rest (a page break, or prose the copy put between):
 * the same form, no heading between, a first row as wide or numbered.
 */
static void keep_or_end(struct reader *rd, const struct doc_table *t)
{
	struct context *c = &rd->ctx;
	const struct doc_row *first = NULL;
	struct columns cols;

	if (!c->have)
		return;
	for (size_t i = 0; i < t->n_rows && !first; i++)
		if (t->rows[i].n_cells)
			first = &t->rows[i];
	if (!first)
		return;
	if (columns_read(first->cells, first->n_cells, &cols)) {
		columns_free(&cols);
		return;
	}
	bool numbered = words_index(first->cells[0].text) &&
	                (first->n_cells >= 3 || words_section_index(first->cells[0].text));
	bool same = t->form == c->form && !rd->heading_since &&
	            (cover(first->cells, first->n_cells, 0) == c->cols.n ||
	             (t->form == DOC_FORM_FLAT && numbered));
	if (!same)
		context_free(c);
}

void tables_read(const struct doc *d, struct import_result *r)
{
	struct reader rd = {.doc = d, .res = r};

	rd.ctx.last_row = -1;
	for (size_t b = 0; b < d->n_blocks; b++) {
		const struct doc_block *blk = &d->blocks[b];
		rd.block = b;
		if (blk->kind == DOC_PARAGRAPH) {
			note_heading(&rd, blk->para->number, blk->para->text);
			continue;
		}
		rd.table = blk->table;
		keep_or_end(&rd, blk->table);
		size_t before = r->n_tables;
		for (size_t i = 0; i < blk->table->n_rows; i++) {
			const struct doc_row *row = &blk->table->rows[i];
			rd.row_index = i;
			process(&rd, row->cells, row->n_cells, 0, row->pos);
		}
		if (r->n_tables == before && !rd.ctx.have)
			result_add_table(r, b, blk->table->pos, blk->table->form, TABLE_OTHER)
			    ->why = xstrdup("no row reads as a header with a task or lead column");
		free(rd.label_number);
		free(rd.label_heading);
		rd.label_number = rd.label_heading = NULL;
	}
	context_free(&rd.ctx);
	free(rd.label_number);
	free(rd.label_heading);
}
