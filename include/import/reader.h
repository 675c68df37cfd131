/*
 * reader — a plan file's bytes to the document model, by what the bytes
 * are, never by the file's name (an admin's "plan.doc" may be a .docx, a
 * "plan.txt" a PDF). The one place that knows every reader: a new format
 * is a new reader here. Pure.
 *
 *  - a zip holding word/document.xml: Word (read_docx; also .docm, .dotx);
 *  - "%PDF-" in the first kilobyte: PDF (read_pdf);
 *  - the OLE2 signature D0 CF 11 E0 A1 B1 1A E1: old binary Word (.doc),
 *    refused with the way out — or, holding an "EncryptedPackage", a
 *    password-protected .docx, refused as such;
 *  - another zip (OpenDocument .odt, a spreadsheet, any archive): refused;
 *  - anything else: text (read_text).
 */
#ifndef DEADLINED_IMPORT_READER_H
#define DEADLINED_IMPORT_READER_H

#include "import/doc.h"

#include <stddef.h>

enum reader_kind {
	READER_TEXT,
	READER_DOCX,
	READER_PDF,
	READER_DOC,    /* OLE2 compound file: Word 97-2003 (or .xls, .ppt) */
	READER_LOCKED, /* OLE2 holding an encrypted Office document */
	READER_ODT,    /* OpenDocument text */
	READER_ZIP,    /* another zip archive */
	READER_KINDS
};

/* What the bytes are (by their signature and, for a zip, its members' names). */
enum reader_kind reader_kind_of(const char *data, size_t len);
const char *reader_kind_name(enum reader_kind k); /* "text", "docx", "pdf", "doc", … */

/* A reader (see doc.h): data[len] must be NUL. -1 with a problem saying why. */
int reader_read(const char *data, size_t len, struct doc *out);

#endif
