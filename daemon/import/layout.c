/*
 * layout — see import/layout.h.
 *
 * Four passes over the words, each linear or n log n:
 *  1. lines (sort by page, baseline, x; words whose baselines agree);
 *  2. page furniture (lines in a page's top or bottom band that repeat on
 *     other pages, digits aside, or that are only a page number);
 *  3. table regions: lines are added to an open region while the region
 *     keeps at least one gutter (an x range no word covers, wider than a
 *     word space could be); a gutter many lines confirm survives a line
 *     crossing it (that line spans columns), a gutter only one line made is
 *     forgotten; a region ends when a line fills every gutter. A region of
 *     enough multi-column lines is a table; one continuing the previous
 *     table (after a page break or a full-width row) joins it;
 *  4. blocks: table lines into rows and cells, the other lines into
 *     paragraphs.
 * Distances are in units of the document's own text: its typical word
 * space and line height, measured first.
 */
#include "import/layout.h"

#include "buf.h"
#include "import/lines.h"
#include "import/words.h"
#include "util.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* ---- lines -------------------------------------------------------------------------------- */

struct pline {
	size_t first, n; /* words[first .. first + n), by x */
	int page;
	double x0, x1, top, bottom, base, height;
	unsigned emph; /* what all its words share */
	bool furniture, spanning;
	int table; /* index into tables + 1, 0 for text */
};

struct gutter {
	double a, b; /* the empty x range */
	int support; /* lines with words on both sides */
	bool close;  /* narrowed by a line running close to the next column's start */
};

/* A table being found, or found. */
struct region {
	size_t first, last; /* lines */
	struct gutter *g;
	size_t n_g;
	int multi; /* lines with words on both sides of some gutter */
};

struct layout {
	struct layout_word *words;
	size_t n_words;
	struct pline *lines;
	size_t n_lines;
	const struct layout_page *pages;
	int n_pages;
	double space, height; /* typical word space and line height */
	double line_gap;      /* typical gap between the lines of a paragraph */
	double gutter_min;    /* the narrowest gap that may part columns */
	struct region *tables;
	size_t n_tables;
	struct doc *out;
};

static double word_height(const struct layout_word *w)
{
	return w->y1 - w->y0;
}

static int by_position(const void *pa, const void *pb)
{
	const struct layout_word *a = pa, *b = pb;

	if (a->page != b->page)
		return a->page < b->page ? -1 : 1;
	if (a->y1 != b->y1)
		return a->y1 < b->y1 ? -1 : 1;
	return (a->x0 > b->x0) - (a->x0 < b->x0);
}

static int by_x(const void *pa, const void *pb)
{
	const struct layout_word *a = pa, *b = pb;
	return (a->x0 > b->x0) - (a->x0 < b->x0);
}

static int cmp_double(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;
	return (a > b) - (a < b);
}

/* The median of v[0..n) (reordered), or dflt when n is 0. */
static double median(double *v, size_t n, double dflt)
{
	if (!n)
		return dflt;
	qsort(v, n, sizeof(*v), cmp_double);
	return v[n / 2];
}

static void add_line(struct layout *l, size_t first, size_t n)
{
	struct pline *ln = &l->lines[l->n_lines++];
	struct layout_word *w = &l->words[first];

	qsort(w, n, sizeof(*w), by_x);
	memset(ln, 0, sizeof(*ln));
	ln->first = first;
	ln->n = n;
	ln->page = w[0].page;
	ln->x0 = w[0].x0;
	ln->x1 = w[0].x1;
	ln->top = w[0].y0;
	ln->bottom = w[0].y1;
	ln->emph = w[0].emph;
	for (size_t i = 1; i < n; i++) {
		ln->x1 = fmax(ln->x1, w[i].x1);
		ln->top = fmin(ln->top, w[i].y0);
		ln->bottom = fmax(ln->bottom, w[i].y1);
		ln->emph &= w[i].emph;
	}
	ln->base = w[0].y1;
	ln->height = ln->bottom - ln->top;
}

/* Words whose baselines are within a third of their height share a line. */
static void find_lines(struct layout *l)
{
	size_t start = 0;

	qsort(l->words, l->n_words, sizeof(*l->words), by_position);
	l->lines = xcalloc(l->n_words ? l->n_words : 1, sizeof(*l->lines));
	for (size_t i = 1; i <= l->n_words; i++) {
		const struct layout_word *a = &l->words[start], *b = &l->words[i];
		if (i < l->n_words && b->page == a->page &&
		    fabs(b->y1 - a->y1) <= fmin(word_height(a), word_height(b)) / 3)
			continue;
		add_line(l, start, i - start);
		start = i;
	}
}

/* The document's word space (median of the small gaps) and line height. */
static void measure(struct layout *l)
{
	double *gaps = xcalloc(l->n_words + 1, sizeof(*gaps));
	double *heights = xcalloc(l->n_lines + 1, sizeof(*heights));
	size_t n_gaps = 0;

	for (size_t i = 0; i < l->n_lines; i++) {
		const struct pline *ln = &l->lines[i];
		heights[i] = ln->height;
		for (size_t k = 1; k < ln->n; k++) {
			double gap = l->words[ln->first + k].x0 - l->words[ln->first + k - 1].x1;
			if (gap > 0 && gap < ln->height)
				gaps[n_gaps++] = gap;
		}
	}
	l->height = median(heights, l->n_lines, 10);
	size_t n_line_gaps = 0;
	for (size_t i = 1; i < l->n_lines; i++) {
		const struct pline *a = &l->lines[i - 1], *b = &l->lines[i];
		if (a->page == b->page && b->top - a->bottom >= 0 && b->top - a->bottom < l->height)
			heights[n_line_gaps++] = b->top - a->bottom;
	}
	/* the lines of a paragraph leave the smallest gap that recurs (the
	 * median would be the gap between paragraphs in a text of short ones) */
	qsort(heights, n_line_gaps, sizeof(*heights), cmp_double);
	l->line_gap = n_line_gaps ? heights[n_line_gaps / 5] : l->height / 5;
	l->space = median(gaps, n_gaps, l->height / 4);
	/* Columns are parted by two cell paddings; words by one space, which
	 * justified text may stretch to twice its width. */
	l->gutter_min = fmax(2.5 * l->space, 0.6 * l->height);
	free(gaps);
	free(heights);
}

