/*
 * Unit tests for inbox/reply: what agencies write, in the ways their mail
 * clients quote, and what must be read from it. One table: the reply's
 * text (and the lines of the message answered), and the commands read,
 * written compactly as "LINE ITEM LEVEL" ("*" for every task; "extend
 * YYYY-MM-DD [reason]"), then "miss LINE" for each line tried and not read.
 */
#include "check.h"

#include "buf.h"
#include "inbox/reply.h"
#include "text.h"

#include <stdio.h>
#include <string.h>

/* "Hoàn thành" written decomposed (NFD), as some Mac and web clients send it. */
#define NFD_HOAN_THANH "Hoa\xcc\x80n tha\xcc\x80nh"

static void describe(const struct reply *r, struct buf *out)
{
	for (size_t i = 0; i < r->n_cmds; i++) {
		const struct reply_cmd *c = &r->cmds[i];
		buf_printf(out, "%s%d %s ", out->len ? "; " : "", c->line, c->item ? c->item : "*");
		if (c->kind == REPLY_EXTEND)
			buf_printf(out, "extend %04d-%02d-%02d%s%s", c->year, c->month, c->day,
			           c->reason ? " " : "", c->reason ? c->reason : "");
		else
			buf_adds(out, task_status_name(c->status));
	}
	for (size_t i = 0; i < r->n_misses; i++)
		buf_printf(out, "%smiss %d", out->len ? "; " : "", r->misses[i].line);
}

