/*
 * msgview — see msgview.h.
 *
 * A part is a header block, an empty line and a body. Multipart bodies are
 * cut at their boundary lines and each part read the same way, a few
 * levels deep at most.
 */
#include "msgview.h"

#include "buf.h"
#include "util.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_DEPTH 5

struct span {
	const char *p;
	size_t len;
};

/* ---- decoding ---------------------------------------------------------------------- */

static int b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

static void b64_decode(const char *s, size_t len, struct buf *out)
{
	unsigned acc = 0;
	int bits = 0;

	for (size_t i = 0; i < len; i++) {
		int v = b64_value((unsigned char)s[i]);
		if (v < 0)
			continue; /* line breaks, padding */
		acc = (acc << 6) | (unsigned)v;
		if ((bits += 6) >= 8) {
			bits -= 8;
			buf_addc(out, (char)((acc >> bits) & 0xFF));
		}
	}
}

static int hex(unsigned char c)
{
	return isdigit(c) ? c - '0' : isxdigit(c) ? tolower(c) - 'a' + 10 : -1;
}

/* Quoted-printable; in a header's Q encoding '_' is a space. */
static void qp_decode(const char *s, size_t len, bool q_word, struct buf *out)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '_' && q_word) {
			buf_addc(out, ' ');
		} else if (s[i] == '=' && i + 2 < len + 0 && hex((unsigned char)s[i + 1]) >= 0 &&
		           hex((unsigned char)s[i + 2]) >= 0) {
			buf_addc(out, (char)(hex((unsigned char)s[i + 1]) * 16 +
			                     hex((unsigned char)s[i + 2])));
			i += 2;
		} else if (s[i] == '=' && i + 1 < len && (s[i + 1] == '\r' || s[i + 1] == '\n')) {
			/* A soft line break. */
			i += s[i + 1] == '\r' && i + 2 < len && s[i + 2] == '\n' ? 2 : 1;
		} else {
			buf_addc(out, s[i]);
		}
	}
}

/* One encoded-word at s ("=?charset?B|Q?text?="); its length, or 0 when it is not one. */
static size_t encoded_word(const char *s, struct buf *out)
{
	const char *charset = s + 2, *q1 = strchr(charset, '?');

	if (!q1 || !q1[1] || q1[2] != '?')
		return 0;
	const char *text = q1 + 3, *end = strstr(text, "?=");
	char enc = (char)toupper((unsigned char)q1[1]);
	size_t cs = (size_t)(q1 - charset);
	if (!end || memchr(text, ' ', (size_t)(end - text)) || (enc != 'B' && enc != 'Q'))
		return 0;
	/* Only what a mail client would surely show right: UTF-8 and ASCII. */
	if (!((cs == 5 && !strncasecmp(charset, "utf-8", 5)) ||
	      (cs == 8 && !strncasecmp(charset, "us-ascii", 8))))
		return 0;
	if (enc == 'B')
		b64_decode(text, (size_t)(end - text), out);
	else
		qp_decode(text, (size_t)(end - text), true, out);
	return (size_t)(end + 2 - s);
}

/* RFC 2047: white space between two encoded-words is not part of the text. */
static char *decode_words(const char *s)
{
	struct buf out = BUF_INIT;
	size_t pending_space = 0, pending_at = 0;
	bool after_word = false;

	for (size_t i = 0; s[i];) {
		size_t n = s[i] == '=' && s[i + 1] == '?' ? encoded_word(s + i, &out) : 0;
		if (n) {
			i += n;
			after_word = true;
			pending_space = 0;
			continue;
		}
		if (after_word && (s[i] == ' ' || s[i] == '\t')) {
			/* Held back: dropped if another encoded-word follows. */
			if (!pending_space)
				pending_at = i;
			pending_space++;
			i++;
			if (s[i] == '=' && s[i + 1] == '?')
				continue;
			if (s[i] == ' ' || s[i] == '\t')
				continue;
			buf_add(&out, s + pending_at, pending_space);
		} else if (pending_space && s[i] == '=' && s[i + 1] == '?') {
			/* Not an encoded-word after all: keep the space. */
		}
		pending_space = 0;
		after_word = false;
		if (!s[i])
			break;
		buf_addc(&out, s[i++]);
	}
	if (pending_space)
		buf_add(&out, s + pending_at, pending_space);
	return out.data ? buf_steal(&out) : xstrdup("");
}

/* Control characters (C0, DEL, C1) become spaces; keep_lines keeps LF and TAB.
 * CRLF becomes LF. */
static char *clean(const char *s, size_t len, bool keep_lines)
{
	char *out = xmalloc(len + 1);
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\r' && i + 1 < len && s[i + 1] == '\n' && keep_lines)
			continue;
		/* C1 controls (U+0080-U+009F, such as CSI) are escapes to some terminals too. */
		if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] >= 0x80 &&
		    (unsigned char)s[i + 1] <= 0x9F) {
			out[o++] = ' ';
			i++;
			continue;
		}
		if (keep_lines && (c == '\n' || c == '\t'))
			out[o++] = (char)c;
		else
			out[o++] = c < 0x20 || c == 0x7F ? ' ' : (char)c;
	}
	out[o] = '\0';
	return out;
}

/* ---- headers ------------------------------------------------------------------------ */