/* ---- page furniture ----------------------------------------------------------------------- */

#define BAND          0.08 /* of the page's height, at its top and bottom */
#define EDGE_LINES    3    /* lines at either end of a page that may be furniture */
#define FURNITURE_KEY 96

static void line_text(const struct layout *l, const struct pline *ln, struct buf *b)
{
	for (size_t k = 0; k < ln->n; k++) {
		if (k)
			buf_addc(b, ' ');
		buf_add(b, l->words[ln->first + k].text, l->words[ln->first + k].len);
	}
}

/* "3", "- 3 -", "Trang 3", "Trang 3/12", "3/12", "Page 3 of 12". */
static bool is_page_number(const char *s)
{
	static const char *const words[] = {"Trang ", "trang ", "Page ", "page "};
	bool digits = false;

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strncmp(s, words[i], strlen(words[i])))
			s += strlen(words[i]);
	while (*s) {
		if (*s >= '0' && *s <= '9')
			digits = true;
		if (!strncmp(s, "of ", 3) || !strncmp(s, "–", 3))
			s += 3;
		else if (strchr("0123456789 -/.()|", *s))
			s++;
		else
			return false;
	}
	return digits;
}

struct candidate {
	char key[FURNITURE_KEY];
	int page;
	size_t line;
};

static int by_key(const void *pa, const void *pb)
{
	const struct candidate *a = pa, *b = pb;
	int c = strcmp(a->key, b->key);
	return c ? c : (a->page > b->page) - (a->page < b->page);
}

static bool in_band(const struct layout *l, const struct pline *ln)
{
	double h = ln->page >= 1 && ln->page <= l->n_pages ? l->pages[ln->page - 1].height : 0;
	return h > 0 && (ln->bottom < BAND * h || ln->top > (1 - BAND) * h);
}

/*
 * Marks the furniture. The key of a line is its text with digits as '#',
 * so "Trang 3" and "Trang 4" match; a key found in the band of two pages
 * or more is furniture on each of them.
 */
static void find_furniture(struct layout *l)
{
	struct candidate *c = xcalloc(l->n_lines + 1, sizeof(*c));
	size_t n = 0;
	struct buf b = BUF_INIT;

	for (size_t i = 0, page_start = 0, page_end = 0; i < l->n_lines; i++) {
		if (i == page_end) {
			page_start = i;
			while (page_end < l->n_lines && l->lines[page_end].page == l->lines[i].page)
				page_end++;
		}
		struct pline *ln = &l->lines[i];
		if ((i - page_start >= EDGE_LINES && page_end - i > EDGE_LINES) || !in_band(l, ln))
			continue;
		buf_reset(&b);
		line_text(l, ln, &b);
		if (is_page_number(buf_str(&b))) {
			ln->furniture = true;
			continue;
		}
		char *k = c[n].key;
		size_t j = 0;
		for (const char *s = buf_str(&b); *s && j + 1 < FURNITURE_KEY; s++)
			k[j++] = *s >= '0' && *s <= '9' ? '#' : *s;
		k[j] = '\0';
		c[n].page = ln->page;
		c[n++].line = i;
	}
	buf_free(&b);
	qsort(c, n, sizeof(*c), by_key);
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		int pages = 1;
		for (; j < n && !strcmp(c[j].key, c[i].key); j++)
			pages += c[j].page != c[j - 1].page;
		for (size_t k = i; pages >= 2 && k < j; k++)
			l->lines[c[k].line].furniture = true;
		i = j;
	}
	free(c);
}

/* ---- table regions ------------------------------------------------------------------------ */

#define MAX_GUTTERS (DOC_MAX_COLS - 1)

/* The widest part of [a, b] that no word of ln covers. */
static void uncovered(const struct layout *l, const struct pline *ln, double *a, double *b)
{
	double best_a = 0, best_b = 0, from = *a;

	for (size_t k = 0; k < ln->n && from < *b; k++) {
		const struct layout_word *w = &l->words[ln->first + k];
		if (w->x1 <= from || w->x0 >= *b)
			continue;
		if (w->x0 - from > best_b - best_a) {
			best_a = from;
			best_b = w->x0;
		}
		from = fmax(from, w->x1);
	}
	if (*b - from > best_b - best_a) {
		best_a = from;
		best_b = *b;
	}
	*a = best_a;
	*b = best_b;
}

static bool words_on_both_sides(const struct layout *l, const struct pline *ln,
                                const struct gutter *g)
{
	return l->words[ln->first].x0 < g->a && l->words[ln->first + ln->n - 1].x1 > g->b;
}

/* The gaps of a line wide enough to part columns: a region's first gutters. */
static size_t line_gaps(const struct layout *l, const struct pline *ln, struct gutter *g)
{
	size_t n = 0;

	for (size_t k = 1; k < ln->n && n < MAX_GUTTERS; k++) {
		double a = l->words[ln->first + k - 1].x1, b = l->words[ln->first + k].x0;
		if (b - a >= l->gutter_min)
			g[n++] = (struct gutter){a, b, 1, false};
	}
	return n;
}

