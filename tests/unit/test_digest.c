/*
 * Unit tests for digest: one message per recipient, rendered through the
 * real templates (config/templates, vi and en) and the real directory
 * (config/deadlined.ini; run from the repository root). Expectations come
 * from include/digest.h, the templates and the domain notes, written by
 * hand: the Vietnamese strings are the ones an agency reads.
 */
#include "check.h"

#include "buf.h"
#include "cfg.h"
#include "date.h"
#include "digest.h"
#include "dir.h"
#include "scheduler.h"
#include "task.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CONFIG    "config/deadlined.ini"
#define TEMPLATES "config/templates"
#define DOMAIN    "quangngai.example"

static struct cfg *cfg;
static struct dir *dir;
static struct digest_templates *vi, *en;

/* Tuesday 10/06/2025, 09:00 in Quảng Ngãi. */
#define NOW at(2025, 6, 10, 9, 0, 0)

static int group_setup(void **state)
{
	struct buf errors = BUF_INIT;

	(void)state;
	cfg = cfg_load(CONFIG, &errors, NULL);
	if (!cfg) {
		print_error("cfg_load(%s) failed (run from the repository root):\n%s\n", CONFIG,
		            buf_str(&errors));
		buf_free(&errors);
		return -1;
	}
	dir = dir_new(cfg);
	vi = digest_templates_load(TEMPLATES, "vi", &errors);
	en = digest_templates_load(TEMPLATES, "en", &errors);
	if (!vi || !en)
		print_error("digest_templates_load(%s) failed:\n%s\n", TEMPLATES, buf_str(&errors));
	buf_free(&errors);
	return dir && vi && en ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	digest_templates_free(vi);
	digest_templates_free(en);
	dir_free(dir);
	cfg_free(cfg);
	return 0;
}

/* ---- reporting ---------------------------------------------------------- */

static void expect_in(const char *what, const char *text, const char *needle)
{
	if (!text || !strstr(text, needle))
		fail_msg("%s lacks \"%s\"; it is:\n%s", what, needle, text ? text : "(NULL)");
}

static void expect_not_in(const char *what, const char *text, const char *needle)
{
	if (text && strstr(text, needle))
		fail_msg("%s should not contain \"%s\"; it is:\n%s", what, needle, text);
}

/* a appears before b in text. */
static void expect_order(const char *what, const char *text, const char *a, const char *b)
{
	const char *pa = text ? strstr(text, a) : NULL, *pb = text ? strstr(text, b) : NULL;

	if (!pa || !pb || pa >= pb)
		fail_msg("%s: \"%s\" should come before \"%s\"; it is:\n%s", what, a, b,
		         text ? text : "(NULL)");
}

static bool list_has(const struct cfg_list *l, const char *v)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], v))
			return true;
	return false;
}

static const char *show_list(const struct cfg_list *l)
{
	static char out[1024];

	out[0] = '\0';
	for (size_t i = 0; i < l->n; i++)
		snprintf(out + strlen(out), sizeof(out) - strlen(out), " <%s>", l->v[i]);
	return l->n ? out : " (empty)";
}

/* ---- building tasks and items ------------------------------------------- */

static void mk_task(struct task *t, const char *key, const char *title, const char *timeframe,
                    const char *lead, const char *coord)
{
	static int64_t next_id = 100;

	task_init(t);
	t->id = next_id++;
	t->plan_id = strdup("119/KH-UBND");
	t->key = strdup(key);
	t->title = strdup(title);
	t->timeframe = strdup(timeframe);
	t->idx = strdup("3");
	t->kind = TF_ONCE;
	t->origin = strdup("import");
	if (lead)
		task_assign(t, dir, TASK_LEAD, lead);
	if (coord)
		task_assign(t, dir, TASK_COORD, coord);
}

static struct digest_item item(const struct task *t, int64_t occ, time_t due, enum sched_role role,
                               enum sched_kind kind, const char *step)
{
	struct digest_item it;

	memset(&it, 0, sizeof(it));
	it.task = t;
	it.plan_title = "Kế hoạch chuyển đổi số";
	it.plan_issued = "2020-10-09";
	it.occurrence_id = occ;
	it.due = due;
	it.original_due = TF_NONE;
	it.role = role;
	it.kind = kind;
	it.step = step;
	it.assigned = "stp";
	it.prev_msgid = "";
	return it;
}

static void build(const struct digest_templates *tpl, const char *recipient,
                  struct digest_item *items, size_t n, time_t now, struct digest_msg *m)
{
	digest_build(tpl, dir, recipient, items, n, now, DOMAIN, m);
	if (!m->subject || !m->text || !m->html)
		fail_msg("digest_build left subject/text/html NULL");
}

/* The three tasks of most tests: overdue, due soon, upcoming. */
struct three {
	struct task overdue, soon, later;
};

static void three_init(struct three *t)
{
	mk_task(&t->overdue, "B.1", "Cập nhật cơ sở dữ liệu <chuyển đổi số>", "Tháng 5/2025",
	        "Sở Tư pháp", "Sở Y tế");
	mk_task(&t->soon, "B.2", "Báo cáo sơ kết 6 tháng", "trước ngày 15/06/2025", "Sở Tư pháp",
	        NULL);
	mk_task(&t->later, "B.3", "Tổng kết năm", "Năm 2025", "Sở Tư pháp", NULL);
}

