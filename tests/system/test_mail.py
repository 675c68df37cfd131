"""Mail delivery with libesmtp, end to end: the real daemon (always with
--now) sending to real aiosmtpd servers on 127.0.0.1 — plain SMTP, STARTTLS
with a self-signed certificate, AUTH, temporary and permanent refusals, a
server that comes back, threading, and header injection from an imported
plan. Every received message is parsed independently with Python's email
package (policy default).

Run with /usr/bin/python3 (aiosmtpd is a Debian package of that interpreter).
"""
import contextlib
import logging
import math
import os
import re
import sqlite3
import subprocess
from collections import Counter

from harness import (TEMPLATES, Daemon, SMTPServer, Workdir, _Handler, check, ctl,
                     eventually, free_port, html_body, plain_body, run_tests,
                     self_signed_cert)

# The TLS tests make handshakes fail on purpose; aiosmtpd logs each one with a
# traceback. Those are expected, not news: keep the TAP output readable.
logging.getLogger("mail.log").setLevel(logging.CRITICAL)

# Friday 20/6/2025 09:00 (office hours): for a Quý II/2025 deadline (30/6) the
# 14-day reminder (16/6) is the latest step due.
BEFORE = "2025-06-20T09:00:00+07:00"
# Tuesday 1/7/2025 09:00: one day late, the escalation to the lead (coordinating
# agencies in Cc).
AFTER = "2025-07-01T09:00:00+07:00"
ADMIN = "quantri@quangngai.example"
SCT, SYT, SKHCN, STC = ("sct@quangngai.example", "syt@quangngai.example",
                        "skhcn@quangngai.example", "stc@quangngai.example")

PLAN = """\
[plan KH-TEST]
title = Kế hoạch thử nghiệm nhắc việc
issued = 2025-04-15
period = 2025-2025
"""

TITLE = "Khảo sát mức độ chuyển đổi số doanh nghiệp thương mại điện tử"

# One task, one lead: one message to sct.
ONE_LEAD = PLAN + f"""
[task khao-sat]
plan = KH-TEST
title = {TITLE}
lead = Sở Công Thương
timeframe = Quý II/2025
"""

# One task led by two agencies: two messages, one per lead.
TWO_LEADS = PLAN + f"""
[task khao-sat]
plan = KH-TEST
title = {TITLE}
lead = Sở Công Thương
lead = Sở Y tế
timeframe = Quý II/2025
"""

# After the deadline: the escalation to sct copies skhcn and stc; syt's own
# escalation is another message in the same session.
WITH_COORDINATING = PLAN + f"""
[task khao-sat]
plan = KH-TEST
title = {TITLE}
lead = Sở Công Thương
coordinating = Sở Khoa học và Công nghệ
coordinating = Sở Tài chính
timeframe = Quý II/2025

[task ho-so-suc-khoe]
plan = KH-TEST
title = Số hóa hồ sơ sức khỏe điện tử
lead = Sở Y tế
timeframe = Quý II/2025
"""

# What the lead's reminder of TWO_LEADS says at BEFORE, as config/templates/vi/body.txt
# and body.html render it (checked by hand: the Vietnamese an agency reads).
EXPECTED_TEXT = """\
Kính gửi: Sở Công Thương

Hệ thống nhắc việc của Ủy ban nhân dân tỉnh trân trọng thông báo đến Quý cơ quan 1 nhiệm vụ cần lưu ý, gồm:
- 1 nhiệm vụ có thời hạn trong thời gian tới.

CÁC NHIỆM VỤ CÓ THỜI HẠN TRONG THỜI GIAN TỚI (1)

1. Khảo sát mức độ chuyển đổi số doanh nghiệp thương mại điện tử
   Mã nhiệm vụ: #1 – Kế hoạch thử nghiệm nhắc việc ban hành ngày 15/04/2025
   Thời hạn: ngày 30/06/2025 – còn 10 ngày
   Thời gian thực hiện theo kế hoạch: Quý II/2025
   Vai trò: chủ trì.
   Đề nghị Quý cơ quan chủ động triển khai, hoàn thành đúng thời hạn và báo cáo kết quả về Sở Khoa học và Công nghệ.
   Tình trạng: chưa báo cáo

Để báo cáo tiến độ, đề nghị Quý cơ quan trả lời thư này (thư trả lời được gửi đến skhcn@quangngai.example), mỗi nhiệm vụ một dòng gồm mã nhiệm vụ và tình trạng, ví dụ:
   #1: Hoàn thành
   #1: Đang thực hiện
   #1: Xin gia hạn đến ngày 30/09/2025
và gửi kèm văn bản báo cáo (nếu có).

Trân trọng.

--
Quý cơ quan nhận được thư này vì là đơn vị chủ trì thực hiện các nhiệm vụ nêu trên theo kế hoạch của Ủy ban nhân dân tỉnh.
Thư được gửi tự động ngày 20/06/2025 từ Hệ thống nhắc việc.
"""

