"""deadlinectl as an admin uses it: `parse` (the timeframe language: kinds,
dues, windows, the next occurrences from --now, conditions, errors with
their byte position, human and JSON output, phrases from standard input,
--plan-period, --issued, --tz, sentences read loosely, valid UTF-8 whatever
the input), `check-config` on good and broken configurations,
the commands that talk to a daemon when none runs, an unknown command and
--help.

Every expected instant below was worked out by hand (or, for the 200-line
file, by Python's calendar arithmetic, independently of the product):
Asia/Ho_Chi_Minh is UTC+7 without DST; "end of" a day is 23:59:59, "trước
ngày D" is 00:00 of D; a quarter/month/year ends at the end of its last day.
--now 2025-11-24 is a Monday."""
import calendar
import json
import os
import random
import re
import socket
import subprocess
import time
import unicodedata

from harness import (DEADLINECTL, DIRECTORY, TEMPLATES, Daemon, Workdir, check, ctl,
                     read_directory, run_tests)

NOW = "2025-11-24"  # a Monday


def end_of(y, m, d, tz="+07:00"):
    return f"{y:04d}-{m:02d}-{d:02d}T23:59:59{tz}"


def start_of(y, m, d, tz="+07:00"):
    return f"{y:04d}-{m:02d}-{d:02d}T00:00:00{tz}"


def last_day(y, m):
    return calendar.monthrange(y, m)[1]


def raw_ctl(*args, input=None, env=None):
    """deadlinectl without the harness's --config (for --help, no command …)."""
    return subprocess.run([DEADLINECTL, *args], capture_output=True, text=True, input=input,
                          timeout=60, env=env)


def workdir():
    w = Workdir()
    w.write_config(transport="maildir")
    return w


def parse_json(config, *args, input=None):
    """Runs `parse --json`; returns (exit status, list of objects, stderr)."""
    p = ctl(config, "parse", "--json", *args, input=input)
    objs = [json.loads(line) for line in p.stdout.splitlines() if line.strip()]
    return p.returncode, objs, p.stderr





# ---- parse: every kind of the README's table, dues worked out by hand -----------------

# (phrase, kind, due, window_start or ..., next or ...) with --now 2025-11-24.
# `...` means "not checked here".
TABLE = [
    # one quarter: due the end of its last day, the window is the quarter
    ("Quý II/2025", "once", end_of(2025, 6, 30), start_of(2025, 4, 1), []),
    ("Quý 2/2025", "once", end_of(2025, 6, 30), start_of(2025, 4, 1), []),
    ("quý II năm 2025", "once", end_of(2025, 6, 30), start_of(2025, 4, 1), []),
    ("Quí II/2025", "once", end_of(2025, 6, 30), start_of(2025, 4, 1), []),
    ("QUÝ IV/2024", "once", end_of(2024, 12, 31), start_of(2024, 10, 1), []),
    ("Quý I/2026", "once", end_of(2026, 3, 31), start_of(2026, 1, 1), []),
    # a span of quarters: due the end of the last
    ("Quý III - Quý IV/2024", "period", end_of(2024, 12, 31), start_of(2024, 7, 1), []),
    ("Quý I, II/2025", "period", end_of(2025, 6, 30), start_of(2025, 1, 1), []),
    # years
    ("Năm 2025", "once", end_of(2025, 12, 31), start_of(2025, 1, 1), []),
    ("Trong năm 2025", "once", end_of(2025, 12, 31), start_of(2025, 1, 1), []),
    ("Đến năm 2025", "once", end_of(2025, 12, 31), ..., []),
    ("Đến hết năm 2025", "once", end_of(2025, 12, 31), ..., []),
    ("2022 - 2025", "period", end_of(2025, 12, 31), start_of(2022, 1, 1), []),
    ("2022–2025", "period", end_of(2025, 12, 31), start_of(2022, 1, 1), []),
    ("2022 — 2025", "period", end_of(2025, 12, 31), start_of(2022, 1, 1), []),
    ("giai đoạn 2021- 2025", "period", end_of(2025, 12, 31), start_of(2021, 1, 1), []),
    ("Từ Quý II/2024 đến Quý IV/2025", "period", end_of(2025, 12, 31), start_of(2024, 4, 1), []),
    # months and days
    ("Tháng 12/2022", "once", end_of(2022, 12, 31), start_of(2022, 12, 1), []),
    ("12/2022", "once", end_of(2022, 12, 31), start_of(2022, 12, 1), []),
    ("Tháng 2/2024", "once", end_of(2024, 2, 29), start_of(2024, 2, 1), []),
    ("30/6/2024", "once", end_of(2024, 6, 30), ..., []),
    ("29/2/2024", "once", end_of(2024, 2, 29), ..., []),
    ("ngày 30 tháng 6 năm 2024", "once", end_of(2024, 6, 30), ..., []),
    ("trước ngày 30/6/2024", "once", start_of(2024, 6, 30), ..., []),
    ("trước ngày 31/12/2025", "once", start_of(2025, 12, 31), ..., []),
    ("6 tháng đầu năm 2025", "once", end_of(2025, 6, 30), start_of(2025, 1, 1), []),
    # yearly: the first occurrence due at or after --now, then the next ones
    ("Quý IV hàng năm", "yearly", end_of(2025, 12, 31), start_of(2025, 10, 1),
     [end_of(2025, 12, 31), end_of(2026, 12, 31), end_of(2027, 12, 31)]),
    ("Quý IV hằng năm", "yearly", end_of(2025, 12, 31), start_of(2025, 10, 1),
     [end_of(2025, 12, 31), end_of(2026, 12, 31), end_of(2027, 12, 31)]),
    ("Quý 4 hàng năm", "yearly", end_of(2025, 12, 31), start_of(2025, 10, 1),
     [end_of(2025, 12, 31), end_of(2026, 12, 31), end_of(2027, 12, 31)]),
    # September 2025 is over on 24/11/2025: the next one is 2026's
    ("tháng 9 hằng năm", "yearly", end_of(2026, 9, 30), start_of(2026, 9, 1),
     [end_of(2026, 9, 30), end_of(2027, 9, 30), end_of(2028, 9, 30)]),
    ("6 tháng cuối năm", "yearly", end_of(2025, 12, 31), start_of(2025, 7, 1),
     [end_of(2025, 12, 31), end_of(2026, 12, 31), end_of(2027, 12, 31)]),
    ("trước ngày 15/12 hàng năm", "yearly", start_of(2025, 12, 15), ...,
     [start_of(2025, 12, 15), start_of(2026, 12, 15), start_of(2027, 12, 15)]),
    ("Định kỳ hàng năm (trước ngày 15/12)", "yearly", start_of(2025, 12, 15), ...,
     [start_of(2025, 12, 15), start_of(2026, 12, 15), start_of(2027, 12, 15)]),
    ("Năm 2024 và các năm tiếp theo", "yearly", end_of(2025, 12, 31), start_of(2025, 1, 1),
     [end_of(2025, 12, 31), end_of(2026, 12, 31), end_of(2027, 12, 31)]),
    # weekly: the end of the Friday of the working week (24/11 is a Monday)
    ("Hàng tuần", "weekly", end_of(2025, 11, 28), start_of(2025, 11, 24),
     [end_of(2025, 11, 28), end_of(2025, 12, 5), end_of(2025, 12, 12)]),
    ("Mỗi tuần", "weekly", end_of(2025, 11, 28), start_of(2025, 11, 24),
     [end_of(2025, 11, 28), end_of(2025, 12, 5), end_of(2025, 12, 12)]),
    ("thứ Sáu hàng tuần", "weekly", end_of(2025, 11, 28), ...,
     [end_of(2025, 11, 28), end_of(2025, 12, 5), end_of(2025, 12, 12)]),
    # monthly, quarterly, half-yearly: the end of each period
    ("Hàng tháng", "monthly", end_of(2025, 11, 30), start_of(2025, 11, 1),
     [end_of(2025, 11, 30), end_of(2025, 12, 31), end_of(2026, 1, 31)]),
    # the 20th of November is past: December's
    ("ngày 20 hàng tháng", "monthly", end_of(2025, 12, 20), ...,
     [end_of(2025, 12, 20), end_of(2026, 1, 20), end_of(2026, 2, 20)]),
    ("Hàng quý", "quarterly", end_of(2025, 12, 31), start_of(2025, 10, 1),
     [end_of(2025, 12, 31), end_of(2026, 3, 31), end_of(2026, 6, 30)]),
    ("Định kỳ 6 tháng", "half-yearly", end_of(2025, 12, 31), start_of(2025, 7, 1),
     [end_of(2025, 12, 31), end_of(2026, 6, 30), end_of(2026, 12, 31)]),
    ("báo cáo 6 tháng và báo cáo năm", "half-yearly", end_of(2025, 12, 31), start_of(2025, 7, 1),
     [end_of(2025, 12, 31), end_of(2026, 6, 30), end_of(2026, 12, 31)]),
    # no deadline of their own
    ("Thường xuyên", "ongoing", None, None, []),
    ("Từ năm 2023", "ongoing", None, start_of(2023, 1, 1), []),
    ("Khi có phát sinh", "event", None, None, []),
    # a date and a condition
    ("Năm 2025 (sau khi có hướng dẫn của Bộ Khoa học và Công nghệ)", "once",
     end_of(2025, 12, 31), start_of(2025, 1, 1), []),
]