static void three_free(struct three *t)
{
	task_free(&t->overdue);
	task_free(&t->soon);
	task_free(&t->later);
}

/* Overdue since 31/05 (10 days), last day 14/06 (4 days), 31/12 (204 days). */
static struct digest_item overdue_item(const struct three *t)
{
	return item(&t->overdue, 101, end_of(2025, 5, 31), ROLE_LEAD, SCHED_ESCALATION, "e7");
}

static struct digest_item soon_item(const struct three *t)
{
	return item(&t->soon, 102, at(2025, 6, 15, 0, 0, 0), ROLE_LEAD, SCHED_REMINDER, "r7");
}

static struct digest_item later_item(const struct three *t)
{
	return item(&t->later, 103, end_of(2025, 12, 31), ROLE_LEAD, SCHED_REMINDER, "r30");
}

/* ---- tests -------------------------------------------------------------- */

static void test_sorted_sections_and_vietnamese_text(void **state)
{
	struct three t;
	struct digest_msg m;

	(void)state;
	three_init(&t);
	struct digest_item items[] = {later_item(&t), soon_item(&t), overdue_item(&t)};
	build(vi, "stp", items, N_ELEMS(items), NOW, &m);

	/* Sorted in place: overdue, due within 7 days, later. */
	check_int("items[0] is the overdue one", items[0].occurrence_id, 101);
	check_int("items[1] is the one due soon", items[1].occurrence_id, 102);
	check_int("items[2] is the later one", items[2].occurrence_id, 103);

	check_int("kind: something is overdue", m.kind, SCHED_ESCALATION);
	check_str("subject: kind and earliest deadline first", m.subject,
	          "[Quá hạn 31/05/2025] 119/KH-UBND: 3 nhiệm vụ – Sở Tư pháp");
	check_str("to_name", m.to_name, "Sở Tư pháp");
	if (m.to.n != 1 || !list_has(&m.to, "stp@quangngai.example"))
		fail_msg("To:%s, want <stp@quangngai.example>", show_list(&m.to));
	check_int("nobody in Cc", m.cc.n, 0);

	const char *x = m.text;
	expect_in("text", x, "Kính gửi: Sở Tư pháp\n");
	/* The intro counts exactly what the sections hold. */
	expect_in("text", x,
	          "thông báo đến Quý cơ quan 3 nhiệm vụ cần lưu ý, gồm:\n"
	          "- 1 nhiệm vụ đã quá thời hạn;\n"
	          "- 1 nhiệm vụ sắp đến hạn (trong 7 ngày tới);\n"
	          "- 1 nhiệm vụ có thời hạn trong thời gian tới.\n");
	expect_order("text sections", x, "CÁC NHIỆM VỤ ĐÃ QUÁ THỜI HẠN (1)",
	             "CÁC NHIỆM VỤ SẮP ĐẾN HẠN (1)");
	expect_order("text sections", x, "CÁC NHIỆM VỤ SẮP ĐẾN HẠN (1)",
	             "CÁC NHIỆM VỤ CÓ THỜI HẠN TRONG THỜI GIAN TỚI (1)");
	expect_in("text", x, "1. Cập nhật cơ sở dữ liệu <chuyển đổi số>\n");
	/* The plan by number, date and title, never a file name. */
	expect_in("text", x,
	          "   Mã nhiệm vụ: #100 – Kế hoạch số 119/KH-UBND ngày 09/10/2020 chuyển đổi số, "
	          "mục 3\n");
	/* Overdue since a date, not a count of days. */
	expect_in("text", x, "   Thời hạn: ngày 31/05/2025 – đã quá hạn từ ngày 01/06/2025\n");
	expect_not_in("text", x, "quá hạn 10 ngày");
	expect_in("text", x, "   Thời gian thực hiện theo kế hoạch: Tháng 5/2025\n");
	expect_in("text", x, "   Vai trò: chủ trì; đơn vị phối hợp: Sở Y tế.\n");
	expect_in("text", x,
	          "   Đề nghị Quý cơ quan khẩn trương hoàn thành nhiệm vụ và báo cáo kết quả về Sở "
	          "Khoa học và Công nghệ.\n");
	expect_in("text", x, "   Thời hạn: trước ngày 15/06/2025 – còn 4 ngày\n");
	expect_in("text", x, "   Thời hạn: ngày 31/12/2025 – còn 204 ngày\n");
	expect_in("text", x,
	          "   Đề nghị Quý cơ quan chủ động triển khai, hoàn thành đúng thời hạn và báo cáo "
	          "kết quả về Sở Khoa học và Công nghệ.\n");
	expect_in("text", x, "   Tình trạng: chưa báo cáo\n");
	/* The footer: how to report, to whom, who to call, why this came. */
	expect_in("text", x, "trả lời thư này (thư trả lời được gửi đến skhcn@quangngai.example)");
	expect_in("text", x, "   #100: Hoàn thành\n   #100: Đang thực hiện\n");
	expect_in("text", x,
	          "Đầu mối liên hệ: Phòng Chuyển đổi số, Sở Khoa học và Công nghệ, "
	          "điện thoại 0255 3822 123.\n");
	expect_in("text", x, "\nTrân trọng.\n");
	expect_in("text", x,
	          "Quý cơ quan nhận được thư này vì là đơn vị chủ trì thực hiện các "
	          "nhiệm vụ nêu trên");
	expect_not_in("text", x, "&lt;");
	expect_not_in("text", x, "Đã được gia hạn");
	expect_not_in("text", x, "((");
	expect_not_in("text", x, "))");

	const char *h = m.html;
	expect_in("html", h, "<p>Kính gửi: <strong>Sở Tư pháp</strong></p>");
	expect_in("html", h, "<strong>Cập nhật cơ sở dữ liệu &lt;chuyển đổi số&gt;</strong><br>");
	expect_not_in("html", h, "<chuyển");
	expect_in("html", h, "Các nhiệm vụ đã quá thời hạn (1)</h3>");
	expect_in("html", h, "<strong>đã quá hạn từ ngày 01/06/2025</strong>");
	expect_order("html items", h, "Cập nhật cơ sở dữ liệu", "Báo cáo sơ kết 6 tháng");
	expect_order("html items", h, "Báo cáo sơ kết 6 tháng", "Tổng kết năm");
	digest_msg_free(&m);
	three_free(&t);
}

