/*
 * Unit tests for inbox/mimein: real shapes of inbound mail read through
 * GMime, and what the reader keeps of them; hostile input within limits.
 */
#include "check.h"

#include "buf.h"
#include "inbox/mimein.h"
#include "text.h"

#include <stdlib.h>
#include <string.h>

#define HEAD                                                                                       \
	"From: =?utf-8?b?U+G7nyBDw7RuZyBUaMawxqFuZw==?= <sct@quangngai.example>\r\n"               \
	"To: nhacviec+abc@quangngai.example\r\nSubject: Re: x\r\nMessage-ID: <r1@sct>\r\n"         \
	"MIME-Version: 1.0\r\n"

static void parse(const char *raw, struct mimein_msg *m)
{
	mimein_parse(raw, strlen(raw), &mimein_default_limits, m);
}

static void test_bodies_come_out_as_utf8_text(void **state)
{
	static const struct {
		const char *raw, *text;
		bool html;
	} cases[] = {
	    {HEAD "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: "
	          "quoted-printable\r\n\r\nHo=C3=A0n th=C3=A0nh=\r\n r=E1=BB=93i\r\n",
	     "Hoàn thành rồi", false},
	    {HEAD "Content-Type: text/plain; charset=windows-1258\r\nContent-Transfer-Encoding: "
	          "8bit\r\n\r\n\xd0"
	          "ang th\xfd\xf2"
	          "c hi\xea\xf2n: \xf0"
	          "a\xde kha\xd2o s\xe1t\r\n",
	     /* The code page writes tones as combining marks: equal once NFC. */
	     "Đang thực hiện: đã khảo sát", false},
	    {HEAD "Content-Type: text/plain\r\n\r\nHo\xc3\xa0n th\xc3\xa0nh\r\n", "Hoàn thành",
	     false},
	    {HEAD
	     "Content-Type: multipart/alternative; boundary=b\r\n\r\n--b\r\nContent-Type: "
	     "text/plain; charset=utf-8\r\n\r\nChờ Bộ\r\n--b\r\nContent-Type: text/html\r\n\r\n"
	     "<p>Khác</p>\r\n--b--\r\n",
	     "Chờ Bộ", false},
	    {HEAD "Content-Type: text/html; charset=utf-8\r\n\r\n<html><head><style>p{}</style>"
	          "</head><body><p>Ho&agrave;n th&#224;nh</p><p>Tr&acirc;n tr&#x1ECD;ng</p>"
	          "<p>&Dstrok;&atilde; g&#7917;i</p></body></html>",
	     "Hoàn thành\n\nTrân trọng\n\nĐã gửi\n", true},
	};

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		struct mimein_msg m;
		parse(cases[i].raw, &m);
		char *nfc = text_nfc(m.text);
		check_str(cases[i].raw, nfc, cases[i].text);
		free(nfc);
		check_int("html", m.html, cases[i].html);
		check_str("problem", m.problem, NULL);
		mimein_free(&m);
	}
}

static void test_headers(void **state)
{
	const char *raw = HEAD "Cc: a@x.example, Nhóm: b@x.example, c@x.example;\r\n"
	                       "Delivered-To: nhacviec+tok@quangngai.example\r\n"
	                       "In-Reply-To: <deadlined.1.abc@q>\r\n"
	                       "References: <root@q> <deadlined.1.abc@q>\r\n"
	                       "Content-Type: text/plain\r\n\r\nx\r\n";
	struct mimein_msg m;

	(void)state;
	parse(raw, &m);
	check_str("from", m.from_addr, "sct@quangngai.example");
	check_str("name", m.from_name, "Sở Công Thương");
	check_str("id", m.message_id, "r1@sct");
	check_str("in-reply-to", m.in_reply_to, "deadlined.1.abc@q");
	check_int("references", m.references.n, 2);
	check_str("first reference", m.references.v[0], "root@q");
	struct buf all = BUF_INIT;
	for (size_t i = 0; i < m.rcpts.n; i++)
		buf_printf(&all, "%s ", m.rcpts.v[i]);
	check_str("recipients", buf_str(&all),
	          "nhacviec+abc@quangngai.example a@x.example b@x.example c@x.example "
	          "nhacviec+tok@quangngai.example ");
	check_str("automatic", m.automatic, NULL);
	buf_free(&all);
	mimein_free(&m);
}

