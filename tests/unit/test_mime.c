/*
 * Unit tests for mime: exact headers, RFC 2047 encoding, folding, header
 * injection, quoted-printable and multipart structure. The base64 and
 * quoted-printable decoders here are written independently of mime.c so a
 * shared misunderstanding cannot make an encoder and its check agree.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mime.h"

#include "date.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Characters of 3, 2, 4 and 2 bytes: 11-byte cycles put most possible
 * encoded-word ends inside a character. */
#define NO_SPACES "ệđ😀ơệđ😀ơệđ😀ơệđ😀ơệđ😀ơệđ😀ơệđ😀ơệđ😀ơệđ😀ơệđ😀ơệđ😀ơệđ😀ơ"

#define VI_SUBJECT                                                                                                    \
	"Nhắc hạn: Báo cáo tình hình thực hiện kế hoạch phát triển kinh tế - xã hội quý IV " \
	"năm 2025 của Sở Tài nguyên và Môi trường, hạn chót ngày 15/12/2025 (còn 7 ngày) — vui "  \
	"lòng gửi đúng hạn để tổng hợp trình Ủy ban nhân dân tỉnh"

/* ---- independent decoders ------------------------------------------------ */

static int b64_value(char c)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = c ? strchr(tab, c) : NULL;

	return p ? (int)(p - tab) : -1;
}

/* Appends the decoding of s[0..len) to out; false on a malformed input. */
static bool b64_decode(const char *s, size_t len, struct buf *out)
{
	if (len % 4 != 0)
		return false;
	for (size_t i = 0; i < len; i += 4) {
		int v[4];

		for (int k = 0; k < 4; k++)
			v[k] = s[i + k] == '=' ? 0 : b64_value(s[i + k]);
		if (v[0] < 0 || v[1] < 0 || v[2] < 0 || v[3] < 0)
			return false;
		buf_addc(out, (char)(v[0] << 2 | v[1] >> 4));
		if (s[i + 2] != '=')
			buf_addc(out, (char)((v[1] & 15) << 4 | v[2] >> 2));
		if (s[i + 3] != '=')
			buf_addc(out, (char)((v[2] & 3) << 6 | v[3]));
	}
	return true;
}

/* True when s[0..n) is whole UTF-8 sequences (no character cut at an end). */
static bool utf8_whole(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t more = s[i] >= 0xF0 ? 3 : s[i] >= 0xE0 ? 2 : s[i] >= 0xC0 ? 1 : 0;

		if ((s[i] & 0xC0) == 0x80 || i + more >= n)
			return false;
		for (size_t k = 1; k <= more; k++)
			if ((s[i + k] & 0xC0) != 0x80)
				return false;
		i += more + 1;
	}
	return true;
}

static size_t utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/*
 * Decodes a run of "=?UTF-8?B?...?=" words separated by (folding) white space into
 * out, checking that each word is at most 75 columns and holds whole
 * characters. Returns false on anything else.
 */
static bool decode_words(const char *s, size_t len, struct buf *out)
{
	size_t i = 0;

	while (i < len) {
		const char *end;
		size_t before = out->len;

		while (i < len && (s[i] == ' ' || s[i] == '\r' || s[i] == '\n'))
			i++;
		if (i == len)
			break;
		if (len - i < 12 || memcmp(s + i, "=?UTF-8?B?", 10) != 0)
			return false;
		end = strstr(s + i + 10, "?=");
		if (!end || (size_t)(end - s) + 2 > len || (size_t)(end + 2 - (s + i)) > 75)
			return false;
		if (!b64_decode(s + i + 10, (size_t)(end - (s + i + 10)), out))
			return false;
		if (!utf8_whole((const unsigned char *)out->data + before, out->len - before))
			return false;
		i = (size_t)(end - s) + 2;
	}
	return true;
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes quoted-printable; false on a malformed escape. */
static bool qp_decode(const char *s, size_t len, struct buf *out)
{
	for (size_t i = 0; i < len;) {
		if (s[i] != '=') {
			buf_addc(out, s[i++]);
		} else if (len - i >= 3 && s[i + 1] == '\r' && s[i + 2] == '\n') {
			i += 3;
		} else if (len - i >= 3 && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
			buf_addc(out, (char)(hex_value(s[i + 1]) << 4 | hex_value(s[i + 2])));
			i += 3;
		} else {
			return false;
		}
	}
	return true;
}

/* ---- helpers over built messages ------------------------------------------ */

/* Every line ends in CRLF, none is longer than max, no bare CR or LF. */
static void assert_lines(const char *s, size_t len, size_t max)
{
	size_t start = 0;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			fail_msg("bare LF at %zu", i);
		if (s[i] != '\r')
			continue;
		if (i + 1 >= len || s[i + 1] != '\n')
			fail_msg("bare CR at %zu", i);
		if (i - start > max)
			fail_msg("line of %zu columns: %.*s", i - start, (int)(i - start),
			         s + start);
		start = i + 2;
		i++;
	}
	assert_int_equal(start, len);
}

