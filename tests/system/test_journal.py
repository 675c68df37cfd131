"""Journal records with fields, read back as journald would receive them.

sd_journal_sendv() writes to /run/systemd/journal/socket and honours no
override. The test binds a socket of its own there, in a private mount
namespace that only the daemon sees, and decodes the native protocol
(KEY=VALUE lines, or KEY, a little-endian 64-bit length and the bytes):
exactly what `journalctl -u deadlined AGENCY=syt` would select on."""
import os
import socket
import struct
import subprocess
import time

from harness import DEADLINED, SMTPServer, Workdir, check, eventually, run_tests
from sysenv import WrappedDaemon, with_mounts

PLAN = """\
[plan KH-TEST]
title = Kế hoạch thử nghiệm nhật ký
issued = 2025-04-15
period = 2025-2025
"""

TASKS = PLAN + """
[task khao-sat]
plan = KH-TEST
title = Khảo sát mức độ chuyển đổi số doanh nghiệp
lead = Sở Công Thương
coordinating = Sở Khoa học và Công nghệ
timeframe = Quý II/2025

[task bao-cao]
plan = KH-TEST
title = Báo cáo kết quả khảo sát
lead = Sở Công Thương
timeframe = Quý II/2025
"""

NOW = "2025-06-20T09:00:00+07:00"


def parse_record(data):
    """One datagram of journald's native protocol: a list of (name, value)."""
    fields, pos = [], 0
    while pos < len(data):
        nl = data.index(b"\n", pos)
        line = data[pos:nl]
        if b"=" in line:
            name, _, value = line.partition(b"=")
            pos = nl + 1
        else:
            name = line
            (size,) = struct.unpack_from("<Q", data, nl + 1)
            value = data[nl + 9:nl + 9 + size]
            check(data[nl + 9 + size:nl + 10 + size] == b"\n", "a binary field ends with LF")
            pos = nl + 10 + size
        fields.append((name.decode(), value.decode()))
    return fields


class Journal:
    """A socket where journald's would be, in the daemon's namespace only."""

    def __init__(self, w):
        self.root = os.path.join(w.path, "systemd")
        os.makedirs(os.path.join(self.root, "journal"))
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(os.path.join(self.root, "journal", "socket"))
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
        self.sock.setblocking(False)
        os.chmod(self.root, 0o755)
        self.records = []

    def prefix(self):
        return with_mounts([(self.root, "/run/systemd")], [])

    def read(self):
        while True:
            try:
                self.records.append(parse_record(self.sock.recv(1 << 20)))
            except BlockingIOError:
                return self.records

    def wait(self, predicate, what):
        return eventually(lambda: [r for r in self.read() if predicate(r)], 20, what)

    def close(self):
        self.sock.close()


def values(record, name):
    return [v for k, v in record if k == name]


def one(record, name):
    v = values(record, name)
    check(len(v) == 1, f"{name}= once in {record}")
    return v[0]


def message(record):
    return one(record, "MESSAGE")


