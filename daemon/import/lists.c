/*
 * lists — see import/lists.h.
 *
 * Two passes over the same paragraphs: items with labels, then duties.
 * Paragraphs are the document's own, and the cells of tables that hold no
 * task header, each split at its line breaks.
 */
#include "import/lists.h"

#include "buf.h"
#include "import/lines.h"
#include "import/words.h"
#include "text.h"
#include "util.h"

#include <ctype.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 8

/* A paragraph as the lists read it. */
struct para {
	size_t block;
	bool from_cell;     /* a line of a table cell: only what it makes is worth a note */
	const char *number; /* "1.", "a)", "II.", "-", "" */
	char *text;         /* without the number */
	struct doc_pos pos;
};

enum para_kind { PARA_PLAIN, PARA_ROMAN, PARA_NUMBERED, PARA_LETTERED, PARA_BULLET };

static enum para_kind kind_of(const char *number)
{
	size_t n = strlen(number);

	if (!n)
		return PARA_PLAIN;
	if (isdigit((unsigned char)number[0]))
		return PARA_NUMBERED;
	if (words_roman(number, strcspn(number, ".")) && number[n - 1] == '.')
		return PARA_ROMAN;
	if (number[n - 1] == ')' && n <= 3)
		return PARA_LETTERED;
	if (!isalnum((unsigned char)number[0]) && strncmp(number, "Đ", 2))
		return PARA_BULLET;
	return PARA_PLAIN;
}

/* ---- collecting the paragraphs --------------------------------------------------------------- */

struct paras {
	struct para *v;
	size_t n, cap;
};

static void add_para(struct paras *ps, size_t block, const char *number, const char *text,
                     size_t len, struct doc_pos pos)
{
	if (ps->n == ps->cap)
		ps->v = xrealloc(ps->v, (ps->cap = ps->cap ? ps->cap * 2 : 64) * sizeof(*ps->v));
	ps->v[ps->n++] = (struct para){block, false, number, xstrndup(text, len), pos};
}

static bool task_block(const struct import_result *r, size_t block)
{
	for (size_t i = 0; i < r->n_tables; i++)
		if (r->tables[i].block == block && r->tables[i].kind != TABLE_OTHER)
			return true;
	return false;
}

/* The markers a cell's lines start with, kept for the paragraphs made from it. */
static const char *const cell_markers[] = {"", "-", "+", "•"};

static const char *cell_number(const char *s, size_t n, size_t *skip)
{
	size_t marker_at, text_at;
	char *line = xstrndup(s, n);
	size_t m = lines_marker(line, &marker_at, &text_at);
	const char *number = cell_markers[0];

	*skip = 0;
	if (m && (line[marker_at] == '-' || line[marker_at] == '+')) {
		number = cell_markers[line[marker_at] == '-' ? 1 : 2];
		*skip = text_at;
	}
	free(line);
	return number;
}

static void collect(const struct doc *d, const struct import_result *r, struct paras *ps)
{
	for (size_t b = 0; b < d->n_blocks; b++) {
		const struct doc_block *blk = &d->blocks[b];
		if (blk->kind == DOC_PARAGRAPH) {
			add_para(ps, b, blk->para->number, blk->para->text, strlen(blk->para->text),
			         blk->para->pos);
			continue;
		}
		if (task_block(r, b))
			continue;
		for (size_t i = 0; i < blk->table->n_rows; i++)
			for (size_t c = 0; c < blk->table->rows[i].n_cells; c++) {
				const struct doc_cell *cell = &blk->table->rows[i].cells[c];
				for (const char *s = cell->text; *s;) {
					size_t n = strcspn(s, "\n"), skip;
					const char *number = cell_number(s, n, &skip);
					add_para(ps, b, number, s + skip, n - skip, cell->pos);
					ps->v[ps->n - 1].from_cell = true;
					s += n + (s[n] == '\n');
				}
			}
	}
}

static void paras_free(struct paras *ps)
{
	for (size_t i = 0; i < ps->n; i++)
		free(ps->v[i].text);
	free(ps->v);
}

/* ---- text helpers -------------------------------------------------------------------------- */

/* Drops trailing punctuation that is not part of a name or a phrase. */
static char *clean_value(const char *s, size_t len)
{
	char *v = xstrndup(s, len);
	result_one_line(&v);
	size_t n = strlen(v);
	while (n && strchr(";.,: -+", v[n - 1]))
		v[--n] = '\0';
	while (n && (v[0] == '-' || v[0] == '+' || v[0] == ' ')) {
		memmove(v, v + 1, n);
		n--;
	}
	return v;
}

/* ---- labels ------------------------------------------------------------------------------- */

enum label { LABEL_NONE, LABEL_LEAD, LABEL_COORD, LABEL_TIME, LABEL_CONTENT, LABEL_RESULT };

#define LABEL_MAX 70 /* bytes before the colon */

static enum label label_of(const char *s, size_t len)
{
	char buf[LABEL_MAX * 2];
	char *raw = xstrndup(s, len);
	const char *f = words_fold(raw, buf, sizeof(buf));
	enum label l = LABEL_NONE;

	free(raw);
	if (words_count(f) > 9)
		return LABEL_NONE;
	/* A label names who or when: "Đơn vị chủ trì", "Cơ quan phối hợp",
	 * "Chủ trì"; "Chủ trì triển khai các nhiệm vụ:" is a sentence. */
	bool noun = words_starts(f, "don vi") || words_starts(f, "co quan") ||
	            words_starts(f, "trach nhiem") || words_starts(f, "to chuc") ||
	            words_starts(f, "bo phan") || words_starts(f, "phan cong");
	bool bare_lead = !strcmp(f, "chu tri") || !strcmp(f, "chu tri thuc hien");
	bool bare_coord = !strcmp(f, "phoi hop") || !strcmp(f, "phoi hop thuc hien");
	if (words_starts(f, "noi dung"))
		l = LABEL_CONTENT;
	else if (words_has(f, "chu tri") && (noun || bare_lead))
		l = LABEL_LEAD;
	else if (words_has(f, "phoi hop") && (noun || bare_coord))
		l = LABEL_COORD;
	else if (noun && (words_has(f, "thuc hien") || words_has(f, "chiu trach nhiem") ||
	                  words_has(f, "phu trach") || words_has(f, "trach nhiem")))
		l = LABEL_LEAD;
	else if (words_starts(f, "thoi gian toi") || words_starts(f, "thoi gian qua") ||
	         words_starts(f, "thoi gian sap toi"))
		l = LABEL_NONE; /* "Trong thời gian tới:" opens what follows; no deadline */
	else if (words_starts(f, "thoi gian") || words_starts(f, "thoi han") ||
	         words_starts(f, "tien do") || words_starts(f, "han hoan thanh") ||
	         words_starts(f, "thoi diem"))
		l = LABEL_TIME;
	else if (words_starts(f, "noi dung"))
		l = LABEL_CONTENT;
	else if (words_starts(f, "san pham") || words_starts(f, "ket qua"))
		l = LABEL_RESULT;
	return l;
}

