/*
 * Unit tests for the import's meaning stage (columns, tables, lists,
 * plan_facts, meaning): documents written here, in the forms and with the
 * traps real plans have, but in other words, column orders and forms than
 * the plans in ../shared — a plan of another province must read as well.
 *
 * Each task is compared in one line:
 *   KEY «title» L:lead C:coord T:timeframe [S:category]
 * (names on separate lines in a cell shown as " / "; empty fields as "-").
 */
#include "check.h"

#include "buf.h"
#include "import/columns.h"
#include "import/doc.h"
#include "import/meaning.h"
#include "import/read_text.h"

#include <stdlib.h>
#include <string.h>

static void field(struct buf *b, const char *tag, const char *s)
{
	buf_printf(b, " %s:", tag);
	if (!s || !*s) {
		buf_addc(b, '-');
		return;
	}
	for (; *s; s++)
		buf_adds(b, *s == '\n' ? " / " : (char[]){*s, 0});
}

static char *render_task(const struct import_row *r, bool category)
{
	struct buf b = BUF_INIT;

	buf_printf(&b, "%s «%s»", r->key, r->title);
	field(&b, "L", r->lead);
	field(&b, "C", r->coord);
	field(&b, "T", r->timeframe);
	if (category)
		field(&b, "S", r->category);
	return buf_steal(&b);
}

struct meaning_case {
	const char *what;
	const char *text;
	size_t indicators;
	bool category;
	const char *tasks[12]; /* all of them, in order; NULL-terminated */
};

static void read_doc(const char *text, struct doc *d, struct import_result *r)
{
	doc_init(d);
	result_init(r);
	assert_int_equal(read_text(text, strlen(text), d), 0);
	meaning_read(d, r);
}

static void run_cases(const struct meaning_case *cases, size_t n)
{
	size_t failed = 0;

	for (size_t i = 0; i < n; i++) {
		const struct meaning_case *c = &cases[i];
		struct doc d;
		struct import_result r;
		size_t want = 0;
		bool ok = true;
		read_doc(c->text, &d, &r);
		while (c->tasks[want])
			want++;
		if (r.n_rows != want || r.n_indicators != c->indicators)
			ok = false;
		for (size_t k = 0; k < r.n_rows && k < want; k++) {
			char *got = render_task(&r.rows[k], c->category);
			ok &= !strcmp(got, c->tasks[k]);
			free(got);
		}
		if (!ok) {
			print_error("%s: %zu tasks (want %zu), %zu indicators (want %zu)\n",
			            c->what, r.n_rows, want, r.n_indicators, c->indicators);
			for (size_t k = 0; k < r.n_rows || k < want; k++) {
				char *got =
				    k < r.n_rows ? render_task(&r.rows[k], c->category) : NULL;
				print_error(
				    "  %s %s\n      want %s\n",
				    got && k < want && !strcmp(got, c->tasks[k]) ? "  " : "!!",
				    got ? got : "(none)", k < want ? c->tasks[k] : "(none)");
				free(got);
			}
			for (size_t k = 0; k < r.n_problems; k++)
				print_error("  note line %d: %s\n", r.problems[k].pos.line,
				            r.problems[k].what);
			failed++;
		}
		result_free(&r);
		doc_free(&d);
	}
	if (failed) {
		print_error("%zu of %zu documents read wrongly\n", failed, n);
		fail();
	}
}

/* ---- header words ------------------------------------------------------------------------- */

static void test_column_roles(void **state)
{
	static const struct {
		const char *header;
		enum col_role role;
	} cases[] = {
	    {"STT", COL_INDEX},
	    {"TT", COL_INDEX},
	    {"Số TT", COL_INDEX},
	    {"ST T", COL_INDEX},
	    {"T T", COL_INDEX}, /* a narrow PDF column breaks the word */
	    {"Nội dung công việc", COL_TASK},
	    {"Tên nhiệm vụ/dự án", COL_TASK},
	    {"Nhiệm vụ, giải pháp", COL_TASK},
	    {"Chỉ tiêu", COL_TASK},
	    {"Đơn vị thực hiện", COL_LEAD},
	    {"Cơ quan thực hiện", COL_LEAD},
	    {"Cơ quan chủ trì", COL_LEAD},
	    {"Đơn vị chịu trách nhiệm phổ biến", COL_LEAD},
	    {"Trách nhiệm thực hiện", COL_LEAD},
	    {"Đơn vị", COL_LEAD},
	    {"Cơ quan phối hợp", COL_COORD},
	    {"Đơn vị phối hợp thực hiện", COL_COORD},
	    {"Thời gian hoàn thành", COL_TIME},
	    {"Thời gian thực hiện", COL_TIME},
	    {"Thời hạn", COL_TIME},
	    {"Tiến độ", COL_TIME},
	    {"Sản phẩm đầu ra", COL_RESULT},
	    {"Kết quả dự kiến", COL_RESULT},
	    {"Kết quả thực hiện", COL_RESULT},
	    {"Ghi chú", COL_NOTE},
	    {"Nguồn kinh phí", COL_BUDGET},
	    {"Tình trạng", COL_STATUS},
	    {"Người đứng đầu chịu trách nhiệm", COL_PERSON},
	    {"Lãnh đạo phụ trách", COL_PERSON},
	    {"Văn bản giao nhiệm vụ", COL_SOURCE},
	    {"Đơn vị tính", COL_UNIT},
	    {"Năm thực hiện", COL_TIME},
	    {"Địa bàn thực hiện", COL_OTHER},
	    {"Cơ quan đầu mối", COL_LEAD},
	    {"Đơn vị tham mưu", COL_LEAD},
	    {"Cơ quan được giao", COL_LEAD},
	    {"Nhiệm vụ được giao", COL_TASK},
	    {"Cơ quan trình", COL_LEAD},
	    {"Lộ trình thực hiện", COL_TIME},
	    {"Cơ quan soạn thảo", COL_LEAD},
	    {"Đơn vị triển khai", COL_LEAD},
	    {"Nội dung triển khai", COL_TASK},
	    {"Activity", COL_TASK},
	    {"Responsible unit", COL_LEAD},
	    {"Person in charge", COL_PERSON},
	    {"Deadline", COL_TIME},
	    {"Expected output", COL_RESULT},
	    {"% of task complete", COL_STATUS},
	    {"No.", COL_INDEX},
	    {"Hình thức phổ biến", COL_OTHER},
	    {"Mức độ hoàn chỉnh", COL_OTHER},
	    {"", COL_OTHER},
	};
	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++)
		check_str(cases[i].header, columns_role_name(columns_role(cases[i].header)),
		          columns_role_name(cases[i].role));
}

/* Two columns, one role: the weaker gives way. */
static void test_column_conflicts(void **state)
{
	static const char text[] = "TT\tChỉ tiêu\tĐơn vị\tKết quả\tCơ quan chủ trì theo dõi\n"
	                           "TT\tNhiệm vụ\tThời hạn\tTiến độ\tĐơn vị chủ trì\n";
	struct doc d;
	struct import_result r;

	(void)state;
	read_doc(text, &d, &r);
	assert_int_equal(r.n_tables, 2);
	check_str("a bare Đơn vị beside a lead", columns_role_name(r.tables[0].cols.role[2]),
	          "unit");
	check_int("no time, a lead that follows up: indicators", r.tables[0].kind,
	          TABLE_INDICATORS);
	check_str("Tiến độ beside a deadline", columns_role_name(r.tables[1].cols.role[3]),
	          "status");
	check_int("tasks", r.tables[1].kind, TABLE_TASKS);
	result_free(&r);
	doc_free(&d);

	/* A second header row: each cell named with the spanning header over it. */
	read_doc("| TT | Nội dung | Cơ quan thực hiện | | Thời hạn |\n|---|---|---|---|---|\n"
	         "| | | Chủ trì | Phối hợp | |\n| 1 | Việc | Sở A | Sở B | 2027 |\n",
	         &d, &r);
	assert_int_equal(r.n_tables, 1);
	check_str("under a spanning header", r.tables[0].cols.header[3],
	          "Cơ quan thực hiện Phối hợp");
	check_str("its role", columns_role_name(r.tables[0].cols.role[3]), "coord");
	result_free(&r);
	doc_free(&d);
}

/* ---- tables ------------------------------------------------------------------------------- */

