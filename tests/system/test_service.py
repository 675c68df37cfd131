"""deadlined as an operator meets it: make install and uninstall, the unit
under systemd-analyze, and the admin's workflow on the installed tree.

The installed tree is looked at where it would be: in a private mount
namespace, DESTDIR's /usr/local is bound over /usr/local and overlays put
its /etc/deadlined, the account systemd-sysusers made and the state
directory systemd-tmpfiles made over /etc and /var/lib, for the processes
of the test only. The service's user is that account (a uid the machine
does not know outside); an admin is a uid with no account, member of the
service's group. Nothing of the machine is changed."""
import glob
import os
import re
import shutil
import signal
import stat
import subprocess
import tempfile

from harness import DEADLINECTL, ROOT, SMTPServer, Workdir, check, eventually, run_tests
from sysenv import Account, as_user, need_root, unshare_prefix, unused_uid, with_mounts

PREFIX = "/usr/local"
BUILD = os.environ.get("BUILD", "build")
BINDIR = os.environ.get("BINDIR", ".")
NOW = "2025-06-20T09:00:00+07:00"


def make(*goals, **variables):
    env = dict(os.environ)
    for name in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEOVERRIDES"):
        env.pop(name, None)
    args = [f"{k}={v}" for k, v in dict(BUILD=BUILD, BINDIR=BINDIR, **variables).items()]
    return subprocess.run(["make", "-s", *goals, *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=600)


def install(dest):
    p = make("install", DESTDIR=dest)
    check(p.returncode == 0, f"make install: exit {p.returncode}\n{p.stdout}\n{p.stderr}")
    return p


def tree(dest):
    """Every path under dest, relative, directories with a trailing /."""
    out = set()
    for base, dirs, files in os.walk(dest):
        rel = os.path.relpath(base, dest)
        for d in dirs:
            out.add(os.path.normpath(os.path.join(rel, d)) + "/")
        for f in files:
            out.add(os.path.normpath(os.path.join(rel, f)))
    return out


def expected_files():
    """What install must add, read from the source tree: {path: mode}."""
    files = {
        "usr/local/sbin/deadlined": 0o755,
        "usr/local/bin/deadlinectl": 0o755,
        "usr/local/lib/systemd/system/deadlined.service": 0o644,
        "usr/local/lib/sysusers.d/deadlined.conf": 0o644,
        "usr/local/lib/tmpfiles.d/deadlined.conf": 0o644,
        "usr/local/share/deadlined/install-manifest": 0o644,
        "usr/local/share/doc/deadlined/README.md": 0o644,
        "usr/local/share/doc/deadlined/templates.md": 0o644,
        "usr/local/share/doc/deadlined/examples/deadlined.ini": 0o644,
        "usr/local/share/doc/deadlined/examples/directory.ini": 0o644,
        "etc/deadlined/deadlined.ini": 0o644,
        "etc/deadlined/directory.ini": 0o644,
    }
    for page in glob.glob(os.path.join(ROOT, "doc", "*.[1-8]")):
        name = os.path.basename(page)
        files[f"usr/local/share/man/man{name[-1]}/{name}"] = 0o644
    for t in glob.glob(os.path.join(ROOT, "config", "templates", "*", "*")):
        files["usr/local/share/deadlined/" + os.path.relpath(t, os.path.join(ROOT, "config"))] = \
            0o644
    return files


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def ini_value(text, key):
    m = re.search(rf"^{key} = (.*)$", text, re.M)
    return m and m.group(1)


def test_install_puts_every_file_in_place():
    dest = tempfile.mkdtemp(prefix="deadlined-dest-")
    try:
        p = install(dest)
        want = expected_files()
        files = {f for f in tree(dest) if not f.endswith("/")}
        check(files == set(want), f"missing: {sorted(set(want) - files)}, "
                                  f"unexpected: {sorted(files - set(want))}")
        for f, mode in want.items():
            got = stat.S_IMODE(os.stat(os.path.join(dest, f)).st_mode)
            check(got == mode, f"{f}: mode {got:o}, want {mode:o}")
        for name in ("deadlined", "deadlinectl"):
            installed = glob.glob(os.path.join(dest, "usr/local/*bin", name))[0]
            check(read_bytes(installed) == read_bytes(os.path.join(ROOT, BINDIR, name)),
                  f"{name} is the one built")
        unit = read(os.path.join(dest, "usr/local/lib/systemd/system/deadlined.service"))
        check("@" not in re.sub(r"@(system-service|privileged|resources)", "", unit),
              "every @PLACEHOLDER@ is filled in")
        check(f"ExecStart={PREFIX}/sbin/deadlined --config /etc/deadlined/deadlined.ini" in unit,
              "ExecStart names the installed daemon and the installed config")
        check(f"Documentation=file://{PREFIX}/share/doc/deadlined/README.md" in unit,
              "the unit points at the installed README")
        check("u deadlined " in read(os.path.join(dest, "usr/local/lib/sysusers.d/deadlined.conf")),
              "sysusers.d makes the deadlined user")

        conf = read(os.path.join(dest, "etc/deadlined/deadlined.ini"))
        for key, value in (("database", "/var/lib/deadlined/deadlined.db"),
                           ("control_socket", "/run/deadlined/control"),
                           ("templates", f"{PREFIX}/share/deadlined/templates"),
                           ("maildir", "/var/lib/deadlined/mail"),
                           ("user", "deadlined"), ("include", "directory.ini")):
            check(ini_value(conf, key) == value, f"{key} = {ini_value(conf, key)}, want {value}")
        check(conf == read(os.path.join(dest, "usr/local/share/doc/deadlined/examples/"
                                              "deadlined.ini")),
              "the config written is the example")
        manifest = read(os.path.join(dest, "usr/local/share/deadlined/install-manifest"))
        listed = {line.lstrip("/") for line in manifest.splitlines()}
        check(not any(f.startswith("etc/deadlined/deadlined") or f == "etc/deadlined/directory.ini"
                      for f in listed), "the admin's config is not in the manifest")
        check(set(want) - {"etc/deadlined/deadlined.ini", "etc/deadlined/directory.ini"}
              <= listed, "the manifest lists every file installed")
        check("wrote /etc/deadlined/deadlined.ini" in p.stdout, p.stdout)
    finally:
        shutil.rmtree(dest, ignore_errors=True)


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def test_the_installed_unit_verifies_and_exposes_little():
    dest = tempfile.mkdtemp(prefix="deadlined-dest-")
    try:
        install(dest)
        unit = os.path.join(dest, "usr/local/lib/systemd/system/deadlined.service")
        p = subprocess.run(["systemd-analyze", "security", "--offline=yes", unit],
                           capture_output=True, text=True)
        m = re.search(r"Overall exposure level for deadlined\.service: (\d+\.\d+)", p.stdout)
        check(m, f"no exposure level:\n{p.stdout}\n{p.stderr}")
        check(float(m.group(1)) <= 2.0, f"exposure {m.group(1)} > 2.0:\n{p.stdout}")
        print(f"# systemd-analyze security: exposure {m.group(1)}")
        # verify also checks that ExecStart's program and the man pages exist: it
        # runs where they are installed. Before doc/ has pages, man: links cannot
        # resolve and are not checked.
        man = [] if glob.glob(os.path.join(ROOT, "doc", "*.[1-8]")) else ["--man=no"]
        p = subprocess.run(with_mounts([(os.path.join(dest, "usr/local"), "/usr/local")],
                                       ["systemd-analyze", "verify", *man,
                                        f"{PREFIX}/lib/systemd/system/deadlined.service"]),
                           capture_output=True, text=True)
        check(p.returncode == 0 and p.stderr == "",
              f"systemd-analyze verify {' '.join(man)}: exit {p.returncode}\n{p.stderr}")
    finally:
        shutil.rmtree(dest, ignore_errors=True)


def test_uninstall_removes_exactly_what_install_added():
    dest = tempfile.mkdtemp(prefix="deadlined-dest-")
    try:
        # What was there before: another program, and the state of an earlier install.
        os.makedirs(os.path.join(dest, "usr/local/bin"))
        os.makedirs(os.path.join(dest, "var/lib/deadlined"))
        with open(os.path.join(dest, "usr/local/bin/other"), "w") as f:
            f.write("another program\n")
        with open(os.path.join(dest, "var/lib/deadlined/deadlined.db"), "w") as f:
            f.write("the state\n")
        before = tree(dest)
        install(dest)
        conf = os.path.join(dest, "etc/deadlined/deadlined.ini")
        with open(conf, "a") as f:
            f.write("; the admin's own line\n")
        edited = read(conf)
        p = install(dest)
        check("kept /etc/deadlined/deadlined.ini (yours)" in p.stdout, p.stdout)
        check(read(conf) == edited, "a second install overwrote the admin's config")

        p = make("uninstall", DESTDIR=dest)
        check(p.returncode == 0, f"make uninstall: {p.stderr}")
        after = tree(dest)
        kept = {"etc/", "etc/deadlined/", "etc/deadlined/deadlined.ini",
                "etc/deadlined/directory.ini"}
        check(after == before | kept,
              f"left behind: {sorted(after - before - kept)}, removed: {sorted(before - after)}")
        check(read(conf) == edited, "uninstall changed the admin's config")
        check(read(os.path.join(dest, "var/lib/deadlined/deadlined.db")) == "the state\n",
              "uninstall touched the state")
        p = make("uninstall", DESTDIR=dest)
        check(p.returncode != 0 and "nothing installed" in p.stderr,
              f"a second uninstall: exit {p.returncode}, {p.stderr}")
    finally:
        shutil.rmtree(dest, ignore_errors=True)


# ---- the operator's workflow on the installed tree ------------------------------------

PLAN_CSV = """\
STT,Nội dung công việc,Đơn vị thực hiện,Đơn vị phối hợp,Thời hạn
1,Khảo sát mức độ chuyển đổi số doanh nghiệp,Sở Công Thương,,Quý II/2025
2,Báo cáo kết quả chuyển đổi số ngành y tế,Sở Y tế,,trước ngày 30/6/2025
"""


class Machine:
    """The installed tree as a Debian 12 machine would have it after make
    install: the user and group from sysusers.d, the state directory from
    tmpfiles.d, the runtime directory systemd makes at start. Commands run in
    one private mount namespace, held open by a process that waits for the test to
    close its stdin (or to die)."""

    def __init__(self):
        need_root()
        unshare_prefix()
        self.work = tempfile.mkdtemp(prefix="deadlined-machine-")
        os.chmod(self.work, 0o755)
        # Plain SMTP on loopback: STARTTLS and AUTH are test_mail's; aiosmtpd's
        # STARTTLS now and then loses a ClientHello sent right after its 220.
        self.smtp = SMTPServer().start()
        self.dest = os.path.join(self.work, "dest")
        install(self.dest)
        etc = os.path.join(self.dest, "etc")
        for name in ("passwd", "group", "shadow", "gshadow"):
            if os.path.exists(f"/etc/{name}"):
                shutil.copy2(f"/etc/{name}", etc)
        self.tool("systemd-sysusers", "--root", self.dest,
                  os.path.join(self.dest, "usr/local/lib/sysusers.d/deadlined.conf"))
        self.tool("systemd-tmpfiles", "--root", self.dest, "--create",
                  os.path.join(self.dest, "usr/local/lib/tmpfiles.d/deadlined.conf"))
        with open(os.path.join(etc, "passwd")) as f:
            entry = [l.split(":") for l in f if l.startswith("deadlined:")][0]
        self.uid, self.gid = int(entry[2]), int(entry[3])
        self.state = os.path.join(self.dest, "var/lib/deadlined")
        self.db = os.path.join(self.state, "deadlined.db")
        self.configure()
        self.admin = unused_uid()
        self.upload = os.path.join(self.work, "upload")
        os.makedirs(self.upload)
        os.chown(self.upload, self.admin, self.admin)
        self.holder = self.running = None
        self.start_namespace()

    def tool(self, *cmd):
        p = subprocess.run(cmd, capture_output=True, text=True)
        check(p.returncode == 0, f"{' '.join(cmd)}: {p.stderr}")

    def configure(self):
        """What the README tells the operator: SMTP with a password file of mode 0600."""
        conf = os.path.join(self.dest, "etc/deadlined/deadlined.ini")
        text = read(conf)
        text = re.sub(r"^transport = .*$", "transport = smtp", text, flags=re.M)
        text = re.sub(r"^port = .*$", f"port = {self.smtp.port}", text, flags=re.M)
        text = re.sub(r"^tls = .*$", "tls = none", text, flags=re.M)
        smtp = "; user = nhacviec\n; password_file = /etc/deadlined/smtp-password\n"
        check(smtp in text, "the example's [smtp] shows user and password_file")
        text = text.replace(smtp, smtp.replace("; ", ""))
        text = re.sub(r"^retry_base = .*$", "retry_base = 1s", text, flags=re.M)
        with open(conf, "w", encoding="utf-8") as f:
            f.write(text)
        secret = os.path.join(self.dest, "etc/deadlined/smtp-password")
        fd = os.open(secret, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.write(fd, b"s3cret pass\n")
        os.close(fd)
        os.chown(secret, self.uid, self.gid)

    def start_namespace(self):
        ovl = os.path.join(self.work, "ovl")
        for d in ("etc-work", "var-work"):
            os.makedirs(os.path.join(ovl, d))
        var_upper = os.path.join(self.dest, "var/lib")
        script = " && ".join([
            f"mount -t overlay overlay -o lowerdir=/etc,upperdir={self.dest}/etc,"
            f"workdir={ovl}/etc-work /etc",
            f"mount -t overlay overlay -o lowerdir=/var/lib,upperdir={var_upper},"
            f"workdir={ovl}/var-work /var/lib",
            f"mount --bind {self.dest}/usr/local /usr/local",
            "mount -t tmpfs -o mode=0755 none /run",
            f"install -d -m 0750 -o {self.uid} -g {self.gid} /run/deadlined",
            "echo ready && exec cat"])  # until the test closes stdin, or dies
        self.holder = subprocess.Popen([*unshare_prefix(), "sh", "-c", script],
                                       stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                       stderr=subprocess.PIPE, text=True)
        line = self.holder.stdout.readline()
        if line != "ready\n":
            self.holder.kill()
            raise AssertionError(f"the namespace: {line!r} {self.holder.communicate()[1]}")

    def inside(self, user, argv, umask=0o022):
        """argv in the namespace as root, the service ("service") or an admin ("admin")."""
        prefix = ["nsenter", "-t", str(self.holder.pid), "-m"]
        if user == "service":
            # systemd gives a User= service its HOME (libesmtp looks there for certificates).
            prefix += ["env", "HOME=/var/lib/deadlined", *as_user(self.uid, self.gid)]
        elif user == "admin":
            prefix += as_user(self.admin, self.admin, [self.gid])
        return [*prefix, "sh", "-c", f'umask {umask:o} && exec "$@"', "sh", *argv]

    def ctl(self, user, *args):
        return subprocess.run(self.inside(user, [f"{PREFIX}/bin/deadlinectl", *args]),
                              capture_output=True, text=True, timeout=120)

    def daemon(self):
        """As the unit runs it: the service's user, UMask=0027, the installed config."""
        self.log = os.path.join(self.work, "deadlined.log")
        with open(self.log, "w") as err:
            self.running = subprocess.Popen(self.inside("service", [f"{PREFIX}/sbin/deadlined",
                                                                    "--foreground", "--now", NOW],
                                                        umask=0o027),
                                            stderr=err, stdout=subprocess.DEVNULL)
        return self.running

    def wait_idle(self):
        """Until the daemon has sent all it had to; the messages the server has."""
        def idle():
            p = self.ctl("admin", "status")
            s = dict(l.split(": ", 1) for l in p.stdout.splitlines() if ": " in l)
            return p.returncode == 0 and s.get("queue") == "0" and s.get("in_flight") == "0"
        eventually(idle, 60, lambda: f"the daemon to be idle\n--- deadlined:\n{read(self.log)}")
        with self.smtp.lock:
            return list(self.smtp.messages)

    def stop(self, p):
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(30)
        except subprocess.TimeoutExpired:
            p.kill()
            raise AssertionError("deadlined did not stop\n" + read(self.log))
        return read(self.log)

    def close(self):
        if self.running and self.running.poll() is None:
            self.running.kill()
            self.running.wait()
        if self.holder:
            self.holder.stdin.close()
            self.holder.wait(10)
        self.smtp.stop()
        shutil.rmtree(self.work, ignore_errors=True)


def check_state_files(m, owner):
    """Every file of the state: the service's group, never others' to read."""
    for name in os.listdir(m.state):
        st = os.stat(os.path.join(m.state, name))
        if name.startswith("deadlined.db"):
            check(st.st_gid == m.gid, f"{name}: group {st.st_gid}, want {m.gid}")
            check(name.endswith(".lock") or st.st_uid in owner,
                  f"{name}: owner {st.st_uid}, want one of {owner}")
        check(st.st_mode & 0o007 == 0, f"{name}: mode {stat.S_IMODE(st.st_mode):o}")


def test_the_operator_runs_the_installed_service_as_admin_and_as_root():
    m = None
    try:
        m = Machine()
        st = os.stat(m.state)
        check(stat.S_IMODE(st.st_mode) == 0o2770 and (st.st_uid, st.st_gid) == (m.uid, m.gid),
              f"tmpfiles.d: the state directory is {stat.S_IMODE(st.st_mode):o} "
              f"{st.st_uid}:{st.st_gid}")

        # An admin of the service's group: no flags, the installed config; the
        # password file is the service's (0600) and not needed.
        p = m.ctl("admin", "check-config")
        check(p.returncode == 0 and "/etc/deadlined/deadlined.ini: ok" in p.stdout,
              f"check-config as an admin: {p.stdout}{p.stderr}")
        plan = os.path.join(m.upload, "ke-hoach.csv")
        with open(plan, "w", encoding="utf-8") as f:
            f.write(PLAN_CSV)
        p = m.ctl("admin", "import", "--plan-id", "KH-OPS", "--period", "2025-2025", plan)
        check(p.returncode == 0, f"import as an admin: {p.stdout}{p.stderr}")
        check("Permission denied" not in p.stderr, p.stderr)
        st = os.stat(m.db)
        check((st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (m.admin, m.gid, 0o660),
              f"the store an admin made: {st.st_uid}:{st.st_gid} {stat.S_IMODE(st.st_mode):o}")
        p = m.ctl("admin", "tasks")
        check(p.returncode == 0 and "KH-OPS" in p.stdout, f"tasks as an admin: {p.stderr}")

        p = subprocess.run(m.inside("admin", ["cat", "/etc/deadlined/smtp-password"]),
                           capture_output=True, text=True)
        check(p.returncode != 0 and "Permission denied" in p.stderr,
              f"the admin could read the password: {p.returncode} {p.stderr}")
        # Sending is the one thing that needs the password: the service's user may.
        p = m.ctl("admin", "test-mail", "vanthu@syt.example")
        check(p.returncode == 1 and "needs the password" in p.stderr and m.smtp.count() == 0,
              f"test-mail as an admin: {p.returncode} {p.stdout}{p.stderr}")
        p = m.ctl("service", "test-mail", "vanthu@syt.example")
        check(p.returncode == 0 and m.smtp.count() == 1,
              f"test-mail as the service: {p.returncode} {p.stdout}{p.stderr}")

        # The service writes that store, and reads the password (it would not
        # start without it).
        d = m.daemon()
        got = m.wait_idle()
        to = {r for msg in got for r in msg.envelope_to}
        check({"sct@quangngai.example", "syt@quangngai.example"} <= to, f"recipients {to}")
        backup = os.path.join(m.upload, "backup.db")
        p = m.ctl("admin", "backup", backup)
        check(p.returncode == 0, f"backup as an admin: {p.stderr}")
        # root may run deadlinectl on the service's store: what SQLite makes stays the service's.
        p = m.ctl("root", "progress", "KH-OPS:1", "done")
        check(p.returncode == 0, f"progress as root: {p.stdout}{p.stderr}")
        log = m.stop(d)
        check("readonly" not in log and "Permission denied" not in log, log)
        check_state_files(m, {m.admin, m.uid})

        # A fresh start, as root: the store root's deadlinectl creates is the service's.
        subprocess.run(m.inside("root", ["find", "/var/lib/deadlined", "-mindepth", "1",
                                         "-delete"]), check=True)
        p = m.ctl("root", "import", "--plan-id", "KH-OPS", "--period", "2025-2025", plan)
        check(p.returncode == 0, f"import as root: {p.stdout}{p.stderr}")
        st = os.stat(m.db)
        check((st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (m.uid, m.gid, 0o660),
              f"the store root made: {st.st_uid}:{st.st_gid} {stat.S_IMODE(st.st_mode):o}")
        d = m.daemon()
        again = m.wait_idle()
        check(len(again) > len(got), "the service sent from the store root made")
        log = m.stop(d)
        check("readonly" not in log, f"the service could not write root's store:\n{log}")
        check_state_files(m, {m.uid})
    finally:
        if m:
            m.close()


# ---- deadlinectl as root, anywhere -------------------------------------------------------

def ctl_as_root(config, *args):
    return subprocess.run([DEADLINECTL, "--config", config, *args], capture_output=True,
                          text=True, timeout=120)


def test_root_gives_a_new_store_to_the_service_or_refuses():
    need_root()
    w = Workdir()
    try:
        os.chmod(w.path, 0o755)
        with Account() as svc:
            cases = [  # (user = …, the state directory exists)
                (svc.name, False), (svc.name, True), ("khong-co-ai", True), (None, False)]
            for user, exists in cases:
                state = os.path.join(w.path, f"state-{user}-{exists}")
                if exists:
                    os.mkdir(state)
                db = os.path.join(state, "deadlined.db")
                extra = f"[daemon]\ndatabase = {db}\n" + (f"user = {user}\n" if user else "")
                w.write_config()
                text = read(w.config).replace(f"[daemon]\ndatabase = {w.db}\n", extra)
                with open(w.config, "w", encoding="utf-8") as f:
                    f.write(text)
                p = ctl_as_root(w.config, "tasks")
                what = f"user = {user}, directory {'exists' if exists else 'missing'}"
                if user == svc.name:
                    check(p.returncode == 0, f"{what}: {p.stderr}")
                    st = os.stat(db)
                    check((st.st_uid, st.st_gid) == (svc.uid, svc.gid) and
                          stat.S_IMODE(st.st_mode) & 0o007 == 0,
                          f"{what}: {st.st_uid}:{st.st_gid} {stat.S_IMODE(st.st_mode):o}")
                    if not exists:
                        st = os.stat(state)
                        check(stat.S_IMODE(st.st_mode) == 0o2770 and
                              (st.st_uid, st.st_gid) == (svc.uid, svc.gid),
                              f"{what}: the directory made is {stat.S_IMODE(st.st_mode):o} "
                              f"{st.st_uid}:{st.st_gid}")
                        check(stat.S_IMODE(os.stat(db).st_mode) == 0o660,
                              "in the group's directory the group writes the store")
                else:
                    check(p.returncode == 1 and "not creating" in p.stderr,
                          f"{what}: exit {p.returncode}: {p.stderr}")
                    if user:
                        check(f"'{user}' does not exist" in p.stderr, p.stderr)
                    check(not os.path.exists(db), f"{what}: a store was made")
    finally:
        w.cleanup()


def test_a_store_is_never_readable_by_others():
    """make run creates its store in ./var with the user's umask; SQLite would
    make it 0644. A store made so before is fixed when opened."""
    w = Workdir()
    try:
        os.chmod(w.path, 0o755)
        w.write_config(transport="maildir")
        old_umask = os.umask(0o022)
        try:
            p = subprocess.Popen([os.path.join(ROOT, BINDIR, "deadlined"), "--foreground",
                                  "--config", w.config], stderr=subprocess.PIPE, text=True)
            try:
                eventually(lambda: os.path.exists(w.db + "-wal"), 20, "the store")
                for name in ("", "-wal", "-shm"):
                    mode = stat.S_IMODE(os.stat(w.db + name).st_mode)
                    check(mode == 0o600, f"deadlined{name}: mode {mode:o}, want 600")
            finally:
                p.terminate()
                p.wait(20)
            os.unlink(w.db)
            import sqlite3
            sqlite3.connect(w.db).execute("CREATE TABLE t (x)").connection.close()
            check(stat.S_IMODE(os.stat(w.db).st_mode) == 0o644, "SQLite makes it 0644")
        finally:
            os.umask(old_umask)
        p = ctl_as_root(w.config, "tasks")
        check(p.returncode == 0, p.stderr)
        mode = stat.S_IMODE(os.stat(w.db).st_mode)
        check(mode & 0o007 == 0, f"an old store after deadlinectl: {mode:o}")
    finally:
        w.cleanup()


if __name__ == "__main__":
    run_tests([
        test_install_puts_every_file_in_place,
        test_the_installed_unit_verifies_and_exposes_little,
        test_uninstall_removes_exactly_what_install_added,
        test_the_operator_runs_the_installed_service_as_admin_and_as_root,
        test_root_gives_a_new_store_to_the_service_or_refuses,
        test_a_store_is_never_readable_by_others,
    ])
