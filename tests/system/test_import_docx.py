"""`deadlinectl import` of plans as offices send them: Word (.docx) and PDF.

Every document here is written by the test (tests/system/docgen.py) from
one model in three forms — text, .docx (python-docx) and PDF (reportlab,
DejaVu Sans) — and each form is imported into its own store; the tasks
must be the same, and must be the ones the model says. The Word forms are
written as offices write them: automatic list numbers, runs cut in
mid-word, vertical merges, column spans, header rows, cells of several
paragraphs or line breaks; the PDFs draw ruled tables with repeated
headers, a running header and page numbers.

The ten plans of ../shared/plans (read in place, skipped when absent) are
turned into .docx and PDF in a temporary directory: the Word form must
find exactly the text form's tasks; the PDF form at least 90 % of them and
at most 5 % more (the issue's bar), with the same titles, leads and
timeframes for at least 80 % (a PDF loses row spans: a merged number cell
across a page break, text of a merged cell running over the rows below).

Hostile files — a zip bomb, a damaged zip, entity expansion, an old .doc,
an encrypted or scanned or truncated PDF — are refused with a message
naming the file and what is wrong, in text and in JSON, and nothing is
stored. `import --explain` gives page, table and row numbers."""
import glob
import io
import json
import os
import struct
import tempfile
import zipfile
from collections import Counter

import docgen
from docgen import Cell, Para, Row, Table
from harness import ROOT, Skip, Workdir, check, ctl, run_tests

PLANS = os.path.abspath(os.path.join(ROOT, "..", "shared", "plans"))


def H(text):
    return Cell(text, bold=True)


# A plan with a table: a spanned section row, a cell of two paragraphs, a
# timeframe merged over two rows, coordinating agency and timeframe merged
# together, an empty cell, then a reporting duty.
TABLE_PLAN = [
    Para("KẾ HOẠCH", bold=True),
    Para("Triển khai chuyển đổi số của tỉnh năm 2025", bold=True),
    Para("MỤC TIÊU", number="I.", bold=True),
    Para("Hoàn thành các nhiệm vụ dưới đây đúng thời hạn, bảo đảm chất lượng."),
    Table([
        Row([H("STT"), H("Nội dung công việc"), H("Đơn vị chủ trì"), H("Đơn vị phối hợp"),
             H("Thời gian hoàn thành")], header=True),
        Row([H("A"), Cell("HẠ TẦNG SỐ", bold=True, span=4)]),
        Row([Cell("1"), Cell("Nâng cấp mạng nội bộ\ncho các cơ quan cấp tỉnh"),
             Cell("Sở Khoa học và Công nghệ"), Cell("Sở Nội vụ"),
             Cell("Quý II/2025", merge="restart")]),
        Row([Cell("2"), Cell("Rà soát thiết bị đầu cuối của các cơ quan nhà nước"),
             Cell("Sở Y tế"), Cell("Sở Tài chính"), Cell("", merge="continue")]),
        Row([H("B"), Cell("DỮ LIỆU SỐ", bold=True, span=4)]),
        Row([Cell("1"), Cell("Số hoá hồ sơ lưu trữ"), Cell("Sở Nội vụ"),
             Cell("Sở Tư pháp", merge="restart"), Cell("Năm 2026", merge="restart")]),
        Row([Cell("2"), Cell("Xây dựng kho dữ liệu dùng chung"), Cell("Sở Tài chính"),
             Cell("", merge="continue"), Cell("", merge="continue")]),
        Row([Cell("3"), Cell("Tập huấn kỹ năng số cho cán bộ, công chức"),
             Cell("Sở Văn hóa, Thể thao và Du lịch"), Cell(""), Cell("Thường xuyên")]),
    ]),
    Para("TỔ CHỨC THỰC HIỆN", number="II.", bold=True),
    Para("Các sở, ngành định kỳ hằng năm báo cáo kết quả thực hiện về Sở Khoa học và "
         "Công nghệ trước ngày 15/12 để tổng hợp.", number="1."),
]

# What every form must give: key → (lead ids, coordinating ids, timeframe).
TABLE_TASKS = {
    "A.1": (["skhcn"], ["snv"], "Quý II/2025"),
    "A.2": (["syt"], ["stc"], "Quý II/2025"),
    "B.1": (["snv"], ["stp"], "Năm 2026"),
    "B.2": (["stc"], ["stp"], "Năm 2026"),
    "B.3": (["svhttdl"], [], "Thường xuyên"),
}

