/*
 * Unit tests for inbox/bounce: the recipients a delivery report names and
 * which of them failed for good.
 */
#include "check.h"

#include "buf.h"
#include "inbox/bounce.h"

#include <stdlib.h>
#include <string.h>

static const struct {
	const char *report;
	const char *want; /* "address action status permanent(1/0)", "; " between */
} cases[] = {
    /* Postfix: one recipient, user unknown. */
    {"Reporting-MTA: dns; mx.example\r\nArrival-Date: Fri, 20 Jun 2025\r\n\r\n"
     "Final-Recipient: rfc822; sct@quangngai.example\r\nOriginal-Recipient: rfc822;"
     "sct@quangngai.example\r\nAction: failed\r\nStatus: 5.1.1\r\n"
     "Diagnostic-Code: smtp; 550 5.1.1 <sct@quangngai.example>: Recipient\r\n"
     "    address rejected: User unknown\r\n",
     "sct@quangngai.example failed 5.1.1 1"},
    /* A delay is not a failure; several recipients; LF line ends; <> around the address. */
    {"Reporting-MTA: dns; mx\n\nFinal-Recipient: RFC822; <a@x.example>\nAction: delayed\n"
     "Status: 4.4.1\n\nFinal-Recipient: rfc822; b@x.example\nAction: Failed\nStatus: 5.2.2\n",
     "a@x.example delayed 4.4.1 0; b@x.example failed 5.2.2 1"},
    /* Only an Original-Recipient; a failure whose status says temporary. */
    {"Reporting-MTA: dns; mx\n\nOriginal-Recipient: rfc822; c@x.example\nAction: failed\n"
     "Status: 4.0.0\n",
     "c@x.example failed 4.0.0 0"},
    /* Delivered; a group without an address; garbage. */
    {"Reporting-MTA: dns; mx\n\nAction: failed\nStatus: 5.0.0\n\n"
     "Final-Recipient: rfc822; d@x.example\nAction: delivered\nStatus: 2.0.0\n",
     "d@x.example delivered 2.0.0 0"},
    {"", ""},
    {"no fields here\n\n\n\n:::\n\nFinal-Recipient\n", ""},
};

static void test_reports(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		struct bounce_rcpt *r;
		struct buf got = BUF_INIT;
		size_t n = bounce_parse(cases[i].report, strlen(cases[i].report), &r);
		for (size_t k = 0; k < n; k++)
			buf_printf(&got, "%s%s %s %s %d", k ? "; " : "", r[k].address, r[k].action,
			           r[k].status, r[k].permanent);
		check_str(cases[i].report, buf_str(&got), cases[i].want);
		if (i == 0)
			check_str("diagnostic", r[0].diagnostic,
			          "smtp; 550 5.1.1 <sct@quangngai.example>: Recipient address "
			          "rejected: User unknown");
		buf_free(&got);
		free(r);
	}
}

static void test_many_recipients_are_capped(void **state)
{
	struct buf text = BUF_INIT;
	struct bounce_rcpt *r;

	(void)state;
	buf_adds(&text, "Reporting-MTA: dns; mx\n");
	for (int i = 0; i < BOUNCE_MAX_RCPTS + 20; i++)
		buf_printf(&text, "\nFinal-Recipient: rfc822; u%d@x.example\nAction: failed\n", i);
	check_int("capped", bounce_parse(text.data, text.len, &r), BOUNCE_MAX_RCPTS);
	free(r);
	buf_free(&text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_reports),
	    cmocka_unit_test(test_many_recipients_are_capped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
