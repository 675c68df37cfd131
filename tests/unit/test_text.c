/* Unit tests for text: folding with offsets, name keys, sanitising. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "text.h"

#include <stdlib.h>
#include <string.h>

static void assert_fold(const char *in, const char *want)
{
	char out[256];

	text_fold(in, strlen(in), out, NULL, sizeof(out));
	assert_string_equal(out, want);
}

static void test_fold_vietnamese(void **state)
{
	(void)state;
	assert_fold("Quý IV hằng năm", "quy iv hang nam");
	assert_fold("Thường xuyên", "thuong xuyen");
	assert_fold("ĐẾN NĂM 2025", "den nam 2025");
	/* NFD input: the combining marks are dropped, not turned into '~'. */
	assert_fold("Qu\x79\xcc\x81 II", "quy ii");
	assert_fold("2022\xe2\x80\x93"
	            "2025\xe2\x80\x94x",
	            "2022-2025-x");
	assert_fold("a\xc2\xa0\tb\n", "a  b ");
	assert_fold("\xe2\x80\x9cx\xe2\x80\x9d", "\"x\"");
	assert_fold("日本", "~~");
	assert_fold("\xff"
	            "a",
	            "~a");
}

static void test_fold_map_points_at_source_bytes(void **state)
{
	const char *in = "Quý 5";
	char out[16];
	uint32_t map[16];
	size_t n = text_fold(in, strlen(in), out, map, sizeof(out));

	(void)state;
	assert_int_equal(n, 5);
	assert_int_equal(map[2], 2); /* 'y' came from the two bytes of ý */
	assert_int_equal(map[3], 4); /* the space after it */
	assert_int_equal(map[4], 5); /* '5' */
	assert_int_equal(map[5], 6); /* the end */
}

static void test_fold_truncates_safely(void **state)
{
	char out[4];

	(void)state;
	assert_int_equal(text_fold("abcdef", 6, out, NULL, sizeof(out)), 3);
	assert_string_equal(out, "abc");
}

static void assert_same_key(const char *a, const char *b)
{
	char *ka = text_name_key(a), *kb = text_name_key(b);

	assert_string_equal(ka, kb);
	free(ka);
	free(kb);
}

static void assert_different_key(const char *a, const char *b)
{
	char *ka = text_name_key(a), *kb = text_name_key(b);

	assert_string_not_equal(ka, kb);
	free(ka);
	free(kb);
}

static void test_name_key(void **state)
{
	(void)state;
	assert_same_key("Sở Văn hoá, Thể thao và Du lịch", "Sở Văn hóa, Thể thao và Du lịch");
	assert_same_key("SỞ VĂN HÓA THỂ THAO VÀ DU LỊCH", "sở văn hóa - thể thao & du lịch");
	assert_same_key("Sở TT&TT", "Sở TT & TT");
	assert_same_key("Sở TT&TT", "sở tt và tt");
	assert_same_key("  Sở  Y tế ", "Sở Y tế");
	assert_same_key("Hoà", "Hòa");
	assert_same_key("thuỷ", "thủy");
	/* NFD against NFC. */
	assert_same_key("Sa\xcc\x89 Y te\xcc\x82\xcc\x81", "Sả Y tế");
	assert_different_key("Sở Y tế", "Sở Y te");
	assert_different_key("Sở Tài chính", "Sở Tài chinh");
	assert_different_key("Đà Nẵng", "Da Nang");
}

static void test_sanitize_line(void **state)
{
	char out[64];

	(void)state;
	assert_string_equal(text_sanitize_line("a\r\nBcc: x", out, sizeof(out)), "a  Bcc: x");
	assert_string_equal(text_sanitize_line("Sở\x7f\xc2\x85y", out, sizeof(out)), "Sở  y");
	assert_string_equal(text_sanitize_line("Sở Y tế", out, 7), "Sở Y");
}

static void test_utf8(void **state)
{
	(void)state;
	assert_true(text_utf8_valid("Quý", 4));
	assert_false(text_utf8_valid("Qu\xc3", 3));
	assert_int_equal(text_width("Quý", 4), 3);
	assert_int_equal(text_width("Qu\x79\xcc\x81 V", 6),
	                 4); /* NFD: the accent takes no column */
	assert_int_equal(text_width("Qu\xff", 3), 3);
	assert_int_equal(text_width("\xe5\xb9\xb4", 3), 2); /* a wide CJK character */
	char *n = text_nfc("Qu\x79\xcc\x81");
	assert_string_equal(n, "Quý");
	free(n);
	assert_null(text_nfc("\xff"));
	assert_true(text_capitalized("Sở", 3));
	assert_true(text_capitalized("\xc4\x90\xe1\xba\xa7u t\xc6\xb0", 8)); /* Đầu tư */
	assert_true(text_capitalized("D\xcc\x9b", 3));                       /* NFD */
	assert_false(text_capitalized("sở", 3));
	assert_false(text_capitalized("\xc4\x91", 2)); /* đ */
	assert_false(text_capitalized("2025", 4));
	assert_false(text_capitalized("\xff", 1));
	assert_false(text_capitalized("", 0));
	assert_true(text_lowercase("sở", 3));
	assert_true(text_lowercase("\xc4\x91", 2)); /* đ */
	assert_false(text_lowercase("Sở", 3));
	assert_false(text_lowercase("2025", 4));
	assert_false(text_lowercase("\xff", 1));
	assert_false(text_lowercase("", 0));
}

static void test_utf8_copy(void **state)
{
	static const struct {
		const char *in;
		size_t cap;
		const char *want;
	} cases[] = {
	    {"Quý II", 16, "Quý II"},
	    /* Invalid bytes, each a U+FFFD: a lone continuation, a cut sequence,
	     * an overlong '/', a surrogate, a code point past U+10FFFF. */
	    {"a\x80"
	     "b",
	     16,
	     "a\xEF\xBF\xBD"
	     "b"},
	    {"Qu\xc3", 16, "Qu\xEF\xBF\xBD"},
	    {"\xc0\xaf", 16, "\xEF\xBF\xBD\xEF\xBF\xBD"},
	    {"\xed\xa0\x80", 16, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},
	    {"\xf4\x90\x80\x80", 16, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},
	    /* A character that does not fit is left out whole: "ý" is 2 bytes. */
	    {"Quý", 4, "Qu"},
	    {"Quý", 5, "Quý"},
	    {"a\x80", 3, "a"},
	    {"abc", 1, ""},
	};
	char out[32];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t n = text_utf8_copy(out, cases[i].cap, cases[i].in, strlen(cases[i].in));
		assert_string_equal(out, cases[i].want);
		assert_int_equal(n, strlen(cases[i].want));
		assert_true(text_utf8_valid(out, n));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fold_vietnamese),
	    cmocka_unit_test(test_fold_map_points_at_source_bytes),
	    cmocka_unit_test(test_fold_truncates_safely),
	    cmocka_unit_test(test_name_key),
	    cmocka_unit_test(test_sanitize_line),
	    cmocka_unit_test(test_utf8),
	    cmocka_unit_test(test_utf8_copy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
