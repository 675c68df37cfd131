/* result — see import/result.h. */
#include "import/result.h"

#include "buf.h"
#include "util.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a set of strings: open addressing, linear probing ---------------------------------- */

struct set {
	char **slot;
	size_t cap, n;
};

static uint64_t hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

static bool set_has(const struct set *s, const char *key)
{
	if (!s || !s->cap)
		return false;
	for (size_t i = hash(key) & (s->cap - 1);; i = (i + 1) & (s->cap - 1)) {
		if (!s->slot[i])
			return false;
		if (!strcmp(s->slot[i], key))
			return true;
	}
}

static void set_put(struct set *s, char *key);

static void set_grow(struct set *s)
{
	struct set bigger = {xcalloc(s->cap ? s->cap * 2 : 64, sizeof(char *)),
	                     s->cap ? s->cap * 2 : 64, 0};

	for (size_t i = 0; i < s->cap; i++)
		if (s->slot[i])
			set_put(&bigger, s->slot[i]);
	free(s->slot);
	*s = bigger;
}

/* Takes ownership of key, which must not be in the set. */
static void set_put(struct set *s, char *key)
{
	if ((s->n + 1) * 2 > s->cap)
		set_grow(s);
	size_t i = hash(key) & (s->cap - 1);
	while (s->slot[i])
		i = (i + 1) & (s->cap - 1);
	s->slot[i] = key;
	s->n++;
}

static void set_free(struct set *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->cap; i++)
		free(s->slot[i]);
	free(s->slot);
	free(s);
}

/* ---- the result ------------------------------------------------------------------------- */

void result_init(struct import_result *r)
{
	memset(r, 0, sizeof(*r));
}

static void row_free(struct import_row *row)
{
	char *strings[] = {row->key,  row->index,  row->category,  row->title,
	                   row->lead, row->coord,  row->timeframe, row->result,
	                   row->note, row->status, row->raw,       row->base_key};

	for (size_t i = 0; i < UTIL_NELEM(strings); i++)
		free(strings[i]);
}

void result_free(struct import_result *r)
{
	for (size_t i = 0; i < r->n_rows; i++)
		row_free(&r->rows[i]);
	for (size_t i = 0; i < r->n_indicators; i++)
		row_free(&r->indicators[i]);
	for (size_t i = 0; i < r->n_tables; i++) {
		columns_free(&r->tables[i].cols);
		free(r->tables[i].why);
		free(r->tables[i].label);
		free(r->tables[i].heading);
	}
	for (size_t i = 0; i < r->n_fates; i++) {
		free(r->fates[i].key);
		free(r->fates[i].why);
	}
	for (size_t i = 0; i < r->n_problems; i++)
		free(r->problems[i].what);
	free(r->rows), free(r->indicators), free(r->tables), free(r->fates), free(r->problems);
	free(r->number), free(r->issued), free(r->title), free(r->monitor), free(r->issuer);
	set_free(r->keys);
	memset(r, 0, sizeof(*r));
}

static void *grow(void *v, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return v;
	*cap = *cap ? *cap * 2 : 16;
	return xrealloc(v, *cap * size);
}

struct import_row *result_add_row(struct import_result *r, enum import_layout layout,
                                  struct doc_pos pos)
{
	r->rows = grow(r->rows, &r->cap_rows, r->n_rows, sizeof(*r->rows));
	struct import_row *row = &r->rows[r->n_rows++];
	memset(row, 0, sizeof(*row));
	row->layout = layout;
	row->pos = pos;
	row->line = pos.line;
	r->per_layout[layout]++;
	return row;
}

struct import_row *result_add_indicator(struct import_result *r, struct doc_pos pos)
{
	r->indicators =
	    grow(r->indicators, &r->cap_indicators, r->n_indicators, sizeof(*r->indicators));
	struct import_row *row = &r->indicators[r->n_indicators++];
	memset(row, 0, sizeof(*row));
	row->layout = IMPORT_TABLE;
	row->pos = pos;
	row->line = pos.line;
	return row;
}