static size_t header_end(const char *msg)
{
	const char *p = strstr(msg, "\r\n\r\n");

	assert_non_null(p);
	return (size_t)(p - msg) + 2;
}

/* The unfolded value of a header (malloc'ed), or NULL. */
static char *header_value(const char *msg, const char *name)
{
	size_t end = header_end(msg), nlen = strlen(name);
	struct buf v = BUF_INIT;

	for (size_t i = 0; i < end; i = (size_t)(strstr(msg + i, "\r\n") - msg) + 2) {
		if (strncmp(msg + i, name, nlen) != 0 || msg[i + nlen] != ':')
			continue;
		i += nlen + 1;
		while (msg[i] == ' ')
			i++;
		while (!(msg[i] == '\r' && msg[i + 2] != ' ')) {
			if (msg[i] == '\r')
				i += 2;
			else
				buf_addc(&v, msg[i++]);
		}
		buf_addc(&v, '\0');
		return buf_steal(&v);
	}
	return NULL;
}

static size_t count(const char *s, const char *needle)
{
	size_t n = 0;

	for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* The input as a message carries it: every LF, CRLF or lone CR as CRLF. */
static char *crlf(const char *s)
{
	struct buf b = BUF_INIT;

	for (; *s; s++) {
		if (*s == '\r' || *s == '\n')
			buf_add(&b, "\r\n", 2);
		else
			buf_addc(&b, *s);
		if (s[0] == '\r' && s[1] == '\n')
			s++;
	}
	buf_addc(&b, '\0');
	return buf_steal(&b);
}

static const struct mime_addr to_one[] = {{NULL, "a@so.example.vn"},
                                          {"Phong KH", "b@so.example.vn"}};
static const struct mime_addr cc_one[] = {{"Sở Y tế", "c@soyte.example.vn"}};
static const struct mime_addr reply_to = {"Van thu, So Y te", "vanthu@soyte.example.vn"};
static const char *const refs_two[] = {"20250501.1@deadlined.example",
                                       "20250601.1@deadlined.example"};

static struct mime_msg base_msg(void)
{
	struct mime_msg m = {
	    .from = {"Deadline Bot", "noreply@deadlined.example"},
	    .to = to_one,
	    .n_to = 1,
	    .subject = "Reminder",
	    .date = date_make(2025, 6, 30, 8, 30, 0, DATE_TZ_VIETNAM),
	    .tz_offset = DATE_TZ_VIETNAM,
	    .message_id = "20250630.1@deadlined.example",
	    .text = "Hello\n",
	};
	return m;
}

static char *build_ok(const struct mime_msg *m)
{
	struct buf out = BUF_INIT;
	char err[128] = "";

	if (mime_build(m, &out, err, sizeof(err)) != 0)
		fail_msg("mime_build: %s", err);
	assert_lines(out.data, out.len, 76);
	return buf_steal(&out);
}

/* ---- tests --------------------------------------------------------------- */

static void test_addr_valid(void **state)
{
	static const char *const good[] = {"a@b.vn",
	                                   "vanthu@stnmt.binhduong.gov.vn",
	                                   "first.last+tag@sub.example.com",
	                                   "root@localhost",
	                                   "o'brien@x.ie",
	                                   "x_y-z=1@a-b.example"};
	static const char *const bad[] = {
	    "",         "@x.vn",      "a@",          "a",          "a@b",
	    "a@@b.vn",  "a@b@c.vn",   "a b@x.vn",    "a\r\n@x.vn", "a@x.vn\r\nBcc: e@x.vn",
	    "a@x.vn\n", "\"a\"@x.vn", "<a@x.vn>",    "a(b)@x.vn",  "a,b@x.vn",
	    "a;b@x.vn", "a\\b@x.vn",  "a@[1.2.3.4]", "ná@x.vn",    "a@x.vn\t",
	    ".a@x.vn",  "a.@x.vn",    "a..b@x.vn",   "a@x..vn",    "a@.x.vn",
	    "a:b@x.vn", "a@x_y.vn",   "a@x.vn.",     "a\x7f@x.vn", "a@x\x01.vn"};
	char big[300];

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_true(mime_addr_valid(good[i]));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (mime_addr_valid(bad[i]))
			fail_msg("accepted '%s'", bad[i]);
	assert_false(mime_addr_valid(NULL));
	/* 64 + 1 + 63 + 1 + 63 + 1 + 61 = 254 octets, the limit. */
	snprintf(big, sizeof(big), "%s@%s.%s.%s",
	         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	         "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
	         "ccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc",
	         "ddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd");
	assert_int_equal(strlen(big), 254);
	assert_true(mime_addr_valid(big));
	strcat(big, "d");
	assert_false(mime_addr_valid(big));
}

static void test_msgid_valid(void **state)
{
	static const char *const good[] = {"a@b", "20250630.1@deadlined.example", "x.y!z@[host]",
	                                   "a\"b@c"};
	static const char *const bad[] = {"",           "ab",      "@b",   "a@",    "a@b@c",
	                                  "a b@c",      "<a@b>",   "a@b>", "a@b\r", "a@b\r\n",
	                                  "\xc3\xa1@b", "a@b\x7f", "a\t@b"};
	char big[260];

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_true(mime_msgid_valid(good[i]));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (mime_msgid_valid(bad[i]))
			fail_msg("accepted '%s'", bad[i]);
	assert_false(mime_msgid_valid(NULL));
	memset(big, 'a', 240);
	memcpy(big + 240, "@bbbbbbbbb", 11);
	assert_int_equal(strlen(big), 250);
	assert_true(mime_msgid_valid(big));
	strcat(big, "b");
	assert_false(mime_msgid_valid(big));
}

static void test_ascii_message_exact(void **state)
{
	struct mime_msg m = base_msg();
	char *msg;

	(void)state;
	m.reply_to = &reply_to;
	m.to = to_one;
	m.n_to = 2;
	m.cc = cc_one;
	m.n_cc = 1;
	m.subject = "Reminder: quarterly report due 15/12/2025";
	m.in_reply_to = "20250601.1@deadlined.example";
	m.references = refs_two;
	m.n_references = 2;
	m.language = "vi";
	m.text = "Dear colleagues,\nThe report is due.\n";
	msg = build_ok(&m);
	assert_string_equal(msg, "Date: Mon, 30 Jun 2025 08:30:00 +0700\r\n"
	                         "From: Deadline Bot <noreply@deadlined.example>\r\n"
	                         "Reply-To: \"Van thu, So Y te\" <vanthu@soyte.example.vn>\r\n"
	                         "To: a@so.example.vn, Phong KH <b@so.example.vn>\r\n"
	                         "Cc: =?UTF-8?B?U+G7nyBZIHThur8=?= <c@soyte.example.vn>\r\n"
	                         "Subject: Reminder: quarterly report due 15/12/2025\r\n"
	                         "Message-ID: <20250630.1@deadlined.example>\r\n"
	                         "In-Reply-To: <20250601.1@deadlined.example>\r\n"
	                         "References: <20250501.1@deadlined.example> "
	                         "<20250601.1@deadlined.example>\r\n"
	                         "MIME-Version: 1.0\r\n"
	                         "Content-Language: vi\r\n"
	                         "Auto-Submitted: auto-generated\r\n"
	                         "X-Auto-Response-Suppress: All\r\n"
	                         "Content-Type: text/plain; charset=UTF-8\r\n"
	                         "Content-Transfer-Encoding: quoted-printable\r\n"
	                         "\r\n"
	                         "Dear colleagues,\r\n"
	                         "The report is due.\r\n");
	free(msg);
}

static void test_optional_headers_absent(void **state)
{
	struct mime_msg m = base_msg();
	char *msg;

	(void)state;
	m.date = date_make(2024, 2, 29, 23, 5, 9, -(3 * 3600 + 30 * 60));
	m.tz_offset = -(3 * 3600 + 30 * 60);
	msg = build_ok(&m);
	assert_string_equal(msg, "Date: Thu, 29 Feb 2024 23:05:09 -0330\r\n"
	                         "From: Deadline Bot <noreply@deadlined.example>\r\n"
	                         "To: a@so.example.vn\r\n"
	                         "Subject: Reminder\r\n"
	                         "Message-ID: <20250630.1@deadlined.example>\r\n"
	                         "MIME-Version: 1.0\r\n"
	                         "Auto-Submitted: auto-generated\r\n"
	                         "X-Auto-Response-Suppress: All\r\n"
	                         "Content-Type: text/plain; charset=UTF-8\r\n"
	                         "Content-Transfer-Encoding: quoted-printable\r\n"
	                         "\r\n"
	                         "Hello\r\n");
	free(msg);
	/* Midnight starting 1 July in Vietnam is still 30 June in UTC. */
	m.date = date_make(2025, 7, 1, 0, 0, 0, DATE_TZ_VIETNAM);
	m.tz_offset = DATE_TZ_VIETNAM;
	msg = build_ok(&m);
	assert_int_equal(strncmp(msg, "Date: Tue, 01 Jul 2025 00:00:00 +0700\r\n", 39), 0);
	free(msg);
	m.tz_offset = 0;
	msg = build_ok(&m);
	assert_int_equal(strncmp(msg, "Date: Mon, 30 Jun 2025 17:00:00 +0000\r\n", 39), 0);
	free(msg);
}

static void test_vietnamese_subject_exact(void **state)
{
	struct mime_msg m = base_msg();
	struct buf dec = BUF_INIT;
	char *msg, *subj;

	(void)state;
	m.subject = "Nhắc hạn nộp báo cáo quý IV";
	msg = build_ok(&m);
	assert_non_null(strstr(msg,
	                       "\r\nSubject: =?UTF-8?B?Tmjhuq9jIGjhuqFuIG7hu5lwIGLDoW8gY8OhbyBxdcO9"
	                       "IElW?=\r\nMessage-ID: "));
	subj = header_value(msg, "Subject");
	assert_true(decode_words(subj, strlen(subj), &dec));
	assert_string_equal(buf_str(&dec), m.subject);
	buf_free(&dec);
	free(subj);
	free(msg);
}

static void test_long_vietnamese_subject(void **state)
{
	struct mime_msg m = base_msg();
	struct buf dec = BUF_INIT;
	char *msg, *subj;

	(void)state;
	m.subject = VI_SUBJECT;
	assert_true(utf8_chars(VI_SUBJECT) >= 200);
	msg = build_ok(&m);
	subj = header_value(msg, "Subject");
	/* decode_words checks each word: ≤ 75 columns, whole characters. */
	assert_true(decode_words(subj, strlen(subj), &dec));
	assert_string_equal(buf_str(&dec), VI_SUBJECT);
	assert_true(count(msg, "=?UTF-8?B?") > 5);
	free(subj);
	free(msg);
	/* No space to split before: words must still end between characters
	 * of 2, 3 and 4 bytes. */
	buf_reset(&dec);
	m.subject = NO_SPACES;
	msg = build_ok(&m);
	subj = header_value(msg, "Subject");
	assert_true(decode_words(subj, strlen(subj), &dec));
	assert_string_equal(buf_str(&dec), m.subject);
	buf_free(&dec);
	free(subj);
	free(msg);
}

static void test_display_names(void **state)
{
	static const struct mime_addr to[] = {
	    {"Sở Tài nguyên và Môi trường tỉnh Bình Dương", "vanthu@stnmt.example.vn"},
	    {"O'Brien \"Boss\" \\ Jr.", "ob@x.example"},
	    {"  \t ", "blank@x.example"},
	    {"=?UTF-8?B?ZXZpbA==?=", "ew@x.example"},
	    {"Plain Name", "p@x.example"}};
	struct mime_msg m = base_msg();
	struct buf dec = BUF_INIT;
	char *msg, *v, *lt;

	(void)state;
	m.to = to;
	m.n_to = 5;
	msg = build_ok(&m);
	v = header_value(msg, "To");
	lt = strstr(v, " <vanthu@");
	assert_non_null(lt);
	assert_true(decode_words(v, (size_t)(lt - v), &dec));
	assert_string_equal(buf_str(&dec), to[0].name);
	/* The name needs two words; the first ends before a space, not inside
	 * a word, for parsers that keep the space between encoded-words. */
	buf_reset(&dec);
	assert_true(decode_words(v, (size_t)(strstr(v, "?=") + 2 - v), &dec));
	assert_true(dec.len < strlen(to[0].name));
	assert_int_equal(to[0].name[dec.len], ' ');
	assert_non_null(strstr(v, ">, \"O'Brien \\\"Boss\\\" \\\\ Jr.\" <ob@x.example>, "
	                          "blank@x.example, =?UTF-8?B?"));
	/* ASCII that looks like an encoded-word is encoded, not trusted. */
	assert_null(strstr(v, "ZXZpbA==?= <"));
	assert_non_null(strstr(v, ", Plain Name <p@x.example>"));
	buf_free(&dec);
	free(v);
	free(msg);
}

/* Many long names, addresses and ids: every line still within 76 columns
 * (build_ok checks), nothing lost. */
static void test_folding_address_lists(void **state)
{
	struct mime_addr to[14];
	const char *refs[30];
	char addrs[14][32], ids[30][48], *msg, *v;
	struct mime_msg m = base_msg();

	(void)state;
	for (size_t i = 0; i < 14; i++) {
		snprintf(addrs[i], sizeof(addrs[i]), "user%zu@so%zu.example.vn", i, i);
		to[i].addr = addrs[i];
		to[i].name = i % 3 == 0 ? "Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu, Văn phòng"
		             : i % 3 == 1
		                 ? "Department of Natural Resources and Environment, Office"
		                 : NULL;
	}
	for (size_t i = 0; i < 30; i++) {
		snprintf(ids[i], sizeof(ids[i]), "20250630.%zu.abcdef@deadlined.example", i);
		refs[i] = ids[i];
	}
	m.to = m.cc = to;
	m.n_to = m.n_cc = 14;
	m.references = refs;
	m.n_references = 30;
	msg = build_ok(&m);
	v = header_value(msg, "References");
	assert_int_equal(count(v, "@deadlined.example>"), 30);
	assert_non_null(strstr(v, "<20250630.29.abcdef@deadlined.example>"));
	free(v);
	v = header_value(msg, "Cc");
	assert_int_equal(count(v, "@so"), 14);
	free(v);
	free(msg);
	/* " <addr>" ending at column 76 leaves no room for the comma. */
	to[0].name = NULL;
	to[0].addr = "a23456789012345678901234567890123456789012345678901234567890@examples.vn";
	assert_int_equal(strlen(to[0].addr), 72);
	m.n_cc = 2;
	msg = build_ok(&m);
	assert_non_null(strstr(msg, "\r\nCc:\r\n a2345"));
	free(msg);
}

static void test_folding_subjects(void **state)
{
	struct mime_msg m = base_msg();
	struct buf dec = BUF_INIT;
	char word[121], *msg, *v;

	(void)state;
	memset(word, 'w', 120);
	word[120] = '\0';
	m.subject = word; /* one unbreakable word: only encoded-words can fold it */
	msg = build_ok(&m);
	v = header_value(msg, "Subject");
	assert_true(decode_words(v, strlen(v), &dec));
	assert_string_equal(buf_str(&dec), word);
	free(v);
	free(msg);
	m.subject = "Reminder: the quarterly report on the socio-economic development plan is "
	            "due on 15/12/2025; please send it on time so it can be consolidated";
	msg = build_ok(&m);
	assert_non_null(strstr(msg, "\r\nSubject: Reminder: the quarterly report on the "
	                            "socio-economic development\r\n plan is due"));
	v = header_value(msg, "Subject");
	assert_string_equal(v, m.subject);
	free(v);
	free(msg);
	buf_free(&dec);
}

static void test_encode_header_columns(void **state)
{
	static const char prefix[] =
	    "X-A-Rather-Long-Header-Name-For-Testing-Column-Handling-Here: ";
	struct buf b = BUF_INIT, dec = BUF_INIT;
	size_t used = strlen(prefix);
	char *v;

	(void)state;
	buf_adds(&b, prefix);
	mime_encode_header("Sở Y tế tỉnh Bình Dương", used, &b);
	buf_adds(&b, "\r\n\r\n");
	assert_lines(b.data, b.len, 76);
	v = header_value(b.data, "X-A-Rather-Long-Header-Name-For-Testing-Column-Handling-Here");
	assert_true(decode_words(v, strlen(v), &dec));
	assert_string_equal(buf_str(&dec), "Sở Y tế tỉnh Bình Dương");
	free(v);
	buf_reset(&b);
	mime_encode_header("plain words here", 70, &b);
	assert_string_equal(buf_str(&b), "plain\r\n words here");
	buf_reset(&b);
	mime_encode_header("", 9, &b);
	assert_string_equal(buf_str(&b), "");
	/* At column 0 a whole line is free, but a word still stops at 75. */
	buf_reset(&dec);
	buf_reset(&b);
	mime_encode_header(NO_SPACES, 0, &b);
	assert_true(decode_words(b.data, b.len, &dec));
	assert_string_equal(buf_str(&dec), NO_SPACES);
	buf_reset(&dec);
	buf_reset(&b);
	mime_encode_header("price =?x?= ok", 9, &b);
	assert_true(decode_words(b.data, b.len, &dec));
	assert_string_equal(buf_str(&dec), "price =?x?= ok");
	buf_free(&b);
	buf_free(&dec);
}

static void test_header_injection(void **state)
{
	static const struct mime_addr to[] = {{"Evil\r\nBcc: evil@x", "a@x.example"},
	                                      {"Nhắc\r\nBcc: evil@x", "b@x.example"},
	                                      {"Line\xe2\x80\xa8Sep\xc2\x85Z", "c@x.example"}};
	static const char first[] = "\"Evil  Bcc: evil@x\" <a@x.example>, ";
	struct mime_msg m = base_msg();
	struct buf dec = BUF_INIT;
	size_t end;
	char *msg, *v;

	(void)state;
	m.to = to;
	m.n_to = 3;
	m.subject = "x\r\nBcc: evil@x";
	msg = build_ok(&m);
	end = header_end(msg);
	for (size_t i = 0; i < end; i = (size_t)(strstr(msg + i, "\r\n") - msg) + 2)
		assert_true(strncmp(msg + i, "Bcc", 3) != 0);
	assert_non_null(strstr(msg, "\r\nSubject: x  Bcc: evil@x\r\n"));
	assert_non_null(strstr(msg, "\r\nTo: \"Evil  Bcc: evil@x\" <a@x.example>,"));
	v = header_value(msg, "To");
	assert_int_equal(strncmp(v, first, strlen(first)), 0);
	assert_true(
	    decode_words(v + strlen(first), (size_t)(strstr(v, " <b@") - v) - strlen(first), &dec));
	assert_string_equal(buf_str(&dec), "Nhắc  Bcc: evil@x");
	free(v);
	/* U+2028 and C1 NEL become spaces too. */
	assert_non_null(strstr(msg, ", Line Sep Z <c@x.example>\r\n"));
	buf_free(&dec);
	free(msg);
}

static void test_address_injection_rejected(void **state)
{
	static const char *const bad[] = {"a@x.example\r\nBcc: evil@x", "a b@x.example",
	                                  "a@x.example\n", "a@x.example, evil@x.example"};
	struct mime_addr to[1];
	struct mime_msg m = base_msg();
	struct buf out = BUF_INIT;
	char err[128];

	(void)state;
	buf_adds(&out, "untouched");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		to[0].name = NULL;
		to[0].addr = bad[i];
		m.to = to;
		assert_int_equal(mime_build(&m, &out, err, sizeof(err)), -1);
		assert_string_equal(buf_str(&out), "untouched");
		assert_non_null(strstr(err, "invalid To address"));
		assert_null(strpbrk(err, "\r\n"));
	}
	to[0].addr = "a b@x";
	assert_int_equal(mime_build(&m, &out, err, sizeof(err)), -1);
	assert_string_equal(err, "invalid To address 'a b@x'");
	buf_free(&out);
}

