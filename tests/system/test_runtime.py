"""The reminder engine at run time, through the real binaries: reloading the
configuration (SIGHUP, a file saved over, `deadlinectl reload`), the systemd
notifications, the control socket, stopping and crashing in the middle of an
SMTP session, sleeping without wake-ups, the sending policy (one digest per
agency, done/waiting/extended tasks, holidays, old plans, Tết), and preview
against what the daemon really sends.

Every test has its own Workdir and starts the daemon with --now; mail goes
to an aiosmtpd server on 127.0.0.1 or into the Maildir. Nothing here measures
durations: conditions are polled with generous timeouts."""
import collections
import json
import os
import re
import signal
import socket
import stat
import subprocess
import threading
import time

from harness import (BASE_CONFIG, DEADLINECTL, DIRECTORY, TEMPLATES, Daemon, SlowSMTPServer,
                     SMTPServer, Workdir, check, ctl, eventually, parse_message, plain_body,
                     run_tests)

# ---- helpers this file needs ------------------------------------------------------------

PLAN = """\
[plan KH-TEST]
title = Kế hoạch thử nghiệm nhắc việc
issued = 2025-04-15
period = 2025-2025
"""


def task(tid, title, lead, timeframe, coordinating=None, plan="KH-TEST"):
    text = f"\n[task {tid}]\nplan = {plan}\ntitle = {title}\nlead = {lead}\n"
    if coordinating:
        text += f"coordinating = {coordinating}\n"
    return text + f"timeframe = {timeframe}\n"


def config_text(w, extra="", transport="smtp", port=25, tls="none", smtp_extra="",
                language="vi", retry_max_age="3d", retry_base=None):
    """The text Workdir.write_config would write, without writing it."""
    text = BASE_CONFIG.format(directory=DIRECTORY, dir=w.path, templates=TEMPLATES,
                              transport=transport, port=port, tls=tls, smtp_extra=smtp_extra,
                              extra=extra, language=language, retry_max_age=retry_max_age)
    if retry_base:
        text = text.replace("retry_base = 1s", f"retry_base = {retry_base}")
    return text


def write_config(w, text):
    with open(w.config, "w", encoding="utf-8") as f:
        f.write(text)