enum fit { FIT_NO, FIT_ROW, FIT_SPANNING };

/*
 * A column's text is left-aligned: a word of ln that starts where gutter g
 * ends, a word space or more after the word before it, begins the next
 * column even where the cell before runs close to it (a narrow column of
 * justified text: "… giao thông Sở Xây dựng").
 */
static bool starts_column_at(const struct layout *l, const struct pline *ln, const struct gutter *g,
                             double *end)
{
	for (size_t k = 1; k < ln->n; k++) {
		const struct layout_word *w = &l->words[ln->first + k];
		if (fabs(w->x0 - g->b) <= 0.5 * l->space && w[-1].x1 < g->b &&
		    w->x0 - w[-1].x1 >= 0.8 * l->space) {
			*end = w[-1].x1;
			return true;
		}
	}
	return false;
}

/* How wide an empty range must be to stay gutter g. */
static double gutter_width(const struct layout *l, const struct gutter *g)
{
	return g->close ? 0.8 * l->space : l->gutter_min;
}

/*
 * Whether ln is a title over the gutters it covers (kept[i] false): it
 * stops short of a gutter kept to the right of each — its text does not
 * reach the later columns — and its own wide gaps are gutters kept ("I
 * QUY HOẠCH, CƠ CHẾ, CHÍNH SÁCH" right under a header whose columns it
 * crosses, before any row has confirmed them).
 */
static bool title_over(const struct layout *l, const struct region *r, const struct pline *ln,
                       const bool *kept)
{
	struct gutter own[MAX_GUTTERS];
	double right = l->words[ln->first + ln->n - 1].x1;
	size_t n = line_gaps(l, ln, own);

	for (size_t i = 0; i < r->n_g; i++) {
		size_t j = i + 1;
		while (!kept[i] && j < r->n_g && !kept[j])
			j++;
		if (!kept[i] && (j == r->n_g || right > r->g[j].a))
			return false;
	}
	for (size_t k = 0; k < n; k++) {
		bool inside = false;
		for (size_t i = 0; i < r->n_g && !inside; i++)
			inside = kept[i] && own[k].a < r->g[i].b && own[k].b > r->g[i].a;
		if (!inside)
			return false;
	}
	return true;
}

/*
 * How line ln fits region r's gutters; when it fits as a row, r's gutters
 * are narrowed to what ln leaves empty and *multi says whether ln has
 * words on both sides of one.
 */
static enum fit fit_line(const struct layout *l, struct region *r, const struct pline *ln,
                         bool *multi)
{
	struct gutter g[MAX_GUTTERS];
	size_t n = 0, open = 0;
	bool strong_killed = false, kept[MAX_GUTTERS];

	for (size_t i = 0; i < r->n_g; i++) {
		double a = r->g[i].a, b = r->g[i].b, end;
		uncovered(l, ln, &a, &b);
		kept[i] = true;
		if (b - a >= gutter_width(l, &r->g[i])) {
			g[n++] = (struct gutter){a, b, r->g[i].support, r->g[i].close};
			open++;
		} else if (r->g[i].support >= 2 && r->n_g >= 2 &&
		           starts_column_at(l, ln, &r->g[i], &end)) {
			/* The column parts where that line leaves off. */
			g[n++] =
			    (struct gutter){fmax(r->g[i].a, end), r->g[i].b, r->g[i].support, true};
		} else {
			kept[i] = false;
			strong_killed |= r->g[i].support >= 2;
		}
	}
	*multi = false;
	/* Only a line with a gutter of its own is a row a close column may be in. */
	if (!open)
		return FIT_NO;
	if (n < r->n_g && title_over(l, r, ln, kept))
		return FIT_SPANNING;
	/* A line crossing confirmed gutters spans columns when it is one run
	 * of text (a section title); with wide gaps of its own it is a row of
	 * another table, whose columns fall elsewhere. */
	if (strong_killed) {
		struct gutter own[MAX_GUTTERS];
		return line_gaps(l, ln, own) ? FIT_NO : FIT_SPANNING;
	}
	for (size_t i = 0; i < n; i++)
		if (words_on_both_sides(l, ln, &g[i])) {
			g[i].support++;
			*multi = true;
		}
	memcpy(r->g, g, n * sizeof(*g));
	r->n_g = n;
	return FIT_ROW;
}

#define LOOKAHEAD 12 /* lines read on a new page to see whether a table goes on */

/*
 * Whether a table ending a page goes on at the top of the next, line i
 * being that page's first: its lines keep the gutters until one has words
 * across a gutter (a row, or the repeated header), within a few lines. A
 * row Word or reportlab split at the page break begins with lines of one
 * column; a heading after the table does not lead to such a line.
 */
static bool goes_on(const struct layout *l, const struct region *r, size_t i)
{
	struct gutter g[MAX_GUTTERS];
	struct region copy = *r;
	int page = l->lines[i].page;

	if (page != l->lines[r->last].page + 1)
		return false;
	for (size_t k = r->last + 1; k < i; k++)
		if (!l->lines[k].furniture)
			return false;
	memcpy(g, r->g, r->n_g * sizeof(*g));
	copy.g = g;
	for (size_t k = i, n = 0; k < l->n_lines && l->lines[k].page == page && n < LOOKAHEAD;
	     k++) {
		bool multi;
		if (l->lines[k].furniture)
			continue;
		n++;
		if (fit_line(l, &copy, &l->lines[k], &multi) != FIT_ROW)
			return false;
		if (multi)
			return true;
	}
	return false;
}

