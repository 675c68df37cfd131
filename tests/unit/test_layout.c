/*
 * Unit tests for import/layout: pages of placed words into paragraphs and
 * tables. Each case draws its pages in a line of text per printed line:
 *
 *   {page, y, "@60 STT @100 Nội dung công việc @300 Chủ trì"}
 *
 * "@X" moves the pen to x = X points; words follow at 5 points a
 * character and 2.5 points apart (this font's space); "**" before a word
 * makes it and the words after it bold, until the next "@". Lines are 10
 * points high, y their baseline. The reading is compared in doc_render.h's
 * form.
 */
#include "check.h"
#include "doc_render.h"

#include "import/layout.h"

#define CHAR_W 5.0
#define SPACE  2.5

struct drawn {
	int page;
	double y;
	const char *words;
};

/* The words of drawn lines; their text points into copies kept in *keep. */
static size_t place(const struct drawn *lines, size_t n, struct layout_word *out, size_t cap,
                    char **keep)
{
	size_t count = 0;

	for (size_t i = 0; i < n; i++) {
		char *s = keep[i] = strdup(lines[i].words);
		double x = 0;
		unsigned emph = 0;
		for (char *tok = strtok(s, " "); tok && count < cap; tok = strtok(NULL, " ")) {
			if (tok[0] == '@') {
				x = atof(tok + 1);
				emph = 0;
				continue;
			}
			if (!strncmp(tok, "**", 2)) {
				emph = DOC_BOLD;
				tok += 2;
			}
			size_t chars = 0;
			for (const char *c = tok; *c; c++)
				chars += ((unsigned char)*c & 0xC0) != 0x80;
			double w = chars * CHAR_W;
			out[count++] = (struct layout_word){
			    tok,        strlen(tok),   x,   lines[i].y - 10, x + w,
			    lines[i].y, lines[i].page, emph};
			x += w + SPACE;
		}
	}
	return count;
}

static void check_layout(const char *what, const struct drawn *lines, size_t n, int pages,
                         bool positions, const char *want)
{
	struct layout_word words[512];
	struct layout_page page[4] = {{595, 842}, {595, 842}, {595, 842}, {595, 842}};
	char *keep[128] = {0};
	struct doc d;

	assert_true(n <= 128);
	size_t count = place(lines, n, words, 512, keep);
	doc_init(&d);
	layout_read(words, count, page, pages, &d);
	char *got = doc_render(&d, positions);
	check_str(what, got, want);
	free(got);
	doc_free(&d);
	for (size_t i = 0; i < n; i++)
		free(keep[i]);
}

#define CHECK(what, lines, pages, positions, want)                                                 \
	check_layout(what, lines, N_ELEMS(lines), pages, positions, want)

static void test_paragraphs(void **state)
{
	static const struct drawn lines[] = {
	    /* a centred bold title, then a numbered paragraph over five lines:
	     * tokens broken at their hyphen join whole, a soft hyphen joins
	     * its word and goes */
	    {1, 100, "@250 **KẾ **HOẠCH"},
	    {1, 130, "@60 1. Mục tiêu chung của kế hoạch là chuyển đổi số toàn diện các cơ quan"},
	    {1, 142, "@60 nhà nước trên địa bàn tỉnh theo Nghị quyết số 57-"},
	    {1, 154, "@60 NQ/TW, bảo đảm kết nối và chia sẻ dữ liệu giữa các hệ thống thông tin"},
	    {1, 166, "@60 và cơ sở dữ liệu chuyên ngành của tỉnh từ 2021 - 2025 và đến năm 2026-"},
	    {1, 178, "@60 2030, do Sở Khoa học và Công nghệ chủ trì, đánh giá định kỳ hằ\xC2\xAD"},
	    {1, 190, "@60 ng năm."},
	    /* a bare number is a figure, not a marker; a bullet is one */
	    {1, 214, "@60 300 hộ gia đình được hỗ trợ"},
	    {1, 226, "@60 - Sở Tài chính chủ trì"},
	    {1, 238, "@60 a) Cơ quan phối hợp: Sở Nội vụ"},
	};

	(void)state;
	CHECK("paragraphs", lines, 1, true,
	      "p B: KẾ HOẠCH @page 1, paragraph 1\n"
	      "p '1.': Mục tiêu chung của kế hoạch là chuyển đổi số toàn diện các cơ quan nhà "
	      "nước trên địa bàn tỉnh theo Nghị quyết số 57-NQ/TW, bảo đảm kết nối và chia sẻ dữ "
	      "liệu giữa các hệ thống thông tin và cơ sở dữ liệu chuyên ngành của tỉnh từ 2021 - "
	      "2025 và đến năm 2026-2030, do Sở Khoa học và Công nghệ chủ trì, đánh giá định kỳ "
	      "hằng năm. @page 1, paragraph 2\n"
	      "p: 300 hộ gia đình được hỗ trợ @page 1, paragraph 3\n"
	      "p '-': Sở Tài chính chủ trì @page 1, paragraph 4\n"
	      "p 'a)': Cơ quan phối hợp: Sở Nội vụ @page 1, paragraph 5\n");
}

