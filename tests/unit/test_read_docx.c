/*
 * Unit tests for import/read_docx: WordprocessingML as a reader sees it.
 *
 * The XML stage is tested on small parts written here (one table of
 * document bodies and the reading each must give, doc_render.h's form);
 * the zip stage on archives built in memory with libzip: a real .docx
 * layout, a damaged archive, a zip bomb, a missing document part.
 */
#include "check.h"
#include "doc_render.h"

#include "import/read_docx.h"
#include "import/reader.h"

#include <zip.h>

#define W_NS                                                                                       \
	"xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" "                \
	"xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\""
#define DOCUMENT(body)                                                                             \
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document " W_NS         \
	"><w:body>" body "</w:body></w:document>"

/* A paragraph of runs, a run of text, a bold run. */
#define P(runs)   "<w:p>" runs "</w:p>"
#define R(text)   "<w:r><w:t xml:space=\"preserve\">" text "</w:t></w:r>"
#define RB(text)  "<w:r><w:rPr><w:b/></w:rPr><w:t>" text "</w:t></w:r>"
#define PS(style) "<w:pPr><w:pStyle w:val=\"" style "\"/></w:pPr>"
#define NUM(id, lvl)                                                                               \
	"<w:pPr><w:numPr><w:ilvl w:val=\"" #lvl "\"/><w:numId w:val=\"" #id "\"/></w:numPr></"     \
	"w:pPr>"
#define TC(props, text) "<w:tc><w:tcPr>" props "</w:tcPr>" P(R(text)) "</w:tc>"
#define TD(text)        "<w:tc>" P(R(text)) "</w:tc>"

static const char STYLES[] =
    "<?xml version=\"1.0\"?><w:styles " W_NS ">"
    "<w:docDefaults><w:rPrDefault><w:rPr><w:lang w:val=\"vi-VN\"/></w:rPr></w:rPrDefault>"
    "</w:docDefaults>"
    "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name "
    "w:val=\"Normal\"/></w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/>"
    "<w:basedOn w:val=\"Normal\"/><w:rPr><w:b/></w:rPr></w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"Muc\"><w:name w:val=\"Mục\"/>"
    "<w:basedOn w:val=\"Heading1\"/></w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"Outline2\"><w:name w:val=\"Ý\"/>"
    "<w:pPr><w:outlineLvl w:val=\"1\"/></w:pPr></w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"ListNumber\"><w:name w:val=\"List Number\"/>"
    "<w:pPr><w:numPr><w:numId w:val=\"3\"/></w:numPr></w:pPr></w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"Loop1\"><w:basedOn w:val=\"Loop2\"/></w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"Loop2\"><w:basedOn w:val=\"Loop1\"/></w:style>"
    "<w:style w:type=\"character\" w:styleId=\"Strong\"><w:name w:val=\"Strong\"/>"
    "<w:rPr><w:b/></w:rPr></w:style>"
    "</w:styles>";

#define LVL(i, start, fmt, text)                                                                   \
	"<w:lvl w:ilvl=\"" #i "\"><w:start w:val=\"" #start "\"/><w:numFmt w:val=\"" fmt           \
	"\"/><w:lvlText w:val=\"" text "\"/></w:lvl>"