/* Whether line i continues region r, and how (see fit_line). */
static enum fit region_fit(const struct layout *l, struct region *r, size_t i)
{
	const struct pline *ln = &l->lines[i], *last = &l->lines[r->last];
	bool multi;

	if (ln->page != last->page ? !goes_on(l, r, i) : ln->top - last->bottom > 2.5 * l->height)
		return FIT_NO;
	enum fit fit = fit_line(l, r, ln, &multi);
	r->multi += multi;
	return fit;
}

/*
 * What an STT cell holds, a number ("1", "1.2", "II", "a)": words_index)
 * or a list marker alone ("a)", "-", "•": lines_marker), for a word that is
 * not NUL-terminated.
 */
static bool is_index(const char *s, size_t len, bool or_bullet)
{
	char w[16];
	size_t at = 0, text_at = 0;

	if (!len || len >= sizeof(w))
		return false;
	memcpy(w, s, len);
	w[len] = '\0';
	return words_index(w) || (or_bullet && lines_marker(w, &at, &text_at) == len);
}

/*
 * Whether a region is a table: several lines with words across a gutter,
 * and not a list whose markers alone stand apart (two columns, the first
 * only markers, is a list with hanging indents).
 */
static bool is_table(const struct layout *l, const struct region *r)
{
	if (r->multi < 2 || r->last == r->first)
		return false;
	if (r->n_g >= 2)
		return true;
	for (size_t i = r->first; i <= r->last; i++) {
		const struct pline *ln = &l->lines[i];
		const struct layout_word *w = &l->words[ln->first];
		if (w->x1 <= r->g[0].a && !is_index(w->text, w->len, true))
			return true;
	}
	return false;
}

/* Two tables whose gutters pair up one to one are one table's parts. */
static bool same_columns(const struct region *a, const struct region *b)
{
	if (a->n_g != b->n_g)
		return false;
	for (size_t i = 0; i < a->n_g; i++)
		if (a->g[i].b < b->g[i].a || b->g[i].b < a->g[i].a)
			return false;
	return true;
}

/*
 * Whether region r goes on with the previous table: the same columns, and
 * between them nothing or a few close lines (a row spanning the whole
 * width) or a page break.
 */
static bool continues(const struct layout *l, const struct region *prev, const struct region *r)
{
	int between = 0;

	if (!same_columns(prev, r))
		return false;
	for (size_t i = prev->last + 1; i <= r->first; i++) {
		const struct pline *a = &l->lines[i - 1], *b = &l->lines[i];
		if (i < r->first && !b->furniture && (b->table || ++between > 2))
			return false;
		if (!a->furniture && !b->furniture && a->page == b->page &&
		    b->top - a->bottom > 2.5 * l->height)
			return false;
	}
	return true;
}

static void mark_lines(struct layout *l, const struct region *r, int table)
{
	for (size_t i = r->first; i <= r->last; i++)
		if (l->lines[i].table == -1)
			l->lines[i].table = table;
}

/*
 * A line's runs of words (parted by gaps a word space cannot make), and
 * whether each stays within the region's columns: a run may cross at
 * most half its gutters (a header spanning "Chủ trì | Phối hợp"), never
 * all of them as a sentence does. Returns the number of runs, 0 when a
 * run crosses too many.
 */
static size_t header_runs(const struct layout *l, const struct region *r, const struct pline *ln)
{
	size_t runs = 0;

	for (size_t k = 0; k < ln->n;) {
		size_t end = k + 1;
		while (end < ln->n &&
		       l->words[ln->first + end].x0 - l->words[ln->first + end - 1].x1 <
		           l->gutter_min)
			end++;
		double x0 = l->words[ln->first + k].x0, x1 = l->words[ln->first + end - 1].x1;
		size_t crossed = 0;
		for (size_t g = 0; g < r->n_g; g++)
			crossed += x0 < r->g[g].a && x1 > r->g[g].b;
		if (r->n_g && 2 * crossed > r->n_g)
			return 0;
		runs++;
		k = end;
	}
	return runs;
}

/*
 * The lines of a header above a table's first row that its region did not
 * take: a two-row header ("Cơ quan thực hiện" over "Chủ trì | Phối hợp",
 * the other headings written once) leaves fewer gaps than the rows do, so
 * the region began under it. Text lines right above the table, about its
 * width (a heading may reach past the rows' text), whose runs of words keep
 * to its columns, become its first rows;
 * the topmost has words in two columns at least (a caption centred over
 * a table does not).
 */
static void take_header_lines(struct layout *l, struct region *r)
{
	const struct pline *top = &l->lines[r->first];
	double x0 = top->x0, x1 = top->x1;
	size_t first = r->first;

	for (size_t i = r->first; i <= r->last; i++)
		if (l->lines[i].page == top->page) {
			x0 = fmin(x0, l->lines[i].x0);
			x1 = fmax(x1, l->lines[i].x1);
		}
	for (size_t i = r->first, taken = 0; i > 0 && taken < 4; i--, taken++) {
		const struct pline *ln = &l->lines[i - 1], *below = &l->lines[i];
		if (ln->furniture || ln->table || ln->page != top->page ||
		    below->top - ln->bottom > 2.5 * l->height || ln->x0 < x0 - 4 * l->height ||
		    ln->x1 > x1 + 4 * l->height || !header_runs(l, r, ln))
			break;
		first = i - 1;
	}
	while (first < r->first && header_runs(l, r, &l->lines[first]) < 2)
		first++;
	for (size_t i = first; i < r->first; i++)
		l->lines[i].table = -1;
	r->first = first;
}