EXPECTED_HTML = """\
<!DOCTYPE html>
<html lang="vi">
<head><meta charset="utf-8"><title>Nhắc việc</title></head>
<body style="font-family: Arial, sans-serif; font-size: 14px; color: #222;">
<p>Kính gửi: <strong>Sở Công Thương</strong></p>
<p>Hệ thống nhắc việc của Ủy ban nhân dân tỉnh trân trọng thông báo đến Quý cơ quan 1 nhiệm vụ cần lưu ý, gồm:</p>
<ul>
<li>1 nhiệm vụ có thời hạn trong thời gian tới.</li>
</ul>
<h3>Các nhiệm vụ có thời hạn trong thời gian tới (1)</h3>
<ol>
<li value="1"><strong>Khảo sát mức độ chuyển đổi số doanh nghiệp thương mại điện tử</strong><br>
Mã nhiệm vụ: <strong>#1</strong> – Kế hoạch thử nghiệm nhắc việc ban hành ngày 15/04/2025<br>
Thời hạn: ngày 30/06/2025 – còn 10 ngày<br>
Thời gian thực hiện theo kế hoạch: Quý II/2025<br>
Vai trò: chủ trì.<br>
Đề nghị Quý cơ quan chủ động triển khai, hoàn thành đúng thời hạn và báo cáo kết quả về Sở Khoa học và Công nghệ.<br>
Tình trạng: chưa báo cáo</li>
</ol>
<p>Để báo cáo tiến độ, đề nghị Quý cơ quan trả lời thư này (thư trả lời được gửi đến skhcn@quangngai.example), mỗi nhiệm vụ một dòng gồm mã nhiệm vụ và tình trạng, ví dụ:<br>
#1: Hoàn thành<br>
#1: Đang thực hiện<br>
#1: Xin gia hạn đến ngày 30/09/2025<br>
và gửi kèm văn bản báo cáo (nếu có).</p>
<p>Trân trọng.</p>
<p style="color: #777; font-size: 12px;">Quý cơ quan nhận được thư này vì là đơn vị chủ trì thực hiện các nhiệm vụ nêu trên theo kế hoạch của Ủy ban nhân dân tỉnh. Thư được gửi tự động ngày 20/06/2025 từ Hệ thống nhắc việc.</p>
</body>
</html>
"""


def template_subject(kind, title, deadline):
    """The subject of a single-task message, by config/templates/vi/subject.txt: the
    kind of message and the deadline first, then the task."""
    words = {"reminder": "Sắp đến hạn", "escalation": "Quá hạn"}[kind]
    return f"[{words} {deadline}] {title}"


# ---- an SMTP server that also records the dialogue ---------------------------------

class _Recorder(_Handler):
    """The harness handler plus a record of connections and commands, and
    temporary refusals of chosen recipients (at RCPT or at end of DATA)."""

    def _connection(self, server):
        # One aiosmtpd SMTP object per TCP connection, kept across STARTTLS.
        with self.s.lock:
            for i, c in enumerate(self.s.connections):
                if c is server:
                    return i + 1
            self.s.connections.append(server)
            return len(self.s.connections)

    def _note(self, server, session, command, arg):
        n = self._connection(server)
        with self.s.lock:
            self.s.commands.append((n, command, arg, session.ssl is not None))
        return n

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self._note(server, session, "EHLO", hostname)
        session.host_name = hostname
        return responses

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        self._note(server, session, "MAIL", address)
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self._note(server, session, "RCPT", address)
        with self.s.lock:
            left = self.s.rcpt_tempfail.get(address.lower(), 0)
            if left:
                self.s.rcpt_tempfail[address.lower()] = left - 1
        if left:
            return "450 4.2.1 <%s>: Mailbox busy, try again later" % address
        return await super().handle_RCPT(server, session, envelope, address, rcpt_options)

    async def handle_DATA(self, server, session, envelope):
        n = self._note(server, session, "DATA", list(envelope.rcpt_tos))
        if any(a.lower() in self.s.data_tempfail for a in envelope.rcpt_tos):
            return "451 4.3.0 Temporary failure, try again later"
        with self.s.lock:
            before = len(self.s.messages)
        reply = await super().handle_DATA(server, session, envelope)
        with self.s.lock:
            if len(self.s.messages) > before:
                self.s.messages[-1].connection = n
        return reply


class Server(SMTPServer):
    """harness.SMTPServer (STARTTLS, AUTH, 451s to the first DATAs, 550s) plus:
    connections and commands seen; rcpt_tempfail={address: n} answers 450 to
    the first n RCPTs of that address; data_tempfail=(addresses) answers 451
    at end of DATA to every message for one of them."""

    def __init__(self, rcpt_tempfail=None, data_tempfail=(), **kw):
        super().__init__(**kw)
        self.connections = []
        self.commands = []
        self.rcpt_tempfail = {a.lower(): n for a, n in (rcpt_tempfail or {}).items()}
        self.data_tempfail = {a.lower() for a in data_tempfail}
        self.controller.handler = _Recorder(self)

    def seen(self, command):
        with self.lock:
            return [c for c in self.commands if c[1] == command]

    def received_by(self, address):
        with self.lock:
            return [m for m in self.messages if address in m.envelope_to]


@contextlib.contextmanager
def serving(**kw):
    smtp = Server(**kw).start()
    try:
        yield smtp
    finally:
        smtp.stop()


@contextlib.contextmanager
def workdir():
    w = Workdir()
    try:
        yield w
    finally:
        w.cleanup()


@contextlib.contextmanager
def daemon(config, now):
    d = Daemon(config, now=now).start()
    try:
        yield d
    finally:
        d.stop()


def outbox(w):
    return w.sql("SELECT id, message_id, recipient, state, attempts, last_error FROM messages"
                 " ORDER BY id")


def queued(w):
    """Messages in the outbox; 0 when the daemon never created its database."""
    if not os.path.exists(w.db) or not w.sql(
            "SELECT name FROM sqlite_master WHERE name = 'messages'"):
        return 0
    return len(outbox(w))


def wait_row(w, recipient, pred, what, timeout=30.0):
    """Polls the outbox until the row for `recipient` satisfies pred."""
    def row():
        if not os.path.exists(w.db):  # not yet created (sqlite3 would create it)
            return None
        try:
            rows = w.sql("SELECT state, attempts, last_error, message_id FROM messages"
                         " WHERE recipient = ?", recipient)
        except sqlite3.OperationalError:  # the daemon has not created its tables yet
            return None
        return rows and pred(rows[0]) and rows[0]
    return eventually(row, timeout, lambda: f"{what}; outbox: {queued(w) and outbox(w)}")


def wait_attempts(w, recipient, n, d):
    """Until the message to `recipient` has been tried (and deferred) n times."""
    return wait_row(w, recipient, lambda r: r[1] >= n,
                    f"{n} attempts for {recipient}\n--- log:\n{d.log()}")


def check_deferral_reason(d, status, pattern, what):
    """The log's last deferral and status's last_result both give a reason matching pattern."""
    deferred = re.findall(r"not delivered \((.*)\); retry at", d.log())
    check(deferred, "no deferral in the log:\n" + d.log())
    for why in (deferred[-1], status["last_result"]):
        check(re.search(pattern, why), f"the reason does not {what}: {why!r}")


