/*
 * tmpl — see tmpl.h.
 *
 * A template is compiled once, at startup, into a tree of nodes in which
 * every name has already been checked against the schema. Rendering then
 * has no error path at all: the reminder run only walks the tree and looks
 * names up in the data scopes, so a broken template can never cost us a
 * reminder halfway through a batch. Text between tags is copied out of the
 * source, so callers may free the source as soon as compiling returns.
 */
#include "tmpl.h"

#include "buf.h"
#include "util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Deeper nesting is surely a mistake, and it keeps the recursion bounded. */
#define TMPL_MAX_DEPTH 64
/* Longer names are cut short in messages so the location stays readable. */
#define NAME_SHOWN_MAX 80

enum node_kind { NODE_TEXT, NODE_VAR, NODE_RAW, NODE_SECTION, NODE_INVERTED };

struct node_list {
	struct node *v;
	size_t n, cap;
};

struct node {
	enum node_kind kind;
	char *str; /* literal text, or the name to look up */
	size_t len;
	struct node_list body; /* sections only */
};

struct tmpl {
	struct node_list nodes;
	bool html;
};

enum value_kind { VALUE_TEXT, VALUE_FLAG, VALUE_LIST };

struct value {
	char *name;
	enum value_kind kind;
	char *text;
	bool on;
	struct tmpl_data **elems; /* pointers, so tmpl_add's result stays valid */
	size_t nelems, cap;
};

struct tmpl_data {
	struct value *v;
	size_t n, cap;
};

/* Grows an array so that it holds at least `need` elements of `size`. */
static void *grow(void *array, size_t *cap, size_t need, size_t size)
{
	size_t n = *cap ? *cap : 4;

	if (need <= *cap)
		return array;
	while (n < need)
		n *= 2;
	*cap = n;
	return xrealloc(array, n * size);
}

/* ---- Compiling ---------------------------------------------------------- */

enum tag_kind { TAG_VAR, TAG_RAW, TAG_SECTION, TAG_INVERTED, TAG_CLOSE, TAG_COMMENT };

struct tag {
	enum tag_kind kind;
	const char *name;
	size_t name_len;
	size_t start, end; /* offset of the first '{' and just past the last '}' */
	unsigned line;
};

struct parser {
	const char *src;
	size_t len;
	size_t pos; /* everything before pos has been turned into nodes */
	const char *filename;
	char *err;
	size_t errlen;
	size_t line_off; /* src[line_off] lies on line `line` */
	unsigned line;
};

/* The names visible at a point of the template, innermost first. */
struct schema_scope {
	const struct tmpl_var *vars;
	const struct schema_scope *outer;
};

static int name_width(size_t len)
{
	return len > NAME_SHOWN_MAX ? NAME_SHOWN_MAX : (int)len;
}

