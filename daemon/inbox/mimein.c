/*
 * mimein — see inbox/mimein.h.
 *
 * GMime does the parsing and the decoding (transfer encodings, RFC 2047
 * words, charsets through iconv); this file walks what it built with a
 * budget of parts and depth, and keeps plain copies of what the inbox
 * needs, so no GMime object outlives mimein_parse().
 */
#include "inbox/mimein.h"

#include "buf.h"
#include "text.h"
#include "util.h"

#include <ctype.h>
#include <gmime/gmime.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_DEPTH 12
#define MB        (1024 * 1024)

const struct mimein_limits mimein_default_limits = {40 * MB, 10 * MB, 25 * MB, 200, 1 * MB};

static pthread_once_t gmime_once = PTHREAD_ONCE_INIT;
static GMimeParserOptions *options;

static void gmime_setup(void)
{
	/* Undeclared 8-bit text: UTF-8 if it is, else the Vietnamese Windows code page. */
	static const char *fallback[] = {"utf-8", "windows-1258", "iso-8859-1", NULL};

	g_mime_init();
	options = g_mime_parser_options_new();
	g_mime_parser_options_set_fallback_charsets(options, fallback);
}

/* ---- small helpers ---------------------------------------------------------------- */

static void list_add(struct mimein_list *l, const char *s)
{
	l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	l->v[l->n++] = xstrdup(s);
}

static void list_free(struct mimein_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

/* A header value as one safe line, or NULL. */
static char *one_line(const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s) + 1;
	char *out = xmalloc(n);
	text_sanitize_line(s, out, n);
	char *t = util_trim(out);
	memmove(out, t, strlen(t) + 1);
	return out;
}

/* UTF-8 from text of unknown validity (the fallback charsets decide). */
static char *utf8_of(const char *s, size_t len)
{
	if (text_utf8_valid(s, len))
		return xstrndup(s, len);
	char *d = g_mime_utils_decode_8bit(options, s, len);
	char *out = xstrdup(d ? d : "");
	g_free(d);
	return out;
}

static void set_problem(struct mimein_msg *m, const char *fmt, const char *arg)
{
	if (m->problem)
		return;
	struct buf b = BUF_INIT;
	buf_printf(&b, fmt, arg);
	m->problem = buf_steal(&b);
}

/* ---- HTML to text ------------------------------------------------------------------ */

struct html {
	struct buf out;
	int quote;
	bool line_start, space;
};

static void html_put(struct html *h, const char *s, size_t n)
{
	if (h->line_start) {
		for (int i = 0; i < h->quote && i < 20; i++)
			buf_adds(&h->out, "> ");
		h->line_start = false;
	} else if (h->space) {
		buf_addc(&h->out, ' ');
	}
	h->space = false;
	buf_add(&h->out, s, n);
}

/* Ends the line; blocks in a row leave at most one empty line. */
static void html_newline(struct html *h)
{
	size_t n = h->out.len;

	if (n && (!h->line_start || n < 2 || h->out.data[n - 2] != '\n'))
		buf_addc(&h->out, '\n');
	h->line_start = true;
	h->space = false;
}

/* Ends the line being written, if any: list items follow each other without a gap. */
static void end_line(struct html *h)
{
	if (!h->line_start)
		buf_addc(&h->out, '\n');
	h->line_start = true;
	h->space = false;
}

static void put_codepoint(struct html *h, unsigned long cp)
{
	char u[4];
	size_t n;

	if (cp == 0xA0 || cp < 0x20) {
		h->space = !h->line_start;
		return;
	}
	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	if (cp < 0x80)
		u[0] = (char)cp, n = 1;
	else if (cp < 0x800)
		u[0] = (char)(0xC0 | (cp >> 6)), u[1] = (char)(0x80 | (cp & 0x3F)), n = 2;
	else if (cp < 0x10000)
		u[0] = (char)(0xE0 | (cp >> 12)), u[1] = (char)(0x80 | ((cp >> 6) & 0x3F)),
		u[2] = (char)(0x80 | (cp & 0x3F)), n = 3;
	else
		u[0] = (char)(0xF0 | (cp >> 18)), u[1] = (char)(0x80 | ((cp >> 12) & 0x3F)),
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), u[3] = (char)(0x80 | (cp & 0x3F)), n = 4;
	html_put(h, u, n);
}