static void keep_table(struct layout *l, struct region *r)
{
	struct region *prev = l->n_tables ? &l->tables[l->n_tables - 1] : NULL;

	if (prev && continues(l, prev, r)) {
		for (size_t i = prev->last + 1; i < r->first; i++)
			if (!l->lines[i].furniture) {
				l->lines[i].table = (int)l->n_tables;
				l->lines[i].spanning = true;
			}
		for (size_t i = 0; i < prev->n_g; i++) {
			prev->g[i].a = fmax(prev->g[i].a, r->g[i].a);
			prev->g[i].b = fmax(prev->g[i].a, fmin(prev->g[i].b, r->g[i].b));
		}
		prev->last = r->last;
		free(r->g);
		mark_lines(l, r, (int)l->n_tables);
		return;
	}
	take_header_lines(l, r);
	l->tables = xrealloc(l->tables, (l->n_tables + 1) * sizeof(*l->tables));
	l->tables[l->n_tables++] = *r;
	mark_lines(l, r, (int)l->n_tables);
}

/* ---- rows -------------------------------------------------------------------------------- */

static int column_of(const struct region *r, const struct layout_word *w)
{
	double mid = (w->x0 + w->x1) / 2;
	int c = 0;

	while ((size_t)c < r->n_g && mid > (r->g[c].a + r->g[c].b) / 2)
		c++;
	return c;
}

/* Columns with words on a line, as a bit set (at most 64 columns). */
static uint64_t line_columns(const struct layout *l, const struct region *r, const struct pline *ln)
{
	uint64_t set = 0;

	for (size_t k = 0; k < ln->n; k++)
		set |= 1ull << column_of(r, &l->words[ln->first + k]);
	return set;
}

/* The first column's words of a line, when it has some: an STT cell. */
static bool first_column_index(const struct layout *l, const struct region *r,
                               const struct pline *ln)
{
	const struct layout_word *w = &l->words[ln->first];
	return column_of(r, w) == 0 && (ln->n == 1 || column_of(r, w + 1) > 0) &&
	       is_index(w->text, w->len, false);
}

/*
 * Whether line i starts a new row of table r (line i - 1 being in it):
 * a column empty on the line above gets text (cells are top-aligned), a
 * new index in the first column under a complete one, a gap wider than a
 * cell's lines leave, a spanning line or the line after one.
 */
static bool starts_row(const struct layout *l, const struct region *r, size_t i, double row_gap)
{
	const struct pline *ln = &l->lines[i], *up = &l->lines[i - 1];
	uint64_t cols = line_columns(l, r, ln), above = line_columns(l, r, up);

	if (ln->spanning)
		return true;
	if (up->spanning)
		return ln->page != up->page || ln->top - up->bottom > row_gap || (cols & 1);
	if (cols & ~above)
		return true;
	if ((cols & 1) && first_column_index(l, r, ln) &&
	    (!(above & 1) || first_column_index(l, r, up)))
		return true;
	return ln->page == up->page && ln->top - up->bottom > row_gap;
}

/*
 * The gap a row ends at: clearly wider than the lines of one cell leave.
 * Those are the pairs of lines where the lower one adds no column and no
 * new number (the smallest such gap), or, when every row is one line, the
 * text's own line gap, and never more than a third of a line's height.
 */
static double row_gap(const struct layout *l, const struct region *r)
{
	double small = fmin(l->line_gap, 0.35 * l->height);

	for (size_t i = r->first + 1; i <= r->last; i++) {
		const struct pline *a = &l->lines[i - 1], *b = &l->lines[i];
		if (a->page != b->page || a->furniture || b->furniture || a->spanning ||
		    b->spanning || (line_columns(l, r, b) & ~line_columns(l, r, a)) ||
		    first_column_index(l, r, b))
			continue;
		small = fmin(small, b->top - a->bottom);
	}
	return fmax(small, 0) + fmax(0.25 * l->height, 1.5);
}

/* Ends region r: a table (kept) or text; returns the line to go on from. */
static size_t close_region(struct layout *l, struct region *r)
{
	/* A line crossing the columns after the last row, or a line of one
	 * column that would begin a row of its own, is text below the table. */
	double gap = row_gap(l, r);
	while (r->last > r->first) {
		struct pline *ln = &l->lines[r->last];
		uint64_t cols = line_columns(l, r, ln);
		if (!ln->spanning && ((cols & (cols - 1)) || !starts_row(l, r, r->last, gap)))
			break;
		ln->spanning = false;
		ln->table = 0;
		r->last--;
	}
	if (is_table(l, r)) {
		keep_table(l, r);
		return r->last + 1;
	}
	for (size_t i = r->first; i <= r->last; i++) {
		l->lines[i].table = 0;
		l->lines[i].spanning = false;
	}
	free(r->g);
	/* A short false start may hide a table's first line: look again from
	 * the line after it; a long one is text through. */
	return r->last - r->first < 3 ? r->first + 1 : r->last + 1;
}

