/*
 * read_docx — see import/read_docx.h.
 *
 * Three layers, each failing with a problem that names the part:
 *  1. the zip (libzip): members unpacked against one byte budget;
 *  2. styles.xml and numbering.xml (libxml2 trees: they are small) into
 *     tables of what each style and list level says;
 *  3. document.xml, streamed with libxml2's reader (memory stays that of
 *     the model, whatever the size of the XML): a stack of the open
 *     elements gives each one its context, a stack of open paragraphs and
 *     one of open tables collect the text.
 */
#include "import/read_docx.h"

#include "buf.h"
#include "import/lines.h"
#include "text.h"
#include "util.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlreader.h>
#include <zip.h>

#include <limits.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NS_W        "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define NS_W_STRICT "http://purl.oclc.org/ooxml/wordprocessingml/main"
#define NS_MC       "http://schemas.openxmlformats.org/markup-compatibility/2006"

#define LEVELS      9   /* list levels Word knows */
#define MAX_DEPTH   256 /* open elements (libxml2 refuses deeper without XML_PARSE_HUGE) */
#define MAX_ID      64  /* style ids kept; longer ones are cut (they only have to match) */
#define STYLE_CHAIN 16  /* basedOn links followed, so a cycle ends */

/* Past 8 MB, a member that unpacks more than 200 times its packed size is
 * refused: Word's XML packs about 10:1, a zip bomb 1000:1. */
#define BOMB_MIN_BYTES (8u << 20)
#define BOMB_RATIO     200

/* libxml2 reads no network, loads no DTD, substitutes no entity, and keeps
 * its limits on names, text nodes and depth (no XML_PARSE_HUGE). */
#define XML_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)

/* ---- the zip ---------------------------------------------------------------------------- */

struct unzip {
	zip_t *za;
	size_t budget; /* bytes that may still be unpacked */
	struct doc *out;
};

static const struct doc_pos nowhere;

/*
 * The member called name, unpacked and NUL-terminated, or NULL: absent
 * (*failed stays false) or refused (*failed, with a problem). Sizes in the
 * archive's directory may lie, so the budget holds for the bytes read.
 */
static char *unzip_member(struct unzip *u, const char *name, size_t *len, bool *failed)
{
	zip_stat_t st;
	zip_int64_t i = zip_name_locate(u->za, name, 0);

	if (i < 0)
		i = zip_name_locate(u->za, name, ZIP_FL_NOCASE);
	if (i < 0)
		return NULL;
	*failed = true;
	if (zip_stat_index(u->za, (zip_uint64_t)i, 0, &st) < 0) {
		doc_problem(u->out, nowhere, "%s: %s", name, zip_strerror(u->za));
		return NULL;
	}
	if ((st.valid & ZIP_STAT_SIZE) && st.size > u->budget) {
		doc_problem(u->out, nowhere,
		            "%s unpacks to %llu bytes, more than the %u MB a document may hold "
		            "(a zip bomb?)",
		            name, (unsigned long long)st.size, DOCX_MAX_BYTES >> 20);
		return NULL;
	}
	if ((st.valid & ZIP_STAT_SIZE) && (st.valid & ZIP_STAT_COMP_SIZE) &&
	    st.size > BOMB_MIN_BYTES && st.size / (st.comp_size ? st.comp_size : 1) > BOMB_RATIO) {
		doc_problem(
		    u->out, nowhere,
		    "%s unpacks %llu bytes from %llu, a ratio no document has (a zip bomb?)", name,
		    (unsigned long long)st.size, (unsigned long long)st.comp_size);
		return NULL;
	}
	zip_file_t *f = zip_fopen_index(u->za, (zip_uint64_t)i, 0);
	if (!f) {
		doc_problem(u->out, nowhere, "%s cannot be unpacked: %s", name,
		            zip_strerror(u->za));
		return NULL;
	}
	size_t cap = (st.valid & ZIP_STAT_SIZE) ? (size_t)st.size + 1 : 1 << 16;
	char *data = xmalloc(cap);
	size_t n = 0;
	for (;;) {
		if (n == cap - 1) {
			if (n >= u->budget)
				break;
			cap *= 2;
			data = xrealloc(data, cap);
		}
		zip_int64_t got = zip_fread(f, data + n, cap - 1 - n);
		if (got < 0) {
			doc_problem(u->out, nowhere, "%s is damaged: %s", name,
			            zip_file_strerror(f));
			goto fail;
		}
		if (got == 0)
			break;
		n += (size_t)got;
		if (n > u->budget) {
			doc_problem(u->out, nowhere,
			            "%s unpacks to more than the %u MB a document may hold "
			            "(a zip bomb?)",
			            name, DOCX_MAX_BYTES >> 20);
			goto fail;
		}
	}
	zip_fclose(f);
	u->budget -= n;
	data[n] = '\0';
	*len = n;
	*failed = false;
	return data;
fail:
	zip_fclose(f);
	free(data);
	return NULL;
}

/* ---- XML helpers ------------------------------------------------------------------------ */

static bool is_w(const xmlChar *ns)
{
	return ns && (xmlStrEqual(ns, BAD_CAST NS_W) || xmlStrEqual(ns, BAD_CAST NS_W_STRICT));
}

/*
 * Refuses what must not reach libxml2: a DTD (entity declarations: the
 * "billion laughs"), and an encoding that would hide one from this look
 * (UTF-16, EBCDIC). Word writes UTF-8 with no DOCTYPE.
 */