static void test_automatic_messages(void **state)
{
	static const struct {
		const char *header, *why;
	} cases[] = {
	    {"Auto-Submitted: auto-replied\r\n", "Auto-Submitted: auto-replied"},
	    {"Auto-Submitted: no\r\n", NULL},
	    {"Precedence: bulk\r\n", "Precedence: bulk"},
	    {"Precedence: junk\r\n", "Precedence: junk"},
	    {"List-Id: <tin-tuc.quangngai.example>\r\n", "it carries List-Id"},
	    {"X-Autoreply: yes\r\n", "it carries X-Autoreply"},
	    {"Return-Path: <>\r\n", "a null sender (Return-Path: <>)"},
	};

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		struct buf raw = BUF_INIT;
		struct mimein_msg m;
		buf_printf(&raw, HEAD "%sContent-Type: text/plain\r\n\r\nHoàn thành\r\n",
		           cases[i].header);
		parse(raw.data, &m);
		check_str(cases[i].header, m.automatic, cases[i].why);
		mimein_free(&m);
		buf_free(&raw);
	}
	/* Out-of-office wording opens the subject; further on it is a task's title. */
	static const struct {
		const char *subject, *why;
	} subjects[] = {
	    {"=?utf-8?q?Tr=E1=BA=A3_l=E1=BB=9Di_t=E1=BB=B1_=C4=91=E1=BB=99ng:_V=E1=BA=AFng_m=E1=BA="
	     "B7t?=",
	     "out-of-office wording in the subject (\"tra loi tu dong\")"},
	    {"Automatic reply: [Sap den han 20/12/2025] 3 nhiem vu",
	     "out-of-office wording in the subject (\"automatic reply\")"},
	    {"RE: Out of Office", "out-of-office wording in the subject (\"out of office\")"},
	    {"Re: [Sap den han 20/12/2025] Trien khai tong dai tra loi tu dong cho nguoi dan",
	     NULL},
	    {"TL: Nguon thu tu dong gop cua doanh nghiep", NULL},
	};
	for (size_t i = 0; i < N_ELEMS(subjects); i++) {
		struct buf raw = BUF_INIT;
		struct mimein_msg m;
		buf_printf(&raw, "From: a@x.example\r\nSubject: %s\r\n\r\nx\r\n",
		           subjects[i].subject);
		parse(raw.data, &m);
		check_str(subjects[i].subject, m.automatic, subjects[i].why);
		mimein_free(&m);
		buf_free(&raw);
	}
}

#define FILES                                                                                      \
	HEAD "Content-Type: multipart/mixed; boundary=m\r\n\r\n--m\r\nContent-Type: text/plain; "  \
	     "charset=utf-8\r\n\r\nHoàn thành\r\n--m\r\nContent-Type: application/pdf\r\n"       \
	     "Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; "              \
	     "filename*=utf-8''..%2F..%2FB%C3%A1o%20c%C3%A1o.pdf\r\n\r\nJVBERi0xLjQK\r\n"          \
	     "--m\r\nContent-Type: application/ms-tnef\r\nContent-Disposition: attachment; "       \
	     "filename=winmail.dat\r\n\r\nxxxx\r\n--m\r\nContent-Type: image/png\r\n"              \
	     "Content-ID: <logo>\r\nContent-Disposition: inline; filename=image001.png\r\n\r\n"    \
	     "png\r\n--m\r\nContent-Type: message/rfc822\r\n\r\nFrom: z@x.example\r\n"             \
	     "Subject: old\r\n\r\nĐang thực hiện (a forwarded message)\r\n--m--\r\n"

static void test_files_tnef_inline_pictures_and_forwards(void **state)
{
	struct mimein_msg m;

	(void)state;
	parse(FILES, &m);
	check_str("text: the sender's only", m.text, "Hoàn thành");
	check_int("files", m.n_atts, 2);
	check_str("name", m.atts[0].filename, "Báo cáo.pdf");
	check_int("size", m.atts[0].size, 9);
	check_int("bytes", memcmp(m.atts[0].data, "%PDF-1.4\n", 9), 0);
	check_str("kept", m.atts[0].refused, NULL);
	check_str("tnef", m.atts[1].filename, "winmail.dat");
	check_int("tnef not kept", m.atts[1].data == NULL, 1);
	check_int("tnef is not too large", m.atts[1].too_large, 0);
	mimein_free(&m);
}

static void test_limits(void **state)
{
	struct mimein_limits small = mimein_default_limits;
	struct mimein_msg m;

	(void)state;
	small.attachment = 5;
	mimein_parse(FILES, strlen(FILES), &small, &m);
	check_int("too large", m.atts[0].too_large, 1);
	check_str("why", m.atts[0].refused, "0.0 MB, over the limit of 0 MB per file");
	mimein_free(&m);
	small = mimein_default_limits;
	small.parts = 3;
	check_int("parts", mimein_parse(FILES, strlen(FILES), &small, &m), -1);
	check_str("why", m.problem, "more than 3 MIME parts");
	mimein_free(&m);
	small = mimein_default_limits;
	small.message = 100;
	check_int("size", mimein_parse(FILES, strlen(FILES), &small, &m), -1);
	mimein_free(&m);
	/* Parts nested deeper than the reader goes. */
	struct buf deep = BUF_INIT;
	buf_adds(&deep, HEAD);
	for (int i = 0; i < 30; i++)
		buf_printf(&deep, "Content-Type: multipart/mixed; boundary=b%d\r\n\r\n--b%d\r\n", i,
		           i);
	buf_adds(&deep, "Content-Type: text/plain\r\n\r\nx\r\n");
	check_int("depth", mimein_parse(deep.data, deep.len, &mimein_default_limits, &m), -1);
	check_str("why", m.problem, "MIME parts nested deeper than 12 levels");
	mimein_free(&m);
	buf_free(&deep);
	static const char *const broken[] = {"", "\x00\x01\x02", "Subject: x\r\n\r\nbody",
	                                     "From: \r\n\r\nx", "\r\n\r\n\r\n"};
	for (size_t i = 0; i < N_ELEMS(broken); i++) {
		check_int("broken",
		          mimein_parse(broken[i], strlen(broken[i]) + (i == 1 ? 3 : 0),
		                       &mimein_default_limits, &m),
		          -1);
		assert_non_null(m.problem);
		mimein_free(&m);
	}
}

