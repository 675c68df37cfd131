/*
 * libFuzzer target for the timeframe parser (make fuzz). Besides memory
 * errors (ASan) and undefined behaviour (UBSan), it checks the contract on
 * every phrase, so a wrong answer is a finding too:
 *  - a window never starts after its due instant;
 *  - tf_next() never returns an occurrence due before it was asked for;
 *  - occurrences come in strictly increasing order;
 *  - phases are in order of due, each agency range lies inside the input,
 *    and only a loose reading names agencies;
 *  - condition and error are NUL-terminated, valid UTF-8;
 *  - an unparsed phrase points inside itself, and is never loose;
 *  - what `deadlinectl parse --json` prints (tfview_json) is one line of
 *    valid UTF-8 and valid JSON, and its human text is valid UTF-8.
 * The validators (tests/unit/json_valid.h) are the tests' own, not the
 * product's. Every input that ever failed is kept in tests/fuzz/regressions/.
 */
#include "../unit/json_valid.h"
#include "buf.h"
#include "tfview.h"
#include "timeframe.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool is_text(const char *s, size_t cap)
{
	const char *end = memchr(s, '\0', cap);

	return end && jv_utf8_valid(s, (size_t)(end - s));
}

static void check_phases(const struct tf *t, size_t len)
{
	bool has_phases = t->kind == TF_ONCE || t->kind == TF_PERIOD || tf_recurring(t->kind);

	if (t->n_phases < 0 || t->n_phases > TF_MAX_PHASES || (t->n_phases && !has_phases))
		abort();
	for (int i = 0; i < t->n_phases; i++) {
		const struct tf_occ *o = &t->phases[i];
		const struct tf_range *a = &t->phase_agency[i];
		if (o->due == TF_NONE || (o->window_start != TF_NONE && o->window_start > o->due))
			abort();
		if (i && o->due < t->phases[i - 1].due)
			abort();
		if (a->off < 0 || a->len < 0 || (size_t)a->off + (size_t)a->len > len ||
		    (a->len && !t->loose))
			abort();
	}
	if ((t->kind == TF_ONCE || t->kind == TF_PERIOD) &&
	    (t->n_phases == 0 || t->due != t->phases[t->n_phases - 1].due))
		abort();
}

static void check_parsed(const struct tf *t, size_t len)
{
	struct tf_occ occ[8];
	time_t from = 946684800; /* 2000-01-01 */

	if (t->window_start != TF_NONE && t->due != TF_NONE && t->window_start > t->due)
		abort();
	check_phases(t, len);
	size_t n = tf_occurrences(t, from, from + 40L * 365 * 86400, occ, 8);
	for (size_t i = 0; i < n; i++) {
		if (occ[i].due < from || (i && occ[i].due <= occ[i - 1].due))
			abort();
		if (occ[i].window_start != TF_NONE && occ[i].window_start > occ[i].due)
			abort();
	}
	if (!is_text(t->condition, sizeof(t->condition)))
		abort();
}

static void check_unparsed(const struct tf *t, size_t len)
{
	if (t->kind != TF_UNPARSED || t->loose || t->n_phases || t->error_pos < 0 ||
	    (size_t)t->error_pos > len || !t->error[0] || !is_text(t->error, sizeof(t->error)))
		abort();
}

/* What `parse` prints, JSON and text, at a few moments. */
static void check_views(const char *phrase, const struct tf *t)
{
	static const time_t nows[] = {946684800, 1735689600, 1798761600}; /* 2000, 2025, 2027 */
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < sizeof(nows) / sizeof(nows[0]); i++) {
		buf_reset(&b);
		tfview_json(&b, phrase, t, nows[i]);
		if (memchr(b.data, '\n', b.len) != b.data + b.len - 1 ||
		    !jv_json_line(b.data, b.len))
			abort();
		buf_reset(&b);
		tfview_text(&b, phrase, t, nows[i]);
		if (!jv_utf8_valid(b.data, b.len))
			abort();
	}
	buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct {
		struct tf_ctx ctx;
		int plan_year;
	} contexts[] = {{{7 * 3600, 0, 0}, 0},
	                {{7 * 3600, 2022, 2025}, 2021},
	                {{0, 2023, 2023}, 2023},
	                {{-5 * 3600, 2020, 2030}, 0}};
	char *phrase = malloc(size + 1);
	struct tf t;

	if (!phrase)
		return 0;
	memcpy(phrase, data, size);
	phrase[size] = '\0';
	size_t len = strlen(phrase);
	for (size_t i = 0; i < sizeof(contexts) / sizeof(contexts[0]); i++) {
		if (tf_parse_issued(phrase, &contexts[i].ctx, contexts[i].plan_year, &t) == 0)
			check_parsed(&t, len);
		else
			check_unparsed(&t, len);
		check_views(phrase, &t);
	}
	free(phrase);
	return 0;
}