/* mime_build fails with exactly want and appends nothing. */
static void expect_error(const struct mime_msg *m, const char *want)
{
	struct buf out = BUF_INIT;
	char err[128] = "";

	buf_adds(&out, "untouched");
	assert_int_equal(mime_build(m, &out, err, sizeof(err)), -1);
	assert_string_equal(err, want);
	assert_string_equal(buf_str(&out), "untouched");
	assert_int_equal(mime_build(m, &out, NULL, 0), -1);
	assert_string_equal(buf_str(&out), "untouched");
	buf_free(&out);
}

static void test_errors_addresses_and_ids(void **state)
{
	static const struct mime_addr bad_addr = {NULL, "x@"};
	static const char *const bad_refs[] = {"ok@x", "bad id@x"};
	struct mime_msg m;

	(void)state;
	m = base_msg();
	m.from.addr = "noreply";
	expect_error(&m, "invalid From address 'noreply'");
	m = base_msg();
	m.reply_to = &bad_addr;
	expect_error(&m, "invalid Reply-To address 'x@'");
	m = base_msg();
	m.cc = &bad_addr;
	m.n_cc = 1;
	expect_error(&m, "invalid Cc address 'x@'");
	m = base_msg();
	m.n_to = 0;
	expect_error(&m, "no To address");
	m = base_msg();
	m.message_id = "no-at-sign";
	expect_error(&m, "invalid Message-ID 'no-at-sign'");
	m.message_id = NULL;
	expect_error(&m, "invalid Message-ID '(null)'");
	m = base_msg();
	m.in_reply_to = "<a@b>";
	expect_error(&m, "invalid In-Reply-To '<a@b>'");
	m = base_msg();
	m.references = bad_refs;
	m.n_references = 2;
	expect_error(&m, "invalid References id 'bad id@x'");
}

