"""Test documents made from one model, in the three forms an office sends:
text (Markdown pipe tables and paragraphs), Word (python-docx) and PDF
(reportlab, with a Unicode font), so that a test can import all three and
compare what came out.

The model is a list of blocks:
  Para(text, number="1.", bold=True, heading=1)
  Table([Row([Cell("STT"), Cell("Nội dung")], header=True),
         Row([Cell("1"), Cell("Việc", span=1), Cell("Sở Y tế", merge="restart")]),
         Row([Cell("2"), Cell("Việc hai"), Cell("", merge="continue")])])
A merged cell's text is written once (where it starts) in every form; the
text form, like a web page copied out, leaves the cells it covers empty.

The Word form is written the way offices write: automatic list numbers
(w:numPr) in place of typed ones when asked, runs cut in mid-word with
proofing marks between them, header rows marked to repeat, vertical merges
and column spans as Word stores them. The PDF form draws real ruled tables
(repeated header rows, spans), a running header and page numbers on each
page, in DejaVu Sans.

text_to_blocks() turns a plan's text (Markdown pipe tables, flattened
one-cell-per-line tables between '|' lines, paragraphs) into the model:
each table of the text becomes one table, the rest paragraphs.

Run with /usr/bin/python3 (Debian's python3-docx and python3-reportlab):
  docgen.py docx PLAN.txt OUT.docx      docgen.py pdf PLAN.txt OUT.pdf
"""
import copy
import re
import sys
from dataclasses import dataclass, field
from typing import List, Optional

FONT_DIR = "/usr/share/fonts/truetype/dejavu/"


@dataclass
class Cell:
    text: str = ""
    span: int = 1
    merge: Optional[str] = None  # "restart" or "continue"
    bold: bool = False
    italic: bool = False


@dataclass
class Row:
    cells: List[Cell]
    header: bool = False


@dataclass
class Table:
    rows: List[Row]


@dataclass
class PageBreak:
    """The next block begins a new page."""


@dataclass
class Para:
    text: str
    number: str = ""
    bold: bool = False
    italic: bool = False
    heading: int = 0


# ---- text ------------------------------------------------------------------------------------

def _md(text, bold, italic):
    if bold and text:
        return f"**{text}**"
    if italic and text:
        return f"*{text}*"
    return text


def to_text(blocks):
    """The blocks as a text file: paragraphs apart, tables as pipe tables."""
    out = []
    for b in blocks:
        if isinstance(b, PageBreak):
            out.append("\f")
            continue
        if isinstance(b, Para):
            line = (b.number + " " if b.number else "") + b.text.replace("\n", " ")
            out.append(("#" * b.heading + " " if b.heading else "") + _md(line, b.bold, b.italic))
            out.append("")
            continue
        width = grid_width(b)
        header_done = False
        for row in b.rows:
            cells = []
            for c in row.cells:
                cells.append(_md(c.text.replace("\n", " "), c.bold, c.italic)
                             if c.merge != "continue" else "")
                cells.extend([""] * (c.span - 1))
            cells.extend([""] * (width - len(cells)))
            out.append("| " + " | ".join(cells) + " |")
            if row.header and not header_done and (row is b.rows[-1] or not
                                                   b.rows[b.rows.index(row) + 1].header):
                out.append("|" + "---|" * width)
                header_done = True
        out.append("")
    return "\n".join(out)


def to_flat_text(blocks):
    """The blocks as a web page copied out: tables one cell per line between
    '|' lines, a row ending at two '|' lines; cells merged from above at the
    end of a row are left out (the row comes short), an empty cell inside a
    row is "** **", a page break a form feed."""
    out = []
    for b in blocks:
        if isinstance(b, PageBreak):
            out.append("\f")
        elif isinstance(b, Para):
            out.append(to_text([b]))
        else:
            for row in b.rows:
                cells = [c for c in row.cells]
                while cells and cells[-1].merge == "continue":
                    cells.pop()
                out.append("|")
                for c in cells:
                    text = c.text if c.merge != "continue" else ""
                    out.append(_md(text, c.bold, c.italic) if text else "** **")
                    out.append("|")
            out.append("|")
            out.append("")
    return "\n".join(out) + "\n"


