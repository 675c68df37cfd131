"""Preview is what the daemon sends, at a province's scale: a plan of 10,000
tasks imported late, then `deadlinectl preview` of the first morning beside
the real daemon's cold start on the same store (many planning batches): the
same messages to the same agencies — one per agency — carrying the same
notifications."""
import collections
import json
import sqlite3

from harness import Daemon, Workdir, check, ctl, read_directory, run_tests

TASKS = 10000
NOW = "2025-06-02T08:00:00+07:00"  # a Monday slot
TIMEFRAMES = ["Hàng tuần", "Quý II/2025", "Hàng tháng", "Quý III/2025", "Quý IV hàng năm",
              "2025 - 2026", "Tháng 6/2025", "trước ngày 15/12 hàng năm", "Hàng quý",
              "Tháng 5/2025", "Quý I/2025", "Năm 2025"]


def plan_text():
    agencies = sorted(v["name"] for v in read_directory().values()
                      if v["kind"] == "agency" and v["emails"])
    rows = ["TT\tNhiệm vụ\tChủ trì\tPhối hợp\tThời gian"]
    for i in range(TASKS):
        lead = agencies[i % len(agencies)]
        coord = agencies[(i * 7 + 3) % len(agencies)] if i % 3 == 0 else ""
        if coord == lead:
            coord = ""
        rows.append(f"{i + 1}\tNhiệm vụ thử tải số {i + 1} về chuyển đổi số\t{lead}\t{coord}"
                    f"\t{TIMEFRAMES[i % len(TIMEFRAMES)]}")
    return "\n".join(rows) + "\n"


def test_preview_equals_the_daemon_at_ten_thousand_tasks():
    w = Workdir()
    try:
        w.write_config(transport="maildir")
        ctl(w.config, "import", "--plan-id", "KH-TAI", "--title", "Kế hoạch thử tải",
            "--issued", "2025-01-06", "--period", "2025-2026",
            w.file("ke-hoach-tai.txt", plan_text()), check_rc=0)
        p = ctl(w.config, "preview", "--from", NOW[:10], "--to", NOW[:10], "--json", check_rc=0)
        preview = [json.loads(line) for line in p.stdout.splitlines() if line.strip()]
        check(preview, "preview shows nothing on the first morning")

        d = Daemon(w.config, now=NOW).start()
        try:
            d.wait_log(r"ready: planned", timeout=120)
            d.wait_idle(timeout=120)
        finally:
            check(d.stop() == 0, "clean stop\n" + d.log())
        con = sqlite3.connect(w.db)
        sent = con.execute("SELECT id, recipient, subject FROM messages"
                           " WHERE recipient <> 'admin'").fetchall()
        notes = con.execute(
            "SELECT m.recipient, t.plan_id || ':' || t.key, n.step, n.agency FROM notifications n"
            " JOIN messages m ON m.id = n.message JOIN occurrences o ON o.id = n.occurrence_id"
            " JOIN tasks t ON t.id = o.task_id WHERE m.recipient <> 'admin'").fetchall()
        batches = con.execute("SELECT COUNT(*) FROM occurrences").fetchone()[0]
        con.close()
        print(f"# {len(sent)} messages from the daemon, {len(preview)} in preview, "
              f"{len(notes)} notifications, {batches} occurrences", flush=True)
        per_agency = collections.Counter(r for _, r, _ in sent)
        check(max(per_agency.values()) == 1,
              f"more than one message to an agency: {per_agency.most_common(3)}")
        check(sorted((r, s) for _, r, s in sent) ==
              sorted((m["recipient"], m["subject"]) for m in preview),
              "the daemon's (recipient, subject) differ from preview's")
        daemon_items = collections.Counter(notes)
        preview_items = collections.Counter((m["recipient"], it["ref"], it["step"], it["agency"])
                                            for m in preview for it in m["items"])
        check(daemon_items == preview_items,
              f"notifications differ: daemon only {list((daemon_items - preview_items))[:5]}, "
              f"preview only {list((preview_items - daemon_items))[:5]}")
    finally:
        w.cleanup()


if __name__ == "__main__":
    run_tests([test_preview_equals_the_daemon_at_ten_thousand_tasks])
