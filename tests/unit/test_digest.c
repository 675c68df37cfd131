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
	task_init(t);
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

	check_int("kind: the most pressing item", m.kind, SCHED_ESCALATION);
	check_str("subject", m.subject, "[Quá hạn] 1 nhiệm vụ quá hạn, 3 nhiệm vụ cần báo cáo");
	check_str("to_name", m.to_name, "Sở Tư pháp");
	if (m.to.n != 1 || !list_has(&m.to, "stp@quangngai.example"))
		fail_msg("To:%s, want <stp@quangngai.example>", show_list(&m.to));

	const char *x = m.text;
	expect_in("text", x, "Kính gửi: Sở Tư pháp\n");
	expect_in("text", x,
	          "Các nhiệm vụ dưới đây đã quá thời hạn. Đề nghị Quý cơ quan khẩn trương thực "
	          "hiện và báo cáo kết quả về Sở Khoa học và Công nghệ.\n");
	expect_in("text", x, "ĐÃ QUÁ HẠN (1)\n");
	expect_in("text", x, "SẮP ĐẾN HẠN (1)\n");
	expect_in("text", x, "SẮP TỚI (1)\n");
	expect_order("text sections", x, "ĐÃ QUÁ HẠN (1)", "SẮP ĐẾN HẠN (1)");
	expect_order("text sections", x, "SẮP ĐẾN HẠN (1)", "SẮP TỚI (1)");
	expect_order("text items", x, "* Cập nhật cơ sở dữ liệu", "* Báo cáo sơ kết 6 tháng");
	expect_order("text items", x, "* Báo cáo sơ kết 6 tháng", "* Tổng kết năm");
	expect_in("text", x, "* Cập nhật cơ sở dữ liệu <chuyển đổi số>\n");
	expect_in("text", x, "  Kế hoạch: 119/KH-UBND ngày 09/10/2020, mục 3\n");
	expect_in("text", x, "  Vai trò: chủ trì\n");
	expect_in("text", x, "  Thời hạn: ngày 31/05/2025 (Tháng 5/2025) – quá hạn 10 ngày\n");
	expect_in("text", x, "  Chủ trì: Sở Tư pháp\n");
	expect_in("text", x, "  Phối hợp: Sở Y tế\n");
	expect_in("text", x, "  Tình trạng: chưa báo cáo\n");
	expect_in("text", x,
	          "  Thời hạn: trước ngày 15/06/2025 (trước ngày 15/06/2025) – còn 4 ngày\n");
	expect_in("text", x, "  Thời hạn: ngày 31/12/2025 (Năm 2025) – còn 204 ngày\n");
	expect_in("text", x, "Thư được gửi tự động ngày 10/06/2025 bởi hệ thống nhắc việc.");
	expect_not_in("text", x, "&lt;");
	expect_not_in("text", x, "Đã gia hạn");

	const char *h = m.html;
	expect_in("html", h, "<p>Kính gửi: <strong>Sở Tư pháp</strong></p>");
	expect_in("html", h,
	          "<li><strong>Cập nhật cơ sở dữ liệu &lt;chuyển đổi số&gt;</strong><br>");
	expect_not_in("html", h, "<chuyển");
	expect_in("html", h, "Đã quá hạn (1)</h3>");
	expect_in("html", h, "Sắp đến hạn (1)</h3>");
	expect_in("html", h, "Sắp tới (1)</h3>");
	expect_in("html", h, "<strong>quá hạn 10 ngày</strong>");
	expect_in("html", h, "còn 4 ngày<br>");
	expect_in("html", h, "Kế hoạch: 119/KH-UBND ngày 09/10/2020, mục 3<br>");
	expect_order("html items", h, "Cập nhật cơ sở dữ liệu", "Báo cáo sơ kết 6 tháng");
	expect_order("html items", h, "Báo cáo sơ kết 6 tháng", "Tổng kết năm");
	digest_msg_free(&m);
	three_free(&t);
}