static void test_table(void **state)
{
	static const struct drawn lines[] = {
	    {1, 80, "@60 Bảng nhiệm vụ"},
	    {1, 100,
	     "@60 **STT @100 **Nội **dung **công **việc @320 **Chủ **trì @420 **Thời **gian"},
	    {1, 118, "@60 I @100 **HẠ **TẦNG **SỐ"},
	    /* a cell wrapped over three lines; the next row starts where the
	     * first column has a new number */
	    {1, 136,
	     "@60 1 @100 Nâng cấp mạng nội bộ cho các cơ quan @320 Sở Tài chính @420 Quý II/2025"},
	    {1, 148, "@100 nhà nước cấp tỉnh và cấp huyện, bảo @320 và Sở Nội vụ"},
	    {1, 160, "@100 đảm an toàn thông tin"},
	    /* a year broken after its '/' by the narrow cell joins whole */
	    {1, 178, "@60 2 @100 Rà soát thiết bị đầu cuối @320 Sở Y tế @420 30/11/2"},
	    {1, 190, "@420 026"},
	    {1, 196, "@60 3 @100 Số hoá hồ sơ lưu trữ @320 Sở Nội vụ @420 2026 - 2030"},
	    /* the lead and time of row 3 span this row too: it comes short */
	    {1, 214, "@60 4 @100 Lưu trữ điện tử"},
	    {1, 230, "@60 Nơi nhận:"},
	    {1, 242, "@60 - Như trên;"},
	};

	(void)state;
	CHECK("a table between paragraphs", lines, 1, false,
	      "p: Bảng nhiệm vụ\n"
	      "t1 p1\n"
	      "r: STT B | Nội dung công việc B | Chủ trì B | Thời gian B\n"
	      "r: I | HẠ TẦNG SỐ B\n"
	      "r: 1 | Nâng cấp mạng nội bộ cho các cơ quan nhà nước cấp tỉnh và cấp huyện, bảo "
	      "đảm an toàn thông tin | Sở Tài chính và Sở Nội vụ | Quý II/2025\n"
	      "r: 2 | Rà soát thiết bị đầu cuối | Sở Y tế | 30/11/2026\n"
	      "r: 3 | Số hoá hồ sơ lưu trữ | Sở Nội vụ | 2026 - 2030\n"
	      "r: 4 | Lưu trữ điện tử\n"
	      "p: Nơi nhận:\n"
	      "p '-': Như trên;\n");
}

static void test_rows_without_numbers(void **state)
{
	/* No number column: rows start where a column empty on the line above
	 * gets text, or at a gap wider than a cell's lines leave. */
	static const struct drawn lines[] = {
	    {1, 100, "@60 **Nhiệm **vụ @260 **Chủ **trì @400 **Thời **hạn"},
	    {1, 118, "@60 Xây dựng kho dữ liệu dùng @260 Sở Khoa học và @400 Năm 2025"},
	    {1, 130, "@60 chung của tỉnh @260 Công nghệ"},
	    {1, 142, "@60 và các huyện"},
	    {1, 154, "@60 Tập huấn kỹ năng số @260 Sở Nội vụ @400 Thường xuyên"},
	    {1, 172, "@60 Đánh giá kết quả @260 Sở Y tế @400 Quý IV"},
	};

	(void)state;
	CHECK("rows without numbers", lines, 1, false,
	      "t1 p1\n"
	      "r: Nhiệm vụ B | Chủ trì B | Thời hạn B\n"
	      "r: Xây dựng kho dữ liệu dùng chung của tỉnh và các huyện | Sở Khoa học và Công "
	      "nghệ | Năm 2025\n"
	      "r: Tập huấn kỹ năng số | Sở Nội vụ | Thường xuyên\n"
	      "r: Đánh giá kết quả | Sở Y tế | Quý IV\n");
}