def test_parse_every_kind_of_the_table_with_its_due():
    w = workdir()
    try:
        phrases = [row[0] for row in TABLE]
        rc, objs, err = parse_json(w.config, "--now", NOW, *phrases)
        check(rc == 0, f"exit {rc} (every phrase parses): {err}")
        check(len(objs) == len(TABLE), f"{len(objs)} objects for {len(TABLE)} phrases")
        for (phrase, kind, due, window, nxt), o in zip(TABLE, objs):
            what = f"{phrase!r}: {o}"
            check(o["input"] == phrase, "input echoed: " + what)
            check(o["kind"] == kind, f"kind {o['kind']} (want {kind}): " + what)
            check(o["due"] == due, f"due {o['due']} (want {due}): " + what)
            check(o["window_end"] == due, "window_end is the due: " + what)
            if window is not ...:
                check(o["window_start"] == window,
                      f"window_start {o['window_start']} (want {window}): " + what)
            if nxt is not ...:
                check(o["next"] == nxt, f"next {o['next']} (want {nxt}): " + what)
            check("error" not in o and "error_pos" not in o, "no error fields: " + what)
        by = {o["input"]: o for o in objs}
        check(by["Năm 2025 (sau khi có hướng dẫn của Bộ Khoa học và Công nghệ)"]["condition"]
              == "sau khi có hướng dẫn của Bộ Khoa học và Công nghệ", "the condition is kept")
        check(by["Khi có phát sinh"]["condition"] == "Khi có phát sinh",
              "an event keeps its text")
        check(by["Quý II/2025"]["condition"] is None, "no condition: null")
        check(all(o["implicit"] is False for o in objs), "none is implicit")
    finally:
        w.cleanup()


def test_parse_phases_give_each_phase_its_due():
    w = workdir()
    try:
        two = ["Quý I và Quý III/2025", "Giai đoạn 1: Quý I/2025; Giai đoạn 2: Quý III/2025"]
        # Before the first phase ends: due at its end, both phases ahead.
        rc, objs, _ = parse_json(w.config, "--now", "2025-02-01", *two)
        check(rc == 0, f"exit {rc}")
        for o in objs:
            check(o["kind"] == "once", str(o))
            check(o["due"] == end_of(2025, 3, 31), f"first phase: {o}")
            check(o["window_start"] == start_of(2025, 1, 1), f"first phase window: {o}")
            check(o["next"] == [end_of(2025, 3, 31), end_of(2025, 9, 30)], f"phases: {o}")
        # Between the phases: the second one.
        rc, objs, _ = parse_json(w.config, "--now", "2025-05-01", *two)
        for o in objs:
            check(o["due"] == end_of(2025, 9, 30), f"second phase: {o}")
            check(o["window_start"] == start_of(2025, 7, 1), f"second phase window: {o}")
            check(o["next"] == [end_of(2025, 9, 30)], f"one phase left: {o}")
    finally:
        w.cleanup()