/*
 * "&agrave;", "&Ocirc;", "&dstrok;" …: a letter and its mark, as old HTML
 * writers spell Vietnamese letters that Latin-1 has. The base letter and a
 * combining mark are written; the text is NFC-normalised where it is read.
 */
static size_t accented_entity(struct html *h, const char *s, size_t n)
{
	static const struct {
		const char *name;
		unsigned long mark;
	} marks[] = {{"grave", 0x300}, {"acute", 0x301}, {"circ", 0x302},  {"tilde", 0x303},
	             {"uml", 0x308},   {"ring", 0x30A},  {"cedil", 0x327}, {"breve", 0x306}};

	if (n == 6 && !strncmp(s + 1, "strok", 5) && (s[0] == 'd' || s[0] == 'D')) {
		put_codepoint(h, s[0] == 'd' ? 0x111 : 0x110);
		return n + 1;
	}
	for (size_t i = 0; n > 1 && isalpha((unsigned char)s[0]) && i < UTIL_NELEM(marks); i++)
		if (strlen(marks[i].name) == n - 1 && !strncmp(s + 1, marks[i].name, n - 1)) {
			put_codepoint(h, (unsigned char)s[0]);
			put_codepoint(h, marks[i].mark);
			return n + 1;
		}
	return 0;
}

/* An entity at s (after '&'): bytes used, or 0 when it is not one. */
static size_t html_entity(struct html *h, const char *s, size_t len)
{
	static const struct {
		const char *name;
		unsigned long cp;
	} names[] = {{"nbsp", 0xA0},     {"amp", '&'},    {"lt", '<'},       {"gt", '>'},
	             {"quot", '"'},      {"apos", '\''},  {"ndash", 0x2013}, {"mdash", 0x2014},
	             {"hellip", 0x2026}, {"laquo", 0xAB}, {"raquo", 0xBB}};
	size_t n = 0;

	while (n < len && n < 12 && s[n] != ';')
		n++;
	if (n >= len || s[n] != ';' || n == 0)
		return 0;
	if (s[0] == '#') {
		char *end;
		unsigned long cp = (s[1] == 'x' || s[1] == 'X') ? strtoul(s + 2, &end, 16)
		                                                : strtoul(s + 1, &end, 10);
		if (end != s + n)
			return 0;
		put_codepoint(h, cp);
		return n + 1;
	}
	for (size_t i = 0; i < UTIL_NELEM(names); i++)
		if (strlen(names[i].name) == n && !strncmp(s, names[i].name, n)) {
			put_codepoint(h, names[i].cp);
			return n + 1;
		}
	return accented_entity(h, s, n);
}

static bool tag_is(const char *name, const char *const *set, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(name, set[i]))
			return true;
	return false;
}

/* Where the original message starts in the HTML of Outlook, Gmail, Thunderbird forwards. */
static bool quote_container(const char *attrs)
{
	static const char *const marks[] = {"divrplyfwdmsg", "appendonsend",
	                                    "gmail_quote",   "moz-forward-container",
	                                    "yahoo_quoted",  "outlookmessageheader"};
	char low[256];
	size_t n = 0;

	for (; attrs[n] && n + 1 < sizeof(low); n++)
		low[n] = (char)tolower((unsigned char)attrs[n]);
	low[n] = '\0';
	for (size_t i = 0; i < UTIL_NELEM(marks); i++)
		if (strstr(low, marks[i]))
			return true;
	return false;
}

/* Skips the content of <style>, <script> … up to its closing tag. */
static size_t skip_element(const char *s, size_t len, size_t i, const char *name)
{
	size_t k = strlen(name);

	for (; i + k + 2 <= len; i++)
		if (s[i] == '<' && s[i + 1] == '/' && !strncasecmp(s + i + 2, name, k))
			return i;
	return len;
}