static void test_errors_texts(void **state)
{
	static const struct mime_addr bad_name = {"\xc3", "ok@x.example"};
	struct mime_msg m;

	(void)state;
	m = base_msg();
	m.subject = "\xff";
	expect_error(&m, "Subject is not UTF-8");
	m.subject = NULL;
	expect_error(&m, "missing Subject");
	m = base_msg();
	m.from = bad_name;
	expect_error(&m, "From display name is not UTF-8");
	m = base_msg();
	m.text = NULL;
	expect_error(&m, "missing text body");
	m.text = "\xe1\xba";
	expect_error(&m, "text body is not UTF-8");
	m = base_msg();
	m.html = "<p>\xff</p>";
	expect_error(&m, "HTML body is not UTF-8");
	m = base_msg();
	m.language = "vi\r\nX: y";
	expect_error(&m, "invalid Content-Language 'vi  X: y'");
	m = base_msg();
	m.tz_offset = 7 * 3600 + 1;
	expect_error(&m, "invalid Date time zone offset 25201");
}

/* Checks the form of a quoted-printable text and that it decodes to want. */
static void assert_qp(const char *qp, size_t len, const char *want)
{
	struct buf dec = BUF_INIT;

	assert_null(strstr(qp, "=_"));
	for (size_t i = 0; i < len; i++) {
		bool line_start = i == 0 || (i >= 2 && qp[i - 1] == '\n');

		if (line_start)
			assert_true(strncmp(qp + i, "From ", 5) != 0);
		if (qp[i] == '\r' && i > 0)
			assert_true(qp[i - 1] != ' ' && qp[i - 1] != '\t');
		/* A soft break never falls inside a UTF-8 sequence. */
		if (line_start && i >= 3 && qp[i - 3] == '=' && qp[i] == '=')
			assert_true((hex_value(qp[i + 1]) & 0xC) != 0x8);
	}
	if (len > 0 && (qp[len - 1] == ' ' || qp[len - 1] == '\t'))
		fail_msg("trailing white space at the end");
	assert_true(qp_decode(qp, len, &dec));
	buf_addc(&dec, '\0');
	assert_int_equal(dec.len - 1, strlen(want));
	assert_memory_equal(dec.data, want, strlen(want));
	buf_free(&dec);
}