static int check_prolog(const char *name, const char *x, size_t len, struct doc *out)
{
	size_t i = 0;

	if (len >= 3 && memcmp(x, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	for (;;) {
		while (i < len && (x[i] == ' ' || x[i] == '\t' || x[i] == '\r' || x[i] == '\n'))
			i++;
		if (i >= len || x[i] != '<') {
			doc_problem(out, nowhere, "%s is not an XML document in UTF-8", name);
			return -1;
		}
		const char *rest = x + i;
		size_t left = len - i;
		const char *end, *close;
		if (left >= 2 && rest[1] == '?')
			close = "?>";
		else if (left >= 4 && memcmp(rest, "<!--", 4) == 0)
			close = "-->";
		else if (left >= 2 && rest[1] == '!') {
			doc_problem(
			    out, nowhere,
			    "%s declares a DTD (<!DOCTYPE>), which Word never writes: refused "
			    "(entity expansion)",
			    name);
			return -1;
		} else {
			return 0; /* the root element */
		}
		end = memmem(rest, left, close, strlen(close));
		if (!end)
			return 0; /* libxml2 reports the unclosed declaration */
		i = (size_t)(end - x) + strlen(close);
	}
}

static void xml_problem(struct doc *out, const char *name, int line, const char *message)
{
	char msg[160];

	/* libxml2 quotes the input it choked on: bytes that may not be UTF-8 */
	text_sanitize_line(message ? message : "not well-formed XML", msg, sizeof(msg));
	doc_tidy(msg, false);
	if (line > 0)
		doc_problem(out, nowhere, "%s line %d: %s", name, line, msg);
	else
		doc_problem(out, nowhere, "%s: %s", name, msg);
}

/* A small part (styles, numbering) as a tree, or NULL with a problem. */
static xmlDoc *parse_part(const char *name, const char *x, size_t len, struct doc *out)
{
	if (check_prolog(name, x, len, out) < 0)
		return NULL;
	if (len > INT_MAX) {
		doc_problem(out, nowhere, "%s is too big", name);
		return NULL;
	}
	xmlParserCtxt *ctxt = xmlNewParserCtxt();
	if (!ctxt) {
		doc_problem(out, nowhere, "%s: out of memory", name);
		return NULL;
	}
	xmlDoc *d = xmlCtxtReadMemory(ctxt, x, (int)len, name, NULL, XML_OPTIONS);
	if (!d || !ctxt->wellFormed) {
		xml_problem(out, name, ctxt->lastError.line, ctxt->lastError.message);
		xmlFreeDoc(d);
		d = NULL;
	} else if (d->intSubset) {
		doc_problem(out, nowhere, "%s declares a DTD, which Word never writes: refused",
		            name);
		xmlFreeDoc(d);
		d = NULL;
	}
	xmlFreeParserCtxt(ctxt);
	return d;
}

/* The w:NAME attribute of a node (xmlFree it), or NULL. */
static xmlChar *node_attr(const xmlNode *n, const char *name)
{
	xmlChar *v = xmlGetNsProp(n, BAD_CAST name, n->ns ? n->ns->href : NULL);
	return v ? v : xmlGetNoNsProp(n, BAD_CAST name);
}

static bool node_is(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && is_w(n->ns ? n->ns->href : NULL) &&
	       xmlStrEqual(n->name, BAD_CAST name);
}

static const xmlNode *child(const xmlNode *n, const char *name)
{
	for (const xmlNode *c = n ? n->children : NULL; c; c = c->next)
		if (node_is(c, name))
			return c;
	return NULL;
}

/* A toggle (w:b, w:tblHeader …): on when present without a value or with a true one. */
static bool toggle_on(const char *v)
{
	return !v || !(strcmp(v, "0") == 0 || strcmp(v, "false") == 0 || strcmp(v, "off") == 0 ||
	               strcmp(v, "none") == 0);
}

static int int_value(const char *v, int lo, int hi, int dflt)
{
	char *end;
	long n;

	if (!v)
		return dflt;
	n = strtol(v, &end, 10);
	if (end == v)
		return dflt;
	return n < lo ? lo : n > hi ? hi : (int)n;
}

/* The w:val of child name of n: -1 absent, else toggle_on. */
static int child_toggle(const xmlNode *n, const char *name)
{
	const xmlNode *c = child(n, name);
	if (!c)
		return -1;
	xmlChar *v = node_attr(c, "val");
	int on = toggle_on((const char *)v);
	xmlFree(v);
	return on;
}

static int child_int(const xmlNode *n, const char *name, int lo, int hi, int dflt)
{
	const xmlNode *c = child(n, name);
	if (!c)
		return dflt;
	xmlChar *v = node_attr(c, "val");
	int r = int_value((const char *)v, lo, hi, dflt);
	xmlFree(v);
	return r;
}

static void child_str(const xmlNode *n, const char *name, char *dst, size_t cap)
{
	const xmlNode *c = child(n, name);
	xmlChar *v = c ? node_attr(c, "val") : NULL;
	util_strlcpy(dst, v ? (const char *)v : "", cap);
	xmlFree(v);
}

/* An array of n elements of size bytes, with room for one more. */
static void *grow(void *v, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return v;
	*cap = *cap ? *cap * 2 : 16;
	return xrealloc(v, *cap * size);
}

/* ---- styles ----------------------------------------------------------------------------- */

enum style_type { STYLE_PARAGRAPH, STYLE_CHARACTER, STYLE_OTHER };

struct style {
	char id[MAX_ID], based_on[MAX_ID];
	enum style_type type;
	bool is_default;
	int bold, italic; /* -1 when the style does not say */
	int num_id, ilvl; /* -1 when the style does not say */
	int outline;      /* heading level 1-9, 0 none, -1 unsaid */
};

struct styles {
	struct style *v; /* sorted by id */
	size_t n;
	int default_bold, default_italic; /* docDefaults */
	const struct style *default_para;
};

static int style_cmp(const void *a, const void *b)
{
	return strcmp(((const struct style *)a)->id, ((const struct style *)b)->id);
}

static const struct style *style_find(const struct styles *s, const char *id)
{
	struct style key;

	if (!id || !*id || !s->n)
		return NULL;
	util_strlcpy(key.id, id, sizeof(key.id));
	return bsearch(&key, s->v, s->n, sizeof(*s->v), style_cmp);
}

/* "heading 1" … "heading 9" is Word's built-in name whatever the UI language. */
static int heading_by_name(const xmlNode *st)
{
	char name[MAX_ID];

	child_str(st, "name", name, sizeof(name));
	if (strncasecmp(name, "heading ", 8) == 0 && name[8] >= '1' && name[8] <= '9' && !name[9])
		return name[8] - '0';
	return -1;
}

static void read_style(struct style *s, const xmlNode *n)
{
	xmlChar *v = node_attr(n, "type");
	const xmlNode *ppr = child(n, "pPr"), *rpr = child(n, "rPr"), *numpr = child(ppr, "numPr");

	memset(s, 0, sizeof(*s));
	s->type = !v                                     ? STYLE_OTHER
	          : xmlStrEqual(v, BAD_CAST "paragraph") ? STYLE_PARAGRAPH
	          : xmlStrEqual(v, BAD_CAST "character") ? STYLE_CHARACTER
	                                                 : STYLE_OTHER;
	xmlFree(v);
	v = node_attr(n, "styleId");
	util_strlcpy(s->id, v ? (const char *)v : "", sizeof(s->id));
	xmlFree(v);
	v = node_attr(n, "default");
	s->is_default = v && toggle_on((const char *)v);
	xmlFree(v);
	child_str(n, "basedOn", s->based_on, sizeof(s->based_on));
	s->bold = child_toggle(rpr, "b");
	s->italic = child_toggle(rpr, "i");
	s->num_id = numpr ? child_int(numpr, "numId", 0, INT_MAX, -1) : -1;
	s->ilvl = numpr ? child_int(numpr, "ilvl", 0, LEVELS - 1, -1) : -1;
	int outline = child_int(ppr, "outlineLvl", 0, 9, -1);
	s->outline = outline >= 0 ? (outline < 9 ? outline + 1 : 0) : heading_by_name(n);
}

static int styles_load(struct styles *s, const char *x, size_t len, struct doc *out)
{
	xmlDoc *d = parse_part("word/styles.xml", x, len, out);
	const xmlNode *root = d ? xmlDocGetRootElement(d) : NULL;
	size_t cap = 0;

	if (!d)
		return -1;
	const xmlNode *rpr = child(child(child(root, "docDefaults"), "rPrDefault"), "rPr");
	s->default_bold = child_toggle(rpr, "b") == 1;
	s->default_italic = child_toggle(rpr, "i") == 1;
	for (const xmlNode *n = root ? root->children : NULL; n; n = n->next) {
		if (!node_is(n, "style"))
			continue;
		s->v = grow(s->v, &cap, s->n, sizeof(*s->v));
		read_style(&s->v[s->n++], n);
	}
	xmlFreeDoc(d);
	if (s->n)
		qsort(s->v, s->n, sizeof(*s->v), style_cmp);
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].type == STYLE_PARAGRAPH && s->v[i].is_default)
			s->default_para = &s->v[i];
	return 0;
}

