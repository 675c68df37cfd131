/*
 * mime — builds the RFC 5322 message of an email, pure.
 *
 * The reminders are Vietnamese and are read in Outlook, Thunderbird and
 * webmail, so the output keeps to the forms every client decodes: UTF-8
 * B encoded-words for any non-ASCII header text, quoted-printable bodies,
 * CRLF line ends and lines of at most 76 columns. Every value that reaches
 * a header is sanitised here, and addresses and message ids are validated
 * rather than cleaned, so a hostile plan or directory entry can neither add
 * a header (Bcc:) nor a recipient. The output depends on the input only:
 * the same reminder always renders to the same bytes.
 */
#include "mime.h"

#include "date.h"
#include "text.h"
#include "util.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* RFC 2047 limits a line holding encoded-words to 76 columns and RFC 2045
 * does the same for quoted-printable; we keep every line we fold to it. */
#define LINE_COLS 76
/* "=?UTF-8?B?" and "?=" around the base64 of an encoded-word. */
#define EW_OVERHEAD 12
#define EW_MAX      75
/* Enough room for the base64 of one 4-byte character. */
#define EW_MIN        (EW_OVERHEAD + 8)
#define ADDR_MAX      254
#define MSGID_MAX     250
#define LANG_MAX      35
#define ERR_VALUE_MAX 64
/* Room for the escapes of a 4-byte character and a NUL. */
#define QP_TOKEN_MAX 13

static void set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* The offending value as it may appear in an error, which ends up in logs. */
static const char *err_value(const char *s, char *tmp, size_t cap)
{
	if (!s)
		return "(null)";
	return text_sanitize_line(s, tmp, cap);
}

/* A copy with every control character and invalid byte made a space; never
 * longer than s, since each replaced sequence becomes one byte. */
static char *clean_line(const char *s)
{
	size_t cap = strlen(s) + 1;

	return text_sanitize_line(s, xmalloc(cap), cap);
}

static bool is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static bool is_atext(unsigned char c)
{
	return is_alnum(c) || (c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

/*
 * A dot-atom: the only addr-spec form that needs no quoting, so nothing in
 * an accepted address can be read as a list separator, group (':'), comment
 * or route. Domains are host names: letters, digits, '-' and dots.
 */
static bool dot_atom_ok(const char *s, size_t len, bool domain)
{
	if (len == 0 || s[0] == '.' || s[len - 1] == '.')
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '.') {
			if (s[i + 1] == '.')
				return false;
		} else if (domain ? !(is_alnum(c) || c == '-') : !is_atext(c)) {
			return false;
		}
	}
	return true;
}

bool mime_addr_valid(const char *addr)
{
	const char *at, *dom;
	size_t len, dlen;

	if (!addr)
		return false;
	len = strlen(addr);
	at = strchr(addr, '@');
	if (len > ADDR_MAX || !at || strchr(at + 1, '@'))
		return false;
	dom = at + 1;
	dlen = len - (size_t)(dom - addr);
	if (!dot_atom_ok(addr, (size_t)(at - addr), false) || !dot_atom_ok(dom, dlen, true))
		return false;
	return memchr(dom, '.', dlen) != NULL || strcasecmp(dom, "localhost") == 0;
}

bool mime_msgid_valid(const char *id)
{
	const char *at = NULL;
	size_t len, ats = 0;

	if (!id)
		return false;
	len = strlen(id);
	if (len == 0 || len > MSGID_MAX)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)id[i];

		if (c <= ' ' || c >= 0x7F || c == '<' || c == '>')
			return false;
		if (c == '@') {
			ats++;
			at = id + i;
		}
	}
	return ats == 1 && at != id && at[1] != '\0';
}

