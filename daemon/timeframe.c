/*
 * timeframe — reads deadline phrases. See timeframe.h for the contract.
 *
 * How it works. The phrase is folded to lowercase ASCII without diacritics
 * (text_fold), so "Quý", "QUÝ", "Quí" and the NFD forms all read "quy", and
 * cut into tokens: numbers, words, punctuation. The parser then collects
 * *items* in any order, because clerks write "hàng năm, trước ngày 15/12"
 * as often as "trước ngày 15/12 hàng năm":
 *   - spans: dated windows ("Quý II/2025", "2022 - 2025", "30/6/2024");
 *   - anchors: dates without a year ("Quý IV", "15/12", "tháng 9");
 *   - marks: recurrences ("hàng năm", "hằng quý", "6 tháng", "hàng tuần");
 *   - from / following / ongoing / event / condition.
 * combine() turns the items into a struct tf by a few explicit rules and
 * rejects combinations that mean nothing. Any token no rule consumed makes
 * the phrase TF_UNPARSED, with its position: an admin fixes the text, the
 * parser never guesses.
 */
#include "timeframe.h"

#include "date.h"
#include "text.h"
#include "util.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_INPUT  1024
#define MAX_TOKENS 256
#define NO_DAY     INT64_MIN
#define YEAR_MIN   1900
#define YEAR_MAX   2200

enum tok_type { TOK_END, TOK_NUM, TOK_WORD, TOK_PUNCT };

struct tok {
	enum tok_type type;
	int num;     /* TOK_NUM: value, capped at 99999 */
	int ndigits; /* TOK_NUM */
	char punct;  /* TOK_PUNCT */
	const char *word;
	int len;
	int at; /* offset in the folded text */
};

enum mark { MARK_YEAR = 1, MARK_HALF = 2, MARK_QUARTER = 4, MARK_MONTH = 8, MARK_WEEK = 16 };

/* A dated window in local day numbers; end is the due day. */
struct span {
	int64_t start; /* NO_DAY when the phrase gives no start */
	int64_t end;
	bool before; /* due at 00:00 of end, not at its end */
	bool range;  /* written as a range: makes a TF_PERIOD */
};

/* A date without a year; month 0 = any month (monthly anchors). */
struct yearless {
	int month, day, window_month;
	bool before;
};

struct parser {
	const char *src;
	const struct tf_ctx *ctx;
	char fold[MAX_INPUT];
	uint32_t map[MAX_INPUT];
	struct tok tok[MAX_TOKENS + 1];
	int ntok, pos;
	int err_tok;
	char err[TF_ERROR_MAX];

	struct span spans[TF_MAX_PHASES];
	int nspans;
	struct yearless anchors[TF_MAX_ANCHORS];
	int nanchors;
	unsigned marks;
	int weekday;
	bool ongoing, following, has_from;
	int64_t from_day;
	int in_parens;
	int event_tok;          /* first token of an event phrase, or -1 */
	int cond_from, cond_to; /* token range of a condition, or -1 */
};

/* ---- tokens ---------------------------------------------------------- */

static void tokenize(struct parser *p, size_t n)
{
	size_t i = 0;

	p->ntok = 0;
	while (i < n && p->ntok < MAX_TOKENS) {
		char c = p->fold[i];
		struct tok *t = &p->tok[p->ntok];

		if (c == ' ') {
			i++;
			continue;
		}
		memset(t, 0, sizeof(*t));
		t->at = (int)i;
		t->word = p->fold + i;
		if (c >= '0' && c <= '9') {
			t->type = TOK_NUM;
			while (i < n && p->fold[i] >= '0' && p->fold[i] <= '9') {
				if (t->num < 99999)
					t->num = t->num * 10 + (p->fold[i] - '0');
				t->ndigits++;
				i++;
			}
		} else if (c >= 'a' && c <= 'z') {
			t->type = TOK_WORD;
			while (i < n && p->fold[i] >= 'a' && p->fold[i] <= 'z')
				i++;
		} else {
			t->type = TOK_PUNCT;
			t->punct = c;
			i++;
		}
		t->len = (int)(p->fold + i - t->word);
		p->ntok++;
	}
	p->tok[p->ntok] = (struct tok){.type = TOK_END, .at = (int)n};
}

static const struct tok *peek(const struct parser *p, int k)
{
	int i = p->pos + k;

	return i < p->ntok ? &p->tok[i] : &p->tok[p->ntok];
}

static bool tok_is(const struct tok *t, const char *w)
{
	return t->type == TOK_WORD && (size_t)t->len == strlen(w) &&
	       memcmp(t->word, w, t->len) == 0;
}

static bool tok_punct(const struct tok *t, char c)
{
	return t->type == TOK_PUNCT && t->punct == c;
}

/* True when the next tokens are the given words (NULL-terminated list). */
static bool at_words(const struct parser *p, ...)
{
	va_list ap;
	const char *w;
	int k = 0;
	bool match = true;

	va_start(ap, p);
	while (match && (w = va_arg(ap, const char *)))
		match = tok_is(peek(p, k++), w);
	va_end(ap);
	return match;
}