def ids(header):
    """The <id> tokens of a Message-ID / In-Reply-To / References header."""
    return re.findall(r"<[^<>\s]+>", str(header or ""))


def header_names(raw):
    """Field names of the raw header block (continuation lines skipped)."""
    head = raw.split(b"\r\n\r\n", 1)[0].decode("ascii")
    return [line.split(":", 1)[0] for line in head.split("\r\n") if line[:1] not in (" ", "\t")]


def make_cert(directory, name, prefix):
    """A self-signed certificate for DNS:name only (no IP SAN, unlike the harness's)."""
    cert = os.path.join(directory, prefix + "-cert.pem")
    key = os.path.join(directory, prefix + "-key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-keyout", key, "-out", cert, "-subj", f"/CN={name}",
                    "-addext", f"subjectAltName=DNS:{name}"], check=True, capture_output=True)
    return cert, key


def set_host(w, host):
    """Rewrites [smtp] host of the written config (the harness fixes 127.0.0.1)."""
    with open(w.config, encoding="utf-8") as f:
        text = f.read()
    check("host = 127.0.0.1\n" in text, "the harness config changed")
    with open(w.config, "w", encoding="utf-8") as f:
        f.write(text.replace("host = 127.0.0.1\n", f"host = {host}\n"))


# ---- 1. plain SMTP ------------------------------------------------------------------

def test_plain_smtp_one_session_exact_vietnamese_message():
    """Plain SMTP to 127.0.0.1: both messages of a task led by two agencies go
    in one session; each parses to the exact Vietnamese subject (from
    subject.txt), text and HTML, with the RFC 5322/MIME headers a mail client
    needs, each once, the right envelope, and only 7-bit lines of at most 78
    columns on the wire."""
    with workdir() as w, serving() as smtp:
        w.write_config(TWO_LEADS, port=smtp.port)
        with daemon(w.config, BEFORE) as d:
            msgs = smtp.wait_for(2)
            d.wait_idle()
            check(smtp.count() == 2, f"{smtp.count()} messages (want 2)")
            by_rcpt = {tuple(m.envelope_to): m for m in msgs}
            check(set(by_rcpt) == {(SCT,), (SYT,)}, f"envelopes: {sorted(by_rcpt)}")
            subject = template_subject("reminder", TITLE, "30/06/2025")
            message_ids = set()
            for (rcpt,), m in sorted(by_rcpt.items()):
                raw = m.raw
                check(all(b < 0x80 for b in raw), f"8-bit bytes in the message to {rcpt}")
                long = [ln for ln in raw.split(b"\r\n") if len(ln) > 78]
                check(not long, f"lines over 78 columns: {long[:3]}")
                check(b"\n" not in raw.replace(b"\r\n", b""), "a bare LF on the wire")
                check(str(m["subject"]) == subject, f"subject to {rcpt}: {str(m['subject'])!r}")
                check(m.envelope_from == "nhacviec@quangngai.example",
                      f"MAIL FROM {m.envelope_from}")
                names = Counter(n.lower() for n in header_names(raw))
                twice = [n for n, k in names.items() if k > 1]
                check(not twice, f"headers that appear twice: {twice}\n{raw[:1500]!r}")
                check(m["From"].addresses[0].display_name == "Hệ thống nhắc việc"
                      and m["From"].addresses[0].addr_spec == "nhacviec@quangngai.example",
                      f"From: {m['From']}")
                check(str(m["Reply-To"]) ==
                      "Sở Khoa học và Công nghệ <skhcn@quangngai.example>",
                      f"Reply-To: {m['Reply-To']}")
                check([a.addr_spec for a in m["To"].addresses] == [rcpt], f"To: {m['To']}")
                check(m["Cc"] is None and m["Bcc"] is None, "no Cc/Bcc on a reminder")
                check(m["Auto-Submitted"] == "auto-generated",
                      f"Auto-Submitted: {m['Auto-Submitted']}")
                check(m["MIME-Version"] == "1.0", "MIME-Version")
                date = m["Date"].datetime
                check(date is not None and date.utcoffset().total_seconds() == 7 * 3600
                      and (date.year, date.month, date.day) == (2025, 6, 20),
                      f"Date: {m['Date']} (want 20/6/2025 +0700, the --now clock)")
                mid = ids(m["Message-ID"])
                check(len(mid) == 1 and mid[0].endswith("@quangngai.example>"),
                      f"Message-ID: {m['Message-ID']}")
                message_ids.add(mid[0])
                check(m.get_content_type() == "multipart/alternative", m.get_content_type())
                parts = [p.get_content_type() for p in m.iter_parts()]
                check(parts == ["text/plain", "text/html"], f"parts: {parts}")
                for p in m.iter_parts():
                    check(p.get_content_charset() == "utf-8", f"charset {p.get_content_charset()}")
                    check(p["Content-Transfer-Encoding"] == "quoted-printable",
                          f"Content-Transfer-Encoding: {p['Content-Transfer-Encoding']}")
            check(len(message_ids) == 2, "each message has its own Message-ID")
            lead = by_rcpt[(SCT,)]
            check(str(lead["To"]) == "Sở Công Thương <sct@quangngai.example>",
                  f"To: {lead['To']}")
            check(plain_body(lead) == EXPECTED_TEXT, f"text part:\n{plain_body(lead)}")
            check(html_body(lead) == EXPECTED_HTML, f"HTML part:\n{html_body(lead)}")
            other = plain_body(by_rcpt[(SYT,)])
            check(other == EXPECTED_TEXT.replace("Kính gửi: Sở Công Thương", "Kính gửi: Sở Y tế"),
                  f"the other lead's text part:\n{other}")
            rows = w.sql("SELECT recipient, state, attempts FROM messages ORDER BY recipient")
            check(rows == [("sct", "sent", 1), ("syt", "sent", 1)], f"outbox: {rows}")
            # Last, so that the checks above are reported whatever this one says.
            check(len(smtp.connections) == 1,
                  f"the 2 messages queued together took {len(smtp.connections)} SMTP "
                  f"sessions (want 1); commands: {smtp.commands}\n--- log:\n{d.log()}")


