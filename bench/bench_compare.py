"""bench_compare — deadlined beside Debian's Remind, the way each runs.

1. A year of yearly and quarterly deadlines for N tasks (N = 1,000 and
   10,000): deadlined imports them and `deadlinectl preview --json` lists a
   year of mail; Remind gets the same deadlines and the same steps (30, 7
   and 1 days before, 1, 7 and 30 days after, one REM line each) and
   `remind -s12` lists the year. Medians of 3 runs, end to end.
2. Idle cost: syscalls in 60 s (strace -c) of a deadlined with nothing due
   until the next morning, and of `remind -z` (its daemon mode) on the
   same file.
Prints two Markdown sections for bench/results.md.
"""
import datetime
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
DEADLINED = os.path.join(ROOT, "deadlined")
DEADLINECTL = os.path.join(ROOT, "deadlinectl")
SIZES = [int(x) for x in os.environ.get("BENCH_REMIND_SIZES", "1000 10000").split()]
RUNS = 3
IDLE_SECONDS = int(os.environ.get("BENCH_IDLE_SECONDS", "60"))
YEAR = 2026
STEPS = [-30, -7, -1, 1, 7, 30]
LEADS = ["Sở Tư pháp", "Sở Tài chính", "Sở Công Thương", "Sở Y tế", "Sở Nội vụ",
         "Sở Xây dựng", "Sở Khoa học và Công nghệ", "Sở Giáo dục và Đào tạo"]

CONFIG = """\
include = {root}/config/directory.ini
[daemon]
database = {dir}/bench.db
control_socket = {dir}/control
templates = {root}/config/templates
monitor = skhcn
default_supervisor = ubnd
[mail]
transport = maildir
maildir = {dir}/mail
from = Bench <bench@quangngai.example>
[policy]
remind.yearly = 30 7 1
remind.quarterly = 30 7 1
escalate = 1:lead 7:monitor 30:supervisor
repeat = none
"""


def deadlines(i):
    """Task i: yearly (end of Q4) or quarterly; its deadlines within the year."""
    if i % 2 == 0:
        return "Quý IV hàng năm", [datetime.date(YEAR, 12, 31)]
    ends = [datetime.date(YEAR, 3, 31), datetime.date(YEAR, 6, 30),
            datetime.date(YEAR, 9, 30), datetime.date(YEAR, 12, 31)]
    return "Hàng quý", ends


def setup(n):
    d = tempfile.mkdtemp(prefix="deadlined-compare-")
    config = os.path.join(d, "deadlined.ini")
    with open(config, "w", encoding="utf-8") as f:
        f.write(CONFIG.format(root=ROOT, dir=d))
    rows = ["TT\tNhiệm vụ\tChủ trì\tPhối hợp\tThời gian"]
    rem = []
    for i in range(n):
        tf, dues = deadlines(i)
        rows.append(f"{i + 1}\tNhiệm vụ {i + 1}\t{LEADS[i % len(LEADS)]}\t\t{tf}")
        for due in dues:
            for s in STEPS:
                day = due + datetime.timedelta(days=s)
                rem.append(f"REM {day.isoformat()} MSG Nhiệm vụ {i + 1} ({s:+d})")
    plan = os.path.join(d, "plan.txt")
    with open(plan, "w", encoding="utf-8") as f:
        f.write("\n".join(rows) + "\n")
    with open(os.path.join(d, "tasks.rem"), "w", encoding="utf-8") as f:
        f.write("\n".join(rem) + "\n")
    subprocess.run([DEADLINECTL, "--config", config, "import", "--plan-id", "BENCH",
                    "--title", "Kế hoạch thử", "--issued", f"{YEAR - 1}-01-05", "--period",
                    f"{YEAR - 1}-{YEAR + 1}", plan], check=True, capture_output=True)
    return d, config


def timed(cmd):
    start = time.monotonic()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=True)
    return time.monotonic() - start, p.stdout.count(b"\n")