def grid_width(table):
    return max(sum(c.span for c in r.cells) for r in table.rows)


# ---- Word ------------------------------------------------------------------------------------

_LIST_FORMATS = [  # marker pattern, numFmt, lvlText, value of the marker
    (r"^(\d+)\.$", "decimal", "%1.", int),
    (r"^(\d+)\)$", "decimal", "%1)", int),
    (r"^([a-z])\)$", "lowerLetter", "%1)", lambda s: ord(s) - ord("a") + 1),
    (r"^([a-z])\.$", "lowerLetter", "%1.", lambda s: ord(s) - ord("a") + 1),
    (r"^([IVX]+)\.$", "upperRoman", "%1.", lambda s: _roman(s)),
    (r"^([A-Z])\.$", "upperLetter", "%1.", lambda s: ord(s) - ord("A") + 1),
]


def _roman(s):
    values = {"I": 1, "V": 5, "X": 10}
    total = 0
    for i, ch in enumerate(s):
        v = values[ch]
        total += -v if i + 1 < len(s) and values[s[i + 1]] > v else v
    return total


class _Numbering:
    """Word lists for typed markers: one abstract list per marker format,
    and a new num (restarted with w:startOverride) whenever the typed
    number does not follow the one before in that format."""

    def __init__(self, document):
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        self.E, self.qn = OxmlElement, qn
        self.root = document.part.numbering_part.element
        self.abstract = {}  # numFmt+lvlText -> abstractNumId
        self.current = {}   # same key -> (numId, last value)
        self.next_id = 900

    def _el(self, tag, **attrs):
        e = self.E(tag)
        for k, v in attrs.items():
            e.set(self.qn("w:" + k), str(v))
        return e

    def _abstract(self, fmt, text):
        key = (fmt, text)
        if key not in self.abstract:
            aid = self.next_id = self.next_id + 1
            a = self._el("w:abstractNum", abstractNumId=aid)
            lvl = self._el("w:lvl", ilvl=0)
            lvl.append(self._el("w:start", val=1))
            lvl.append(self._el("w:numFmt", val=fmt))
            lvl.append(self._el("w:lvlText", val=text))
            a.append(lvl)
            # abstractNum elements come before num elements
            nums = self.root.findall(self.qn("w:num"))
            if nums:
                nums[0].addprevious(a)
            else:
                self.root.append(a)
            self.abstract[key] = aid
        return self.abstract[key]

    def num_for(self, marker):
        """(numId, 0) showing marker, or None when Word cannot number so."""
        for pattern, fmt, text, value in _LIST_FORMATS:
            m = re.match(pattern, marker)
            if not m:
                continue
            v = value(m.group(1))
            key = (fmt, text)
            aid = self._abstract(fmt, text)
            num, last = self.current.get(key, (None, None))
            if num is None or last + 1 != v:
                num = self.next_id = self.next_id + 1
                n = self._el("w:num", numId=num)
                n.append(self._el("w:abstractNumId", val=aid))
                o = self._el("w:lvlOverride", ilvl=0)
                o.append(self._el("w:startOverride", val=v))
                n.append(o)
                self.root.append(n)
            self.current[key] = (num, v)
            return num
        return None

    def apply(self, paragraph, num):
        ppr = paragraph._p.get_or_add_pPr()
        numpr = self._el("w:numPr")
        numpr.append(self._el("w:ilvl", val=0))
        numpr.append(self._el("w:numId", val=num))
        ppr.append(numpr)


