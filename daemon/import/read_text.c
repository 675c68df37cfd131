/* read_text — see import/read_text.h. */
#include "import/read_text.h"

#include "import/lines.h"
#include "import/read_csv.h"
#include "import/read_flat.h"
#include "import/read_grid.h"
#include "import/read_para.h"
#include "util.h"

#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

int read_text_check(const char *data, size_t len, const char **why, int *column)
{
	int line = 1;
	size_t line_start = 0;

	for (size_t i = 0; i < len;) {
		utf8proc_int32_t cp;
		if (data[i] == '\0') {
			*why = "a NUL byte";
			*column = (int)(i - line_start) + 1;
			return line;
		}
		utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)data + i,
		                                      (utf8proc_ssize_t)(len - i), &cp);
		if (n <= 0) {
			*why = "invalid UTF-8";
			*column = (int)(i - line_start) + 1;
			return line;
		}
		if (cp == '\n') {
			line++;
			line_start = i + 1;
		}
		i += (size_t)n;
	}
	return 0;
}

/*
 * A text saved as "Unicode" by Windows tools is UTF-16 with a byte order
 * mark: converted to UTF-8 (glibc's iconv), it is read as any text. NULL
 * when data is no such text; when it is but breaks, *bad_at is the byte
 * where (0 when whole).
 */
static char *from_utf16(const char *data, size_t len, size_t *out_len, long *bad_at)
{
	const char *from = NULL;

	if (len >= 2 && !memcmp(data, "\xFF\xFE", 2))
		from = "UTF-16LE";
	else if (len >= 2 && !memcmp(data, "\xFE\xFF", 2))
		from = "UTF-16BE";
	if (!from)
		return NULL;
	iconv_t cd = iconv_open("UTF-8", from);
	if (cd == (iconv_t)-1)
		return NULL;
	/* Two bytes of UTF-16 are three of UTF-8 at most; the readers want a NUL after. */
	size_t in_left = len - 2, cap = 2 * len + 4, out_left = cap;
	char *buf = xmalloc(cap + 1), *in = (char *)data + 2, *o = buf;
	size_t r = iconv(cd, &in, &in_left, &o, &out_left);
	iconv_close(cd);
	*bad_at = r == (size_t)-1 ? (long)(in - data) : 0;
	*out_len = cap - out_left;
	buf[*out_len] = '\0';
	return buf;
}

int read_text(const char *data, size_t len, struct doc *out)
{
	size_t utf8_len;
	long bad_at = 0;
	char *utf8 = from_utf16(data, len, &utf8_len, &bad_at);

	if (utf8 && bad_at) {
		free(utf8);
		doc_problem(
		    out, (struct doc_pos){0},
		    "a broken UTF-16 character at byte %ld: the file cannot be read as text",
		    bad_at);
		return -1;
	}
	if (utf8) {
		int rc = read_text(utf8, utf8_len, out);
		free(utf8);
		return rc;
	}

	const char *why;
	int column, bad = read_text_check(data, len, &why, &column);
	struct lines l;

	if (bad) {
		doc_problem(out, (struct doc_pos){.line = bad, .end_line = bad},
		            "%s at byte %d of the line: the file is not UTF-8 text (convert it "
		            "first, e.g. with iconv)",
		            why, column);
		return -1;
	}
	/* A byte order mark is not text. */
	if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
		data += 3, len -= 3;
	if (read_csv_detect(data, len))
		return read_csv(data, len, out);
	lines_split(data, len, &l);
	for (size_t i = 0; i < l.n;) {
		if (read_grid_line(&l.v[i])) {
			i = read_grid(&l, i, out);
			continue;
		}
		if (read_flat_line(&l.v[i])) {
			i = read_flat(&l, i, out);
			continue;
		}
		size_t end = i + 1;
		while (end < l.n && !read_grid_line(&l.v[end]) && !read_flat_line(&l.v[end]))
			end++;
		read_paras(&l, i, end, DOC_FORM_TEXT, out);
		i = end;
	}
	lines_free(&l);
	return 0;
}
