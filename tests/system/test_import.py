"""`deadlinectl import` (plan documents into tasks) and what shows its result:
`tasks --json`, `tasks --flagged`, `agencies --json`, `agencies --unresolved`.

The real plans (../shared/seeds, read in place, skipped when absent) are
checked row by row on a sample; every behaviour they show is also checked on
a small document the test writes itself: a Markdown pipe table, a CSV file
and a tab-separated table with other header words, repeated headers at page
breaks, rows continued with an empty number, section rows, empty timeframe
cells, unknown agencies, agency names in NFD / old tone placement / "&" /
stray spaces, cells listing several agencies with commas inside names,
groups, numbered prose items with "Đơn vị chủ trì:", reporting duties.

Agency ids are checked against config/directory.ini, read here
independently; a group is expected as the set of its members."""
import json
import os
import re
import unicodedata

from harness import DIRECTORY as DIRECTORY_INI
from harness import SEEDS, Skip, Workdir, check, ctl, read_directory, run_tests

SEED_906 = "906-QD-UBND-2022_digital-economy-plan-2022-2025.txt"
SEED_189 = "189-KH-UBND-2022_digital-transformation-plan-2023.txt"
SEED_KH2025 = "KH-2025_digital-economy-by-sector.txt"
SEED_119 = "119-KH-UBND-2020_national-dx-programme-plan.txt"
SEED_REPORT = "BC-SKHCN-2025_status-report-411.txt"

P906 = "906/QĐ-UBND"
P189 = "189/KH-UBND"
P119 = "119/KH-UBND"
CAT_906_A = "A. PHÁT TRIỂN NỀN MÓNG CHO KINH TẾ SỐ VÀ XÃ HỘI SỐ"
CAT_906_B = "B. PHÁT TRIỂN KINH TẾ SỐ VÀ XÃ HỘI SỐ NGÀNH, LĨNH VỰC"


def end_of(y, m, d):
    return f"{y:04d}-{m:02d}-{d:02d}T23:59:59+07:00"


# ---- the directory, read independently ----------------------------------------------------




DIR = read_directory()


def group(gid):
    check(DIR[gid]["kind"] == "group", f"{gid} is a group")
    return set(DIR[gid]["members"])


def group_on(gid, day):
    """A group's members as they stood on day (YYYY-MM-DD): the merged ones are their successors."""
    def holder(a):
        while DIR[a].get("successor") and DIR[a]["since"] <= day:
            a = DIR[a]["successor"]
        return a
    return {holder(a) for a in group(gid)}


SO_BAN_NGANH = group("so-ban-nganh")
CAP_HUYEN = group("ubnd-cap-huyen")
SO_NGANH_DIA_PHUONG = group("so-ban-nganh-dia-phuong")
VIEN_THONG = group("dn-vien-thong")


class Ids(frozenset):
    """Expected agency ids: compared as a set, and the list must hold no duplicate."""


def check_task(t, **want):
    """Checks the fields given; lead/coordinating may be an Ids set."""
    ref = f"{t.get('plan')}:{t.get('key')}"
    for field, value in want.items():
        if field == "line":
            got = t["source"]["line"]
        elif field == "file":
            got = t["source"]["file"]
        else:
            got = t[field]
        if isinstance(value, Ids):
            check(len(got) == len(set(got)), f"{ref} {field}: duplicates in {got}")
            missing, extra = sorted(set(value) - set(got)), sorted(set(got) - set(value))
            check(not missing and not extra, f"{ref} {field}: {sorted(got)}\n"
                  f"  want {sorted(value)}\n  missing {missing}, extra {extra}")
        else:
            check(got == value, f"{ref} {field}: {got!r}\n  want {value!r}")


def check_coordinating_besides_lead(t, want):
    """The coordinating agencies, whether or not the lead is also listed among them."""
    lead = set(t["lead"])
    got = t["coordinating"]
    check(len(got) == len(set(got)), f"{t['key']} coordinating: duplicates in {got}")
    check(set(got) - lead == set(want) - lead,
          f"{t['key']} coordinating: {sorted(set(got) - lead)}\n  want {sorted(set(want) - lead)}")


# ---- running deadlinectl --------------------------------------------------------------------

def workdir():
    w = Workdir()
    w.write_config(transport="maildir")
    return w


def do_import(w, *args, rc=0):
    p = ctl(w.config, "import", *args)
    check(p.returncode == rc, f"import {' '.join(args)}: exit {p.returncode} (want {rc})\n"
          f"stdout: {p.stdout}\nstderr: {p.stderr}")
    return p


def import_json(w, *args, rc=0):
    p = do_import(w, "--json", *args, rc=rc)
    return [json.loads(line) for line in p.stdout.splitlines() if line.strip()]


def tasks(w, *args):
    p = ctl(w.config, "tasks", "--json", *args)
    check(p.returncode == 0, f"tasks: exit {p.returncode}: {p.stderr}")
    return [json.loads(line) for line in p.stdout.splitlines() if line.strip()]


def by_key(ts):
    out = {t["key"]: t for t in ts}
    check(len(out) == len(ts), f"keys are unique: {[t['key'] for t in ts]}")
    return out


def unresolved(w):
    p = ctl(w.config, "agencies", "--unresolved", "--json")
    check(p.returncode == 0, p.stderr)
    return [json.loads(line) for line in p.stdout.splitlines() if line.strip()]


def seed(name):
    if not os.path.isdir(SEEDS):
        raise Skip(f"{SEEDS} is absent")
    path = os.path.join(SEEDS, name)
    if not os.path.isfile(path):
        raise Skip(f"{path} is absent")
    return path


def seed_lines(path):
    with open(path, encoding="utf-8") as f:
        return f.read().split("\n")


def cells(path, n):
    """The tab-separated cells of line n (1-based) of a seed, trimmed."""
    return [c.strip() for c in seed_lines(path)[n - 1].split("\t")]


def line_no(text, needle):
    for n, line in enumerate(text.split("\n"), 1):
        if needle in line:
            return n
    raise AssertionError(f"{needle!r} not in the document")


def check_ids_and_sources(ts, path):
    ids = [t["id"] for t in ts]
    check(all(isinstance(i, int) and i > 0 for i in ids) and len(set(ids)) == len(ids),
          f"ids are distinct positive integers: {ids}")
    for t in ts:
        check(t["source"]["file"] == path, f"{t['key']}: source {t['source']}")
        check(isinstance(t["source"]["line"], int) and t["source"]["line"] > 0, str(t["source"]))


# ---- the seeds ---------------------------------------------------------------------------

def test_seed_906_appendix_table_and_reporting_duties():
    path = seed(SEED_906)
    w = workdir()
    try:
        (rep,) = import_json(w, path)
        check(rep["plan"] == P906 and rep["issued"] == "2022-07-11" and rep["monitor"] == "sttt",
              f"plan facts: {rep}")
        check(rep["found"] == {"table": 101, "prose": 0, "duty": 2}, f"found {rep['found']}")
        check(rep["created"] == 103 and rep["updated"] == 0 and rep["unchanged"] == 0, str(rep))
        check(rep["dry_run"] is False and rep["file"] == path, str(rep))
        check([(f["line"], f["key"]) for f in rep["flagged"]] == [(486, "A.VIII.1")],
              f"exactly one flagged row, line 486: {rep['flagged']}")
        check("Theo nội dung phân công" in rep["flagged"][0]["why"], rep["flagged"][0]["why"])
        # The plan's period, in the text report of a second import (which changes nothing).
        p = do_import(w, path)
        check(f"{path}: plan {P906} of 2022-07-11, 2022-2025, monitored by sttt" in p.stdout,
              p.stdout)
        check("stored: 0 new, 0 updated, 103 unchanged" in p.stdout, p.stdout)

        ts = tasks(w, "--plan", P906)
        check(len(ts) == 103, f"{len(ts)} tasks")
        check_ids_and_sources(ts, path)
        t = by_key(ts)
        check(all(x["plan"] == P906 and x["status"] == "open" for x in ts), "plan and status")
        table = [x for x in ts if not x["key"].startswith("duty.")]
        check(len(table) == 101, f"{len(table)} table rows")
        check({x["timeframe"] for x in table} == {"2022 - 2025", "2022 - 2023", "2022 - 2024", ""},
              f"timeframes: {sorted({x['timeframe'] for x in table})}")
        check([x["key"] for x in table if x["timeframe"] == ""] == ["A.VI.6"],
              "one row without a timeframe")

        # A row without a number right under section A.I (the importer numbers it 0).
        c = cells(path, 428)
        check_task(t["A.I.0"], line=428, category=f"{CAT_906_A} / I. Hoàn thiện thể chế",
                   title=c[1], lead=Ids(SO_BAN_NGANH | CAP_HUYEN), coordinating=[],
                   timeframe="2022 - 2025", kind="period", due=end_of(2025, 12, 31), flags=[])
        # The row without a timeframe: the plan's period 2022-2025.
        check_task(t["A.VI.6"], line=473, index="6.",
                   category=f"{CAT_906_A} / VI. Phát triển nhân lực số",
                   title="Nền tảng sát hạch trực tuyến đánh giá, đo lường kỹ năng số",
                   lead=Ids({"sttt", "sgddt", "sldtbxh"}), coordinating=[], timeframe="",
                   kind="period", due=end_of(2025, 12, 31), condition=None, flags=["implicit"],
                   extended_due=None)
        # A row split by a page break (repeated header between the halves).
        check_task(t["A.VII.3"], line=477, index="3.",
                   title=cells(path, 477)[1] + " " + cells(path, 480)[1],
                   lead=Ids({"sttt"} | SO_BAN_NGANH | CAP_HUYEN), timeframe="2022 - 2025",
                   kind="period", due=end_of(2025, 12, 31), flags=[])
        check_task(t["B.VII.2"], line=549, index="2.",
                   title=cells(path, 549)[1] + " " + cells(path, 552)[1],
                   lead=Ids({"stnmt"}), timeframe="2022 - 2025")
        # The lead cell that names no agency: kept as written, flagged.
        c = cells(path, 486)
        check_task(t["A.VIII.1"], line=486, index="1.",
                   category=f"{CAT_906_A} / VIII. Phát triển doanh nghiệp số", title=c[1],
                   lead=[c[2]], coordinating=[], timeframe="2022 - 2025", kind="period",
                   due=end_of(2025, 12, 31), flags=["unresolved"])
        check(c[2].startswith("Theo nội dung phân công"), c[2])
        # Several agencies, comma-separated, one of them a group.
        check_task(t["A.IX.4"], line=497, lead=Ids({"sttt", "syt", "sgddt"} | CAP_HUYEN))
        check_task(t["A.VIII.5"], line=492, lead=Ids({"sttt", "stc", "sct", "snnptnt"}))
        check_task(t["A.IX.5"], line=498, index="5.",
                   category=f"{CAT_906_A} / IX. Triển khai thanh toán số",
                   title="Triển khai Nền tảng hóa đơn điện tử quốc gia", lead=["cuc-thue"],
                   coordinating=[], timeframe="2022 - 2023", kind="period",
                   due=end_of(2023, 12, 31), flags=[], status="open")
        check_task(t["A.IX.3"], line=496,
                   title="Triển khai Chương trình thúc đẩy dịch vụ Mobile Money",
                   lead=["sttt"], timeframe="2022 - 2025")
        # Sub-sections (V.1) nest under their section.
        check_task(t["B.V.1.1"], line=528, index="1.",
                   category=f"{CAT_906_B} / V. Phát triển kinh tế số thương mại, công nghiệp "
                   "và năng lượng / V.1. Thương mại", lead=["sct"])
        check_task(t["C.I.3"], line=557, timeframe="2022 - 2024", due=end_of(2024, 12, 31))
        # The two reporting duties of "V. TỔ CHỨC THỰC HIỆN".
        check_task(t["duty.1.1"], line=348, index="a)", category="V. TỔ CHỨC THỰC HIỆN",
                   lead=["sttt"], coordinating=[], timeframe="định kỳ hàng năm", kind="yearly",
                   due=end_of(2022, 12, 31), flags=[])
        check_task(t["duty.2.1"], line=362, index="c)", category="V. TỔ CHỨC THỰC HIỆN",
                   lead=Ids(SO_BAN_NGANH | CAP_HUYEN), coordinating=[],
                   timeframe="báo cáo 6 tháng và báo cáo năm", kind="half-yearly", flags=[])
        check(t["duty.2.1"]["title"].startswith("Thực hiện chế độ thông tin báo cáo"),
              t["duty.2.1"]["title"])

        # tasks --flagged: that row only.
        flagged = tasks(w, "--plan", P906, "--flagged")
        check([x["key"] for x in flagged] == ["A.VIII.1"], f"flagged: {flagged}")
        # agencies --unresolved: the name, the plan and task, the file and line.
        check(unresolved(w) == [{"name": c[2], "plan": P906, "task": "A.VIII.1", "file": path,
                                 "line": 486}], f"unresolved: {unresolved(w)}")
        p = ctl(w.config, "agencies", "--unresolved")
        check(p.returncode == 0 and p.stdout == f"{c[2]}\n    in {P906}:A.VIII.1 "
              f"({path}:486)\n1 unresolved name\n", repr(p.stdout))
    finally:
        w.cleanup()


