/*
 * dir — see dir.h.
 *
 * The index is a sorted array of (name key, entity) searched with bsearch:
 * a directory has a few hundred names, and it is rebuilt on every reload.
 */
#include "dir.h"

#include "buf.h"
#include "import/words.h"
#include "text.h"
#include "util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

struct dir_name {
	char *key;
	enum dir_kind kind;
	const char *id;
	bool derived; /* a short or full form of a name the directory writes (below) */
};

/*
 * The standard short forms of administrative words, taken either way: a
 * name the directory writes "Ban Quản lý Khu kinh tế Dung Quất và các Khu
 * công nghiệp" is found written "BQL KKT Dung Quất và các KCN", and
 * "UBND các huyện, thị xã, thành phố" written "UBND các huyện, TX, TP" —
 * without an alias for every mix of the two.
 */
static const char *const short_forms[][2] = {{"Ủy ban nhân dân", "UBND"},
                                             {"Hội đồng nhân dân", "HĐND"},
                                             {"Khu kinh tế", "KKT"},
                                             {"Khu công nghiệp", "KCN"},
                                             {"Ban Quản lý", "BQL"},
                                             {"Văn phòng", "VP"},
                                             {"thị xã", "TX"},
                                             {"thành phố", "TP"},
                                             {"Mặt trận Tổ quốc", "MTTQ"}};
#define N_SHORT_FORMS (sizeof(short_forms) / sizeof(short_forms[0]))
#define MAX_VARIANTS  32 /* forms of one name, itself included */

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
	int max_words; /* the longest name, in words */
	size_t cap_names;
	char *joiners[N_JOINERS]; /* keys of joiner_phrases */
	char *list_head;          /* key of "các sở" */
	char *short_keys[N_SHORT_FORMS][2];
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

/* key with every whole-word occurrence of from made to; NULL when none. */
static char *replace_words(const char *key, const char *from, const char *to)
{
	struct buf b = BUF_INIT;
	size_t n = strlen(from);
	bool any = false;

	for (const char *s = key; *s;) {
		bool at_word = s == key || s[-1] == ' ';
		if (at_word && !strncmp(s, from, n) && (s[n] == ' ' || !s[n])) {
			buf_adds(&b, to);
			s += n;
			any = true;
		} else {
			buf_addc(&b, *s++);
		}
	}
	if (!any) {
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b);
}

static void add_name(struct dir *d, char *key, enum dir_kind kind, const char *id, bool derived)
{
	if (d->n_names == d->cap_names)
		d->names =
		    xrealloc(d->names, (d->cap_names = d->cap_names ? 2 * d->cap_names : 256) *
		                           sizeof(*d->names));
	d->names[d->n_names++] = (struct dir_name){key, kind, id, derived};
	int w = count_words(key);
	if (w > d->max_words)
		d->max_words = w;
}

/* A name, and its forms with the standard short forms taken either way. */
static void index_name(struct dir *d, const char *name, enum dir_kind kind, const char *id)
{
	char *v[MAX_VARIANTS];
	size_t n = 1;

	v[0] = text_name_key(name);
	if (!*v[0]) {
		free(v[0]);
		return;
	}
	for (size_t i = 0; i < N_SHORT_FORMS; i++)
		for (int way = 0; way < 2; way++)
			for (size_t k = 0, had = n; k < had && n < MAX_VARIANTS; k++) {
				char *r = replace_words(v[k], d->short_keys[i][way],
				                        d->short_keys[i][!way]);
				bool seen = false;
				for (size_t j = 0; r && j < n && !seen; j++)
					seen = !strcmp(v[j], r);
				if (r && !seen)
					v[n++] = r;
				else
					free(r);
			}
	for (size_t k = 0; k < n; k++)
		add_name(d, v[k], kind, id, k > 0);
}

/*
 * After sorting, one entry per key. A key written in the directory wins
 * over a derived form of another name; two derived forms that name
 * different entities are no name at all.
 */
