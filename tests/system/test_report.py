"""The documents deadlinectl makes for a monitoring agency, read back by
independent readers: `report` as HTML (Python's html.parser: the counts per
agency and the state of every task checked against the store), CSV
(Python's csv, UTF-8 BOM, no cell a spreadsheet would take for a formula),
xlsx (unzipped and its XML read), JSON and text; and `export ics` read by
Debian's python3-icalendar: one file per agency, deadlines due in
Asia/Ho_Chi_Minh, alarms at the policy's reminders, UIDs that stay the same
when the export is made again (after a gia hạn: a new DUE and SEQUENCE under
the same UID).

The expected states are worked out here from the store's rows, with the
rules written down once below (REPORT RULES), not read from the product."""
import csv
import datetime
import html.parser
import io
import json
import os
import re
import xml.etree.ElementTree as ET
import zipfile
from zoneinfo import ZoneInfo

import icalendar

from harness import DIRECTORY, Daemon, Workdir, check, ctl, read_directory, run_tests

PLAN = "KH-BC"
TASKS = """\
[plan KH-BC]
title = Kế hoạch thử nghiệm báo cáo
issued = 2025-01-20
period = 2025-2025

[policy]
remind.once = 7 1

[task t1]
plan = KH-BC
title = Nhiệm vụ đã hoàn thành
lead = Sở Y tế
timeframe = Quý I/2025

[task t2]
plan = KH-BC
title = Nhiệm vụ đang thực hiện, còn hạn
lead = Sở Y tế
timeframe = Quý IV/2025

[task t3]
plan = KH-BC
title = Nhiệm vụ chờ Bộ hướng dẫn
lead = Sở Công Thương
timeframe = Quý I/2025

[task t4]
plan = KH-BC
title = Nhiệm vụ quá hạn, hai cơ quan chủ trì
lead = Sở Công Thương; Sở Y tế
timeframe = Quý II/2025

[task t5]
plan = KH-BC
title = Nhiệm vụ chưa đến hạn
lead = Sở Khoa học và Công nghệ
coordinating = Sở Y tế
timeframe = 30/12/2025

[task t6]
plan = KH-BC
title = - Nhiệm vụ đã hủy, "cũ"; không còn làm
lead = Sở Khoa học và Công nghệ
timeframe = Quý I/2025

[task t7]
plan = KH-BC
title = =Nhiệm vụ đang thực hiện nhưng đã quá hạn
lead = Sở Y tế
timeframe = Quý II/2025

[task t8]
plan = KH-BC
title = Nhiệm vụ của một cơ quan không có trong danh bạ
lead = Ban Chưa Có Tên
timeframe = Quý II/2025

[task t9]
plan = KH-BC
title = Nhiệm vụ của hai Sở đã hợp nhất
lead = Sở Thông tin và Truyền thông; Sở Khoa học và Công nghệ
timeframe = Quý IV/2025
"""

AS_OF = "2025-08-15"
NOW = "2025-08-15T09:00:00+07:00"
VN = ZoneInfo("Asia/Ho_Chi_Minh")
STATUSES = {"t1": "done", "t2": "in-progress", "t3": "waiting", "t6": "cancelled",
            "t7": "in-progress"}
STATES = ["done", "in-progress", "waiting", "overdue", "not-due"]
VI_STATES = {"Hoàn thành": "done", "Đang thực hiện": "in-progress", "Chờ": "waiting",
             "Quá hạn": "overdue", "Chưa đến hạn": "not-due", "Đã hủy": "cancelled"}


def at_now(config, *args):
    return ctl(config, "--now", NOW, *args)


def fixture():
    """The tasks stored by the daemon, their progress recorded by deadlinectl."""
    w = Workdir()
    w.write_config(TASKS, transport="maildir")
    d = Daemon(w.config, now=NOW).start()
    try:
        d.wait_log(r"config tasks: 9 \(9 new")
    finally:
        d.stop()
    for key, status in STATUSES.items():
        p = at_now(w.config, "progress", f"{PLAN}:{key}", status)
        check(p.returncode == 0, f"progress {key}: {p.stderr}")
    return w


# ---- REPORT RULES: a one-off task on a day, from its row in the store ---------------------

def last_day(due):
    """The local day a deadline falls on: 00:00 ("trước ngày D") belongs to the day before."""
    t = datetime.datetime.fromtimestamp(due, VN)
    return (t - datetime.timedelta(seconds=1)).date() if t.time() == datetime.time(0) else t.date()


