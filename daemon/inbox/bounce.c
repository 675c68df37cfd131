/*
 * bounce — see inbox/bounce.h.
 *
 * A report is groups of header-like fields separated by blank lines: the
 * first about the message, each next one about one recipient. Fields may
 * be folded onto indented lines.
 */
#include "inbox/bounce.h"

#include "text.h"
#include "util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Copies a field value unfolded: runs of white space and controls as one space, trimmed. */
static void value_copy(char *dst, size_t cap, const char *v, size_t n)
{
	char tmp[512];
	size_t k = 0;

	for (size_t i = 0; i < n && k + 1 < sizeof(tmp); i++) {
		bool blank = (unsigned char)v[i] <= 0x20;
		if (!blank)
			tmp[k++] = v[i];
		else if (k && tmp[k - 1] != ' ')
			tmp[k++] = ' ';
	}
	tmp[k] = '\0';
	text_sanitize_line(util_trim(tmp), dst, cap);
}

/* "rfc822; user@host" → user@host, without <> and spaces. */
static void address_of(char *dst, size_t cap, const char *v)
{
	const char *semi = strchr(v, ';');
	const char *a = semi ? semi + 1 : v;

	while (*a == ' ' || *a == '<')
		a++;
	size_t n = strcspn(a, " <>;");
	if (n >= cap)
		n = 0; /* too long to be an address */
	memcpy(dst, a, n);
	dst[n] = '\0';
}

static void status_of(char *dst, size_t cap, const char *v)
{
	size_t n = strspn(v, "0123456789.");

	if (n >= cap)
		n = cap - 1;
	memcpy(dst, v, n);
	dst[n] = '\0';
}

static void field(struct bounce_rcpt *r, const char *name, size_t nlen, const char *v, size_t n)
{
	char value[512];

	value_copy(value, sizeof(value), v, n);
	if (nlen == 15 && !strncasecmp(name, "Final-Recipient", nlen))
		address_of(r->address, sizeof(r->address), value);
	else if (nlen == 18 && !strncasecmp(name, "Original-Recipient", nlen) && !r->address[0])
		address_of(r->address, sizeof(r->address), value);
	else if (nlen == 6 && !strncasecmp(name, "Action", nlen)) {
		size_t k = strcspn(value, " ;(");
		if (k >= sizeof(r->action))
			k = sizeof(r->action) - 1;
		for (size_t i = 0; i < k; i++)
			r->action[i] = (char)tolower((unsigned char)value[i]);
		r->action[k] = '\0';
	} else if (nlen == 6 && !strncasecmp(name, "Status", nlen))
		status_of(r->status, sizeof(r->status), value);
	else if (nlen == 15 && !strncasecmp(name, "Diagnostic-Code", nlen))
		util_strlcpy(r->diagnostic, value, sizeof(r->diagnostic));
}

/* The next field of a group: name and unfolded value span; false at a blank line or the end. */
static bool next_field(const char *text, size_t len, size_t *pos, const char **name, size_t *nlen,
                       const char **v, size_t *vlen)
{
	size_t p = *pos;
	const char *eol = memchr(text + p, '\n', len - p);
	size_t end = eol ? (size_t)(eol - text) : len;

	if (p >= len || end == p || (end == p + 1 && text[p] == '\r'))
		return false;
	const char *colon = memchr(text + p, ':', end - p);
	*name = text + p;
	*nlen = colon ? (size_t)(colon - (text + p)) : 0;
	*v = colon ? colon + 1 : text + end;
	/* Folded lines continue the value. */
	while (end < len && end + 1 < len && (text[end + 1] == ' ' || text[end + 1] == '\t')) {
		eol = memchr(text + end + 1, '\n', len - end - 1);
		end = eol ? (size_t)(eol - text) : len;
	}
	*vlen = (size_t)(text + end - *v);
	*pos = end < len ? end + 1 : len;
	return true;
}

size_t bounce_parse(const char *text, size_t len, struct bounce_rcpt **out)
{
	size_t pos = 0, n = 0;
	bool first = true;

	*out = xcalloc(BOUNCE_MAX_RCPTS, sizeof(**out));
	while (pos < len && n < BOUNCE_MAX_RCPTS) {
		struct bounce_rcpt *r = &(*out)[n];
		const char *name, *v;
		size_t nlen, vlen;
		bool any = false;
		while (next_field(text, len, &pos, &name, &nlen, &v, &vlen)) {
			any = true;
			if (!first)
				field(r, name, nlen, v, vlen);
		}
		/* Skip the blank line(s) between groups. */
		while (pos < len && (text[pos] == '\n' || text[pos] == '\r'))
			pos++;
		if (!any)
			continue;
		if (first) {
			first = false;
			continue;
		}
		if (r->address[0]) {
			r->permanent = !strcmp(r->action, "failed") && r->status[0] != '4';
			n++;
		} else {
			memset(r, 0, sizeof(*r));
		}
	}
	return n;
}
