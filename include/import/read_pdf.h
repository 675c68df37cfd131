/*
 * read_pdf — PDF text layers into the document model (import/doc.h). The
 * only user of poppler-glib.
 *
 * Each page's characters come with their boxes (poppler's text layout and
 * font attributes); words are rebuilt from them and handed to the layout
 * module (import/layout.h), which finds lines, tables and paragraphs. A
 * PDF that has no text at all is refused ("scanned PDF: no text layer;
 * OCR is not supported"); a page without text among pages with text is a
 * problem naming the page. Encrypted and damaged files are refused with
 * poppler's reason.
 */
#ifndef DEADLINED_IMPORT_READ_PDF_H
#define DEADLINED_IMPORT_READ_PDF_H

#include "import/doc.h"

#include <stddef.h>

/* Pages read at most; a plan is tens of pages, a 5,000-page file is refused. */
#define PDF_MAX_PAGES 5000

int read_pdf(const char *data, size_t len, struct doc *out);

#endif
