/* json — see json.h. */
#include "json.h"

#include "date.h"

#include <stdio.h>

/* Runs of bytes that need no escape are copied whole: a preview writes
 * hundreds of megabytes of strings. */
void json_string(struct buf *b, const char *s)
{
	if (!s) {
		buf_adds(b, "null");
		return;
	}
	buf_addc(b, '"');
	const unsigned char *p = (const unsigned char *)s, *run = p;
	for (; *p; p++) {
		if (*p >= 0x20 && *p != '"' && *p != '\\' && *p != 0x7F)
			continue;
		buf_add(b, (const char *)run, (size_t)(p - run));
		run = p + 1;
		if (*p == '"' || *p == '\\') {
			buf_addc(b, '\\');
			buf_addc(b, (char)*p);
		} else if (*p == '\n') {
			buf_adds(b, "\\n");
		} else if (*p == '\t') {
			buf_adds(b, "\\t");
		} else {
			buf_printf(b, "\\u%04x", *p);
		}
	}
	buf_add(b, (const char *)run, (size_t)(p - run));
	buf_addc(b, '"');
}

void json_time(struct buf *b, time_t t, int tz_offset)
{
	char iso[40];

	if (t == (time_t)-1) {
		buf_adds(b, "null");
		return;
	}
	json_string(b, date_format_iso(t, tz_offset, iso, sizeof(iso)));
}

void json_key(struct buf *b, const char *key, bool *first)
{
	if (!*first)
		buf_addc(b, ',');
	*first = false;
	json_string(b, key);
	buf_addc(b, ':');
}