/* What style st says of a field (an int member), through its basedOn chain. */
static int style_get(const struct styles *s, const struct style *st, size_t field)
{
	for (int hops = 0; st && hops < STYLE_CHAIN; hops++) {
		int v = *(const int *)((const char *)st + field);
		if (v >= 0)
			return v;
		st = style_find(s, st->based_on);
	}
	return -1;
}
#define STYLE_GET(s, st, member) style_get((s), (st), offsetof(struct style, member))

/* ---- numbering -------------------------------------------------------------------------- */

struct numlvl {
	int start;
	int restart; /* w:lvlRestart: restart after this level (1-based); 0 never; -1 default */
	bool legal;  /* w:isLgl: higher levels shown as decimals */
	char fmt[24], text[48];
};

struct absnum {
	int id;
	char style_link[MAX_ID]; /* w:numStyleLink: the levels are another list's */
	struct numlvl lvl[LEVELS];
	int count[LEVELS];
	bool used[LEVELS];
};

struct numinst {
	int id, abs_id;
	size_t abs; /* index in numbering.abs, SIZE_MAX when unknown */
	bool has_start[LEVELS], applied[LEVELS], has_lvl[LEVELS];
	int start[LEVELS];
	struct numlvl lvl[LEVELS];
};

struct numbering {
	struct absnum *abs;
	size_t n_abs;
	struct numinst *nums; /* sorted by id */
	size_t n_nums;
};

static void read_lvl(struct numlvl *l, const xmlNode *n)
{
	l->start = child_int(n, "start", INT_MIN / 2, INT_MAX / 2, l->start);
	l->restart = child_int(n, "lvlRestart", 0, LEVELS, l->restart);
	int legal = child_toggle(n, "isLgl");
	if (legal >= 0)
		l->legal = legal;
	if (child(n, "numFmt"))
		child_str(n, "numFmt", l->fmt, sizeof(l->fmt));
	if (child(n, "lvlText"))
		child_str(n, "lvlText", l->text, sizeof(l->text));
}

static void read_levels(struct numlvl *lvl, bool *present, const xmlNode *n)
{
	for (const xmlNode *c = n->children; c; c = c->next) {
		if (!node_is(c, "lvl"))
			continue;
		xmlChar *v = node_attr(c, "ilvl");
		int i = int_value((const char *)v, -1, LEVELS, -1);
		xmlFree(v);
		if (i < 0 || i >= LEVELS)
			continue;
		read_lvl(&lvl[i], c);
		if (present)
			present[i] = true;
	}
}

static int num_cmp(const void *a, const void *b)
{
	int x = ((const struct numinst *)a)->id, y = ((const struct numinst *)b)->id;
	return (x > y) - (x < y);
}

static struct numinst *num_find(const struct numbering *nb, int id)
{
	struct numinst key = {.id = id};
	return nb->n_nums ? bsearch(&key, nb->nums, nb->n_nums, sizeof(key), num_cmp) : NULL;
}

static size_t abs_index(const struct numbering *nb, int id)
{
	for (size_t i = 0; i < nb->n_abs; i++)
		if (nb->abs[i].id == id)
			return i;
	return SIZE_MAX;
}

static void read_num(struct numinst *m, const xmlNode *n)
{
	xmlChar *v = node_attr(n, "numId");

	memset(m, 0, sizeof(*m));
	m->id = int_value((const char *)v, 0, INT_MAX, 0);
	xmlFree(v);
	m->abs_id = child_int(n, "abstractNumId", 0, INT_MAX, -1);
	for (const xmlNode *c = n->children; c; c = c->next) {
		if (!node_is(c, "lvlOverride"))
			continue;
		v = node_attr(c, "ilvl");
		int i = int_value((const char *)v, -1, LEVELS, -1);
		xmlFree(v);
		if (i < 0 || i >= LEVELS)
			continue;
		if (child(c, "startOverride")) {
			m->has_start[i] = true;
			m->start[i] = child_int(c, "startOverride", INT_MIN / 2, INT_MAX / 2, 0);
		}
		const xmlNode *lvl = child(c, "lvl");
		if (lvl) {
			m->has_lvl[i] = true;
			m->lvl[i] = (struct numlvl){.start = 1, .restart = -1};
			read_lvl(&m->lvl[i], lvl);
			if (child(lvl, "start") && !m->has_start[i]) {
				m->has_start[i] = true;
				m->start[i] = m->lvl[i].start;
			}
		}
	}
}

