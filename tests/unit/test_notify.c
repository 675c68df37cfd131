/*
 * Unit tests for notify's one-a-day rule (notify_compose_times), the rule
 * both the daemon's compose step and preview follow: a holder's message
 * goes out when its first notification is decided, unless it already had
 * one that local day; then at the next working day's first sending moment,
 * with everything decided meanwhile. The rest of notify (a round against a
 * store) is exercised by the system tests through the real daemon.
 */
#include "check.h"

#include "cal.h"
#include "notify.h"

#include <stdio.h>
#include <string.h>

#define MAX 8

static void test_compose_times(void **state)
{
	const struct {
		const char *why;
		time_t last_mail;
		size_t n;
		time_t decided[MAX], want[MAX];
	} cases[] = {
	    {"one decision, no mail before", TF_NONE, 1, {slot(2025, 6, 2)}, {slot(2025, 6, 2)}},
	    {"two batches of one slot: one message",
	     TF_NONE,
	     2,
	     {slot(2025, 6, 2), slot(2025, 6, 2)},
	     {slot(2025, 6, 2), slot(2025, 6, 2)}},
	    {"a mail that morning: the rest waits for Tuesday",
	     at(2025, 6, 2, 8, 0, 0),
	     2,
	     {at(2025, 6, 2, 10, 0, 0), at(2025, 6, 2, 15, 0, 0)},
	     {slot(2025, 6, 3), slot(2025, 6, 3)}},
	    {"decided at 10:00 and again at the Tuesday slot: one message",
	     TF_NONE,
	     3,
	     {slot(2025, 6, 2), at(2025, 6, 2, 10, 0, 0), slot(2025, 6, 3)},
	     {slot(2025, 6, 2), slot(2025, 6, 3), slot(2025, 6, 3)}},
	    {"a mail yesterday: today is free",
	     at(2025, 6, 2, 16, 0, 0),
	     1,
	     {slot(2025, 6, 3)},
	     {slot(2025, 6, 3)}},
	    {"Friday afternoon after Friday's mail: Monday",
	     slot(2025, 6, 6),
	     1,
	     {at(2025, 6, 6, 14, 0, 0)},
	     {slot(2025, 6, 9)}},
	    {"before the 2/9 holidays: Wednesday 3/9",
	     slot(2025, 8, 29),
	     1,
	     {at(2025, 8, 29, 11, 0, 0)},
	     {slot(2025, 9, 3)}},
	    {"days apart: one message each",
	     TF_NONE,
	     3,
	     {slot(2025, 6, 2), slot(2025, 6, 9), slot(2025, 6, 16)},
	     {slot(2025, 6, 2), slot(2025, 6, 9), slot(2025, 6, 16)}},
	};
	struct cal c;
	int bad = 0;

	(void)state;
	cal_init(&c, TZ);
	cal_finish(&c);
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		time_t got[MAX];
		notify_compose_times(&c, cases[i].decided, cases[i].n, cases[i].last_mail, got);
		for (size_t k = 0; k < cases[i].n; k++)
			if (got[k] != cases[i].want[k]) {
				print_error("%s: notification %zu composed at %lld, want %lld\n",
				            cases[i].why, k, (long long)got[k],
				            (long long)cases[i].want[k]);
				bad++;
			}
	}
	/* Whatever the input, never two moments on one local day. */
	time_t decided[MAX], got[MAX];
	for (int k = 0; k < MAX; k++)
		decided[k] = at(2025, 6, 2, 8, 0, 0) + k * 3 * 3600;
	notify_compose_times(&c, decided, MAX, TF_NONE, got);
	for (int k = 1; k < MAX; k++)
		if (got[k] != got[k - 1] &&
		    date_local_days(got[k], TZ) == date_local_days(got[k - 1], TZ)) {
			print_error("two messages on one day: %lld and %lld\n",
			            (long long)got[k - 1], (long long)got[k]);
			bad++;
		}
	cal_free(&c);
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_compose_times),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