def test_seed_189_duplicate_numbers_and_rows_split_over_pages():
    path = seed(SEED_189)
    w = workdir()
    try:
        (rep,) = import_json(w, path)
        check(rep["plan"] == P189 and rep["issued"] == "2022-12-09", f"plan facts: {rep}")
        check(rep["found"] == {"table": 76, "prose": 0, "duty": 0}, f"found {rep['found']}")
        check(rep["created"] == 76 and rep["flagged"] == [], str(rep))
        p = do_import(w, path)
        check(f"plan {P189} of 2022-12-09, 2023-2023," in p.stdout, f"the plan's year: {p.stdout}")

        ts = tasks(w, "--plan", P189)
        check(len(ts) == 76, f"{len(ts)} tasks")
        check_ids_and_sources(ts, path)
        t = by_key(ts)
        # No timeframe column: every task is due with the plan's year, 2023.
        for x in ts:
            check_task(x, timeframe="", kind="once", due=end_of(2023, 12, 31),
                       flags=["implicit"], condition=None)
        # Duplicated numbers: the second gets "#2", both keep the number as written.
        for key, line in (("6.1", 568), ("6.1#2", 569), ("8.4", 594), ("8.4#2", 595)):
            check_task(t[key], index=key.split("#")[0], line=line)
        check_task(t["6.1"], category="6. Nhân lực số",
                   title="Tăng cường hoạt động của Ban Chỉ đạo Chuyển đổi số cấp tỉnh, huyện",
                   lead=Ids({"sttt"} | CAP_HUYEN))
        check_coordinating_besides_lead(t["6.1"], SO_BAN_NGANH)
        check_task(t["6.1#2"], category="6. Nhân lực số",
                   title="Triển khai hiệu quả hoạt động của Tổ Công nghệ số cộng đồng",
                   lead=Ids({"sttt", "tinh-doan"} | CAP_HUYEN), coordinating=[])
        check_task(t["8.4#2"], title="Nâng cao hàm lượng Trí tuệ nhân tạo (AI) trong hoạt động "
                   "của chính quyền số", lead=["sttt"], category="8. Chính quyền số")
        check("8.5" not in t, "no 8.5 in the document")
        # Row 3.2 is split over a page break: title and lead merged.
        check_task(t["3.2"], line=540, index="3.2", category="3. Hạ tầng số",
                   title="Phát triển hạ tầng số tới cấp xã, đơn vị trực thuộc các sở, ban, ngành",
                   lead=Ids(SO_BAN_NGANH | CAP_HUYEN), coordinating=[])
        check_task(t["2.6"], line=528, title=cells(path, 528)[1] + " " + cells(path, 530)[1],
                   lead=Ids(SO_BAN_NGANH | CAP_HUYEN), coordinating=["sttt"])
        check_task(t["1.1"], line=519, index="1.1", category="1. Nhận thức số",
                   title="Tổ chức triển khai Tuần lễ Chuyển đổi số năm 2023", lead=["sttt"])
        check_coordinating_besides_lead(t["1.1"], SO_BAN_NGANH | CAP_HUYEN)
        # "UBND cấp huyện, cấp xã" is one group; "Sở TT&TT, các DN viễn thông" two names.
        check_task(t["3.5"], line=545, lead=Ids(group("ubnd-cap-huyen-xa")),
                   coordinating=Ids({"sttt"} | VIEN_THONG))
        check_task(t["2.8"], line=532, lead=["sxd"], coordinating=["sttt"])
    finally:
        w.cleanup()


KH2025_TIMEFRAMES = {"Thường xuyên", "Quý II/2025", "Quý III/2025", "Quý IV/2025",
                     "Quý IV hàng năm", "Năm 2025", "Hàng tuần",
                     "Năm 2025 (sau khi có hướng dẫn của Bộ Khoa học và Công nghệ)"}


def test_seed_kh2025_numbered_items_and_duties():
    path = seed(SEED_KH2025)
    w = workdir()
    try:
        (rep,) = import_json(w, "--plan-id", "KH-2025", path)
        check(rep["plan"] == "KH-2025" and rep["monitor"] == "skhcn", f"plan facts: {rep}")
        check(rep["found"] == {"table": 0, "prose": 24, "duty": 2}, f"found {rep['found']}")
        check(rep["created"] == 26 and rep["flagged"] == [] and rep["problems"] == [], str(rep))
        ts = tasks(w, "--plan", "KH-2025")
        check(len(ts) == 26, f"{len(ts)} tasks")
        check_ids_and_sources(ts, path)
        t = by_key(ts)
        items = [x for x in ts if not x["key"].startswith("duty.")]
        check(len(items) == 24, f"{len(items)} numbered items")
        got = {x["timeframe"] for x in items}
        check(got <= KH2025_TIMEFRAMES and {"Quý IV hàng năm", "Hàng tuần"} <= got,
              f"timeframes as written: {sorted(got)}")
        check(all(x["kind"] != "unparsed" and "unresolved" not in x["flags"] for x in ts),
              "everything understood")
        check(tasks(w, "--plan", "KH-2025", "--flagged") == [], "nothing to fix")

        check_task(t["1.1"], line=33, index="1.1",
                   category="III. NỘI DUNG THỰC HIỆN / 1. Đo lường sự phát triển của kinh tế số",
                   title="Đo lường trực tuyến, tổng thể sự phát triển của kinh tế số",
                   lead=["skhcn"], timeframe="Thường xuyên", kind="ongoing", due=None,
                   condition=None, flags=[])
        check_coordinating_besides_lead(t["1.1"], SO_NGANH_DIA_PHUONG)
        title = seed_lines(path)[48].strip()
        check(title.startswith("- a) "), title)
        check_task(t["1.3.a"], line=49, index="1.3.a", title=title[len("- a) "):],
                   lead=Ids({"skhcn"} | SO_BAN_NGANH),
                   coordinating=Ids({"to-cns", "tinh-doan", "hoi-hiep-hoi"}),
                   timeframe="Quý III/2025", kind="once", due=end_of(2025, 9, 30), flags=[])
        check_task(t["1.3.c"], line=60, index="1.3.c",
                   title="Định kỳ hàng năm thực hiện khảo sát, đo lường, công bố kết quả",
                   lead=["skhcn"], timeframe="Quý IV hàng năm", kind="yearly")
        check_task(t["3.1"], line=74, index="3.1", title="Thương mại điện tử", lead=["sct"],
                   timeframe="Quý II/2025", kind="once", due=end_of(2025, 6, 30))
        check_task(t["4.3"], line=153, index="4.3",
                   category="III. NỘI DUNG THỰC HIỆN / 4. Triển khai hạ tầng IoT trong các "
                   "ngành, lĩnh vực", lead=["skhcn"], coordinating=Ids(VIEN_THONG),
                   timeframe="Năm 2025 (sau khi có hướng dẫn của Bộ Khoa học và Công nghệ)",
                   condition="sau khi có hướng dẫn của Bộ Khoa học và Công nghệ", kind="once",
                   due=end_of(2025, 12, 31), flags=["condition"])
        check_task(t["7.1"], line=221, index="7.1", lead=["svhttdl"], timeframe="Hàng tuần",
                   kind="weekly",
                   # The group of coordinating agencies includes the lead: not listed twice.
                   coordinating=Ids(({"bao-qn"} | SO_NGANH_DIA_PHUONG) - {"svhttdl"}))
        check_task(t["7.2"], line=229, lead=Ids({"skhcn", "snv"}), timeframe="Quý IV hàng năm",
                   kind="yearly")
        check_task(t["2"], line=66, index="2", category="III. NỘI DUNG THỰC HIỆN",
                   lead=["skhcn"], timeframe="Quý IV/2025", due=end_of(2025, 12, 31))
        # The reporting duties of "V. TỔ CHỨC THỰC HIỆN".
        check_task(t["duty.1.1"], line=251, category="V. TỔ CHỨC THỰC HIỆN", lead=["skhcn"],
                   coordinating=[], timeframe="định kỳ hàng năm", kind="yearly", flags=[])
        check_task(t["duty.3.1"], line=261, category="V. TỔ CHỨC THỰC HIỆN",
                   lead=Ids(SO_NGANH_DIA_PHUONG | {"bao-qn"}), coordinating=[], kind="yearly",
                   flags=[])
        check(t["duty.3.1"]["title"].startswith("Định kỳ hàng năm (trước ngày 15/12) hoặc đột "
                                                "xuất"), t["duty.3.1"]["title"])
    finally:
        w.cleanup()