static void test_delivery_reports(void **state)
{
	const char *raw =
	    "From: MAILER-DAEMON@mx.example\r\nTo: nhacviec@q.example\r\nSubject: Undelivered\r\n"
	    "MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; "
	    "boundary=r\r\n\r\n--r\r\nContent-Type: text/plain\r\n\r\nSorry.\r\n--r\r\n"
	    "Content-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx\r\n\r\n"
	    "Final-Recipient: rfc822; a@x.example\r\nAction: failed\r\nStatus: 5.1.1\r\n--r\r\n"
	    "Content-Type: message/rfc822\r\n\r\nMessage-ID: <deadlined.x.0123456789abcdef@q>\r\n"
	    "From: nhacviec@q.example\r\nSubject: s\r\n\r\nbody\r\n--r--\r\n";
	struct mimein_msg m;

	(void)state;
	parse(raw, &m);
	check_int("report", m.report, 1);
	assert_non_null(m.dsn);
	assert_non_null(strstr(m.dsn, "Final-Recipient: rfc822; a@x.example"));
	check_str("original", m.dsn_original, "deadlined.x.0123456789abcdef@q");
	mimein_free(&m);
}

static void test_html_text(void **state)
{
	static const struct {
		const char *html, *text;
	} cases[] = {
	    {"<p>a</p><p>b</p>", "a\n\nb\n"},
	    {"a<br>b<br/>c", "a\nb\nc\n"},
	    {"<div>Hoàn   thành\n  rồi</div>", "Hoàn thành rồi\n"},
	    {"x<blockquote>Chờ<blockquote>y</blockquote></blockquote>z", "x\n> Chờ\n> > y\n\nz\n"},
	    {"x<hr>y", "x\n________________________________\ny\n"},
	    {"x<div class=\"gmail_quote\">On … wrote:</div>",
	     "x\n________________________________\nOn … wrote:\n"},
	    {"<ul><li>1.1: Đạt</li><li>1.2: Chờ</li></ul>", "- 1.1: Đạt\n- 1.2: Chờ\n"},
	    {"<script>alert(1)</script><!-- c -->ok&amp;&lt;&#xZZ;&bogus;", "ok&<&#xZZ;&bogus;\n"},
	    {"<table><tr><td>a</td><td>b</td></tr></table>", "a b\n"},
	    {"<p unclosed", ""},
	    {"&#1114112;&#0;x", "\xef\xbf\xbd x\n"},
	};

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		char *t = mimein_html_text(cases[i].html, strlen(cases[i].html));
		check_str(cases[i].html, t, cases[i].text);
		free(t);
	}
}

static void test_safe_file_names(void **state)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
	    {"Báo cáo.pdf", "Báo cáo.pdf"},
	    {"../../etc/passwd", "passwd"},
	    {"C:\\Users\\x\\kq.xlsx", "kq.xlsx"},
	    {".htaccess", "htaccess"},
	    {"a;b|c$(d).txt", "a_b_c_(d).txt"},
	    {"", "attachment"},
	    {NULL, "attachment"},
	    {"...", "attachment"},
	    {"tab\there\nnew", "tab_here_new"},
	};

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		char *f = mimein_safe_filename(cases[i].in);
		check_str(cases[i].in ? cases[i].in : "NULL", f, cases[i].want);
		free(f);
	}
	struct buf longname = BUF_INIT;
	for (int i = 0; i < 80; i++)
		buf_adds(&longname, "ệ");
	char *f = mimein_safe_filename(longname.data);
	check_int("at most 100 bytes", strlen(f) <= 100, 1);
	check_int("whole characters", strlen(f) % 3, 0);
	free(f);
	buf_free(&longname);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_bodies_come_out_as_utf8_text),
	    cmocka_unit_test(test_headers),
	    cmocka_unit_test(test_automatic_messages),
	    cmocka_unit_test(test_files_tnef_inline_pictures_and_forwards),
	    cmocka_unit_test(test_limits),
	    cmocka_unit_test(test_delivery_reports),
	    cmocka_unit_test(test_html_text),
	    cmocka_unit_test(test_safe_file_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
