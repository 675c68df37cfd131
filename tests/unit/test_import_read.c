/*
 * Unit tests for the import readers: text files of every form into the
 * document model (read_text and the readers it calls), the bytes they
 * refuse, and the line-level helpers (list markers, Markdown emphasis).
 *
 * Each document is written here, in the forms real plans come in, and the
 * model it gives is compared in a compact notation, one block per line:
 *   T<form>: rows as [cell|cell] (a '*' before a bold cell, "/" for a "\n"
 *            inside one, a '!' after a row the source marks as header)
 *   P<number>: text (the list marker as the reader saw it, then the text)
 */
#include "check.h"

#include "buf.h"
#include "import/doc.h"
#include "import/lines.h"
#include "import/markup.h"
#include "import/read_text.h"

#include <stdlib.h>
#include <string.h>

static void render_text(struct buf *b, const char *s)
{
	for (; *s; s++)
		buf_addc(b, *s == '\n' ? '/' : *s);
}

static char *render(const struct doc *d)
{
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < d->n_blocks; i++) {
		const struct doc_block *blk = &d->blocks[i];
		if (blk->kind == DOC_PARAGRAPH) {
			buf_printf(&b, "P%s: ", blk->para->number);
			render_text(&b, blk->para->text);
			buf_addc(&b, '\n');
			continue;
		}
		buf_printf(&b, "T%s:", doc_form_name(blk->table->form));
		for (size_t r = 0; r < blk->table->n_rows; r++) {
			const struct doc_row *row = &blk->table->rows[r];
			buf_adds(&b, " [");
			for (size_t c = 0; c < row->n_cells; c++) {
				buf_adds(&b, c ? "|" : "");
				if (row->cells[c].emph & DOC_BOLD)
					buf_addc(&b, '*');
				render_text(&b, row->cells[c].text);
			}
			buf_adds(&b, row->header ? "]!" : "]");
		}
		buf_addc(&b, '\n');
	}
	return b.data ? buf_steal(&b) : strdup("");
}

struct read_case {
	const char *what, *text, *want;
};

static void run_cases(const struct read_case *cases, size_t n)
{
	size_t failed = 0;

	for (size_t i = 0; i < n; i++) {
		struct doc d;
		doc_init(&d);
		if (read_text(cases[i].text, strlen(cases[i].text), &d) < 0) {
			print_error("%s: refused: %s\n", cases[i].what,
			            d.n_problems ? d.problems[0].what : "?");
			failed++;
		} else {
			char *got = render(&d);
			if (strcmp(got, cases[i].want)) {
				print_error("%s:\n  want: %s\n  got:  %s\n", cases[i].what,
				            cases[i].want, got);
				failed++;
			}
			free(got);
		}
		doc_free(&d);
	}
	if (failed) {
		print_error("%zu of %zu documents read wrongly\n", failed, n);
		fail();
	}
}

/* ---- tables one row per line --------------------------------------------------------------- */

static const struct read_case grid_cases[] = {
    {"tab-separated, a page break with its number and a running header keeps the table",
     "TT\tNhiệm vụ\tChủ trì\n1\tViệc một\tSở Y tế\n\f\n- 2 -\nKế hoạch số 12/KH-UBND\n"
     "TT\tNhiệm vụ\tChủ trì\n\tcòn tiếp\t\n",
     "Ttab-separated: [TT|Nhiệm vụ|Chủ trì] [1|Việc một|Sở Y tế] [TT|Nhiệm vụ|Chủ trì] "
     "[|còn tiếp|]\n"},
    {"prose between two tables ends the first", "STT\tNội dung\n1\tA\nMột đoạn văn.\n2\tB\n",
     "Ttab-separated: [STT|Nội dung] [1|A]\nP: Một đoạn văn.\nTtab-separated: [2|B]\n"},
    {"a heading after a page break is no running header", "TT\tViệc\n1\tA\n\f\nII. PHẦN HAI\n",
     "Ttab-separated: [TT|Việc] [1|A]\nPII.: PHẦN HAI\n"},
    {"Markdown: the rule marks the header, emphasis is taken off and noted",
     "| STT | Nội dung | Đơn vị |\n|---|:---:|---|\n| **I.** | **Phần một** | |\n"
     "| 1 | Việc *một* | Sở A |\n",
     "Tpipe: [STT|Nội dung|Đơn vị]! [*I.|*Phần một|] [1|Việc một|Sở A]\n"},
    {"a pipe row without a closing bar", "| a | b\n| c | d |\n", "Tpipe: [a|b] [c|d]\n"},
};