static void dedupe_names(struct dir *d)
{
	size_t out = 0;

	for (size_t i = 0; i < d->n_names;) {
		size_t end = i + 1, written = SIZE_MAX;
		bool differ = false;
		for (; end < d->n_names && !strcmp(d->names[end].key, d->names[i].key); end++)
			differ |= d->names[end].id != d->names[i].id &&
			          strcmp(d->names[end].id, d->names[i].id);
		for (size_t k = i; k < end && written == SIZE_MAX; k++)
			if (!d->names[k].derived)
				written = k;
		size_t keep = written != SIZE_MAX ? written : differ ? SIZE_MAX : i;
		for (size_t k = i; k < end; k++) {
			if (k == keep)
				d->names[out++] = d->names[k];
			else
				free(d->names[k].key);
		}
		i = end;
	}
	d->n_names = out;
}

struct dir *dir_new(const struct cfg *c)
{
	struct dir *d = xcalloc(1, sizeof(*d));

	d->cfg = c;
	for (size_t i = 0; i < N_SHORT_FORMS; i++)
		for (int way = 0; way < 2; way++)
			d->short_keys[i][way] = text_name_key(short_forms[i][way]);
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
	dedupe_names(d);
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
	for (size_t i = 0; i < N_SHORT_FORMS; i++)
		for (int way = 0; way < 2; way++)
			free(d->short_keys[i][way]);
	free(d->list_head);
	free(d->names);
	free(d);
}

static const struct dir_name *find_key(const struct dir *d, const char *key)
{
	struct dir_name probe = {.key = (char *)key, .kind = DIR_UNRESOLVED};

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

/*
 * A cell is read word by word. Names are separated for sure by ';', a line
 * break, a bullet, "(1)" or a full stop; a ',' or "và" separates two names
 * only where a new one starts: a name the directory knows, or an
 * organisation's head word (words_org_head) written as a name begins —
 * "Bộ", "Sở", "UBND", "Trung tâm" with a capital, or "các", "những" —
 * so that "Bộ Văn hóa, Thể thao và Du lịch" stays one name. Inside a
 * collective ("các bộ, ngành, địa phương") only a strong head followed by a
 * proper name ("UBND các tỉnh", "Ủy ban nhân dân", "Sở Tài chính") starts
 * another. Nothing is split inside parentheses.
 */

enum sep { SEP_NONE, SEP_SOFT, SEP_HARD };

/* A word of the cell: its key, where it is, what separates it from the next. */
struct word {
	char *key;
	size_t start, end;
	enum sep sep_after;
	int depth;         /* parentheses open around it */
	bool capital;      /* written with a capital first letter */
	bool sentence_end; /* a '.' or a line break after it: a list head ends there */
	char stop;         /* the first of ';', ':', '.', '\n' after it, or 0 */
	bool enumerator;   /* "(1)", "a)": a list's marker, not a word of a name */
	bool acronym;      /* three capitals or more: "NHNN", "TTXVN", "BHXH" */
};

/* An organisation's initials are written in capitals, three or more
 * ("NHNNVN", "EVN"); "TX", "TP" in "UBND các huyện, TX, TP" are two. */
static bool acronym_word(const char *s)
{
	utf8proc_int32_t cp;
	size_t letters = 0;

	for (utf8proc_ssize_t k;
	     *s && (k = utf8proc_iterate((const utf8proc_uint8_t *)s, -1, &cp)) > 0; s += k) {
		if (utf8proc_category(cp) != UTF8PROC_CATEGORY_LU)
			return false;
		letters++;
	}
	return !*s && letters >= 3;
}

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

static void mark_sep(struct word *w, size_t n, enum sep sep)
{
	if (n && w[n - 1].sep_after < sep)
		w[n - 1].sep_after = sep;
}

/* Words as text_name_key sees them; '&' is a word of its own ("và"). */
static size_t cut_words(const char *s, struct word *w, size_t max)
{
	size_t len = strlen(s), i = 0, n = 0;
	int depth = 0;
	bool line_start = true;

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
			utf8proc_int32_t first;
			next_cp(raw, 0, strlen(raw), &first);
			w[n] = (struct word){.key = text_name_key(raw),
			                     .start = start,
			                     .end = i,
			                     .sep_after = SEP_NONE,
			                     .depth = depth,
			                     .capital =
			                         utf8proc_category(first) == UTF8PROC_CATEGORY_LU,
			                     .acronym = acronym_word(raw)};
			/* "(1)" or "a)" opening a line or following a separator: a marker. */
			bool closes = i < len && s[i] == ')';
			bool short_word = i - start <= 2;
			if (closes && short_word &&
			    ((start > 0 && s[start - 1] == '(') || line_start ||
			     (n && w[n - 1].sep_after != SEP_NONE))) {
				w[n].enumerator = true;
				mark_sep(w, n, SEP_HARD);
			}
			free(raw);
			line_start = false;
			n++;
			continue;
		}
		if (cp == '(')
			depth++;
		else if (cp == ')' && depth)
			depth--;
		else if (cp == ';' || cp == '\n' || cp == '.' || cp == ':') {
			mark_sep(w, n, depth && cp != '\n' ? SEP_SOFT : SEP_HARD);
			if ((cp == '.' || cp == '\n') && n)
				w[n - 1].sentence_end = true;
			if (n && !w[n - 1].stop)
				w[n - 1].stop = (char)cp;
		} else if (cp == ',')
			mark_sep(w, n, SEP_SOFT);
		else if ((cp == '-' || cp == '+' || cp == 0x2022) && line_start)
			mark_sep(w, n, SEP_HARD); /* a bullet */
		if (cp == '\n')
			line_start = true;
		else if (cp != ' ' && cp != '\t' && cp != '-' && cp != '+' && cp != 0x2022)
			line_start = false;
		i += step;
	}
	/* A marker is no word of a name: the word before it ends one. */
	for (size_t k = 0; k < n; k++)
		if (w[k].enumerator && k)
			mark_sep(w, k, SEP_HARD);
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

