"""Replies read from a Maildir by the real daemon: agencies answer the
reminder they received (from the SMTP server of the test) in the shapes
their mail clients produce, and the test checks the store, the answers
that come back and that reminders stop. Hostile mail (a spoofed sender, a
forged or replayed token, a reply to another agency's message, a loop, a
20 MB file, broken MIME, automatic replies) must be refused or held with a
clear reason and change nothing else."""
import json
import os
import re

import mailin
from harness import (Daemon, SMTPServer, Workdir, check, ctl, eventually, plain_body,
                     run_tests)

NOW = "2025-06-20T09:00:00+07:00"  # a Friday: the 14-day reminder of a Quý II task is due

TASKS = """\
[plan KH-TEST]
title = Kế hoạch thử nghiệm nhắc việc
issued = 2025-04-15
period = 2025-2025

[task khao-sat]
plan = KH-TEST
title = Khảo sát mức độ chuyển đổi số doanh nghiệp
lead = Sở Công Thương
coordinating = Sở Khoa học và Công nghệ
timeframe = Quý II/2025
"""

SCT = "Sở Công Thương <sct@quangngai.example>"
SKHCN = "Sở Khoa học và Công nghệ <skhcn@quangngai.example>"


class Setup:
    """A work directory, the SMTP server, the daemon with [inbox], the first reminders."""

    def __init__(self, tasks=TASKS, extra="", now=NOW, reminders=2):
        self.w = Workdir()
        self.smtp = SMTPServer().start()
        self.maildir = mailin.Maildir(os.path.join(self.w.path, "inbox"))
        self.extra = extra
        self.tasks = tasks
        self.write()
        self.d = Daemon(self.w.config, now=now).start()
        self.d.wait_log(r"started: ")
        self.smtp.wait_for(reminders)

    def write(self):
        self.w.write_config(f"{self.tasks}\n[inbox]\nmaildir = {self.maildir.path}\n"
                            f"{self.extra}", port=self.smtp.port)

    def digest(self, addr="sct@quangngai.example"):
        return [m for m in self.smtp.messages if m.envelope_to[0] == addr][0]

    def deliver(self, msg, n=None):
        """Delivers and waits until the daemon has recorded it and moved it to cur/."""
        name = self.maildir.deliver(msg)
        want = n if n is not None else self.inbound_count() + 1
        eventually(lambda: self.inbound_count() >= want and name not in self.maildir.new(), 20,
                   lambda: f"message {name} recorded\n{self.d.log()}")
        return self.last()

    def inbound_count(self):
        return self.w.sql("SELECT COUNT(*) FROM inbound")[0][0]

    def last(self):
        cols = ("id", "kind", "state", "reason", "agency", "matched_by", "answer_kind")
        row = self.w.sql(f"SELECT {', '.join(cols)} FROM inbound ORDER BY id DESC LIMIT 1")[0]
        return dict(zip(cols, row))

    def status(self, key="khao-sat"):
        return self.w.sql("SELECT status FROM tasks WHERE key = ?", key)[0][0]

    def state(self):
        """What a refused message must not change."""
        return (self.w.sql("SELECT id, status, status_note, extended_due FROM tasks ORDER BY id"),
                self.w.sql("SELECT id, status FROM occurrences ORDER BY id"),
                # The admin's daily summary may tell of a held reply: that is no change.
                self.w.sql("SELECT COUNT(*) FROM messages WHERE kind != 'admin'"),
                self.w.sql("SELECT COUNT(*) FROM extension_requests"),
                self.w.sql("SELECT COUNT(*) FROM history"))

    def answers(self, n, timeout=20):
        """The messages after the reminders, once there are n of them."""
        msgs = self.smtp.wait_for(self.reminders() + n, timeout)
        return msgs[self.reminders():]

    def reminders(self):
        return self.w.sql("SELECT COUNT(*) FROM messages WHERE kind IN ('reminder', "
                          "'escalation', 'summary')")[0][0]

    def cleanup(self):
        try:
            if self.d.proc.poll() is None:
                self.d.stop()
        finally:
            self.smtp.stop()
            self.w.cleanup()


# ---- real replies ---------------------------------------------------------------------------

