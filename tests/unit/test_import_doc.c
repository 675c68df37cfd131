/*
 * Unit tests for import/doc: the document model's helpers — tidy text,
 * grid columns after spans, vertical merges, positions in words.
 */
#include "check.h"

#include "import/doc.h"

#include <stdlib.h>
#include <string.h>

static void test_tidy(void **state)
{
	static const struct {
		const char *in;
		bool keep_newlines;
		const char *want;
	} cases[] = {
	    {"  a  b \t c  ", false, "a b c"},
	    {"a\n  b", false, "a b"},
	    {"a \n b\n\n", true, "a\nb"},
	    {"\xC2\xA0x\xC2\xA0\xC2\xA0y\xE2\x80\xAF", true, "x y"},
	    {"", true, ""},
	    {" \r\n ", true, ""},
	};
	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		char *s = strdup(cases[i].in);
		check_str(cases[i].in, doc_tidy(s, cases[i].keep_newlines), cases[i].want);
		free(s);
	}
}

static void test_table_grid_and_positions(void **state)
{
	struct doc d;
	char where[96];

	(void)state;
	doc_init(&d);
	doc_add_para(&d, DOC_FORM_TEXT, "1.", " Một  đoạn ", strlen(" Một  đoạn "),
	             (struct doc_pos){.line = 3});
	struct doc_table *t = doc_add_table(&d, DOC_FORM_WORD, (struct doc_pos){.page = 2});
	struct doc_row *r = doc_table_add_row(t, (struct doc_pos){.page = 2});
	doc_row_add_cell(r, "STT", 3, r->pos);
	doc_row_add_cell(r, "Nội dung", strlen("Nội dung"), r->pos);
	doc_cell_set_span(r, 1, 2);
	struct doc_cell *c = doc_row_add_cell(r, "Thời gian", strlen("Thời gian"), r->pos);
	check_int("blocks", d.n_blocks, 2);
	check_str("paragraph number", d.blocks[0].para->number, "1.");
	check_str("paragraph text", d.blocks[0].para->text, "Một đoạn");
	check_int("table number", t->pos.table, 1);
	check_int("grid column after a span", c->grid_col, 3);
	check_str("cell at grid column 2", doc_cell_at(r, 2)->text, "Nội dung");
	check_str("position", doc_pos_format(&c->pos, where, sizeof(where)),
	          "page 2, table 1, row 1, column 4");
	check_str("line position",
	          doc_pos_format(&(struct doc_pos){.line = 4, .end_line = 6}, where, sizeof(where)),
	          "lines 4-6");
	doc_cell_append(c, "thực hiện", strlen("thực hiện"), ' ');
	doc_cell_append(c, "(dự kiến)", strlen("(dự kiến)"), '\n');
	check_str("appended", c->text, "Thời gian thực hiện\n(dự kiến)");
	doc_free(&d);
}

static void test_merges(void **state)
{
	struct doc d;
	struct doc_table *t;

	(void)state;
	doc_init(&d);
	t = doc_add_table(&d, DOC_FORM_WORD, (struct doc_pos){0});
	for (int i = 0; i < 4; i++) {
		struct doc_row *r = doc_table_add_row(t, (struct doc_pos){0});
		char n[4];
		snprintf(n, sizeof(n), "%d", i + 1);
		doc_row_add_cell(r, n, strlen(n), r->pos);
		const char *name = i == 0 ? "Sở Y tế" : i == 3 ? "Sở Nội vụ" : "";
		struct doc_cell *lead = doc_row_add_cell(r, name, strlen(name), r->pos);
		lead->merge = i == 0 ? DOC_MERGE_START : i < 3 ? DOC_MERGE_CONT : DOC_MERGE_NONE;
	}
	check_str("row 2 inherits", doc_merged_cell(t, 1, 1)->text, "Sở Y tế");
	check_str("row 3 inherits", doc_merged_cell(t, 2, 1)->text, "Sở Y tế");
	check_str("row 4 has its own", doc_merged_cell(t, 3, 1)->text, "Sở Nội vụ");
	check_int("no cell beyond", doc_merged_cell(t, 3, 5) == NULL, 1);
	doc_free(&d);
}

static void test_row_span_and_wide_rows(void **state)
{
	struct doc d;
	struct doc_table *t;

	(void)state;
	doc_init(&d);
	t = doc_add_table(&d, DOC_FORM_PDF, (struct doc_pos){0});
	struct doc_row *r = doc_table_add_row(t, (struct doc_pos){0});
	doc_row_add_cell(r, "1", 1, r->pos);
	doc_row_add_cell(r, "Quý II", 7, r->pos)->row_span = 2;
	r = doc_table_add_row(t, (struct doc_pos){0});
	doc_row_add_cell(r, "2", 1, r->pos);
	check_str("row span reaches the next row", doc_merged_cell(t, 1, 1)->text, "Quý II");
	r = doc_table_add_row(t, (struct doc_pos){0});
	for (int i = 0; i < DOC_MAX_COLS + 3; i++)
		doc_row_add_cell(r, "x", 1, r->pos);
	check_int("cells are capped", r->n_cells, DOC_MAX_COLS);
	check_str("the rest joins the last", r->cells[DOC_MAX_COLS - 1].text, "x x x x");
	doc_problem(&d, r->pos, "a %s", "problem");
	check_str("problem", d.problems[0].what, "a problem");
	doc_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tidy),
	    cmocka_unit_test(test_table_grid_and_positions),
	    cmocka_unit_test(test_merges),
	    cmocka_unit_test(test_row_span_and_wide_rows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