struct found_label {
	enum label label;
	size_t at, value; /* where the label and its value start */
};

/* A label at s + at: "<words>:" with the colon close enough. */
static bool label_at(const char *s, size_t at, struct found_label *out)
{
	const char *colon = strchr(s + at, ':');

	if (!colon || (size_t)(colon - (s + at)) > LABEL_MAX)
		return false;
	enum label l = label_of(s + at, (size_t)(colon - (s + at)));
	if (l == LABEL_NONE)
		return false;
	*out = (struct found_label){l, at, (size_t)(colon - s) + 1};
	return true;
}

/*
 * The labels of a paragraph: at its start, and after a "- ", "+ " or line
 * break that follows a ';', '.' or ':' ("Cơ quan thực hiện: - Đơn vị chủ
 * trì: X; - Đơn vị phối hợp: Y"), or after a first label's "; " alone
 * ("Chủ trì: X; phối hợp: Y; thời gian: Z"). Returns how many (at most max).
 */
static size_t scan_labels(const char *s, struct found_label *out, size_t max)
{
	size_t n = 0;

	if (label_at(s, 0, &out[0]))
		n = 1;
	for (size_t i = 1; s[0] && s[i] && n < max; i++) {
		bool bullet = (s[i] == '-' || s[i] == '+') && s[i + 1] == ' ' && s[i - 1] == ' ';
		/* After a first label, the next may follow its value's ';' alone:
		 * "Chủ trì: X; phối hợp: Y; thời gian: Z". */
		bool after_value = n && i >= 2 && s[i - 1] == ' ' && s[i - 2] == ';' && s[i] != ' ';
		if (after_value && !bullet && label_at(s, i, &out[n])) {
			n++;
			continue;
		}
		if (!bullet && s[i - 1] != '\n')
			continue;
		size_t back = i - 1;
		while (back > 0 && s[back] == ' ')
			back--;
		if (bullet && !strchr(";.:\n", s[back]))
			continue;
		size_t at = bullet ? i + 2 : i;
		if (n && at < out[n - 1].value)
			continue;
		if (label_at(s, at, &out[n]))
			n++;
	}
	return n;
}

/* ---- items and their tasks ------------------------------------------------------------------- */

struct item {
	char *index, *title, *path; /* path: the titles of the sections and items above */
	struct doc_pos pos;
	size_t block;
	bool has_child;
	size_t first_row, n_rows; /* the tasks it holds */
};

struct prose {
	struct import_result *r;
	char *section; /* "III. NỘI DUNG THỰC HIỆN" */
	struct item *items;
	size_t n_items;
	size_t stack[MAX_DEPTH];
	int depth, numbered_depth;
	ssize_t row; /* the task being filled, or -1 */
	bool section_has_task;
	enum label pending; /* a label whose value is the bullets under it */
	const char *pending_bullet;
	struct buf content; /* text since the item's heading or the last task */
	char **contents;    /* per task of this section: that text, for titles */
	size_t n_contents;
};

/* Plain text is noted for the paragraphs of the document, not for each line of a cell. */
static void text_fate(struct prose *p, const struct para *para, const char *why)
{
	if (!para->from_cell)
		result_fate(p->r, para->block, para->pos, FATE_TEXT, NULL, "%s", why);
}

static void new_item(struct prose *p, char *index, char *title, struct doc_pos pos, size_t block,
                     int depth)
{
	struct buf path = BUF_INIT;

	if (p->section)
		buf_adds(&path, p->section);
	for (int i = 0; i < depth && i < p->depth; i++) {
		struct item *up = &p->items[p->stack[i]];
		buf_printf(&path, "%s%s. %s", path.len ? " / " : "", up->index, up->title);
	}
	if (depth > 0 && depth <= p->depth)
		p->items[p->stack[depth - 1]].has_child = true;
	p->items = xrealloc(p->items, (p->n_items + 1) * sizeof(*p->items));
	p->items[p->n_items] = (struct item){
	    index, title, path.len ? buf_steal(&path) : NULL, pos, block, false, 0, 0};
	buf_free(&path);
	p->depth = depth < MAX_DEPTH ? depth : MAX_DEPTH - 1;
	p->stack[p->depth++] = p->n_items++;
	p->row = -1;
	p->pending = LABEL_NONE;
	buf_reset(&p->content);
}

static struct import_row *new_task(struct prose *p, struct doc_pos pos, size_t block)
{
	size_t at = p->stack[p->depth - 1];
	struct item *it = &p->items[at];
	struct import_row *row = result_add_row(p->r, IMPORT_PROSE, it->pos);

	row->base_key = xstrdup(it->index);
	row->key = xstrdup(it->index);
	row->context = -1;
	row->index = xstrdup(it->index);
	row->category = it->path ? xstrdup(it->path) : NULL;
	row->title = xstrdup(it->title);
	row->timeframe = xstrdup("");
	row->raw = xstrdup(it->title);
	if (!it->n_rows)
		it->first_row = p->r->n_rows - 1;
	it->n_rows++;
	p->section_has_task = true;
	p->row = (ssize_t)(p->r->n_rows - 1);
	/* The text written since the item's heading (or the task before) is this one's. */
	p->contents = xrealloc(p->contents, p->r->n_rows * sizeof(*p->contents));
	for (size_t i = p->n_contents; i < p->r->n_rows; i++)
		p->contents[i] = NULL;
	p->n_contents = p->r->n_rows;
	p->contents[p->r->n_rows - 1] = p->content.len ? xstrdup(buf_str(&p->content)) : NULL;
	buf_reset(&p->content);
	result_fate(p->r, block, pos, FATE_TASK, row->key, "a labelled task of item %s", it->index);
	return row;
}

/* An item with several tasks: each is titled by its own text, where it has one. */
static void retitle(struct prose *p, const struct item *it)
{
	if (it->n_rows < 2)
		return;
	for (size_t i = it->first_row; i < p->n_contents; i++) {
		struct import_row *row = &p->r->rows[i];
		if (row->layout != IMPORT_PROSE || strcmp(row->base_key, it->index) ||
		    !p->contents[i])
			continue;
		free(row->title);
		row->title = clean_value(p->contents[i], strlen(p->contents[i]));
	}
}

