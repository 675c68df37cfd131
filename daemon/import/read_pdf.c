/*
 * read_pdf — see import/read_pdf.h.
 *
 * poppler gives a page's text with one box per character (the offsets of
 * poppler_page_get_text match poppler_page_get_text_layout's boxes) and
 * font names over ranges of characters. Words are the runs of characters
 * between white space whose boxes touch; a word is bold or italic when its
 * font's name says so. Everything else is layout's.
 */
#include "import/read_pdf.h"

#include "buf.h"
#include "import/layout.h"
#include "text.h"
#include "util.h"

#include <poppler.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static const struct doc_pos nowhere;

struct words {
	struct layout_word *v;
	size_t *at; /* where v[i]'s text starts in text (it moves as text grows) */
	size_t n, cap;
	struct buf text;
};

static unsigned font_emph(const char *font)
{
	unsigned e = 0;

	if (font &&
	    (strcasestr(font, "bold") || strcasestr(font, "black") || strcasestr(font, "heavy")))
		e |= DOC_BOLD;
	if (font && (strcasestr(font, "italic") || strcasestr(font, "oblique")))
		e |= DOC_ITALIC;
	return e;
}

static void add_word(struct words *w, const char *s, size_t len, const PopplerRectangle *box,
                     int page, unsigned emph)
{
	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 1024;
		w->v = xrealloc(w->v, w->cap * sizeof(*w->v));
		w->at = xrealloc(w->at, w->cap * sizeof(*w->at));
	}
	w->at[w->n] = w->text.len;
	w->v[w->n++] = (struct layout_word){
	    .len = len,
	    .x0 = box->x1,
	    .y0 = box->y1,
	    .x1 = box->x2,
	    .y1 = box->y2,
	    .page = page,
	    .emph = emph,
	};
	buf_add(&w->text, s, len);
}

static bool is_space(gunichar c)
{
	return g_unichar_isspace(c) || c == 0xA0 || c == 0x202F;
}

/*
 * The words of one page. A character continues the word before it when no
 * white space came between and its box follows on the same line (poppler
 * sometimes runs two table cells together); returns the words added.
 */
static size_t read_page(PopplerPage *page, int no, struct words *w)
{
	PopplerRectangle *rects = NULL;
	guint n_rects = 0;
	char *text = poppler_page_get_text(page);
	GList *attrs = poppler_page_get_text_attributes(page);
	size_t before = w->n;

	if (!text || !poppler_page_get_text_layout(page, &rects, &n_rects)) {
		g_free(text);
		poppler_page_free_text_attributes(attrs);
		return 0;
	}
	const GList *attr = attrs;
	const char *start = NULL; /* of the word being read */
	PopplerRectangle box = {0};
	unsigned emph = 0;
	guint i = 0;
	for (const char *p = text; *p && i < n_rects; p = g_utf8_next_char(p), i++) {
		gunichar c = g_utf8_get_char(p);
		const PopplerRectangle *r = &rects[i];
		while (attr && ((PopplerTextAttributes *)attr->data)->end_index < (int)i)
			attr = attr->next;
		double h = r->y2 - r->y1;
		bool joins = start && !is_space(c) && r->x1 >= box.x2 - h &&
		             r->x1 <= box.x2 + 0.25 * h && r->y2 > box.y1 && r->y1 < box.y2;
		if (start && !joins) {
			add_word(w, start, (size_t)(p - start), &box, no, emph);
			start = NULL;
		}
		if (is_space(c) || r->x2 <= r->x1)
			continue;
		if (!start) {
			start = p;
			box = *r;
			emph =
			    attr ? font_emph(((PopplerTextAttributes *)attr->data)->font_name) : 0;
		} else {
			box.x1 = MIN(box.x1, r->x1);
			box.y1 = MIN(box.y1, r->y1);
			box.x2 = MAX(box.x2, r->x2);
			box.y2 = MAX(box.y2, r->y2);
			if (attr)
				emph &= font_emph(((PopplerTextAttributes *)attr->data)->font_name);
		}
	}
	if (start)
		add_word(w, start, strlen(start), &box, no, emph);
	g_free(rects);
	g_free(text);
	poppler_page_free_text_attributes(attrs);
	return w->n - before;
}

/* poppler reports damage it repairs through GLib's log; none of it is ours to print. */
static void quiet(const gchar *domain, GLogLevelFlags level, const gchar *msg, gpointer data)
{
	(void)domain;
	(void)level;
	(void)msg;
	(void)data;
}

int read_pdf(const char *data, size_t len, struct doc *out)
{
	GError *err = NULL;
	GBytes *bytes = g_bytes_new_static(data, len);
	guint handler = g_log_set_handler("Poppler", G_LOG_LEVEL_MASK, quiet, NULL);
	PopplerDocument *pd = poppler_document_new_from_bytes(bytes, NULL, &err);
	struct words w = {0};
	char reason[160];
	int rc = -1;

	if (!pd) {
		if (err && g_error_matches(err, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED))
			doc_problem(out, nowhere,
			            "a password-protected PDF, which cannot be read: save a copy "
			            "without the password");
		else
			doc_problem(out, nowhere, "not a readable PDF: %s",
			            text_sanitize_line(err ? err->message : "unknown error", reason,
			                               sizeof(reason)));
		goto out;
	}
	int n_pages = poppler_document_get_n_pages(pd);
	if (n_pages > PDF_MAX_PAGES) {
		doc_problem(out, nowhere, "a PDF of %d pages, more than the %d a plan may have",
		            n_pages, PDF_MAX_PAGES);
		goto out;
	}
	struct layout_page *pages = xcalloc(n_pages > 0 ? (size_t)n_pages : 1, sizeof(*pages));
	int blank = 0, first_blank = 0;
	for (int i = 0; i < n_pages; i++) {
		PopplerPage *page = poppler_document_get_page(pd, i);
		if (!page)
			continue;
		poppler_page_get_size(page, &pages[i].width, &pages[i].height);
		if (!read_page(page, i + 1, &w) && !blank++)
			first_blank = i + 1;
		g_object_unref(page);
	}
	if (!w.n) {
		doc_problem(out, nowhere, "scanned PDF: no text layer; OCR is not supported");
	} else {
		if (blank)
			doc_problem(out, (struct doc_pos){.page = first_blank},
			            "%d page%s without text (scanned?), from page %d, not read",
			            blank, blank > 1 ? "s" : "", first_blank);
		for (size_t i = 0; i < w.n; i++)
			w.v[i].text = w.text.data + w.at[i];
		layout_read(w.v, w.n, pages, n_pages, out);
		rc = 0;
	}
	free(pages);
out:
	if (pd)
		g_object_unref(pd);
	if (err)
		g_error_free(err);
	g_bytes_unref(bytes);
	g_log_remove_handler("Poppler", handler);
	free(w.v);
	free(w.at);
	buf_free(&w.text);
	return rc;
}