static void test_grid(void **state)
{
	(void)state;
	run_cases(grid_cases, N_ELEMS(grid_cases));
}

/* ---- CSV ---------------------------------------------------------------------------------- */

static const struct read_case csv_cases[] = {
    {"quoted cells span lines, a doubled quote is one",
     "STT,Nhiệm vụ,Chủ trì\n1,\"Việc \"\"một\"\"\r\ncòn tiếp\",Sở Y tế\n\n2,Việc hai,\"Sở A, Sở "
     "B\"\n",
     "Tcsv: [STT|Nhiệm vụ|Chủ trì]! [1|Việc \"một\"/còn tiếp|Sở Y tế] [2|Việc hai|Sở A, Sở B]\n"},
    {"semicolons, as a Vietnamese Excel saves",
     "STT;Nội dung;Đơn vị\n1;Việc;\"Sở A; Sở B\"\n2;Việc hai;Sở C\n",
     "Tcsv: [STT|Nội dung|Đơn vị]! [1|Việc|Sở A; Sở B] [2|Việc hai|Sở C]\n"},
    {"a CR LF inside a number cell stays in the cell (the key drops it)",
     "STT,Nhiệm vụ\n\"1\r\n.2\",Việc\n3,Việc ba\n",
     "Tcsv: [STT|Nhiệm vụ]! [1/.2|Việc] [3|Việc ba]\n"},
    {"commas in prose are no CSV",
     "Quảng Ngãi, ngày 3 tháng 2 năm 2025\nKẾ HOẠCH\nMột, hai, ba và bốn.\n",
     "P: Quảng Ngãi, ngày 3 tháng 2 năm 2025\nP: KẾ HOẠCH\nP: Một, hai, ba và bốn.\n"},
};

static void test_csv(void **state)
{
	(void)state;
	run_cases(csv_cases, N_ELEMS(csv_cases));
}

/* ---- flattened tables --------------------------------------------------------------------- */

static const struct read_case flat_cases[] = {
    {"cells between '|' lines, rows between two, bold headers wrapped over lines",
     "|\n**STT**\n|\n**Tên nhiệm\nvụ**\n|\n**Cơ quan**\n**chủ trì**\n|\n|\n1\n|\nViệc một\n"
     "viết hai dòng\n|\nBộ Tài\nchính\n|\n|\n",
     "Tflattened: [*STT|*Tên nhiệm vụ|*Cơ quan chủ trì] [1|Việc một viết hai dòng|Bộ Tài chính]\n"},
    {"a short row, and an empty cell that ends a row early, are kept as written",
     "|\nA\n|\nB\n|\nC\n|\n|\n2\n|\nViệc\n|\n|\nmuộn\n|\n|\n",
     "Tflattened: [A|B|C] [2|Việc] [muộn]\n"},
    {"a bold heading after a cell's text ends the table; the next bar starts another",
     "|\nX\n|\n30/09/2025\n**2. Các nhiệm vụ\nkhác**\n|\n**STT**\n|\n**Nhiệm vụ**\n|\n|\n",
     "Tflattened: [X|30/09/2025]\nP2.: Các nhiệm vụ khác\nTflattened: [*STT|*Nhiệm vụ]\n"},
    {"a blank line after a bar ends the region", "|\nA\n|\nB\n|\n\n\nKẾ HOẠCH\n",
     "Tflattened: [A|B]\nP: KẾ HOẠCH\n"},
    {"blank lines between two bars stay in the region", "|\nA\n|\n\n|\nB\n|\n",
     "Tflattened: [A] [B]\n"},
    {"list markers inside a cell start a new line of it", "|\nKết quả:\n- Một\n- Hai\n|\n",
     "Tflattened: [Kết quả:/- Một/- Hai]\n"},
};

