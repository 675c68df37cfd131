/*
 * reply — see inbox/reply.h.
 *
 * Every decision is made on the folded line (lowercase ASCII, no marks),
 * so "Hoàn thành", "HOÀN THÀNH", "hoan thanh" and NFD text read alike;
 * the fold's offset map leads back to the words as written for notes and
 * reasons. Words whose meaning depends on their marks are checked against
 * the original.
 */
#include "inbox/reply.h"

#include "buf.h"
#include "text.h"
#include "util.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One line being read: its original bytes and its fold. */
struct fline {
	const char *s; /* original, not terminated */
	size_t len;
	char f[REPLY_MAX_LINE + 1];
	uint32_t map[REPLY_MAX_LINE + 1];
	size_t n; /* folded length */
};

/* At most max bytes of s[0..len), not cutting a UTF-8 sequence. */
static size_t utf8_cut(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return len;
	while (max && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	return max;
}

static void fold(struct fline *l, const char *s, size_t len)
{
	l->s = s;
	l->len = utf8_cut(s, len, REPLY_MAX_LINE);
	l->n = text_fold(s, l->len, l->f, l->map, sizeof(l->f));
}

static bool starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool ends(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);

	return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

static const char *skip_spaces(const char *p)
{
	while (*p == ' ')
		p++;
	return p;
}

/* The folded line without surrounding spaces, into out. */
static size_t trimmed(const struct fline *l, char *out, size_t cap)
{
	const char *p = skip_spaces(l->f);
	size_t n = strlen(p);

	while (n && p[n - 1] == ' ')
		n--;
	if (n >= cap)
		n = cap - 1;
	memcpy(out, p, n);
	out[n] = '\0';
	return n;
}

/* ---- the own text -------------------------------------------------------------- */

/* Where a client starts what it quotes or forwards: nothing below is the reply. */
static bool is_separator(const char *t, size_t n)
{
	static const char *const marks[] = {
	    "original message",
	    "tin nhan goc",
	    "thu goc",
	    "forwarded message",
	    "begin forwarded message",
	    "thu chuyen tiep",
	    "thu da chuyen tiep",
	};
	size_t unders = strspn(t, "_");

	if ((n >= 8 && unders == n) || !strcmp(t, "--") || (n >= 20 && strspn(t, "-") == n))
		return true;
	if (t[0] == '-' || starts(t, "begin") || starts(t, "thu"))
		for (size_t i = 0; i < UTIL_NELEM(marks); i++)
			if (strstr(t, marks[i]))
				return true;
	return false;
}

/* "From: …" followed by "Sent:", "To:" … : Outlook's header block of the original. */
static bool header_field(const char *t, bool first)
{
	static const char *const from[] = {"from:", "tu:", "nguoi gui:"};
	static const char *const rest[] = {
	    "sent:", "date:", "to:",  "cc:",     "subject:", "da gui:",  "gui:",
	    "ngay:", "toi:",  "den:", "chu de:", "tieu de:", "gui luc:", "ngay gui:"};
	const char *const *v = first ? from : rest;
	size_t n = first ? UTIL_NELEM(from) : UTIL_NELEM(rest);

	for (size_t i = 0; i < n; i++)
		if (starts(t, v[i]))
			return true;
	return false;
}

static bool is_attribution(const char *t, size_t n)
{
	return ends(t, n, "wrote:") || ends(t, n, "viet:") || ends(t, n, "a ecrit :");
}

struct lines {
	const char *text;
	size_t len, pos;
};

static bool next_line(struct lines *ls, const char **s, size_t *n)
{
	if (ls->pos >= ls->len)
		return false;
	const char *start = ls->text + ls->pos;
	const char *nl = memchr(start, '\n', ls->len - ls->pos);
	*n = nl ? (size_t)(nl - start) : ls->len - ls->pos;
	ls->pos += *n + (nl != NULL);
	*s = start;
	if (*n && start[*n - 1] == '\r')
		(*n)--;
	return true;
}

/* Is one of the next few lines an Outlook header field? */
static bool header_block_follows(struct lines ls)
{
	struct fline l;
	char t[64];
	const char *s;
	size_t n;

	for (int i = 0; i < 4 && next_line(&ls, &s, &n); i++) {
		fold(&l, s, n < 60 ? n : 60);
		trimmed(&l, t, sizeof(t));
		if (header_field(t, false))
			return true;
	}
	return false;
}

/* Appends a line of the own text: invalid bytes as '?', control characters as spaces. */
static void keep(struct buf *own, const char *s, size_t n)
{
	bool valid = text_utf8_valid(s, n);

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		buf_addc(own, c >= 0x80               ? (valid ? (char)c : '?')
		              : c < 0x20 || c == 0x7F ? ' '
		                                      : (char)c);
	}
	buf_addc(own, '\n');
}

