"""Replies read from a hosted mailbox over IMAP: a real Dovecot on
127.0.0.1 holds the agency's reply, the daemon polls it (libcurl), records
it once, marks it \\Seen only after the commit and keeps its cursor
(UIDVALIDITY and the last UID) in the store, across restarts. TLS is
verified: with the server's CA the mailbox is read, without it nothing is."""
import os
import re

import mailin
from harness import Daemon, SMTPServer, Workdir, check, ctl, eventually, plain_body, run_tests

NOW = "2025-06-20T09:00:00+07:00"
TASKS = """\
[plan KH-TEST]
title = Kế hoạch thử nghiệm nhắc việc
period = 2025-2025

[task khao-sat]
plan = KH-TEST
title = Khảo sát mức độ chuyển đổi số doanh nghiệp
lead = Sở Công Thương
timeframe = Quý II/2025
"""
SCT = "Sở Công Thương <sct@quangngai.example>"


class Setup:
    def __init__(self, tls=False, ca=True, password=None):
        self.w = Workdir()
        self.smtp = SMTPServer().start()
        self.dovecot = self.d = None
        try:
            self.prepare(tls, ca, password)
        except BaseException:
            self.cleanup()
            raise

    def prepare(self, tls, ca, password):
        self.dovecot = mailin.Dovecot(tls=tls).start()
        cert = self.dovecot.cert
        pw = self.w.file("imap-password", (password or self.dovecot.password) + "\n", mode=0o600)
        url = (f"imaps://127.0.0.1:{self.dovecot.tls_port}/INBOX" if tls
               else f"imap://127.0.0.1:{self.dovecot.port}/INBOX")
        self.url = url
        extra = (f"\n[inbox]\nurl = {url}\nuser = {self.dovecot.user}\npassword_file = {pw}\n"
                 f"interval = 1s\n" + (f"ca_file = {cert[0]}\n" if tls and ca else ""))
        self.w.write_config(TASKS + extra, port=self.smtp.port)
        self.start()
        self.smtp.wait_for(1)

    def start(self):
        self.d = Daemon(self.w.config, now=NOW).start()
        self.d.wait_log(r"started: ")

    def digest(self):
        return self.smtp.messages[0]

    def inbound(self):
        return self.w.sql("SELECT id, source, kind, state FROM inbound ORDER BY id")

    def wait_inbound(self, n):
        return eventually(lambda: len(self.inbound()) >= n and self.inbound(), 30,
                          lambda: f"{n} message(s) recorded\n{self.d.log()}")

    def cursor(self):
        rows = self.w.sql("SELECT value FROM meta WHERE key LIKE 'imap_cursor %'")
        return rows[0][0] if rows else None

    def cleanup(self):
        try:
            if self.d and self.d.proc.poll() is None:
                self.d.stop()
        finally:
            self.smtp.stop()
            if self.dovecot:
                self.dovecot.cleanup()
            self.w.cleanup()


def test_a_reply_in_the_mailbox_is_applied_once_and_marked_seen():
    s = Setup()
    try:
        uid = s.dovecot.append(mailin.gmail(s.digest(), "Hoàn thành", SCT))
        rows = s.wait_inbound(1)
        check(rows[0][1].startswith("imap:") and rows[0][1].endswith(f":{uid}") and
              rows[0][2:] == ("reply", "applied"), f"{rows}")
        check(s.w.sql("SELECT status FROM tasks")[0][0] == "done", "done")
        msgs = s.smtp.wait_for(2)
        check("đã ghi nhận" in plain_body(msgs[1]), "confirmed")
        eventually(lambda: "\\Seen" in s.dovecot.flags().get(uid, ""), 20,
                   lambda: f"\\Seen on UID {uid}: {s.dovecot.flags()}\n{s.d.log()}")
        validity = s.cursor().split()[0]
        check(s.cursor() == f"{validity} {uid}", f"cursor {s.cursor()}")
        # A restart reads on from the cursor: nothing twice; the next reply is read.
        s.d.wait_idle()
        check(s.d.stop() == 0, s.d.log())
        s.start()
        uid2 = s.dovecot.append(mailin.plain(s.digest(), "Đang thực hiện lại", SCT))
        rows = s.wait_inbound(2)
        check(len(rows) == 2 and rows[1][1].endswith(f":{uid2}"), f"{rows}")
        check(s.cursor() == f"{validity} {uid2}", f"cursor {s.cursor()}")
        check(s.w.sql("SELECT status FROM tasks")[0][0] == "in-progress", "the second reply")
        # A new UIDVALIDITY (the mailbox rebuilt): everything is read again, applied never.
        s.d.wait_idle()
        check(s.d.stop() == 0, s.d.log())
        s.w.sql("UPDATE meta SET value = '1 999' WHERE key LIKE 'imap_cursor %'")
        before = s.w.sql("SELECT COUNT(*) FROM history")
        s.start()
        eventually(lambda: s.cursor() == f"{validity} {uid2}", 30, s.d.log)
        check(len(s.inbound()) == 2 and s.w.sql("SELECT COUNT(*) FROM history") == before,
              f"nothing applied twice: {s.inbound()}")
        check(len(re.findall(r"already recorded", s.d.log())) == 2, s.d.log())
    finally:
        s.cleanup()


def test_imaps_is_verified_against_the_ca_file():
    s = Setup(tls=True)
    try:
        s.dovecot.append(mailin.plain(s.digest(), "Hoàn thành", SCT))
        rows = s.wait_inbound(1)
        check(rows[0][3] == "applied", f"{rows}")
    finally:
        s.cleanup()


def test_an_unverified_certificate_or_a_wrong_password_reads_nothing():
    for kind in ("certificate", "password"):
        s = (Setup(tls=True, ca=False) if kind == "certificate"
             else Setup(password="sai mat khau"))
        try:
            s.dovecot.append(mailin.plain(s.digest(), "Hoàn thành", SCT))
            want = r"inbox: imap.*(SSL|certificate)" if kind == "certificate" else \
                r"inbox: imap.*(Login|denied|Access)"
            s.d.wait_log(want, timeout=30)
            status = s.d.status()
            check(status.get("inbox_error"), f"{kind}: status shows the error: {status}")
            check(s.inbound() == [] and s.w.sql("SELECT status FROM tasks")[0][0] == "open",
                  f"{kind}: nothing read")
        finally:
            s.cleanup()


def test_password_file_readable_by_others_is_refused():
    w = Workdir()
    try:
        pw = w.file("pw", "x\n", mode=0o644)
        w.write_config(f"[inbox]\nurl = imaps://mail.example.com/INBOX\nuser = u\n"
                       f"password_file = {pw}\n")
        p = ctl(w.config, "check-config")
        check(p.returncode != 0 and "[inbox] password_file" in p.stderr and
              "chmod 600" in p.stderr, p.stderr)
    finally:
        w.cleanup()


if __name__ == "__main__":
    run_tests([test_a_reply_in_the_mailbox_is_applied_once_and_marked_seen,
               test_imaps_is_verified_against_the_ca_file,
               test_an_unverified_certificate_or_a_wrong_password_reads_nothing,
               test_password_file_readable_by_others_is_refused])