static void test_pages_and_furniture(void **state)
{
	/* A running header and page numbers on both pages; the table goes on
	 * after the break under its repeated header, and its row cut by the
	 * break goes back together. */
	static const struct drawn lines[] = {
	    {1, 30, "@60 CÔNG BÁO - Số 12"},
	    {1, 100, "@60 **STT @100 **Nội **dung @320 **Chủ **trì @420 **Thời **gian"},
	    {1, 118, "@60 1 @100 Việc thứ nhất @320 Sở Y tế @420 2025"},
	    {1, 136, "@60 2 @100 Việc thứ hai, viết dài @320 Sở Nội vụ @420 2026"},
	    {1, 148, "@100 qua trang sau"},
	    {1, 820, "@290 Trang 1"},
	    {2, 30, "@60 CÔNG BÁO - Số 13"},
	    {2, 100, "@60 **STT @100 **Nội **dung @320 **Chủ **trì @420 **Thời **gian"},
	    {2, 118, "@100 và còn tiếp"},
	    {2, 136, "@60 3 @100 Việc thứ ba @320 Sở Tư pháp @420 2027"},
	    {2, 820, "@290 Trang 2"},
	};

	(void)state;
	CHECK(
	    "pages", lines, 2, true,
	    "t1 p1 @page 1, table 1\n"
	    "rh: STT B | Nội dung B @page 1, table 1, row 1, column 2 | Chủ trì B @page 1, table "
	    "1, row 1, column 3 | Thời gian B @page 1, table 1, row 1, column 4 @page 1, table 1, "
	    "row 1\n"
	    "r: 1 | Việc thứ nhất @page 1, table 1, row 2, column 2 | Sở Y tế @page 1, table 1, "
	    "row 2, column 3 | 2025 @page 1, table 1, row 2, column 4 @page 1, table 1, row 2\n"
	    "r: 2 | Việc thứ hai, viết dài qua trang sau và còn tiếp @page 1, table 1, row 3, "
	    "column 2 | Sở Nội vụ @page 1, table 1, row 3, column 3 | 2026 @page 1, table 1, row "
	    "3, column 4 @page 1, table 1, row 3\n"
	    "rh: STT B | Nội dung B @page 2, table 1, row 4, column 2 | Chủ trì B @page 2, table "
	    "1, row 4, column 3 | Thời gian B @page 2, table 1, row 4, column 4 @page 2, table 1, "
	    "row 4\n"
	    "r: 3 | Việc thứ ba @page 2, table 1, row 5, column 2 | Sở Tư pháp @page 2, table 1, "
	    "row 5, column 3 | 2027 @page 2, table 1, row 5, column 4 @page 2, table 1, row 5\n");
}

static void test_spanning_rows(void **state)
{
	/* A section title across every column parts two runs of rows with the
	 * same columns: one table, the title a cell spanning them. */
	static const struct drawn lines[] = {
	    {1, 100, "@60 **STT @100 **Nội **dung @320 **Chủ **trì @420 **Thời **gian"},
	    {1, 118, "@60 1 @100 Việc một @320 Sở Y tế @420 2025"},
	    {1, 130, "@60 2 @100 Việc hai @320 Sở Nội vụ @420 2026"},
	    {1, 148,
	     "@60 **B. **NHIỆM **VỤ **RIÊNG **CỦA **CÁC **SỞ, **NGÀNH **VÀ **ĐỊA "
	     "**PHƯƠNG **TRONG **TỈNH"},
	    {1, 166, "@60 1 @100 Việc ba @320 Sở Tư pháp @420 2027"},
	    {1, 178, "@60 2 @100 Việc bốn @320 Sở Xây dựng @420 2028"},
	};

	(void)state;
	CHECK("a spanning row", lines, 1, false,
	      "t1 p1\n"
	      "r: STT B | Nội dung B | Chủ trì B | Thời gian B\n"
	      "r: 1 | Việc một | Sở Y tế | 2025\n"
	      "r: 2 | Việc hai | Sở Nội vụ | 2026\n"
	      "r: B. NHIỆM VỤ RIÊNG CỦA CÁC SỞ, NGÀNH VÀ ĐỊA PHƯƠNG TRONG TỈNH<3> B\n"
	      "r: 1 | Việc ba | Sở Tư pháp | 2027\n"
	      "r: 2 | Việc bốn | Sở Xây dựng | 2028\n");
}

static void test_lists_are_not_tables(void **state)
{
	/* Markers set apart from their text (hanging indents) are a list. */
	static const struct drawn lines[] = {
	    {1, 100, "@60 a) @90 Rà soát các văn bản quy phạm pháp luật có liên quan đến"},
	    {1, 112, "@90 chuyển đổi số của tỉnh;"},
	    {1, 124, "@60 b) @90 Xây dựng kế hoạch số hoá hồ sơ lưu trữ;"},
	    {1, 136, "@60 c) @90 Tập huấn kỹ năng số cho cán bộ."},
	};

	(void)state;
	CHECK("a list", lines, 1, false,
	      "p 'a)': Rà soát các văn bản quy phạm pháp luật có liên quan đến chuyển đổi số của "
	      "tỉnh;\n"
	      "p 'b)': Xây dựng kế hoạch số hoá hồ sơ lưu trữ;\n"
	      "p 'c)': Tập huấn kỹ năng số cho cán bộ.\n");
}

