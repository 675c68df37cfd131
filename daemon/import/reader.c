/* reader — see import/reader.h. */
#include "import/reader.h"

#include "import/read_text.h"

#include <string.h>

enum reader_kind reader_kind_of(const char *data, size_t len)
{
	if (len >= 4 && !memcmp(data, "PK\x03\x04", 4))
		return READER_DOCX;
	if (len >= 5 && !memcmp(data, "%PDF-", 5))
		return READER_PDF;
	if (len >= 8 && !memcmp(data, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8))
		return READER_DOC;
	return READER_TEXT;
}

const char *reader_kind_name(enum reader_kind k)
{
	static const char *const names[READER_KINDS] = {"text", "docx", "pdf", "doc"};

	return (unsigned)k < READER_KINDS ? names[k] : "?";
}

int reader_read(const char *data, size_t len, struct doc *out)
{
	struct doc_pos start = {0};

	switch (reader_kind_of(data, len)) {
	case READER_DOCX:
		doc_problem(out, start,
		            "a Word (.docx) file: this version reads plans saved as text "
		            "(in Word: File > Save As > Plain Text, UTF-8)");
		return -1;
	case READER_PDF:
		doc_problem(out, start,
		            "a PDF file: this version reads plans saved as text (copy "
		            "the text, or use pdftotext -layout, and save it as UTF-8)");
		return -1;
	case READER_DOC:
		doc_problem(out, start,
		            "an old Word (.doc) file: save it as .docx or as text "
		            "(in Word: File > Save As), or convert it with "
		            "libreoffice --headless --convert-to docx");
		return -1;
	default:
		return read_text(data, len, out);
	}
}
