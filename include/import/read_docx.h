/*
 * read_docx — Word documents (.docx, Office Open XML) into the document
 * model (import/doc.h). The only user of libzip and libxml2.
 *
 * Reads word/document.xml, with word/styles.xml (heading levels, the bold
 * or italic a style gives, the numbering a list style carries) and
 * word/numbering.xml (the list number a reader sees: "1.", "a)", "II.",
 * "1.2." rebuilt from each level's format, start and restart rules).
 *
 * What Word shows is what is read: tracked deletions (w:del, w:moveFrom)
 * and hidden text are dropped, insertions kept; field instructions,
 * comments and footnote marks are not text; runs split by formatting are
 * joined; w:br and w:cr are line breaks, w:tab a space. Tables keep their
 * grid: w:gridSpan is a cell's col_span, w:gridBefore an empty cell, a
 * w:vMerge restart/continue a DOC_MERGE_START/CONT pair, w:tblHeader the
 * row's header flag; a table nested in a cell is that cell's text (see
 * doc.h). Positions: table, row, grid column and paragraph numbers, and
 * the page when the file records page breaks (w:lastRenderedPageBreak as
 * Word last laid it out, else explicit page breaks).
 *
 * Hostile files are refused with a problem, never half-read: a broken zip
 * or CRC, a member that would unpack past DOCX_MAX_BYTES in all or at a
 * ratio no document has (a zip bomb), an XML part that is not well formed
 * or declares a DTD (entity expansion; Word never writes one). libxml2
 * runs without network, DTD loading or entity substitution.
 */
#ifndef DEADLINED_IMPORT_READ_DOCX_H
#define DEADLINED_IMPORT_READ_DOCX_H

#include "import/doc.h"

#include <stddef.h>

/* All the XML read from one file, unpacked, at most. */
#define DOCX_MAX_BYTES (64u << 20)

int read_docx(const char *data, size_t len, struct doc *out);

/*
 * The XML stage alone, on parts already unpacked (tests and fuzzing).
 * numbering and styles may be NULL. Same result as read_docx.
 */
struct docx_parts {
	const char *document, *numbering, *styles;
	size_t document_len, numbering_len, styles_len;
};
int read_docx_parts(const struct docx_parts *parts, struct doc *out);

#endif