static void test_subject_by_kind_vi(void **state)
{
	struct three t;
	struct digest_msg m;

	(void)state;
	three_init(&t);

	struct digest_item one[] = {soon_item(&t)};
	build(vi, "stp", one, 1, NOW, &m);
	check_int("kind", m.kind, SCHED_REMINDER);
	check_str("single reminder names the task and its deadline", m.subject,
	          "[Nhắc việc] Báo cáo sơ kết 6 tháng – hạn trước ngày 15/06/2025");
	expect_in(
	    "text", m.text,
	    "Hệ thống nhắc việc của UBND tỉnh xin nhắc Quý cơ quan 1 nhiệm vụ sắp đến hạn dưới "
	    "đây.\n");
	expect_not_in("text", m.text, "ĐÃ QUÁ HẠN");
	digest_msg_free(&m);

	struct digest_item two[] = {later_item(&t), soon_item(&t)};
	build(vi, "stp", two, 2, NOW, &m);
	check_str("two reminders", m.subject, "[Nhắc việc] 2 nhiệm vụ sắp đến hạn");
	digest_msg_free(&m);

	struct digest_item esc[] = {overdue_item(&t)};
	build(vi, "stp", esc, 1, NOW, &m);
	check_int("kind", m.kind, SCHED_ESCALATION);
	check_str("single escalation names the task", m.subject,
	          "[Quá hạn] Cập nhật cơ sở dữ liệu <chuyển đổi số>");
	digest_msg_free(&m);

	struct digest_item sum[] = {overdue_item(&t), soon_item(&t)};
	sum[0].kind = SCHED_SUMMARY;
	sum[0].step = "e30";
	sum[1].due = end_of(2025, 4, 30);
	sum[1].kind = SCHED_SUMMARY;
	sum[1].step = "e30";
	build(vi, "stp", sum, 2, NOW, &m);
	check_int("kind", m.kind, SCHED_SUMMARY);
	check_str("summary", m.subject, "[Tổng hợp quá hạn] 2 nhiệm vụ chưa hoàn thành");
	expect_in("text", m.text,
	          "Các nhiệm vụ dưới đây đã quá thời hạn từ lâu mà chưa có báo cáo hoàn thành. Đề "
	          "nghị Quý cơ quan rà soát, báo cáo tình hình thực hiện về Sở Khoa học và Công "
	          "nghệ.\n");
	expect_in("text", m.text, "ĐÃ QUÁ HẠN (2)\n");
	expect_in("text", m.text, "– quá hạn 41 ngày\n");
	expect_order("overdue items, oldest deadline first", m.text, "– quá hạn 41 ngày",
	             "– quá hạn 10 ngày");
	digest_msg_free(&m);
	three_free(&t);
}

static void test_subject_by_kind_en(void **state)
{
	struct three t;
	struct digest_msg m;

	(void)state;
	three_init(&t);
	struct digest_item one[] = {soon_item(&t)};
	build(en, "stp", one, 1, NOW, &m);
	check_str("single reminder", m.subject,
	          "[Reminder] Báo cáo sơ kết 6 tháng – due before 15/06/2025");
	expect_in("text", m.text, "This is a reminder of 1 tasks coming due.\n");
	expect_in("text", m.text,
	          "  Deadline: before 15/06/2025 (trước ngày 15/06/2025) – 4 days left\n");
	expect_in("text", m.text, "  Your role: lead\n");
	digest_msg_free(&m);

	struct digest_item all[] = {later_item(&t), soon_item(&t), overdue_item(&t)};
	build(en, "stp", all, 3, NOW, &m);
	check_str("escalation with three items", m.subject,
	          "[Overdue] 1 tasks overdue, 3 tasks to report on");
	expect_in("text", m.text, "OVERDUE (1)\n");
	expect_in("text", m.text, "DUE SOON (1)\n");
	expect_in("text", m.text, "UPCOMING (1)\n");
	expect_in("text", m.text, "  Deadline: on 31/05/2025 (Tháng 5/2025) – 10 days overdue\n");
	expect_in("html", m.html, "Cập nhật cơ sở dữ liệu &lt;chuyển đổi số&gt;");
	digest_msg_free(&m);

	struct digest_item sum[] = {overdue_item(&t)};
	sum[0].kind = SCHED_SUMMARY;
	build(en, "stp", sum, 1, NOW, &m);
	check_str("summary", m.subject, "[Overdue summary] 1 tasks not completed");
	digest_msg_free(&m);
	three_free(&t);
}