static void b64_add(struct buf *out, const unsigned char *s, size_t n)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)s[i] << 16;
		char q[4];

		if (i + 1 < n)
			v |= (uint32_t)s[i + 1] << 8;
		if (i + 2 < n)
			v |= s[i + 2];
		q[0] = tab[v >> 18 & 63];
		q[1] = tab[v >> 12 & 63];
		q[2] = i + 1 < n ? tab[v >> 6 & 63] : '=';
		q[3] = i + 2 < n ? tab[v & 63] : '=';
		buf_add(out, q, 4);
	}
}

/* A header being written: where it goes and the column its line is at. */
struct fold {
	struct buf *out;
	size_t col;
};

/*
 * Whether a piece of n columns starting with white space goes on a new
 * line. Folding is only ever a CRLF put before that white space, so
 * unfolding gives back the value exactly; reserve keeps room for what must
 * follow on the same line (a list's comma).
 */
static bool fold_needed(size_t col, const char *s, size_t n, size_t reserve)
{
	return n > 0 && s[0] == ' ' && col > 0 && col + n + reserve > LINE_COLS;
}

static void fold_put(struct fold *f, const char *s, size_t n, size_t reserve)
{
	if (fold_needed(f->col, s, n, reserve)) {
		buf_add(f->out, "\r\n", 2);
		f->col = 0;
	}
	buf_add(f->out, s, n);
	f->col += n;
}

/* End of the piece of s starting at i: the next space that is followed by
 * a word, so that no folded line is white space only. */
static size_t piece_end(const char *s, size_t i)
{
	for (i++; s[i] != '\0'; i++)
		if (s[i] == ' ' && s[i + 1] != ' ' && s[i + 1] != '\0')
			break;
	return i;
}

static void fold_text(struct fold *f, const char *s)
{
	for (size_t i = 0, e; s[i] != '\0'; i = e) {
		e = piece_end(s, i);
		fold_put(f, s + i, e - i, 0);
	}
}

/* Whether fold_text would keep every line of s within the limit. */
static bool fits_folded(const char *s, size_t col)
{
	for (size_t i = 0, e; s[i] != '\0'; i = e) {
		e = piece_end(s, i);
		if (fold_needed(col, s + i, e - i, 0))
			col = 0;
		col += e - i;
		if (col > LINE_COLS)
			return false;
	}
	return true;
}

/* Text readers show as is: printable ASCII without "=?", which a reader
 * could take for the start of an encoded-word and decode. */
static bool plain_ascii(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7E ||
		    (s[0] == '=' && s[1] == '?'))
			return false;
	return true;
}

/*
 * Where to end an encoded-word taking at most max bytes of s[0..len): on a
 * character boundary (max is at least 6, more than any UTF-8 sequence), and
 * preferably just before a space. Some parsers (CPython's before gh-128110)
 * keep the white space between encoded-words of a display name; splitting
 * before a space costs them a doubled space rather than a broken word.
 */
static size_t ew_split(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return len;
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	for (size_t i = max; i > max / 2; i--)
		if (s[i] == ' ')
			return i;
	return max;
}

/*
 * Appends valid UTF-8 s as B encoded-words, each ending between characters
 * so that a reader decoding word by word never sees half a character. The
 * white space between encoded-words is dropped by readers, so spaces of s
 * are encoded inside the words and the words are free to fold. A word that
 * would be short for lack of room and not the last starts a new line
 * instead, so text is not spread over many tiny words. space says whether
 * the first word is to be preceded by white space.
 */
static void fold_encoded(struct fold *f, const char *s, size_t len, bool space)
{
	size_t lead = space ? 1 : 0;

	while (len > 0) {
		size_t room = f->col + lead < LINE_COLS ? LINE_COLS - f->col - lead : 0;
		size_t n;

		if (room < EW_MIN || (room < EW_MAX / 2 && (room - EW_OVERHEAD) / 4 * 3 < len)) {
			buf_add(f->out, "\r\n", 2);
			f->col = 0;
			lead = 1;
			room = LINE_COLS - lead;
		}
		if (room > EW_MAX)
			room = EW_MAX;
		n = ew_split(s, len, (room - EW_OVERHEAD) / 4 * 3);
		buf_add(f->out, " ", lead);
		buf_adds(f->out, "=?UTF-8?B?");
		b64_add(f->out, (const unsigned char *)s, n);
		buf_adds(f->out, "?=");
		f->col += lead + EW_OVERHEAD + (n + 2) / 3 * 4;
		s += n;
		len -= n;
		lead = 1;
	}
}

