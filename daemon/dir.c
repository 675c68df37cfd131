/*
 * dir — see dir.h.
 *
 * The index is a sorted array of (name key, entity) searched with bsearch:
 * a directory has a few hundred names, and it is rebuilt on every reload.
 */
#include "dir.h"

#include "buf.h"
#include "text.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

struct dir_name {
	char *key;
	enum dir_kind kind;
	const char *id;
};

/*
 * Words between names that join them ("và") or qualify the one before ("có
 * liên quan", "trên địa bàn"), and the head of a list ("các Sở: A, B").
 */
static const char *const joiner_phrases[] = {"và", "có liên quan", "liên quan", "trên địa bàn"};
#define N_JOINERS (sizeof(joiner_phrases) / sizeof(joiner_phrases[0]))

struct dir {
	const struct cfg *cfg;
	struct dir_name *names;
	size_t n_names;
	int max_words;            /* the longest name, in words */
	char *joiners[N_JOINERS]; /* keys of joiner_phrases */
	char *list_head;          /* key of "các sở" */
};

static int cmp_name(const void *a, const void *b)
{
	return strcmp(((const struct dir_name *)a)->key, ((const struct dir_name *)b)->key);
}

static int count_words(const char *key)
{
	int n = *key ? 1 : 0;

	for (; *key; key++)
		n += *key == ' ';
	return n;
}

static void index_name(struct dir *d, const char *name, enum dir_kind kind, const char *id)
{
	char *key = text_name_key(name);

	if (!*key) {
		free(key);
		return;
	}
	d->names = xrealloc(d->names, (d->n_names + 1) * sizeof(*d->names));
	d->names[d->n_names++] = (struct dir_name){key, kind, id};
	int w = count_words(key);
	if (w > d->max_words)
		d->max_words = w;
}

struct dir *dir_new(const struct cfg *c)
{
	struct dir *d = xcalloc(1, sizeof(*d));

	d->cfg = c;
	for (size_t i = 0; i < c->n_agencies; i++) {
		const struct cfg_agency *a = &c->agencies[i];
		index_name(d, a->name ? a->name : a->id, DIR_AGENCY, a->id);
		for (size_t k = 0; k < a->aliases.n; k++)
			index_name(d, a->aliases.v[k], DIR_AGENCY, a->id);
	}
	for (size_t i = 0; i < c->n_groups; i++) {
		const struct cfg_group *g = &c->groups[i];
		index_name(d, g->name ? g->name : g->id, DIR_GROUP, g->id);
		for (size_t k = 0; k < g->aliases.n; k++)
			index_name(d, g->aliases.v[k], DIR_GROUP, g->id);
	}
	if (d->n_names) /* qsort(NULL, 0) is undefined behaviour */
		qsort(d->names, d->n_names, sizeof(*d->names), cmp_name);
	for (size_t i = 0; i < N_JOINERS; i++)
		d->joiners[i] = text_name_key(joiner_phrases[i]);
	d->list_head = text_name_key("các sở");
	return d;
}

void dir_free(struct dir *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n_names; i++)
		free(d->names[i].key);
	for (size_t i = 0; i < N_JOINERS; i++)
		free(d->joiners[i]);
	free(d->list_head);
	free(d->names);
	free(d);
}

static const struct dir_name *find_key(const struct dir *d, const char *key)
{
	struct dir_name probe = {(char *)key, DIR_UNRESOLVED, NULL};

	if (!d->n_names)
		return NULL;
	return bsearch(&probe, d->names, d->n_names, sizeof(*d->names), cmp_name);
}

enum dir_kind dir_lookup(const struct dir *d, const char *name, const char **id)
{
	char *key = text_name_key(name);
	const struct dir_name *n = find_key(d, key);

	free(key);
	*id = n ? n->id : NULL;
	return n ? n->kind : DIR_UNRESOLVED;
}

/* ---- splitting a cell -------------------------------------------------- */

