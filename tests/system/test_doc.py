"""The manual pages: mandoc finds nothing to warn about, and they keep up
with the programs: every deadlinectl command, every deadlined option and
every key of the shipped configuration and directory is documented."""
import os
import re
import subprocess

from harness import DEADLINECTL, DEADLINED, ROOT, check, run_tests


def man_pages():
    """MANPAGES from the Makefile: what `make install` installs."""
    with open(os.path.join(ROOT, "Makefile"), encoding="utf-8") as f:
        m = re.search(r"^MANPAGES\s*=\s*(.*)$", f.read(), re.M)
    check(m, "no MANPAGES in the Makefile")
    return [os.path.join(ROOT, p) for p in m.group(1).split()]


def page(name):
    with open(os.path.join(ROOT, "doc", name), encoding="utf-8") as f:
        return f.read()


def test_man_pages_are_lint_clean():
    pages = man_pages()
    check(sorted(os.path.basename(p) for p in pages) ==
          ["deadlinectl.1", "deadlined.8", "deadlined.ini.5"], f"MANPAGES: {pages}")
    for p in pages:
        # -W warning: style notes (such as pages not installed yet) are not errors.
        r = subprocess.run(["mandoc", "-T", "lint", "-W", "warning", p], capture_output=True,
                           text=True)
        check(r.returncode == 0 and r.stdout == "" and r.stderr == "",
              f"mandoc -T lint {p}: exit {r.returncode}\n{r.stdout}{r.stderr}")
        r = subprocess.run(["mandoc", "-T", "utf8", p], capture_output=True, text=True)
        check(r.returncode == 0 and len(r.stdout) > 1000, f"mandoc -T utf8 {p}")


def test_deadlinectl_page_has_every_command():
    usage = subprocess.run([DEADLINECTL, "--help"], capture_output=True, text=True).stdout
    commands = re.findall(r"^  ([a-z][a-z-]*) ", usage, re.M)
    check(len(commands) > 10, f"commands: {commands}")
    text = page("deadlinectl.1")
    for cmd in commands:
        check(re.search(rf"^\.It Cm {re.escape(cmd)}\b", text, re.M),
              f"deadlinectl.1 does not document '{cmd}'")
    for option in ("--config", "--db", "--socket", "--now"):
        check(f"Fl \\-{option[2:]}" in text, f"deadlinectl.1 lacks {option}")


def test_deadlined_page_has_every_option():
    usage = subprocess.run([DEADLINED, "--help"], capture_output=True, text=True).stdout
    options = set(re.findall(r"--([a-z-]+)", usage))
    check(options >= {"config", "db", "foreground", "now"}, f"options: {options}")
    text = page("deadlined.8")
    for option in options:
        check(f"Fl \\-{option}" in text, f"deadlined.8 does not document --{option}")


def test_ini_page_has_every_key_of_the_shipped_files():
    """Every key the shipped files set, or show in a comment ("; user = nhacviec")."""
    # The words mdoc marks as command modifiers (Cm), on .It and .Cm lines.
    documented = set()
    for line in page("deadlined.ini.5").splitlines():
        if line.startswith((".It ", ".Cm ")) or " Cm " in line:
            documented.update(re.findall(r"[a-z_]+", line))
    keys = set()
    for name in ("config/deadlined.ini", "config/directory.ini"):
        with open(os.path.join(ROOT, name), encoding="utf-8") as f:
            for line in f:
                m = re.match(r"[;#]?\s*([a-z_][a-z_]*)(?:\.[a-z-]+)?\s*=\s", line)
                if m:
                    keys.add(m.group(1))
    keys.add("calendar_url")
    check(len(keys) > 30, f"keys found: {sorted(keys)}")
    missing = sorted(keys - documented)
    check(not missing, f"deadlined.ini.5 does not document {missing}")


if __name__ == "__main__":
    run_tests([test_man_pages_are_lint_clean,
               test_deadlinectl_page_has_every_command,
               test_deadlined_page_has_every_option,
               test_ini_page_has_every_key_of_the_shipped_files])