static void end_section(struct prose *p)
{
	size_t leaves = 0, with_tasks = 0;

	for (size_t i = 0; i < p->n_items; i++)
		if (!p->items[i].has_child) {
			leaves++;
			with_tasks += p->items[i].n_rows > 0;
		}
	/* Items among labelled ones, most of them: a leaf without labels is a
	 * task whose labels were forgotten, kept and flagged. */
	bool flag_leaves = p->section_has_task && with_tasks * 2 >= leaves;
	for (size_t i = 0; i < p->n_items; i++) {
		struct item *it = &p->items[i];
		retitle(p, it);
		if (it->has_child || it->n_rows || !flag_leaves)
			continue;
		/* A leaf item among labelled ones, without labels: kept, flagged. */
		result_problem(p->r, it->pos, "item %s has no 'Đơn vị chủ trì' line", it->index);
		p->stack[0] = i;
		p->depth = 1;
		new_task(p, it->pos, it->block);
	}
	for (size_t i = 0; i < p->n_items; i++) {
		free(p->items[i].index);
		free(p->items[i].title);
		free(p->items[i].path);
	}
	free(p->items);
	free(p->section);
	p->items = NULL;
	p->section = NULL;
	p->n_items = 0;
	p->depth = p->numbered_depth = 0;
	p->row = -1;
	p->section_has_task = false;
	p->pending = LABEL_NONE;
	buf_reset(&p->content);
}

static char **field_of(struct import_row *row, enum label l)
{
	return l == LABEL_LEAD    ? &row->lead
	       : l == LABEL_COORD ? &row->coord
	       : l == LABEL_TIME  ? &row->timeframe
	                          : &row->result;
}

static void set_label(struct prose *p, const struct para *para, enum label l, const char *value,
                      size_t len)
{
	char *v = clean_value(value, len);

	if (l == LABEL_CONTENT) {
		if (*v)
			buf_printf(&p->content, "%s%s", p->content.len ? " " : "", v);
		p->pending = *v ? LABEL_NONE : LABEL_CONTENT;
		free(v);
		return;
	}
	if (!p->depth) {
		result_problem(p->r, para->pos, "'%.*s' outside any numbered item",
		               result_cut(para->text, 40), para->text);
		result_fate(p->r, para->block, para->pos, FATE_UNREAD, NULL,
		            "a label outside any numbered item");
		free(v);
		return;
	}
	struct import_row *row = p->row >= 0 ? &p->r->rows[p->row] : NULL;
	/* A result says what a task yields: it makes none of its own. */
	if (l == LABEL_RESULT && !row) {
		free(v);
		return;
	}
	/* A second lead under one item starts another task. */
	if (!row || (l == LABEL_LEAD && row->lead && *v))
		row = new_task(p, para->pos, para->block);
	char **field = field_of(row, l);
	if (*v) {
		free(*field);
		*field = v;
		p->pending = LABEL_NONE;
	} else {
		free(v);
		p->pending = l;
		p->pending_bullet = para->number;
	}
	result_append(&row->raw, para->text, " ");
}

static bool labels_line(struct prose *p, const struct para *para)
{
	struct found_label found[8];
	size_t n = scan_labels(para->text, found, 8);

	if (!n || found[0].at != 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		size_t end = i + 1 < n ? found[i + 1].at : strlen(para->text);
		set_label(p, para, found[i].label, para->text + found[i].value,
		          end - found[i].value);
	}
	result_fate(p->r, para->block, para->pos, FATE_LABEL,
	            p->row >= 0 ? p->r->rows[p->row].key : NULL, "%zu label%s", n,
	            n > 1 ? "s" : "");
	return true;
}

static void prose_para(struct prose *p, const struct para *para)
{
	enum para_kind kind = kind_of(para->number);

	if (kind == PARA_ROMAN) {
		end_section(p);
		struct buf b = BUF_INIT;
		buf_printf(&b, "%s %s", para->number, para->text);
		p->section = clean_value(buf_str(&b), b.len);
		buf_free(&b);
		text_fate(p, para, "a section heading");
		return;
	}
	if (labels_line(p, para))
		return;
	if (kind == PARA_NUMBERED && !words_figure_start(para->number)) {
		int depth = 1;
		for (const char *c = para->number; *c; c++)
			depth += *c == '.' && isdigit((unsigned char)c[1]);
		new_item(p, words_index_key(para->number),
		         clean_value(para->text, strlen(para->text)), para->pos, para->block,
		         depth - 1);
		p->numbered_depth = p->depth;
		text_fate(p, para, "a numbered item (a task when labels follow)");
		return;
	}
	if (kind == PARA_LETTERED && p->numbered_depth) {
		struct buf idx = BUF_INIT;
		const struct item *up = &p->items[p->stack[p->numbered_depth - 1]];
		buf_printf(&idx, "%s.%.*s", up->index, (int)strlen(para->number) - 1, para->number);
		new_item(p, buf_steal(&idx), clean_value(para->text, strlen(para->text)), para->pos,
		         para->block, p->numbered_depth);
		text_fate(p, para, "a lettered item (a task when labels follow)");
		return;
	}
	/* The bullets under a label left empty are its value ("Thời gian thực hiện:" / "+ …"). */
	if (p->pending != LABEL_NONE && p->pending != LABEL_CONTENT && p->row >= 0 &&
	    kind == PARA_BULLET && strcmp(para->number, p->pending_bullet)) {
		struct import_row *row = &p->r->rows[p->row];
		/* Each part keeps its bullet: "+ Các sở … trước ngày 30/6; + Sở Tài chính …". */
		struct buf b = BUF_INIT;
		buf_printf(&b, "%s%s%s", para->number, *para->number ? " " : "", para->text);
		char *v = xstrdup(buf_str(&b));
		result_one_line(&v);
		result_append(field_of(row, p->pending), v, "\n");
		result_append(&row->raw, para->text, " ");
		free(v);
		buf_free(&b);
		result_fate(p->r, para->block, para->pos, FATE_LABEL, row->key,
		            "the value of the label above");
		return;
	}
	if (p->pending == LABEL_CONTENT && kind == PARA_BULLET) {
		buf_printf(&p->content, "%s%s", p->content.len ? " " : "", para->text);
		text_fate(p, para, "content of the item");
		return;
	}
	p->pending = LABEL_NONE;
	if (p->depth && *para->text)
		buf_printf(&p->content, "%s%s", p->content.len ? " " : "", para->text);
	if (p->row >= 0 && *para->text)
		result_append(&p->r->rows[p->row].raw, para->text, " ");
	text_fate(p, para, "text");
}

static void read_prose(const struct paras *ps, struct import_result *r)
{
	struct prose p = {.r = r, .row = -1};

	for (size_t i = 0; i < ps->n; i++)
		prose_para(&p, &ps->v[i]);
	end_section(&p);
	for (size_t i = 0; i < p.n_contents; i++)
		free(p.contents[i]);
	free(p.contents);
	buf_free(&p.content);
}

/* ---- reporting duties ----------------------------------------------------------------------- */

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
 * The deadline written in text (folded as f, mapped by map): a date and a
 * recurrence close by joined ("định kỳ hằng năm (trước ngày 15/12)"), or
 * far apart both kept ("định kỳ hằng quý, trước ngày 20 của tháng cuối
 * quý"); else either; else "…, thường xuyên." as the last clause (ongoing
 * work). NULL when there is none.
 */