def test_seed_119_yearly_report_duty():
    path = seed(SEED_119)
    w = workdir()
    try:
        (rep,) = import_json(w, path)
        check(rep["plan"] == P119 and rep["issued"] == "2020-10-09", f"plan facts: {rep}")
        check(rep["found"] == {"table": 0, "prose": 0, "duty": 1} and rep["created"] == 1,
              str(rep))
        p = do_import(w, path)
        check(f"plan {P119} of 2020-10-09, 2020-2025," in p.stdout, p.stdout)
        (t,) = tasks(w, "--plan", P119)
        # The paragraph is hard-wrapped over lines 346-347: its text, joined, is the title.
        para = " ".join(line.strip() for line in seed_lines(path)[345:347])
        check(para.startswith("c) ") and para.endswith("hàng năm."), para)
        check_task(t, plan=P119, key="duty.2.1", index="c)", line=346, file=path,
                   category="III. TỔ CHỨC THỰC HIỆN", title=para[len("c) "):-1],
                   lead=Ids(SO_BAN_NGANH | CAP_HUYEN), coordinating=[],
                   timeframe="trước ngày 01/12 hàng năm", kind="yearly",
                   due="2020-12-01T00:00:00+07:00", condition=None, flags=[], status="open")
    finally:
        w.cleanup()


def test_seed_status_report_has_no_tasks():
    path = seed(SEED_REPORT)
    w = workdir()
    try:
        p = do_import(w, path, rc=1)
        check(f"{path}: no tasks found" in p.stdout + p.stderr, p.stdout + p.stderr)
        check(tasks(w) == [], "nothing stored")
    finally:
        w.cleanup()


def test_seed_reimport_and_revision_keep_progress():
    path = seed(SEED_906)
    w = workdir()
    try:
        lines = seed_lines(path)
        copy = w.file("906.txt", "\n".join(lines))
        do_import(w, copy)
        before = by_key(tasks(w))
        ix5 = before["A.IX.5"]
        p = ctl(w.config, "progress", str(ix5["id"]), "waiting")
        check(p.returncode == 0 and p.stdout == f"{P906}:A.IX.5: waiting\n",
              f"progress by id: {p.returncode} {p.stdout!r} {p.stderr!r}")
        before = tasks(w)
        # The same file again: nothing changes.
        p = do_import(w, copy)
        check("stored: 0 new, 0 updated, 103 unchanged" in p.stdout, p.stdout)
        check("changed:" not in p.stdout, p.stdout)
        check(tasks(w) == before, "tasks --json identical after a re-import")
        # A revised copy: one timeframe and one lead changed.
        check(lines[497].endswith("\t2022 - 2023") and "\tSở Thông tin và Truyền thông\t"
              in lines[495], "the rows to revise")
        lines[497] = lines[497][:-len("2022 - 2023")] + "2022 - 2024"
        lines[495] = lines[495].replace("\tSở Thông tin và Truyền thông\t",
                                        "\tSở Khoa học và Công nghệ\t")
        revised = w.file("906-revised.txt", "\n".join(lines))
        (rep,) = import_json(w, revised)
        check(rep["created"] == 0 and rep["updated"] == 2 and rep["unchanged"] == 101, str(rep))
        changed = {c["key"]: c for c in rep["changed"]}
        check(set(changed) == {"A.IX.5", "A.IX.3"}, f"changed: {rep['changed']}")
        check(changed["A.IX.5"]["line"] == 498 and changed["A.IX.5"]["why"] ==
              "timeframe '2022 - 2023' → '2022 - 2024'", str(changed["A.IX.5"]))
        check(changed["A.IX.3"]["line"] == 496 and "agencies" in changed["A.IX.3"]["why"],
              str(changed["A.IX.3"]))
        after = by_key(tasks(w))
        check_task(after["A.IX.5"], id=ix5["id"], status="waiting", timeframe="2022 - 2024",
                   due=end_of(2024, 12, 31), lead=["cuc-thue"])
        check_task(after["A.IX.3"], id=by_key(before)["A.IX.3"]["id"], lead=["skhcn"],
                   timeframe="2022 - 2025")
        old = by_key(before)
        for key, t in after.items():
            if key in ("A.IX.5", "A.IX.3"):
                continue
            a, b = dict(t), dict(old[key])
            a.pop("source"), b.pop("source")
            check(a == b, f"{key} unchanged:\n{a}\n{b}")
        # The revised file again: nothing more.
        p = do_import(w, revised)
        check("stored: 0 new, 0 updated, 103 unchanged" in p.stdout, p.stdout)
    finally:
        w.cleanup()


def test_seed_unnumbered_row_has_no_index():
    """906's first row under A.I has an empty TT cell: its number as written is none."""
    path = seed(SEED_906)
    w = workdir()
    try:
        do_import(w, path)
        t = by_key(tasks(w, "--plan", P906))
        check(cells(path, 428)[0] == "", "the TT cell is empty in the document")
        (row,) = [x for x in t.values() if x["source"]["line"] == 428]
        check(row["index"] is None, f"index {row['index']!r} (nothing is written: null)")
    finally:
        w.cleanup()


def test_seed_duty_timeframe_is_stored_without_markdown_emphasis():
    """KH-2025 writes the yearly report's deadline as "(*trước ngày 15/12*)": the stored
    timeframe is the phrase, as the numbered items' are (4.3 loses its asterisks too)."""
    path = seed(SEED_KH2025)
    w = workdir()
    try:
        do_import(w, "--plan-id", "KH-2025", path)
        t = by_key(tasks(w, "--plan", "KH-2025"))
        check(t["4.3"]["timeframe"] == "Năm 2025 (sau khi có hướng dẫn của Bộ Khoa học và "
              "Công nghệ)", t["4.3"]["timeframe"])
        check(t["duty.3.1"]["timeframe"] == "Định kỳ hàng năm (trước ngày 15/12)",
              f"duty.3.1 timeframe {t['duty.3.1']['timeframe']!r}")
    finally:
        w.cleanup()


# ---- synthetic documents -------------------------------------------------------------------

MARKDOWN = """\
KẾ HOẠCH

Thử nghiệm bảng Markdown

| STT | Nội dung công việc | Đơn vị thực hiện | Đơn vị phối hợp | Tiến độ |
|---|---|---|---|---|
| A | NHIỆM VỤ CHUNG | | | |
| I | Hạ tầng số | | | |
| 1 | Nâng cấp mạng nội bộ | Sở Tài chính | Sở Nội vụ | Quý II/2025 |
| 2 | Rà soát thiết bị đầu cuối | Sở Y tế | | |
| 3 | Xây dựng kho dữ liệu dùng chung | Sở Văn hóa, Thể thao và Du lịch; UBND các huyện, thị | Sở Khoa học và Công nghệ | Năm 2025 |

| STT | Nội dung công việc | Đơn vị thực hiện | Đơn vị phối hợp | Tiến độ |
|---|---|---|---|---|
| | cho cấp tỉnh và cấp huyện | xã, thành phố | | |
| II | Dữ liệu số | | | |
| 1 | Số hoá hồ sơ lưu trữ | Sở Không Tồn Tại | | Quý IV/2025 |
| B | NHIỆM VỤ RIÊNG | | | |
| 1 | Tập huấn kỹ năng số | Sở Khoa học và Công nghệ | | 2024 - 2026 |
"""


def test_markdown_pipe_table():
    w = workdir()
    try:
        path = w.file("bang.md", MARKDOWN)
        p = do_import(w, "--plan-id", "KH-MD", "--period", "2024-2026", path)
        check("found 5 tasks: 5 in tables, 0 in numbered items, 0 reporting duties" in p.stdout,
              p.stdout)
        check("stored: 5 new, 0 updated, 0 unchanged" in p.stdout, p.stdout)
        check(f"line {line_no(MARKDOWN, 'Số hoá hồ sơ')}, task A.II.1: unknown agency 'Sở Không Tồn Tại'"
              in p.stdout, f"the flagged row in the report: {p.stdout}")
        check("the daemon is not running" in p.stderr, f"the daemon is told: {p.stderr!r}")
        ts = tasks(w, "--plan", "KH-MD")
        check_ids_and_sources(ts, path)
        t = by_key(ts)
        check(sorted(t) == ["A.I.1", "A.I.2", "A.I.3", "A.II.1", "B.1"], f"keys {sorted(t)}")
        cat = "A. NHIỆM VỤ CHUNG / I. Hạ tầng số"
        check_task(t["A.I.1"], plan="KH-MD", index="1", category=cat,
                   title="Nâng cấp mạng nội bộ", lead=["stc"], coordinating=["snv"],
                   timeframe="Quý II/2025", kind="once", due=end_of(2025, 6, 30), flags=[],
                   condition=None, status="open", line=line_no(MARKDOWN, "Nâng cấp mạng"))
        # An empty timeframe cell: the plan's period given with --period.
        check_task(t["A.I.2"], index="2", category=cat, title="Rà soát thiết bị đầu cuối",
                   lead=["syt"], coordinating=[], timeframe="", kind="period",
                   due=end_of(2026, 12, 31), flags=["implicit"])
        # Split over a page break (the header repeated), commas inside a name, a group.
        check_task(t["A.I.3"], index="3", category=cat,
                   title="Xây dựng kho dữ liệu dùng chung cho cấp tỉnh và cấp huyện",
                   lead=Ids({"svhttdl"} | CAP_HUYEN), coordinating=["skhcn"],
                   timeframe="Năm 2025", kind="once", due=end_of(2025, 12, 31), flags=[],
                   line=line_no(MARKDOWN, "Xây dựng kho"))
        check_task(t["A.II.1"], index="1", category="A. NHIỆM VỤ CHUNG / II. Dữ liệu số",
                   title="Số hoá hồ sơ lưu trữ", lead=["Sở Không Tồn Tại"],
                   flags=["unresolved"], due=end_of(2025, 12, 31),
                   line=line_no(MARKDOWN, "Số hoá hồ sơ"))
        check_task(t["B.1"], index="1", category="B. NHIỆM VỤ RIÊNG",
                   title="Tập huấn kỹ năng số", lead=["skhcn"], timeframe="2024 - 2026",
                   kind="period", due=end_of(2026, 12, 31))
        check(unresolved(w) == [{"name": "Sở Không Tồn Tại", "plan": "KH-MD", "task": "A.II.1",
                                 "file": path, "line": line_no(MARKDOWN, "Số hoá hồ sơ")}],
              f"agencies --unresolved: {unresolved(w)}")
    finally:
        w.cleanup()