/* The lines the person wrote: everything unquoted above the first separator. */
static char *own_text(const char *text, size_t len)
{
	struct lines ls = {text, len, 0};
	struct buf own = BUF_INIT;
	struct fline *l = xmalloc(sizeof(*l));
	size_t last_start = 0;
	int kept = 0;
	const char *s;
	size_t n;

	while (kept < REPLY_MAX_LINES && next_line(&ls, &s, &n)) {
		char t[REPLY_MAX_LINE + 1];
		fold(l, s, n);
		size_t tn = trimmed(l, t, sizeof(t));
		if (t[0] == '>')
			continue;
		if (is_separator(t, tn) || (header_field(t, true) && header_block_follows(ls)))
			break;
		if (is_attribution(t, tn)) {
			/* A two-line "On … <\naddr> wrote:" took the line before too. */
			if (own.len > last_start) {
				char prev[16];
				text_fold(own.data + last_start, own.len - last_start, prev, NULL,
				          sizeof(prev));
				if (starts(prev, "on ") || starts(prev, "vao "))
					own.len = last_start;
			}
			continue;
		}
		if (!own.len && !tn)
			continue; /* leading empty lines */
		last_start = own.len;
		keep(&own, s, l->len);
		kept++;
	}
	free(l);
	while (own.len && (own.data[own.len - 1] == '\n' || own.data[own.len - 1] == ' '))
		own.len--;
	buf_addc(&own, '\n');
	char *nfc = text_nfc(buf_str(&own));
	buf_free(&own);
	return nfc ? nfc : xstrdup("");
}

/* ---- the words of a command ----------------------------------------------------- */

struct level {
	const char *fold;
	enum task_status status;
	const char *marked; /* the written form it must be when it has marks; NULL: any */
	bool alone;         /* without marks it must stand alone (or be a known "Chờ" object) */
};

/* Longest first where one is the start of another. */
static const struct level levels[] = {
    {"chua hoan thanh", TASK_NOT_MET, NULL, false},
    {"chua dat", TASK_NOT_MET, "chưa đạt", false},
    {"khong hoan thanh", TASK_NOT_MET, NULL, false},
    {"khong dat", TASK_NOT_MET, NULL, false},
    {"chua thuc hien", TASK_NOT_MET, NULL, false},
    {"da hoan thanh", TASK_DONE, NULL, false},
    {"hoan thanh", TASK_DONE, NULL, false},
    {"da dat", TASK_DONE, "đã đạt", true},
    {"dat", TASK_DONE, "đạt", true},
    {"da dap ung yeu cau", TASK_DONE, NULL, false},
    {"dap ung yeu cau", TASK_DONE, NULL, false},
    {"da xong", TASK_DONE, NULL, false},
    {"done", TASK_DONE, NULL, false},
    {"completed", TASK_DONE, NULL, false},
    {"dang thuc hien", TASK_IN_PROGRESS, NULL, false},
    {"tiep tuc thuc hien", TASK_IN_PROGRESS, NULL, false},
    {"dang trien khai", TASK_IN_PROGRESS, NULL, false},
    {"dang tien hanh", TASK_IN_PROGRESS, NULL, false},
    {"in progress", TASK_IN_PROGRESS, NULL, false},
    {"dang cho", TASK_WAITING, "đang chờ", true},
    {"cho", TASK_WAITING, "chờ", true},
    {"waiting", TASK_WAITING, NULL, false},
};

/* What one waits on, so that "cho y kien cua Bo" reads as Chờ without its marks. */
static const char *const waited_on[] = {
    "y kien",  "huong dan", "phe duyet",  "bo ",       "ubnd",     "so ",       "kinh phi",
    "ket qua", "van ban",   "quyet dinh", "thong tin", "xac nhan", "tham dinh", "chi dao",
};

static const char *const labels[] = {"tinh trang",        "trang thai", "status",
                                     "ket qua thuc hien", "ket qua",    "tien do",
                                     "muc do hoan thanh", "bao cao"};