def expected_state(status, due, as_of):
    if status in ("done", "cancelled", "waiting"):
        return status
    if last_day(due) < as_of:
        return "overdue"
    return "in-progress" if status in ("in-progress", "not-met") else "not-due"


def successors():
    """{agency: (successor, since)} as config/directory.ini records a reorganisation."""
    out, cur = {}, None
    with open(DIRECTORY, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"\[agency ([a-z0-9-]+)\]", line)
            if m:
                cur = m.group(1)
            m = re.match(r"(successor|since) = (\S+)", line)
            if m and cur:
                out.setdefault(cur, {})[m.group(1)] = m.group(2)
    return {a: (v["successor"], datetime.date.fromisoformat(v["since"])) for a, v in out.items()}


def holder(agency, day, table):
    """Who holds an agency's duties on a day: its successor once the reorganisation applies."""
    while agency in table and table[agency][1] <= day:
        agency = table[agency][0]
    return agency


def expected(w):
    """{task key: state}, {agency id or name: {state: n}} from the store's rows: each task
    counts once under each agency that holds its lead on the day."""
    as_of = datetime.date.fromisoformat(AS_OF)
    table = successors()
    tasks = {key: expected_state(status, due, as_of)
             for key, status, due in w.sql("SELECT key, status, due FROM tasks")}
    leads = {}
    for key, agency in w.sql("SELECT t.key, a.agency FROM tasks t JOIN assignments a"
                             " ON a.task_id = t.id WHERE a.role = 'lead'"):
        leads.setdefault(key, set()).add(holder(agency, as_of, table))
    counts = {}
    for key, holders in leads.items():
        for agency in holders:
            c = counts.setdefault(agency, dict.fromkeys(STATES + ["cancelled"], 0))
            c[tasks[key]] += 1
    return tasks, counts


# ---- report -----------------------------------------------------------------------------

class Tables(html.parser.HTMLParser):
    """Rows of the report's tables (#agencies, #tasks), cells by class; and the chart's bars."""

    def __init__(self):
        super().__init__()
        self.table = None
        self.rows = {"agencies": [], "tasks": []}
        self.cell = None
        self.bars = {}
        self.bar = None
        self.external = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("link", "script", "img") or "src" in a:
            self.external.append((tag, a))
        if tag == "table":
            self.table = a.get("id")
        elif tag == "tr" and self.table in self.rows:
            self.rows[self.table].append({"attrs": a, "cells": []})
        elif tag == "td" and self.table in self.rows:
            self.cell = {"class": a.get("class", ""), "text": ""}
            self.rows[self.table][-1]["cells"].append(self.cell)
        elif tag == "g" and a.get("class") == "bar":
            self.bar = self.bars.setdefault(a["data-agency"], {})
        elif tag == "rect" and self.bar is not None and "data-state" in a:
            self.bar[a["data-state"]] = int(a["data-count"])

    def handle_endtag(self, tag):
        if tag == "table":
            self.table = None
        elif tag == "td":
            self.cell = None
        elif tag == "g":
            self.bar = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell["text"] += data


def test_html_report_counts_match_the_store():
    w = fixture()
    try:
        want_tasks, want_counts = expected(w)
        out = os.path.join(w.path, "bao-cao.html")
        p = at_now(w.config, "report", "--plan", PLAN, "--as-of", AS_OF, "--format", "html",
                   "-o", out)
        check(p.returncode == 0 and "9 tasks" in p.stdout, f"exit {p.returncode} {p.stderr}")
        check("sttt" not in want_counts and want_counts["skhcn"]["not-due"] == 2,
              f"the merged agencies count once, under Sở KH&CN: {want_counts}")
        t = Tables()
        with open(out, encoding="utf-8") as f:
            t.feed(f.read())
        check(t.external == [], f"the page fetches something: {t.external}")
        got = {}
        for row in t.rows["agencies"]:
            ident = row["attrs"].get("data-agency")
            if not ident:
                continue  # the headings, the total
            got[ident] = {c["class"].split()[1]: int(c["text"])
                          for c in row["cells"] if c["class"].startswith("n ") and
                          c["class"] != "n total"}
        for agency, counts in want_counts.items():
            check(got.get(agency) == {s: counts[s] for s in STATES},
                  f"{agency}: report {got.get(agency)} vs store {counts}")
            if sum(counts[s] for s in STATES):
                check(t.bars[agency] == {s: counts[s] for s in STATES if counts[s]},
                      f"the chart's bar for {agency}: {t.bars.get(agency)}")
        check(set(got) == set(want_counts), f"agencies {sorted(got)} vs {sorted(want_counts)}")
        states = {}
        for row in t.rows["tasks"]:
            if "data-task" in row["attrs"]:
                states[row["attrs"]["data-task"]] = row["attrs"]["data-state"]
        ids = dict(w.sql("SELECT id, key FROM tasks"))
        check({ids[int(k)]: v for k, v in states.items()} == want_tasks,
              f"task states {states} vs {want_tasks}")
        check(want_tasks["t7"] == "overdue" and want_tasks["t3"] == "waiting",
              "the fixture no longer covers what it should")
        # The days overdue are written for the overdue ones: t4 was due 30/06.
        t4 = [r for r in t.rows["tasks"] if ids.get(int(r["attrs"].get("data-task", 0))) == "t4"]
        check(t4[0]["cells"][-1]["text"] == "46", f"t4's days overdue: {t4[0]['cells']}")
    finally:
        w.cleanup()


