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
 * the phrase TF_UNPARSED, with its position — unless the phrase is a
 * sentence with a deadline in it ("Ban hành trong quý II năm 2027. Tổ chức
 * triển khai …"). Then read_loosely() reads it again clause by clause, as an
 * official does: the words around the deadlines (verbs, agencies, document
 * names, notes) are text, the deadlines are read by the same item rules, and
 * the result says `loose` so that an admin checks it. A mistake inside a
 * date ("Quý V/2025") is still an error, never skipped as text.
 */
#include "timeframe.h"

#include "date.h"
#include "lunar.h"
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
	bool before;          /* due at 00:00 of end, not at its end */
	bool range;           /* written as a range: makes a TF_PERIOD */
	bool until;           /* "đến …": beside a cycle it ends the cycle */
	int who_from, who_to; /* loose: the tokens naming its agency, or -1 */
};

/* A token range [from, to) kept as condition text. */
struct piece {
	int from, to;
};

#define MAX_PIECES 8

/*
 * A date without a year; month 0 = any month (monthly anchors). in_cycle:
 * the month counts within a shorter cycle ("tháng cuối quý" is month 3 of
 * every quarter), not within the year.
 */
struct yearless {
	int month, day, window_month;
	bool before, in_cycle;
};

struct parser {
	const char *src;
	const struct tf_ctx *ctx;
	int plan_year;      /* of issue, 0 when unknown */
	int64_t issued_day; /* the day of issue, NO_DAY when unknown */
	char fold[MAX_INPUT];
	uint32_t map[MAX_INPUT];
	struct tok tok[MAX_TOKENS + 1];
	int ntok, pos;
	int err_tok;
	char err[TF_ERROR_MAX];
	/* The error means "this word is not a time word here" ("hàng hóa",
	 * "đến nay"), not "this date is wrong": a loose reading takes the word
	 * as text. */
	bool err_soft;

	struct span spans[TF_MAX_PHASES];
	int nspans;
	struct yearless anchors[TF_MAX_ANCHORS];
	int nanchors;
	unsigned marks;
	int weekday;
	bool ongoing, following, has_from;
	int64_t from_day;
	int in_parens;
	int event_tok; /* first token of an event phrase, or -1 */
	struct piece conds[MAX_PIECES];
	int nconds;