CSV = """\
STT,Nội dung công việc,Đơn vị thực hiện,Đơn vị phối hợp,Thời hạn
A,NHIỆM VỤ TRỌNG TÂM,,,
I,Chính quyền số,,,
1,Triển khai chữ ký số,Sở Khoa học và Công nghệ,"Sở Văn hóa, Thể thao và Du lịch; UBND các huyện, thị xã, thành phố",Quý II/2025
2,Số hóa tài liệu lưu trữ,Sở Nội vụ,,trước ngày 30/6/2025
,của các cơ quan cấp tỉnh,,,
STT,Nội dung công việc,Đơn vị thực hiện,Đơn vị phối hợp,Thời hạn
3,Báo cáo kết quả,"Các sở, ban, ngành tỉnh",,Định kỳ hàng năm (trước ngày 15/12)
4,Khảo sát người dùng,Sở Tư pháp,,
II,Kinh tế số,,,
1,Thương mại điện tử,Sở Công Thương,Cơ Quan Chưa Có Trong Danh Bạ,Quý V/2025
"""


def test_csv_table_with_other_header_words():
    w = workdir()
    try:
        path = w.file("bang.csv", CSV)
        (rep,) = import_json(w, "--plan-id", "KH-CSV", "--period", "2025-2025", path)
        check(rep["found"] == {"table": 5, "prose": 0, "duty": 0}, str(rep))
        check(rep["created"] == 5, str(rep))
        check({(f["key"], f["line"]) for f in rep["flagged"]} == {("A.II.1", 11)},
              f"flagged: {rep['flagged']}")
        why = rep["flagged"][0]["why"]
        check("Quý V/2025" in why and "Cơ Quan Chưa Có Trong Danh Bạ" in why, why)
        t = by_key(tasks(w, "--plan", "KH-CSV"))
        check(sorted(t) == ["A.I.1", "A.I.2", "A.I.3", "A.I.4", "A.II.1"], f"keys {sorted(t)}")
        cat = "A. NHIỆM VỤ TRỌNG TÂM / I. Chính quyền số"
        check_task(t["A.I.1"], line=4, index="1", category=cat, title="Triển khai chữ ký số",
                   lead=["skhcn"], coordinating=Ids({"svhttdl"} | CAP_HUYEN),
                   timeframe="Quý II/2025", due=end_of(2025, 6, 30), flags=[])
        check_task(t["A.I.2"], line=5, title="Số hóa tài liệu lưu trữ của các cơ quan cấp tỉnh",
                   lead=["snv"], timeframe="trước ngày 30/6/2025", kind="once",
                   due="2025-06-30T00:00:00+07:00")
        check_task(t["A.I.3"], line=8, category=cat, lead=Ids(SO_BAN_NGANH),
                   timeframe="Định kỳ hàng năm (trước ngày 15/12)", kind="yearly",
                   due="2025-12-15T00:00:00+07:00", flags=[])
        # Empty timeframe with --period 2025-2025: the year 2025.
        check_task(t["A.I.4"], line=9, lead=["stp"], timeframe="", kind="once",
                   due=end_of(2025, 12, 31), flags=["implicit"])
        check_task(t["A.II.1"], line=11, category="A. NHIỆM VỤ TRỌNG TÂM / II. Kinh tế số",
                   lead=["sct"], coordinating=["Cơ Quan Chưa Có Trong Danh Bạ"],
                   timeframe="Quý V/2025", kind="unparsed", due=None,
                   flags=["unparsed", "unresolved"])
        check(unresolved(w) == [{"name": "Cơ Quan Chưa Có Trong Danh Bạ", "plan": "KH-CSV",
                                 "task": "A.II.1", "file": path, "line": 11}],
              f"a coordinating name is listed too: {unresolved(w)}")
        # The same table separated by semicolons, as a Vietnamese Excel saves it.
        semi = w.file("bang-chấm-phẩy.csv",
                      "STT;Nội dung công việc;Đơn vị thực hiện;Đơn vị phối hợp;Thời hạn\n"
                      "1;Việc một;Sở Y tế;\"Sở Văn hóa, Thể thao và Du lịch; Sở Nội vụ\";"
                      "Quý I/2025\n")
        (rep,) = import_json(w, "--plan-id", "KH-SEMI", semi)
        (x,) = tasks(w, "--plan", "KH-SEMI")
        check_task(x, lead=["syt"], coordinating=Ids({"svhttdl", "snv"}), timeframe="Quý I/2025",
                   line=2)
    finally:
        w.cleanup()


def tab_document():
    nfd = unicodedata.normalize("NFD", "Sở Văn hóa, Thể thao và Du lịch")
    rows = [
        "KẾ HOẠCH",
        "Thử nghiệm bảng tách bằng tab năm 2025",
        "",
        "TT\tNhiệm vụ\tChủ trì\tPhối hợp\tThời gian",
        "I\tCách viết tên cơ quan\t\t\t",
        "1\tViệc một\t" + nfd + "\t\tQuý I/2025",
        "2\tViệc hai\tSở Văn hoá, Thể thao và Du lịch\tSở Khoa học & Công nghệ\tQuý II/2025",
        "3\tViệc ba\tSở  Tài   chính\t  Sở Giáo dục & Đào tạo  \tQuý III/2025",
        "4\tViệc bốn được viết\tSở Văn hóa, Thể thao và Du lịch, Sở Y tế, UBND các huyện, "
        "thị xã, thành phố\t\tNăm 2025",
        "\f",
        "TT\tNhiệm vụ\tChủ trì\tPhối hợp\tThời gian",
        "\ttrên hai trang\t\t\t",
        "II\tNhóm thứ hai\t\t\t",
        "1\tViệc năm\tSỞ THÔNG TIN VÀ TRUYỀN THÔNG\tsở nội vụ\tQuý IV/2025",
        "2\tViệc sáu\tSở Nông nghiệp và Phát triển nông thôn; Sở Tài nguyên & Môi trường\t"
        "Các doanh nghiệp viễn thông\tQuý IV/2025",
        "III\tNhóm thứ ba\t\t\t",
        "III.1\tNhóm con\t\t\t",
        "1\tViệc bảy\tSở Xây dựng\t\tQuý II/2025",
        "III.2\tNhóm con khác\t\t\t",
        "1\tViệc tám\tSở Giao thông vận tải\t\tQuý III/2025",
    ]
    return "\n".join(rows) + "\n"


def test_tab_separated_table_and_agency_name_variants():
    w = workdir()
    try:
        text = tab_document()
        path = w.file("bang-tab.txt", text)
        p = do_import(w, "--plan-id", "KH-TAB", path)
        check("found 8 tasks: 8 in tables" in p.stdout and "flagged" not in p.stdout, p.stdout)
        t = by_key(tasks(w, "--plan", "KH-TAB"))
        check(sorted(t) == ["I.1", "I.2", "I.3", "I.4", "II.1", "II.2", "III.1.1", "III.2.1"],
              f"keys {sorted(t)}")
        check_task(t["I.1"], line=6, lead=["svhttdl"], category="I. Cách viết tên cơ quan",
                   due=end_of(2025, 3, 31))
        check_task(t["I.2"], line=7, lead=["svhttdl"], coordinating=["skhcn"])
        check_task(t["I.3"], line=8, lead=["stc"], coordinating=["sgddt"])
        check_task(t["I.4"], line=9, title="Việc bốn được viết trên hai trang",
                   lead=Ids({"svhttdl", "syt"} | CAP_HUYEN), timeframe="Năm 2025")
        check_task(t["II.1"], line=14, category="II. Nhóm thứ hai", lead=["sttt"],
                   coordinating=["snv"])
        check_task(t["II.2"], line=15, lead=Ids({"snnptnt", "stnmt"}),
                   coordinating=Ids(VIEN_THONG))
        # Sub-sections nest under their section, in the key and the category.
        check_task(t["III.1.1"], line=18, index="1", title="Việc bảy", lead=["sxd"],
                   category="III. Nhóm thứ ba / III.1. Nhóm con")
        check_task(t["III.2.1"], line=20, index="1", title="Việc tám", lead=["sgtvt"],
                   category="III. Nhóm thứ ba / III.2. Nhóm con khác")
        check(all(x["flags"] == [] for x in t.values()), "nothing flagged")
        check(unresolved(w) == [], "every name resolved")
    finally:
        w.cleanup()


NO_TIME = """\
KẾ HOẠCH

Chuyển đổi số thử nghiệm năm 2023

TT\tTên nhiệm vụ\tCơ quan chủ trì\tCơ quan phối hợp
1\tNhận thức số\t\t
1.1\tTổ chức tuần lễ chuyển đổi số\tSở TT&TT\tCác Sở, ban, ngành tỉnh; UBND cấp huyện;
1.2\tChia sẻ sáng kiến\tCác Sở, ban, ngành tỉnh; UBND cấp huyện;\t
2\tNhân lực số\t\t
2.1\tBồi dưỡng cán bộ\tSở Nội vụ\t
2.1\tViệc trùng số thứ tự\tSở TT&TT, UBND cấp huyện, Tỉnh đoàn\t
2.1\tViệc trùng số lần ba\tSở Y tế\t
"""


def test_table_without_timeframe_column_and_duplicated_numbers():
    w = workdir()
    try:
        path = w.file("khong-thoi-gian.txt", NO_TIME)
        p = do_import(w, "--plan-id", "KH-2023", path)
        check("plan KH-2023, 2023-2023," in p.stdout, f"the plan's year from its title: {p.stdout}")
        t = by_key(tasks(w, "--plan", "KH-2023"))
        check(sorted(t) == ["1.1", "1.2", "2.1", "2.1#2", "2.1#3"], f"keys {sorted(t)}")
        for x in t.values():
            check_task(x, timeframe="", kind="once", due=end_of(2023, 12, 31), flags=["implicit"])
        check_task(t["1.1"], index="1.1", category="1. Nhận thức số", lead=["sttt"])
        check_coordinating_besides_lead(t["1.1"], SO_BAN_NGANH | CAP_HUYEN)
        check_task(t["1.2"], lead=Ids(SO_BAN_NGANH | CAP_HUYEN), coordinating=[])
        check_task(t["2.1"], index="2.1", category="2. Nhân lực số", title="Bồi dưỡng cán bộ",
                   lead=["snv"], line=line_no(NO_TIME, "Bồi dưỡng"))
        check_task(t["2.1#2"], index="2.1", title="Việc trùng số thứ tự",
                   lead=Ids({"sttt", "tinh-doan"} | CAP_HUYEN),
                   line=line_no(NO_TIME, "trùng số thứ tự"))
        check_task(t["2.1#3"], index="2.1", lead=["syt"], line=line_no(NO_TIME, "lần ba"))
        # Re-importing keeps every duplicate where it was.
        p = do_import(w, "--plan-id", "KH-2023", path)
        check("stored: 0 new, 0 updated, 5 unchanged" in p.stdout, p.stdout)
    finally:
        w.cleanup()


