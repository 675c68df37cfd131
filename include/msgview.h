/*
 * msgview — a stored message as a person reads it: headers unfolded and
 * decoded (RFC 2047), the text and HTML parts found in the MIME tree and
 * decoded (quoted-printable, base64), line ends made LF. Pure.
 *
 * It reads what mime builds, and anything else without harm: an encoding
 * it does not know is shown as written, and control characters (escape
 * sequences) become spaces, so a message cannot drive the terminal.
 */
#ifndef DEADLINED_MSGVIEW_H
#define DEADLINED_MSGVIEW_H

#include <stddef.h>

struct msgview_header {
	char *name;  /* as written */
	char *value; /* unfolded and decoded, one line */
};

struct msgview {
	struct msgview_header *headers; /* the top-level headers, in order */
	size_t n_headers;
	char *text; /* the first text/plain part, decoded; NULL when none */
	char *html; /* the first text/html part, decoded; NULL when none */
};

void msgview_parse(const char *raw, size_t len, struct msgview *out);
void msgview_free(struct msgview *v);
/* The first header of that name (any case), or NULL. */
const char *msgview_header(const struct msgview *v, const char *name);

#endif