static const struct meaning_case table_cases[] = {
    {"another province's words, the time before the lead, extra columns (tab-separated)",
     "STT\tNội dung công việc\tThời gian hoàn thành\tĐơn vị thực hiện\tCơ quan phối "
     "hợp\tSản phẩm đầu ra\tGhi chú\n"
     "A\tCÁC NHIỆM VỤ CHUNG\t\t\t\t\t\n"
     "I\tHạ tầng\t\t\t\t\t\n"
     "1\tNâng cấp trung tâm dữ liệu\tQuý III/2026\tSở Khoa học và Công nghệ\tSở Tài "
     "chính\tTrung tâm được nâng cấp\tƯu tiên\n"
     "2\tMở rộng mạng diện rộng\t2026 - 2027\tBộ Công an (Cục A05)\t\tMạng\t\n",
     0,
     true,
     {"A.I.1 «Nâng cấp trung tâm dữ liệu» L:Sở Khoa học và Công nghệ C:Sở Tài chính "
      "T:Quý III/2026 S:A. CÁC NHIỆM VỤ CHUNG / I. Hạ tầng",
      "A.I.2 «Mở rộng mạng diện rộng» L:Bộ Công an (Cục A05) C:- T:2026 - 2027 S:A. CÁC "
      "NHIỆM VỤ CHUNG / I. Hạ tầng",
      NULL}},
    {"no number column: the number written in the task's cell, or the rows' order",
     "| Nội dung nhiệm vụ | Đơn vị chủ trì | Hạn hoàn thành |\n|---|---|---|\n"
     "| 1. Lập quy hoạch cấp nước | Sở Xây dựng | Quý I/2027 |\n"
     "| 2. Kiểm kê nguồn nước | Sở Nông nghiệp và Môi trường | 2027 |\n\n"
     "| Nội dung nhiệm vụ | Đơn vị chủ trì | Hạn hoàn thành |\n|---|---|---|\n"
     "| Khảo sát vùng hạn | UBND cấp xã | Tháng 4/2027 |\n"
     "| kèm danh sách hộ dân | | |\n"
     "| Lắp trạm quan trắc | Sở Nông nghiệp và Môi trường | 2027 - 2028 |\n",
     0,
     false,
     {"1 «Lập quy hoạch cấp nước» L:Sở Xây dựng C:- T:Quý I/2027",
      "2 «Kiểm kê nguồn nước» L:Sở Nông nghiệp và Môi trường C:- T:2027",
      "1#2 «Khảo sát vùng hạn kèm danh sách hộ dân» L:UBND cấp xã C:- T:Tháng 4/2027",
      "2#2 «Lắp trạm quan trắc» L:Sở Nông nghiệp và Môi trường C:- T:2027 - 2028", NULL}},
    {"a header whose words wrap onto a second line, repeated after a page break",
     "| TT | Nhiệm vụ | Đơn vị chủ | Đơn vị phối | Thời gian |\n|---|---|---|---|---|\n"
     "| | | trì | hợp | hoàn thành |\n| 1 | Rà soát văn bản | Sở Tư pháp | Sở Nội vụ | Quý "
     "III/2027 |\n| TT | Nhiệm vụ | Đơn vị chủ | Đơn vị phối | Thời gian |\n"
     "| | | trì | hợp | hoàn thành |\n| | và cập nhật | | | |\n"
     "| 2 | Kiểm tra | Sở Y tế | | Quý IV/2027 |\n",
     0,
     false,
     {"1 «Rà soát văn bản và cập nhật» L:Sở Tư pháp C:Sở Nội vụ T:Quý III/2027",
      "2 «Kiểm tra» L:Sở Y tế C:- T:Quý IV/2027", NULL}},
    {"a report form's blank lines after the task table are no tasks",
     "| TT | Nhiệm vụ | Cơ quan chủ trì | Thời gian hoàn thành |\n|---|---|---|---|\n"
     "| 1 | Rà soát văn bản | Sở Tư pháp | Quý III/2027 |\n\nMẫu báo cáo\n\n"
     "| TT | Nhiệm vụ | Cơ quan chủ trì | Kết quả thực hiện |\n|---|---|---|---|\n"
     "| 1 | | | |\n| 2 | | | |\n| ... | | | |\n| | … | | |\n",
     0,
     false,
     {"1 «Rà soát văn bản» L:Sở Tư pháp C:- T:Quý III/2027", NULL}},
    {"a person column before the lead is no lead; a source column is no task",
     "| TT | Tên công việc | Văn bản giao việc | Lãnh đạo phụ trách | Cơ quan chủ trì | Hạn |\n"
     "|---|---|---|---|---|---|\n"
     "| 1 | Việc một | Nghị quyết số 9/NQ-CP | Giám đốc Sở X | Sở Xây dựng | 30/9/2026 |\n",
     0,
     false,
     {"1 «Việc một» L:Sở Xây dựng C:- T:30/9/2026", NULL}},
    {"flattened: merged cells inherited, a sub-row, the end of a row cut by an empty cell",
     "|\n**STT**\n|\n**Nhiệm vụ**\n|\n**Đơn vị chủ trì**\n|\n**Thời gian**\n|\n**Kết quả**\n|\n"
     "**Tình trạng**\n|\n|\n"
     "**I**\n|\n**Thể chế**\n|\n|\n"
     "1\n|\nSoạn quy chế\nmới\n|\nSở Nội vụ\n|\nQuý I/2026\n|\nQuy chế\n|\nĐang làm\n|\n|\n"
     "2\n|\nSửa quy chế cũ\n|\n|\n"
     "Phổ biến quy chế cho các xã\n|\nSở Tư pháp\n|\n|\n"
     "3\n|\nLập danh mục\n|\nSở Y tế\n|\nQuý II/2026\n|\n|\nĐã xong\n|\n|\n",
     0,
     false,
     {"I.1 «Soạn quy chế mới» L:Sở Nội vụ C:- T:Quý I/2026",
      "I.2 «Sửa quy chế cũ» L:Sở Nội vụ C:- T:Quý I/2026",
      "I.2#2 «Phổ biến quy chế cho các xã» L:Sở Tư pháp C:- T:Quý I/2026",
      "I.3 «Lập danh mục» L:Sở Y tế C:- T:Quý II/2026", NULL}},
    {"a column-number row, italic numbers, italic sub-groups with numbering going on",
     "|\n**TT**\n|\n**Nhiệm vụ**\n|\n**Cơ quan chủ trì**\n|\n**Thời hạn**\n|\n|\n"
     "*A*\n|\n*B*\n|\n*1*\n|\n*2*\n|\n|\n"
     "**II**\n|\n**Dữ liệu**\n|\n|\n*II.1*\n|\n*Dữ liệu ngành*\n|\n|\n"
     "*1*\n|\nLàm sạch dữ liệu\n|\nSở Tài chính\n|\n2026\n|\n|\n"
     "*II.2*\n|\n*Dữ liệu xã*\n|\n|\n"
     "*2*\n|\nKết nối dữ liệu\n|\nUBND các xã\n|\n2027\n|\n|\n",
     0,
     true,
     {"II.1.1 «Làm sạch dữ liệu» L:Sở Tài chính C:- T:2026 S:II. Dữ liệu / II.1. Dữ liệu "
      "ngành",
      "II.2.2 «Kết nối dữ liệu» L:UBND các xã C:- T:2027 S:II. Dữ liệu / II.2. Dữ liệu xã", NULL}},
    {"a bold group without a number; the header again after a page, without STT, in other "
     "words; the last row never closed",
     "|\n**STT**\n|\n**Nhiệm vụ**\n|\n**Đơn vị chủ trì**\n|\n**Thời hạn**\n|\n|\n"
     "** **\n|\n**Nhóm việc của Sở A**\n|\n** **\n|\n** **\n|\n|\n"
     "1\n|\nViệc một\n|\nSở A\n|\n2026\n|\n|\n\n\n"
     "|\n**Nội dung**\n|\n**Đơn vị chủ trì**\n|\n**Thời hạn**\n|\n|\n"
     "2\n|\nViệc hai\n|\nSở B\n|\n2027\n|\nBản quyền thuộc về trang web\n|\n",
     0,
     true,
     {"1 «Việc một» L:Sở A C:- T:2026 S:Nhóm việc của Sở A",
      "2 «Việc hai» L:Sở B C:- T:2027 S:Nhóm việc của Sở A", NULL}},
    {"two tables whose numbers restart, each under its numbered heading",
     "1. Việc quá hạn\n\n| STT | Nhiệm vụ | Đơn vị chủ trì | Thời hạn |\n|---|---|---|---|\n"
     "| 1 | Việc A | Sở A | 30/6/2026 |\n| 2 | Việc B | Sở B | 30/6/2026 |\n\n"
     "2. Việc đến hạn\n\n| STT | Nhiệm vụ | Đơn vị chủ trì | Thời hạn |\n|---|---|---|---|\n"
     "| 1 | Việc C | Sở C | 31/12/2026 |\n",
     0,
     true,
     {"1.1 «Việc A» L:Sở A C:- T:30/6/2026 S:1. Việc quá hạn",
      "1.2 «Việc B» L:Sở B C:- T:30/6/2026 S:1. Việc quá hạn",
      "2.1 «Việc C» L:Sở C C:- T:31/12/2026 S:2. Việc đến hạn", NULL}},
    {"an indicator table is reported apart; the task table after it is read",
     "| TT | Chỉ tiêu | Đơn vị tính | Mục tiêu 2030 | Cơ quan theo dõi, đánh giá |\n"
     "|---|---|---|---|---|\n| 1 | Tỷ lệ hồ sơ trực tuyến | % | 80 | Văn phòng UBND |\n"
     "| 2 | Số doanh nghiệp số | DN | 500 | Sở Khoa học và Công nghệ |\n\nPhụ lục II\n\n"
     "| TT | Nhiệm vụ | Cơ quan chủ trì | Thời gian |\n|---|---|---|---|\n"
     "| 1 | Xây dựng cổng dữ liệu | Sở A | Quý IV/2026 |\n",
     2,
     false,
     {"1 «Xây dựng cổng dữ liệu» L:Sở A C:- T:Quý IV/2026", NULL}},
    {"a heading glued into the last cell of a table's last row starts the next table",
     "|\n**STT**\n|\n**Nhiệm vụ**\n|\n**Cơ quan chủ trì**\n|\n**Thời hạn**\n|\n|\n"
     "1\n|\nViệc A\n|\nSở A\n|\n2026\n|\n**2. Nhóm hai**\n|\n"
     "**STT**\n|\n**Nhiệm vụ**\n|\n**Cơ quan chủ trì**\n|\n**Thời hạn**\n|\n|\n"
     "1\n|\nViệc B\n|\nSở B\n|\n2027\n|\n|\n",
     0,
     false,
     {"T1.1 «Việc A» L:Sở A C:- T:2026", "2.1 «Việc B» L:Sở B C:- T:2027", NULL}},
    {"a CR LF inside a CSV number cell never reaches the key",
     "STT,Nhiệm vụ,Chủ trì,Thời hạn\n\"1\r\n.2\",Việc,Sở Y tế,2026\n",
     0,
     false,
     {"1.2 «Việc» L:Sở Y tế C:- T:2026", NULL}},
};

static void test_tables(void **state)
{
	(void)state;
	run_cases(table_cases, N_ELEMS(table_cases));
}

/*
 * Which column is the task's, which the deadline, which row a total or a
 * sibling: what the cells and the numbering say, as an official reads them
 * (the header alone leaves it unclear).
 */