/*
 * A list whose levels are a numbering style's (w:numStyleLink) uses the
 * abstract list that style's numId points to (one hop: Word writes no more).
 */
static void resolve_style_links(struct numbering *nb, const struct styles *st)
{
	for (size_t i = 0; i < nb->n_nums; i++) {
		struct numinst *m = &nb->nums[i];
		m->abs = abs_index(nb, m->abs_id);
		if (m->abs == SIZE_MAX || !nb->abs[m->abs].style_link[0])
			continue;
		const struct style *s = style_find(st, nb->abs[m->abs].style_link);
		const struct numinst *target = s && s->num_id > 0 ? num_find(nb, s->num_id) : NULL;
		size_t a = target ? abs_index(nb, target->abs_id) : SIZE_MAX;
		if (a != SIZE_MAX && !nb->abs[a].style_link[0])
			m->abs = a;
	}
}

static int numbering_load(struct numbering *nb, const char *x, size_t len, const struct styles *st,
                          struct doc *out)
{
	xmlDoc *d = parse_part("word/numbering.xml", x, len, out);
	const xmlNode *root = d ? xmlDocGetRootElement(d) : NULL;
	size_t cap_abs = 0, cap_nums = 0;

	if (!d)
		return -1;
	for (const xmlNode *n = root ? root->children : NULL; n; n = n->next) {
		if (node_is(n, "abstractNum")) {
			nb->abs = grow(nb->abs, &cap_abs, nb->n_abs, sizeof(*nb->abs));
			struct absnum *a = &nb->abs[nb->n_abs++];
			memset(a, 0, sizeof(*a));
			xmlChar *v = node_attr(n, "abstractNumId");
			a->id = int_value((const char *)v, 0, INT_MAX, 0);
			xmlFree(v);
			for (int i = 0; i < LEVELS; i++)
				a->lvl[i] = (struct numlvl){.start = 1, .restart = -1};
			child_str(n, "numStyleLink", a->style_link, sizeof(a->style_link));
			read_levels(a->lvl, NULL, n);
		} else if (node_is(n, "num")) {
			nb->nums = grow(nb->nums, &cap_nums, nb->n_nums, sizeof(*nb->nums));
			read_num(&nb->nums[nb->n_nums++], n);
		}
	}
	xmlFreeDoc(d);
	if (nb->n_nums)
		qsort(nb->nums, nb->n_nums, sizeof(*nb->nums), num_cmp);
	resolve_style_links(nb, st);
	return 0;
}

static void add_roman(struct buf *b, int n, bool upper)
{
	static const struct {
		int value;
		const char *digits;
	} r[] = {{1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"},
	         {90, "xc"},  {50, "l"},   {40, "xl"}, {10, "x"},   {9, "ix"},
	         {5, "v"},    {4, "iv"},   {1, "i"}};

	for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++)
		for (; n >= r[i].value; n -= r[i].value)
			for (const char *d = r[i].digits; *d; d++)
				buf_addc(b, upper ? (char)(*d - 'a' + 'A') : *d);
}

/* One level's counter as its w:numFmt shows it. */
static void add_number(struct buf *b, const char *fmt, int n)
{
	bool upper = fmt[0] == 'u';

	if (n > 0 && n < 4000 && (!strcmp(fmt, "upperRoman") || !strcmp(fmt, "lowerRoman"))) {
		add_roman(b, n, upper);
	} else if (n > 0 && (!strcmp(fmt, "upperLetter") || !strcmp(fmt, "lowerLetter"))) {
		/* Word's letters: a … z, then aa … zz, aaa … */
		for (int i = 0; i <= (n - 1) / 26 && i < 8; i++)
			buf_addc(b, (char)((upper ? 'A' : 'a') + (n - 1) % 26));
	} else if (!strcmp(fmt, "decimalZero") && n >= 0 && n < 10) {
		buf_printf(b, "0%d", n);
	} else if (!strcmp(fmt, "decimalEnclosedParen")) {
		buf_printf(b, "(%d)", n);
	} else if (strcmp(fmt, "none") != 0) {
		buf_printf(b, "%d", n); /* decimal, and the fallback for scripts we do not spell */
	}
}

/* A bullet as doc.h writes them: symbol-font glyphs (private use area) are "•". */
static void add_bullet(struct buf *b, const char *glyph)
{
	const unsigned char *u = (const unsigned char *)glyph;

	if (!*u)
		return;
	if (!strcmp(glyph, "-") || !strcmp(glyph, "–") || !strcmp(glyph, "—"))
		buf_addc(b, '-');
	else if (!strcmp(glyph, "+"))
		buf_addc(b, '+');
	else
		buf_adds(b, "•");
}

static const struct numlvl *level_of(const struct numbering *nb, const struct numinst *m, int i)
{
	return m->has_lvl[i] ? &m->lvl[i] : &nb->abs[m->abs].lvl[i];
}

/*
 * Counts a numbered paragraph at level ilvl of list num_id and writes the
 * marker Word shows for it into b; level is set 1-based. Counters belong to
 * the abstract list, so lists sharing one continue each other (as Word
 * does), and a num's w:startOverride restarts it the first time it is used.
 * A level with w:isLgl shows every number in its text as a decimal.
 */
static void number_paragraph(struct numbering *nb, int num_id, int ilvl, struct buf *b, int *level)
{
	struct numinst *m = num_find(nb, num_id);

	if (!m || m->abs == SIZE_MAX || ilvl < 0 || ilvl >= LEVELS)
		return;
	struct absnum *a = &nb->abs[m->abs];
	const struct numlvl *l = level_of(nb, m, ilvl);
	if (m->has_start[ilvl] && !m->applied[ilvl]) {
		m->applied[ilvl] = a->used[ilvl] = true;
		a->count[ilvl] = m->start[ilvl];
	} else if (!a->used[ilvl]) {
		a->used[ilvl] = true;
		a->count[ilvl] = l->start;
	} else {
		a->count[ilvl]++;
	}
	/* Deeper levels start again, unless a level says it restarts later or never. */
	for (int k = ilvl + 1; k < LEVELS; k++) {
		int restart = level_of(nb, m, k)->restart;
		if (restart < 0 || (restart > 0 && ilvl < restart))
			a->used[k] = false;
	}
	*level = ilvl + 1;
	if (!strcmp(l->fmt, "bullet")) {
		add_bullet(b, l->text);
		return;
	}
	for (const char *p = l->text; *p; p++) {
		if (p[0] == '%' && p[1] >= '1' && p[1] <= '9') {
			int k = p[1] - '1';
			const struct numlvl *lk = level_of(nb, m, k);
			int n = a->used[k] || k == ilvl ? a->count[k] : lk->start;
			add_number(b, l->legal ? "decimal" : lk->fmt, n);
			p++;
		} else {
			buf_addc(b, *p);
		}
	}
}

