"""kill -9 while the daemon delivers: nothing is lost, and each kill
duplicates at most the message that was in flight in each session.

The daemon delivers one reminder to each of a few hundred agencies, to a
real aiosmtpd server (or into the Maildir), and is killed with SIGKILL at
random moments, restarted each time, until everything has gone out. The
arrivals between two starts form an "epoch"; a message arriving again is a
duplicate, charged to the kill that ended the epoch of its previous copy
(that copy was in doubt then: answered, not yet recorded; a resent message
may be in doubt again at the next kill). The last epoch ends with a clean
stop and may cause none. The figures are printed as TAP
comments.

`make test` kills 5 times; `make test-long` 50 times. The seed is printed:
DEADLINED_CRASH_SEED=N reproduces a run."""
import collections
import os
import random
import re
import time

from harness import (MANY_NOW, Daemon, SMTPServer, Workdir, check, eventually, long_mode,
                     many_addresses, many_agencies, run_tests)

LONG = long_mode()
KILLS = 50 if LONG else 5
AGENCIES = 600 if LONG else 200
STEP = 8 if LONG else 25  # at most this many arrivals between a start and its kill
SEED = int(os.environ.get("DEADLINED_CRASH_SEED", random.SystemRandom().randrange(1 << 30)))


class Arrivals:
    """Recipients in the order their messages arrived, at the server or in the Maildir."""

    def __init__(self, smtp=None, maildir=None):
        self.smtp = smtp
        self.maildir = maildir
        self.files = {}  # Maildir file name -> recipient, in the order first seen

    def __call__(self):
        if self.smtp:
            with self.smtp.lock:
                return [r for m in self.smtp.messages for r in m.envelope_to]
        new = os.path.join(self.maildir, "new")
        names = sorted(os.listdir(new)) if os.path.isdir(new) else []
        for name in names:
            if name not in self.files:
                with open(os.path.join(new, name), "rb") as f:
                    head = f.read().split(b"\n\n", 1)[0].decode("ascii", "replace")
                to = re.search(r"^To:.*?<([^>]+)>", head, re.M | re.S)
                self.files[name] = to.group(1) if to else "?"
        return list(self.files.values())

    def count(self):
        if self.smtp:
            return self.smtp.count()
        new = os.path.join(self.maildir, "new")
        return len(os.listdir(new)) if os.path.isdir(new) else 0

    def settled(self):
        """The arrivals once nothing more comes (a dead client's last message may
        still be in the server's hands): stable across three looks."""
        looks = []

        def stable():
            looks.append(len(self()))
            return len(looks) >= 3 and looks[-1] == looks[-2] == looks[-3]
        eventually(stable, 10, "the arrivals to settle")
        return self()


def unsent(w, agencies):
    """Messages not yet recorded as sent (all of them before the first planning)."""
    if not os.path.exists(w.db):
        return agencies
    try:
        return agencies - w.sql("SELECT COUNT(*) FROM messages WHERE state = 'sent'")[0][0]
    except Exception:  # the daemon has not created its tables yet
        return agencies


def crash_run(transport, connections, kills=KILLS, agencies=AGENCIES, seed=SEED):
    """Kills and restarts the daemon `kills` times while it delivers; returns
    (arrivals, duplicates per epoch, kills that hit a daemon with mail still to send)."""
    rng = random.Random(seed)
    w = Workdir()
    smtp = SMTPServer(data_delay=0.01).start() if transport == "smtp" else None
    arrivals = Arrivals(smtp=smtp, maildir=w.maildir)
    d = None
    try:
        w.write_config(many_agencies(agencies), transport=transport,
                       port=smtp.port if smtp else 25,
                       smtp_extra=f"connections = {connections}")
        epochs, before, busy_kills = [], [], 0
        for _ in range(kills):
            # A random moment: after 0 to STEP more arrivals (0: at start-up).
            target = arrivals.count() + rng.randint(0, STEP)
            d = Daemon(w.config, now=MANY_NOW).start()
            while arrivals.count() < target and unsent(w, agencies) != 0 and d.proc.poll() is None:
                time.sleep(0.002)
            busy_kills += unsent(w, agencies) != 0
            d.proc.kill()
            d.proc.wait(20)
            now = arrivals.settled()
            epochs.append(now[len(before):])
            before = now
        d = Daemon(w.config, now=MANY_NOW).start()
        eventually(lambda: unsent(w, agencies) == 0, 120,
                   lambda: f"every message sent; {unsent(w, agencies)} left\n{d.log()}")
        d.wait_idle(60)
        check(d.stop() == 0, "clean stop\n" + d.log())
        d = None
        now = arrivals.settled()
        epochs.append(now[len(before):])
        states = w.sql("SELECT state, COUNT(*) FROM messages GROUP BY state")
        notes = w.sql("SELECT state, COUNT(*) FROM notifications WHERE state != 'skipped'"
                      " GROUP BY state")
        check(states == [("sent", agencies)], f"outbox: {states}")
        check(notes == [("sent", agencies)], f"ledger: {notes}")
        # A copy arriving again is charged to the kill that ended the epoch of the
        # copy before it: that one was in doubt (answered, not recorded) then.
        dups, last = [0] * len(epochs), {}
        for j, e in enumerate(epochs):
            for r in e:
                if r in last:
                    dups[last[r]] += 1
                last[r] = j
        counts = collections.Counter(now)
        lost = many_addresses(agencies) - set(counts)
        print(f"# {transport}, connections = {connections}, seed {seed}: {kills} kills "
              f"({busy_kills} with mail still to send), {agencies} notifications, "
              f"{len(counts)} agencies reached, {len(lost)} lost, {sum(dups)} duplicates "
              f"(at most {max(dups)} for one kill; per kill: {dups[:-1]})", flush=True)
        check(not lost, f"never delivered: {sorted(lost)[:10]}")
        check(busy_kills >= kills * 0.8, f"only {busy_kills} of {kills} kills hit a "
              "daemon with mail to send: the portfolio is too small for the kills")
        return dups
    finally:
        if d and d.proc.poll() is None:
            d.proc.kill()
        if smtp:
            smtp.stop()
        w.cleanup()


def test_kill_9_while_delivering_by_smtp_duplicates_at_most_one_message_per_kill():
    dups = crash_run("smtp", connections=1)
    check(dups[-1] == 0, f"duplicates after a clean stop: {dups}")
    check(max(dups) <= 1, f"a kill duplicated more than the message in flight: {dups}")


def test_kill_9_with_parallel_sessions_duplicates_at_most_one_message_per_session():
    dups = crash_run("smtp", connections=3, kills=max(KILLS // 2, 3))
    check(dups[-1] == 0, f"duplicates after a clean stop: {dups}")
    check(max(dups) <= 3, f"a kill duplicated more than one message per session: {dups}")


def test_kill_9_while_writing_the_maildir_duplicates_at_most_one_file_per_kill():
    dups = crash_run("maildir", connections=1)
    check(dups[-1] == 0, f"duplicates after a clean stop: {dups}")
    check(max(dups) <= 1, f"a kill duplicated more than the file being written: {dups}")


if __name__ == "__main__":
    run_tests([test_kill_9_while_delivering_by_smtp_duplicates_at_most_one_message_per_kill,
               test_kill_9_with_parallel_sessions_duplicates_at_most_one_message_per_session,
               test_kill_9_while_writing_the_maildir_duplicates_at_most_one_file_per_kill])