# A plan in list form: automatic numbers in Word (I., 1., 2. …), labels
# that name the lead, the coordinating agencies and the time.
LIST_PLAN = [
    Para("KẾ HOẠCH", bold=True),
    Para("Nâng cao năng lực xây dựng pháp luật năm 2025", bold=True),
    Para("NHIỆM VỤ, GIẢI PHÁP", number="I.", bold=True),
    Para("Rà soát, kiện toàn đội ngũ cán bộ làm công tác pháp chế", number="1.", bold=True),
    Para("Đơn vị chủ trì: Sở Tư pháp."),
    Para("Đơn vị phối hợp: Sở Nội vụ."),
    Para("Thời gian thực hiện: Quý III/2025."),
    Para("Tăng cường tuyên truyền, phổ biến pháp luật", number="2.", bold=True),
    Para("Đơn vị chủ trì: Sở Văn hóa, Thể thao và Du lịch."),
    Para("Thời gian thực hiện: Thường xuyên."),
    Para("Tổ chức hội nghị về công tác xây dựng pháp luật", number="3.", bold=True),
    Para("Đơn vị chủ trì thực hiện: Sở Tư pháp."),
    Para("Đơn vị phối hợp: Sở Khoa học và Công nghệ."),
    Para("Thời gian thực hiện: Hằng năm."),
]

LIST_TASKS = {
    "1": (["stp"], ["snv"], "Quý III/2025"),
    "2": (["svhttdl"], [], "Thường xuyên"),
    "3": (["stp"], ["skhcn"], "Hằng năm"),
}


# ---- importing ---------------------------------------------------------------------------

def import_file(path, *args, plan="P"):
    """Imports path into a fresh store; returns (result, JSON report, tasks)."""
    w = Workdir()
    w.write_config(transport="maildir")
    try:
        p = ctl(w.config, "import", "--json", "--plan-id", plan, *args, path)
        reports = [json.loads(line) for line in p.stdout.splitlines() if line.strip()]
        q = ctl(w.config, "tasks", "--json", "--plan", plan)
        check(q.returncode == 0, q.stderr)
        return p, reports, [json.loads(line) for line in q.stdout.splitlines() if line.strip()]
    finally:
        w.cleanup()


def content(t):
    """A task as the forms must agree on it (positions differ by form)."""
    return (t["key"], t["index"], t["category"], t["title"], t["timeframe"],
            tuple(sorted(t["lead"])), tuple(sorted(t["coordinating"])), t["kind"], t["due"])


def forms(blocks, directory, **docx_options):
    """The three forms of blocks written into directory: {form: path}."""
    paths = {f: os.path.join(directory, "plan." + f) for f in ("txt", "docx", "pdf")}
    with open(paths["txt"], "w", encoding="utf-8") as f:
        f.write(docgen.to_flat_text(blocks))
    docgen.write_docx(blocks, paths["docx"], **docx_options)
    docgen.write_pdf(blocks, paths["pdf"])
    return paths


def check_same_tasks(blocks, want, **docx_options):
    with tempfile.TemporaryDirectory(prefix="deadlined-forms-") as work:
        tasks = {}
        paths = forms(blocks, work, **docx_options)
        with zipfile.ZipFile(paths["docx"]) as z:
            xml = z.read("word/document.xml").decode()
        # the Word form is written as the test says (else it tests nothing)
        for option, marker in (("auto_numbers", "<w:numPr>"), ("split_runs", "w:proofErr"),
                               ("line_breaks", "<w:br/>")):
            on = docx_options.get(option, option != "line_breaks")
            check((marker in xml) == on or (option == "auto_numbers" and not on),
                  f"{option}={on}: {marker} in document.xml: {marker in xml}")
        for form, path in paths.items():
            p, reports, ts = import_file(path)
            check(p.returncode == 0, f"{form}: exit {p.returncode}: {p.stdout} {p.stderr}")
            tasks[form] = sorted(content(t) for t in ts)
            got = {t["key"]: (t["lead"], t["coordinating"], t["timeframe"]) for t in ts}
            keys = sorted(k for k in got if not k.startswith("duty."))
            check(keys == sorted(want), f"{form}: keys {keys}, want {sorted(want)}")
            for key, (lead, coord, timeframe) in want.items():
                check(got[key] == (lead, coord, timeframe),
                      f"{form}: task {key} is {got[key]}, want {(lead, coord, timeframe)}")
        for form in ("docx", "pdf"):
            check(tasks[form] == tasks["txt"],
                  f"{form} and text differ:\n  {form}: {tasks[form]}\n  text: {tasks['txt']}")


