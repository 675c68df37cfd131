/* legend — see import/legend.h. */
#include "import/legend.h"

#include "buf.h"
#include "import/words.h"
#include "text.h"
#include "util.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ABBR_MAX 60 /* bytes: an abbreviation is short */

/* s[0, len) without its bullet, spaces and closing punctuation. */
static char *trimmed(const char *s, size_t len)
{
	static const char bullet[] = "\u2022";

	for (;;) {
		if (len && strchr(" \t-+*", *s))
			s++, len--;
		else if (len >= 3 && !strncmp(s, bullet, 3))
			s += 3, len -= 3;
		else
			break;
	}
	while (len && strchr(" \t.;,", s[len - 1]))
		len--;
	return xstrndup(s, len);
}

/* "Sở TC: Sở Tài chính", "BQL KKT - Ban Quản lý …", "VP = Văn phòng": one entry. */
static void add_entry(struct legend *l, const char *s, size_t len)
{
	const char *sep = memchr(s, ':', len);
	size_t sep_len = 1;

	if (!sep) {
		static const char *const dashes[] = {" - ", " \u2013 ", " = "};
		for (size_t i = 0; i < UTIL_NELEM(dashes) && !sep; i++) {
			char *at = memmem(s, len, dashes[i], strlen(dashes[i]));
			if (at)
				sep = at, sep_len = strlen(dashes[i]);
		}
	}
	if (!sep)
		return;
	char *abbr = trimmed(s, (size_t)(sep - s));
	char *full = trimmed(sep + sep_len, len - (size_t)(sep - s) - sep_len);
	if (!*abbr || !*full || strlen(abbr) > ABBR_MAX || strlen(abbr) >= strlen(full)) {
		free(abbr);
		free(full);
		return;
	}
	l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	l->v[l->n++] = (struct legend_entry){abbr, full};
}

/* Entries of one text: parted by ';' and line breaks. Returns how many were added. */
static size_t add_entries(struct legend *l, const char *text)
{
	size_t before = l->n;

	for (const char *s = text; *s;) {
		size_t n = strcspn(s, ";\n");
		add_entry(l, s, n);
		s += n + (s[n] != 0);
	}
	return l->n - before;
}

static bool says_abbreviations(const char *text)
{
	char f[256];

	return words_has(words_fold(text, f, sizeof(f)), "viet tat");
}

/* After "… viết tắt …:", the entries written on the same line, if any. */
static const char *after_heading(const char *text)
{
	char f[WORDS_FOLD_MAX];
	uint32_t map[WORDS_FOLD_MAX];
	size_t n = text_fold(text, strlen(text), f, map, sizeof(f));
	const char *at = strstr(f, "viet tat");

	if (!at)
		return "";
	const char *colon = memchr(at, ':', n - (size_t)(at - f));
	return colon ? text + map[colon - f + 1] : "";
}

static void read_table(struct legend *l, const struct doc_table *t)
{
	for (size_t r = 1; r < t->n_rows; r++) {
		const struct doc_row *row = &t->rows[r];
		if (row->n_cells < 2)
			continue;
		struct buf b = BUF_INIT;
		/* A first column of numbers: the pair is the next two cells. */
		size_t c = row->n_cells > 2 && words_index(row->cells[0].text) ? 1 : 0;
		buf_printf(&b, "%s: %s", row->cells[c].text, row->cells[c + 1].text);
		add_entry(l, b.data, b.len);
		buf_free(&b);
	}
}

static int longest_first(const void *a, const void *b)
{
	size_t x = strlen(((const struct legend_entry *)a)->abbr);
	size_t y = strlen(((const struct legend_entry *)b)->abbr);

	return x < y ? 1 : x > y ? -1 : 0;
}

void legend_read(const struct doc *d, struct legend *out)
{
	bool open = false;

	memset(out, 0, sizeof(*out));
	for (size_t b = 0; b < d->n_blocks; b++) {
		const struct doc_block *blk = &d->blocks[b];
		if (blk->kind == DOC_TABLE) {
			const struct doc_table *t = blk->table;
			bool heads = false;
			for (size_t c = 0; t->n_rows && c < t->rows[0].n_cells && !heads; c++)
				heads = says_abbreviations(t->rows[0].cells[c].text);
			if (heads)
				read_table(out, t);
			open = false;
			continue;
		}
		const char *text = blk->para->text;
		if (says_abbreviations(text)) {
			add_entries(out, after_heading(text));
			open = true;
		} else if (open && !add_entries(out, text)) {
			open = false; /* the list ends at the first line that defines nothing */
		}
	}
	if (out->n)
		qsort(out->v, out->n, sizeof(*out->v), longest_first);
}

void legend_free(struct legend *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].abbr);
		free(l->v[i].full);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* Whether s[at, at + n) stands as a whole name in s. */
static bool whole_name(const char *s, size_t at, size_t n)
{
	size_t i = at, j = at + n;

	while (i && (s[i - 1] == ' ' || s[i - 1] == '\t'))
		i--;
	while (s[j] == ' ' || s[j] == '\t')
		j++;
	return (!i || strchr(",;\n(", s[i - 1])) && (!s[j] || strchr(",;.\n)", s[j]));
}

char *legend_apply(const struct legend *l, const char *cell)
{
	struct buf b = BUF_INIT;

	if (!cell)
		return NULL;
	for (size_t i = 0; cell[i];) {
		const struct legend_entry *hit = NULL;
		for (size_t e = 0; e < l->n && !hit; e++) {
			size_t n = strlen(l->v[e].abbr);
			if (!strncmp(cell + i, l->v[e].abbr, n) && whole_name(cell, i, n))
				hit = &l->v[e];
		}
		if (hit) {
			buf_adds(&b, hit->full);
			i += strlen(hit->abbr);
		} else {
			buf_addc(&b, cell[i++]);
		}
	}
	return b.len ? buf_steal(&b) : xstrdup("");
}
