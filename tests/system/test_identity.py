"""A task's progress belongs to its identity (its plan and key), not to its
presence in the INI at one moment: removing a task from the config and
putting it back keeps its status and its history, and a done task gets no
reminder after its return."""
import os

from harness import Daemon, Workdir, check, ctl, run_tests

PLAN = """\
[plan KH-TEST]
title = Kế hoạch thử nghiệm nhắc việc
issued = 2025-04-15
period = 2025-2025
"""
TASKS = """
[task nv-xong]
plan = KH-TEST
title = Nhiệm vụ đã hoàn thành
lead = Sở Công Thương
timeframe = Quý II/2025

[task nv-dang-lam]
plan = KH-TEST
title = Nhiệm vụ đang thực hiện
lead = Sở Tài chính
timeframe = Quý II/2025
"""
QUIET = "2025-05-02T09:00:00+07:00"  # nothing due
REMINDERS = "2025-06-20T09:00:00+07:00"  # both tasks' reminder slot


def tasks(w):
    return {key: (tid, status) for tid, key, status in
            w.sql("SELECT id, key, status FROM tasks WHERE plan_id = 'KH-TEST'")}


def reconfigure(w, extra):
    w.write_config(extra, transport="maildir")
    p = ctl(w.config, "reload")
    check(p.returncode == 0, f"reload: {p.stdout}{p.stderr}")


def test_a_task_removed_from_the_config_and_put_back_keeps_its_status():
    w = Workdir()
    d = None
    try:
        w.write_config(PLAN + TASKS, transport="maildir")
        d = Daemon(w.config, now=QUIET).start()
        d.wait_idle()
        ctl(w.config, "progress", "nv-xong", "done", "--note", "báo cáo số 12", check_rc=0)
        ctl(w.config, "progress", "nv-dang-lam", "in-progress", check_rc=0)
        before = tasks(w)
        reconfigure(w, PLAN)
        gone = tasks(w)
        check({k: s for k, (_, s) in gone.items()} ==
              {"nv-xong": "removed", "nv-dang-lam": "removed"}, f"removed: {gone}")
        reconfigure(w, PLAN + TASKS)
        back = tasks(w)
        check(back == before, f"after the return {back}, before the removal {before}")
        check(back["nv-xong"][1] == "done" and back["nv-dang-lam"][1] == "in-progress",
              f"statuses: {back}")
        history = [what for (what,) in w.sql(
            "SELECT what FROM history WHERE task_id = ? ORDER BY id", back["nv-xong"][0])]
        check(history[-3:] == ["done", "removed", "updated"], f"history: {history}")
        check(d.stop() == 0, "clean stop\n" + d.log())

        d = Daemon(w.config, now=REMINDERS).start()
        d.wait_idle()
        check(d.stop() == 0, "clean stop\n" + d.log())
        to = sorted(str(m["To"]) for m in w.maildir_messages())
        check(to == ["Sở Tài chính <stc@quangngai.example>"],
              f"only the task still in progress is reminded of: {to}\n{d.log()}")
    finally:
        if d and d.proc.poll() is None:
            d.stop()
        w.cleanup()


if __name__ == "__main__":
    run_tests([test_a_task_removed_from_the_config_and_put_back_keeps_its_status])
