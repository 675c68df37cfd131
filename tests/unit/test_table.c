/* Unit tests for table: columns line up by display width, cells are cut and cleaned. */
#include "check.h"

#include "table.h"
#include "text.h"

/* The display column where `needle` starts in the line of `out` that contains it. */
static size_t column_of(const char *out, const char *needle)
{
	const char *at = strstr(out, needle);

	if (!at)
		fail_msg("'%s' not in:\n%s", needle, out);
	const char *line = at;
	while (line > out && line[-1] != '\n')
		line--;
	return text_width(line, (size_t)(at - line));
}

static void test_columns_line_up_by_display_width(void **state)
{
	/* The same name precomposed (NFC) and with combining accents (NFD), and a wide one. */
	const char *names[] = {"Sở Y tế", "So\xcc\x9b\xcc\x89 Y te\xcc\x82\xcc\x81", "年年", "x"};
	const char *heads[] = {"NAME", "N", "NOTE"};
	struct table *t = table_new(heads, 3);
	struct buf out = BUF_INIT;
	char marker[N_ELEMS(names)][8];

	(void)state;
	table_align_right(t, 1);
	for (size_t i = 0; i < N_ELEMS(names); i++) {
		snprintf(marker[i], sizeof(marker[i]), "m%zu", i);
		table_cell(t, names[i]);
		table_cellf(t, "%zu", i * 100);
		table_cell(t, marker[i]);
	}
	table_render(t, "  ", &out);
	check_int("rows", table_rows(t), N_ELEMS(names));
	size_t want = column_of(buf_str(&out), "NOTE");
	for (size_t i = 0; i < N_ELEMS(names); i++)
		check_int(marker[i], column_of(buf_str(&out), marker[i]), want);
	/* Right-aligned numbers end in the same column: "300" and "0" end where "N" does. */
	check_int("right-aligned", column_of(buf_str(&out), "300") + 3,
	          column_of(buf_str(&out), "N  NOTE") + 1);
	check_int("no trailing spaces", strstr(buf_str(&out), " \n") == NULL, 1);
	check_int("the indent", strncmp(buf_str(&out), "  NAME", 6), 0);
	buf_free(&out);
	table_free(t);
}

static void test_fit_cuts_at_characters_not_bytes(void **state)
{
	static const struct {
		const char *in;
		size_t max;
		const char *kept; /* the bytes kept */
		bool cut;
	} cases[] = {
	    {"abcdef", 0, "abcdef", false},
	    {"abcdef", 6, "abcdef", false},
	    {"abcdef", 4, "abc", true},
	    {"Sở Y tế", 7, "Sở Y tế", false},
	    {"Sở Y tế", 5, "Sở Y", true},
	    /* NFD: the accents stay with their letter, never cut in two. */
	    {"So\xcc\x9b\xcc\x89 Y", 3, "So\xcc\x9b\xcc\x89", true},
	    /* A wide character that does not fit is left out whole. */
	    {"a年b", 3, "a", true},
	};

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		bool cut;
		size_t n = table_fit(cases[i].in, cases[i].max, &cut);
		char got[64];
		snprintf(got, sizeof(got), "%.*s", (int)n, cases[i].in);
		check_str(cases[i].in, got, cases[i].kept);
		check_int("cut", cut, cases[i].cut);
	}
}

static void test_cells_are_cut_and_cleaned(void **state)
{
	const char *heads[] = {"A", "B"};
	struct table *t = table_new(heads, 2);
	struct buf out = BUF_INIT;

	(void)state;
	table_max_width(t, 0, 5);
	table_cell(t, "Triển khai kế hoạch");
	table_cell(t, "line\none\x1b[31m");
	table_render(t, "", &out);
	check_int("cut with an ellipsis", strstr(buf_str(&out), "Triể…") != NULL, 1);
	check_int("no escape reaches the terminal", strchr(buf_str(&out), '\x1b') == NULL, 1);
	check_int("one line per row", strstr(buf_str(&out), "line one [31m") != NULL, 1);
	buf_free(&out);
	table_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_columns_line_up_by_display_width),
	    cmocka_unit_test(test_fit_cuts_at_characters_not_bytes),
	    cmocka_unit_test(test_cells_are_cut_and_cleaned),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