/* ---- document.xml ----------------------------------------------------------------------- */

enum el {
	E_OTHER,
	E_SKIP, /* its whole subtree is not shown text */
	E_P,
	E_PPR,
	E_PSTYLE,
	E_NUMPR,
	E_ILVL,
	E_NUMID,
	E_OUTLINELVL,
	E_PAGEBREAKBEFORE,
	E_R,
	E_RPR,
	E_B,
	E_I,
	E_RSTYLE,
	E_VANISH,
	E_T,
	E_TAB,
	E_BR,
	E_CR,
	E_NOBREAKHYPHEN,
	E_LASTRENDERED,
	E_TBL,
	E_TR,
	E_TRPR,
	E_TBLHEADER,
	E_GRIDBEFORE,
	E_TC,
	E_TCPR,
	E_GRIDSPAN,
	E_VMERGE,
};

/*
 * The WordprocessingML elements read, sorted by name for bsearch. E_SKIP:
 * deleted or moved-away text, field instructions, the properties a tracked
 * change replaced, content-control settings, section and table settings:
 * none of it is text a reader sees.
 */
struct w_element {
	const char *name;
	enum el el;
};

static const struct w_element w_elements[] = {
    {"b", E_B},
    {"br", E_BR},
    {"cr", E_CR},
    {"del", E_SKIP},
    {"delInstrText", E_SKIP},
    {"delText", E_SKIP},
    {"gridBefore", E_GRIDBEFORE},
    {"gridSpan", E_GRIDSPAN},
    {"i", E_I},
    {"ilvl", E_ILVL},
    {"instrText", E_SKIP},
    {"lastRenderedPageBreak", E_LASTRENDERED},
    {"moveFrom", E_SKIP},
    {"noBreakHyphen", E_NOBREAKHYPHEN},
    {"numId", E_NUMID},
    {"numPr", E_NUMPR},
    {"numberingChange", E_SKIP},
    {"outlineLvl", E_OUTLINELVL},
    {"p", E_P},
    {"pPr", E_PPR},
    {"pPrChange", E_SKIP},
    {"pStyle", E_PSTYLE},
    {"pageBreakBefore", E_PAGEBREAKBEFORE},
    {"r", E_R},
    {"rPr", E_RPR},
    {"rPrChange", E_SKIP},
    {"rStyle", E_RSTYLE},
    {"sdtEndPr", E_SKIP},
    {"sdtPr", E_SKIP},
    {"sectPr", E_SKIP},
    {"sectPrChange", E_SKIP},
    {"t", E_T},
    {"tab", E_TAB},
    {"tbl", E_TBL},
    {"tblGrid", E_SKIP},
    {"tblGridChange", E_SKIP},
    {"tblHeader", E_TBLHEADER},
    {"tblPr", E_SKIP},
    {"tblPrChange", E_SKIP},
    {"tc", E_TC},
    {"tcPr", E_TCPR},
    {"tcPrChange", E_SKIP},
    {"tr", E_TR},
    {"trPr", E_TRPR},
    {"trPrChange", E_SKIP},
    {"vMerge", E_VMERGE},
    {"vanish", E_VANISH},
};

static int by_name(const void *key, const void *e)
{
	return strcmp(key, ((const struct w_element *)e)->name);
}

static enum el classify(const xmlChar *local, const xmlChar *ns)
{
	if (is_w(ns)) {
		const struct w_element *e =
		    bsearch(local, w_elements, sizeof(w_elements) / sizeof(w_elements[0]),
		            sizeof(w_elements[0]), by_name);
		return e ? e->el : E_OTHER;
	}
	/* Markup compatibility: a drawing's text is both in mc:Choice and
	 * (as VML) in mc:Fallback; the fallback would repeat it. */
	if (ns && xmlStrEqual(ns, BAD_CAST NS_MC) && xmlStrEqual(local, BAD_CAST "Fallback"))
		return E_SKIP;
	return E_OTHER;
}

/* Non-space bytes of text seen, and how many of them were bold and italic. */
struct emph_count {
	size_t chars, bold, italic;
};

static void emph_add(struct emph_count *e, const char *s, bool bold, bool italic)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\n' && *s != '\t') {
			e->chars++;
			e->bold += bold;
			e->italic += italic;
		}
}

static void emph_merge(struct emph_count *into, const struct emph_count *e)
{
	into->chars += e->chars;
	into->bold += e->bold;
	into->italic += e->italic;
}

static unsigned emph_flags(const struct emph_count *e)
{
	return (e->chars && e->bold == e->chars ? DOC_BOLD : 0u) |
	       (e->chars && e->italic == e->chars ? DOC_ITALIC : 0u);
}

struct para {
	struct buf text;
	struct emph_count emph;
	char style[MAX_ID];
	int num_id, ilvl; /* -1 when the paragraph does not say */
	int outline;      /* -1 unsaid */
	struct doc_pos pos;
};

struct cell {
	struct buf text;
	struct emph_count emph;
	int span;
	enum doc_merge merge;
	struct doc_pos pos;
};

struct table {
	struct doc_table *t; /* NULL for a table nested in a cell */
	struct doc_row *row;
	bool in_cell;
	struct cell cell;
	struct buf nested, nested_row; /* a nested table's text so far */
	size_t nested_cells;
};

/* How the file tells pages, chosen before reading: Word's last layout when
 * it is recorded, else the breaks the author put in, else nothing. */
enum page_source { PAGES_NONE, PAGES_RENDERED, PAGES_EXPLICIT };

struct walk {
	struct doc *out;
	const struct styles *styles;
	struct numbering *numbering;
	xmlTextReader *reader;
	enum el stack[MAX_DEPTH];
	int depth;
	struct para paras[MAX_DEPTH];
	int n_paras;
	struct table tables[MAX_DEPTH];
	int n_tables;
	enum page_source pages;
	int page, para_no;
	/* the run being read */
	int run_bold, run_italic; /* -1 unsaid */
	bool run_hidden;
	char run_style[MAX_ID];
	/* the first XML error */
	bool failed;
	int error_line;
	char error[160];
};

