"""Writes the seed corpora of fuzz_docx and fuzz_pdf (tests/fuzz/corpus/docx,
corpus/pdf): small files of each shape the readers meet, good and hostile.
Run with /usr/bin/python3 from the repository's root; the files it writes
are committed, so this runs only when the seeds should change."""
import io
import os
import struct
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "system"))
import docgen  # noqa: E402

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def document(body):
    return f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{body}</w:body></w:document>'


def p(text, props=""):
    return f'<w:p>{props}<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def tc(text, props=""):
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{p(text)}</w:tc>"


NUMBERING = (f'<?xml version="1.0"?><w:numbering {W}><w:abstractNum w:abstractNumId="1">'
             '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/>'
             '<w:lvlText w:val="%1."/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/>'
             '<w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2)"/></w:lvl></w:abstractNum>'
             '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num></w:numbering>')
STYLES = (f'<?xml version="1.0"?><w:styles {W}><w:style w:type="paragraph" w:styleId="H1">'
          '<w:name w:val="heading 1"/><w:rPr><w:b/></w:rPr></w:style></w:styles>')
NUM = '<w:pPr><w:numPr><w:ilvl w:val="{}"/><w:numId w:val="1"/></w:numPr></w:pPr>'
TABLE = ("<w:tbl><w:tr><w:trPr><w:tblHeader/></w:trPr>" + tc("STT") + tc("Nội dung") +
         tc("Chủ trì") + "</w:tr><w:tr>" + tc("1") + tc("Việc một") +
         tc("Sở Y tế", '<w:vMerge w:val="restart"/>') + "</w:tr><w:tr>" + tc("2") +
         tc("Việc hai") + tc("", "<w:vMerge/>") + "</w:tr><w:tr>" +
         tc("II. Phần hai", '<w:gridSpan w:val="3"/>') + "</w:tr></w:tbl>")
PLAN = document(p("KẾ HOẠCH", '<w:pPr><w:pStyle w:val="H1"/></w:pPr>') + p("Mục", NUM.format(0)) +
                p("ý", NUM.format(1)) + TABLE +
                '<w:p><w:r><w:t>Qu</w:t></w:r><w:del><w:r><w:delText>x</w:delText></w:r>'
                '</w:del><w:ins><w:r><w:t>ý II</w:t></w:r></w:ins><w:r><w:br/>'
                '<w:lastRenderedPageBreak/><w:instrText>PAGE</w:instrText></w:r></w:p>')
LAUGHS = ('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
          '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>'
          f'<w:document {W}><w:body>{p("&c;")}</w:body></w:document>')


def docx(parts, method=zipfile.ZIP_DEFLATED):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        for name, text in parts.items():
            z.writestr(name, text)
    return out.getvalue()


def lying_bomb():
    """A member whose directory says 100 bytes and which unpacks to 70 MB."""
    data = docx({"word/document.xml": b" " * (70 << 20)})
    return data.replace(struct.pack("<I", 70 << 20), struct.pack("<I", 100))


def pdf(pages, broken_xref=False):
    objs = ["<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [%s] /Count %d >>" % (
                " ".join(f"{4 + 2 * i} 0 R" for i in range(len(pages))), len(pages)),
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    for i, content in enumerate(pages):
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources "
                    f"<< /Font << /F1 3 0 R >> >> /Contents {5 + 2 * i} 0 R >>")
        objs.append(f"<< /Length {len(content)} >> stream\n{content}\nendstream")
    out, offsets = "%PDF-1.4\n", []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj {o} endobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n"
    out += "".join(f"{o + (9 if broken_xref else 0):010d} 00000 n \n" for o in offsets)
    out += f"trailer << /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    return out.encode("latin-1")


def text(x, y, s):
    return f"BT /F1 10 Tf {x} {y} Td ({s}) Tj ET\n"


def words(rows):
    """Seed word streams for the layout mode: (page, x, y, width, height, word index)."""
    return b"".join(struct.pack(">BHHBBB", *r) for r in rows)


def main():
    docx_dir = os.path.join(HERE, "corpus", "docx")
    pdf_dir = os.path.join(HERE, "corpus", "pdf")
    os.makedirs(docx_dir, exist_ok=True)
    os.makedirs(pdf_dir, exist_ok=True)
    full = docx({"word/document.xml": PLAN, "word/styles.xml": STYLES,
                 "word/numbering.xml": NUMBERING})
    seeds = {
        "plan.docx": full,
        "stored.docx": docx({"word/document.xml": PLAN}, zipfile.ZIP_STORED),
        "cut.docx": full[: len(full) // 2],
        "laughs.docx": docx({"word/document.xml": LAUGHS}),
        "bomb.docx": lying_bomb(),
        "parts.xml": (PLAN + "\0\0" + STYLES + "\0\0" + NUMBERING).encode(),
        "laughs.xml": LAUGHS.encode(),
        "broken.xml": PLAN[: len(PLAN) // 2].encode(),
    }
    for name, data in seeds.items():
        with open(os.path.join(docx_dir, name), "wb") as f:
            f.write(data)
    plan_pages = [text(250, 780, "KE HOACH") + text(60, 750, "1. Muc tieu") +
                  text(60, 720, "STT") + text(100, 720, "Noi dung") + text(300, 720, "Chu tri") +
                  text(60, 700, "1") + text(100, 700, "Nang cap") + text(300, 700, "So Y te") +
                  text(290, 30, "Trang 1"),
                  text(60, 780, "2") + text(100, 780, "Ra soat") + text(300, 780, "So Noi vu") +
                  text(290, 30, "Trang 2")]
    pdfs = {
        "plan.pdf": pdf(plan_pages),
        "broken-xref.pdf": pdf(plan_pages, broken_xref=True),
        "scanned.pdf": pdf(["0 0 m 300 300 l S"]),
        "truncated.pdf": pdf(plan_pages)[:300],
        "table.words": words([(0, 60, 100, 15, 10, 8), (0, 100, 100, 20, 10, 9),
                              (0, 300, 100, 15, 10, 11), (0, 60, 118, 5, 10, 0),
                              (0, 100, 118, 60, 10, 14), (0, 300, 118, 40, 10, 15),
                              (0, 100, 130, 50, 10, 16), (0, 60, 150, 8, 10, 1),
                              (1, 60, 100, 15, 10, 8), (1, 290, 820, 20, 10, 18)]),
        "list.words": words([(0, 60, 100, 10, 10, 4), (0, 90, 100, 200, 10, 9),
                             (0, 90, 112, 100, 10, 10), (0, 60, 124, 10, 10, 5)]),
    }
    blocks = [docgen.Para("KẾ HOẠCH", bold=True),
              docgen.Table([docgen.Row([docgen.Cell("STT"), docgen.Cell("Nội dung"),
                                        docgen.Cell("Chủ trì")], header=True),
                            docgen.Row([docgen.Cell("1"), docgen.Cell("Việc một"),
                                        docgen.Cell("Sở Y tế")])])]
    path = os.path.join(pdf_dir, "vietnamese.pdf")
    docgen.write_pdf(blocks, path)
    for name, data in pdfs.items():
        with open(os.path.join(pdf_dir, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
