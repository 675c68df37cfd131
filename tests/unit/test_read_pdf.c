/*
 * Unit tests for import/read_pdf: poppler's text layer into words and the
 * layout's blocks, and the PDFs it must refuse. The PDFs are written here,
 * a few objects each, with the standard Helvetica fonts (the layout rules
 * themselves are test_layout's; generated Vietnamese PDFs are the system
 * tests').
 */
#include "check.h"
#include "doc_render.h"

#include "import/read_pdf.h"
#include "import/reader.h"

/*
 * A PDF of pages with these content streams (NULL ends the list), its
 * cross-reference table right unless broken_xref. free() it.
 */
static char *make_pdf(const char *const *pages, bool broken_xref, size_t *len)
{
	struct buf b = BUF_INIT;
	size_t n = 0, offsets[64];
	int objects;

	while (pages[n])
		n++;
	objects = 4 + 2 * (int)n; /* catalog, pages, two fonts, a page and its contents each */
	buf_adds(&b, "%PDF-1.4\n");
	offsets[1] = b.len;
	buf_adds(&b, "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n");
	offsets[2] = b.len;
	buf_adds(&b, "2 0 obj << /Type /Pages /Kids [");
	for (size_t i = 0; i < n; i++)
		buf_printf(&b, " %zu 0 R", 5 + 2 * i);
	buf_printf(&b, " ] /Count %zu >> endobj\n", n);
	offsets[3] = b.len;
	buf_adds(&b, "3 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj\n");
	offsets[4] = b.len;
	buf_adds(&b,
	         "4 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold >> endobj\n");
	for (size_t i = 0; i < n; i++) {
		offsets[5 + 2 * i] = b.len;
		buf_printf(&b,
		           "%zu 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
		           "/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents %zu 0 R >> "
		           "endobj\n",
		           5 + 2 * i, 6 + 2 * i);
		offsets[6 + 2 * i] = b.len;
		buf_printf(&b, "%zu 0 obj << /Length %zu >> stream\n%s\nendstream endobj\n",
		           6 + 2 * i, strlen(pages[i]), pages[i]);
	}
	size_t xref = b.len;
	buf_printf(&b, "xref\n0 %d\n0000000000 65535 f \n", objects + 1);
	for (int i = 1; i <= objects; i++)
		buf_printf(&b, "%010zu 00000 n \n", broken_xref ? offsets[i] + 7 : offsets[i]);
	buf_printf(&b, "trailer << /Size %d /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n", objects + 1,
	           broken_xref ? xref + 3 : xref);
	*len = b.len;
	return buf_steal(&b);
}

/* Text at (x, y) from the bottom left, in font F1 (or F2, bold) at 10 points. */
#define TEXT(font, x, y, s) "BT /" font " 10 Tf " #x " " #y " Td (" s ") Tj ET\n"

static const char *const PLAN[] = {
    TEXT("F2", 250, 780, "KE HOACH") TEXT("F1", 60, 750, "1. Muc tieu chung")
        TEXT("F2", 60, 720, "STT") TEXT("F2", 100, 720, "Noi dung") TEXT("F2", 300, 720, "Chu tri")
            TEXT("F1", 60, 700, "1") TEXT("F1", 100, 700, "Nang cap mang")
                TEXT("F1", 300, 700, "So Tai chinh") TEXT("F1", 60, 680, "2")
                    TEXT("F1", 100, 680, "Ra soat thiet bi") TEXT("F1", 300, 680, "So Y te")
                        TEXT("F1", 290, 30, "Trang 1"),
    TEXT("F1", 60, 780, "STT") TEXT("F1", 60, 760, "Noi nhan:") TEXT("F1", 290, 30, "Trang 2"),
    NULL,
};

static void check_reading(const char *what, const char *pdf, size_t len, const char *want,
                          const char *problem)
{
	struct doc d;

	doc_init(&d);
	check_int(what, read_pdf(pdf, len, &d), 0);
	char *got = doc_render(&d, false);
	check_str(what, got, want);
	check_int(what, d.n_problems, problem != NULL);
	if (problem)
		check_str(what, d.problems[0].what, problem);
	free(got);
	doc_free(&d);
}

static void test_text_layer(void **state)
{
	static const char want[] = "p B: KE HOACH\n"
	                           "p '1.': Muc tieu chung\n"
	                           "t1 p1\n"
	                           "r: STT B | Noi dung B | Chu tri B\n"
	                           "r: 1 | Nang cap mang | So Tai chinh\n"
	                           "r: 2 | Ra soat thiet bi | So Y te\n"
	                           "p: STT\n"
	                           "p: Noi nhan:\n";
	size_t len;
	char *pdf = make_pdf(PLAN, false, &len);

	(void)state;
	check_int("told by its content", reader_kind_of(pdf, len), READER_PDF);
	check_reading("a plan", pdf, len, want, NULL);
	free(pdf);
	/* poppler rebuilds a damaged cross-reference table: the same reading */
	pdf = make_pdf(PLAN, true, &len);
	check_reading("a broken xref", pdf, len, want, NULL);
	free(pdf);
}

static void test_scanned_pages(void **state)
{
	static const char *const scanned[] = {"0 0 m 300 300 l S", "10 10 200 200 re f", NULL};
	static const char *const mixed[] = {TEXT("F1", 60, 780, "Trang co chu"), "0 0 m 9 9 l S",
	                                    "0 0 m 9 9 l S", NULL};
	size_t len;
	char *pdf = make_pdf(scanned, false, &len);
	struct doc d;

	(void)state;
	doc_init(&d);
	check_int("no text at all is refused", read_pdf(pdf, len, &d), -1);
	check_int("one problem", d.n_problems, 1);
	check_str("the problem", d.problems[0].what,
	          "scanned PDF: no text layer; OCR is not supported");
	check_int("nothing read", d.n_blocks, 0);
	doc_free(&d);
	free(pdf);
	pdf = make_pdf(mixed, false, &len);
	check_reading("pages without text are named", pdf, len, "p: Trang co chu\n",
	              "2 pages without text (scanned?), from page 2, not read");
	free(pdf);
}

static void test_unreadable(void **state)
{
	static const struct {
		const char *what, *data;
		const char *problem; /* its start */
	} cases[] = {
	    {"a header and nothing else", "%PDF-1.7\n", "not a readable PDF: "},
	    {"garbage", "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\n%%EOF\n",
	     "not a readable PDF: "},
	};

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		struct doc d;
		doc_init(&d);
		check_int(cases[i].what, read_pdf(cases[i].data, strlen(cases[i].data), &d), -1);
		check_refusal(cases[i].what, &d, cases[i].problem);
		doc_free(&d);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_text_layer),
	    cmocka_unit_test(test_scanned_pages),
	    cmocka_unit_test(test_unreadable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