static void find_tables(struct layout *l)
{
	struct region r = {0};
	bool open = false;
	size_t i = 0;

	while (i < l->n_lines) {
		struct pline *ln = &l->lines[i];
		if (ln->furniture) {
			i++;
			continue;
		}
		if (!open) {
			struct gutter g[MAX_GUTTERS];
			size_t n = line_gaps(l, ln, g);
			if (!n) {
				i++;
				continue;
			}
			r = (struct region){.first = i, .last = i, .n_g = n, .multi = 1};
			r.g = xmalloc(MAX_GUTTERS * sizeof(*r.g));
			memcpy(r.g, g, n * sizeof(*g));
			ln->table = -1;
			open = true;
			i++;
			continue;
		}
		/* A young region whose first line had fewer gaps than this one
		 * began at a line above the table (a heading with a wide space):
		 * the table begins here. */
		struct gutter g[MAX_GUTTERS];
		enum fit fit =
		    r.multi <= 1 && line_gaps(l, ln, g) > r.n_g ? FIT_NO : region_fit(l, &r, i);
		if (fit == FIT_NO) {
			i = close_region(l, &r);
			open = false;
			continue;
		}
		ln->table = -1;
		ln->spanning = fit == FIT_SPANNING;
		r.last = i++;
	}
	if (open)
		close_region(l, &r);
}

/* ---- blocks ------------------------------------------------------------------------------- */

/*
 * Appends a line's text to b, as the next line of the same cell or
 * paragraph: after a space, unless the line before ends in a hyphen
 * attached to its last word — a token broken at its own hyphen ("2026-" /
 * "2030", "57-" / "NQ/TW") joins whole; a soft hyphen (U+00AD, a
 * typesetter's hyphenation) joins the parts of its word and goes; a year
 * a narrow cell broke after its '/' ("30/11/2" / "025") joins whole.
 */
/* A year broken over two lines, after its '/' ("30/11/2" / "025", "Quý I/20" / "26"). */
static bool year_broken(const struct buf *b, const char *s, size_t len)
{
	size_t tail = 0, head = 0;

	while (tail < b->len && tail < 4 && isdigit((unsigned char)b->data[b->len - 1 - tail]))
		tail++;
	if (!tail || tail == 4 || b->len == tail || b->data[b->len - 1 - tail] != '/')
		return false;
	while (head < len && isdigit((unsigned char)s[head]))
		head++;
	return tail + head == 4 && (head == len || !isdigit((unsigned char)s[head]));
}

static void join_text(struct buf *b, const char *s, size_t len)
{
	if (!len)
		return;
	if (year_broken(b, s, len)) {
		/* joined as written */
	} else if (b->len >= 3 && !strcmp(b->data + b->len - 2, "\xC2\xAD")) {
		b->len -= 2;
		b->data[b->len] = '\0';
	} else if (b->len &&
	           !(b->len >= 2 && b->data[b->len - 1] == '-' && b->data[b->len - 2] != ' ')) {
		buf_addc(b, ' ');
	}
	buf_add(b, s, len);
}

/*
 * A cell whose text may go on below its own row: a row span, which a PDF
 * draws as text running on over the rows it covers, at the line spacing
 * of one paragraph where a new cell would start after a row's gap.
 */
struct flow {
	int row;     /* the cell's row in the table, -1 when none */
	size_t cell; /* and its index in that row */
	int page;
	double bottom; /* where its text ends so far */
};

/* Appends text to an emitted cell, as its next line. */
static void cell_continue(struct doc_cell *c, const char *text, size_t len)
{
	struct buf b = BUF_INIT;

	buf_adds(&b, c->text);
	join_text(&b, text, len);
	free(c->text);
	c->text = buf_steal(&b);
}

/*
 * One row of the table from its lines (in reading order). A column's text
 * that goes on from the cell above at a paragraph's line spacing (not
 * after a row's gap) is that cell's: the cell here is a continued merge.
 */
static void emit_row(struct layout *l, const struct region *r, struct doc_table *t,
                     const size_t *lines, size_t n, bool header, double gap, struct flow *flows)
{
	int n_cols = (int)r->n_g + 1;
	struct buf text[DOC_MAX_COLS];
	unsigned emph[DOC_MAX_COLS];
	bool any[DOC_MAX_COLS], flowed[DOC_MAX_COLS], flowing[DOC_MAX_COLS];
	bool joined[DOC_MAX_COLS] = {false}; /* joined[c]: c and c+1 are one cell */
	double bottom[DOC_MAX_COLS];
	struct doc_pos pos = {.page = l->lines[lines[0]].page};
	struct doc_row *row = doc_table_add_row(t, pos);
	int row_no = (int)t->n_rows - 1;

	row->header = header;
	/* A word across a gutter makes one cell of the columns it crosses. */
	for (size_t i = 0; i < n; i++) {
		const struct pline *ln = &l->lines[lines[i]];
		for (size_t k = 0; k < ln->n; k++) {
			const struct layout_word *w = &l->words[ln->first + k];
			for (int g = 0; g < (int)r->n_g; g++)
				if (w->x0 < (r->g[g].a + r->g[g].b) / 2 &&
				    w->x1 > (r->g[g].a + r->g[g].b) / 2)
					joined[g] = true;
		}
	}
	for (int c = 0; c < n_cols; c++) {
		buf_init(&text[c]);
		emph[c] = DOC_BOLD | DOC_ITALIC;
		any[c] = flowed[c] = false;
		bottom[c] = 0;
		flowing[c] = !header && flows[c].row >= 0 && !(c > 0 && joined[c - 1]) &&
		             !(c < n_cols - 1 && joined[c]);
	}
	for (size_t i = 0; i < n; i++) {
		const struct pline *ln = &l->lines[lines[i]];
		struct buf part[DOC_MAX_COLS];
		for (int c = 0; c < n_cols; c++)
			buf_init(&part[c]);
		for (size_t k = 0; k < ln->n; k++) {
			const struct layout_word *w = &l->words[ln->first + k];
			int c = column_of(r, w);
			if (part[c].len)
				buf_addc(&part[c], ' ');
			buf_add(&part[c], w->text, w->len);
			emph[c] &= w->emph;
		}
		for (int c = 0; c < n_cols; c++) {
			if (!part[c].len)
				continue;
			struct flow *f = &flows[c];
			if (flowing[c] && i > 0 && ln->page == f->page &&
			    ln->top - f->bottom <= gap) {
				cell_continue(&t->rows[f->row].cells[f->cell], buf_str(&part[c]),
				              part[c].len);
				f->bottom = ln->bottom;
				flowed[c] = true;
			} else {
				flowing[c] = false;
				join_text(&text[c], buf_str(&part[c]), part[c].len);
				bottom[c] = ln->bottom;
				any[c] = true;
			}
			buf_free(&part[c]);
		}
	}
	row = &t->rows[row_no];
	/* A PDF loses row spans it does not show so: a row with nothing after
	 * some column is written short, as a flattened text writes the row a
	 * span covered, so the meaning stage judges it as it judges those. */
	int used = n_cols;
	while (!header && used > 1 && !any[used - 1] && !flowed[used - 1] && !joined[used - 2])
		used--;
	for (int c = 0; c < used;) {
		int span = 1;
		while (c + span < n_cols && joined[c + span - 1]) {
			join_text(&text[c], buf_str(&text[c + span]), text[c + span].len);
			emph[c] &= any[c + span] ? emph[c + span] : ~0u;
			any[c] |= any[c + span];
			span++;
		}
		struct doc_cell *cell = doc_row_add_cell(row, buf_str(&text[c]), text[c].len, pos);
		cell->emph = any[c] ? emph[c] : 0;
		if (span > 1)
			doc_cell_set_span(row, row->n_cells - 1, span);
		if (flowed[c] && !any[c]) {
			cell->merge = DOC_MERGE_CONT;
			t->rows[flows[c].row].cells[flows[c].cell].merge = DOC_MERGE_START;
		} else if (span == 1 && any[c] && !header) {
			flows[c] = (struct flow){row_no, row->n_cells - 1, pos.page, bottom[c]};
		} else if (!flowed[c]) {
			flows[c].row = -1;
		}
		for (int k = 1; k < span; k++)
			flows[c + k].row = -1;
		c += span;
	}
	for (int c = used; c < n_cols; c++)
		flows[c].row = -1;
	for (int c = 0; c < n_cols; c++)
		buf_free(&text[c]);
}

