/*
 * sniff — which reader a plan file needs, told by its content, never by its
 * name (an admin's "plan.doc" may be a .docx, a "plan.txt" a PDF).
 *
 *  - a zip archive holding word/document.xml: Word (.docx, also .docm/.dotx);
 *  - "%PDF-" near the start: PDF;
 *  - the OLE2 signature D0 CF 11 E0 A1 B1 1A E1: old binary Word (.doc),
 *    refused with what to do instead — or, when it holds an
 *    "EncryptedPackage", a password-protected .docx, refused as such;
 *  - another zip (OpenDocument .odt, a spreadsheet, any archive): refused;
 *  - anything else: text, for the text readers to judge.
 *
 * Pure: bytes in, a verdict out. sniff_read runs the binary readers, so a
 * caller needs one call for any file: 1 means "text: yours to read".
 */
#ifndef DEADLINED_IMPORT_SNIFF_H
#define DEADLINED_IMPORT_SNIFF_H

#include "import/doc.h"

#include <stddef.h>

enum sniff_format {
	SNIFF_TEXT,   /* not a known binary format: the text readers decide */
	SNIFF_DOCX,   /* Office Open XML word processing document */
	SNIFF_PDF,    /* PDF */
	SNIFF_DOC,    /* OLE2 compound file: Word 97-2003 .doc (or .xls, .ppt) */
	SNIFF_LOCKED, /* OLE2 holding an encrypted Office document */
	SNIFF_ODT,    /* OpenDocument text (.odt) */
	SNIFF_ZIP,    /* another zip archive */
	SNIFF_FORMATS
};

enum sniff_format sniff_format(const char *data, size_t len);
const char *sniff_format_name(enum sniff_format f); /* "text", "docx", "pdf", … */

/*
 * Reads data into out with the reader its format needs. Returns 0 or -1 as
 * a reader does (read_docx, read_pdf); for a refused format -1 with a
 * problem saying what the admin can do ("Save as .docx", soffice); 1 when
 * the data is text, leaving out untouched for the text readers.
 */
int sniff_read(const char *data, size_t len, struct doc *out);

#endif