/* A word of the cell: its key, where it is, and what separates it from the next. */
struct word {
	char *key;
	size_t start, end;
	char sep_after; /* ';' hard, ',' soft, ' ' none */
};

static bool word_cp(utf8proc_int32_t cp)
{
	const utf8proc_property_t *p = utf8proc_get_property(cp);

	return (p->category >= UTF8PROC_CATEGORY_LU && p->category <= UTF8PROC_CATEGORY_LO) ||
	       p->category == UTF8PROC_CATEGORY_ND || p->category == UTF8PROC_CATEGORY_MN ||
	       p->category == UTF8PROC_CATEGORY_MC;
}

static size_t next_cp(const char *s, size_t i, size_t len, utf8proc_int32_t *cp)
{
	utf8proc_ssize_t n =
	    utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), cp);
	if (n <= 0) {
		*cp = -1;
		return 1;
	}
	return (size_t)n;
}

/* Words as text_name_key sees them; '&' is a word of its own ("và"). */
static size_t cut_words(const char *s, struct word *w, size_t max)
{
	size_t len = strlen(s), i = 0, n = 0;

	while (i < len && n < max) {
		utf8proc_int32_t cp;
		size_t step = next_cp(s, i, len, &cp);
		if (cp == '&' || word_cp(cp)) {
			size_t start = i;
			if (cp == '&')
				i += step;
			else
				while (i < len && (step = next_cp(s, i, len, &cp)) && word_cp(cp))
					i += step;
			char *raw = xstrndup(s + start, i - start);
			w[n++] = (struct word){text_name_key(raw), start, i, ' '};
			free(raw);
			continue;
		}
		if (n && (cp == ';' || cp == ',' || cp == ':' || cp == '.' || cp == '\n'))
			if (w[n - 1].sep_after != ';')
				w[n - 1].sep_after = cp == ',' ? ',' : ';';
		i += step;
	}
	return n;
}

/* The directory entry named by words [i, j], if any. */
static const struct dir_name *match_span(const struct dir *d, const struct word *w, size_t i,
                                         size_t j)
{
	struct buf key = BUF_INIT;

	for (size_t k = i; k <= j; k++) {
		if (k > i)
			buf_addc(&key, ' ');
		buf_adds(&key, w[k].key);
	}
	const struct dir_name *n = find_key(d, buf_str(&key));
	buf_free(&key);
	return n;
}

/* The longest known name starting at word i, not crossing a ';'. */
static size_t longest_match(const struct dir *d, const struct word *w, size_t n, size_t i,
                            const struct dir_name **found)
{
	size_t end = i;

	while (end + 1 < n && end - i + 1 < (size_t)d->max_words && w[end].sep_after != ';')
		end++;
	for (size_t j = end + 1; j-- > i;)
		if ((*found = match_span(d, w, i, j)))
			return j + 1;
	*found = NULL;
	return i;
}

/* How many words at i spell the key phrase (words separated by spaces); 0 if not. */
static size_t phrase_at(const struct word *w, size_t n, size_t i, const char *phrase)
{
	size_t k = 0;

	while (*phrase && i + k < n) {
		size_t len = strcspn(phrase, " ");
		if (strlen(w[i + k].key) != len || strncmp(w[i + k].key, phrase, len) != 0)
			return 0;
		k++;
		phrase += len + (phrase[len] == ' ');
	}
	return *phrase ? 0 : k;
}

static size_t skip_joiners(const struct dir *d, const struct word *w, size_t n, size_t i)
{
	for (size_t f = 0; f < N_JOINERS && i < n; f++) {
		size_t k = phrase_at(w, n, i, d->joiners[f]);
		if (k) {
			i += k;
			f = (size_t)-1; /* start over: "và" may follow "có liên quan" */
		}
	}
	return i;
}

/* "các Sở: GTVT, Y tế" — the directory knows the bare names; drop the head. */
static size_t skip_list_head(const struct dir *d, const struct word *w, size_t n, size_t i)
{
	size_t k = phrase_at(w, n, i, d->list_head);

	return k && w[i + k - 1].sep_after == ';' ? i + k : i;
}