/* Subjects: the kind and the earliest deadline first, a short title, at most 90 characters. */
static void test_subjects(void **state)
{
	struct three t;
	struct task long_task;
	struct digest_msg m;
	static const struct {
		bool en;
		/* 0 soon, 1 soon+later, 2 overdue, 3 long title, 4 two plans, 5 a plan
		 * without a number */
		int which;
		const char *want;
	} cases[] = {
	    {false, 0, "[Sắp đến hạn 15/06/2025] 119/KH-UBND: Báo cáo sơ kết 6 tháng"},
	    {false, 1, "[Sắp đến hạn 15/06/2025] 119/KH-UBND: 2 nhiệm vụ – Sở Tư pháp"},
	    {false, 2, "[Quá hạn 31/05/2025] 119/KH-UBND: Cập nhật cơ sở dữ liệu <chuyển đổi số>"},
	    /* The title is cut, never the plan. */
	    {false, 3,
	     "[Sắp đến hạn 14/06/2025] 119/KH-UBND: Triển khai đồng bộ nền tảng số dùng chung "
	     "của tỉnh…"},
	    {false, 4, "[Sắp đến hạn 14/06/2025] 2 nhiệm vụ – Sở Tư pháp"},
	    {false, 5,
	     "[Sắp đến hạn 14/06/2025] Triển khai đồng bộ nền tảng số dùng chung của tỉnh "
	     "cho các cơ…"},
	    {true, 0, "[Due soon 15/06/2025] 119/KH-UBND: Báo cáo sơ kết 6 tháng"},
	    {true, 1, "[Due soon 15/06/2025] 119/KH-UBND: 2 tasks – Sở Tư pháp"},
	    {true, 2, "[Overdue 31/05/2025] 119/KH-UBND: Cập nhật cơ sở dữ liệu <chuyển đổi số>"},
	};

	(void)state;
	three_init(&t);
	mk_task(&long_task, "L.1",
	        "Triển khai đồng bộ nền tảng số dùng chung của tỉnh cho các cơ quan, đơn vị và địa "
	        "phương trên địa bàn",
	        "Quý II/2025", "Sở Tư pháp", NULL);
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		struct digest_item v[2];
		size_t n = 1;
		if (cases[i].which == 0)
			v[0] = soon_item(&t);
		else if (cases[i].which == 1)
			v[0] = later_item(&t), v[1] = soon_item(&t), n = 2;
		else if (cases[i].which == 2)
			v[0] = overdue_item(&t);
		else
			v[0] = item(&long_task, 901, end_of(2025, 6, 14), ROLE_LEAD, SCHED_REMINDER,
			            "r7");
		free(long_task.plan_id);
		long_task.plan_id = strdup(cases[i].which == 5   ? "KH-CDS"
		                           : cases[i].which == 4 ? "906/QĐ-UBND"
		                                                 : "119/KH-UBND");
		if (cases[i].which == 4)
			v[1] = soon_item(&t), n = 2;
		build(cases[i].en ? en : vi, "stp", v, n, NOW, &m);
		check_str("subject", m.subject, cases[i].want);
		size_t chars = 0;
		for (const char *c = m.subject; *c; c++)
			chars += ((unsigned char)*c & 0xC0) != 0x80;
		if (chars > DIGEST_SUBJECT_MAX)
			fail_msg("subject of %zu characters: %s", chars, m.subject);
		digest_msg_free(&m);
	}
	task_free(&long_task);
	three_free(&t);
}

/* What each role is asked, by name; nobody reports to itself; a recurring
 * duty's lead is asked for this period's work and report, not to complete it. */