def test_parse_recurrences_follow_now_and_the_plan_period():
    w = workdir()
    try:
        # "from 2024": before 2024 the first occurrence is 2024's.
        rc, (o,), _ = parse_json(w.config, "--now", "2023-05-01", "Năm 2024 và các năm tiếp theo")
        check(o["due"] == end_of(2024, 12, 31), str(o))
        check(o["next"] == [end_of(2024, 12, 31), end_of(2025, 12, 31), end_of(2026, 12, 31)],
              str(o))
        # An ISO instant as --now: the due instant itself still counts, a second later not.
        rc, (o,), _ = parse_json(w.config, "--now", "2025-11-28T23:59:59+07:00", "Hàng tuần")
        check(o["due"] == end_of(2025, 11, 28), f"at the due instant: {o}")
        rc, (o,), _ = parse_json(w.config, "--now", "2025-11-29T00:00:00+07:00", "Hàng tuần")
        check(o["due"] == end_of(2025, 12, 5), f"a second after: {o}")
        check(o["window_start"] == start_of(2025, 12, 1), f"next week's window: {o}")
        # Month lengths: January 31, February 28 in 2026.
        rc, (o,), _ = parse_json(w.config, "--now", "2025-12-31T23:59:59+07:00", "Hàng tháng")
        check(o["next"] == [end_of(2025, 12, 31), end_of(2026, 1, 31), end_of(2026, 2, 28)],
              str(o))
        # Bounded by the plan's period: nothing after 2025.
        rc, objs, _ = parse_json(w.config, "--now", NOW, "--plan-period", "2022-2025",
                                 "Quý IV hàng năm", "Hàng quý", "Hàng tuần")
        check(rc == 0, f"exit {rc}")
        check(objs[0]["next"] == [end_of(2025, 12, 31)], f"yearly in 2022-2025: {objs[0]}")
        check(objs[1]["next"] == [end_of(2025, 12, 31)], f"quarterly in 2022-2025: {objs[1]}")
        check(objs[2]["next"] == [end_of(2025, 11, 28), end_of(2025, 12, 5),
                                  end_of(2025, 12, 12)], f"weekly: {objs[2]}")
        rc, objs, _ = parse_json(w.config, "--now", "2022-03-01", "--plan-period", "2022-2025",
                                 "Hàng quý")
        check(objs[0]["due"] == end_of(2022, 3, 31), str(objs[0]))
        rc, objs, _ = parse_json(w.config, "--now", "2026-01-05", "--plan-period", "2022-2025",
                                 "Quý IV hàng năm")
        check(rc == 0 and objs[0]["kind"] == "yearly" and objs[0]["due"] is None
              and objs[0]["next"] == [], f"after the plan's period: nothing due: {objs[0]}")
    finally:
        w.cleanup()


def test_parse_spelling_variants_read_the_same():
    w = workdir()
    try:
        variants = ["Quý II/2025", "QUÝ II/2025", unicodedata.normalize("NFD", "Quý II/2025"),
                    "  Quý   II / 2025 ", "quý ii/2025", "Quí 2/2025", "quý II năm 2025"]
        rc, objs, _ = parse_json(w.config, "--now", NOW, *variants)
        check(rc == 0, f"exit {rc}")
        for v, o in zip(variants, objs):
            check(o["input"] == v, f"the input is echoed as given: {o['input']!r} vs {v!r}")
            check(o["kind"] == "once" and o["due"] == end_of(2025, 6, 30), f"{v!r}: {o}")
        yearly = ["Quý IV hàng năm", unicodedata.normalize("NFD", "Quý IV hằng năm"),
                  "QUÝ IV HÀNG NĂM", "Quý 4 hằng năm"]
        rc, objs, _ = parse_json(w.config, "--now", NOW, *yearly)
        for v, o in zip(yearly, objs):
            check(o["kind"] == "yearly" and o["due"] == end_of(2025, 12, 31), f"{v!r}: {o}")
    finally:
        w.cleanup()


UNPARSED = [
    # (phrase, byte position of the error)
    ("Quý V/2025", len("Quý ".encode())),
    ("Tháng 13/2025", len("Tháng ".encode())),
    ("31/2/2025", 0),
    ("29/2/2025", 0),
    ("29/2 hàng năm", 0),
    ("2025 - 2022", None),
    ("foo bar", 0),
    ("Luật Đất đai 2024", 0),
    ("Quý II/2025 và Quý V", len("Quý II/2025 và Quý ".encode())),
    ("Giai đoạn 1: Quý I/2025; Giai đoạn 2: Quý V/2025",
     len("Giai đoạn 1: Quý I/2025; Giai đoạn 2: Quý ".encode())),
    ("Quý II", None),
]


def test_parse_unparsed_phrases_have_an_error_and_its_byte_position():
    w = workdir()
    try:
        phrases = [p for p, _ in UNPARSED]
        rc, objs, _ = parse_json(w.config, "--now", NOW, *phrases)
        check(rc == 1, f"exit {rc} (some phrases failed: 1)")
        check(len(objs) == len(phrases), f"one object per phrase: {len(objs)}")
        for (phrase, pos), o in zip(UNPARSED, objs):
            what = f"{phrase!r}: {o}"
            check(o["input"] == phrase and o["kind"] == "unparsed", what)
            check(o["due"] is None and o["window_start"] is None and o["window_end"] is None
                  and o["next"] == [], "nothing due: " + what)
            check(isinstance(o.get("error"), str) and o["error"], "a reason: " + what)
            check(isinstance(o.get("error_pos"), int)
                  and 0 <= o["error_pos"] <= len(phrase.encode()), "a byte position: " + what)
            if pos is not None:
                check(o["error_pos"] == pos, f"error at byte {o['error_pos']} (want {pos}): "
                      + what)
        # One bad phrase among good ones: exit 1, every phrase still answered.
        rc, objs, _ = parse_json(w.config, "--now", NOW, "Quý II/2025", "Quý V/2025", "Năm 2025")
        check(rc == 1 and [o["kind"] for o in objs] == ["once", "unparsed", "once"],
              f"exit {rc}: {objs}")
        # The NFD form of a bad phrase: the position is a byte offset into that input.
        nfd = unicodedata.normalize("NFD", "Quý V/2025")
        rc, (o,), _ = parse_json(w.config, "--now", NOW, nfd)
        check(o["kind"] == "unparsed" and nfd.encode()[o["error_pos"]:].startswith(b"V/2025"),
              f"NFD error position: {o}")
    finally:
        w.cleanup()


def test_parse_human_output():
    w = workdir()
    try:
        # The README's example, to the character.
        p = ctl(w.config, "parse", "--now", NOW, "Quý IV hàng năm")
        check(p.returncode == 0, p.stderr)
        check(p.stdout == "Quý IV hàng năm\n"
              "  yearly: due 2025-12-31T23:59:59+07:00 (window from 2025-10-01T00:00:00+07:00)\n"
              "  next: 2025-12-31T23:59:59+07:00, 2026-12-31T23:59:59+07:00, "
              "2027-12-31T23:59:59+07:00\n", repr(p.stdout))
        p = ctl(w.config, "parse", "--now", NOW, "Quý II/2025",
                "Năm 2025 (sau khi có hướng dẫn của Bộ Khoa học và Công nghệ)", "Thường xuyên")
        check(p.returncode == 0, p.stderr)
        check(p.stdout == "Quý II/2025\n"
              "  once: due 2025-06-30T23:59:59+07:00 (window from 2025-04-01T00:00:00+07:00)\n"
              "Năm 2025 (sau khi có hướng dẫn của Bộ Khoa học và Công nghệ)\n"
              "  once: due 2025-12-31T23:59:59+07:00 (window from 2025-01-01T00:00:00+07:00)\n"
              "  condition: sau khi có hướng dẫn của Bộ Khoa học và Công nghệ\n"
              "Thường xuyên\n"
              "  ongoing\n", repr(p.stdout))
        # Unparsed: the byte position, the reason, the phrase and a caret under the error.
        p = ctl(w.config, "parse", "--now", NOW, "Quý V/2025")
        check(p.returncode == 1, f"exit {p.returncode}")
        lines = p.stdout.split("\n")
        check(lines[0] == "Quý V/2025", repr(p.stdout))
        check(lines[1].startswith("  unparsed at byte 5: ") and len(lines[1]) > 22,
              repr(p.stdout))
        check(lines[2] == "    Quý V/2025", repr(p.stdout))
        check(lines[3] == "    " + " " * 4 + "^", f"caret under the V: {p.stdout!r}")
    finally:
        w.cleanup()


