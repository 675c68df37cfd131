"""Locks: another writer holding the store while results come back, and a
second daemon reaching the same database by another path.

A writer (here Python's sqlite3, as a long `deadlinectl import` would) holds
the store with BEGIN IMMEDIATE while the server answers messages: the daemon
keeps the results in memory, hands nothing over again, keeps answering
`deadlinectl status`, and records everything once the lock is gone; nobody
gets a message twice. `make test` holds the lock for 12 s (longer than the
SMTP timeout, so a session waiting to send is given up and resumed);
`make test-long` for 30 s."""
import collections
import os
import re
import shutil
import sqlite3
import time

from harness import (MANY_NOW, Daemon, SlowSMTPServer, Workdir, check, ctl, eventually,
                     long_mode, many_addresses, many_agencies, run_tests)

HOLD = 30 if long_mode() else 12
AGENCIES = 20


def per_recipient(smtp):
    with smtp.lock:
        return collections.Counter(r for m in smtp.messages for r in m.envelope_to)


def hold_the_store(path):
    """A write lock taken as another program would: BEGIN IMMEDIATE, kept open."""
    db = sqlite3.connect(path, timeout=10, isolation_level=None)
    db.execute("BEGIN IMMEDIATE")
    return db


def test_results_wait_for_a_writer_that_holds_the_store_and_nothing_is_sent_twice():
    w = Workdir()
    smtp = SlowSMTPServer(delay=120.0, slow_count=1).start()  # holds the first answer
    d = db = None
    try:
        w.write_config(many_agencies(AGENCIES), port=smtp.port)
        d = Daemon(w.config, now=MANY_NOW).start()
        check(smtp.in_data.wait(30), "a message's data reached the server\n" + d.log())
        db = hold_the_store(w.db)
        taken = time.monotonic()
        smtp.release.set()  # its answer now comes back while the store is locked
        d.wait_log(r"recording \d+ results?: .*locked.*; they wait in memory", 30)
        # The daemon goes on answering, and a send-now hands nothing over twice.
        answered = 0
        check(ctl(w.config, "send-now").returncode == 0, "send-now during the lock")
        while time.monotonic() - taken < HOLD:
            s = d.status()
            check(s and s["state"] == "running", f"status during the lock: {s}\n{d.log()}")
            answered += 1
            time.sleep(0.5)  # paces the status calls; the lock's length is the test's
        during = sum(per_recipient(smtp).values())
        db.rollback()
        db.close()
        db = None
        eventually(lambda: sum(per_recipient(smtp).values()) >= AGENCIES, 60,
                   lambda: f"every agency's message\n{d.log()}")
        d.wait_idle(60)
        check(d.stop() == 0, "clean stop\n" + d.log())
        counts = per_recipient(smtp)
        twice = {r: n for r, n in counts.items() if n > 1}
        print(f"# store held {HOLD} s: {during} of {AGENCIES} delivered meanwhile, "
              f"status answered {answered} times, {len(twice)} duplicates", flush=True)
        check(set(counts) == many_addresses(AGENCIES), f"recipients: {sorted(counts)}")
        check(not twice, f"sent twice: {twice}\n{d.log()}")
        rows = w.sql("SELECT state, COUNT(*) FROM messages GROUP BY state")
        check(rows == [("sent", AGENCIES)], f"outbox: {rows}")
        check(w.sql("SELECT COUNT(*) FROM messages WHERE attempts != 1") == [(0,)],
              f"attempts: {w.sql('SELECT message_id, attempts FROM messages')}")
    finally:
        smtp.release.set()
        if db:
            db.close()
        if d and d.proc.poll() is None:
            d.stop()
        smtp.stop()
        w.cleanup()


def second_config(w, db_path, name):
    """The first config with another control socket and another path to the database."""
    with open(w.config, encoding="utf-8") as f:
        text = f.read()
    text = re.sub(r"(?m)^database = .*$", f"database = {db_path}", text)
    text = re.sub(r"(?m)^control_socket = .*$",
                  f"control_socket = {os.path.join(w.path, name + '.sock')}", text)
    path = os.path.join(w.path, name + ".ini")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def test_a_second_daemon_on_the_same_database_by_another_path_refuses_to_start():
    """A symlink, a hard link and a path through '..' all name the same file."""
    w = Workdir()
    d = None
    try:
        w.write_config(many_agencies(2), transport="maildir")
        d = Daemon(w.config, now="2025-05-02T09:00:00+07:00").start()
        d.wait_idle()
        os.makedirs(os.path.join(w.path, "sub"))
        os.symlink(w.db, os.path.join(w.path, "link.db"))
        os.link(w.db, os.path.join(w.path, "hard.db"))
        paths = {"symlink": os.path.join(w.path, "link.db"),
                 "hard": os.path.join(w.path, "hard.db"),
                 "dotdot": os.path.join(w.path, "sub", "..", "deadlined.db")}
        for name, path in paths.items():
            other = Daemon(second_config(w, path, name), now="2025-05-02T09:00:00+07:00")
            other.start()
            rc = other.proc.wait(30)
            check(rc != 0 and "another deadlined is running on this database" in other.log(),
                  f"{name}: the second daemon ran (exit {rc}):\n{other.log()}")
        s = d.status()
        check(s and s["state"] == "running", f"the first still answers: {s}")
        check(d.stop() == 0, "clean stop\n" + d.log())
    finally:
        if d and d.proc.poll() is None:
            d.stop()
        shutil.rmtree(w.path, ignore_errors=True)


if __name__ == "__main__":
    run_tests([test_results_wait_for_a_writer_that_holds_the_store_and_nothing_is_sent_twice,
               test_a_second_daemon_on_the_same_database_by_another_path_refuses_to_start])