/* A tag at s[i] == '<'; returns the index after it. */
static size_t html_tag(struct html *h, const char *s, size_t len, size_t i)
{
	static const char *const blocks[] = {
	    "p",  "div", "tr", "table", "h1",      "h2",      "h3",     "h4",     "h5",
	    "h6", "pre", "dt", "dd",    "section", "article", "header", "footer", "address"};
	static const char *const lists[] = {"ul", "ol", "li"};
	static const char *const hidden[] = {"style", "script", "head", "title", "xml"};
	char name[16], attrs[256];
	size_t j = i + 1, n = 0, a = 0;

	if (j + 2 < len && !strncmp(s + j, "!--", 3)) {
		const char *end = memmem(s + j + 3, len - j - 3, "-->", 3);
		return end ? (size_t)(end - s) + 3 : len;
	}
	bool closing = j < len && s[j] == '/';
	j += closing;
	while (j < len && n + 1 < sizeof(name) && isalnum((unsigned char)s[j]))
		name[n++] = (char)tolower((unsigned char)s[j++]);
	name[n] = '\0';
	while (j < len && s[j] != '>') {
		if (a + 1 < sizeof(attrs))
			attrs[a++] = s[j];
		j++;
	}
	attrs[a] = '\0';
	j = j < len ? j + 1 : len;
	if (!closing && tag_is(name, hidden, UTIL_NELEM(hidden)))
		return skip_element(s, len, j, name);
	if (!strcmp(name, "br")) {
		html_newline(h);
	} else if (!strcmp(name, "blockquote")) {
		html_newline(h);
		h->quote += closing ? (h->quote > 0 ? -1 : 0) : 1;
	} else if (!strcmp(name, "hr") || (!closing && quote_container(attrs))) {
		html_newline(h);
		html_put(h, "________________________________", 32);
		html_newline(h);
	} else if (!strcmp(name, "li") && !closing) {
		end_line(h);
		html_put(h, "-", 1);
		h->space = true;
	} else if (tag_is(name, lists, UTIL_NELEM(lists))) {
		end_line(h);
	} else if (tag_is(name, blocks, UTIL_NELEM(blocks))) {
		html_newline(h);
	} else if (!strcmp(name, "td") || !strcmp(name, "th")) {
		h->space = !h->line_start;
	}
	return j;
}

char *mimein_html_text(const char *s, size_t len)
{
	struct html h = {BUF_INIT, 0, true, false};

	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)s[i];
		if (c == '<') {
			i = html_tag(&h, s, len, i);
		} else if (c == '&') {
			size_t used = html_entity(&h, s + i + 1, len - i - 1);
			if (!used)
				html_put(&h, "&", 1);
			i += 1 + used;
		} else if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f') {
			h.space = !h.line_start;
			i++;
		} else {
			size_t n = 1;
			while (i + n < len && !strchr("<& \t\r\n\f", s[i + n]))
				n++;
			html_put(&h, s + i, n);
			i += n;
		}
	}
	end_line(&h);
	while (h.out.len > 1 && h.out.data[h.out.len - 2] == '\n')
		h.out.data[--h.out.len] = '\0';
	char *out = buf_steal(&h.out);
	return out ? out : xstrdup("");
}

/* ---- file names ----------------------------------------------------------------------- */