def _add_runs(paragraph, text, bold, italic, split):
    """text as runs; with split, cut every few characters (mid-word) with
    proofing marks between, as Word leaves after spell checking."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    lines = text.split("\n")
    for li, line in enumerate(lines):
        pieces = [line[i:i + 5] for i in range(0, len(line), 5)] if split else [line]
        for k, piece in enumerate(pieces):
            if split and k % 3 == 1:
                mark = OxmlElement("w:proofErr")
                mark.set(qn("w:type"), "spellStart")
                paragraph._p.append(mark)
            run = paragraph.add_run(piece)
            run.bold = bold or None
            run.italic = italic or None
        if li + 1 < len(lines):
            paragraph.add_run().add_break()


def _mark_header(row):
    from docx.oxml import OxmlElement
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:tblHeader"))


def write_docx(blocks, path, auto_numbers=True, split_runs=True, line_breaks=False):
    """The blocks as a .docx. auto_numbers: typed list markers become Word
    list numbering; split_runs: runs cut mid-word; line_breaks: a cell's
    lines are w:br breaks rather than paragraphs."""
    import docx
    document = docx.Document()
    numbering = _Numbering(document)
    for b in blocks:
        if isinstance(b, PageBreak):
            document.add_page_break()
            continue
        if isinstance(b, Para):
            style = f"Heading {b.heading}" if b.heading else None
            p = document.add_paragraph(style=style)
            num = numbering.num_for(b.number) if auto_numbers and b.number else None
            if num:
                numbering.apply(p, num)
            text = b.text if num or not b.number else b.number + " " + b.text
            _add_runs(p, text, b.bold, b.italic, split_runs)
            continue
        _add_table(document, b, split_runs, line_breaks)
    document.save(path)


def _add_table(document, table, split_runs, line_breaks):
    """One Word table. Cells are reached through the XML rows (python-docx's
    Table.cell walks the whole table on each call); merges are done last,
    one rectangle each, as Word stores them (gridSpan, vMerge)."""
    from docx.table import _Cell
    t = document.add_table(rows=len(table.rows), cols=grid_width(table))
    t.style = "Table Grid"
    grid = [list(tr.tc_lst) for tr in t._tbl.tr_lst]
    rects, open_merge = [], {}  # column -> index in rects of the merge going down it
    for ri, row in enumerate(table.rows):
        if row.header:
            _mark_header(t.rows[ri])
        col = 0
        for c in row.cells:
            if c.merge == "continue" and col in open_merge:
                r = rects[open_merge[col]]
                rects[open_merge[col]] = (r[0], r[1], ri, max(r[3], col + c.span - 1))
            else:
                open_merge.pop(col, None)
                if c.merge == "restart":
                    open_merge[col] = len(rects)
                rects.append((ri, col, ri, col + c.span - 1))
                _fill_cell(_Cell(grid[ri][col], t), c, split_runs, line_breaks)
            col += c.span
    for r0, c0, r1, c1 in rects:
        if (r0, c0) != (r1, c1):
            _Cell(grid[r0][c0], t).merge(_Cell(grid[r1][c1], t))


def _fill_cell(cell, c, split, line_breaks):
    lines = c.text.split("\n") if c.text else [""]
    p = cell.paragraphs[0]
    if line_breaks:
        _add_runs(p, c.text, c.bold, c.italic, split)
        return
    for i, line in enumerate(lines):
        if i:
            p = cell.add_paragraph()
        _add_runs(p, line, c.bold, c.italic, split)


# ---- PDF -------------------------------------------------------------------------------------

RUNNING_HEADER = "CỔNG THÔNG TIN ĐIỆN TỬ — văn bản số"


def write_pdf(blocks, path, running_header=RUNNING_HEADER, password=None):
    """The blocks as a PDF: ruled tables with repeated header rows, a
    running header and page number on every page; encrypted when a
    password is given."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import PageBreak as RLPageBreak
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer
    from reportlab.platypus import Table as RLTable
    from reportlab.platypus import TableStyle
    from xml.sax.saxutils import escape

    for name, file in (("DejaVu", "DejaVuSans.ttf"), ("DejaVu-Bold", "DejaVuSans-Bold.ttf"),
                       ("DejaVu-Oblique", "DejaVuSans-Oblique.ttf"),
                       ("DejaVu-BoldOblique", "DejaVuSans-BoldOblique.ttf")):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, FONT_DIR + file))
    from reportlab.pdfbase.pdfmetrics import registerFontFamily
    registerFontFamily("DejaVu", normal="DejaVu", bold="DejaVu-Bold", italic="DejaVu-Oblique",
                       boldItalic="DejaVu-BoldOblique")

    wide = any(isinstance(b, Table) and grid_width(b) >= 6 for b in blocks)
    pagesize = landscape(A4) if wide else A4
    margin = 56
    frame_width = pagesize[0] - 2 * margin
    body = ParagraphStyle("body", fontName="DejaVu", fontSize=9, leading=11.5, spaceAfter=4)
    cell_style = ParagraphStyle("cell", fontName="DejaVu", fontSize=8, leading=10)

    def markup(text, bold, italic):
        s = escape(text).replace("\n", "<br/>")
        if bold:
            s = f"<b>{s}</b>"
        if italic:
            s = f"<i>{s}</i>"
        return s

    def widths(table):
        n = grid_width(table)
        longest_word = [20.0] * n
        weight = [1.0] * n
        for row in table.rows:
            col = 0
            for c in row.cells:
                if c.span == 1 and c.merge != "continue":
                    font = "DejaVu-Bold" if c.bold else "DejaVu"
                    for word in c.text.split():
                        w = pdfmetrics.stringWidth(word, font, 8) + 8
                        longest_word[col] = max(longest_word[col], w)
                    weight[col] = max(weight[col], min(len(c.text), 300) ** 0.7)
                col += c.span
        spare = frame_width - sum(longest_word)
        if spare <= 0:
            scale = frame_width / sum(longest_word)
            return [w * scale for w in longest_word]
        total = sum(weight)
        return [lw + spare * w / total for lw, w in zip(longest_word, weight)]

    story = []
    for b in blocks:
        if isinstance(b, PageBreak):
            story.append(RLPageBreak())
            continue
        if isinstance(b, Para):
            text = (b.number + " " if b.number else "") + b.text
            size = {1: 13, 2: 11}.get(b.heading, 9)
            style = ParagraphStyle(f"h{b.heading}", parent=body, fontSize=size,
                                   leading=size * 1.3)
            story.append(Paragraph(markup(text, b.bold or b.heading > 0, b.italic), style))
            continue
        n = grid_width(b)
        data, commands = [], [("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                              ("VALIGN", (0, 0), (-1, -1), "TOP"),
                              ("FONTNAME", (0, 0), (-1, -1), "DejaVu")]
        starts = {}
        for ri, row in enumerate(b.rows):
            line, col = [], 0
            for c in row.cells:
                if c.merge == "continue" and col in starts:
                    commands.append(("SPAN", (col, starts[col]), (col + c.span - 1, ri)))
                    line.append("")
                else:
                    starts.pop(col, None)
                    if c.merge == "restart":
                        starts[col] = ri
                    line.append(Paragraph(markup(c.text, c.bold, c.italic), cell_style))
                    if c.span > 1:
                        commands.append(("SPAN", (col, ri), (col + c.span - 1, ri)))
                line.extend([""] * (c.span - 1))
                col += c.span
            line.extend([""] * (n - len(line)))
            data.append(line)
        # Spans of rows merge with the column spans of their first row.
        commands = _merge_spans(commands)
        headers = 0
        while headers < len(b.rows) and b.rows[headers].header:
            headers += 1
        story.append(Spacer(1, 4))
        story.append(RLTable(data, colWidths=widths(b), repeatRows=headers, splitInRow=1,
                             style=TableStyle(commands)))
        story.append(Spacer(1, 6))

    def furniture(canvas, doc):
        canvas.saveState()
        canvas.setFont("DejaVu", 8)
        if running_header:
            canvas.drawString(margin, pagesize[1] - 30, running_header)
        canvas.drawCentredString(pagesize[0] / 2, 24, f"Trang {doc.page}")
        canvas.restoreState()

    doc = SimpleDocTemplate(path, pagesize=pagesize, leftMargin=margin, rightMargin=margin,
                            topMargin=60, bottomMargin=50, encrypt=password)
    doc.build(story, onFirstPage=furniture, onLaterPages=furniture)


def write_scanned_pdf(path):
    """A PDF of drawings only, as a scanner's pages are: no text layer."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas
    c = canvas.Canvas(path, pagesize=A4)
    for page in range(2):
        for i in range(40):
            c.rect(60, 780 - 18 * i, 300 + 5 * (i % 7), 8, fill=1)
        c.showPage()
    c.save()


def _merge_spans(commands):
    """A vertical SPAN over columns that a row's own SPAN already joins
    becomes one rectangle; reportlab wants spans that do not overlap."""
    spans = [c for c in commands if c[0] == "SPAN"]
    others = [c for c in commands if c[0] != "SPAN"]
    merged = []
    for _, (c0, r0), (c1, r1) in spans:
        for i, (_, (a0, b0), (a1, b1)) in enumerate(merged):
            if not (c1 < a0 or a1 < c0 or r1 < b0 or b1 < r0):
                merged[i] = ("SPAN", (min(a0, c0), min(b0, r0)), (max(a1, c1), max(b1, r1)))
                break
        else:
            merged.append(("SPAN", (c0, r0), (c1, r1)))
    return others + merged


# ---- plan text into the model -------------------------------------------------------------

def _plain(text):
    """Markdown emphasis removed, as a reader of the text sees it: runs of
    two or three '*' always go, a lone '*' unless it stands between spaces
    or in "(*)"; and whether all of the text was bold / italic."""
    text = text.strip()
    bold = len(text) > 4 and text.startswith("**") and text.endswith("**")
    italic = not bold and len(text) > 2 and text[0] == "*" and text[-1] == "*"
    s = re.sub(r"\*{2,3}", "", text)
    s = re.sub(r"(?<![ (])\*|\*(?![ )])", "", s)
    return re.sub(r"[ \t]+", " ", s).strip(), bold, italic


def _cell(text):
    t, bold, italic = _plain(" ".join(l.strip() for l in text.split("\n")))
    return Cell(t, bold=bold and bool(t), italic=italic and bool(t))


def _pipe_row(line):
    inner = line.strip()
    if inner.startswith("|"):
        inner = inner[1:]
    if inner.endswith("|"):
        inner = inner[:-1]
    return [_cell(c) for c in inner.split("|")]


def _is_rule(line):
    return bool(re.fullmatch(r"\s*\|?(\s*:?-{3,}:?\s*\|)+\s*:?-*:?\s*\|?\s*", line))


def _flat_rows(lines):
    """A flattened table's rows: cells between '|' lines, a row ending at
    two '|' lines in a row (blank lines between them aside)."""
    rows, cells, text = [], [], []
    for line in lines:
        if line.strip() == "|":
            if text:
                cells.append(_cell("\n".join(text)))
                text = []
            elif cells:
                rows.append(Row(cells))
                cells = []
        elif line.strip() or text:
            text.append(line)
    if text:
        cells.append(_cell("\n".join(text)))
    if cells:
        rows.append(Row(cells))
    return rows


def _typical_width(rows):
    widths = [len(r.cells) for r in rows[:6] if len(r.cells) > 2]
    return max(set(widths), key=widths.count) if widths else 0


def _split_tables(rows):
    """Tables a copy ran together: a row wider than the rows after it ends
    the table before (its first cells) and starts the next (its last
    cells: that table's header), what lies between being paragraphs."""
    out, current = [], []  # [("table", rows) | ("para", cell)]
    for i, row in enumerate(rows):
        after = _typical_width(rows[i + 1:])
        width = _typical_width(current) if current else 0
        if after and len(row.cells) >= after + 2 and (not current or len(row.cells) >= width + 2):
            head, tail = row.cells[:-after], row.cells[-after:]
            if current:
                current.append(Row(head[:width]))
                out.append(("table", current))
            out.extend(("para", c) for c in head[width:] if c.text)
            current = [Row(tail)]
        else:
            current.append(row)
    if current:
        out.append(("table", current))
    return out


def _normalise(table):
    """Short rows (cells a row span took away in the source) end in cells
    merged with the ones above, as in the Word original; the first row's
    bold cells are a header."""
    width = max(len(r.cells) for r in table.rows)
    # A row of one cell after a short row is that row's last cell, which
    # the copy put on a row of its own.
    rows = []
    for row in table.rows:
        if rows and len(row.cells) == 1 and 1 < len(rows[-1].cells) < width:
            rows[-1].cells.append(row.cells[0])
        else:
            rows.append(row)
    table.rows = rows
    for i, row in enumerate(table.rows):
        above = table.rows[i - 1] if i else None
        # A short row of emphasised cells is a section title: nothing above
        # reaches into it; a short row of data lost its cells to a row span:
        # its number's when it starts with text under a numbered row, else
        # the last ones.
        titled = all(c.bold or c.italic for c in row.cells if c.text)
        header_above = above is not None and all(c.bold for c in above.cells if c.text)
        if (len(row.cells) < width and above and not titled and not header_above and row.cells
                and not _INDEX.match(row.cells[0].text)
                and (_INDEX.match(above.cells[0].text) or above.cells[0].merge == "continue")):
            if above.cells[0].merge is None:
                above.cells[0].merge = "restart"
            row.cells.insert(0, Cell("", merge="continue"))
        for col in range(len(row.cells), width):
            a = above.cells[col] if above and col < len(above.cells) else None
            if a and not titled and not header_above and (a.text or a.merge == "continue"):
                if a.merge is None:
                    a.merge = "restart"
                row.cells.append(Cell("", merge="continue"))
            else:
                row.cells.append(Cell(""))
    if all(c.bold or not c.text for c in table.rows[0].cells):
        table.rows[0].header = True
    return table


MAX_CELL_LINES = 30
_INDEX = re.compile(r"^\s*(\d+(\.\d+)*|[IVXLC]+|[a-zđ]|[A-Z])[.)]?\s*$")
# Where a text without blank lines still begins a paragraph: a list marker,
# a bold or italic run at the start of the line.
_STARTS_PARAGRAPH = re.compile(r"^\s*(\d+(\.\d+)*[.)]\s|[a-zđ]\)\s|[IVX]+\.\s|[-+•]\s|\*)")


def text_to_blocks(text):
    """A plan's text as blocks: each pipe or flattened table one table,
    every other run of lines between blank lines a paragraph."""
    lines = text.split("\n")
    if lines and lines[0].startswith("# source:"):
        lines = lines[1:]
    blocks, para, i = [], [], 0

    def flush():
        if para:
            joined = " ".join(l.strip() for l in para)
            heading = 0
            m = re.match(r"^(#+)\s+(.*)$", joined)
            if m:
                heading, joined = min(len(m.group(1)), 3), m.group(2)
            t, bold, italic = _plain(joined)
            if t:
                blocks.append(Para(t, bold=bold, italic=italic, heading=heading))
            para.clear()

    while i < len(lines):
        line = lines[i]
        if line.strip() == "|":  # a flattened table
            flush()
            j, cell_lines = i, 0
            while j < len(lines):
                if lines[j].strip() == "|":
                    cell_lines = 0
                    k = j + 1
                    while k < len(lines) and not lines[k].strip():
                        k += 1
                    if k > j + 1 and (k >= len(lines) or lines[k].strip() != "|"):
                        break  # a blank line after a '|' and no '|' after it: the end
                elif lines[j].strip():
                    cell_lines += 1
                    if cell_lines > MAX_CELL_LINES:
                        # body text, not a cell: the table ended at the last '|'
                        j -= cell_lines
                        break
                j += 1
            for kind, part in _split_tables(_flat_rows(lines[i:j + 1])):
                if kind == "para":
                    blocks.append(Para(part.text, bold=part.bold, italic=part.italic))
                elif part:
                    blocks.append(_normalise(Table(part)))
            i = j + 1
            continue
        if line.lstrip().startswith("|") and line.rstrip().endswith("|") and line.count("|") >= 3:
            flush()
            rows = []
            while i < len(lines) and lines[i].lstrip().startswith("|"):
                if _is_rule(lines[i]):
                    for r in rows:
                        r.header = True
                else:
                    rows.append(Row(_pipe_row(lines[i])))
                i += 1
            if rows:
                blocks.append(_normalise(Table(rows)))
            continue
        if not line.strip():
            flush()
        else:
            if para and _STARTS_PARAGRAPH.match(line):
                flush()
            para.append(line)
        i += 1
    flush()
    return blocks


def main(argv):
    if len(argv) != 4 or argv[1] not in ("docx", "pdf", "text"):
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    with open(argv[2], encoding="utf-8") as f:
        blocks = text_to_blocks(f.read())
    if argv[1] == "docx":
        write_docx(blocks, argv[3], auto_numbers=False)
    elif argv[1] == "pdf":
        write_pdf(blocks, argv[3])
    else:
        with open(argv[3], "w", encoding="utf-8") as f:
            f.write(to_text(blocks))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
