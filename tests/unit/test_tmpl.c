/* Unit tests for tmpl: schema checks, sections, escaping, standalone lines, errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tmpl.h"

#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct tmpl_var file_fields[] = {
    {"file", TMPL_TEXT, NULL, "Tên tệp"},
    {NULL, TMPL_TEXT, NULL, NULL},
};

static const struct tmpl_var item_fields[] = {
    {"title", TMPL_TEXT, NULL, "Tên báo cáo"},
    {"due", TMPL_TEXT, NULL, "Hạn nộp"},
    {"overdue", TMPL_FLAG, NULL, "Đã quá hạn"},
    {"agency", TMPL_TEXT, NULL, "Đơn vị chủ trì, nếu khác cơ quan nhận"},
    {"files", TMPL_LIST, file_fields, "Hồ sơ kèm theo"},
    {NULL, TMPL_TEXT, NULL, NULL},
};

static const struct tmpl_var schema[] = {
    {"agency", TMPL_TEXT, NULL, "Tên cơ quan nhận"},
    {"note", TMPL_TEXT, NULL, "Ghi chú"},
    {"urgent", TMPL_FLAG, NULL, "Có báo cáo sắp hết hạn"},
    {"items", TMPL_LIST, item_fields, "Các báo cáo"},
    {NULL, TMPL_TEXT, NULL, NULL},
};

static struct tmpl *compile(const char *src, bool html)
{
	char err[256] = "";
	struct tmpl *t = tmpl_compile(src, strlen(src), "t.txt", html, schema, err, sizeof(err));

	if (!t)
		fail_msg("unexpected compile error: %s", err);
	return t;
}

/* Compiles, renders once and returns the output (free() it). */
static char *render(const char *src, bool html, const struct tmpl_data *d)
{
	struct tmpl *t = compile(src, html);
	struct buf out = BUF_INIT;

	tmpl_render(t, d, &out);
	tmpl_free(t);
	return buf_steal(&out);
}

#define assert_renders(src, html, d, want)                                                         \
	do {                                                                                       \
		char *got_ = render((src), (html), (d));                                           \
		assert_string_equal(got_, (want));                                                 \
		free(got_);                                                                        \
	} while (0)

#define assert_compile_error(src, want)                                                            \
	do {                                                                                       \
		char err_[256] = "";                                                               \
		const char *src_ = (src);                                                          \
		struct tmpl *t_ =                                                                  \
		    tmpl_compile(src_, strlen(src_), "t.txt", false, schema, err_, sizeof(err_));  \
		assert_null(t_);                                                                   \
		assert_string_equal(err_, (want));                                                 \
	} while (0)

/* Two reports, a and b, the second one overdue. */
static struct tmpl_data *two_items(void)
{
	struct tmpl_data *d = tmpl_data_new();
	struct tmpl_data *e;

	tmpl_set(d, "agency", "Sở Tài chính");
	e = tmpl_add(d, "items");
	tmpl_set(e, "title", "a");
	tmpl_set(e, "due", "30/06/2025");
	e = tmpl_add(d, "items");
	tmpl_set(e, "title", "b");
	tmpl_set(e, "due", "15/07/2025");
	tmpl_set_flag(e, "overdue", true);
	return d;
}

static void test_variables(void **state)
{
	struct tmpl_data *d = tmpl_data_new();

	(void)state;
	tmpl_set(d, "agency", "Sở Y tế");
	tmpl_set(d, "note", "gấp");
	assert_renders("Kính gửi {{agency}} ({{note}}).\n", false, d, "Kính gửi Sở Y tế (gấp).\n");
	assert_renders("[{{ agency }}][{{{ note }}}]", false, d, "[Sở Y tế][gấp]");
	assert_renders("", false, d, "");
	assert_renders("không có thẻ nào\n", false, d, "không có thẻ nào\n");
	assert_renders("a{{! chú thích }}b", false, d, "ab");
	assert_renders("a{{!}}b", false, d, "ab");
	/* A lone '}}' or '{' is just text. */
	assert_renders("} }} {x", false, d, "} }} {x");
	tmpl_data_free(d);
}

