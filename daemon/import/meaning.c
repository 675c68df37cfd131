/* meaning — see import/meaning.h. */
#include "import/meaning.h"

#include "buf.h"
#include "import/lists.h"
#include "import/plan_facts.h"
#include "import/tables.h"
#include "import/words.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

struct keyed {
	const char *key;
	int context;
};

static int cmp_keyed(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c ? c : x->context - y->context;
}

/* Table contexts whose keys another table's keys would repeat. */
static bool *colliding_contexts(const struct import_result *r)
{
	bool *collide = xcalloc(r->n_tables + 1, sizeof(*collide));
	struct keyed *v = xcalloc(r->n_rows + 1, sizeof(*v));
	size_t n = 0;

	for (size_t i = 0; i < r->n_rows; i++)
		if (r->rows[i].context >= 0)
			v[n++] = (struct keyed){r->rows[i].base_key, r->rows[i].context};
	if (n)
		qsort(v, n, sizeof(*v), cmp_keyed);
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && !strcmp(v[j].key, v[i].key))
			j++;
		if (v[j - 1].context != v[i].context)
			for (size_t k = i; k < j; k++)
				collide[v[k].context] = true;
		i = j;
	}
	free(v);
	return collide;
}

static void finish_keys(struct import_result *r)
{
	bool *collide = colliding_contexts(r);

	for (size_t i = 0; i < r->n_rows; i++) {
		struct import_row *row = &r->rows[i];
		struct buf key = BUF_INIT;
		if (row->context >= 0 && collide[row->context]) {
			const struct import_table_read *t = &r->tables[row->context];
			buf_printf(&key, "%s.%s", t->label, row->base_key);
			if (t->heading) {
				struct buf cat = BUF_INIT;
				buf_adds(&cat, t->heading);
				if (row->category)
					buf_printf(&cat, " / %s", row->category);
				free(row->category);
				row->category = buf_steal(&cat);
			}
		} else {
			buf_adds(&key, row->base_key);
		}
		free(row->key);
		row->key = result_unique_key(r, buf_str(&key));
		buf_free(&key);
	}
	free(collide);
}

/* Names on separate lines stay apart; every other white space run is one space. */
static void tidy_names(char **s)
{
	if (!*s)
		return;
	char *out = *s;
	bool gap = false, newline = false;
	for (const char *p = *s; *p; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') {
			gap = out != *s;
			newline |= *p == '\n';
			continue;
		}
		if (gap)
			*out++ = newline ? '\n' : ' ';
		gap = newline = false;
		*out++ = *p;
	}
	*out = '\0';
	if (!**s) {
		free(*s);
		*s = NULL;
	}
}

static void tidy_row(struct import_row *row)
{
	result_one_line(&row->index);
	result_one_line(&row->category);
	result_one_line(&row->title);
	result_one_line(&row->timeframe);
	tidy_names(&row->lead);
	tidy_names(&row->coord);
	if (row->index && !*row->index) {
		free(row->index);
		row->index = NULL;
	}
	if (!row->timeframe)
		row->timeframe = xstrdup("");
	if (!row->title)
		row->title = xstrdup("");
	if (!row->raw)
		row->raw = xstrdup("");
}

/* The first words of a folded paragraph: a table's header cells, if any. */
#define HEADER_HEAD 200

/*
 * A task table whose cells lost what separated them, as text taken out of
 * a PDF without its layout comes: the header "STT / Tên nhiệm vụ / Cơ quan
 * chủ trì / … / Thời gian hoàn thành" one cell per line, then each row's
 * cells line after line, wrapped, with nothing to tell where one cell ends
 * (an agency's name and the next cell's words run on). Nothing is guessed
 * from it: the admin is told where it is and what to import instead.
 */
static void lost_separators(const struct doc *d, struct import_result *r)
{
	const struct doc_para *first = NULL;
	size_t more = 0;

	for (size_t b = 0; b < d->n_blocks; b++) {
		char buf[WORDS_FOLD_MAX];
		if (d->blocks[b].kind != DOC_PARAGRAPH)
			continue;
		const char *f = words_fold(d->blocks[b].para->text, buf, sizeof(buf));
		if (!words_starts(f, "stt") && !words_starts(f, "tt") && !words_starts(f, "so tt"))
			continue;
		if (strlen(f) > HEADER_HEAD)
			buf[(f - buf) + HEADER_HEAD] = '\0';
		if (!words_has(f, "chu tri") ||
		    (!words_has(f, "thoi gian") && !words_has(f, "thoi han") &&
		     !words_has(f, "tien do")))
			continue;
		if (first)
			more++;
		else
			first = d->blocks[b].para;
	}
	if (first)
		result_problem(
		    r, first->pos,
		    "a task table's header with its cells on lines of their own and "
		    "nothing between them%s: text taken out of a PDF without its layout, "
		    "whose rows cannot be told apart; import the PDF or Word file itself",
		    more ? " (it comes again further on)" : "");
}

void meaning_read(const struct doc *d, struct import_result *r)
{
	tables_read(d, r);
	lists_read(d, r);
	lost_separators(d, r);
	plan_facts_read(d, r);
	finish_keys(r);
	for (size_t i = 0; i < r->n_rows; i++)
		tidy_row(&r->rows[i]);
	for (size_t i = 0; i < r->n_indicators; i++)
		tidy_row(&r->indicators[i]);
}
