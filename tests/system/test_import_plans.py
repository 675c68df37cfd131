"""The ten real plans of ../shared/plans (other provinces, ministries, the
Government), imported as an admin would, measured against what the
documents say. Skipped, counted apart, when ../shared/plans is absent.

The expectations below were written by reading each document, not by
running the importer: its number, date and issuing body, its task rows per section (how
they are counted: one task per numbered row under a lead column, or per
labelled group of a list item; a row the source splits over merged cells
counts once per task it names), a sample of tasks with the lead names and
the timeframe as the document writes them, and for 2629/QĐ-TTg the
indicator rows of Phụ lục I. The quality bar of the import issue is
checked on each: at least 90 % of the task rows become tasks, at most 5 %
of the tasks are not task rows (reporting duties of "Tổ chức thực hiện"
are real tasks the counts leave out), and each sample's lead and timeframe
are the document's own text.

Keys follow the document's numbering: the section path, then the row's
number ("III.1.3.23"); a row that merged cells give a second task under
one number gets "#2"; where numbers restart in each table of a document,
each table's heading number comes first ("2.14", "PL.II.3")."""
import json
import os

from harness import ROOT, Skip, Workdir, check, ctl, run_tests

PLANS = os.path.abspath(os.path.join(ROOT, "..", "shared", "plans"))


def numbered(prefix, first, last, sep="."):
    return [f"{prefix}{sep}{n}" if prefix else str(n) for n in range(first, last + 1)]


def sections(spec):
    """{"I": 5, "II": 4} → I.1..I.5, II.1..II.4; a (first, last) pair numbers on."""
    keys = []
    for section, count in spec.items():
        first, last = (1, count) if isinstance(count, int) else count
        keys += numbered(section, first, last)
    return keys


