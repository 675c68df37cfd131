/*
 * libFuzzer target for the message builder (mime_build), the one place
 * where values reach headers. The input is up to 15 fields separated by NUL
 * bytes (from name, from address, reply-to name and address, to name and
 * address, cc name and address, subject, message id, in-reply-to, one
 * reference, text, HTML, language); a missing field keeps a valid default.
 * Besides memory errors (ASan) and undefined behaviour (UBSan), a wrong
 * message is a finding:
 *  - a refusal says why and appends nothing;
 *  - a message is 7-bit, CRLF only (no bare CR or LF), no other control
 *    character but TAB, no line over 998 octets, and ends in CRLF;
 *  - its header block holds only the fields the builder writes, each
 *    once: no value, however hostile, adds or splits a header;
 *  - a text-only body decodes (quoted-printable) back to the text.
 * Every input that ever failed is kept in tests/fuzz/regressions/message/.
 */
#include "mime.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum {
	F_FROM_NAME,
	F_FROM_ADDR,
	F_REPLY_NAME,
	F_REPLY_ADDR,
	F_TO_NAME,
	F_TO_ADDR,
	F_CC_NAME,
	F_CC_ADDR,
	F_SUBJECT,
	F_MSGID,
	F_IN_REPLY_TO,
	F_REFERENCE,
	F_TEXT,
	F_HTML,
	F_LANGUAGE,
	N_FIELDS
};

static const char *const defaults[N_FIELDS] = {
    [F_FROM_NAME] = "Hệ thống nhắc việc",        [F_FROM_ADDR] = "nhacviec@quangngai.example",
    [F_TO_ADDR] = "sct@quangngai.example",       [F_SUBJECT] = "[Nhắc việc] hạn ngày 30/06/2025",
    [F_MSGID] = "deadlined.1@quangngai.example", [F_TEXT] = "Kính gửi: Sở Công Thương\n",
};

/* The header fields mime_build writes (a text-only body's own two among them). */
static const char *const fields_written[] = {
    "Date",
    "From",
    "Reply-To",
    "To",
    "Cc",
    "Subject",
    "Message-ID",
    "In-Reply-To",
    "References",
    "MIME-Version",
    "Content-Language",
    "Auto-Submitted",
    "X-Auto-Response-Suppress",
    "Content-Type",
    "Content-Transfer-Encoding",
};

static void check_wire_format(const char *s, size_t len)
{
	size_t line = 0;

	if (len < 2 || s[len - 2] != '\r' || s[len - 1] != '\n')
		abort();
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x80 || (c < 0x20 && c != '\r' && c != '\n' && c != '\t') || c == 0x7f)
			abort();
		if (c == '\r' && (i + 1 == len || s[i + 1] != '\n'))
			abort();
		if (c == '\n' && (i == 0 || s[i - 1] != '\r'))
			abort();
		line = c == '\n' ? 0 : line + 1;
		if (line > 998 + 1) /* the CR is counted before its LF resets */
			abort();
	}
}

/* The top-level header block: known fields, each once; returns the body. */
static const char *check_headers(const char *s)
{
	unsigned seen[sizeof(fields_written) / sizeof(fields_written[0])] = {0};
	const char *p = s;

	while (strncmp(p, "\r\n", 2) != 0) {
		const char *eol = strstr(p, "\r\n");
		if (p[0] != ' ' && p[0] != '\t') {
			const char *colon = memchr(p, ':', (size_t)(eol - p));
			size_t i, n = colon ? (size_t)(colon - p) : 0;
			for (i = 0; i < sizeof(fields_written) / sizeof(fields_written[0]); i++)
				if (strlen(fields_written[i]) == n &&
				    !strncasecmp(p, fields_written[i], n))
					break;
			if (!colon || i == sizeof(fields_written) / sizeof(fields_written[0]) ||
			    seen[i]++)
				abort();
		}
		p = eol + 2;
	}
	return p + 2;
}

static int hex(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* A text-only body, decoded, is the text (whose line ends are LF). */
static void check_body(const char *body, const char *text)
{
	const char *p = body;
	size_t n = 0, len = strlen(text);
	char *out;

	if (strchr(text, '\r') || !(out = malloc(strlen(p) + 1)))
		return;
	while (*p) {
		if (p[0] == '=' && p[1] == '\r' && p[2] == '\n') {
			p += 3;
		} else if (p[0] == '=') {
			if (hex(p[1]) < 0 || hex(p[2]) < 0)
				abort();
			out[n++] = (char)(hex(p[1]) * 16 + hex(p[2]));
			p += 3;
		} else if (p[0] == '\r' && p[1] == '\n') {
			out[n++] = '\n';
			p += 2;
		} else {
			out[n++] = *p++;
		}
	}
	if (n != len || memcmp(out, text, len) != 0)
		abort();
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = malloc(size + 1), err[256] = "";
	const char *f[N_FIELDS];
	size_t k = 0;

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	memcpy(f, defaults, sizeof(f));
	for (char *p = copy; k < N_FIELDS && p <= copy + size; p += strlen(p) + 1)
		f[k++] = p;
	struct mime_addr from = {f[F_FROM_NAME], f[F_FROM_ADDR]};
	struct mime_addr reply = {f[F_REPLY_NAME], f[F_REPLY_ADDR]};
	struct mime_addr to = {f[F_TO_NAME], f[F_TO_ADDR] ? f[F_TO_ADDR] : ""};
	struct mime_addr cc = {f[F_CC_NAME], f[F_CC_ADDR]};
	const char *refs[1] = {f[F_REFERENCE]};
	struct mime_msg m = {
	    .from = from,
	    .reply_to = f[F_REPLY_ADDR] && *f[F_REPLY_ADDR] ? &reply : NULL,
	    .to = &to,
	    .n_to = 1,
	    .cc = &cc,
	    .n_cc = f[F_CC_ADDR] && *f[F_CC_ADDR] ? 1 : 0,
	    .subject = f[F_SUBJECT] ? f[F_SUBJECT] : "",
	    .date = 1750384800 + (size ? data[0] : 0) * 86400L,
	    .tz_offset = 7 * 3600,
	    .message_id = f[F_MSGID] ? f[F_MSGID] : "",
	    .in_reply_to = f[F_IN_REPLY_TO] && *f[F_IN_REPLY_TO] ? f[F_IN_REPLY_TO] : NULL,
	    .references = refs,
	    .n_references = f[F_REFERENCE] && *f[F_REFERENCE] ? 1 : 0,
	    .text = f[F_TEXT] ? f[F_TEXT] : "",
	    .html = f[F_HTML] && *f[F_HTML] ? f[F_HTML] : NULL,
	    .language = f[F_LANGUAGE] && *f[F_LANGUAGE] ? f[F_LANGUAGE] : NULL,
	};
	struct buf out = BUF_INIT;
	buf_adds(&out, "x");
	if (mime_build(&m, &out, err, sizeof(err)) < 0) {
		if (!err[0] || out.len != 1)
			abort();
	} else {
		const char *msg = buf_str(&out) + 1;
		check_wire_format(msg, out.len - 1);
		const char *body = check_headers(msg);
		if (!m.html)
			check_body(body, m.text);
	}
	buf_free(&out);
	free(copy);
	return 0;
}