static void test_flat(void **state)
{
	(void)state;
	run_cases(flat_cases, N_ELEMS(flat_cases));
}

/* Over FLAT_BODY_LINES lines between two bars: a page's running text, not a cell. */
static void test_flat_body(void **state)
{
	struct buf text = BUF_INIT;
	struct doc d;

	(void)state;
	buf_adds(&text, "|\nA\n|\n");
	for (int i = 0; i < 45; i++)
		buf_printf(&text, "%sdòng %d của một đoạn văn dài\n", i == 20 ? "2. " : "", i);
	buf_adds(&text, "|\nB\n|\n");
	doc_init(&d);
	assert_int_equal(read_text(text.data, text.len, &d), 0);
	char *got = render(&d);
	check_int("blocks", d.n_blocks, 4);
	check_int("the body is paragraphs", d.blocks[1].kind, DOC_PARAGRAPH);
	check_str("the numbered one", d.blocks[2].para->number, "2.");
	check_int("a new table after it", d.blocks[3].kind, DOC_TABLE);
	free(got);
	doc_free(&d);
	buf_free(&text);
}

/* ---- paragraphs --------------------------------------------------------------------------- */

static const struct read_case para_cases[] = {
    {"wrapped lines join; markers start paragraphs",
     "1. Việc một được\nviết hai dòng\n- Đơn vị chủ trì: Sở\nY tế;\n- a) Mục a\nII. PHẦN\n",
     "P1.: Việc một được viết hai dòng\nP-: Đơn vị chủ trì: Sở Y tế;\nPa): Mục a\nPII.: PHẦN\n"},
    {"labels cut by bold markers come out whole",
     "*Đơn vị chủ trì tham mưu thực\nhiện: *Sở Nội vụ.\n\n*Thời gian thực hiện: *Thường\n"
     "xuyên.\n",
     "P: Đơn vị chủ trì tham mưu thực hiện: Sở Nội vụ.\nP: Thời gian thực hiện: Thường xuyên.\n"},
    {"a lower-case line after a blank line goes on when the text had not ended",
     "*- Đơn vị phối hợp: *Văn phòng; các cơ quan, địa phương\n\nliên quan.\n\nMới.\n",
     "P-: Đơn vị phối hợp: Văn phòng; các cơ quan, địa phương liên quan.\nP: Mới.\n"},
    {"capitals start and stop a paragraph: a title after its keyword",
     "KẾ HOẠCH\nTRIỂN KHAI THỰC HIỆN CHƯƠNG TRÌNH\nĐẾN NĂM 2025\nTriển khai thực hiện Quyết "
     "định số 749\n",
     "P: KẾ HOẠCH TRIỂN KHAI THỰC HIỆN CHƯƠNG TRÌNH ĐẾN NĂM 2025\nP: Triển khai thực hiện "
     "Quyết định số 749\n"},
    {"an emphasis run closing a line ends its paragraph",
     "**QUYẾT ĐỊNH**\nVề việc ban hành\nkế hoạch\n*Căn cứ A;*\n*Căn cứ B;*\n",
     "P: QUYẾT ĐỊNH\nP: Về việc ban hành kế hoạch\nP: Căn cứ A;\nP: Căn cứ B;\n"},
    {"Markdown headings and rules", "# NGHỊ QUYẾT\n## Ban hành chương trình\n-----\n* *\nA\n",
     "P: NGHỊ QUYẾT\nP: Ban hành chương trình\nP: A\n"},
    {"dates and figures at the start of a line are no list numbers",
     "12 tháng 3 năm 2024\n\n2026 - 2030\n\n300.000 hộ gia đình\n\n1.2 Mục\n",
     "P: 12 tháng 3 năm 2024\nP: 2026 - 2030\nP: 300.000 hộ gia đình\nP1.2: Mục\n"},
    {"a bullet alone on its line, its text on the next", "-\nHoàn thành việc A.\n",
     "P-: Hoàn thành việc A.\n"},
};

static void test_paragraphs(void **state)
{
	(void)state;
	run_cases(para_cases, N_ELEMS(para_cases));
}

/* ---- mixed forms, positions ---------------------------------------------------------------- */