/* A group is named as the plan wrote it; an unknown name as written. */
static void test_lead_and_coordinating_names(void **state)
{
	struct task t;
	struct digest_msg m;

	(void)state;
	mk_task(&t, "C.1", "Triển khai nền tảng số", "Quý II/2025",
	        "Các sở, ban, ngành tỉnh; Phòng Văn thư Lưu trữ", "UBND cấp huyện");
	struct digest_item it[] = {
	    item(&t, 201, end_of(2025, 6, 14), ROLE_LEAD, SCHED_REMINDER, "r7")};
	build(vi, "stp", it, 1, NOW, &m);
	expect_in("text", m.text, "SẮP ĐẾN HẠN (1)\n");
	expect_in("text", m.text, "  Chủ trì: Các sở, ban, ngành tỉnh; Phòng Văn thư Lưu trữ\n");
	expect_in("text", m.text, "  Phối hợp: UBND cấp huyện\n");
	/* Not the members. */
	expect_not_in("text", m.text, "Văn phòng Ủy ban nhân dân tỉnh");
	expect_not_in("text", m.text, "Sở Nội vụ");
	expect_not_in("text", m.text, "huyện Bình Sơn");
	expect_in("html", m.html, "Chủ trì: Các sở, ban, ngành tỉnh; Phòng Văn thư Lưu trữ<br>");
	expect_in("html", m.html, "Phối hợp: UBND cấp huyện");
	digest_msg_free(&m);

	/* A condition, a waiting status, a plan without a date, an overdue item. */
	t.condition = strdup("sau khi có hướng dẫn của Bộ");
	t.status = TASK_WAITING;
	it[0] = item(&t, 201, end_of(2025, 5, 31), ROLE_LEAD, SCHED_ESCALATION, "e7");
	it[0].plan_issued = NULL;
	build(vi, "stp", it, 1, NOW, &m);
	expect_in("text", m.text, "  Kế hoạch: 119/KH-UBND, mục 3\n");
	expect_in("text", m.text, "  Điều kiện: sau khi có hướng dẫn của Bộ\n");
	expect_in("text", m.text, "  Chủ trì: Các sở, ban, ngành tỉnh; Phòng Văn thư Lưu trữ\n");
	expect_in("text", m.text, "  Tình trạng: chờ\n");
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
	expect_in("subject", m.subject, "Bcc: ai@example.com & <b>đậm</b> – hạn ngày 14/06/2025");
	expect_in("html", m.html, "ai@example.com &amp; &lt;b&gt;đậm&lt;/b&gt;");
	expect_not_in("html", m.html, "<b>đậm");
	expect_in("text", m.text, "& <b>đậm</b>\n");
	digest_msg_free(&m);
	task_free(&t);
}