/* The longest known name starting at word i, not crossing a hard separator. */
static size_t longest_match(const struct dir *d, const struct word *w, size_t n, size_t i,
                            const struct dir_name **found)
{
	size_t end = i;

	while (end + 1 < n && end - i + 1 < (size_t)d->max_words && w[end].sep_after != SEP_HARD &&
	       !w[end + 1].enumerator)
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
	while (i < n && w[i].enumerator)
		i++;
	return i;
}

/* "các", "những": a collective's first word, in any case or spelling. */
static bool collective_word(const char *key)
{
	char f[16];

	if (strlen(key) > 12)
		return false;
	text_fold(key, strlen(key), f, NULL, sizeof(f));
	return !strcmp(f, "cac") || !strcmp(f, "nhung");
}

/*
 * "các Sở: GTVT, Y tế", "Các Cục: Di sản văn hóa; Bản quyền tác giả" — a
 * list of names of one kind: the head is dropped (the directory knows the
 * bare names), and remembered in *head_at (the word of the head) so that an
 * unknown item is named whole ("Cục Bản quyền tác giả").
 */
static size_t list_head_at(const struct dir *d, const struct word *w, size_t n, size_t i,
                           size_t *head_word)
{
	size_t k = i < n ? phrase_at(w, n, i, d->list_head) : 0;

	if (i >= n)
		return i;
	if (k && w[i + k - 1].sep_after == SEP_HARD && i + k < n) {
		*head_word = i + 1;
		return i + k;
	}
	if (!collective_word(w[i].key) || i + 2 >= n || w[i + 1].sep_after != SEP_HARD)
		return i;
	if (!words_org_head(w[i + 1].key) || w[i + 1].stop != ':')
		return i;
	*head_word = i + 1;
	return i + 2;
}

static size_t skip_list_head(const struct dir *d, const struct word *w, size_t n, size_t i)
{
	size_t head;

	return list_head_at(d, w, n, i, &head);
}

/* Does a known name start at word i, possibly after joining words? */
static bool known_name_at(const struct dir *d, const struct word *w, size_t n, size_t i)
{
	const struct dir_name *found;
	size_t at = skip_list_head(d, w, n, skip_joiners(d, w, n, i));

	return at < n && longest_match(d, w, n, at, &found) > at;
}

/*
 * The words of an office holder's title at i before an agency's name
 * ("Giám đốc Sở Y tế", "Chủ tịch UBND các xã"): a task given to the head
 * of an agency is the agency's. 0 when none.
 */