def test_parse_caret_under_the_error_in_an_nfd_phrase():
    """A combining accent takes no column: the caret still points at the error."""
    w = workdir()
    try:
        nfd = unicodedata.normalize("NFD", "Quý V/2025")
        p = ctl(w.config, "parse", "--now", NOW, nfd)
        lines = p.stdout.split("\n")
        check(p.returncode == 1 and lines[2] == "    " + nfd, repr(p.stdout))
        # "Quý " is 4 columns wide whatever its normalisation.
        check(lines[3] == "    " + " " * 4 + "^",
              f"the caret is under 'V' (column 4 of the phrase): {p.stdout!r}")
    finally:
        w.cleanup()


def test_parse_sentences_are_read_loosely_and_say_so():
    """A deadline inside a sentence: the due of its clause, the rest kept as condition,
    "loose" to be checked; several agencies' deadlines as phases; "năm sau" with --issued."""
    w = workdir()
    try:
        sentence = "Ban hành trong quý II năm 2027. Tổ chức triển khai, cập nhật (nếu có)"
        agencies = ("+ Các sở, ngành hoàn thành trước ngày 30 tháng 6 năm 2026. "
                    "+ Sở Tài chính tổng hợp trước ngày 15 tháng 7 năm 2026.")
        rc, (a, b, c), _ = parse_json(w.config, "--now", NOW, sentence, agencies, "Quý II/2026")
        check(rc == 0, f"exit {rc}")
        check(a["kind"] == "once" and a["due"] == end_of(2027, 6, 30) and a["loose"] is True
              and a["condition"] == "Tổ chức triển khai, cập nhật (nếu có)", str(a))
        check(b["kind"] == "once" and b["loose"] is True and b["next"] ==
              [start_of(2026, 6, 30), start_of(2026, 7, 15)], str(b))
        check([(x["due"], x["agency"]) for x in b["phases"]] ==
              [(start_of(2026, 6, 30), "Các sở, ngành"), (start_of(2026, 7, 15), "Sở Tài chính")],
              f"one phase per agency: {b['phases']}")
        check(c["loose"] is False, f"a plain phrase is not loose: {c}")
        p = ctl(w.config, "parse", "--now", NOW, agencies)
        check(p.returncode == 0 and "  phase 2: due 2026-07-15T00:00:00+07:00, Sở Tài chính\n"
              in p.stdout and "\n  (loose: " in p.stdout, repr(p.stdout))
        # "năm sau": the year after the plan's, or not understood without it.
        rc, (o,), _ = parse_json(w.config, "--now", NOW, "--issued", "2025-11-18", "Quý II năm sau")
        check(rc == 0 and o["due"] == end_of(2026, 6, 30), str(o))
        rc, (o,), _ = parse_json(w.config, "--now", NOW, "--issued", "2030", "năm sau")
        check(rc == 0 and o["due"] == end_of(2031, 12, 31), str(o))
        rc, (o,), _ = parse_json(w.config, "--now", NOW, "Quý II năm sau")
        check(rc == 1 and o["kind"] == "unparsed" and "plan's year" in o["error"], str(o))
        p = ctl(w.config, "parse", "--issued", "2025-13-01", "năm sau")
        check(p.returncode == 2, f"a bad --issued is a usage error: {p.returncode}")
    finally:
        w.cleanup()


def test_parse_json_is_valid_utf8_whatever_the_input():
    """Invalid bytes are shown as U+FFFD, control characters escaped; a long condition is
    cut between characters."""
    w = workdir()
    try:
        long_event = ("Sau khi Nghị định về quản lý, kết nối và chia sẻ dữ liệu số của cơ quan "
                      "nhà nước được ban hành và có hiệu lực thi hành, tổ chức triển khai thực "
                      "hiện theo quy định tại Nghị định đó")
        lines = [b"Khi c\xff ph\xc3\xa1t sinh", b"Qu\xc3 II/2025", b"Khi c\x01\x1b[31m c\xc3\xb3",
                 *(("x" * k + long_event).encode() for k in range(4))]
        p = subprocess.run([DEADLINECTL, "--config", w.config, "parse", "--json", "-"],
                           input=b"\n".join(lines) + b"\n", capture_output=True, timeout=60)
        out = p.stdout.decode("utf-8")  # raises if it is not valid UTF-8
        objs = [json.loads(line) for line in out.splitlines()]
        check(len(objs) == len(lines), out)
        check(objs[0]["input"] == "Khi c\ufffd phát sinh" and objs[0]["kind"] == "event"
              and objs[0]["condition"] == "Khi c\ufffd phát sinh", str(objs[0]))
        check(objs[1]["input"] == "Qu\ufffd II/2025" and objs[1]["kind"] == "unparsed",
              str(objs[1]))
        check(objs[2]["input"] == "Khi c\x01\x1b[31m có" and "\\u0001" in out, out)
        for k, o in enumerate(objs[3:]):
            check(o["kind"] == "event" and o["condition"] and
                  ("x" * k + long_event).startswith(o["condition"]), f"cut: {o['condition']!r}")
        # The human text shows control characters as spaces.
        p = subprocess.run([DEADLINECTL, "--config", w.config, "parse", "-"],
                           input=b"Khi c\x1b[31m\xff\n", capture_output=True, timeout=60)
        check(b"\x1b" not in p.stdout and p.stdout.decode("utf-8").startswith("Khi c [31m\ufffd\n"),
              repr(p.stdout))
    finally:
        w.cleanup()