static void qp_check(const char *in)
{
	struct buf b = BUF_INIT;
	char *want = crlf(in);

	mime_qp_encode(in, strlen(in), &b);
	buf_adds(&b, "\r\n");
	assert_lines(b.data, b.len, 76);
	b.len -= 2;
	b.data[b.len] = '\0';
	assert_qp(b.data, b.len, want);
	free(want);
	buf_free(&b);
}

static void test_qp_round_trip(void **state)
{
	static const char *const pieces[] = {"a", " ", "\t", "=",    "\n",   "\r\n", "\r", "From ",
	                                     ".", "á", "ế",  "\x7f", "\x01", "x",    "=_", "~"};
	struct buf in = BUF_INIT;
	uint32_t seed = 12345;

	(void)state;
	qp_check("");
	qp_check("plain text\n");
	qp_check("a=b 100%\nFrom here\n.dot\ntrailing  \ntab\t\n");
	qp_check("no final break   ");
	qp_check("Kính gửi: Sở Tài nguyên và Môi trường, báo cáo quý IV đến hạn ngày 15/12/2025 "
	         "(thứ Hai); đây là một dòng rất dài.\r\nDòng hai\rDòng ba\n");
	for (int round = 0; round < 2000; round++) {
		size_t n;

		buf_reset(&in);
		seed = seed * 1103515245u + 12345u;
		n = seed >> 24;
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			buf_adds(&in, pieces[(seed >> 16) % (sizeof(pieces) / sizeof(pieces[0]))]);
		}
		qp_check(buf_str(&in));
	}
	buf_free(&in);
}