static void test_cc_coordinating_on_escalation_to_lead(void **state)
{
	struct task t;
	struct digest_msg m;

	(void)state;
	mk_task(&t, "D.1", "Số hóa hồ sơ", "Tháng 5/2025", "Sở Tư pháp",
	        "Sở Y tế; Sở Tư pháp; Sở Nội vụ");

	/* Escalation to the lead: the coordinating agencies in Cc, not the lead itself. */
	struct digest_item esc[] = {
	    item(&t, 301, end_of(2025, 5, 31), ROLE_LEAD, SCHED_ESCALATION, "e1")};
	build(vi, "stp", esc, 1, NOW, &m);
	if (m.cc.n != 2 || !list_has(&m.cc, "syt@quangngai.example") ||
	    !list_has(&m.cc, "snv@quangngai.example"))
		fail_msg("Cc of an escalation to the lead:%s; want <syt@…> <snv@…>",
		         show_list(&m.cc));
	if (list_has(&m.cc, "stp@quangngai.example"))
		fail_msg("the recipient is in its own Cc:%s", show_list(&m.cc));
	digest_msg_free(&m);

	/* Sở TT&TT's duties are Sở KH&CN's since 01/03/2025: writing to Sở KH&CN as
	 * the lead, its own address is not copied through its predecessor. */
	struct task merged;
	mk_task(&merged, "D.2", "Chuyển đổi số cơ quan", "Tháng 5/2025", "Sở Khoa học và Công nghệ",
	        "Sở TT&TT; Sở Y tế");
	struct digest_item mi[] = {
	    item(&merged, 302, end_of(2025, 5, 31), ROLE_LEAD, SCHED_ESCALATION, "e1")};
	mi[0].assigned = "skhcn";
	build(vi, "skhcn", mi, 1, NOW, &m);
	if (m.cc.n != 1 || !list_has(&m.cc, "syt@quangngai.example"))
		fail_msg("Cc of an escalation to Sở KH&CN:%s; want only <syt@quangngai.example>",
		         show_list(&m.cc));
	digest_msg_free(&m);
	task_free(&merged);

	/* A summary to the lead: the same. */
	esc[0].kind = SCHED_SUMMARY;
	build(vi, "stp", esc, 1, NOW, &m);
	if (m.cc.n != 2 || !list_has(&m.cc, "syt@quangngai.example") ||
	    !list_has(&m.cc, "snv@quangngai.example"))
		fail_msg("Cc of a summary to the lead:%s", show_list(&m.cc));
	digest_msg_free(&m);

	/* A reminder: nobody in Cc. */
	struct digest_item rem[] = {
	    item(&t, 301, end_of(2025, 6, 30), ROLE_LEAD, SCHED_REMINDER, "r30")};
	build(vi, "stp", rem, 1, NOW, &m);
	if (m.cc.n != 0)
		fail_msg("Cc of a reminder:%s", show_list(&m.cc));
	digest_msg_free(&m);

	/* An escalation to a coordinating agency or to the monitor: no Cc. */
	struct digest_item co[] = {
	    item(&t, 301, end_of(2025, 5, 31), ROLE_COORD, SCHED_ESCALATION, "e1")};
	co[0].assigned = "syt";
	build(vi, "syt", co, 1, NOW, &m);
	if (m.cc.n != 0)
		fail_msg("Cc of an escalation to a coordinating agency:%s", show_list(&m.cc));
	expect_in("text", m.text, "  Vai trò: phối hợp\n");
	digest_msg_free(&m);
	struct digest_item mon[] = {
	    item(&t, 301, end_of(2025, 5, 31), ROLE_MONITOR, SCHED_ESCALATION, "e7")};
	mon[0].assigned = "skhcn";
	build(vi, "skhcn", mon, 1, NOW, &m);
	if (m.cc.n != 0)
		fail_msg("Cc of an escalation to the monitor:%s", show_list(&m.cc));
	expect_in("text", m.text, "  Vai trò: theo dõi, đôn đốc\n");
	digest_msg_free(&m);
	task_free(&t);
}