static char *deadline_text(const char *text, const uint32_t *map, const char *f, struct match date,
                           struct match rec)
{
	struct buf out = BUF_INIT;
	bool has_date = date.b > date.a, has_rec = rec.b > rec.a;
	size_t gap = date.a > rec.b ? date.a - rec.b : rec.a > date.b ? rec.a - date.b : 0;

	if (has_date && has_rec && gap <= 16) {
		struct match both = {date.a < rec.a ? date.a : rec.a,
		                     date.b > rec.b ? date.b : rec.b};
		original(text, map, f, both, &out);
	} else if (has_date && has_rec) {
		original(text, map, f, rec, &out);
		buf_adds(&out, ", ");
		original(text, map, f, date, &out);
	} else if (has_date || has_rec) {
		original(text, map, f, has_date ? date : rec, &out);
	} else {
		struct match ongoing = find_re("[,;] (thuc hien )?thuong xuyen[.;]?$", f);
		if (ongoing.b > ongoing.a) {
			ongoing.a += 2;
			while (ongoing.b > ongoing.a && strchr(".;", f[ongoing.b - 1]))
				ongoing.b--;
			original(text, map, f, ongoing, &out);
		}
	}
	return out.len ? buf_steal(&out) : NULL;
}

/*
 * Where a deadline that ends at end goes on with another joined to it by
 * "và" or a comma ("định kỳ 6 tháng (trước ngày 15/6) và hằng năm (trước
 * ngày 15/12)"): the end of the last one so joined.
 */
static size_t chained_end(const char *f, size_t end, const char *const *patterns, size_t n)
{
	for (;;) {
		size_t at = end + strspn(f + end, " ,()");
		if (!strncmp(f + at, "va ", 3))
			at += 3 + strspn(f + at + 3, " (");
		if (at == end)
			return end;
		size_t next = end;
		for (size_t i = 0; i < n; i++) {
			struct match m = find_re(patterns[i], f + at);
			if (m.b > m.a && m.a == 0 && at + m.b > next)
				next = at + m.b;
		}
		if (next == end)
			return end;
		end = next + (f[next] == ')');
	}
}

/*
 * The deadline of a reporting duty, as written: "Định kỳ hàng năm (trước
 * ngày 15/12)", "trước ngày 01/12 hàng năm", "hằng năm (trước ngày 15
 * tháng 11)", "báo cáo 6 tháng và báo cáo năm". NULL when the paragraph
 * sets no deadline.
 */
static char *duty_timeframe(const char *text)
{
	static const char *const patterns[] = {
	    "truoc (ngay )?[0-9]{1,2}/[0-9]{1,2}(/[0-9]{4})?|truoc ngay [0-9]{1,2} thang "
	    "[0-9]{1,2}( nam [0-9]{4})?|truoc ngay [0-9]{1,2} ((cua )?thang cuoi quy|(hang|moi) "
	    "thang)",
	    "(dinh ky )?(hang|moi) (nam|quy|thang)|bao cao 6 thang( va bao cao nam)?|dinh ky 6 "
	    "thang"};
	char f[WORDS_FOLD_MAX];
	uint32_t map[WORDS_FOLD_MAX];

	text_fold(text, strlen(text), f, map, sizeof(f));
	if (!strstr(f, "bao cao"))
		return NULL;
	/* After "và", a date alone goes on the one before ("trước ngày 15/6 và 15/12"). */
	const char *const chained[] = {patterns[0], patterns[1],
	                               "(ngay )?[0-9]{1,2}/[0-9]{1,2}(/[0-9]{4})?"};
	struct match date = find_re(patterns[0], f), rec = find_re(patterns[1], f);
	struct match *last = date.b > rec.b ? &date : &rec;
	if (last->b > last->a)
		last->b = chained_end(f, last->b, chained, UTIL_NELEM(chained));
	return deadline_text(text, map, f, date, rec);
}

/* ---- assignments in numbered prose ---------------------------------------------------------- */

/*
 * The deadline an assignment sets, as written: "trước ngày 30/6/2025",
 * "chậm nhất ngày 15/8", "trong tháng 7/2025", "trong Quý III/2025", "Quý
 * III/2025", "trong năm 2026", "từ tháng 5 đến tháng 10/2026", "trong năm
 * học 2026 - 2027", "thời hạn hoàn thành: Quý III/2025", "định kỳ hằng quý
 * … trước ngày 20", "trong 30 ngày kể từ ngày nhận đủ hồ sơ" (a deadline
 * counted from an event), with a recurrence close by joined to it as
 * duty_timeframe does. NULL when the item sets none: then it is guidance,
 * not a task.
 */
static char *assignment_timeframe(const char *text)
{
	char f[WORDS_FOLD_MAX];
	uint32_t map[WORDS_FOLD_MAX];

	text_fold(text, strlen(text), f, map, sizeof(f));
	/* "Thời hạn (hoàn thành): X" names the deadline itself: its value is the phrase. */
	struct match label = find_re("thoi (han|gian)( hoan thanh| thuc hien)?: ", f);
	if (label.b > label.a) {
		size_t end = label.b + strcspn(f + label.b, ";");
		while (end > label.b && (f[end - 1] == '.' || f[end - 1] == ' '))
			end--;
		if (end > label.b)
			return clean_value(text + map[label.b], map[end] - map[label.b]);
	}
	static const char dated[] =
	    "(truoc|cham nhat( la)?|han chot) (ngay )?[0-9]{1,2}/[0-9]{1,2}(/[0-9]{4})?|"
	    "(truoc|cham nhat( la)?) (ngay )?[0-9]{1,2} thang [0-9]{1,2}( nam [0-9]{4})?|"
	    "tu (ngay |thang )?[0-9]{1,2}(/[0-9]{1,2})?(/[0-9]{4})? den (het )?(ngay |thang )?"
	    "[0-9]{1,2}(/[0-9]{1,2})?/[0-9]{4}|"
	    "(trong )?nam hoc [0-9]{4} ?- ?[0-9]{4}|giai doan [0-9]{4} ?- ?[0-9]{4}|"
	    "(trong|den het|truoc) nam [0-9]{4}|"
	    "trong (thang|quy) [0-9ivx]+((/| nam )[0-9]{4})?|truoc (thang|quy) [0-9ivx]+/[0-9]{4}|"
	    "(quy [ivx]+|thang [0-9]{1,2})/[0-9]{4}|"
	    "truoc ngay [0-9]{1,2} ((cua )?thang cuoi quy|(hang|moi) thang)|"
	    "trong (vong )?[0-9]+ ngay( lam viec)? (ke tu|tu khi|sau khi)[^.;]*";
	struct match date = find_re(dated, f);
	/* "xây dựng kế hoạch trước ngày 15/3 và triển khai trước ngày 30/6/2027": a
	 * deadline per step, all of them kept (the timeframe reads them as phases). */
	while (date.b > date.a) {
		struct match next = find_re(dated, f + date.b);
		if (next.b == next.a || memchr(f + date.b, '.', next.a))
			break;
		date.b += next.b;
	}
	struct match rec = find_re("(dinh ky )?(hang|moi) (nam|quy|thang)|dinh ky 6 thang", f);
	if (rec.b > rec.a && date.b == date.a) {
		/* "báo cáo định kỳ hằng tháng trước ngày 25": a day of each cycle. */
		date = find_re("(truoc|cham nhat( la)?) ngay [0-9]{1,2}([^0-9/]|$)", f);
		while (date.b > date.a && !isdigit((unsigned char)f[date.b - 1]))
			date.b--;
	}
	return deadline_text(text, map, f, date, rec);
}