static const char *const extend_words[] = {
    "xin duoc gia han",     "xin gia han", "de nghi gia han", "de xuat gia han",
    "kinh de nghi gia han", "xin lui han", "gia han"};

static bool word_end(char c)
{
	return c == '\0' || !isalnum((unsigned char)c);
}

/* The word (or words) at p, followed by a word boundary: the length, or 0. */
static size_t phrase_at(const char *p, const char *w)
{
	size_t n = strlen(w);

	return strncmp(p, w, n) == 0 && word_end(p[n]) ? n : 0;
}

/* Skips "Tình trạng:" and the like. */
static const char *skip_label(const char *p)
{
	for (size_t i = 0; i < UTIL_NELEM(labels); i++) {
		size_t n = phrase_at(p, labels[i]);
		const char *q = skip_spaces(p + n);
		if (n && (*q == ':' || *q == '-'))
			return skip_spaces(q + 1);
	}
	return p;
}

/* The original bytes behind folded [a, b). */
static char *original(const struct fline *l, size_t a, size_t b)
{
	size_t from = l->map[a], to = b >= l->n ? l->len : l->map[b];

	return xstrndup(l->s + from, to > from ? to - from : 0);
}

static bool written_as(const struct fline *l, size_t a, size_t b, const char *form)
{
	char *orig = original(l, a, b);
	bool ascii = true;

	for (const char *p = orig; *p; p++)
		ascii &= (unsigned char)*p < 0x80;
	bool same = ascii;
	if (!ascii) {
		char *k1 = text_name_key(orig), *k2 = text_name_key(form);
		same = !strcmp(k1, k2);
		free(k1);
		free(k2);
	}
	free(orig);
	return same;
}

static bool ascii_only(const struct fline *l, size_t a, size_t b)
{
	size_t from = l->map[a], to = b >= l->n ? l->len : l->map[b];

	for (size_t i = from; i < to; i++)
		if ((unsigned char)l->s[i] >= 0x80)
			return false;
	return true;
}

/* A level at folded offset at: its entry, or NULL. */
static const struct level *level_at(const struct fline *l, size_t at, size_t *len)
{
	const char *p = l->f + at;

	for (size_t i = 0; i < UTIL_NELEM(levels); i++) {
		const struct level *v = &levels[i];
		size_t n = phrase_at(p, v->fold);
		if (!n)
			continue;
		if (v->marked && !written_as(l, at, at + n, v->marked))
			continue;
		if (v->alone && ascii_only(l, at, at + n)) {
			const char *q = skip_spaces(p + n);
			bool ok = *q == '\0' || strchr(":.,;-!)", *q);
			for (size_t k = 0;
			     !ok && v->status == TASK_WAITING && k < UTIL_NELEM(waited_on); k++)
				ok = starts(q, waited_on[k]);
			if (!ok)
				continue;
		}
		*len = n;
		return v;
	}
	return NULL;
}

/* ---- items and dates ------------------------------------------------------------ */

static bool roman(const char *s, size_t n)
{
	return n && n <= 5 && strspn(s, "ivxl") >= n;
}

/*
 * One item reference at p ("1.3.a", "A.I.1", "iii.2", "2"): its length, or
 * 0. Without a keyword it must start with a digit, or be dotted short parts
 * with a digit among them, or a Roman numeral with a dot.
 */
static size_t item_at(const char *p, bool keyword)
{
	size_t n = 0, first = 0, part = 0, longest = 0;
	bool dotted = false, digit = false;

	/* "#205": the task's code as the mail shows it (Mã nhiệm vụ). */
	if (p[0] == '#' && isdigit((unsigned char)p[1])) {
		for (n = 1; isdigit((unsigned char)p[n]) && n < 20; n++)
			;
		return isalnum((unsigned char)p[n]) ? 0 : n;
	}

	while (isalnum((unsigned char)p[n]) || (p[n] == '.' && isalnum((unsigned char)p[n + 1]))) {
		if (p[n] == '.') {
			dotted = true;
			if (!first)
				first = n;
			part = 0;
		} else {
			digit |= isdigit((unsigned char)p[n]) != 0;
			if (++part > longest)
				longest = part;
		}
		n++;
	}
	if (!n || n > 24)
		return 0;
	if (!first)
		first = n;
	if (keyword || isdigit((unsigned char)p[0]) || (dotted && digit && longest <= 6))
		return n;
	return roman(p, first) && (dotted || p[n] == '.') ? n : 0;
}

