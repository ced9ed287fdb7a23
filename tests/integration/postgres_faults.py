#!/usr/bin/env python3
"""Faults under concurrent writers on PostgreSQL (issue 12, "Faults").

Usage: postgres_cluster.py -- postgres_faults.py MESHCTL postgres-restart|replica-kill
       (needs MESHCTL_TEST_POSTGRES_URL and MESHCTL_TEST_POSTGRES_DATA; without them, says so and exits 0)

Writers run `meshctl` through two `meshctl serve` replicas over one database, each in a loop of steps:
`apply` a new product (fault/wK-sN at 1.0.0), `evolve` its own product fault/wK to 1.0.N, and `usage report`
three events of fault/wK with ids of their own. Every call is recorded with its exit code and times.

postgres-restart: 6 writers. PostgreSQL is stopped (`pg_ctl stop -m fast`, later `-m immediate`) and
  started again, twice, while they write. While it is down: every call exits 6 within the time bound with a
  message naming the registry; /readyz answers 503 and /healthz 200 on both replicas, within a second or two.
  Once it is back, without restarting the servers: the next `apply` through each replica exits 0, /readyz
  answers 200, and every call started after that exits 0.
replica-kill: 16 writers, 8 per replica. Replica 1 gets SIGKILL while they write: every call started through
  it afterwards exits 6 ("cannot reach the registry"), every call through replica 0 exits 0. A new replica
  started over the same database serves the same products and takes writes.

Then, for both, read through a live replica: every acknowledged write (exit 0) is there; nothing is there
that no writer sent; every stored version holds the manifest sent for it, and the product's history, revision
and latest version agree with its versions (a write that failed with exit 6 is all there or not at all);
each writer's usage count is a multiple of 3 between its acknowledged and its attempted reports; sent again
(ingest is idempotent by event id), the failed reports all exit 0 and the count is exactly the attempted one.

Prints one line per check and ends with `N passed, M failed`; exits 1 when a check failed.
Standard library only; every meshctl call and request has a timeout, and every process started is stopped.
"""

import argparse
import concurrent.futures
import json
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import postgres_cluster  # noqa: E402
import registry_corpus  # noqa: E402
from checks import Checks  # noqa: E402
from postgres_replicas import Replica  # noqa: E402

DOMAIN = "fault"
EXIT_UNAVAILABLE = 6
# A call that takes longer than this hung: the client's own timeouts (connect 10 s) are below it.
CALL_BOUND_SECONDS = 20
# The subprocess timeout: a call reaching it is recorded as a hang, not waited for forever.
CALL_TIMEOUT_SECONDS = 60
PROBE_BOUND_SECONDS = 2.0
EVENTS_PER_REPORT = 3


class Postgres:
    """Stops and starts the cluster that postgres_cluster.py runs, as the user that owns it."""

    def __init__(self, data):
        self.data = data
        self.pg_ctl = os.path.join(postgres_cluster.find_binaries(), "pg_ctl")
        owner = os.stat(data).st_uid
        self.prefix = ["runuser", "-u", pwd.getpwuid(owner).pw_name, "--"] if os.geteuid() == 0 and owner else []
        self.log = os.path.join(os.path.dirname(data), "server.log")

    def stop(self, mode):
        subprocess.run(self.prefix + [self.pg_ctl, "stop", "-D", self.data, "-m", mode, "-w"], check=True,
                       stdout=subprocess.DEVNULL, timeout=120)

    def start(self):
        # `restart` of a stopped cluster starts it with the options of its last start (postmaster.opts).
        subprocess.run(self.prefix + [self.pg_ctl, "restart", "-D", self.data, "-l", self.log, "-w"], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)


class Call:
    def __init__(self, kind, product, version, replica, started):
        self.kind = kind  # "apply", "evolve" or "usage"
        self.product = product
        self.version = version
        self.replica = replica
        self.started = started
        self.ended = None
        self.code = None
        self.stderr = ""
        self.lines = None  # usage: the JSON Lines sent

    def describe(self):
        return (f"{self.kind} {self.product}@{self.version} via replica {self.replica} exited {self.code} "
                f"after {self.ended - self.started:.1f} s: {self.stderr.strip()[:200]}")


def run_meshctl(meshctl, url, token, args, stdin=None):
    environment = dict(os.environ, MESHCTL_TOKEN=token)
    environment.pop("MESHCTL_REGISTRY", None)
    try:
        done = subprocess.run([meshctl, "--registry", url, *args], input=stdin, capture_output=True, text=True,
                              timeout=CALL_TIMEOUT_SECONDS, env=environment)
        return done.returncode, done.stderr
    except subprocess.TimeoutExpired:
        return None, f"no answer within {CALL_TIMEOUT_SECONDS} s"