def test_max_per_connection_bounds_a_session():
    """[smtp] max_per_connection = 3 with six messages queued at one moment:
    exactly two sessions, three messages each."""
    leads = ["Sở Công Thương", "Sở Y tế", "Sở Tài chính", "Sở Nội vụ", "Sở Tư pháp",
             "Sở Xây dựng"]
    task = PLAN + "\n[task nhieu-don-vi]\nplan = KH-TEST\ntitle = " + TITLE + "\n" + \
        "".join(f"lead = {a}\n" for a in leads) + "timeframe = Quý II/2025\n"
    with workdir() as w, serving() as smtp:
        w.write_config(task, port=smtp.port, smtp_extra="max_per_connection = 3")
        with daemon(w.config, BEFORE) as d:
            msgs = smtp.wait_for(6)
            d.wait_idle()
            per = Counter(m.connection for m in msgs)
            check(len(msgs) == 6, f"{len(msgs)} messages")
            check(max(per.values()) <= 3, f"a session carried more than 3: {per}")
            check(len(per) == math.ceil(6 / 3),
                  f"6 messages queued together took {len(per)} sessions (want 2): "
                  f"{sorted(per.values())}\n--- log:\n{d.log()}")


def test_envelope_from_and_helo_from_the_config():
    """[smtp] envelope_from is the MAIL FROM (bounces) while From: stays the
    sender; [smtp] helo is the EHLO name."""
    with workdir() as w, serving() as smtp:
        w.write_config(ONE_LEAD, port=smtp.port,
                       smtp_extra="envelope_from = bounces@quangngai.example\n"
                                  "helo = deadlined.quangngai.example")
        with daemon(w.config, BEFORE) as d:
            m = smtp.wait_for(1)[0]
            d.wait_idle()
            check(m.envelope_from == "bounces@quangngai.example", f"MAIL FROM {m.envelope_from}")
            check(m["From"].addresses[0].addr_spec == "nhacviec@quangngai.example",
                  f"From: {m['From']}")
            helo = [c[2] for c in smtp.seen("EHLO")]
            check(helo == ["deadlined.quangngai.example"], f"EHLO names: {helo}")


def test_default_helo_is_a_full_name():
    """Without [smtp] helo the EHLO name is this host's full name or, when the
    resolver knows none, the sender's domain: never a bare node name."""
    with workdir() as w, serving() as smtp:
        w.write_config(ONE_LEAD, port=smtp.port)
        with daemon(w.config, BEFORE) as d:
            smtp.wait_for(1)
            d.wait_idle()
            helo = [c[2] for c in smtp.seen("EHLO")]
            check(helo and all("." in h and not h.startswith(".") for h in helo),
                  f"EHLO names: {helo}")



# ---- 2. STARTTLS ----------------------------------------------------------------------

def test_starttls_with_ca_file_delivers_over_tls():
    """tls = starttls, ca_file = the server's self-signed certificate, host
    127.0.0.1 (an IP SAN): the message goes over TLS, and nothing before
    STARTTLS carried mail."""
    with workdir() as w:
        cert, key = self_signed_cert(w.path)
        with serving(tls_cert=cert, tls_key=key) as smtp:
            w.write_config(ONE_LEAD, port=smtp.port, tls="starttls",
                           smtp_extra=f"ca_file = {cert}")
            with daemon(w.config, BEFORE) as d:
                m = smtp.wait_for(1)[0]
                d.wait_idle()
                check(m.tls, "delivered without TLS")
                check(m.envelope_to == [SCT], f"envelope {m.envelope_to}")
                clear = [c for c in smtp.commands if c[1] != "EHLO" and not c[3]]
                check(not clear, f"commands in clear: {clear}")
            check(w.sql("SELECT state FROM messages") == [("sent",)], f"outbox: {outbox(w)}")


def test_starttls_without_ca_file_refuses_the_self_signed_server():
    """Same server, no ca_file (verify on, system CAs): the certificate is not
    trusted, so the server receives no MAIL at all, the message stays queued
    and is retried, and the log and `deadlinectl status` say it is the
    certificate."""
    with workdir() as w:
        cert, key = self_signed_cert(w.path)
        with serving(tls_cert=cert, tls_key=key) as smtp:
            w.write_config(ONE_LEAD, port=smtp.port, tls="starttls")
            with daemon(w.config, BEFORE) as d:
                wait_attempts(w, "sct", 2, d)
                check(smtp.count() == 0 and not smtp.seen("MAIL"),
                      f"the untrusted server got mail: {smtp.commands}")
                check(smtp.seen("EHLO"), "the daemon never connected")
                row = w.sql("SELECT state FROM messages WHERE recipient = 'sct'")
                check(row == [("queued",)], f"outbox: {outbox(w)}")
                status = d.status()
                check(status["last_result"].startswith("deferred "),
                      f"last_result: {status['last_result']}")
                check_deferral_reason(d, status, r"(?i)certificate|verif",
                                      "say the certificate was refused")


def test_starttls_checks_the_host_name_not_only_the_chain():
    """A certificate that chains to ca_file but names another host
    (DNS:wrong.example, no IP SAN) is refused for host 127.0.0.1: no MAIL,
    the message stays queued."""
    with workdir() as w:
        cert, key = make_cert(w.path, "wrong.example", "wrong")
        with serving(tls_cert=cert, tls_key=key) as smtp:
            w.write_config(ONE_LEAD, port=smtp.port, tls="starttls",
                           smtp_extra=f"ca_file = {cert}")
            with daemon(w.config, BEFORE) as d:
                wait_attempts(w, "sct", 2, d)
                check(smtp.count() == 0 and not smtp.seen("MAIL"),
                      f"mail went to a server with another host's certificate: "
                      f"{smtp.commands}")
                check(w.sql("SELECT state FROM messages") == [("queued",)],
                      f"outbox: {outbox(w)}")