# ---- the same plan in three forms -------------------------------------------------------

def test_a_table_plan_reads_the_same_in_text_word_and_pdf():
    check_same_tasks(TABLE_PLAN, TABLE_TASKS)


def test_word_cells_with_line_breaks_and_whole_runs_read_the_same():
    check_same_tasks(TABLE_PLAN, TABLE_TASKS, line_breaks=True, split_runs=False)


def test_a_list_plan_with_automatic_numbers_reads_the_same_in_text_word_and_pdf():
    check_same_tasks(LIST_PLAN, LIST_TASKS)


def test_typed_numbers_in_word_read_as_automatic_ones():
    check_same_tasks(LIST_PLAN, LIST_TASKS, auto_numbers=False)


# ---- the ten real plans -------------------------------------------------------------------

def plan_files():
    if not os.path.isdir(PLANS):
        raise Skip(f"{PLANS} is absent")
    files = sorted(glob.glob(os.path.join(PLANS, "[0-9][0-9]_*.txt")))
    check(len(files) >= 10, f"ten plans in {PLANS}: {files}")
    return files


def summary(t):
    return (t["title"], tuple(sorted(t["lead"])), t["timeframe"])


def test_the_ten_plans_as_word_and_pdf():
    failures, table = [], []
    with tempfile.TemporaryDirectory(prefix="deadlined-plans-") as work:
        for path in plan_files():
            name = os.path.basename(path)[:2]
            with open(path, encoding="utf-8") as f:
                blocks = docgen.text_to_blocks(f.read())
            docx, pdf = os.path.join(work, name + ".docx"), os.path.join(work, name + ".pdf")
            docgen.write_docx(blocks, docx, auto_numbers=False)
            docgen.write_pdf(blocks, pdf)
            got = {}
            for form, file in (("text", path), ("docx", docx), ("pdf", pdf)):
                p, reports, ts = import_file(file)
                if p.returncode != 0:
                    failures.append(f"{name} {form}: exit {p.returncode}: {p.stderr.strip()}")
                got[form] = Counter(summary(t) for t in ts)
            n = {form: sum(c.values()) for form, c in got.items()}
            same = sum((got["pdf"] & got["text"]).values())
            table.append(f"{name}: text {n['text']}, docx {n['docx']}, pdf {n['pdf']} "
                         f"({same} as the text's)")
            # Keys may differ (a table's label); titles, leads and timeframes may not.
            if got["docx"] != got["text"]:
                diff = (got["docx"] - got["text"]) + (got["text"] - got["docx"])
                failures.append(f"{name}: the Word form's tasks differ from the text's: "
                                f"{list(diff)[:3]}")
            if not (0.9 * n["text"] <= n["pdf"] <= 1.05 * n["text"]) or same < 0.8 * n["text"]:
                failures.append(f"{name}: the PDF form has {n['pdf']} tasks, {same} as the "
                                f"text's {n['text']}")
    print("# tasks per plan: " + "; ".join(table))
    check(not failures, "\n".join(failures))


# ---- explain ------------------------------------------------------------------------------

def test_explain_gives_pages_tables_and_rows():
    with tempfile.TemporaryDirectory(prefix="deadlined-explain-") as work:
        blocks = TABLE_PLAN[:4] + [docgen.PageBreak()] + TABLE_PLAN[4:]
        paths = forms(blocks, work)
        w = Workdir()
        w.write_config(transport="maildir")
        try:
            for form, where in (("docx", "page 2, table 1, row 3"),
                                ("pdf", "page 2, table 1, row 3")):
                p = ctl(w.config, "import", "--explain", paths[form])
                check(p.returncode == 0, p.stderr)
                check(f"{where}: task A.1" in p.stdout, f"{form}: {p.stdout}")
                check(f"({'word' if form == 'docx' else 'pdf'})" in p.stdout, p.stdout)
            q = ctl(w.config, "tasks", "--json")
            check(q.returncode == 0 and not q.stdout.strip(), f"explain stores nothing: {q.stdout}")
        finally:
            w.cleanup()


# ---- hostile and unreadable files ---------------------------------------------------------

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def zipped(members):
    """A zip of members, deflated but for "mimetype" (stored, as OpenDocument has it)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data,
                       zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED)
    return out.getvalue()


def written(path, writer):
    """TABLE_PLAN written to path by writer; the file's bytes."""
    writer(TABLE_PLAN, path)
    with open(path, "rb") as f:
        return f.read()