static void test_words_by_role(void **state)
{
	static const struct {
		enum sched_role role;
		const char *recipient, *assigned;
		const char *want[3];
		const char * not ;
		enum tf_kind kind; /* TF_ONCE unless said */
		time_t now;        /* NOW unless said */
	} cases[] = {
	    {ROLE_LEAD,
	     "stp",
	     "stp",
	     {"   Vai trò: chủ trì; đơn vị phối hợp: Sở Y tế.\n",
	      "hoàn thành đúng thời hạn và báo cáo kết quả về Sở Khoa học và Công nghệ.\n",
	      "vì là đơn vị chủ trì thực hiện"},
	     "để biết",
	     TF_ONCE,
	     0},
	    /* The monitor leading a task reports to UBND tỉnh, not to itself. */
	    {ROLE_LEAD,
	     "skhcn",
	     "skhcn",
	     {"và báo cáo kết quả về Ủy ban nhân dân tỉnh Quảng Ngãi.\n", NULL, NULL},
	     "báo cáo kết quả về Sở Khoa học và Công nghệ",
	     TF_ONCE,
	     0},
	    /* At the top there is nobody to report to. */
	    {ROLE_LEAD,
	     "ubnd",
	     "ubnd",
	     {"hoàn thành đúng thời hạn.\n", NULL, NULL},
	     "báo cáo kết quả về Ủy ban",
	     TF_ONCE,
	     0},
	    {ROLE_COORD,
	     "syt",
	     "syt",
	     {"   Vai trò: phối hợp; đơn vị chủ trì: Sở Tư pháp.\n",
	      "   Đề nghị Quý cơ quan chủ động phối hợp với Sở Tư pháp để thực hiện nhiệm vụ.\n",
	      "vì là đơn vị phối hợp thực hiện"},
	     "báo cáo kết quả về",
	     TF_ONCE,
	     0},
	    {ROLE_MONITOR,
	     "skhcn",
	     "skhcn",
	     {"   Vai trò: theo dõi, đôn đốc; đơn vị chủ trì: Sở Tư pháp.\n",
	      "   Gửi Quý cơ quan để biết, theo dõi, đôn đốc Sở Tư pháp thực hiện.\n",
	      "vì là đơn vị theo dõi, đôn đốc thực hiện"},
	     "báo cáo kết quả về",
	     TF_ONCE,
	     0},
	    {ROLE_SUPERVISOR,
	     "ubnd",
	     "ubnd",
	     {"   Vai trò: chỉ đạo; đơn vị chủ trì: Sở Tư pháp.\n",
	      "   Gửi Quý cơ quan để biết, theo dõi, chỉ đạo Sở Tư pháp thực hiện.\n",
	      "vì là đơn vị chỉ đạo thực hiện"},
	     "báo cáo kết quả về",
	     TF_ONCE,
	     0},
	    /* Sở TT&TT's duty, held by Sở KH&CN since 1/3/2025: it says from whom. */
	    {ROLE_MONITOR,
	     "skhcn",
	     "sttt",
	     {"   Trước đây do Sở Thông tin và Truyền thông đảm nhiệm; nay Quý cơ quan tiếp nhận",
	      NULL, NULL},
	     NULL,
	     TF_ONCE,
	     0},
	    /* "Thường xuyên; báo cáo hằng quý": this quarter's report, the task goes on. */
	    {ROLE_LEAD,
	     "stp",
	     "stp",
	     {"   Đề nghị Quý cơ quan thực hiện và báo cáo kết quả kỳ này về Sở Khoa học và Công "
	      "nghệ đúng thời hạn.\n",
	      NULL, NULL},
	     "hoàn thành",
	     TF_QUARTERLY,
	     0},
	    {ROLE_LEAD,
	     "stp",
	     "stp",
	     {"   Đề nghị Quý cơ quan khẩn trương thực hiện và báo cáo kết quả kỳ này về Sở Khoa "
	      "học và Công nghệ.\n",
	      NULL, NULL},
	     "hoàn thành",
	     TF_YEARLY,
	     1752454800 /* 14/7/2025 08:00 +07, after the deadline */},
	    /* Coordinating a recurring duty reads as before. */
	    {ROLE_COORD,
	     "syt",
	     "syt",
	     {"   Đề nghị Quý cơ quan chủ động phối hợp với Sở Tư pháp để thực hiện nhiệm vụ.\n",
	      NULL, NULL},
	     "kỳ này",
	     TF_MONTHLY,
	     0},
	};
	struct task t;
	struct digest_msg m;

	(void)state;
	mk_task(&t, "R.1", "Số hóa hồ sơ", "Quý II/2025", "Sở Tư pháp", "Sở Y tế");
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		struct digest_item it[] = {
		    item(&t, 301, end_of(2025, 6, 30), cases[i].role, SCHED_REMINDER, "r30")};
		it[0].assigned = cases[i].assigned;
		t.kind = cases[i].kind;
		build(vi, cases[i].recipient, it, 1, cases[i].now ? cases[i].now : NOW, &m);
		for (size_t k = 0; k < 3 && cases[i].want[k]; k++)
			expect_in("text", m.text, cases[i].want[k]);
		if (cases[i].not )
			expect_not_in("text", m.text, cases[i].not );
		if (strcmp(cases[i].assigned, cases[i].recipient) == 0)
			expect_not_in("text", m.text, "Trước đây do");
		check_int("no Cc", m.cc.n, 0);
		digest_msg_free(&m);
	}
	task_free(&t);
}