static size_t title_words(const struct word *w, size_t n, size_t i)
{
	struct buf key = BUF_INIT;
	size_t words = 0;

	for (size_t k = i; k < n && k < i + 6 && (k == i || w[k - 1].sep_after == SEP_NONE); k++) {
		buf_adds(&key, k > i ? " " : "");
		buf_adds(&key, w[k].key);
	}
	size_t len = key.len ? words_office_title(buf_str(&key)) : 0;
	for (size_t b = 0; b < len; b++)
		words += key.data[b] == ' ';
	buf_free(&key);
	return words;
}

/* The key of words [i, i + 3], for head words of more than one word; a
 * one-word head that is also a common word ("Báo cáo", "Ban hành", "sở
 * hữu") heads a name only before a capital or "các". */
static bool head_at(const struct word *w, size_t n, size_t i)
{
	struct buf key = BUF_INIT;

	for (size_t k = i; k < n && k < i + 4; k++) {
		buf_adds(&key, k > i ? " " : "");
		buf_adds(&key, w[k].key);
	}
	bool head = words_org_head(buf_str(&key)) > 0;
	if (!head && w[i].capital)
		head = title_words(w, n, i) > 0;
	else if (head && words_org_head_weak(buf_str(&key)))
		head = i + 1 < n && !w[i + 1].enumerator &&
		       (w[i + 1].capital || collective_word(w[i + 1].key));
	buf_free(&key);
	return head;
}

/* Words [i, j] are nothing but head words ("Bộ", "Trung tâm", "Sở Sở"). */
static bool words_org_head_span(const struct word *w, size_t i, size_t j)
{
	struct buf key = BUF_INIT;
	size_t at = 0;
	bool only = true;

	for (size_t k = i; k <= j; k++) {
		buf_adds(&key, k > i ? " " : "");
		buf_adds(&key, w[k].key);
	}
	while (only && at < key.len) {
		size_t h = words_org_head(key.data + at);
		only = h > 0;
		at += h + (key.data[at + h] == ' ');
	}
	buf_free(&key);
	return only;
}

/* Words [i, j] are a mission body's head alone ("Ban Chỉ đạo"): its name goes on. */
static bool mission_head_span(const struct word *w, size_t i, size_t j)
{
	struct buf key = BUF_INIT;

	for (size_t k = i; k <= j; k++) {
		buf_adds(&key, k > i ? " " : "");
		buf_adds(&key, w[k].key);
	}
	bool head = words_mission_head(buf_str(&key));
	buf_free(&key);
	return head;
}

/* A word that opens another name after a ',' or "và" (see the top). */
static bool new_name_at(const struct word *w, size_t n, size_t i, bool in_collective)
{
	char first[32];

	if (i >= n || w[i].depth)
		return false;
	text_fold(w[i].key, strlen(w[i].key), first, NULL, sizeof(first));
	if (collective_word(w[i].key))
		return !in_collective;
	if (!w[i].capital || !head_at(w, n, i))
		return false;
	if (!in_collective)
		return true;
	/* Inside "các bộ, ngành, …": "UBND các tỉnh", "Sở Tài chính", "Ủy ban nhân dân". */
	return i + 1 < n && (w[i + 1].capital || collective_word(w[i + 1].key) ||
	                     !strcmp(first, "uy") || !strcmp(first, "ubnd"));
}

/* The folded text of words [i, i + 3], for phrases that end a name. */
static void fold_from(const struct word *w, size_t n, size_t i, char *out, size_t cap)
{
	struct buf b = BUF_INIT;

	for (size_t k = i; k < n && k < i + 4; k++) {
		buf_adds(&b, k > i ? " " : "");
		buf_adds(&b, w[k].key);
	}
	text_fold(buf_str(&b), b.len, out, NULL, cap);
	buf_free(&b);
}

static bool strong_head_at(const struct word *w, size_t n, size_t i)
{
	struct buf key = BUF_INIT;

	for (size_t k = i; k < n && k < i + 4; k++) {
		buf_adds(&key, k > i ? " " : "");
		buf_adds(&key, w[k].key);
	}
	bool strong = words_org_head_strong(buf_str(&key)) > 0;
	buf_free(&key);
	return strong;
}

