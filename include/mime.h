/*
 * mime — builds the RFC 5322 message of an email, pure.
 *
 * Everything that reaches a header passes through here, so this is where
 * header injection is stopped: control characters in any value become
 * spaces, addresses are validated, non-ASCII text is RFC 2047 encoded and
 * long headers are folded. Bodies are UTF-8, quoted-printable, as
 * multipart/alternative when there is an HTML part. Lines end in CRLF.
 */
#ifndef DEADLINED_MIME_H
#define DEADLINED_MIME_H

#include "buf.h"

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct mime_addr {
	const char *name; /* display name, UTF-8, may be NULL */
	const char *addr; /* local@domain */
};

struct mime_msg {
	struct mime_addr from;
	const struct mime_addr *reply_to; /* may be NULL */
	const struct mime_addr *to;
	size_t n_to;
	const struct mime_addr *cc;
	size_t n_cc;
	const char *subject; /* UTF-8 */
	time_t date;
	int tz_offset;                 /* for the Date header, seconds east of UTC */
	const char *message_id;        /* without angle brackets */
	const char *in_reply_to;       /* without angle brackets, or NULL */
	const char *const *references; /* without angle brackets */
	size_t n_references;
	const char *text;     /* UTF-8 plain text body, required */
	const char *html;     /* UTF-8 HTML body, or NULL for text only */
	const char *language; /* Content-Language, e.g. "vi", or NULL */
};

/*
 * Appends the whole message (headers, blank line, body) to out. Returns 0,
 * or -1 with a reason in err when an address or message id is invalid or a
 * text is not UTF-8; nothing is appended then.
 */
int mime_build(const struct mime_msg *m, struct buf *out, char *err, size_t errlen);

/*
 * Appends the Resent-Date, Resent-From, Resent-To and Resent-Message-ID
 * fields (RFC 5322 3.6.6) that go before the header of a message sent
 * again. Returns 0, or -1 with a reason in err (nothing appended).
 */
int mime_resent(const struct mime_addr *from, const struct mime_addr *to, size_t n_to, time_t date,
                int tz_offset, const char *message_id, struct buf *out, char *err, size_t errlen);

/* True for a plain addr-spec local@domain without spaces, quotes, <>, controls. */
bool mime_addr_valid(const char *addr);

/* True for an id usable inside <…>: printable ASCII, one '@', no spaces or <>. */
bool mime_msgid_valid(const char *id);

/* Appends an unstructured header value, RFC 2047 encoded when needed and
 * folded; `used` is how many columns the header name already takes. */
void mime_encode_header(const char *value, size_t used, struct buf *out);

/* Appends s as quoted-printable with CRLF line ends (soft breaks at 76). */
void mime_qp_encode(const char *s, size_t len, struct buf *out);

#endif