# (client, text, the level stored, what the note keeps)
SHAPES = [
    (mailin.gmail, "Hoàn thành\n\nTrân trọng,\nVăn thư Sở Công Thương", "done", "Hoàn thành"),
    (mailin.outlook_html, "Kính gửi Sở KH&CN,\nĐang thực hiện: đã khảo sát 40/60 doanh nghiệp",
     "in-progress", "Đang thực hiện: đã khảo sát 40/60 doanh nghiệp"),
    (mailin.thunderbird_bottom, "Chờ ý kiến hướng dẫn của Bộ Công Thương", "waiting",
     "Chờ ý kiến hướng dẫn của Bộ Công Thương"),
    (lambda d, t, s: mailin.plain(d, t, s, nfd=True), "Đã hoàn thành khảo sát.", "done",
     "Đã hoàn thành khảo sát."),
    (mailin.plain, "dang thuc hien, du kien xong trong thang 7", "in-progress",
     "dang thuc hien, du kien xong trong thang 7"),
    (mailin.windows_1258, "Tiếp tục thực hiện", "in-progress", "Tiếp tục thực hiện"),
]


def test_each_client_shape_sets_the_level_and_is_confirmed():
    for client, text, level, note in SHAPES:
        s = Setup()
        try:
            digest = s.digest()
            check("+" in mailin.reply_address(digest), f"a reply token: {digest['Reply-To']}")
            row = s.deliver(client(digest, text, SCT))
            what = f"{client.__name__} {text!r}: {row}\n{s.d.log()}"
            check(row["kind"] == "reply" and row["state"] == "applied", what)
            check(row["agency"] == "sct" and row["matched_by"] == "token", what)
            check(s.status() == level, f"{what}: status {s.status()}, want {level}")
            if level != "done":
                check(s.w.sql("SELECT status_note FROM tasks")[0][0] == note, what)
            [answer] = s.answers(1)
            check(answer.envelope_to == ["sct@quangngai.example"], f"to {answer.envelope_to}")
            check(answer["In-Reply-To"] and answer["Auto-Submitted"] == "auto-generated", what)
            body = plain_body(answer)
            check("đã ghi nhận" in body and "Khảo sát mức độ chuyển đổi số" in body, body)
            check(note in body, f"the confirmation repeats what was recorded:\n{body}")
            # The audit trail: who, which message, which line.
            hist = s.w.sql("SELECT detail FROM history WHERE what = 'reply'")
            check(hist and re.match(r"reply #\d+ from sct@quangngai\.example \(sct\), line \d+: ",
                                    hist[0][0]), f"history {hist}")
        finally:
            s.cleanup()


def test_done_stops_the_reminders_and_survives_a_restart():
    s = Setup()
    try:
        s.deliver(mailin.gmail(s.digest(), "Hoàn thành", SCT))
        s.answers(1)
        s.d.wait_idle()
        check(s.d.stop() == 0, s.d.log())
        # 23/6 is the 7-day reminder's day: a done task gets none, nor does its coordinator.
        s.d = Daemon(s.w.config, now="2025-06-23T09:00:00+07:00").start()
        status = s.d.wait_idle()
        check(status["next_wakeup"] == "none", f"next wake-up {status['next_wakeup']}")
        check(s.reminders() == 2, f"{s.reminders()} reminders after the reply (want 2)")
        check(s.maildir.new() == [] and len(s.maildir.cur()) == 1, "the reply is in cur/")
        check(all(n.endswith(":2,S") for n in s.maildir.cur()), s.maildir.cur())
        check(s.inbound_count() == 1, "recorded once")
        # The task's story shows the reply and what its line did.
        story = json.loads(ctl(s.w.config, "show", "KH-TEST:khao-sat", "--json",
                               check_rc=0).stdout)
        replies = story["replies"]
        check(len(replies) == 1 and replies[0]["state"] == "applied"
              and replies[0]["agency"] == "sct"
              and [c["command"] for c in replies[0]["commands"]] == ["done"], replies)
        text = ctl(s.w.config, "show", "KH-TEST:khao-sat", check_rc=0).stdout
        check("Replies (1)" in text and "done: applied" in text, text)
    finally:
        s.cleanup()