static enum el parent(const struct walk *w, int up)
{
	return w->depth - 1 - up >= 0 ? w->stack[w->depth - 1 - up] : E_OTHER;
}

static struct doc_pos here(const struct walk *w)
{
	return (struct doc_pos){.page = w->pages == PAGES_NONE ? 0 : w->page};
}

static char *attr(struct walk *w, const char *name)
{
	xmlChar *v = xmlTextReaderGetAttributeNs(w->reader, BAD_CAST name,
	                                         xmlTextReaderConstNamespaceUri(w->reader));
	if (!v)
		v = xmlTextReaderGetAttribute(w->reader, BAD_CAST name);
	return (char *)v;
}

static int attr_int(struct walk *w, const char *name, int lo, int hi, int dflt)
{
	char *v = attr(w, name);
	int n = int_value(v, lo, hi, dflt);
	xmlFree(v);
	return n;
}

static bool attr_toggle(struct walk *w)
{
	char *v = attr(w, "val");
	bool on = toggle_on(v);
	xmlFree(v);
	return on;
}

static struct para *cur_para(struct walk *w)
{
	return w->n_paras ? &w->paras[w->n_paras - 1] : NULL;
}

static struct table *cur_table(struct walk *w)
{
	return w->n_tables ? &w->tables[w->n_tables - 1] : NULL;
}

/*
 * Word records a page break of its layout at the start of the run that
 * begins the page: what has not shown any text yet (the paragraph, its
 * cell, row and table) begins on the new page.
 */
static void page_break(struct walk *w, enum page_source kind)
{
	struct para *p = cur_para(w);
	struct table *t = cur_table(w);

	if (w->pages != kind)
		return;
	w->page++;
	if (!p || p->text.len)
		return;
	p->pos.page = w->page;
	if (!t || !t->in_cell || t->cell.text.len)
		return;
	t->cell.pos.page = w->page;
	if (!t->row || t->row->n_cells)
		return;
	t->row->pos.page = w->page;
	if (t->t && t->t->n_rows == 1)
		t->t->pos.page = w->page;
}

/* The paragraph style in force: the paragraph's own, else the default one. */
static const struct style *para_style(const struct walk *w, const struct para *p)
{
	const struct style *s = style_find(w->styles, p->style);
	return s ? s : w->styles->default_para;
}

static void add_text(struct walk *w, const char *s)
{
	struct para *p = cur_para(w);
	if (!p || w->run_hidden)
		return;
	const struct styles *st = w->styles;
	const struct style *rs = style_find(st, w->run_style), *ps = para_style(w, p);
	int bold = w->run_bold >= 0 ? w->run_bold : STYLE_GET(st, rs, bold);
	int italic = w->run_italic >= 0 ? w->run_italic : STYLE_GET(st, rs, italic);
	if (bold < 0)
		bold = STYLE_GET(st, ps, bold);
	if (italic < 0)
		italic = STYLE_GET(st, ps, italic);
	buf_adds(&p->text, s);
	emph_add(&p->emph, s, bold < 0 ? st->default_bold : bold,
	         italic < 0 ? st->default_italic : italic);
}

static void start_para(struct walk *w)
{
	struct para *p = &w->paras[w->n_paras++];

	memset(p, 0, sizeof(*p));
	buf_init(&p->text);
	p->num_id = p->ilvl = p->outline = -1;
	p->pos = here(w);
	p->pos.para = ++w->para_no;
}

static void cell_add(struct cell *c, const char *text, const struct emph_count *e)
{
	if (!*text)
		return;
	if (c->text.len)
		buf_addc(&c->text, '\n');
	buf_adds(&c->text, text);
	if (e)
		emph_merge(&c->emph, e);
}

static void end_para(struct walk *w)
{
	struct para *p = cur_para(w);
	struct table *t = cur_table(w);
	const struct style *ps = para_style(w, p);
	struct buf marker = BUF_INIT;
	int level = 0;
	int num_id = p->num_id >= 0 ? p->num_id : STYLE_GET(w->styles, ps, num_id);
	int ilvl = p->ilvl >= 0 ? p->ilvl : STYLE_GET(w->styles, ps, ilvl);

	if (num_id > 0)
		number_paragraph(w->numbering, num_id, ilvl < 0 ? 0 : ilvl, &marker, &level);
	char *number = doc_tidy(buf_steal(&marker), false);
	char *text = doc_tidy(buf_steal(&p->text), true);
	if (t && t->in_cell) {
		/* In a cell the list number is part of the text, as a reader sees it. */
		struct buf both = BUF_INIT;
		buf_adds(&both, number);
		if (*number && *text)
			buf_addc(&both, ' ');
		buf_adds(&both, text);
		cell_add(&t->cell, buf_str(&both), &p->emph);
		buf_free(&both);
	} else if (*text || *number) {
		/* A number typed by hand is the paragraph's marker as well. */
		size_t at = 0, text_at = 0, typed = *number ? 0 : lines_marker(text, &at, &text_at);
		if (typed) {
			free(number);
			number = xstrndup(text + at, typed);
		}
		const char *rest = text + (typed ? text_at : 0);
		struct doc_para *dp =
		    doc_add_para(w->out, DOC_FORM_WORD, number, rest, strlen(rest), p->pos);
		int outline = p->outline >= 0 ? p->outline : STYLE_GET(w->styles, ps, outline);
		dp->level = level;
		dp->heading = outline > 0 ? outline : 0;
		dp->emph = emph_flags(&p->emph);
	}
	free(number);
	free(text);
	w->n_paras--;
}

static void start_table(struct walk *w)
{
	struct table *outer = cur_table(w);
	struct table *t = &w->tables[w->n_tables++];

	memset(t, 0, sizeof(*t));
	if (!outer || !outer->in_cell)
		t->t = doc_add_table(w->out, DOC_FORM_WORD, here(w));
}

static void end_table(struct walk *w)
{
	struct table *t = cur_table(w);

	w->n_tables--;
	struct table *outer = cur_table(w);
	if (!t->t && outer && outer->in_cell)
		cell_add(&outer->cell, buf_str(&t->nested), NULL);
	buf_free(&t->nested);
	buf_free(&t->nested_row);
	buf_free(&t->cell.text);
}