static const char NUMBERING[] =
    "<?xml version=\"1.0\"?><w:numbering " W_NS ">"
    /* 1: I. / 1. / 1.1. / a) — a plan's outline */
    "<w:abstractNum w:abstractNumId=\"1\">" LVL(0, 1, "upperRoman", "%1.")
        LVL(1, 1, "decimal", "%2.") LVL(2, 1, "decimal", "%2.%3.") LVL(
            3, 1, "lowerLetter",
            "%4)") "</w:abstractNum>"
                   /* 2: bullets, a symbol-font one and a dash */
                   "<w:abstractNum w:abstractNumId=\"2\">" LVL(0, 1, "bullet", "\xEF\x82\xB7") LVL(
                       1, 1, "bullet",
                       "-") "</w:abstractNum>"
                            /* 3: 1. / 1.2 shown as decimals (legal numbering) */
                            "<w:abstractNum w:abstractNumId=\"3\">" LVL(
                                0, 1, "decimal",
                                "%1.") "<w:lvl w:ilvl=\"1\"><w:start w:val=\"1\"/><w:numFmt "
                                       "w:val=\"lowerLetter\"/>"
                                       "<w:lvlText "
                                       "w:val=\"%1.%2\"/><w:isLgl/></w:lvl></w:abstractNum>"
                                       /* 4: a level that never restarts, one starting at 3,
                                          zero-padded */
                                       "<w:abstractNum w:abstractNumId=\"4\">" LVL(
                                           0, 3, "decimalZero",
                                           "%1.") "<w:lvl w:ilvl=\"1\"><w:start "
                                                  "w:val=\"1\"/><w:numFmt w:val=\"upperLetter\"/>"
                                                  "<w:lvlRestart w:val=\"0\"/><w:lvlText "
                                                  "w:val=\"%2.\"/></w:lvl></w:abstractNum>"
                                                  "<w:num w:numId=\"1\"><w:abstractNumId "
                                                  "w:val=\"1\"/></w:num>"
                                                  "<w:num w:numId=\"2\"><w:abstractNumId "
                                                  "w:val=\"2\"/></w:num>"
                                                  "<w:num w:numId=\"3\"><w:abstractNumId "
                                                  "w:val=\"3\"/></w:num>"
                                                  "<w:num w:numId=\"4\"><w:abstractNumId "
                                                  "w:val=\"4\"/></w:num>"
                                                  /* 5: list 1 again, restarted at its first level
                                                   */
                                                  "<w:num w:numId=\"5\"><w:abstractNumId "
                                                  "w:val=\"1\"/>"
                                                  "<w:lvlOverride w:ilvl=\"0\"><w:startOverride "
                                                  "w:val=\"1\"/></w:lvlOverride></w:num>"
                                                  /* 6: list 3 again, with no restart: it continues
                                                     list 3 */
                                                  "<w:num w:numId=\"6\"><w:abstractNumId "
                                                  "w:val=\"3\"/></w:num>"
                                                  "</w:numbering>";

static char *read_parts(const char *document, const char *styles, const char *numbering,
                        struct doc *d, int *rc)
{
	struct docx_parts parts = {document,
	                           numbering,
	                           styles,
	                           strlen(document),
	                           numbering ? strlen(numbering) : 0,
	                           styles ? strlen(styles) : 0};

	doc_init(d);
	*rc = read_docx_parts(&parts, d);
	return doc_render(d, false);
}

/* A document of body, with STYLES and NUMBERING, must read as want and without problems. */
static void check_body(const char *what, const char *body, const char *want)
{
	struct buf doc = BUF_INIT;
	struct doc d;
	int rc;

	buf_printf(&doc, DOCUMENT("%s"), body);
	char *got = read_parts(buf_str(&doc), STYLES, NUMBERING, &d, &rc);
	check_int(what, rc, 0);
	check_str(what, got, want);
	check_int(what, d.n_problems, 0);
	free(got);
	doc_free(&d);
	buf_free(&doc);
}