char *mimein_safe_filename(const char *name)
{
	const char *base = name ? name : "";
	struct buf b = BUF_INIT;

	for (const char *p = base; *p; p++)
		if (*p == '/' || *p == '\\')
			base = p + 1;
	char *nfc = text_nfc(base);
	const unsigned char *u = (const unsigned char *)(nfc ? nfc : "");
	for (; *u && b.len < 100; u++) {
		if (*u >= 0x80) {
			size_t n = (*u >= 0xF0) ? 4 : (*u >= 0xE0) ? 3 : 2;
			if (b.len + n > 100)
				break;
			buf_add(&b, u, n);
			u += n - 1;
		} else if (isalnum(*u) || strchr(" -_.()+,", *u)) {
			buf_addc(&b, (char)*u);
		} else {
			buf_addc(&b, '_');
		}
	}
	free(nfc);
	char *out = buf_steal(&b);
	char *t = out ? out : xstrdup("");
	size_t lead = strspn(t, ". ");
	memmove(t, t + lead, strlen(t + lead) + 1);
	util_trim(t);
	if (!*t) {
		free(t);
		return xstrdup("attachment");
	}
	return t;
}

/* ---- the walk ---------------------------------------------------------------------------- */

struct walk {
	const struct mimein_limits *lim;
	struct mimein_msg *m;
	int parts;
	size_t att_total;
	char *plain, *html;
};

static GByteArray *decoded(GMimePart *part, GMimeStream **keep)
{
	GMimeDataWrapper *w = g_mime_part_get_content(part);

	*keep = g_mime_stream_mem_new();
	if (w)
		g_mime_data_wrapper_write_to_stream(w, *keep);
	return g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(*keep));
}

static void add_attachment(struct walk *w, GMimePart *part, const char *type)
{
	struct mimein_msg *m = w->m;
	GMimeStream *stream;
	GByteArray *bytes = decoded(part, &stream);
	const char *name = g_mime_part_get_filename(part);
	struct mimein_att *a;

	m->atts = xrealloc(m->atts, (m->n_atts + 1) * sizeof(*m->atts));
	a = &m->atts[m->n_atts++];
	memset(a, 0, sizeof(*a));
	a->filename = mimein_safe_filename(name);
	a->content_type = one_line(type);
	a->size = bytes ? bytes->len : 0;
	struct buf why = BUF_INIT;
	if (!strcmp(type, "application/ms-tnef") || !strcasecmp(a->filename, "winmail.dat"))
		buf_adds(&why, "a TNEF file (winmail.dat) from Outlook: not read; ask for the "
		               "attachment as a plain file");
	else if ((a->too_large = a->size > w->lim->attachment))
		buf_printf(&why, "%.1f MB, over the limit of %zu MB per file", a->size / (double)MB,
		           w->lim->attachment / MB);
	else if ((a->too_large = w->att_total + a->size > w->lim->attachments))
		buf_printf(&why, "the message's files exceed %zu MB together",
		           w->lim->attachments / MB);
	if (why.len) {
		a->refused = buf_steal(&why);
	} else {
		w->att_total += a->size;
		a->data = xmalloc(a->size ? a->size : 1);
		if (a->size)
			memcpy(a->data, bytes->data, a->size);
	}
	g_object_unref(stream);
}

static char *part_text(GMimePart *part, size_t cap)
{
	char *t =
	    GMIME_IS_TEXT_PART(part) ? g_mime_text_part_get_text(GMIME_TEXT_PART(part)) : NULL;
	char *out;

	if (t) {
		out = utf8_of(t, strlen(t));
		g_free(t);
	} else {
		GMimeStream *stream;
		GByteArray *bytes = decoded(part, &stream);
		out = utf8_of(bytes ? (const char *)bytes->data : "", bytes ? bytes->len : 0);
		g_object_unref(stream);
	}
	if (strlen(out) > cap) {
		size_t n = cap;
		while (n && ((unsigned char)out[n] & 0xC0) == 0x80)
			n--;
		out[n] = '\0';
	}
	return out;
}

/* The Message-ID in a text/rfc822-headers part of a report. */
static char *headers_message_id(GMimePart *part)
{
	char *text = part_text(part, 64 * 1024);
	struct buf b = BUF_INIT;
	char *id = NULL;

	buf_adds(&b, text);
	buf_adds(&b, "\n\n");
	GMimeStream *stream = g_mime_stream_mem_new_with_buffer(b.data, b.len);
	GMimeParser *parser = g_mime_parser_new_with_stream(stream);
	GMimeMessage *msg = g_mime_parser_construct_message(parser, options);
	if (msg && g_mime_message_get_message_id(msg))
		id = one_line(g_mime_message_get_message_id(msg));
	if (msg)
		g_object_unref(msg);
	g_object_unref(parser);
	g_object_unref(stream);
	buf_free(&b);
	free(text);
	return id;
}

