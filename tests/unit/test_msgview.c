/* Unit tests for msgview: what mime builds reads back as written; hostile input stays harmless. */
#include "check.h"

#include "mime.h"
#include "msgview.h"

static const char TEXT[] = "Kính gửi: Sở Y tế\n\nNhiệm vụ \"Quý II/2025\" – còn 7 ngày.\n"
                           "Một dòng rất dài để buộc quoted-printable phải ngắt mềm dòng ở "
                           "khoảng bảy mươi sáu ký tự, không được cắt đôi một chữ có dấu.\n"
                           "=?UTF-8?B?không phải?= = dấu bằng\n";
static const char HTML[] = "<p>Kính gửi: <b>Sở Y tế</b></p>\n";

static void built(struct buf *out, const char *html)
{
	struct mime_addr to[] = {{"Sở Y tế", "syt@example.vn"}, {NULL, "b@example.vn"}};
	struct mime_addr reply = {"Sở Khoa học và Công nghệ", "skhcn@example.vn"};
	const char *refs[] = {"thread.1.syt@example.vn"};
	struct mime_msg m = {.from = {"Hệ thống nhắc việc", "nhacviec@example.vn"},
	                     .reply_to = &reply,
	                     .to = to,
	                     .n_to = 2,
	                     .subject = "[Nhắc việc] Khảo sát mức độ chuyển đổi số doanh nghiệp "
	                                "thương mại điện tử – hạn ngày 30/06/2025",
	                     .date = at(2025, 6, 20, 8, 0, 0),
	                     .tz_offset = TZ,
	                     .message_id = "deadlined.1@example.vn",
	                     .in_reply_to = refs[0],
	                     .references = refs,
	                     .n_references = 1,
	                     .text = TEXT,
	                     .html = html,
	                     .language = "vi"};
	char err[256];

	if (mime_build(&m, out, err, sizeof(err)) != 0)
		fail_msg("mime_build: %s", err);
}

static void test_reads_back_what_mime_builds(void **state)
{
	const char *htmls[] = {HTML, NULL}; /* multipart/alternative, and text alone */

	(void)state;
	for (size_t i = 0; i < N_ELEMS(htmls); i++) {
		struct buf raw = BUF_INIT;
		struct msgview v;
		built(&raw, htmls[i]);
		msgview_parse(raw.data, raw.len, &v);
		check_str(
		    "Subject", msgview_header(&v, "subject"),
		    "[Nhắc việc] Khảo sát mức độ chuyển đổi số doanh nghiệp thương mại điện tử – "
		    "hạn ngày 30/06/2025");
		check_str("From", msgview_header(&v, "From"),
		          "Hệ thống nhắc việc <nhacviec@example.vn>");
		check_str("To", msgview_header(&v, "To"), "Sở Y tế <syt@example.vn>, b@example.vn");
		check_str("Reply-To", msgview_header(&v, "Reply-To"),
		          "Sở Khoa học và Công nghệ <skhcn@example.vn>");
		check_str("Message-ID", msgview_header(&v, "Message-ID"),
		          "<deadlined.1@example.vn>");
		check_str("Date", msgview_header(&v, "Date"), "Fri, 20 Jun 2025 08:00:00 +0700");
		check_str("the text, decoded", v.text, TEXT);
		check_str("the HTML, decoded", v.html, htmls[i]);
		check_str("no such header", msgview_header(&v, "X-None"), NULL);
		msgview_free(&v);
		buf_free(&raw);
	}
}

static void test_hostile_input_stays_harmless(void **state)
{
	static const struct {
		const char *raw, *header, *want_header, *want_text;
	} cases[] = {
	    /* An escape sequence, plain or inside an encoded-word, becomes a space. */
	    {"Subject: a\x1b[2Jb\r\n\r\nx\x1b[31my\r\n", "Subject", "a [2Jb", "x [31my\n"},
	    {"Subject: =?UTF-8?Q?a=1B=5B2J?=\r\n\r\n", "Subject", "a [2J", ""},
	    /* C1 CSI (U+009B), encoded or not, is blanked too. */
	    {"Subject: =?UTF-8?B?YcKbMko=?=\r\n\r\nb\xc2\x9b"
	     "2Jc\r\n",
	     "Subject", "a 2J", "b 2Jc\n"},
	    /* Charsets other than UTF-8 and ASCII are shown as written, not guessed. */
	    {"Subject: =?KOI8-R?B?5Q==?=\r\n\r\n", "Subject", "=?KOI8-R?B?5Q==?=", ""},
	    /* Adjacent encoded-words join; text between them stays. */
	    {"Subject: =?UTF-8?B?U+G7nw==?= =?UTF-8?Q?_Y_t=E1=BA=BF?= x\r\n\r\n", "Subject",
	     "Sở Y tế x", ""},
	    /* Folded lines unfold; LF-only line ends are read too. */
	    {"Subject: one\n two\n\nbody\n", "Subject", "one two", "body\n"},
	    /* No blank line: all header, no text. */
	    {"Subject: only", "Subject", "only", ""},
	    /* Base64 text and a boundary that never closes. */
	    {"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n"
	     "Content-Transfer-Encoding: base64\r\n\r\nU+G7nyBZIHThur8=\r\n--b\r\n",
	     "Content-Type", "multipart/mixed; boundary=b", "Sở Y tế"},
	    /* A broken quoted-printable escape is kept as written. */
	    {"Content-Transfer-Encoding: quoted-printable\r\n\r\na=ZZb=\r\nc=3D\r\n",
	     "Content-Transfer-Encoding", "quoted-printable", "a=ZZbc=\n"},
	};

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		struct msgview v;
		msgview_parse(cases[i].raw, strlen(cases[i].raw), &v);
		check_str(cases[i].raw, msgview_header(&v, cases[i].header), cases[i].want_header);
		check_str(cases[i].raw, v.text ? v.text : "", cases[i].want_text);
		msgview_free(&v);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_reads_back_what_mime_builds),
	    cmocka_unit_test(test_hostile_input_stays_harmless),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