static void test_paragraphs_and_runs(void **state)
{
	static const struct {
		const char *what, *body, *want;
	} cases[] = {
	    {"runs split mid-word are joined; all bold is emphasis",
	     P(RB("Qu") RB("ý II/20") RB("25")), "p B: Quý II/2025\n"},
	    {"a character style makes a run bold",
	     P("<w:r><w:rPr><w:rStyle w:val=\"Strong\"/></w:rPr><w:t>Sở</w:t></w:r>" RB(" Y tế")),
	     "p B: Sở Y tế\n"},
	    {"part bold is no emphasis", P(RB("Sở") R(" Y tế")), "p: Sở Y tế\n"},
	    {"italic, and bold turned off",
	     P("<w:r><w:rPr><w:b w:val=\"0\"/><w:i/></w:rPr><w:t>1"
	       "</w:t></w:r>"),
	     "p I: 1\n"},
	    {"tracked changes: deletions dropped, insertions kept",
	     P(R("Quý ") "<w:del w:id=\"1\"><w:r><w:delText>III</w:delText></w:r></w:del>"
	                 "<w:ins w:id=\"2\"><w:r><w:t>IV</w:t></w:r></w:ins>" R(
	                     "/2025") "<w:moveFrom><w:r><w:t>cũ</w:t></w:r></w:moveFrom>"),
	     "p: Quý IV/2025\n"},
	    {"field codes show their result, not their instructions",
	     P(R("Trang ") "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"
	                   "<w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>"
	                   "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>" R(
	                       "3") "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"),
	     "p: Trang 3\n"},
	    {"comments, footnote marks and hidden text are not text",
	     P("<w:commentRangeStart w:id=\"0\"/>" R(
	         "Sở Tài chính") "<w:commentRangeEnd "
	                         "w:id=\"0\"/><w:r><w:commentReference w:id=\"0\"/></w:r>"
	                         "<w:r><w:footnoteReference w:id=\"1\"/></w:r>"
	                         "<w:r><w:rPr><w:vanish/></w:rPr><w:t>ẩn</w:t></w:r>"),
	     "p: Sở Tài chính\n"},
	    {"breaks, carriage returns, tabs, non-breaking hyphens",
	     P(R("a") "<w:r><w:br/><w:t>b</w:t><w:cr/><w:t>c</w:t><w:tab/><w:t>d</w:t>"
	              "<w:noBreakHyphen/><w:t>e</w:t></w:r>"),
	     "p: a/b/c d-e\n"},
	    {"a number typed by hand is the marker, as in a text file; a figure is not",
	     P(R("a) Cơ quan chủ trì: Sở Y tế")) P(R("- Lưu: VT.")) P(R("2026 - 2030 là giai đoạn"))
	         P(R("300.000 hộ")),
	     "p 'a)': Cơ quan chủ trì: Sở Y tế\np '-': Lưu: VT.\np: 2026 - 2030 là giai đoạn\n"
	     "p: 300.000 hộ\n"},
	    {"empty paragraphs are no blocks; spaces are tidied",
	     P("") P(R("  ")) P(R(" x ") R("  y ")), "p: x y\n"},
	    {"a text box is read once (not again from its fallback)",
	     P(R("trước ") "<w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing>"
	                   "<w:txbxContent>" P(
	                       R("hộp")) "</w:txbxContent></w:drawing></mc:Choice>"
	                                 "<mc:Fallback><w:pict><w:txbxContent>" P(
	                                     R("hộp")) "</w:txbxContent>"
	                                               "</w:pict></mc:Fallback></"
	                                               "mc:AlternateContent></w:r>" R("sau")),
	     "p: hộp\np: trước sau\n"},
	    {"hyperlinks, smart tags and content controls are transparent",
	     P("<w:hyperlink><w:r><w:t>a</w:t></w:r></w:hyperlink><w:smartTag>" R(
	         "b") "</w:smartTag><w:sdt><w:sdtPr><w:alias "
	              "w:val=\"x\"/></w:sdtPr><w:sdtContent>" R("c") "</w:sdtContent></w:sdt>"),
	     "p: abc\n"},
	    {"heading levels from styles, outline levels and their basedOn chain",
	     P(PS("Heading1") R("I. MỤC TIÊU")) P(PS("Muc") R("Mục")) P(PS("Outline2") R("Ý"))
	         P("<w:pPr><w:outlineLvl w:val=\"2\"/></w:pPr>" R("Trực tiếp"))
	             P(PS("Loop1") R("Vòng")) P(PS("Unknown") R("Lạ")),
	     "p 'I.' h1 B: MỤC TIÊU\np h1 B: Mục\np h2: Ý\np h3: Trực tiếp\np: Vòng\np: Lạ\n"},
	};

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++)
		check_body(cases[i].what, cases[i].body, cases[i].want);
}