static void test_html_escaping(void **state)
{
	struct tmpl_data *d = tmpl_data_new();

	(void)state;
	tmpl_set(d, "agency", "<b>\"Sở\" & 'Ban'</b>");
	assert_renders("{{agency}}", true, d,
	               "&lt;b&gt;&quot;Sở&quot; &amp; &#39;Ban&#39;&lt;/b&gt;");
	assert_renders("{{{agency}}}", true, d, "<b>\"Sở\" & 'Ban'</b>");
	assert_renders("{{agency}}|{{{agency}}}", false, d,
	               "<b>\"Sở\" & 'Ban'</b>|<b>\"Sở\" & 'Ban'</b>");
	/* The template's own text is never escaped. */
	assert_renders("<p>A & B</p>", true, d, "<p>A & B</p>");
	tmpl_set(d, "agency", "&&");
	assert_renders("x{{agency}}y", true, d, "x&amp;&amp;y");
	tmpl_data_free(d);
}

static void test_list_sections(void **state)
{
	struct tmpl_data *d = two_items();
	struct tmpl_data *empty = tmpl_data_new();

	(void)state;
	assert_renders("{{#items}}\n- {{title}}\n{{/items}}\n", false, d, "- a\n- b\n");
	assert_renders("{{#items}}[{{title}} {{due}}]{{/items}}", false, d,
	               "[a 30/06/2025][b 15/07/2025]");
	assert_renders("{{^items}}không có{{/items}}", false, d, "");
	assert_renders("{{#items}}x{{/items}}", false, empty, "");
	assert_renders("{{^items}}không có{{/items}}", false, empty, "không có");
	assert_renders("{{#items}}{{title}}{{#overdue}}!{{/overdue}}{{^overdue}}.{{/overdue}},"
	               "{{/items}}",
	               false, d, "a.,b!,");
	tmpl_data_free(d);
	tmpl_data_free(empty);
}

static void test_flag_and_text_sections(void **state)
{
	struct tmpl_data *d = tmpl_data_new();
	const char *src = "{{#urgent}}GẤP {{/urgent}}{{^urgent}}thường {{/urgent}}"
	                  "{{#note}}[{{note}}]{{/note}}{{^note}}(không ghi chú){{/note}}";

	(void)state;
	assert_renders(src, false, d, "thường (không ghi chú)");
	tmpl_set_flag(d, "urgent", true);
	tmpl_set(d, "note", "xem lại");
	assert_renders(src, false, d, "GẤP [xem lại]");
	tmpl_set_flag(d, "urgent", false);
	tmpl_set(d, "note", "");
	assert_renders(src, false, d, "thường (không ghi chú)");
	tmpl_data_free(d);
}

static void test_nested_lists_and_outer_scope(void **state)
{
	struct tmpl_data *d = two_items();
	struct tmpl_data *first = tmpl_add(d, "items");
	const char *src = "{{#items}}\n"
	                  "{{title}} ({{agency}}):\n"
	                  "{{#files}}\n"
	                  "  * {{file}} / {{title}} / {{note}}\n"
	                  "{{/files}}\n"
	                  "{{/items}}\n";

	(void)state;
	tmpl_set(d, "note", "N");
	tmpl_set(first, "title", "c");
	tmpl_set(first, "agency", "Phòng Kế hoạch");
	tmpl_set(tmpl_add(first, "files"), "file", "bc.pdf");
	tmpl_set(tmpl_add(first, "files"), "file", "pl.xlsx");
	assert_renders(src, false, d,
	               "a (Sở Tài chính):\n"
	               "b (Sở Tài chính):\n"
	               "c (Phòng Kế hoạch):\n"
	               "  * bc.pdf / c / N\n"
	               "  * pl.xlsx / c / N\n");
	tmpl_data_free(d);
}

static void test_standalone_lines(void **state)
{
	struct tmpl_data *d = two_items();

	(void)state;
	assert_renders("<ul>\n  {{#items}}\n  <li>{{title}}</li>\n  {{/items}}\n</ul>\n", true, d,
	               "<ul>\n  <li>a</li>\n  <li>b</li>\n</ul>\n");
	assert_renders("A\n  {{! chú thích }}\t\nB\n", false, d, "A\nB\n");
	assert_renders("A\n{{! dòng một\ndòng hai }}\nB\n", false, d, "A\nB\n");
	assert_renders("{{^urgent}}\nbình thường\n{{/urgent}}\n", false, d, "bình thường\n");
	/* At the very end, with no newline to take. */
	assert_renders("A\n{{#items}}\n{{title}}\n{{/items}}", false, d, "A\na\nb\n");
	/* Other text or a second tag on the line: nothing is removed. */
	assert_renders("x {{#urgent}}y{{/urgent}}\n", false, d, "x \n");
	assert_renders("  {{^urgent}} z\n{{/urgent}}\n", false, d, "   z\n");
	assert_renders("{{^urgent}}{{/urgent}}\nX", false, d, "\nX");
	/* A variable alone on its line keeps the line. */
	assert_renders("A\n{{note}}\nB\n", false, d, "A\n\nB\n");
	assert_renders("A\n  {{{note}}}  \nB\n", false, d, "A\n    \nB\n");
	tmpl_data_free(d);
}