def test_parse_empty_phrase_takes_the_plan_period():
    w = workdir()
    try:
        rc, (o,), _ = parse_json(w.config, "--now", NOW, "--plan-period", "2022-2025", "")
        check(rc == 0, f"exit {rc}")
        check(o == {"input": "", "kind": "period", "due": end_of(2025, 12, 31),
                    "window_start": start_of(2022, 1, 1), "window_end": end_of(2025, 12, 31),
                    "next": [], "condition": None, "implicit": True, "loose": False,
                    "phases": [{"window_start": start_of(2022, 1, 1),
                                "due": end_of(2025, 12, 31), "agency": None}]}, str(o))
        rc, (o,), _ = parse_json(w.config, "--now", NOW, "--plan-period", "2023-2023", "")
        check(rc == 0 and o["kind"] == "once" and o["due"] == end_of(2023, 12, 31)
              and o["window_start"] == start_of(2023, 1, 1) and o["implicit"] is True,
              f"a one-year plan: {o}")
        # Without a period an empty phrase is not understood (never guessed).
        rc, (o,), _ = parse_json(w.config, "--now", NOW, "")
        check(rc == 1 and o["kind"] == "unparsed" and o["error"] and o["error_pos"] == 0, str(o))
        p = ctl(w.config, "parse", "--now", NOW, "--plan-period", "2022-2025", "")
        check(p.returncode == 0 and "(empty: the plan's period)" in p.stdout
              and "period: due 2025-12-31T23:59:59+07:00" in p.stdout, repr(p.stdout))
        # A non-empty phrase is not affected by the period, except for recurrences.
        rc, (o,), _ = parse_json(w.config, "--now", NOW, "--plan-period", "2022-2025",
                                 "Quý II/2025")
        check(o["implicit"] is False and o["due"] == end_of(2025, 6, 30), str(o))
        for bad in ("2025-2022", "2025", "abc"):
            p = ctl(w.config, "parse", "--plan-period", bad, "")
            check(p.returncode == 2 and "usage" in p.stderr,
                  f"--plan-period {bad}: exit {p.returncode} {p.stderr!r}")
    finally:
        w.cleanup()


def test_parse_tz_changes_the_zone_of_every_instant():
    w = workdir()
    try:
        for tz in ("+09:00", "+00:00", "-05:30", "+14:00", "-12:00"):
            rc, (o,), _ = parse_json(w.config, "--tz", tz, "--now", NOW, "Quý II/2025")
            check(rc == 0, f"--tz {tz}: exit {rc}")
            check(o["due"] == end_of(2025, 6, 30, tz) and
                  o["window_start"] == start_of(2025, 4, 1, tz), f"--tz {tz}: {o}")
        rc, (o,), _ = parse_json(w.config, "--tz", "+00:00", "--now",
                                 "2025-11-29T03:00:00+07:00", "Hàng tuần")
        # 03:00 on Saturday in Vietnam is 20:00 on Friday in UTC: that Friday is still ahead.
        check(o["due"] == end_of(2025, 11, 28, "+00:00"), f"an explicit --now offset: {o}")
        p = ctl(w.config, "parse", "--tz", "+09:00", "--now", NOW, "Quý II/2025")
        check("due 2025-06-30T23:59:59+09:00 (window from 2025-04-01T00:00:00+09:00)" in p.stdout,
              repr(p.stdout))
    finally:
        w.cleanup()


def test_parse_tz_refuses_what_is_not_an_offset():
    w = workdir()
    try:
        wrong = []
        for bad in ("+15:00", "abc", "", "25:00", "+07:99", "+7:60"):
            p = ctl(w.config, "parse", "--json", "--tz", bad, "Quý II/2025")
            if p.returncode != 2 or "usage" not in p.stderr:
                wrong.append(f"--tz {bad!r}: exit {p.returncode}, {p.stdout.strip()}")
        # Without a sign: either +10:00 or refused, never another zone.
        p = ctl(w.config, "parse", "--json", "--tz", "10:00", "Quý II/2025")
        if p.returncode != 2 and json.loads(p.stdout)["due"] != end_of(2025, 6, 30, "+10:00"):
            wrong.append(f"--tz '10:00': exit {p.returncode}, {p.stdout.strip()}")
        check(not wrong, "accepted as another zone:\n" + "\n".join(wrong))
    finally:
        w.cleanup()


def test_parse_now_without_offset_is_read_in_the_tz_given():
    """--now 2025-11-29 with --tz +00:00 is Saturday 00:00 UTC: Friday's week is over."""
    w = workdir()
    try:
        for order in (("--tz", "+00:00", "--now", "2025-11-29"),
                      ("--now", "2025-11-29", "--tz", "+00:00")):
            rc, (o,), _ = parse_json(w.config, *order, "Hàng tuần")
            check(o["due"] == end_of(2025, 12, 5, "+00:00"),
                  f"{' '.join(order)}: due {o['due']} (want the next Friday, 2025-12-05)")
    finally:
        w.cleanup()


def test_parse_bad_now_and_missing_phrase_are_usage_errors():
    w = workdir()
    try:
        for args in (("--now", "garbage", "Năm 2025"), ("--json",), (), ("--bogus", "Năm 2025")):
            p = ctl(w.config, "parse", *args)
            check(p.returncode == 2 and "usage: deadlinectl parse" in p.stderr,
                  f"parse {args}: exit {p.returncode} {p.stderr!r}")
            check(p.stdout == "", f"nothing on stdout: {p.stdout!r}")
    finally:
        w.cleanup()


# ---- parse -: a file of 200 phrases ------------------------------------------------------

ROMAN = ["I", "II", "III", "IV"]