/*
 * Item references before a level: "1.3.a:", "Mục 2, 3 –", "1.1 và 1.2)"; with
 * loose, a space may end them too ("1.3.a Hoàn thành": the caller checks
 * that a level follows).
 */
static size_t items_at(const char *p, size_t (*at)[2], size_t max, size_t *n_items, bool loose,
                       bool *named)
{
	static const char *const keywords[] = {"muc", "nhiem vu so", "nhiem vu",
	                                       "nv",  "item",        "task"};
	const char *q = p;
	bool keyword = false;

	*n_items = 0;
	for (size_t i = 0; i < UTIL_NELEM(keywords) && !keyword; i++) {
		size_t k = phrase_at(q, keywords[i]);
		if (k) {
			q = skip_spaces(q + k);
			keyword = true;
		}
	}
	for (;;) {
		size_t n = item_at(q, keyword);
		if (!n || *n_items == max)
			break;
		at[*n_items][0] = (size_t)(q - p);
		at[*n_items][1] = n;
		(*n_items)++;
		q = skip_spaces(q + n);
		size_t sep = *q == ',' || *q == ';' || *q == '&' ? 1 : phrase_at(q, "va");
		if (!sep)
			break;
		q = skip_spaces(q + sep);
	}
	if (!*n_items)
		return 0;
	*named = keyword;
	/* The reference ends with a separator: ':', '-', ')' or a dot before a space. */
	if (*q == ':' || *q == '-' || *q == ')' || (*q == '.' && q[1] == ' '))
		return (size_t)(skip_spaces(q + 1) - p);
	return loose && q > p && q[-1] == ' ' ? (size_t)(q - p) : 0;
}

static bool valid_date(int y, int m, int d)
{
	static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m < 1 || m > 12 || d < 1 || d > days[m - 1])
		return false;
	return !(m == 2 && d == 29 && y && (y % 4 || (y % 100 == 0 && y % 400)));
}

static int last_day(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return days[m - 1] + (m == 2 && y % 4 == 0 && (y % 100 || y % 400 == 0));
}

static int number(const char **p, int max_digits)
{
	int v = 0, k = 0;

	while (k < max_digits && isdigit((unsigned char)**p)) {
		v = v * 10 + (**p - '0');
		(*p)++;
		k++;
	}
	return k ? v : -1;
}

/* A deadline someone could ask for: this century or the next. */
static bool plausible(int year)
{
	return year >= 2000 && year < 2200;
}

static int year_of(int y)
{
	return y >= 0 && y < 100 ? 2000 + y : y;
}

/* "30/06/2026", "30-6-26", "ngay 30 thang 6 nam 2026", "thang 9/2026", "quy iii/2026". */
static size_t date_at(const char *p, int *y, int *m, int *d)
{
	const char *q = p;
	int a, b, c = 0;

	if (phrase_at(q, "ngay"))
		q = skip_spaces(q + 4);
	if ((a = number(&q, 2)) > 0) {
		if (*q == '/' || *q == '-' || *q == '.') {
			char sep = *q++;
			if ((b = number(&q, 2)) < 0)
				return 0;
			if (*q == sep && isdigit((unsigned char)q[1])) {
				q++;
				c = number(&q, 4);
			}
		} else if (phrase_at(skip_spaces(q), "thang")) {
			q = skip_spaces(skip_spaces(q) + 5);
			if ((b = number(&q, 2)) < 0)
				return 0;
			const char *r = skip_spaces(q);
			if (phrase_at(r, "nam")) {
				r = skip_spaces(r + 3);
				if ((c = number(&r, 4)) < 0)
					return 0;
				q = r;
			}
		} else {
			return 0;
		}
		*y = c ? year_of(c) : 0, *m = b, *d = a;
		return valid_date(*y, b, a) && (c == 0 || plausible(*y)) ? (size_t)(q - p) : 0;
	}
	/* A month or a quarter: its last day. */
	bool quarter = phrase_at(p, "quy") != 0;
	if (!quarter && !phrase_at(p, "thang"))
		return 0;
	q = skip_spaces(p + (quarter ? 3 : 5));
	static const char *const romans[] = {"iv", "iii", "ii", "i"};
	static const int rv[] = {4, 3, 2, 1};
	a = -1;
	for (size_t i = 0; quarter && i < UTIL_NELEM(romans) && a < 0; i++)
		if (starts(q, romans[i]) && !isalpha((unsigned char)q[strlen(romans[i])]))
			a = rv[i], q += strlen(romans[i]);
	if (a < 0)
		a = number(&q, 2);
	if (a < 1 || a > (quarter ? 4 : 12) || (*q != '/' && !phrase_at(skip_spaces(q), "nam")))
		return 0;
	q = *q == '/' ? q + 1 : skip_spaces(skip_spaces(q) + 3);
	if ((c = number(&q, 4)) < 0 || !plausible(year_of(c)))
		return 0;
	*y = year_of(c), *m = quarter ? a * 3 : a, *d = last_day(*y, *m);
	return (size_t)(q - p);
}