static const struct {
	const char *text;
	const char *want;
} cases[] = {
    /* Levels, every way of writing them. */
    {"Hoàn thành", "1 * done"},
    {"Đã hoàn thành khảo sát 60 doanh nghiệp.", "1 * done"},
    {NFD_HOAN_THANH, "1 * done"},
    {"HOÀN THÀNH", "1 * done"},
    {"hoan thanh", "1 * done"},
    {"Đạt", "1 * done"},
    {"Dat", "1 * done"},
    {"Đáp ứng yêu cầu", "1 * done"},
    {"Chưa hoàn thành", "1 * not-met"},
    {"chua dat", "1 * not-met"},
    {"Đang thực hiện: đã khảo sát 40/60", "1 * in-progress"},
    {"Tiếp tục thực hiện", "1 * in-progress"},
    {"dang trien khai", "1 * in-progress"},
    {"Chờ ý kiến của Bộ Khoa học và Công nghệ", "1 * waiting"},
    {"Cho y kien cua Bo KH&CN", "1 * waiting"},
    {"Done", "1 * done"},
    {"in progress", "1 * in-progress"},
    {"Tình trạng: Hoàn thành", "1 * done"},
    {"Báo cáo: Đã hoàn thành", "1 * done"},
    {"- Hoàn thành", "1 * done"},
    /* Words that only look like a level without their marks, or are not one. */
    {"Đặt lịch họp tuần sau", ""},
    {"Dat lich hop tuan sau", ""},
    {"Cho tôi hỏi thêm về mục này", ""},
    {"Cho toi hoi them", ""},
    {"Chúng tôi đã hoàn thành", ""},
    {"Kính gửi Sở KH&CN,\n\nTrân trọng.", ""},
    /* Per item. */
    {"1.3.a: Hoàn thành", "1 1.3.a done"},
    {"#205: Hoàn thành", "1 #205 done"},
    {"#205 Đang thực hiện", "1 #205 in-progress"},
    {"1.3.a Hoàn thành", "1 1.3.a done"},
    {"Mục 2, 3 – Đang thực hiện", "1 2 in-progress; 1 3 in-progress"},
    {"1.1 và 1.2: hoan thanh", "1 1.1 done; 1 1.2 done"},
    {"A.I.1: Hoàn thành", "1 A.I.1 done"},
    {"II. Hoàn thành", "1 II done"},
    {"- 1.1: Chờ Bộ hướng dẫn", "1 1.1 waiting"},
    {"Nhiệm vụ 4 - chưa hoàn thành", "1 4 not-met"},
    {"1. Báo cáo số 123/BC-SCT gửi kèm", ""},
    /* Extension requests. */
    {"Xin gia hạn đến 30/06/2026: chờ kinh phí", "1 * extend 2026-06-30 chờ kinh phí"},
    {"xin gia han den ngay 30 thang 6 nam 2026, ly do: cho kinh phi",
     "1 * extend 2026-06-30 cho kinh phi"},
    {"Đề nghị gia hạn thời gian thực hiện đến 15-9-26", "1 * extend 2026-09-15"},
    {"Xin gia hạn đến Quý III/2026", "1 * extend 2026-09-30"},
    {"Xin gia hạn đến tháng 2/2028 vì thiếu nhân lực", "1 * extend 2028-02-29 vì thiếu nhân lực"},
    {"Xin gia hạn đến 30/6\nLý do: chờ Bộ", "1 * extend 0000-06-30 chờ Bộ"},
    {"2.1: Xin gia hạn đến 31/12/2025", "1 2.1 extend 2025-12-31"},
    {"Xin gia hạn", "miss 1"},
    {"Xin gia hạn đến 31/02/2026", "miss 1"},
    {"Tình trạng: sắp xong", "miss 1"},
    /* Several lines: each is its own command, numbered in the own text. */
    {"Kính gửi,\n\n1.1: Hoàn thành\n1.2: Đang thực hiện\nTrân trọng",
     "3 1.1 done; 4 1.2 in-progress"},
    /* Quotes: Gmail, Thunderbird, Outlook (English and Vietnamese), forwards, signatures. */
    {"Hoàn thành\n\nOn Fri, Jun 20, 2025 at 9:00 AM Hệ thống <nhacviec@x.example> wrote:\n"
     "> Đang thực hiện\n",
     "1 * done"},
    {"Hoàn thành\n\nVào Th 6, 20 thg 6, 2025 vào lúc 09:00 Hệ thống <\nnhacviec@x.example> "
     "đã viết:\n> Chờ\n",
     "1 * done"},
    {"On 20/06/2025 09:00, Hệ thống wrote:\n> Tình trạng: Hoàn thành\n>\n\nĐang thực hiện\n",
     "1 * in-progress"},
    {"Hoàn thành\n\n-----Original Message-----\nFrom: x\nĐang thực hiện", "1 * done"},
    {"Đang thực hiện\n\nTừ: Hệ thống nhắc việc <nhacviec@x.example>\nĐã gửi: Thứ Sáu\n"
     "Đến: Sở Công Thương\nChủ đề: Nhắc việc\n\nHoàn thành",
     "1 * in-progress"},
    {"Hoàn thành\n________________________________\nFrom: x\nSent: y\nChờ", "1 * done"},
    {"Chờ Bộ\n---------- Forwarded message ---------\nHoàn thành", "1 * waiting"},
    {"Hoàn thành\n-- \nChờ duyệt (chữ ký)", "1 * done"},
    {"Từ ngày 1/7 sẽ triển khai.\nĐang thực hiện", "2 * in-progress"},
    /* A sentence wrapped onto a line that starts with a level is no command. */
    {"Sở báo cáo nhiệm vụ khảo sát chưa\nhoàn thành vì chưa được cấp kinh phí.", ""},
    {"Kết quả: đến nay đã cơ bản\nhoàn thành, còn 2 huyện.\nĐang thực hiện",
     "3 * in-progress; miss 1"},
    {"Kính gửi Sở KH&CN,\nHoàn thành", "2 * done"},
    {"1.1: Hoàn thành\nhoàn thành 1.2 trong tuần", "1 1.1 done; 2 * done"},
    /* A share below the whole is in progress; a level denied or asked is none. */
    {"Hoàn thành 50% khối lượng công việc", "1 * in-progress"},
    {"Đã hoàn thành 30 %", "1 * in-progress"},
    {"Đạt 60% kế hoạch", "1 * in-progress"},
    {"Hoàn thành 100%", "1 * done"},
    {"Hoàn thành khoảng 50 %", "1 * in-progress"},
    {"Hoàn thành, cắt giảm 30% thời gian giải quyết thủ tục", "1 * done"},
    {"Kính gửi Sở Nội vụ\nhoàn thành", "2 * done"},
    {"Mục 1\nhoàn thành", "2 * done"},
    {"Hoàn thành: chưa", "miss 1"},
    {"hoan thanh chua duoc", "miss 1"},
    {"Done?", "miss 1"},
    {"Đang thực hiện, chưa xong", "1 * in-progress"},
    {"Hoàn thành, không có vướng mắc", "1 * done"},
    {"Hoàn thành không đúng hạn do thiếu kinh phí", "1 * done"},
    {"Hoàn thành chưa đạt yêu cầu", "miss 1"},
    {"Không đạt", "1 * not-met"},
    {"khong dat do thieu kinh phi", "1 * not-met"},
};

