/* meaning — see import/meaning.h. */
#include "import/meaning.h"

#include "buf.h"
#include "import/legend.h"
#include "import/lists.h"
#include "import/plan_facts.h"
#include "import/tables.h"
#include "import/words.h"
#include "util.h"

#include <ctype.h>
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

/* word ("chủ trì", "phối hợp"; any case of its first letter) in s as a marker after a
 * name: where it starts (at its '(' if any); *len its length. */
static const char *marker(const char *s, const char *word, size_t *len)
{
	size_t wl = strlen(word);

	for (const char *p = s; (p = strstr(p, word + 1)) != NULL; p++) {
		if (p == s || tolower((unsigned char)p[-1]) != word[0])
			continue;
		const char *at = p - 1, *end = p + wl - 1;
		if (at == s || !strchr(" (\n", at[-1]) || !strchr(" ),;.\n", *end))
			continue;
		at--;
		while (at > s && at[0] == ' ')
			at--;
		if (*at != '(')
			at++;
		end += *end == ')';
		*len = (size_t)(end - at);
		return at;
	}
	return NULL;
}

/* Cuts every "(phối hợp)" / trailing "phối hợp" out of s, in place. */
static void drop_marker(char *s, const char *word)
{
	const char *at;
	size_t len;

	while ((at = marker(s, word, &len)) != NULL) {
		char *w = s + (at - s);
		memmove(w, w + len, strlen(w + len) + 1);
	}
}

/* Where the last of several names before the marker starts ("Sở B, Sở A (chủ trì)"). */
static size_t last_name(const char *s, size_t n)
{
	size_t start = 0;

	for (size_t i = 0; i < n; i++)
		if (s[i] == ',' || s[i] == ';' || s[i] == '\n') {
			const char *next = s + i + 1 + strspn(s + i + 1, " \n");
			if (words_org_name(next))
				start = (size_t)(next - s);
		}
	return start;
}

/*
 * One cell for all who carry a task out, "Sở A (chủ trì), Sở B, Sở C" or
 * "Sở A chủ trì; Sở B phối hợp": the name marked to lead leads, the
 * others coordinate.
 */
/* s starts with word and a colon ("Chủ trì: …", "phối hợp :"): where the value starts, or NULL. */
static const char *label_value(const char *s, const char *word)
{
	size_t wl = strlen(word);

	if (tolower((unsigned char)s[0]) != word[0] || strncmp(s + 1, word + 1, wl - 1))
		return NULL;
	s += wl;
	s += strspn(s, " ");
	return *s == ':' ? s + 1 + strspn(s + 1, " ") : NULL;
}

/* "Chủ trì: Sở A; phối hợp: Sở B, Sở C", "Sở A; phối hợp: Sở B": a cell in the labels of
 * list form. */
static bool labelled_lead(struct import_row *row)
{
	const char *value = label_value(row->lead, "chủ trì"), *coord = NULL;
	bool named = value != NULL;

	if (!value)
		value = row->lead; /* "Sở A; phối hợp: Sở B" */
	const char *end = value;
	for (; *end; end++)
		if ((end == value ? named : strchr(" ;,.\n", end[-1]) != NULL) &&
		    (coord = label_value(end, "phối hợp")))
			break;
	if (!named && !coord)
		return false;
	size_t n = (size_t)(end - value);
	while (n && strchr(" ,;.\n", value[n - 1]))
		n--;
	char *lead = xstrndup(value, n);
	if (coord && *coord)
		result_append(&row->coord, coord, "; ");
	free(row->lead);
	row->lead = lead;
	return true;
}

static void marked_lead(struct import_row *row)
{
	size_t len;

	if (row->lead && labelled_lead(row))
		return;
	const char *at = row->lead ? marker(row->lead, "chủ trì", &len) : NULL;

	if (!at || at == row->lead)
		return;
	const char *text = row->lead;
	int open = 0;
	for (const char *p = text; p < at; p++)
		open += (*p == '(') - (*p == ')');
	if (open > 0)
		return; /* "UBND các xã (Phòng Kinh tế chủ trì)": a note inside a name, kept */
	size_t from = last_name(text, (size_t)(at - text));
	char *lead = xstrndup(text + from, (size_t)(at - text) - from);
	struct buf others = BUF_INIT;
	if (from) {
		buf_add(&others, text, from);
	}
	const char *rest = at + len;
	rest += strspn(rest, " ,;.\n");
	/* "Sở A chủ trì, phối hợp với Sở B": the partners after their words. */
	if (tolower((unsigned char)rest[0]) == 'p' &&
	    !strncmp(rest + 1, "hối hợp", strlen("hối hợp"))) {
		rest += strlen("phối hợp");
		rest += strspn(rest, " :");
		if (!strncmp(rest, "với ", strlen("với ")))
			rest += strlen("với ");
	}
	buf_adds(&others, rest);
	char *coord = buf_steal(&others);
	if (coord) {
		drop_marker(coord, "phối hợp");
		size_t n = strlen(coord);
		while (n && strchr(" ,;.\n", coord[n - 1]))
			coord[--n] = '\0';
		if (*coord)
			result_append(&row->coord, coord, "; ");
	}
	free(coord);
	free(row->lead);
	row->lead = lead;
}

static void tidy_row(struct import_row *row)
{
	result_one_line(&row->index);
	result_one_line(&row->category);
	result_one_line(&row->title);
	result_one_line(&row->timeframe);
	marked_lead(row);
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

/* "Sở TC" as the plan's own list of abbreviations says: "Sở Tài chính". */
static void expand(const struct legend *l, char **cell)
{
	char *full = legend_apply(l, *cell);

	free(*cell);
	*cell = full;
}

static void apply_legend(const struct doc *d, struct import_result *r)
{
	struct legend l;

	legend_read(d, &l);
	for (size_t i = 0; i < r->n_rows && l.n; i++) {
		expand(&l, &r->rows[i].lead);
		expand(&l, &r->rows[i].coord);
	}
	if (l.n)
		expand(&l, &r->monitor);
	legend_free(&l);
}

void meaning_read(const struct doc *d, struct import_result *r)
{
	tables_read(d, r);
	lists_read(d, r);
	lost_separators(d, r);
	plan_facts_read(d, r);
	apply_legend(d, r);
	finish_keys(r);
	for (size_t i = 0; i < r->n_rows; i++)
		tidy_row(&r->rows[i]);
	for (size_t i = 0; i < r->n_indicators; i++)
		tidy_row(&r->indicators[i]);
}
