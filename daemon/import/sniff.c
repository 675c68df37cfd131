/* sniff — see import/sniff.h. */
#include "import/sniff.h"

#include "import/read_docx.h"
#include "import/read_pdf.h"

#include <string.h>

/* A PDF may have a few bytes of junk before its header; readers accept 1 KB. */
#define PDF_HEADER_WINDOW 1024

static bool starts_with(const char *data, size_t len, const char *magic, size_t n)
{
	return len >= n && memcmp(data, magic, n) == 0;
}

static bool holds(const char *data, size_t len, const char *what)
{
	return memmem(data, len, what, strlen(what)) != NULL;
}

enum sniff_format sniff_format(const char *data, size_t len)
{
	if (starts_with(data, len, "PK\x03\x04", 4) || starts_with(data, len, "PK\x05\x06", 4)) {
		/* Every member's name is in plain text in its local header and in
		 * the central directory: no need to parse the archive to tell. */
		if (holds(data, len, "word/document.xml"))
			return SNIFF_DOCX;
		if (holds(data, len, "application/vnd.oasis.opendocument.text"))
			return SNIFF_ODT;
		return SNIFF_ZIP;
	}
	if (starts_with(data, len, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8)) {
		/* Office encrypts a .docx into an OLE2 file with this stream
		 * (its directory names are UTF-16LE). */
		static const char stream[] = "E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0";
		return memmem(data, len, stream, sizeof(stream) - 1) ? SNIFF_LOCKED : SNIFF_DOC;
	}
	if (memmem(data, len < PDF_HEADER_WINDOW ? len : PDF_HEADER_WINDOW, "%PDF-", 5))
		return SNIFF_PDF;
	return SNIFF_TEXT;
}

const char *sniff_format_name(enum sniff_format f)
{
	static const char *const names[SNIFF_FORMATS] = {
	    [SNIFF_TEXT] = "text",
	    [SNIFF_DOCX] = "docx",
	    [SNIFF_PDF] = "pdf",
	    [SNIFF_DOC] = "doc",
	    [SNIFF_LOCKED] = "encrypted office document",
	    [SNIFF_ODT] = "odt",
	    [SNIFF_ZIP] = "zip",
	};

	return (unsigned)f < SNIFF_FORMATS ? names[f] : "?";
}

int sniff_read(const char *data, size_t len, struct doc *out)
{
	static const struct doc_pos nowhere = {0};

	switch (sniff_format(data, len)) {
	case SNIFF_DOCX:
		return read_docx(data, len, out);
	case SNIFF_PDF:
		return read_pdf(data, len, out);
	case SNIFF_DOC:
		doc_problem(out, nowhere,
		            "an old binary Word document (.doc), which is not read: open it in "
		            "Word and use Save as .docx, or convert it with "
		            "'soffice --headless --convert-to docx FILE'");
		return -1;
	case SNIFF_LOCKED:
		doc_problem(out, nowhere,
		            "a password-protected Office document, which cannot be read: remove "
		            "the password in Word (File > Info > Protect Document) and save again");
		return -1;
	case SNIFF_ODT:
		doc_problem(out, nowhere,
		            "an OpenDocument text (.odt), which is not read: save it as .docx, or "
		            "convert it with 'soffice --headless --convert-to docx FILE'");
		return -1;
	case SNIFF_ZIP:
		doc_problem(out, nowhere,
		            "a zip archive without word/document.xml: not a Word document (.docx)");
		return -1;
	case SNIFF_TEXT:
	case SNIFF_FORMATS:
		break;
	}
	return 1;
}