/* Splits a part into its unfolded header lines and its body. */
static size_t read_headers(struct span part, struct msgview_header **out, struct span *body)
{
	size_t n = 0, i = 0;

	*out = NULL;
	*body = (struct span){part.p + part.len, 0};
	while (i < part.len) {
		size_t eol = i;
		while (eol < part.len && part.p[eol] != '\n')
			eol++;
		size_t line_end = eol > i && part.p[eol - 1] == '\r' ? eol - 1 : eol;
		if (line_end == i) { /* the empty line */
			*body = (struct span){part.p + eol + 1,
			                      eol < part.len ? part.len - eol - 1 : 0};
			break;
		}
		struct buf line = BUF_INIT;
		buf_add(&line, part.p + i, line_end - i);
		i = eol + 1;
		/* Folded continuation lines. */
		while (i < part.len && (part.p[i] == ' ' || part.p[i] == '\t')) {
			eol = i;
			while (eol < part.len && part.p[eol] != '\n')
				eol++;
			line_end = eol > i && part.p[eol - 1] == '\r' ? eol - 1 : eol;
			buf_add(&line, part.p + i, line_end - i);
			i = eol + 1;
		}
		const char *colon = memchr(line.data, ':', line.len);
		if (colon) {
			*out = xrealloc(*out, (n + 1) * sizeof(**out));
			const char *v = colon + 1;
			while (*v == ' ' || *v == '\t')
				v++;
			char *decoded = decode_words(v);
			(*out)[n].name = xstrndup(line.data, (size_t)(colon - line.data));
			(*out)[n].value = clean(decoded, strlen(decoded), false);
			free(decoded);
			n++;
		}
		buf_free(&line);
	}
	return n;
}

static const char *find(const struct msgview_header *h, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcasecmp(h[i].name, name))
			return h[i].value;
	return NULL;
}

static void free_headers(struct msgview_header *h, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(h[i].name);
		free(h[i].value);
	}
	free(h);
}

/* A parameter of a Content-Type value ("boundary"), unquoted; malloc'ed or NULL. */
static char *param(const char *value, const char *name)
{
	size_t nl = strlen(name);

	for (const char *p = strchr(value, ';'); p; p = strchr(p + 1, ';')) {
		const char *k = p + 1;
		while (*k == ' ' || *k == '\t')
			k++;
		if (strncasecmp(k, name, nl) || k[nl] != '=')
			continue;
		const char *v = k + nl + 1;
		if (*v == '"') {
			const char *end = strchr(v + 1, '"');
			return end ? xstrndup(v + 1, (size_t)(end - v - 1)) : NULL;
		}
		return xstrndup(v, strcspn(v, "; \t"));
	}
	return NULL;
}

/* ---- the MIME tree ------------------------------------------------------------------ */

static void read_part(struct span part, int depth, struct msgview *v, bool top);

/* Each part between "--boundary" lines, up to "--boundary--". */
static void read_multipart(struct span body, const char *boundary, int depth, struct msgview *v)
{
	size_t bl = strlen(boundary), i = 0;
	const char *start = NULL;

	while (i < body.len) {
		size_t eol = i;
		while (eol < body.len && body.p[eol] != '\n')
			eol++;
		const char *line = body.p + i;
		if (eol - i >= bl + 2 && line[0] == '-' && line[1] == '-' &&
		    !memcmp(line + 2, boundary, bl)) {
			if (start) {
				/* The line break before the boundary belongs to it. */
				size_t len = (size_t)(line - start);
				if (len && start[len - 1] == '\n')
					len--;
				if (len && start[len - 1] == '\r')
					len--;
				read_part((struct span){start, len}, depth + 1, v, false);
			}
			bool last = eol - i >= bl + 4 && line[bl + 2] == '-' && line[bl + 3] == '-';
			if (last)
				return;
			start = body.p + eol + 1;
		}
		i = eol + 1;
	}
}

static void read_part(struct span part, int depth, struct msgview *v, bool top)
{
	struct msgview_header *h;
	struct span body;
	size_t n = read_headers(part, &h, &body);
	const char *type = find(h, n, "Content-Type");
	const char *cte = find(h, n, "Content-Transfer-Encoding");
	char kind[64] = "text/plain"; /* RFC 2045's default */

	if (type)
		util_strlcpy(kind, type, sizeof(kind));
	kind[strcspn(kind, "; \t")] = '\0';
	if (!strncasecmp(kind, "multipart/", 10) && depth < MAX_DEPTH) {
		char *boundary = param(type, "boundary");
		if (boundary)
			read_multipart(body, boundary, depth, v);
		free(boundary);
	} else if (!strcasecmp(kind, "text/plain") || !strcasecmp(kind, "text/html")) {
		char **slot = !strcasecmp(kind, "text/plain") ? &v->text : &v->html;
		if (!*slot) {
			struct buf b = BUF_INIT;
			if (cte && !strcasecmp(cte, "quoted-printable"))
				qp_decode(body.p, body.len, false, &b);
			else if (cte && !strcasecmp(cte, "base64"))
				b64_decode(body.p, body.len, &b);
			else
				buf_add(&b, body.p, body.len);
			*slot = clean(b.data ? b.data : "", b.len, true);
			buf_free(&b);
		}
	}
	if (top) {
		v->headers = h;
		v->n_headers = n;
	} else {
		free_headers(h, n);
	}
}

void msgview_parse(const char *raw, size_t len, struct msgview *out)
{
	memset(out, 0, sizeof(*out));
	read_part((struct span){raw, len}, 0, out, true);
}

void msgview_free(struct msgview *v)
{
	free_headers(v->headers, v->n_headers);
	free(v->text);
	free(v->html);
	memset(v, 0, sizeof(*v));
}

const char *msgview_header(const struct msgview *v, const char *name)
{
	return find(v->headers, v->n_headers, name);
}
