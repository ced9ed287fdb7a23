#!/usr/bin/env python3
"""Two `meshctl serve` replicas over one PostgreSQL database, many concurrent writers (issue 5, "Tests").

Usage: postgres_cluster.py -- postgres_replicas.py MESHCTL [--writers N] [--versions N]
       (needs MESHCTL_TEST_POSTGRES_URL; without it, says so and exits 0)

1. Bootstrap: both replicas start at once on one empty database, each with --init-admin-token-file;
   exactly one of them writes an admin token (the store decides, not a process-local lock).
2. Contest: WRITERS processes at a time, spread over both replicas, each `evolve` one shared product
   to the same versions 1.0.1..1.0.N in order, each with its own description. Every call exits 0
   (it won) or 4 (conflict: another writer published that version first); none exits 6.
   Afterwards, through either replica: every version is published exactly once, in ascending order;
   each version's manifest is the one of a writer whose call exited 0 (no lost update), and the
   number of successful calls equals the number of versions, the product's revision minus one and
   its history length minus one.
3. Idempotence: every writer `apply`s one identical manifest at once through both replicas: all exit 0,
   and the product has exactly one version.

Prints one line per check and ends with `N passed, M failed`; exits 1 when a check failed.
Standard library only; every meshctl call has a timeout, and the replicas are stopped (SIGTERM) at the end.
"""

import argparse
import concurrent.futures
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import registry_corpus  # noqa: E402

from checks import Checks  # noqa: E402  (the script's folder is on sys.path)

TIMEOUT_SECONDS = 120
EXIT_CONFLICT = 4
DOMAIN = "race"


class Replica:
    """One `meshctl serve` on a free loopback port; its port is read from the "listening" log line."""

    def __init__(self, meshctl, store, token_file, log_path):
        self.log_path = log_path
        self.log = open(log_path, "w", encoding="utf-8")
        self.process = subprocess.Popen(
            [meshctl, "serve", "--listen", "127.0.0.1:0", "--store", store, "--init-admin-token-file", token_file],
            stdout=subprocess.DEVNULL, stderr=self.log)
        self.port = None

    def wait_ready(self):
        deadline = time.monotonic() + TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"meshctl serve exited {self.process.returncode}: {self.log_text()[-2000:]}")
            match = re.search(r'"event":"listening".*?"port":(\d+)', self.log_text())
            if match:
                self.port = int(match.group(1))
                try:
                    with urllib.request.urlopen(f"{self.url()}/readyz", timeout=5) as answer:
                        if answer.status == 200:
                            return
                except OSError:
                    pass
            time.sleep(0.1)
        raise RuntimeError(f"meshctl serve was not ready within {TIMEOUT_SECONDS} s")

    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def log_text(self):
        with open(self.log_path, encoding="utf-8", errors="replace") as log:
            return log.read()

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


class Client:
    def __init__(self, meshctl, replica, token):
        self.meshctl = meshctl
        self.replica = replica
        self.environment = dict(os.environ, MESHCTL_TOKEN=token)  # never on a command line

    def run(self, *args):
        return subprocess.run([self.meshctl, "--registry", self.replica.url(), *args], capture_output=True,
                              text=True, timeout=TIMEOUT_SECONDS, env=self.environment)

    def json(self, *args):
        done = self.run("-o", "json", *args)
        if done.returncode != 0:
            raise RuntimeError(f"meshctl {' '.join(args)} exited {done.returncode}: {done.stderr.strip()}")
        return json.loads(done.stdout)


def bootstrap(checks, meshctl, store, work, replicas):
    """Starts both replicas (appended to `replicas`, so the caller stops them whatever happens)."""
    token_files = [os.path.join(work, f"admin-token-{i}") for i in (0, 1)]
    for i in (0, 1):
        replicas.append(Replica(meshctl, store, token_files[i], os.path.join(work, f"replica-{i}.log")))
    for replica in replicas:
        replica.wait_ready()
    written = [path for path in token_files if os.path.exists(path)]
    checks.check(len(written) == 1, "two replicas bootstrapping together write exactly one admin token",
                 f"written: {written}")
    with open(written[0], encoding="utf-8") as token_file:
        token = token_file.read().strip()
    return token