static void test_qp_exact(void **state)
{
	struct buf b = BUF_INIT;
	char line[200];

	(void)state;
	mime_qp_encode("From x\nTo =\tend \n", 17, &b);
	assert_string_equal(buf_str(&b), "=46rom x\r\nTo =3D\tend=20\r\n");
	/* 76 'a' fit a line that ends in a break; 77 need a soft break. */
	memset(line, 'a', 77);
	buf_reset(&b);
	mime_qp_encode(line, 76, &b);
	buf_adds(&b, "|");
	mime_qp_encode("x\n", 2, &b);
	assert_int_equal(strlen(buf_str(&b)), 75 + 3 + 1 + 1 + 3);
	buf_reset(&b);
	memcpy(line + 76, "\n", 2);
	mime_qp_encode(line, 77, &b);
	assert_int_equal(b.len, 78);
	/* An escape is never split: 25 "=3D" fill 75 columns, the 26th moves. */
	memset(line, '=', 30);
	buf_reset(&b);
	mime_qp_encode(line, 30, &b);
	assert_int_equal(strstr(b.data, "=\r\n") - b.data, 75);
	assert_string_equal(b.data + 78, "=3D=3D=3D=3D=3D");
	/* "From " at the start of a line made by a soft break is escaped too. */
	memset(line, 'b', 75);
	memcpy(line + 75, "From x\n", 8);
	buf_reset(&b);
	mime_qp_encode(line, strlen(line), &b);
	assert_non_null(strstr(b.data, "=\r\n=46rom x\r\n"));
	buf_free(&b);
}

