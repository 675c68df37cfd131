/* tfview — see tfview.h. */
#include "tfview.h"

#include "date.h"
#include "json.h"
#include "text.h"
#include "util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NEXT_MAX 3

/* s[0..len) as valid UTF-8 (malloc'ed): an invalid byte becomes U+FFFD. */
static char *valid_utf8(const char *s, size_t len)
{
	char *out = xmalloc(3 * len + 1);

	text_utf8_copy(out, 3 * len + 1, s, len);
	return out;
}

/* The same for a terminal: control characters become spaces too. */
static char *printable(const char *s, size_t len)
{
	char *valid = valid_utf8(s, len), *out = xmalloc(3 * len + 1);

	text_sanitize_line(valid, out, 3 * len + 1);
	free(valid);
	return out;
}

static void json_text(struct buf *b, const char *s, size_t len)
{
	char *valid = valid_utf8(s, len);

	json_string(b, valid);
	free(valid);
}

/* The occurrence a phrase is "due" at: the first at or after now when it recurs or has phases. */
static bool reported_occurrence(const struct tf *t, time_t now, struct tf_occ *o)
{
	if (tf_recurring(t->kind))
		return tf_next(t, now, o);
	if (t->kind == TF_ONCE && t->n_phases > 1 && tf_next(t, now, o))
		return true;
	o->window_start = t->window_start;
	o->due = t->due;
	return t->due != TF_NONE || t->window_start != TF_NONE;
}

/* The next dues from now, for the kinds that have more than one. */
static size_t next_dues(const struct tf *t, time_t now, struct tf_occ *next)
{
	if (!tf_recurring(t->kind) && t->n_phases < 2)
		return 0;
	return tf_occurrences(t, now, (time_t)INT64_MAX / 2, next, NEXT_MAX);
}

static bool has_agencies(const struct tf *t)
{
	for (int i = 0; i < t->n_phases; i++)
		if (t->phase_agency[i].len > 0)
			return true;
	return false;
}

static void json_phases(struct buf *b, const char *phrase, const struct tf *t)
{
	int tz = t->tz_offset;

	buf_addc(b, '[');
	for (int i = 0; i < t->n_phases; i++) {
		const struct tf_range *a = &t->phase_agency[i];
		bool first = true;

		buf_adds(b, i ? ",{" : "{");
		json_key(b, "window_start", &first);
		json_time(b, t->phases[i].window_start, tz);
		json_key(b, "due", &first);
		json_time(b, t->phases[i].due, tz);
		json_key(b, "agency", &first);
		if (a->len > 0)
			json_text(b, phrase + a->off, (size_t)a->len);
		else
			buf_adds(b, "null");
		buf_addc(b, '}');
	}
	buf_addc(b, ']');
}

void tfview_json(struct buf *b, const char *phrase, const struct tf *t, time_t now)
{
	struct tf_occ occ, next[NEXT_MAX];
	bool have = t->kind != TF_UNPARSED && reported_occurrence(t, now, &occ);
	size_t n = next_dues(t, now, next);
	bool first = true;
	int tz = t->tz_offset;

	buf_addc(b, '{');
	json_key(b, "input", &first);
	json_text(b, phrase, strlen(phrase));
	json_key(b, "kind", &first);
	json_string(b, tf_kind_name(t->kind));
	json_key(b, "due", &first);
	json_time(b, have ? occ.due : TF_NONE, tz);
	json_key(b, "window_start", &first);
	json_time(b, have ? occ.window_start : TF_NONE, tz);
	json_key(b, "window_end", &first);
	json_time(b, have ? occ.due : TF_NONE, tz);
	json_key(b, "next", &first);
	buf_addc(b, '[');
	for (size_t i = 0; i < n; i++) {
		buf_adds(b, i ? "," : "");
		json_time(b, next[i].due, tz);
	}
	buf_addc(b, ']');
	json_key(b, "condition", &first);
	json_string(b, t->condition[0] ? t->condition : NULL);
	json_key(b, "implicit", &first);
	buf_adds(b, t->implicit ? "true" : "false");
	json_key(b, "loose", &first);
	buf_adds(b, t->loose ? "true" : "false");
	json_key(b, "phases", &first);
	json_phases(b, phrase, t);
	if (t->kind == TF_UNPARSED) {
		json_key(b, "error", &first);
		json_string(b, t->error);
		json_key(b, "error_pos", &first);
		buf_printf(b, "%d", t->error_pos);
	}
	buf_adds(b, "}\n");
}

static void text_unparsed(struct buf *b, const char *shown, const char *phrase, const struct tf *t)
{
	char *before = printable(phrase, (size_t)t->error_pos);
	char *why = printable(t->error, strlen(t->error));
	size_t col = text_width(before, strlen(before));

	buf_printf(b, "  unparsed at byte %d: %s\n    %s\n    %*s^\n", t->error_pos, why, shown,
	           (int)col, "");
	free(before);
	free(why);
}

static void text_phases(struct buf *b, const char *phrase, const struct tf *t)
{
	char due[40];

	for (int i = 0; i < t->n_phases; i++) {
		const struct tf_range *a = &t->phase_agency[i];
		char *who = a->len > 0 ? printable(phrase + a->off, (size_t)a->len) : NULL;

		buf_printf(b, "  phase %d: due %s, %s\n", i + 1,
		           date_format_iso(t->phases[i].due, t->tz_offset, due, sizeof(due)),
		           who ? who : "the task's agencies");
		free(who);
	}
}

void tfview_text(struct buf *b, const char *phrase, const struct tf *t, time_t now)
{
	struct tf_occ occ, next[NEXT_MAX];
	char a[40], z[40];
	int tz = t->tz_offset;
	char *shown = printable(phrase, strlen(phrase));

	buf_printf(b, "%s\n", shown);
	if (t->kind == TF_UNPARSED) {
		text_unparsed(b, shown, phrase, t);
		free(shown);
		return;
	}
	free(shown);
	buf_printf(b, "  %s", tf_kind_name(t->kind));
	if (reported_occurrence(t, now, &occ)) {
		if (occ.due != TF_NONE)
			buf_printf(b, ": due %s", date_format_iso(occ.due, tz, a, sizeof(a)));
		if (occ.window_start != TF_NONE)
			buf_printf(b, " (window from %s)",
			           date_format_iso(occ.window_start, tz, z, sizeof(z)));
	}
	buf_addc(b, '\n');
	size_t n = next_dues(t, now, next);
	for (size_t i = 0; i < n; i++)
		buf_printf(b, "%s%s",
		           i ? ", " : "  next: ", date_format_iso(next[i].due, tz, a, sizeof(a)));
	if (n)
		buf_addc(b, '\n');
	if (has_agencies(t))
		text_phases(b, phrase, t);
	if (t->condition[0]) {
		char *condition = printable(t->condition, strlen(t->condition));
		buf_printf(b, "  condition: %s\n", condition);
		free(condition);
	}
	if (t->implicit)
		buf_adds(b, "  (empty: the plan's period)\n");
	if (t->loose)
		buf_adds(b,
		         "  (loose: read from a sentence; the words not read as dates are kept as "
		         "condition, check them)\n");
}