/* ---- reading a line ------------------------------------------------------------- */

struct reader {
	struct reply *out;
	size_t cap_cmds, cap_misses;
	char **exclude; /* folded, trimmed, sorted */
	size_t n_exclude;
	bool named; /* the line's items follow "Mục", "Nhiệm vụ" … */
};

static char *trim_copy(char *s)
{
	char *t = util_trim(s);

	memmove(s, t, strlen(t) + 1);
	return s;
}

/* The original text from folded offset a to the end, without leading ":-,." and spaces. */
static char *rest_of(const struct fline *l, size_t a)
{
	while (a < l->n && strchr(" :-,.;", l->f[a]))
		a++;
	char *s = original(l, a, l->n);
	trim_copy(s);
	if (!*s) {
		free(s);
		return NULL;
	}
	return s;
}

/* A command of line l; item is {folded offset, length} of the item named, or NULL. */
static struct reply_cmd *add_cmd(struct reader *r, const struct fline *l, int lineno,
                                 const size_t *item)
{
	struct reply *o = r->out;

	if (o->n_cmds == r->cap_cmds)
		o->cmds = xrealloc(o->cmds, (r->cap_cmds = r->cap_cmds ? r->cap_cmds * 2 : 8) *
		                                sizeof(*o->cmds));
	struct reply_cmd *c = &o->cmds[o->n_cmds++];
	memset(c, 0, sizeof(*c));
	c->line = lineno;
	c->text = trim_copy(xstrndup(l->s, l->len));
	c->item = item ? original(l, item[0], item[0] + item[1]) : NULL;
	c->named = item && r->named;
	return c;
}

static void add_miss(struct reader *r, const struct fline *l, int lineno, const char *why)
{
	struct reply *o = r->out;

	if (o->n_misses == r->cap_misses)
		o->misses =
		    xrealloc(o->misses, (r->cap_misses = r->cap_misses ? r->cap_misses * 2 : 4) *
		                            sizeof(*o->misses));
	o->misses[o->n_misses++] =
	    (struct reply_miss){lineno, trim_copy(xstrndup(l->s, l->len)), why};
}

static size_t extension_word(const char *p)
{
	size_t n = 0;

	for (size_t i = 0; i < UTIL_NELEM(extend_words) && !n; i++)
		n = phrase_at(p, extend_words[i]);
	return n;
}