static void start_row(struct walk *w)
{
	struct table *t = cur_table(w);

	if (t->t)
		t->row = doc_table_add_row(t->t, here(w));
	buf_reset(&t->nested_row);
	t->nested_cells = 0;
}

static void end_row(struct walk *w)
{
	struct table *t = cur_table(w);

	if (!t->t && t->nested_row.len) {
		if (t->nested.len)
			buf_addc(&t->nested, '\n');
		buf_adds(&t->nested, buf_str(&t->nested_row));
	}
	t->row = NULL;
}

static void start_cell(struct walk *w)
{
	struct table *t = cur_table(w);

	buf_reset(&t->cell.text);
	t->cell.emph = (struct emph_count){0};
	t->cell.span = 1;
	t->cell.merge = DOC_MERGE_NONE;
	t->cell.pos = here(w);
	t->in_cell = true;
}

static void end_cell(struct walk *w)
{
	struct table *t = cur_table(w);
	char *text = t->cell.text.data ? t->cell.text.data : (char *)"";

	t->in_cell = false;
	if (!t->t) {
		/* A nested table is text: its cells on one line, joined by " | ". */
		doc_tidy(text, false);
		if (t->nested_cells++)
			buf_adds(&t->nested_row, " | ");
		buf_adds(&t->nested_row, text);
		return;
	}
	if (!t->row)
		return;
	/* A continued merge shows the text of the cell where it started only. */
	if (t->cell.merge == DOC_MERGE_CONT)
		*text = '\0';
	struct doc_cell *c = doc_row_add_cell(t->row, text, strlen(text), t->cell.pos);
	if (c == &t->row->cells[t->row->n_cells - 1] && c->col_span == 1 && t->cell.span > 1)
		doc_cell_set_span(t->row, t->row->n_cells - 1, t->cell.span);
	c->merge = t->cell.merge;
	c->emph = emph_flags(&t->cell.emph);
}

static void grid_before(struct walk *w, int n)
{
	struct table *t = cur_table(w);

	if (!t || !t->t || !t->row || n < 1 || t->row->n_cells)
		return;
	doc_row_add_cell(t->row, "", 0, here(w));
	doc_cell_set_span(t->row, 0, n);
}

/* An element opens: what it says about the paragraph, run, row or cell around it. */
static void on_start(struct walk *w, enum el el)
{
	struct para *p = cur_para(w);
	struct table *t = cur_table(w);
	char *v;

	switch (el) {
	case E_P:
		start_para(w);
		break;
	case E_PSTYLE:
		if (p && parent(w, 1) == E_PPR) {
			v = attr(w, "val");
			util_strlcpy(p->style, v ? v : "", sizeof(p->style));
			xmlFree(v);
		}
		break;
	case E_NUMID:
	case E_ILVL:
		if (p && parent(w, 1) == E_NUMPR && parent(w, 2) == E_PPR) {
			int n = attr_int(w, "val", 0, el == E_ILVL ? LEVELS - 1 : INT_MAX, 0);
			*(el == E_ILVL ? &p->ilvl : &p->num_id) = n;
		}
		break;
	case E_OUTLINELVL:
		if (p && parent(w, 1) == E_PPR) {
			int n = attr_int(w, "val", 0, 9, 9);
			p->outline = n < 9 ? n + 1 : 0;
		}
		break;
	case E_PAGEBREAKBEFORE:
		if (p && parent(w, 1) == E_PPR && attr_toggle(w)) {
			page_break(w, PAGES_EXPLICIT);
			p->pos.page = here(w).page;
		}
		break;
	case E_R:
		w->run_bold = w->run_italic = -1;
		w->run_hidden = false;
		w->run_style[0] = '\0';
		break;
	case E_B:
	case E_I:
	case E_VANISH:
	case E_RSTYLE:
		if (parent(w, 1) != E_RPR || parent(w, 2) != E_R)
			break;
		if (el == E_RSTYLE) {
			v = attr(w, "val");
			util_strlcpy(w->run_style, v ? v : "", sizeof(w->run_style));
			xmlFree(v);
		} else if (el == E_VANISH) {
			w->run_hidden = attr_toggle(w);
		} else {
			*(el == E_B ? &w->run_bold : &w->run_italic) = attr_toggle(w);
		}
		break;
	case E_TAB:
		if (parent(w, 1) == E_R)
			add_text(w, " ");
		break;
	case E_BR:
		if (parent(w, 1) == E_R) {
			v = attr(w, "type");
			if (v && !strcmp(v, "page"))
				page_break(w, PAGES_EXPLICIT);
			add_text(w, v && strcmp(v, "textWrapping") ? " " : "\n");
			xmlFree(v);
		}
		break;
	case E_CR:
		if (parent(w, 1) == E_R)
			add_text(w, "\n");
		break;
	case E_NOBREAKHYPHEN:
		if (parent(w, 1) == E_R)
			add_text(w, "-");
		break;
	case E_LASTRENDERED:
		page_break(w, PAGES_RENDERED);
		break;
	case E_TBL:
		start_table(w);
		break;
	case E_TR:
		if (t && parent(w, 1) == E_TBL)
			start_row(w);
		break;
	case E_TBLHEADER:
		if (t && t->row && parent(w, 1) == E_TRPR)
			t->row->header = attr_toggle(w);
		break;
	case E_GRIDBEFORE:
		if (parent(w, 1) == E_TRPR)
			grid_before(w, attr_int(w, "val", 0, DOC_MAX_COLS, 0));
		break;
	case E_TC:
		if (t && parent(w, 1) == E_TR)
			start_cell(w);
		break;
	case E_GRIDSPAN:
		if (t && t->in_cell && parent(w, 1) == E_TCPR)
			t->cell.span = attr_int(w, "val", 1, DOC_MAX_COLS, 1);
		break;
	case E_VMERGE:
		if (t && t->in_cell && parent(w, 1) == E_TCPR) {
			v = attr(w, "val");
			t->cell.merge =
			    v && !strcmp(v, "restart") ? DOC_MERGE_START : DOC_MERGE_CONT;
			xmlFree(v);
		}
		break;
	default:
		break;
	}
}

static void on_end(struct walk *w, enum el el)
{
	struct table *t = cur_table(w);

	switch (el) {
	case E_P:
		if (cur_para(w))
			end_para(w);
		break;
	case E_TC:
		if (t && t->in_cell)
			end_cell(w);
		break;
	case E_TR:
		if (t)
			end_row(w);
		break;
	case E_TBL:
		if (t)
			end_table(w);
		break;
	default:
		break;
	}
}