static void test_numbering(void **state)
{
	static const struct {
		const char *what, *body, *want;
	} cases[] = {
	    {"an outline: I. / 1. / 1.1. / a), deeper levels restart under a higher one",
	     P(NUM(1, 0) R("CHUNG")) P(NUM(1, 1) R("Một")) P(NUM(1, 2) R("Một một"))
	         P(NUM(1, 2) R("Một hai")) P(NUM(1, 3) R("ý")) P(NUM(1, 3) R("ý"))
	             P(NUM(1, 1) R("Hai")) P(NUM(1, 2) R("Hai một")) P(NUM(1, 0) R("RIÊNG"))
	                 P(NUM(1, 1) R("Một")),
	     "p 'I.' l1: CHUNG\np '1.' l2: Một\np '1.1.' l3: Một một\np '1.2.' l3: Một hai\n"
	     "p 'a)' l4: ý\np 'b)' l4: ý\np '2.' l2: Hai\np '2.1.' l3: Hai một\n"
	     "p 'II.' l1: RIÊNG\np '1.' l2: Một\n"},
	    {"bullets: a symbol-font glyph is '•', a dash '-'",
	     P(NUM(2, 0) R("a")) P(NUM(2, 1) R("b")), "p '•' l1: a\np '-' l2: b\n"},
	    {"numbering carried by the paragraph style, legal numbering shows decimals",
	     P(PS("ListNumber") R("Một")) P(PS("ListNumber") NUM(3, 1) R("Một a"))
	         P(PS("ListNumber") R("Hai")),
	     "p '1.' l1: Một\np '1.1' l2: Một a\np '2.' l1: Hai\n"},
	    {"a start value, zero padding, a level that never restarts",
	     P(NUM(4, 0) R("x")) P(NUM(4, 1) R("y")) P(NUM(4, 0) R("x")) P(NUM(4, 1) R("y")),
	     "p '03.' l1: x\np 'A.' l2: y\np '04.' l1: x\np 'B.' l2: y\n"},
	    {"a list restarted by startOverride; another num of the same list continues it",
	     P(NUM(1, 0) R("a")) P(NUM(1, 0) R("b")) P(NUM(5, 0) R("c")) P(NUM(5, 0) R("d"))
	         P(NUM(3, 0) R("e")) P(NUM(6, 0) R("f")),
	     "p 'I.' l1: a\np 'II.' l1: b\np 'I.' l1: c\np 'II.' l1: d\np '1.' l1: e\np '2.' "
	     "l1: f\n"},
	    {"numId 0 and unknown lists show no number; numbering in a cell is its text",
	     P(NUM(0, 0) R("không")) P(NUM(99, 0) R("lạ")) "<w:tbl><w:tr><w:tc>" P(
	         NUM(3, 0)) "</w:tc><w:tc>" P(NUM(2, 0) R("Sở Y tế"))
	         P(NUM(2, 0) R("Sở Tài chính")) "</w:tc></w:tr><w:tr><w:tc>" P(
	             NUM(3, 0)) "</w:tc></w:tr></w:tbl>",
	     "p: không\np: lạ\nt1\nr: 1. | • Sở Y tế/• Sở Tài chính\nr: 2.\n"},
	};

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++)
		check_body(cases[i].what, cases[i].body, cases[i].want);
}