static const struct meaning_case task_column_cases[] = {
    {"no number column: the column of numbered items is the task, whatever its header",
     "| Sản phẩm cần đạt | Mục tiêu | Nhiệm vụ liên quan | Cơ quan chủ trì | Thời hạn |\n"
     "|---|---|---|---|---|\n"
     "| **1. Quy chế quản lý cụm công nghiệp** | Thu hút đầu tư (2027) | 3, 7 | Sở Công "
     "Thương | Quý II/2027 |\n"
     "| **2. Đề án phát triển làng nghề** | Giữ nghề truyền thống | 5 | Sở Nông nghiệp và "
     "Môi trường | 2027 |\n",
     0,
     false,
     {"1 «Quy chế quản lý cụm công nghiệp» L:Sở Công Thương C:- T:Quý II/2027",
      "2 «Đề án phát triển làng nghề» L:Sở Nông nghiệp và Môi trường C:- T:2027", NULL}},
    {"numbered products beside a column named for the work and written: the work is the task",
     "| Sản phẩm | Nội dung công việc | Cơ quan chủ trì | Thời hạn |\n|---|---|---|---|\n"
     "| 1. Quyết định phê duyệt | Lập quy hoạch bến xe khách | Sở Xây dựng | 2027 |\n"
     "| 2. Báo cáo đánh giá | Đánh giá hiện trạng bến xe | Sở Xây dựng | 2026 |\n",
     0,
     false,
     {"1 «Lập quy hoạch bến xe khách» L:Sở Xây dựng C:- T:2027",
      "2 «Đánh giá hiện trạng bến xe» L:Sở Xây dựng C:- T:2026", NULL}},
    {"a task column of bare reference numbers is no title: the result beside it is",
     "STT\tNhiệm vụ\tKết quả đầu ra\tĐơn vị chủ trì\tThời gian hoàn thành\n"
     "1\t12\tBộ tiêu chí xã nông thôn mới kiểu mẫu\tSở Nông nghiệp và Môi trường\tTháng "
     "9/2026\n"
     "2\t4, 15\tCơ sở dữ liệu hộ nghèo\tSở Y tế\t2026\n",
     0,
     false,
     {"1 «Bộ tiêu chí xã nông thôn mới kiểu mẫu» L:Sở Nông nghiệp và Môi trường C:- T:Tháng "
      "9/2026",
      "2 «Cơ sở dữ liệu hộ nghèo» L:Sở Y tế C:- T:2026", NULL}},
    {"no task column: the products listed are the items",
     "| TT | Sản phẩm | Cơ quan chủ trì | Thời hạn |\n|---|---|---|---|\n"
     "| 1 | Bản đồ số quy hoạch đô thị | Sở Xây dựng | 2026 |\n"
     "| 2 | Báo cáo đánh giá giữa kỳ | Sở Tài chính | 30/6/2027 |\n",
     0,
     false,
     {"1 «Bản đồ số quy hoạch đô thị» L:Sở Xây dựng C:- T:2026",
      "2 «Báo cáo đánh giá giữa kỳ» L:Sở Tài chính C:- T:30/6/2027", NULL}},
    {"an objective column gives way to the work's own column, wherever it stands",
     "| TT | Mục tiêu | Nội dung thực hiện | Đơn vị chủ trì | Thời gian |\n|---|---|---|---|---|\n"
     "| 1 | Giảm tai nạn giao thông | Lắp camera tại các nút giao | Công an tỉnh | Quý III/2026 "
     "|\n",
     0,
     false,
     {"1 «Lắp camera tại các nút giao» L:Công an tỉnh C:- T:Quý III/2026", NULL}},
    {"with a number column, numbered results stay results",
     "| STT | Nhiệm vụ | Kết quả | Chủ trì | Thời hạn |\n|---|---|---|---|---|\n"
     "| 1 | Sửa quy chế văn thư | 1. Quy chế mới được ban hành | Văn phòng UBND tỉnh | 2026 |\n"
     "| 2 | Số hóa hồ sơ lưu trữ | 2. Kho hồ sơ số đầy đủ | Sở Nội vụ | 2027 |\n",
     0,
     false,
     {"1 «Sửa quy chế văn thư» L:Văn phòng UBND tỉnh C:- T:2026",
      "2 «Số hóa hồ sơ lưu trữ» L:Sở Nội vụ C:- T:2027", NULL}},
    {"a group title in capitals, with no number and nothing else, heads the rows under it",
     "| TT | Nhiệm vụ | Đơn vị chủ trì | Thời hạn |\n|---|---|---|---|\n"
     "| | LĨNH VỰC GIAO THÔNG | | |\n| 1 | Sửa cầu treo | Sở Xây dựng | 2026 |\n"
     "| | LĨNH VỰC NÔNG NGHIỆP | | |\n| 2 | Nạo vét kênh | UBND các xã | 2027 |\n"
     "| | kèm hồ sơ thiết kế | | |\n",
     0,
     true,
     {"1 «Sửa cầu treo» L:Sở Xây dựng C:- T:2026 S:LĨNH VỰC GIAO THÔNG",
      "2 «Nạo vét kênh kèm hồ sơ thiết kế» L:UBND các xã C:- T:2027 S:LĨNH VỰC NÔNG NGHIỆP", NULL}},
    {"a start column beside an end column: the end is the deadline",
     "| TT | Tên dự án | Chủ trì | Thời gian bắt đầu | Thời gian kết thúc "
     "|\n|---|---|---|---|---|\n"
     "| 1 | Cải tạo chợ trung tâm | UBND phường An Lạc | Tháng 2/2026 | Tháng 8/2027 |\n",
     0,
     false,
     {"1 «Cải tạo chợ trung tâm» L:UBND phường An Lạc C:- T:Tháng 8/2027", NULL}},
    {"the total a spreadsheet ends with is no row's text",
     "TT,Nội dung,Đơn vị chủ trì,Thời hạn\n1,Kiểm kê tài sản công,Sở Tài chính,Quý I/2026\n"
     ",,,\n,Tổng cộng: 1 nhiệm vụ,,\n",
     0,
     false,
     {"1 «Kiểm kê tài sản công» L:Sở Tài chính C:- T:Quý I/2026", NULL}},
    {"a numbered group over lettered rows ends at the next number of its kind",
     "| TT | Nội dung | Chủ trì | Thời gian |\n|---|---|---|---|\n"
     "| 4 | Phát triển rừng | | |\n"
     "| a) | Trồng rừng thay thế | Sở Nông nghiệp và Môi trường | Năm 2026 |\n"
     "| b) | Giao khoán bảo vệ rừng | UBND các xã | Quý IV/2026 |\n"
     "| 5 | Tổng kết chương trình | Sở Nông nghiệp và Môi trường | Tháng 12/2026 |\n"
     "| 6 | Nhóm việc khác | | |\n"
     "| 1 | Việc con thứ nhất | Sở Y tế | 2026 |\n"
     "| 2 | Việc con thứ hai | Sở Y tế | 2027 |\n"
     "| 7 | Việc con thứ ba | Sở Y tế | 2027 |\n",
     0,
     false,
     {"4.a «Trồng rừng thay thế» L:Sở Nông nghiệp và Môi trường C:- T:Năm 2026",
      "4.b «Giao khoán bảo vệ rừng» L:UBND các xã C:- T:Quý IV/2026",
      "5 «Tổng kết chương trình» L:Sở Nông nghiệp và Môi trường C:- T:Tháng 12/2026",
      "6.1 «Việc con thứ nhất» L:Sở Y tế C:- T:2026", "6.2 «Việc con thứ hai» L:Sở Y tế C:- T:2027",
      "6.7 «Việc con thứ ba» L:Sở Y tế C:- T:2027", NULL}},
    {"a second header row under a spanning one names the lead and the partners",
     "| TT | Nội dung | Đơn vị thực hiện | | Thời gian |\n|---|---|---|---|---|\n"
     "| | | Chủ trì | Phối hợp | |\n"
     "| 1 | Nạo vét kênh tưới | Công ty Thủy lợi | UBND các xã | Quý I/2027 |\n\n"
     "STT\tCông việc\tThời hạn\tCơ quan\t\n\t\t\tChủ trì\tPhối hợp\n"
     "1\tKiểm định cầu yếu\t2027\tSở Xây dựng\tCông an tỉnh\n",
     0,
     false,
     {"T1.1 «Nạo vét kênh tưới» L:Công ty Thủy lợi C:UBND các xã T:Quý I/2027",
      "T2.1 «Kiểm định cầu yếu» L:Sở Xây dựng C:Công an tỉnh T:2027", NULL}},
    {"one cell for all who carry it out: the name marked to lead leads, the others partner",
     "| TT | Nhiệm vụ | Đơn vị thực hiện | Thời hạn |\n|---|---|---|---|\n"
     "| 1 | Việc một | Sở Y tế (chủ trì), Sở Tài chính, Công an tỉnh | 2026 |\n"
     "| 2 | Việc hai | Sở Văn hóa, Thể thao và Du lịch chủ trì; UBND các xã phối hợp | 2026 |\n"
     "| 3 | Việc ba | Sở Nội vụ; Sở Tư pháp (Chủ trì) | 2027 |\n"
     "| 4 | Việc bốn | Sở Tài chính, Sở Xây dựng | 2027 |\n"
     "| 5 | Việc năm | Sở Tài chính chủ trì, phối hợp với Sở Nội vụ và Sở Tư pháp | 2027 |\n"
     "| 6 | Việc sáu | Sở Y tế (chủ trì) | 2027 |\n"
     "| 7 | Việc bảy | UBND các xã (Phòng Kinh tế chủ trì) | 2027 |\n",
     0,
     false,
     {"1 «Việc một» L:Sở Y tế C:Sở Tài chính, Công an tỉnh T:2026",
      "2 «Việc hai» L:Sở Văn hóa, Thể thao và Du lịch C:UBND các xã T:2026",
      "3 «Việc ba» L:Sở Tư pháp C:Sở Nội vụ T:2027",
      "4 «Việc bốn» L:Sở Tài chính, Sở Xây dựng C:- T:2027",
      "5 «Việc năm» L:Sở Tài chính C:Sở Nội vụ và Sở Tư pháp T:2027",
      "6 «Việc sáu» L:Sở Y tế C:- T:2027",
      "7 «Việc bảy» L:UBND các xã (Phòng Kinh tế chủ trì) C:- T:2027", NULL}},
    {"a cell in the labels of list form: 'Chủ trì: X; phối hợp: Y'",
     "| TT | Nhiệm vụ | Cơ quan thực hiện | Thời hạn |\n|---|---|---|---|\n"
     "| 1 | Việc một | Chủ trì: Sở Công Thương; phối hợp: Sở Tài chính, Công an tỉnh | 2026 |\n"
     "| 2 | Việc hai | Chủ trì: UBND các xã | 2026 |\n"
     "| 3 | Việc ba | Sở Y tế; phối hợp: Sở Nội vụ | 2026 |\n",
     0,
     false,
     {"1 «Việc một» L:Sở Công Thương C:Sở Tài chính, Công an tỉnh T:2026",
      "2 «Việc hai» L:UBND các xã C:- T:2026", "3 «Việc ba» L:Sở Y tế C:Sở Nội vụ T:2026", NULL}},
    {"flattened: a spanning header cell written once, the cells under it in a short row",
     "|\n**STT**\n|\n**Nội dung**\n|\n**Đơn vị thực hiện**\n|\n**Thời gian**\n|\n|\n"
     "**Chủ trì**\n|\n**Phối hợp**\n|\n|\n"
     "1\n|\nCắm mốc giới rừng\n|\nSở Nông nghiệp và Môi trường\n|\nUBND các xã\n|\nQuý "
     "II/2027\n|\n|\n"
     "2\n|\nGiao đất rừng\n|\nUBND các xã\n|\nSở Tài chính\n|\n2027\n|\n|\n",
     0,
     false,
     {"1 «Cắm mốc giới rừng» L:Sở Nông nghiệp và Môi trường C:UBND các xã T:Quý II/2027",
      "2 «Giao đất rừng» L:UBND các xã C:Sở Tài chính T:2027", NULL}},
    {"a template in English: WBS number, task title, owner, start and due dates",
     "| WBS | Task title | Task owner | Start date | Due date | Duration (days) | % complete |\n"
     "|---|---|---|---|---|---|---|\n| **3** | **Nhóm hạ tầng** | | | | | |\n"
     "| 3.1 | Nâng cấp đường truyền xã | Sở Khoa học và Công nghệ | Quý I/2027 | Quý III/2027 | "
     "180 | 10% |\n",
     0,
     false,
     {"3.1 «Nâng cấp đường truyền xã» L:Sở Khoa học và Công nghệ C:- T:Quý III/2027", NULL}},
    {"a due column that writes the month first is read day first; one that does not stays",
     "| No. | Activity | Responsible unit | Deadline |\n|---|---|---|---|\n"
     "| 1 | Khảo sát hiện trạng | Sở Y tế | 3/4/2027 |\n"
     "| 2 | Báo cáo đầu kỳ | Sở Y tế | Before 04/15/2027 |\n\n"
     "2. Bảng hai\n\n| TT | Nhiệm vụ | Chủ trì | Thời hạn |\n|---|---|---|---|\n"
     "| 1 | Khảo sát lại | Sở Y tế | 3/4/2027 |\n| 2 | Báo cáo cuối kỳ | Sở Y tế | 25/4/2027 |\n",
     0,
     false,
     {"T1.1 «Khảo sát hiện trạng» L:Sở Y tế C:- T:4/3/2027",
      "T1.2 «Báo cáo đầu kỳ» L:Sở Y tế C:- T:Before 15/04/2027",
      "2.1 «Khảo sát lại» L:Sở Y tế C:- T:3/4/2027",
      "2.2 «Báo cáo cuối kỳ» L:Sở Y tế C:- T:25/4/2027", NULL}},
};

