"""The config watch covers exactly the files the config reads: writes to
other files of the config's directory (the database beside it, an admin's
notes) wake nobody; saving a template, like saving the INI, reloads."""
import os
import shutil
import time

from harness import TEMPLATES, Daemon, Workdir, check, eventually, run_tests

QUIET = "2025-05-20T20:00:00+07:00"  # an evening: nothing due before the morning


def save_like_an_editor(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.rename(tmp, path)


def wakeups(pid):
    """How often the daemon's loop thread has gone to sleep and been woken."""
    with open(f"/proc/{pid}/task/{pid}/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("voluntary_ctxt_switches:"):
                return int(line.split()[1])
    raise AssertionError("no voluntary_ctxt_switches")


def test_only_the_files_read_are_watched():
    w = Workdir()
    d = None
    try:
        templates = os.path.join(w.path, "templates")
        shutil.copytree(TEMPLATES, templates)
        w.write_config(transport="maildir")
        with open(w.config, encoding="utf-8") as f:
            text = f.read().replace(f"templates = {TEMPLATES}", f"templates = {templates}")
        with open(w.config, "w", encoding="utf-8") as f:
            f.write(text)
        d = Daemon(w.config, now=QUIET).start()
        d.wait_log(r"ready: planned")
        d.wait_idle()
        # Other files of the same directory: the database (beside the INI here) and a note.
        time.sleep(0.5)
        before = wakeups(d.proc.pid)
        for i in range(5):
            w.file("ghi-chu.txt", f"lần {i}\n")
            w.sql("UPDATE meta SET value = value WHERE key = 'nothing'")
        time.sleep(1.5)  # longer than the watch's settling delay: a reload would show
        after = wakeups(d.proc.pid)
        check(after == before, f"the loop woke {after - before} times for other files")
        check("changed on disk" not in d.log(), "a file the config does not read woke it:\n"
              + d.log())
        # A template is read: saving it reloads.
        subject = os.path.join(templates, "vi", "subject.txt")
        with open(subject, encoding="utf-8") as f:
            save_like_an_editor(subject, f.read() + "\n")
        d.wait_log(r"changed on disk")
        d.wait_log(r"reloaded ")
        # Saved again after the rename: the new file is watched too.
        with open(subject, "a", encoding="utf-8") as f:
            f.write("\n")
        eventually(lambda: d.log().count("reloaded ") >= 2, 20,
                   lambda: "a second reload\n" + d.log())
        check(d.stop() == 0, "clean stop\n" + d.log())
    finally:
        if d and d.proc.poll() is None:
            d.stop()
        w.cleanup()


if __name__ == "__main__":
    run_tests([test_only_the_files_read_are_watched])
