"""bench_mail.py — mail throughput the way the product runs: the real
deadlined delivering one reminder to each of N agencies, against aiosmtpd
(in a process of its own) and against Postfix (Debian's, a private instance
on a high port, started here if it can be: installed, and run as root so
that its master can drop to the postfix user), with `[smtp] connections` =
1, 3 (the default) and 8; beside Python's smtplib over one connection and
msmtp run once per message, sending the same digest.

deadlined's rate runs from its first "delivered" log line to its last (the
planning before is not mail); the others' from the first send to the last
reply. Medians of ROUNDS rounds, printed as a Markdown section."""
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "system"))
from harness import (DEADLINED, MANY_NOW, Daemon, Workdir, eventually,  # noqa: E402
                     many_agencies)

ROUNDS = int(os.environ.get("BENCH_MAIL_ROUNDS", "5"))
MESSAGES = int(os.environ.get("BENCH_MAIL_MESSAGES", "400"))
MSMTP_MESSAGES = 60  # one process and one connection each: slow
CONNECTIONS = (1, 3, 8)
FROM = "nhacviec@quangngai.example"

AIOSMTPD = """
import sys, time
from aiosmtpd.controller import Controller
class Sink:
    async def handle_DATA(self, server, session, envelope):
        return "250 2.0.0 accepted"
c = Controller(Sink(), hostname="127.0.0.1", port=int(sys.argv[1]))
c.start()
print("ready", flush=True)
sys.stdin.read()
c.stop()
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, proc, what):
    def up():
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return True
        except OSError:
            return False
    eventually(up, 30, what)


class Aiosmtpd:
    name = "aiosmtpd 1.4 (no PIPELINING)"

    def start(self):
        self.port = free_port()
        self.proc = subprocess.Popen(["/usr/bin/python3", "-c", AIOSMTPD, str(self.port)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.proc.stdout.readline()
        wait_port(self.port, self.proc, "aiosmtpd")
        return self

    def stop(self):
        self.proc.stdin.close()
        self.proc.wait(30)


MAIN_CF = """compatibility_level = 3.6
queue_directory = {dir}/queue
data_directory = {dir}/data
mail_owner = postfix
setgid_group = postdrop
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mydestination =
mynetworks = 127.0.0.0/8
relay_domains = quangngai.example
default_transport = discard
relay_transport = discard
local_transport = discard
maillog_file = /dev/stdout
alias_maps =
alias_database =
smtpd_banner = bench ESMTP
"""
MASTER_CF = """127.0.0.1:{port} inet n - n - - smtpd
pickup unix n - n 60 1 pickup
cleanup unix n - n - 0 cleanup
qmgr unix n - n 300 1 qmgr
rewrite unix - - n - - trivial-rewrite
bounce unix - - n - 0 bounce
defer unix - - n - 0 bounce
trace unix - - n - 0 bounce
verify unix - - n - 1 verify
proxymap unix - - n - - proxymap
showq unix n - n - - showq
error unix - - n - - error
retry unix - - n - - error
discard unix - - n - - discard
anvil unix - - n - 1 anvil
scache unix - - n - 1 scache
postlog unix-dgram n - n - 1 postlogd
"""


def postfix_missing():
    """Why Postfix cannot be measured here, or None."""
    if not shutil.which("postfix"):
        return "not installed (Debian's postfix package)"
    if os.geteuid() != 0:
        return "its master must start as root to drop to the postfix user"
    try:
        pwd.getpwnam("postfix")
    except KeyError:
        return "no postfix user"
    return None


class Postfix:
    name = "Postfix {version} (PIPELINING, CHUNKING)"

    def start(self):
        self.dir = tempfile.mkdtemp(prefix="deadlined-bench-postfix-")
        os.chmod(self.dir, 0o755)  # the postfix user goes through it to its data
        self.port = free_port()
        etc = os.path.join(self.dir, "etc")
        for d in ("etc", "queue", "data"):
            os.makedirs(os.path.join(self.dir, d))
        shutil.chown(os.path.join(self.dir, "data"), "postfix")
        with open(os.path.join(etc, "main.cf"), "w") as f:
            f.write(MAIN_CF.format(dir=self.dir))
        with open(os.path.join(etc, "master.cf"), "w") as f:
            f.write(MASTER_CF.format(port=self.port))
        version = subprocess.run(["postconf", "-d", "-h", "mail_version"], capture_output=True,
                                 text=True).stdout.strip()
        self.name = Postfix.name.format(version=version)
        self.etc = etc
        self.proc = subprocess.Popen(["postfix", "-c", etc, "start-fg"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_port(self.port, self.proc, "postfix")
        return self

    def stop(self):
        subprocess.run(["postfix", "-c", self.etc, "stop"], capture_output=True)
        self.proc.wait(60)
        shutil.rmtree(self.dir, ignore_errors=True)


class StampedDaemon(Daemon):
    """A Daemon that notes when each log line arrived."""

    def _read(self):
        self.stamps = []
        for line in self.proc.stderr:
            with self.lock:
                self.lines.append(line.rstrip("\n"))
                if line.startswith("deadlined: delivered "):
                    self.stamps.append(time.monotonic())

    def delivered(self):
        with self.lock:
            return list(self.stamps)


def deadlined_rate(server, connections):
    w = Workdir()
    try:
        w.write_config(many_agencies(MESSAGES), port=server.port,
                       smtp_extra=f"connections = {connections}")
        d = StampedDaemon(w.config, now=MANY_NOW).start()
        eventually(lambda: len(d.delivered()) >= MESSAGES, 600,
                   lambda: f"{MESSAGES} deliveries\n{d.log()[-3000:]}")
        stamps = d.delivered()
        d.stop()
        return (MESSAGES - 1) / (stamps[-1] - stamps[0])
    finally:
        w.cleanup()


def sample_digest():
    """One of deadlined's reminders, as it goes on the wire (CRLF)."""
    w = Workdir()
    try:
        w.write_config(many_agencies(1), transport="maildir")
        d = Daemon(w.config, now=MANY_NOW).start()
        eventually(lambda: w.maildir_messages(), 60, "a reminder in the Maildir")
        d.stop()
        return w.maildir_messages()[0].raw.replace(b"\n", b"\r\n")
    finally:
        w.cleanup()