static void test_mixed_forms_and_lines(void **state)
{
	static const char text[] = "KẾ HOẠCH\n"      /* 1 */
	                           "\n"              /* 2 */
	                           "TT\tViệc\n"      /* 3 */
	                           "1\tA\n"          /* 4 */
	                           "\n"              /* 5 */
	                           "Giữa hai bảng\n" /* 6 */
	                           "|\n"             /* 7 */
	                           "STT\n"           /* 8 */
	                           "|\n"             /* 9 */
	                           "Nhiệm vụ dài\n"  /* 10 */
	                           "hai dòng\n"      /* 11 */
	                           "|\n"             /* 12 */
	                           "|\n"             /* 13 */
	                           "| a | b |\n"     /* 14 */
	                           "| c | d |\n";    /* 15 */
	struct doc d;
	char where[64];

	(void)state;
	doc_init(&d);
	assert_int_equal(read_text(text, strlen(text), &d), 0);
	char *got = render(&d);
	check_str("forms", got,
	          "P: KẾ HOẠCH\nTtab-separated: [TT|Việc] [1|A]\nP: Giữa hai bảng\n"
	          "Tflattened: [STT|Nhiệm vụ dài hai dòng]\nTpipe: [a|b] [c|d]\n");
	free(got);
	const struct doc_table *flat = d.blocks[3].table;
	check_str("a cell's lines",
	          doc_pos_format(&flat->rows[0].cells[1].pos, where, sizeof(where)), "lines 10-11");
	check_int("table numbers", d.blocks[4].table->pos.table, 3);
	check_int("a row's line", d.blocks[4].table->rows[1].pos.line, 15);
	doc_free(&d);
}

/* ---- bytes the readers refuse --------------------------------------------------------------- */

static void test_bad_bytes(void **state)
{
	static const struct {
		const char *what;
		const char *text;
		size_t len;
		int line, column;
		const char *why;
	} cases[] = {
	    {"a NUL byte in the third line", "STT,Việc\n1,A\n2,B\0C\n3,D\n", 25, 3, 4,
	     "a NUL byte"},
	    {"invalid UTF-8 in the second line", "TT\tViệc\n1\t\xea\n", 0, 2, 3, "invalid UTF-8"},
	    {"a truncated character at the end", "Sở Y t\xe1\xba", 0, 1, 9, "invalid UTF-8"},
	    {"good text", "Sở Y tế\n", 0, 0, 0, NULL},
	};
	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		const char *why = NULL;
		int column = 0;
		size_t len = cases[i].len ? cases[i].len : strlen(cases[i].text);
		int line = read_text_check(cases[i].text, len, &why, &column);
		check_int(cases[i].what, line, cases[i].line);
		if (cases[i].why) {
			check_str(cases[i].what, why, cases[i].why);
			check_int(cases[i].what, column, cases[i].column);
			struct doc d;
			doc_init(&d);
			check_int("refused", read_text(cases[i].text, len, &d), -1);
			check_int("nothing read", d.n_blocks, 0);
			check_int("the problem's line", d.problems[0].pos.line, cases[i].line);
			doc_free(&d);
		}
	}
}

/* A Windows "Unicode" text is UTF-16 with a byte order mark: read as its UTF-8; a broken one
 * refused. */
static void test_utf16(void **state)
{
	static const char le[] = "\xFF\xFET\0T\0\t\0V\0i\0\xC7\x1E" /* "TT\tViệ" */
	                         "c\0\n\0"
	                         "1\0\t\0S\0\xDF\x1E\n\0";        /* "c\n1\tSở\n" */
	static const char be[] = "\xFE\xFF\0S\x1E\xDF\0 \0Y\0\n"; /* "Sở Y\n" */
	struct doc d;

	(void)state;
	doc_init(&d);
	check_int("UTF-16LE read", read_text(le, sizeof(le) - 1, &d), 0);
	check_int("a table", d.n_blocks == 1 && d.blocks[0].table != NULL, 1);
	if (d.n_blocks == 1 && d.blocks[0].table && d.blocks[0].table->n_rows == 2) {
		check_str("a header cell", d.blocks[0].table->rows[0].cells[1].text, "Việc");
		check_str("a cell", d.blocks[0].table->rows[1].cells[1].text, "Sở");
	} else
		fail_msg("UTF-16LE: not one table of two rows");
	doc_free(&d);
	doc_init(&d);
	check_int("UTF-16BE read", read_text(be, sizeof(be) - 1, &d), 0);
	check_int("a paragraph", d.n_blocks, 1);
	doc_free(&d);
	doc_init(&d);
	check_int("an odd byte refused", read_text(le, sizeof(le) - 2, &d), -1);
	check_int("nothing read", d.n_blocks, 0);
	check_int("a problem said", d.n_problems, 1);
	doc_free(&d);
}