/* The character at s is a lower-case letter (ASCII or Vietnamese). */
static bool lower_at(const char *s)
{
	return text_lowercase(s, strnlen(s, 4));
}

/*
 * A verb that ends a name in an assignment: the words_ends_name list, the
 * verbs of tasks, and the words after which the name is not the assignee:
 * "UBND tỉnh giao Sở X …", "Sở X đề nghị các sở …" (the assignee follows),
 * "Sở X đã hoàn thành …" (a report, not an assignment).
 */
static const char *const handing_over[] = {"giao ", "de nghi ", "yeu cau "};
static const char *const reporting[] = {"da ", "dang "};

/* The length of the word of words that f starts with, 0 when none. */
static size_t starts_any(const char *f, const char *const *words, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strncmp(f, words[i], strlen(words[i])))
			return strlen(words[i]);
	return 0;
}

/*
 * Where, in folded text f, the assignee's name starts: past a verb of
 * handing over that opens the item ("Giao", "Giao cho", "Yêu cầu", "Đề
 * nghị": *given is set), and past the title of the agency's head ("Giao
 * Giám đốc Sở Y tế …", "Chủ tịch UBND các xã …": the task is the agency's).
 */
static size_t assignee_start(const char *text, const char *f, const uint32_t *map, bool *given)
{
	static const char *const openers[] = {"giao cho ", "giao ", "yeu cau ", "de nghi "};
	size_t at = starts_any(f, openers, UTIL_NELEM(openers));

	*given = at > 0;
	/* A title is a few words: the key of the first ones, cut at a space
	 * (a cut inside a character would spoil the key). */
	const char *from = text + map[at];
	size_t len = strnlen(from, 80);
	while (from[len] && len && from[len] != ' ')
		len--;
	char *head = xstrndup(from, len);
	char *key = text_name_key(head);
	size_t title = words_office_title(key);
	for (size_t b = 0; b < title; b++)
		if (key[b] == ' ')
			at += strcspn(f + at, " ") + 1;
	free(key);
	free(head);
	return at;
}

static bool ends_assignee(const char *f)
{
	/* Written in lower case (lower_at): "Trung tâm Hỗ trợ …" is a name. */
	static const char *const verbs[] = {
	    "to chuc",   "tong hop",   "bao cao",    "kiem tra",   "de xuat",    "xu ly",
	    "lap ",      "xay dung",   "nghien cuu", "hoan thanh", "long ghep",  "tuyen truyen",
	    "tham dinh", "danh gia",   "cap nhat",   "ban hanh",   "trinh ",     "giam sat",
	    "dao tao",   "boi duong",  "ho tro",     "khao sat",   "cung cap",   "chuan bi",
	    "tiep nhan", "bao dam",    "dam bao",    "hoan thien", "sua doi",    "van dong",
	    "phat dong", "thuc hien",  "tuan tra",   "kiem soat",  "thanh toan", "phe duyet",
	    "bo sung",   "dieu chinh", "khac phuc",  "giai quyet", "phan bo",    "quyet toan",
	    "nang cap",  "mo rong",    "ung dung",   "so hoa",     "thong bao",  "xac dinh"};

	if (starts_any(f, handing_over, UTIL_NELEM(handing_over)) ||
	    starts_any(f, reporting, UTIL_NELEM(reporting)) || words_ends_name(f))
		return true;
	for (size_t i = 0; i < UTIL_NELEM(verbs); i++)
		if (words_starts(f, verbs[i]))
			return true;
	return false;
}

/*
 * Whether a name in text (folded as f) ends at the word at f + at: a verb
 * in lower case — not one inside a name's noun phrase, "Ban Quản lý dự án
 * đầu tư xây dựng …" (construction investment).
 */
static bool name_ends_at(const char *text, const char *f, const uint32_t *map, size_t at)
{
	if (f[at - 1] != ' ' || !ends_assignee(f + at) || !lower_at(text + map[at]))
		return false;
	return !(words_starts(f + at, "xay dung") && at >= 7 && !strncmp(f + at - 7, "dau tu ", 7));
}

/*
 * Whom a numbered item of the organisation section addresses: the text up
 * to its colon ("2. Các sở, ban, ngành …:"), or, when the item goes on in
 * a sentence ("1. Các cơ quan, đơn vị xây dựng kế hoạch …", "6. Giao Sở Tư
 * pháp theo dõi …"), the name before its first verb. NULL when the text
 * does not start with an agency's name ("7. Cơ chế phối hợp …").
 */
static char *addressee(const char *text)
{
	char f[WORDS_FOLD_MAX];
	uint32_t map[WORDS_FOLD_MAX];
	size_t colon = strcspn(text, ":");
	size_t n = text_fold(text, strlen(text), f, map, sizeof(f));
	bool given;
	size_t start = assignee_start(text, f, map, &given);

	if (!words_org_name(text + map[start]))
		return NULL;
	if (text[colon] == ':' && colon < 200)
		return clean_value(text + map[start], colon - map[start]);
	size_t cut = n;
	for (size_t at = start + 1; at < n; at++)
		if (name_ends_at(text, f, map, at)) {
			cut = at;
			break;
		}
	if (cut == n)
		return clean_value(text + map[start], strlen(text) - map[start]);
	return clean_value(text + map[start], map[cut] - map[start]);
}

/*
 * "Định kỳ hằng quý (trước ngày 20 của tháng cuối quý), các sở, ngành báo
 * cáo …": a duty whose agencies come after its time clause.
 */
static char *addressee_after_time(const char *text)
{
	size_t comma = strcspn(text, ",");

	if (!text[comma] || comma > 160)
		return NULL;
	char *clause = xstrndup(text, comma);
	bool time = words_timeframe_like(clause);
	free(clause);
	return time ? addressee(text + comma + 1 + strspn(text + comma + 1, " ")) : NULL;
}

