/* read_para — see import/read_para.h. */
#include "import/read_para.h"

#include "buf.h"
#include "import/markup.h"
#include "util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* A line's text free of emphasis and outer white space (for decisions only). */
static char *plain(const struct line *l)
{
	char *s = markup_strip(l->s, l->len, NULL);
	char *t = xstrdup(util_trim(s));

	free(s);
	return t;
}

static bool starts_emphasis(const struct line *l)
{
	size_t i = 0;

	while (i < l->len && isspace((unsigned char)l->s[i]))
		i++;
	return i < l->len && (l->s[i] == '*' || l->s[i] == '_') &&
	       !(i + 1 < l->len && l->s[i + 1] == ' ' && l->s[i] == '*');
}

static bool ends_emphasis(const struct line *l)
{
	size_t n = l->len;

	while (n && isspace((unsigned char)l->s[n - 1]))
		n--;
	return n && (l->s[n - 1] == '*' || (l->s[n - 1] == '_' && n >= 2 && l->s[n - 2] == '_'));
}

/* Starts with a lower-case letter (ASCII or a Vietnamese one). */
static bool starts_lower(const char *s)
{
	size_t letters;

	if (!*s)
		return false;
	if ((unsigned char)*s < 0x80)
		return islower((unsigned char)*s);
	/* One multibyte character: lower case when it is not all capitals. */
	size_t n = 1;
	while (((unsigned char)s[n] & 0xC0) == 0x80)
		n++;
	return !lines_all_caps(s, n, &letters) && letters == 1;
}

static bool starts_capitalised_word(const char *s)
{
	size_t n = 0, letters;

	while (s[n] && s[n] != ' ')
		n++;
	return n >= 2 && !lines_all_caps(s, n, &letters) && letters >= 2 && !starts_lower(s);
}

static bool sentence_ended(const struct buf *b)
{
	size_t n = b->len;

	while (n && (isspace((unsigned char)b->data[n - 1]) || strchr("*_)", b->data[n - 1])))
		n--;
	return !n || strchr(".;:!?", b->data[n - 1]);
}

struct builder {
	struct doc *doc;
	enum doc_form form;
	struct buf raw;
	int first, last;
	bool caps; /* all that was added so far is in capitals */
	size_t letters;
	bool ends_emph; /* the last line closed an emphasis run */
};

/* Ends the open paragraph; returns it, or NULL when there was none. */
static struct doc_para *flush(struct builder *b)
{
	unsigned emph;
	size_t marker_at, text_at, n;

	if (!b->raw.len) {
		b->first = 0;
		return NULL;
	}
	char *text = markup_strip(b->raw.data, b->raw.len, &emph);
	char *t = util_trim(text);
	char *number = NULL;
	if ((n = lines_marker(t, &marker_at, &text_at)) != 0) {
		number = xstrndup(t + marker_at, n);
		t += text_at;
	}
	struct doc_para *p = doc_add_para(b->doc, b->form, number, t, strlen(t),
	                                  (struct doc_pos){.line = b->first, .end_line = b->last});
	p->emph = emph;
	free(number);
	free(text);
	buf_reset(&b->raw);
	b->first = 0;
	return p;
}

static void add_line(struct builder *b, const struct line *l, const char *plain_text)
{
	size_t letters;
	bool caps = lines_all_caps(plain_text, strlen(plain_text), &letters);

	if (!b->first) {
		b->first = l->no;
		b->caps = caps;
		b->letters = letters;
	} else {
		buf_addc(&b->raw, ' ');
		b->caps = b->caps && caps;
		b->letters += letters;
	}
	buf_add(&b->raw, l->s, l->len);
	b->last = l->no;
	b->ends_emph = ends_emphasis(l);
}

/* Does line l (plain text p) start a new paragraph after the open one? */
static bool starts_new(const struct builder *b, const struct line *l, const char *p)
{
	size_t marker_at, text_at, letters;

	if (lines_marker(p, &marker_at, &text_at))
		return true;
	if (b->ends_emph || starts_emphasis(l))
		return true;
	bool caps = lines_all_caps(p, strlen(p), &letters);
	if (b->caps && b->letters >= 4 && !caps && starts_capitalised_word(p))
		return true;
	return !b->caps && caps && letters >= 4;
}

void read_paras(const struct lines *l, size_t from, size_t to, enum doc_form form, struct doc *out)
{
	struct builder b = {.doc = out, .form = form};
	bool after_blank = false;

	for (size_t i = from; i < to; i++) {
		const struct line *line = &l->v[i];
		size_t text_at;
		int level;
		if (lines_blank(line) || markup_rule(line->s, line->len)) {
			after_blank = true;
			continue;
		}
		if ((level = markup_heading(line->s, line->len, &text_at)) != 0) {
			flush(&b);
			struct line rest = {line->s + text_at, line->len - text_at, line->no};
			char *p = plain(&rest);
			add_line(&b, &rest, p);
			free(p);
			struct doc_para *heading = flush(&b);
			if (heading)
				heading->heading = level;
			after_blank = false;
			continue;
		}
		char *p = plain(line);
		bool join;
		if (!b.first)
			join = false;
		else if (after_blank) {
			size_t marker_at;
			join = starts_lower(p) && !sentence_ended(&b.raw) &&
			       !lines_marker(p, &marker_at, &text_at);
		} else {
			join = !starts_new(&b, line, p);
		}
		if (!join)
			flush(&b);
		add_line(&b, line, p);
		free(p);
		after_blank = false;
	}
	flush(&b);
	buf_free(&b.raw);
}

char *read_para_cell(const struct line *v, size_t n, unsigned *emph)
{
	struct buf raw = BUF_INIT;

	for (size_t i = 0; i < n; i++) {
		size_t marker_at, text_at;
		char *p = plain(&v[i]);
		if (raw.len)
			buf_addc(&raw, lines_marker(p, &marker_at, &text_at) ? '\n' : ' ');
		buf_add(&raw, v[i].s, v[i].len);
		free(p);
	}
	char *text = markup_strip(raw.data ? raw.data : "", raw.len, emph);
	buf_free(&raw);
	return text;
}
