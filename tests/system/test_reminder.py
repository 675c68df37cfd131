"""The walking skeleton end to end: a task in the INI file, the daemon with
--now before its deadline, a reminder at a real SMTP server with the exact
Vietnamese subject and body, a restart that sends nothing twice, and the
embedded default writing into a Maildir."""
import os
import shutil
import signal

from harness import (ROOT, Daemon, SMTPServer, Workdir, check, ctl, parse_message, plain_body,
                     run_tests, html_body)

TASK = """\
[plan KH-TEST]
title = Kế hoạch thử nghiệm nhắc việc
issued = 2025-04-15
period = 2025-2025

[task khao-sat-tmdt]
plan = KH-TEST
title = Khảo sát mức độ chuyển đổi số doanh nghiệp thương mại điện tử
lead = Sở Công Thương
coordinating = Sở Khoa học và Công nghệ
timeframe = Quý II/2025
"""

TITLE = "Khảo sát mức độ chuyển đổi số doanh nghiệp thương mại điện tử"
SUBJECT = f"[Sắp đến hạn 30/06/2025] {TITLE}"


def by_recipient(messages):
    return {m.envelope_to[0]: m for m in messages}


def test_reminder_arrives_decoded_and_is_not_sent_again_after_restart():
    w = Workdir()
    smtp = SMTPServer().start()
    try:
        w.write_config(TASK, port=smtp.port)
        # Friday 20/6/2025 09:00: the 14-day reminder (16/6) was missed, the 7-day one is ahead.
        d = Daemon(w.config, now="2025-06-20T09:00:00+07:00").start()
        msgs = by_recipient(smtp.wait_for(2))
        check(set(msgs) == {"sct@quangngai.example", "skhcn@quangngai.example"},
              f"recipients: {sorted(msgs)}")
        lead = msgs["sct@quangngai.example"]
        check(str(lead["subject"]) == SUBJECT, f"subject: {lead['subject']!r}")
        check(str(lead["to"]) == "Sở Công Thương <sct@quangngai.example>", f"to: {lead['to']}")
        check(lead["from"].addresses[0].display_name == "Hệ thống nhắc việc", "from name")
        body = plain_body(lead)
        for text in ("Kính gửi: Sở Công Thương", TITLE,
                     "Kế hoạch thử nghiệm nhắc việc ban hành ngày 15/04/2025",
                     "Thời hạn: ngày 30/06/2025 – còn 10 ngày",
                     "Thời gian thực hiện theo kế hoạch: Quý II/2025",
                     "Vai trò: chủ trì; đơn vị phối hợp: Sở Khoa học và Công nghệ.",
                     "báo cáo kết quả về Sở Khoa học và Công nghệ."):
            check(text in body, f"{text!r} not in the body:\n{body}")
        coord = plain_body(msgs["skhcn@quangngai.example"])
        check("Vai trò: phối hợp; đơn vị chủ trì: Sở Công Thương." in coord,
              f"the coordinating agency's role:\n{coord}")
        check(TITLE in html_body(lead), "the HTML part")
        for header in ("Date", "Message-ID"):
            check(lead[header], f"{header} missing")
        # Nothing was sent before: no thread to follow, none made up.
        check(lead["In-Reply-To"] is None and lead["References"] is None,
              f"In-Reply-To {lead['In-Reply-To']}, References {lead['References']}")
        check(lead["Auto-Submitted"] == "auto-generated", "Auto-Submitted")
        check(lead.get_content_type() == "multipart/alternative", lead.get_content_type())
        check(lead.envelope_from == "nhacviec@quangngai.example", lead.envelope_from)
        d.wait_idle()
        check(d.stop() == 0, "SIGTERM: exit status 0\n" + d.log())
        check("stopped" in d.log(), "the daemon says it stopped")

        # The same instant, a few minutes later: the ledger says both were sent.
        d = Daemon(w.config, now="2025-06-20T09:05:00+07:00").start()
        status = d.wait_idle()
        check(smtp.count() == 2, f"{smtp.count()} messages after the restart (want 2)")
        check(status["next_wakeup"] == "2025-06-23T08:00:00+07:00",
              f"next wake-up {status['next_wakeup']} (want the 7-day reminder's slot)")
        check(d.stop() == 0, "second stop")
        rows = w.sql("SELECT state, COUNT(*) FROM messages GROUP BY state")
        check(rows == [("sent", 2)], f"outbox: {rows}")
        # The 30-day reminder (30/5) was missed as well: folded into the catch-up.
        notes = w.sql("SELECT agency, step, state FROM notifications ORDER BY agency, step")
        check(notes == [("sct", "r14", "sent"), ("sct", "r30", "skipped"),
                        ("skhcn", "r14", "sent"), ("skhcn", "r30", "skipped")],
              f"ledger: {notes}")
    finally:
        smtp.stop()
        w.cleanup()


def test_embedded_default_writes_into_the_maildir():
    """What `make run` does, in a copy of config/: mail files a person can open."""
    w = Workdir()
    try:
        conf = os.path.join(w.path, "config")
        shutil.copytree(os.path.join(ROOT, "config"), conf)
        config = os.path.join(conf, "deadlined.ini")
        d = Daemon(config, now="2025-12-08T08:00:00+07:00").start()
        d.wait_log(r"queued \d+ message")
        d.wait_idle()
        maildir = os.path.join(w.path, "var", "mail", "new")
        names = os.listdir(maildir)
        check(len(names) >= 1, "no file in var/mail/new")
        subjects, recipients = [], []
        for name in names:
            with open(os.path.join(maildir, name), "rb") as f:
                raw = f.read()
            check(b"\r\n" not in raw, "Maildir files use LF line ends")
            msg = parse_message(raw)
            subjects.append(str(msg["subject"]))
            recipients.append(str(msg["to"]))
            check(plain_body(msg).startswith("Kính gửi: "), "a readable body")
        check(subjects and all(s.startswith(("[Sắp đến hạn ", "[Quá hạn ")) for s in subjects),
              f"kind and date first: {subjects}")
        check(len(recipients) == len(set(recipients)), f"one message per agency: {recipients}")
        check(d.stop(signal.SIGINT) == 0, "Ctrl-C stops it cleanly")
        check(os.path.exists(os.path.join(w.path, "var", "deadlined.db")), "the database")
    finally:
        w.cleanup()


def test_check_config_of_the_example():
    p = ctl(os.path.join(ROOT, "config", "deadlined.ini"), "check-config")
    check(p.returncode == 0 and " ok: " in p.stdout, p.stdout + p.stderr)


if __name__ == "__main__":
    run_tests([test_reminder_arrives_decoded_and_is_not_sent_again_after_restart,
               test_embedded_default_writes_into_the_maildir,
               test_check_config_of_the_example])