def variant(product, version):
    return f"{product}@{version}"


def usage_lines(writer, step):
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    return "".join(json.dumps({"id": f"{writer}-s{step}-e{event}", "time": now, "product": f"{DOMAIN}/{writer}",
                               "port": f"{writer}-table", "consumer": f"reader-{writer}"}) + "\n"
                   for event in range(EVENTS_PER_REPORT))


class Writer:
    """One client in a loop of steps through one replica; its calls are kept for the checks."""

    def __init__(self, number, meshctl, replica_number, url, token, work):
        self.name = f"w{number}"
        self.meshctl = meshctl
        self.replica = replica_number
        self.url = url
        self.token = token
        self.folder = os.path.join(work, self.name)
        self.calls = []

    def call(self, kind, product, version, args, stdin=None):
        record = Call(kind, product, version, self.replica, time.monotonic())
        record.lines = stdin
        record.code, record.stderr = run_meshctl(self.meshctl, self.url, self.token, args, stdin)
        record.ended = time.monotonic()
        self.calls.append(record)
        if record.code != 0:
            time.sleep(0.05)  # an unreachable server answers at once: do not spin
        return record

    def manifest(self, name, version):
        folder = os.path.join(self.folder, f"{name}-{version}")
        return registry_corpus.write_manifest(folder, DOMAIN, name, version, variant(name, version))

    def create_own_product(self):
        return self.call("apply", self.name, "1.0.0", ["apply", "-f", self.manifest(self.name, "1.0.0")])

    def run(self, stop):
        step = 0
        while not stop.is_set():
            step += 1
            product = f"{self.name}-s{step}"
            self.call("apply", product, "1.0.0", ["apply", "-f", self.manifest(product, "1.0.0")])
            version = f"1.0.{step}"
            self.call("evolve", self.name, version, ["evolve", "-f", self.manifest(self.name, version)])
            self.call("usage", self.name, None, ["usage", "report", "-f", "-"], usage_lines(self.name, step))


class Api:
    """Reads the registry over HTTP, for the checks."""

    def __init__(self, url, token):
        self.url = url
        self.token = token

    def get(self, path):
        request = urllib.request.Request(self.url + path, headers={"Authorization": "Bearer " + self.token})
        try:
            with urllib.request.urlopen(request, timeout=CALL_TIMEOUT_SECONDS) as answer:
                return answer.status, json.loads(answer.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")

    def ok(self, path):
        status, body = self.get(path)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}: {body}")
        return body

    def products(self):
        found, after = [], None
        while True:
            query = {"domain": DOMAIN, "limit": "500"}
            if after:
                query["after"] = after
            page = self.ok("/v1/products?" + urllib.parse.urlencode(query))
            found += page["products"]
            after = page.get("next")
            if not after:
                return found