/*
 * Where an unknown name that starts at word i ends (its last word). Known
 * names end it only when they are full names with a head word of their
 * own: a bare alias ("Tài chính", "VHTTDL") inside a name is part of it
 * ("Vụ Kế hoạch, Tài chính", "Trung tâm Chuyển đổi số VHTTDL").
 */
static size_t unknown_end(const struct dir *d, const struct word *w, size_t n, size_t i,
                          bool comma_list)
{
	bool collective = collective_word(w[i].key);
	bool agency = collective || head_at(w, n, i);
	size_t j = i;

	while (j + 1 < n && w[j].sep_after != SEP_HARD && !w[j + 1].enumerator) {
		size_t next = j + 1;
		/* Nothing is split inside parentheses; after them, as anywhere. */
		if (w[next].depth) {
			j++;
			continue;
		}
		/* "Bộ Công an tiến hành rà soát …", "các bộ, ngành với …": the name ends. */
		char f[96];
		fold_from(w, n, next, f, sizeof(f));
		char prev[16];
		text_fold(w[j].key, strlen(w[j].key), prev, NULL, sizeof(prev));
		/* "các đơn vị được giao thực hiện TTHC": a name, not a sentence. */
		bool passive = !strcmp(prev, "duoc") || !strcmp(prev, "giao");
		if (agency && !passive && w[j].sep_after == SEP_NONE && !w[next].capital &&
		    words_ends_name(f) && !mission_head_span(w, i, j))
			break;
		bool comma = w[j].sep_after == SEP_SOFT;
		bool va = !comma && phrase_at(w, n, next, "va");
		size_t after = va ? next + 1 : next;
		bool full_known = known_name_at(d, w, n, after) && head_at(w, n, after);
		/* "Bộ GTVT, NHNNVN": initials after a comma are another organisation;
		 * not in a collective's description ("các bộ là chủ quản CSDLQG, CSDL …"). */
		if (comma &&
		    (new_name_at(w, n, after, collective) || full_known ||
		     (comma_list && w[after].capital) || (!collective && w[after].acronym)))
			break;
		/* After "và" only a strong head opens a name: "Cục Tiền lương và Bảo hiểm xã hội".
		 */
		if (va && (new_name_at(w, n, after, collective) || full_known) &&
		    (strong_head_at(w, n, after) || full_known))
			break;
		/* "Bộ Thông tin và Truyền thông Bộ Khoa học và Công nghệ": two names, no comma;
		 * but "Các thành viên Ban Chỉ đạo", "các đơn vị thuộc Sở Y tế" are one. */
		char before[16] = "";
		if (j > i)
			text_fold(w[j - 1].key, strlen(w[j - 1].key), before, NULL, sizeof(before));
		bool of_body = !strcmp(prev, "thuoc") || !strcmp(prev, "cua") ||
		               (!strcmp(prev, "vien") && !strcmp(before, "thanh"));
		if (!comma && !va && !of_body && w[next].capital && strong_head_at(w, n, next) &&
		    !words_org_head_span(w, i, j) && !head_at(w, n, j) && next + 1 < n &&
		    w[next + 1].capital)
			break;
		j++;
	}
	return j;
}

static void push_match(struct dir_match **out, size_t *n, enum dir_kind kind, const char *id,
                       const char *cell, size_t start, size_t end)
{
	/* A closing parenthesis belongs to the name it closes. */
	while (cell[end] == ')' || (cell[end] == ' ' && cell[end + 1] == ')'))
		end++;
	*out = xrealloc(*out, (*n + 1) * sizeof(**out));
	(*out)[(*n)++] = (struct dir_match){kind, id, xstrndup(cell + start, end - start)};
}

/* The state of one split: the words, and what has been found so far. */
struct split {
	const struct dir *d;
	const char *cell;
	struct word *w;
	size_t n;
	struct dir_match *out;
	size_t count;
	bool segment_has_name; /* since the last hard separator */
	size_t head;           /* the word heading the current list ("Các Cục:"), or SIZE_MAX */
	bool comma_list;       /* its items are parted by ',' (it has no ';') */
};