/* Whether lines a and b read the same. */
static bool same_text(const struct layout *l, size_t a, size_t b)
{
	struct buf x = BUF_INIT, y = BUF_INIT;

	line_text(l, &l->lines[a], &x);
	line_text(l, &l->lines[b], &y);
	bool same = !strcmp(buf_str(&x), buf_str(&y));
	buf_free(&x);
	buf_free(&y);
	return same;
}

/*
 * Whether the line under a repeated header goes on with the row the page
 * break cut: nothing in the first column (no new number), and its text
 * starts in lower case, in the middle of a sentence. A row of its own
 * whose number a span took starts with a capital ("Xây dựng …").
 */
static bool continues_cut_row(const struct layout *l, const struct region *r,
                              const struct pline *ln)
{
	const struct layout_word *w = &l->words[ln->first];
	size_t first = 1, letters;

	if (line_columns(l, r, ln) & 1)
		return false;
	while (first < w->len && ((unsigned char)w->text[first] & 0xC0) == 0x80)
		first++;
	return !(lines_all_caps(w->text, first, &letters) && letters == 1);
}

struct placed {
	size_t line;
	int row;
};

static int by_row(const void *pa, const void *pb)
{
	const struct placed *a = pa, *b = pb;

	if (a->row != b->row)
		return a->row < b->row ? -1 : 1;
	return (a->line > b->line) - (a->line < b->line);
}

/*
 * A table's lines into rows. Lines at the top of a page repeating the
 * table's first row are the header Word or reportlab repeats there: they
 * are a row of their own, it and the first row are marked header rows, and
 * a row the page break cut (the lines after the repeated header with
 * nothing in the first column) goes back to the row it was cut from.
 */
static void emit_table(struct layout *l, int index)
{
	const struct region *r = &l->tables[index - 1];
	struct doc_table *t =
	    doc_add_table(l->out, DOC_FORM_PDF, (struct doc_pos){.page = l->lines[r->first].page});
	double gap = row_gap(l, r);
	size_t n = 0, cap = r->last - r->first + 1, head = 1;
	struct placed *p = xcalloc(cap, sizeof(*p));
	size_t *lines = xcalloc(cap, sizeof(*lines));
	int *row = xcalloc(cap, sizeof(*row));
	bool *header = xcalloc(cap, sizeof(*header)), *repeat = xcalloc(cap, sizeof(*repeat));
	struct flow flows[DOC_MAX_COLS];

	for (int c = 0; c < DOC_MAX_COLS; c++)
		flows[c].row = -1;

	for (size_t i = r->first; i <= r->last; i++)
		if (l->lines[i].table == index)
			lines[n++] = i;
	while (head < n && !starts_row(l, r, lines[head], gap))
		head++; /* the first row's lines */
	for (size_t i = head; i + head <= n; i++) {
		if (l->lines[lines[i]].page == l->lines[lines[i - 1]].page)
			continue;
		repeat[i] = true;
		for (size_t k = 0; k < head && repeat[i]; k++)
			repeat[i] = same_text(l, lines[i + k], lines[k]);
	}
	/* Rows: a repeated header is one row whatever starts_row says of its
	 * lines, and the line after it begins the next. */
	for (size_t i = 1, header_end = 0; i < n; i++) {
		bool boundary;
		if (repeat[i]) {
			boundary = true;
			header_end = i + head;
		} else {
			boundary =
			    i == header_end || (i > header_end && starts_row(l, r, lines[i], gap));
		}
		row[i] = row[i - 1] + boundary;
	}
	for (size_t i = 1; i < n; i++) {
		if (!repeat[i])
			continue;
		header[0] = header[row[i]] = true;
		size_t k = i + head;
		if (k < n && continues_cut_row(l, r, &l->lines[lines[k]]))
			for (int cut = row[k]; k < n && row[k] == cut; k++)
				row[k] = row[i - 1];
	}
	for (size_t i = 0; i < n; i++)
		p[i] = (struct placed){lines[i], row[i]};
	qsort(p, n, sizeof(*p), by_row);
	for (size_t i = 0; i < n;) {
		size_t k = i;
		for (; k < n && p[k].row == p[i].row; k++)
			lines[k - i] = p[k].line;
		emit_row(l, r, t, lines, k - i, header[p[i].row], gap, flows);
		i = k;
	}
	free(p);
	free(lines);
	free(row);
	free(header);
	free(repeat);
}

