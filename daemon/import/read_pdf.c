/* read_pdf — see import/read_pdf.h. Not written yet: PDFs are refused. */
#include "import/read_pdf.h"

int read_pdf(const char *data, size_t len, struct doc *out)
{
	(void)data;
	(void)len;
	doc_problem(out, (struct doc_pos){0}, "PDF files are not read yet");
	return -1;
}
