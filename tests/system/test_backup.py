"""deadlinectl backup FILE while the daemon runs, and the README's restore:
stop the service, put the copy in place (without the old -wal and -shm),
start it. Every task and every record of a sent message comes back, and
nothing is sent twice."""
import os
import shutil
import sqlite3
import stat

from harness import Daemon, SMTPServer, Workdir, check, ctl, run_tests

TASKS = """\
[plan KH-SAO-LUU]
title = Kế hoạch thử sao lưu
issued = 2025-04-15
period = 2025-2025

[task khao-sat]
plan = KH-SAO-LUU
title = Khảo sát mức độ chuyển đổi số doanh nghiệp
lead = Sở Công Thương
coordinating = Sở Khoa học và Công nghệ
timeframe = Quý II/2025

[task y-te]
plan = KH-SAO-LUU
title = Báo cáo chuyển đổi số ngành y tế
lead = Sở Y tế
timeframe = trước ngày 30/6/2025

[task tai-chinh]
plan = KH-SAO-LUU
title = Rà soát kinh phí chuyển đổi số
lead = Sở Tài chính
timeframe = Quý IV/2025
"""

# The records a restore must bring back, compared column by column.
RECORDS = {
    "tasks": "SELECT id, plan_id, key, title, timeframe, due, status FROM tasks ORDER BY id",
    "assignments": "SELECT task_id, role, agency FROM assignments ORDER BY 1, 2, 3",
    "occurrences": "SELECT id, task_id, due, status FROM occurrences ORDER BY id",
    "messages": "SELECT id, message_id, recipient, subject, state, sent_at FROM messages "
                "ORDER BY id",
    "notifications": "SELECT occurrence_id, agency, step, message, state FROM notifications "
                     "ORDER BY 1, 2, 3",
}


def records(path):
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {name: db.execute(q).fetchall() for name, q in RECORDS.items()}
    finally:
        db.close()


def test_backup_while_running_then_restore_brings_everything_back():
    w = Workdir()
    smtp = SMTPServer().start()
    d = None
    try:
        w.write_config(TASKS, port=smtp.port)
        d = Daemon(w.config, now="2025-06-20T09:00:00+07:00").start()
        sent = smtp.wait_for(3)  # sct (a digest), skhcn, syt; stc's deadline is far
        d.wait_idle()
        backup = os.path.join(w.path, "sao-luu.db")
        p = ctl(w.config, "backup", backup)
        check(p.returncode == 0 and "integrity ok" in p.stdout,
              f"backup: exit {p.returncode}\n{p.stdout}{p.stderr}")
        check(d.proc.poll() is None, "the daemon kept running")
        mode = stat.S_IMODE(os.stat(backup).st_mode)
        check(mode & 0o007 == 0, f"the copy is readable by others: {mode:o}")
        check(not os.path.exists(backup + "-wal"), "the copy stands alone (no -wal)")
        db = sqlite3.connect(backup)
        check(db.execute("PRAGMA integrity_check").fetchall() == [("ok",)], "integrity")
        check(db.execute("PRAGMA journal_mode").fetchone()[0] == "delete", "not in WAL mode")
        db.close()
        live = records(w.db)
        check(live["messages"] and all(m[4] == "sent" for m in live["messages"]),
              f"the outbox: {live['messages']}")
        check(records(backup) == live, "the copy holds what the store holds")

        p = ctl(w.config, "backup", backup)
        check(p.returncode == 1 and "exists already" in p.stderr,
              f"a second backup over the first: exit {p.returncode} {p.stderr}")
        check(records(backup) == live, "the refused backup left the copy alone")

        # The store is lost; the README's restore.
        check(d.stop() == 0, "stop")
        with open(w.db, "wb") as f:
            f.write(b"lost")
        for name in (w.db + "-wal", w.db + "-shm"):
            if os.path.exists(name):
                os.unlink(name)
        shutil.copyfile(backup, w.db)
        d = Daemon(w.config, now="2025-06-20T09:05:00+07:00").start()
        d.wait_idle()
        check(smtp.count() == len(sent), f"{smtp.count() - len(sent)} message(s) sent again")
        check(records(w.db) == live, "every task and sent message is back")
        check("next wake-up: 2025-06-23T08:00:00+07:00" in d.log(),
              "the restored store plans the next reminders\n" + d.log())
        check(d.stop() == 0, "stop after the restore")
    finally:
        if d and d.proc.poll() is None:
            d.stop()
        smtp.stop()
        w.cleanup()


def test_backup_errors_name_the_file():
    w = Workdir()
    try:
        w.write_config(TASKS)
        p = ctl(w.config, "backup")
        check(p.returncode == 2 and "usage: deadlinectl backup FILE" in p.stderr, p.stderr)
        missing = os.path.join(w.path, "khong-co", "sao-luu.db")
        p = ctl(w.config, "backup", missing)
        check(p.returncode == 1 and missing in p.stderr, f"exit {p.returncode}: {p.stderr}")
        check(not os.path.exists(missing), "nothing made")
    finally:
        w.cleanup()


if __name__ == "__main__":
    run_tests([test_backup_while_running_then_restore_brings_everything_back,
               test_backup_errors_name_the_file])