/* The left and right edges of the text of the page starting at line i. */
static void text_edges(const struct layout *l, size_t i, double *left, double *right)
{
	*left = l->lines[i].x0;
	*right = l->lines[i].x1;
	for (int page = l->lines[i].page; i < l->n_lines && l->lines[i].page == page; i++)
		if (!l->lines[i].table && !l->lines[i].furniture) {
			*left = fmin(*left, l->lines[i].x0);
			*right = fmax(*right, l->lines[i].x1);
		}
}

/*
 * Whether line b begins a paragraph after line a (both text; a_first: a
 * begins its own). An indented line after a line of a paragraph's body
 * begins one (a first-line indent); after a paragraph's first line it is
 * the body of a hanging indent.
 */
static bool starts_paragraph(const struct layout *l, const struct pline *a, const struct pline *b,
                             bool a_first, double edge, double left)
{
	struct buf text = BUF_INIT;
	bool marker;

	line_text(l, b, &text);
	size_t at = 0, text_at = 0;
	marker = lines_marker(buf_str(&text), &at, &text_at) > 0;
	buf_reset(&text);
	line_text(l, a, &text);
	/* a token broken at its hyphen ("57-" / "NQ/TW") goes on below */
	bool broken =
	    text.len >= 2 && text.data[text.len - 1] == '-' && text.data[text.len - 2] != ' ';
	buf_free(&text);
	if (marker || a->emph != b->emph)
		return true;
	if (broken)
		return false;
	if (a->x1 < edge - fmax(3 * l->height, 0.12 * (edge - left)))
		return true; /* the line above ended short */
	if (b->page == a->page && b->top - a->bottom > l->line_gap + 0.3 * l->height)
		return true;
	return !a_first && b->x0 > a->x0 + 0.8 * l->height;
}

static void emit_paragraph(struct layout *l, size_t first, size_t last, int *para_no)
{
	struct buf text = BUF_INIT, part = BUF_INIT;
	unsigned emph = DOC_BOLD | DOC_ITALIC;

	for (size_t i = first; i <= last; i++) {
		const struct pline *ln = &l->lines[i];
		if (ln->furniture || ln->table)
			continue;
		buf_reset(&part);
		line_text(l, ln, &part);
		join_text(&text, buf_str(&part), part.len);
		emph &= ln->emph;
	}
	const char *s = buf_str(&text);
	size_t at = 0, text_at = 0, m = lines_marker(s, &at, &text_at);
	char *number = xstrndup(m ? s + at : "", m);
	struct doc_pos pos = {.page = l->lines[first].page, .para = ++*para_no};
	struct doc_para *p = doc_add_para(l->out, DOC_FORM_PDF, number, s + (m ? text_at : 0),
	                                  text.len - (m ? text_at : 0), pos);
	p->emph = emph;
	free(number);
	buf_free(&text);
	buf_free(&part);
}

static void emit_blocks(struct layout *l)
{
	int para_no = 0, page = 0;
	double edge = 0, left = 0;
	size_t start = SIZE_MAX, prev = SIZE_MAX;

	for (size_t i = 0; i < l->n_lines; i++) {
		const struct pline *ln = &l->lines[i];
		if (ln->furniture)
			continue;
		if (ln->table) {
			if (start != SIZE_MAX)
				emit_paragraph(l, start, prev, &para_no);
			start = prev = SIZE_MAX;
			if (i == l->tables[ln->table - 1].first)
				emit_table(l, ln->table);
			continue;
		}
		if (ln->page != page) {
			page = ln->page;
			text_edges(l, i, &left, &edge);
		}
		if (start != SIZE_MAX &&
		    starts_paragraph(l, &l->lines[prev], ln, prev == start, edge, left)) {
			emit_paragraph(l, start, prev, &para_no);
			start = SIZE_MAX;
		}
		if (start == SIZE_MAX)
			start = i;
		prev = i;
	}
	if (start != SIZE_MAX)
		emit_paragraph(l, start, prev, &para_no);
}

void layout_read(const struct layout_word *words, size_t n, const struct layout_page *pages,
                 int n_pages, struct doc *out)
{
	struct layout l = {.n_words = n, .pages = pages, .n_pages = n_pages, .out = out};

	if (!n)
		return;
	l.words = xmalloc(n * sizeof(*words));
	memcpy(l.words, words, n * sizeof(*words));
	find_lines(&l);
	measure(&l);
	find_furniture(&l);
	find_tables(&l);
	emit_blocks(&l);
	for (size_t i = 0; i < l.n_tables; i++)
		free(l.tables[i].g);
	free(l.tables);
	free(l.lines);
	free(l.words);
}