def test_starttls_required_server_without_starttls_gets_nothing_in_clear():
    """tls = starttls against a server that does not offer STARTTLS: the
    daemon says EHLO and nothing else — no MAIL, RCPT or DATA in clear — and
    the message stays queued for later."""
    with workdir() as w:
        cert, _ = self_signed_cert(w.path)
        with serving() as smtp:
            w.write_config(ONE_LEAD, port=smtp.port, tls="starttls",
                           smtp_extra=f"ca_file = {cert}")
            with daemon(w.config, BEFORE) as d:
                wait_attempts(w, "sct", 2, d)
                check({c[1] for c in smtp.commands} == {"EHLO"},
                      f"commands sent in clear: {smtp.commands}")
                check(smtp.count() == 0, "a message was delivered in clear")
                check(w.sql("SELECT state FROM messages") == [("queued",)],
                      f"outbox: {outbox(w)}")


def test_starttls_missing_is_named_in_the_reason():
    """When the server does not offer STARTTLS, the deferral reason in the log
    and in `deadlinectl status` names STARTTLS (an admin must see why)."""
    with workdir() as w:
        cert, _ = self_signed_cert(w.path)
        with serving() as smtp:
            w.write_config(ONE_LEAD, port=smtp.port, tls="starttls",
                           smtp_extra=f"ca_file = {cert}")
            with daemon(w.config, BEFORE) as d:
                wait_attempts(w, "sct", 1, d)
                check_deferral_reason(d, d.status(), r"(?i)starttls", "name STARTTLS")


def test_tls_none_to_a_remote_host_is_refused():
    """tls = none with host smtp.example.com: `deadlinectl check-config` fails
    and the daemon refuses to start, both naming the file and [smtp]; nothing
    is queued."""
    with workdir() as w:
        w.write_config(ONE_LEAD, port=25, tls="none")
        set_host(w, "smtp.example.com")
        p = ctl(w.config, "check-config")
        out = p.stdout + p.stderr
        check(p.returncode != 0, f"check-config accepted it:\n{out}")
        check(w.config in out and "[smtp]" in out and "smtp.example.com" in out,
              f"check-config does not name the file, [smtp] and the host:\n{out}")
        d = Daemon(w.config, now=BEFORE).start()
        try:
            rc = d.proc.wait(timeout=20)
        finally:
            d.stop()
        log = d.log()
        check(rc != 0, f"the daemon started (exit {rc}):\n{log}")
        check(w.config in log and "[smtp]" in log, f"the error does not name the file "
              f"and [smtp]:\n{log}")
        check(queued(w) == 0, "messages were queued")


def test_tls_none_to_a_name_starting_with_127_is_refused():
    """A host name that merely starts with "127." (127.mail.example.com is a
    DNS name that can resolve anywhere) is not loopback: tls = none to it is
    refused like any remote host."""
    with workdir() as w:
        w.write_config(ONE_LEAD, port=25, tls="none")
        set_host(w, "127.mail.example.com")
        p = ctl(w.config, "check-config")
        check(p.returncode != 0 and "[smtp]" in p.stdout + p.stderr,
              f"check-config accepted clear text to 127.mail.example.com "
              f"(exit {p.returncode}):\n{p.stdout}{p.stderr}")


def test_implicit_tls_is_refused_with_a_pointer_to_starttls():
    """tls = tls (port 465) cannot work with libesmtp 1.1: check-config says so
    and points to starttls, rather than the daemon hanging at the greeting."""
    with workdir() as w:
        w.write_config(ONE_LEAD, port=465, tls="tls")
        p = ctl(w.config, "check-config")
        out = p.stdout + p.stderr
        check(p.returncode != 0 and "[smtp]" in out and "starttls" in out,
              f"check-config: exit {p.returncode}\n{out}")


# ---- 3. AUTH --------------------------------------------------------------------------

USERS = {b"nhacviec": b"Mk-7391-bimat"}
PASSWORD = "Mk-7391-bimat"
WRONG_PASSWORD = "Sai-4827-matkhau"


def auth_config(w, port, password, mode):
    cert, _ = w.certs
    pw = w.file("smtp-password", password + "\n", mode=mode)
    w.write_config(ONE_LEAD, port=port, tls="starttls",
                   smtp_extra=f"ca_file = {cert}\nuser = nhacviec\npassword_file = {pw}")
    return pw


def test_auth_with_password_file_0600():
    """user + password_file (mode 0600) over STARTTLS: the server sees an
    authenticated TLS session and gets the message; the password is never
    logged."""
    with workdir() as w:
        w.certs = cert, key = self_signed_cert(w.path)
        with serving(tls_cert=cert, tls_key=key, users=USERS) as smtp:
            auth_config(w, smtp.port, PASSWORD, 0o600)
            with daemon(w.config, BEFORE) as d:
                m = smtp.wait_for(1)[0]
                d.wait_idle()
                check(m.tls and m.authenticated, f"tls={m.tls} authenticated={m.authenticated}")
                check(m.envelope_to == [SCT], f"envelope {m.envelope_to}")
                check(PASSWORD not in d.log(), "the password is in the log")
            check(w.sql("SELECT state FROM messages") == [("sent",)], f"outbox: {outbox(w)}")


def test_auth_password_file_readable_by_group_is_refused_at_start():
    """A password file of mode 0640 is refused: check-config fails and the
    daemon does not start, with an error naming the file; nothing is sent."""
    with workdir() as w:
        w.certs = cert, key = self_signed_cert(w.path)
        with serving(tls_cert=cert, tls_key=key, users=USERS) as smtp:
            pw = auth_config(w, smtp.port, PASSWORD, 0o640)
            p = ctl(w.config, "check-config")
            check(p.returncode != 0 and pw in p.stdout + p.stderr,
                  f"check-config: exit {p.returncode}\n{p.stdout}{p.stderr}")
            d = Daemon(w.config, now=BEFORE).start()
            try:
                rc = d.proc.wait(timeout=20)
            finally:
                d.stop()
            log = d.log()
            check(rc != 0, f"the daemon started (exit {rc}):\n{log}")
            check(pw in log and "password_file" in log and "[smtp]" in log,
                  f"the error does not name the password file:\n{log}")
            check(PASSWORD not in log, "the password is in the log")
            check(smtp.count() == 0 and not smtp.commands, f"the server saw {smtp.commands}")