static void test_crlf(void **state)
{
	struct tmpl_data *d = two_items();

	(void)state;
	assert_renders("Kính gửi {{agency}},\r\n"
	               "{{#items}}\r\n"
	               "- {{title}}\r\n"
	               "  {{/items}}  \r\n"
	               "Trân trọng.\r\n",
	               false, d,
	               "Kính gửi Sở Tài chính,\r\n"
	               "- a\r\n"
	               "- b\r\n"
	               "Trân trọng.\r\n");
	/* A bare CR is not a line ending, so the tag is not standalone. */
	assert_renders("{{#urgent}}\rX{{/urgent}}Y", false, d, "Y");
	assert_compile_error("a\r\nb\r\n  {{titel}}\r\n", "t.txt:3: unknown variable 'titel'");
	tmpl_data_free(d);
}

static void test_vietnamese_utf8(void **state)
{
	struct tmpl_data *d = tmpl_data_new();
	const char *want =
	    "Kính gửi: Ủy ban nhân dân tỉnh Quảng Ngãi\n"
	    "Báo cáo “Tình hình thực hiện nhiệm vụ quý III” đến hạn ngày 30/09/2025.\n";

	(void)state;
	tmpl_set(d, "agency", "Ủy ban nhân dân tỉnh Quảng Ngãi");
	tmpl_set(tmpl_add(d, "items"), "title", "Tình hình thực hiện nhiệm vụ quý III");
	assert_renders("Kính gửi: {{agency}}\n{{#items}}\n"
	               "Báo cáo “{{title}}” đến hạn ngày 30/09/2025.\n{{/items}}\n",
	               true, d, want);
	assert_renders("Kính gửi: {{agency}}\n{{#items}}\n"
	               "Báo cáo “{{title}}” đến hạn ngày 30/09/2025.\n{{/items}}\n",
	               false, d, want);
	tmpl_data_free(d);
}

static void test_no_trailing_newline(void **state)
{
	struct tmpl_data *d = tmpl_data_new();

	(void)state;
	tmpl_set(d, "agency", "Bộ Tư pháp");
	assert_renders("Trân trọng,\n{{agency}}", false, d, "Trân trọng,\nBộ Tư pháp");
	assert_renders("{{agency}} — hết", false, d, "Bộ Tư pháp — hết");
	assert_renders("{{#agency}}có{{/agency}}", false, d, "có");
	tmpl_data_free(d);
}

static void test_render_twice_appends(void **state)
{
	struct tmpl_data *d = two_items();
	struct tmpl *t = compile("{{#items}}\n- {{title}}\n{{/items}}\n", false);
	struct buf out = BUF_INIT;

	(void)state;
	buf_adds(&out, "Đầu\n");
	tmpl_render(t, d, &out);
	tmpl_render(t, d, &out);
	assert_string_equal(buf_str(&out), "Đầu\n- a\n- b\n- a\n- b\n");
	buf_free(&out);
	tmpl_free(t);
	tmpl_data_free(d);
}

static void test_values(void **state)
{
	struct tmpl_data *d = tmpl_data_new();
	const char *src = "[{{agency}}|{{note}}]{{#items}}({{title}}){{/items}}";
	char value[] = "gốc";

	(void)state;
	assert_renders(src, false, d, "[|]");
	tmpl_set(d, "agency", value);
	value[0] = 'X'; /* the value was copied */
	tmpl_set(d, "agency", "Sở Xây dựng");
	tmpl_setf(d, "note", "còn %d ngày, %s", 3, "hạn 05/01");
	assert_renders(src, false, d, "[Sở Xây dựng|còn 3 ngày, hạn 05/01]");
	tmpl_set(tmpl_add(d, "items"), "title", "1");
	tmpl_set(tmpl_add(d, "items"), "title", "2");
	assert_renders(src, false, d, "[Sở Xây dựng|còn 3 ngày, hạn 05/01](1)(2)");
	/* Replacing a list, or a text by another kind, frees the old value. */
	tmpl_set(d, "items", "");
	tmpl_set_flag(d, "agency", true);
	tmpl_set(d, "note", NULL);
	assert_renders(src, false, d, "[|]");
	tmpl_set(tmpl_add(d, "items"), "title", "3");
	assert_renders(src, false, d, "[|](3)");
	tmpl_data_free(d);
	tmpl_data_free(NULL);
	tmpl_free(NULL);
}