def test_form_feed_page_break_without_repeated_header_keeps_the_rows():
    """A page break (form feed, as pdftotext writes it) with no header after it: the rows
    that follow are still the table's, never silently dropped."""
    w = workdir()
    try:
        text = ("TT\tNhiệm vụ\tChủ trì\tThời gian\n"
                "1\tViệc một\tSở Y tế\tQuý I/2025\n"
                "2\tViệc hai bị\tSở Nội vụ\tQuý II/2025\n"
                "\f\n"
                "\tcắt trang\t\t\n"
                "3\tViệc ba\tSở Tư pháp\tQuý III/2025\n")
        path = w.file("ff.txt", text)
        do_import(w, "--plan-id", "KH-FF", path)
        t = by_key(tasks(w, "--plan", "KH-FF"))
        check(sorted(t) == ["1", "2", "3"], f"rows after the page break: {sorted(t)}")
        check_task(t["2"], title="Việc hai bị cắt trang", lead=["snv"])
        check_task(t["3"], line=6, lead=["stp"], timeframe="Quý III/2025")
    finally:
        w.cleanup()


def test_unnumbered_row_under_a_section_has_no_index():
    w = workdir()
    try:
        text = ("TT\tNhiệm vụ\tChủ trì\tThời gian\n"
                "I\tNhóm việc\t\t\n"
                "\tViệc không đánh số\tSở Y tế\tQuý I/2025\n"
                "1\tViệc có số\tSở Nội vụ\tQuý II/2025\n")
        path = w.file("khong-so.txt", text)
        do_import(w, "--plan-id", "KH-NONUM", path)
        ts = tasks(w, "--plan", "KH-NONUM")
        check(len(ts) == 2, f"two tasks: {ts}")
        (row,) = [x for x in ts if x["title"] == "Việc không đánh số"]
        check_task(row, line=3, lead=["syt"], category="I. Nhóm việc", timeframe="Quý I/2025")
        check(row["index"] is None, f"index {row['index']!r}: nothing is written, so null")
    finally:
        w.cleanup()


PROSE = """\
ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI

Số: 12/KH-THU

Quảng Ngãi, ngày 3 tháng 2 năm 2025

KẾ HOẠCH

Thử nghiệm các mục đánh số năm 2025

I. MỤC ĐÍCH

Không có nhiệm vụ ở đây.

II. NHIỆM VỤ

1. Hạ tầng số

1.1. Mở rộng mạng cáp quang

- Đơn vị chủ trì: Sở Khoa học và Công nghệ;
- Đơn vị phối hợp: Các doanh nghiệp viễn thông trên địa bàn tỉnh;
- Thời gian thực hiện: Quý II/2025.

1.2. Rà soát điểm truy cập

- {chu_tri}: UBND các huyện, thị xã, thành phố;
- Thời gian hoàn thành: Hàng quý.

2. Dữ liệu số

a) Chuẩn hoá dữ liệu dân cư

- Đơn vị chủ trì: Công an tỉnh;
- Đơn vị phối hợp: Sở Tư pháp, Sở Nội vụ;
- Thời gian thực hiện: Năm 2025 (sau khi có hướng dẫn của Bộ Công an).

b) Công khai dữ liệu mở

- Đơn vị chủ trì: Ban Điều Phối Mơ Hồ;
- Thời gian thực hiện: Thường xuyên.

III. TỔ CHỨC THỰC HIỆN

1. Sở Khoa học và Công nghệ

Chủ trì theo dõi, đôn đốc việc thực hiện Kế hoạch này.

2. Các sở, ban, ngành tỉnh

Định kỳ hàng năm (trước ngày 15/12) báo cáo kết quả thực hiện về Sở Khoa học và Công nghệ.

3. Các sở, ban, ngành tỉnh, UBND các huyện, thị xã, thành phố:

a) Thực hiện các nhiệm vụ được giao tại Kế hoạch này.

b) Định kỳ báo cáo kết quả thực hiện về Sở Khoa học và Công nghệ trước ngày 01/12 hàng năm.

c) Thực hiện chế độ báo cáo 6 tháng và báo cáo năm gửi về Sở Khoa học và Công nghệ.
""".replace("{chu_tri}", unicodedata.normalize("NFD", "Đơn vị chủ trì"))


def test_prose_items_and_reporting_duty():
    w = workdir()
    try:
        path = w.file("muc.txt", PROSE)
        (rep,) = import_json(w, path)
        check(rep["plan"] == "12/KH-THU" and rep["issued"] == "2025-02-03"
              and rep["monitor"] == "skhcn"
              and rep["title"] == "Thử nghiệm các mục đánh số năm 2025",
              f"the plan's facts from the document: {rep}")
        check(rep["found"] == {"table": 0, "prose": 4, "duty": 3}, str(rep))
        check([(f["key"], f["line"]) for f in rep["flagged"]] ==
              [("2.b", line_no(PROSE, "b) Công khai"))], f"flagged: {rep['flagged']}")
        p = do_import(w, path)
        check("plan 12/KH-THU of 2025-02-03, 2025-2025, monitored by skhcn" in p.stdout, p.stdout)
        t = by_key(tasks(w, "--plan", "12/KH-THU"))
        check(sorted(t) == ["1.1", "1.2", "2.a", "2.b", "duty.2.1", "duty.3.1", "duty.3.2"],
              f"keys {sorted(t)}")
        check_task(t["1.1"], index="1.1", line=line_no(PROSE, "1.1. Mở rộng"),
                   category="II. NHIỆM VỤ / 1. Hạ tầng số", title="Mở rộng mạng cáp quang",
                   lead=["skhcn"], coordinating=Ids(VIEN_THONG), timeframe="Quý II/2025",
                   kind="once", due=end_of(2025, 6, 30), flags=[])
        # The label written in NFD; a group as the lead; a recurrence within the plan's year.
        check_task(t["1.2"], index="1.2", title="Rà soát điểm truy cập", lead=Ids(CAP_HUYEN),
                   coordinating=[], timeframe="Hàng quý", kind="quarterly",
                   due=end_of(2025, 3, 31))
        check_task(t["2.a"], index="2.a", category="II. NHIỆM VỤ / 2. Dữ liệu số",
                   title="Chuẩn hoá dữ liệu dân cư", lead=["cong-an"],
                   coordinating=Ids({"stp", "snv"}),
                   timeframe="Năm 2025 (sau khi có hướng dẫn của Bộ Công an)",
                   condition="sau khi có hướng dẫn của Bộ Công an", kind="once",
                   due=end_of(2025, 12, 31), flags=["condition"])
        check_task(t["2.b"], lead=["Ban Điều Phối Mơ Hồ"], timeframe="Thường xuyên",
                   kind="ongoing", due=None, flags=["unresolved"])
        check_task(t["duty.2.1"], line=line_no(PROSE, "Định kỳ hàng năm (trước"),
                   category="III. TỔ CHỨC THỰC HIỆN", lead=Ids(SO_BAN_NGANH), coordinating=[],
                   timeframe="Định kỳ hàng năm (trước ngày 15/12)", kind="yearly",
                   due="2025-12-15T00:00:00+07:00", flags=[])
        check_task(t["duty.3.1"], line=line_no(PROSE, "b) Định kỳ"), index="b)",
                   category="III. TỔ CHỨC THỰC HIỆN", lead=Ids(SO_BAN_NGANH | CAP_HUYEN),
                   title="Định kỳ báo cáo kết quả thực hiện về Sở Khoa học và Công nghệ trước "
                   "ngày 01/12 hàng năm", timeframe="trước ngày 01/12 hàng năm", kind="yearly",
                   due="2025-12-01T00:00:00+07:00", flags=[])
        check_task(t["duty.3.2"], line=line_no(PROSE, "c) Thực hiện"), index="c)",
                   lead=Ids(SO_BAN_NGANH | CAP_HUYEN),
                   timeframe="báo cáo 6 tháng và báo cáo năm", kind="half-yearly",
                   due=end_of(2025, 6, 30), flags=[])
        p = ctl(w.config, "agencies", "--unresolved")
        check(f"Ban Điều Phối Mơ Hồ\n    in 12/KH-THU:2.b ({path}:{line_no(PROSE, 'b) Công khai')})"
              in p.stdout, p.stdout)
    finally:
        w.cleanup()


def test_duty_timeframe_is_stored_without_markdown_emphasis():
    w = workdir()
    try:
        text = PROSE.replace("Định kỳ hàng năm (trước ngày 15/12) báo cáo",
                             "- Định kỳ hàng năm (*trước ngày 15/12*) hoặc đột xuất, báo cáo")
        path = w.file("muc-nhan-manh.txt", text)
        do_import(w, path)
        t = by_key(tasks(w, "--plan", "12/KH-THU"))
        check(t["duty.2.1"]["kind"] == "yearly", str(t["duty.2.1"]))
        check(t["duty.2.1"]["timeframe"] == "Định kỳ hàng năm (trước ngày 15/12)",
              f"timeframe {t['duty.2.1']['timeframe']!r}")
    finally:
        w.cleanup()


# ---- re-import, revision, dry run, the JSON report --------------------------------------------

def test_reimport_changes_nothing_and_a_revision_updates_in_place():
    w = workdir()
    try:
        path = w.file("bang.md", MARKDOWN)
        do_import(w, "--plan-id", "KH-MD", "--period", "2024-2026", path)
        p = ctl(w.config, "progress", "KH-MD:A.I.1", "waiting")
        check(p.returncode == 0 and p.stdout == "KH-MD:A.I.1: waiting\n",
              f"progress: {p.returncode} {p.stdout!r} {p.stderr!r}")
        before = tasks(w, "--plan", "KH-MD")
        check(by_key(before)["A.I.1"]["status"] == "waiting", "recorded")
        p = do_import(w, "--plan-id", "KH-MD", "--period", "2024-2026", path)
        check("stored: 0 new, 0 updated, 5 unchanged" in p.stdout and "changed:" not in p.stdout,
              p.stdout)
        check(tasks(w, "--plan", "KH-MD") == before, "nothing changed")
        # Revised: A.I.1 moves to Quý IV, A.I.2 gets another lead.
        text = (MARKDOWN.replace("| Sở Nội vụ | Quý II/2025 |", "| Sở Nội vụ | Quý IV/2025 |")
                .replace("| Rà soát thiết bị đầu cuối | Sở Y tế |",
                         "| Rà soát thiết bị đầu cuối | Sở Công Thương |"))
        revised = w.file("bang-sua.md", text)
        p = do_import(w, "--plan-id", "KH-MD", "--period", "2024-2026", revised)
        check("stored: 0 new, 2 updated, 3 unchanged" in p.stdout, p.stdout)
        check(f"    line {line_no(text, 'Nâng cấp')}, task A.I.1: timeframe 'Quý II/2025' → "
              "'Quý IV/2025'\n" in p.stdout, f"what changed: {p.stdout}")
        check(re.search(rf"    line {line_no(text, 'Rà soát')}, task A.I.2: .*agencies", p.stdout),
              f"what changed: {p.stdout}")
        after = by_key(tasks(w, "--plan", "KH-MD"))
        old = by_key(before)
        check_task(after["A.I.1"], id=old["A.I.1"]["id"], status="waiting",
                   timeframe="Quý IV/2025", due=end_of(2025, 12, 31), lead=["stc"])
        check_task(after["A.I.2"], id=old["A.I.2"]["id"], status="open", lead=["sct"])
        for key in ("A.I.3", "A.II.1", "B.1"):
            a, b = dict(after[key]), dict(old[key])
            a.pop("source"), b.pop("source")
            check(a == b, f"{key} unchanged:\n{a}\n{b}")
    finally:
        w.cleanup()