static int compile_error(struct parser *p, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Writes "FILENAME:LINE: message" and returns -1 so callers can return it. */
static int compile_error(struct parser *p, unsigned line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!p->err || p->errlen == 0)
		return -1;
	n = snprintf(p->err, p->errlen, "%s:%u: ", p->filename, line);
	if (n < 0 || (size_t)n >= p->errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

/* Offsets only ever move forward, so lines are counted incrementally. */
static unsigned line_at(struct parser *p, size_t off)
{
	while (p->line_off < off) {
		const char *nl = memchr(p->src + p->line_off, '\n', off - p->line_off);

		if (!nl) {
			p->line_off = off;
			break;
		}
		p->line++;
		p->line_off = (size_t)(nl - p->src) + 1;
	}
	return p->line;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_space(char c)
{
	return is_blank(c) || c == '\r' || c == '\n';
}

/* Sets the tag's name to src[from, to) without surrounding white space. */
static void set_name(struct tag *t, const char *src, size_t from, size_t to)
{
	while (from < to && is_space(src[from]))
		from++;
	while (to > from && is_space(src[to - 1]))
		to--;
	t->name = src + from;
	t->name_len = to - from;
}

static int read_raw_tag(struct parser *p, struct tag *t)
{
	size_t inner = t->start + 3;
	const char *close = memmem(p->src + inner, p->len - inner, "}}", 2);

	if (!close || close + 2 >= p->src + p->len || close[2] != '}')
		return compile_error(p, t->line, "'{{{' without '}}}'");
	t->kind = TAG_RAW;
	set_name(t, p->src, inner, (size_t)(close - p->src));
	t->end = (size_t)(close - p->src) + 3;
	if (t->name_len == 0)
		return compile_error(p, t->line, "empty tag name");
	return 0;
}

static enum tag_kind kind_of_sigil(char c)
{
	switch (c) {
	case '#':
		return TAG_SECTION;
	case '^':
		return TAG_INVERTED;
	case '/':
		return TAG_CLOSE;
	case '!':
		return TAG_COMMENT;
	default:
		return TAG_VAR;
	}
}

/* Reads the tag whose "{{" is at `start`. */
static int read_tag(struct parser *p, size_t start, struct tag *t)
{
	size_t inner = start + 2;
	const char *close;

	t->start = start;
	t->line = line_at(p, start);
	if (inner < p->len && p->src[inner] == '{')
		return read_raw_tag(p, t);
	close = memmem(p->src + inner, p->len - inner, "}}", 2);
	if (!close)
		return compile_error(p, t->line, "'{{' without '}}'");
	t->kind = kind_of_sigil(p->src[inner]);
	if (t->kind != TAG_VAR)
		inner++;
	set_name(t, p->src, inner, (size_t)(close - p->src));
	t->end = (size_t)(close - p->src) + 2;
	if (t->name_len == 0 && t->kind != TAG_COMMENT)
		return compile_error(p, t->line, "empty tag name");
	return 0;
}

/*
 * The Mustache standalone rule: a section, inverted, closing or comment tag
 * alone on its line (white space aside) takes the whole line with it,
 * ending included. Otherwise the template could not be laid out one tag per
 * line without the mail filling up with blank lines.
 */
static void strip_standalone(const struct parser *p, const struct tag *t, size_t *text_end,
                             size_t *next)
{
	const char *s = p->src;
	size_t from = t->start, to = t->end;

	if (t->kind == TAG_VAR || t->kind == TAG_RAW)
		return;
	while (from > p->pos && is_blank(s[from - 1]))
		from--;
	if (from > 0 && s[from - 1] != '\n')
		return;
	while (to < p->len && is_blank(s[to]))
		to++;
	if (to < p->len && s[to] == '\n')
		to++;
	else if (to + 1 < p->len && s[to] == '\r' && s[to + 1] == '\n')
		to += 2;
	else if (to < p->len)
		return;
	*text_end = from;
	*next = to;
}

static struct node *node_append(struct node_list *l, enum node_kind kind, const char *s, size_t len)
{
	struct node *n;

	l->v = grow(l->v, &l->cap, l->n + 1, sizeof(*l->v));
	n = &l->v[l->n++];
	memset(n, 0, sizeof(*n));
	n->kind = kind;
	n->str = xstrndup(s, len);
	n->len = len;
	return n;
}

static void add_text(struct node_list *l, const char *s, size_t len)
{
	if (len > 0)
		node_append(l, NODE_TEXT, s, len);
}

static const struct tmpl_var *schema_find(const struct schema_scope *scope, const struct tag *t)
{
	for (; scope; scope = scope->outer) {
		const struct tmpl_var *v = scope->vars;

		for (; v && v->name; v++)
			if (strlen(v->name) == t->name_len &&
			    memcmp(v->name, t->name, t->name_len) == 0)
				return v;
	}
	return NULL;
}

static const struct tmpl_var *known_var(struct parser *p, const struct schema_scope *scope,
                                        const struct tag *t)
{
	const struct tmpl_var *var = schema_find(scope, t);

	if (!var)
		compile_error(p, t->line, "unknown variable '%.*s'", name_width(t->name_len),
		              t->name);
	return var;
}

static int compile_var(struct parser *p, const struct schema_scope *scope, const struct tag *t,
                       struct node_list *out)
{
	const struct tmpl_var *var = known_var(p, scope, t);
	int w = name_width(t->name_len);

	if (!var)
		return -1;
	/* A list or flag has no text of its own; printing one is always a slip. */
	if (var->type == TMPL_LIST)
		return compile_error(p, t->line, "'%.*s' is a list and can only be a section", w,
		                     t->name);
	if (var->type == TMPL_FLAG)
		return compile_error(p, t->line, "'%.*s' is a flag and can only be a section", w,
		                     t->name);
	node_append(out, t->kind == TAG_RAW ? NODE_RAW : NODE_VAR, t->name, t->name_len);
	return 0;
}

static int parse_block(struct parser *p, const struct schema_scope *scope, struct node_list *out,
                       const struct tag *open, int depth);

static int compile_section(struct parser *p, const struct schema_scope *scope, const struct tag *t,
                           struct node_list *out, int depth)
{
	const struct tmpl_var *var = known_var(p, scope, t);
	struct schema_scope element = {NULL, scope};
	struct node *n;

	if (!var)
		return -1;
	if (depth >= TMPL_MAX_DEPTH)
		return compile_error(p, t->line, "sections nested more than %d deep",
		                     TMPL_MAX_DEPTH);
	n = node_append(out, t->kind == TAG_SECTION ? NODE_SECTION : NODE_INVERTED, t->name,
	                t->name_len);
	/* Only a list that is iterated has an element whose fields are visible. */
	if (t->kind == TAG_SECTION && var->type == TMPL_LIST) {
		element.vars = var->fields;
		scope = &element;
	}
	return parse_block(p, scope, &n->body, t, depth + 1);
}

static int close_block(struct parser *p, const struct tag *open, const struct tag *close)
{
	int w = name_width(close->name_len);

	if (!open)
		return compile_error(p, close->line, "'{{/%.*s}}' closes nothing", w, close->name);
	if (open->name_len != close->name_len ||
	    memcmp(open->name, close->name, close->name_len) != 0)
		return compile_error(p, close->line, "'{{/%.*s}}' closes '%.*s'", w, close->name,
		                     name_width(open->name_len), open->name);
	return 0;
}

/* Parses up to the tag closing `open`, or to the end when open is NULL. */
static int parse_block(struct parser *p, const struct schema_scope *scope, struct node_list *out,
                       const struct tag *open, int depth)
{
	struct tag t;
	int rc = 0;

	while (rc == 0) {
		const char *brace = memmem(p->src + p->pos, p->len - p->pos, "{{", 2);
		size_t text_end, next;

		if (!brace)
			break;
		if (read_tag(p, (size_t)(brace - p->src), &t) < 0)
			return -1;
		text_end = t.start;
		next = t.end;
		strip_standalone(p, &t, &text_end, &next);
		add_text(out, p->src + p->pos, text_end - p->pos);
		p->pos = next;
		if (t.kind == TAG_CLOSE)
			return close_block(p, open, &t);
		if (t.kind == TAG_VAR || t.kind == TAG_RAW)
			rc = compile_var(p, scope, &t, out);
		else if (t.kind != TAG_COMMENT)
			rc = compile_section(p, scope, &t, out, depth);
	}
	if (rc < 0)
		return -1;
	add_text(out, p->src + p->pos, p->len - p->pos);
	p->pos = p->len;
	if (open)
		return compile_error(p, open->line, "'%.*s' is not closed",
		                     name_width(open->name_len), open->name);
	return 0;
}

static void free_nodes(struct node_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].str);
		free_nodes(&l->v[i].body);
	}
	free(l->v);
}