static void test_error_unknown_variable(void **state)
{
	(void)state;
	assert_compile_error("Dòng 1\nDòng 2\n{{titel}}\n", "t.txt:3: unknown variable 'titel'");
	assert_compile_error("{{{titel}}}", "t.txt:1: unknown variable 'titel'");
	assert_compile_error("\n{{#itemz}}\n{{/itemz}}\n", "t.txt:2: unknown variable 'itemz'");
	assert_compile_error("\n\n\n\n{{^x}}{{/x}}", "t.txt:5: unknown variable 'x'");
	/* Element fields exist only inside the list's section. */
	assert_compile_error("{{#items}}{{/items}}\n{{title}}",
	                     "t.txt:2: unknown variable 'title'");
	assert_compile_error("{{^items}}\n{{title}}\n{{/items}}\n",
	                     "t.txt:2: unknown variable 'title'");
	assert_compile_error("{{#urgent}}\n{{title}}\n{{/urgent}}\n",
	                     "t.txt:2: unknown variable 'title'");
	assert_compile_error("{{#items}}{{#files}}{{file}}{{/files}}{{/items}}\n{{#files}}",
	                     "t.txt:2: unknown variable 'files'");
}

static void test_error_list_or_flag_as_value(void **state)
{
	(void)state;
	assert_compile_error("\n\n{{items}}",
	                     "t.txt:3: 'items' is a list and can only be a section");
	assert_compile_error("{{{items}}}", "t.txt:1: 'items' is a list and can only be a section");
	assert_compile_error("{{#items}}\n{{files}}\n{{/items}}",
	                     "t.txt:2: 'files' is a list and can only be a section");
	assert_compile_error("x\n{{urgent}}",
	                     "t.txt:2: 'urgent' is a flag and can only be a section");
}

static void test_error_sections(void **state)
{
	(void)state;
	assert_compile_error("A\n{{#items}}\n- {{title}}\n", "t.txt:2: 'items' is not closed");
	assert_compile_error("{{#items}}\n{{#files}}\n{{/files}}\n\n",
	                     "t.txt:1: 'items' is not closed");
	assert_compile_error("{{#items}}\n{{#files}}\n{{/items}}\n",
	                     "t.txt:3: '{{/items}}' closes 'files'");
	assert_compile_error("{{^urgent}}\n\n{{/note}}", "t.txt:3: '{{/note}}' closes 'urgent'");
	assert_compile_error("A\n{{/items}}", "t.txt:2: '{{/items}}' closes nothing");
	assert_compile_error("{{#urgent}}{{/urgent}}\n{{/urgent}}",
	                     "t.txt:2: '{{/urgent}}' closes nothing");
}

static void test_error_bad_tags(void **state)
{
	(void)state;
	assert_compile_error("A\nB {{agency\nC\n", "t.txt:2: '{{' without '}}'");
	assert_compile_error("{{agency}} {{", "t.txt:1: '{{' without '}}'");
	assert_compile_error("{{}}", "t.txt:1: empty tag name");
	assert_compile_error("\n{{ }}", "t.txt:2: empty tag name");
	assert_compile_error("\n{{#}}{{/}}", "t.txt:2: empty tag name");
	assert_compile_error("\n\n{{{ }}}", "t.txt:3: empty tag name");
	assert_compile_error("x\n{{{agency}}\n", "t.txt:2: '{{{' without '}}}'");
	assert_compile_error("{{{agency", "t.txt:1: '{{{' without '}}}'");
	/* Lines inside a multi-line comment still count. */
	assert_compile_error("{{! một\nhai\nba }}{{x}}", "t.txt:3: unknown variable 'x'");
}

static void test_error_nesting_limit(void **state)
{
	struct buf src = BUF_INIT;
	char err[128] = "";
	struct tmpl *t;

	(void)state;
	for (int i = 0; i < 64; i++)
		buf_adds(&src, "{{#urgent}}\n");
	for (int i = 0; i < 64; i++)
		buf_adds(&src, "{{/urgent}}\n");
	t = tmpl_compile(src.data, src.len, "t.txt", false, schema, err, sizeof(err));
	assert_non_null(t);
	tmpl_free(t);
	buf_reset(&src);
	for (int i = 0; i < 65; i++)
		buf_adds(&src, "{{#urgent}}\n");
	t = tmpl_compile(src.data, src.len, "t.txt", false, schema, err, sizeof(err));
	assert_null(t);
	assert_string_equal(err, "t.txt:65: sections nested more than 64 deep");
	buf_free(&src);
}