/* How a plan is named: its kind, number, date and title; never a file name. */
static void test_plan_names(void **state)
{
	static const struct {
		const char *lang, *id, *title, *issued, *want;
	} cases[] = {
	    {"vi", "119/KH-UBND", "Kế hoạch triển khai thực hiện Chương trình Chuyển đổi số",
	     "2020-10-09",
	     "Kế hoạch số 119/KH-UBND ngày 09/10/2020 triển khai thực hiện Chương trình Chuyển "
	     "đổi số"},
	    {"vi", "906/QĐ-UBND", "Về việc ban hành Kế hoạch phát triển kinh tế số", "2022-07-11",
	     "Quyết định số 906/QĐ-UBND ngày 11/07/2022 về việc ban hành Kế hoạch phát triển "
	     "kinh tế số"},
	    {"vi", "189/KH-UBND", "Chuyển đổi số tỉnh Quảng Ngãi năm 2023", "2022-12-09",
	     "Kế hoạch số 189/KH-UBND ngày 09/12/2022 chuyển đổi số tỉnh Quảng Ngãi năm 2023"},
	    {"vi", "03/NQ-CP", "Chương trình hành động", NULL,
	     "Nghị quyết số 03/NQ-CP chương trình hành động"},
	    {"vi", "6225/BVHTTDL-VP", "Về nhiệm vụ chuyển đổi số", NULL,
	     "Văn bản số 6225/BVHTTDL-VP về nhiệm vụ chuyển đổi số"},
	    {"vi", "KH-2025_digital-economy-by-sector", "Triển khai thúc đẩy kinh tế số", NULL,
	     "Kế hoạch triển khai thúc đẩy kinh tế số"},
	    {"vi", "KH-2025_digital-economy-by-sector", NULL, NULL, ""},
	    {"vi", "119/KH-UBND", NULL, NULL, "Kế hoạch số 119/KH-UBND"},
	    {"vi", "120/KH-UBND", "Ứng dụng công nghệ", NULL,
	     "Kế hoạch số 120/KH-UBND ứng dụng công nghệ"},
	    {"en", "119/KH-UBND", "Kế hoạch chuyển đổi số", "2020-10-09",
	     "Plan 119/KH-UBND of 09/10/2020: Kế hoạch chuyển đổi số"},
	    {"en", "KH-2025_x", "Triển khai", NULL, "Plan Triển khai"},
	    {"vi", "KH-TEST", "Kế hoạch thử nghiệm nhắc việc", "2025-04-15",
	     "Kế hoạch thử nghiệm nhắc việc ban hành ngày 15/04/2025"},
	    {"en", "KH-TEST", "Thử nghiệm", "2025-04-15", "Plan Thử nghiệm of 15/04/2025"},
	    /* A first word in capitals (an abbreviation, a code) keeps them. */
	    {"vi", "KH-MUC", "KH-MUC", NULL, "Kế hoạch KH-MUC"},
	    {"vi", "121/KH-UBND", "UBND tỉnh về chuyển đổi số", NULL,
	     "Kế hoạch số 121/KH-UBND UBND tỉnh về chuyển đổi số"},
	    {"vi", "122/KH-UBND", "ĐT và phát triển", NULL,
	     "Kế hoạch số 122/KH-UBND ĐT và phát triển"},
	    {"vi", "123/KH-UBND", "Ý kiến", NULL, "Kế hoạch số 123/KH-UBND ý kiến"},
	};

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		struct buf b = BUF_INIT;
		digest_plan_name(cases[i].lang, cases[i].id, cases[i].title, cases[i].issued, &b);
		check_str(cases[i].id, buf_str(&b), cases[i].want);
		buf_free(&b);
	}
}

/* A group is named as the plan wrote it (a collective in lower case, mid-sentence); an
 * unknown name as written. */
static void test_group_names(void **state)
{
	struct task t;
	struct digest_msg m;

	(void)state;
	mk_task(&t, "C.1", "Triển khai nền tảng số", "Quý II/2025",
	        "Các sở, ban, ngành tỉnh; Phòng Văn thư Lưu trữ", "UBND cấp huyện");
	struct digest_item it[] = {
	    item(&t, 201, end_of(2025, 6, 14), ROLE_COORD, SCHED_REMINDER, "r7")};
	it[0].assigned = "syt";
	build(vi, "syt", it, 1, NOW, &m);
	expect_in(
	    "text", m.text,
	    "   Vai trò: phối hợp; đơn vị chủ trì: các sở, ban, ngành tỉnh; Phòng Văn thư Lưu "
	    "trữ.\n");
	expect_not_in("text", m.text, "Văn phòng Ủy ban nhân dân tỉnh");
	digest_msg_free(&m);

	/* A condition, a waiting status, a plan without a date, an index "1.3.". */
	t.condition = strdup("sau khi có hướng dẫn của Bộ");
	t.status = TASK_WAITING;
	free(t.idx);
	t.idx = strdup("1.3.");
	it[0] = item(&t, 201, end_of(2025, 5, 31), ROLE_LEAD, SCHED_ESCALATION, "e7");
	it[0].plan_issued = NULL;
	build(vi, "stp", it, 1, NOW, &m);
	expect_in("text", m.text, "Kế hoạch số 119/KH-UBND chuyển đổi số, mục 1.3\n");
	expect_in("text", m.text, "   Điều kiện: sau khi có hướng dẫn của Bộ\n");
	expect_in("text", m.text, "   Tình trạng: chờ\n");
	digest_msg_free(&m);
	task_free(&t);
}

