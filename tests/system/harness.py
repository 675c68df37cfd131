"""Shared pieces of the system tests.

The tests drive the real binaries (./deadlined, ./deadlinectl) against a
real SMTP server (Debian's aiosmtpd, in this process, on 127.0.0.1) and a
real SQLite file, in a fresh temporary directory per test. Each test file
prints TAP; tests/run adds up the results. Run with /usr/bin/python3: the
Debian packages (aiosmtpd) belong to that interpreter.
"""
import asyncio
import email
import email.policy
import os
import re
import shutil
import signal
import socket
import sqlite3
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import traceback

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
# `make sanitize` builds the binaries into its own directory (BINDIR).
BINDIR = os.path.join(ROOT, os.environ.get("BINDIR", "."))
DEADLINED = os.path.join(BINDIR, "deadlined")
DEADLINECTL = os.path.join(BINDIR, "deadlinectl")
SEEDS = os.path.abspath(os.path.join(ROOT, "..", "shared", "seeds"))
DIRECTORY = os.path.join(ROOT, "config", "directory.ini")
TEMPLATES = os.path.join(ROOT, "config", "templates")


# ---- TAP --------------------------------------------------------------------------

class Skip(Exception):
    """Raised by a test that cannot run here; reported as a TAP skip."""


def run_tests(tests):
    """Runs test functions in order; one TAP line each; exits 1 if any failed."""
    print(f"1..{len(tests)}", flush=True)
    failed = 0
    for n, test in enumerate(tests, 1):
        name = test.__name__
        try:
            test()
            print(f"ok {n} - {name}", flush=True)
        except Skip as why:
            print(f"ok {n} - {name} # SKIP {why}", flush=True)
        except Exception:
            failed += 1
            print(f"not ok {n} - {name}", flush=True)
            for line in traceback.format_exc().splitlines():
                print(f"# {line}", flush=True)
    sys.exit(1 if failed else 0)


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def eventually(predicate, timeout=15.0, what="condition"):
    """Polls a condition of the test (not of the daemon) until it holds.
    `what` may be a function, called only to explain a timeout."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout}s waiting for "
                         f"{what() if callable(what) else what}")


# ---- a work directory with a configuration ----------------------------------------

BASE_CONFIG = """\
include = {directory}

[daemon]
database = {dir}/deadlined.db
control_socket = {dir}/deadlined.sock
templates = {templates}
language = {language}
timezone = +07:00
monitor = skhcn
default_supervisor = ubnd

[mail]
transport = {transport}
maildir = {dir}/Maildir
from = Hệ thống nhắc việc <nhacviec@quangngai.example>
reply_to = Sở Khoa học và Công nghệ <skhcn@quangngai.example>
admin = quantri@quangngai.example

[smtp]
host = 127.0.0.1
port = {port}
tls = {tls}
timeout = 10
retry_base = 1s
retry_max_age = {retry_max_age}
{smtp_extra}

[calendar]
workdays = mon-fri
office_hours = 07:30-17:00
send_at = 08:00
holiday = 2025-01-25..2025-02-02
holiday = 2026-02-14..2026-02-22
holiday = 2027-02-05..2027-02-11

{extra}
"""


class Workdir:
    def __init__(self):
        self.path = tempfile.mkdtemp(prefix="deadlined-test-")
        self.config = os.path.join(self.path, "deadlined.ini")
        self.db = os.path.join(self.path, "deadlined.db")
        self.maildir = os.path.join(self.path, "Maildir")

    def write_config(self, extra="", transport="smtp", port=25, tls="none", smtp_extra="",
                     language="vi", retry_max_age="3d"):
        text = BASE_CONFIG.format(directory=DIRECTORY, dir=self.path, templates=TEMPLATES,
                                  transport=transport, port=port, tls=tls,
                                  smtp_extra=smtp_extra, extra=extra, language=language,
                                  retry_max_age=retry_max_age)
        with open(self.config, "w", encoding="utf-8") as f:
            f.write(text)
        return self.config

    def file(self, name, text, mode=None):
        path = os.path.join(self.path, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        if mode is not None:
            os.chmod(path, mode)
        return path

    def sql(self, query, *args):
        db = sqlite3.connect(self.db, timeout=10)
        try:
            rows = db.execute(query, args).fetchall()
            db.commit()
            return rows
        finally:
            db.close()

    def maildir_messages(self):
        new = os.path.join(self.maildir, "new")
        if not os.path.isdir(new):
            return []
        out = []
        for name in sorted(os.listdir(new)):
            with open(os.path.join(new, name), "rb") as f:
                out.append(parse_message(f.read()))
        return out

    def cleanup(self):
        shutil.rmtree(self.path, ignore_errors=True)


def parse_message(raw):
    """An independent parse of a message: Python's email package, strict policy."""
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    msg.raw = raw
    return msg