static void test_threading(void **state)
{
	struct three t;
	struct digest_msg m;
	char root101[256], root102[256], root103[256], other[256];

	(void)state;
	three_init(&t);
	digest_thread_root(101, "stp", DOMAIN, root101, sizeof(root101));
	digest_thread_root(102, "stp", DOMAIN, root102, sizeof(root102));
	digest_thread_root(103, "stp", DOMAIN, root103, sizeof(root103));
	digest_thread_root(101, "syt", DOMAIN, other, sizeof(other));
	if (!strchr(root101, '@') || !strstr(root101, DOMAIN))
		fail_msg("thread root \"%s\" is not an id in %s", root101, DOMAIN);
	if (!strcmp(root101, root102) || !strcmp(root101, other))
		fail_msg("thread roots must differ by occurrence and agency: %s %s %s", root101,
		         root102, other);
	digest_thread_root(101, "stp", DOMAIN, other, sizeof(other));
	check_str("the root is stable", other, root101);

	/* First message about an occurrence: it replies to the thread root. */
	struct digest_item first[] = {soon_item(&t)};
	build(vi, "stp", first, 1, NOW, &m);
	check_str("In-Reply-To without a previous message", m.in_reply_to, root102);
	if (!list_has(&m.references, root102))
		fail_msg("References:%s; want the root %s", show_list(&m.references), root102);
	digest_msg_free(&m);

	/* A later one replies to the previous message, and still names the root. */
	struct digest_item next[] = {soon_item(&t)};
	next[0].prev_msgid = "deadlined.20250603T010000.0badcafe@quangngai.example";
	build(vi, "stp", next, 1, NOW, &m);
	check_str("In-Reply-To", m.in_reply_to,
	          "deadlined.20250603T010000.0badcafe@quangngai.example");
	if (!list_has(&m.references, root102) ||
	    !list_has(&m.references, "deadlined.20250603T010000.0badcafe@quangngai.example"))
		fail_msg("References:%s; want the root and the previous message",
		         show_list(&m.references));
	digest_msg_free(&m);

	/* Several occurrences: every root is referenced. */
	struct digest_item all[] = {later_item(&t), soon_item(&t), overdue_item(&t)};
	build(vi, "stp", all, 3, NOW, &m);
	if (!list_has(&m.references, root101) || !list_has(&m.references, root102) ||
	    !list_has(&m.references, root103))
		fail_msg("References:%s; want %s, %s and %s", show_list(&m.references), root101,
		         root102, root103);
	if (!m.in_reply_to)
		fail_msg("no In-Reply-To");
	digest_msg_free(&m);
	three_free(&t);
}

/* One item, built at `now`; the text must contain `want`. */
static void expect_days(time_t now, time_t due, const char *want)
{
	struct task t;
	struct digest_msg m;
	char a[32], b[32];

	mk_task(&t, "E.1", "Nhiệm vụ", "x", "Sở Tư pháp", NULL);
	struct digest_item it[] = {
	    item(&t, 401, due, ROLE_LEAD, due > now ? SCHED_REMINDER : SCHED_ESCALATION, "r1")};
	build(vi, "stp", it, 1, now, &m);
	if (!strstr(m.text, want))
		fail_msg("now %s, due %s: the text lacks \"%s\":\n%s",
		         date_format_iso(now, TZ, a, sizeof(a)),
		         date_format_iso(due, TZ, b, sizeof(b)), want, m.text);
	digest_msg_free(&m);
	task_free(&t);
}

static void test_days_on_local_calendar(void **state)
{
	(void)state;
	/* 23:59:59 deadlines: the last day is the due day. */
	expect_days(NOW, end_of(2025, 6, 11), "– còn 1 ngày\n");
	expect_days(NOW, end_of(2025, 6, 10), "– hôm nay là ngày cuối\n");
	expect_days(NOW, end_of(2025, 6, 9), "– quá hạn 1 ngày\n");
	/* 00:00 deadlines ("trước ngày"): the last day is the day before. */
	expect_days(NOW, at(2025, 6, 12, 0, 0, 0), "– còn 1 ngày\n");
	expect_days(NOW, at(2025, 6, 11, 0, 0, 0), "– hôm nay là ngày cuối\n");
	expect_days(NOW, at(2025, 6, 10, 0, 0, 0), "– quá hạn 1 ngày\n");
	expect_days(NOW, at(2025, 6, 11, 0, 0, 0), "Thời hạn: trước ngày 11/06/2025 (x)");
	/* Local days, not UTC days: 06:00 on 11/06 in Vietnam is still 10/06 in UTC. */
	expect_days(at(2025, 6, 11, 6, 0, 0), end_of(2025, 6, 11), "– hôm nay là ngày cuối\n");
	expect_days(at(2025, 6, 11, 6, 0, 0), at(2025, 6, 12, 0, 0, 0), "– hôm nay là ngày cuối\n");
	expect_days(at(2025, 6, 11, 6, 0, 0), end_of(2025, 6, 10), "– quá hạn 1 ngày\n");
	expect_days(at(2025, 6, 10, 23, 30, 0), end_of(2025, 6, 11), "– còn 1 ngày\n");
	/* Seven days is "soon", eight is "later". */
	expect_days(NOW, end_of(2025, 6, 17), "SẮP ĐẾN HẠN (1)");
	expect_days(NOW, end_of(2025, 6, 17), "– còn 7 ngày\n");
	expect_days(NOW, end_of(2025, 6, 18), "SẮP TỚI (1)");
	expect_days(NOW, end_of(2025, 6, 18), "– còn 8 ngày\n");
	expect_days(NOW, at(2025, 6, 18, 0, 0, 0), "SẮP ĐẾN HẠN (1)");
	expect_days(NOW, at(2025, 6, 19, 0, 0, 0), "SẮP TỚI (1)");
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
	expect_in("text", m.text, "  Thời hạn: ngày 14/06/2025 (Quý II/2025) – còn 4 ngày\n");
	expect_in("text", m.text, "  Đã gia hạn, thời hạn cũ: ngày 05/06/2025\n");
	expect_in("html", m.html, "Đã gia hạn, thời hạn cũ: ngày 05/06/2025<br>");
	digest_msg_free(&m);

	struct digest_item late[] = {
	    item(&t, 501, at(2025, 6, 9, 0, 0, 0), ROLE_LEAD, SCHED_ESCALATION, "e1")};
	late[0].original_due = at(2025, 5, 31, 0, 0, 0);
	build(vi, "stp", late, 1, NOW, &m);
	expect_in("text", m.text, "– quá hạn 2 ngày\n");
	expect_in("text", m.text, "  Đã gia hạn, thời hạn cũ: trước ngày 31/05/2025\n");
	digest_msg_free(&m);

	struct digest_item plain[] = {
	    item(&t, 501, end_of(2025, 6, 14), ROLE_LEAD, SCHED_REMINDER, "r7")};
	build(vi, "stp", plain, 1, NOW, &m);
	expect_not_in("text", m.text, "Đã gia hạn");
	expect_not_in("html", m.html, "Đã gia hạn");
	digest_msg_free(&m);
	task_free(&t);
}

