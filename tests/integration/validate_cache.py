#!/usr/bin/env python3
"""`validate --cache` under several processes sharing one cache folder.

Usage: validate_cache.py MESHCTL [--files N] [--rounds N]

A corpus of N files (default 200) is made from the repository's examples under other names: every
kind of finding, copies that share an entry, a folder governed by its own standards file. In each
round, on a fresh cache folder, two `meshctl validate --cache` processes start at once (cold: both
write the same entries), then two more (warm: both read them and rewrite none), in every output
format. Every process must print exactly what `meshctl validate` prints without the cache, exit as
it does, and say nothing about the cache on standard error; afterwards the folder holds one entry
per distinct file and no temporary file. Then one entry in three is spoiled: two processes at once
still print the same findings, each warns once at most, and the run after them warns no more.

Prints one line per check and ends with `N passed, M failed`; exits 1 when a check failed.
Standard library only; every meshctl call has a timeout.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import Checks  # noqa: E402  (the script's folder is on sys.path)

TIMEOUT_SECONDS = 300
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FORMATS = ("text", "json", "sarif", "junit")
STANDARDS = "apiVersion: meshctl/v1\nkind: Standards\nrules:\n  MESH-TITLE: off\n  MESH-PII-CLASS: { severity: warning }\n"


def make_corpus(folder, count):
    """`count` manifests from examples/, renamed; a third of them under a folder with its own standards."""
    examples = []
    for sub in ("products", "invalid"):
        for dirpath, _, names in os.walk(os.path.join(ROOT, "examples", sub)):
            examples += sorted(os.path.join(dirpath, n) for n in names if n.endswith((".yaml", ".yml")))
    examples.sort()
    governed = os.path.join(folder, "governed")
    os.makedirs(os.path.join(governed, ".meshctl"))
    with open(os.path.join(governed, ".meshctl", "standards.yaml"), "w", encoding="utf-8") as fh:
        fh.write(STANDARDS)
    distinct = set()
    for i in range(count):
        source = examples[i % len(examples)]
        target_folder = governed if i % 3 == 0 else os.path.join(folder, f"part-{i % 7}")
        os.makedirs(target_folder, exist_ok=True)
        shutil.copyfile(source, os.path.join(target_folder, f"file-{i:04d}{os.path.splitext(source)[1]}"))
        if os.path.getsize(source) > 0:  # an empty file is no meshctl document: skipped, never cached
            distinct.add((source, target_folder == governed))
    return len(distinct)


def run(meshctl, *args):
    done = subprocess.run([meshctl, "validate", *args], capture_output=True, timeout=TIMEOUT_SECONDS)
    return done.returncode, done.stdout, done.stderr


def run_pair(meshctl, *args):
    """Two processes started together; [(exit code, stdout, stderr)] of each."""
    processes = [subprocess.Popen([meshctl, "validate", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                 for _ in range(2)]
    results = []
    for process in processes:
        try:
            out, err = process.communicate(timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            out, err = process.communicate()
        results.append((process.returncode, out, err))
    return results


def cache_files(cache):
    entries, others = [], []
    for dirpath, _, names in os.walk(cache):
        for name in names:
            path = os.path.join(dirpath, name)
            if name == "last-prune":
                continue
            (entries if len(name) == 62 and os.path.basename(dirpath) != os.path.basename(cache) else others).append(path)
    return sorted(entries), others


def same_as(reference, results):
    """The first difference between `reference` (exit, stdout, stderr) and each result, or ''."""
    for number, (code, out, err) in enumerate(results, 1):
        if code != reference[0]:
            return f"process {number} exited {code}, {reference[0]} without the cache"
        if out != reference[1]:
            return f"process {number}'s output differs: {out[:300]!r} vs {reference[1][:300]!r}"
        if err != reference[2]:
            return f"process {number}'s standard error differs: {err[:300]!r} vs {reference[2][:300]!r}"
    return ""


def round_of(checks, meshctl, corpus, cache, distinct, number):
    for output in FORMATS:
        folder = f"{cache}-{output}"
        reference = run(meshctl, "--format", output, corpus)
        args = ("--cache-location", folder, "--format", output, corpus)
        for phase in ("cold", "warm"):
            before = {path: os.stat(path).st_ino for path in cache_files(folder)[0]} if phase == "warm" else {}
            difference = same_as(reference, run_pair(meshctl, *args))
            checks.check(not difference, f"round {number}, {output}, {phase}: two processes at once print what "
                                         f"validate prints without the cache", difference)
        after = {path: os.stat(path).st_ino for path in cache_files(folder)[0]}
        checks.check(before == after, f"round {number}, {output}: the warm processes read every entry, "
                                      f"rewrote none")
        entries, others = cache_files(folder)
        checks.check(len(entries) == distinct and not others,
                     f"round {number}, {output}: one entry per distinct file ({distinct}), no temporary file",
                     f"{len(entries)} entries, others: {others[:3]}")

    folder = f"{cache}-json"
    entries, _ = cache_files(folder)
    for path in entries[::3]:
        with open(path, "r+b") as fh:
            fh.truncate(os.path.getsize(path) // 2)
    reference = run(meshctl, "--format", "json", corpus)
    results = run_pair(meshctl, "--cache-location", folder, "--format", "json", corpus)
    difference = same_as(reference, [(code, out, b"") for code, out, _ in results])
    checks.check(not difference, f"round {number}: with spoiled entries, the same findings", difference)
    warnings = [err.decode("utf-8", "replace").splitlines() for _, _, err in results]
    # Each warns once at most; one may find every spoiled entry already rewritten by the other.
    checks.check(all(len(lines) <= 1 for lines in warnings) and any(warnings) and
                 all("could not be read or failed a check" in line for lines in warnings for line in lines),
                 f"round {number}: with spoiled entries, a warning, once per process", repr(warnings))
    after = run(meshctl, "--cache-location", folder, "--format", "json", corpus)
    checks.check(after == reference, f"round {number}: the next run finds every entry whole again",
                 after[2].decode("utf-8", "replace"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("meshctl")
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    meshctl = os.path.abspath(args.meshctl)
    checks = Checks()
    work = tempfile.mkdtemp(prefix="meshctl-validate-cache-")
    try:
        corpus = os.path.join(work, "corpus")
        distinct = make_corpus(corpus, args.files)
        for number in range(1, args.rounds + 1):
            round_of(checks, meshctl, corpus, os.path.join(work, f"cache-{number}"), distinct, number)
    except (OSError, subprocess.TimeoutExpired) as error:
        checks.check(False, "unexpected error", str(error))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{checks.passed} passed, {checks.failed} failed", flush=True)
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