def plain_body(msg):
    return msg.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")


def html_body(msg):
    part = msg.get_body(preferencelist=("html",))
    return part.get_content().replace("\r\n", "\n") if part else None


# ---- a real SMTP server on 127.0.0.1 ----------------------------------------------

class _PortZeroController(Controller):
    """aiosmtpd 1.4.3 cannot start on port 0 by itself: read the bound port first."""

    def _trigger_server(self):
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


class _Handler:
    def __init__(self, server):
        self.s = server

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.s.reject:
            return "550 5.1.1 <%s>: Recipient address rejected" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.s.data_delay:  # a server that takes its time to answer each message
            await asyncio.sleep(self.s.data_delay)
        with self.s.lock:
            self.s.data_commands += 1
            if self.s.data_commands <= self.s.tempfail:
                return "451 4.3.0 Temporary failure, try again later"
            raw = envelope.original_content
            msg = parse_message(raw)
            msg.envelope_from = envelope.mail_from
            msg.envelope_to = list(envelope.rcpt_tos)
            msg.tls = session.ssl is not None
            msg.authenticated = bool(session.authenticated)
            self.s.messages.append(msg)
        return "250 2.0.0 Message accepted"


class SMTPServer:
    """aiosmtpd with the behaviours the tests need: STARTTLS, AUTH, 451s, 550s, and
    data_delay seconds before it answers (and records) each message."""

    def __init__(self, port=0, tls_cert=None, tls_key=None, users=None, tempfail=0,
                 reject=(), data_delay=0.0):
        self.messages = []
        self.data_delay = data_delay
        self.lock = threading.Lock()
        self.data_commands = 0
        self.tempfail = tempfail
        self.reject = {a.lower() for a in reject}
        kw = dict(hostname="127.0.0.1", port=port, server_hostname="test.invalid")
        if tls_cert:
            ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            ctx.load_cert_chain(tls_cert, tls_key)
            kw.update(tls_context=ctx, require_starttls=True)
        if users:
            def authenticator(server, session, envelope, mechanism, data):
                ok = isinstance(data, LoginPassword) and users.get(data.login) == data.password
                return AuthResult(success=ok, handled=False)
            kw.update(authenticator=authenticator, auth_required=True,
                      auth_require_tls=bool(tls_cert))
        self.controller = _PortZeroController(_Handler(self), **kw)

    def start(self):
        self.controller.start()
        self.port = self.controller.port
        return self

    def stop(self):
        self.controller.stop()

    def count(self):
        with self.lock:
            return len(self.messages)

    def wait_for(self, n, timeout=20.0):
        eventually(lambda: self.count() >= n, timeout, f"{n} message(s) at the SMTP server")
        with self.lock:
            return list(self.messages)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def self_signed_cert(directory, name="localhost"):
    """A certificate for `name` made with the openssl command, for STARTTLS tests."""
    cert = os.path.join(directory, "cert.pem")
    key = os.path.join(directory, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-keyout", key, "-out", cert, "-subj", f"/CN={name}",
                    "-addext", f"subjectAltName=DNS:{name},IP:127.0.0.1"],
                   check=True, capture_output=True)
    return cert, key


# ---- the example directory, read without the product's code ---------------------------

def read_directory():
    """config/directory.ini read independently: {id: (kind, name, emails, members)}."""
    entries, cur = {}, None
    with open(DIRECTORY, encoding="utf-8") as f:
        for line in f:
            s = line.strip()
            if not s or s[0] in ";#":
                continue
            m = re.match(r"\[(agency|group) ([a-z0-9-]+)\]$", s)
            if m:
                cur = entries[m.group(2)] = {"kind": m.group(1), "name": None, "emails": [],
                                             "members": []}
                continue
            key, _, value = s.partition("=")
            key, value = key.strip(), value.strip()
            if cur is None:
                continue
            if key == "name":
                cur["name"] = value
            elif key == "email":
                cur["emails"].append(value)
            elif key == "member":
                cur["members"].append(value)
            elif key in ("successor", "since"):
                cur[key] = value
    return entries


# ---- the real binaries -----------------------------------------------------------