def save_like_an_editor(path, text):
    """A new version written to a temporary file, then renamed over the old one."""
    tmp = os.path.join(os.path.dirname(path), "." + os.path.basename(path) + ".swp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.rename(tmp, path)


def line_of(text, needle):
    """1-based number of the first line of text containing needle."""
    for n, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return n
    raise AssertionError(f"{needle!r} not in the config")


def sock_path(w):
    return os.path.join(w.path, "deadlined.sock")


def _ctl_socket(w, *args):
    """deadlinectl asking the daemon's socket directly, whatever the file on disk holds."""
    return subprocess.run([DEADLINECTL, "--config", w.config, "--socket", sock_path(w), *args],
                          capture_output=True, text=True, timeout=120)


def fields(text):
    return dict(line.split(": ", 1) for line in text.splitlines() if ": " in line)


def status(w):
    p = _ctl_socket(w, "status")
    return fields(p.stdout) if p.returncode == 0 else None


def wait_idle(w, d, timeout=30.0):
    """Until the daemon has made its first decisions (it logs its next wake-up after
    them) and nothing is queued or in flight."""
    d.wait_log(r"next wake-up: ", timeout)

    def idle():
        s = status(w)
        return s and s.get("in_flight") == "0" and s.get("queue") == "0" and s
    return eventually(idle, timeout, lambda: "the daemon to be idle\n" + d.log())


def count_log(d, pattern):
    return len(re.findall(pattern, d.log()))


def wait_count(d, pattern, n, timeout=20.0):
    eventually(lambda: count_log(d, pattern) >= n, timeout,
               lambda: f"{n} log line(s) /{pattern}/\n--- log so far:\n{d.log()}")


def tasks_in_store(w):
    return dict(w.sql("SELECT key, status FROM tasks WHERE status != 'removed'"))


def preview(w, frm, to):
    p = ctl(w.config, "preview", "--from", frm, "--to", to, "--json", check_rc=0)
    return [json.loads(line) for line in p.stdout.splitlines() if line.strip()]


def stop_quietly(d):
    if d is not None and d.proc is not None and d.proc.poll() is None:
        try:
            d.stop()
        except AssertionError:
            pass


def recipients_of(msg):
    return list(getattr(msg, "envelope_to", None) or
                [a.addr_spec for h in ("to", "cc") if msg[h] for a in msg[h].addresses])


def per_recipient(messages):
    return collections.Counter(r for m in messages for r in recipients_of(m))


def sync_store(w, now):
    """Starts the daemon once at an instant where nothing is due, so that the INI
    tasks are in the store (preview and the task commands read the store)."""
    d = Daemon(w.config, now=now).start()
    try:
        wait_idle(w, d)
    finally:
        check(d.stop() == 0, "stop after the sync\n" + d.log())
    return d


class NotifySocket:
    """What systemd listens on: an AF_UNIX datagram socket; NOTIFY_SOCKET names it."""

    def __init__(self, directory):
        self.path = os.path.join(directory, "notify.sock")
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(self.path)
        self.sock.settimeout(0.2)
        self.messages = []
        self.lock = threading.Lock()
        self.running = True
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        while self.running:
            try:
                data = self.sock.recv(65536)
            except socket.timeout:
                continue
            except OSError:
                return
            with self.lock:
                self.messages.append(data.decode("utf-8", "replace"))

    def lines(self):
        """Every assignment received, in order (one datagram may carry several)."""
        with self.lock:
            return [line for m in self.messages for line in m.split("\n") if line]

    def wait_for(self, predicate, what, timeout=20.0):
        return eventually(lambda: predicate(self.lines()), timeout,
                          lambda: f"{what}; received: {self.lines()}")

    def close(self):
        self.running = False
        self.sock.close()
        self.thread.join(2)


def snapshot(server):
    """The messages a server (harness.SMTPServer or SlowSMTPServer) has accepted so far."""
    with server.lock:
        return list(server.messages)


def thread_switches(pid):
    """voluntary_ctxt_switches of every thread of pid."""
    out = {}
    base = f"/proc/{pid}/task"
    for tid in os.listdir(base):
        try:
            with open(f"{base}/{tid}/status") as f:
                for line in f:
                    if line.startswith("voluntary_ctxt_switches:"):
                        out[tid] = int(line.split()[1])
        except FileNotFoundError:
            pass
    return out


# ---- 1. reloading the configuration -----------------------------------------------------

OLD_TASK = task("nv-cu", "Nhiệm vụ chỉ có trong cấu hình cũ", "Sở Công Thương", "Quý II/2025")
NEW_TASK = task("nv-moi", "Nhiệm vụ mới sau khi sửa cấu hình", "Sở Tài chính", "Quý III/2025")
# Friday 2/5/2025: nothing is due; the old task's 30-day reminder is on Friday 30/5.
QUIET_NOW = "2025-05-02T09:00:00+07:00"
OLD_WAKEUP = "2025-05-30T08:00:00+07:00"

LONG_TITLE = "Xây dựng và vận hành nền tảng số dùng chung " * 6


def broken_variants(w, port):
    """(what, config text, line the error is on, key the error names)"""
    out = []
    good = config_text(w, PLAN + NEW_TASK, port=port)
    # An unknown key: a misspelt key in [smtp].
    text = good.replace("timeout = 10\n", "timeout = 10\ntimeout_connect = 5\n")
    out.append(("an unknown key", text, line_of(text, "timeout_connect"), "timeout_connect"))
    text = config_text(w, PLAN + task("nv-moi", LONG_TITLE.strip(), "Sở Tài chính",
                                      "Quý III/2025"), port=port)
    check(len(f"title = {LONG_TITLE.strip()}".encode()) > 200, "the long line is long")
    out.append(("a line over 200 bytes", text, line_of(text, "title = Xây dựng"), None))
    text = config_text(w, PLAN + "\n[task nv-moi]\nplan = KH-TEST\n"
                       "title = Nhiệm vụ mới sau khi sửa cấu hình\ntimeframe = Quý III/2025\n",
                       port=port)
    out.append(("a [task] without lead", text, line_of(text, "[task nv-moi]"), "lead"))
    return out


def test_sighup_with_a_broken_config_keeps_the_previous_one():
    w = Workdir()
    smtp = SMTPServer().start()
    d = None
    try:
        write_config(w, config_text(w, PLAN + OLD_TASK, port=smtp.port))
        d = Daemon(w.config, now=QUIET_NOW).start()
        s = wait_idle(w, d)
        check(s["next_wakeup"] == OLD_WAKEUP, f"next wake-up {s['next_wakeup']}")
        failures = 0
        for what, text, line, key in broken_variants(w, smtp.port):
            mark = len(d.log())
            # Saving the file is noticed by itself; then SIGHUP asks again.
            save_like_an_editor(w.config, text)
            failures += 1
            wait_count(d, r"reload failed, still running the previous config", failures)
            d.proc.send_signal(signal.SIGHUP)
            failures += 1
            wait_count(d, r"reload failed, still running the previous config", failures)
            # file:line of the offending line (for a missing key: its section's header)
            rx = re.escape(w.config) + r":(\d+): (.*)"
            named = [(int(n), rest) for n, rest in re.findall(rx, d.log()[mark:])]
            hits = [rest for n, rest in named if n == line]
            check(len(hits) >= 2, f"{what}: the log names {w.config}:{line}\n{d.log()}")
            if key:
                check(all(re.search(r"\b" + re.escape(key) + r"\b", h) for h in hits),
                      f"{what}: the log names the key {key}\n{d.log()}")
            check(d.proc.poll() is None, f"{what}: the daemon still runs\n{d.log()}")
            s = status(w)
            check(s and s["state"] == "running", f"{what}: status through the socket: {s}")
            check(s["next_wakeup"] == OLD_WAKEUP,
                  f"{what}: the old task is still scheduled: next wake-up {s['next_wakeup']}")
            check(tasks_in_store(w) == {"nv-cu": "open"},
                  f"{what}: the store still has the old tasks only: {tasks_in_store(w)}")
        check("reloaded" not in d.log(), "no broken config was taken\n" + d.log())

        # Fixed: the new task replaces the old one.
        save_like_an_editor(w.config, config_text(w, PLAN + NEW_TASK, port=smtp.port))
        wait_count(d, r"reloaded ", 1)
        d.proc.send_signal(signal.SIGHUP)
        wait_count(d, r"reloaded ", 2)
        p = ctl(w.config, "tasks", check_rc=0)
        check("KH-TEST:nv-moi" in p.stdout and "Nhiệm vụ mới sau khi sửa cấu hình" in p.stdout,
              f"the new task is listed:\n{p.stdout}")
        check(re.search(r"KH-TEST:nv-cu .*\n.*\| removed \|", p.stdout),
              f"the old task is removed:\n{p.stdout}")
        wait_idle(w, d)
        check(smtp.count() == 0, "nothing was sent")
        check(d.stop() == 0, "clean stop\n" + d.log())
    finally:
        stop_quietly(d)
        smtp.stop()
        w.cleanup()


def test_a_file_saved_over_the_config_is_reloaded_by_itself():
    w = Workdir()
    d = None
    try:
        write_config(w, config_text(w, PLAN + OLD_TASK, transport="maildir"))
        d = Daemon(w.config, now=QUIET_NOW).start()
        wait_idle(w, d)
        save_like_an_editor(w.config, config_text(w, PLAN + OLD_TASK + NEW_TASK,
                                                  transport="maildir"))
        d.wait_log(r"changed on disk")
        d.wait_log(r"reloaded ")
        p = eventually(lambda: (lambda p: "KH-TEST:nv-moi" in p.stdout and p)(
            ctl(w.config, "tasks")), 20, "the new task in `deadlinectl tasks`")
        check("KH-TEST:nv-cu" in p.stdout, f"the old task stays:\n{p.stdout}")
        # A second save, in place this time (open, truncate, write).
        write_config(w, config_text(w, PLAN + NEW_TASK, transport="maildir"))
        wait_count(d, r"reloaded ", 2)
        eventually(lambda: tasks_in_store(w) == {"nv-moi": "open"}, 20,
                   lambda: f"the old task removed: {tasks_in_store(w)}")
        check(d.stop() == 0, "clean stop\n" + d.log())
    finally:
        stop_quietly(d)
        w.cleanup()


def test_a_task_removed_from_the_config_is_no_longer_scheduled():
    w = Workdir()
    d = None
    try:
        write_config(w, config_text(w, PLAN + OLD_TASK, transport="maildir"))
        d = Daemon(w.config, now=QUIET_NOW).start()
        s = wait_idle(w, d)
        check(s["next_wakeup"] == OLD_WAKEUP, f"next wake-up {s['next_wakeup']}")
        save_like_an_editor(w.config, config_text(w, PLAN + NEW_TASK, transport="maildir"))
        d.wait_log(r"reloaded ")
        check(tasks_in_store(w) == {"nv-moi": "open"}, f"tasks: {tasks_in_store(w)}")
        # Quý III/2025: the 30-day reminder of 30/9 falls on Sunday 31/8, so Friday 29/8.
        s = wait_idle(w, d)
        check(s["next_wakeup"] == "2025-08-29T08:00:00+07:00",
              f"the next wake-up is the new task's, not the removed one's "
              f"({OLD_WAKEUP}): {s['next_wakeup']}\n{d.log()}")
        check(d.stop() == 0, "clean stop\n" + d.log())
        # At the removed task's old slot nothing goes out.
        d = Daemon(w.config, now="2025-05-30T09:00:00+07:00").start()
        wait_idle(w, d)
        check(d.stop() == 0, "clean stop\n" + d.log())
        check(not w.maildir_messages(), "no mail for a removed task: "
              f"{[str(m['subject']) for m in w.maildir_messages()]}")
    finally:
        stop_quietly(d)
        w.cleanup()


def test_deadlinectl_reload_reports_errors_and_its_exit_status():
    w = Workdir()
    d = None
    try:
        good = config_text(w, PLAN + OLD_TASK, transport="maildir")
        write_config(w, good)
        d = Daemon(w.config, now=QUIET_NOW).start()
        wait_idle(w, d)
        p = ctl(w.config, "reload")
        check(p.returncode == 0, f"reload of a good file: exit {p.returncode}\n{p.stderr}")
        d.wait_log(r"reloaded ")

        bad = good.replace("send_at = 08:00\n", "send_at = 08:00\nsend_on = mon\n")
        line = line_of(bad, "send_on")
        save_like_an_editor(w.config, bad)
        wait_count(d, r"reload failed", 1)
        where = f"{w.config}:{line}:"
        p = ctl(w.config, "reload")
        check(p.returncode == 1, f"reload of a broken file: exit {p.returncode}")
        check(where in p.stderr and "send_on" in p.stderr,
              f"deadlinectl reload names {where} and the key:\n{p.stderr}")
        # The daemon's own answer, through the socket.
        p = _ctl_socket(w, "reload")
        check(p.returncode == 1, f"reload (--socket) of a broken file: exit {p.returncode}")
        check("still running the previous one" in p.stderr and where in p.stderr
              and "send_on" in p.stderr, f"the daemon's answer:\n{p.stderr}")
        check(status(w)["state"] == "running", "still running")

        save_like_an_editor(w.config, config_text(w, PLAN + OLD_TASK + NEW_TASK,
                                                  transport="maildir"))
        wait_count(d, r"reloaded ", 2)
        p = ctl(w.config, "reload")
        check(p.returncode == 0, f"reload after the fix: exit {p.returncode}\n{p.stderr}")
        wait_count(d, r"reloaded ", 3)
        check(d.stop() == 0, "clean stop\n" + d.log())
    finally:
        stop_quietly(d)
        w.cleanup()


def test_deadlinectl_reaches_the_daemon_while_the_file_on_disk_is_broken():
    """The moment an admin most needs `deadlinectl status` and `reload` is when the
    file has just been broken: the daemon runs the previous config and answers on
    the socket the previous config named."""
    w = Workdir()
    d = None
    try:
        good = config_text(w, PLAN + OLD_TASK, transport="maildir")
        write_config(w, good)
        d = Daemon(w.config, now=QUIET_NOW).start()
        wait_idle(w, d)
        save_like_an_editor(w.config, good.replace("send_at = 08:00\n",
                                                   "send_at = 08:00\nsend_on = mon\n"))
        wait_count(d, r"reload failed", 1)
        p = ctl(w.config, "status")
        check(p.returncode == 0 and "state: running" in p.stdout,
              f"`deadlinectl status` with the broken file on disk: exit {p.returncode}\n"
              f"stdout: {p.stdout}\nstderr: {p.stderr}")
        p = ctl(w.config, "reload")
        check(p.returncode == 1 and "still running the previous one" in p.stderr,
              f"`deadlinectl reload` gets the daemon's answer: exit {p.returncode}\n"
              f"stderr: {p.stderr}")
    finally:
        stop_quietly(d)
        w.cleanup()


# ---- 2. sd_notify -----------------------------------------------------------------------

def test_sd_notify_ready_status_reloading_stopping():
    w = Workdir()
    notify = NotifySocket(w.path)
    d = None
    try:
        write_config(w, config_text(w, PLAN + OLD_TASK, transport="maildir"))
        d = Daemon(w.config, now=QUIET_NOW, env={"NOTIFY_SOCKET": notify.path}).start()
        notify.wait_for(lambda ls: "READY=1" in ls, "READY=1 after the start")
        # Ready means ready: the control socket answers by then.
        check(os.path.exists(sock_path(w)), "the control socket exists at READY=1")
        notify.wait_for(lambda ls: any(l.startswith("STATUS=") for l in ls), "a STATUS= line")
        statuses = [l for l in notify.lines() if l.startswith("STATUS=")]
        check(any(OLD_WAKEUP in l for l in statuses),
              f"STATUS names the next wake-up {OLD_WAKEUP}: {statuses}")
        check(all(len(l) > len("STATUS=") for l in statuses), f"no empty status: {statuses}")

        before = len(notify.lines())
        d.proc.send_signal(signal.SIGHUP)
        d.wait_log(r"reloaded ")
        notify.wait_for(lambda ls: "READY=1" in ls[before:], "READY=1 after the reload")
        after = notify.lines()[before:]
        check("RELOADING=1" in after, f"RELOADING=1 on SIGHUP: {after}")
        check(after.index("RELOADING=1") < after.index("READY=1"),
              f"RELOADING=1 comes before READY=1: {after}")
        mono = [l for l in after if l.startswith("MONOTONIC_USEC=")]
        check(mono and mono[0].split("=", 1)[1].isdigit(), f"MONOTONIC_USEC with it: {after}")

        # A broken config: still RELOADING=1 then READY=1 (the old one runs on).
        before = len(notify.lines())
        save_like_an_editor(w.config, config_text(w, PLAN + OLD_TASK + "\n[nonsense]\n",
                                                  transport="maildir"))
        wait_count(d, r"reload failed", 1)
        notify.wait_for(lambda ls: "READY=1" in ls[before:], "READY=1 after a failed reload")
        after = notify.lines()[before:]
        check("RELOADING=1" in after and after.index("RELOADING=1") < after.index("READY=1"),
              f"RELOADING=1 then READY=1 after a failed reload: {after}")

        before = len(notify.lines())
        check(d.stop() == 0, "clean stop\n" + d.log())
        after = notify.lines()[before:]
        check("STOPPING=1" in after, f"STOPPING=1 on SIGTERM: {after}")
        check("READY=1" not in after, f"no READY=1 while stopping: {after}")
    finally:
        stop_quietly(d)
        notify.close()
        w.cleanup()


def test_sd_notify_watchdog_pings():
    w = Workdir()
    notify = NotifySocket(w.path)
    d = None
    try:
        write_config(w, config_text(w, PLAN + OLD_TASK, transport="maildir"))
        d = Daemon(w.config, now=QUIET_NOW,
                   env={"NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "1000000"}).start()
        notify.wait_for(lambda ls: ls.count("WATCHDOG=1") >= 2, "WATCHDOG=1 pings")
        check(d.stop() == 0, "clean stop\n" + d.log())
    finally:
        stop_quietly(d)
        notify.close()
        w.cleanup()


# ---- 3. the control socket --------------------------------------------------------------

def test_control_socket_mode_status_reschedule():
    w = Workdir()
    d = None
    try:
        # Friday 20/6/2025 09:00: the Quý II task's 14-day reminder is due (missed on 16/6).
        write_config(w, config_text(w, PLAN + OLD_TASK, transport="maildir"))
        d = Daemon(w.config, now="2025-06-20T09:00:00+07:00").start()
        s = wait_idle(w, d)
        mode = stat.S_IMODE(os.stat(sock_path(w)).st_mode)
        check(stat.S_ISSOCK(os.stat(sock_path(w)).st_mode), "a socket")
        check(mode == 0o660, f"socket mode {oct(mode)} (want 0o660)")
        for key in ("state", "now", "next_wakeup", "queue", "in_flight", "sent", "failed",
                    "last_result", "tasks", "occurrences"):
            check(key in s, f"status has no {key}: {s}")
        check(s["state"] == "running", s["state"])
        check(re.fullmatch(r"2025-06-20T09:\d\d:\d\d\+07:00 \(set with --now\)", s["now"]),
              f"now: {s['now']!r}")
        check(s["next_wakeup"] == "2025-06-23T08:00:00+07:00", f"next_wakeup {s['next_wakeup']}")
        check((s["queue"], s["in_flight"], s["sent"], s["failed"]) == ("0", "0", "1", "0"),
              f"counts: {s}")
        check(s["last_result"].startswith("delivered deadlined."), s["last_result"])
        check((s["tasks"], s["occurrences"]) == ("1", "1"), f"tasks/occurrences: {s}")
        check(s["config"] == w.config and s["database"] == w.db, f"paths: {s}")

        p = ctl(w.config, "reschedule", check_rc=0)
        check(fields(p.stdout).get("next_wakeup") == "2025-06-23T08:00:00+07:00",
              f"reschedule answers the next wake-up:\n{p.stdout}")
        check(d.stop() == 0, "clean stop\n" + d.log())
        check(not os.path.exists(sock_path(w)), "the socket is removed at exit")
    finally:
        stop_quietly(d)
        w.cleanup()


def test_send_now_retries_the_queue_at_once():
    w = Workdir()
    smtp = SMTPServer(tempfail=1).start()
    d = None
    try:
        # A retry an hour away: only send-now can make it go now.
        write_config(w, config_text(w, PLAN + OLD_TASK, port=smtp.port, retry_base="1h"))
        d = Daemon(w.config, now="2025-06-20T09:00:00+07:00").start()
        d.wait_log(r"not delivered .*retry at")
        s = eventually(lambda: (lambda s: s and s["queue"] == "1" and s["in_flight"] == "0"
                                and s)(status(w)), 20, lambda: "one deferred message\n" + d.log())
        check(s["last_result"].startswith("deferred "), s["last_result"])
        check(s["next_wakeup"] > "2025-06-20T09:30", f"the retry is later: {s['next_wakeup']}")
        check(smtp.count() == 0, "nothing accepted yet")
        ctl(w.config, "send-now", check_rc=0)
        smtp.wait_for(1)
        s = wait_idle(w, d)
        check((s["sent"], s["queue"], s["failed"]) == ("1", "0", "0"), f"after send-now: {s}")
        check(smtp.data_commands == 2, f"two attempts: {smtp.data_commands}")
        check(d.stop() == 0, "clean stop\n" + d.log())
    finally:
        stop_quietly(d)
        smtp.stop()
        w.cleanup()


def test_a_second_daemon_on_the_same_socket_refuses_to_start():
    w = Workdir()
    d = d2 = None
    try:
        write_config(w, config_text(w, PLAN + OLD_TASK, transport="maildir"))
        d = Daemon(w.config, now=QUIET_NOW).start()
        wait_idle(w, d)
        d2 = Daemon(w.config, now=QUIET_NOW).start()
        rc = d2.proc.wait(30)
        check(rc != 0, f"the second daemon exits with an error, not {rc}\n{d2.log()}")
        check("another deadlined is running" in d2.log(), "it says why\n" + d2.log())
        check(os.path.exists(sock_path(w)), "the first daemon's socket is still there")
        s = status(w)
        check(s and s["state"] == "running", f"the first still answers: {s}")
        check(d.proc.poll() is None, "the first still runs")
        check(d.stop() == 0, "clean stop\n" + d.log())
    finally:
        stop_quietly(d)
        stop_quietly(d2)
        w.cleanup()


# ---- 4. stopping and crashing with a message in flight -------------------------------------

THREE_AGENCIES = (PLAN
                  + task("nv-sct", "Nhiệm vụ của Sở Công Thương", "Sở Công Thương", "Quý II/2025")
                  + task("nv-stc", "Nhiệm vụ của Sở Tài chính", "Sở Tài chính", "Quý II/2025")
                  + task("nv-snv", "Nhiệm vụ của Sở Nội vụ", "Sở Nội vụ", "Quý II/2025"))
THREE_ADDRESSES = {"sct@quangngai.example", "stc@quangngai.example", "snv@quangngai.example"}


def test_sigterm_waits_for_the_smtp_session_in_flight():
    w = Workdir()
    smtp = SlowSMTPServer(delay=30.0, slow_count=1).start()
    d = None
    try:
        write_config(w, config_text(w, PLAN + OLD_TASK, port=smtp.port))
        d = Daemon(w.config, now="2025-06-20T09:00:00+07:00").start()
        check(smtp.in_data.wait(30), "the DATA command began\n" + d.log())
        d.proc.send_signal(signal.SIGTERM)
        d.wait_log(r"stopping")
        time.sleep(1)  # a daemon that did not wait would be gone by now
        check(d.proc.poll() is None, "the daemon waits for the session in flight\n" + d.log())
        smtp.release.set()  # the server's DATA reply, ~2 s after it began
        rc = d.proc.wait(30)
        check(rc == 0, f"exit status {rc}\n{d.log()}")
        check(smtp.count() == 1, f"the message in flight was delivered: {smtp.count()}")
        check(re.search(r"delivered \S+ to sct@quangngai.example", d.log()),
              "the delivery is logged\n" + d.log())
        rows = w.sql("SELECT state, COUNT(*) FROM messages GROUP BY state")
        check(rows == [("sent", 1)], f"recorded sent: {rows}")

        d = Daemon(w.config, now="2025-06-20T09:00:00+07:00").start()
        wait_idle(w, d)
        check(d.stop() == 0, "second stop\n" + d.log())
        check(smtp.count() == 1, f"nothing sent again after the restart: {smtp.count()}")
        check(w.sql("SELECT state, COUNT(*) FROM messages GROUP BY state") == [("sent", 1)],
              "still one message, sent")
    finally:
        smtp.release.set()
        stop_quietly(d)
        smtp.stop()
        w.cleanup()


def test_sigkill_in_flight_resends_at_most_that_message():
    w = Workdir()
    smtp = SlowSMTPServer(delay=30.0, slow_count=1).start()
    d = None
    try:
        write_config(w, config_text(w, THREE_AGENCIES, port=smtp.port))
        d = Daemon(w.config, now="2025-06-20T09:00:00+07:00").start()
        check(smtp.in_data.wait(30), "the DATA command began\n" + d.log())
        d.proc.kill()
        d.proc.wait(20)
        # The server completes its DATA whether or not the client is still there.
        smtp.release.set()
        time.sleep(1)
        first = per_recipient(snapshot(smtp))
        check(sum(first.values()) <= 1, f"at most the held message got through: {first}")

        d = Daemon(w.config, now="2025-06-20T09:00:00+07:00").start()
        eventually(lambda: set(per_recipient(snapshot(smtp))) >= THREE_ADDRESSES, 30,
                   lambda: f"every agency's message: {per_recipient(snapshot(smtp))}\n{d.log()}")
        wait_idle(w, d)
        counts = per_recipient(snapshot(smtp))
        check(set(counts) == THREE_ADDRESSES, f"recipients: {counts}")
        duplicated = [r for r, n in counts.items() if n > 1]
        check(len(duplicated) <= 1 and all(counts[r] <= 2 for r in counts),
              f"only the message in flight may come twice: {counts}")
        if duplicated:
            check(first.get(duplicated[0]) == 1,
                  f"the duplicate is the message that was in flight: {first} / {counts}")
        check(d.stop() == 0, "clean stop\n" + d.log())
        rows = w.sql("SELECT state, COUNT(*) FROM messages GROUP BY state")
        check(rows == [("sent", 3)], f"outbox: {rows}")
        notes = w.sql("SELECT agency, step, state FROM notifications WHERE state != 'skipped'"
                      " ORDER BY agency")
        check(notes == [("sct", "r14", "sent"), ("snv", "r14", "sent"), ("stc", "r14", "sent")],
              f"ledger: {notes}")
    finally:
        smtp.release.set()
        stop_quietly(d)
        smtp.stop()
        w.cleanup()


def test_send_now_during_an_smtp_session_does_not_send_twice():
    """send-now retries the queue; a message the worker is delivering is not in the
    queue but in flight, and must not be handed over a second time."""
    w = Workdir()
    smtp = SlowSMTPServer(delay=30.0, slow_count=1).start()
    d = None
    try:
        write_config(w, config_text(w, PLAN + OLD_TASK, port=smtp.port))
        d = Daemon(w.config, now="2025-06-20T09:00:00+07:00").start()
        check(smtp.in_data.wait(30), "the DATA command began\n" + d.log())
        ctl(w.config, "send-now", check_rc=0)  # answered after its tick
        s = status(w)
        smtp.release.set()
        smtp.wait_for(1)
        wait_idle(w, d)
        counts = per_recipient(snapshot(smtp))
        check(counts == {"sct@quangngai.example": 1},
              f"the message in flight was delivered {counts} time(s); in_flight was "
              f"{s and s['in_flight']} after send-now\n{d.log()}")
        check(count_log(d, r"delivered deadlined\.") == 1, "one delivery logged\n" + d.log())
        check(d.stop() == 0, "clean stop\n" + d.log())
    finally:
        smtp.release.set()
        stop_quietly(d)
        smtp.stop()
        w.cleanup()


def test_a_refused_second_daemon_leaves_the_running_one_alone():
    """The second daemon must find the first before it touches the shared store:
    releasing the first one's in-flight lease makes its next look at the queue
    (any `deadlinectl` command that changes the store pokes it) send it again."""
    w = Workdir()
    smtp = SlowSMTPServer(delay=30.0, slow_count=1).start()
    d = d2 = None
    try:
        write_config(w, config_text(w, PLAN + OLD_TASK, port=smtp.port))
        d = Daemon(w.config, now="2025-06-20T09:00:00+07:00").start()
        check(smtp.in_data.wait(30), "the DATA command began\n" + d.log())
        d2 = Daemon(w.config, now="2025-06-20T09:00:00+07:00").start()
        check(d2.proc.wait(30) != 0 and "another deadlined is running" in d2.log(),
              "the second daemon is refused\n" + d2.log())
        ctl(w.config, "reschedule", check_rc=0)
        s = status(w)  # one more round trip: the wake-up reschedule armed has run
        time.sleep(0.5)
        smtp.release.set()
        smtp.wait_for(1)
        wait_idle(w, d)
        counts = per_recipient(snapshot(smtp))
        check(counts == {"sct@quangngai.example": 1},
              f"the message in flight was delivered {counts} time(s); in_flight was "
              f"{s and s['in_flight']}\n{d.log()}\n--- the second daemon:\n{d2.log()}")
        check(d.stop() == 0, "clean stop\n" + d.log())
    finally:
        smtp.release.set()
        stop_quietly(d)
        stop_quietly(d2)
        smtp.stop()
        w.cleanup()


# ---- 5. sleeping ------------------------------------------------------------------------------

def test_nothing_due_for_days_means_no_wake_ups():
    w = Workdir()
    d = None
    try:
        write_config(w, config_text(w, PLAN + OLD_TASK, transport="maildir"))
        d = Daemon(w.config, now=QUIET_NOW).start()
        s = wait_idle(w, d)
        check(s["next_wakeup"] == OLD_WAKEUP, f"nothing due for four weeks: {s['next_wakeup']}")
        time.sleep(0.5)  # let the status request's own work settle
        pid = d.proc.pid
        before = thread_switches(pid)
        time.sleep(3)
        after = thread_switches(pid)
        check(len(before) >= 1 and set(before) == set(after),
              f"the same threads: {before} / {after}")
        changed = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
        check(not changed, f"threads woke up while nothing was due: {changed}\n{d.log()}")
        check(d.stop() == 0, "clean stop\n" + d.log())
    finally:
        stop_quietly(d)
        w.cleanup()


# ---- 6. the sending policy through the daemon ----------------------------------------------

def test_one_digest_per_agency_overdue_then_soon_then_upcoming():
    w = Workdir()
    smtp = SMTPServer().start()
    d = None
    try:
        extra = (PLAN
                 # due Sunday 15/6: the first escalation is Monday 16/6
                 + task("qua-han", "Nhiệm vụ đã quá hạn", "Sở Công Thương", "15/6/2025")
                 # due Monday 23/6: the 7-day reminder is Monday 16/6
                 + task("sap-den-han", "Nhiệm vụ sắp đến hạn", "Sở Công Thương", "23/6/2025")
                 # due Wednesday 16/7: the 30-day reminder is Monday 16/6
                 + task("sap-toi", "Nhiệm vụ sắp tới", "Sở Công Thương", "16/7/2025")
                 # another agency, same moment
                 + task("stc-7", "Nhiệm vụ của Sở Tài chính", "Sở Tài chính", "23/6/2025"))
        write_config(w, config_text(w, extra, port=smtp.port))
        d = Daemon(w.config, now="2025-06-16T09:00:00+07:00").start()
        smtp.wait_for(2)
        wait_idle(w, d)
        msgs = snapshot(smtp)
        counts = per_recipient(msgs)
        check(counts == {"sct@quangngai.example": 1, "stc@quangngai.example": 1},
              f"one email per agency: {counts}")
        sct = next(m for m in msgs if m.envelope_to == ["sct@quangngai.example"])
        check(str(sct["subject"]) == "[Quá hạn 15/06/2025] 3 nhiệm vụ – Sở Công Thương",
              f"subject: {sct['subject']}")
        body = plain_body(sct)
        heads = ["CÁC NHIỆM VỤ ĐÃ QUÁ THỜI HẠN (1)", "CÁC NHIỆM VỤ SẮP ĐẾN HẠN (1)",
                 "CÁC NHIỆM VỤ CÓ THỜI HẠN TRONG THỜI GIAN TỚI (1)"]
        titles = ["Nhiệm vụ đã quá hạn", "Nhiệm vụ sắp đến hạn", "Nhiệm vụ sắp tới"]
        pos = [body.find(t) for t in heads]
        check(all(p >= 0 for p in pos) and pos == sorted(pos),
              f"sections overdue, soon, upcoming in that order {pos}:\n{body}")
        tpos = [body.find(t) for t in titles]
        check(all(p >= 0 for p in tpos) and tpos == sorted(tpos)
              and pos[0] < tpos[0] < pos[1] < tpos[1] < pos[2] < tpos[2],
              f"each task in its section:\n{body}")
        check("đã quá hạn từ ngày 16/06/2025" in body and "còn 7 ngày" in body
              and "còn 30 ngày" in body, f"overdue since / days left:\n{body}")
        check(d.stop() == 0, "clean stop\n" + d.log())
    finally:
        stop_quietly(d)
        smtp.stop()
        w.cleanup()


def test_a_done_task_gets_no_more_mail():
    w = Workdir()
    d = None
    try:
        extra = (PLAN + task("xong", "Nhiệm vụ đã hoàn thành", "Sở Công Thương", "Quý II/2025")
                 + task("con", "Nhiệm vụ còn mở", "Sở Tài chính", "Quý III/2025"))
        write_config(w, config_text(w, extra, transport="maildir"))
        d = Daemon(w.config, now=QUIET_NOW).start()
        s = wait_idle(w, d)
        check(s["next_wakeup"] == OLD_WAKEUP, f"the Quý II reminder first: {s['next_wakeup']}")
        p = ctl(w.config, "progress", "KH-TEST:xong", "done", check_rc=0)
        check("done" in p.stdout, p.stdout)
        p = ctl(w.config, "reschedule", check_rc=0)
        s = eventually(lambda: (lambda s: s and s["next_wakeup"] == "2025-08-29T08:00:00+07:00"
                                and s)(status(w)), 20,
                       lambda: f"the next wake-up is the open task's: {status(w)}\n{d.log()}")
        check(d.stop() == 0, "clean stop\n" + d.log())
        # Its reminders and escalations would all have come by the end of July.
        d = Daemon(w.config, now="2025-07-31T09:00:00+07:00").start()
        wait_idle(w, d)
        check(d.stop() == 0, "clean stop\n" + d.log())
        subjects = [str(m["subject"]) for m in w.maildir_messages()]
        check(not any("Nhiệm vụ đã hoàn thành" in s for s in subjects),
              f"no mail for the done task: {subjects}")
        rows = w.sql("SELECT COUNT(*) FROM notifications n JOIN occurrences o ON"
                     " o.id = n.occurrence_id JOIN tasks t ON t.id = o.task_id"
                     " WHERE t.key = 'xong'")
        check(rows == [(0,)], f"nothing in the ledger for it: {rows}")
    finally:
        stop_quietly(d)
        w.cleanup()


def test_a_waiting_task_gets_reminders_but_no_escalation():
    w = Workdir()
    d = None
    try:
        extra = (PLAN + task("cho", "Nhiệm vụ chờ hướng dẫn của Bộ", "Sở Công Thương",
                             "Quý II/2025")
                 + task("mo", "Nhiệm vụ đang mở", "Sở Tài chính", "Quý II/2025"))
        write_config(w, config_text(w, extra, transport="maildir"))
        sync_store(w, QUIET_NOW)
        ctl(w.config, "progress", "KH-TEST:cho", "waiting", check_rc=0)
        # Monday 30/6: the last day. Both get the reminder.
        d = Daemon(w.config, now="2025-06-30T09:00:00+07:00").start()
        wait_idle(w, d)
        check(d.stop() == 0, "clean stop\n" + d.log())
        seen = {m["message-id"] for m in w.maildir_messages()}
        first = [(recipients_of(m), str(m["subject"])) for m in w.maildir_messages()]
        check(sorted(first) == [(["sct@quangngai.example"],
                                 "[Sắp đến hạn 30/06/2025] Nhiệm vụ chờ hướng dẫn của Bộ"),
                                (["stc@quangngai.example"],
                                 "[Sắp đến hạn 30/06/2025] Nhiệm vụ đang mở")],
              f"reminders on the last day: {first}")
        # Monday 7/7: the open task is escalated to its lead and the monitor; the
        # waiting one is not.
        d = Daemon(w.config, now="2025-07-07T09:00:00+07:00").start()
        wait_idle(w, d)
        check(d.stop() == 0, "clean stop\n" + d.log())
        new = [m for m in w.maildir_messages() if m["message-id"] not in seen]
        later = [(recipients_of(m), str(m["subject"])) for m in new]
        check(any(s.startswith("[Quá hạn ") and "Nhiệm vụ đang mở" in s for _, s in later),
              f"the open task is escalated: {later}")
        check(not any("Nhiệm vụ chờ hướng dẫn" in s for _, s in later),
              f"no escalation for the waiting task: {later}")
        for m in new:
            check("Nhiệm vụ chờ hướng dẫn" not in plain_body(m),
                  f"the waiting task in an escalation body:\n{plain_body(m)}")
    finally:
        stop_quietly(d)
        w.cleanup()


def test_an_extended_deadline_is_announced_as_extended():
    w = Workdir()
    smtp = SMTPServer().start()
    d = None
    try:
        title = "Khảo sát mức độ chuyển đổi số doanh nghiệp"
        write_config(w, config_text(w, PLAN + task("gia-han", title, "Sở Công Thương",
                                                   "Quý II/2025"), port=smtp.port))
        # Monday 30/6/2025, the last day: the reminder of the day.
        d = Daemon(w.config, now="2025-06-30T09:00:00+07:00").start()
        msgs = smtp.wait_for(1)
        wait_idle(w, d)
        check(str(msgs[0]["subject"]) == f"[Sắp đến hạn 30/06/2025] {title}",
              f"before: {msgs[0]['subject']}")
        p = ctl(w.config, "extend", "KH-TEST:gia-han", "2025-07-07", check_rc=0)
        check("2025-07-07" in p.stdout, p.stdout)
        # The new deadline's 7-day reminder is today, but Sở Công Thương has had
        # its message today: it waits for the next working day.
        d.wait_log(r"1 notification waits? for the next day|wait for the next day")
        wait_idle(w, d)
        check(smtp.count() == 1, f"a second message the same day: {smtp.count()}")
        s = d.status()
        check(s["next_wakeup"] == "2025-07-01T08:00:00+07:00", f"next wake-up {s}")
        check(d.stop() == 0, "clean stop\n" + d.log())
        # On 1/7: that reminder; the old deadline has passed but no longer counts.
        d = Daemon(w.config, now="2025-07-01T09:00:00+07:00").start()
        msgs = smtp.wait_for(2)
        wait_idle(w, d)
        m = msgs[1]
        check(str(m["subject"]) == f"[Sắp đến hạn 07/07/2025] {title}",
              f"the new deadline in the subject: {m['subject']}")
        body = plain_body(m)
        check("Đã được gia hạn" in body and "30/06/2025" in body,
              f"the body says it was extended, from 30/06/2025:\n{body}")
        check("07/07/2025" in body and "còn 6 ngày" in body, f"the new deadline:\n{body}")
        check("quá hạn" not in body, f"the old deadline is no longer overdue:\n{body}")
        check(d.stop() == 0, "clean stop\n" + d.log())
        check(smtp.count() == 2, f"no escalation of the old deadline: "
              f"{[str(x['subject']) for x in snapshot(smtp)]}")
    finally:
        stop_quietly(d)
        smtp.stop()
        w.cleanup()


HOLIDAY_TASKS = (PLAN
                 # Thursday 8/5/2025: the 7-day reminder would be 1/5 (and 30/4 before it)
                 + task("le-304", "Báo cáo sau lễ 30/4", "Sở Công Thương", "8/5/2025")
                 # Tuesday 9/9/2025: the 7-day reminder would be 2/9 (1/9 is its partner)
                 + task("le-29", "Báo cáo sau Quốc khánh", "Sở Tài chính", "9/9/2025")
                 # Tuesday 29/4/2025: the first escalation would be 30/4
                 + task("qh-304", "Nhiệm vụ hạn trước lễ 30/4", "Sở Nội vụ", "29/4/2025")
                 # Sunday 31/8/2025: the first escalation would be Monday 1/9
                 + task("qh-29", "Nhiệm vụ hạn cuối tháng 8", "Sở Tư pháp", "31/8/2025"))


def test_holidays_move_reminders_earlier_and_escalations_later():
    w = Workdir()
    d = None
    try:
        write_config(w, config_text(w, HOLIDAY_TASKS, transport="maildir"))
        sync_store(w, "2025-03-03T09:00:00+07:00")
        mails = preview(w, "2025-03-03", "2025-09-30")

        def send_at(ref, step):
            found = [m["send_at"] for m in mails for it in m["items"]
                     if it["ref"] == ref and it["step"] == step and it["role"] in ("lead",)]
            check(len(found) == 1, f"{ref} {step}: {found}")
            return found[0]

        got = {
            ("le-304", "r7"): send_at("KH-TEST:le-304", "r7"),
            ("le-29", "r7"): send_at("KH-TEST:le-29", "r7"),
            ("qh-304", "e1"): send_at("KH-TEST:qh-304", "e1"),
            ("qh-29", "e1"): send_at("KH-TEST:qh-29", "e1"),
        }
        want = {
            ("le-304", "r7"): "2025-04-29T08:00:00+07:00",  # Tuesday before 30/4-1/5
            ("le-29", "r7"): "2025-08-29T08:00:00+07:00",   # Friday before 1/9-2/9
            ("qh-304", "e1"): "2025-05-02T08:00:00+07:00",  # Friday after 30/4-1/5
            ("qh-29", "e1"): "2025-09-03T08:00:00+07:00",   # Wednesday after 1/9-2/9
        }
        check(got == want, f"send_at: {got}\nwant: {want}")
        holidays = ("2025-04-30", "2025-05-01", "2025-09-01", "2025-09-02")
        on_holidays = [m for m in mails if m["send_at"][:10] in holidays]
        check(not on_holidays, f"mail planned on a holiday: {on_holidays}")

        # The daemon agrees: nothing on 30/4, the escalation on Friday 2/5.
        # (the 7-day reminder of 29/4 was missed: it is caught up at the next opening)
        d = Daemon(w.config, now="2025-04-30T09:00:00+07:00").start()
        s = wait_idle(w, d)
        check(s["next_wakeup"].startswith("2025-05-02T"),
              f"on the holiday the next wake-up is {s['next_wakeup']}")
        check(d.stop() == 0, "clean stop\n" + d.log())
        check(not w.maildir_messages(), "nothing is sent on 30/4")
        d = Daemon(w.config, now="2025-05-02T08:00:00+07:00").start()
        wait_idle(w, d)
        check(d.stop() == 0, "clean stop\n" + d.log())
        got = sorted((recipients_of(m)[0], str(m["subject"])) for m in w.maildir_messages())
        check(got == [("sct@quangngai.example", "[Sắp đến hạn 08/05/2025] Báo cáo sau lễ 30/4"),
                      ("snv@quangngai.example", "[Quá hạn 29/04/2025] Nhiệm vụ hạn trước lễ 30/4")],
              f"on Friday 2/5: the escalation and the caught-up reminder: {got}")
    finally:
        stop_quietly(d)
        w.cleanup()


OLD_PLAN_FILE = (
    "TT\tNhiệm vụ\tChủ trì\tPhối hợp\tThời gian\n"
    "1\tXây dựng cơ sở dữ liệu ngành công thương\tSở Công Thương\t\tNăm 2022\n"
    "2\tTriển khai hệ thống quản lý văn bản điện tử\tSở Công Thương\t\tQuý II/2023\n"
    "3\tSố hóa hồ sơ lưu trữ\tSở Công Thương\t\tTháng 9/2023\n"
    "4\tĐào tạo kỹ năng số cho cán bộ\tSở Nội vụ\t\tQuý IV/2023\n")


def test_an_old_plan_imported_late_gives_one_summary_not_a_flood():
    w = Workdir()
    smtp = SMTPServer().start()
    d = None
    try:
        write_config(w, config_text(w, "", port=smtp.port))
        d = Daemon(w.config, now="2025-06-16T09:00:00+07:00").start()
        wait_idle(w, d)
        plan = w.file("ke-hoach-cu.txt", OLD_PLAN_FILE)
        p = ctl(w.config, "import", "--plan-id", "KH-CU", "--title", "Kế hoạch cũ",
                "--issued", "2022-01-10", "--period", "2022-2023", plan, check_rc=0)
        check("4 new" in p.stdout, p.stdout)
        # lead (sct, snv), monitor (skhcn), supervisor (ubnd): one message each
        msgs = smtp.wait_for(4)
        wait_idle(w, d)
        time.sleep(1)
        msgs = snapshot(smtp)
        counts = per_recipient(msgs)
        check(counts == {"sct@quangngai.example": 1, "snv@quangngai.example": 1,
                         "skhcn@quangngai.example": 1, "ubnd@quangngai.example": 1},
              f"one summary per agency: {counts}")
        for m in msgs:
            check(re.match(r"\[Quá hạn 31/12/202[23]\] ", str(m["subject"])),
                  f"a catch-up, overdue by its dates: {m['subject']}")
            check("lẽ ra đã được nhắc trước đó" in plain_body(m),
                  f"a catch-up says so:\n{plain_body(m)}")
        sct = next(m for m in msgs if m.envelope_to == ["sct@quangngai.example"])
        check(str(sct["subject"]) == "[Quá hạn 31/12/2022] 3 nhiệm vụ – Sở Công Thương",
              f"sct's summary: {sct['subject']}")
        body = plain_body(sct)
        for title in ("Xây dựng cơ sở dữ liệu ngành công thương",
                      "Triển khai hệ thống quản lý văn bản điện tử", "Số hóa hồ sơ lưu trữ"):
            check(body.count(title) == 1, f"{title} once in the summary:\n{body}")
        skhcn = next(m for m in msgs if m.envelope_to == ["skhcn@quangngai.example"])
        check(str(skhcn["subject"]) ==
              "[Quá hạn 31/12/2022] 4 nhiệm vụ – Sở Khoa học và Công nghệ",
              f"the monitor's summary: {skhcn['subject']}")
        check(d.stop() == 0, "clean stop\n" + d.log())
        # And again later: the summaries are in the ledger, nothing repeats.
        d = Daemon(w.config, now="2025-06-16T10:00:00+07:00").start()
        wait_idle(w, d)
        check(d.stop() == 0, "clean stop\n" + d.log())
        check(smtp.count() == 4, f"no more mail after a restart: {smtp.count()}")
    finally:
        stop_quietly(d)
        smtp.stop()
        w.cleanup()


def test_tet_of_next_year_missing_tells_the_admin_in_october():
    w = Workdir()
    d = None
    try:
        # The harness's [calendar] lists Tết 2025, 2026 and 2027, not 2028.
        write_config(w, config_text(w, "", transport="maildir"))
        d = Daemon(w.config, now="2027-09-20T09:00:00+07:00").start()
        s = wait_idle(w, d)
        check(s["next_wakeup"].startswith("2027-10-01T"),
              f"in September the daemon wakes up on 1 October: {s['next_wakeup']}")
        check(not w.maildir_messages(), "no notice in September")
        check(d.stop() == 0, "clean stop\n" + d.log())

        d = Daemon(w.config, now="2027-10-04T09:00:00+07:00").start()
        d.wait_log(r"calendar: .*Tết 2028")
        wait_idle(w, d)
        msgs = eventually(lambda: w.maildir_messages(), 20, "the admin notice")
        check(len(msgs) == 1, f"one notice: {[str(m['subject']) for m in msgs]}")
        m = msgs[0]
        check(str(m["subject"]) == "[deadlined] Lịch nghỉ Tết chưa được khai báo",
              f"subject: {m['subject']}")
        check(recipients_of(m) == ["quantri@quangngai.example"], f"to: {recipients_of(m)}")
        body = plain_body(m)
        check("2028" in body and "holiday = 2028-" in body, f"the body says what to add:\n{body}")
        check(re.search(r"warn|calendar: Tết 2028", d.log()), "a log warning\n" + d.log())
        check(d.stop() == 0, "clean stop\n" + d.log())

        d = Daemon(w.config, now="2027-10-05T09:00:00+07:00").start()
        wait_idle(w, d)
        check(d.stop() == 0, "clean stop\n" + d.log())
        check(len(w.maildir_messages()) == 1, "told once, not every day")
    finally:
        stop_quietly(d)
        w.cleanup()


# ---- 7. preview is the daemon ------------------------------------------------------------

PREVIEW_TASKS = (PLAN
                 + task("p-qua-han", "Nhiệm vụ quá hạn một ngày", "Sở Công Thương", "15/6/2025",
                        coordinating="Sở Tài chính")
                 + task("p-7", "Nhiệm vụ còn bảy ngày", "Sở Công Thương", "23/6/2025",
                        coordinating="Sở Tư pháp")
                 + task("p-30", "Nhiệm vụ còn ba mươi ngày", "Sở Nội vụ", "16/7/2025",
                        coordinating="Sở Công Thương")
                 + task("p-quy", "Nhiệm vụ quý hai", "Sở Y tế", "Quý II/2025")
                 + task("p-sau", "Nhiệm vụ chưa đến lượt nhắc", "Sở Tư pháp", "Quý IV/2025"))
PREVIEW_NOW = "2025-06-16T08:00:00+07:00"


def _preview_vs_daemon(w, smtp, mails):
    at_now = [m for m in mails if m["send_at"] == PREVIEW_NOW]
    check(at_now, f"preview lists mail at {PREVIEW_NOW}: {mails}")
    d = Daemon(w.config, now=PREVIEW_NOW).start()
    try:
        smtp.wait_for(len(at_now))
        wait_idle(w, d)
        time.sleep(1)
    finally:
        check(d.stop() == 0, "clean stop\n" + d.log())
    sent = snapshot(smtp)
    got = sorted((tuple(sorted(m.envelope_to)), str(m["subject"])) for m in sent)
    want = sorted((tuple(sorted(m["to"] + m["cc"])), m["subject"]) for m in at_now)
    check(got == want, f"the daemon sent\n{got}\npreview said\n{want}\n{d.log()}")
    # The items: each message's ledger rows are the preview's items.
    rows = w.sql("SELECT m.recipient, t.key, n.step, n.agency FROM messages m"
                 " JOIN notifications n ON n.message = m.id"
                 " JOIN occurrences o ON o.id = n.occurrence_id"
                 " JOIN tasks t ON t.id = o.task_id")
    got_items = sorted(rows)
    want_items = sorted((m["recipient"], it["ref"].split(":", 1)[1], it["step"], it["agency"])
                        for m in at_now for it in m["items"])
    check(got_items == want_items, f"items sent\n{got_items}\npreview said\n{want_items}")
    for m in sent:
        body = plain_body(m)
        pm = next(p for p in at_now if p["subject"] == str(m["subject"])
                  and sorted(p["to"] + p["cc"]) == sorted(m.envelope_to))
        for it in pm["items"]:
            check(it["task"] in body, f"{it['task']} in the body to {m.envelope_to}:\n{body}")


def test_preview_lists_what_the_daemon_sends():
    w = Workdir()
    smtp = SMTPServer().start()
    try:
        write_config(w, config_text(w, PREVIEW_TASKS, port=smtp.port))
        # The INI tasks into the store, at an instant where nothing is due.
        sync_store(w, "2025-06-14T09:00:00+07:00")
        check(smtp.count() == 0, "nothing sent on a Saturday")
        mails = preview(w, "2025-06-16T08:00:00+07:00", "2025-06-17T08:00:00+07:00")
        _preview_vs_daemon(w, smtp, mails)
    finally:
        smtp.stop()
        w.cleanup()


def test_preview_of_a_fresh_config_lists_what_the_daemon_sends():
    """Before the daemon ever ran, preview must already know the INI tasks: it is how
    an admin checks a new config."""
    w = Workdir()
    smtp = SMTPServer().start()
    try:
        write_config(w, config_text(w, PREVIEW_TASKS, port=smtp.port))
        mails = preview(w, "2025-06-16T08:00:00+07:00", "2025-06-17T08:00:00+07:00")
        _preview_vs_daemon(w, smtp, mails)
    finally:
        smtp.stop()
        w.cleanup()


if __name__ == "__main__":
    import sys
    only = sys.argv[1:]  # name fragments: run only the matching tests
    run_tests([t for t in [
        test_sighup_with_a_broken_config_keeps_the_previous_one,
        test_a_file_saved_over_the_config_is_reloaded_by_itself,
        test_a_task_removed_from_the_config_is_no_longer_scheduled,
        test_deadlinectl_reload_reports_errors_and_its_exit_status,
        test_deadlinectl_reaches_the_daemon_while_the_file_on_disk_is_broken,
        test_sd_notify_ready_status_reloading_stopping,
        test_sd_notify_watchdog_pings,
        test_control_socket_mode_status_reschedule,
        test_send_now_retries_the_queue_at_once,
        test_a_second_daemon_on_the_same_socket_refuses_to_start,
        test_sigterm_waits_for_the_smtp_session_in_flight,
        test_sigkill_in_flight_resends_at_most_that_message,
        test_send_now_during_an_smtp_session_does_not_send_twice,
        test_a_refused_second_daemon_leaves_the_running_one_alone,
        test_nothing_due_for_days_means_no_wake_ups,
        test_one_digest_per_agency_overdue_then_soon_then_upcoming,
        test_a_done_task_gets_no_more_mail,
        test_a_waiting_task_gets_reminders_but_no_escalation,
        test_an_extended_deadline_is_announced_as_extended,
        test_holidays_move_reminders_earlier_and_escalations_later,
        test_an_old_plan_imported_late_gives_one_summary_not_a_flood,
        test_tet_of_next_year_missing_tells_the_admin_in_october,
        test_preview_lists_what_the_daemon_sends,
        test_preview_of_a_fresh_config_lists_what_the_daemon_sends,
    ] if not only or any(o in t.__name__ for o in only)])