static void leaf(struct walk *w, GMimePart *part)
{
	GMimeContentType *ct = g_mime_object_get_content_type(GMIME_OBJECT(part));
	char *type = ct ? g_mime_content_type_get_mime_type(ct) : g_strdup("text/plain");
	bool attachment = g_mime_part_is_attachment(part);
	const char *disposition = g_mime_object_get_disposition(GMIME_OBJECT(part));

	for (char *p = type; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	if (!strcmp(type, "message/delivery-status") ||
	    !strcmp(type, "message/global-delivery-status")) {
		if (!w->m->dsn)
			w->m->dsn = part_text(part, 256 * 1024);
	} else if (!strcmp(type, "text/rfc822-headers")) {
		if (!w->m->dsn_original)
			w->m->dsn_original = headers_message_id(part);
	} else if (!attachment && !strcmp(type, "text/plain")) {
		if (!w->plain)
			w->plain = part_text(part, w->lim->text);
	} else if (!attachment && !strcmp(type, "text/html")) {
		if (!w->html)
			w->html = part_text(part, 4 * w->lim->text);
	} else if (attachment || g_mime_part_get_filename(part)) {
		/* Inline pictures of a signature are not the agency's report. */
		bool inline_picture = !strncmp(type, "image/", 6) &&
		                      (!disposition || strcasecmp(disposition, "attachment"));
		if (!inline_picture)
			add_attachment(w, part, type);
	}
	g_free(type);
}

static void walk(struct walk *w, GMimeObject *obj, int depth)
{
	if (++w->parts > w->lim->parts) {
		char n[16];
		snprintf(n, sizeof(n), "%d", w->lim->parts);
		set_problem(w->m, "more than %s MIME parts", n);
		return;
	}
	if (depth > MAX_DEPTH) {
		set_problem(w->m, "MIME parts nested deeper than %s levels", "12");
		return;
	}
	if (GMIME_IS_MULTIPART(obj)) {
		GMimeMultipart *mp = GMIME_MULTIPART(obj);
		GMimeContentType *ct = g_mime_object_get_content_type(obj);
		const char *rt = ct ? g_mime_content_type_get_parameter(ct, "report-type") : NULL;
		if (ct && g_mime_content_type_is_type(ct, "multipart", "report") && rt &&
		    !strcasecmp(rt, "delivery-status"))
			w->m->report = true;
		int n = g_mime_multipart_get_count(mp);
		for (int i = 0; i < n && !w->m->problem; i++)
			walk(w, g_mime_multipart_get_part(mp, i), depth + 1);
	} else if (GMIME_IS_MESSAGE_PART(obj)) {
		/* A message inside: the one a report returns, or a forward. Its words are not ours.
		 */
		GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
		if (w->m->report && inner && !w->m->dsn_original &&
		    g_mime_message_get_message_id(inner))
			w->m->dsn_original = one_line(g_mime_message_get_message_id(inner));
	} else if (GMIME_IS_PART(obj)) {
		leaf(w, GMIME_PART(obj));
	}
}

/* ---- headers ---------------------------------------------------------------------------- */

static void add_addresses(struct mimein_list *l, InternetAddressList *list, int depth)
{
	int n = list ? internet_address_list_length(list) : 0;

	for (int i = 0; i < n && l->n < 200; i++) {
		InternetAddress *ia = internet_address_list_get_address(list, i);
		if (INTERNET_ADDRESS_IS_MAILBOX(ia)) {
			const char *a =
			    internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia));
			char *safe = one_line(a);
			if (safe && *safe)
				list_add(l, safe);
			free(safe);
		} else if (INTERNET_ADDRESS_IS_GROUP(ia) && depth < 2) {
			add_addresses(
			    l, internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia)),
			    depth + 1);
		}
	}
}