struct tmpl *tmpl_compile(const char *text, size_t len, const char *filename, bool html,
                          const struct tmpl_var *schema, char *err, size_t errlen)
{
	struct parser p = {
	    .src = text ? text : "",
	    .len = text ? len : 0,
	    .filename = filename ? filename : "template",
	    .err = err,
	    .errlen = errlen,
	    .line = 1,
	};
	struct schema_scope top = {schema, NULL};
	struct tmpl *t = xcalloc(1, sizeof(*t));

	t->html = html;
	if (parse_block(&p, &top, &t->nodes, NULL, 0) < 0) {
		tmpl_free(t);
		return NULL;
	}
	return t;
}

struct tmpl *tmpl_load(const char *path, bool html, const struct tmpl_var *schema, char *err,
                       size_t errlen)
{
	size_t len;
	char *text = util_read_file(path, &len);
	struct tmpl *t;

	if (!text) {
		if (err && errlen)
			snprintf(err, errlen, "%s:0: cannot read: %s", path, strerror(errno));
		return NULL;
	}
	t = tmpl_compile(text, len, path, html, schema, err, errlen);
	free(text);
	return t;
}

void tmpl_free(struct tmpl *t)
{
	if (!t)
		return;
	free_nodes(&t->nodes);
	free(t);
}

