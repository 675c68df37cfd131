"""The timeframe parser under libFuzzer (ASan + UBSan + its own invariants,
see tests/fuzz/fuzz_timeframe.c): every input that ever failed must pass,
and a short fresh run from the seed corpus must find nothing."""
import os
import shutil
import subprocess
import tempfile

from harness import ROOT, check, run_tests

BUILD = os.environ.get("BUILD", "build")
FUZZER = os.path.join(ROOT, BUILD, "fuzz_timeframe")
REGRESSIONS = os.path.join(ROOT, "tests", "fuzz", "regressions")
CORPUS = os.path.join(ROOT, "tests", "fuzz", "corpus")


def test_every_past_finding_passes():
    files = sorted(os.path.join(REGRESSIONS, f) for f in os.listdir(REGRESSIONS))
    check(files, "no regression inputs")
    p = subprocess.run([FUZZER, *files], capture_output=True, text=True, timeout=120)
    check(p.returncode == 0, p.stderr[-3000:])


def test_a_short_fuzzing_run_finds_nothing():
    work = tempfile.mkdtemp(prefix="deadlined-fuzz-")
    try:
        corpus = os.path.join(work, "corpus")
        shutil.copytree(CORPUS, corpus)
        p = subprocess.run([FUZZER, "-max_total_time=10", "-seed=1", "-rss_limit_mb=1024",
                            f"-artifact_prefix={work}/", corpus],
                           capture_output=True, text=True, timeout=180)
        found = [f for f in os.listdir(work) if f != "corpus"]
        check(p.returncode == 0 and not found,
              f"the fuzzer found {found}: add it to tests/fuzz/regressions\n{p.stderr[-3000:]}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    run_tests([test_every_past_finding_passes, test_a_short_fuzzing_run_finds_nothing])