def phrase_file():
    """200 phrases, mixed, with what each must give (kind, due, window_start),
    computed with Python's calendar, not by the product."""
    rnd = random.Random(20251124)
    out = []
    for _ in range(40):  # quarters
        y, q = rnd.randint(2019, 2031), rnd.randint(1, 4)
        r = ROMAN[q - 1]
        written = rnd.choice([f"Quý {r}/{y}", f"Quý {q}/{y}", f"quý {r} năm {y}", f"Quí {r}/{y}",
                              f"QUÝ {r}/{y}"])
        m = 3 * q
        out.append((written, "once", end_of(y, m, last_day(y, m)), start_of(y, m - 2, 1)))
    for _ in range(40):  # months
        y, m = rnd.randint(2019, 2031), rnd.randint(1, 12)
        written = rnd.choice([f"Tháng {m}/{y}", f"tháng {m:02d}/{y}", f"{m}/{y}"])
        out.append((written, "once", end_of(y, m, last_day(y, m)), start_of(y, m, 1)))
    for _ in range(30):  # days, some of them impossible
        y, m, d = rnd.randint(2019, 2031), rnd.randint(1, 12), rnd.choice([1, 15, 28, 29, 30, 31])
        written = rnd.choice([f"{d}/{m}/{y}", f"{d:02d}/{m:02d}/{y}"])
        if d <= last_day(y, m):
            out.append((written, "once", end_of(y, m, d), ...))
        else:
            out.append((written, "unparsed", None, None))
    for _ in range(20):  # before a day
        y, m = rnd.randint(2019, 2031), rnd.randint(1, 12)
        d = rnd.randint(1, last_day(y, m))
        out.append((f"trước ngày {d}/{m}/{y}", "once", start_of(y, m, d), ...))
    for _ in range(20):  # years and spans of years
        y = rnd.randint(2019, 2031)
        if rnd.random() < 0.5:
            out.append((rnd.choice([f"Năm {y}", f"Trong năm {y}", f"năm {y}"]), "once",
                        end_of(y, 12, 31), start_of(y, 1, 1)))
        else:
            z = y + rnd.randint(1, 5)
            sep = rnd.choice([" - ", "-", "–", " – ", "- "])
            out.append((f"{y}{sep}{z}", "period", end_of(z, 12, 31), start_of(y, 1, 1)))
    for _ in range(20):  # yearly, from --now 2025-11-24
        q = rnd.randint(1, 4)
        y = 2025 if q == 4 else 2026
        out.append((rnd.choice([f"Quý {ROMAN[q - 1]} hàng năm", f"Quý {q} hằng năm"]), "yearly",
                    end_of(y, 3 * q, last_day(y, 3 * q)), start_of(y, 3 * q - 2, 1)))
    for _ in range(20):  # not understood
        y = rnd.randint(2019, 2031)
        out.append((rnd.choice([f"Quý V/{y}", f"Tháng 13/{y}", f"Quý II và Quý V/{y}",
                                f"abc {y}", f"31/4/{y}"]), "unparsed", None, None))
    fixed = [("Hàng tuần", "weekly", end_of(2025, 11, 28), start_of(2025, 11, 24)),
             ("Thường xuyên", "ongoing", None, None),
             ("Hàng quý", "quarterly", end_of(2025, 12, 31), start_of(2025, 10, 1)),
             ("Hàng tháng", "monthly", end_of(2025, 11, 30), start_of(2025, 11, 1)),
             ("Định kỳ 6 tháng", "half-yearly", end_of(2025, 12, 31), start_of(2025, 7, 1)),
             ("trước ngày 15/12 hàng năm", "yearly", start_of(2025, 12, 15), ...),
             ("Khi có phát sinh", "event", None, None),
             (unicodedata.normalize("NFD", "Năm 2024"), "once", end_of(2024, 12, 31),
              start_of(2024, 1, 1)),
             ("", "unparsed", None, None),
             ("Quý III - Quý IV/2024", "period", end_of(2024, 12, 31), start_of(2024, 7, 1))]
    out += fixed
    rnd.shuffle(out)
    assert len(out) == 200, len(out)
    return out


def test_parse_two_hundred_phrases_from_standard_input():
    w = workdir()
    try:
        cases = phrase_file()
        # Some lines end with CRLF, as a file saved on Windows would.
        text = "".join(p + ("\r\n" if i % 7 == 0 else "\n") for i, (p, *_) in enumerate(cases))
        w.file("phrases.txt", text)
        rc, objs, err = parse_json(w.config, "--now", NOW, "-", input=text)
        check(rc == 1, f"exit {rc}: some phrases fail, so 1 ({err})")
        check(len(objs) == 200, f"{len(objs)} answers for 200 lines")
        for n, ((phrase, kind, due, window), o) in enumerate(zip(cases, objs), 1):
            what = f"line {n} {phrase!r}: {o}"
            check(o["input"] == phrase, "input (no CR): " + what)
            check(o["kind"] == kind, f"kind (want {kind}): " + what)
            check(o["due"] == due, f"due (want {due}): " + what)
            if window is not ...:
                check(o["window_start"] == window, f"window_start (want {window}): " + what)
            check(("error" in o) == (kind == "unparsed"), "error only when unparsed: " + what)
        # The same file without the failing lines: exit 0.
        good = [c for c in cases if c[1] != "unparsed"]
        rc, objs, err = parse_json(w.config, "--now", NOW, "-",
                                   input="".join(p + "\n" for p, *_ in good))
        check(rc == 0, f"exit {rc} when every line parses: {err}")
        check([o["input"] for o in objs] == [p for p, *_ in good], "the good lines, in order")
        # Human output from standard input: one block per line, in order.
        p = ctl(w.config, "parse", "--now", NOW, "-", input="Quý II/2025\nQuý V/2025\n")
        check(p.returncode == 1 and p.stdout.startswith("Quý II/2025\n  once: due ")
              and "\nQuý V/2025\n  unparsed at byte 5: " in p.stdout, repr(p.stdout))
        # "-" among phrases: its lines come where it stands.
        rc, objs, _ = parse_json(w.config, "--now", NOW, "Năm 2023", "-", "Năm 2027",
                                 input="Năm 2024\nNăm 2025\n")
        check(rc == 0 and [o["input"] for o in objs] ==
              ["Năm 2023", "Năm 2024", "Năm 2025", "Năm 2027"], str(objs))
        # An empty standard input: nothing to say, nothing failed.
        rc, objs, _ = parse_json(w.config, "--now", NOW, "-", input="")
        check(rc == 0 and objs == [], f"exit {rc}, {objs}")
    finally:
        w.cleanup()


def test_parse_needs_no_configuration():
    p = raw_ctl("--config", "/nonexistent/deadlined.ini", "parse", "--json", "--now", NOW,
                "Quý II/2025")
    check(p.returncode == 0 and json.loads(p.stdout)["due"] == end_of(2025, 6, 30),
          f"exit {p.returncode}: {p.stdout!r} {p.stderr!r}")


# ---- check-config ---------------------------------------------------------------------------

def test_check_config_of_a_good_configuration():
    w = Workdir()
    try:
        extra = ("[plan KH-CLI]\ntitle = Kế hoạch thử\nperiod = 2025-2025\n\n"
                 "[task t1]\nplan = KH-CLI\ntitle = Việc thử\nlead = Sở Y tế\n"
                 "timeframe = Quý II/2025\n")
        w.write_config(extra, transport="maildir")
        directory = read_directory()
        n_agencies = sum(1 for e in directory.values() if e["kind"] == "agency")
        n_groups = sum(1 for e in directory.values() if e["kind"] == "group")
        p = ctl(w.config, "check-config")
        check(p.returncode == 0, f"exit {p.returncode}: {p.stderr}")
        check(p.stdout == f"{w.config}: ok: {n_agencies} agencies, {n_groups} groups, 1 plans, "
              f"1 tasks; templates {TEMPLATES}/vi\n", repr(p.stdout))
        check(p.stderr == "", f"no warnings: {p.stderr!r}")
        p = ctl(w.config, "check-config", "extra")
        check(p.returncode == 2, f"an extra argument: exit {p.returncode}")
    finally:
        w.cleanup()


def line_of(path, needle):
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if needle in line:
                return n
    raise AssertionError(f"{needle!r} not in {path}")


def check_refused(config, file, line, words):
    p = ctl(config, "check-config")
    check(p.returncode == 1, f"exit {p.returncode} (want 1)\n{p.stdout}{p.stderr}")
    check(" ok: " not in p.stdout, f"not ok: {p.stdout!r}")
    check(f"{file}:{line}:" in p.stderr, f"the error names {file}:{line}:\n{p.stderr}")
    for word in words:
        check(word in p.stderr, f"{word!r} in the error:\n{p.stderr}")
    return p