def test_a_copied_example_line_counts_but_the_whole_example_block_is_a_quote():
    for lines, status in [(["#{code}: Hoàn thành"], "done"), (None, "open")]:
        s = Setup()
        try:
            digest = s.digest()
            code = s.w.sql("SELECT id FROM tasks WHERE key = 'khao-sat'")[0][0]
            example = [l.strip() for l in plain_body(digest).splitlines()
                       if l.strip().startswith(f"#{code}: ")]
            check(len(example) == 3, f"the footer's examples: {example}")
            # The extension's example is a date to come: the end of the next quarter.
            check(re.search(r"Xin gia hạn đến ngày (30/09/2025|31/12/2025)$", example[2]), example)
            text = "\n".join(l.format(code=code) for l in lines or example) + "\n"
            s.deliver(mailin.plain(digest, text, SCT))
            check(s.status() == status, f"{lines}: {s.status()} (want {status})\n{s.d.log()}")
        finally:
            s.cleanup()


MARKDOWN = """\
Kế hoạch thử nghiệm mục

| STT | Nội dung công việc | Đơn vị thực hiện | Đơn vị phối hợp | Tiến độ |
|---|---|---|---|---|
| I | Hạ tầng số | | | |
| 1 | Nâng cấp cổng thông tin | Sở Công Thương | | Quý II/2025 |
| 2 | Số hóa hồ sơ thương mại | Sở Công Thương | | Quý II/2025 |
| II | Kỹ năng số | | | |
| 1 | Đào tạo kỹ năng số | Sở Công Thương | | Quý II/2025 |
"""


def test_per_item_lines_without_diacritics_and_an_unknown_item():
    s = Setup(tasks="", reminders=0)
    try:
        p = ctl(s.w.config, "import", "--plan-id", "KH-MUC", "--period", "2025-2025",
                s.w.file("kh.md", MARKDOWN))
        check(p.returncode == 0, p.stdout + p.stderr)
        ctl(s.w.config, "send-now", check_rc=0)
        eventually(lambda: any("Nâng cấp cổng" in plain_body(m) for m in s.smtp.messages), 20,
                   lambda: s.d.log())
        digest = [m for m in s.smtp.messages if "Nâng cấp cổng" in plain_body(m)][0]
        check("mục 1" in plain_body(digest), plain_body(digest))
        # "1" is two tasks (I.1 and II.1): ambiguous, so neither; the key says which.
        text = ("1: hoan thanh\nMuc 2 - dang thuc hien: da so hoa 30%\nII.1 Hoàn thành\n"
                "7: Hoàn thành\n")
        row = s.deliver(mailin.plain(digest, text, SCT))
        check(row["state"] == "applied", f"{row}\n{s.d.log()}")
        got = dict(s.w.sql("SELECT key, status FROM tasks WHERE plan_id = 'KH-MUC'"))
        check(got == {"I.1": "open", "I.2": "in-progress", "II.1": "done"}, f"levels {got}")
        cmds = s.w.sql("SELECT line, item, state FROM reply_commands ORDER BY line")
        check(cmds == [(1, "1", "unknown-item"), (2, "2", "applied"), (3, "II.1", "applied"),
                       (4, "7", "unknown-item")], f"commands {cmds}")
        answer = s.answers(1)[-1]
        body = plain_body(answer)
        check("7: Hoàn thành" in body and "không có mục này" in body, body)
        check("1: hoan thanh" in body and "nhiều nhiệm vụ cùng số mục" in body, body)
        # The code the mail shows ("Mã nhiệm vụ: #N") names one task, whatever its number.
        code = s.w.sql("SELECT id FROM tasks WHERE plan_id = 'KH-MUC' AND key = 'I.1'")[0][0]
        check(f"Mã nhiệm vụ: #{code}" in plain_body(digest), plain_body(digest))
        row = s.deliver(mailin.plain(digest, f"#{code}: Hoàn thành\n", SCT))
        got = dict(s.w.sql("SELECT key, status FROM tasks WHERE plan_id = 'KH-MUC'"))
        check(row["state"] == "applied" and got["I.1"] == "done", f"{row} {got}")
        # "Mục N" is an item: N no item of the message has is unknown, never task #N.
        other = s.w.sql("SELECT id FROM tasks WHERE plan_id = 'KH-MUC' AND key = 'II.1'")[0][0]
        check(other > 2, f"II.1's code {other} is no item number of the message")
        s.deliver(mailin.plain(digest, f"Mục {other}: Đang thực hiện\n", SCT))
        got = dict(s.w.sql("SELECT key, status FROM tasks WHERE plan_id = 'KH-MUC'"))
        cmds = s.w.sql("SELECT item, state FROM reply_commands ORDER BY id DESC LIMIT 1")
        check(got["II.1"] == "done" and cmds == [(str(other), "unknown-item")], f"{got} {cmds}")
    finally:
        s.cleanup()