static void on_error(void *arg, xmlErrorPtr e)
{
	struct walk *w = arg;

	if (w->failed || !e || e->level < XML_ERR_ERROR)
		return;
	w->failed = true;
	w->error_line = e->line;
	util_strlcpy(w->error, e->message ? e->message : "not well-formed XML", sizeof(w->error));
}

/* Reads the stream; 0, or -1 with the first error kept. */
static int walk_document(struct walk *w)
{
	int ret = xmlTextReaderRead(w->reader);

	while (ret == 1 && !w->failed) {
		xmlTextReader *r = w->reader;
		int type = xmlTextReaderNodeType(r);
		if (type == XML_READER_TYPE_DOCUMENT_TYPE ||
		    type == XML_READER_TYPE_ENTITY_REFERENCE)
			return -2;
		if (type == XML_READER_TYPE_ELEMENT) {
			enum el el = classify(xmlTextReaderConstLocalName(r),
			                      xmlTextReaderConstNamespaceUri(r));
			if (el == E_SKIP) {
				ret = xmlTextReaderNext(r);
				continue;
			}
			if (w->depth == MAX_DEPTH)
				return -3;
			w->stack[w->depth++] = el;
			if ((el == E_P && w->n_paras == MAX_DEPTH) ||
			    (el == E_TBL && w->n_tables == MAX_DEPTH))
				return -3;
			on_start(w, el);
			if (xmlTextReaderIsEmptyElement(r)) {
				on_end(w, el);
				w->depth--;
			}
		} else if (type == XML_READER_TYPE_END_ELEMENT) {
			if (w->depth > 0)
				on_end(w, w->stack[--w->depth]);
		} else if ((type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
		            type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE) &&
		           parent(w, 0) == E_T) {
			const xmlChar *v = xmlTextReaderConstValue(r);
			if (v)
				add_text(w, (const char *)v);
		}
		ret = xmlTextReaderRead(w->reader);
	}
	return w->failed || ret < 0 ? -1 : 0;
}

static void walk_free(struct walk *w)
{
	while (w->n_paras)
		buf_free(&w->paras[--w->n_paras].text);
	while (w->n_tables) {
		struct table *t = &w->tables[--w->n_tables];
		buf_free(&t->nested);
		buf_free(&t->nested_row);
		buf_free(&t->cell.text);
	}
}

static int read_document(const char *x, size_t len, const struct styles *styles,
                         struct numbering *numbering, struct doc *out)
{
	static const char *const name = "word/document.xml";
	struct walk *w;
	int rc;

	if (check_prolog(name, x, len, out) < 0)
		return -1;
	if (len > INT_MAX) {
		doc_problem(out, nowhere, "%s is too big", name);
		return -1;
	}
	w = xcalloc(1, sizeof(*w));
	w->out = out;
	w->styles = styles;
	w->numbering = numbering;
	w->page = 1;
	w->pages = memmem(x, len, "lastRenderedPageBreak", 21) ? PAGES_RENDERED
	           : memmem(x, len, "type=\"page\"", 11) || memmem(x, len, "pageBreakBefore", 15)
	               ? PAGES_EXPLICIT
	               : PAGES_NONE;
	w->reader = xmlReaderForMemory(x, (int)len, name, NULL, XML_OPTIONS);
	if (!w->reader) {
		doc_problem(out, nowhere, "%s: out of memory", name);
		free(w);
		return -1;
	}
	xmlTextReaderSetStructuredErrorHandler(w->reader, on_error, w);
	rc = walk_document(w);
	if (rc == -2)
		doc_problem(out, nowhere,
		            "%s declares a DTD or refers to entities, which Word never writes: "
		            "refused (entity expansion)",
		            name);
	else if (rc == -3)
		doc_problem(out, nowhere, "%s nests elements deeper than %d levels", name,
		            MAX_DEPTH);
	else if (rc < 0 && w->failed)
		xml_problem(out, name, w->error_line, w->error);
	else if (rc < 0)
		xml_problem(out, name, 0, "not well-formed XML");
	walk_free(w);
	xmlFreeTextReader(w->reader);
	free(w);
	return rc < 0 ? -1 : 0;
}

int read_docx_parts(const struct docx_parts *parts, struct doc *out)
{
	struct styles styles = {0};
	struct numbering numbering = {0};
	int rc = -1;

	xmlInitParser();
	if (parts->styles && styles_load(&styles, parts->styles, parts->styles_len, out) < 0)
		goto out;
	if (parts->numbering &&
	    numbering_load(&numbering, parts->numbering, parts->numbering_len, &styles, out) < 0)
		goto out;
	rc = read_document(parts->document, parts->document_len, &styles, &numbering, out);
out:
	free(styles.v);
	free(numbering.abs);
	free(numbering.nums);
	return rc;
}

int read_docx(const char *data, size_t len, struct doc *out)
{
	zip_error_t ze;
	zip_source_t *src;
	struct unzip u = {.budget = DOCX_MAX_BYTES, .out = out};
	struct docx_parts parts = {0};
	char *document = NULL, *numbering = NULL, *styles = NULL;
	bool failed = false;
	int rc = -1;

	zip_error_init(&ze);
	src = zip_source_buffer_create(data, len, 0, &ze);
	if (src)
		u.za = zip_open_from_source(src, ZIP_RDONLY, &ze);
	if (!u.za) {
		doc_problem(out, nowhere, "not a readable zip archive (.docx): %s",
		            zip_error_strerror(&ze));
		zip_source_free(src);
		zip_error_fini(&ze);
		return -1;
	}
	zip_error_fini(&ze);
	document = unzip_member(&u, "word/document.xml", &parts.document_len, &failed);
	if (!document) {
		if (!failed)
			doc_problem(out, nowhere, "no word/document.xml: not a Word document");
		goto out;
	}
	styles = unzip_member(&u, "word/styles.xml", &parts.styles_len, &failed);
	if (failed)
		goto out;
	numbering = unzip_member(&u, "word/numbering.xml", &parts.numbering_len, &failed);
	if (failed)
		goto out;
	parts.document = document;
	parts.styles = styles;
	parts.numbering = numbering;
	rc = read_docx_parts(&parts, out);
out:
	free(document);
	free(styles);
	free(numbering);
	zip_discard(u.za);
	return rc;
}