def test_records_carry_agency_task_plan_message_id_and_smtp_code():
    w = Workdir()
    smtp = SMTPServer(reject=["skhcn@quangngai.example"]).start()
    journal = Journal(w)
    d = None
    try:
        w.write_config(TASKS, port=smtp.port)
        d = WrappedDaemon(w.config, prefix=journal.prefix(), foreground=False, now=NOW).start()
        sct = smtp.wait_for(1)[0]
        check(sct.envelope_to == ["sct@quangngai.example"], f"to {sct.envelope_to}")
        refused = journal.wait(lambda r: message(r).startswith("refused "),
                               "the refusal's record")[0]
        delivered = journal.wait(lambda r: message(r).startswith("delivered "),
                                 "the delivery's record")[0]
        queued = [r for r in journal.read() if message(r).startswith("reminder for ")]
        by_agency = {one(r, "AGENCY"): r for r in queued}
        check(sorted(by_agency) == ["sct", "skhcn"], f"queued records: {queued}")

        # The digest to sct is about both tasks: each TASK= once, the plan once.
        q = by_agency["sct"]
        check(sorted(values(q, "TASK")) == ["bao-cao", "khao-sat"], f"TASK= of {q}")
        check(values(q, "PLAN") == ["KH-TEST"], f"PLAN= of {q}")
        check(one(q, "PRIORITY") == "6", "a queued message is info")
        check(one(q, "SYSLOG_IDENTIFIER") == "deadlined", "the identifier")
        mid = sct["Message-ID"].strip("<>")
        check(one(q, "MESSAGE_ID") == mid, f"MESSAGE_ID= {values(q, 'MESSAGE_ID')} vs {mid}")
        check(values(by_agency["skhcn"], "TASK") == ["khao-sat"], "skhcn coordinates one task")

        check(one(delivered, "MESSAGE_ID") == mid and one(delivered, "AGENCY") == "sct",
              f"the delivery names the message and the agency: {delivered}")
        check(one(delivered, "PRIORITY") == "6", "a delivery is info")
        check(one(refused, "AGENCY") == "skhcn", f"the refusal's agency: {refused}")
        check(one(refused, "SMTP_CODE") == "550", f"the refusal's reply code: {refused}")
        check(one(refused, "PRIORITY") == "4", "a refusal is a warning")
        check(one(refused, "MESSAGE_ID") == one(by_agency["skhcn"], "MESSAGE_ID"),
              "the refusal names the message queued for skhcn")

        started = [r for r in journal.read() if message(r).startswith("started: ")]
        check(len(started) == 1 and not values(started[0], "AGENCY"),
              "a record about no agency has no AGENCY=")
        check(all(not values(r, "CODE_FILE") for r in journal.read()),
              "no CODE_FILE= (it would always name log.c)")
        check(d.stop() == 0, "stops\n" + d.log())
        check(not [l for l in d.log().splitlines() if l.startswith("deadlined: ")],
              "as a service nothing is logged to stderr:\n" + d.log())
    finally:
        if d and d.proc.poll() is None:
            d.stop()
        journal.close()
        smtp.stop()
        w.cleanup()


def stream_of(path):
    st = os.stat(path)
    return f"{st.st_dev}:{st.st_ino}"


def run_foreground(on_stream):
    """deadlined --foreground with JOURNAL_STREAM naming its stderr or another
    file; returns (its stderr, the records the journal got)."""
    w = Workdir()
    smtp = SMTPServer().start()
    journal = Journal(w)
    err_path = os.path.join(w.path, "stderr")
    try:
        w.write_config(TASKS, port=smtp.port)
        with open(err_path, "w") as err:
            env = dict(os.environ, JOURNAL_STREAM=stream_of(err_path if on_stream else w.config))
            p = subprocess.Popen([*journal.prefix(), DEADLINED, "--foreground", "--config",
                                  w.config, "--now", NOW], stderr=err,
                                 stdout=subprocess.DEVNULL, env=env)
            try:
                smtp.wait_for(2)
                settled = ((lambda: any(message(r).startswith("next wake-up")
                                        for r in journal.read())) if on_stream else
                           (lambda: "next wake-up" in open(err_path).read()))
                eventually(settled, 20, "the daemon to settle after sending")
            finally:
                p.terminate()
                check(p.wait(20) == 0, "stops")
        time.sleep(0.1)
        with open(err_path) as f:
            return f.read(), journal.read()
    finally:
        journal.close()
        smtp.stop()
        w.cleanup()


def test_foreground_on_the_journal_stream_sends_records_else_plain_lines():
    """systemd gives a service's stderr to the journal and names it in
    JOURNAL_STREAM: --foreground there still sends records with fields.
    Anywhere else --foreground writes plain lines, as a human expects."""
    text, records = run_foreground(on_stream=True)
    check("deadlined: " not in text, f"nothing on stderr:\n{text}")
    check(any(values(r, "AGENCY") for r in records), f"records with fields: {records}")
    text, records = run_foreground(on_stream=False)
    check("deadlined: started: " in text and "deadlined: delivered " in text,
          f"plain lines on stderr:\n{text}")
    check("AGENCY=" not in text, "no fields in the plain lines")
    check(records == [], f"no record for the journal: {records}")


if __name__ == "__main__":
    run_tests([
        test_records_carry_agency_task_plan_message_id_and_smtp_code,
        test_foreground_on_the_journal_stream_sends_records_else_plain_lines,
    ])