def test_extension_request_goes_to_the_monitor_and_is_approved():
    s = Setup()
    try:
        text = "Xin gia hạn đến 30/09/2025: chờ kinh phí bổ sung của tỉnh"
        row = s.deliver(mailin.gmail(s.digest(), text, SCT))
        check(row["state"] == "applied", f"{row}\n{s.d.log()}")
        check(s.status() == "open", "a request changes no level")
        req = s.w.sql("SELECT agency, requested_due, reason, state FROM extension_requests")
        check(req == [("sct", 1759251599, "chờ kinh phí bổ sung của tỉnh", "pending")],
              f"request {req}")
        msgs = s.answers(2)
        notice = [m for m in msgs if m.envelope_to == ["skhcn@quangngai.example"]]
        check(notice, f"the monitor is told: {[m.envelope_to for m in msgs]}")
        body = plain_body(notice[0])
        for text in ("Sở Công Thương xin gia hạn", "30/09/2025", "chờ kinh phí bổ sung",
                     "deadlinectl extend KH-TEST:khao-sat --approve"):
            check(text in body, f"{text!r} not in the notice:\n{body}")
        p = ctl(s.w.config, "extend", "KH-TEST:khao-sat", "--approve", "--note", "đồng ý")
        check(p.returncode == 0 and "deadline extended to 2025-09-30" in p.stdout,
              p.stdout + p.stderr)
        check(s.w.sql("SELECT extended_due FROM tasks")[0][0] == 1759251599, "the new deadline")
        check(s.w.sql("SELECT state, note FROM extension_requests") == [("approved", "đồng ý")],
              "settled")
        ctl(s.w.config, "send-now", check_rc=0)
        eventually(lambda: any("Chấp thuận" in str(m["Subject"]) for m in s.smtp.messages), 20,
                   "the decision to the agency")
        p = ctl(s.w.config, "extend", "KH-TEST:khao-sat", "--refuse")
        check(p.returncode == 1 and "no extension request is pending" in p.stderr, p.stderr)
    finally:
        s.cleanup()


def test_coordinating_agency_done_is_noted_not_the_task_status():
    s = Setup()
    try:
        row = s.deliver(mailin.gmail(s.digest("skhcn@quangngai.example"), "Hoàn thành", SKHCN))
        check(row["state"] == "applied" and row["agency"] == "skhcn", f"{row}")
        check(s.status() == "open", f"the lead reports the task's status: {s.status()}")
        check(s.w.sql("SELECT state FROM reply_commands") == [("noted",)], "noted")
        body = plain_body(s.answers(1)[0])
        check("phần phối hợp" in body, body)
        # Its extension request is noted too: the lead's deadline, the lead's request.
        row = s.deliver(mailin.gmail(s.digest("skhcn@quangngai.example"),
                                     "Xin gia hạn đến 30/09/2025: chờ kinh phí", SKHCN))
        check(row["state"] == "applied", f"{row}")
        check(s.w.sql("SELECT count(*) FROM extension_requests") == [(0,)], "nothing filed")
        check(s.w.sql("SELECT state FROM reply_commands") == [("noted",), ("noted",)], "noted")
    finally:
        s.cleanup()


def test_a_report_file_is_saved_beside_the_store_and_listed():
    s = Setup()
    try:
        pdf = b"%PDF-1.4\n" + b"0" * 5000
        msg = mailin.with_files(s.digest(), "Hoàn thành, gửi kèm báo cáo.", SCT,
                                [("../Báo cáo kết quả.pdf", pdf, ("application", "pdf")),
                                 ("winmail.dat", b"\x78\x9f\x3e\x22" * 10,
                                  ("application", "ms-tnef"))])
        row = s.deliver(msg)
        check(row["state"] == "applied", f"{row}")
        files = s.w.sql("SELECT filename, path, size, refused FROM attachments ORDER BY id")
        check(len(files) == 2, f"{files}")
        name, path, size, refused = files[0]
        check(name == "Báo cáo kết quả.pdf" and size == len(pdf) and refused is None, files[0])
        check(path.startswith(os.path.join(s.w.path, "attachments")), path)
        with open(path, "rb") as f:
            check(f.read() == pdf, "the file's bytes")
        check("TNEF" in files[1][3] and files[1][1] is None, f"winmail.dat: {files[1]}")
        out = ctl(s.w.config, "inbox", check_rc=0).stdout
        check("Báo cáo kết quả.pdf" in out and path in out, out)
        body = plain_body(s.answers(1)[0])
        check("winmail.dat" in body, f"the sender hears the TNEF file was not read:\n{body}")
    finally:
        s.cleanup()