static void test_the_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		struct reply r;
		struct buf got = BUF_INIT;
		reply_read(cases[i].text, strlen(cases[i].text), NULL, 0, &r);
		describe(&r, &got);
		if (strcmp(buf_str(&got), cases[i].want))
			fail_msg("case %zu %s\n  got:  \"%s\"\n  want: \"%s\"\n  own text: %s", i,
			         cases[i].text, buf_str(&got), cases[i].want, r.own);
		buf_free(&got);
		reply_free(&r);
	}
}

/* An HTML reply whose quote could not be told apart repeats the message answered. */
static void test_lines_of_the_message_answered_are_not_commands(void **state)
{
	const char *sent[] = {"Kính gửi: Sở Công Thương", "  Tình trạng: Đang thực hiện",
	                      "  Vai trò: chủ trì"};
	const char *text = "Hoàn thành\nKính gửi: Sở Công Thương\nTình trạng: Đang thực hiện\n";
	struct reply r;
	struct buf got = BUF_INIT;

	(void)state;
	reply_read(text, strlen(text), sent, N_ELEMS(sent), &r);
	describe(&r, &got);
	check_str("commands", buf_str(&got), "1 * done");
	buf_free(&got);
	reply_free(&r);
}

static void test_notes_reasons_and_lines_keep_the_words_as_written(void **state)
{
	const char *text = "Kính gửi,\n  1.2 –  Chờ ý kiến của Bộ TT&TT  \n"
	                   "Xin gia hạn đến 30/06/2026: chờ kinh phí bổ sung\n";
	struct reply r;

	(void)state;
	reply_read(text, strlen(text), NULL, 0, &r);
	check_int("commands", r.n_cmds, 2);
	check_str("line", r.cmds[0].text, "1.2 –  Chờ ý kiến của Bộ TT&TT");
	check_str("item", r.cmds[0].item, "1.2");
	check_str("note", r.cmds[0].note, "Chờ ý kiến của Bộ TT&TT");
	check_int("line number", r.cmds[0].line, 2);
	check_str("reason", r.cmds[1].reason, "chờ kinh phí bổ sung");
	check_str("own text", r.own,
	          "Kính gửi,\n  1.2 –  Chờ ý kiến của Bộ TT&TT  \n"
	          "Xin gia hạn đến 30/06/2026: chờ kinh phí bổ sung\n");
	reply_free(&r);
}

static void test_own_text_is_nfc_and_bounded(void **state)
{
	struct buf text = BUF_INIT;
	struct reply r;

	(void)state;
	reply_read(NFD_HOAN_THANH, strlen(NFD_HOAN_THANH), NULL, 0, &r);
	check_str("NFC", r.own, "Hoàn thành\n");
	reply_free(&r);
	for (int i = 0; i < REPLY_MAX_LINES + 50; i++)
		buf_adds(&text, "Hoàn thành\n");
	reply_read(text.data, text.len, NULL, 0, &r);
	check_int("lines read", r.n_cmds, REPLY_MAX_LINES);
	reply_free(&r);
	/* A line longer than what is read, cut inside a UTF-8 sequence, and invalid bytes. */
	buf_reset(&text);
	for (int i = 0; i < REPLY_MAX_LINE; i++)
		buf_adds(&text, "ồ");
	buf_adds(&text, "\n\xff\xfe Hoàn thành\n");
	reply_read(text.data, text.len, NULL, 0, &r);
	check_int("valid UTF-8 out", text_utf8_valid(r.own, strlen(r.own)), 1);
	reply_free(&r);
	buf_free(&text);
}

static void test_item_keys(void **state)
{
	static const struct {
		const char *in, *want;
	} keys[] = {{"1.3.a", "1.3.a"},
	            {"1.3.A.", "1.3.a"},
	            {"II)", "ii"},
	            {" 2 ", "2"},
	            {"A.I.1", "a.i.1"}};
	char out[32];

	(void)state;
	for (size_t i = 0; i < N_ELEMS(keys); i++) {
		reply_item_key(keys[i].in, out, sizeof(out));
		check_str(keys[i].in, out, keys[i].want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_the_table),
	    cmocka_unit_test(test_lines_of_the_message_answered_are_not_commands),
	    cmocka_unit_test(test_notes_reasons_and_lines_keep_the_words_as_written),
	    cmocka_unit_test(test_own_text_is_nfc_and_bounded),
	    cmocka_unit_test(test_item_keys),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