/* At word i: a list head "Các Cục:" is noted and skipped; returns the next word. */
static size_t enter_list(struct split *s, size_t i)
{
	size_t h = SIZE_MAX;

	i = list_head_at(s->d, s->w, s->n, skip_joiners(s->d, s->w, s->n, i), &h);
	if (h == SIZE_MAX)
		return i;
	s->head = h;
	s->comma_list = true;
	for (size_t k = i; k < s->n && s->comma_list; k++) {
		s->comma_list = s->w[k].stop != ';';
		if (s->w[k].sentence_end)
			break;
	}
	return i;
}

/* A name the directory knows starts at word i and ends before next; returns where to go on. */
static size_t known(struct split *s, size_t i, size_t next, const struct dir_name *found)
{
	const struct word *w = s->w;
	size_t n = s->n;

	/*
	 * A known name that goes on in capitals ("Ngân hàng Nhà nước Việt
	 * Nam", "Sở Y tế Đà Nẵng") names something the directory does not
	 * know: the whole of it is one unresolved name, never a guess.
	 */
	if (next < n && w[next - 1].sep_after == SEP_NONE && w[next].capital &&
	    w[next].depth == w[i].depth && !w[next].enumerator && !head_at(w, n, next) &&
	    !known_name_at(s->d, w, n, next)) {
		size_t j = next;
		while (j + 1 < n && w[j].sep_after == SEP_NONE && w[j + 1].capital &&
		       !head_at(w, n, j + 1))
			j++;
		push_match(&s->out, &s->count, DIR_UNRESOLVED, NULL, s->cell, w[i].start, w[j].end);
		return j + 1;
	}
	/* "Bộ Công an (Trung tâm Dữ liệu quốc gia)": the unit stays with it. */
	size_t end = next;
	while (end < n && w[end].depth > w[i].depth)
		end++;
	push_match(&s->out, &s->count, found->kind, found->id, s->cell, w[i].start, w[end - 1].end);
	return end;
}

/* A name nobody knows starts at word i; returns where to go on. */
static size_t unknown(struct split *s, size_t i)
{
	const struct word *w = s->w;
	size_t j = unknown_end(s->d, w, s->n, i, s->head != SIZE_MAX && s->comma_list);

	if (s->head != SIZE_MAX && !strong_head_at(w, s->n, i)) {
		/* An item of "Các Cục: …" is a Cục: named whole. */
		push_match(&s->out, &s->count, DIR_UNRESOLVED, NULL, s->cell, w[i].start, w[j].end);
		struct dir_match *m = &s->out[s->count - 1];
		struct buf whole = BUF_INIT;
		buf_printf(&whole, "%.*s %s", (int)(w[s->head].end - w[s->head].start),
		           s->cell + w[s->head].start, m->written);
		free(m->written);
		m->written = buf_steal(&whole);
	} else if (!s->segment_has_name || w[i].capital || collective_word(w[i].key)) {
		/* Words after a name that open none of their own ("… với các tiêu
		 * chuẩn", "trên địa bàn tỉnh") say something about it: no agency. */
		push_match(&s->out, &s->count, DIR_UNRESOLVED, NULL, s->cell, w[i].start, w[j].end);
	}
	return j + 1;
}

size_t dir_split(const struct dir *d, const char *cell, struct dir_match **out)
{
	/* A word takes at least one byte ("a&b" is three words). */
	size_t cap = strlen(cell) + 1;
	struct split s = {d,        cell, xcalloc(cap, sizeof(struct word)), 0, NULL, 0, false,
	                  SIZE_MAX, false};

	s.n = cut_words(cell, s.w, cap);
	for (size_t i = 0; i < s.n;) {
		if (i && s.w[i - 1].sep_after == SEP_HARD)
			s.segment_has_name = false;
		if (i && s.w[i - 1].sentence_end)
			s.head = SIZE_MAX;
		if ((i = enter_list(&s, i)) >= s.n)
			break;
		const struct dir_name *found;
		size_t next = longest_match(d, s.w, s.n, i, &found), title;
		if (!found && (title = title_words(s.w, s.n, i)))
			next = longest_match(d, s.w, s.n, i += title, &found);
		i = found ? known(&s, i, next, found) : unknown(&s, i);
		s.segment_has_name = true;
	}
	for (size_t k = 0; k < s.n; k++)
		free(s.w[k].key);
	free(s.w);
	*out = s.out;
	return s.count;
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