static void test_tables(void **state)
{
	static const char body[] = P(R("Trước bảng"))
	    /* header row, spans, a vertical merge over three rows */
	    "<w:tbl><w:tblPr><w:tblW w:w=\"0\"/></w:tblPr><w:tblGrid><w:gridCol/></w:tblGrid>"
	    "<w:tr><w:trPr><w:tblHeader/></w:trPr>" TD("STT") TD("Nội dung") TD("Chủ trì") TD(
	        "Thời"
	        " gia"
	        "n") "</w:tr>"
	             "<w:tr><w:trPr><w:tblHeader "
	             "w:val=\"false\"/></w:trPr>" TD("I") TC(
	                 "<w:gridSpan w:val=\"3\"/>",
	                 "CƠ CHẾ") "</w:tr>"
	                           "<w:tr>" TD("1") TD("Việc một")
	                               TC("<w:vMerge w:val=\"restart\"/>", "Sở Y tế") TD(
	                                   "2025") "</w:tr>"
	                                           "<w:tr>" TD("2") TD("Việc hai") TC("<w:vMerge/>",
	                                                                              "")
	                                               TD("2026") "</w:tr>"
	                                                          "<w:tr>" TD("3") TD("Việc ba") TC(
	                                                              "<w:"
	                                                              "vMerge "
	                                                              "w:val="
	                                                              "\"conti"
	                                                              "nue\"/"
	                                                              ">",
	                                                              "không "
	                                                              "thấy")
	                                                              TD("2027") "</w:tr>"
	                                                                         /* a row
	                                                                          * starting
	                                                                          * at the
	                                                                          * second
	                                                                          * grid
	                                                                          * column; a
	                                                                          * cell of
	                                                                          * two
	                                                                          * paragraphs
	                                                                          * with a
	                                                                          * line
	                                                                          * break; a
	                                                                          * bold cell
	                                                                          */
	                                                                         "<w:tr><w:"
	                                                                         "trPr><w:"
	                                                                         "gridBefore"
	                                                                         " w:val="
	                                                                         "\"1\"/></"
	                                                                         "w:"
	                                                                         "trPr>" TD("Việc "
	                                                                                    "bốn") "<w:tc>" P(R("Sở "
	                                                                                                        "Nội "
	                                                                                                        "vụ"))
	                                                                             P(R("Sở"
	                                                                                 " T"
	                                                                                 "ư") "<w:"
	                                                                                      "r><"
	                                                                                      "w:"
	                                                                                      "br/"
	                                                                                      "><w:"
	                                                                                      "t>"
	                                                                                      "pháp"
	                                                                                      "</"
	                                                                                      "w:t>"
	                                                                                      "</"
	                                                                                      "w:"
	                                                                                      "r>") "</w:tc><w:tc>" P(RB("Qu"
	                                                                                                                 "ý "
	                                                                                                                 "I"
	                                                                                                                 "I")) "</w:tc></w:tr>"
	                                                                                                                       /* a nested table is its cell's text */
	                                                                                                                       "<w:tr>" TD("5") "<w:tc>" P(
	                                                                                                                           R("Gồm:")) "<w:tbl><w:tr>" TD("a")
	                                                                                                                           TD("Sở X") "</w:tr><w:tr>" TD(
	                                                                                                                               "b") "<w:tc>" P(R("Sở"))
	                                                                                                                               P(R("Y")) "</w:tc></w:tr></w:tbl></w:tc>" TD(
	                                                                                                                                   "Sở Z")
	                                                                                                                                   TD("") "</w:tr>"
	                                                                                                                                          "</w:tbl>" P(R("Sau bảng")) "<w:tbl><w:tr>" TD(
	                                                                                                                                              "bảng hai") "</w:tr></w:tbl>";
	static const char want[] = "p: Trước bảng\n"
	                           "t1\n"
	                           "rh: STT | Nội dung | Chủ trì | Thời gian\n"
	                           "r: I | CƠ CHẾ<3>\n"
	                           "r: 1 | Việc một | Sở Y tế^ | 2025\n"
	                           "r: 2 | Việc hai | v | 2026\n"
	                           "r: 3 | Việc ba | v | 2027\n"
	                           "r:  | Việc bốn | Sở Nội vụ/Sở Tư/pháp | Quý II B\n"
	                           "r: 5 | Gồm:/a | Sở X/b | Sở Y | Sở Z | \n"
	                           "p: Sau bảng\n"
	                           "t2\n"
	                           "r: bảng hai\n";
	struct buf doc = BUF_INIT;
	struct doc d;
	int rc;

	(void)state;
	buf_printf(&doc, DOCUMENT("%s"), body);
	char *got = read_parts(buf_str(&doc), NULL, NULL, &d, &rc);
	check_int("read", rc, 0);
	check_str("tables", got, want);
	const struct doc_table *t = d.blocks[1].table;
	check_str("a continued merge takes the value where it starts",
	          doc_merged_cell(t, 4, 2)->text, "Sở Y tế");
	check_int("grid column after gridBefore", t->rows[5].cells[1].grid_col, 1);
	char where[96];
	check_str("a cell's place", doc_pos_format(&t->rows[2].cells[3].pos, where, sizeof(where)),
	          "table 1, row 3, column 4");
	check_str("a paragraph's place",
	          doc_pos_format(&d.blocks[2].para->pos, where, sizeof(where)), "paragraph 33");
	free(got);
	doc_free(&d);
	buf_free(&doc);
}

