/*
 * Unit tests for tfview: what `deadlinectl parse` prints. Every JSON line
 * is checked with the tests' own validator (json_valid.h), which is first
 * shown to refuse what it must, so that the fuzzer's use of it means
 * something.
 */
#include "check.h"
#include "json_valid.h"

#include "tfview.h"
#include "timeframe.h"

static const struct tf_ctx no_plan = {TZ, 0, 0};

static void test_validator_refuses_what_it_must(void **state)
{
	static const struct {
		const char *text;
		bool json, utf8;
	} cases[] = {
	    {"{\"a\":[1,-2.5e3,true,false,null,\"x\\u00e9\\n\"]}\n", true, true},
	    {"{\"phrase\":\"Quý II\"}\n", true, true},
	    {"\"\\u001b\"\n", true, true},
	    {"{}\n", true, true},
	    {"{\"a\":1}", false, true},               /* no newline */
	    {"{\"a\":1}\n{}\n", false, true},         /* two values */
	    {"{\"a\":1,}\n", false, true},            /* trailing comma */
	    {"{\"a\" 1}\n", false, true},             /* no colon */
	    {"[01]\n", false, true},                  /* leading zero */
	    {"\"a\x01\"\n", false, true},             /* raw control character */
	    {"\"\\x\"\n", false, true},               /* unknown escape */
	    {"\"\\u12G4\"\n", false, true},           /* bad \u */
	    {"\"Qu\xc3\"\n", false, false},           /* cut character */
	    {"\"\xc0\xaf\"\n", false, false},         /* overlong */
	    {"\"\xed\xa0\x80\"\n", false, false},     /* surrogate */
	    {"\"\xf4\x90\x80\x80\"\n", false, false}, /* past U+10FFFF */
	    {"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]"
	     "]]"
	     "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n",
	     false, true}, /* deeper than JV_MAX_DEPTH */
	};

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		size_t n = strlen(cases[i].text);
		if (jv_json_line(cases[i].text, n) != cases[i].json)
			fail_msg("case %zu: json %d, want %d", i, !cases[i].json, cases[i].json);
		if (jv_utf8_valid(cases[i].text, n) != cases[i].utf8)
			fail_msg("case %zu: utf8 %d, want %d", i, !cases[i].utf8, cases[i].utf8);
	}
}

static char *render(const char *phrase, const struct tf_ctx *ctx, int issued, bool json)
{
	struct tf t;
	struct buf b = BUF_INIT;

	tf_parse_issued(phrase, ctx, issued, &t);
	(json ? tfview_json : tfview_text)(&b, phrase, &t, at(2025, 11, 24, 0, 0, 0));
	return buf_steal(&b);
}

/* Each kind, and inputs that are not clean text: the JSON is one valid line. */
static void test_json_lines_are_valid(void **state)
{
	static const struct {
		const char *phrase, *contains;
	} cases[] = {
	    {"Quý II/2025", "\"kind\":\"once\",\"due\":\"2025-06-30T23:59:59+07:00\""},
	    {"Quý IV hàng năm", "\"next\":[\"2025-12-31T23:59:59+07:00\",\"2026-12-31T23:59:59"},
	    {"Thường xuyên", "\"kind\":\"ongoing\""},
	    {"Khi có phát sinh", "\"condition\":\"Khi có phát sinh\""},
	    {"Quý V/2025", "\"error_pos\":5"},
	    {"", "\"error\":\"the phrase is empty and the plan's period is not known\""},
	    {"Ban hành trong quý II năm 2027. Tổ chức triển khai",
	     "\"loose\":true,\"phases\":[{\"window_start\":\"2027-04-01T00:00:00+07:00\","
	     "\"due\":\"2027-06-30T23:59:59+07:00\",\"agency\":null}]"},
	    {"+ Các sở hoàn thành trước ngày 30/6/2026. + Sở Tài chính tổng hợp trước ngày "
	     "15/7/2026",
	     "\"agency\":\"Các sở\"},{\"window_start\":null,\"due\":\"2026-07-15T00:00:00+07:00\","
	     "\"agency\":\"Sở Tài chính\"}"},
	    /* Invalid bytes are shown as U+FFFD, in the input, condition and error alike. */
	    {"Khi c\xff phát sinh", "\"input\":\"Khi c\xef\xbf\xbd phát sinh\""},
	    {"Qu\xc3 V/2025", "\"input\":\"Qu\xef\xbf\xbd V/2025\""},
	    {"\xff\xfe Quý II/2025", "\"kind\":\"once\""},
	    /* Control characters are escaped. */
	    {"Khi c\x01\x1b[1m\t\"x\"\\", "\"input\":\"Khi c\\u0001\\u001b[1m\\t\\\"x\\\"\\\\\""},
	};

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		char *out = render(cases[i].phrase, &no_plan, 0, true);
		size_t n = strlen(out);
		if (!jv_json_line(out, n) || !jv_utf8_valid(out, n))
			fail_msg("\"%s\": not one valid JSON line: %s", cases[i].phrase, out);
		if (!strstr(out, cases[i].contains))
			fail_msg("\"%s\": %s\nhas no %s", cases[i].phrase, out, cases[i].contains);
		free(out);
	}
}

/* The human text: the phases' agencies, the loose note, a caret under the error. */
static void test_text(void **state)
{
	static const struct {
		const char *phrase;
		int issued;
		const char *want;
	} cases[] = {
	    {"Quý II/2025", 0,
	     "Quý II/2025\n  once: due 2025-06-30T23:59:59+07:00 (window from "
	     "2025-04-01T00:00:00+07:00)\n"},
	    {"Quý II năm sau", 2025,
	     "Quý II năm sau\n  once: due 2026-06-30T23:59:59+07:00 (window from "
	     "2026-04-01T00:00:00+07:00)\n"},
	    {"Sở Y tế hoàn thành trước ngày 30/6/2026; hoàn thành trong Quý III/2026", 0,
	     "Sở Y tế hoàn thành trước ngày 30/6/2026; hoàn thành trong Quý III/2026\n"
	     "  once: due 2026-06-30T00:00:00+07:00\n"
	     "  next: 2026-06-30T00:00:00+07:00, 2026-09-30T23:59:59+07:00\n"
	     "  phase 1: due 2026-06-30T00:00:00+07:00, Sở Y tế\n"
	     "  phase 2: due 2026-09-30T23:59:59+07:00, the task's agencies\n"
	     "  (loose: read from a sentence; the words not read as dates are kept as condition, "
	     "check them)\n"},
	    /* A control character is a space; an invalid byte U+FFFD, one column. */
	    {"\x1b\xff Quý V/2025", 0,
	     " \xef\xbf\xbd Quý V/2025\n  unparsed at byte 8: there is no quarter V (quarters are "
	     "I-IV)\n     \xef\xbf\xbd Quý V/2025\n           ^\n"},
	};

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		char *out = render(cases[i].phrase, &no_plan, cases[i].issued, false);
		check_str(cases[i].phrase, out, cases[i].want);
		free(out);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_validator_refuses_what_it_must),
	    cmocka_unit_test(test_json_lines_are_valid),
	    cmocka_unit_test(test_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
