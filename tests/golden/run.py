#!/usr/bin/env python3
"""Golden CLI tests: every folder under CASES is one case.

A case folder holds:
  cmd              one line: the command, starting with `meshctl` (run by /bin/sh in the case folder,
                   `meshctl` resolving to the binary under test); $CASE_TMP is a fresh empty folder
  stdin            (optional) fed to standard input
  stdout, stderr   the expected output, compared exactly; {{version}} in them stands for the version the
                   top-level CMakeLists.txt declares (project(meshctl VERSION ...))
  exit             the expected exit code
  other files      the inputs the command reads

usage: run.py MESHCTL CASES [NAME...]     UPDATE=1 rewrites stdout, stderr and exit from what ran.
"""
import os
import pwd
import re
import shutil
import subprocess
import sys
import tempfile


TIMESTAMP = re.compile(r"\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z\b")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def declared_version():
    """The version CMake gives the build (MESHCTL_VERSION), read where it is declared."""
    with open(os.path.join(ROOT, "CMakeLists.txt"), encoding="utf-8") as fh:
        match = re.search(r"project\(meshctl\s+VERSION\s+([0-9][0-9A-Za-z.+-]*)", fh.read())
    if not match:
        sys.exit("golden: no project(meshctl VERSION ...) in CMakeLists.txt")
    return match.group(1)


VERSION = declared_version()
USER = re.compile(r"\b" + re.escape(pwd.getpwuid(os.geteuid()).pw_name) + r"\b")


def normalize(text, tmp, folder):
    """What varies between runs and machines: the temporary folder, where the
    checkout is, the time of registry changes, and the user who made them (the
    embedded registry's actor)."""
    text = text.replace(tmp, "$CASE_TMP").replace(os.path.abspath(folder), "$CASE_DIR")
    text = TIMESTAMP.sub("<time>", text)
    return USER.sub("<user>", text)


def keep_placeholders(path, actual):
    """`actual` with each line that the expected file held with {{version}} (and that still matches it)
    written as it was, so UPDATE=1 does not turn the placeholder into today's literal."""
    if not os.path.exists(path):
        return actual
    old_lines = open(path, encoding="utf-8").read().splitlines(keepends=True)
    new_lines = actual.splitlines(keepends=True)
    for i, line in enumerate(new_lines):
        if i < len(old_lines) and "{{version}}" in old_lines[i] and old_lines[i].replace("{{version}}", VERSION) == line:
            new_lines[i] = old_lines[i]
    return "".join(new_lines)


def run_case(meshctl, folder, update):
    with open(os.path.join(folder, "cmd"), encoding="utf-8") as fh:
        command = fh.read().strip()
    stdin_path = os.path.join(folder, "stdin")
    stdin = open(stdin_path, "rb").read() if os.path.exists(stdin_path) else b""
    bindir = tempfile.mkdtemp(prefix="meshctl-golden-bin-")
    tmp = tempfile.mkdtemp(prefix="meshctl-golden-")
    try:
        os.symlink(os.path.abspath(meshctl), os.path.join(bindir, "meshctl"))
        env = {"PATH": bindir + os.pathsep + "/usr/bin:/bin", "HOME": tmp, "CASE_TMP": tmp,
               "XDG_DATA_HOME": os.path.join(tmp, "data"), "XDG_CONFIG_HOME": os.path.join(tmp, "config"),
               "LANG": "C.UTF-8", "TZ": "UTC", "USER": "golden"}
        for key in ("ASAN_OPTIONS", "UBSAN_OPTIONS"):
            if key in os.environ:
                env[key] = os.environ[key]
        proc = subprocess.run(["/bin/sh", "-c", command], cwd=folder, input=stdin, capture_output=True,
                              env=env, timeout=60)
    finally:
        shutil.rmtree(bindir, ignore_errors=True)
        shutil.rmtree(tmp, ignore_errors=True)
    got = {"stdout": normalize(proc.stdout.decode("utf-8", "replace"), tmp, folder),
           "stderr": normalize(proc.stderr.decode("utf-8", "replace"), tmp, folder),
           "exit": f"{proc.returncode}\n"}
    failures = []
    for name, actual in got.items():
        path = os.path.join(folder, name)
        if update:
            text = keep_placeholders(path, actual)
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(text)
            continue
        expected = open(path, encoding="utf-8").read() if os.path.exists(path) else ""
        expected = expected.replace("{{version}}", VERSION)
        if expected != actual:
            failures.append(f"--- {name}: expected\n{expected}--- {name}: got\n{actual}")
    return failures


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    meshctl, cases = argv[1], argv[2]
    names = argv[3:] or sorted(d for d in os.listdir(cases) if os.path.isdir(os.path.join(cases, d)))
    update = os.environ.get("UPDATE") == "1"
    failed = 0
    for name in names:
        failures = run_case(meshctl, os.path.join(cases, name), update)
        if failures:
            failed += 1
            print(f"FAIL {name}")
            for f in failures:
                print(f)
        else:
            print(f"ok   {name}")
    print(f"golden: {len(names) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