/* A title is data: in the subject it stays on one line, in HTML it is escaped. */
static void test_title_cannot_break_out(void **state)
{
	struct task t;
	struct digest_msg m;

	(void)state;
	mk_task(&t, "H.1", "Dòng một\r\nBcc: ai@example.com & <b>đậm</b>", "Quý II/2025",
	        "Sở Tư pháp", NULL);
	struct digest_item it[] = {
	    item(&t, 701, end_of(2025, 6, 14), ROLE_LEAD, SCHED_REMINDER, "r7")};
	build(vi, "stp", it, 1, NOW, &m);
	if (strchr(m.subject, '\n') || strchr(m.subject, '\r'))
		fail_msg("the subject spans lines: \"%s\"", m.subject);
	expect_in("subject", m.subject, "Bcc: ai@example.com & <b>đậm</b>");
	expect_in("html", m.html, "ai@example.com &amp; &lt;b&gt;đậm&lt;/b&gt;");
	expect_not_in("html", m.html, "<b>đậm");
	digest_msg_free(&m);
	task_free(&t);
}

/* Threading names only messages this recipient was sent: none, none at all. */
static void test_threading(void **state)
{
	struct three t;
	struct digest_msg m;

	(void)state;
	three_init(&t);
	struct digest_item fresh[] = {soon_item(&t), later_item(&t)};
	build(vi, "stp", fresh, 2, NOW, &m);
	if (m.in_reply_to || m.references.n)
		fail_msg("nothing sent yet, but In-Reply-To %s, References%s",
		         m.in_reply_to ? m.in_reply_to : "-", show_list(&m.references));
	digest_msg_free(&m);

	struct digest_item sent[] = {later_item(&t), soon_item(&t), overdue_item(&t)};
	sent[0].prev_msgid = "deadlined.a@quangngai.example";
	sent[2].prev_msgid = "deadlined.b@quangngai.example";
	build(vi, "stp", sent, 3, NOW, &m);
	/* The most pressing item's thread: the overdue one. */
	check_str("In-Reply-To", m.in_reply_to, "deadlined.b@quangngai.example");
	if (m.references.n != 2 || !list_has(&m.references, "deadlined.a@quangngai.example") ||
	    !list_has(&m.references, "deadlined.b@quangngai.example"))
		fail_msg("References:%s", show_list(&m.references));
	for (size_t i = 0; i < m.references.n; i++)
		if (strstr(m.references.v[i], "thread."))
			fail_msg("a made-up thread root: %s", m.references.v[i]);
	digest_msg_free(&m);
	three_free(&t);
}

/* Days are counted on the local calendar. */
static void expect_days(time_t now, time_t due, const char *want)
{
	struct task t;
	struct digest_msg m;

	mk_task(&t, "E.1", "Nhiệm vụ kiểm tra ngày", "Quý II/2025", "Sở Tư pháp", NULL);
	struct digest_item it[] = {item(&t, 401, due, ROLE_LEAD, SCHED_REMINDER, "r1")};
	build(vi, "stp", it, 1, now, &m);
	expect_in("text", m.text, want);
	digest_msg_free(&m);
	task_free(&t);
}

static void test_days_on_local_calendar(void **state)
{
	(void)state;
	/* 23:30 local on 10/6 is 16:30 UTC: still 10/6 here. */
	expect_days(at(2025, 6, 10, 23, 30, 0), end_of(2025, 6, 11), " – còn 1 ngày\n");
	expect_days(at(2025, 6, 11, 0, 30, 0), end_of(2025, 6, 11),
	            " – hôm nay là ngày cuối cùng\n");
	/* "trước ngày 12/6": the last day is 11/6. */
	expect_days(at(2025, 6, 11, 9, 0, 0), at(2025, 6, 12, 0, 0, 0),
	            "Thời hạn: trước ngày 12/06/2025 – hôm nay là ngày cuối cùng\n");
	expect_days(at(2025, 6, 12, 9, 0, 0), at(2025, 6, 12, 0, 0, 0),
	            "Thời hạn: trước ngày 12/06/2025 – đã quá hạn từ ngày 12/06/2025\n");
	expect_days(at(2025, 6, 12, 0, 0, 1), end_of(2025, 6, 11),
	            "Thời hạn: ngày 11/06/2025 – đã quá hạn từ ngày 12/06/2025\n");
	/* Years late: still a date. */
	expect_days(at(2025, 6, 12, 9, 0, 0), at(2020, 12, 1, 0, 0, 0),
	            "Thời hạn: trước ngày 01/12/2020 – đã quá hạn từ ngày 01/12/2020\n");
}

