/*
 * bench_readers — the Word and PDF readers' own work must grow linearly
 * with the document: a table of 1,000 / 10,000 / 100,000 rows through
 * read_docx's XML stage (document.xml as Word writes it: runs, properties,
 * a vertical merge every few rows), and 10 / 100 / 1,000 pages of such a
 * table through the PDF layout (words placed as poppler gives them, a
 * running header and page numbers). Unzipping is libzip's and text
 * extraction poppler's: neither is timed here. Prints the median of
 * several runs and the time per row; linear means the per-row time stays
 * flat as the size grows tenfold.
 */
#include "bench.h"
#include "buf.h"
#include "import/doc.h"
#include "import/layout.h"
#include "import/read_docx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RUNS 5

static const char *const cells[] = {
    "Xây dựng kho dữ liệu dùng chung của tỉnh",
    "Sở Khoa học và Công nghệ",
    "Sở Nội vụ, Sở Tài chính và các cơ quan liên quan",
    "Quý II/2025",
};

static char *word_table(int rows, size_t *len)
{
	struct buf b = BUF_INIT;

	buf_adds(&b, "<?xml version=\"1.0\"?><w:document xmlns:w=\"http://schemas.openxmlformats."
	             "org/wordprocessingml/2006/main\"><w:body><w:tbl>");
	for (int r = 0; r < rows; r++) {
		buf_printf(&b, "<w:tr><w:tc><w:p><w:r><w:t>%d</w:t></w:r></w:p></w:tc>", r + 1);
		for (size_t c = 0; c < 4; c++) {
			const char *merge = c == 1 && r % 3 ? "<w:tcPr><w:vMerge/></w:tcPr>"
			                    : c == 1
			                        ? "<w:tcPr><w:vMerge w:val=\"restart\"/></w:tcPr>"
			                        : "";
			/* the text in two runs, cut after its first word */
			int cut = (int)strcspn(cells[c], " ");
			buf_printf(
			    &b,
			    "<w:tc>%s<w:p><w:pPr><w:jc w:val=\"both\"/></w:pPr><w:r><w:rPr>"
			    "<w:lang w:val=\"vi-VN\"/></w:rPr><w:t xml:space=\"preserve\">%.*s"
			    "</w:t></w:r><w:proofErr w:type=\"spellStart\"/><w:r><w:t>%s</w:t>"
			    "</w:r></w:p></w:tc>",
			    merge, cut, cells[c], cells[c] + cut);
		}
		buf_adds(&b, "</w:tr>");
	}
	buf_adds(&b, "</w:tbl></w:body></w:document>");
	*len = b.len;
	return buf_steal(&b);
}

/* Words of pages of a five-column table, 30 rows a page, as poppler places them. */
static struct layout_word *pdf_table(int pages, size_t *n)
{
	const int per_page = 30;
	struct layout_word *w = malloc((size_t)pages * (per_page * 24 + 8) * sizeof(*w));
	static const char *const words[] = {"Xây",  "dựng", "kho", "dữ",   "liệu", "Sở",
	                                    "Khoa", "học",  "và",  "Công", "nghệ", "Quý"};
	size_t k = 0;

	for (int p = 1; p <= pages; p++) {
		w[k++] = (struct layout_word){"CÔNG", 6, 60, 20, 90, 30, p, 0};
		w[k++] = (struct layout_word){"BÁO", 4, 95, 20, 115, 30, p, 0};
		for (int r = 0; r < per_page; r++) {
			double y = 80 + 24 * r;
			w[k++] = (struct layout_word){"1", 1, 60, y, 66, y + 10, p, 0};
			for (int c = 0; c < 4; c++)
				for (int i = 0; i < 5; i++) {
					const char *s = words[(size_t)(r + c + i) % 12];
					double x = 100 + 120 * c + 22 * i;
					/* the first column's text wraps onto a second line */
					double dy = c == 0 && i >= 3 ? 11 : 0;
					w[k++] = (struct layout_word){s,
					                              strlen(s),
					                              x - (dy ? 66 : 0),
					                              y + dy,
					                              x + 18 - (dy ? 66 : 0),
					                              y + dy + 10,
					                              p,
					                              0};
				}
		}
		w[k++] = (struct layout_word){"Trang", 5, 280, 820, 305, 830, p, 0};
	}
	*n = k;
	return w;
}

static double time_docx(const char *xml, size_t len)
{
	double t[RUNS];

	for (int i = 0; i < RUNS; i++) {
		struct docx_parts parts = {.document = xml, .document_len = len};
		struct doc d;
		doc_init(&d);
		double start = bench_seconds();
		if (read_docx_parts(&parts, &d) != 0) {
			fprintf(stderr, "bench_readers: read_docx failed: %s\n",
			        d.n_problems ? d.problems[0].what : "?");
			exit(1);
		}
		t[i] = bench_seconds() - start;
		doc_free(&d);
	}
	return bench_median(t, RUNS);
}

static double time_layout(const struct layout_word *w, size_t n, int pages)
{
	double t[RUNS];
	struct layout_page *p = calloc((size_t)pages, sizeof(*p));

	for (int i = 0; i < pages; i++)
		p[i] = (struct layout_page){595, 842};
	for (int i = 0; i < RUNS; i++) {
		struct doc d;
		doc_init(&d);
		double start = bench_seconds();
		layout_read(w, n, p, pages, &d);
		t[i] = bench_seconds() - start;
		doc_free(&d);
	}
	free(p);
	return bench_median(t, RUNS);
}

int main(void)
{
	printf("## Word and PDF readers\n\n");
	printf("| input | size | median | per row |\n|---|---|---|---|\n");
	for (int rows = 1000; rows <= 100000; rows *= 10) {
		size_t len;
		char *xml = word_table(rows, &len);
		double t = time_docx(xml, len);
		printf("| Word table, document.xml | %d rows, %.1f MB | %.3f s | %.1f µs |\n", rows,
		       len / 1e6, t, t / rows * 1e6);
		free(xml);
	}
	for (int pages = 10; pages <= 1000; pages *= 10) {
		size_t n;
		struct layout_word *w = pdf_table(pages, &n);
		double t = time_layout(w, n, pages);
		printf("| PDF table, layout | %d pages, %zu words | %.3f s | %.1f µs |\n", pages, n,
		       t, t / (pages * 30) * 1e6);
		free(w);
	}
	printf("\n");
	return 0;
}