def probe(url, path):
    """(HTTP status or the error, seconds taken)."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url + path, timeout=10) as answer:
            status = answer.status
    except urllib.error.HTTPError as error:
        status = error.code
    except OSError as error:
        status = repr(error)
    return status, time.monotonic() - started


def start_writers(writers):
    stop = threading.Event()
    threads = [threading.Thread(target=writer.run, args=(stop,), daemon=True) for writer in writers]
    for thread in threads:
        thread.start()
    return stop, threads


def stop_writers(stop, threads):
    stop.set()
    for thread in threads:
        thread.join(CALL_TIMEOUT_SECONDS * 3 + 10)


def clear_error(call):
    """An error a person can act on: one `meshctl: error:` line that names the registry, and no crash. The
    writers' products all have the same two fields, so an apply may first warn of duplicates (MESH-DUPLICATE:
    its plan was made before the fault); those lines are findings, not the error."""
    lines = [line for line in call.stderr.strip().splitlines() if not line.endswith("[MESH-DUPLICATE]")]
    return len(lines) == 1 and lines[0].startswith("meshctl: error: ") and "registry" in lines[0]


def check_calls(checks, calls):
    odd = [call.describe() for call in calls if call.code not in (0, EXIT_UNAVAILABLE)]
    checks.check(calls and not odd, f"every one of {len(calls)} calls exited 0 or 6", "; ".join(odd[:3]))
    slow = [call.describe() for call in calls if call.code is None or call.ended - call.started > CALL_BOUND_SECONDS]
    longest = max((call.ended - call.started for call in calls), default=0.0)
    checks.check(not slow, f"every call ended within {CALL_BOUND_SECONDS} s, no hang (longest {longest:.1f} s)",
                 "; ".join(slow[:3]))
    unclear = [call.describe() for call in calls if call.code == EXIT_UNAVAILABLE and not clear_error(call)]
    checks.check(not unclear, "every exit 6 prints one `meshctl: error:` line naming the registry",
                 "; ".join(unclear[:3]))


def check_stored(checks, api, writers, own_products):
    """Every acknowledged write is stored, nothing else is, and each product is whole."""
    calls = [call for writer in writers for call in writer.calls if call.kind in ("apply", "evolve")]
    sent = {}  # product -> versions a writer sent, acknowledged or not
    for call in calls:
        sent.setdefault(call.product, set()).add(call.version)
    acknowledged = {(call.product, call.version) for call in calls if call.code == 0}
    products = {entry["name"]: entry for entry in api.products()}
    unknown = sorted(set(products) - set(sent) - set(own_products))
    checks.check(not unknown, f"the registry holds no product that no writer sent ({len(products)} products)",
                 str(unknown[:5]))

    stored = set()
    broken = []
    for name, entry in sorted(products.items()):
        listed = [item["version"] for item in api.ok(f"/v1/products/{DOMAIN}/{name}/versions")["versions"]]
        stored.update((name, version) for version in listed)
        if len(set(listed)) != len(listed) or listed != sorted(listed, key=lambda v: [int(p) for p in v.split(".")]):
            broken.append(f"{name}: versions {listed} repeat or are out of order")
        stray = set(listed) - sent.get(name, set()) - ({"1.0.0"} if name in own_products else set())
        if stray:
            broken.append(f"{name}: versions {sorted(stray)} were never sent")
        for version in listed:
            manifest = api.ok(f"/v1/products/{DOMAIN}/{name}/versions/{version}")["manifest"]
            description = manifest["metadata"]["description"]
            if manifest["metadata"]["version"] != version or not description.endswith(
                    f"variant {variant(name, version)}."):
                broken.append(f"{name}@{version} holds another manifest: {description}")
        events = api.ok(f"/v1/products/{DOMAIN}/{name}/history")["events"]
        published = sorted(event.get("version") for event in events if event["action"] in ("create", "evolve"))
        if published != sorted(listed) or len(events) != len(listed):
            broken.append(f"{name}: history {[(e['action'], e.get('version')) for e in events]} against {listed}")
        if not listed or entry.get("revision") != len(listed) or entry.get("latestVersion") != listed[-1]:
            broken.append(f"{name}: revision {entry.get('revision')}, latest {entry.get('latestVersion')}, "
                          f"versions {listed}")
    checks.check(not broken, "every stored version holds the manifest sent for it; history, revision and "
                             "latest version agree with the versions (nothing half-written)", "; ".join(broken[:3]))
    missing = sorted(acknowledged - stored)
    checks.check(not missing, f"every one of {len(acknowledged)} acknowledged writes is stored",
                 str(missing[:5]))
    failed = {(call.product, call.version) for call in calls if call.code != 0} - acknowledged
    committed = len(failed & stored)
    print(f"note {len(failed)} writes failed; {committed} of them were committed before the fault (an exit 6 "
          f"does not say the write was not made), {len(failed) - committed} left no trace", flush=True)


def usage_events(api, writer):
    summary = api.ok(f"/v1/products/{DOMAIN}/{writer.name}/usage?since=7")
    return sum(consumer["events"] for consumer in summary["consumers"]
               if consumer["consumer"] == f"reader-{writer.name}")


def check_usage(checks, api, writers, meshctl, url, token):
    """Each report is one transaction: counts move by whole reports. Sent again, failed reports fill the gap."""
    wrong = []
    for writer in writers:
        reports = [call for call in writer.calls if call.kind == "usage"]
        acknowledged = sum(1 for call in reports if call.code == 0)
        events = usage_events(api, writer)
        if events % EVENTS_PER_REPORT or not (acknowledged <= events // EVENTS_PER_REPORT <= len(reports)):
            wrong.append(f"{writer.name}: {events} events from {acknowledged} acknowledged of {len(reports)} reports")
    reports = sum(1 for writer in writers for call in writer.calls if call.kind == "usage")
    checks.check(not wrong, f"usage counts are whole reports and include every acknowledged one ({reports} "
                            f"reports)", "; ".join(wrong[:3]))
    failed = [(writer, call) for writer in writers for call in writer.calls if call.kind == "usage" and call.code]
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        again = list(pool.map(lambda call: run_meshctl(meshctl, url, token, ["usage", "report", "-f", "-"], call.lines),
                              [call for _, call in failed]))
    refused = [f"{code}: {stderr.strip()[:200]}" for code, stderr in again if code != 0]
    checks.check(not refused, f"the {len(failed)} failed usage reports, sent again, all exit 0", "; ".join(refused[:3]))
    wrong = []
    for writer in writers:
        expected = EVENTS_PER_REPORT * sum(1 for call in writer.calls if call.kind == "usage")
        events = usage_events(api, writer)
        if events != expected:
            wrong.append(f"{writer.name}: {events} events, {expected} sent")
    checks.check(not wrong, "then each writer's usage count is exactly what it sent (each event once)",
                 "; ".join(wrong[:3]))


def create_own_products(checks, writers):
    created = [writer.create_own_product() for writer in writers]
    bad = [call.describe() for call in created if call.code != 0]
    checks.check(not bad, f"the {len(writers)} writers' own products are created", "; ".join(bad[:3]))
    for writer in writers:
        writer.calls.clear()  # checked here; the checks after the faults count the loop's calls
    return {writer.name for writer in writers}


def postgres_restart(checks, meshctl, replicas, token, work):
    postgres = Postgres(os.environ["MESHCTL_TEST_POSTGRES_DATA"])
    writers = [Writer(number, meshctl, number % 2, replicas[number % 2].url(), token, work) for number in range(6)]
    own_products = create_own_products(checks, writers)
    stop, threads = start_writers(writers)
    windows = []  # (stop asked, down from, start asked, up from) per stop
    try:
        for mode in ("fast", "immediate"):
            time.sleep(3)
            stopping = time.monotonic()
            postgres.stop(mode)
            down = time.monotonic()
            probes = []
            while time.monotonic() < down + 3:
                for number, replica in enumerate(replicas):
                    probes += [(number, "/readyz", *probe(replica.url(), "/readyz")),
                               (number, "/healthz", *probe(replica.url(), "/healthz"))]
                time.sleep(0.3)
            direct = [run_meshctl(meshctl, replica.url(), token, args) + (number, args[0])
                      for number, replica in enumerate(replicas)
                      for args in (["get", "products"], ["apply", "-f", writers[0].manifest(f"down-{mode}", "1.0.0")])]
            restarting = time.monotonic()
            postgres.start()
            up = time.monotonic()
            windows.append((stopping, down, restarting, up))
            wrong = [p for p in probes if p[2] != (503 if p[1] == "/readyz" else 200) or p[3] > PROBE_BOUND_SECONDS]
            checks.check(probes and not wrong, f"PostgreSQL stopped ({mode}): /readyz answers 503 and /healthz 200 "
                         f"on both replicas within {PROBE_BOUND_SECONDS} s ({len(probes)} probes)", str(wrong[:4]))
            wrong = [d for d in direct if d[0] != EXIT_UNAVAILABLE or "registry" not in d[1]]
            checks.check(not wrong, f"PostgreSQL stopped ({mode}): get and apply through each replica exit 6 "
                                    f"naming the registry", str(wrong[:2]))
            after = [run_meshctl(meshctl, replica.url(), token,
                                 ["apply", "-f", writers[0].manifest(f"up-{mode}-{number}", "1.0.0")]) + (number,)
                     for number, replica in enumerate(replicas)]
            ready = [probe(replica.url(), "/readyz")[0] for replica in replicas]
            checks.check(all(a[0] == 0 for a in after) and ready == [200, 200],
                         f"PostgreSQL started again ({mode}): the next apply through each replica exits 0 and "
                         f"/readyz answers 200, the servers not restarted", f"{after} readyz {ready}")
            own_products.update({f"up-{mode}-0", f"up-{mode}-1"})
        time.sleep(3)
    finally:
        stop_writers(stop, threads)
    calls = [call for writer in writers for call in writer.calls]
    check_calls(checks, calls)
    during = [c for c in calls
              if any(down <= c.started and c.ended <= restarting for _, down, restarting, _ in windows)]
    wrong = [call.describe() for call in during if call.code != EXIT_UNAVAILABLE]
    checks.check(during and not wrong, f"every call made while PostgreSQL was down exits 6 ({len(during)} calls)",
                 "; ".join(wrong[:3]))
    next_stops = [window[0] for window in windows[1:]] + [float("inf")]
    later = [c for c in calls if any(up <= c.started and c.ended <= next_stop
                                     for (_, _, _, up), next_stop in zip(windows, next_stops))]
    wrong = [call.describe() for call in later if call.code != 0]
    checks.check(later and not wrong, f"every call made after PostgreSQL came back exits 0 ({len(later)} calls)",
                 "; ".join(wrong[:3]))
    api = Api(replicas[0].url(), token)
    check_stored(checks, api, writers, own_products)
    check_usage(checks, api, writers, meshctl, replicas[1].url(), token)


def replica_kill(checks, meshctl, replicas, token, work, store):
    writers = [Writer(number, meshctl, number % 2, replicas[number % 2].url(), token, work) for number in range(16)]
    own_products = create_own_products(checks, writers)
    stop, threads = start_writers(writers)
    try:
        time.sleep(4)
        replicas[1].process.send_signal(signal.SIGKILL)
        killed = time.monotonic()
        replicas[1].process.wait(10)
        time.sleep(3)
    finally:
        stop_writers(stop, threads)
    calls = [call for writer in writers for call in writer.calls]
    check_calls(checks, calls)
    after = [call for call in calls if call.replica == 1 and call.started >= killed]
    wrong = [call.describe() for call in after
             if call.code != EXIT_UNAVAILABLE or f"cannot reach the registry at {replicas[1].url()}" not in call.stderr]
    checks.check(after and not wrong, f"every call through the killed replica afterwards exits 6, saying it cannot "
                                      f"reach it ({len(after)} calls)", "; ".join(wrong[:3]))
    unfelt = [writer.name for writer in writers if writer.replica == 1
              and not any(call.code == EXIT_UNAVAILABLE for call in writer.calls)]
    checks.check(not unfelt, "each of the killed replica's 8 writers saw an exit 6", str(unfelt))
    survivor = [call for call in calls if call.replica == 0]
    wrong = [call.describe() for call in survivor if call.code != 0]
    checks.check(survivor and not wrong, f"every call through the surviving replica exits 0 ({len(survivor)} calls)",
                 "; ".join(wrong[:3]))
    api = Api(replicas[0].url(), token)
    check_stored(checks, api, writers, own_products)
    check_usage(checks, api, writers, meshctl, replicas[0].url(), token)

    # The killed replica's place taken by a new one over the same database.
    replicas.append(Replica(meshctl, store, os.path.join(work, "admin-token-new"),
                            os.path.join(work, "replica-new.log")))
    replicas[-1].wait_ready()
    fresh = Api(replicas[-1].url(), token)
    same = sorted(e["name"] for e in fresh.products()) == sorted(e["name"] for e in api.products())
    code, stderr = run_meshctl(meshctl, replicas[-1].url(), token,
                               ["apply", "-f", writers[1].manifest("after-kill", "1.0.0")])
    checks.check(same and code == 0, "a new replica over the same database lists the same products and takes "
                                     "an apply", f"same listing: {same}; apply exited {code}: {stderr.strip()}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("meshctl")
    parser.add_argument("fault", choices=["postgres-restart", "replica-kill"])
    arguments = parser.parse_args()
    store = os.environ.get("MESHCTL_TEST_POSTGRES_URL")
    if not store or not os.environ.get("MESHCTL_TEST_POSTGRES_DATA"):
        print("skipped: MESHCTL_TEST_POSTGRES_URL or _DATA is unset (run under tests/integration/postgres_cluster.py)")
        return 0

    checks = Checks()
    work = tempfile.mkdtemp(prefix="meshctl-faults-")
    replicas = []
    started = time.monotonic()
    try:
        meshctl = os.path.abspath(arguments.meshctl)
        for number in (0, 1):
            replicas.append(Replica(meshctl, store, os.path.join(work, f"admin-token-{number}"),
                                    os.path.join(work, f"replica-{number}.log")))
        for replica in replicas:
            replica.wait_ready()
        token_file = next(os.path.join(work, f"admin-token-{n}") for n in (0, 1)
                          if os.path.exists(os.path.join(work, f"admin-token-{n}")))
        with open(token_file, encoding="utf-8") as source:
            token = source.read().strip()
        code, stderr = run_meshctl(meshctl, replicas[0].url(), token,
                                   ["domain", "create", DOMAIN, "--owner-team", f"{DOMAIN}-data"])
        checks.check(code == 0, f"domain {DOMAIN} is created", stderr.strip())
        if arguments.fault == "postgres-restart":
            postgres_restart(checks, meshctl, replicas, token, work)
        else:
            replica_kill(checks, meshctl, replicas, token, work, store)
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
    print(f"{arguments.fault}: {time.monotonic() - started:.0f} s")
    print(f"{checks.passed} passed, {checks.failed} failed")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
