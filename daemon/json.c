/* json — see json.h. */
#include "json.h"

#include "date.h"

#include <stdio.h>

void json_string(struct buf *b, const char *s)
{
	if (!s) {
		buf_adds(b, "null");
		return;
	}
	buf_addc(b, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\') {
			buf_addc(b, '\\');
			buf_addc(b, (char)*p);
		} else if (*p == '\n') {
			buf_adds(b, "\\n");
		} else if (*p == '\t') {
			buf_adds(b, "\\t");
		} else if (*p < 0x20 || *p == 0x7F) {
			buf_printf(b, "\\u%04x", *p);
		} else {
			buf_addc(b, (char)*p);
		}
	}
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