def test_dry_run_writes_nothing():
    w = workdir()
    try:
        path = w.file("bang.md", MARKDOWN)
        # Into an empty store: reports what it would do, stores nothing.
        p = do_import(w, "--dry-run", "--plan-id", "KH-MD", "--period", "2024-2026", path)
        check("would store (dry run, nothing written): 5 new, 0 updated, 0 unchanged"
              in p.stdout, p.stdout)
        check("the daemon is not running" not in p.stderr, "nothing to tell the daemon")
        check(tasks(w) == [] and unresolved(w) == [], "nothing stored")
        # Over a stored plan, with a revision: the report says what would change, nothing does.
        do_import(w, "--plan-id", "KH-MD", "--period", "2024-2026", path)
        before, names = tasks(w), unresolved(w)
        text = (MARKDOWN.replace("| Sở Nội vụ | Quý II/2025 |", "| Sở Nội vụ | Quý IV/2025 |")
                .replace("| Sở Không Tồn Tại |", "| Cơ Quan Mới Chưa Biết |")
                + "| 2 | Việc mới thêm | Sở Y tế | | Quý I/2026 |\n")
        revised = w.file("bang-sua.md", text)
        (rep,) = import_json(w, "--dry-run", "--plan-id", "KH-MD", "--period", "2024-2026",
                             revised)
        check(rep["dry_run"] is True and rep["created"] == 1 and rep["updated"] == 2
              and rep["unchanged"] == 3, f"would: {rep}")
        check({c["key"] for c in rep["changed"]} == {"A.I.1", "A.II.1"}, str(rep["changed"]))
        check(tasks(w) == before, "tasks --json identical after --dry-run")
        check(unresolved(w) == names, "agencies --unresolved identical after --dry-run")
    finally:
        w.cleanup()


def test_dry_run_after_the_file_still_writes_nothing():
    """Options after the file are options (GNU style), not files: `import FILE --dry-run`
    must not store FILE for real."""
    w = workdir()
    try:
        path = w.file("bang.md", MARKDOWN)
        p = ctl(w.config, "import", path, "--dry-run", "--plan-id", "KH-MD")
        check("--dry-run: cannot read" not in p.stdout, f"'--dry-run' read as a file: {p.stdout}")
        check(p.returncode == 0 and "would store (dry run, nothing written)" in p.stdout,
              f"exit {p.returncode}: {p.stdout}")
        check(tasks(w) == [], f"stored for real: {len(tasks(w))} tasks")
    finally:
        w.cleanup()


def test_import_json_report():
    w = workdir()
    try:
        md = w.file("bang-md.md", MARKDOWN)
        csv = w.file("bang-csv.csv", CSV)
        reps = import_json(w, "--period", "2025-2025", md, csv)
        check(len(reps) == 2, f"one object per file: {reps}")
        fields = {"file", "plan", "title", "issued", "monitor", "found", "dry_run", "created",
                  "updated", "unchanged", "changed", "flagged", "problems"}
        for r in reps:
            check(fields <= set(r), f"fields {sorted(r)}")
            check(isinstance(r["changed"], list) and isinstance(r["flagged"], list)
                  and isinstance(r["problems"], list), str(r))
            for f in r["flagged"]:
                check(set(f) >= {"line", "key", "why"} and isinstance(f["line"], int), str(f))
        a, b = reps
        # No number in either document: the plan is named after the file.
        check(a["file"] == md and a["plan"] == "bang-md" and a["issued"] is None
              and a["monitor"] is None and a["dry_run"] is False, str(a))
        check(a["found"] == {"table": 5, "prose": 0, "duty": 0} and a["created"] == 5
              and a["updated"] == 0 and a["unchanged"] == 0 and a["changed"] == [], str(a))
        check(b["file"] == csv and b["plan"] == "bang-csv" and b["found"]["table"] == 5
              and b["created"] == 5 and len(b["flagged"]) == 1, str(b))
        # Plan options: title, date, period, monitor (by name) go into the plan.
        reps = import_json(w, "--plan-id", "KH-OPT", "--title", "Kế hoạch có tên riêng",
                           "--issued", "2025-03-01", "--period", "2024-2026", "--monitor",
                           "Sở KH&CN", md)
        check(reps[0]["plan"] == "KH-OPT" and reps[0]["title"] == "Kế hoạch có tên riêng"
              and reps[0]["issued"] == "2025-03-01" and reps[0]["monitor"] == "skhcn", str(reps))
        p = do_import(w, "--plan-id", "KH-OPT", "--title", "Kế hoạch có tên riêng", "--issued",
                      "2025-03-01", "--period", "2024-2026", "--monitor", "skhcn", md)
        check("plan KH-OPT of 2025-03-01, 2024-2026, monitored by skhcn" in p.stdout, p.stdout)
        check("stored: 0 new, 0 updated, 5 unchanged" in p.stdout, p.stdout)
    finally:
        w.cleanup()


def test_import_errors():
    w = workdir()
    try:
        good = w.file("bang-md.md", MARKDOWN)
        good2 = w.file("bang-csv.csv", CSV)
        missing = os.path.join(w.path, "khong-co.txt")
        p = do_import(w, missing, rc=1)
        check("cannot read" in p.stdout + p.stderr, p.stdout + p.stderr)
        latin = os.path.join(w.path, "latin1.txt")
        with open(latin, "wb") as f:
            f.write("TT\tNhiệm vụ\tChủ trì\n1\tViệc\tSở Y tế\n".encode("utf-8")
                    .replace("ệ".encode("utf-8"), b"\xea"))
        p = do_import(w, latin, rc=1)
        check("not UTF-8" in p.stdout + p.stderr, p.stdout + p.stderr)
        nothing = w.file("van-ban.txt", "Một văn bản không giao nhiệm vụ nào.\n")
        p = do_import(w, nothing, rc=1)
        check("no tasks found" in p.stdout + p.stderr, p.stdout)
        check(tasks(w) == [], "nothing stored")
        for args in ((), ("--issued", "2025-13-01", good), ("--issued", "1/3/2025", good),
                     ("--period", "2026-2025", good), ("--period", "2025", good),
                     ("--bogus", good)):
            p = ctl(w.config, "import", *args)
            check(p.returncode == 2 and "usage: deadlinectl import" in p.stderr,
                  f"import {args}: exit {p.returncode} {p.stderr!r}")
        check(tasks(w) == [], "nothing stored by a usage error")
        # Good files and a bad one: the good ones are stored, the exit status says one failed.
        p = do_import(w, "--period", "2025-2025", good, missing, good2, rc=1)
        check("all files: 10 tasks (10 new, 0 updated, 0 unchanged, 2 flagged)" in p.stdout,
              p.stdout)
        check(len(tasks(w)) == 10, "both good files stored")
    finally:
        w.cleanup()


def test_progress_takes_its_options_after_task_and_status():
    """The README writes `progress TASK STATUS [--note T] [--occurrence DATE]`."""
    w = workdir()
    try:
        do_import(w, "--plan-id", "KH-MD", "--period", "2024-2026", w.file("bang.md", MARKDOWN))
        p = ctl(w.config, "progress", "KH-MD:A.I.1", "waiting", "--note", "Chờ Bộ hướng dẫn")
        check(p.returncode == 0 and p.stdout == "KH-MD:A.I.1: waiting\n",
              f"exit {p.returncode}: {p.stdout!r} {p.stderr!r}")
        check(by_key(tasks(w))["A.I.1"]["status"] == "waiting", "recorded")
    finally:
        w.cleanup()


# ---- tasks --flagged, agencies ----------------------------------------------------------------

FLAGGED = """\
| STT | Nội dung | Chủ trì | Thời hạn |
|---|---|---|---|
| 1 | Việc không ai chủ trì | | Quý I/2025 |
| 2 | Việc có điều kiện | Sở Y tế | Năm 2025 (sau khi Bộ Y tế hướng dẫn) |
| 3 | Việc bình thường | Sở Y tế | Quý I/2025 |
| 4 | Việc để trống thời hạn | Sở Y tế | |
| 5 | Việc có hạn lạ | Sở Y tế | Quý V/2025 |
| 6 | Việc của cơ quan lạ | Phòng Không Ai Biết | Quý I/2025 |
"""


def test_tasks_flagged_lists_what_an_admin_must_fix():
    w = workdir()
    try:
        path = w.file("co.md", FLAGGED)
        (rep,) = import_json(w, "--plan-id", "KH-FLAG", "--period", "2025-2025", path)
        check(sorted(f["key"] for f in rep["flagged"]) == ["1", "5", "6"], str(rep["flagged"]))
        why = {f["key"]: f["why"] for f in rep["flagged"]}
        check("no lead" in why["1"] and "Quý V/2025" in why["5"]
              and "Phòng Không Ai Biết" in why["6"], str(why))
        t = by_key(tasks(w, "--plan", "KH-FLAG"))
        check_task(t["1"], lead=[], flags=["no-lead"], line=3)
        check_task(t["2"], flags=["condition"], condition="sau khi Bộ Y tế hướng dẫn")
        check_task(t["3"], flags=[])
        check_task(t["4"], flags=["implicit"], due=end_of(2025, 12, 31))
        check_task(t["5"], flags=["unparsed"], kind="unparsed", due=None)
        check_task(t["6"], flags=["unresolved"], lead=["Phòng Không Ai Biết"])
        flagged = tasks(w, "--flagged")
        check(sorted(x["key"] for x in flagged) == ["1", "5", "6"], f"--flagged: {flagged}")
        p = ctl(w.config, "tasks", "--flagged")
        check(p.returncode == 0 and p.stdout.endswith("\n3 tasks\n"), p.stdout)
        for key, mark in (("1", "[no-lead]"), ("5", "[unparsed]"), ("6", "[unresolved]")):
            check(re.search(rf"KH-FLAG:{key} .*\n.*{re.escape(mark)}", p.stdout),
                  f"{key} {mark}: {p.stdout}")
        check("?Phòng Không Ai Biết" in p.stdout, "an unresolved lead is marked with '?'")
        p = ctl(w.config, "tasks", "--plan", "KH-FLAG")
        check(p.stdout.endswith("\n6 tasks\n"), p.stdout)
        p = ctl(w.config, "tasks", "--plan", "NO-SUCH-PLAN")
        check(p.returncode == 0 and p.stdout == "0 tasks\n", p.stdout)
    finally:
        w.cleanup()