static void test_multipart_structure(void **state)
{
	static const char plain_head[] = "\r\nContent-Type: text/plain; charset=UTF-8\r\n"
	                                 "Content-Transfer-Encoding: quoted-printable\r\n\r\n";
	static const char html_head[] = "\r\nContent-Type: text/html; charset=UTF-8\r\n"
	                                "Content-Transfer-Encoding: quoted-printable\r\n\r\n";
	struct mime_msg m = base_msg();
	struct buf dec = BUF_INIT;
	char *msg, *ct, *bnd, delim[80], *p, *q, *want;
	const char *html = "<p>K\xc3\xadnh g\xe1\xbb\xadi <b>S\xe1\xbb\x9f</b></p>\n<p>--=_x</p>";

	(void)state;
	m.text = "Kính gửi Sở,\nbáo cáo đến hạn.\n--=_deadlined_\n";
	m.html = html;
	msg = build_ok(&m);
	ct = header_value(msg, "Content-Type");
	assert_int_equal(strncmp(ct, "multipart/alternative; boundary=\"=_", 35), 0);
	bnd = ct + strlen("multipart/alternative; boundary=\"");
	bnd[strlen(bnd) - 1] = '\0';
	assert_null(header_value(msg, "Content-Transfer-Encoding"));
	snprintf(delim, sizeof(delim), "\r\n--%s", bnd);
	/* Body: delimiter, text part, delimiter, html part, close delimiter. */
	p = msg + header_end(msg);
	assert_int_equal(strncmp(p, delim, strlen(delim)), 0);
	assert_int_equal(count(msg, delim), 3);
	p += strlen(delim);
	assert_int_equal(strncmp(p, plain_head, strlen(plain_head)), 0);
	p += strlen(plain_head);
	q = strstr(p, delim);
	assert_true(qp_decode(p, (size_t)(q - p), &dec));
	buf_addc(&dec, '\0');
	want = crlf(m.text);
	assert_string_equal(dec.data, want);
	free(want);
	p = q + strlen(delim);
	assert_int_equal(strncmp(p, html_head, strlen(html_head)), 0);
	p += strlen(html_head);
	q = strstr(p, delim);
	assert_string_equal(q + strlen(delim), "--\r\n");
	buf_reset(&dec);
	assert_true(qp_decode(p, (size_t)(q - p), &dec));
	buf_addc(&dec, '\0');
	want = crlf(html);
	assert_string_equal(dec.data, want);
	free(want);
	buf_free(&dec);
	free(ct);
	free(msg);
}