# ---- hostile and automatic mail --------------------------------------------------------------

def forged(digest, text, sender):
    msg = mailin.plain(digest, text, sender)
    addr = mailin.reply_address(digest)
    local, domain = addr.split("@")
    base, token = local.split("+")
    bad = token[:16] + ("0" if token[16] != "0" else "1") + token[17:]
    del msg["To"]
    msg["To"] = f"{base}+{bad}@{domain}"
    return msg


def auto_reply(digest, text, sender):
    msg = mailin.plain(digest, "Tôi vắng mặt đến 30/6. Hoàn thành", sender)
    msg["Auto-Submitted"] = "auto-replied"
    return msg


def out_of_office(digest, text, sender):
    msg = mailin.plain(digest, "Hoàn thành", sender)
    del msg["Subject"]
    msg["Subject"] = "Trả lời tự động: vắng mặt"
    return msg


def bulk(digest, text, sender):
    msg = mailin.plain(digest, "Hoàn thành", sender)
    msg["Precedence"] = "bulk"
    return msg


def loop(digest, text, sender):
    return digest.raw  # our own reminder, delivered into our inbox


def malformed(digest, text, sender):
    return (b"Subject: =?utf-8?B?broken\r\nContent-Type: multipart/mixed\r\n\r\n"
            b"--x\r\n\x00\x01\x02 Hoan thanh\r\n")


def big_file(digest, text, sender):
    return mailin.with_files(digest, "Hoàn thành", sender,
                             [("bao-cao.pdf", os.urandom(20 * 1024 * 1024),
                               ("application", "pdf"))])


# (name, build, sender, kind, state, reason pattern)
HOSTILE = [
    ("spoofed sender", mailin.plain, "Kẻ mạo danh <sct@evil.example>", "reply", "held",
     r"sct@evil\.example is not an address of Sở Công Thương"),
    # Forged, or made with a key since lost: the admin decides.
    ("forged token", forged, SCT, "reply", "held",
     r"its reply token is not the one of message .* forged, or made with another key"),
    ("another agency's message", mailin.plain, "Sở Y tế <syt@quangngai.example>", "reply",
     "held", r"syt@quangngai\.example is an address of Sở Y tế, but .* went to Sở Công Thương"),
    ("auto-reply", auto_reply, SCT, "automatic", "ignored", r"Auto-Submitted: auto-replied"),
    ("out of office", out_of_office, SCT, "automatic", "ignored", r"out-of-office wording"),
    ("bulk", bulk, SCT, "automatic", "ignored", r"Precedence: bulk"),
    ("mail loop", loop, SCT, "loop", "ignored", r"our own message came back"),
    ("malformed MIME", malformed, SCT, "malformed", "refused", r"cannot be read: no sender"),
    ("20 MB attachment", big_file, SCT, "reply", "held",
     r"bao-cao\.pdf is refused: 20\.0 MB, over the limit of 10 MB per file"),
]


def test_hostile_and_automatic_mail_changes_nothing():
    s = Setup()
    try:
        digest = s.digest()
        for name, build, sender, kind, state, reason in HOSTILE:
            before = s.state()
            row = s.deliver(build(digest, "Hoàn thành", sender))
            what = f"{name}: {row}\n{s.d.log()[-3000:]}"
            check(row["kind"] == kind and row["state"] == state, what)
            check(re.search(reason, row["reason"] or ""), what)
            check(row["answer_kind"] is None, f"{name}: nothing is answered")
            check(s.state() == before, f"{name}: something changed\n{before}\n{s.state()}")
        check(s.status() == "open", "the task is still open")
        held = ctl(s.w.config, "inbox", "--held", check_rc=0).stdout
        check(len(re.findall(r"^#\d+ .* reply held$", held, re.M)) == 4, held)
    finally:
        s.cleanup()