/*
 * `used` is the column the value starts at, header name, colon and space
 * included ("Subject: " is 9). No CRLF is appended after the value.
 */
void mime_encode_header(const char *value, size_t used, struct buf *out)
{
	char *s = clean_line(value ? value : "");
	struct fold f = {out, used};

	if (plain_ascii(s) && fits_folded(s, used))
		fold_text(&f, s);
	else
		fold_encoded(&f, s, strlen(s), false);
	free(s);
}

/* Appends " name", quoting or encoding the (cleaned, trimmed) name. */
static void put_name(struct fold *f, const char *name)
{
	struct buf r = BUF_INIT;

	if (plain_ascii(name)) {
		bool quote = strpbrk(name, "()<>[]:;@\\,.\"") != NULL;

		buf_adds(&r, quote ? " \"" : " ");
		for (const char *p = name; *p != '\0'; p++) {
			if (quote && (*p == '"' || *p == '\\'))
				buf_addc(&r, '\\');
			buf_addc(&r, *p);
		}
		if (quote)
			buf_addc(&r, '"');
		if (fits_folded(buf_str(&r), f->col)) {
			fold_text(f, buf_str(&r));
			buf_free(&r);
			return;
		}
	}
	buf_free(&r);
	fold_encoded(f, name, strlen(name), true);
}

/* Appends " name <addr>" or " addr"; addr has been validated. */
static void put_mailbox(struct fold *f, const struct mime_addr *a, size_t reserve)
{
	char *copy = a->name ? clean_line(a->name) : NULL;
	const char *name = copy ? util_trim(copy) : "";
	struct buf piece = BUF_INIT;

	if (name[0] != '\0') {
		put_name(f, name);
		buf_printf(&piece, " <%s>", a->addr);
	} else {
		buf_printf(&piece, " %s", a->addr);
	}
	fold_put(f, piece.data, piece.len, reserve);
	buf_free(&piece);
	free(copy);
}

static void put_addr_header(struct buf *out, const char *field, const struct mime_addr *list,
                            size_t n)
{
	struct fold f = {out, strlen(field) + 1};

	buf_printf(out, "%s:", field);
	for (size_t i = 0; i < n; i++) {
		if (i > 0) {
			buf_addc(out, ',');
			f.col++;
		}
		put_mailbox(&f, &list[i], i + 1 < n ? 1 : 0);
	}
	buf_add(out, "\r\n", 2);
}

/* RFC 5322 date-time; names are English whatever the message language. */
static void put_date(struct buf *out, const char *field, time_t t, int tz)
{
	static const char *const days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	struct date_civil c;
	int off = tz < 0 ? -tz : tz;

	date_split(t, tz, &c);
	buf_printf(out, "%s: %s, %02d %s %04d %02d:%02d:%02d %c%02d%02d\r\n", field,
	           days[c.weekday - 1], c.day, months[c.month - 1], c.year, c.hour, c.minute,
	           c.second, tz < 0 ? '-' : '+', off / 3600, off / 60 % 60);
}

static void put_references(struct buf *out, const char *const *refs, size_t n)
{
	struct fold f = {out, strlen("References:")};
	char piece[MSGID_MAX + 4];

	buf_adds(out, "References:");
	for (size_t i = 0; i < n; i++) {
		int len = snprintf(piece, sizeof(piece), " <%s>", refs[i]);

		fold_put(&f, piece, (size_t)len, 0);
	}
	buf_add(out, "\r\n", 2);
}

