/* phases — see phases.h. */
#include "phases.h"

#include "buf.h"
#include "text.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define SLUG_MAX 48

/* A phase the phrase names an agency for, and the byte range of its clause. */
struct cut {
	int phase;
	int off, len; /* the agency's words */
	int from, to; /* the clause, once found */
	bool resolved;
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * The directory ids the words name, sorted and joined ("skhcn,stc"); NULL
 * when some name is not one the directory knows (an agency or a group).
 */
static char *ids_of(const struct dir *d, const char *words)
{
	struct dir_match *m;
	size_t n = dir_split(d, words, &m);
	const char **ids = xcalloc(n + 1, sizeof(*ids));
	struct buf b = BUF_INIT;
	bool all = n > 0;

	for (size_t i = 0; i < n; i++) {
		all &= m[i].kind != DIR_UNRESOLVED;
		ids[i] = m[i].id ? m[i].id : "";
	}
	if (all) {
		qsort(ids, n, sizeof(*ids), cmp_str);
		for (size_t i = 0; i < n; i++)
			if (!i || strcmp(ids[i], ids[i - 1]))
				buf_printf(&b, "%s%s", b.len ? "," : "", ids[i]);
	}
	free(ids);
	dir_matches_free(m, n);
	return all ? buf_steal(&b) : NULL;
}

static int cmp_cut(const void *a, const void *b)
{
	const struct cut *x = a, *y = b;

	return x->off - y->off;
}

static bool trim_char(char c)
{
	return strchr(" \t\r\n+-*.,;:", c) != NULL;
}

/* s[from, to) without bullets, white space and punctuation at either end (new string). */
static char *trimmed(const char *s, int from, int to)
{
	while (from < to && trim_char(s[from]))
		from++;
	while (to > from && trim_char(s[to - 1]))
		to--;
	return xstrndup(s + from, (size_t)(to - from));
}

/* Does s[from, to) read alone as one deadline due at `due`? */
static bool reads_as(const char *s, int from, int to, time_t due, const struct tf_ctx *ctx,
                     int issued)
{
	char *clause = trimmed(s, from, to);
	struct tf tf;
	bool ok = tf_parse_issued(clause, ctx, issued, &tf) == 0 &&
	          (tf.kind == TF_ONCE || tf.kind == TF_PERIOD) && tf.n_phases == 1 &&
	          tf.phases[0].due == due;

	free(clause);
	return ok;
}

/* Where a clause may end: after '.', ';' or a line, or before a '+' bullet. */
static bool clause_end(const char *s, int at)
{
	return strchr(".;\n", s[at - 1]) || s[at] == '+';
}

/*
 * The clause of cut c: from its agency to the next agency named (or the
 * end), or, when that span holds more than its own deadline, the shortest
 * span ending at a clause boundary that reads as exactly its phase.
 */
static bool find_clause(const char *s, int end, struct cut *c, time_t due, const struct tf_ctx *ctx,
                        int issued)
{
	c->from = c->off;
	if (reads_as(s, c->from, end, due, ctx, issued)) {
		c->to = end;
		return true;
	}
	for (int at = c->off + c->len + 1; at < end; at++)
		if (clause_end(s, at) && reads_as(s, c->from, at, due, ctx, issued)) {
			c->to = at;
			return true;
		}
	return false;
}

/* "Sở Tài chính" → "so-tai-chinh"; unique among the parts made so far. */
static char *slug_of(const char *agency, const struct phases_part *parts, size_t n)
{
	char f[SLUG_MAX * 4];
	struct buf b = BUF_INIT;
	size_t len = text_fold(agency, strlen(agency), f, NULL, sizeof(f));

	for (size_t i = 0; i < len && b.len < SLUG_MAX; i++) {
		char ch = f[i];
		bool word = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
		if (word)
			buf_addc(&b, ch);
		else if (b.len && b.data[b.len - 1] != '-')
			buf_addc(&b, '-');
	}
	while (b.len && b.data[b.len - 1] == '-')
		b.data[--b.len] = '\0';
	if (!b.len)
		buf_adds(&b, "agency");
	char *base = buf_steal(&b);
	char *slug = xstrdup(base);
	for (int k = 2;; k++) {
		bool taken = false;
		for (size_t i = 0; i < n && !taken; i++)
			taken = parts[i].slug && !strcmp(parts[i].slug, slug);
		if (!taken)
			break;
		free(slug);
		buf_printf(&b, "%s-%d", base, k);
		slug = buf_steal(&b);
	}
	free(base);
	return slug;
}

/* What the agency clauses leave, as one phrase: the row's own deadlines. */
static char *rest_of(const char *s, const struct cut *cuts, int n_cuts)
{
	struct buf b = BUF_INIT;
	int at = 0;

	for (int i = 0; i <= n_cuts; i++) {
		if (i < n_cuts && !cuts[i].resolved)
			continue;
		char *piece = trimmed(s, at, i < n_cuts ? cuts[i].from : (int)strlen(s));
		if (*piece)
			buf_printf(&b, "%s%s", b.len ? "; " : "", piece);
		free(piece);
		if (i < n_cuts)
			at = cuts[i].to;
	}
	return buf_steal(&b);
}

size_t phases_split(const struct dir *d, const char *timeframe, const char *own_leads,
                    const struct tf_ctx *ctx, int issued, struct phases_part **out)
{
	struct tf tf;
	struct cut cuts[TF_MAX_PHASES];
	int n_cuts = 0, n_resolved = 0;

	*out = NULL;
	if (tf_parse_issued(timeframe, ctx, issued, &tf) < 0 || !tf.loose ||
	    (tf.kind != TF_ONCE && tf.kind != TF_PERIOD) || tf.n_phases < 2)
		return 0;
	char *own = own_leads ? ids_of(d, own_leads) : NULL;
	for (int i = 0; i < tf.n_phases; i++) {
		if (!tf.phase_agency[i].len)
			continue;
		char *words =
		    xstrndup(timeframe + tf.phase_agency[i].off, (size_t)tf.phase_agency[i].len);
		char *ids = ids_of(d, words);
		/* The row's own leads named again: their due stays the row's. */
		bool ok = ids && !(own && !strcmp(ids, own));
		free(ids);
		free(words);
		cuts[n_cuts++] =
		    (struct cut){i, tf.phase_agency[i].off, tf.phase_agency[i].len, 0, 0, ok};
		n_resolved += ok;
	}
	free(own);
	if (!n_resolved)
		return 0;
	qsort(cuts, (size_t)n_cuts, sizeof(*cuts), cmp_cut);
	/* Each clause runs at most to the next agency named, resolved or not. */
	for (int i = 0; i < n_cuts; i++) {
		int end = i + 1 < n_cuts ? cuts[i + 1].off : (int)strlen(timeframe);
		if (!cuts[i].resolved)
			continue;
		if (!find_clause(timeframe, end, &cuts[i], tf.phases[cuts[i].phase].due, ctx,
		                 issued))
			return 0;
	}
	/* The rest must read as exactly the phases no agency part took. */
	char *rest = rest_of(timeframe, cuts, n_cuts);
	struct tf left;
	int left_phases = *rest && tf_parse_issued(rest, ctx, issued, &left) == 0 &&
	                          (left.kind == TF_ONCE || left.kind == TF_PERIOD)
	                      ? left.n_phases
	                      : 0;
	if (left_phases != tf.n_phases - n_resolved) {
		free(rest);
		return 0;
	}
	struct phases_part *parts = xcalloc((size_t)n_resolved + 1, sizeof(*parts));
	size_t n = 0;
	for (int i = 0; i < n_cuts; i++) {
		if (!cuts[i].resolved)
			continue;
		parts[n].timeframe = trimmed(timeframe, cuts[i].from, cuts[i].to);
		parts[n].agency = xstrndup(timeframe + cuts[i].off, (size_t)cuts[i].len);
		parts[n].slug = slug_of(parts[n].agency, parts, n);
		n++;
	}
	if (left_phases)
		parts[n++].timeframe = rest;
	else
		free(rest);
	*out = parts;
	return n;
}

void phases_free(struct phases_part *parts, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(parts[i].timeframe);
		free(parts[i].agency);
		free(parts[i].slug);
	}
	free(parts);
}