static void test_pages(void **state)
{
	static const struct {
		const char *what, *body, *want;
	} cases[] = {
	    {"no page breaks recorded: no page numbers",
	     P(R("a")) "<w:tbl><w:tr>" TD("x") "</w:tr></w:tbl>",
	     "p: a @paragraph 1\nt1 @table 1\nr: x @table 1, row 1\n"},
	    {"Word's last layout (lastRenderedPageBreak) wins over explicit breaks",
	     P(R("a") "<w:r><w:br w:type=\"page\"/></w:r>")
	         P("<w:r><w:lastRenderedPageBreak/><w:t>b</w:t></w:r>") "<w:tbl><w:tr>" TD(
	             "x") "</w:tr><w:tr><w:tc><w:p><w:r><w:lastRenderedPageBreak/>"
	                  "<w:t>y</w:t></w:r></w:p></w:tc></w:tr></w:tbl>",
	     "p: a @page 1, paragraph 1\np: b @page 2, paragraph 2\nt1 p2 @page 2, table 1\n"
	     "r: x @page 2, table 1, row 1\nr: y @page 3, table 1, row 2\n"},
	    {"explicit page breaks and page break before",
	     P(R("a") "<w:r><w:br w:type=\"page\"/><w:t>b</w:t></w:r>")
	         P("<w:pPr><w:pageBreakBefore/></w:pPr>" R("c")),
	     "p: a b @page 1, paragraph 1\np: c @page 3, paragraph 2\n"},
	};

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		struct buf doc = BUF_INIT;
		struct docx_parts parts = {0};
		struct doc d;
		buf_printf(&doc, DOCUMENT("%s"), cases[i].body);
		parts.document = buf_str(&doc);
		parts.document_len = doc.len;
		doc_init(&d);
		check_int(cases[i].what, read_docx_parts(&parts, &d), 0);
		char *got = doc_render(&d, true);
		check_str(cases[i].what, got, cases[i].want);
		free(got);
		doc_free(&d);
		buf_free(&doc);
	}
}

static void test_hostile_xml(void **state)
{
	static const struct {
		const char *what, *document, *styles, *problem;
	} cases[] = {
	    {"entity expansion in the document",
	     "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b "
	     "\"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]><w:document " W_NS
	     "><w:body>" P(R("&b;")) "</w:body></w:document>",
	     NULL,
	     "word/document.xml declares a DTD (<!DOCTYPE>), which Word never writes: refused "
	     "(entity expansion)"},
	    {"a DTD after a comment, in styles", DOCUMENT(""),
	     "<?xml version=\"1.0\"?><!-- x --><!DOCTYPE s SYSTEM \"http://x/\"><s/>",
	     "word/styles.xml declares a DTD (<!DOCTYPE>), which Word never writes: refused "
	     "(entity expansion)"},
	    {"an undeclared entity", DOCUMENT(P(R("&lol;"))), NULL,
	     "word/document.xml line 2: Entity 'lol' not defined"},
	    {"broken XML names its line", DOCUMENT(P(R("a")) "\n<w:p><w:r></w:p>"), NULL,
	     "word/document.xml line 3: Opening and ending tag mismatch: r line 3 and p"},
	    {"UTF-16 is refused before parsing", "\xFF\xFE<\0?\0x\0m\0l\0", NULL,
	     "word/document.xml is not an XML document in UTF-8"},
	    {"not XML at all", "PK\x03\x04", NULL,
	     "word/document.xml is not an XML document in UTF-8"},
	};

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		struct docx_parts parts = {
		    .document = cases[i].document,
		    .document_len =
		        strlen(cases[i].document) + (cases[i].document[0] == '\xFF' ? 10 : 0),
		    .styles = cases[i].styles,
		    .styles_len = cases[i].styles ? strlen(cases[i].styles) : 0};
		struct doc d;
		doc_init(&d);
		check_int(cases[i].what, read_docx_parts(&parts, &d), -1);
		check_int(cases[i].what, d.n_problems, 1);
		check_str(cases[i].what, d.problems[0].what, cases[i].problem);
		doc_free(&d);
	}
}