def smtplib_rate(server, body):
    import smtplib
    s = smtplib.SMTP("127.0.0.1", server.port, timeout=60)
    s.ehlo("bench.quangngai.example")
    began = time.monotonic()
    for i in range(MESSAGES):
        s.sendmail(FROM, [f"dv{i % 999 + 1:03d}@quangngai.example"], body)
    took = time.monotonic() - began
    s.quit()
    return MESSAGES / took


def msmtp_rate(server, body):
    began = time.monotonic()
    for i in range(MSMTP_MESSAGES):
        subprocess.run(["msmtp", "--host=127.0.0.1", f"--port={server.port}", "--auth=off",
                        "--tls=off", f"--from={FROM}", "--domain=bench.quangngai.example",
                        f"dv{i % 999 + 1:03d}@quangngai.example"],
                       input=body, check=True, capture_output=True)
    return MSMTP_MESSAGES / (time.monotonic() - began)


def median(values):
    return sorted(values)[len(values) // 2]


def measure(server, clients):
    rates = {}
    for name, run in clients:
        rates[name] = median([run(server) for _ in range(ROUNDS)])
    return rates


def main():
    if not os.path.exists(DEADLINED):
        sys.exit("bench_mail.py: build deadlined first (make all)")
    body = sample_digest()
    clients = [(f"deadlined, connections = {c}{' (default)' if c == 3 else ''}",
                lambda srv, c=c: deadlined_rate(srv, c)) for c in CONNECTIONS]
    clients += [("Python smtplib, one connection", lambda srv: smtplib_rate(srv, body))]
    if shutil.which("msmtp"):
        clients += [("msmtp, one process per message", lambda srv: msmtp_rate(srv, body))]
    servers = [Aiosmtpd]
    why_not = postfix_missing()
    if not why_not:
        servers.append(Postfix)
    columns, results = [], []
    for cls in servers:
        server = cls().start()
        try:
            results.append(measure(server, clients))
            columns.append(server.name)
        finally:
            server.stop()
    print("## Mail throughput, deadlined beside other clients\n")
    print(f"{MESSAGES} reminders of {len(body) / 1024:.1f} KB (msmtp: {MSMTP_MESSAGES}), "
          f"to servers on 127.0.0.1; messages per second, median of {ROUNDS} rounds "
          "(bench/bench_mail.py). deadlined is the real daemon, timed from its first "
          "delivery to its last.\n")
    print("| client | " + " | ".join(columns) + " |")
    print("|---|" + "---|" * len(columns))
    for name, _ in clients:
        print(f"| {name} | " + " | ".join(f"{r[name]:.0f} msg/s" for r in results) + " |")
    if why_not:
        print(f"\nPostfix not measured: {why_not}.")
    if not shutil.which("msmtp"):
        print("\nmsmtp not measured: not installed.")


if __name__ == "__main__":
    main()