void result_fate(struct import_result *r, size_t block, struct doc_pos pos, enum import_fate fate,
                 const char *key, const char *fmt, ...)
{
	va_list ap;
	char why[400];

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	r->fates = grow(r->fates, &r->cap_fates, r->n_fates, sizeof(*r->fates));
	r->fates[r->n_fates++] =
	    (struct import_fate_note){block, pos, fate, key ? xstrdup(key) : NULL, xstrdup(why)};
}

void result_problem(struct import_result *r, struct doc_pos pos, const char *fmt, ...)
{
	va_list ap;
	char what[512];

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	r->problems = grow(r->problems, &r->cap_problems, r->n_problems, sizeof(*r->problems));
	r->problems[r->n_problems++] = (struct import_problem){pos, xstrdup(what)};
}

struct import_table_read *result_add_table(struct import_result *r, size_t block,
                                           struct doc_pos pos, enum doc_form form,
                                           enum import_table_kind kind)
{
	r->tables = grow(r->tables, &r->cap_tables, r->n_tables, sizeof(*r->tables));
	struct import_table_read *t = &r->tables[r->n_tables++];
	memset(t, 0, sizeof(*t));
	t->block = block;
	t->pos = pos;
	t->form = form;
	t->kind = kind;
	return t;
}

bool result_key_taken(const struct import_result *r, const char *key)
{
	return set_has(r->keys, key);
}

char *result_unique_key(struct import_result *r, const char *key)
{
	struct buf b = BUF_INIT;

	if (!r->keys)
		r->keys = xcalloc(1, sizeof(struct set));
	buf_adds(&b, key);
	for (int n = 2; set_has(r->keys, buf_str(&b)); n++) {
		buf_reset(&b);
		buf_printf(&b, "%s#%d", key, n);
	}
	set_put(r->keys, xstrdup(buf_str(&b)));
	return buf_steal(&b);
}

#define FIELD_MAX 16384

void result_append(char **field, const char *more, const char *sep)
{
	if (!more || !*more || (*field && strlen(*field) > FIELD_MAX))
		return;
	if (!*field || !**field) {
		free(*field);
		*field = xstrdup(more);
		return;
	}
	struct buf b = BUF_INIT;
	buf_printf(&b, "%s%s%s", *field, sep, more);
	free(*field);
	*field = buf_steal(&b);
}

void result_one_line(char **s)
{
	if (!*s)
		return;
	char *out = *s;
	bool gap = false;
	for (const char *p = *s; *p;) {
		size_t nbsp = (unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xA0 ? 2 : 0;
		if (nbsp || *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' ||
		    *p == '\v') {
			gap = out != *s;
			p += nbsp ? nbsp : 1;
			continue;
		}
		if (gap)
			*out++ = ' ';
		gap = false;
		*out++ = *p++;
	}
	*out = '\0';
}

int result_cut(const char *s, int max)
{
	int n = (int)strnlen(s, (size_t)max);

	while (n > 0 && s[n] && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return n;
}

const char *import_layout_name(enum import_layout l)
{
	static const char *const names[] = {"table", "prose", "duty"};

	return (unsigned)l < UTIL_NELEM(names) ? names[l] : "?";
}

const char *import_fate_name(enum import_fate f)
{
	static const char *const names[FATE_KINDS] = {
	    [FATE_TASK] = "task",
	    [FATE_INDICATOR] = "indicator",
	    [FATE_DUTY] = "duty",
	    [FATE_SECTION] = "section",
	    [FATE_HEADER] = "header",
	    [FATE_REPEATED_HEADER] = "header again",
	    [FATE_COLUMN_NUMBERS] = "column numbers",
	    [FATE_CONTINUATION] = "continuation",
	    [FATE_TAIL] = "end of the row above",
	    [FATE_LABEL] = "label",
	    [FATE_ITEM] = "item",
	    [FATE_TEXT] = "text",
	    [FATE_NOISE] = "noise",
	    [FATE_UNREAD] = "not read",
	};

	return (unsigned)f < FATE_KINDS ? names[f] : "?";
}