static void test_error_buffer_limits(void **state)
{
	char err[8];
	const char *src = "\n\n{{titel}}";

	(void)state;
	memset(err, 'z', sizeof(err));
	assert_null(tmpl_compile(src, strlen(src), "t.txt", false, schema, err, sizeof(err)));
	assert_string_equal(err, "t.txt:3");
	assert_null(tmpl_compile(src, strlen(src), "t.txt", false, schema, NULL, 0));
	/* The length given is honoured even when the text goes on. */
	src = "{{agency}}{{titel}}";
	{
		struct tmpl *t = tmpl_compile(src, 10, "t.txt", false, schema, err, sizeof(err));

		assert_non_null(t);
		tmpl_free(t);
	}
}

static void test_load(void **state)
{
	char path[] = "/tmp/test_tmpl.XXXXXX";
	const char *text = "Kính gửi {{agency}}\n{{#items}}\n";
	char err[256] = "";
	struct tmpl_data *d = tmpl_data_new();
	struct buf out = BUF_INIT;
	struct tmpl *t;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(close(fd), 0);
	assert_null(tmpl_load(path, false, schema, err, sizeof(err)));
	assert_true(strncmp(err, path, strlen(path)) == 0);
	assert_string_equal(err + strlen(path), ":2: 'items' is not closed");

	assert_int_equal(truncate(path, (off_t)strlen("Kính gửi {{agency}}")), 0);
	t = tmpl_load(path, true, schema, err, sizeof(err));
	assert_non_null(t);
	tmpl_set(d, "agency", "Sở A&B");
	tmpl_render(t, d, &out);
	assert_string_equal(buf_str(&out), "Kính gửi Sở A&amp;B");
	buf_free(&out);
	tmpl_free(t);
	tmpl_data_free(d);
	assert_int_equal(unlink(path), 0);

	assert_null(tmpl_load("/nonexistent/tmpl.txt", false, schema, err, sizeof(err)));
	assert_string_equal(err, "/nonexistent/tmpl.txt:0: cannot read: No such file or directory");
}

static void test_describe(void **state)
{
	static const struct tmpl_var undocumented[] = {
	    {"x", TMPL_FLAG, NULL, NULL},
	    {"y", TMPL_LIST, NULL, ""},
	    {NULL, TMPL_TEXT, NULL, NULL},
	};
	struct buf out = BUF_INIT;

	(void)state;
	tmpl_describe(schema, &out);
	assert_string_equal(buf_str(&out),
	                    "- `agency` (text): Tên cơ quan nhận\n"
	                    "- `note` (text): Ghi chú\n"
	                    "- `urgent` (flag): Có báo cáo sắp hết hạn\n"
	                    "- `items` (list): Các báo cáo\n"
	                    "  - `title` (text): Tên báo cáo\n"
	                    "  - `due` (text): Hạn nộp\n"
	                    "  - `overdue` (flag): Đã quá hạn\n"
	                    "  - `agency` (text): Đơn vị chủ trì, nếu khác cơ quan nhận\n"
	                    "  - `files` (list): Hồ sơ kèm theo\n"
	                    "    - `file` (text): Tên tệp\n");
	buf_reset(&out);
	tmpl_describe(undocumented, &out);
	assert_string_equal(buf_str(&out), "- `x` (flag)\n- `y` (list)\n");
	buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_variables),
	    cmocka_unit_test(test_html_escaping),
	    cmocka_unit_test(test_list_sections),
	    cmocka_unit_test(test_flag_and_text_sections),
	    cmocka_unit_test(test_nested_lists_and_outer_scope),
	    cmocka_unit_test(test_standalone_lines),
	    cmocka_unit_test(test_crlf),
	    cmocka_unit_test(test_vietnamese_utf8),
	    cmocka_unit_test(test_no_trailing_newline),
	    cmocka_unit_test(test_render_twice_appends),
	    cmocka_unit_test(test_values),
	    cmocka_unit_test(test_error_unknown_variable),
	    cmocka_unit_test(test_error_list_or_flag_as_value),
	    cmocka_unit_test(test_error_sections),
	    cmocka_unit_test(test_error_bad_tags),
	    cmocka_unit_test(test_error_nesting_limit),
	    cmocka_unit_test(test_error_buffer_limits),
	    cmocka_unit_test(test_load),
	    cmocka_unit_test(test_describe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