static void test_task_column(void **state)
{
	(void)state;
	run_cases(task_column_cases, N_ELEMS(task_column_cases));
}

/* ---- running text ------------------------------------------------------------------------- */

static const struct meaning_case list_cases[] = {
    {"labels in other words; several on one line; a value that is the bullets under it",
     "II. NỘI DUNG\n\n1. Số hóa hồ sơ\n\na) Nội dung: quét và lưu hồ sơ giấy.\n\n"
     "b) Cơ quan thực hiện: - Đơn vị chủ trì: Sở Nội vụ; - Đơn vị phối hợp: Sở Tư pháp.\n\n"
     "c) Thời hạn ban hành: Quý III/2026.\n\n2. Rà soát văn bản\n\n- Cơ quan chủ trì: Bộ Tư "
     "pháp.\n- Thời gian thực hiện:\n+ Các sở gửi kết quả trước ngày 15 tháng 6 năm "
     "2026.\n+ Sở Tư pháp tổng hợp trước ngày 30 tháng 6 năm 2026.\n",
     0,
     false,
     {"1 «Số hóa hồ sơ» L:Sở Nội vụ C:Sở Tư pháp T:Quý III/2026",
      "2 «Rà soát văn bản» L:Bộ Tư pháp C:- T:+ Các sở gửi kết quả trước ngày 15 tháng 6 năm "
      "2026. + Sở Tư pháp tổng hợp trước ngày 30 tháng 6 năm 2026.",
      NULL}},
    {"labels after a first one's ';' alone, in lower case; a ';' in a sentence opens none",
     "II. NỘI DUNG\n\n1. Bồi dưỡng giáo viên\n\n*Chủ trì:* Sở Giáo dục; *phối hợp:* Trường "
     "Đại học Vinh; *thời gian:* Tháng 7 - tháng 8 hằng năm.\n\n2. Ngày hội STEM\n\n"
     "- Cơ quan chủ trì: Sở Giáo dục, bảo đảm an toàn; thời gian tới cần mở rộng.\n",
     0,
     false,
     {"1 «Bồi dưỡng giáo viên» L:Sở Giáo dục C:Trường Đại học Vinh T:Tháng 7 - tháng 8 hằng "
      "năm",
      "2 «Ngày hội STEM» L:Sở Giáo dục, bảo đảm an toàn; thời gian tới cần mở rộng C:- T:-", NULL}},
    {"an item with two tasks, each titled by its own text; labels cut by emphasis",
     "III. NHIỆM VỤ\n\n**4. Bồi dưỡng cán bộ**\n\n- Mở lớp bồi dưỡng kỹ năng số.\n\n"
     "*Đơn vị chủ trì thực\nhiện: *Sở Nội vụ.\n\n*Thời gian thực hiện: *Hằng\nnăm.\n\n"
     "- Biên soạn tài liệu.\n\n*Đơn vị chủ trì: *Sở Thông tin.\n\n*Thời gian thực "
     "hiện: *Quý II/2026.\n",
     0,
     false,
     {"4 «Mở lớp bồi dưỡng kỹ năng số» L:Sở Nội vụ C:- T:Hằng năm",
      "4#2 «Biên soạn tài liệu» L:Sở Thông tin C:- T:Quý II/2026", NULL}},
    {"numbered paragraphs without labels, figures, recipients and a page footer are no tasks",
     "I. MỤC TIÊU\n\n1. Đến năm 2030 hoàn thành chuyển đổi số.\n\n2. 100% hồ sơ trực "
     "tuyến.\n\n300.000 hộ gia đình có cáp quang.\n\n12 tháng 3 năm 2024\n\n2026 - 2030\n\n"
     "Chủ trì triển khai các nhiệm vụ: xây dựng kế hoạch.\n\nNơi nhận:\n- Bộ Nội vụ;\n"
     "- Lưu: VT.\n\nĐịa chỉ: 17 Nguyễn Gia Thiều\nMã số thuế: 0315459414\n",
     0,
     false,
     {NULL}},
    {"a duty with two reports, each cycle with its date, joined by 'và': both kept",
     "III. TỔ CHỨC THỰC HIỆN\n\n1. Các sở, ngành:\n\n- Báo cáo kết quả định kỳ 6 tháng "
     "(trước ngày 15/6/2026) và hằng năm (trước ngày 15/12/2026) về Sở Nội vụ.\n",
     0,
     false,
     {"duty.1.1 «Báo cáo kết quả định kỳ 6 tháng (trước ngày 15/6/2026) và hằng năm (trước "
      "ngày 15/12/2026) về Sở Nội vụ» L:Các sở, ngành C:- T:định kỳ 6 tháng (trước ngày "
      "15/6/2026) và hằng năm (trước ngày 15/12/2026)",
      NULL}},
    {"a date alone after 'và' goes on a duty's deadline; the agencies after an item's label",
     "III. TỔ CHỨC THỰC HIỆN\n\n1. Các sở, ngành:\n\n- Báo cáo kết quả định kỳ 6 tháng "
     "(trước ngày 15/6 và 15/12) về Sở Nội vụ.\n\n2. Chế độ báo cáo: Các sở, ban, ngành định "
     "kỳ hằng quý báo cáo kết quả về Sở Nội vụ.\n",
     0,
     false,
     {"duty.1.1 «Báo cáo kết quả định kỳ 6 tháng (trước ngày 15/6 và 15/12) về Sở Nội vụ» "
      "L:Các sở, ngành C:- T:định kỳ 6 tháng (trước ngày 15/6 và 15/12)",
      "duty.2.1 «Chế độ báo cáo: Các sở, ban, ngành định kỳ hằng quý báo cáo kết quả về Sở Nội "
      "vụ» L:Các sở, ban, ngành C:- T:định kỳ hằng quý",
      NULL}},
    {"a reporting duty of the organisation section, with the plan's monitor",
     "IV. TỔ CHỨC THỰC HIỆN\n\n1. Sở Thông tin chủ trì theo dõi, đôn đốc thực hiện.\n\n"
     "2. Các sở, ban, ngành:\n\na) Triển khai kế hoạch.\n\nb) Báo cáo kết quả trước ngày "
     "10 tháng 12 hằng năm.\n\n3. Sở Tài chính bố trí kinh phí.\n\n- Sở Tài chính định kỳ "
     "hằng quý báo cáo UBND tỉnh.\n",
     0,
     false,
     {"duty.2.1 «Báo cáo kết quả trước ngày 10 tháng 12 hằng năm» L:Các sở, ban, ngành C:- "
      "T:trước ngày 10 tháng 12 hằng năm",
      "duty.3.1 «Sở Tài chính định kỳ hằng quý báo cáo UBND tỉnh» L:Sở Tài chính C:- "
      "T:định kỳ hằng quý",
      NULL}},
    {"a duty whose agencies follow its time clause; the day of the quarter kept",
     "III. TỔ CHỨC THỰC HIỆN\n\n1. Sở Nội vụ theo dõi, đôn đốc.\n\n2. Hằng quý (trước ngày 18 "
     "của tháng cuối quý), các sở, ngành báo cáo kết quả về Sở Nội vụ.\n",
     0,
     false,
     {"duty.2.1 «Hằng quý (trước ngày 18 của tháng cuối quý), các sở, ngành báo cáo kết quả về "
      "Sở Nội vụ» L:các sở, ngành C:- T:Hằng quý (trước ngày 18 của tháng cuối quý)",
      NULL}},
};

/*
 * Assignments: a công văn or a thông báo kết luận with no task table and no
 * labels gives each task in a sentence — an agency first, a deadline in it.
 */