/* Bytes of the character at s[i]. A UTF-8 sequence is kept whole on one
 * line so that a reader decoding line by line never sees half a character;
 * stray bytes count one each. */
static size_t qp_char_len(const unsigned char *s, size_t i, size_t len)
{
	size_t more = s[i] >= 0xF0 ? 3 : s[i] >= 0xE0 ? 2 : s[i] >= 0xC0 ? 1 : 0;
	size_t n = 1;

	while (more-- > 0 && i + n < len && (s[i + n] & 0xC0) == 0x80)
		n++;
	return n;
}

/*
 * The encoding of the character at s[i] of a line of len bytes, into tok;
 * returns its length and sets *used to the bytes it stands for. Trailing
 * white space is stripped in transit and "From " at a line start is mangled
 * by mbox tools, so both are escaped.
 */
static size_t qp_token(const char *s, size_t i, size_t len, bool line_start, char *tok,
                       size_t *used)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned char c = u[i];
	size_t n = qp_char_len(u, i, len);
	bool blank = c == ' ' || c == '\t';
	bool from = line_start && len - i >= 5 && memcmp(s + i, "From ", 5) == 0;

	*used = n;
	if (n == 1 && c != '=' && c < 0x7F && (c >= 0x20 || c == '\t') &&
	    !(blank && i + 1 == len) && !from) {
		tok[0] = (char)c;
		return 1;
	}
	/* Vietnamese text is mostly escapes: by table, not by snprintf. */
	static const char hex[] = "0123456789ABCDEF";
	for (size_t k = 0; k < n; k++) {
		tok[3 * k] = '=';
		tok[3 * k + 1] = hex[u[i + k] >> 4];
		tok[3 * k + 2] = hex[u[i + k] & 15];
	}
	return 3 * n;
}

/*
 * Quoted-printable of one line without its line break. A token that would
 * leave no room for a soft break's '=' goes to the next line, so an escape
 * is never split; when a line break follows (hard_end), the last token may
 * use the 76th column.
 */
static void qp_line(const char *s, size_t len, bool hard_end, struct buf *out)
{
	size_t col = 0, used;
	char tok[QP_TOKEN_MAX];

	for (size_t i = 0; i < len; i += used) {
		size_t n = qp_token(s, i, len, col == 0, tok, &used);
		size_t limit = hard_end && i + used == len ? LINE_COLS : LINE_COLS - 1;

		if (col + n > limit) {
			buf_add(out, "=\r\n", 3);
			col = 0;
			n = qp_token(s, i, len, true, tok, &used);
		}
		buf_add(out, tok, n);
		col += n;
	}
}

/*
 * Input lines may end in LF, CRLF or a lone CR (all become CRLF). A last
 * line without a break is encoded so that a soft break can still follow it,
 * which lets a body end without gaining a line break.
 */
void mime_qp_encode(const char *s, size_t len, struct buf *out)
{
	size_t i = 0;

	while (i < len) {
		size_t e = i;

		while (e < len && s[e] != '\n' && s[e] != '\r')
			e++;
		qp_line(s + i, e - i, e < len, out);
		if (e == len)
			break;
		buf_add(out, "\r\n", 2);
		i = e + (s[e] == '\r' && e + 1 < len && s[e + 1] == '\n' ? 2 : 1);
	}
}

static int check_addr(const char *field, const struct mime_addr *a, char *err, size_t errlen)
{
	char tmp[ERR_VALUE_MAX];

	if (!mime_addr_valid(a->addr)) {
		set_err(err, errlen, "invalid %s address '%s'", field,
		        err_value(a->addr, tmp, sizeof(tmp)));
		return -1;
	}
	if (a->name && !text_utf8_valid(a->name, strlen(a->name))) {
		set_err(err, errlen, "%s display name is not UTF-8", field);
		return -1;
	}
	return 0;
}

