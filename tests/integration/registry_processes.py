#!/usr/bin/env python3
"""The embedded registry under several processes and under SIGKILL (issue 3, "Tests").

Usage: registry_processes.py MESHCTL [--rounds N] [--crash-products N]

1. Concurrency: in each round, several meshctl processes apply to ONE fresh registry file at once:
   two apply disjoint folders of different products, two the same product with the same manifest,
   two the same product and version with different manifests; then four race to evolve one product
   to four different versions. Every process exits 0 or 4 (conflict), none exits 6 or prints
   "database is locked", and afterwards the registry holds every product applied, each published
   version once, exactly the versions whose process exited 0, and the winner's manifest.
2. Crash: a folder of products is half applied (the baseline), then `apply -f FOLDER` of the whole
   folder is SIGKILLed inside its write transaction (as soon as the registry's -wal file grows: the
   transaction has started writing pages). The registry must read back exactly as the baseline, pass
   SQLite's integrity and foreign-key checks, and a re-run of the apply must succeed. When the apply
   finished before the kill could land (a small transaction written only at commit), the folder is
   doubled and the test retried, and the output says so: the check never passes on a missed kill.

Prints one line per check and ends with `N passed, M failed`; exits 1 when a check failed.
Standard library only; every meshctl call has a timeout.
"""

import argparse
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import registry_corpus  # noqa: E402
from checks import Checks  # noqa: E402  (the script's folder is on sys.path)

TIMEOUT_SECONDS = 300
EXIT_CONFLICT = 4
EXIT_UNAVAILABLE = 6