/* "3. Chế độ báo cáo: Các sở, ngành … định kỳ 6 tháng …": the agencies after a label. */
static char *addressee_after_label(const char *text)
{
	size_t colon = strcspn(text, ":");

	if (!text[colon] || colon > 60)
		return NULL;
	const char *after = text + colon + 1;
	return addressee(after + strspn(after, " "));
}

static void add_duty(struct import_result *r, const struct para *p, const char *section,
                     const char *agency, int item, int nth, char *timeframe)
{
	struct import_row *row = result_add_row(r, IMPORT_DUTY, p->pos);
	char key[64];

	snprintf(key, sizeof(key), "duty.%d.%d", item, nth);
	row->base_key = xstrdup(key);
	row->key = xstrdup(key);
	row->context = -1;
	row->index = xstrdup(kind_of(p->number) == PARA_LETTERED ? p->number : "");
	row->category = section ? xstrdup(section) : NULL;
	row->title = clean_value(p->text, strlen(p->text));
	row->lead = agency ? xstrdup(agency) : NULL;
	row->timeframe = timeframe;
	row->raw = xstrdup(p->text);
	if (!agency)
		result_problem(r, p->pos,
		               "a reporting duty outside any numbered item: no lead agency");
	result_fate(r, p->block, p->pos, FATE_DUTY, key, "a reporting duty: '%s'", timeframe);
}

/* The monitoring agency: the first addressee told to "theo dõi" or "đôn đốc". */
static void note_monitor(struct import_result *r, const struct para *p, const char *agency)
{
	char f[WORDS_FOLD_MAX];

	if (r->monitor || !agency)
		return;
	text_fold(p->text, strlen(p->text), f, NULL, sizeof(f));
	if ((strstr(f, "theo doi") || strstr(f, "don doc")) && strncmp(f, "phoi hop", 8) &&
	    !strstr(f, ") phoi hop"))
		r->monitor = xstrdup(agency);
}

static bool is_organisation(const char *text)
{
	char f[256];

	return strstr(words_fold(text, f, sizeof(f)), "to chuc thuc hien") != NULL;
}

static void read_duties(const struct paras *ps, struct import_result *r)
{
	char *section = NULL, *agency = NULL;
	bool inside = false;
	int item = 0, nth = 0;

	for (size_t i = 0; i < ps->n; i++) {
		const struct para *p = &ps->v[i];
		enum para_kind kind = kind_of(p->number);
		char f[64];
		if (kind == PARA_ROMAN) {
			inside = is_organisation(p->text);
			free(section);
			section = NULL;
			if (inside) {
				struct buf b = BUF_INIT;
				buf_printf(&b, "%s %s", p->number, p->text);
				section = clean_value(buf_str(&b), b.len);
				buf_free(&b);
			}
			continue;
		}
		if (!inside)
			continue;
		if (words_starts(words_fold(p->text, f, sizeof(f)), "noi nhan"))
			break;
		if (kind == PARA_NUMBERED) {
			free(agency);
			agency = addressee(p->text);
			if (!agency)
				agency = addressee_after_time(p->text);
			if (!agency)
				agency = addressee_after_label(p->text);
			item++;
			nth = 0;
		}
		note_monitor(r, p, agency);
		char *tf = duty_timeframe(p->text);
		if (tf) {
			/* "Sở Tài chính định kỳ hằng quý tổng hợp …": its own agency first. */
			char *own = kind == PARA_NUMBERED ? NULL : addressee(p->text);
			add_duty(r, p, section, own ? own : agency, item, ++nth, tf);
			free(own);
		}
	}
	free(section);
	free(agency);
}

/* Where the first verb after the name at text starts (a byte offset), or 0 when none does. */
static size_t name_end(const char *text, char *f, uint32_t *map)
{
	size_t n = text_fold(text, strlen(text), f, map, WORDS_FOLD_MAX);

	for (size_t at = 1; at < n; at++)
		if (name_ends_at(text, f, map, at))
			return at > 1 ? map[at] : 0;
	return 0;
}

/* The agency before the first verb at text (already past "Giao "), or NULL. */
static char *name_before_verb(const char *text)
{
	char f[WORDS_FOLD_MAX];
	uint32_t map[WORDS_FOLD_MAX];
	size_t end = name_end(text, f, map);

	return end ? clean_value(text, end) : NULL;
}

/* "… chủ trì, phối hợp với Sở Nội vụ và các cơ quan liên quan rà soát …": the partners. */
static char *assignment_partners(const char *text)
{
	char f[WORDS_FOLD_MAX];
	uint32_t map[WORDS_FOLD_MAX];

	text_fold(text, strlen(text), f, map, sizeof(f));
	const char *at = strstr(f, "phoi hop voi ");
	if (!at)
		return NULL;
	return name_before_verb(text + map[at - f + strlen("phoi hop voi ")]);
}

/*
 * The lead of an assignment: "a) Sở Tài chính: …", "1. Giao Sở X chủ trì
 * …", "2. Sở Y chủ trì …", "3. UBND tỉnh giao Sở Z …" (Sở Z). NULL when
 * the item names no agency first, or reports what one did ("Sở X đã …").
 * The colon form holds only when what precedes the colon is a name alone:
 * "…; thời hạn hoàn thành: Quý I/2026" is no agency.
 */
static char *assignment_lead(const char *text, const char **title)
{
	char f[WORDS_FOLD_MAX];
	uint32_t map[WORDS_FOLD_MAX];
	size_t colon = strcspn(text, ":");

	text_fold(text, strlen(text), f, map, sizeof(f));
	bool given;
	size_t start = assignee_start(text, f, map, &given);
	start = start ? map[start] : 0;
	*title = text;
	if (!words_org_name(text + start)) {
		/* "Chủ tịch UBND tỉnh giao Sở X chủ trì …": a person hands it over. */
		const char *g = strstr(f, " giao ");
		if (!g || g - f > 80 || !words_org_name(text + map[g - f + 6]))
			return NULL;
		*title = text + map[g - f + 6];
		size_t e = name_end(*title, f, map);
		return e ? clean_value(*title, e) : NULL;
	}
	size_t end = name_end(text + start, f, map);
	if (text[colon] == ':' && colon < 120 && colon > start && (!end || start + end > colon) &&
	    !memchr(text + start, ';', colon - start)) {
		*title = text + colon + 1 + strspn(text + colon + 1, " ");
		return clean_value(text + start, colon - start);
	}
	if (!end)
		return NULL;
	/* f and map now describe text + start. */
	size_t at = 0;
	while (map[at] < end)
		at++;
	if (starts_any(f + at, reporting, UTIL_NELEM(reporting)))
		return NULL;
	/* After "Giao X", X is the assignee: "Giao Sở Y tế yêu cầu các bệnh viện …". */
	size_t word = given ? 0 : starts_any(f + at, handing_over, UTIL_NELEM(handing_over));
	if (word) {
		const char *next = text + start + map[at + word];
		*title = next;
		if (!words_org_name(next))
			return NULL;
		size_t next_end = name_end(next, f, map);
		return next_end ? clean_value(next, next_end) : NULL;
	}
	return clean_value(text + start, end);
}