/* The same occurrence twice (as coordinating and as lead) is one line. */
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
	check_str("subject of one task", m.subject, "[Quá hạn] Rà soát thủ tục hành chính");
	expect_in("text", m.text, "ĐÃ QUÁ HẠN (1)\n");
	expect_in("text", m.text, "  Vai trò: chủ trì\n");
	expect_not_in("text", m.text, "  Vai trò: phối hợp\n");
	digest_msg_free(&m);
	task_free(&t);
}

static void test_build_headers_only(void **state)
{
	struct three t;
	struct digest_msg full, head;

	(void)state;
	three_init(&t);
	struct digest_item a[] = {later_item(&t), soon_item(&t), overdue_item(&t)};
	struct digest_item b[] = {later_item(&t), soon_item(&t), overdue_item(&t)};
	build(vi, "stp", a, 3, NOW, &full);
	digest_build_headers(vi, dir, "stp", b, 3, NOW, DOMAIN, &head);
	check_str("subject", head.subject, full.subject);
	check_str("text", head.text, NULL);
	check_str("html", head.html, NULL);
	check_str("In-Reply-To", head.in_reply_to, full.in_reply_to);
	check_int("kind", head.kind, full.kind);
	check_int("cc", head.cc.n, full.cc.n);
	digest_msg_free(&full);
	digest_msg_free(&head);
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
	expect_load_error("body.html", "<!-- ok -->\n{{#overdue}}{{tiltle}}{{/overdue}}\n",
	                  "/vi/body.html:2: unknown variable 'tiltle'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sorted_sections_and_vietnamese_text),
	    cmocka_unit_test(test_subject_by_kind_vi),
	    cmocka_unit_test(test_subject_by_kind_en),
	    cmocka_unit_test(test_lead_and_coordinating_names),
	    cmocka_unit_test(test_title_cannot_break_out),
	    cmocka_unit_test(test_cc_coordinating_on_escalation_to_lead),
	    cmocka_unit_test(test_threading),
	    cmocka_unit_test(test_days_on_local_calendar),
	    cmocka_unit_test(test_extended_shows_earlier_deadline),
	    cmocka_unit_test(test_same_occurrence_is_one_line),
	    cmocka_unit_test(test_build_headers_only),
	    cmocka_unit_test(test_templates_unknown_variable),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