static const struct meaning_case assignment_cases[] = {
    {"numbered sentences: 'Giao X chủ trì, phối hợp với Y', 'X làm …', 'X: …; thời hạn: …'",
     "Kính gửi: Các sở, ngành.\n\n1. Giao Sở Y tế chủ trì, phối hợp với Sở Tài chính và các "
     "đơn vị liên quan xây dựng phương án phòng, chống bão; trình UBND tỉnh trước ngày "
     "15/9/2025.\n\n2. Công an tỉnh rà soát các điểm nóng giao thông, hoàn thành trong Quý "
     "IV/2025.\n\n3. Sở Công Thương: Kiểm tra thị trường xăng dầu; thời hạn hoàn thành: tháng "
     "10/2025.\n\n4. Các sở, ngành tiếp tục thực hiện nghiêm các chỉ đạo trước đây.\n\n5. "
     "Văn phòng UBND tỉnh theo dõi, đôn đốc.\n\n6. UBND cấp xã tổ chức thực hiện; định kỳ "
     "hằng quý gửi báo cáo về Sở Nội vụ trước ngày 18 của tháng cuối quý.\n\nNơi nhận:\n- "
     "Như trên;\n- Lưu: VT.\n",
     0,
     false,
     {"1 «Giao Sở Y tế chủ trì, phối hợp với Sở Tài chính và các đơn vị liên quan xây dựng "
      "phương án phòng, chống bão» L:Sở Y tế C:Sở Tài chính và các đơn vị liên quan "
      "T:trước ngày 15/9/2025",
      "2 «Công an tỉnh rà soát các điểm nóng giao thông, hoàn thành trong Quý IV/2025» "
      "L:Công an tỉnh C:- T:trong Quý IV/2025",
      "3 «Kiểm tra thị trường xăng dầu» L:Sở Công Thương C:- T:tháng 10/2025",
      "6 «UBND cấp xã tổ chức thực hiện» L:UBND cấp xã C:- T:định kỳ hằng quý, trước ngày 18 "
      "của tháng cuối quý",
      NULL}},
    {"lettered items under a numbered one: keys follow both; 'chậm nhất', a recurrence",
     "II. KẾT LUẬN\n\n1. Đánh giá cao sự vào cuộc của các ngành.\n\n2. Giao nhiệm vụ:\n\n"
     "a) Sở Xây dựng: Khắc phục sạt lở tuyến đường tỉnh; báo cáo trước ngày 5/11/2025.\n\n"
     "b) UBND cấp xã: Rà soát hộ dân vùng nguy cơ, chậm nhất ngày 10/11/2025.\n\n"
     "c) Sở Tài chính: Tổng hợp nhu cầu kinh phí, báo cáo định kỳ hằng tháng.\n",
     0,
     false,
     {"II.2.a «Khắc phục sạt lở tuyến đường tỉnh» L:Sở Xây dựng C:- T:trước ngày 5/11/2025",
      "II.2.b «Rà soát hộ dân vùng nguy cơ, chậm nhất ngày 10/11/2025» L:UBND cấp xã C:- "
      "T:chậm nhất ngày 10/11/2025",
      "II.2.c «Tổng hợp nhu cầu kinh phí, báo cáo định kỳ hằng tháng» L:Sở Tài chính C:- "
      "T:định kỳ hằng tháng",
      NULL}},
    {"no agency first, or no deadline: guidance, not a task",
     "1. Hoàn thành trước ngày 30/6/2025 việc cập nhật dữ liệu.\n\n2. Sở Nội vụ tiếp tục "
     "theo dõi việc thực hiện.\n",
     0,
     false,
     {NULL}},
    {"what an agency did is a report, not an assignment; a colon inside the sentence is no "
     "name; 'X giao/đề nghị Y …' assigns Y",
     "1. Sở Giáo dục và Đào tạo đã tổ chức tập huấn trước ngày 15/8/2025.\n\n"
     "2. Sở Y tế đang triển khai tiêm chủng, dự kiến xong trong tháng 11/2025.\n\n"
     "3. Giao Công an tỉnh chủ trì tuần tra các tuyến đường; thời gian thực hiện: tháng "
     "12/2025.\n\n"
     "4. Chủ tịch UBND tỉnh giao Sở Công Thương chủ trì kiểm tra giá, báo cáo trước ngày "
     "5/1/2026.\n\n"
     "5. Sở Nội vụ đề nghị UBND cấp xã rà soát biên chế, gửi về trước ngày 10/1/2026.\n"
     "6. Giao Sở Y tế yêu cầu các bệnh viện báo cáo số liệu trước ngày 30/6/2026.\n",
     0,
     false,
     {"3 «Giao Công an tỉnh chủ trì tuần tra các tuyến đường» L:Công an tỉnh C:- T:tháng "
      "12/2025",
      "4 «Sở Công Thương chủ trì kiểm tra giá, báo cáo trước ngày 5/1/2026» L:Sở Công Thương "
      "C:- T:trước ngày 5/1/2026",
      "5 «UBND cấp xã rà soát biên chế, gửi về trước ngày 10/1/2026» L:UBND cấp xã C:- "
      "T:trước ngày 10/1/2026",
      "6 «Giao Sở Y tế yêu cầu các bệnh viện báo cáo số liệu trước ngày 30/6/2026» L:Sở Y tế "
      "C:- T:trước ngày 30/6/2026",
      NULL}},
    {"given to an agency's head, or opened by 'Yêu cầu', 'Đề nghị', 'Giao cho': the agency's",
     "1. Giao Giám đốc Sở Y tế chỉ đạo kiểm tra an toàn thực phẩm, báo cáo trước ngày "
     "15/1/2027.\n\n2. Yêu cầu Sở Tài chính bố trí kinh phí trước ngày 30/1/2027.\n\n"
     "3. Chủ tịch UBND các xã rà soát hộ nghèo, hoàn thành trong Quý I/2027.\n\n"
     "4. Đề nghị sửa đổi quy chế trước ngày 1/2/2027.\n\n"
     "5. Giao cho Công an tỉnh tuần tra, hoàn thành trong tháng 1/2027.\n",
     0,
     false,
     {"1 «Giao Giám đốc Sở Y tế chỉ đạo kiểm tra an toàn thực phẩm, báo cáo trước ngày "
      "15/1/2027» L:Sở Y tế C:- T:trước ngày 15/1/2027",
      "2 «Yêu cầu Sở Tài chính bố trí kinh phí trước ngày 30/1/2027» L:Sở Tài chính C:- "
      "T:trước ngày 30/1/2027",
      "3 «Chủ tịch UBND các xã rà soát hộ nghèo, hoàn thành trong Quý I/2027» L:UBND các xã "
      "C:- T:trong Quý I/2027",
      "5 «Giao cho Công an tỉnh tuần tra, hoàn thành trong tháng 1/2027» L:Công an tỉnh C:- "
      "T:trong tháng 1/2027",
      NULL}},
    {"a deadline per step: every one kept; a later sentence's date is not the task's",
     "1. Giao Sở Y tế xây dựng kế hoạch trước ngày 15/3/2027 và tổ chức triển khai trước "
     "ngày 30/6/2027.\n\n2. Sở Tài chính bố trí kinh phí trong Quý I/2027. Kế hoạch năm "
     "sau trình trước ngày 15/12/2027.\n",
     0,
     false,
     {"1 «Giao Sở Y tế xây dựng kế hoạch trước ngày 15/3/2027 và tổ chức triển khai trước "
      "ngày 30/6/2027» L:Sở Y tế C:- T:trước ngày 15/3/2027 và tổ chức triển khai trước ngày "
      "30/6/2027",
      "2 «Sở Tài chính bố trí kinh phí trong Quý I/2027. Kế hoạch năm sau trình trước ngày "
      "15/12/2027» L:Sở Tài chính C:- T:trong Quý I/2027",
      NULL}},
    {"a letter's unnumbered paragraphs: the agency handed the work, wherever the verb stands",
     "Kính gửi: Các sở, ban, ngành.\n\nThực hiện Công văn số 12/BNV-CCHC của Bộ Nội vụ, UBND "
     "tỉnh đề nghị Sở Tư pháp tổng hợp báo cáo kết quả năm 2026, gửi về Sở Nội vụ trước ngày "
     "20/12/2026.\n\nĐồng thời, yêu cầu Giám đốc Sở Y tế rà soát thủ tục hành chính, hoàn "
     "thành trong tháng 1/2027.\n\nSở Xây dựng đã hoàn thành rà soát trước ngày 1/11/2026.\n\n"
     "Qua theo dõi, một số đơn vị chưa gửi báo cáo năm 2025.\n\nNơi nhận:\n- Như trên;\n",
     0,
     false,
     {"1 «Thực hiện Công văn số 12/BNV-CCHC của Bộ Nội vụ, UBND tỉnh đề nghị Sở Tư pháp tổng "
      "hợp báo cáo kết quả năm 2026, gửi về Sở Nội vụ trước ngày 20/12/2026» L:Sở Tư pháp "
      "C:- T:trước ngày 20/12/2026",
      "2 «Đồng thời, yêu cầu Giám đốc Sở Y tế rà soát thủ tục hành chính, hoàn thành trong "
      "tháng 1/2027» L:Sở Y tế C:- T:trong tháng 1/2027",
      NULL}},
    {"where a name in a sentence ends: a noun phrase is no verb, more verbs end it; a "
     "deadline counted from an event",
     "1. Giao Giám đốc Ban Quản lý dự án đầu tư xây dựng công trình dân dụng tỉnh chủ trì "
     "hoàn thiện hồ sơ, xong trước ngày 30/4/2027.\n\n2. Đề nghị Kho bạc Nhà nước khu vực XV "
     "kiểm soát, thanh toán vốn kịp thời, hoàn thành trong Quý II/2027.\n\n3. Giao Sở Tư pháp "
     "chủ trì thẩm định dự thảo, trong 30 ngày kể từ ngày nhận đủ hồ sơ hợp lệ.\n",
     0,
     false,
     {"1 «Giao Giám đốc Ban Quản lý dự án đầu tư xây dựng công trình dân dụng tỉnh chủ trì "
      "hoàn thiện hồ sơ, xong trước ngày 30/4/2027» L:Ban Quản lý dự án đầu tư xây dựng công "
      "trình dân dụng tỉnh C:- T:trước ngày 30/4/2027",
      "2 «Đề nghị Kho bạc Nhà nước khu vực XV kiểm soát, thanh toán vốn kịp thời, hoàn thành "
      "trong Quý II/2027» L:Kho bạc Nhà nước khu vực XV C:- T:trong Quý II/2027",
      "3 «Giao Sở Tư pháp chủ trì thẩm định dự thảo, trong 30 ngày kể từ ngày nhận đủ hồ sơ "
      "hợp lệ» L:Sở Tư pháp C:- T:trong 30 ngày kể từ ngày nhận đủ hồ sơ hợp lệ",
      NULL}},
    {"whole numbers under their section: sub-items and restarts never collide; a day of a "
     "monthly report is kept",
     "I. CÔNG TÁC CÁN BỘ\n\n1. Giao Sở Nội vụ chủ trì rà soát vị trí việc làm, xong trong "
     "Quý I/2026.\n\n1.1. Sở Nội vụ tổng hợp danh sách, báo cáo trước ngày 20/1/2026.\n\n"
     "1.2. Sở Tài chính bố trí kinh phí, hoàn thành trong tháng 2/2026.\n\n"
     "II. CÔNG TÁC TÀI CHÍNH\n\n1. Sở Tài chính báo cáo định kỳ hằng tháng trước ngày 10.\n",
     0,
     false,
     {"I.1 «Giao Sở Nội vụ chủ trì rà soát vị trí việc làm, xong trong Quý I/2026» "
      "L:Sở Nội vụ C:- T:trong Quý I/2026",
      "I.1.1 «Sở Nội vụ tổng hợp danh sách, báo cáo trước ngày 20/1/2026» L:Sở Nội vụ C:- "
      "T:trước ngày 20/1/2026",
      "I.1.2 «Sở Tài chính bố trí kinh phí, hoàn thành trong tháng 2/2026» L:Sở Tài chính C:- "
      "T:trong tháng 2/2026",
      "II.1 «Sở Tài chính báo cáo định kỳ hằng tháng trước ngày 10» L:Sở Tài chính C:- "
      "T:định kỳ hằng tháng trước ngày 10",
      NULL}},
    {"a task table makes the sentences around it context, not tasks",
     "1. Giao Sở Tư pháp chủ trì tổng hợp, báo cáo trước ngày 15/12/2025.\n\n"
     "| TT | Nhiệm vụ | Cơ quan chủ trì | Thời gian hoàn thành |\n|---|---|---|---|\n"
     "| 1 | Rà soát văn bản | Sở Tư pháp | Quý III/2025 |\n",
     0,
     false,
     {"1 «Rà soát văn bản» L:Sở Tư pháp C:- T:Quý III/2025", NULL}},
    {"bullets that assign: '- Giao X nghiên cứu …, báo cáo … trước ngày'; guidance bullets "
     "are not tasks",
     "Kính gửi:\n- Các sở, ngành;\n- UBND các xã.\n\n1. Ghi nhận kết quả bước đầu.\n\n"
     "2. Thời gian tới:\n\n- Giao Sở Công Thương nghiên cứu, đề xuất cơ chế hỗ trợ chợ "
     "nông thôn, báo cáo UBND tỉnh trước ngày 20/11/2026.\n\n- Các đơn vị tiếp tục quan tâm "
     "chỉ đạo.\n\n- Giao Công an tỉnh tổ chức kiểm tra phòng cháy tại các chợ; hoàn thành "
     "trong tháng 12/2026.\n\nNơi nhận:\n- Như trên;\n- Lưu: VT.\n",
     0,
     false,
     {"2.1 «Giao Sở Công Thương nghiên cứu, đề xuất cơ chế hỗ trợ chợ nông thôn, báo cáo UBND "
      "tỉnh trước ngày 20/11/2026» L:Sở Công Thương C:- T:trước ngày 20/11/2026",
      "2.3 «Giao Công an tỉnh tổ chức kiểm tra phòng cháy tại các chợ» L:Công an tỉnh C:- "
      "T:trong tháng 12/2026",
      NULL}},
    {"bullets under an agency's heading are its tasks; an ongoing last clause is a timeframe",
     "II. NHIỆM VỤ CỦA CÁC ĐƠN VỊ\n\n1. Sở Giáo dục và Đào tạo:\n\n- Tổ chức thi học sinh "
     "giỏi cấp tỉnh, hoàn thành trước ngày 15/3/2027.\n\n- Kiểm tra cơ sở vật chất các "
     "trường, thường xuyên.\n\n2. Mục tiêu chung:\n\n- Nâng cao chất lượng, trước năm 2030.\n\n"
     "III. TỔ CHỨC THỰC HIỆN\n\nCác đơn vị tổng hợp, báo cáo kết quả về Sở Giáo dục và Đào tạo "
     "trước ngày 10/12/2027.\n",
     0,
     false,
     {"II.1.1 «Tổ chức thi học sinh giỏi cấp tỉnh, hoàn thành trước ngày 15/3/2027» L:Sở Giáo "
      "dục và Đào tạo C:- T:trước ngày 15/3/2027",
      "II.1.2 «Kiểm tra cơ sở vật chất các trường, thường xuyên» L:Sở Giáo dục và Đào tạo C:- "
      "T:thường xuyên",
      "duty.0.1 «Các đơn vị tổng hợp, báo cáo kết quả về Sở Giáo dục và Đào tạo trước ngày "
      "10/12/2027» L:Các đơn vị C:- T:trước ngày 10/12/2027",
      NULL}},
    {"bullets under lettered agency headings",
     "II. NHIỆM VỤ\n\na) Sở Y tế:\n\n+ Lập kế hoạch tiêm chủng, hoàn thành trước ngày "
     "28/2/2027.\n\n+ Giám sát dịch bệnh, hằng tháng.\n\nb) Sở Tài chính:\n\n+ Cấp kinh "
     "phí trong quý I/2027.\n",
     0,
     false,
     {"II.a.1 «Lập kế hoạch tiêm chủng, hoàn thành trước ngày 28/2/2027» L:Sở Y tế C:- "
      "T:trước ngày 28/2/2027",
      "II.a.2 «Giám sát dịch bệnh, hằng tháng» L:Sở Y tế C:- T:hằng tháng",
      "II.b.1 «Cấp kinh phí trong quý I/2027» L:Sở Tài chính C:- T:trong quý I/2027", NULL}},
    {"a plan in prose: the organisation section's dated assignments are tasks, its reporting "
     "duties duties",
     "I. MỤC ĐÍCH\n\n1. Phát hiện sớm ổ dịch.\n\nIII. TỔ CHỨC THỰC HIỆN\n\n1. Sở Y tế:\n\n- "
     "Chủ trì, phối hợp với Sở Giáo dục tổ chức chiến dịch; hoàn thành trong Quý III/2027.\n\n"
     "- Tổng hợp, báo cáo UBND tỉnh định kỳ hằng quý.\n\n2. Sở Tài chính:\n\n+ Bố trí kinh "
     "phí; hoàn thành trước ngày 30/4/2027.\n\n+ Hướng dẫn thanh quyết toán.\n",
     0,
     false,
     {"III.1.1 «Chủ trì, phối hợp với Sở Giáo dục tổ chức chiến dịch» L:Sở Y tế C:Sở Giáo dục "
      "T:trong Quý III/2027",
      "III.2.1 «Bố trí kinh phí» L:Sở Tài chính C:- T:trước ngày 30/4/2027",
      "duty.1.1 «Tổng hợp, báo cáo UBND tỉnh định kỳ hằng quý» L:Sở Y tế C:- T:định kỳ hằng "
      "quý",
      NULL}},
    {"deadlines written as a range, a school year, a bare quarter; a date that dates a text is "
     "none",
     "1. Giao Sở Văn hóa xây dựng chuyên mục; thực hiện từ tháng 5 đến tháng 10/2027.\n\n"
     "2. Sở Giáo dục lồng ghép nội dung trong năm học 2027 - 2028.\n\n"
     "3. Sở Nội vụ rà soát biên chế, Quý II/2027.\n\n"
     "4. Sở Tư pháp ban hành Quyết định số 12/2027/QĐ-UBND ngày 5/3/2027.\n",
     0,
     false,
     {"1 «Giao Sở Văn hóa xây dựng chuyên mục» L:Sở Văn hóa C:- T:từ tháng 5 đến tháng 10/2027",
      "2 «Sở Giáo dục lồng ghép nội dung trong năm học 2027 - 2028» L:Sở Giáo dục C:- T:trong "
      "năm học 2027 - 2028",
      "3 «Sở Nội vụ rà soát biên chế, Quý II/2027» L:Sở Nội vụ C:- T:Quý II/2027", NULL}},
    {"the assignment in parentheses after the work: its lead, partners and deadline",
     "II. NHIỆM VỤ\n\n1. Rà soát quy hoạch ven biển (Sở Văn hóa, Thể thao và Du lịch chủ trì, "
     "phối hợp với Sở Xây dựng, Sở Tài chính; hoàn thành trong Quý III/2027).\n\n"
     "2. Xây dựng Đề án du lịch, trình UBND tỉnh trong tháng 9/2027 (Sở Du lịch chủ trì).\n\n"
     "3. Bảo đảm an ninh cho khách (chủ trì: Công an tỉnh; phối hợp: UBND các xã; thực hiện "
     "thường xuyên).\n\n4. Nâng cấp đường ven biển (giai đoạn 2027 - 2029).\n",
     0,
     false,
     {"II.1 «Rà soát quy hoạch ven biển» L:Sở Văn hóa, Thể thao và Du lịch C:Sở Xây dựng, Sở "
      "Tài chính T:trong Quý III/2027",
      "II.2 «Xây dựng Đề án du lịch, trình UBND tỉnh trong tháng 9/2027» L:Sở Du lịch C:- "
      "T:trong tháng 9/2027",
      "II.3 «Bảo đảm an ninh cho khách» L:Công an tỉnh C:UBND các xã T:thực hiện thường xuyên",
      NULL}},
};