static void test_extended_shows_earlier_deadline(void **state)
{
	struct task t;
	struct digest_msg m;

	(void)state;
	mk_task(&t, "F.1", "Hoàn thiện cơ sở dữ liệu", "Quý II/2025", "Sở Tư pháp", NULL);
	struct digest_item soon[] = {
	    item(&t, 501, end_of(2025, 6, 14), ROLE_LEAD, SCHED_REMINDER, "r7")};
	soon[0].original_due = end_of(2025, 6, 5);
	build(vi, "stp", soon, 1, NOW, &m);
	expect_in("text", m.text, "   Thời hạn: ngày 14/06/2025 – còn 4 ngày\n");
	expect_in("text", m.text, "   Đã được gia hạn; thời hạn trước đây: ngày 05/06/2025\n");
	expect_in("html", m.html, "Đã được gia hạn; thời hạn trước đây: ngày 05/06/2025<br>");
	digest_msg_free(&m);

	struct digest_item plain[] = {
	    item(&t, 501, end_of(2025, 6, 14), ROLE_LEAD, SCHED_REMINDER, "r7")};
	build(vi, "stp", plain, 1, NOW, &m);
	expect_not_in("text", m.text, "gia hạn;");
	digest_msg_free(&m);
	task_free(&t);
}

/* The same occurrence twice (as coordinating and as lead) is one line, as lead. */
static void test_same_occurrence_is_one_line(void **state)
{
	struct task t;
	struct digest_msg m;

	(void)state;
	mk_task(&t, "G.1", "Rà soát thủ tục hành chính", "Tháng 5/2025", "Sở Tư pháp", NULL);
	struct digest_item it[] = {
	    item(&t, 601, end_of(2025, 5, 31), ROLE_COORD, SCHED_REMINDER, "r1"),
	    item(&t, 601, end_of(2025, 5, 31), ROLE_LEAD, SCHED_ESCALATION, "e7"),
	};
	build(vi, "stp", it, 2, NOW, &m);
	check_str("subject of one task", m.subject,
	          "[Quá hạn 31/05/2025] 119/KH-UBND: Rà soát thủ tục hành chính");
	expect_in("text", m.text, "CÁC NHIỆM VỤ ĐÃ QUÁ THỜI HẠN (1)\n");
	expect_in("text", m.text, "   Vai trò: chủ trì.\n");
	expect_not_in("text", m.text, "Vai trò: phối hợp");
	digest_msg_free(&m);
	task_free(&t);
}

/* Many items: thirty in full, then one line each, beyond 200 counted by plan. */
static void test_long_digests(void **state)
{
	enum { N = DIGEST_LISTED_MAX + 5 };
	struct task t;
	struct digest_item *it = calloc(N, sizeof(*it));
	struct digest_msg m;

	(void)state;
	mk_task(&t, "M.1", "Nhiệm vụ nhiều lần", "Hàng tháng", "Sở Tư pháp", NULL);
	for (int i = 0; i < N; i++)
		it[i] = item(&t, 1000 + i, end_of(2025, 5, 31) + (time_t)i * 86400, ROLE_LEAD,
		             SCHED_SUMMARY, "e1");
	build(vi, "stp", it, N, NOW, &m);
	expect_in("text", m.text, "thông báo đến Quý cơ quan 205 nhiệm vụ cần lưu ý");
	expect_in("text", m.text, "từ nhiệm vụ thứ 31 trở đi chỉ nêu tóm tắt");
	char want[256];
	expect_in("text", m.text, "\n30. Nhiệm vụ nhiều lần\n   Mã nhiệm vụ: ");
	snprintf(
	    want, sizeof(want),
	    "\n31. Nhiệm vụ nhiều lần [mã #%lld; 119/KH-UBND, mục 3; chủ trì; ngày 30/06/2025, "
	    "còn 20 ngày]\n",
	    (long long)t.id);
	expect_in("text", m.text, want);
	snprintf(want, sizeof(want), "\n200. Nhiệm vụ nhiều lần [mã #%lld;", (long long)t.id);
	expect_in("text", m.text, want);
	expect_not_in("text", m.text, "\n201. ");
	expect_in(
	    "text", m.text,
	    "Ngoài các nhiệm vụ nêu trên, còn 5 nhiệm vụ khác thuộc: 119/KH-UBND (5 nhiệm vụ); ");
	expect_in("text", m.text, "Một số nội dung dưới đây lẽ ra đã được nhắc trước đó");
	digest_msg_free(&m);
	free(it);
	task_free(&t);
}