def test_held_reply_is_accepted_by_the_admin():
    s = Setup()
    try:
        row = s.deliver(mailin.plain(s.digest(), "Hoàn thành", "Văn thư <vanthu.sct@gmail.example>"))
        check(row["state"] == "held", f"{row}")
        check(s.status() == "open", "held: nothing applied")
        p = ctl(s.w.config, "inbox", "accept", str(row["id"]))
        check(p.returncode == 0 and "accepted: 1 command applied" in p.stdout, p.stdout + p.stderr)
        check(s.status() == "done", "applied once accepted")
        got = s.w.sql("SELECT state, decided_by IS NOT NULL FROM inbound")
        check(got == [("accepted", 1)], f"{got}")
        p = ctl(s.w.config, "inbox", "accept", str(row["id"]))
        check(p.returncode == 1 and "is accepted, not held" in p.stderr, p.stderr)
        ctl(s.w.config, "send-now", check_rc=0)
        msgs = s.answers(2)
        admin = [m for m in msgs if m.envelope_to == ["quantri@quangngai.example"]]
        check(admin and "Có 1 thư trả lời đang chờ quản trị viên" in plain_body(admin[0]) and
              "deadlinectl inbox --held" in plain_body(admin[0]), "the admin is told")
        check([m.envelope_to for m in msgs if m not in admin] == [["vanthu.sct@gmail.example"]],
              f"the confirmation goes to the accepted sender: {[m.envelope_to for m in msgs]}")
        row = s.deliver(mailin.plain(s.digest(), "Hoàn thành", "Kẻ lạ <la@evil.example>"))
        p = ctl(s.w.config, "inbox", "reject", str(row["id"]), "--reason", "not ours")
        check(p.returncode == 0 and "rejected" in p.stdout, p.stdout + p.stderr)
        check(s.w.sql("SELECT state, reason FROM inbound WHERE id = ?", row["id"]) ==
              [("rejected", "not ours")], "rejected with the reason")
    finally:
        s.cleanup()


def test_accepting_an_old_held_reply_does_not_undo_a_later_one():
    """A reply held for the admin, then the agency's own later reply: accepting
    the first afterwards must not put back its older level."""
    s = Setup()
    try:
        held = s.deliver(mailin.plain(s.digest(), "Hoàn thành", "Văn thư <vanthu.sct@gmail.example>"))
        check(held["state"] == "held", f"{held}")
        later = s.deliver(mailin.plain(s.digest(), "Đang thực hiện: còn 20 doanh nghiệp", SCT))
        check(later["state"] == "applied" and s.status() == "in-progress", f"{later}")
        p = ctl(s.w.config, "inbox", "accept", str(held["id"]))
        check(p.returncode == 0 and "accepted: 0 commands applied" in p.stdout,
              p.stdout + p.stderr)
        check(s.status() == "in-progress", f"the later level stays: {s.status()}")
        got = s.w.sql("SELECT state, detail FROM reply_commands WHERE inbound = ?", held["id"])
        check(got == [("superseded", f"reply #{later['id']}, received after it, set the level")],
              f"{got}")
    finally:
        s.cleanup()


def test_held_reply_from_an_address_no_mail_can_go_to_is_still_accepted():
    s = Setup()
    try:
        row = s.deliver(mailin.plain(s.digest(), "Đang thực hiện", 'Văn thư <"a b"@evil.example>'))
        check(row["state"] == "held", f"{row}")
        p = ctl(s.w.config, "inbox", "accept", str(row["id"]))
        check(p.returncode == 0 and "accepted: 1 command applied" in p.stdout, p.stdout + p.stderr)
        check(s.status() == "in-progress", f"applied: {s.status()}")
        check(s.w.sql("SELECT answer FROM inbound") == [(None,)], "no confirmation recorded")
    finally:
        s.cleanup()


def test_reply_from_address_of_the_directory_is_accepted():
    extra = "[agency ttcntt]\nname = Trung tâm Công nghệ thông tin\nemail = ttcntt@quangngai.example\n"
    s = Setup(tasks=TASKS.replace("lead = Sở Công Thương", "lead = Trung tâm Công nghệ thông tin"),
              extra=extra + "reply_from = it.staff@gmail.example\n")
    try:
        digest = s.digest("ttcntt@quangngai.example")
        row = s.deliver(mailin.plain(digest, "Hoàn thành", "IT <IT.Staff@gmail.example>"))
        check(row["state"] == "applied", f"{row}\n{s.d.log()}")
        check(s.status() == "done", "done")
    finally:
        s.cleanup()


