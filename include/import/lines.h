/*
 * lines — a text document cut into lines, and the line-level facts every
 * text reader asks: blank, a page's number, a list marker in front. Pure.
 */
#ifndef DEADLINED_IMPORT_LINES_H
#define DEADLINED_IMPORT_LINES_H

#include <stdbool.h>
#include <stddef.h>

struct line {
	const char *s; /* not NUL-terminated; without "\n" or "\r\n" */
	size_t len;
	int no; /* 1-based */
};

struct lines {
	struct line *v;
	size_t n;
};

/* Cuts text (which must outlive the result) at "\n"; a trailing "\r" is dropped. */
void lines_split(const char *text, size_t len, struct lines *out);
void lines_free(struct lines *l);

/* Empty, or only white space and form feeds. */
bool lines_blank(const struct line *l);
/* The line without white space at either end, as a new string. */
char *lines_trimmed(const struct line *l);
/* "12", "- 12 -", "Trang 3", "3/10": a page's number between two parts of a page. */
bool lines_page_number(const struct line *l);

/*
 * The list marker at the start of s (already free of emphasis), as a reader
 * sees it: a number "1.", "1.2.", "1.2", "3)", a letter "a)" "đ)", a roman
 * "II.", a part "A.", an article "Điều 3.", or a bullet "-", "+", "•";
 * a bullet directly before a number or letter is dropped ("- a) x" → "a)").
 * Returns the marker's length in s, 0 when there is none; *text_at is where
 * the text after it starts. Figures and dates are no markers: "300.000 hộ",
 * "2026 - 2030", "12 tháng 3".
 */
size_t lines_marker(const char *s, size_t *marker_at, size_t *text_at);

/* How many letters s has, and whether all of them are capitals ("KẾ HOẠCH"). */
bool lines_all_caps(const char *s, size_t len, size_t *letters);

#endif