static void test_assignments(void **state)
{
	(void)state;
	run_cases(assignment_cases, N_ELEMS(assignment_cases));
}

/*
 * The plan's own abbreviations: its agency cells read as the legend says,
 * whole names only, the longest first; a legend as a list under its
 * heading, on the heading's line, or as a table.
 */
static const struct meaning_case legend_cases[] = {
    {"a list under 'Chữ viết tắt'; a name that holds an abbreviation is left as written",
     "| TT | Nội dung | Chủ trì | Phối hợp | Thời gian |\n|---|---|---|---|---|\n"
     "| 1 | Việc một | Sở TC | Sở NV; VP UBND | Quý I/2027 |\n"
     "| 2 | Việc hai | BQL KKT | Sở TC Hà Nội, Sở TC | Quý II/2027 |\n\n"
     "Ghi chú: Chữ viết tắt trong Phụ lục:\n\n- Sở TC: Sở Tài chính\n\n- Sở NV: Sở Nội vụ\n\n"
     "- BQL KKT: Ban Quản lý Khu kinh tế\n\n- VP: Văn phòng\n\nNơi nhận: như trên.\n",
     0,
     false,
     {"1 «Việc một» L:Sở Tài chính C:Sở Nội vụ; VP UBND T:Quý I/2027",
      "2 «Việc hai» L:Ban Quản lý Khu kinh tế C:Sở TC Hà Nội, Sở Tài chính T:Quý II/2027", NULL}},
    {"entries on the heading's line, joined by ';', a dash for the colon",
     "| TT | Nội dung | Chủ trì | Thời gian |\n|---|---|---|---|\n"
     "| 1 | Việc một | UBND các huyện, TX, TP | 2027 |\n\n"
     "(*) Viết tắt: UBND các huyện, TX, TP - UBND các huyện, thị xã, thành phố; TTHC - "
     "thủ tục hành chính.\n",
     0,
     false,
     {"1 «Việc một» L:UBND các huyện, thị xã, thành phố C:- T:2027", NULL}},
    {"a table of abbreviations",
     "| TT | Nội dung | Chủ trì | Thời gian |\n|---|---|---|---|\n"
     "| 1 | Việc một | Sở KHCN | 2027 |\n\n"
     "| Chữ viết tắt | Nghĩa |\n|---|---|\n| Sở KHCN | Sở Khoa học và Công nghệ |\n",
     0,
     false,
     {"1 «Việc một» L:Sở Khoa học và Công nghệ C:- T:2027", NULL}},
    {"no legend: nothing changes",
     "| TT | Nội dung | Chủ trì | Thời gian |\n|---|---|---|---|\n"
     "| 1 | Việc một | Sở TC | 2027 |\n\nSở TC: Sở Tài chính\n",
     0,
     false,
     {"1 «Việc một» L:Sở TC C:- T:2027", NULL}},
};