def test_replayed_message_is_recorded_once():
    s = Setup()
    try:
        msg = mailin.plain(s.digest(), "Đang thực hiện", SCT)
        s.deliver(msg)
        s.answers(1)
        before = s.state()
        # The same bytes again (an MTA retry, a crash before the move): nothing new.
        name = s.maildir.deliver(msg)
        eventually(lambda: name not in s.maildir.new(), 20, s.d.log)
        check(s.inbound_count() == 1 and s.state() == before, "applied once")
        # The same Message-ID with other words: refused.
        del msg["Subject"]
        msg["Subject"] = "Re: đã sửa"
        row = s.deliver(msg)
        check(row["kind"] == "duplicate" and row["state"] == "refused" and
              "replayed" in row["reason"], f"{row}")
        check(s.state() == before, "nothing changed")
    finally:
        s.cleanup()


def test_crash_between_commit_and_move_does_not_apply_twice():
    s = Setup()
    try:
        s.deliver(mailin.plain(s.digest(), "Hoàn thành", SCT))
        s.answers(1)
        s.d.wait_idle()
        check(s.d.stop() == 0, s.d.log())
        # As if the daemon had died after the commit, before the rename to cur/.
        [name] = s.maildir.cur()
        os.rename(os.path.join(s.maildir.path, "cur", name),
                  os.path.join(s.maildir.path, "new", name.split(":")[0]))
        before = s.state()
        s.d = Daemon(s.w.config, now=NOW).start()
        eventually(lambda: s.maildir.new() == [], 20, s.d.log)
        s.d.wait_idle()
        check(s.inbound_count() == 1 and s.state() == before, "recorded and applied once")
        check(re.search(r"already recorded: not applied again", s.d.log()), s.d.log())
    finally:
        s.cleanup()


def test_unreadable_reply_gets_one_help_message_a_day():
    s = Setup()
    try:
        row = s.deliver(mailin.plain(s.digest(), "Cảm ơn anh chị, chúng tôi sẽ báo cáo sau.", SCT))
        check(row["state"] == "ignored" and row["answer_kind"] == "help", f"{row}")
        [help_msg] = s.answers(1)
        body = plain_body(help_msg)
        check("chưa đọc được" in body and re.search(r"Xin gia hạn đến \d\d/\d\d/2025", body), body)
        row = s.deliver(mailin.plain(s.digest(), "Xin gia hạn nhé", SCT))
        check(row["answer_kind"] is None and "in the last day" in row["reason"], f"{row}")
        s.d.wait_idle()
        check(len(s.answers(1)) == 1, "one help message")
        # An auto-responder quoting the help back unmarked: its examples set nothing.
        before = s.status()
        s.deliver(mailin.plain(help_msg, "Đã nhận được thư.\n\n" + body, SCT))
        check(s.status() == before, f"{s.status()} (was {before})")
        check(s.w.sql("SELECT count(*) FROM extension_requests") == [(0,)], "nothing filed")
    finally:
        s.cleanup()


def test_bounce_marks_the_address_bad_and_tells_the_admin():
    s = Setup()
    try:
        digest = s.digest()
        dsn = (
            "From: Mail Delivery System <MAILER-DAEMON@mx.quangngai.example>\r\n"
            "To: nhacviec@quangngai.example\r\nSubject: Undelivered Mail Returned to Sender\r\n"
            "Message-ID: <dsn1@mx.quangngai.example>\r\nMIME-Version: 1.0\r\n"
            "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n"
            "--b\r\nContent-Type: text/plain\r\n\r\nThis is the mail system.\r\n"
            "--b\r\nContent-Type: message/delivery-status\r\n\r\n"
            "Reporting-MTA: dns; mx.quangngai.example\r\n\r\n"
            "Final-Recipient: rfc822; sct@quangngai.example\r\nAction: failed\r\n"
            "Status: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 User unknown\r\n"
            "--b\r\nContent-Type: text/rfc822-headers\r\n\r\n"
            f"Message-ID: {digest['Message-ID']}\r\nSubject: x\r\n--b--\r\n").encode()
        row = s.deliver(dsn)
        check(row["kind"] == "bounce" and "sct@quangngai.example (5.1.1)" in row["reason"],
              f"{row}")
        bad = s.w.sql("SELECT address, agency, status FROM bad_addresses")
        check(bad == [("sct@quangngai.example", "sct", "5.1.1")], f"{bad}")
        admin = eventually(lambda: [m for m in s.smtp.messages
                                    if m.envelope_to == ["quantri@quangngai.example"]], 20,
                           s.d.log)
        body = plain_body(admin[0])
        check("sct@quangngai.example (sct): 5.1.1" in body, body)
        check(row["answer_kind"] is None, "a bounce is never answered")
    finally:
        s.cleanup()