/* ---- line helpers ------------------------------------------------------------------------- */

static void test_markers(void **state)
{
	static const struct {
		const char *line, *marker, *text;
	} cases[] = {
	    {"1. Việc", "1.", "Việc"},
	    {"1.2. Việc", "1.2.", "Việc"},
	    {"1.2 Việc", "1.2", "Việc"},
	    {"3) Việc", "3)", "Việc"},
	    {"a) Việc", "a)", "Việc"},
	    {"đ) Việc", "đ)", "Việc"},
	    {"- a) Việc", "a)", "Việc"},
	    {"+ Cơ quan chủ trì: X", "+", "Cơ quan chủ trì: X"},
	    {"• Một", "•", "Một"},
	    {"II. MỤC TIÊU", "II.", "MỤC TIÊU"},
	    {"A. PHẦN", "A.", "PHẦN"},
	    {"Điều 3. Hiệu lực", "Điều 3.", "Hiệu lực"},
	    {"-", "-", ""},
	    {"300.000 hộ gia đình", NULL, NULL},
	    {"2026 - 2030", NULL, NULL},
	    {"12 tháng 3 năm 2024", NULL, NULL},
	    {"2026. Năm", NULL, NULL},
	    {"Việc 1. một", NULL, NULL},
	    {"a)b", NULL, NULL},
	};
	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		size_t at = 0, text = 0;
		size_t n = lines_marker(cases[i].line, &at, &text);
		if (!cases[i].marker) {
			check_int(cases[i].line, n, 0);
			continue;
		}
		char *marker = strndup(cases[i].line + at, n);
		check_str(cases[i].line, marker, cases[i].marker);
		check_str(cases[i].line, cases[i].line + text, cases[i].text);
		free(marker);
	}
}

static void test_markup(void **state)
{
	static const struct {
		const char *in, *out;
		unsigned emph;
	} cases[] = {
	    {"**Cơ quan** **chủ trì**", "Cơ quan chủ trì", DOC_BOLD},
	    {"*1*", "1", DOC_ITALIC},
	    {"***X***", "X", DOC_BOLD | DOC_ITALIC},
	    {"của **\nTHƯ VIỆN**", "của \nTHƯ VIỆN", 0},
	    {"** **", " ", 0},
	    {"5 * 3 (*)", "5 * 3 (*)", 0},
	    {"ten_file and __đậm__", "ten_file and đậm", 0},
	    {"Điền vào ____ chỗ trống", "Điền vào ____ chỗ trống", 0},
	    {"*Đơn vị: *Sở Y tế", "Đơn vị: Sở Y tế", 0},
	    {"Quý II/2026<br>(trước 15/6)", "Quý II/2026\n(trước 15/6)", 0},
	    {"**A**<BR/>**B**<br />C<br", "A\nB\nC<br", 0},
	    {"a <b>c</b> <bra>", "a <b>c</b> <bra>", 0},
	};
	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		unsigned emph = 99;
		char *out = markup_strip(cases[i].in, strlen(cases[i].in), &emph);
		check_str(cases[i].in, out, cases[i].out);
		check_int(cases[i].in, emph, cases[i].emph);
		free(out);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_grid),       cmocka_unit_test(test_csv),
	    cmocka_unit_test(test_flat),       cmocka_unit_test(test_flat_body),
	    cmocka_unit_test(test_paragraphs), cmocka_unit_test(test_mixed_forms_and_lines),
	    cmocka_unit_test(test_bad_bytes),  cmocka_unit_test(test_utf16),
	    cmocka_unit_test(test_markers),    cmocka_unit_test(test_markup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