static void header_addresses(struct mimein_list *l, GMimeObject *obj, const char *name)
{
	GMimeHeaderList *hl = g_mime_object_get_header_list(obj);
	int n = g_mime_header_list_get_count(hl);

	for (int i = 0; i < n; i++) {
		GMimeHeader *h = g_mime_header_list_get_header_at(hl, i);
		if (strcasecmp(g_mime_header_get_name(h), name))
			continue;
		InternetAddressList *list =
		    internet_address_list_parse(options, g_mime_header_get_value(h));
		add_addresses(l, list, 0);
		if (list)
			g_object_unref(list);
	}
}

static void references(struct mimein_list *l, const char *value)
{
	GMimeReferences *refs = value ? g_mime_references_parse(options, value) : NULL;
	int n = refs ? g_mime_references_length(refs) : 0;

	for (int i = 0; i < n && l->n < 100; i++) {
		char *id = one_line(g_mime_references_get_message_id(refs, i));
		if (id && *id)
			list_add(l, id);
		free(id);
	}
	if (refs)
		g_mime_references_free(refs);
}

static void read_headers(struct mimein_msg *m, GMimeMessage *msg)
{
	GMimeObject *obj = GMIME_OBJECT(msg);
	InternetAddressList *from = g_mime_message_get_from(msg);
	struct mimein_list irt = {0};

	m->message_id = one_line(g_mime_message_get_message_id(msg));
	references(&irt, g_mime_object_get_header(obj, "In-Reply-To"));
	if (irt.n)
		m->in_reply_to = xstrdup(irt.v[0]);
	list_free(&irt);
	references(&m->references, g_mime_object_get_header(obj, "References"));
	for (int i = 0; from && i < internet_address_list_length(from) && !m->from_addr; i++) {
		InternetAddress *ia = internet_address_list_get_address(from, i);
		if (!INTERNET_ADDRESS_IS_MAILBOX(ia))
			continue;
		m->from_addr =
		    one_line(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia)));
		m->from_name = one_line(internet_address_get_name(ia));
	}
	add_addresses(&m->rcpts, g_mime_message_get_addresses(msg, GMIME_ADDRESS_TYPE_TO), 0);
	add_addresses(&m->rcpts, g_mime_message_get_addresses(msg, GMIME_ADDRESS_TYPE_CC), 0);
	static const char *const delivered[] = {"Delivered-To", "X-Original-To", "Envelope-To",
	                                        "X-Envelope-To"};
	for (size_t i = 0; i < UTIL_NELEM(delivered); i++)
		header_addresses(&m->rcpts, obj, delivered[i]);
	m->subject = one_line(g_mime_message_get_subject(msg));
}