def test_csv_json_text_and_xlsx_agree():
    w = fixture()
    try:
        want_tasks, want_counts = expected(w)
        out = os.path.join(w.path, "bao-cao.csv")
        p = at_now(w.config, "report", "--as-of", AS_OF, "--format", "csv", "-o", out)
        check(p.returncode == 0, p.stderr)
        raw = open(out, "rb").read()
        check(raw.startswith(b"\xef\xbb\xbf"), "no UTF-8 BOM: Excel would read it as ANSI")
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
        head, body = rows[0], rows[1:]
        check(len(body) == 9 and all(len(r) == len(head) for r in body), f"rows: {rows}")
        col = {name: head.index(name) for name in head}
        titles = dict(w.sql("SELECT title, key FROM tasks"))
        for r in body:
            title = r[col["Nhiệm vụ, giải pháp"]]
            if title[0] == "'":
                title = title[1:]  # the guard against formulas
            check(VI_STATES[r[col["Tình trạng"]]] == want_tasks[titles[title]],
                  f"{title}: {r}")
        guarded = [r[col["Nhiệm vụ, giải pháp"]] for r in body
                   if r[col["Nhiệm vụ, giải pháp"]][:2] in ("'-", "'=")]
        check(len(guarded) == 2, f"cells starting with - or = are guarded: {guarded}")
        # JSON: the same counts.
        j = json.loads(at_now(w.config, "report", "--as-of", AS_OF, "--json").stdout)
        check({a["agency"]: {s: a["counts"][s] for s in STATES} for a in j["agencies"]} ==
              {a: {s: c[s] for s in STATES} for a, c in want_counts.items()},
              f"json: {j['agencies']}")
        check(j["total"]["total"] == 8 and j["total"]["cancelled"] == 1, j["total"])
        # Text: a table for people.
        text = at_now(w.config, "report", "--plan", PLAN, "--as-of", AS_OF).stdout
        check("Progress as of 15/08/2025" in text and re.search(r"^TOTAL\s", text, re.M), text)
        # xlsx: the workbook's own XML.
        out = os.path.join(w.path, "bao-cao.xlsx")
        p = at_now(w.config, "report", "--as-of", AS_OF, "--format", "xlsx", "-o", out)
        check(p.returncode == 0, p.stderr)
        sheets = read_xlsx(out)
        check(list(sheets) == ["Tổng hợp", "Nhiệm vụ"], f"sheets: {list(sheets)}")
        by_name = {}
        for row in sheets["Tổng hợp"][1:-1]:
            by_name[row[0]] = [int(float(x)) for x in row[1:6]]
        directory = read_directory()
        for agency, counts in want_counts.items():
            name = directory[agency]["name"] if agency in directory else agency
            check(by_name.get(name) == [counts[s] for s in STATES],
                  f"xlsx {name}: {by_name.get(name)} vs {counts}")
        check(len(sheets["Nhiệm vụ"]) == 10, f"task rows: {len(sheets['Nhiệm vụ'])}")
        with zipfile.ZipFile(out) as z:
            check(any(n.startswith("xl/charts/") for n in z.namelist()), "no chart")
    finally:
        w.cleanup()