def zip_bomb():
    """A document.xml of 200 MB of spaces, whose headers claim 100 bytes."""
    data = zipped({"word/document.xml": b" " * (200 << 20)})
    return data.replace(struct.pack("<I", 200 << 20), struct.pack("<I", 100))


def entity_expansion():
    laughs = ('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">' +
              "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'
                      for i in range(8)) +
              f']><w:document {W}><w:body><w:p><w:r><w:t>&i;</w:t></w:r></w:p></w:body>'
              '</w:document>')
    return zipped({"word/document.xml": laughs})


def test_hostile_and_unreadable_files_are_refused_and_nothing_is_stored():
    with tempfile.TemporaryDirectory(prefix="deadlined-hostile-") as work:
        docx = written(os.path.join(work, "good.docx"), docgen.write_docx)
        pdf = written(os.path.join(work, "good.pdf"), docgen.write_pdf)
        scanned = os.path.join(work, "scanned.pdf")
        docgen.write_scanned_pdf(scanned)
        locked = os.path.join(work, "locked.pdf")
        docgen.write_pdf(TABLE_PLAN, locked, password="mật khẩu")
        cases = [
            ("bomb.docx", zip_bomb(), "word/document.xml unpacks to more than the 64 MB"),
            ("cut.docx", docx[: len(docx) // 2], "not a readable zip archive (.docx)"),
            ("laughs.docx", entity_expansion(), "declares a DTD (<!DOCTYPE>)"),
            ("nodoc.docx", zipped({"word/other.xml": "<x/>"}),
             "a zip archive without word/document.xml"),
            ("old.doc", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" + bytes(4096),
             "Save as .docx, or convert it with 'soffice --headless --convert-to docx FILE'"),
            ("plan.odt", zipped({"mimetype": "application/vnd.oasis.opendocument.text",
                                 "content.xml": "<x/>"}), "an OpenDocument text (.odt)"),
            ("cut.pdf", pdf[: len(pdf) // 3], "not a readable PDF"),
            ("scanned.pdf", None, "scanned PDF: no text layer; OCR is not supported"),
            ("locked.pdf", None, "a password-protected PDF"),
        ]
        w = Workdir()
        w.write_config(transport="maildir")
        try:
            for name, data, reason in cases:
                path = os.path.join(work, name)
                if data is not None:
                    with open(path, "wb") as f:
                        f.write(data)
                p = ctl(w.config, "import", path)
                check(p.returncode == 1 and f"{path}: " in p.stderr and reason in p.stderr,
                      f"{name}: exit {p.returncode}, stderr {p.stderr!r}, want {reason!r}")
                p = ctl(w.config, "import", "--json", path)
                report = json.loads(p.stdout)
                check(p.returncode == 1 and report["file"] == path and reason in report["error"],
                      f"{name} --json: {p.stdout!r}")
            q = ctl(w.config, "tasks", "--json")
            check(q.returncode == 0 and not q.stdout.strip(), f"nothing is stored: {q.stdout}")
        finally:
            w.cleanup()


def test_a_pdf_with_a_broken_xref_is_repaired_and_read():
    with tempfile.TemporaryDirectory(prefix="deadlined-xref-") as work:
        path = os.path.join(work, "plan.pdf")
        data = written(path, docgen.write_pdf)
        at = data.rindex(b"startxref")
        broken = data[:at] + b"startxref\n999999\n%%EOF\n"
        with open(path, "wb") as f:
            f.write(broken)
        p, reports, ts = import_file(path)
        check(p.returncode == 0, f"exit {p.returncode}: {p.stderr}")
        check(sorted(t["key"] for t in ts) == sorted(TABLE_TASKS) or
              set(TABLE_TASKS) <= {t["key"] for t in ts}, f"tasks {[t['key'] for t in ts]}")


if __name__ == "__main__":
    run_tests([
        test_a_table_plan_reads_the_same_in_text_word_and_pdf,
        test_word_cells_with_line_breaks_and_whole_runs_read_the_same,
        test_a_list_plan_with_automatic_numbers_reads_the_same_in_text_word_and_pdf,
        test_typed_numbers_in_word_read_as_automatic_ones,
        test_the_ten_plans_as_word_and_pdf,
        test_explain_gives_pages_tables_and_rows,
        test_hostile_and_unreadable_files_are_refused_and_nothing_is_stored,
        test_a_pdf_with_a_broken_xref_is_repaired_and_read,
    ])