/* ---- Data --------------------------------------------------------------- */

struct tmpl_data *tmpl_data_new(void)
{
	return xcalloc(1, sizeof(struct tmpl_data));
}

static void value_clear(struct value *v)
{
	free(v->text);
	v->text = NULL;
	v->on = false;
	for (size_t i = 0; i < v->nelems; i++)
		tmpl_data_free(v->elems[i]);
	free(v->elems);
	v->elems = NULL;
	v->nelems = v->cap = 0;
}

void tmpl_data_free(struct tmpl_data *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++) {
		value_clear(&d->v[i]);
		free(d->v[i].name);
	}
	free(d->v);
	free(d);
}

static struct value *value_find(const struct tmpl_data *d, const char *name)
{
	for (size_t i = 0; d && i < d->n; i++)
		if (strcmp(d->v[i].name, name) == 0)
			return &d->v[i];
	return NULL;
}

/* The value called `name`, created if new and emptied if of another kind. */
static struct value *value_get(struct tmpl_data *d, const char *name, enum value_kind kind)
{
	struct value *v = value_find(d, name);

	if (v) {
		if (v->kind != kind)
			value_clear(v);
		v->kind = kind;
		return v;
	}
	d->v = grow(d->v, &d->cap, d->n + 1, sizeof(*d->v));
	v = &d->v[d->n++];
	memset(v, 0, sizeof(*v));
	v->name = xstrdup(name);
	v->kind = kind;
	return v;
}

void tmpl_set(struct tmpl_data *d, const char *name, const char *value)
{
	struct value *v = value_get(d, name, VALUE_TEXT);

	free(v->text);
	v->text = xstrdup(value ? value : "");
}

void tmpl_setf(struct tmpl_data *d, const char *name, const char *fmt, ...)
{
	va_list ap;
	char *text;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	/* Only an invalid conversion fails; an empty value beats a crash. */
	if (n < 0) {
		tmpl_set(d, name, "");
		return;
	}
	text = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(text, (size_t)n + 1, fmt, ap);
	va_end(ap);
	tmpl_set(d, name, text);
	free(text);
}

void tmpl_set_flag(struct tmpl_data *d, const char *name, bool on)
{
	value_get(d, name, VALUE_FLAG)->on = on;
}

struct tmpl_data *tmpl_add(struct tmpl_data *d, const char *name)
{
	struct value *v = value_get(d, name, VALUE_LIST);

	v->elems = grow(v->elems, &v->cap, v->nelems + 1, sizeof(*v->elems));
	v->elems[v->nelems] = tmpl_data_new();
	return v->elems[v->nelems++];
}

/* ---- Rendering ---------------------------------------------------------- */