# What each document holds, as read in it.
DOCS = [
    dict(file="01_bnv-1383-QD-BNV-lich-pho-bien-thong-ke.txt", number="1383/QĐ-BNV",
         issued="2025-11-26", issuer="BỘ NỘI VỤ",
         # 29 statistics, STT 1-29; rows 2, 5, 18-21, 23-26, 28-29 (and the units of
         # 9-10, 12-16) are merged with the row above in the source.
         keys=numbered("", 1, 29),
         samples={"1": (["Vụ Chính quyền địa phương"], "Tháng 6/2025"),
                  "2": (["Vụ Chính quyền địa phương"], "Tháng 6/2025"),
                  "9": (["Cục Quản lý lao động ngoài nước"], "Tháng 4/2025"),
                  "13": (["Cục Việc làm"], "Tháng 3/2026"),
                  "29": (["Cục Người có công"], "Tháng 3/2026")}),
    dict(file="02_ttg-2597-QD-TTg-cds-ha-tang-xay-dung.txt", number="2597/QĐ-TTg",
         issued="2025-11-27", issuer="THỦ TƯỚNG CHÍNH PHỦ",
         keys=sections({"I": 5, "II": 4, "III": 6, "IV": 3, "V": 1, "VI": 3, "VII": 3}),
         samples={"I.1": (["Bộ Xây dựng"], "2026"),
                  "I.5": (["Bộ Khoa học và Công nghệ"], "2026-2027"),
                  "III.1": (["Bộ Xây dựng", "các địa phương"], "2026-2030"),
                  "VII.3": (["Bộ Tài chính"], "2026-2030")}),
    dict(file="03_bvhttdl-6225-BVHTTDL-VP-nhiem-vu-cds.txt", number="6225/BVHTTDL-VP",
         issued="2025-11-18", issuer="Bộ Văn hoá, Thể thao và du lịch",
         keys=numbered("", 1, 10),
         # "Các Cục: A, B" names Cục A and Cục B; the person column is no lead.
         samples={"1": (["Cục Di sản văn hóa", "Cục Bản quyền tác giả"], "Tháng 12/2025"),
                  "4": (["Cục Bản quyền tác giả",
                         "Cục Phát thanh truyền hình và Thông tin điện tử",
                         "Cục Xuất bản, In và Phát hành", "Cục Báo chí",
                         "Cục Du lịch Quốc gia Việt Nam", "Vụ Kế hoạch, Tài chính"],
                        "Theo lộ trình được giao tại Kế hoạch số 02-KH/BCĐTW"),
                  "5": (["Trung tâm Chuyển đổi số VHTTDL", "Cục DLQGVN"], "Tháng 12/2025"),
                  "7": (["Các đơn vị được giao xây dựng hồ sơ công bố TTHC"], "01/01/2026"),
                  "10": (["Các đơn vị được giao thực hiện TTHC"], "31/12/2025")}),
    dict(file="04_ttg-2629-QD-TTg-chinh-phu-so.txt", number="2629/QĐ-TTg",
         issued="2025-12-01", issuer="THỦ TƯỚNG CHÍNH PHỦ", indicators=22,
         # Phụ lục II: numbering restarts in I, II, IV-IX; runs 1-32 across III.1.1-III.2.
         keys=sections({"I": 14, "II": 4}) + numbered("III.1.1", 1, 4)
         + numbered("III.1.2", 5, 9) + numbered("III.1.3", 10, 26)
         + numbered("III.2", 27, 32)
         + sections({"IV": 7, "V": 4, "VI": 7, "VII": 3, "VIII": 2, "IX": 2}),
         samples={"I.3": (["Bộ Công an"], "Tháng 12/2026"),
                  "I.14": (["Bộ Công an (Trung tâm Dữ liệu quốc gia)"], "Tháng 06/2026"),
                  "III.1.3.23": (["Bộ Khoa học và Công nghệ"],
                                 "Bắt đầu triển khai từ năm 2026"),
                  "VII.1": (["Bộ Khoa học và công nghệ"], "Năm 2025-2030")}),
    dict(file="05_dongnai-179-KH-UBND-kinh-te-so-xa-hoi-so.txt", number="179/KH-UBND",
         issued="2025-11-18", issuer="ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI",
         # The appendix numbers rows within sections (1.1, 2.1 …); part B writes "IV"
         # twice (IV then its 5.x sub-sections).
         keys=["A.I.1.1"] + numbered("A.II.2", 1, 9)
         + ["A.III.3"] + numbered("A.IV.4", 1, 7) + numbered("A.V.5", 1, 7)
         + numbered("A.VI.6", 1, 5) + numbered("A.VII.7", 1, 7) + numbered("A.VIII.8", 1, 5)
         + numbered("A.IX.9", 1, 5) + numbered("B.I.1", 1, 8) + numbered("B.II.2", 1, 3)
         + numbered("B.III.3", 1, 3) + numbered("B.IV.4", 1, 4) + numbered("B.IV.5.1", 1, 8)
         + numbered("B.IV.5.2", 1, 3) + numbered("B.VI.6", 1, 3) + numbered("B.VII.7", 1, 2)
         + numbered("C.I.1", 1, 2) + numbered("C.II.2", 1, 2) + numbered("C.III.3", 1, 3)
         + ["C.IV.4.1"] + numbered("C.V.5", 1, 2) + numbered("C.VI.6", 1, 3),
         samples={"A.I.1.1": (["Sở Tư pháp"], "2026 - 2030"),
                  "A.III.3": (["Sở Khoa học và Công nghệ"], "2026"),
                  "A.IV.4.1": (["Công an tỉnh"], "2025"),
                  "B.IV.5.1.1": (["Sở Công Thương"], "2026 - 2030")}),
    dict(file="06_hcm-2820-QD-UBND-he-thong-thong-tin-quy-hoach.txt", number="2820/QĐ-UBND",
         issued="2025-11-19", issuer="ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH",
         # 25 numbered rows, three of which hold a second task in merged cells.
         keys=sections({"I": 4, "II": 3, "III": 6, "IV": 4, "V": 3, "VI": 5})
         + ["II.1#2", "IV.2#2", "V.1#2"],
         samples={"II.1": (["Trung tâm Chuyển đổi số Thành phố"], "Quý IV/2026"),
                  "II.1#2": (["Trung tâm Chuyển đổi số Thành phố"], "Quý IV/2026"),
                  "III.5": (["UBND xã, phường, đặc khu"], "Quý I/2030"),
                  "VI.4": (["Sở Tài chính"], "Khi có phát sinh.")}),
    dict(file="07_bacninh-141-KH-UBND-nang-luc-xay-dung-phap-luat.txt", number="141/KH-UBND",
         issued="2025-11-20", issuer="UỶ BAN NHÂN DÂN TỈNH BẮC NINH", duties=1,
         # Nine items; items 4, 5 and 7 hold three, three and four labelled tasks.
         keys=["1", "2", "3", "4", "4#2", "4#3", "5", "5#2", "5#3", "6", "7", "7#2", "7#3",
               "7#4", "8", "9"],
         samples={"4#2": (["Sở Tư pháp"], "Theo kế hoạch công tác tư pháp hàng năm"),
                  "5": (["Sở Nội vụ"], "Giai đoạn 2026-2030 và những năm tiếp theo"),
                  "6": (["Các cơ quan, đơn vị"], "Từ 01/7/2025"),
                  "9": (["Sở Tư pháp"], "Hằng năm")}),
    dict(file="08_vpcp-624-TB-VPCP-ket-luan-bcd-khcn-cds.txt", number="624/TB-VPCP",
         issued="2025-11-16", issuer="VĂN PHÒNG CHÍNH PHỦ",
         # Phụ lục I: three tables numbered from 1 under headings 1., 2., 3.; Phụ lục II:
         # 49 rows under bold groups by minister, numbered as written: …, 19, 22, 20,
         # 21, 22, 23, …, 37, 37, 39, …, 48 (a second 22 and 37, no 38 or 49).
         keys=numbered("1", 1, 9) + numbered("2", 1, 46) + numbered("3", 1, 19)
         + numbered("PL.II", 1, 22) + ["PL.II.22#2"] + numbered("PL.II", 23, 37)
         + ["PL.II.37#2"] + numbered("PL.II", 39, 48),
         samples={"1.1": (["Các cơ quan Trung ương và địa phương"], "18/10/2025"),
                  "2.5": (["Bộ Công an"], "20/10/2025"),
                  "PL.II.1": (["Bộ Khoa học và Công nghệ"], "10/10/2025"),
                  "PL.II.24": (["Bộ Y tế"], "31/12/2025")}),
    dict(file="09_ttg-2623-QD-TTg-luat-bao-ve-du-lieu-ca-nhan.txt", number="2623/QĐ-TTg",
         issued="2025-11-29", issuer="THỦ TƯỚNG CHÍNH PHỦ", duties=1,
         keys=["1", "2", "3", "4", "5", "5#2", "6", "7", "8"],
         samples={"1": (["Bộ Công an", "Bộ Tư pháp", "Bộ Giáo dục và Đào tạo",
                         "Bộ Văn hóa, Thể thao và Du lịch", "Đài Tiếng nói Việt Nam",
                         "Đài Truyền hình Việt Nam", "Thông tấn xã Việt Nam",
                         "các cơ quan báo chí, phát thanh, truyền hình khác"],
                        "năm 2025 và các năm tiếp theo"),
                  "4": (["Bộ Công an", "các bộ, cơ quan ngang bộ",
                         "Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương"],
                        "+ Các bộ, cơ quan ngang bộ, Ủy ban nhân dân các tỉnh, thành phố trực "
                        "thuộc trung ương gửi kết quả rà soát về Bộ Công an trước ngày 15 "
                        "tháng 12 năm 2025. + Bộ Công an tổng hợp kết quả rà soát, báo cáo Thủ "
                        "tướng Chính phủ trước ngày 31 tháng 12 năm 2025."),
                  "5": (["Bộ Công an"], "trước ngày 01 tháng 01 năm 2026")}),
    dict(file="10_cp-03-NQ-CP-chuong-trinh-hanh-dong-nq57.txt", number="03/NQ-CP",
         issued="2025-01-09", issuer="CHÍNH PHỦ", indicators=56, duties=1,
         # Phụ lục II numbers 1-140 across sections I-VII. Phụ lục I: 57 numbered
         # indicator rows, 11 heading 11.1-11.12 (56 indicators).
         keys=sections({"I": 13, "II": (14, 42), "III": (43, 76), "IV": (77, 88),
                        "V": (89, 116), "VI": (117, 131), "VII": (132, 140)}),
         samples={"I.5": (["Bộ Nội vụ"], "6/2025"),
                  "I.7": (["Các bộ, ngành, địa phương"], "01/2025"),
                  "I.9": (["Bộ, ngành, địa phương"], "Nhiệm vụ thường xuyên"),
                  "I.2": (["VTV", "VOV", "TTXVN", "các địa phương"], "Thường xuyên")}),
]