/* Why a message was sent by a machine, or NULL (RFC 3834, and what clients really do). */
static char *automatic(GMimeMessage *msg, const struct mimein_msg *m)
{
	static const char *const ooo[] = {"out of office",   "automatic reply", "auto reply",
	                                  "autoreply",       "auto-reply",      "vang mat",
	                                  "tra loi tu dong", "thu tu dong",     "away from"};
	GMimeObject *obj = GMIME_OBJECT(msg);
	const char *v;
	char buf[300];

	if ((v = g_mime_object_get_header(obj, "Auto-Submitted")) &&
	    strncasecmp(v + strspn(v, " \t"), "no", 2) != 0) {
		snprintf(buf, sizeof(buf), "Auto-Submitted: %.60s", v);
		return one_line(buf);
	}
	if ((v = g_mime_object_get_header(obj, "Precedence"))) {
		const char *p = v + strspn(v, " \t");
		if (!strncasecmp(p, "bulk", 4) || !strncasecmp(p, "junk", 4) ||
		    !strncasecmp(p, "list", 4) || !strncasecmp(p, "auto_reply", 10)) {
			snprintf(buf, sizeof(buf), "Precedence: %.40s", p);
			return one_line(buf);
		}
	}
	static const char *const marks[] = {"List-Id",       "List-Unsubscribe", "X-Autoreply",
	                                    "X-Autorespond", "X-Auto-Reply",     "X-Loop"};
	for (size_t i = 0; i < UTIL_NELEM(marks); i++)
		if (g_mime_object_get_header(obj, marks[i])) {
			snprintf(buf, sizeof(buf), "it carries %s", marks[i]);
			return xstrdup(buf);
		}
	if (m->subject) {
		/* The wording opens the subject ("Automatic reply: …", "Re: Trả lời tự
		 * động"): a reply about a task titled "… tổng đài trả lời tự động …"
		 * carries it further on and is no auto-reply. */
		static const char *const prefixes[] = {
		    "re:", "tl:", "aw:", "sv:", "fw:", "fwd:", "tr:"};
		char fold[300];
		const char *f = fold;
		text_fold(m->subject, strlen(m->subject), fold, NULL, sizeof(fold));
		for (bool more = true; more;) {
			f += strspn(f, " [(");
			more = false;
			for (size_t i = 0; i < UTIL_NELEM(prefixes); i++)
				if (!strncmp(f, prefixes[i], strlen(prefixes[i])))
					f += strlen(prefixes[i]), more = true;
		}
		for (size_t i = 0; i < UTIL_NELEM(ooo); i++)
			if (!strncmp(f, ooo[i], strlen(ooo[i]))) {
				snprintf(buf, sizeof(buf),
				         "out-of-office wording in the subject (\"%s\")", ooo[i]);
				return xstrdup(buf);
			}
	}
	if ((v = g_mime_object_get_header(obj, "Return-Path")) && strstr(v, "<>"))
		return xstrdup("a null sender (Return-Path: <>)");
	return NULL;
}

int mimein_parse(const char *raw, size_t len, const struct mimein_limits *lim,
                 struct mimein_msg *out)
{
	memset(out, 0, sizeof(*out));
	if (len > lim->message) {
		char n[32];
		snprintf(n, sizeof(n), "%.1f MB", len / (double)MB);
		set_problem(out, "the message is %s, over the limit", n);
		return -1;
	}
	pthread_once(&gmime_once, gmime_setup);
	GMimeStream *stream = g_mime_stream_mem_new_with_buffer(raw, len);
	GMimeParser *parser = g_mime_parser_new_with_stream(stream);
	GMimeMessage *msg = g_mime_parser_construct_message(parser, options);
	g_object_unref(parser);
	g_object_unref(stream);
	if (!msg) {
		set_problem(out, "%s", "not a mail message (no headers could be read)");
		return -1;
	}
	read_headers(out, msg);
	out->automatic = automatic(msg, out);
	struct walk w = {lim, out, 0, 0, NULL, NULL};
	GMimeObject *body = g_mime_message_get_mime_part(msg);
	if (body)
		walk(&w, body, 0);
	if (w.plain && *util_trim(w.plain)) {
		out->text = w.plain, w.plain = NULL;
	} else if (w.html) {
		out->text = mimein_html_text(w.html, strlen(w.html));
		out->html = true;
	}
	free(w.plain);
	free(w.html);
	if (!out->text)
		out->text = xstrdup("");
	if (!out->from_addr)
		set_problem(out, "%s", "no sender address (From)");
	g_object_unref(msg);
	return out->problem ? -1 : 0;
}

void mimein_free(struct mimein_msg *m)
{
	free(m->message_id), free(m->in_reply_to), free(m->from_addr), free(m->from_name);
	free(m->subject), free(m->text), free(m->automatic), free(m->dsn), free(m->dsn_original);
	free(m->problem);
	list_free(&m->references);
	list_free(&m->rcpts);
	for (size_t i = 0; i < m->n_atts; i++) {
		free(m->atts[i].filename), free(m->atts[i].content_type);
		free(m->atts[i].data), free(m->atts[i].refused);
	}
	free(m->atts);
	memset(m, 0, sizeof(*m));
}