static void test_deep_nesting_is_refused(void **state)
{
	struct buf doc = BUF_INIT;
	struct docx_parts parts = {0};
	struct doc d;

	(void)state;
	buf_printf(&doc, "<w:document %s><w:body>", W_NS);
	for (int i = 0; i < 300; i++)
		buf_adds(&doc, "<w:tbl><w:tr><w:tc>");
	for (int i = 0; i < 300; i++)
		buf_adds(&doc, "</w:tc></w:tr></w:tbl>");
	buf_adds(&doc, "</w:body></w:document>");
	parts.document = buf_str(&doc);
	parts.document_len = doc.len;
	doc_init(&d);
	check_int("refused", read_docx_parts(&parts, &d), -1);
	check_int("one problem", d.n_problems, 1);
	if (!strstr(d.problems[0].what, "word/document.xml"))
		fail_msg("the problem names the part: %s", d.problems[0].what);
	doc_free(&d);
	buf_free(&doc);
}

/* ---- the zip stage ------------------------------------------------------------------------ */

struct member {
	const char *name;
	const char *data;
	size_t len; /* 0: strlen(data) */
};

/* An archive of members, deflated, built by libzip in memory; free() it. */
static char *make_zip(const struct member *m, size_t n, size_t *len)
{
	zip_error_t ze;
	zip_source_t *out = zip_source_buffer_create(NULL, 0, 0, &ze);
	zip_t *za;

	zip_source_keep(out);
	za = zip_open_from_source(out, ZIP_TRUNCATE, &ze);
	assert_non_null(za);
	for (size_t i = 0; i < n; i++) {
		size_t size = m[i].len ? m[i].len : strlen(m[i].data);
		zip_source_t *s = zip_source_buffer(za, m[i].data, size, 0);
		assert_true(zip_file_add(za, m[i].name, s, ZIP_FL_ENC_UTF_8) >= 0);
	}
	assert_int_equal(zip_close(za), 0);
	zip_stat_t st;
	assert_int_equal(zip_source_stat(out, &st), 0);
	char *data = malloc(st.size);
	assert_int_equal(zip_source_open(out), 0);
	assert_int_equal(zip_source_read(out, data, st.size), (zip_int64_t)st.size);
	zip_source_close(out);
	zip_source_free(out);
	*len = st.size;
	return data;
}

static void test_docx_archive(void **state)
{
	static const char document[] =
	    DOCUMENT(P(PS("ListNumber") R("Việc")) "<w:tbl><w:tr>" TD("a") "</w:tr></w:tbl>");
	const struct member members[] = {
	    {"[Content_Types].xml", "<Types/>", 0},
	    {"word/document.xml", document, 0},
	    {"word/styles.xml", STYLES, 0},
	    {"word/numbering.xml", NUMBERING, 0},
	};
	size_t len;
	char *zip = make_zip(members, N_ELEMS(members), &len);
	struct doc d;

	(void)state;
	check_int("told by its content", reader_kind_of(zip, len), READER_DOCX);
	doc_init(&d);
	check_int("read", reader_read(zip, len, &d), 0);
	char *got = doc_render(&d, false);
	check_str("reading", got, "p '1.' l1: Việc\nt1\nr: a\n");
	free(got);
	doc_free(&d);

	/* The same archive cut short, and with a byte of its data changed. */
	static const struct {
		const char *what;
		size_t cut, flip;
		const char *problem;
	} damaged[] = {
	    {"cut short", 200, 0, "not a readable zip archive (.docx): Not a zip archive"},
	    {"a changed byte", 0, 1, NULL},
	};
	for (size_t i = 0; i < N_ELEMS(damaged); i++) {
		char *copy = malloc(len);
		memcpy(copy, zip, len);
		size_t n = damaged[i].cut ? damaged[i].cut : len;
		if (damaged[i].flip) {
			/* a byte amid document.xml's deflated data, between its local
			 * header's name and the next member's header */
			const char *name = memmem(copy, len, "word/document.xml", 17);
			const char *next =
			    memmem(name, len - (size_t)(name - copy), "PK\x03\x04", 4);
			copy[(name + 17 - copy + next - copy) / 2] ^= 0x55;
		}
		doc_init(&d);
		check_int(damaged[i].what, read_docx(copy, n, &d), -1);
		check_int(damaged[i].what, d.n_problems >= 1, 1);
		if (damaged[i].problem)
			check_str(damaged[i].what, d.problems[0].what, damaged[i].problem);
		doc_free(&d);
		free(copy);
	}
	free(zip);
}