static int check_addrs(const char *field, const struct mime_addr *list, size_t n, char *err,
                       size_t errlen)
{
	if (n > 0 && !list) {
		set_err(err, errlen, "missing %s addresses", field);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (check_addr(field, &list[i], err, errlen) < 0)
			return -1;
	return 0;
}

static int check_id(const char *field, const char *id, char *err, size_t errlen)
{
	char tmp[ERR_VALUE_MAX];

	if (mime_msgid_valid(id))
		return 0;
	set_err(err, errlen, "invalid %s '%s'", field, err_value(id, tmp, sizeof(tmp)));
	return -1;
}

static int check_text(const char *field, const char *s, char *err, size_t errlen)
{
	if (!s) {
		set_err(err, errlen, "missing %s", field);
		return -1;
	}
	if (!text_utf8_valid(s, strlen(s))) {
		set_err(err, errlen, "%s is not UTF-8", field);
		return -1;
	}
	return 0;
}

/* The Date header has a 4-digit year and a ±hhmm zone; anything else is a
 * caller's mistake better reported than written. */
static int check_date(time_t t, int tz, char *err, size_t errlen)
{
	if (tz <= -DATE_DAY || tz >= DATE_DAY || tz % 60 != 0) {
		set_err(err, errlen, "invalid Date time zone offset %d", tz);
		return -1;
	}
	if (t < date_make(1900, 1, 2, 0, 0, 0, 0) || t > date_make(9999, 12, 30, 0, 0, 0, 0)) {
		set_err(err, errlen, "invalid Date %lld", (long long)t);
		return -1;
	}
	return 0;
}

/* A language tag goes into the header verbatim, so only its own alphabet. */
static int check_lang(const char *lang, char *err, size_t errlen)
{
	char tmp[ERR_VALUE_MAX];
	size_t len =
	    strspn(lang, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-");

	if (len > 0 && len <= LANG_MAX && lang[len] == '\0')
		return 0;
	set_err(err, errlen, "invalid Content-Language '%s'", err_value(lang, tmp, sizeof(tmp)));
	return -1;
}

static int check_headers(const struct mime_msg *m, char *err, size_t errlen)
{
	if (check_addr("From", &m->from, err, errlen) < 0 ||
	    (m->reply_to && check_addr("Reply-To", m->reply_to, err, errlen) < 0) ||
	    check_addrs("To", m->to, m->n_to, err, errlen) < 0 ||
	    check_addrs("Cc", m->cc, m->n_cc, err, errlen) < 0 ||
	    check_text("Subject", m->subject, err, errlen) < 0 ||
	    check_id("Message-ID", m->message_id, err, errlen) < 0 ||
	    (m->in_reply_to && check_id("In-Reply-To", m->in_reply_to, err, errlen) < 0) ||
	    check_date(m->date, m->tz_offset, err, errlen) < 0 ||
	    (m->language && check_lang(m->language, err, errlen) < 0))
		return -1;
	if (m->n_to == 0) {
		set_err(err, errlen, "no To address");
		return -1;
	}
	if (m->n_references > 0 && !m->references) {
		set_err(err, errlen, "missing References");
		return -1;
	}
	for (size_t i = 0; i < m->n_references; i++)
		if (check_id("References id", m->references[i], err, errlen) < 0)
			return -1;
	return 0;
}

static bool ends_in_break(const char *s)
{
	size_t len = strlen(s);

	return len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r');
}

static void put_part_headers(struct buf *out, const char *subtype)
{
	buf_printf(out,
	           "Content-Type: text/%s; charset=UTF-8\r\n"
	           "Content-Transfer-Encoding: quoted-printable\r\n",
	           subtype);
}

/*
 * The boundary starts with "=_": quoted-printable writes '=' only before
 * two hex digits or a line break, so no encoded body can contain it, and
 * the rest is a hash of the message id so the output stays reproducible.
 * FNV-1a is enough; the boundary needs no secrecy, only stability.
 */
static void make_boundary(const char *msgid, char *b, size_t cap)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (const unsigned char *p = (const unsigned char *)msgid; *p != '\0'; p++)
		h = (h ^ *p) * 0x100000001b3ULL;
	snprintf(b, cap, "=_deadlined_%016llx", (unsigned long long)h);
}

/* A body part ends in CRLF before the delimiter, and that CRLF belongs to
 * the delimiter (RFC 2046), so a part keeps exactly its text's line ends. */
static void put_alternative(struct buf *out, const struct mime_msg *m)
{
	char b[40];

	make_boundary(m->message_id, b, sizeof(b));
	buf_printf(out, "Content-Type: multipart/alternative;\r\n boundary=\"%s\"\r\n\r\n", b);
	buf_printf(out, "--%s\r\n", b);
	put_part_headers(out, "plain");
	buf_add(out, "\r\n", 2);
	mime_qp_encode(m->text, strlen(m->text), out);
	buf_printf(out, "\r\n--%s\r\n", b);
	put_part_headers(out, "html");
	buf_add(out, "\r\n", 2);
	mime_qp_encode(m->html, strlen(m->html), out);
	buf_printf(out, "\r\n--%s--\r\n", b);
}

/* A text without a final line break ends in a soft break: the message
 * still ends in CRLF and the decoded text gains no line. */
static void put_single(struct buf *out, const char *text)
{
	put_part_headers(out, "plain");
	buf_add(out, "\r\n", 2);
	mime_qp_encode(text, strlen(text), out);
	if (text[0] != '\0' && !ends_in_break(text))
		buf_add(out, "=\r\n", 3);
}

int mime_build(const struct mime_msg *m, struct buf *out, char *err, size_t errlen)
{
	if (check_headers(m, err, errlen) < 0 ||
	    check_text("text body", m->text, err, errlen) < 0 ||
	    (m->html && check_text("HTML body", m->html, err, errlen) < 0))
		return -1;
	put_date(out, "Date", m->date, m->tz_offset);
	put_addr_header(out, "From", &m->from, 1);
	if (m->reply_to)
		put_addr_header(out, "Reply-To", m->reply_to, 1);
	put_addr_header(out, "To", m->to, m->n_to);
	if (m->n_cc > 0)
		put_addr_header(out, "Cc", m->cc, m->n_cc);
	buf_adds(out, "Subject: ");
	mime_encode_header(m->subject, strlen("Subject: "), out);
	buf_printf(out, "\r\nMessage-ID: <%s>\r\n", m->message_id);
	if (m->in_reply_to)
		buf_printf(out, "In-Reply-To: <%s>\r\n", m->in_reply_to);
	if (m->n_references > 0)
		put_references(out, m->references, m->n_references);
	buf_adds(out, "MIME-Version: 1.0\r\n");
	if (m->language)
		buf_printf(out, "Content-Language: %s\r\n", m->language);
	buf_adds(out, "Auto-Submitted: auto-generated\r\nX-Auto-Response-Suppress: All\r\n");
	if (m->html)
		put_alternative(out, m);
	else
		put_single(out, m->text);
	return 0;
}

int mime_resent(const struct mime_addr *from, const struct mime_addr *to, size_t n_to, time_t date,
                int tz_offset, const char *message_id, struct buf *out, char *err, size_t errlen)
{
	if (check_addr("Resent-From", from, err, errlen) < 0 ||
	    check_addrs("Resent-To", to, n_to, err, errlen) < 0 ||
	    check_id("Resent-Message-ID", message_id, err, errlen) < 0 ||
	    check_date(date, tz_offset, err, errlen) < 0)
		return -1;
	put_date(out, "Resent-Date", date, tz_offset);
	put_addr_header(out, "Resent-From", from, 1);
	put_addr_header(out, "Resent-To", to, n_to);
	buf_printf(out, "Resent-Message-ID: <%s>\r\n", message_id);
	return 0;
}
