/*
 * tmpl — the mail templates admins edit: a small Mustache subset, checked
 * against a schema when loaded so a typo fails at startup, not at 08:00 on
 * the day a reminder is due.
 *
 *   {{name}}            the value, HTML-escaped in an HTML template
 *   {{{name}}}          the value as is
 *   {{#name}}…{{/name}} a list: once per element; a flag: when true;
 *                       a text: when not empty
 *   {{^name}}…{{/name}} when the list is empty, the flag false, the text empty
 *   {{! comment }}
 * A line holding only a section, inverted, closing or comment tag (and
 * white space) disappears with its newline, so templates can be laid out
 * readably. Names are looked up in the innermost list element first, then
 * outwards.
 */
#ifndef DEADLINED_TMPL_H
#define DEADLINED_TMPL_H

#include "buf.h"

#include <stdbool.h>
#include <stddef.h>

enum tmpl_type { TMPL_TEXT, TMPL_FLAG, TMPL_LIST };

/* A schema: an array of variables ended by an entry with name NULL. */
struct tmpl_var {
	const char *name;
	enum tmpl_type type;
	const struct tmpl_var *fields; /* TMPL_LIST: the element's variables */
	const char *doc;               /* one line, for the documentation */
};

struct tmpl;
struct tmpl_data;

/*
 * Compiles a template. On error returns NULL and writes
 * "FILENAME:LINE: message" (e.g. "unknown variable 'titel'",
 * "'items' is not closed", "'{{/x}}' closes 'y'") into err.
 */
struct tmpl *tmpl_compile(const char *text, size_t len, const char *filename, bool html,
                          const struct tmpl_var *schema, char *err, size_t errlen);
/* Reads and compiles a file; a read error is reported the same way. */
struct tmpl *tmpl_load(const char *path, bool html, const struct tmpl_var *schema, char *err,
                       size_t errlen);
void tmpl_free(struct tmpl *t);

/* The values to render: a tree of scopes. Values are copied. */
struct tmpl_data *tmpl_data_new(void);
void tmpl_data_free(struct tmpl_data *d);
void tmpl_set(struct tmpl_data *d, const char *name, const char *value);
void tmpl_setf(struct tmpl_data *d, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void tmpl_set_flag(struct tmpl_data *d, const char *name, bool on);
/* Appends an element to list `name` and returns its scope (owned by d). */
struct tmpl_data *tmpl_add(struct tmpl_data *d, const char *name);

/* Appends the rendering to out. Unset values render as empty. */
void tmpl_render(const struct tmpl *t, const struct tmpl_data *d, struct buf *out);

/* Appends a Markdown description of a schema (for the template docs). */
void tmpl_describe(const struct tmpl_var *schema, struct buf *out);

#endif