static void test_crlf_everywhere(void **state)
{
	struct mime_msg m = base_msg();
	char *msg;

	(void)state;
	m.subject = VI_SUBJECT;
	m.text = "one\ntwo\r\nthree\rfour\n\n";
	m.html = "<p>one</p>\n<p>two</p>\r\n";
	msg = build_ok(&m); /* build_ok checks every line ends in CRLF */
	assert_null(strstr(msg, "\r\r"));
	assert_non_null(strstr(msg, "\r\n\r\none\r\ntwo\r\nthree\r\nfour\r\n\r\n\r\n--"));
	free(msg);
}

static void test_single_part_without_final_break(void **state)
{
	struct mime_msg m = base_msg();
	struct buf dec = BUF_INIT;
	char *msg, *body;

	(void)state;
	m.text = "Hạn chót: 15/12/2025";
	msg = build_ok(&m);
	body = msg + header_end(msg) + 2;
	assert_string_equal(body, "H=E1=BA=A1n ch=C3=B3t: 15/12/2025=\r\n");
	assert_true(qp_decode(body, strlen(body), &dec));
	buf_addc(&dec, '\0');
	assert_string_equal(dec.data, m.text);
	buf_free(&dec);
	free(msg);
}

static void test_deterministic(void **state)
{
	struct mime_msg m = base_msg();
	char *a, *b, *c;

	(void)state;
	m.subject = VI_SUBJECT;
	m.to = cc_one;
	m.text = "Nội dung\n";
	m.html = "<p>Nội dung</p>\n";
	a = build_ok(&m);
	b = build_ok(&m);
	assert_string_equal(a, b);
	m.message_id = "20250630.2@deadlined.example";
	c = build_ok(&m);
	assert_string_not_equal(a, c);
	free(a);
	free(b);
	free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_addr_valid),
	    cmocka_unit_test(test_msgid_valid),
	    cmocka_unit_test(test_ascii_message_exact),
	    cmocka_unit_test(test_optional_headers_absent),
	    cmocka_unit_test(test_vietnamese_subject_exact),
	    cmocka_unit_test(test_long_vietnamese_subject),
	    cmocka_unit_test(test_display_names),
	    cmocka_unit_test(test_folding_address_lists),
	    cmocka_unit_test(test_folding_subjects),
	    cmocka_unit_test(test_encode_header_columns),
	    cmocka_unit_test(test_header_injection),
	    cmocka_unit_test(test_address_injection_rejected),
	    cmocka_unit_test(test_errors_addresses_and_ids),
	    cmocka_unit_test(test_errors_texts),
	    cmocka_unit_test(test_qp_round_trip),
	    cmocka_unit_test(test_qp_exact),
	    cmocka_unit_test(test_multipart_structure),
	    cmocka_unit_test(test_crlf_everywhere),
	    cmocka_unit_test(test_single_part_without_final_break),
	    cmocka_unit_test(test_deterministic),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
