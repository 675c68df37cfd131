/*
 * libFuzzer target for the timeframe parser (make fuzz). Besides memory
 * errors (ASan) and undefined behaviour (UBSan), it checks the contract on
 * every phrase that parses, so a wrong answer is a finding too:
 *  - a window never starts after its due instant;
 *  - tf_next() never returns an occurrence due before it was asked for;
 *  - occurrences come in strictly increasing order;
 *  - an unparsed phrase points inside itself.
 * Every input that ever failed is kept in tests/fuzz/regressions/.
 */
#include "timeframe.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_parsed(const struct tf *t)
{
	struct tf_occ occ[8];
	time_t from = 946684800; /* 2000-01-01 */

	if (t->window_start != TF_NONE && t->due != TF_NONE && t->window_start > t->due)
		abort();
	size_t n = tf_occurrences(t, from, from + 40L * 365 * 86400, occ, 8);
	for (size_t i = 0; i < n; i++) {
		if (occ[i].due < from || (i && occ[i].due <= occ[i - 1].due))
			abort();
		if (occ[i].window_start != TF_NONE && occ[i].window_start > occ[i].due)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct tf_ctx contexts[] = {
	    {7 * 3600, 0, 0}, {7 * 3600, 2022, 2025}, {0, 2023, 2023}, {-5 * 3600, 2020, 2030}};
	char *phrase = malloc(size + 1);
	struct tf t;

	if (!phrase)
		return 0;
	memcpy(phrase, data, size);
	phrase[size] = '\0';
	for (size_t i = 0; i < sizeof(contexts) / sizeof(contexts[0]); i++) {
		if (tf_parse(phrase, &contexts[i], &t) == 0)
			check_parsed(&t);
		else if (t.kind != TF_UNPARSED || t.error_pos < 0 ||
		         (size_t)t.error_pos > strlen(phrase) || !t.error[0])
			abort();
	}
	free(phrase);
	return 0;
}