/*
 * An assignment written after its work, in parentheses: "1. Rà soát quy
 * hoạch … (Sở Văn hóa, Thể thao và Du lịch chủ trì, phối hợp với Sở Xây
 * dựng; hoàn thành trong Quý III/2026).", "(chủ trì: Sở X; phối hợp: Sở
 * Y)". The lead, and in *paren what the parentheses hold; the title is
 * the text before them (*title_len bytes). NULL when the item ends in no
 * such parentheses.
 */
static char *paren_lead(const char *text, char **paren, size_t *title_len)
{
	size_t len = strlen(text), close = len;
	char f[WORDS_FOLD_MAX];
	uint32_t map[WORDS_FOLD_MAX];

	while (close && strchr(" .;", text[close - 1]))
		close--;
	if (!close || text[close - 1] != ')')
		return NULL;
	size_t open = close - 1;
	for (int depth = 0; open--;) {
		depth += text[open] == ')';
		if (text[open] == '(' && depth-- == 0)
			break;
	}
	if (open == (size_t)-1 || open == 0)
		return NULL;
	char *inside = xstrndup(text + open + 1, close - 2 - open);
	text_fold(inside, strlen(inside), f, map, sizeof(f));
	struct match at = find_re("(^| )chu tri($|[ ,;:])", f);
	char *lead = NULL;
	if (at.b > at.a && !strncmp(f, "chu tri:", 8)) {
		const char *v = inside + map[8];
		lead = clean_value(v, strcspn(v, ";"));
	} else if (at.b > at.a && at.a > 0 && words_org_name(inside)) {
		lead = clean_value(inside, map[at.a]);
	}
	if (!lead || !*lead) {
		free(lead);
		free(inside);
		return NULL;
	}
	*paren = inside;
	*title_len = open;
	return lead;
}

/* The lead of an assignment in parentheses and its deadline, in them or before them. */
static char *paren_assignment(const char *text, char **tf)
{
	char *inside;
	size_t title_len;
	char *lead = paren_lead(text, &inside, &title_len);

	*tf = NULL;
	if (!lead)
		return NULL;
	*tf = assignment_timeframe(inside);
	if (!*tf)
		*tf = assignment_timeframe(text);
	free(inside);
	return lead;
}

/* The coordinating agencies of "(…; phối hợp: Sở Y, Sở Z)". */
static char *paren_partners(const char *inside)
{
	char f[WORDS_FOLD_MAX];
	uint32_t map[WORDS_FOLD_MAX];

	text_fold(inside, strlen(inside), f, map, sizeof(f));
	const char *at = strstr(f, "phoi hop:");
	if (!at)
		return assignment_partners(inside);
	const char *v = inside + map[at - f + strlen("phoi hop:")];
	return clean_value(v, strcspn(v, ";"));
}

static void add_assignment(struct import_result *r, const struct para *p, const char *section,
                           const char *key, const char *index, char *lead, char *timeframe)
{
	const char *title;
	char *paren = NULL, *coord = NULL;
	size_t title_len = 0;
	char *again = assignment_lead(p->text, &title);
	struct import_row *row = result_add_row(r, IMPORT_PROSE, p->pos);

	char *in_paren = again ? NULL : paren_lead(p->text, &paren, &title_len);
	if (in_paren) {
		title = p->text;
		coord = paren_partners(paren);
	} else {
		title_len = strcspn(title, ";");
		coord = assignment_partners(p->text);
	}
	free(in_paren);
	free(again);
	free(paren);
	row->base_key = xstrdup(key);
	row->key = xstrdup(key);
	row->context = -1;
	row->index = xstrdup(index);
	row->category = section ? xstrdup(section) : NULL;
	row->title = clean_value(title, title_len);
	row->lead = lead;
	row->coord = coord;
	row->timeframe = timeframe;
	row->raw = xstrdup(p->text);
	result_fate(r, p->block, p->pos, FATE_TASK, key, "an assignment with a deadline: '%s'",
	            timeframe);
}

static bool has_tasks(const struct import_result *r)
{
	for (size_t i = 0; i < r->n_rows; i++)
		if (r->rows[i].layout != IMPORT_DUTY)
			return true;
	return false;
}

/* A paragraph's number as a key's part: "1.2." → "1.2", "a)" → "a", "II." → "II". */
static void number_part(const char *number, char *out, size_t len)
{
	size_t n = strlen(number);

	while (n && (number[n - 1] == '.' || number[n - 1] == ')'))
		n--;
	snprintf(out, len, "%.*s", (int)n, number);
}

/* "1. Sở Tài chính:" and nothing after: the agency whose tasks the bullets under it list. */
static char *agency_heading(const char *text)
{
	size_t colon = strcspn(text, ":");

	if (text[colon] != ':' || text[colon + 1 + strspn(text + colon + 1, " ")] ||
	    !words_org_name(text) || colon > 120)
		return NULL;
	return clean_value(text, colon);
}

/*
 * "- Giao Sở Xây dựng nghiên cứu …, báo cáo UBND tỉnh trước ngày …", or a
 * bullet under "1. Sở Tài chính:": a task when it sets a deadline, keyed
 * by its item's number and its place under it.
 */
static void bullet_assignment(struct import_result *r, const struct para *p, const char *section,
                              const char *number, const char *heading, int nth)
{
	const char *title;
	char *lead = assignment_lead(p->text, &title);
	char key[128];

	if (!lead && heading)
		lead = xstrdup(heading);
	char *tf = lead ? assignment_timeframe(p->text) : NULL;
	if (!tf) {
		free(lead);
		return;
	}
	if (number[0])
		snprintf(key, sizeof(key), "%s.%d", number, nth);
	else
		snprintf(key, sizeof(key), "%d", nth);
	add_assignment(r, p, section, key, key, lead, tf);
}

/*
 * A document with no task table and no labelled items — a công văn, a
 * thông báo kết luận — assigns its tasks in numbered or lettered sentences:
 * "1. Giao Sở Tài chính chủ trì, phối hợp với …; hoàn thành trước ngày
 * 30/6/2025.", "a) Sở Xây dựng: Kiểm tra …; báo cáo trước ngày 25/8/2025."
 * An item is a task when it names an agency first and sets a deadline,
 * in any section: a plan written in prose assigns its work in the
 * organisation section ("III. TỔ CHỨC THỰC HIỆN / 1. Sở Y tế: - Chủ trì …;
 * hoàn thành trong Quý III/2026"), whose reporting duties are left to
 * read_duties. Keys are the item's
 * whole number under its section's ("II.1.2", "II.1.2.a"): numbers that
 * restart in each section, or run "1.1", "1.2", never collide, and an item
 * keeps its key when another is removed. Bullets that name an agency first
 * ("- Giao Sở X …"), or that stand under an agency's heading ("1. Sở Tài
 * chính:"), are tasks too.
 */
