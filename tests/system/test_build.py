"""The README's first commands on a fresh machine, simulated.

A fresh Debian 12 machine has no -dev package until `make deps` installs
them. Stand-ins on PATH reproduce that: `pkg-config` knows nothing until the
stand-in `apt-get` has run, and `dpkg-query` reports every package missing.
A copy of the source tree (not the build) is built with them."""
import os
import shutil
import subprocess
import tempfile
import time

from harness import ROOT, Skip, check, run_tests

SOURCES = ("Makefile", "daemon", "include", "config", "bench", "tests", "systemd")


def fresh_machine(work):
    """Stand-ins for a machine where nothing is installed yet; returns its PATH."""
    bin_dir = os.path.join(work, "bin")
    os.makedirs(bin_dir)
    marker = os.path.join(work, "installed")
    real = shutil.which("pkg-config")
    scripts = {
        "pkg-config": f'#!/bin/sh\n[ -e {marker} ] || exit 1\nexec {real} "$@"\n',
        "dpkg-query": "#!/bin/sh\nexit 1\n",
        "apt-get": f"#!/bin/sh\necho \"apt-get $*\" >>{work}/apt.log\ntouch {marker}\n",
        "sudo": '#!/bin/sh\nexec "$@"\n',
    }
    for name, text in scripts.items():
        path = os.path.join(bin_dir, name)
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, 0o755)
    return bin_dir + os.pathsep + os.environ["PATH"]


def source_copy(work):
    tree = os.path.join(work, "src")
    os.makedirs(tree)
    for name in SOURCES:
        src = os.path.join(ROOT, name)
        if os.path.isdir(src):
            shutil.copytree(src, os.path.join(tree, name),
                            ignore=shutil.ignore_patterns("__pycache__", "*.o"))
        else:
            shutil.copy2(src, tree)
    return tree


def outer_make_free(**extra):
    """The environment of a new user's shell: without the outer make's jobserver
    and variables (tests/run runs under make, `make sanitize` sets BUILD and BINDIR)."""
    env = dict(os.environ, **extra)
    for name in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEOVERRIDES", "BUILD", "BINDIR", "SAN",
                 "CFLAGS"):
        env.pop(name, None)
    return env


def make(tree, path, *goals):
    env = outer_make_free(PATH=path)
    return subprocess.run(["make", "-j2", *goals], cwd=tree, env=env, capture_output=True,
                          text=True, timeout=600)


def with_fresh_machine(body):
    if not shutil.which("pkg-config"):
        raise Skip("no pkg-config on this machine")
    work = tempfile.mkdtemp(prefix="deadlined-fresh-")
    try:
        body(work, source_copy(work), fresh_machine(work))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def test_make_deps_all_succeeds_in_one_go():
    def body(work, tree, path):
        p = make(tree, path, "deps", "all")
        check(p.returncode == 0, f"make deps all failed:\n{p.stdout[-2000:]}\n{p.stderr[-3000:]}")
        check(os.path.exists(os.path.join(work, "apt.log")), "deps did not call apt-get")
        for binary in ("deadlined", "deadlinectl"):
            check(os.access(os.path.join(tree, binary), os.X_OK), f"no {binary} was built")
    with_fresh_machine(body)


def test_a_missing_library_is_named_in_one_line():
    def body(work, tree, path):
        p = make(tree, path, "all")
        check(p.returncode != 0, "the build succeeded without any library")
        check("undefined reference" not in p.stderr, "a wall of undefined references")
        lines = [l for l in p.stderr.splitlines() if l.startswith("missing library:")]
        check(len(lines) == 1 and "make deps" in lines[0],
              f"expected one line naming the package and 'make deps':\n{p.stderr[-2000:]}")
    with_fresh_machine(body)


def test_make_deps_is_silent_and_quick_when_everything_is_installed():
    if not shutil.which("dpkg-query"):
        raise Skip("not a Debian machine")
    start = time.monotonic()
    p = subprocess.run(["make", "-s", "deps"], cwd=ROOT, capture_output=True, text=True,
                       env=outer_make_free(), timeout=600)
    took = time.monotonic() - start
    check(p.returncode == 0, p.stderr)
    # The suite runs after `make deps`, so everything is installed: nothing to say.
    check(p.stdout == "" and p.stderr == "", f"make deps said: {p.stdout}{p.stderr}")
    print(f"# make deps with everything installed: {took:.2f} s")


if __name__ == "__main__":
    run_tests([test_make_deps_all_succeeds_in_one_go, test_a_missing_library_is_named_in_one_line,
               test_make_deps_is_silent_and_quick_when_everything_is_installed])
