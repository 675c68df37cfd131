/* lines — see import/lines.h. */
#include "import/lines.h"

#include "text.h"
#include "util.h"

#include <ctype.h>
#include <string.h>
#include <utf8proc.h>

void lines_split(const char *text, size_t len, struct lines *out)
{
	size_t cap = 0;

	out->v = NULL;
	out->n = 0;
	for (size_t at = 0; at < len;) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t n = nl ? (size_t)(nl - (text + at)) : len - at;
		size_t content = n && text[at + n - 1] == '\r' ? n - 1 : n;
		if (out->n == cap)
			out->v = xrealloc(out->v, (cap = cap ? cap * 2 : 256) * sizeof(*out->v));
		out->v[out->n] = (struct line){text + at, content, (int)out->n + 1};
		out->n++;
		at += n + (nl != NULL);
	}
}

void lines_free(struct lines *l)
{
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

bool lines_blank(const struct line *l)
{
	for (size_t i = 0; i < l->len; i++)
		if (!isspace((unsigned char)l->s[i]))
			return false;
	return true;
}

char *lines_trimmed(const struct line *l)
{
	const char *s = l->s;
	size_t n = l->len;

	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return xstrndup(s, n);
}

bool lines_page_number(const struct line *l)
{
	char f[64];

	if (l->len >= sizeof(f))
		return false;
	text_fold(l->s, l->len, f, NULL, sizeof(f));
	const char *s = util_trim(f);
	if (!strncmp(s, "trang ", 6))
		s += 6;
	return strpbrk(s, "0123456789") && strspn(s, "0123456789-/. ") == strlen(s);
}

static bool is_roman(const char *s, size_t n)
{
	if (n == 0 || n > 6)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!strchr("IVXLC", s[i]))
			return false;
	return true;
}

/* The end of a marker is white space or the end of the text. */
static bool ends_marker(char c)
{
	return c == '\0' || c == ' ' || c == '\t';
}

/* "1.", "1.2.", "1.2", "3)"; figures ("300.000", "2.5%") and bare numbers are not. */
static size_t number_marker(const char *s)
{
	size_t i = strspn(s, "0123456789"), parts = 1;

	if (i == 0 || i > 3)
		return 0;
	while (s[i] == '.' && isdigit((unsigned char)s[i + 1])) {
		size_t d = strspn(s + i + 1, "0123456789");
		if (d > 2)
			return 0; /* a thousands separator: 300.000 */
		i += 1 + d;
		parts++;
	}
	if ((s[i] == '.' || s[i] == ')') && ends_marker(s[i + 1]))
		return i + 1;
	/* "1.2 Tên": several parts need no final dot; "2026 - 2030" has one part. */
	return parts > 1 && ends_marker(s[i]) ? i : 0;
}

static size_t letter_marker(const char *s)
{
	if (islower((unsigned char)s[0]) && s[1] == ')' && ends_marker(s[2]))
		return 2;
	if (!strncmp(s, "đ)", 3) && ends_marker(s[3]))
		return 3;
	return 0;
}

static size_t upper_marker(const char *s)
{
	size_t n = strspn(s, "IVXLC");

	if (n && is_roman(s, n) && s[n] == '.' && ends_marker(s[n + 1]))
		return n + 1;
	/* "A. …": a part of the plan, a capital and a dot. */
	if (isupper((unsigned char)s[0]) && s[1] == '.' && ends_marker(s[2]))
		return 2;
	return 0;
}

static size_t article_marker(const char *s)
{
	static const char article[] = "Điều ";
	size_t n = sizeof(article) - 1;

	if (strncmp(s, article, n) != 0)
		return 0;
	size_t d = strspn(s + n, "0123456789");
	if (!d)
		return 0;
	n += d;
	if (s[n] == '.' || s[n] == ':')
		n++;
	return ends_marker(s[n]) ? n : 0;
}

static size_t bullet_at(const char *s)
{
	static const char *const bullets[] = {"-", "+", "•", "–", "·", "▪", "●", "*"};

	for (size_t i = 0; i < UTIL_NELEM(bullets); i++) {
		size_t n = strlen(bullets[i]);
		/* A bullet stands before a space ("- x"), or alone on its line. */
		if (!strncmp(s, bullets[i], n) && (s[n] == ' ' || s[n] == '\t' || !s[n]))
			return n;
	}
	return 0;
}

size_t lines_marker(const char *s, size_t *marker_at, size_t *text_at)
{
	size_t at = strspn(s, " \t"), n, b;

	b = bullet_at(s + at);
	if (b) {
		size_t after = at + b + strspn(s + at + b, " \t");
		size_t inner = number_marker(s + after);
		if (!inner)
			inner = letter_marker(s + after);
		if (inner) {
			*marker_at = after;
			*text_at = after + inner + strspn(s + after + inner, " \t");
			return inner;
		}
		*marker_at = at;
		*text_at = after;
		return b;
	}
	if (!(n = number_marker(s + at)) && !(n = letter_marker(s + at)) &&
	    !(n = upper_marker(s + at)) && !(n = article_marker(s + at)))
		return 0;
	*marker_at = at;
	*text_at = at + n + strspn(s + at + n, " \t");
	return n;
}

bool lines_all_caps(const char *s, size_t len, size_t *letters)
{
	size_t i = 0, n = 0;
	bool caps = true;

	while (i < len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t step = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
		                                         (utf8proc_ssize_t)(len - i), &cp);
		if (step <= 0) {
			i++;
			continue;
		}
		i += (size_t)step;
		utf8proc_category_t cat = utf8proc_category(cp);
		if (cat == UTF8PROC_CATEGORY_LL)
			caps = false, n++;
		else if (cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT)
			n++;
	}
	if (letters)
		*letters = n;
	return caps && n > 0;
}