	/* Reading a sentence (read_loosely): */
	bool loose;
	bool event_seen;       /* an event starter was met ("theo", "sau khi") */
	int who_from, who_to;  /* the current sentence's subject, or -1 */
	bool text[MAX_TOKENS]; /* the token was read as text */
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

/*
 * The hot path of the parser, so no strlen: a word's letters are never NUL,
 * so the loop stops at w's end or at the first difference.
 */
static bool tok_is(const struct tok *t, const char *w)
{
	if (t->type != TOK_WORD)
		return false;
	for (int i = 0; i < t->len; i++)
		if (t->word[i] != w[i])
			return false;
	return w[t->len] == '\0';
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

static size_t tok_src_start(const struct parser *p, int i)
{
	return p->map[p->tok[i].at];
}

static size_t tok_src_end(const struct parser *p, int i)
{
	return p->map[p->tok[i].at + p->tok[i].len];
}

/* The original text of tokens [from, to], for messages: valid UTF-8, never cut inside a character.
 */
static const char *toks_text(const struct parser *p, int from, int to, char *buf, size_t len)
{
	size_t a = tok_src_start(p, from), b = tok_src_end(p, to);

	text_utf8_copy(buf, len, p->src + a, b - a);
	return buf;
}

static const char *tok_text(const struct parser *p, int i, char *buf, size_t len)
{
	return toks_text(p, i, i, buf, len);
}

static int record(struct parser *p, bool soft, int tok_index, const char *fmt, va_list ap)
{
	char msg[2 * TF_ERROR_MAX];

	if (p->err[0])
		return -1; /* the first error is the one to report */
	p->err_tok = tok_index;
	p->err_soft = soft;
	if (soft && p->loose) { /* the word is text: nobody reads the message */
		util_strlcpy(p->err, "soft", sizeof(p->err));
		return -1;
	}
	vsnprintf(msg, sizeof(msg), fmt, ap);
	/* The quoted words are valid UTF-8: cut between characters. */
	text_utf8_copy(p->err, sizeof(p->err), msg, strlen(msg));
	return -1;
}

static int fail(struct parser *p, int tok_index, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(struct parser *p, int tok_index, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	record(p, false, tok_index, fmt, ap);
	va_end(ap);
	return -1;
}

/* A word that is a time word only when a date follows ("đến", "hàng", "thứ"). */
static int fail_soft(struct parser *p, int tok_index, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail_soft(struct parser *p, int tok_index, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	record(p, true, tok_index, fmt, ap);
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

/*
 * "năm sau", "năm tiếp theo", "năm kế tiếp", "năm tới": the year after the
 * plan's (delta 1); "năm nay": the plan's (0). The number of tokens, 0 when
 * there is none at k. After a count it is a duration ("05 năm tiếp theo"),
 * not after a date ("30/01 năm sau").
 */
static int relative_year_at(const struct parser *p, int k, bool in_date, int *delta)
{
	const struct tok *a = peek(p, k + 1), *b = peek(p, k + 2);
	int i = p->pos + k;

	if (!tok_is(peek(p, k), "nam") || (!in_date && i > 0 && p->tok[i - 1].type == TOK_NUM))
		return 0;
	*delta = 1;
	if (tok_is(a, "sau") || tok_is(a, "toi"))
		return 2;
	if ((tok_is(a, "tiep") && tok_is(b, "theo")) || (tok_is(a, "ke") && tok_is(b, "tiep")))
		return 3;
	*delta = 0;
	return tok_is(a, "nay") ? 2 : 0;
}

/* A year relative to the plan's, "của năm sau" included: 1 when taken, 0 when none. */
static int take_relative_year(struct parser *p, bool in_date, int *year)
{
	int delta, of = tok_is(peek(p, 0), "cua"), n = relative_year_at(p, of, in_date, &delta);
	char text[32];

	if (n == 0)
		return 0;
	if (!p->plan_year)
		return fail(p, p->pos + of,
		            "'%s' is relative to the plan's year, which is not known",
		            toks_text(p, p->pos + of, p->pos + of + n - 1, text, sizeof(text)));
	*year = p->plan_year + delta;
	p->pos += of + n;
	return 1;
}

/* An optional year after a quarter or month: "/2025", "năm 2025", "- 2025", " 2025", "năm sau". */
static int take_optional_year(struct parser *p, int *year)
{
	int r = take_relative_year(p, true, year);

	if (r != 0)
		return r < 0 ? -1 : 0;
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

/* ---- items: dated spans and yearless anchors ------------------------- */

static int add_span(struct parser *p, int64_t start, int64_t end, bool range, int tok_index)
{
	if (p->nspans == TF_MAX_PHASES)
		return fail(p, tok_index, "more than %d deadlines in one phrase", TF_MAX_PHASES);
	p->spans[p->nspans++] = (struct span){start, end, false, range, false, -1, -1};
	return 0;
}

static int add_anchor(struct parser *p, int month, int day, int window_month, int tok_index)
{
	if (p->nanchors == TF_MAX_ANCHORS)
		return fail(p, tok_index, "more than %d dates in one phrase", TF_MAX_ANCHORS);
	p->anchors[p->nanchors++] = (struct yearless){month, day, window_month, false, false};
	return 0;
}

/* One quarter numeral: I-IV or 1-4; anything else that looks like one is an error. */
static int take_quarter_numeral(struct parser *p, int *q)
{
	const struct tok *t = peek(p, 0);
	int v = t->type == TOK_NUM ? t->num : roman_value(t);
	char text[16];

	if (t->type != TOK_NUM && v == 0) /* "Quy hoạch" is no quarter */
		return fail_soft(p, p->pos, "a quarter number (I-IV) was expected");
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

static bool is_date_separator(const struct tok *t)
{
	return tok_punct(t, '/') || tok_punct(t, '-') || tok_punct(t, '.');
}

static bool is_small_num(const struct tok *t)
{
	return t->type == TOK_NUM && t->ndigits <= 2;
}

static int finish_yearless_range(struct parser *p, int at);

/*
 * A dash after a date without a year, then a date with one: "tháng 3 –
 * tháng 5/2026", "tháng 3-5/2026", "15/3 - 20/5/2026" — a range whose year
 * is written once, at its end, as "từ … đến …" writes it.
 */
static bool at_dash_to_dated(const struct parser *p)
{
	int k = 1;

	if (!tok_punct(peek(p, 0), '-'))
		return false;
	if (tok_is(peek(p, k), "thang") && peek(p, k + 1)->type == TOK_NUM &&
	    (tok_punct(peek(p, k + 2), '/') || tok_is(peek(p, k + 2), "nam")))
		return is_year_tok(peek(p, k + 3));
	if (tok_is(peek(p, k), "ngay"))
		k++;
	if (!is_small_num(peek(p, k)) || !is_date_separator(peek(p, k + 1)))
		return false;
	if (is_year_tok(peek(p, k + 2)))
		return true;
	return is_small_num(peek(p, k + 2)) && is_date_separator(peek(p, k + 3)) &&
	       is_year_tok(peek(p, k + 4));
}

/*
 * "Năm học 2026 - 2027": a school year, from September to the end of May
 * (the Ministry of Education's frame ends every school year by 31/5).
 */
static int parse_school_year(struct parser *p)
{
	int first_tok = p->pos, y1, y2;

	p->pos += 2; /* "năm học" */
	if (take_year(p, &y1) < 0)
		return -1;
	if (!tok_punct(peek(p, 0), '-') && !tok_punct(peek(p, 0), '/'))
		return fail(p, p->pos, "a school year is written 'năm học %d - %d'", y1, y1 + 1);
	p->pos++;
	int second = p->pos;
	if (take_year(p, &y2) < 0)
		return -1;
	if (y2 != y1 + 1)
		return fail(p, second, "a school year runs over two years in a row");
	return add_span(p, day_of(y1, 9, 1), day_of(y2, 5, 31), true, first_tok);
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
	if (!year) {
		if (add_anchor(p, month, 0, month, first_tok) < 0)
			return -1;
		return at_dash_to_dated(p) ? finish_yearless_range(p, first_tok) : 0;
	}
	return add_span(p, day_of(year, month, 1), month_end(year, month), false, first_tok);
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

/* The month and year after a day: "/6/2024", " tháng 6 năm 2024", "/12", "tháng 01 năm sau". */
static int take_month_year(struct parser *p, int *month, int *year)
{
	*month = *year = 0;
	if (is_date_separator(peek(p, 0)) && is_small_num(peek(p, 1))) {
		*month = peek(p, 1)->num;
		p->pos += 2;
		/* "15/3 - 20/5/2026": a dash before a day is a range, not a year. */
		if (is_date_separator(peek(p, 0)) && peek(p, 1)->type == TOK_NUM &&
		    (!tok_punct(peek(p, 0), '-') || is_year_tok(peek(p, 1)))) {
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
	if (*month && !*year)
		return take_relative_year(p, true, year) < 0 ? -1 : 0;
	return 0;
}

/*
 * "(của) tháng cuối quý" after a day: the reporting rules' "trước ngày 20
 * của tháng cuối quý", the 20th of each quarter's third month. Taken when
 * there.
 */
static bool last_month_of_quarter(struct parser *p)
{
	int k = tok_is(peek(p, 0), "cua");

	if (!tok_is(peek(p, k), "thang") || !tok_is(peek(p, k + 1), "cuoi") ||
	    !(tok_is(peek(p, k + 2), "quy") || tok_is(peek(p, k + 2), "qui")))
		return false;
	p->pos += k + 3;
	return true;
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
	if (take_month_year(p, &month, &year) < 0)
		return -1;
	if (!month) {
		if (!said_day) {
			p->pos = start;
			return 0;
		}
		if (day < 1 || day > 28)
			return fail(p, day_tok, "day %d does not occur every month", day);
		if (last_month_of_quarter(p)) {
			if (add_anchor(p, 3, day, 1, start) < 0)
				return -1;
			p->anchors[p->nanchors - 1].in_cycle = true;
			p->marks |= MARK_QUARTER;
			return 1;
		}
		return add_anchor(p, 0, day, 1, start) < 0 ? -1 : 1;
	}
	if (!year) {
		if (check_yearless(p, day, month, day_tok) < 0 ||
		    add_anchor(p, month, day, 1, start) < 0)
			return -1;
		return at_dash_to_dated(p) && finish_yearless_range(p, start) < 0 ? -1 : 1;
	}
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
/*
 * "Tết Nguyên đán 2027", "Tết Nguyên đán năm 2027": the first day of the
 * lunar year, which moves in the solar calendar. Without a year it is no
 * date a cycle can hold.
 */
static int parse_tet(struct parser *p)
{
	int at = p->pos, year, month, day;

	p->pos++; /* "tết" */
	if (at_words(p, "nguyen", "dan", NULL))
		p->pos += 2;
	if (tok_is(peek(p, 0), "nam") && is_year_tok(peek(p, 1)))
		p->pos++;
	if (!is_year_tok(peek(p, 0)))
		return fail_soft(p, at, "Tết moves every year: its year was expected");
	if (take_year(p, &year) < 0)
		return -1;
	if (lunar_tet(year, &month, &day) < 0)
		return fail(p, at, "Tết %d is outside the lunar calendar this reads", year);
	return add_span(p, day_of(year, month, day), day_of(year, month, day), false, at);
}

static int parse_dated(struct parser *p)
{
	const struct tok *t = peek(p, 0);

	if (tok_is(t, "tet"))
		return parse_tet(p) < 0 ? -1 : 1;
	if (at_quarter_word(p, 0))
		return parse_quarters(p) < 0 ? -1 : 1;
	if (tok_is(t, "nam") && tok_is(peek(p, 1), "hoc") && is_year_tok(peek(p, 2)))
		return parse_school_year(p) < 0 ? -1 : 1;
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
		return fail_soft(p, at, "a date was expected after '%s'", after);
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
	if (span >= 0)
		p->spans[span].until = true;
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

/*
 * "Từ tháng 3 đến tháng 6/2025" (or "tháng 3 - tháng 6/2025", p at the
 * dash): the year is written once, at the end, and
 * is the start's too (the year before when the start's month comes after the
 * end's: "từ tháng 11 đến tháng 02/2026"); a day alone is in the end's month
 * ("từ ngày 5 đến ngày 20/6/2025"), or the month before when it comes after
 * the end's day. The start is the last anchor.
 */
static int finish_yearless_range(struct parser *p, int at)
{
	struct yearless from = p->anchors[--p->nanchors];
	int span, anchor, y, m, d;

	p->pos++; /* "đến", or the dash */
	skip_word(p, "het");
	if (parse_one_dated(p, "đến", &span, &anchor) < 0)
		return -1;
	if (span < 0)
		return fail(p, at, "'từ' needs a date with a year");
	struct span *to = &p->spans[span];
	date_civil_from_days(to->end, &y, &m, &d);
	if (!from.month) {
		/* "từ ngày 25 đến ngày 5/1/2027": the 25th before the 5th, of December. */
		if (from.day > d && --m == 0)
			m = 12, y--;
		from.month = from.window_month = m;
	}
	int64_t start =
	    from.day ? day_of(y, from.month, from.day) : day_of(y, from.window_month, 1);
	if (start > to->end)
		start = from.day ? day_of(y - 1, from.month, from.day)
		                 : day_of(y - 1, from.window_month, 1);
	to->start = start;
	to->range = true;
	return 0;
}

/* "Tuần đầu tháng 12/2025": its first seven days; "tuần cuối tháng 6/2025": its last. */
static int parse_week_of_month(struct parser *p)
{
	int at = p->pos, span, anchor;
	bool first = tok_is(peek(p, 1), "dau");

	p->pos += 2;
	if (parse_one_dated(p, "tuần", &span, &anchor) < 0)
		return -1;
	if (span < 0) {
		/* "Tuần đầu tháng 12" in a plan for one year: by the 7th. */
		struct yearless *a = &p->anchors[anchor];
		if (!a->month || a->day)
			return fail(p, at, "'tuần đầu/cuối' needs a month");
		if (first)
			a->day = 7;
		return 0;
	}
	struct span *s = &p->spans[span];
	if (s->start == NO_DAY || s->end - s->start < 27)
		return fail(p, at, "'tuần đầu/cuối' needs a month");
	if (first)
		s->end = s->start + 6;
	else
		s->start = s->end - 6;
	return 0;
}

/* "Từ năm 2023" (ongoing from), "Từ Quý II/2024 đến Quý IV/2025" (a period). */
static int parse_from(struct parser *p)
{
	int at = p->pos, span, anchor;

	p->pos++;
	if (parse_one_dated(p, "từ", &span, &anchor) < 0)
		return -1;
	if (span < 0 && tok_is(peek(p, 0), "den"))
		return finish_yearless_range(p, at);
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
		return fail_soft(p, at,
		                 "'năm', 'quý', 'tháng' or 'tuần' was expected after this word");
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
	return fail_soft(p, at, "a weekday was expected");
}

/* ---- word lists -------------------------------------------------------- */

/* Up to three folded words; a shorter entry ends with NULL. */
typedef const char *const words3[3];

/* The length of the first entry of list the tokens at pos+k start with, 0 when none. */
static int words_at(const struct parser *p, int k, words3 *list, size_t n)
{
	const struct tok *t = peek(p, k);

	if (t->type != TOK_WORD)
		return 0;
	for (size_t i = 0; i < n; i++) {
		int j = 0;
		if (list[i][0][0] != t->word[0]) /* most entries, cheaply */
			continue;
		while (j < 3 && list[i][j] && tok_is(peek(p, k + j), list[i][j]))
			j++;
		if (j == 3 || !list[i][j])
			return j;
	}
	return 0;
}

#define WORDS_AT(p, k, list) words_at((p), (k), (list), UTIL_NELEM(list))

/* Words that start a condition, or an event when nothing dated precedes. */
static words3 event_starters[] = {
    {"khi", NULL},          {"sau", NULL},           {"ngay", "sau", NULL}, {"ngay", "khi", NULL},
    {"truoc", "khi", NULL}, {"theo", NULL},          {"tuy", NULL},         {"neu", NULL},
    {"dot", "xuat", NULL},  {"trong", "vong", NULL}, {"ke", "tu", NULL},    {"hoac", NULL},
    {"cho", NULL},          {"can", "cu", NULL},
};

/*
 * The verbs of administrative clauses. A clause's subject — the agency that
 * acts — runs up to its verb: "Sở Tài chính | tổng hợp trước ngày …". Only
 * a verb written in lowercase: capitalised, it is part of a name ("Sở Xây
 * dựng", "Ban Chỉ đạo", "Sở Kế hoạch và Đầu tư").
 */
static words3 verbs[] = {
    {"hoan", "thanh"}, {"hoan", "thien"}, {"hoan", "tat"},   {"tong", "hop"},  {"gui"},
    {"nop"},           {"bao", "cao"},    {"trinh"},         {"ban", "hanh"},  {"xay", "dung"},
    {"thuc", "hien"},  {"trien", "khai"}, {"to", "chuc"},    {"ra", "soat"},   {"cap", "nhat"},
    {"phe", "duyet"},  {"chu", "tri"},    {"phoi", "hop"},   {"tham", "muu"},  {"de", "xuat"},
    {"cung", "cap"},   {"cong", "bo"},    {"tien", "hanh"},  {"thi", "diem"},  {"nhan", "rong"},
    {"danh", "gia"},   {"kiem", "tra"},   {"huong", "dan"},  {"chi", "dao"},   {"dau", "tu"},
    {"lap"},           {"tiep", "tuc"},   {"bo", "sung"},    {"sua", "doi"},   {"dieu", "chinh"},
    {"theo", "doi"},   {"kien", "nghi"},  {"dang", "ky"},    {"so", "ket"},    {"tong", "ket"},
    {"van", "hanh"},   {"nang", "cap"},   {"ket", "noi"},    {"chia", "se"},   {"ban", "giao"},
    {"bo", "tri"},     {"dam", "bao"},    {"nghien", "cuu"}, {"khao", "sat"},  {"thanh", "lap"},
    {"phat", "hanh"},  {"xu", "ly"},      {"giai", "quyet"}, {"tiep", "nhan"}, {"chiu", "trach"},
    {"co", "trach"},   {"duoc", "giao"},  {"dua", "vao"},    {"hop", "nhat"},  {"sap", "xep"},
    {"tham", "dinh"},  {"nghiem", "thu"}, {"thong", "qua"},  {"chuan", "bi"},  {"de", "nghi"},
    {"phan", "dau"},   {"cong", "khai"},  {"tham", "gia"},   {"khoi", "cong"}, {"ket", "thuc"},
    {"tap", "huan"},   {"ky", "ket"},     {"phat", "dong"},  {"xac", "dinh"},  {"lua", "chon"},
};

/* The head of an agency's name: "Sở …", "Bộ …", "UBND …", "Các cơ quan …". */
static words3 agency_heads[] = {
    {"so"},           {"bo"},           {"ubnd"},          {"uy", "ban"},    {"hdnd"},
    {"co", "quan"},   {"don", "vi"},    {"dia", "phuong"}, {"nganh"},        {"van", "phong"},
    {"trung", "tam"}, {"cong", "an"},   {"cuc"},           {"vien"},         {"hoi"},
    {"toa", "an"},    {"dai"},          {"chinh", "phu"},  {"thu", "tuong"}, {"doanh", "nghiep"},
    {"tinh", "uy"},   {"thanh", "uy"},  {"kho", "bac"},    {"ngan", "hang"}, {"bao", "hiem"},
    {"tong", "cong"}, {"cong", "ty"},   {"tap", "doan"},   {"hoc", "vien"},  {"truong"},
    {"benh", "vien"}, {"mat", "tran"},  {"ban"},           {"bo", "chi"},    {"thong", "tan"},
    {"hiep", "hoi"},  {"lien", "doan"}, {"quan", "khu"},   {"bch"},          {"ttxvn"},
};

/* Documents: a number or year after them is part of their name ("Luật Đất đai 2024"). */
static words3 documents[] = {
    {"luat"},         {"bo", "luat"},    {"nghi", "quyet"}, {"nghi", "dinh"},    {"quyet", "dinh"},
    {"thong", "tu"},  {"chi", "thi"},    {"ke", "hoach"},   {"chuong", "trinh"}, {"de", "an"},
    {"du", "an"},     {"chien", "luoc"}, {"cong", "van"},   {"van", "ban"},      {"thong", "bao"},
    {"ket", "luan"},  {"phap", "lenh"},  {"hien", "phap"},  {"cong", "dien"},    {"quy", "hoach"},
    {"hiep", "dinh"}, {"cong", "uoc"},
};

/* Words that open a deadline: a name (a document's, an agency's) ends before them. */
static words3 time_openers[] = {
    {"hang"}, {"dinh", "ky"}, {"giai", "doan"}, {"thuong", "xuyen"}, {"lien", "tuc"},
};

/* Prepositions that open a deadline when a date follows ("trong năm", not "trong hoạt động"). */
static words3 time_prepositions[] = {
    {"truoc"}, {"trong"}, {"den"}, {"tu"}, {"vao"}, {"cuoi"}, {"moi"},
};

/* Words a date starts with, after a preposition. */
static words3 date_words[] = {
    {"nam"}, {"quy"}, {"qui"}, {"thang"}, {"ngay"}, {"tuan"}, {"het"}, {"hang"}, {"cac", "nam"},
};

static bool tok_capitalized(const struct parser *p, int i)
{
	size_t from = tok_src_start(p, i);

	return text_capitalized(p->src + from, tok_src_end(p, i) - from);
}

/* A verb that ends a name (see verbs[]): its tokens, 0 when none. */
static int verb_at(const struct parser *p, int k)
{
	int i = p->pos + k, n = i < p->ntok ? WORDS_AT(p, k, verbs) : 0;

	return n && !tok_capitalized(p, i) ? n : 0;
}

/* "Các sở, ngành", "Sở Tài chính", "UBND tỉnh": the tokens of the head, 0 when none. */
static int agency_at(const struct parser *p, int k)
{
	int lead = tok_is(peek(p, k), "cac") || tok_is(peek(p, k), "nhung");

	/* "ban hành", "bổ sung", "số liệu" are no agencies. */
	if (WORDS_AT(p, k + lead, verbs) ||
	    (tok_is(peek(p, k + lead), "so") && tok_is(peek(p, k + lead + 1), "lieu")))
		return 0;
	int n = WORDS_AT(p, k + lead, agency_heads);
	return n ? lead + n : 0;
}

/* A deadline starts at pos+k: a time word, or with dates a number or "năm 2025". */
static bool at_time_word(const struct parser *p, int k, bool dates)
{
	const struct tok *t = peek(p, k), *next = peek(p, k + 1);

	int n = WORDS_AT(p, k, time_prepositions);

	if (n && (peek(p, k + n)->type == TOK_NUM || WORDS_AT(p, k + n, date_words)))
		return true;
	if (WORDS_AT(p, k, time_openers) || (at_quarter_word(p, k) && at_numeral(p, k + 1)))
		return true;
	return dates && (t->type == TOK_NUM ||
	                 ((tok_is(t, "nam") || tok_is(t, "thang") || tok_is(t, "ngay")) &&
	                  next->type == TOK_NUM));
}

/*
 * An agency's name runs to a separator, a verb or a deadline; over a comma
 * when a capital follows ("Sở Văn hóa, Thể thao và Du lịch").
 */
static bool at_name_end(const struct parser *p)
{
	const struct tok *t = peek(p, 0);

	if (tok_punct(t, ',') && p->pos + 1 < p->ntok && tok_capitalized(p, p->pos + 1))
		return false;
	return p->pos >= p->ntok || (t->type == TOK_PUNCT && strchr(",;.:(+", t->punct)) ||
	       verb_at(p, 0) || at_time_word(p, 0, true);
}

/* "báo cáo về Sở Nội vụ", "báo cáo UBND tỉnh": whom a report goes to is part of the duty. */
static void take_recipient(struct parser *p)
{
	static words3 to[] = {{"ve"}, {"len"}, {"cho"}, {"toi"}, {"den"}};
	int k = WORDS_AT(p, 0, to), head = agency_at(p, k);

	if (!head)
		return;
	p->pos += k + head;
	while (!at_name_end(p))
		p->pos++;
}

/* "Trong 30 ngày kể từ …", "06 tháng sau khi …": a delay after an event. */
static bool at_delay(const struct parser *p)
{
	static words3 units[] = {{"ngay"}, {"thang"}, {"nam"}, {"tuan"}};
	static words3 after[] = {{"ke", "tu"}, {"sau"}, {"tu", "khi"}, {"tu", "ngay"}};

	return peek(p, 0)->type == TOK_NUM && WORDS_AT(p, 1, units) && WORDS_AT(p, 2, after);
}

/* "Thường xuyên", "Liên tục", "(Là) nhiệm vụ thường xuyên": the tokens, 0 when none. */
static int ongoing_at(const struct parser *p)
{
	static words3 nouns[] = {{"nhiem", "vu"}, {"cong", "viec"}, {"hoat", "dong"}};
	static words3 ongoing[] = {{"thuong", "xuyen"}, {"lien", "tuc"}};
	int k = tok_is(peek(p, 0), "la");

	k += WORDS_AT(p, k, nouns);
	int n = WORDS_AT(p, k, ongoing);
	return n ? k + n : 0;
}

/*
 * Labels and filler: "Thời gian thực hiện", "Giai đoạn 1:", "Định kỳ", "và";
 * "chậm nhất (là) ngày 15/8" is the day itself, as a bare date is.
 */
static bool skip_filler(struct parser *p)
{
	static words3 words[] = {
	    {"thoi", "gian", NULL},  {"thuc", "hien", NULL}, {"hoan", "thanh", NULL},
	    {"trien", "khai", NULL}, {"dinh", "ky", NULL},   {"trong", "nam", NULL},
	    {"trong", NULL},         {"va", NULL},           {"giai", "doan", NULL},
	    {"bat", "dau", NULL},    {"cham", "nhat", "la"}, {"cham", "nhat", NULL},
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
	int k = WORDS_AT(p, 0, words);
	/* "trong năm 2025" keeps its "năm" for the year rule, "trong năm sau" and
	 * "trong năm học 2026 - 2027" too. */
	if (k == 2 && at_words(p, "trong", "nam", NULL) &&
	    (peek(p, 2)->type == TOK_NUM || tok_is(peek(p, 2), "hoc") ||
	     relative_year_at(p, 1, false, &(int){0})))
		k = 1;
	p->pos += k;
	return k > 0;
}

static bool something_dated(const struct parser *p)
{
	return p->nspans || p->nanchors || p->marks || p->ongoing || p->has_from;
}

static int parse_items(struct parser *p);

/* What the parser has collected, so an item can be tried and undone. */
struct snapshot {
	int nspans, nanchors, weekday, nconds;
	unsigned marks;
	bool ongoing, following, has_from, event_seen;
	int64_t from_day;
};

static struct snapshot take_snapshot(const struct parser *p)
{
	return (struct snapshot){p->nspans,  p->nanchors,  p->weekday,  p->nconds,     p->marks,
	                         p->ongoing, p->following, p->has_from, p->event_seen, p->from_day};
}

static void restore_snapshot(struct parser *p, const struct snapshot *s)
{
	p->nspans = s->nspans;
	p->nanchors = s->nanchors;
	p->weekday = s->weekday;
	p->nconds = s->nconds;
	p->marks = s->marks;
	p->ongoing = s->ongoing;
	p->following = s->following;
	p->has_from = s->has_from;
	p->event_seen = s->event_seen;
	p->from_day = s->from_day;
	p->err[0] = '\0';
}

/* Did the item between the snapshot and now say something about time? */
static bool timing_changed(const struct parser *p, const struct snapshot *s)
{
	return p->nspans != s->nspans || p->nanchors != s->nanchors || p->weekday != s->weekday ||
	       p->marks != s->marks || p->ongoing != s->ongoing || p->following != s->following ||
	       p->has_from != s->has_from;
}

/* Keeps tokens [from, to) as condition text; a loose reading also marks them text. */
static void add_piece(struct parser *p, int from, int to)
{
	if (p->loose)
		for (int i = from; i < to; i++)
			p->text[i] = true;
	if (p->nconds < MAX_PIECES && to > from)
		p->conds[p->nconds++] = (struct piece){from, to};
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
	if (p->nconds && !p->loose)
		return fail(p, open, "only one condition can be written in parentheses");
	add_piece(p, open + 1, close);
	if (p->loose) /* the parentheses too: what follows a deadline starts at '(' */
		p->text[open] = p->text[close < p->ntok ? close : open] = true;
	return 0;
}

/*
 * An event starter: the whole phrase is an event, or the rest a condition.
 * In a sentence, the rest of the clause.
 */
static void take_event(struct parser *p)
{
	if (p->loose) {
		p->event_seen = true;
		add_piece(p, p->pos, p->ntok);
	} else if (!something_dated(p) && !p->nconds)
		p->event_tok = p->pos;
	else if (!p->nconds)
		add_piece(p, p->pos, p->ntok);
	p->pos = p->ntok;
}

/* "các năm tiếp theo", "các năm kế tiếp", "những năm sau": the tokens, 0 when none. */
static int following_at(const struct parser *p)
{
	static words3 words[] = {{"nam", "sau"}, {"nam", "tiep", "theo"}, {"nam", "ke", "tiep"}};
	int n =
	    tok_is(peek(p, 0), "cac") || tok_is(peek(p, 0), "nhung") ? WORDS_AT(p, 1, words) : 0;

	return n ? n + 1 : 0;
}

/* "Năm sau", "trong năm tới": the year after the plan's, as a dated year. */
static int parse_relative_year(struct parser *p)
{
	int at = p->pos, year;

	if (take_relative_year(p, false, &year) < 0)
		return -1;
	return add_span(p, day_of(year, 1, 1), day_of(year, 12, 31), false, at);
}

/* One item; 0 when the tokens at pos are not understood. */
/*
 * "01 lần/năm", "ít nhất 2 lần/năm", "tối thiểu 1 lần mỗi quý": how often
 * a duty recurs. Twice a year is each half, four times each quarter,
 * twelve times each month, four times a month each week; another count
 * keeps the unit's own cycle (at least that often, by its end). Returns
 * whether the words say so (and takes them).
 */
static bool times_per(struct parser *p)
{
	static const struct {
		const char *unit;
		int count;
		unsigned mark;
	} rules[] = {{"nam", 2, MARK_HALF},   {"nam", 4, MARK_QUARTER}, {"nam", 12, MARK_MONTH},
	             {"nam", 0, MARK_YEAR},   {"quy", 3, MARK_MONTH},   {"quy", 0, MARK_QUARTER},
	             {"thang", 4, MARK_WEEK}, {"thang", 0, MARK_MONTH}, {"tuan", 0, MARK_WEEK}};
	int k = at_words(p, "it", "nhat", NULL) || at_words(p, "toi", "thieu", NULL) ? 2 : 0;
	const struct tok *n = peek(p, k);

	if (n->type != TOK_NUM || n->num < 1 || !tok_is(peek(p, k + 1), "lan"))
		return false;
	k += 2;
	if (tok_punct(peek(p, k), '/') || tok_is(peek(p, k), "moi") || tok_is(peek(p, k), "trong"))
		k++;
	if (is_year_tok(peek(p, k + 1)))
		return false; /* "2 lần/năm 2026": a count in one year, no cycle */
	for (size_t i = 0; i < UTIL_NELEM(rules); i++)
		if (tok_is(peek(p, k), rules[i].unit) &&
		    (!rules[i].count || rules[i].count == n->num)) {
			p->marks |= rules[i].mark;
			p->pos += k + 1;
			return true;
		}
	return false;
}

/*
 * A part of a dated period: "đầu năm 2027", "giữa năm 2026", "đầu quý
 * II/2027", "đầu tháng 7/2026", "thượng tuần (trung tuần, hạ tuần) tháng
 * 7/2026". An official reads the early part of a year as its first
 * quarter, of a quarter as its first month, of a month as its first ten
 * days (thượng tuần); the middle as a year's first half, a quarter's
 * second month, a month's middle ten days (trung tuần); "hạ tuần" is the
 * month's last days. Due at the end of that part. Returns the tokens the
 * part word takes (0 when no period follows it: "đầu tư", "giữa các sở").
 */
enum part { PART_EARLY = 1, PART_MIDDLE, PART_LATE };

static int part_at(const struct parser *p, enum part *part)
{
	int k = 1;

	if (tok_is(peek(p, 0), "dau"))
		*part = PART_EARLY;
	else if (tok_is(peek(p, 0), "giua"))
		*part = PART_MIDDLE;
	else if (tok_is(peek(p, 1), "tuan") &&
	         (tok_is(peek(p, 0), "thuong") || tok_is(peek(p, 0), "trung") ||
	          tok_is(peek(p, 0), "ha"))) {
		*part = tok_is(peek(p, 0), "thuong")  ? PART_EARLY
		        : tok_is(peek(p, 0), "trung") ? PART_MIDDLE
		                                      : PART_LATE;
		return tok_is(peek(p, 2), "thang") && peek(p, 3)->type == TOK_NUM ? 2 : 0;
	} else
		return 0;
	const struct tok *t = peek(p, k), *next = peek(p, k + 1);
	/* "năm 2027", "năm" alone or "năm sau"; not "năm học" nor "năm 5". */
	if ((tok_is(t, "nam") && !tok_is(next, "hoc") &&
	     (next->type != TOK_NUM || is_year_tok(next))) ||
	    (at_quarter_word(p, k) && at_numeral(p, k + 1)) ||
	    (tok_is(t, "thang") && peek(p, k + 1)->type == TOK_NUM))
		return k;
	return 0;
}

static int parse_part_of(struct parser *p, int words, enum part part)
{
	int at = p->pos, spans = p->nspans, anchors = p->nanchors, y, m, d;

	p->pos += words;
	bool year = tok_is(peek(p, 0), "nam"), quarter = at_quarter_word(p, 0);
	int r, delta;
	if (year && relative_year_at(p, 0, false, &delta)) /* "đầu năm sau" */
		r = parse_relative_year(p) < 0 ? -1 : 1;
	else if (year && !is_year_tok(peek(p, 1))) { /* "đầu năm": every year's */
		p->pos++;
		return add_anchor(p, part == PART_EARLY ? 3 : 6, 0, 1, at);
	} else
		r = parse_dated(p);
	if (r <= 0)
		return r < 0 ? -1 : fail_soft(p, at, "a period was expected after this word");
	if (p->nspans != spans + 1 || p->nanchors != anchors || p->spans[spans].range ||
	    p->spans[spans].start == NO_DAY)
		return fail(p, at, "only a year, a quarter or a month has an early or middle part");
	struct span *s = &p->spans[spans];
	date_civil_from_days(s->start, &y, &m, &d);
	if (year)
		s->end = month_end(y, part == PART_EARLY ? 3 : 6);
	else if (quarter)
		s->end = month_end(y, m + part - 1);
	else
		s->end = part == PART_LATE ? month_end(y, m) : day_of(y, m, 10 * part);
	return 0;
}

static int parse_item(struct parser *p)
{
	const struct tok *t = peek(p, 0);
	int n;

	if (tok_punct(t, '('))
		return parse_paren(p) < 0 ? -1 : 1;
	if (tok_punct(t, ')'))
		return fail_soft(p, p->pos, "')' has no matching '('");
	if (at_words(p, "sau", "do", NULL)) { /* "sau đó" (afterwards) joins, waits for nothing */
		p->pos += 2;
		return 1;
	}
	/* "tiếp theo" is "next", not "according to". */
	bool next = tok_is(t, "theo") && p->pos > 0 && tok_is(&p->tok[p->pos - 1], "tiep");
	if ((WORDS_AT(p, 0, event_starters) && !next) || at_delay(p)) {
		if (p->in_parens)
			return 0;
		take_event(p);
		return 1;
	}
	if (at_words(p, "bao", "cao", NULL)) {
		p->pos += 2;
		take_unit(p);
		take_recipient(p);
		return 1;
	}
	if (skip_filler(p))
		return 1;
	if ((n = ongoing_at(p)) > 0) {
		p->ongoing = true;
		p->pos += n;
		return 1;
	}
	if ((n = following_at(p)) > 0) {
		p->following = true;
		p->pos += n;
		return 1;
	}
	if (relative_year_at(p, 0, false, &n))
		return parse_relative_year(p) < 0 ? -1 : 1;
	if (tok_is(t, "hang") || tok_is(t, "moi"))
		return parse_mark(p) < 0 ? -1 : 1;
	if (tok_is(t, "truoc"))
		return parse_before(p) < 0 ? -1 : 1;
	if (tok_is(t, "den"))
		return parse_until(p) < 0 ? -1 : 1;
	if (tok_is(t, "tu"))
		return parse_from(p) < 0 ? -1 : 1;
	if (tok_is(t, "tuan") && (tok_is(peek(p, 1), "dau") || tok_is(peek(p, 1), "cuoi")) &&
	    tok_is(peek(p, 2), "thang"))
		return parse_week_of_month(p) < 0 ? -1 : 1;
	if (tok_is(t, "cuoi"))
		return parse_end_of(p) < 0 ? -1 : 1;
	if (tok_is(t, "thu") || at_words(p, "chu", "nhat", NULL))
		return parse_weekday(p) < 0 ? -1 : 1;
	if (t->type == TOK_NUM && t->num == 6 && tok_is(peek(p, 1), "thang"))
		return parse_half(p) < 0 ? -1 : 1;
	if (times_per(p))
		return 1;
	enum part part;
	if ((n = part_at(p, &part)) > 0)
		return parse_part_of(p, n, part) < 0 ? -1 : 1;
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

/* Spans in order of due ("trước ngày D" before a bare D), then of start and agency. */
static int cmp_spans(const void *a, const void *b)
{
	const struct span *x = a, *y = b;
	int64_t dx = x->end * 2 + !x->before, dy = y->end * 2 + !y->before;

	if (dx != dy)
		return (dx > dy) - (dx < dy);
	if (x->start != y->start)
		return (x->start > y->start) - (x->start < y->start);
	return x->who_from - y->who_from;
}

/* Sorts the spans and drops repeats ("Quý I, I/2025"); equal dues stay for other agencies. */
static void sort_spans(struct parser *p)
{
	int n = 0;

	qsort(p->spans, (size_t)p->nspans, sizeof(p->spans[0]), cmp_spans);
	for (int i = 0; i < p->nspans; i++)
		if (n == 0 || cmp_spans(&p->spans[n - 1], &p->spans[i]) != 0)
			p->spans[n++] = p->spans[i];
	p->nspans = n;
}

/* The sorted spans become the phases, each with its agency's bytes. */
static void fill_phases(struct parser *p, struct tf *t)
{
	int tz = t->tz_offset;
	int64_t plan_start =
	    p->ctx->plan_first_year ? day_of(p->ctx->plan_first_year, 1, 1) : NO_DAY;

	t->n_phases = p->nspans;
	for (int i = 0; i < p->nspans; i++) {
		struct span *s = &p->spans[i];
		/* A bare date says when it ends, not when work starts: the plan does. */
		if (s->start == NO_DAY && plan_start != NO_DAY && plan_start <= s->end)
			s->start = plan_start;
		t->phases[i].window_start = start_instant(s->start, tz);
		t->phases[i].due = due_instant(s->end, s->before, tz);
		if (s->who_from >= 0) {
			size_t from = tok_src_start(p, s->who_from),
			       to = tok_src_end(p, s->who_to - 1);
			t->phase_agency[i] = (struct tf_range){(int)from, (int)(to - from)};
		}
	}
}

/* Dated spans: one deadline, a period, or several phases. */
static void combine_spans(struct parser *p, struct tf *t)
{
	sort_spans(p);
	t->kind = p->nspans == 1 && p->spans[0].range ? TF_PERIOD : TF_ONCE;
	fill_phases(p, t);
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

/*
 * "hằng quý, trước ngày 20/3, 20/6, 20/9 và 15/12": dates of the year that
 * fall on different days of their quarters (or halves) are those dates.
 */
static bool dates_of_the_year(const struct parser *p, int cycle)
{
	bool differ = false;

	if (cycle != 3 && cycle != 6)
		return false;
	for (int i = 0; i < p->nanchors; i++) {
		const struct yearless *y = &p->anchors[i], *y0 = &p->anchors[0];
		if (y->in_cycle || !y->month || y->window_month != 1)
			return false;
		differ |= y->day != y0->day || (y->month - 1) % cycle != (y0->month - 1) % cycle;
	}
	return differ;
}

static void year_anchors(struct parser *p, struct tf *t)
{
	int cycle = t->cycle_months;
	bool before = false;

	for (int i = 0; i < p->nanchors; i++)
		before |= p->anchors[i].before; /* "trước" said once is for all */
	for (int i = 0; i < p->nanchors; i++) {
		const struct yearless *y = &p->anchors[i];
		t->anchors[i] = (struct tf_anchor){y->month, y->day, before,
		                                   (y->month - 1) / cycle * cycle + 1};
	}
	t->n_anchors = p->nanchors;
	t->cycle_months = 12;
	qsort(t->anchors, (size_t)t->n_anchors, sizeof(t->anchors[0]), cmp_anchors);
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
	if (dates_of_the_year(p, t->cycle_months)) {
		year_anchors(p, t);
		return 0;
	}
	for (int i = 0; i < p->nanchors; i++) {
		struct yearless *y = &p->anchors[i];
		/* "định kỳ 6 tháng (trước ngày 15/6 và 15/12)": a date of the year
		 * names its month within a shorter cycle. */
		if (!y->in_cycle && y->month > 0 &&
		    (t->kind == TF_HALF_YEARLY || t->kind == TF_QUARTERLY) &&
		    y->window_month == 1) {
			y->month = (y->month - 1) % t->cycle_months + 1;
			y->in_cycle = true;
		}
		bool fits = y->in_cycle            ? y->month > 0 && y->month <= t->cycle_months
		            : t->kind == TF_YEARLY ? y->month > 0
		                                   : t->kind == TF_MONTHLY && !y->month;
		if (!fits)
			return fail(p, 0, "the date does not fit a %s recurrence",
			            tf_kind_name(t->kind));
		t->anchors[i] =
		    (struct tf_anchor){y->month ? y->month : 1, y->day, y->before, y->window_month};
	}
	t->n_anchors = p->nanchors;
	qsort(t->anchors, (size_t)t->n_anchors, sizeof(t->anchors[0]), cmp_anchors);
	/* 15/6 and 15/12 in a half-year are one anchor ("trước" said once is for both). */
	int kept = t->n_anchors ? 1 : 0;
	for (int i = 1; i < t->n_anchors; i++)
		if (t->anchors[i].month != t->anchors[kept - 1].month ||
		    t->anchors[i].day != t->anchors[kept - 1].day)
			t->anchors[kept++] = t->anchors[i];
	t->n_anchors = kept;
	return 0;
}

/* The bounds of a recurrence: what the phrase says (TF_NONE: nothing), within the plan. */
static void recurring_bounds(struct parser *p, struct tf *t, int64_t from_day, time_t until)
{
	const struct tf_ctx *c = p->ctx;
	int tz = t->tz_offset;

	if (c->plan_first_year) {
		int64_t plan_start = day_of(c->plan_first_year, 1, 1);
		if (from_day == NO_DAY || plan_start > from_day)
			from_day = plan_start;
	}
	if (c->plan_last_year) {
		time_t plan_end = due_instant(day_of(c->plan_last_year, 12, 31), false, tz);
		if (until == TF_NONE || plan_end < until)
			until = plan_end;
	}
	t->from = start_instant(from_day, tz);
	t->until = until;
	/* A letter with no period of its own still has a date of issue: its
	 * first due is the first from then on (from its year's start when only
	 * the year is known). The recurrence itself stays open (from TF_NONE);
	 * the planner starts it with the plan. A plan for 2024 - 2025 issued on
	 * 14/3/2024 is first due after its issue too, as the planner has it. */
	int64_t first_day = from_day != NO_DAY        ? from_day
	                    : p->issued_day != NO_DAY ? p->issued_day
	                    : p->plan_year            ? day_of(p->plan_year, 1, 1)
	                                              : NO_DAY;
	if (first_day != NO_DAY && p->issued_day != NO_DAY && p->issued_day > first_day)
		first_day = p->issued_day;
	struct tf_occ first;
	if (first_day != NO_DAY && tf_next(t, start_instant(first_day, tz), &first)) {
		t->window_start = first.window_start;
		t->due = first.due;
	}
}

static void yearly_at_year_end(struct tf *t)
{
	t->kind = TF_YEARLY;
	t->cycle_months = 12;
	t->n_anchors = 1;
	t->anchors[0] = (struct tf_anchor){12, 0, false, 1};
}

/*
 * "Năm 2024 và các năm tiếp theo": the dated span repeats every year from its
 * own. "2022 - 2025 và các năm tiếp theo": the period, then every year after
 * it — none of the period's years is skipped. "Từ năm 2025 và các năm tiếp
 * theo": every year from 2025.
 */
static int following_years(struct parser *p, struct tf *t)
{
	int y, m, d, wy, wm, wd;
	const struct span *s = &p->spans[0];

	if (p->nspans == 0 && p->has_from && !p->nanchors) {
		yearly_at_year_end(t);
		date_civil_from_days(p->from_day, &y, &m, &d);
		recurring_bounds(p, t, day_of(y, 1, 1), TF_NONE);
		return 0;
	}
	if (p->nspans != 1 || p->nanchors)
		return fail(p, 0, "'các năm tiếp theo' needs exactly one dated deadline");
	if (s->range) {
		yearly_at_year_end(t);
		fill_phases(p, t);
		recurring_bounds(p, t, s->start, TF_NONE);
		return 0;
	}
	date_civil_from_days(s->end, &y, &m, &d);
	date_civil_from_days(s->start != NO_DAY ? s->start : day_of(y, 1, 1), &wy, &wm, &wd);
	t->kind = TF_YEARLY;
	t->cycle_months = 12;
	t->n_anchors = 1;
	t->anchors[0] = (struct tf_anchor){m, d == date_days_in_month(y, m) && !s->before ? 0 : d,
	                                   s->before, wy == y ? wm : 1};
	if (t->anchors[0].day && check_yearless(p, d, m, 0) < 0)
		return -1;
	recurring_bounds(p, t, day_of(y, 1, 1), TF_NONE);
	return 0;
}

/*
 * A cycle and dated spans beside it:
 *  - "hằng quý đến hết năm 2025", "Hằng năm, giai đoạn 2022-2025": the span
 *    bounds the cycle;
 *  - "Quý II/2025 hằng năm": a yearly cycle repeats the date, as "và các năm
 *    tiếp theo" does;
 *  - "trước ngày 10/5/2026 và hằng quý": the date is due first, as a phase,
 *    then the cycle, due after it.
 */
static int recurring(struct parser *p, struct tf *t, unsigned marks)
{
	int64_t from_day = p->has_from ? p->from_day : NO_DAY;
	time_t until = TF_NONE;
	int n = 0;

	for (int i = 0; i < p->nspans; i++) {
		const struct span *s = &p->spans[i];
		if (!s->until && !(s->range && p->nspans == 1)) {
			p->spans[n++] = *s;
			continue;
		}
		time_t end = due_instant(s->end, s->before, t->tz_offset);
		if (until == TF_NONE || end < until)
			until = end;
		if (s->range && (from_day == NO_DAY || s->start > from_day))
			from_day = s->start;
	}
	p->nspans = n;
	if (n == 1 && marks == MARK_YEAR && !p->nanchors && !p->has_from && until == TF_NONE)
		return following_years(p, t);
	t->kind = kind_of_mark(marks);
	if (recurring_anchors(p, t) < 0)
		return -1;
	if (n) {
		sort_spans(p);
		fill_phases(p, t);
		const struct span *first = &p->spans[0];
		int64_t first_day = first->start != NO_DAY ? first->start : first->end;
		if (from_day == NO_DAY || first_day < from_day)
			from_day = first_day;
	}
	recurring_bounds(p, t, from_day, until);
	return 0;
}

/* The last day a yearless date names in year (its day, or its month's end). */
static int64_t yearless_end(const struct yearless *y, int year)
{
	return y->day ? day_of(year, y->month, y->day) : month_end(year, y->month);
}

/*
 * The year of a date written without one: of the plan's years (the year of
 * issue for a document with no period — a công văn, a thông báo kết luận),
 * those where the date is not yet past when the document was issued. One
 * year left is the year; in a plan of one year, none left is the next year
 * ("trước ngày 15/1" in a plan of 20/11/2026 is 15/1/2027). Several left —
 * "trước ngày 20/5" in a plan for 2026 - 2030 — could be any: not read.
 */
static int yearless_year(const struct parser *p, const struct yearless *y)
{
	int first = p->ctx->plan_first_year, last = p->ctx->plan_last_year, year = 0, n = 0;

	if (!first && !last)
		first = last = p->plan_year;
	if (!first || !last)
		return 0;
	for (int in = first; in <= last; in++)
		if (p->issued_day == NO_DAY || yearless_end(y, in) >= p->issued_day)
			year = n++ ? year : in;
	if (n == 0 && first == last)
		return last + 1;
	return n == 1 ? year : 0;
}

static int yearless_in_plan_year(struct parser *p, struct tf *t)
{
	for (int i = 0; i < p->nanchors; i++) {
		const struct yearless *y = &p->anchors[i];
		if (!y->month)
			return fail(p, 0, "a day without a month needs 'hàng tháng'");
		int in = yearless_year(p, y);
		if (!in)
			return fail(p, 0, "no year is given: add the year or 'hàng năm'");
		if (add_span(p, day_of(in, y->window_month, 1), yearless_end(y, in), false, 0) < 0)
			return -1;
		p->spans[p->nspans - 1].before = y->before;
	}
	p->nanchors = 0;
	combine_spans(p, t);
	return 0;
}

/*
 * Dated deadlines and a start: "Từ năm 2026, hoàn thành trước 30/6/2027"
 * opens the first deadline's window; a start after it ("Thí điểm năm 2026 -
 * 2027 và nhân rộng từ năm 2028") is work that goes on after the deadlines.
 */
/*
 * A date inside a dated period written beside it ("Trong tháng 10/2026
 * (chậm nhất ngày 25/10/2026)", "Năm 2026, trước ngày 15/12/2026"): the
 * date, the more exact, is the due; the period opens its window.
 */
static void exact_dates_inside(struct parser *p)
{
	int holder[TF_MAX_PHASES], kept = 0;
	bool holds[TF_MAX_PHASES] = {false};

	for (int k = 0; k < p->nspans; k++) {
		const struct span *b = &p->spans[k];
		holder[k] = -1;
		for (int i = 0; i < p->nspans && b->start == NO_DAY; i++) {
			const struct span *a = &p->spans[i];
			if (i != k && a->start != NO_DAY && !a->range && b->end >= a->start &&
			    b->end <= a->end && !(b->end == a->end && b->before == a->before))
				holder[k] = i;
		}
		if (holder[k] >= 0)
			holds[holder[k]] = true;
	}
	/* Starts taken first: the compaction below moves the spans. */
	for (int k = 0; k < p->nspans; k++)
		if (holder[k] >= 0)
			p->spans[k].start = p->spans[holder[k]].start;
	for (int k = 0; k < p->nspans; k++)
		if (!holds[k])
			p->spans[kept++] = p->spans[k];
	p->nspans = kept;
}

static void combine_dated(struct parser *p, struct tf *t)
{
	exact_dates_inside(p);
	sort_spans(p);
	struct span *first = &p->spans[0];
	if (p->has_from && p->from_day <= first->end &&
	    (first->start == NO_DAY || first->start > p->from_day))
		first->start = p->from_day;
	combine_spans(p, t);
}

/*
 * Dates without a year inside dated deadlines: "Quý I/2026 (trước 31/3)",
 * "Quý II/2026 (báo cáo trước 15/6)" — the year is the deadline's, and the
 * date, the more exact, is when that deadline falls due. A date in no
 * deadline written, or in several ("2025 - 2026 (trước 31/3)"), has no
 * year to take.
 */
static int yearless_in_spans(struct parser *p)
{
	for (int i = 0; i < p->nanchors; i++) {
		const struct yearless *y = &p->anchors[i];
		int found = -1, n = 0;
		int64_t due = NO_DAY;
		if (!y->month || y->in_cycle)
			return fail(p, 0, "a date without a year beside a dated deadline");
		for (int k = 0; k < p->nspans; k++) {
			const struct span *s = &p->spans[k];
			int y0, y1, m, d;
			date_civil_from_days(s->start != NO_DAY ? s->start : s->end, &y0, &m, &d);
			date_civil_from_days(s->end, &y1, &m, &d);
			for (int year = y0; year <= y1 && n < 2; year++) {
				int64_t day = yearless_end(y, year);
				int64_t lo = s->start != NO_DAY ? s->start : day_of(y1, 1, 1);
				if (day >= lo && day <= s->end && (found != k || day != due))
					found = k, due = day, n++;
			}
		}
		if (n != 1)
			return fail(p, 0,
			            n ? "a date without a year could be in several of the "
			                "years written beside it"
			              : "a date without a year outside the dated deadline "
			                "beside it");
		p->spans[found].end = due;
		p->spans[found].before = y->before;
	}
	p->nanchors = 0;
	return 0;
}

static int combine(struct parser *p, struct tf *t)
{
	unsigned marks = p->marks;

	if (marks & MARK_HALF) /* "báo cáo 6 tháng và báo cáo năm" */
		marks &= ~(unsigned)MARK_YEAR;
	if (marks & (marks - 1))
		return fail(p, 0, "the phrase names two different recurrences");
	/*
	 * "Thường xuyên" beside anything dated ("Thường xuyên; báo cáo hằng
	 * năm", "Trình … năm 2026 và tổ chức thực hiện thường xuyên"): the work
	 * goes on, and the other items give the dues.
	 */
	if (p->following) {
		if (marks & ~(unsigned)MARK_YEAR)
			return fail(p, 0,
			            "'các năm tiếp theo' repeats yearly, not with another cycle");
		return following_years(p, t);
	}
	if (marks)
		return recurring(p, t, marks);
	if (p->nanchors && p->has_from)
		return fail(p, 0, "a date without a year beside a dated deadline");
	if (p->nanchors && p->nspans && yearless_in_spans(p) < 0)
		return -1;
	if (p->nanchors)
		return yearless_in_plan_year(p, t);
	if (p->nspans) {
		combine_dated(p, t);
		return 0;
	}
	if (p->ongoing || p->has_from) {
		t->kind = TF_ONGOING;
		t->window_start = p->has_from ? start_instant(p->from_day, t->tz_offset) : TF_NONE;
		return 0;
	}
	return fail(p, 0, "no deadline was found in the phrase");
}

/* ---- sentences: deadlines inside a sentence ---------------------------- */

/*
 * Where the sentence from token i ends: at ';', at a '+' bullet, or at a '.'
 * that is neither inside a date ("30.6.2024") nor inside parentheses. ','
 * and "và" do not end one: "Các sở, ngành hoàn thành …" is one subject.
 */
static int sentence_end(const struct parser *p, int i)
{
	int depth = 0;

	for (; i < p->ntok; i++) {
		const struct tok *t = &p->tok[i];
		depth += tok_punct(t, '(') - tok_punct(t, ')');
		if (depth < 0)
			depth = 0;
		if (depth > 0 || t->type != TOK_PUNCT)
			continue;
		if (t->punct == ';' || t->punct == '+')
			return i;
		if (t->punct == '.' &&
		    !(i > 0 && p->tok[i - 1].type == TOK_NUM && p->tok[i + 1].type == TOK_NUM))
			return i;
	}
	return p->ntok;
}

/* "57-NQ/TW", "13/2023/NĐ-CP": numbers joined to a code are a document's number. */
static bool at_code(const struct parser *p)
{
	int k = 0;

	while (peek(p, k)->type == TOK_NUM &&
	       (tok_punct(peek(p, k + 1), '/') || tok_punct(peek(p, k + 1), '-')))
		k += 2;
	return k > 0 && peek(p, k)->type == TOK_WORD && !at_time_word(p, k, true);
}

/* A number and what is joined to it by '/', '-' or '.'. */
static void skip_number(struct parser *p)
{
	p->pos++;
	while (p->pos + 1 < p->ntok &&
	       (tok_punct(peek(p, 0), '/') || tok_punct(peek(p, 0), '-') ||
	        tok_punct(peek(p, 0), '.')) &&
	       peek(p, 1)->type != TOK_PUNCT)
		p->pos += 2;
}

/*
 * "đến năm 2030", "đến hết năm 2025", "năm 2030", "2030", "giai đoạn 2021 -
 * 2025": a horizon or a period; its tokens, 0 when none.
 */
static int horizon_at(const struct parser *p, int k)
{
	int n = k;

	if (tok_is(peek(p, n), "giai") && tok_is(peek(p, n + 1), "doan") &&
	    is_year_tok(peek(p, n + 2))) {
		n += 3;
		if (tok_punct(peek(p, n), '-') && is_year_tok(peek(p, n + 1)))
			n += 2;
		return n - k;
	}
	n += tok_is(peek(p, n), "den") || tok_is(peek(p, n), "toi");
	n += tok_is(peek(p, n), "het");
	n += tok_is(peek(p, n), "nam");
	return is_year_tok(peek(p, n)) ? n + 1 - k : 0;
}

/*
 * A document's name, with its number, date, period and horizon: "Luật Đất
 * đai năm 2024", "Nghị quyết số 57-NQ/TW ngày 22/12/2024", "Đề án … giai
 * đoạn 2026-2030, định hướng đến năm 2035". It runs to a word that opens a
 * deadline, '(' or ':'.
 */
static void skip_document(struct parser *p, int head)
{
	p->pos += head;
	while (p->pos < p->ntok && !tok_punct(peek(p, 0), '(') && !tok_punct(peek(p, 0), ':')) {
		const struct tok *prev = &p->tok[p->pos - 1];
		int n =
		    tok_is(peek(p, 0), "den") || tok_is(peek(p, 0), "giai") ? horizon_at(p, 0) : 0;
		/* After '/' or '-' a word is a code: "19-CT/TU" is no "từ". */
		if (!n && !tok_punct(prev, '/') && !tok_punct(prev, '-') &&
		    at_time_word(p, 0, false))
			return;
		p->pos += n ? n : 1;
	}
}

/*
 * What a sentence names rather than dates, skipped as text: a document
 * (above); a quotation ("“Chương trình … đến năm 2025”"); a horizon or a
 * reference year, which are no deadlines ("định hướng đến năm 2030", "tầm
 * nhìn 2050", "so với năm 2022"); a code
 * ("13/2023/NĐ-CP"); a number right after words ("Chương trình 2030").
 */
static bool skip_name(struct parser *p, int sentence_start)
{
	static words3 horizons[] = {{"dinh", "huong"}, {"tam", "nhin"}, {"so", "voi"}};
	const struct tok *t = peek(p, 0);
	int n = WORDS_AT(p, 0, documents);

	if (n || (tok_is(t, "so") && peek(p, 1)->type == TOK_NUM)) {
		skip_document(p, n ? n : 1);
		return true;
	}
	if (tok_punct(t, '"')) {
		int close = p->pos + 1;
		while (close < p->ntok && !tok_punct(&p->tok[close], '"'))
			close++;
		if (close == p->ntok)
			return false; /* a stray quote is filler */
		p->pos = close + 1;
		return true;
	}
	if ((n = WORDS_AT(p, 0, horizons)) > 0) {
		p->pos += n + horizon_at(p, n);
		return true;
	}
	if (t->type != TOK_NUM || !(at_code(p) || (p->pos > sentence_start && p->text[p->pos - 1])))
		return false;
	skip_number(p);
	return true;
}

/*
 * The agency a sentence starts with, up to its verb or its deadline: "Các
 * sở, ngành | hoàn thành trước …", "Sở Tài chính | tổng hợp …". None when the
 * sentence starts with anything else ("Ban hành trong quý II …").
 */
static void find_subject(struct parser *p, int from, int to)
{
	int save = p->pos, head;

	p->who_from = p->who_to = -1;
	p->pos = from;
	while (p->pos < to && peek(p, 0)->type == TOK_PUNCT && !tok_punct(peek(p, 0), '('))
		p->pos++;
	if ((head = agency_at(p, 0)) > 0) {
		int start = p->pos, end;
		p->pos += head;
		while (p->pos < to && !verb_at(p, 0) && !at_time_word(p, 0, false))
			p->pos++;
		for (end = p->pos; end > start + head && p->tok[end - 1].type == TOK_PUNCT &&
		                   !tok_punct(&p->tok[end - 1], ')');
		     end--)
			;
		p->who_from = start;
		p->who_to = end;
	}
	p->pos = save;
}

/* Text beyond list numbering ("5.", "7.3.", "c)"), which is no note. */
static bool any_text(const struct parser *p, int from, int to)
{
	for (int i = from; i < to; i++) {
		const struct tok *t = &p->tok[i];
		if (p->text[i] && t->type != TOK_PUNCT && t->type != TOK_NUM &&
		    !(t->type == TOK_WORD && t->len == 1))
			return true;
	}
	return false;
}

/*
 * What of a sentence is kept as condition: all of it when it has no deadline
 * ("Tổ chức triển khai, cập nhật (nếu có)"), else what follows its last
 * deadline ("… trong các năm sau (nếu cần)"). Conditions found inside its
 * subject belong to the name: "Bộ Công an (Cục A05) hoàn thành …".
 */
static void keep_condition(struct parser *p, int from, int to, int first, int last, int nconds)
{
	int n = nconds, tail = last;

	if (first < 0) {
		p->nconds = nconds;
		if (any_text(p, from, to))
			add_piece(p, from, to);
		return;
	}
	for (int i = nconds; i < p->nconds; i++)
		if (p->who_from < 0 || p->conds[i].from < p->who_from || p->conds[i].to > p->who_to)
			p->conds[n++] = p->conds[i];
	p->nconds = n;
	while (tail < to && !p->text[tail])
		tail++;
	if (!any_text(p, tail, to))
		return;
	while (p->nconds > nconds && p->conds[p->nconds - 1].from >= tail)
		p->nconds--;
	add_piece(p, tail, to);
}

/*
 * One sentence [from, to) of a loose reading: the items that date are read,
 * the other words are text. A mistake inside a date is still an error.
 * Sets *timed when the sentence has a deadline.
 */
static int read_sentence(struct parser *p, int from, int to, bool *timed)
{
	int saved_ntok = p->ntok, first = -1, last = -1, nconds = p->nconds;

	p->ntok = to;
	p->pos = from;
	p->who_from = p->who_to = -1;
	while (p->pos < to) {
		int at = p->pos;
		if (skip_name(p, from)) {
			for (int i = at; i < p->pos; i++)
				p->text[i] = true;
			continue;
		}
		struct snapshot before = take_snapshot(p);
		int spans = p->nspans, r = parse_item(p);
		if (r < 0 && !p->err_soft) {
			p->ntok = saved_ntok;
			return -1;
		}
		if (r <= 0) {
			restore_snapshot(p, &before);
			p->text[at] = true;
			p->pos = at + 1;
			continue;
		}
		if (!timing_changed(p, &before))
			continue;
		if (first < 0) {
			first = at;
			find_subject(p, from, at);
		}
		for (int i = spans; i < p->nspans; i++) {
			p->spans[i].who_from = p->who_from;
			p->spans[i].who_to = p->who_to;
		}
		last = p->pos;
	}
	p->ntok = saved_ntok;
	keep_condition(p, from, to, first, last, nconds);
	*timed |= first >= 0;
	return 0;
}

/* Forgets the items of a first reading; the tokens stay. */
static void reset_items(struct parser *p)
{
	p->pos = p->nspans = p->nanchors = p->weekday = p->in_parens = p->nconds = 0;
	p->marks = 0;
	p->ongoing = p->following = p->has_from = p->event_seen = false;
	p->from_day = NO_DAY;
	p->event_tok = p->who_from = p->who_to = -1;
	p->err[0] = '\0';
}

/*
 * A phrase the items did not all understand, read again as a sentence, one
 * sentence at a time. 0 when it has a deadline (combined as usual, and
 * loose) or waits for an event (event_tok set); otherwise -1 with the first
 * reading's error ("'Luật' is not understood here"), or the error of a date
 * the second reading found wrong.
 */
static int read_loosely(struct parser *p, struct tf *t)
{
	char first_err[TF_ERROR_MAX];
	int first_tok = p->err_tok;
	bool timed = false;

	util_strlcpy(first_err, p->err, sizeof(first_err));
	reset_items(p);
	p->loose = true;
	memset(p->text, 0, sizeof(p->text));
	for (int i = 0; i < p->ntok; i++) {
		int end = sentence_end(p, i);
		if (read_sentence(p, i, end, &timed) < 0)
			return -1;
		i = end;
	}
	t->loose = true;
	if (timed)
		return combine(p, t);
	if (p->event_seen) {
		p->event_tok = 0;
		return 0;
	}
	p->err_tok = first_tok;
	util_strlcpy(p->err, first_err, sizeof(p->err));
	return -1;
}

/* ---- conditions and the entry point ---------------------------------- */

/* Trims spaces, Markdown '*', bullets and punctuation, and parentheses around it all. */
static void trim_condition(const char *src, size_t *from, size_t *to)
{
	for (;;) {
		while (*from < *to && strchr(" \t\r\n*+-:,;.", src[*from]))
			(*from)++;
		while (*to > *from && strchr(" \t\r\n*.,;:", src[*to - 1]))
			(*to)--;
		if (*to - *from < 2 || src[*from] != '(' || src[*to - 1] != ')')
			return;
		int depth = 0;
		for (size_t i = *from; i < *to - 1; i++)
			if ((depth += (src[i] == '(') - (src[i] == ')')) == 0)
				return; /* "(a) b (c)": not one parenthesis */
		(*from)++;
		(*to)--;
	}
}

/* Appends src[from, to), trimmed, to the condition, after "; " when there is one already. */
static void add_condition(struct tf *t, const char *src, size_t from, size_t to)
{
	char piece[MAX_INPUT];
	size_t n = 0, have = strlen(t->condition);

	trim_condition(src, &from, &to);
	if (from >= to || have + 2 + 4 >= TF_COND_MAX)
		return;
	for (size_t i = from; i < to && n + 1 < sizeof(piece); i++)
		if (src[i] != '*')
			piece[n++] =
			    src[i] == '\n' || src[i] == '\r' || src[i] == '\t' ? ' ' : src[i];
	if (have) {
		memcpy(t->condition + have, "; ", 3);
		have += 2;
	}
	text_utf8_copy(t->condition + have, TF_COND_MAX - have, piece, n);
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

static void parser_init(struct parser *p, const char *phrase, const struct tf_ctx *ctx, int issued)
{
	/* Not memset: the buffers are large and fully written before use. */
	p->src = phrase;
	p->ctx = ctx;
	p->plan_year = issued > 9999 ? issued / 10000 : issued;
	p->issued_day =
	    issued > 9999 ? day_of(issued / 10000, issued / 100 % 100, issued % 100) : NO_DAY;
	p->loose = false;
	p->err_tok = -1;
	reset_items(p);
}

int tf_issued(const char *iso)
{
	int y, m, d, n = 0;

	if (!iso)
		return 0;
	if (sscanf(iso, "%4d%n", &y, &n) == 1 && n == 4 && iso[n] == '\0')
		return y >= 1900 && y <= 2200 ? y : 0;
	y = strlen(iso) == 10 ? date_iso_year(iso) : 0;
	if (!y || sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return 0;
	return y * 10000 + m * 100 + d;
}

int tf_parse_issued(const char *phrase, const struct tf_ctx *ctx, int issued, struct tf *out)
{
	struct parser p;
	size_t len = strlen(phrase);
	int r;

	init_result(out, ctx);
	parser_init(&p, phrase, ctx, issued);
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
	else if (r < 0)
		r = read_loosely(&p, out);
	if (r == 0 && p.event_tok >= 0) {
		out->kind = TF_EVENT;
		add_condition(out, phrase, 0, len);
		return 0;
	}
	if (r < 0) {
		init_result(out, ctx);
		out->error_pos = p.err_tok < 0 ? 0 : (int)p.map[p.tok[p.err_tok].at];
		util_strlcpy(out->error, p.err, sizeof(out->error));
		return -1;
	}
	for (int i = 0; i < p.nconds; i++)
		add_condition(out, phrase, tok_src_start(&p, p.conds[i].from),
		              tok_src_end(&p, p.conds[i].to - 1));
	return 0;
}

int tf_parse(const char *phrase, const struct tf_ctx *ctx, struct tf *out)
{
	return tf_parse_issued(phrase, ctx, 0, out);
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
		/* Dated deadlines written beside the cycle come first; the cycle follows them. */
		for (int i = 0; i < t->n_phases && !found; i++)
			if (t->phases[i].due >= not_before) {
				*out = t->phases[i];
				found = true;
			}
		if (!found && t->n_phases && not_before <= t->phases[t->n_phases - 1].due)
			not_before = t->phases[t->n_phases - 1].due + 1;
		if (!found)
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