def test_auth_wrong_password_is_retried_not_failed():
    """A wrong password: nothing is delivered, the message stays queued
    (a credentials problem the admin can fix, not a refusal of the mail) and
    is tried again."""
    with workdir() as w:
        w.certs = cert, key = self_signed_cert(w.path)
        with serving(tls_cert=cert, tls_key=key, users=USERS) as smtp:
            auth_config(w, smtp.port, WRONG_PASSWORD, 0o600)
            with daemon(w.config, BEFORE) as d:
                wait_attempts(w, "sct", 2, d)
                check(smtp.count() == 0, "delivered with a wrong password")
                check(w.sql("SELECT state FROM messages") == [("queued",)],
                      f"outbox: {outbox(w)}")
                check(re.search(r"not delivered .*; retry at 2025-06-20T09:\d\d:\d\d\+07:00",
                                d.log()), "no retry in the log:\n" + d.log())
                check(WRONG_PASSWORD not in d.log(), "the password is in the log")


def test_auth_failure_is_named_in_the_reason():
    """With a wrong password the deferral reason in the log and `deadlinectl
    status` says the server refused (530 / authentication), not "No Error"."""
    with workdir() as w:
        w.certs = cert, key = self_signed_cert(w.path)
        with serving(tls_cert=cert, tls_key=key, users=USERS) as smtp:
            auth_config(w, smtp.port, WRONG_PASSWORD, 0o600)
            # One attempt in the test's time: later ones may meet a server that has
            # had enough of bad passwords and drops the connection instead.
            with open(w.config, encoding="utf-8") as f:
                text = f.read().replace("retry_base = 1s", "retry_base = 60s")
            with open(w.config, "w", encoding="utf-8") as f:
                f.write(text)
            with daemon(w.config, BEFORE) as d:
                wait_attempts(w, "sct", 1, d)
                check_deferral_reason(d, d.status(), r"(?i)530|auth",
                                      "say authentication failed")


# ---- 4. temporary failures ---------------------------------------------------------------

def test_451_at_data_then_accepted_after_retries():
    """The server answers 451 to the first two DATA, then accepts: the message
    arrives once, the outbox row ends 'sent' with 3 attempts, and the log
    gives the 451 and the (--now based) retry time."""
    with workdir() as w, serving(tempfail=2) as smtp:
        w.write_config(ONE_LEAD, port=smtp.port)
        with daemon(w.config, BEFORE) as d:
            smtp.wait_for(1, timeout=60)
            d.wait_idle(timeout=30)
            check(smtp.count() == 1, f"{smtp.count()} messages")
            check(smtp.data_commands == 3, f"{smtp.data_commands} DATA commands (want 3)")
            rows = w.sql("SELECT state, attempts FROM messages")
            check(rows == [("sent", 3)], f"outbox: {rows}")
            retries = re.findall(r"not delivered \(.*451 4\.3\.0.*\); retry at "
                                 r"(2025-06-20T09:\d\d:\d\d\+07:00)", d.log())
            check(len(retries) == 2, "want two deferrals with the 451 and the retry time:\n"
                  + d.log())
            check(retries[0] < retries[1], f"retry times {retries}")
            check(re.search(r"delivered deadlined\.\S+ to sct@", d.log()), d.log())


def test_temporary_rcpt_refusal_is_retried_for_that_recipient():
    """A 450 to one RCPT (a Cc'd agency's mailbox busy) is temporary: the
    others get the message now, that agency gets it on a later attempt, each
    exactly once, and nothing ends 'partial' or 'failed'."""
    with workdir() as w, serving(rcpt_tempfail={STC: 1}) as smtp:
        w.write_config(WITH_COORDINATING, port=smtp.port)
        with daemon(w.config, AFTER) as d:
            def all_got_it():
                return all(smtp.received_by(a) for a in (SCT, SKHCN, STC, SYT))
            eventually(all_got_it, 20, lambda: f"every recipient to get its escalation; "
                       f"RCPTs {smtp.seen('RCPT')}\noutbox {outbox(w)}\n--- log:\n{d.log()}")
            d.wait_idle()
            for a in (SCT, SKHCN, STC, SYT):
                check(len(smtp.received_by(a)) == 1,
                      f"{a} got {len(smtp.received_by(a))} copies")
            states = w.sql("SELECT state FROM messages WHERE recipient != 'admin'")
            check(all(s == ("sent",) for s in states), f"outbox: {outbox(w)}")


def test_gives_up_after_retry_max_age_and_tells_the_admin():
    """A message deferred (451) longer than retry_max_age (5s here) is marked
    failed with the reason, and the admin's summary lists it."""
    with workdir() as w, serving(data_tempfail=[SCT]) as smtp:
        w.write_config(ONE_LEAD, port=smtp.port, retry_max_age="5s")
        with daemon(w.config, BEFORE) as d:
            row = wait_row(w, "sct", lambda r: r[0] != "queued", "the message to give up",
                           timeout=60)
            check(row[0] == "failed", f"outbox: {outbox(w)}")
            check(re.search(r"gave up after \d+ attempts", row[2] or ""), f"reason {row[2]!r}")
            check(row[1] >= 2, f"only {row[1]} attempt(s) before giving up")
            admin = eventually(lambda: smtp.received_by(ADMIN), 30,
                               lambda: "the admin summary\n" + d.log())
            text = plain_body(admin[0])
            check(row[3] in text, f"the summary does not name {row[3]}:\n{text}")
            check(smtp.received_by(SCT) == [], "the failed message was delivered")


# ---- 5. permanent refusal of one recipient -------------------------------------------------