def contest(checks, meshctl, replicas, token, work, writers, versions):
    clients = [Client(meshctl, replica, token) for replica in replicas]
    created = clients[0].run("create", "-f", registry_corpus.write_manifest(os.path.join(work, "base"), DOMAIN,
                                                                            "shared", "1.0.0"))
    checks.check(created.returncode == 0, "the shared product is created through replica 0", created.stderr.strip())

    def writer(index):
        client = clients[index % len(clients)]
        outcomes = []
        for step in range(1, versions + 1):
            version = f"1.0.{step}"
            path = registry_corpus.write_manifest(os.path.join(work, f"writer-{index}", version), DOMAIN, "shared",
                                                  version, f"writer-{index}")
            done = client.run("evolve", "-f", path)
            outcomes.append((version, done.returncode, done.stderr.strip()[:300]))
        return outcomes

    with concurrent.futures.ThreadPoolExecutor(max_workers=writers) as pool:
        results = list(pool.map(writer, range(writers)))
    calls = [(index, version, code, err) for index, outcomes in enumerate(results)
             for version, code, err in outcomes]
    bad = [f"writer-{i} {v} exited {c}: {e}" for i, v, c, e in calls if c not in (0, EXIT_CONFLICT)]
    checks.check(not bad, f"{len(calls)} concurrent evolves through 2 replicas all exit 0 or 4", "; ".join(bad[:3]))
    winners = {}
    for index, version, code, _ in calls:
        if code == 0:
            winners.setdefault(version, []).append(index)

    for number, client in enumerate(clients):
        listed = client.json("get", "versions", f"{DOMAIN}/shared")
        published = [entry["version"] for entry in listed]
        expected = ["1.0.0"] + [f"1.0.{step}" for step in range(1, versions + 1) if f"1.0.{step}" in winners]
        checks.check(published == expected, f"replica {number}: every version is published once, in order",
                     f"got {published}, expected {expected}")
    doubles = {version: indexes for version, indexes in winners.items() if len(indexes) != 1}
    checks.check(not doubles, "no version was reported published to two writers", str(doubles))
    checks.check(len(winners) == versions, f"each of the {versions} versions was won by one writer",
                 f"won: {sorted(winners)}")

    lost = []
    for version, indexes in sorted(winners.items()):
        described = clients[1].json("describe", f"{DOMAIN}/shared@{version}")
        description = described["manifest"]["metadata"]["description"]
        if not any(description.endswith(f"variant writer-{index}.") for index in indexes):
            lost.append(f"{version}: stored '{description}', winners {indexes}")
    checks.check(not lost, "every stored manifest is its winner's (no lost update)", "; ".join(lost[:3]))

    product = clients[0].json("describe", f"{DOMAIN}/shared")
    history = clients[1].json("history", f"{DOMAIN}/shared")
    successes = sum(len(indexes) for indexes in winners.values())
    revision = product.get("revision")
    checks.check(revision == successes + 1,
                 "the revision moved once per successful evolve", f"revision {revision}, successes {successes}")
    events = history if isinstance(history, list) else []  # `history -o json` is a list of events
    checks.check(len(events) == successes + 1, "one audit event per successful write",
                 f"{len(events)} events, {successes} successes + 1 create")


def idempotence(checks, meshctl, replicas, token, work, writers):
    path = registry_corpus.write_manifest(os.path.join(work, "same"), DOMAIN, "same", "1.0.0")
    clients = [Client(meshctl, replica, token) for replica in replicas]
    with concurrent.futures.ThreadPoolExecutor(max_workers=writers) as pool:
        results = list(pool.map(lambda index: clients[index % 2].run("apply", "-f", path), range(writers)))
    bad = [f"exit {done.returncode}: {done.stderr.strip()[:200]}" for done in results if done.returncode != 0]
    checks.check(not bad, f"{writers} concurrent applies of one manifest through 2 replicas all exit 0",
                 "; ".join(bad[:3]))
    listed = clients[0].json("get", "versions", f"{DOMAIN}/same")
    checks.check(len(listed) == 1, "the product applied concurrently has exactly one version", str(listed))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("meshctl")
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--versions", type=int, default=15)
    arguments = parser.parse_args()
    store = os.environ.get("MESHCTL_TEST_POSTGRES_URL")
    if not store:
        print("skipped: MESHCTL_TEST_POSTGRES_URL is unset (run under tests/integration/postgres_cluster.py)")
        return 0

    checks = Checks()
    work = tempfile.mkdtemp(prefix="meshctl-replicas-")
    replicas = []
    try:
        meshctl = os.path.abspath(arguments.meshctl)
        token = bootstrap(checks, meshctl, store, work, replicas)
        admin = Client(meshctl, replicas[0], token)
        domain = admin.run("domain", "create", DOMAIN, "--owner-team", "race-data")
        checks.check(domain.returncode == 0, f"domain {DOMAIN} is created", domain.stderr.strip())
        contest(checks, meshctl, replicas, token, work, arguments.writers, arguments.versions)
        idempotence(checks, meshctl, replicas, token, work, arguments.writers)
    except Exception as failure:  # noqa: BLE001 - reported as a failed check, the replicas still stop
        checks.check(False, "the test ran to its end", repr(failure))
    finally:
        for replica in replicas:
            replica.stop()
        if checks.failed:
            for replica in replicas:
                print(f"--- {replica.log_path} (last lines)")
                print("\n".join(replica.log_text().splitlines()[-20:]))
        shutil.rmtree(work, ignore_errors=True)
    print(f"{checks.passed} passed, {checks.failed} failed")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