def year_comparison():
    lines = ["## deadlined beside Remind: a year of yearly and quarterly deadlines", "",
             "Both list a year of reminders for N tasks (half yearly, half quarterly), with the "
             "same deadlines and steps (30, 7, 1 days before; 1, 7, 30 after): "
             "`deadlinectl preview --json` (working days and slots, digests per agency) and "
             "`remind -s12` on one REM line per step. End to end, medians of "
             f"{RUNS} runs.", "",
             "| tasks | deadlined preview | emails | Remind -s12 | reminders | Remind / deadlined |",
             "|---:|---:|---:|---:|---:|---:|"]
    for n in SIZES:
        d, config = setup(n)
        try:
            ours = [timed([DEADLINECTL, "--config", config, "preview", "--from",
                           f"{YEAR}-01-01", "--to", f"{YEAR}-12-31", "--json"])
                    for _ in range(RUNS)]
            theirs = [timed(["remind", "-s12", os.path.join(d, "tasks.rem"), f"{YEAR}-01-01"])
                      for _ in range(RUNS)]
            a = statistics.median(t for t, _ in ours)
            b = statistics.median(t for t, _ in theirs)
            lines.append(f"| {n} | {a:.2f} s | {ours[0][1]} | {b:.2f} s | {theirs[0][1]} | "
                         f"{b / a:.0f}× |")
            print(f"bench_compare: {n} tasks: deadlined {a:.2f} s, remind {b:.2f} s",
                  file=sys.stderr)
        finally:
            shutil.rmtree(d, ignore_errors=True)
    return lines


def syscalls(pid):
    """Syscalls of process pid (and its threads) in IDLE_SECONDS, by strace -c."""
    p = subprocess.Popen(["strace", "-f", "-c", "-p", str(pid)], stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True)
    time.sleep(IDLE_SECONDS)
    p.send_signal(signal.SIGINT)
    _, err = p.communicate(timeout=30)
    m = re.search(r"^[\d.\s]+?\s+(\d+)\s+(?:\d+\s+)?total$", err, re.M)
    total = m.group(1) if m else "0"  # strace prints no table when nothing was called
    calls = re.findall(r"^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?(\w+)$", err, re.M)
    calls = [c for c in calls if c[1] != "total"]
    top = ", ".join(f"{name} {count}" for count, name in sorted(
        calls, key=lambda c: -int(c[0]))[:3]) or "none"
    return total, top


def idle_cost():
    lines = ["## Idle cost: syscalls in 60 s", "",
             f"A daemon with nothing due until the next morning, traced for {IDLE_SECONDS} s "
             "(`strace -f -c`), beside `remind -z` (Remind's daemon mode, which wakes every "
             "minute) on the same deadlines.", "",
             "| program | syscalls | most frequent |", "|---|---:|---|"]
    d, config = setup(1000)
    procs = []
    try:
        # Evening: everything due was planned at start; the next wake-up is at 08:00.
        ours = subprocess.Popen([DEADLINED, "--foreground", "--config", config, "--now",
                                 f"{YEAR}-03-02T19:00:00+07:00"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        procs.append(ours)
        time.sleep(5)
        total, top = syscalls(ours.pid)
        lines.append(f"| deadlined (1,000 tasks, idle) | {total} | {top} |")
        theirs = subprocess.Popen(["remind", "-z", os.path.join(d, "tasks.rem")],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        procs.append(theirs)
        time.sleep(2)
        total, top = syscalls(theirs.pid)
        lines.append(f"| remind -z (same deadlines) | {total} | {top} |")
    finally:
        for p in procs:
            p.terminate()
            p.wait(timeout=20)
        shutil.rmtree(d, ignore_errors=True)
    return lines


if __name__ == "__main__":
    out = year_comparison() + [""] + idle_cost()
    print("\n".join(out))