# An agency with two addresses: one message, two recipients (agencies get no Cc).
TWO_ADDRESSES = PLAN + f"""
[agency hai-dia-chi]
name = Sở Thử nghiệm hai địa chỉ
email = {SCT}
email = {SKHCN}
email = {STC}

[task khao-sat]
plan = KH-TEST
title = {TITLE}
lead = Sở Thử nghiệm hai địa chỉ
timeframe = Quý II/2025

[task ho-so-suc-khoe]
plan = KH-TEST
title = Số hóa hồ sơ sức khỏe điện tử
lead = Sở Y tế
timeframe = Quý II/2025
"""


def test_550_for_one_recipient_partial_and_admin_summary():
    """550 for one of an agency's addresses (stc) among good ones: sct and
    skhcn get the escalation, stc is recorded (state 'partial', an
    rcpt_failures row with 550), syt's message in the same session is
    unaffected, and the admin receives a summary naming the message and the
    refused address."""
    with workdir() as w, serving(reject=[STC]) as smtp:
        w.write_config(TWO_ADDRESSES, port=smtp.port)
        with daemon(w.config, AFTER) as d:
            admin = eventually(lambda: smtp.received_by(ADMIN), 30,
                               lambda: "the admin summary\n" + d.log())
            d.wait_idle()
            lead = smtp.received_by(SCT)
            check(len(lead) == 1, f"sct got {len(lead)}")
            check(lead[0].envelope_to == [SCT, SKHCN], f"envelope {lead[0].envelope_to}")
            check(str(lead[0]["subject"]) == template_subject("escalation", TITLE, "30/06/2025"),
                  f"subject {str(lead[0]['subject'])!r}")
            check(lead[0]["Cc"] is None, f"Cc: {lead[0]['Cc']}")
            check(not smtp.received_by(STC), "the refused address got it")
            other = smtp.received_by(SYT)
            check(len(other) == 1 and other[0].envelope_to == [SYT], f"syt: {other}")
            rows = {r[0]: r for r in w.sql("SELECT recipient, state, attempts, message_id, id"
                                           " FROM messages")}
            check(rows["hai-dia-chi"][1] == "partial" and rows["hai-dia-chi"][2] == 1,
                  f"outbox: {rows}")
            check(rows["syt"][1] == "sent", f"outbox: {rows}")
            fails = w.sql("SELECT message, address, code FROM rcpt_failures")
            check(fails == [(rows["hai-dia-chi"][4], STC, 550)], f"rcpt_failures: {fails}")
            status = d.status()
            check(status["partial"] == "1" and status["queue"] == "0", f"status {status}")
            text = plain_body(admin[0])
            for needle in (rows["hai-dia-chi"][3], STC, "550"):
                check(needle in text, f"{needle!r} not in the admin summary:\n{text}")
            check(admin[0]["Auto-Submitted"] == "auto-generated", "admin Auto-Submitted")
            check(len(admin) == 1, f"{len(admin)} admin summaries")


def test_every_recipient_refused_fails_at_once():
    """550 for the only recipient: the message is 'failed' after one attempt,
    never retried, and the admin is told."""
    with workdir() as w, serving(reject=[SCT]) as smtp:
        w.write_config(ONE_LEAD, port=smtp.port)
        with daemon(w.config, BEFORE) as d:
            eventually(lambda: smtp.received_by(ADMIN), 30,
                       lambda: "the admin summary\n" + d.log())
            d.wait_idle()
            rows = w.sql("SELECT state, attempts FROM messages WHERE recipient = 'sct'")
            check(rows == [("failed", 1)], f"outbox: {outbox(w)}")
            check(len(smtp.seen("RCPT")) == 2, f"RCPTs: {smtp.seen('RCPT')} (want sct once, "
                  "then the admin)")


def test_admin_summary_does_not_repeat_a_reported_failure():
    """The failure summary reported on 1/7 is not sent again on 2/7 when
    nothing new failed."""
    with workdir() as w, serving(reject=[STC]) as smtp:
        w.write_config(WITH_COORDINATING, port=smtp.port)
        with daemon(w.config, AFTER) as d:
            eventually(lambda: smtp.received_by(ADMIN), 30,
                       lambda: "the admin summary\n" + d.log())
            d.wait_idle()
        # The next morning: no escalation is due (the next step is 7:monitor).
        with daemon(w.config, "2025-07-02T09:00:00+07:00") as d:
            # Settled: the next wake-up is another day and nothing is in flight.
            d.wait_log(r"next wake-up: (none|2025-07-(0[3-9]|[123]\d))")
            d.wait_idle()
            summaries = smtp.received_by(ADMIN)
            check(len(summaries) == 1, f"the admin got {len(summaries)} summaries of one "
                  f"failure:\n" + "\n---\n".join(plain_body(m) for m in summaries)
                  + "\n--- log:\n" + d.log())


# ---- 6. the server comes back ----------------------------------------------------------------

def test_server_down_then_up_delivers_exactly_once():
    """Nothing listens on the configured port when the daemon starts: the
    message is deferred (connection refused); once a server listens on that
    port it is delivered, exactly once."""
    port = free_port()
    with workdir() as w:
        w.write_config(ONE_LEAD, port=port)
        with daemon(w.config, BEFORE) as d:
            d.wait_log(r"not delivered \(.*[Cc]onnection refused.*\); retry at")
            check(w.sql("SELECT state FROM messages") == [("queued",)], f"outbox: {outbox(w)}")
            smtp = Server(port=port).start()
            try:
                smtp.wait_for(1, timeout=60)
                d.wait_idle(timeout=30)
                check(smtp.count() == 1, f"{smtp.count()} copies (want 1)")
                check(smtp.messages[0].envelope_to == [SCT], "envelope")
                check(len(smtp.seen("DATA")) == 1, f"DATA: {smtp.seen('DATA')}")
                rows = w.sql("SELECT state, attempts FROM messages")
                check(rows[0][0] == "sent" and rows[0][1] >= 2, f"outbox: {rows}")
                check(len(re.findall(r"delivered deadlined\.", d.log())) == 1, d.log())
            finally:
                smtp.stop()


# ---- 7. threading ------------------------------------------------------------------------------