static void test_refused_archives(void **state)
{
	/* 9 MB of one byte: deflates a thousandfold, as a bomb does. */
	const size_t bomb_len = 9u << 20, big_len = DOCX_MAX_BYTES + 1;
	char *bomb = malloc(big_len);
	static const char document[] = DOCUMENT(P(R("x")));

	(void)state;
	memset(bomb, ' ', big_len);
	const struct {
		const char *what;
		struct member m[2];
		size_t n;
		const char *problem;
	} cases[] = {
	    {"no document part",
	     {{"word/other.xml", document, 0}},
	     1,
	     "no word/document.xml: not a Word document"},
	    {"a zip bomb by ratio",
	     {{"word/document.xml", document, 0}, {"word/styles.xml", bomb, bomb_len}},
	     2,
	     "word/styles.xml unpacks 9437184 bytes from"},
	    {"past the budget",
	     {{"word/document.xml", bomb, big_len}},
	     1,
	     "word/document.xml unpacks to 67108865 bytes, more than the 64 MB a document may "
	     "hold (a zip bomb?)"},
	};
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		size_t len;
		char *zip = make_zip(cases[i].m, cases[i].n, &len);
		struct doc d;
		doc_init(&d);
		check_int(cases[i].what, read_docx(zip, len, &d), -1);
		check_refusal(cases[i].what, &d, cases[i].problem);
		doc_free(&d);
		free(zip);
	}
	free(bomb);
}

/* The reader a file needs, by its bytes (reader.c), and the formats refused. */
static void test_reader_kinds(void **state)
{
	static const struct {
		const char *what;
		const char *data;
		size_t len;
		enum reader_kind want;
		const char *problem; /* NULL: read (text) */
	} cases[] = {
	    {"text", "STT\tNội dung\tChủ trì\n1\tViệc\tSở Y tế\n", 0, READER_TEXT, NULL},
	    {"PDF after junk", "\n\n%PDF-1.7\n", 0, READER_PDF, "not a readable PDF: "},
	    {"old Word", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0", 11, READER_DOC,
	     "an old binary Word document (.doc), which is not read: open it in Word and use "
	     "Save as .docx, or convert it with 'soffice --headless --convert-to docx FILE'"},
	    {"password-protected .docx",
	     "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1...E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0",
	     43, READER_LOCKED,
	     "a password-protected Office document, which cannot be read: remove the password "
	     "in Word (File > Info > Protect Document) and save again"},
	    {"OpenDocument", "PK\x03\x04....mimetypeapplication/vnd.oasis.opendocument.text", 0,
	     READER_ODT,
	     "an OpenDocument text (.odt), which is not read: save it as .docx, or convert it "
	     "with 'soffice --headless --convert-to docx FILE'"},
	    {"another zip", "PK\x03\x04....xl/workbook.xml", 0, READER_ZIP,
	     "a zip archive without word/document.xml: not a Word document (.docx)"},
	};

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		size_t len = cases[i].len ? cases[i].len : strlen(cases[i].data);
		struct doc d;
		check_int(cases[i].what, reader_kind_of(cases[i].data, len), cases[i].want);
		doc_init(&d);
		int rc = reader_read(cases[i].data, len, &d);
		check_int(cases[i].what, rc, cases[i].problem ? -1 : 0);
		if (cases[i].problem)
			check_refusal(cases[i].what, &d, cases[i].problem);
		doc_free(&d);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_paragraphs_and_runs),
	    cmocka_unit_test(test_numbering),
	    cmocka_unit_test(test_tables),
	    cmocka_unit_test(test_pages),
	    cmocka_unit_test(test_hostile_xml),
	    cmocka_unit_test(test_deep_nesting_is_refused),
	    cmocka_unit_test(test_docx_archive),
	    cmocka_unit_test(test_refused_archives),
	    cmocka_unit_test(test_reader_kinds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
