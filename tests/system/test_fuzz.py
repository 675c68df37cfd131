"""Every libFuzzer target (tests/fuzz/fuzz_NAME.c, built by `make fuzz`)
under ASan + UBSan and its own invariants: every input that ever failed
(tests/fuzz/regressions/NAME/) must pass, and a short fresh run from the
seed corpus (tests/fuzz/corpus/NAME/) must find nothing. Where ../shared
exists, a target may add seeds made from its documents at run time
(SHARED_SEEDS): their text is read there, never copied into the project.
`make test-long` runs each target ten times longer."""
import glob
import os
import shutil
import subprocess
import tempfile

from harness import ROOT, check, long_mode, run_tests

BUILD = os.environ.get("BUILD", "build")
FUZZ_DIR = os.path.join(ROOT, "tests", "fuzz")
SECONDS = int(os.environ.get("FUZZ_SECONDS", "100" if long_mode() else "10"))
SHARED = os.path.abspath(os.path.join(ROOT, "..", "shared"))


def shared_lines():
    """Lines of the shared plans, as admins and agencies write them."""
    out = []
    for folder in ("seeds", "plans"):
        for path in sorted(glob.glob(os.path.join(SHARED, folder, "*.txt"))):
            with open(path, encoding="utf-8", errors="replace") as f:
                out += [ln.strip() for ln in f if 10 < len(ln.strip().encode()) < 180]
    return out


def ini_seeds(lines):
    """INI tasks whose titles, leads and timeframes are lines of the plans."""
    for n in range(0, min(len(lines), 400), 40):
        chunk = lines[n:n + 40]
        yield "".join(f"[task t{i}]\ntitle = {a}\nlead = {b}\ntimeframe = {c}\n\n"
                      for i, (a, b, c) in enumerate(zip(chunk, chunk[1:], chunk[2:])))


def message_seeds(lines):
    """Messages whose subject and text are lines of the plans (fields as in fuzz_message.c)."""
    for n in range(0, min(len(lines), 400), 20):
        chunk = lines[n:n + 20]
        yield "\0".join(["Hệ thống nhắc việc", "nhacviec@quangngai.example", "", "",
                         chunk[0], "sct@quangngai.example", "", "", chunk[1],
                         "seed.%d@quangngai.example" % n, "", "", "\n".join(chunk) + "\n"])


SHARED_SEEDS = {"ini": ini_seeds, "message": message_seeds}


def add_shared_seeds(name, corpus):
    if name not in SHARED_SEEDS or not os.path.isdir(SHARED):
        return 0
    seeds = list(SHARED_SEEDS[name](shared_lines()))
    for i, seed in enumerate(seeds):
        with open(os.path.join(corpus, f"shared-{i}"), "wb") as f:
            f.write(seed.encode("utf-8"))
    return len(seeds)


def targets():
    return sorted(os.path.basename(p)[len("fuzz_"):-2]
                  for p in glob.glob(os.path.join(FUZZ_DIR, "fuzz_*.c")))


def fuzzer(name):
    return os.path.join(ROOT, BUILD, f"fuzz_{name}")


def past_findings_pass(name):
    def test():
        folder = os.path.join(FUZZ_DIR, "regressions", name)
        files = sorted(glob.glob(os.path.join(folder, "*")))
        if not files:
            return  # nothing has failed yet
        with tempfile.TemporaryDirectory(prefix=f"deadlined-fuzz-{name}-") as tmp:
            p = subprocess.run([fuzzer(name), *files], capture_output=True, text=True,
                               timeout=300, env=dict(os.environ, TMPDIR=tmp))
            check(p.returncode == 0, p.stderr[-3000:])
            check(not os.listdir(tmp), f"the target left {os.listdir(tmp)} behind")
    test.__name__ = f"test_every_past_finding_of_{name}_passes"
    return test


def short_run_finds_nothing(name):
    def test():
        work = tempfile.mkdtemp(prefix=f"deadlined-fuzz-{name}-")
        try:
            corpus = os.path.join(work, "corpus")
            seeds = os.path.join(FUZZ_DIR, "corpus", name)
            check(os.path.isdir(seeds) and os.listdir(seeds), f"no seed corpus in {seeds}")
            shutil.copytree(seeds, corpus)
            # The target's own files (fuzz_ini writes its input) stay under work.
            os.mkdir(os.path.join(work, "tmp"))
            add_shared_seeds(name, corpus)
            p = subprocess.run([fuzzer(name), f"-max_total_time={SECONDS}", "-seed=1",
                                "-rss_limit_mb=1024", "-timeout=10",
                                f"-artifact_prefix={work}/", corpus],
                               capture_output=True, text=True, timeout=SECONDS * 6 + 120,
                               env=dict(os.environ, TMPDIR=os.path.join(work, "tmp")))
            found = [f for f in os.listdir(work) if f not in ("corpus", "tmp")]
            check(p.returncode == 0 and not found,
                  f"the fuzzer found {found}: add it to tests/fuzz/regressions/{name}/\n"
                  f"{p.stderr[-3000:]}")
        finally:
            shutil.rmtree(work, ignore_errors=True)
    test.__name__ = f"test_a_short_run_of_{name}_finds_nothing"
    return test


if __name__ == "__main__":
    run_tests([t for name in targets() for t in (past_findings_pass(name), short_run_finds_nothing(name))])