def ctl(config, *args, input=None, check_rc=None):
    """Runs deadlinectl; returns the CompletedProcess (text)."""
    p = subprocess.run([DEADLINECTL, "--config", config, *args], capture_output=True,
                       text=True, input=input, timeout=120)
    if check_rc is not None and p.returncode != check_rc:
        raise AssertionError(f"deadlinectl {' '.join(args)}: exit {p.returncode}\n"
                             f"stdout: {p.stdout}\nstderr: {p.stderr}")
    return p


class Daemon:
    """A deadlined process in the foreground; its log lines are collected."""

    def __init__(self, config, now=None, env=None, args=()):
        self.config = config
        self.now = now
        self.env = dict(os.environ, **(env or {}))
        self.args = list(args)
        self.lines = []
        self.lock = threading.Lock()
        self.proc = None
        self.reader = None

    def start(self):
        cmd = [DEADLINED, "--foreground", "--config", self.config, *self.args]
        if self.now:
            cmd += ["--now", self.now]
        self.proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                     text=True, env=self.env)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        return self

    def _read(self):
        for line in self.proc.stderr:
            with self.lock:
                self.lines.append(line.rstrip("\n"))

    def log(self):
        # Once the process is gone, its last lines may still be in the pipe: read them all.
        if self.proc and self.proc.poll() is not None and self.reader:
            self.reader.join(5)
        with self.lock:
            return "\n".join(self.lines)

    def wait_log(self, pattern, timeout=20.0):
        rx = re.compile(pattern)
        return eventually(lambda: rx.search(self.log()), timeout,
                          lambda: f"log line /{pattern}/\n--- log so far:\n{self.log()}")

    def status(self):
        p = ctl(self.config, "status")
        if p.returncode != 0:
            return None
        return dict(line.split(": ", 1) for line in p.stdout.splitlines() if ": " in line)

    def wait_idle(self, timeout=20.0):
        """Until nothing is queued or in flight and the next wake-up is in the future."""
        def idle():
            s = self.status()
            return s and s.get("in_flight") == "0" and s.get("queue") == "0" and s
        return eventually(idle, timeout, lambda: "the daemon to be idle\n" + self.log())

    def stop(self, sig=signal.SIGTERM, timeout=20.0):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise AssertionError("deadlined did not stop\n" + self.log())


# ---- the seed plans, imported as an admin would -------------------------------------

# The KH-2025 seed states neither its number nor its date; the Tờ trình it answers is
# of 29/4/2025, so the plan is of May 2025: the admin supplies what import cannot find.
SEED_FACTS = {"KH-2025": ["--plan-id", "KH-2025", "--issued", "2025-05-20"]}


def example_config(w):
    """A copy of config/ in the work directory (state under ./var, mail in a Maildir)."""
    conf = os.path.join(w.path, "config")
    shutil.copytree(os.path.join(ROOT, "config"), conf)
    os.makedirs(os.path.join(w.path, "var"), exist_ok=True)
    return os.path.join(conf, "deadlined.ini")


def import_seeds(config):
    """Imports every seed plan; raises Skip when ../shared/seeds is absent."""
    if not os.path.isdir(SEEDS):
        raise Skip("../shared/seeds is not here")
    names = sorted(n for n in os.listdir(SEEDS) if n.endswith(".txt"))
    for name in names:
        extra = next((v for k, v in SEED_FACTS.items() if name.startswith(k)), [])
        p = ctl(config, "import", *extra, os.path.join(SEEDS, name))
        # The status report holds no tasks: import says so and stores nothing.
        check(p.returncode == 0 or "no tasks found" in p.stdout + p.stderr,
              f"import {name}: exit {p.returncode}\n{p.stdout}\n{p.stderr}")
    return names


# ---- servers that are slow or say nothing -------------------------------------------------

class _SlowHandler:
    def __init__(self, server):
        self.s = server

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.s.lock:
            self.s.data_commands += 1
            slow = self.s.data_commands <= self.s.slow_count
        if slow:
            self.s.in_data.set()
            # Hold the reply until the test releases it (or delay seconds pass).
            end = time.monotonic() + self.s.delay
            while not self.s.release.is_set() and time.monotonic() < end:
                await asyncio.sleep(0.02)
        msg = parse_message(envelope.original_content)
        msg.envelope_to = list(envelope.rcpt_tos)
        with self.s.lock:
            self.s.messages.append(msg)
        return "250 2.0.0 Message accepted"