def test_agencies_json_lists_the_whole_directory():
    w = workdir()
    try:
        p = ctl(w.config, "agencies", "--json")
        check(p.returncode == 0, p.stderr)
        objs = [json.loads(line) for line in p.stdout.splitlines()]
        got = {o["id"]: o for o in objs}
        check(len(got) == len(objs) == len(DIR), f"{len(objs)} entries, {len(DIR)} in the file")
        for aid, e in DIR.items():
            o = got.get(aid)
            check(o is not None, f"{aid} missing")
            check(o["kind"] == e["kind"] and o["name"] == e["name"], f"{aid}: {o}")
            if e["kind"] == "agency":
                check(o["emails"] == e["emails"], f"{aid} emails: {o['emails']} vs {e['emails']}")
            else:
                check(o["members"] == e["members"], f"{aid} members: {o['members']}")
        n_agencies = sum(1 for e in DIR.values() if e["kind"] == "agency")
        n_groups = len(DIR) - n_agencies
        p = ctl(w.config, "agencies")
        check(p.stdout.endswith(f"\n{n_agencies} agencies, {n_groups} groups\n"), p.stdout[-200:])
        check(re.search(r"^sttt +Sở Thông tin và Truyền thông <sttt@quangngai\.example> → skhcn "
                        r"since 2025-03-01$", p.stdout, re.M), "a successor is shown")
        # Nothing imported: no unresolved name.
        p = ctl(w.config, "agencies", "--unresolved")
        check(p.returncode == 0 and p.stdout == "0 unresolved names\n", p.stdout)
    finally:
        w.cleanup()


# ---- what the new importer adds: explanation, failures in JSON, retiring, stanzas ----------

FLAT = """\
KẾ HOẠCH

Thử nghiệm bảng dàn phẳng năm 2026

|
**STT**
|
**Nội dung công việc**
|
**Đơn vị thực hiện**
|
**Thời gian hoàn thành**
|
**Ghi chú**
|
|
**I**
|
**Nhóm một**
|
|
1
|
Việc một viết
trên hai dòng
|
Sở Y tế
|
Quý II/2026
|
Ưu tiên
|
|
2
|
Việc hai
|
|
3
|
Việc ba
|
Bộ Văn hóa, Thể thao và Du lịch, Sở Tư pháp
|
Quý IV/2026
|
|
"""


def test_import_explain_shows_how_a_document_was_read():
    w = workdir()
    try:
        path = w.file("phang.txt", FLAT)
        p = do_import(w, "--explain", path)
        out = p.stdout
        check(f"{path}: " in out and "(flattened)" in out, out)
        check('1 index "STT" | 2 task "Nội dung công việc" | 3 lead "Đơn vị thực hiện" | '
              '4 timeframe "Thời gian hoàn thành" | 5 note "Ghi chú"' in out, out)
        check(re.search(rf"lines {line_no(FLAT, '**STT**')}-\d+: header", out), out)
        check(re.search(rf"lines {line_no(FLAT, '**I**')}-\d+: section I — ", out), out)
        check(re.search(rf"lines {line_no(FLAT, 'Việc một viết') - 2}-\d+: task I\.1 — a task row\n",
                        out), out)
        check(re.search(r"task I\.2 — a task row; lead, timeframe, note from the merged cell "
                        r"above", out), f"an inherited cell is said: {out}")
        check("found 3 tasks: 3 in tables" in out, out)
        check(tasks(w) == [], "--explain stores nothing")
    finally:
        w.cleanup()


def test_import_json_reports_failures_too():
    w = workdir()
    try:
        missing = os.path.join(w.path, "khong-co.txt")
        nul = os.path.join(w.path, "nul.csv")
        with open(nul, "wb") as f:
            f.write("STT,Nhiệm vụ,Chủ trì\n1,Việc một,Sở Y tế\n2,Việc\0 hai,Sở Y tế\n"
                    "3,Việc ba,Sở Y tế\n".encode("utf-8"))
        bad = os.path.join(w.path, "latin1.txt")
        with open(bad, "wb") as f:
            f.write(b"TT\tNhi\xe1\xbb\x87m v\xe1\xbb\xa5\tCh\xe1\xbb\xa7 tr\xc3\xac\n"
                    b"1\tVi\xeac\tS\xe1\xbb\x9f Y t\xe1\xba\xbf\n")
        empty = w.file("van-ban.txt", "Một văn bản không giao nhiệm vụ nào.\n")
        good = w.file("bang.md", MARKDOWN)
        reps = import_json(w, missing, nul, bad, empty, good, rc=1)
        check(len(reps) == 5, f"one object per file, failures included: {reps}")
        by_file = {r["file"]: r for r in reps}
        check("cannot read" in by_file[missing]["error"], str(by_file[missing]))
        check(by_file[nul]["line"] == 3 and "NUL" in by_file[nul]["error"]
              and by_file[nul]["position"] == "line 3", str(by_file[nul]))
        check(by_file[bad]["line"] == 2 and "not UTF-8" in by_file[bad]["error"], str(by_file[bad]))
        check("no tasks found" in by_file[empty]["error"], str(by_file[empty]))
        check(by_file[good]["created"] == 5 and "error" not in by_file[good], str(by_file[good]))
        check({t["source"]["file"] for t in tasks(w)} == {good}, "only the good file is stored")
        # The errors go to stderr as well, with the place.
        p = do_import(w, nul, rc=1)
        check(f"{nul}: line 3: a NUL byte" in p.stderr, p.stderr)
    finally:
        w.cleanup()


def test_a_number_cell_broken_over_lines_gives_a_clean_key():
    w = workdir()
    try:
        path = w.file("so.csv", "STT,Nhiệm vụ,Chủ trì,Thời hạn\n\"1\r\n.2\",Việc,Sở Y tế,2026\n")
        do_import(w, "--plan-id", "KH-CR", path)
        (t,) = tasks(w, "--plan", "KH-CR")
        check(t["key"] == "1.2" and t["index"] == "1.2", f"key {t['key']!r} index {t['index']!r}")
    finally:
        w.cleanup()


def test_reimport_says_what_disappeared_and_retire_missing_retires_it():
    w = workdir()
    try:
        path = w.file("bang.md", MARKDOWN)
        do_import(w, "--plan-id", "KH-MD", "--period", "2024-2026", path)
        p = ctl(w.config, "progress", "KH-MD:B.1", "done")
        check(p.returncode == 0, p.stderr)
        revised = w.file("bang-sua.md", MARKDOWN.replace(
            "| 2 | Rà soát thiết bị đầu cuối | Sở Y tế | | |\n", "").replace(
            "| 1 | Tập huấn kỹ năng số | Sở Khoa học và Công nghệ | | 2024 - 2026 |\n", ""))
        (rep,) = import_json(w, "--plan-id", "KH-MD", "--period", "2024-2026", revised)
        check([m["key"] for m in rep["missing"]] == ["A.I.2"] and rep["retired"] == 0
              and rep["missing"][0]["retired"] is False,
              f"a done task is not missing, an open one is: {rep['missing']}")
        check(by_key(tasks(w))["A.I.2"]["status"] == "open", "only reported")
        p = do_import(w, "--plan-id", "KH-MD", "--period", "2024-2026", revised)
        check("no longer in the document (still open; --retire-missing retires them) (1):\n"
              "    A.I.2 (open): Rà soát thiết bị đầu cuối" in p.stdout, p.stdout)
        (rep,) = import_json(w, "--plan-id", "KH-MD", "--period", "2024-2026",
                             "--retire-missing", revised)
        check(rep["retired"] == 1 and rep["missing"][0]["retired"] is True, str(rep))
        t = by_key(tasks(w))
        check(t["A.I.2"]["status"] == "removed" and t["B.1"]["status"] == "done",
              f"retired, never deleted; done stays done: {t['A.I.2']['status']}")
        history = w.sql("SELECT what, detail FROM history h JOIN tasks t ON t.id = h.task_id "
                        "WHERE t.key = 'A.I.2' ORDER BY h.id")
        check(history[-1] == ("removed", f"no longer in {revised}"), str(history))
        # Back in the document: open again, with its history.
        (rep,) = import_json(w, "--plan-id", "KH-MD", "--period", "2024-2026", path)
        check(rep["missing"] == [] and "A.I.2" in {c["key"] for c in rep["changed"]}, str(rep))
        check(by_key(tasks(w))["A.I.2"]["status"] == "open", "it came back")
    finally:
        w.cleanup()


def test_unresolved_names_become_directory_stanzas():
    w = workdir()
    try:
        text = ("| STT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời hạn |\n"
                "|---|---|---|---|---|\n"
                "| 1 | Việc một | Bộ Công an (Cục A05) | Các bộ, ngành liên quan | 2026 |\n"
                "| 2 | Việc hai | Bộ Văn hóa, Thể thao và Du lịch; Sở Y tế | | 2026 |\n"
                "| 3 | Việc ba | Bộ Công an | Bộ Văn hóa, Thể thao và Du lịch | 2027 |\n")
        path = w.file("bo.md", text)
        do_import(w, "--plan-id", "KH-BO", path)
        p = ctl(w.config, "agencies", "--unresolved")
        check(p.returncode == 0 and p.stdout.startswith(
            "Bộ Công an\n    in KH-BO:3 ("), f"each name once, with its tasks: {p.stdout}")
        check("Bộ Văn hóa, Thể thao và Du lịch\n    in KH-BO:2 (" in p.stdout and
              f"    in KH-BO:3 ({path}:5)\n" in p.stdout, p.stdout)
        check(p.stdout.endswith("4 unresolved names\n"), p.stdout)
        p = ctl(w.config, "agencies", "--unresolved", "--stanzas")
        check(p.returncode == 0, p.stderr)
        stanzas = p.stdout
        check("[agency bo-cong-an]\nname = Bộ Công an\n" in stanzas and
              "[agency bo-cong-an-cuc-a05]\nname = Bộ Công an (Cục A05)\n" in stanzas and
              "[group cac-bo-nganh-lien-quan]\nname = Các bộ, ngành liên quan\n" in stanzas,
              stanzas)
        # Filled in and added to the directory, they load and the names resolve.
        filled = re.sub(r"; email = ADDRESS", lambda m: "email = x@bo.example", stanzas)
        directory = w.file("directory.ini", open(DIRECTORY_INI, encoding="utf-8").read()
                           + "\n" + filled)
        with open(w.config, encoding="utf-8") as f:
            config = f.read()
        with open(w.config, "w", encoding="utf-8") as f:
            f.write(re.sub(r"^include = .*$", f"include = {directory}", config, flags=re.M))
        p = ctl(w.config, "agencies")
        check(p.returncode == 0, f"the stanzas load: {p.stderr}")
        do_import(w, "--plan-id", "KH-BO", path)
        check(unresolved(w) == [], f"every name resolves now: {unresolved(w)}")
        check(by_key(tasks(w))["1"]["lead"] == ["bo-cong-an-cuc-a05"], str(tasks(w)))
        p = ctl(w.config, "agencies", "--stanzas", "--json")
        check(p.returncode == 2, "--stanzas is text")
    finally:
        w.cleanup()