def test_check_config_names_the_file_and_line_of_an_error():
    w = Workdir()
    try:
        # An unknown key in the main file.
        w.write_config(transport="maildir")
        text = open(w.config, encoding="utf-8").read()
        with open(w.config, "w", encoding="utf-8") as f:
            f.write(text.replace("[daemon]\n", "[daemon]\nnonsense_key = 1\n"))
        check_refused(w.config, w.config, line_of(w.config, "nonsense_key"),
                      ["nonsense_key", "unknown key"])
        # A bad value after other sections.
        w.write_config("[policy]\nremind.once = 30 abc\n", transport="maildir")
        check_refused(w.config, w.config, line_of(w.config, "remind.once"),
                      ["remind.once", "abc"])
        # A line that is neither a section nor key = value.
        w.write_config("[policy\n", transport="maildir")
        check_refused(w.config, w.config, line_of(w.config, "[policy"), [])
        # A missing file.
        p = ctl(os.path.join(w.path, "nonexistent.ini"), "check-config")
        check(p.returncode == 1 and "nonexistent.ini" in p.stderr, p.stderr)
    finally:
        w.cleanup()


def with_directory(w, extra):
    """A config including a copy of the example directory with `extra` appended."""
    w.write_config(transport="maildir")
    directory = w.file("directory.ini", open(DIRECTORY, encoding="utf-8").read() + extra)
    text = open(w.config, encoding="utf-8").read().replace(DIRECTORY, directory)
    with open(w.config, "w", encoding="utf-8") as f:
        f.write(text)
    return directory


def test_check_config_names_an_included_file_and_its_line():
    w = Workdir()
    try:
        directory = with_directory(w, "\n[agency thu-nghiem]\nname = Cơ quan thử nghiệm\n"
                                      "email = not-an-address\n")
        check_refused(w.config, directory, line_of(directory, "not-an-address"),
                      ["thu-nghiem", "email", "not-an-address"])
    finally:
        w.cleanup()


def test_check_config_points_at_the_line_of_a_bad_reference():
    """A member or supervisor naming no agency: the line of that key, not of the section's
    first key."""
    w = Workdir()
    try:
        directory = with_directory(w, "\n[group nhom-thu]\nname = Nhóm thử\n"
                                      "alias = Nhóm thử nghiệm\nmember = snv\n"
                                      "member = khong-co-id-nay\n")
        check_refused(w.config, directory, line_of(directory, "khong-co-id-nay"),
                      ["nhom-thu", "member", "khong-co-id-nay"])
    finally:
        w.cleanup()


def test_check_config_reports_a_template_error_with_file_and_line():
    w = Workdir()
    try:
        templates = os.path.join(w.path, "templates")
        os.makedirs(os.path.join(templates, "vi"))
        for name in os.listdir(os.path.join(TEMPLATES, "vi")):
            with open(os.path.join(TEMPLATES, "vi", name), encoding="utf-8") as f:
                body = f.read()
            if name == "body.txt":
                body = "Kính gửi: {{recipient}}\n{{#overdue}}\n{{title}}\n"  # never closed
            with open(os.path.join(templates, "vi", name), "w", encoding="utf-8") as f:
                f.write(body)
        w.write_config(transport="maildir")
        text = open(w.config, encoding="utf-8").read().replace(f"templates = {TEMPLATES}",
                                                              f"templates = {templates}")
        with open(w.config, "w", encoding="utf-8") as f:
            f.write(text)
        p = ctl(w.config, "check-config")
        check(p.returncode == 1, f"exit {p.returncode}: {p.stdout}{p.stderr}")
        body = os.path.join(templates, "vi", "body.txt")
        check(re.search(re.escape(body) + r":\d+:", p.stderr), f"file and line:\n{p.stderr}")
    finally:
        w.cleanup()


# ---- commands for the daemon, when none runs -------------------------------------------------

DAEMON_COMMANDS = ["status", "reload", "reschedule", "send-now"]


TASK_INI = ("[plan KH-THU]\nissued = 2025-01-02\n\n[task bao-cao-thu]\nplan = KH-THU\ntitle = Báo cáo thử\nlead = Sở Y tế\n"
            "timeframe = trước ngày 15/12 hàng năm\n")


def test_reading_commands_show_the_ini_tasks_but_never_write():
    """tasks, preview and import --dry-run see the INI's tasks as the daemon will, and leave
    the database as it was; another config's tasks are not marked removed."""
    w = Workdir()
    try:
        w.write_config(TASK_INI, transport="maildir")
        p = ctl(w.config, "tasks", "--json", check_rc=0)
        check("Báo cáo thử" in p.stdout, f"tasks does not show the INI task:\n{p.stdout}")
        p = ctl(w.config, "preview", "--from", "2025-11-01", "--to", "2025-12-31", "--json",
                check_rc=0)
        check("Báo cáo thử" in p.stdout, f"preview does not show the INI task:\n{p.stdout[:500]}")
        ctl(w.config, "import", "--dry-run", w.file("empty.txt", "Không có bảng nào.\n"))
        check(w.sql("SELECT COUNT(*) FROM tasks") == [(0,)], "a reading command stored tasks")
        # Once the daemon has stored the task, a config without it only looks.
        d = Daemon(w.config, now="2025-11-03T09:00:00+07:00").start()
        try:
            d.wait_log(r"config tasks: 1 \(1 new")
        finally:
            d.stop()
        other = w.file("other.ini", open(w.config, encoding="utf-8").read().replace(TASK_INI, ""))
        p = ctl(other, "tasks", check_rc=0)
        check(re.search(r"Báo cáo thử.*\n.*removed", p.stdout),
              f"tasks with the other config shows it as the daemon will, removed:\n{p.stdout}")
        ctl(other, "agencies", "--unresolved", check_rc=0)
        p = ctl(other, "preview", "--from", "2025-11-01", "--to", "2025-12-31", check_rc=0)
        check("KH-THU" not in p.stdout, f"preview with the other config:\n{p.stdout}")
        check(w.sql("SELECT status FROM tasks") == [("open",)],
              f"after reading with another config: {w.sql('SELECT status FROM tasks')}")
    finally:
        w.cleanup()