/* Does a known name start at word i, possibly after joining words? */
static bool known_name_at(const struct dir *d, const struct word *w, size_t n, size_t i)
{
	const struct dir_name *found;
	size_t at = skip_list_head(d, w, n, skip_joiners(d, w, n, i));

	return at < n && longest_match(d, w, n, at, &found) > at;
}

static void push_match(struct dir_match **out, size_t *n, enum dir_kind kind, const char *id,
                       const char *cell, size_t start, size_t end)
{
	*out = xrealloc(*out, (*n + 1) * sizeof(**out));
	(*out)[(*n)++] = (struct dir_match){kind, id, xstrndup(cell + start, end - start)};
}

size_t dir_split(const struct dir *d, const char *cell, struct dir_match **out)
{
	/* A word takes at least one byte ("a&b" is three words). */
	size_t cap = strlen(cell) + 1;
	struct word *w = xcalloc(cap, sizeof(*w));
	size_t n = cut_words(cell, w, cap), i = 0, count = 0;

	*out = NULL;
	while (i < n) {
		i = skip_list_head(d, w, n, skip_joiners(d, w, n, i));
		if (i >= n)
			break;
		const struct dir_name *found;
		size_t next = longest_match(d, w, n, i, &found);
		if (found) {
			push_match(out, &count, found->kind, found->id, cell, w[i].start,
			           w[next - 1].end);
			i = next;
			continue;
		}
		/*
		 * Unknown words run to the next separator, or to where a known
		 * name starts (after "và" or not): "Phòng Kế hoạch và Tài chính"
		 * is one unknown name, "Phòng X và Sở Y tế" is two.
		 */
		size_t j = i;
		while (j + 1 < n && w[j].sep_after == ' ' && !known_name_at(d, w, n, j + 1))
			j++;
		push_match(out, &count, DIR_UNRESOLVED, NULL, cell, w[i].start, w[j].end);
		i = j + 1;
	}
	for (size_t k = 0; k < n; k++)
		free(w[k].key);
	free(w);
	return count;
}

void dir_matches_free(struct dir_match *m, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(m[i].written);
	free(m);
}

/* ---- who is who -------------------------------------------------------- */

const struct cfg *dir_cfg(const struct dir *d)
{
	return d->cfg;
}

const char *dir_holder(const struct dir *d, const char *id, int64_t day)
{
	const struct cfg_agency *a = cfg_agency(d->cfg, id);

	for (size_t k = 0; a && a->successor && a->since <= day && k < d->cfg->n_agencies; k++) {
		id = a->successor;
		a = cfg_agency(d->cfg, id);
	}
	return id;
}

size_t dir_supervisors(const struct dir *d, const char *id, const char **out, size_t max)
{
	const struct cfg_agency *a = cfg_agency(d->cfg, id);
	const char *top = d->cfg->default_supervisor;
	size_t n = 0;

	while (a && n < max) {
		const char *up = a->supervisor ? a->supervisor : top;
		if (!up || !strcmp(up, a->id))
			break;
		out[n++] = up;
		a = cfg_agency(d->cfg, up);
		if (top && !strcmp(up, top))
			break;
	}
	return n;
}

const char *dir_name(const struct dir *d, const char *id)
{
	const struct cfg_agency *a = cfg_agency(d->cfg, id);
	const struct cfg_group *g = a ? NULL : cfg_group(d->cfg, id);

	if (a && a->name)
		return a->name;
	if (g && g->name)
		return g->name;
	return id;
}

const struct cfg_list *dir_emails(const struct dir *d, const char *id)
{
	const struct cfg_agency *a = cfg_agency(d->cfg, id);
	const struct cfg_group *g = a ? NULL : cfg_group(d->cfg, id);

	return a ? &a->emails : g ? &g->emails : NULL;
}