static void test_legend(void **state)
{
	(void)state;
	run_cases(legend_cases, N_ELEMS(legend_cases));
}

/* An item too long to look for its deadline in is said, never dropped silently. */
/*
 * The plan's agencies read from its text: the monitor, told to follow the
 * plan in the organisation section or in a letter; the issuing body in
 * capitals before the motto, however the head's two columns come apart.
 */
static void test_plan_agencies(void **state)
{
	static const struct {
		const char *what, *text, *monitor, *issuer;
	} cases[] = {
	    {"a letter's numbered item",
	     "Kính gửi: Các sở.\n\n1. Giao Sở Y tế kiểm tra, báo cáo "
	     "trước ngày 15/4/2027.\n\n2. Giao Văn phòng UBND tỉnh theo dõi, đôn đốc.\n",
	     "Văn phòng UBND tỉnh", NULL},
	    {"a plain paragraph of the organisation section",
	     "I. MỤC TIÊU\n\nA.\n\nII. TỔ "
	     "CHỨC THỰC HIỆN\n\nSở Y tế kiểm tra, báo cáo trước ngày 15/4/2027.\n\nSở Nội vụ "
	     "theo dõi việc thực hiện Kế hoạch này.\n",
	     "Sở Nội vụ", NULL},
	    {"a numbered item of the organisation section",
	     "II. TỔ CHỨC THỰC HIỆN\n\n1. Sở Tài "
	     "chính: bố trí kinh phí.\n\n2. Sở Tư pháp chủ trì theo dõi, đôn đốc, tổng hợp.\n",
	     "Sở Tư pháp", NULL},
	    {"urging others in a task's work is no monitoring",
	     "I. NHIỆM VỤ\n\n1. Sở Y tế chủ "
	     "trì, đôn đốc các đơn vị tiêm chủng, xong trước ngày 1/5/2027.\n\n2. Sở Tài chính "
	     "theo dõi giá cả thị trường, hằng tháng.\n",
	     NULL, NULL},
	    {"a Word header table: the name's lines, a rule and the number before the motto",
	     "ỦY BAN NHÂN DÂN\n\nTỈNH GIA LAI\n\n-------\n\nSố: 18/KH-UBND\n\nCỘNG HÒA XÃ HỘI "
	     "CHỦ NGHĨA VIỆT NAM\n\nĐộc lập - Tự do - Hạnh phúc\n",
	     NULL, "ỦY BAN NHÂN DÂN TỈNH GIA LAI"},
	    {"a PDF's columns line by line: the name's second line after the motto",
	     "ỦY BAN NHÂN DÂN\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\nTỈNH HÀ TĨNH\n\nĐộc lập - "
	     "Tự do - Hạnh phúc\n",
	     NULL, "ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH"},
	    {"side by side, the motto wrapped: its 'NAM' is not the name's",
	     "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT\n\nNAM\n\nTHÀNH PHỐ HẢI PHÒNG\n\n"
	     "Độc lập - Tự do - Hạnh phúc\n",
	     NULL, "ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG"},
	    {"a sở's name under its province's: 'SỞ' is no number's 'Số'",
	     "UBND TỈNH PHÚ THỌ\n\nSỞ Y TẾ\n\n-------\n\nSố 45/KH-SYT\n\nCỘNG HÒA XÃ HỘI CHỦ "
	     "NGHĨA VIỆT NAM\n\nĐộc lập - Tự do - Hạnh phúc\n",
	     NULL, "UBND TỈNH PHÚ THỌ SỞ Y TẾ"},
	    {"no motto: not said", "KẾ HOẠCH\n\nVề kiểm tra năm 2026\n", NULL, NULL},
	};
	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		struct doc d;
		struct import_result r;
		read_doc(cases[i].text, &d, &r);
		check_str(cases[i].what, r.monitor ? r.monitor : "(none)",
		          cases[i].monitor ? cases[i].monitor : "(none)");
		check_str(cases[i].what, r.issuer ? r.issuer : "(none)",
		          cases[i].issuer ? cases[i].issuer : "(none)");
		result_free(&r);
		doc_free(&d);
	}
}

static void test_assignment_too_long(void **state)
{
	struct buf text = BUF_INIT;
	struct doc d;
	struct import_result r;

	(void)state;
	buf_adds(&text, "1. Giao Sở Tài chính chủ trì");
	for (int i = 0; i < 400; i++)
		buf_adds(&text, ", rà soát");
	buf_adds(&text, ", hoàn thành trước ngày 20/12/2025.\n");
	read_doc(buf_str(&text), &d, &r);
	assert_int_equal(r.n_rows, 0);
	assert_int_equal(r.n_problems, 1);
	assert_non_null(strstr(r.problems[0].what, "too long"));
	assert_non_null(strstr(r.problems[0].what, "Sở Tài chính"));
	result_free(&r);
	doc_free(&d);
	buf_free(&text);
}

static void test_lists(void **state)
{
	(void)state;
	run_cases(list_cases, N_ELEMS(list_cases));
}

/* ---- the plan's own facts ------------------------------------------------------------------ */