def plan_path(name):
    if not os.path.isdir(PLANS):
        raise Skip(f"{PLANS} is absent")
    path = os.path.join(PLANS, name)
    if not os.path.isfile(path):
        raise Skip(f"{path} is absent")
    return path


def lead_names(w, task_id):
    """The lead names as written in the document (the store keeps them per assignment)."""
    rows = w.sql("SELECT written FROM assignments WHERE task_id = ? AND role = 'lead' "
                 "ORDER BY rowid", task_id)
    names = []
    for (written,) in rows:
        if written not in names:
            names.append(written)
    return names


def check_document(doc):
    path = plan_path(doc["file"])
    w = Workdir()
    w.write_config(transport="maildir")
    try:
        p = ctl(w.config, "import", "--json", path)
        check(p.returncode == 0, f"{doc['file']}: exit {p.returncode}\n{p.stderr}")
        (rep,) = [json.loads(line) for line in p.stdout.splitlines() if line.strip()]
        check(rep["plan"] == doc["number"] and rep["issued"] == doc["issued"]
              and rep["issuer"] == doc["issuer"],
              f"{doc['file']}: plan {rep['plan']} of {rep['issued']} by {rep['issuer']}")
        check(rep["indicators"] == doc.get("indicators", 0),
              f"{doc['file']}: {rep['indicators']} indicators, want {doc.get('indicators', 0)}")
        p = ctl(w.config, "tasks", "--json", "--plan", doc["number"])
        tasks = {t["key"]: t for t in map(json.loads, p.stdout.splitlines())}
        found = {k for k in tasks if not k.startswith("duty.")}
        duties = len(tasks) - len(found)
        want = set(doc["keys"])
        check(len(want) == len(doc["keys"]), f"{doc['file']}: the expectation repeats a key")
        real, extra = found & want, found - want
        check(len(real) >= 0.9 * len(want),
              f"{doc['file']}: {len(real)} of {len(want)} task rows read "
              f"(missing {sorted(want - found)[:20]})")
        check(len(extra) <= 0.05 * max(len(found), 1),
              f"{doc['file']}: {len(extra)} tasks that are no task rows: {sorted(extra)[:20]}")
        check(duties == doc.get("duties", duties), f"{doc['file']}: {duties} duties")
        for key, (leads, timeframe) in doc["samples"].items():
            check(key in tasks, f"{doc['file']}: no task {key}")
            t = tasks[key]
            got = lead_names(w, t["id"])
            check(got == leads, f"{doc['file']} {key}: leads {got}\n  want {leads}")
            check(t["timeframe"] == timeframe,
                  f"{doc['file']} {key}: timeframe {t['timeframe']!r}\n  want {timeframe!r}")
        print(f"# {doc['file'][:2]}: {len(real)}/{len(want)} task rows, {len(extra)} other "
              f"tasks, {duties} duties, {rep['indicators']} indicators", flush=True)
    finally:
        w.cleanup()


