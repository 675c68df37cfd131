/* markup — see import/markup.h. */
#include "import/markup.h"

#include "buf.h"
#include "import/doc.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* A letter or digit, counting every byte of a multibyte character. */
static bool word_byte(char c)
{
	return isalnum((unsigned char)c) || (unsigned char)c >= 0x80;
}

static bool blank_or(char c, const char *also)
{
	return !c || isspace((unsigned char)c) || strchr(also, c);
}

/* Whether the run of n '*' or '_' at s[i] (of len bytes) is emphasis. */
static bool emphasis_run(const char *s, size_t len, size_t i, size_t n)
{
	char prev = i ? s[i - 1] : '\0', next = i + n < len ? s[i + n] : '\0';

	if (s[i] == '*') {
		if (n > 3)
			return false;
		if (n >= 2)
			return true;
		return !(blank_or(prev, "([") && blank_or(next, ")]"));
	}
	if (n > 2 || (word_byte(prev) && word_byte(next)))
		return false;
	return !(blank_or(prev, "") && blank_or(next, ""));
}

/* "<br>", "<br/>", "<br />" (any case): how a Markdown table breaks a line
 * in a cell. Returns its length, 0 when s[i] starts none. */
static size_t line_break_tag(const char *s, size_t len, size_t i)
{
	size_t k = i + 3;

	if (len - i < 4 || s[i] != '<' || strncasecmp(s + i + 1, "br", 2))
		return 0;
	while (k < len && s[k] == ' ')
		k++;
	if (k < len && s[k] == '/')
		k++;
	return k < len && s[k] == '>' ? k + 1 - i : 0;
}

char *markup_strip(const char *s, size_t len, unsigned *emph)
{
	struct buf b = BUF_INIT;
	bool bold = false, italic = false;
	size_t words = 0, in_bold = 0, in_italic = 0;

	for (size_t i = 0; i < len;) {
		char c = s[i];
		size_t n = line_break_tag(s, len, i);
		if (n) {
			buf_addc(&b, '\n');
			i += n;
			continue;
		}
		if (c == '*' || c == '_')
			while (i + n < len && s[i + n] == c)
				n++;
		if (n && emphasis_run(s, len, i, n)) {
			if (n >= 2)
				bold = !bold;
			if (n != 2)
				italic = !italic;
			i += n;
			continue;
		}
		if (!n)
			n = 1;
		for (size_t k = 0; k < n; k++, i++) {
			if (word_byte(s[i]) && ((unsigned char)s[i] & 0xC0) != 0x80) {
				words++;
				in_bold += bold;
				in_italic += italic;
			}
			buf_addc(&b, s[i]);
		}
	}
	if (emph)
		*emph = (words && in_bold == words ? DOC_BOLD : 0) |
		        (words && in_italic == words ? DOC_ITALIC : 0);
	if (!b.len)
		buf_adds(&b, "");
	return buf_steal(&b);
}

int markup_heading(const char *s, size_t len, size_t *text_at)
{
	size_t i = 0, n;

	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	for (n = 0; i + n < len && s[i + n] == '#'; n++)
		;
	if (n == 0 || n > 6 || (i + n < len && s[i + n] != ' ' && s[i + n] != '\t'))
		return 0;
	*text_at = i + n;
	return (int)n;
}

bool markup_rule(const char *s, size_t len)
{
	size_t marks = 0;

	for (size_t i = 0; i < len; i++) {
		if (strchr("*-=_", s[i]))
			marks++;
		else if (!isspace((unsigned char)s[i]))
			return false;
	}
	/* "* *" (an empty emphasis left by a page) or a rule of 3 or more. */
	return marks >= 2 && (marks >= 3 || !memchr(s, '-', len));
}
