/*
 * reader — a plan file's bytes to the document model, by what the bytes
 * are: a Word .docx (a zip), a PDF, an old binary .doc (refused, with the
 * way out), or text (read_text). The one place that knows every reader:
 * a new format is a new reader here. Pure.
 */
#ifndef DEADLINED_IMPORT_READER_H
#define DEADLINED_IMPORT_READER_H

#include "import/doc.h"

#include <stddef.h>

enum reader_kind { READER_TEXT, READER_DOCX, READER_PDF, READER_DOC, READER_KINDS };

/* What the bytes are (by their signature, not the file's name). */
enum reader_kind reader_kind_of(const char *data, size_t len);
const char *reader_kind_name(enum reader_kind k); /* "text", "docx", "pdf", "doc" */

/* A reader (see doc.h): data[len] must be NUL. -1 with a problem saying why. */
int reader_read(const char *data, size_t len, struct doc *out);

#endif