class SlowSMTPServer(SMTPServer):
    """aiosmtpd on 127.0.0.1 whose first `slow_count` DATA commands are held: the
    reply waits until `release` is set, or `delay` seconds. `in_data` is set when a
    held DATA has begun (the message is recorded when its reply is sent)."""

    def __init__(self, delay=2.0, slow_count=1):  # pylint: disable=super-init-not-called
        self.delay = delay
        self.slow_count = slow_count
        self.messages = []
        self.lock = threading.Lock()
        self.data_commands = 0
        self.in_data = threading.Event()
        self.release = threading.Event()
        self.controller = _PortZeroController(_SlowHandler(self), hostname="127.0.0.1", port=0,
                                              server_hostname="test.invalid")


class _RawServer:
    """A listening TCP socket on 127.0.0.1 whose connections `serve` (a method
    taking a connected socket) handles, one thread each."""

    def __init__(self, backlog=16):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(backlog)
        self.port = self.sock.getsockname()[1]
        self.conns = []
        self.lock = threading.Lock()
        self.running = True

    def start(self):
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def _accept(self):
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with self.lock:
                self.conns.append(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        try:
            self.serve(conn)
        except OSError:
            pass

    def connections(self):
        with self.lock:
            return len(self.conns)

    def stop(self):
        self.running = False
        with self.lock:
            conns, self.conns = self.conns, []
        for c in conns + [self.sock]:
            try:
                c.close()
            except OSError:
                pass


class SilentServer(_RawServer):
    """Accepts, then never says a word: no greeting."""

    def serve(self, conn):
        while self.running and conn.recv(4096):
            pass


class TarpitServer(_RawServer):
    """A plain SMTP server that answers every command, the greeting included,
    `delay` seconds late. `messages` counts the data it has accepted."""

    def __init__(self, delay):
        super().__init__()
        self.delay = delay
        self.messages = 0
        self.data_sent = threading.Event()  # a message's data is in, its answer pending

    def serve(self, conn):
        f = conn.makefile("rb")
        self._say(conn, "220 tarpit ESMTP")
        in_data = False
        for raw in f:
            line = raw.rstrip(b"\r\n")
            if in_data:
                if line == b".":
                    in_data = False
                    self.data_sent.set()
                    self._say(conn, "250 2.0.0 accepted")
                    with self.lock:
                        self.messages += 1
                continue
            verb = line[:4].upper()
            if verb == b"DATA":
                in_data = True
                self._say(conn, "354 go ahead")
            elif verb == b"QUIT":
                self._say(conn, "221 bye")
                return
            else:
                self._say(conn, "250 ok")

    def _say(self, conn, text):
        time.sleep(self.delay)
        conn.sendall(text.encode() + b"\r\n")


class FullBacklogServer:
    """A listening socket that never accepts, its accept queue filled by the
    test's own connections: another connect() waits and gets no answer."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(0)
        self.port = self.sock.getsockname()[1]
        self.fillers = []

    def start(self):
        for _ in range(64):  # Linux queues backlog + 1; a few more are half-open
            s = socket.socket()
            s.settimeout(0.5)
            try:
                s.connect(("127.0.0.1", self.port))
            except socket.timeout:
                s.close()
                return self
            self.fillers.append(s)
        raise AssertionError("the accept queue never filled")

    def stop(self):
        for s in self.fillers + [self.sock]:
            s.close()


# ---- a portfolio large enough to be interrupted ---------------------------------------------

# Friday 20/6/2025: a reminder for every task due "Quý II/2025" goes out at once.
MANY_NOW = "2025-06-20T09:00:00+07:00"


def many_agencies(n):
    """Config text: n agencies of its own (dv001@… to dvNNN@…), each the lead of
    one task due at the end of Q2 2025: n messages, one per agency, at MANY_NOW."""
    text = ("[plan KH-NHIEU]\ntitle = Kế hoạch thử nghiệm nhiều đơn vị\n"
            "issued = 2025-04-15\nperiod = 2025-2025\n")
    for i in range(1, n + 1):
        text += (f"\n[agency dv{i:03d}]\nname = Đơn vị thử nghiệm số {i:03d}\n"
                 f"email = dv{i:03d}@quangngai.example\n"
                 f"\n[task nv{i:03d}]\nplan = KH-NHIEU\n"
                 f"title = Nhiệm vụ thử nghiệm số {i:03d}\n"
                 f"lead = Đơn vị thử nghiệm số {i:03d}\ntimeframe = Quý II/2025\n")
    return text


def many_addresses(n):
    return {f"dv{i:03d}@quangngai.example" for i in range(1, n + 1)}


def long_mode():
    """`make test-long`: the long versions of the crash, lock and fuzz runs."""
    return os.environ.get("DEADLINED_LONG") == "1"