static void test_plan_facts(void **state)
{
	static const struct {
		const char *what, *text, *number, *issued, *title;
		int first, last;
	} cases[] = {
	    {"a web page: the number in the cell after 'Số hiệu', the date split, CHƯƠNG TRÌNH",
	     "|\n**Số hiệu:**\n|\n45/CTr-UBND\n|\n|\n**Ngày ban hành:**\n|\n02/03/2026\n|\n\n\n"
	     "*Đà Nẵng, ngày 02\ntháng 3 năm 2026*\n\n**CHƯƠNG TRÌNH**\n\nCHUYỂN ĐỔI SỐ GIAI ĐOẠN "
	     "2026 - 2030\n\n*Căn cứ Luật ngày 19 tháng 6 năm 2015;*\n",
	     "45/CTr-UBND", "2026-03-02", "CHUYỂN ĐỔI SỐ GIAI ĐOẠN 2026 - 2030", 2026, 2030},
	    {"'Số:' on its own line, the recipients before the title never taken",
	     "HỘI ĐỒNG NHÂN DÂN\nTỈNH KHÁNH HÒA\n|\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n|\n"
	     "Số:\n|\n7/NQ-HĐND\n|\nNơi nhận:\n- Văn phòng Quốc hội;\n\n# NGHỊ QUYẾT\n"
	     "## Về nhiệm vụ năm 2027\n",
	     "7/NQ-HĐND", NULL, "Về nhiệm vụ năm 2027", 2027, 2027},
	    {"a year that dates a text named in the title is no period",
	     "Số: 3/KH-UBND\nHuế, ngày 5 tháng 1 năm 2026\n\nKẾ HOẠCH\n\nTriển khai Nghị quyết "
	     "ngày "
	     "22 "
	     "tháng 12 năm 2024 đến năm 2030\n",
	     "3/KH-UBND", "2026-01-05",
	     "Triển khai Nghị quyết ngày 22 tháng 12 năm 2024 đến năm 2030", 2026, 2030},
	    {"no number yet", "Số:    /BC-SKHCN\n\nBÁO CÁO\n\nTình hình năm 2025\n", NULL, NULL,
	     "Tình hình năm 2025", 2025, 2025},
	    {"a Party body's number without a colon; a title in bold over three lines",
	     "**TỈNH ỦY BÌNH ĐỊNH**\n\nSố 112-KH/TU\n\n*Quy Nhơn, ngày 4 tháng 3 năm 2026*\n\n"
	     "**KẾ HOẠCH**\n\n**thực hiện Chỉ thị số 45-CT/TW của Ban Bí thư**\n"
	     "**về tăng cường công tác dân vận**\n**giai đoạn 2026 - 2030**\n\n-----\n\n"
	     "**I. MỤC ĐÍCH, YÊU CẦU**\n",
	     "112-KH/TU", "2026-03-04",
	     "thực hiện Chỉ thị số 45-CT/TW của Ban Bí thư về tăng cường công tác dân vận giai "
	     "đoạn "
	     "2026 - 2030",
	     2026, 2030},
	    {"a title ended by a rule of dashes, in a PDF's text; the bold heading after is no "
	     "title",
	     "Số: 77/KH-UBND\nCần Thơ, ngày 9 tháng 2 năm 2026\nKẾ HOẠCH\nSố hóa hồ sơ lưu trữ "
	     "năm 2026\n––––––––\n\n**I. MỤC TIÊU**\n",
	     "77/KH-UBND", "2026-02-09", "Số hóa hồ sơ lưu trữ năm 2026", 2026, 2026},
	    {"an appendix alone, a spreadsheet's title rows over its header: the plan it goes with "
	     "and its date; an appendix's caption is no title",
	     "\"PHỤ LỤC NHIỆM VỤ (Kèm theo Kế hoạch số 41/KH-UBND ngày 3/2/2027 của UBND "
	     "tỉnh)\",,,\n"
	     ",,,\nTT,Nhiệm vụ,Chủ trì,Thời hạn\n1,Việc một,Sở Y tế,2027\n",
	     "41/KH-UBND", "2027-02-03", NULL, 0, 0},
	    {"a công văn's subject after 'V/v', run into its number's lines, or in their cell",
	     "ỦY BAN NHÂN DÂN TỈNH BÌNH ĐỊNH\nSố: 1234/UBND-KT\nV/v phòng chống bão năm 2027\n\n"
	     "Bình Định, ngày 10 tháng 3 năm 2027\n\nKính gửi: Các sở, ngành.\n",
	     "1234/UBND-KT", "2027-03-10", "phòng chống bão năm 2027", 2027, 2027},
	    {"the same in a header table's cell",
	     "| UBND TỈNH BÌNH ĐỊNH<br>Số: 88/UBND-VX<br>V/v: tiêm chủng mùa thu | CỘNG HÒA XÃ HỘI "
	     "CHỦ NGHĨA VIỆT NAM<br>Bình Định, ngày 2 tháng 9 năm 2027 |\n|---|---|\n\n"
	     "Kính gửi: Sở Y tế.\n",
	     "88/UBND-VX", "2027-09-02", "tiêm chủng mùa thu", 0, 0},
	    {"CHƯƠNG TRÌNH HÀNH ĐỘNG is one keyword, with its title on the same line or the next",
	     "Số: 45/CTr-UBND\n\nAn Giang, ngày 3 tháng 4 năm 2027\n\nCHƯƠNG TRÌNH HÀNH ĐỘNG\n\n"
	     "Thực hiện Nghị quyết số 10/NQ-TU về du lịch giai đoạn 2027 - 2030\n\nI. MỤC ĐÍCH\n",
	     "45/CTr-UBND", "2027-04-03",
	     "Thực hiện Nghị quyết số 10/NQ-TU về du lịch giai đoạn 2027 - 2030", 2027, 2030},
	    {"the same, its title after it on one line",
	     "CHƯƠNG TRÌNH HÀNH ĐỘNG Phát triển du lịch năm 2028\n\nI. MỤC ĐÍCH\n", NULL, NULL,
	     "Phát triển du lịch năm 2028", 2028, 2028},
	    {"a list's caption before '(kèm theo …)' is the title",
	     "Danh mục nhiệm vụ năm 2027 của Sở Xây dựng (kèm theo Kế hoạch số 08/KH-SXD ngày 15 "
	     "tháng 01 năm 2027);;\n;;\nSTT;Nội dung;Chủ trì\n1;Việc một;Sở Y tế\n",
	     "08/KH-SXD", "2027-01-15", "Danh mục nhiệm vụ năm 2027 của Sở Xây dựng", 2027, 2027},
	    {"a spreadsheet's title rows: the keyword and the title each alone in a row",
	     "UBND TỈNH QUẢNG NGÃI,,,CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
	     "Số: 45/KH-UBND,,,\"Quảng Ngãi, ngày 10 tháng 3 năm 2027\"\n,,,\nKẾ HOẠCH,,,\n"
	     "Chuyển đổi số năm 2027,,,\n,,,\nTT,Nhiệm vụ,Chủ trì,Thời hạn\n1,Việc một,Sở Y tế,"
	     "Quý II\n",
	     "45/KH-UBND", "2027-03-10", "Chuyển đổi số năm 2027", 2027, 2027},
	    {"what the plan implements, right under the keyword, is its title",
	     "Số: 66/KH-UBND\n\nKẾ HOẠCH\n\nThực hiện Nghị quyết số 12-NQ/TU về du lịch năm "
	     "2027\n\n"
	     "I. MỤC ĐÍCH\n",
	     "66/KH-UBND", NULL, "Thực hiện Nghị quyết số 12-NQ/TU về du lịch năm 2027", 2027,
	     2027},
	    {"the preamble under the keyword is no title",
	     "Số: 67/KH-UBND\n\nKẾ HOẠCH\n\nThực hiện Kế hoạch số 14-KH/TU, UBND tỉnh ban hành Kế "
	     "hoạch như sau:\n\nI. MỤC ĐÍCH\n",
	     "67/KH-UBND", NULL, NULL, 0, 0},
	    {"an appendix's caption after a bold title is not part of it",
	     "Số: 68/KH-UBND\n\n**KẾ HOẠCH**\n**Nhiệm vụ năm 2027**\n\n**PHỤ LỤC**\n**NHIỆM VỤ CỤ "
	     "THỂ**\n",
	     "68/KH-UBND", NULL, "Nhiệm vụ năm 2027", 2027, 2027},
	    {"a row of two written cells is no title",
	     "KẾ HOẠCH,Chuyển đổi số năm 2027,,\n,,,\nTT,Nhiệm vụ,Chủ trì,Thời hạn\n"
	     "1,Việc một,Sở Y tế,Quý II\n",
	     NULL, NULL, NULL, 0, 0},
	    {"its own number before the one it goes with",
	     "Số: 5/QĐ-UBND\n\nQUYẾT ĐỊNH\n\nBan hành danh mục năm 2027\n\n(Kèm theo Kế hoạch số "
	     "9/KH-UBND)\n",
	     "5/QĐ-UBND", NULL, "Ban hành danh mục năm 2027", 2027, 2027},
	    {"the end of one year and the start of the next: both",
	     "Số: 8/KH-UBND\n\nKẾ HOẠCH\n\nNhiệm vụ trọng tâm cuối năm 2026, đầu năm 2027\n",
	     "8/KH-UBND", NULL, "Nhiệm vụ trọng tâm cuối năm 2026, đầu năm 2027", 2026, 2027},
	    {"a text of last year cited: the plan's year alone",
	     "Số: 11/KH-UBND\n\nKẾ HOẠCH\n\nNhiệm vụ năm 2026 thực hiện Chỉ thị số 05/CT-UBND năm "
	     "2025\n",
	     "11/KH-UBND", NULL, "Nhiệm vụ năm 2026 thực hiện Chỉ thị số 05/CT-UBND năm 2025", 2026,
	     2026},
	    {"a law's year is no period: the plan's is the latest",
	     "Số: 9/KH-UBND\n\nKẾ HOẠCH\n\nThi hành Luật Đất đai năm 2013 trong năm 2026\n",
	     "9/KH-UBND", NULL, "Thi hành Luật Đất đai năm 2013 trong năm 2026", 2026, 2026},
	    {"a date in the title dates a text, not the plan",
	     "Số: 10/KH-UBND\n\nKẾ HOẠCH\n\nNhiệm vụ năm 2026 thực hiện Nghị quyết ngày 22 tháng "
	     "12 năm 2027\n",
	     "10/KH-UBND", NULL, "Nhiệm vụ năm 2026 thực hiện Nghị quyết ngày 22 tháng 12 năm 2027",
	     2026, 2026},
	    {"'Số' and a number in running text is no plan number",
	     "KẾ HOẠCH\n\nVề kiểm tra năm 2026\n\nSố 15 hồ sơ còn tồn đọng.\n", NULL, NULL,
	     "Về kiểm tra năm 2026", 2026, 2026},
	};
	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		struct doc d;
		struct import_result r;
		read_doc(cases[i].text, &d, &r);
		check_str(cases[i].what, r.number, cases[i].number);
		check_str(cases[i].what, r.issued, cases[i].issued);
		check_str(cases[i].what, r.title, cases[i].title);
		check_int(cases[i].what, r.first_year, cases[i].first);
		check_int(cases[i].what, r.last_year, cases[i].last);
		if (i == 1)
			check_str("the issuer, before the motto", r.issuer,
			          "HỘI ĐỒNG NHÂN DÂN TỈNH KHÁNH HÒA");
		result_free(&r);
		doc_free(&d);
	}
}

/* A Word table whose section rows are one cell merged across it: "II. CẢI CÁCH …". */
static void test_section_in_one_merged_cell(void **state)
{
	static const char *const rows[][4] = {
	    {"TT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời hạn"},
	    {"I. CẢI CÁCH THỂ CHẾ", NULL, NULL, NULL},
	    {"1", "Rà soát văn bản", "Sở Tư pháp", "Quý II/2027"},
	    {"II CẢI CÁCH THỦ TỤC HÀNH CHÍNH", NULL, NULL, NULL},
	    {"2", "Số hóa hồ sơ", "Văn phòng UBND tỉnh", "Quý IV/2027"},
	};
	struct doc d;
	struct import_result r;

	(void)state;
	doc_init(&d);
	result_init(&r);
	struct doc_table *t = doc_add_table(&d, DOC_FORM_WORD, (struct doc_pos){0});
	for (size_t i = 0; i < N_ELEMS(rows); i++) {
		struct doc_row *row = doc_table_add_row(t, (struct doc_pos){0});
		for (size_t k = 0; k < 4 && rows[i][k]; k++)
			doc_row_add_cell(row, rows[i][k], strlen(rows[i][k]), (struct doc_pos){0});
		if (!rows[i][1])
			doc_cell_set_span(row, 0, 4);
	}
	meaning_read(&d, &r);
	check_int("tasks", (long long)r.n_rows, 2);
	for (size_t i = 0; i < r.n_rows && i < 2; i++) {
		char *got = render_task(&r.rows[i], true);
		check_str(
		    "a task under its section", got,
		    i ? "II.2 «Số hóa hồ sơ» L:Văn phòng UBND tỉnh C:- T:Quý IV/2027 S:II. CẢI "
		        "CÁCH THỦ TỤC HÀNH CHÍNH"
		      : "I.1 «Rà soát văn bản» L:Sở Tư pháp C:- T:Quý II/2027 S:I. CẢI CÁCH THỂ "
		        "CHẾ");
		free(got);
	}
	result_free(&r);
	doc_free(&d);
}

/* Nothing read is lost: every row and paragraph has a fate, and rows that look like
 * tasks but cannot be read are problems with their line. */
static void test_nothing_dropped_silently(void **state)
{
	static const char text[] = "Một bảng không có tiêu đề cột:\n\n"
	                           "| 1 | Việc không có bảng tiêu đề nào | Sở A | 2026 |\n";
	struct doc d;
	struct import_result r;

	(void)state;
	read_doc(text, &d, &r);
	check_int("no task", r.n_rows, 0);
	check_int("one problem", r.n_problems, 1);
	check_int("at its line", r.problems[0].pos.line, 3);
	bool unread = false;
	for (size_t i = 0; i < r.n_fates; i++)
		unread |= r.fates[i].fate == FATE_UNREAD && r.fates[i].pos.line == 3;
	check_int("its fate says so", unread, 1);
	result_free(&r);
	doc_free(&d);
}

/* A table whose cells lost their separators (a PDF's text): said, with its place, never read. */
static void test_lost_separators(void **state)
{
	static const char text[] = "PHỤ LỤC\n\nTT \nNội dung công việc \nĐơn vị \nchủ trì \n"
	                           "Đơn vị \nphối hợp \nThời hạn \nhoàn thành \n1. \nLập danh "
	                           "mục hồ sơ \nSở Nội vụ \nCác sở, ngành \nQuý II/2026 \n";
	static const char prose[] = "STT của hồ sơ do Sở Nội vụ chủ trì cấp.\n\nThời gian "
	                            "lưu trữ là 10 năm.\n";
	struct doc d;
	struct import_result r;

	(void)state;
	read_doc(text, &d, &r);
	check_int("no task", r.n_rows, 0);
	check_int("one problem", r.n_problems, 1);
	check_int("where the header starts", r.problems[0].pos.line, 3);
	if (!strstr(r.problems[0].what, "import the PDF or Word file itself"))
		fail_msg("the problem says what to do: %s", r.problems[0].what);
	result_free(&r);
	doc_free(&d);
	/* Running text that starts with "STT" and names a lead and a time is no header. */
	read_doc(prose, &d, &r);
	check_int("prose: no problem", r.n_problems, 0);
	result_free(&r);
	doc_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_column_roles),
	    cmocka_unit_test(test_column_conflicts),
	    cmocka_unit_test(test_tables),
	    cmocka_unit_test(test_task_column),
	    cmocka_unit_test(test_lists),
	    cmocka_unit_test(test_assignments),
	    cmocka_unit_test(test_legend),
	    cmocka_unit_test(test_assignment_too_long),
	    cmocka_unit_test(test_plan_agencies),

	    cmocka_unit_test(test_plan_facts),
	    cmocka_unit_test(test_nothing_dropped_silently),
	    cmocka_unit_test(test_lost_separators),
	    cmocka_unit_test(test_section_in_one_merged_cell),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