class Meshctl:
    def __init__(self, binary, registry):
        self.binary = binary
        self.registry = registry

    def command(self, *args):
        return [self.binary, "--registry", self.registry, *args]

    def run(self, *args):
        return subprocess.run(self.command(*args), capture_output=True, text=True, timeout=TIMEOUT_SECONDS)

    def start(self, *args):
        return subprocess.Popen(self.command(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def json(self, *args):
        done = self.run("-o", "json", *args)
        if done.returncode != 0:
            raise RuntimeError(f"meshctl {' '.join(args)} exited {done.returncode}: {done.stderr.strip()}")
        return json.loads(done.stdout)


def finish(processes):
    """Waits for every (label, Popen); returns [(label, exit code, stdout + stderr)]."""
    results = []
    for label, process in processes:
        try:
            out, err = process.communicate(timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            out, err = process.communicate()
        results.append((label, process.returncode, out + err))
    return results


def check_outcomes(checks, results, allowed, what):
    bad = [f"{label} exited {code}: {text.strip()[:200]}" for label, code, text in results if code not in allowed]
    checks.check(not bad, f"{what}: every process exits {' or '.join(map(str, allowed))}", "; ".join(bad))
    locked = [label for label, _, text in results if "database is locked" in text.lower()]
    checks.check(not locked, f"{what}: no process prints 'database is locked'", ", ".join(locked))
    unavailable = [label for label, code, _ in results if code == EXIT_UNAVAILABLE]
    checks.check(not unavailable, f"{what}: no process exits 6", ", ".join(unavailable))


def concurrency_round(checks, meshctl_binary, work, round_number, per_folder):
    root = os.path.join(work, f"round-{round_number}")
    meshctl = Meshctl(meshctl_binary, os.path.join(root, "registry.db"))
    tag = f"round {round_number}"
    folders = {}
    for group in ("alpha", "beta"):
        folder = os.path.join(root, group)
        for i in range(per_folder):
            registry_corpus.write_manifest(folder, f"conc-{group}", f"item-{i:03d}")
        folders[group] = folder
    same = [registry_corpus.write_manifest(os.path.join(root, f"same-{i}"), "conc-shared", "common") for i in (0, 1)]
    contested = {variant: registry_corpus.write_manifest(os.path.join(root, f"contested-{variant}"), "conc-shared",
                                                         "contested", "1.0.0", variant)
                 for variant in ("red", "blue")}

    processes = [(f"folder {group}", meshctl.start("apply", "-f", folder)) for group, folder in folders.items()]
    processes += [(f"same manifest #{i}", meshctl.start("apply", "-f", path)) for i, path in enumerate(same)]
    processes += [(f"contested {variant}", meshctl.start("apply", "-f", path)) for variant, path in contested.items()]
    results = finish(processes)
    codes = {label: code for label, code, _ in results}
    check_outcomes(checks, results, (0, EXIT_CONFLICT), f"{tag}, 6 concurrent applies")
    checks.check(codes["folder alpha"] == 0 and codes["folder beta"] == 0,
                 f"{tag}: the applies of disjoint products both succeed", str(codes))
    checks.check(0 in (codes["same manifest #0"], codes["same manifest #1"]),
                 f"{tag}: the same manifest applied twice succeeds at least once", str(codes))
    winners = [variant for variant in contested if codes[f"contested {variant}"] == 0]
    checks.check(len(winners) == 1, f"{tag}: exactly one of two different manifests of one version wins",
                 str(codes))

    products = meshctl.json("get", "products")
    names = sorted(f"{p['domain']}/{p['name']}" for p in products)
    expected = sorted([f"conc-{g}/item-{i:03d}" for g in folders for i in range(per_folder)]
                      + ["conc-shared/common", "conc-shared/contested"])
    checks.check(names == expected, f"{tag}: the registry holds every applied product once ({len(expected)})",
                 f"got {len(names)}: missing {sorted(set(expected) - set(names))[:5]}")
    single = all(len(meshctl.json("get", "versions", name)) == 1 for name in expected)
    checks.check(single, f"{tag}: every product has exactly one version 1.0.0")
    if len(winners) == 1:
        described = meshctl.json("describe", "conc-shared/contested")
        description = described["manifest"]["metadata"]["description"]
        checks.check(description.endswith(f"variant {winners[0]}."),
                     f"{tag}: the contested version holds the winner's manifest", description)

    # Four processes race to evolve one product from 1.0.0.
    folder = os.path.join(root, "evolving-base")
    registry_corpus.write_manifest(folder, "conc-shared", "evolving", "1.0.0")
    base = meshctl.run("apply", "-f", folder)
    checks.check(base.returncode == 0, f"{tag}: evolving product created", base.stderr.strip())
    targets = ["1.1.0", "1.2.0", "1.3.0", "2.0.0"]
    processes = []
    for version in targets:
        path = registry_corpus.write_manifest(os.path.join(root, f"evolve-{version}"), "conc-shared", "evolving",
                                              version, f"v{version}")
        processes.append((f"evolve to {version}", meshctl.start("apply", "-f", path)))
    results = finish(processes)
    check_outcomes(checks, results, (0, EXIT_CONFLICT), f"{tag}, 4 concurrent evolutions")
    succeeded = sorted((v for v, (_, code, _) in zip(targets, results) if code == 0),
                       key=lambda v: tuple(map(int, v.split("."))))
    checks.check(len(succeeded) >= 1, f"{tag}: at least one evolution succeeds", str([r[1] for r in results]))
    versions = [v["version"] for v in meshctl.json("get", "versions", "conc-shared/evolving")]
    checks.check(sorted(versions) == sorted(["1.0.0"] + succeeded) and len(set(versions)) == len(versions),
                 f"{tag}: exactly the versions whose process exited 0 are published, each once "
                 f"({', '.join(succeeded)})", f"published {versions}")
    latest = meshctl.json("describe", "conc-shared/evolving")["latestVersion"]
    checks.check(bool(succeeded) and latest == succeeded[-1], f"{tag}: latest version is the highest published",
                 f"{latest} vs {succeeded}")


def snapshot(meshctl, sample):
    state = {"products": meshctl.json("get", "products"), "domains": meshctl.json("get", "domains")}
    for name in sample:
        state[f"versions {name}"] = meshctl.json("get", "versions", name)
        state[f"history {name}"] = meshctl.json("history", name)
    return state


def wal_size(registry):
    try:
        return os.path.getsize(registry + "-wal")
    except OSError:
        return 0


WAL_HEADER_BYTES = 32


def crash_attempt(meshctl, full_folder, deadline_seconds):
    """Starts `apply -f full_folder` and SIGKILLs it once the -wal file holds a page frame.

    A frame (past the 32-byte header) is written only by a write transaction that has dirty
    pages, so the kill lands inside the apply's transaction, or during its commit.
    Returns (killed, wal bytes seen, seconds before the kill, output)."""
    before = max(wal_size(meshctl.registry), WAL_HEADER_BYTES)
    # The output goes to a file, not a pipe: nothing reads a pipe while the loop polls, and an apply whose
    # warnings (MESH-DUPLICATE on the corpus's one-template products) fill it would block before it writes.
    with tempfile.TemporaryFile(mode="w+") as output:
        process = subprocess.Popen(meshctl.command("apply", "-f", full_folder), stdout=output,
                                   stderr=subprocess.STDOUT, text=True)
        started = time.monotonic()
        while True:
            if process.poll() is not None:
                output.seek(0)
                return False, wal_size(meshctl.registry), time.monotonic() - started, output.read()
            grown = wal_size(meshctl.registry)
            if grown > before:
                process.send_signal(signal.SIGKILL)
                elapsed = time.monotonic() - started
                process.wait()
                return process.returncode == -signal.SIGKILL, grown, elapsed, ""
            if time.monotonic() - started > deadline_seconds:
                process.kill()
                process.wait()
                return False, grown, time.monotonic() - started, "no growth of the -wal file before the deadline"
            time.sleep(0.001)


def crash(checks, meshctl_binary, work, count, attempts=4):
    for attempt in range(1, attempts + 1):
        root = os.path.join(work, f"crash-{attempt}")
        full, half = os.path.join(root, "full"), os.path.join(root, "half")
        registry_corpus.write_products(full, 0, count, per_domain=250)
        registry_corpus.write_products(half, 0, count // 2, per_domain=250)
        meshctl = Meshctl(meshctl_binary, os.path.join(root, "registry.db"))
        started = time.monotonic()
        baseline = meshctl.run("apply", "-f", half)
        baseline_seconds = time.monotonic() - started
        if not checks.check(baseline.returncode == 0,
                            f"crash: baseline apply of {count // 2} products ({baseline_seconds:.1f} s)",
                            baseline.stderr.strip()[-300:]):
            return
        sample = [f"{registry_corpus.domain_name(i, 250)}/{registry_corpus.product_name(i)}"
                  for i in (0, count // 4, count // 2 - 1)]
        before = snapshot(meshctl, sample)

        killed, wal, elapsed, output = crash_attempt(meshctl, full, deadline_seconds=20 * baseline_seconds + 30)
        after_kill = meshctl.json("get", "products")
        if not killed:
            finished_whole = len(after_kill) == count
            checks.check(finished_whole or len(after_kill) == count // 2,
                         f"crash attempt {attempt}: an apply that was not killed left all or nothing",
                         f"{len(after_kill)} products")
            print(f"note crash attempt {attempt}: the apply of {count} products ended before the kill landed "
                  f"({elapsed:.2f} s, -wal {wal} bytes; {output.strip()[:120]}); retrying with "
                  f"{count * 2} products", flush=True)
            count *= 2
            continue
        if len(after_kill) == count:
            # The kill landed after the commit: nothing to learn about atomicity here; retry bigger.
            print(f"note crash attempt {attempt}: the kill ({elapsed:.2f} s, -wal {wal} bytes) landed after the "
                  f"commit; retrying with {count * 2} products", flush=True)
            count *= 2
            continue
        # Here the kill landed while the apply's write transaction was open: the -wal file had grown and the
        # second half of the products was not committed.
        checks.check(killed and wal > 0 and len(after_kill) == count // 2,
                     f"crash: apply of {count} products SIGKILLed after {elapsed:.2f} s, with {wal} bytes in the "
                     f"-wal file, inside its write transaction (the baseline apply of half took "
                     f"{baseline_seconds:.2f} s)", f"{len(after_kill)} products after the kill")
        after = snapshot(meshctl, sample)
        checks.check(after == before, "crash: the registry reads back exactly as before the killed apply "
                                      f"({len(before['products'])} products, get products/domains/versions/history)",
                     f"{len(after['products'])} products now")
        with sqlite3.connect(meshctl.registry) as connection:
            integrity = connection.execute("PRAGMA integrity_check").fetchall()
            foreign = connection.execute("PRAGMA foreign_key_check").fetchall()
        checks.check(integrity == [("ok",)], "crash: SQLite integrity_check is ok", str(integrity[:3]))
        checks.check(foreign == [], "crash: no foreign-key violations", str(foreign[:3]))
        rerun = meshctl.run("-o", "json", "apply", "-f", full)
        actions = {}
        if rerun.returncode == 0:
            for change in json.loads(rerun.stdout)["changes"]:
                actions[change["action"]] = actions.get(change["action"], 0) + 1
        checks.check(rerun.returncode == 0 and actions == {"created": count - count // 2, "unchanged": count // 2},
                     f"crash: the re-run apply succeeds ({actions})", rerun.stderr.strip()[-300:])
        checks.check(len(meshctl.json("get", "products")) == count, f"crash: {count} products after the re-run")
        return
    checks.check(False, f"crash: the kill never landed inside the transaction in {attempts} attempts")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("meshctl")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--per-folder", type=int, default=20)
    parser.add_argument("--crash-products", type=int, default=3000)
    args = parser.parse_args()
    meshctl_binary = os.path.abspath(args.meshctl)
    checks = Checks()
    work = tempfile.mkdtemp(prefix="meshctl-registry-processes-")
    try:
        for round_number in range(1, args.rounds + 1):
            concurrency_round(checks, meshctl_binary, work, round_number, args.per_folder)
        crash(checks, meshctl_binary, work, args.crash_products)
    except (RuntimeError, subprocess.TimeoutExpired, json.JSONDecodeError, KeyError) as error:
        checks.check(False, "unexpected error", str(error))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{checks.passed} passed, {checks.failed} failed", flush=True)
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