def read_xlsx(path):
    """{sheet name: rows of cell texts}, read with zipfile and ElementTree only."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
          "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
    with zipfile.ZipFile(path) as z:
        strings = ["".join(t.text or "" for t in si.iter(f"{{{ns['m']}}}t"))
                   for si in ET.fromstring(z.read("xl/sharedStrings.xml"))]
        book = ET.fromstring(z.read("xl/workbook.xml"))
        rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        target = {r.get("Id"): r.get("Target") for r in rels}
        out = {}
        for sheet in book.find("m:sheets", ns):
            rid = sheet.get(f"{{{ns['r']}}}id")
            data = ET.fromstring(z.read("xl/" + target[rid]))
            rows = []
            for row in data.iter(f"{{{ns['m']}}}row"):
                cells = []
                for c in row.findall("m:c", ns):
                    v = c.find("m:v", ns)
                    text = v.text if v is not None else ""
                    cells.append(strings[int(text)] if c.get("t") == "s" else text)
                rows.append(cells)
            out[sheet.get("name")] = rows
        return out


def test_report_errors():
    w = fixture()
    try:
        for args, rc, words in [
                (("--plan", "KH-KHONG-CO"), 1, "no plan"),
                (("--as-of", "15/08/2025"), 2, "--as-of"),
                (("--format", "pdf"), 2, "usage: deadlinectl report"),
                (("--format", "xlsx"), 2, "-o FILE"),
                (("--format", "html", "-o", "/khong/co/thu-muc/x.html"), 1, "/khong/co"),
                (("extra",), 2, "usage")]:
            p = at_now(w.config, "report", *args)
            check(p.returncode == rc and words in p.stderr,
                  f"report {args}: exit {p.returncode} (want {rc}) {p.stderr!r}")
    finally:
        w.cleanup()


# ---- export ics -------------------------------------------------------------------------

def read_calendar(path):
    with open(path, "rb") as f:
        cal = icalendar.Calendar.from_ical(f.read())
    return cal, {str(t["UID"]): t for t in cal.walk("VTODO")}


def local(dt):
    return dt.astimezone(VN).replace(tzinfo=None)


def test_ics_export_one_file_per_agency_with_alarms_and_stable_uids():
    w = fixture()
    try:
        out = os.path.join(w.path, "lich")
        os.mkdir(out)
        p = at_now(w.config, "export", "ics", out)
        check(p.returncode == 0, f"exit {p.returncode} {p.stderr}")
        agencies = [a for a, e in read_directory().items() if e["kind"] == "agency"]
        check(sorted(os.listdir(out)) == sorted(f"{a}.ics" for a in agencies),
              f"files: {sorted(os.listdir(out))}")
        for name in os.listdir(out):
            with open(os.path.join(out, name), "rb") as f:
                uids = [str(t["UID"]) for t in icalendar.Calendar.from_ical(f.read()).walk("VTODO")]
            check(len(uids) == len(set(uids)), f"{name}: a UID twice")
        cal, todos = read_calendar(os.path.join(out, "skhcn.ics"))
        merged = [t for t in todos.values() if "hai Sở đã hợp nhất" in str(t["SUMMARY"])]
        check(len(merged) == 1, f"the merged agencies' task {len(merged)} times in skhcn.ics")
        _, stt = read_calendar(os.path.join(out, "sttt.ics"))
        check(stt == {}, f"the merged agency still gets deadlines: {list(stt)}")
        check(str(cal["X-WR-CALNAME"]) == "Sở Khoa học và Công nghệ", cal["X-WR-CALNAME"])
        t5 = [t for t in todos.values() if "chưa đến hạn" in str(t["SUMMARY"])]
        check(len(t5) == 1, f"skhcn's todos: {[str(t['SUMMARY']) for t in todos.values()]}")
        t5 = t5[0]
        due = t5["DUE"].dt
        check(getattr(due.tzinfo, "key", str(due.tzinfo)) == "Asia/Ho_Chi_Minh" and
              local(due) == datetime.datetime(2025, 12, 30, 23, 59, 59),
              f"DUE {due!r}")
        # remind.once = 7 1: 23/12 and 29/12 at the 08:00 slot (both working days).
        alarms = sorted(local(a["TRIGGER"].dt) for a in t5.walk("VALARM"))
        check(alarms == [datetime.datetime(2025, 12, 23, 8), datetime.datetime(2025, 12, 29, 8)],
              f"alarms {alarms}")
        check(str(t5["STATUS"]) == "NEEDS-ACTION" and int(t5["SEQUENCE"]) == 0, t5)
        # The coordinating agency has it too, with the same reminders (coordinating = yes).
        _, syt = read_calendar(os.path.join(out, "syt.ics"))
        coord = [t for t in syt.values() if "chưa đến hạn" in str(t["SUMMARY"])]
        check(len(coord) == 1 and str(coord[0]["SUMMARY"]).startswith("[Phối hợp]") and
              len(list(coord[0].walk("VALARM"))) == 2, "Sở Y tế's copy of t5")
        statuses = {str(t["SUMMARY"]): str(t["STATUS"]) for t in syt.values()}
        check(statuses["[Chủ trì] Nhiệm vụ đã hoàn thành"] == "COMPLETED" and
              statuses["[Chủ trì] Nhiệm vụ đang thực hiện, còn hạn"] == "IN-PROCESS", statuses)
        # Again after a gia hạn and a task done: the same UIDs, the changes in place.
        at_now(w.config, "extend", f"{PLAN}:t5", "2026-01-15")
        at_now(w.config, "progress", f"{PLAN}:t2", "done")
        p = at_now(w.config, "export", "ics", out)
        check(p.returncode == 0, p.stderr)
        _, again = read_calendar(os.path.join(out, "skhcn.ics"))
        check(set(again) == set(todos), f"UIDs changed: {set(again) ^ set(todos)}")
        moved = again[str(t5["UID"])]
        check(local(moved["DUE"].dt) == datetime.datetime(2026, 1, 15, 23, 59, 59) and
              int(moved["SEQUENCE"]) == 1, f"after the extension: {moved['DUE'].dt}")
        alarms = sorted(local(a["TRIGGER"].dt) for a in moved.walk("VALARM"))
        check(alarms == [datetime.datetime(2026, 1, 8, 8), datetime.datetime(2026, 1, 14, 8)],
              f"alarms after the extension {alarms}")
        _, syt2 = read_calendar(os.path.join(out, "syt.ics"))
        check(set(syt2) == set(syt), "Sở Y tế's UIDs changed")
        done = [t for t in syt2.values() if "còn hạn" in str(t["SUMMARY"])]
        check(str(done[0]["STATUS"]) == "COMPLETED", done[0]["STATUS"])
        # One agency only.
        one = os.path.join(w.path, "mot")
        os.mkdir(one)
        p = at_now(w.config, "export", "ics", "--agency", "sct", one)
        check(p.returncode == 0 and os.listdir(one) == ["sct.ics"], os.listdir(one))
    finally:
        w.cleanup()


def test_ics_export_urls_and_errors():
    w = fixture()
    try:
        url = "https://lich.example.vn/nhac-viec/{agency}.ics"
        text = open(w.config, encoding="utf-8").read().replace(
            "transport = maildir\n", f"transport = maildir\ncalendar_url = {url}\n", 1)
        with open(w.config, "w", encoding="utf-8") as f:
            f.write(text)
        out = os.path.join(w.path, "lich")
        os.mkdir(out)
        p = at_now(w.config, "export", "ics", "--agency", "syt", out)
        check(p.returncode == 0 and "https://lich.example.vn/nhac-viec/syt.ics" in p.stdout,
              f"the published URL: {p.stdout} {p.stderr}")
        bad = text.replace(url, "javascript:alert(1)")
        with open(w.config, "w", encoding="utf-8") as f:
            f.write(bad)
        p = ctl(w.config, "check-config")
        check(p.returncode == 1 and "calendar_url" in p.stderr, p.stderr)
        with open(w.config, "w", encoding="utf-8") as f:
            f.write(text)
        for args, rc in [(("ics", os.path.join(w.path, "khong-co")), 1), (("pdf", out), 2),
                         (("ics",), 2), (("ics", "--agency", "khong-co", out), 1),
                         (("ics", "--days", "0", out), 2)]:
            p = at_now(w.config, "export", *args)
            check(p.returncode == rc and p.stderr, f"export {args}: exit {p.returncode}")
    finally:
        w.cleanup()


if __name__ == "__main__":
    run_tests([test_html_report_counts_match_the_store,
               test_csv_json_text_and_xlsx_agree,
               test_report_errors,
               test_ics_export_one_file_per_agency_with_alarms_and_stable_uids,
               test_ics_export_urls_and_errors])