/* The data scopes in force, innermost list element first. */
struct scope {
	const struct tmpl_data *data;
	const struct scope *outer;
};

static const struct value *lookup(const struct scope *s, const char *name)
{
	for (; s; s = s->outer) {
		const struct value *v = value_find(s->data, name);

		if (v)
			return v;
	}
	return NULL;
}

static bool truthy(const struct value *v)
{
	if (!v)
		return false;
	switch (v->kind) {
	case VALUE_TEXT:
		return v->text[0] != '\0';
	case VALUE_FLAG:
		return v->on;
	case VALUE_LIST:
		return v->nelems > 0;
	}
	return false;
}

static const char *html_entity(char c)
{
	switch (c) {
	case '&':
		return "&amp;";
	case '<':
		return "&lt;";
	case '>':
		return "&gt;";
	case '"':
		return "&quot;";
	case '\'':
		return "&#39;";
	default:
		return NULL;
	}
}

static void add_escaped(struct buf *out, const char *s)
{
	const char *run = s;

	for (; *s; s++) {
		const char *entity = html_entity(*s);

		if (!entity)
			continue;
		buf_add(out, run, (size_t)(s - run));
		buf_adds(out, entity);
		run = s + 1;
	}
	buf_add(out, run, (size_t)(s - run));
}

static void render_nodes(const struct node_list *l, const struct scope *s, bool html,
                         struct buf *out);

static void render_section(const struct node *n, const struct scope *s, bool html, struct buf *out)
{
	const struct value *v = lookup(s, n->str);

	if (n->kind == NODE_INVERTED) {
		if (!truthy(v))
			render_nodes(&n->body, s, html, out);
		return;
	}
	if (v && v->kind == VALUE_LIST) {
		for (size_t i = 0; i < v->nelems; i++) {
			struct scope element = {v->elems[i], s};

			render_nodes(&n->body, &element, html, out);
		}
	} else if (truthy(v)) {
		render_nodes(&n->body, s, html, out);
	}
}

static void render_value(const struct node *n, const struct scope *s, bool html, struct buf *out)
{
	const struct value *v = lookup(s, n->str);

	if (!v || v->kind != VALUE_TEXT)
		return;
	if (html && n->kind == NODE_VAR)
		add_escaped(out, v->text);
	else
		buf_adds(out, v->text);
}

static void render_nodes(const struct node_list *l, const struct scope *s, bool html,
                         struct buf *out)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct node *n = &l->v[i];

		switch (n->kind) {
		case NODE_TEXT:
			buf_add(out, n->str, n->len);
			break;
		case NODE_VAR:
		case NODE_RAW:
			render_value(n, s, html, out);
			break;
		case NODE_SECTION:
		case NODE_INVERTED:
			render_section(n, s, html, out);
			break;
		}
	}
}

void tmpl_render(const struct tmpl *t, const struct tmpl_data *d, struct buf *out)
{
	struct scope top = {d, NULL};

	render_nodes(&t->nodes, &top, t->html, out);
}

/* ---- Documentation ------------------------------------------------------ */

static const char *type_name(enum tmpl_type type)
{
	switch (type) {
	case TMPL_TEXT:
		return "text";
	case TMPL_FLAG:
		return "flag";
	case TMPL_LIST:
		return "list";
	}
	return "?";
}

static void describe_level(const struct tmpl_var *vars, int indent, struct buf *out)
{
	for (; vars && vars->name; vars++) {
		buf_printf(out, "%*s- `%s` (%s)", indent, "", vars->name, type_name(vars->type));
		if (vars->doc && vars->doc[0])
			buf_printf(out, ": %s", vars->doc);
		buf_addc(out, '\n');
		/* Markdown nests a list under an item indented to its text. */
		if (vars->type == TMPL_LIST)
			describe_level(vars->fields, indent + 2, out);
	}
}

void tmpl_describe(const struct tmpl_var *schema, struct buf *out)
{
	describe_level(schema, 0, out);
}