def document_test(doc):
    def test():
        check_document(doc)
    test.__name__ = f"test_plan_{doc['file'][:2]}_{doc['number'].replace('/', '_')}"
    return test


def test_unresolved_names_are_whole():
    """Every name the directory of Quảng Ngãi does not know, over the ten plans, is a
    whole name: never a fragment cut at a comma, a 'và' or a line break."""
    if not os.path.isdir(PLANS):
        raise Skip(f"{PLANS} is absent")
    w = Workdir()
    w.write_config(transport="maildir")
    try:
        for doc in DOCS:
            ctl(w.config, "import", plan_path(doc["file"]), check_rc=0)
        p = ctl(w.config, "agencies", "--unresolved", "--json", check_rc=0)
        names = {json.loads(line)["name"] for line in p.stdout.splitlines()}
        fragments = {"Bộ Tài", "Tài chính", "Thể thao và Du lịch", "Công nghệ", "Sở Tài",
                     "chính", "Việt Nam", "ngành", "địa phương", "Bảo hiểm xã hội",
                     "Khoa học và Công nghệ"}
        check(not names & fragments, f"fragments among the names: {sorted(names & fragments)}")
        for name in names:
            check(not name.endswith((",", " và", " của", " thuộc")) and name[:1].strip(),
                  f"a name cut in the middle: {name!r}")
        for whole in ("Bộ Văn hóa, Thể thao và Du lịch", "Bộ Lao động - Thương binh và Xã hội",
                      "Cục Tiền lương và Bảo hiểm xã hội", "Bộ Khoa học và Công nghệ",
                      "Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương"):
            check(whole in names, f"{whole!r} is not among the names, whole")
    finally:
        w.cleanup()


if __name__ == "__main__":
    run_tests([document_test(d) for d in DOCS] + [test_unresolved_names_are_whole])