# ---- dues for several agencies, sentences, the plan's year, the plan's identity ------------

SEVERAL_DUES = """\
Số: 58/KH-UBND

Quảng Ngãi, ngày 20 tháng 11 năm 2025

**KẾ HOẠCH**

**Dự toán chuyển đổi số giai đoạn 2026 - 2027**

| TT | Công việc | Cơ quan chủ trì | Cơ quan phối hợp | Thời hạn |
|---|---|---|---|---|
| 1 | Lập dự toán chuyển đổi số năm 2027 | Sở Tài chính | Các sở, ban, ngành | - Các sở, ban, ngành gửi dự toán trước ngày 15/7/2026; - Sở Tài chính tổng hợp, trình UBND tỉnh trước ngày 31/7/2026 |
| 2 | Kiện toàn tổ công nghệ số cộng đồng | UBND các huyện, thị xã, thành phố | Sở Khoa học và Công nghệ | Quý III/2026 |
| 3 | Ban hành quy chế khai thác dữ liệu | Sở Nội vụ | Sở Tư pháp | Ban hành trong quý IV năm 2026. Tổ chức triển khai, cập nhật (nếu có) |
| 4 | Đăng ký nhu cầu đào tạo | Sở Nội vụ | | Quý I năm sau |
"""


def test_several_agencies_dues_become_one_task_each():
    w = workdir()
    try:
        path = w.file("du-toan.md", SEVERAL_DUES)
        (rep,) = import_json(w, path)
        check(rep["plan"] == "58/KH-UBND" and rep["issued"] == "2025-11-20", str(rep))
        check(rep["found"]["table"] == 4 and rep["tasks"] == 5 and rep["created"] == 5, str(rep))
        t = by_key(tasks(w, "--plan", "58/KH-UBND"))
        check(sorted(t) == ["1", "1@cac-so-ban-nganh", "2", "3", "4"], str(sorted(t)))
        # Each agency its own clause and due; the row's lead keeps the row's key.
        # A group of a plan of 20/11/2025: the departments of then, the merged ones their successors.
        of_then = group_on("so-ban-nganh", "2025-11-20")
        check("skhdt" not in of_then and len(of_then) < len(SO_BAN_NGANH), str(of_then))
        check_task(t["1@cac-so-ban-nganh"], lead=Ids(of_then), coordinating=[],
                   timeframe="Các sở, ban, ngành gửi dự toán trước ngày 15/7/2026",
                   due="2026-07-15T00:00:00+07:00", kind="once", flags=["loose"], line=11)
        check_task(t["1"], lead=["stc"], coordinating=Ids(of_then - {"stc"}),
                   timeframe="Sở Tài chính tổng hợp, trình UBND tỉnh trước ngày 31/7/2026",
                   due="2026-07-31T00:00:00+07:00", flags=["loose"])
        check(t["1"]["title"] == t["1@cac-so-ban-nganh"]["title"]
              == "Lập dự toán chuyển đổi số năm 2027", str(t["1"]))
        check_task(t["2"], lead=Ids(group_on("ubnd-cap-huyen", "2025-11-20")), due=end_of(2026, 9, 30),
                   flags=[])
        # A sentence: the deadline-bearing clause gives the due, the rest is kept, flagged loose.
        check_task(t["3"], kind="once", due=end_of(2026, 12, 31), flags=["condition", "loose"])
        # "năm sau" is the year after the plan's date of issue (read from the document).
        check_task(t["4"], kind="once", due=end_of(2026, 3, 31), flags=[])
        flagged = {f["key"]: f for f in rep["flagged"]}
        check(sorted(flagged) == ["1", "1@cac-so-ban-nganh", "3"], str(rep["flagged"]))
        for key in flagged:
            f = flagged[key]
            check(f["loose"] is True and f["timeframe"] == t[key]["timeframe"]
                  and "read from a sentence" in f["why"] and f["timeframe"] in f["why"], str(f))
        # The same document again: the same keys, nothing changes.
        (again,) = import_json(w, path)
        check(again["created"] == 0 and again["unchanged"] == 5 and again["missing"] == [],
              str(again))
        p = do_import(w, "--dry-run", path)
        check("5 tasks stored: rows giving several agencies their own dues" in p.stdout
              and "read from a sentence, check it" in p.stdout, p.stdout)
        # An admin sees them: tasks --flagged lists the loose readings.
        p = ctl(w.config, "tasks", "--flagged", "--plan", "58/KH-UBND")
        check(p.returncode == 0 and p.stdout.endswith("\n3 tasks\n"), p.stdout)
        check(re.search(r"58/KH-UBND:1@cac-so-ban-nganh .*\n.*\[loose\]", p.stdout), p.stdout)
    finally:
        w.cleanup()


def test_next_year_needs_the_plans_date_of_issue():
    w = workdir()
    try:
        text = "| STT | Nội dung | Chủ trì | Thời hạn |\n|---|---|---|---|\n" \
               "| 1 | Tổng kết năm | Sở Y tế | Tháng 1 năm sau |\n"
        path = w.file("tong-ket.md", text)
        (rep,) = import_json(w, "--plan-id", "KH-NS", path)
        check(len(rep["flagged"]) == 1 and "plan's year" in rep["flagged"][0]["why"], str(rep))
        check_task(by_key(tasks(w, "--plan", "KH-NS"))["1"], kind="unparsed", flags=["unparsed"])
        (rep,) = import_json(w, "--plan-id", "KH-NS", "--issued", "2026-12-01", path)
        check(rep["flagged"] == [] and rep["updated"] == 1
              and "read anew (unparsed → once" in rep["changed"][0]["why"], str(rep))
        check_task(by_key(tasks(w, "--plan", "KH-NS"))["1"], kind="once",
                   due=end_of(2027, 1, 31), flags=[])
    finally:
        w.cleanup()


def test_import_says_what_the_plans_identity_lacks():
    w = workdir()
    try:
        bare = w.file("bang.md", MARKDOWN)
        (rep,) = import_json(w, bare)
        want = ("--plan-id", "--issued", "--period")
        check(len(rep["warnings"]) == 3 and all(o in w_ for o, w_ in zip(want, rep["warnings"])),
              str(rep["warnings"]))
        p = do_import(w, "--dry-run", bare)
        for option in want:
            check(re.search(rf"  warning: .*{option}", p.stdout), f"{option}: {p.stdout}")
        (rep,) = import_json(w, "--plan-id", "KH-ID", "--issued", "2025-01-02", "--period",
                             "2025-2026", bare)
        check(rep["warnings"] == [], str(rep["warnings"]))
        # A document that says all three needs nothing more.
        (rep,) = import_json(w, w.file("du-toan.md", SEVERAL_DUES))
        check(rep["warnings"] == [], str(rep["warnings"]))
        # The date alone missing: only that is said.
        (rep,) = import_json(w, "--plan-id", "KH-ID2", "--period", "2025-2026", bare)
        check(len(rep["warnings"]) == 1 and "--issued" in rep["warnings"][0], str(rep))
    finally:
        w.cleanup()


def test_a_table_without_its_separators_is_said_not_guessed():
    w = workdir()
    try:
        text = ("KẾ HOẠCH\nSố hóa hồ sơ năm 2026\n\nSTT \nNhiệm vụ \nCơ quan \nchủ trì \n"
                "Cơ quan \nphối hợp \nThời gian \nhoàn thành \n1. \nLập danh mục hồ sơ \n"
                "số hóa \nSở Nội vụ \nCác sở, \nngành \nQuý II/2026 \n")
        path = w.file("cong-bao.txt", text)
        (rep,) = import_json(w, path, rc=1)
        check(rep["line"] == 4 and "no tasks found" in rep["error"]
              and "import the PDF or Word file itself" in rep["error"], str(rep))
        p = do_import(w, path, rc=1)
        check("lines 4-" in p.stderr and "without its layout" in p.stderr, p.stderr)
        check(tasks(w) == [], "nothing stored")
    finally:
        w.cleanup()


if __name__ == "__main__":
    run_tests([test_seed_906_appendix_table_and_reporting_duties,
               test_seed_189_duplicate_numbers_and_rows_split_over_pages,
               test_seed_kh2025_numbered_items_and_duties,
               test_seed_119_yearly_report_duty,
               test_seed_status_report_has_no_tasks,
               test_seed_reimport_and_revision_keep_progress,
               test_seed_unnumbered_row_has_no_index,
               test_seed_duty_timeframe_is_stored_without_markdown_emphasis,
               test_markdown_pipe_table,
               test_csv_table_with_other_header_words,
               test_tab_separated_table_and_agency_name_variants,
               test_table_without_timeframe_column_and_duplicated_numbers,
               test_form_feed_page_break_without_repeated_header_keeps_the_rows,
               test_unnumbered_row_under_a_section_has_no_index,
               test_prose_items_and_reporting_duty,
               test_duty_timeframe_is_stored_without_markdown_emphasis,
               test_reimport_changes_nothing_and_a_revision_updates_in_place,
               test_dry_run_writes_nothing,
               test_dry_run_after_the_file_still_writes_nothing,
               test_import_json_report,
               test_import_errors,
               test_progress_takes_its_options_after_task_and_status,
               test_tasks_flagged_lists_what_an_admin_must_fix,
               test_agencies_json_lists_the_whole_directory,
               test_import_explain_shows_how_a_document_was_read,
               test_import_json_reports_failures_too,
               test_a_number_cell_broken_over_lines_gives_a_clean_key,
               test_reimport_says_what_disappeared_and_retire_missing_retires_it,
               test_unresolved_names_become_directory_stanzas,
               test_several_agencies_dues_become_one_task_each,
               test_next_year_needs_the_plans_date_of_issue,
               test_import_says_what_the_plans_identity_lacks,
               test_a_table_without_its_separators_is_said_not_guessed])