def test_reminder_and_escalation_thread_together():
    """The reminder (20/6) and the escalation (1/7) about one occurrence to
    one agency: the reminder replies to nothing (nothing was sent before);
    the escalation's In-Reply-To is the reminder's Message-ID, which its
    References contain — and nothing made up."""
    with workdir() as w, serving() as smtp:
        w.write_config(ONE_LEAD, port=smtp.port)
        with daemon(w.config, BEFORE) as d:
            first = smtp.wait_for(1)[0]
            d.wait_idle()
        with daemon(w.config, AFTER) as d:
            msgs = smtp.wait_for(2)
            d.wait_idle()
        check(len(msgs) == 2, f"{len(msgs)} messages")
        second = msgs[1]
        check(str(first["subject"]).startswith("[Sắp đến hạn 30/06/2025] "),
              str(first["subject"]))
        check(str(second["subject"]) == template_subject("escalation", TITLE, "30/06/2025"),
              str(second["subject"]))
        check(first["In-Reply-To"] is None and first["References"] is None,
              f"the first message replies to {first['In-Reply-To']} {first['References']}")
        first_id = ids(first["Message-ID"])
        check(len(first_id) == 1, f"Message-ID {first['Message-ID']}")
        check(ids(second["In-Reply-To"]) == first_id,
              f"In-Reply-To {second['In-Reply-To']} (want {first_id[0]})")
        check(first_id[0] in ids(second["References"]),
              f"References {second['References']} lacks {first_id[0]}")
        check(ids(second["References"]) == first_id,
              f"References {second['References']}: only what was sent")
        check(ids(second["Message-ID"]) != first_id, "the same Message-ID twice")


# ---- 8. header injection ------------------------------------------------------------------------

INJECTED = ("Triển khai nền tảng số\r\nBcc: evil@example.com\nX-Injected: yes\n.\n"
            "To: victim@example.com")


def test_no_header_injection_from_an_imported_multiline_cell():
    """A CSV plan whose task cell spans lines ("…\\r\\nBcc: evil@example.com\\n
    X-Injected: yes\\n.\\nTo: victim@example.com"): the single-task reminder's
    subject carries the title on one line, no Bcc or injected header exists,
    the envelope is only the agency's, and the lone '.' line does not cut the
    message short."""
    with workdir() as w, serving() as smtp:
        w.write_config("", port=smtp.port)
        csv_path = os.path.join(w.path, "ke-hoach.csv")
        with open(csv_path, "w", encoding="utf-8", newline="") as f:
            f.write('STT,Nhiệm vụ,Chủ trì,Thời gian\r\n'
                    '1,"' + INJECTED + '",Sở Công Thương,Quý II/2025\r\n')
        ctl(w.config, "import", "--plan-id", "KH-CSV", "--issued", "2025-04-15",
            "--period", "2025-2025", csv_path, check_rc=0)
        titles = w.sql("SELECT title FROM tasks WHERE plan_id = 'KH-CSV'")
        check(len(titles) == 1 and "\n" not in titles[0][0] and "\r" not in titles[0][0],
              f"the import kept line breaks in the title: {titles}")
        # The mailer must hold even if a title with line breaks reaches the store.
        w.sql("UPDATE tasks SET title = ? WHERE plan_id = 'KH-CSV'", INJECTED)
        with daemon(w.config, BEFORE) as d:
            m = smtp.wait_for(1)[0]
            d.wait_idle()
            check(smtp.count() == 1, f"{smtp.count()} messages")
        check(m.envelope_to == [SCT], f"envelope recipients {m.envelope_to}")
        rcpts = [c[2] for c in smtp.seen("RCPT")]
        check(rcpts == [SCT], f"RCPT commands {rcpts}")
        names = [n.lower() for n in header_names(m.raw)]
        check("bcc" not in names and "x-injected" not in names,
              f"injected headers: {names}")
        check(names.count("to") == 1 and [a.addr_spec for a in m["To"].addresses] == [SCT],
              f"To: {m['To']}")
        subject = str(m["subject"])
        check("\r" not in subject and "\n" not in subject, f"subject {subject!r}")
        check(" ".join(subject.split()).startswith("[Sắp đến hạn 30/06/2025] Triển khai nền "
                                                   "tảng số Bcc: evil@example.com X-Injected: "
                                                   "yes"),
              f"subject {subject!r}")
        check(m.get_content_type() == "multipart/alternative" and html_body(m),
              "the message was cut short")
        body = plain_body(m)
        check("To: victim@example.com" in body and body.rstrip().endswith("Hệ thống nhắc việc."),
              f"the text part was cut short:\n{body}")


if __name__ == "__main__":
    run_tests([
        test_plain_smtp_one_session_exact_vietnamese_message,
        test_max_per_connection_bounds_a_session,
        test_envelope_from_and_helo_from_the_config,
        test_default_helo_is_a_full_name,
        test_starttls_with_ca_file_delivers_over_tls,
        test_starttls_without_ca_file_refuses_the_self_signed_server,
        test_starttls_checks_the_host_name_not_only_the_chain,
        test_starttls_required_server_without_starttls_gets_nothing_in_clear,
        test_starttls_missing_is_named_in_the_reason,
        test_tls_none_to_a_remote_host_is_refused,
        test_tls_none_to_a_name_starting_with_127_is_refused,
        test_implicit_tls_is_refused_with_a_pointer_to_starttls,
        test_auth_with_password_file_0600,
        test_auth_password_file_readable_by_group_is_refused_at_start,
        test_auth_wrong_password_is_retried_not_failed,
        test_auth_failure_is_named_in_the_reason,
        test_451_at_data_then_accepted_after_retries,
        test_temporary_rcpt_refusal_is_retried_for_that_recipient,
        test_gives_up_after_retry_max_age_and_tells_the_admin,
        test_550_for_one_recipient_partial_and_admin_summary,
        test_every_recipient_refused_fails_at_once,
        test_admin_summary_does_not_repeat_a_reported_failure,
        test_server_down_then_up_delivers_exactly_once,
        test_reminder_and_escalation_thread_together,
        test_no_header_injection_from_an_imported_multiline_cell,
    ])
