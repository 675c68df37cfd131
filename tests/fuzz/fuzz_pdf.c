/*
 * libFuzzer target for read_pdf and layout (make fuzz). An input holding
 * "%PDF-" in its first kilobyte goes to read_pdf (poppler: damaged xrefs,
 * broken streams, pages without text); any other input is a list of words
 * for layout_read, 8 bytes a word: page, x (2 bytes), y (2 bytes), width,
 * height and a byte choosing the word (from the shapes plans have: numbers,
 * markers, names, page numbers) and its emphasis. The reading must keep
 * doc_invariants.h's contract within libFuzzer's time and memory limits.
 */
#include "import/layout.h"
#include "import/read_pdf.h"

#include "doc_invariants.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const WORDS[] = {
    "1",  "2.",   "1.2",  "II.",        "a)",      "đ)",    "-",    "•",     "STT", "Nội", "dung",
    "Sở", "Y",    "tế",   "Quý",        "II/2025", "2026-", "2030", "Trang", "3",   "(1)", "Bộ",
    "và", "Thời", "gian", "hằ\xC2\xAD", "ng",      "năm",   "|",    "CÔNG",  "BÁO", "x",
};

static void read_words(const uint8_t *data, size_t size, struct doc *d)
{
	const size_t n_words = sizeof(WORDS) / sizeof(WORDS[0]);
	struct layout_page pages[4] = {{595, 842}, {842, 595}, {595, 842}, {100, 100}};
	size_t n = size / 8;
	struct layout_word *w = calloc(n ? n : 1, sizeof(*w));

	for (size_t i = 0; i < n; i++) {
		const uint8_t *b = data + 8 * i;
		const char *text = WORDS[b[7] % n_words];
		double x = (b[1] << 8 | b[2]) % 900, y = (b[3] << 8 | b[4]) % 900;
		w[i] = (struct layout_word){
		    text,         strlen(text),    x, y, x + 1 + b[5] % 120, y + 1 + b[6] % 16,
		    1 + b[0] % 4, (b[7] >> 5) & 3u};
	}
	layout_read(w, n, pages, 4, d);
	free(w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct doc d;
	int rc = 0;

	doc_init(&d);
	if (memmem(data, size < 1024 ? size : 1024, "%PDF-", 5))
		rc = read_pdf((const char *)data, size, &d);
	else
		read_words(data, size, &d);
	check_doc(&d, rc);
	doc_free(&d);
	return 0;
}