def test_reload_turns_the_inbox_on_and_a_reply_without_token_matches_its_thread():
    """A reminder sent before [inbox] existed has no token: its thread still leads to it."""
    w = Workdir()
    smtp = SMTPServer().start()
    maildir = mailin.Maildir(os.path.join(w.path, "inbox"))
    d = None
    try:
        w.write_config(TASKS, port=smtp.port)
        d = Daemon(w.config, now=NOW).start()
        msgs = smtp.wait_for(2)
        digest = [m for m in msgs if m.envelope_to == ["sct@quangngai.example"]][0]
        check("+" not in str(digest["Reply-To"]), f"no token yet: {digest['Reply-To']}")
        check(ctl(w.config, "status", check_rc=0).stdout.count("inbox: off") == 1, "off")
        w.write_config(TASKS + f"\n[inbox]\nmaildir = {maildir.path}\n", port=smtp.port)
        ctl(w.config, "reload", check_rc=0)
        d.wait_log(r"inbox: watching ")
        reply = mailin.plain(digest, "Hoàn thành", SCT)
        del reply["To"]
        reply["To"] = "Sở KH&CN <skhcn@quangngai.example>"
        maildir.deliver(reply)
        eventually(lambda: w.sql("SELECT state, matched_by FROM inbound") ==
                   [("applied", "thread")], 20, d.log)
        check(w.sql("SELECT status FROM tasks")[0][0] == "done", "done")
    finally:
        if d and d.proc.poll() is None:
            d.stop()
        smtp.stop()
        w.cleanup()


def test_config_errors_name_the_place():
    w = Workdir()
    try:
        cases = [
            ("[inbox]\n", "give either maildir = PATH or url = imaps://"),
            (f"[inbox]\nmaildir = {w.path}/Maildir\n", "is the Maildir outgoing mail is written to"),
            ("[inbox]\nurl = imap://mail.example.com/INBOX\n",
             "imap:// (no TLS) is only allowed to a loopback host"),
            ("[inbox]\nurl = imaps://mail.example.com/\nuser = x\n", "user: needs password_file"),
            (f"[inbox]\nmaildir = {w.path}/in\nkey_file = {w.path}/nokey\n", "cannot read"),
        ]
        for extra, want in cases:
            w.write_config(extra, transport="maildir")
            p = ctl(w.config, "check-config")
            check(p.returncode != 0 and want in p.stderr and "[inbox]" in p.stderr,
                  f"{extra!r}: {p.stderr}")
        key = w.file("key", "0123456789abcdef0123", mode=0o644)
        w.write_config(f"[inbox]\nmaildir = {w.path}/in\nkey_file = {key}\n")
        p = ctl(w.config, "check-config")
        check(p.returncode != 0 and "chmod 600" in p.stderr, p.stderr)
    finally:
        w.cleanup()


if __name__ == "__main__":
    run_tests([test_each_client_shape_sets_the_level_and_is_confirmed,
               test_done_stops_the_reminders_and_survives_a_restart,
               test_a_copied_example_line_counts_but_the_whole_example_block_is_a_quote,
               test_per_item_lines_without_diacritics_and_an_unknown_item,
               test_extension_request_goes_to_the_monitor_and_is_approved,
               test_coordinating_agency_done_is_noted_not_the_task_status,
               test_a_report_file_is_saved_beside_the_store_and_listed,
               test_hostile_and_automatic_mail_changes_nothing,
               test_held_reply_is_accepted_by_the_admin,
               test_accepting_an_old_held_reply_does_not_undo_a_later_one,
               test_held_reply_from_an_address_no_mail_can_go_to_is_still_accepted,
               test_reply_from_address_of_the_directory_is_accepted,
               test_replayed_message_is_recorded_once,
               test_crash_between_commit_and_move_does_not_apply_twice,
               test_unreadable_reply_gets_one_help_message_a_day,
               test_bounce_marks_the_address_bad_and_tells_the_admin,
               test_reload_turns_the_inbox_on_and_a_reply_without_token_matches_its_thread,
               test_config_errors_name_the_place])