/* The headers alone (preview) give the subject the whole message has. */
static void test_build_headers_only(void **state)
{
	enum { N = 40 };
	struct three t;
	struct task other;
	struct digest_item *a = calloc(N, sizeof(*a)), *b = calloc(N, sizeof(*b));

	(void)state;
	three_init(&t);
	mk_task(&other, "O.1", "Nhiệm vụ khác", "Quý II/2025", "Sở Tư pháp", NULL);
	for (int set = 0; set < 4; set++) {
		size_t n = 0;
		if (set == 0) {
			a[n++] = later_item(&t), a[n++] = soon_item(&t), a[n++] = overdue_item(&t);
		} else if (set == 1) {
			a[n++] = soon_item(&t);
		} else if (set == 2) { /* one occurrence twice: still one task */
			a[n++] =
			    item(&other, 7, end_of(2025, 6, 14), ROLE_COORD, SCHED_REMINDER, "r7");
			a[n++] =
			    item(&other, 7, end_of(2025, 6, 14), ROLE_LEAD, SCHED_REMINDER, "r7");
		} else {
			for (int i = 0; i < N; i++)
				a[n++] = item(i % 2 ? &other : &t.soon, 50 + i,
				              end_of(2025, 6, 20 - i % 7), ROLE_LEAD,
				              SCHED_REMINDER, "r7");
		}
		memcpy(b, a, n * sizeof(*a));
		struct digest_msg full, head;
		build(vi, "stp", a, n, NOW, &full);
		digest_build_headers(vi, dir, "stp", b, n, NOW, DOMAIN, &head);
		check_str("subject", head.subject, full.subject);
		check_str("text", head.text, NULL);
		check_int("kind", head.kind, full.kind);
		digest_msg_free(&full);
		digest_msg_free(&head);
	}
	free(a);
	free(b);
	task_free(&other);
	three_free(&t);
}

/* ---- templates with mistakes -------------------------------------------- */

/* Copies config/templates/vi into DIR/vi, with `prefix` put before one file. */
static void copy_templates(const char *dir_path, const char *file, const char *prefix)
{
	static const char *const files[] = {"subject.txt", "body.txt", "body.html"};
	char from[PATH_MAX], to[PATH_MAX];

	snprintf(to, sizeof(to), "%.*s/vi", PATH_MAX - 32, dir_path);
	if (mkdir(to, 0700) != 0)
		fail_msg("mkdir %s failed", to);
	for (size_t i = 0; i < N_ELEMS(files); i++) {
		snprintf(from, sizeof(from), "%s/vi/%s", TEMPLATES, files[i]);
		snprintf(to, sizeof(to), "%.*s/vi/%s", PATH_MAX - 64, dir_path, files[i]);
		char *text = read_all(from);
		struct buf b = BUF_INIT;
		if (file && !strcmp(file, files[i]))
			buf_adds(&b, prefix);
		buf_adds(&b, text);
		write_all(to, buf_str(&b));
		buf_free(&b);
		free(text);
	}
}

static void expect_load_error(const char *file, const char *prefix, const char *want)
{
	const char *tmp = getenv("TMPDIR");
	char d[PATH_MAX - 128];
	struct buf errors = BUF_INIT;

	snprintf(d, sizeof(d), "%s/deadlined-test-digest.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(d))
		fail_msg("mkdtemp %s failed", d);
	copy_templates(d, file, prefix);
	struct digest_templates *tpl = digest_templates_load(d, "vi", &errors);
	char *msg = buf_steal(&errors);
	rm_rf(d);
	if (!want) {
		if (!tpl)
			fail_msg("an unmodified copy of the templates does not load:\n%s",
			         msg ? msg : "");
		digest_templates_free(tpl);
		free(msg);
		return;
	}
	if (tpl) {
		digest_templates_free(tpl);
		free(msg);
		fail_msg("templates with \"%s\" in %s loaded", prefix, file);
	}
	if (!msg || !strstr(msg, want)) {
		char copy[1024];
		snprintf(copy, sizeof(copy), "%s", msg ? msg : "(nothing)");
		free(msg);
		fail_msg("errors should contain \"%s\"; they are:\n%s", want, copy);
	}
	free(msg);
}

static void test_templates_unknown_variable(void **state)
{
	(void)state;
	expect_load_error(NULL, NULL, NULL);
	/* Line 3 of body.txt names a variable no digest has. */
	expect_load_error("body.txt", "Kính gửi: {{recipient}}\n\n{{tieu_de}}\n",
	                  "/vi/body.txt:3: unknown variable 'tieu_de'");
	/* An item's variable outside the item lists is unknown there. */
	expect_load_error("subject.txt", "{{title}} ",
	                  "/vi/subject.txt:1: unknown variable 'title'");
	expect_load_error("body.html",
	                  "<!-- ok -->\n{{#sections}}{{#items}}{{tiltle}}{{/items}}{{/sections}}\n",
	                  "/vi/body.html:2: unknown variable 'tiltle'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sorted_sections_and_vietnamese_text),
	    cmocka_unit_test(test_subjects),
	    cmocka_unit_test(test_words_by_role),
	    cmocka_unit_test(test_plan_names),
	    cmocka_unit_test(test_group_names),
	    cmocka_unit_test(test_title_cannot_break_out),
	    cmocka_unit_test(test_threading),
	    cmocka_unit_test(test_days_on_local_calendar),
	    cmocka_unit_test(test_extended_shows_earlier_deadline),
	    cmocka_unit_test(test_same_occurrence_is_one_line),
	    cmocka_unit_test(test_long_digests),
	    cmocka_unit_test(test_build_headers_only),
	    cmocka_unit_test(test_templates_unknown_variable),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