static bool is_duty(const char *text)
{
	char *tf = duty_timeframe(text);

	free(tf);
	return tf != NULL;
}

static void read_assignments(const struct paras *ps, struct import_result *r)
{
	char *section = NULL, *heading = NULL;
	char roman[16] = "", number[64] = "", letter[112] = "";
	bool organisation = false;
	int bullets = 0;

	for (size_t i = 0; i < ps->n; i++) {
		const struct para *p = &ps->v[i];
		enum para_kind kind = kind_of(p->number);
		char f[64], key[112], part[40];
		if (p->from_cell)
			continue;
		if (kind == PARA_ROMAN) {
			organisation = is_organisation(p->text);
			free(section);
			section = clean_value(p->text, strlen(p->text));
			number_part(p->number, roman, sizeof(roman));
			number[0] = letter[0] = '\0';
			free(heading);
			heading = NULL;
			bullets = 0;
			continue;
		}
		if (words_starts(words_fold(p->text, f, sizeof(f)), "noi nhan"))
			break;
		number_part(p->number, part, sizeof(part));
		if (kind == PARA_NUMBERED) {
			snprintf(number, sizeof(number), "%s%s%s", roman, roman[0] ? "." : "",
			         part);
			letter[0] = '\0';
		}
		if (kind == PARA_LETTERED) {
			const char *above = number[0] ? number : roman;
			snprintf(letter, sizeof(letter), "%s%s%s", above, above[0] ? "." : "",
			         part);
		}
		if (kind == PARA_NUMBERED || kind == PARA_LETTERED) {
			free(heading);
			heading = agency_heading(p->text);
			bullets = 0;
		}
		/* In the organisation section a reporting duty is the duties' (read_duties). */
		if (organisation && is_duty(p->text))
			continue;
		if (kind == PARA_BULLET)
			bullet_assignment(r, p, section,
			                  letter[0]   ? letter
			                  : number[0] ? number
			                              : roman,
			                  heading, ++bullets);
		if (kind != PARA_NUMBERED && kind != PARA_LETTERED)
			continue;
		const char *title;
		char *tf = NULL, *lead = assignment_lead(p->text, &title);
		if (lead)
			tf = assignment_timeframe(p->text);
		else
			lead = paren_assignment(p->text, &tf);
		if (!tf) {
			if (lead && strlen(p->text) >= WORDS_FOLD_MAX - 1)
				result_problem(
				    r, p->pos,
				    "an item of %zu bytes addressed to '%s' is too long to look "
				    "for its deadline in: not read as a task",
				    strlen(p->text), lead);
			free(lead);
			continue;
		}
		snprintf(key, sizeof(key), "%s", kind == PARA_LETTERED ? letter : number);
		add_assignment(r, p, section, key, p->number, lead, tf);
	}
	free(section);
	free(heading);
}

/*
 * The agency a letter's sentence hands work to: its first name ("Sở Y tế
 * tổng hợp …"), or the name after a verb of handing over anywhere in it
 * ("Thực hiện Công văn số 12/BNV, UBND tỉnh đề nghị các sở, ngành báo cáo
 * …", "… yêu cầu Giám đốc Sở Y tế …"). NULL when it names none.
 */
static char *letter_lead(const char *text)
{
	const char *title;
	char *lead = assignment_lead(text, &title);
	char f[WORDS_FOLD_MAX];
	uint32_t map[WORDS_FOLD_MAX];

	if (lead)
		return lead;
	text_fold(text, strlen(text), f, map, sizeof(f));
	struct match verb = find_re("(^| )(giao|de nghi|yeu cau) ", f);
	if (verb.b == verb.a)
		return NULL;
	return assignment_lead(text + map[verb.a + (f[verb.a] == ' ')], &title);
}

/*
 * A letter (a công văn đôn đốc) may assign its work in plain paragraphs,
 * unnumbered: "UBND tỉnh đề nghị các sở, ngành báo cáo kết quả về Sở Nội
 * vụ trước ngày 20/12/2026." When nothing else in the document is a task,
 * each paragraph that hands work to an agency and sets a deadline is one,
 * keyed by its place among them.
 */
static void read_letter(const struct paras *ps, struct import_result *r)
{
	int nth = 0;

	for (size_t i = 0; i < ps->n; i++) {
		const struct para *p = &ps->v[i];
		char f[64], key[16];
		if (words_starts(words_fold(p->text, f, sizeof(f)), "noi nhan"))
			break;
		if (p->from_cell || kind_of(p->number) != PARA_PLAIN)
			continue;
		char *tf = assignment_timeframe(p->text);
		char *lead = tf ? letter_lead(p->text) : NULL;
		if (!lead) {
			free(tf);
			continue;
		}
		snprintf(key, sizeof(key), "%d", ++nth);
		add_assignment(r, p, NULL, key, "", lead, tf);
	}
}

/*
 * The plan's monitor when no organisation item named one: the agency a
 * paragraph of its own tells to follow the plan — "Văn phòng UBND tỉnh
 * theo dõi, đôn đốc việc thực hiện Kế hoạch này", "5. Giao Văn phòng UBND
 * tỉnh theo dõi, đôn đốc". In the organisation section "theo dõi" or "đôn
 * đốc" says it; elsewhere (a letter has no such section) only the phrase
 * "theo dõi, đôn đốc" does: "đôn đốc các đơn vị tiêm chủng" is a task's work.
 */
static void read_monitor(const struct paras *ps, struct import_result *r)
{
	bool inside = false;

	for (size_t i = 0; i < ps->n && !r->monitor; i++) {
		const struct para *p = &ps->v[i];
		enum para_kind kind = kind_of(p->number);
		char f[WORDS_FOLD_MAX];
		if (kind == PARA_ROMAN) {
			inside = is_organisation(p->text);
			continue;
		}
		words_fold(p->text, f, sizeof(f));
		if (words_starts(f, "noi nhan"))
			break;
		if (p->from_cell || kind == PARA_BULLET)
			continue;
		bool says = inside ? strstr(f, "theo doi") || strstr(f, "don doc")
		                   : find_re("theo doi,? (va )?don doc", f).b > 0;
		if (!says)
			continue;
		char *who = addressee(p->text);
		note_monitor(r, p, who);
		free(who);
	}
}

void lists_read(const struct doc *d, struct import_result *r)
{
	struct paras ps = {0};

	collect(d, r, &ps);
	read_prose(&ps, r);
	if (!has_tasks(r))
		read_assignments(&ps, r);
	if (!has_tasks(r))
		read_letter(&ps, r);
	read_duties(&ps, r);
	read_monitor(&ps, r);
	paras_free(&ps);
}