static void test_two_row_header(void **state)
{
	/* "Cơ quan thực hiện" spans "Chủ trì | Phối hợp": the header's lines
	 * leave fewer gaps than the rows, yet they are the table's first rows;
	 * the caption above, one run of words, is not. */
	static const struct drawn lines[] = {
	    {1, 80, "@150 Danh mục nhiệm vụ năm 2026"},
	    {1, 100,
	     "@60 **STT @100 **Nhiệm **vụ @300 **Cơ **quan **thực **hiện @470 **Thời **hạn"},
	    {1, 112, "@300 **Chủ **trì @390 **Phối **hợp"},
	    {1, 130, "@60 1 @100 Rà soát hộ nghèo @300 Sở Y tế @390 Sở Nội vụ @470 Quý II/2026"},
	    {1, 148, "@60 2 @100 Hỗ trợ nhà ở @300 Sở Xây dựng @390 Sở Tài chính @470 2026"},
	    {1, 166, "@60 3 @100 Đào tạo nghề @300 Sở Nội vụ @390 UBND các xã @470 Quý III/2026"},
	};

	(void)state;
	CHECK("a two-row header", lines, 1, false,
	      "p: Danh mục nhiệm vụ năm 2026\n"
	      "t1 p1\n"
	      "r: STT B | Nhiệm vụ B | Cơ quan thực hiện<2> B | Thời hạn B\n"
	      "r:  |  | Chủ trì B | Phối hợp B\n"
	      "r: 1 | Rà soát hộ nghèo | Sở Y tế | Sở Nội vụ | Quý II/2026\n"
	      "r: 2 | Hỗ trợ nhà ở | Sở Xây dựng | Sở Tài chính | 2026\n"
	      "r: 3 | Đào tạo nghề | Sở Nội vụ | UBND các xã | Quý III/2026\n");
}

/*
 * A section title right under the header crosses a column no row has
 * confirmed yet: it is a title over them, and the columns stay; a cell of
 * justified text may run close to the next column, whose text starts
 * where the column does.
 */
static void test_title_under_header_and_close_columns(void **state)
{
	static const struct drawn lines[] = {
	    {1, 100, "@60 **TT @100 **Nhiệm **vụ @250 **Chủ **trì @350 **Thời **gian"},
	    {1, 118, "@60 I @100 **QUY **HOẠCH, **CƠ **CHẾ, **CHÍNH **SÁCH **CHUNG"},
	    {1, 136, "@60 1 @100 Rà soát văn bản @250 Sở Tư pháp @350 Quý I/2027"},
	    {1, 154, "@60 2 @100 Lập kế hoạch @250 Sở Nội vụ @350 Quý II/2027"},
	    {1, 172, "@60 3 @108 Nâng cấp đường giao thông nông @250 Sở Xây dựng @350 2027"},
	    {1, 184, "@100 thôn mới"},
	    {1, 208, "@60 Nơi nhận:"},
	};

	(void)state;
	CHECK("a title under the header, a close column", lines, 1, false,
	      "t1 p1\n"
	      "r: TT B | Nhiệm vụ B | Chủ trì B | Thời gian B\n"
	      "r: I | QUY HOẠCH, CƠ CHẾ, CHÍNH SÁCH CHUNG<2> B\n"
	      "r: 1 | Rà soát văn bản | Sở Tư pháp | Quý I/2027\n"
	      "r: 2 | Lập kế hoạch | Sở Nội vụ | Quý II/2027\n"
	      "r: 3 | Nâng cấp đường giao thông nông thôn mới | Sở Xây dựng | 2027\n"
	      "p: Nơi nhận:\n");
}

static void test_nothing(void **state)
{
	struct doc d;

	(void)state;
	doc_init(&d);
	layout_read(NULL, 0, NULL, 0, &d);
	check_int("no blocks", d.n_blocks, 0);
	doc_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_paragraphs),
	    cmocka_unit_test(test_table),
	    cmocka_unit_test(test_rows_without_numbers),
	    cmocka_unit_test(test_pages_and_furniture),
	    cmocka_unit_test(test_spanning_rows),
	    cmocka_unit_test(test_lists_are_not_tables),
	    cmocka_unit_test(test_two_row_header),
	    cmocka_unit_test(test_title_under_header_and_close_columns),
	    cmocka_unit_test(test_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