/* "Xin gia hạn đến DATE: reason" at folded offset at; 1 read, 0 not one, -1 a miss. */
static int extension_at(struct reader *r, const struct fline *l, size_t at, int lineno,
                        size_t (*items)[2], size_t n_items, const struct fline *next)
{
	static const char *const fillers[] = {"thoi gian thuc hien",
	                                      "thoi gian",
	                                      "thoi han",
	                                      "han",
	                                      "den het ngay",
	                                      "den het",
	                                      "den ngay",
	                                      "toi ngay",
	                                      "den",
	                                      "toi",
	                                      "sang",
	                                      "until",
	                                      "to"};
	const char *p = l->f + at;
	size_t n = extension_word(p);
	int y, m, d;

	if (!n)
		return 0;
	p = skip_spaces(p + n);
	for (size_t i = 0; i < UTIL_NELEM(fillers); i++) {
		size_t k = phrase_at(p, fillers[i]);
		if (k)
			p = skip_spaces(p + k);
	}
	size_t dn = date_at(p, &y, &m, &d);
	if (!dn) {
		add_miss(r, l, lineno, "an extension request needs the date, e.g. 30/06/2026");
		return -1;
	}
	size_t after = (size_t)(p - l->f) + dn;
	while (after < l->n && strchr(" :-,.;", l->f[after]))
		after++;
	after += phrase_at(l->f + after, "ly do");
	char *reason = rest_of(l, after);
	if (!reason && next) { /* "Lý do: …" on the next line */
		const char *q = skip_spaces(next->f);
		size_t k = phrase_at(q, "ly do");
		if (k)
			reason = rest_of(next, (size_t)(q - next->f) + k);
	}
	for (size_t i = 0; i < (n_items ? n_items : 1); i++) {
		struct reply_cmd *c = add_cmd(r, l, lineno, n_items ? items[i] : NULL);
		c->kind = REPLY_EXTEND;
		c->year = y, c->month = m, c->day = d;
		c->note = rest_of(l, at);
		c->reason = reason ? xstrdup(reason) : NULL;
	}
	free(reason);
	return 1;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool excluded(const struct reader *r, const char *t)
{
	return r->n_exclude && bsearch(&t, r->exclude, r->n_exclude, sizeof(char *), cmp_str);
}

/*
 * "Hoàn thành: chưa", "hoan thanh chua duoc", "Đạt - không": the level
 * denied. Not "Hoàn thành, không có vướng mắc" (after a comma, something
 * else) nor "Hoàn thành không đúng hạn" (done, late).
 */
static bool negated(const char *rest)
{
	static const char *const denials[] = {"duoc", "xong", "dat", "hoan thanh"};

	while (*rest && strchr(":- ", *rest))
		rest++;
	size_t n = phrase_at(rest, "chua");
	n = n ? n : phrase_at(rest, "khong");
	if (!n)
		return false;
	rest = skip_spaces(rest + n);
	bool denied = !*rest || strchr(".,;!)", *rest);
	for (size_t i = 0; !denied && i < UTIL_NELEM(denials); i++)
		denied = phrase_at(rest, denials[i]) != 0;
	return denied;
}

/*
 * A share below 100 % right after the level: "50%", "khoảng 50 %", "được
 * 30%". Not one later in the line: "Hoàn thành, cắt giảm 30% thời gian".
 */
static bool part_done(const char *rest)
{
	static const char *const fillers[] = {"duoc", "dat", "khoang", "khoi luong", "muc"};

	while (*rest && strchr(":- ", *rest))
		rest++;
	for (size_t i = 0; i < UTIL_NELEM(fillers); i++) {
		size_t n = phrase_at(rest, fillers[i]);
		if (n)
			rest = skip_spaces(rest + n);
	}
	size_t digits = strspn(rest, "0123456789.,");
	return digits && isdigit((unsigned char)rest[0]) && *skip_spaces(rest + digits) == '%' &&
	       atof(rest) < 100.0;
}

static void read_line(struct reader *r, const struct fline *l, int lineno, const struct fline *next)
{
	char t[REPLY_MAX_LINE + 1];
	size_t items[8][2] = {{0}}, n_items, len;

	if (!trimmed(l, t, sizeof(t)) || excluded(r, t))
		return;
	const char *p = skip_spaces(l->f);
	while (*p && strchr("-*+~o", *p) && p[1] == ' ')
		p = skip_spaces(p + 1);
	const char *unlabelled = p;
	p = skip_label(p);
	bool labelled = p != unlabelled;
	r->named = false;
	size_t k = items_at(p, items, UTIL_NELEM(items), &n_items, false, &r->named);
	if (!k) {
		k = items_at(p, items, UTIL_NELEM(items), &n_items, true, &r->named);
		size_t probe = 0;
		if (k && !level_at(l, (size_t)(p + k - l->f), &probe) && !extension_word(p + k))
			k = 0, n_items = 0;
	}
	for (size_t i = 0; i < n_items; i++)
		items[i][0] += (size_t)(p - l->f);
	p = skip_label(p + k);
	size_t at = (size_t)(p - l->f);
	if (extension_at(r, l, at, lineno, items, n_items, next))
		return;
	const struct level *v = level_at(l, at, &len);
	if (!v) {
		if (labelled && k == 0 && *p)
			add_miss(r, l, lineno,
			         "not a completion level (Hoàn thành, Đang thực hiện, Chờ …)");
		return;
	}
	const char *rest = skip_spaces(l->f + at + len);
	if ((v->status == TASK_DONE && negated(rest)) || l->f[l->n ? l->n - 1 : 0] == '?') {
		add_miss(r, l, lineno,
		         "a level questioned or denied is no level: write 'Chưa hoàn thành' or "
		         "'Đang thực hiện'");
		return;
	}
	/* "Hoàn thành 50%", "Đạt 60% kế hoạch": part of it done is in progress. */
	enum task_status status =
	    v->status == TASK_DONE && part_done(rest) ? TASK_IN_PROGRESS : v->status;
	for (size_t i = 0; i < (n_items ? n_items : 1); i++) {
		struct reply_cmd *c = add_cmd(r, l, lineno, n_items ? items[i] : NULL);
		c->kind = REPLY_STATUS;
		c->status = status;
		c->note = rest_of(l, at);
	}
}

/*
 * The line is a sentence that goes on into the next one: prose of six words
 * or more ending with a letter or a digit. A greeting ("Kính gửi Sở Nội
 * vụ") or an item ("Mục 1") is not: the line after it is read.
 */
static bool ends_open(const struct fline *l)
{
	size_t n = l->n, words = 0;

	while (n && l->f[n - 1] == ' ')
		n--;
	for (size_t i = 0; i < n; i++)
		words += l->f[i] != ' ' && (i == 0 || l->f[i - 1] == ' ');
	return n && isalnum((unsigned char)l->f[n - 1]) && words >= 6;
}

/* The line's text starts with a lower-case letter (ASCII or Vietnamese). */
static bool starts_lower(const struct fline *l)
{
	size_t i = 0;

	while (i < l->len && (l->s[i] == ' ' || l->s[i] == '\t'))
		i++;
	return text_lowercase(l->s + i, l->len - i);
}

static void load_exclude(struct reader *r, const char *const *lines, size_t n)
{
	struct fline *l = xmalloc(sizeof(*l));
	char t[REPLY_MAX_LINE + 1];

	r->exclude = xcalloc(n ? n : 1, sizeof(char *));
	for (size_t i = 0; i < n; i++) {
		fold(l, lines[i], strlen(lines[i]));
		if (trimmed(l, t, sizeof(t)))
			r->exclude[r->n_exclude++] = xstrdup(t);
	}
	qsort(r->exclude, r->n_exclude, sizeof(char *), cmp_str);
	free(l);
}

void reply_read(const char *text, size_t len, const char *const *exclude, size_t n_exclude,
                struct reply *out)
{
	struct reader r = {.out = out};
	struct fline *l = xmalloc(2 * sizeof(*l)), *next = l + 1;
	const char *s, *ns;
	size_t n, nn;
	int lineno = 0;

	memset(out, 0, sizeof(*out));
	out->own = own_text(text, len);
	load_exclude(&r, exclude, n_exclude);
	struct lines ls = {out->own, strlen(out->own), 0};
	bool more = next_line(&ls, &s, &n), open = false;
	while (more) {
		lineno++;
		fold(l, s, n);
		more = next_line(&ls, &ns, &nn);
		if (more)
			fold(next, ns, nn);
		/* "… nhiệm vụ khảo sát chưa⏎hoàn thành vì …": a sentence wrapped
		 * (by the writer, or format=flowed) is no command on its own line. */
		size_t said = out->n_cmds;
		if (!(open && starts_lower(l)))
			read_line(&r, l, lineno, more ? next : NULL);
		open = ends_open(l) && out->n_cmds == said;
		s = ns, n = nn;
	}
	for (size_t i = 0; i < r.n_exclude; i++)
		free(r.exclude[i]);
	free(r.exclude);
	free(l);
}

void reply_free(struct reply *r)
{
	for (size_t i = 0; i < r->n_cmds; i++) {
		struct reply_cmd *c = &r->cmds[i];
		free(c->item), free(c->text), free(c->note), free(c->reason);
	}
	for (size_t i = 0; i < r->n_misses; i++)
		free(r->misses[i].text);
	free(r->cmds);
	free(r->misses);
	free(r->own);
	memset(r, 0, sizeof(*r));
}

void reply_item_key(const char *item, char *out, size_t cap)
{
	size_t n = text_fold(item, strlen(item), out, NULL, cap);

	while (n && strchr(".) ", out[n - 1]))
		out[--n] = '\0';
	char *t = util_trim(out);
	memmove(out, t, strlen(t) + 1);
}