def test_preview_lists_a_task_held_twice_by_a_successor_once():
    """A plan of 2024 gives a task to Sở KH&ĐT and Sở Tài chính; from 1/3/2025 Sở Tài chính
    holds both assignments: two notes, one item of its mail, one line of the preview."""
    w = Workdir()
    try:
        w.write_config("[plan KH-HAI]\nissued = 2024-05-02\n\n[task hai]\nplan = KH-HAI\n"
                       "title = Việc chung\nlead = Sở Kế hoạch và Đầu tư; Sở Tài chính\n"
                       "timeframe = Quý IV/2025\n", transport="maildir")
        p = ctl(w.config, "preview", "--from", "2025-09-01", "--to", "2026-01-31", check_rc=0)
        mails = [m for m in p.stdout.split("\n20") if "to stc" in m.splitlines()[0]]
        check(mails, p.stdout)
        for m in mails:
            items = [l for l in m.splitlines() if l.startswith("    - ")]
            check(items and len(items) == len(set(items)), f"an item listed twice:\n{m}")
    finally:
        w.cleanup()


def test_tasks_show_a_timeframe_read_from_a_sentence():
    """A timeframe read loosely is flagged for an admin: [loose] in the text, "loose" in the
    JSON flags, and listed by --flagged beside the unparsed ones; a plain one is not."""
    w = Workdir()
    try:
        w.write_config(TASK_INI + "\n[task ban-hanh]\nplan = KH-THU\ntitle = Ban hành quy chế\n"
                       "lead = Sở Y tế\ntimeframe = Ban hành trong Quý II/2026. Tổ chức triển khai"
                       "\n", transport="maildir")
        by_key = {t["key"]: t for t in
                  map(json.loads, ctl(w.config, "tasks", "--json", check_rc=0).stdout.splitlines())}
        loose, plain = by_key["ban-hanh"], by_key["bao-cao-thu"]
        check(loose["kind"] == "once" and loose["due"] == end_of(2026, 6, 30)
              and loose["condition"] == "Tổ chức triển khai" and "loose" in loose["flags"],
              str(loose))
        check("loose" not in plain["flags"], str(plain))
        p = ctl(w.config, "tasks", check_rc=0)
        check(re.search(r"Ban hành quy chế\n.*\| once \|.*\[loose\]", p.stdout)
              and not re.search(r"Báo cáo thử\n.*\[loose\]", p.stdout), p.stdout)
        p = ctl(w.config, "tasks", "--flagged", check_rc=0)
        check("Ban hành quy chế" in p.stdout and "Báo cáo thử" not in p.stdout, p.stdout)
    finally:
        w.cleanup()


def test_daemon_commands_without_a_daemon_fail_clearly():
    w = workdir()
    try:
        sock = os.path.join(w.path, "deadlined.sock")
        for cmd in DAEMON_COMMANDS:
            start = time.monotonic()
            p = ctl(w.config, cmd)
            check(p.returncode == 1, f"{cmd}: exit {p.returncode} (want 1)")
            check(p.stdout == "", f"{cmd}: nothing on stdout: {p.stdout!r}")
            check("cannot reach the daemon" in p.stderr and sock in p.stderr,
                  f"{cmd}: a clear error naming the socket: {p.stderr!r}")
            check(time.monotonic() - start < 10, f"{cmd}: answers at once")
        # --socket overrides the config's.
        p = ctl(w.config, "--socket", os.path.join(w.path, "other.sock"), "status")
        check(p.returncode == 1 and "other.sock" in p.stderr, p.stderr)
        # A stale socket left by a daemon that died: refused, not hung.
        s = socket.socket(socket.AF_UNIX)
        s.bind(sock)
        s.close()
        for cmd in DAEMON_COMMANDS:
            start = time.monotonic()
            p = ctl(w.config, cmd)
            check(p.returncode == 1 and "cannot reach the daemon" in p.stderr,
                  f"{cmd} with a stale socket: exit {p.returncode} {p.stderr!r}")
            check(time.monotonic() - start < 10, f"{cmd}: answers at once")
        # Extra arguments are a usage error.
        p = ctl(w.config, "status", "now")
        check(p.returncode == 2 and "usage: deadlinectl status" in p.stderr, p.stderr)
    finally:
        w.cleanup()


def test_unknown_command_and_help():
    w = workdir()
    try:
        p = ctl(w.config, "frobnicate")
        check(p.returncode == 2, f"exit {p.returncode}")
        check("unknown command 'frobnicate'" in p.stderr and "usage: deadlinectl" in p.stderr,
              p.stderr)
        check(p.stdout == "", repr(p.stdout))
        commands = ["parse", "check-config", "import", "tasks", "show", "agenda", "agencies",
                    "preview", "messages", "resend", "test-mail", "progress", "extend",
                    "inbox", "report", "export", "backup", *DAEMON_COMMANDS]
        for args in (("--help",), ("-h",)):
            p = raw_ctl(*args)
            check(p.returncode == 0, f"{args}: exit {p.returncode}")
            check(p.stdout.startswith("usage: deadlinectl "), repr(p.stdout))
            check(p.stderr == "", repr(p.stderr))
            listed = re.findall(r"^  ([a-z][a-z-]*) ", p.stdout, re.M)
            check(listed == commands, f"every command listed once, in order: {listed}")
        p = raw_ctl()
        check(p.returncode == 2 and "usage: deadlinectl" in p.stderr and p.stdout == "",
              f"no command: exit {p.returncode}")
        p = raw_ctl("--bogus-option")
        check(p.returncode == 2 and "usage: deadlinectl" in p.stderr,
              f"an unknown option: exit {p.returncode}")
    finally:
        w.cleanup()


if __name__ == "__main__":
    run_tests([test_parse_every_kind_of_the_table_with_its_due,
               test_preview_lists_a_task_held_twice_by_a_successor_once,
               test_parse_phases_give_each_phase_its_due,
               test_parse_recurrences_follow_now_and_the_plan_period,
               test_parse_spelling_variants_read_the_same,
               test_parse_unparsed_phrases_have_an_error_and_its_byte_position,
               test_parse_human_output,
               test_parse_caret_under_the_error_in_an_nfd_phrase,
               test_parse_sentences_are_read_loosely_and_say_so,
               test_parse_json_is_valid_utf8_whatever_the_input,
               test_parse_empty_phrase_takes_the_plan_period,
               test_parse_tz_changes_the_zone_of_every_instant,
               test_parse_tz_refuses_what_is_not_an_offset,
               test_parse_now_without_offset_is_read_in_the_tz_given,
               test_parse_bad_now_and_missing_phrase_are_usage_errors,
               test_parse_two_hundred_phrases_from_standard_input,
               test_parse_needs_no_configuration,
               test_check_config_of_a_good_configuration,
               test_check_config_names_the_file_and_line_of_an_error,
               test_check_config_names_an_included_file_and_its_line,
               test_check_config_points_at_the_line_of_a_bad_reference,
               test_check_config_reports_a_template_error_with_file_and_line,
               test_reading_commands_show_the_ini_tasks_but_never_write,
               test_tasks_show_a_timeframe_read_from_a_sentence,
               test_daemon_commands_without_a_daemon_fail_clearly,
               test_unknown_command_and_help])
