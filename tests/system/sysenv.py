"""The machine around the service, for the tests of running as one.

A private mount namespace lets a test put its own files where the system's
would be (/usr/local, /etc/deadlined, /run/systemd/journal) for one process
and nobody else; a throwaway system account stands for the deadlined user.
Both need root (or user namespaces): a test that cannot have them is
skipped, never passed.
"""
import os
import pwd
import secrets
import subprocess
import threading

from harness import DEADLINED, Daemon, Skip

_UNSHARE = None


def unshare_prefix():
    """The command prefix that runs a program in a private mount namespace: as
    root a plain one, else one inside a user namespace. Skips when neither works."""
    global _UNSHARE
    if _UNSHARE is None:
        _UNSHARE = []
        tries = [["unshare", "-m"]] if os.geteuid() == 0 else []
        tries.append(["unshare", "-Urm"])
        for prefix in tries:
            p = subprocess.run([*prefix, "sh", "-c", "mount -t tmpfs none /mnt"],
                               capture_output=True)
            if p.returncode == 0:
                _UNSHARE = prefix
                break
    if not _UNSHARE:
        raise Skip("no mount namespace here (unshare -m needs root or user namespaces)")
    return _UNSHARE


def with_mounts(binds, argv):
    """argv run in a private mount namespace where each (source, target) of
    binds is bind-mounted first; the program replaces the shell (same pid)."""
    script = " && ".join(f'mount --bind "${i * 2 + 1}" "${i * 2 + 2}"' for i in range(len(binds)))
    words = [w for pair in binds for w in pair]
    return [*unshare_prefix(), "sh", "-c", f'{script} && shift {len(words)} && exec "$@"', "sh",
            *words, *argv]


def need_root():
    if os.geteuid() != 0:
        raise Skip("needs root (a throwaway system account, files of other owners)")


class Account:
    """A throwaway system user with its own group, removed at the end."""

    def __init__(self):
        need_root()
        self.name = "dlt" + secrets.token_hex(4)
        subprocess.run(["useradd", "--system", "--user-group", "--no-create-home",
                        "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin",
                        self.name], check=True, capture_output=True)
        pw = pwd.getpwnam(self.name)
        self.uid, self.gid = pw.pw_uid, pw.pw_gid

    def remove(self):
        subprocess.run(["userdel", self.name], capture_output=True)
        subprocess.run(["groupdel", self.name], capture_output=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


def unused_uid():
    """A uid no account has: an admin who is only a member of the service's group."""
    uid = 61000 + secrets.randbelow(3000)
    while True:
        try:
            pwd.getpwuid(uid)
            uid += 1
        except KeyError:
            return uid


def as_user(uid, gid, groups=()):
    """The prefix that runs a program as uid:gid with exactly these supplementary groups."""
    prefix = ["setpriv", f"--reuid={uid}", f"--regid={gid}"]
    prefix.append(f"--groups={','.join(map(str, groups))}" if groups else "--clear-groups")
    return prefix


class WrappedDaemon(Daemon):
    """deadlined run through a prefix (a namespace, another user); foreground=False
    runs it as systemd does, logging to the journal."""

    def __init__(self, config, prefix=(), foreground=True, **kw):
        super().__init__(config, **kw)
        self.prefix = list(prefix)
        self.foreground = foreground

    def start(self):
        cmd = [DEADLINED, "--config", self.config, *self.args]
        if self.foreground:
            cmd.insert(1, "--foreground")
        if self.now:
            cmd += ["--now", self.now]
        self.proc = subprocess.Popen([*self.prefix, *cmd], stderr=subprocess.PIPE,
                                     stdout=subprocess.DEVNULL, text=True, env=self.env)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        return self