static int fail(struct parser *p, int tok_index, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(struct parser *p, int tok_index, const char *fmt, ...)
{
	va_list ap;

	if (p->err[0])
		return -1; /* the first error is the one to report */
	p->err_tok = tok_index;
	va_start(ap, fmt);
	vsnprintf(p->err, sizeof(p->err), fmt, ap);
	va_end(ap);
	return -1;
}

/* ---- numbers --------------------------------------------------------- */

static int roman_value(const struct tok *t)
{
	static const char *const numerals[] = {"i",   "ii",   "iii", "iv", "v",  "vi",
	                                       "vii", "viii", "ix",  "x",  "xi", "xii"};

	for (size_t i = 0; i < UTIL_NELEM(numerals); i++)
		if (tok_is(t, numerals[i]))
			return (int)i + 1;
	return 0;
}

static bool is_year_tok(const struct tok *t)
{
	return t->type == TOK_NUM && t->ndigits == 4;
}

/* Consumes a four-digit year and checks its range. */
static int take_year(struct parser *p, int *year)
{
	const struct tok *t = peek(p, 0);

	if (!is_year_tok(t))
		return fail(p, p->pos, "a year was expected here");
	if (t->num < YEAR_MIN || t->num > YEAR_MAX)
		return fail(p, p->pos, "year %d is outside %d-%d", t->num, YEAR_MIN, YEAR_MAX);
	*year = t->num;
	p->pos++;
	return 0;
}

/* An optional year after a quarter or month: "/2025", "năm 2025", "- 2025", " 2025". */
static int take_optional_year(struct parser *p, int *year)
{
	*year = 0;
	/* After '-' only a four-digit number is a year: "Quý 3-4/2024" is a range. */
	if (((tok_punct(peek(p, 0), '/') || tok_is(peek(p, 0), "nam")) &&
	     peek(p, 1)->type == TOK_NUM) ||
	    (tok_punct(peek(p, 0), '-') && is_year_tok(peek(p, 1)))) {
		p->pos++;
		return take_year(p, year);
	}
	if (is_year_tok(peek(p, 0)))
		return take_year(p, year);
	if (tok_punct(peek(p, 0), '/') && peek(p, 1)->type == TOK_END)
		return fail(p, p->pos, "a year was expected after '/'");
	return 0;
}

static int64_t day_of(int y, int m, int d)
{
	return date_days_from_civil(y, m, d);
}

static int64_t month_end(int y, int m)
{
	return day_of(y, m, date_days_in_month(y, m));
}

/* The original text of token i, for messages. */
static const char *tok_text(const struct parser *p, int i, char *buf, size_t len)
{
	const struct tok *t = &p->tok[i];
	uint32_t from = p->map[t->at], to = p->map[t->at + t->len];
	size_t n = to - from < len - 1 ? to - from : len - 1;

	memcpy(buf, p->src + from, n);
	buf[n] = '\0';
	return buf;
}

/* ---- items: dated spans and yearless anchors ------------------------- */

static int add_span(struct parser *p, int64_t start, int64_t end, bool range, int tok_index)
{
	if (p->nspans == TF_MAX_PHASES)
		return fail(p, tok_index, "more than %d deadlines in one phrase", TF_MAX_PHASES);
	p->spans[p->nspans++] = (struct span){start, end, false, range};
	return 0;
}

static int add_anchor(struct parser *p, int month, int day, int window_month, int tok_index)
{
	if (p->nanchors == TF_MAX_ANCHORS)
		return fail(p, tok_index, "more than %d dates in one phrase", TF_MAX_ANCHORS);
	p->anchors[p->nanchors++] = (struct yearless){month, day, window_month, false};
	return 0;
}

/* One quarter numeral: I-IV or 1-4; anything else that looks like one is an error. */
static int take_quarter_numeral(struct parser *p, int *q)
{
	const struct tok *t = peek(p, 0);
	int v = t->type == TOK_NUM ? t->num : roman_value(t);
	char text[16];

	if (t->type != TOK_NUM && v == 0)
		return fail(p, p->pos, "a quarter number (I-IV) was expected");
	if (v < 1 || v > 4)
		return fail(p, p->pos, "there is no quarter %s (quarters are I-IV)",
		            tok_text(p, p->pos, text, sizeof(text)));
	*q = v;
	p->pos++;
	return 0;
}

static bool at_quarter_word(const struct parser *p, int k)
{
	return tok_is(peek(p, k), "quy") || tok_is(peek(p, k), "qui");
}

static int64_t quarter_start(int q, int year)
{
	return day_of(year, 3 * q - 2, 1);
}

static int64_t quarter_end(int q, int year)
{
	return month_end(year, 3 * q);
}

/* Dated quarters: a range or contiguous list is one period, others are phases. */
static int quarter_spans(struct parser *p, const int *q, const int *year, int n, bool range,
                         int tok_index)
{
	bool contiguous = true;

	for (int i = 1; i < n; i++)
		contiguous &= year[i] * 4 + q[i] == year[i - 1] * 4 + q[i - 1] + 1;
	if (n == 1)
		return add_span(p, quarter_start(q[0], year[0]), quarter_end(q[0], year[0]), false,
		                tok_index);
	if (range || contiguous) {
		int64_t start = quarter_start(q[0], year[0]),
		        end = quarter_end(q[n - 1], year[n - 1]);
		if (end < start)
			return fail(p, tok_index, "the quarters run backwards");
		return add_span(p, start, end, true, tok_index);
	}
	for (int i = 0; i < n; i++)
		if (add_span(p, quarter_start(q[i], year[i]), quarter_end(q[i], year[i]), false,
		             tok_index) < 0)
			return -1;
	return 0;
}

/* After a quarter numeral: "-", "," or "và" followed by another numeral. */
static bool take_quarter_separator(struct parser *p, bool *dash)
{
	int save = p->pos;

	*dash = tok_punct(peek(p, 0), '-');
	if (*dash || tok_punct(peek(p, 0), ',') || tok_is(peek(p, 0), "va")) {
		p->pos++;
		if (at_quarter_word(p, 0))
			p->pos++;
		const struct tok *t = peek(p, 0);
		if ((t->type == TOK_NUM && t->ndigits == 1) || roman_value(t))
			return true;
	}
	p->pos = save;
	return false;
}

/*
 * "Quý II/2025", "Quý III - Quý IV/2024", "Quý I, II/2025", "Quý I và
 * Quý III/2025", "Quý IV/2024 - Quý I/2025", and yearless "Quý IV".
 */
static int parse_quarters(struct parser *p)
{
	int q[8], year[8], n = 0, first_tok = p->pos;
	bool range = false, dash;

	p->pos++; /* "quý" */
	do {
		if (n == 8)
			return fail(p, p->pos, "too many quarters");
		if (take_quarter_numeral(p, &q[n]) < 0 || take_optional_year(p, &year[n]) < 0)
			return -1;
		n++;
	} while (take_quarter_separator(p, &dash) && ((range |= dash), true));
	/* A trailing year belongs to every quarter written without one. */
	for (int i = n - 2; i >= 0; i--)
		if (!year[i])
			year[i] = year[i + 1];
	if (year[n - 1])
		return quarter_spans(p, q, year, n, range, first_tok);
	if (range && q[n - 1] < q[0]) /* found by the fuzzer: "Quý III - II hàng năm" */
		return fail(p, first_tok, "the quarters run backwards");
	if (range || n == 1)
		return add_anchor(p, 3 * q[n - 1], 0, 3 * q[0] - 2, first_tok);
	for (int i = 0; i < n; i++)
		if (add_anchor(p, 3 * q[i], 0, 3 * q[i] - 2, first_tok) < 0)
			return -1;
	return 0;
}

/* "Năm 2025", "2025", "2022 - 2025", "Năm 2022 – năm 2025". */
static int parse_years(struct parser *p)
{
	int first_tok = p->pos, y1, y2;

	if (tok_is(peek(p, 0), "nam"))
		p->pos++;
	if (take_year(p, &y1) < 0)
		return -1;
	int dash = p->pos;
	if (tok_punct(peek(p, 0), '-')) {
		p->pos++;
		if (tok_is(peek(p, 0), "nam"))
			p->pos++;
		if (is_year_tok(peek(p, 0))) {
			int second = p->pos;
			if (take_year(p, &y2) < 0)
				return -1;
			if (y2 < y1)
				return fail(p, second, "the period ends before it starts");
			return add_span(p, day_of(y1, 1, 1), day_of(y2, 12, 31), true, first_tok);
		}
		p->pos = dash;
	}
	return add_span(p, day_of(y1, 1, 1), day_of(y1, 12, 31), false, first_tok);
}

/* "Tháng 12/2022", "tháng 12 năm 2022", and yearless "tháng 9". */
static int parse_month(struct parser *p)
{
	int first_tok = p->pos, month, year;
	char text[16];

	p->pos++; /* "tháng" */
	month = peek(p, 0)->num;
	if (month < 1 || month > 12)
		return fail(p, p->pos, "there is no month %s",
		            tok_text(p, p->pos, text, sizeof(text)));
	p->pos++;
	if (take_optional_year(p, &year) < 0)
		return -1;
	if (!year)
		return add_anchor(p, month, 0, month, first_tok);
	return add_span(p, day_of(year, month, 1), month_end(year, month), false, first_tok);
}

static bool is_date_separator(const struct tok *t)
{
	return tok_punct(t, '/') || tok_punct(t, '-') || tok_punct(t, '.');
}

static bool is_small_num(const struct tok *t)
{
	return t->type == TOK_NUM && t->ndigits <= 2;
}

/* A yearless day/month must exist every year: 29/02 does not. */
static int check_yearless(struct parser *p, int day, int month, int day_tok)
{
	if (month < 1 || month > 12)
		return fail(p, day_tok, "there is no month %d", month);
	if (day < 1 || day > date_days_in_month(2024, month))
		return fail(p, day_tok, "there is no %02d/%02d", day, month);
	if (day > date_days_in_month(2025, month))
		return fail(p, day_tok, "%02d/%02d does not occur every year", day, month);
	return 0;
}

/* The month and year after a day: "/6/2024", " tháng 6 năm 2024", "/12". */
static void take_month_year(struct parser *p, int *month, int *year)
{
	*month = *year = 0;
	if (is_date_separator(peek(p, 0)) && is_small_num(peek(p, 1))) {
		*month = peek(p, 1)->num;
		p->pos += 2;
		if (is_date_separator(peek(p, 0)) && peek(p, 1)->type == TOK_NUM) {
			*year = peek(p, 1)->num;
			p->pos += 2;
		}
	} else if (tok_is(peek(p, 0), "thang") && is_small_num(peek(p, 1))) {
		*month = peek(p, 1)->num;
		p->pos += 2;
		if ((tok_is(peek(p, 0), "nam") || tok_punct(peek(p, 0), '/')) &&
		    peek(p, 1)->type == TOK_NUM) {
			*year = peek(p, 1)->num;
			p->pos += 2;
		}
	}
}

/*
 * "30/6/2024", "ngày 30 tháng 6 năm 2024", "12/2022" (a month), yearless
 * "15/12", and "ngày 20" (a day of every month). Returns 0 when the tokens
 * are not a date at all, so other rules can try them.
 */
static int parse_date(struct parser *p)
{
	int start = p->pos, day_tok, day, month, year;
	bool said_day = tok_is(peek(p, 0), "ngay");

	if (said_day)
		p->pos++;
	if (!is_small_num(peek(p, 0))) {
		p->pos = start;
		return 0;
	}
	day_tok = p->pos;
	day = peek(p, 0)->num;
	p->pos++;
	if (!said_day && tok_punct(peek(p, 0), '/') && is_year_tok(peek(p, 1))) {
		int y;
		p->pos++;
		if (day < 1 || day > 12)
			return fail(p, day_tok, "there is no month %d", day);
		if (take_year(p, &y) < 0)
			return -1;
		return add_span(p, day_of(y, day, 1), month_end(y, day), false, start) < 0 ? -1 : 1;
	}
	take_month_year(p, &month, &year);
	if (!month) {
		if (!said_day) {
			p->pos = start;
			return 0;
		}
		if (day < 1 || day > 28)
			return fail(p, day_tok, "day %d does not occur every month", day);
		return add_anchor(p, 0, day, 1, start) < 0 ? -1 : 1;
	}
	if (!year)
		return check_yearless(p, day, month, day_tok) < 0 ||
		               add_anchor(p, month, day, 1, start) < 0
		           ? -1
		           : 1;
	if (year < YEAR_MIN || year > YEAR_MAX)
		return fail(p, day_tok, "year %d is outside %d-%d", year, YEAR_MIN, YEAR_MAX);
	if (!date_valid(year, month, day))
		return fail(p, day_tok, "there is no %02d/%02d/%d", day, month, year);
	return add_span(p, NO_DAY, day_of(year, month, day), false, start) < 0 ? -1 : 1;
}

/* "6 tháng đầu năm 2025", "6 tháng cuối năm"; or the mark "6 tháng". */
static int parse_half(struct parser *p)
{
	int first_tok = p->pos, year;
	bool first_half = tok_is(peek(p, 2), "dau");

	if (!first_half && !tok_is(peek(p, 2), "cuoi")) {
		p->pos += 2;
		p->marks |= MARK_HALF;
		return 0;
	}
	p->pos += 3;
	if (tok_is(peek(p, 0), "nam") && !is_year_tok(peek(p, 1)))
		p->pos++;
	if (take_optional_year(p, &year) < 0)
		return -1;
	int m1 = first_half ? 1 : 7, m2 = first_half ? 6 : 12;
	if (!year) {
		/* Without a year, "6 tháng cuối năm" is every year's second half. */
		p->marks |= MARK_YEAR;
		return add_anchor(p, m2, 0, m1, first_tok);
	}
	return add_span(p, day_of(year, m1, 1), month_end(year, m2), false, first_tok);
}

/* One dated expression: a quarter, year, month, half-year or date. */
static int parse_dated(struct parser *p)
{
	const struct tok *t = peek(p, 0);

	if (at_quarter_word(p, 0))
		return parse_quarters(p) < 0 ? -1 : 1;
	if ((tok_is(t, "nam") && peek(p, 1)->type == TOK_NUM) || is_year_tok(t))
		return parse_years(p) < 0 ? -1 : 1;
	if (tok_is(t, "thang") && peek(p, 1)->type == TOK_NUM)
		return parse_month(p) < 0 ? -1 : 1;
	if (t->type == TOK_NUM && t->num == 6 && tok_is(peek(p, 1), "thang") &&
	    (tok_is(peek(p, 2), "dau") || tok_is(peek(p, 2), "cuoi")))
		return parse_half(p) < 0 ? -1 : 1;
	return parse_date(p);
}

/*
 * Parses one dated expression after a word like "trước"; *span or *anchor
 * receives the index of what it added, the other -1.
 */
static int parse_one_dated(struct parser *p, const char *after, int *span, int *anchor)
{
	int spans = p->nspans, anchors = p->nanchors, at = p->pos;
	int r = parse_dated(p);

	if (r < 0)
		return -1;
	if (r == 0 || p->nspans + p->nanchors != spans + anchors + 1)
		return fail(p, at, "a date was expected after '%s'", after);
	*span = p->nspans > spans ? spans : -1;
	*anchor = p->nanchors > anchors ? anchors : -1;
	return 0;
}

/* "Before X" is due when X begins, at 00:00. */
static void make_before(struct parser *p, int span, int anchor)
{
	if (span >= 0) {
		struct span *s = &p->spans[span];
		if (s->start != NO_DAY)
			s->end = s->start;
		s->start = NO_DAY;
		s->before = true;
		s->range = false;
		return;
	}
	struct yearless *a = &p->anchors[anchor];
	if (a->day == 0) {
		a->month = a->window_month;
		a->day = 1;
	}
	a->before = true;
	a->window_month = 1;
}

static void skip_word(struct parser *p, const char *w)
{
	if (tok_is(peek(p, 0), w))
		p->pos++;
}

/* "trước ngày 15/12", "trước 30/6/2024", "trước tháng 10". */
static int parse_before(struct parser *p)
{
	int span, anchor;

	p->pos++;
	if (tok_is(peek(p, 0), "ngay") && !is_small_num(peek(p, 1)))
		p->pos++;
	if (parse_one_dated(p, "trước", &span, &anchor) < 0)
		return -1;
	make_before(p, span, anchor);
	return 0;
}

/* "Đến năm 2025", "đến hết 30/6/2025": the work runs from the plan's start. */
static int parse_until(struct parser *p)
{
	int span, anchor;
	bool before = false;

	p->pos++;
	skip_word(p, "het");
	if (tok_is(peek(p, 0), "truoc")) {
		before = true;
		p->pos++;
		if (tok_is(peek(p, 0), "ngay") && !is_small_num(peek(p, 1)))
			p->pos++;
	}
	if (parse_one_dated(p, "đến", &span, &anchor) < 0)
		return -1;
	if (before)
		make_before(p, span, anchor);
	if (span >= 0 && p->ctx->plan_first_year) {
		int64_t plan_start = day_of(p->ctx->plan_first_year, 1, 1);
		struct span *s = &p->spans[span];
		/* Only a plan that starts before the deadline can open its window. */
		if ((s->start == NO_DAY || plan_start < s->start) && plan_start <= s->end)
			s->start = plan_start;
	}
	return 0;
}

/* "… đến Y" after a dated X: the period from X's start to Y's end. */
static int finish_range(struct parser *p, struct span from, int at)
{
	int span, anchor;
	int64_t start = from.start != NO_DAY ? from.start : from.end;

	p->pos++; /* "đến" */
	skip_word(p, "het");
	if (parse_one_dated(p, "đến", &span, &anchor) < 0)
		return -1;
	if (span < 0)
		return fail(p, at, "'đến' needs a date with a year");
	struct span *to = &p->spans[span];
	if (to->end < start)
		return fail(p, at, "the period ends before it starts");
	to->start = start;
	to->range = true;
	return 0;
}

/* "Từ năm 2023" (ongoing from), "Từ Quý II/2024 đến Quý IV/2025" (a period). */
static int parse_from(struct parser *p)
{
	int at = p->pos, span, anchor;

	p->pos++;
	if (parse_one_dated(p, "từ", &span, &anchor) < 0)
		return -1;
	if (span < 0)
		return fail(p, at, "'từ' needs a date with a year");
	struct span from = p->spans[span];
	int64_t start = from.start != NO_DAY ? from.start : from.end;
	if (from.range)
		return 0; /* "Từ 2023 - 2025" is already a period */
	p->nspans--;
	if (tok_is(peek(p, 0), "den"))
		return finish_range(p, from, at);
	if (at_words(p, "tro", "di", NULL))
		p->pos += 2;
	p->has_from = true;
	p->from_day = start;
	return 0;
}

static bool at_numeral(const struct parser *p, int k)
{
	return peek(p, k)->type == TOK_NUM || roman_value(peek(p, k));
}

/* "cuối năm 2025", "cuối tháng 6/2025", and the marks "cuối mỗi tháng", "cuối quý". */
static int parse_end_of(struct parser *p)
{
	int span, anchor, at = p->pos;

	p->pos++;
	skip_word(p, "moi");
	if (tok_is(peek(p, 0), "nam") && !is_year_tok(peek(p, 1))) {
		p->pos++;
		return add_anchor(p, 12, 0, 1, at);
	}
	if (tok_is(peek(p, 0), "thang") && peek(p, 1)->type != TOK_NUM) {
		p->pos++;
		p->marks |= MARK_MONTH;
		return 0;
	}
	if (at_quarter_word(p, 0) && !at_numeral(p, 1)) {
		p->pos++;
		p->marks |= MARK_QUARTER;
		return 0;
	}
	return parse_one_dated(p, "cuối", &span, &anchor);
}

/* ---- items: recurrences and the rest --------------------------------- */

/* The unit after "hàng", "mỗi" or "báo cáo"; false when there is none. */
static bool take_unit(struct parser *p)
{
	const struct tok *t = peek(p, 0);

	if (tok_is(t, "nam") && !is_year_tok(peek(p, 1)))
		p->marks |= MARK_YEAR;
	else if (at_quarter_word(p, 0) && !at_numeral(p, 1))
		p->marks |= MARK_QUARTER;
	else if (tok_is(t, "thang") && peek(p, 1)->type != TOK_NUM)
		p->marks |= MARK_MONTH;
	else if (tok_is(t, "tuan"))
		p->marks |= MARK_WEEK;
	else if (tok_is(t, "ngay"))
		p->ongoing = true; /* daily work is routine, not a deadline */
	else if (t->type == TOK_NUM && t->num == 6 && tok_is(peek(p, 1), "thang") &&
	         !tok_is(peek(p, 2), "dau") && !tok_is(peek(p, 2), "cuoi")) {
		p->marks |= MARK_HALF;
		p->pos++;
	} else
		return false;
	p->pos++;
	return true;
}

/* "hàng năm", "hằng quý", "mỗi tuần", "hàng 6 tháng". */
static int parse_mark(struct parser *p)
{
	int at = p->pos;

	p->pos++;
	if (!take_unit(p))
		return fail(p, at, "'năm', 'quý', 'tháng' or 'tuần' was expected after this word");
	return 0;
}

static const char *const weekday_words[] = {"hai", "ba", "tu", "nam", "sau", "bay"};

/* "thứ Sáu", "thứ 6", "Chủ nhật": the due day of a weekly duty. */
static int parse_weekday(struct parser *p)
{
	int at = p->pos;

	if (at_words(p, "chu", "nhat", NULL)) {
		p->weekday = 7;
		p->pos += 2;
		return 0;
	}
	const struct tok *t = peek(p, 1);
	for (size_t i = 0; i < UTIL_NELEM(weekday_words); i++)
		if (tok_is(t, weekday_words[i])) {
			p->weekday = (int)i + 1;
			p->pos += 2;
			return 0;
		}
	if (t->type == TOK_NUM && t->num >= 2 && t->num <= 7) {
		p->weekday = t->num - 1;
		p->pos += 2;
		return 0;
	}
	return fail(p, at, "a weekday was expected");
}

/* Words that start a condition, or an event when nothing dated precedes. */
static bool at_event(const struct parser *p)
{
	static const char *const starters[][3] = {
	    {"khi", NULL},           {"sau", NULL},          {"ngay", "sau", NULL},
	    {"ngay", "khi", NULL},   {"truoc", "khi", NULL}, {"theo", NULL},
	    {"tuy", NULL},           {"neu", NULL},          {"dot", "xuat", NULL},
	    {"trong", "vong", NULL}, {"ke", "tu", NULL},     {"hoac", NULL},
	    {"cho", NULL},
	};

	for (size_t i = 0; i < UTIL_NELEM(starters); i++) {
		int k = 0;
		while (k < 3 && starters[i][k] && tok_is(peek(p, k), starters[i][k]))
			k++;
		if (k < 3 && !starters[i][k])
			return true;
	}
	return false;
}

/* Labels and filler: "Thời gian thực hiện", "Giai đoạn 1:", "Định kỳ", "và". */
static bool skip_filler(struct parser *p)
{
	static const char *const words[][3] = {
	    {"thoi", "gian", NULL},  {"thuc", "hien", NULL}, {"hoan", "thanh", NULL},
	    {"trien", "khai", NULL}, {"dinh", "ky", NULL},   {"trong", "nam", NULL},
	    {"trong", NULL},         {"va", NULL},           {"giai", "doan", NULL},
	};
	const struct tok *t = peek(p, 0);

	if (t->type == TOK_PUNCT && strchr(",;:.*+&'\"-", t->punct)) {
		p->pos++;
		return true;
	}
	/* "Giai đoạn 1:", "Bước 2:", "Đợt I:" name a phase. */
	if ((at_words(p, "giai", "doan", NULL) && at_numeral(p, 2) && tok_punct(peek(p, 3), ':')) ||
	    ((tok_is(t, "buoc") || tok_is(t, "dot")) && at_numeral(p, 1) &&
	     tok_punct(peek(p, 2), ':'))) {
		p->pos += tok_is(t, "giai") ? 4 : 3;
		return true;
	}
	for (size_t i = 0; i < UTIL_NELEM(words); i++) {
		int k = 0;
		while (k < 3 && words[i][k] && tok_is(peek(p, k), words[i][k]))
			k++;
		if (k < 3 && !words[i][k]) {
			/* "trong năm 2025" keeps its "năm" for the year rule. */
			if (i == 5 && peek(p, 2)->type == TOK_NUM)
				k = 1;
			p->pos += k;
			return true;
		}
	}
	return false;
}

static bool something_dated(const struct parser *p)
{
	return p->nspans || p->nanchors || p->marks || p->ongoing || p->has_from;
}

static int parse_items(struct parser *p);

/* What the parser has collected, so a parenthesis can be tried and undone. */
struct snapshot {
	int nspans, nanchors, weekday;
	unsigned marks;
	bool ongoing, following, has_from;
	int64_t from_day;
};

static struct snapshot take_snapshot(const struct parser *p)
{
	return (struct snapshot){p->nspans,  p->nanchors,  p->weekday,  p->marks,
	                         p->ongoing, p->following, p->has_from, p->from_day};
}

static void restore_snapshot(struct parser *p, const struct snapshot *s)
{
	p->nspans = s->nspans;
	p->nanchors = s->nanchors;
	p->weekday = s->weekday;
	p->marks = s->marks;
	p->ongoing = s->ongoing;
	p->following = s->following;
	p->has_from = s->has_from;
	p->from_day = s->from_day;
	p->err[0] = '\0';
}

/*
 * A parenthesis either refines the deadline ("Định kỳ hàng năm (trước ngày
 * 15/12)") or states a condition ("Năm 2025 (sau khi có hướng dẫn …)").
 * Try it as dated text first; if that fails, it is a condition.
 */
static int parse_paren(struct parser *p)
{
	int open = p->pos, close = open + 1, depth = 1, saved_ntok = p->ntok;
	struct snapshot before = take_snapshot(p);

	while (close < p->ntok &&
	       (depth += tok_punct(&p->tok[close], '(') - tok_punct(&p->tok[close], ')')) > 0)
		close++;
	p->ntok = close;
	p->pos = open + 1;
	p->in_parens++;
	int r = parse_items(p);
	p->in_parens--;
	p->ntok = saved_ntok;
	p->pos = close < p->ntok ? close + 1 : close;
	if (r == 0)
		return 0;
	restore_snapshot(p, &before);
	if (p->cond_from >= 0)
		return fail(p, open, "only one condition can be written in parentheses");
	p->cond_from = open + 1;
	p->cond_to = close;
	return 0;
}

/* An event starter: the whole phrase is an event, or the rest a condition. */
static void take_event(struct parser *p)
{
	if (!something_dated(p) && p->cond_from < 0)
		p->event_tok = p->pos;
	else if (p->cond_from < 0) {
		p->cond_from = p->pos;
		p->cond_to = p->ntok;
	}
	p->pos = p->ntok;
}

/* One item; 0 when the tokens at pos are not understood. */
static int parse_item(struct parser *p)
{
	const struct tok *t = peek(p, 0);

	if (tok_punct(t, '('))
		return parse_paren(p) < 0 ? -1 : 1;
	if (tok_punct(t, ')'))
		return fail(p, p->pos, "')' has no matching '('");
	if (at_event(p)) {
		if (p->in_parens)
			return 0;
		take_event(p);
		return 1;
	}
	if (at_words(p, "bao", "cao", NULL)) {
		p->pos += 2;
		take_unit(p);
		return 1;
	}
	if (skip_filler(p))
		return 1;
	if (at_words(p, "thuong", "xuyen", NULL) || at_words(p, "lien", "tuc", NULL)) {
		p->ongoing = true;
		p->pos += 2;
		return 1;
	}
	if (at_words(p, "cac", "nam", NULL) || at_words(p, "nhung", "nam", NULL)) {
		/* "các năm tiếp theo", "các năm kế tiếp", "những năm sau" */
		if (tok_is(peek(p, 2), "sau"))
			p->pos += 3;
		else if ((tok_is(peek(p, 2), "tiep") && tok_is(peek(p, 3), "theo")) ||
		         (tok_is(peek(p, 2), "ke") && tok_is(peek(p, 3), "tiep")))
			p->pos += 4;
		else
			return 0;
		p->following = true;
		return 1;
	}
	if (tok_is(t, "hang") || tok_is(t, "moi"))
		return parse_mark(p) < 0 ? -1 : 1;
	if (tok_is(t, "truoc"))
		return parse_before(p) < 0 ? -1 : 1;
	if (tok_is(t, "den"))
		return parse_until(p) < 0 ? -1 : 1;
	if (tok_is(t, "tu"))
		return parse_from(p) < 0 ? -1 : 1;
	if (tok_is(t, "cuoi"))
		return parse_end_of(p) < 0 ? -1 : 1;
	if (tok_is(t, "thu") || at_words(p, "chu", "nhat", NULL))
		return parse_weekday(p) < 0 ? -1 : 1;
	if (t->type == TOK_NUM && t->num == 6 && tok_is(peek(p, 1), "thang"))
		return parse_half(p) < 0 ? -1 : 1;
	int at = p->pos, spans = p->nspans, r = parse_dated(p);
	/* "2022 đến 2025" reads like "Từ 2022 đến 2025". */
	if (r == 1 && p->nspans == spans + 1 && tok_is(peek(p, 0), "den")) {
		struct span from = p->spans[--p->nspans];
		return finish_range(p, from, at) < 0 ? -1 : 1;
	}
	return r;
}

static int parse_items(struct parser *p)
{
	char text[48];

	while (p->pos < p->ntok) {
		int r = parse_item(p);
		if (r < 0)
			return -1;
		if (r == 0)
			return fail(p, p->pos, "'%s' is not understood here",
			            tok_text(p, p->pos, text, sizeof(text)));
	}
	return 0;
}

/* ---- from items to a struct tf --------------------------------------- */

static time_t due_instant(int64_t day, bool before, int tz)
{
	return before ? date_day_start(day, tz) : date_day_start(day + 1, tz) - 1;
}

static time_t start_instant(int64_t day, int tz)
{
	return day == NO_DAY ? TF_NONE : date_day_start(day, tz);
}

static int cmp_spans(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	return (x->end > y->end) - (x->end < y->end);
}

/* Dated spans: one deadline, a period, or several phases. */
static void combine_spans(struct parser *p, struct tf *t)
{
	int tz = t->tz_offset;
	int64_t plan_start =
	    p->ctx->plan_first_year ? day_of(p->ctx->plan_first_year, 1, 1) : NO_DAY;

	qsort(p->spans, (size_t)p->nspans, sizeof(p->spans[0]), cmp_spans);
	t->kind = p->nspans == 1 && p->spans[0].range ? TF_PERIOD : TF_ONCE;
	t->n_phases = p->nspans;
	for (int i = 0; i < p->nspans; i++) {
		struct span *s = &p->spans[i];
		/* A bare date says when it ends, not when work starts: the plan does. */
		if (s->start == NO_DAY && plan_start != NO_DAY && plan_start <= s->end)
			s->start = plan_start;
		t->phases[i].window_start = start_instant(s->start, tz);
		t->phases[i].due = due_instant(s->end, s->before, tz);
	}
	t->window_start = t->phases[0].window_start;
	t->due = t->phases[t->n_phases - 1].due;
}

static int cmp_anchors(const void *a, const void *b)
{
	const struct tf_anchor *x = a, *y = b;
	int dx = x->day ? x->day : 32, dy = y->day ? y->day : 32;

	if (x->month != y->month)
		return x->month - y->month;
	if (dx != dy)
		return dx - dy;
	return (int)y->before - (int)x->before;
}

static enum tf_kind kind_of_mark(unsigned mark)
{
	switch (mark) {
	case MARK_YEAR:
		return TF_YEARLY;
	case MARK_HALF:
		return TF_HALF_YEARLY;
	case MARK_QUARTER:
		return TF_QUARTERLY;
	case MARK_MONTH:
		return TF_MONTHLY;
	default:
		return TF_WEEKLY;
	}
}

/* The anchors of a recurrence: the dates written, or the cycle's end. */
static int recurring_anchors(struct parser *p, struct tf *t)
{
	t->cycle_months = t->kind == TF_YEARLY        ? 12
	                  : t->kind == TF_HALF_YEARLY ? 6
	                  : t->kind == TF_QUARTERLY   ? 3
	                  : t->kind == TF_MONTHLY     ? 1
	                                              : 0;
	t->weekday = p->weekday ? p->weekday : 5;
	if (p->weekday && t->kind != TF_WEEKLY)
		return fail(p, 0, "a weekday is only meaningful with 'hàng tuần'");
	if (p->nanchors == 0 && t->cycle_months) {
		t->n_anchors = 1;
		t->anchors[0] = (struct tf_anchor){t->cycle_months, 0, false, 1};
		return 0;
	}
	for (int i = 0; i < p->nanchors; i++) {
		const struct yearless *y = &p->anchors[i];
		bool fits =
		    t->kind == TF_YEARLY ? y->month > 0 : t->kind == TF_MONTHLY && !y->month;
		if (!fits)
			return fail(p, 0, "the date does not fit a %s recurrence",
			            tf_kind_name(t->kind));
		t->anchors[i] =
		    (struct tf_anchor){y->month ? y->month : 1, y->day, y->before, y->window_month};
	}
	t->n_anchors = p->nanchors;
	qsort(t->anchors, (size_t)t->n_anchors, sizeof(t->anchors[0]), cmp_anchors);
	return 0;
}

/* The bounds of a recurrence: what the phrase says, within the plan. */
static void recurring_bounds(struct parser *p, struct tf *t, int64_t from_day)
{
	const struct tf_ctx *c = p->ctx;
	int tz = t->tz_offset;

	if (c->plan_first_year) {
		int64_t plan_start = day_of(c->plan_first_year, 1, 1);
		if (from_day == NO_DAY || plan_start > from_day)
			from_day = plan_start;
	}
	t->from = start_instant(from_day, tz);
	t->until =
	    c->plan_last_year ? due_instant(day_of(c->plan_last_year, 12, 31), false, tz) : TF_NONE;
	struct tf_occ first;
	if (t->from != TF_NONE && tf_next(t, t->from, &first)) {
		t->window_start = first.window_start;
		t->due = first.due;
	}
}

/* "Năm 2024 và các năm tiếp theo": the dated span repeats every year. */
static int following_years(struct parser *p, struct tf *t)
{
	int y, m, d, wy, wm, wd;
	const struct span *s = &p->spans[0];

	if (p->nspans != 1 || p->nanchors)
		return fail(p, 0, "'các năm tiếp theo' needs exactly one dated deadline");
	date_civil_from_days(s->end, &y, &m, &d);
	date_civil_from_days(s->start != NO_DAY ? s->start : day_of(y, 1, 1), &wy, &wm, &wd);
	t->kind = TF_YEARLY;
	t->cycle_months = 12;
	t->n_anchors = 1;
	t->anchors[0] = (struct tf_anchor){m, d == date_days_in_month(y, m) && !s->before ? 0 : d,
	                                   s->before, wy == y ? wm : 1};
	if (t->anchors[0].day && check_yearless(p, d, m, 0) < 0)
		return -1;
	recurring_bounds(p, t, day_of(y, 1, 1));
	return 0;
}

/* "trước ngày 15/12" in a plan for one year means that year's 15/12. */
static int yearless_in_plan_year(struct parser *p, struct tf *t)
{
	int year = p->ctx->plan_first_year;

	if (!year || year != p->ctx->plan_last_year)
		return fail(p, 0, "no year is given: add the year or 'hàng năm'");
	for (int i = 0; i < p->nanchors; i++) {
		const struct yearless *y = &p->anchors[i];
		if (!y->month)
			return fail(p, 0, "a day without a month needs 'hàng tháng'");
		int64_t end = y->day ? day_of(year, y->month, y->day) : month_end(year, y->month);
		if (add_span(p, day_of(year, y->window_month, 1), end, false, 0) < 0)
			return -1;
		p->spans[p->nspans - 1].before = y->before;
	}
	p->nanchors = 0;
	combine_spans(p, t);
	return 0;
}

static int combine(struct parser *p, struct tf *t)
{
	unsigned marks = p->marks;

	if (marks & MARK_HALF) /* "báo cáo 6 tháng và báo cáo năm" */
		marks &= ~(unsigned)MARK_YEAR;
	if (marks & (marks - 1))
		return fail(p, 0, "the phrase names two different recurrences");
	if (p->ongoing) {
		if (marks || p->nspans || p->nanchors)
			return fail(p, 0, "'thường xuyên' cannot also have a deadline");
		t->kind = TF_ONGOING;
		t->window_start = p->has_from ? start_instant(p->from_day, t->tz_offset) : TF_NONE;
		return 0;
	}
	if (marks) {
		if (p->nspans)
			return fail(p, 0,
			            "a dated deadline cannot also recur; "
			            "write 'và các năm tiếp theo' to repeat it");
		t->kind = kind_of_mark(marks);
		if (recurring_anchors(p, t) < 0)
			return -1;
		recurring_bounds(p, t, p->has_from ? p->from_day : NO_DAY);
		return 0;
	}
	if (p->following)
		return following_years(p, t);
	if (p->has_from) {
		if (p->nspans || p->nanchors)
			return fail(p, 0, "'từ' with another deadline is ambiguous");
		t->kind = TF_ONGOING;
		t->window_start = start_instant(p->from_day, t->tz_offset);
		return 0;
	}
	if (p->nanchors && p->nspans)
		return fail(p, 0, "a date without a year beside a dated deadline");
	if (p->nanchors)
		return yearless_in_plan_year(p, t);
	if (p->nspans) {
		combine_spans(p, t);
		return 0;
	}
	return fail(p, 0, "no deadline was found in the phrase");
}

/* ---- conditions and the entry point ---------------------------------- */

/* Copies src[from, to) without Markdown '*', trimmed, cut at a character boundary. */
static void copy_condition(char *dst, const char *src, size_t from, size_t to)
{
	size_t n = 0;

	while (from < to && (src[from] == ' ' || src[from] == '*' || src[from] == '\t'))
		from++;
	while (to > from && strchr(" \t*.,;", src[to - 1]))
		to--;
	for (size_t i = from; i < to && n + 1 < TF_COND_MAX; i++)
		if (src[i] != '*' && src[i] != '\n' && src[i] != '\r')
			dst[n++] = src[i];
	while (n > 0 && ((unsigned char)dst[n - 1] & 0xC0) == 0x80 && n + 1 >= TF_COND_MAX)
		n--; /* never end inside a UTF-8 sequence */
	if (n > 0 && ((unsigned char)dst[n - 1] & 0xC0) == 0xC0 && n + 1 >= TF_COND_MAX)
		n--;
	dst[n] = '\0';
}

static size_t tok_src_start(const struct parser *p, int i)
{
	return p->map[p->tok[i].at];
}

static size_t tok_src_end(const struct parser *p, int i)
{
	return p->map[p->tok[i].at + p->tok[i].len];
}

static void init_result(struct tf *t, const struct tf_ctx *ctx)
{
	memset(t, 0, sizeof(*t));
	t->kind = TF_UNPARSED;
	t->window_start = t->due = t->from = t->until = TF_NONE;
	t->tz_offset = ctx->tz_offset;
}

/* An empty phrase: the plan's own period applies. */
static int implicit_period(struct parser *p, struct tf *t)
{
	const struct tf_ctx *c = p->ctx;

	if (!c->plan_first_year || !c->plan_last_year)
		return fail(p, -1, "the phrase is empty and the plan's period is not known");
	add_span(p, day_of(c->plan_first_year, 1, 1), day_of(c->plan_last_year, 12, 31),
	         c->plan_last_year > c->plan_first_year, 0);
	combine_spans(p, t);
	t->implicit = true;
	return 0;
}

static void parser_init(struct parser *p, const char *phrase, const struct tf_ctx *ctx)
{
	/* Not memset: the buffers are large and fully written before use. */
	p->src = phrase;
	p->ctx = ctx;
	p->pos = p->nspans = p->nanchors = p->weekday = p->in_parens = 0;
	p->marks = 0;
	p->ongoing = p->following = p->has_from = false;
	p->from_day = NO_DAY;
	p->event_tok = p->cond_from = p->cond_to = p->err_tok = -1;
	p->err[0] = '\0';
}

int tf_parse(const char *phrase, const struct tf_ctx *ctx, struct tf *out)
{
	struct parser p;
	size_t len = strlen(phrase);
	int r;

	init_result(out, ctx);
	parser_init(&p, phrase, ctx);
	if (len >= MAX_INPUT) {
		out->error_pos = MAX_INPUT - 1;
		snprintf(out->error, sizeof(out->error), "the phrase is longer than %d bytes",
		         MAX_INPUT - 1);
		return -1;
	}
	tokenize(&p, text_fold(phrase, len, p.fold, p.map, sizeof(p.fold)));
	if (p.ntok == MAX_TOKENS)
		r = fail(&p, MAX_TOKENS - 1, "the phrase has too many words");
	else if (p.ntok == 0)
		r = implicit_period(&p, out);
	else if ((r = parse_items(&p)) == 0 && p.event_tok < 0)
		r = combine(&p, out);
	if (r == 0 && p.event_tok >= 0) {
		out->kind = TF_EVENT;
		copy_condition(out->condition, phrase, 0, len);
		return 0;
	}
	if (r < 0) {
		init_result(out, ctx);
		out->error_pos = p.err_tok < 0 ? 0 : (int)p.map[p.tok[p.err_tok].at];
		util_strlcpy(out->error, p.err, sizeof(out->error));
		return -1;
	}
	if (p.cond_from >= 0 && p.cond_to > p.cond_from)
		copy_condition(out->condition, phrase, tok_src_start(&p, p.cond_from),
		               tok_src_end(&p, p.cond_to - 1));
	return 0;
}

/* ---- iteration ------------------------------------------------------- */

static int64_t floor_div64(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* The occurrence of anchor a in cycle c (cycles count months from year 0). */
static void cycle_occurrence(const struct tf *t, int64_t c, const struct tf_anchor *a,
                             struct tf_occ *o)
{
	int64_t due_month = c * t->cycle_months + a->month - 1;
	int64_t win_month = c * t->cycle_months + a->window_month - 1;
	int y = (int)floor_div64(due_month, 12), m = (int)(due_month - (int64_t)y * 12) + 1;
	int wy = (int)floor_div64(win_month, 12), wm = (int)(win_month - (int64_t)wy * 12) + 1;
	int dim = date_days_in_month(y, m);
	int d = a->day && a->day <= dim ? a->day : dim;

	o->due = due_instant(day_of(y, m, d), a->before, t->tz_offset);
	o->window_start = date_day_start(day_of(wy, wm, 1), t->tz_offset);
}

static bool next_in_cycles(const struct tf *t, time_t not_before, struct tf_occ *out)
{
	struct date_civil c;

	date_split(not_before, t->tz_offset, &c);
	int64_t month = (int64_t)c.year * 12 + c.month - 1;
	int64_t cycle = floor_div64(month, t->cycle_months) - 1;

	for (int64_t k = cycle; k < cycle + 4; k++)
		for (int i = 0; i < t->n_anchors; i++) {
			cycle_occurrence(t, k, &t->anchors[i], out);
			if (out->due >= not_before)
				return true;
		}
	return false;
}

static bool next_week(const struct tf *t, time_t not_before, struct tf_occ *out)
{
	int64_t day = date_local_days(not_before, t->tz_offset);
	int64_t monday = day - (date_weekday(day) - 1);

	for (int k = 0; k < 2; k++) {
		int64_t week = monday + 7 * k;
		out->due = due_instant(week + t->weekday - 1, false, t->tz_offset);
		out->window_start = date_day_start(week, t->tz_offset);
		if (out->due >= not_before)
			return true;
	}
	return false;
}

bool tf_next(const struct tf *t, time_t not_before, struct tf_occ *out)
{
	bool found = false;

	switch (t->kind) {
	case TF_ONCE:
	case TF_PERIOD:
		for (int i = 0; i < t->n_phases; i++)
			if (t->phases[i].due >= not_before) {
				*out = t->phases[i];
				return true;
			}
		return false;
	case TF_YEARLY:
	case TF_HALF_YEARLY:
	case TF_QUARTERLY:
	case TF_MONTHLY:
	case TF_WEEKLY:
		if (t->from != TF_NONE && not_before < t->from)
			not_before = t->from;
		found = t->kind == TF_WEEKLY ? next_week(t, not_before, out)
		                             : next_in_cycles(t, not_before, out);
		return found && (t->until == TF_NONE || out->due <= t->until);
	default:
		return false;
	}
}

size_t tf_occurrences(const struct tf *t, time_t from, time_t to, struct tf_occ *out, size_t max)
{
	size_t n = 0;

	while (n < max && tf_next(t, from, &out[n]) && out[n].due <= to) {
		from = out[n].due + 1;
		n++;
	}
	return n;
}

static const char *const kind_names[] = {
    [TF_ONCE] = "once",           [TF_PERIOD] = "period",
    [TF_YEARLY] = "yearly",       [TF_HALF_YEARLY] = "half-yearly",
    [TF_QUARTERLY] = "quarterly", [TF_MONTHLY] = "monthly",
    [TF_WEEKLY] = "weekly",       [TF_ONGOING] = "ongoing",
    [TF_EVENT] = "event",         [TF_UNPARSED] = "unparsed",
};

bool tf_recurring(enum tf_kind kind)
{
	return kind >= TF_YEARLY && kind <= TF_WEEKLY;
}

const char *tf_kind_name(enum tf_kind kind)
{
	return (unsigned)kind < UTIL_NELEM(kind_names) ? kind_names[kind] : "unparsed";
}

enum tf_kind tf_kind_from_name(const char *name)
{
	for (size_t i = 0; i < UTIL_NELEM(kind_names); i++)
		if (strcmp(kind_names[i], name) == 0)
			return (enum tf_kind)i;
	return TF_UNPARSED;
}
