/* reader — see import/reader.h. */
#include "import/reader.h"

#include "import/read_docx.h"
#include "import/read_pdf.h"
#include "import/read_text.h"

#include <stdbool.h>
#include <string.h>

/* A PDF may have a few bytes of junk before its header; readers accept 1 KB. */
#define PDF_HEADER_WINDOW 1024

static bool starts_with(const char *data, size_t len, const char *magic, size_t n)
{
	return len >= n && memcmp(data, magic, n) == 0;
}

static bool holds(const char *data, size_t len, const char *what, size_t n)
{
	return memmem(data, len, what, n) != NULL;
}

enum reader_kind reader_kind_of(const char *data, size_t len)
{
	/* Office encrypts a .docx into an OLE2 file with this stream (its
	 * directory's names are UTF-16LE). */
	static const char encrypted[] = "E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0";
	static const char odt[] = "application/vnd.oasis.opendocument.text";

	if (starts_with(data, len, "PK\x03\x04", 4) || starts_with(data, len, "PK\x05\x06", 4)) {
		/* Every member's name is in plain text in its local header and in
		 * the central directory: no need to open the archive to tell. */
		if (holds(data, len, "word/document.xml", 17))
			return READER_DOCX;
		return holds(data, len, odt, sizeof(odt) - 1) ? READER_ODT : READER_ZIP;
	}
	if (starts_with(data, len, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8))
		return holds(data, len, encrypted, sizeof(encrypted) - 1) ? READER_LOCKED
		                                                          : READER_DOC;
	if (holds(data, len < PDF_HEADER_WINDOW ? len : PDF_HEADER_WINDOW, "%PDF-", 5))
		return READER_PDF;
	return READER_TEXT;
}

const char *reader_kind_name(enum reader_kind k)
{
	static const char *const names[READER_KINDS] = {
	    [READER_TEXT] = "text",
	    [READER_DOCX] = "docx",
	    [READER_PDF] = "pdf",
	    [READER_DOC] = "doc",
	    [READER_LOCKED] = "encrypted office document",
	    [READER_ODT] = "odt",
	    [READER_ZIP] = "zip",
	};

	return (unsigned)k < READER_KINDS ? names[k] : "?";
}

int reader_read(const char *data, size_t len, struct doc *out)
{
	static const struct doc_pos start = {0};

	switch (reader_kind_of(data, len)) {
	case READER_DOCX:
		return read_docx(data, len, out);
	case READER_PDF:
		return read_pdf(data, len, out);
	case READER_DOC:
		doc_problem(out, start,
		            "an old binary Word document (.doc), which is not read: open it in "
		            "Word and use Save as .docx, or convert it with "
		            "'soffice --headless --convert-to docx FILE'");
		return -1;
	case READER_LOCKED:
		doc_problem(out, start,
		            "a password-protected Office document, which cannot be read: remove "
		            "the password in Word (File > Info > Protect Document) and save again");
		return -1;
	case READER_ODT:
		doc_problem(out, start,
		            "an OpenDocument text (.odt), which is not read: save it as .docx, or "
		            "convert it with 'soffice --headless --convert-to docx FILE'");
		return -1;
	case READER_ZIP:
		doc_problem(out, start,
		            "a zip archive without word/document.xml: not a Word document (.docx)");
		return -1;
	default:
		return read_text(data, len, out);
	}
}
