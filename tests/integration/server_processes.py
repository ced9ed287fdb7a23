#!/usr/bin/env python3
"""`meshctl serve` as a process, and the CLI against it (issue 5, "Server" and "Client").

Usage: server_processes.py MESHCTL

1. Start: `meshctl serve --listen 127.0.0.1:0 --init-admin-token-file FILE` writes the admin token with
   mode 0600 and logs the port it listens on; a second start over the same store writes nothing.
2. Same behaviour: one sequence of CLI commands (apply, get, describe, similar, history, deprecate, retire, errors)
   runs against the embedded registry and against the server (`--registry http://...`, `MESHCTL_TOKEN`);
   stdout, stderr and exit codes must be equal once times and the actor are normalised.
   A change another process commits to the server's SQLite file shows in the server's next answer.
3. Failures: a wrong token exits 5, an unreachable server exits 6 naming the URL and the cause.
4. Access log: one JSON line per request, never a token.
5. Graceful shutdown: SIGTERM while a request is half sent and others run: the half-sent request still
   gets its whole answer, no answer is cut, and the server exits 0.

Prints one line per check and ends with `N passed, M failed`; exits 1 when a check failed.
Standard library only; every process and request has a timeout.
"""

import atexit
import json
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

from checks import Checks  # noqa: E402  (the script's folder is on sys.path)

REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLES = os.path.join(REPOSITORY, "examples", "products")
TIMEOUT_SECONDS = 60


class Server:
    """One `meshctl serve` process; its log lines are collected on a thread."""

    def __init__(self, meshctl, store, token_file=None, extra=()):
        command = [meshctl, "serve", "--listen", "127.0.0.1:0", "--store", store, *extra]
        if token_file:
            command += ["--init-admin-token-file", token_file]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.lines = []
        self.events = []
        self.port = None
        listening = threading.Event()

        def read_log():
            for line in self.process.stderr:
                self.lines.append(line.rstrip("\n"))
                try:
                    entry = json.loads(line)
                except ValueError:
                    continue
                if entry.get("event"):
                    self.events.append(entry)
                if entry.get("event") == "listening":
                    self.port = entry["port"]
                    listening.set()
            listening.set()

        self.reader = threading.Thread(target=read_log, daemon=True)
        self.reader.start()
        listening.wait(TIMEOUT_SECONDS)
        if self.port is None:
            self.process.kill()
            raise RuntimeError("the server did not start: " + "\n".join(self.lines))
        self.url = f"http://127.0.0.1:{self.port}"

    def request(self, method, path, token=None, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, method=method)
        if token:
            request.add_header("Authorization", "Bearer " + token)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:
                return answer.status, json.loads(answer.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    def stop(self, sig=signal.SIGTERM):
        self.process.send_signal(sig)
        try:
            code = self.process.wait(TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = None
        self.reader.join(5)
        return code


def run(meshctl, registry, args, token=None, stdin=None):
    environment = dict(os.environ)
    environment.pop("MESHCTL_TOKEN", None)
    environment["MESHCTL_CONFIG"] = os.path.join(tempfile.gettempdir(), "meshctl-server-test-no-config.yaml")
    if token:
        environment["MESHCTL_TOKEN"] = token
    result = subprocess.run([meshctl, "--registry", registry, *args], capture_output=True, text=True,
                            timeout=TIMEOUT_SECONDS, env=environment, input=stdin)
    return result.returncode, result.stdout, result.stderr


TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


def normalise(text, actor):
    """Times and ages (the two runs are seconds apart), the actor, audit ids (the server's count its
    domain and token events too) and the table padding that follows the actor's length."""
    text = TIME.sub("TIME", text)
    text = re.sub(r'"ageSeconds":\d+', '"ageSeconds":AGE', text)
    text = re.sub(r"\b\d+[smhd](?= +(met|violated|unknown)\b)", "AGE", text)
    text = re.sub(r"\b" + re.escape(actor) + r"\b", "ACTOR", text)
    text = re.sub(r'("?id"?: )\d+', r"\1ID", text)
    return re.sub(r" +", " ", text)


# finance/revenue reading a product no registry has: `validate` with a registry refuses it.
UNKNOWN_INPUT = os.path.join(tempfile.mkdtemp(prefix="meshctl-server-test-"), "revenue.yaml")
with open(os.path.join(EXAMPLES, "finance", "revenue.yaml"), encoding="utf-8") as _source, \
        open(UNKNOWN_INPUT, "w", encoding="utf-8") as _copy:
    _copy.write(_source.read().replace("product: sales/orders", "product: sales/nowhere"))
atexit.register(shutil.rmtree, os.path.dirname(UNKNOWN_INPUT), True)
# The same as a new major of finance/revenue: the registry refuses to publish it (its input ports must resolve).
UNKNOWN_INPUT_NEXT = os.path.join(os.path.dirname(UNKNOWN_INPUT), "revenue-3.yaml")
with open(UNKNOWN_INPUT, encoding="utf-8") as _source, open(UNKNOWN_INPUT_NEXT, "w", encoding="utf-8") as _copy:
    _copy.write(_source.read().replace("version: 2.1.0", "version: 3.0.0", 1))

# sales/customers naming a term no glossary defines: apply refuses it where the file says it.
UNKNOWN_TERM = os.path.join(os.path.dirname(UNKNOWN_INPUT), "customers.yaml")
with open(os.path.join(EXAMPLES, "sales", "customers.yaml"), encoding="utf-8") as _source, \
        open(UNKNOWN_TERM, "w", encoding="utf-8") as _copy:
    _copy.write(_source.read().replace("term: customer-email", "term: customer-emial")
                .replace("version: 1.4.2", "version: 1.5.0", 1))

# sales/orders copied to finance/order-lines: the same fields at a location of its own (MESH-DUPLICATE).
ORDER_COPY = os.path.join(os.path.dirname(UNKNOWN_INPUT), "order-lines.yaml")
with open(os.path.join(EXAMPLES, "sales", "orders.yaml"), encoding="utf-8") as _source, \
        open(ORDER_COPY, "w", encoding="utf-8") as _copy:
    _copy.write(_source.read().replace("name: orders\n", "name: order-lines\n").replace("domain: sales", "domain: finance")
                .replace("sales-data", "finance-data").replace("s3://sales/orders/", "s3://finance/order-lines/"))

# What some steps of the sequence must say (besides saying the same on both registries).
EXPECTED = {
    ("describe", "finance/revenue"): "reads sales/orders, which is deprecated (sunset 2099-06-30",
    ("apply", "-f", UNKNOWN_INPUT_NEXT): "[MESH-INPUT-UNKNOWN]",
    ("subscribe", "sales/orders", "--consumer", "churn-model", "--team", "ml", "--version", "^9"):
        "no published version of sales/orders meets ^9",
    ("retire", "sales/customers"): "is not deprecated",
    ("validate", os.path.join(EXAMPLES, "finance", "revenue.yaml")): "[MESH-INPUT-DEPRECATED]",
    ("validate", UNKNOWN_INPUT): "reads sales/nowhere, which is not registered",
    ("retire", "sales/orders", "--force"): "sales/orders: retired",
    ("subscribe", "sales/orders", "--consumer", "late-dashboard", "--team", "finance-bi"): "is retired",
    ("describe", "term", "customer-email"): "sales/orders@1.2.0  orders-table.customer_email",
    ("describe", "term", "customer-emial"): "did you mean 'customer-email'?",
    ("apply", "-f", UNKNOWN_TERM): "[MESH-TERM-UNKNOWN]",
    ("-o", "json", "get", "terms", "--domain", "sales"): '"glossary":"customer-terms"',
    ("similar", ORDER_COPY): "sales/orders  1.2.0    1.00",
    ("apply", "-f", ORDER_COPY): "finance/order-lines is 1.00 similar to sales/orders",
    ("-o", "json", "similar", "sales/orders"): '"name":"order-lines"',
    ("similar", "sales/orders", "--limit", "0"): "--limit must be 1 to 100",
}

# The same sequence against both registries. Domains exist on the server beforehand.
SEQUENCE = [
    ["apply", "-f", EXAMPLES],
    ["apply", "-f", EXAMPLES],
    ["similar", ORDER_COPY],
    ["-o", "json", "similar", ORDER_COPY, "--min-score", "0"],
    ["apply", "-f", ORDER_COPY],
    ["-o", "json", "similar", "sales/orders"],
    ["similar", "sales/orders", "--limit", "0"],
    ["get", "products"],
    ["-o", "json", "get", "products", "--domain", "sales"],
    ["describe", "sales/orders"],
    ["-o", "json", "describe", "sales/orders"],
    ["-o", "yaml", "history", "sales/orders"],
    ["describe", "sales/ordres"],
    ["get", "terms"],
    ["-o", "json", "get", "terms", "--domain", "sales"],
    ["describe", "term", "customer-email"],
    ["-o", "json", "describe", "term", "customer-email"],
    ["describe", "term", "customer-emial"],
    ["apply", "-f", UNKNOWN_TERM],
    ["-o", "json", "describe", "nowhere/orders"],
    ["diff", "-f", os.path.join(EXAMPLES, "sales", "orders.yaml")],
    ["-o", "json", "changelog", "sales/orders"],
    ["lineage", "sales/orders"],
    ["lineage", "--all", "--format", "mermaid"],
    ["subscribe", "sales/orders", "--consumer", "revenue-dashboard", "--team", "finance-bi", "--version", "^1"],
    ["-o", "json", "get", "subscriptions"],
    ["usage", "report", "-f", "-"],
    ["usage", "report", "-f", "-"],
    ["usage", "sales/orders"],
    ["-o", "json", "usage", "sales/orders", "--since", "7d"],
    ["subscribe", "sales/orders", "--consumer", "churn-model", "--team", "ml", "--version", "^9"],
    ["apply", "-f", UNKNOWN_INPUT_NEXT],
    ["-o", "json", "apply", "-f", UNKNOWN_INPUT_NEXT],
    ["retire", "sales/customers"],
    ["deprecate", "sales/orders", "--sunset", "2099-06-30", "--reason", "replaced by sales/order-lines"],
    ["deprecate", "sales/orders", "--sunset", "2099-02-30", "--reason", "bad date"],
    ["deprecate", "sales/orders", "--sunset", "2020-06-30", "--reason", "a date past"],
    ["deprecate", "sales/orders", "--sunset", "2099-06-30"],
    ["describe", "finance/revenue"],
    ["validate", os.path.join(EXAMPLES, "finance", "revenue.yaml")],
    ["validate", UNKNOWN_INPUT],
    ["retire", "sales/orders"],
    ["-o", "json", "retire", "sales/orders"],
    ["unsubscribe", "sales/orders", "--consumer", "revenue-dashboard"],
    ["retire", "sales/orders"],
    ["get", "products", "--status", "deprecated"],
    ["retire", "sales/orders", "--force"],
    ["subscribe", "sales/orders", "--consumer", "late-dashboard", "--team", "finance-bi"],
    ["history", "sales/orders"],
]


# Usage events of today (so inside every window), with one bad line; sent twice: the second is all duplicates.
_NOW = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
EVENTS = "\n".join([
    json.dumps({"id": "e-1", "time": _NOW, "product": "sales/orders", "port": "orders-table",
                "consumer": "revenue-dashboard", "operation": "read", "rows": 10, "bytes": 2048}),
    json.dumps({"id": "e-2", "time": _NOW, "product": "sales/orders", "port": "orders-table",
                "consumer": "churn-model", "operation": "read", "rows": 5, "bytes": 512}),
    '{"id": "e-3", "time": "yesterday"}',
    json.dumps({"time": _NOW, "product": "sales/orders", "port": "orders-table", "updatedAt": _NOW}),
]) + "\n"


def example_domains():
    return sorted(name for name in os.listdir(EXAMPLES) if os.path.isdir(os.path.join(EXAMPLES, name)))


def check_start(checks, meshctl, folder):
    store = "sqlite:" + os.path.join(folder, "server.db")
    token_file = os.path.join(folder, "admin.token")
    server = Server(meshctl, store, token_file)
    mode = stat.S_IMODE(os.stat(token_file).st_mode) if os.path.exists(token_file) else None
    checks.check(mode == 0o600, "the admin token file is written with mode 0600", oct(mode or 0))
    with open(token_file, encoding="utf-8") as source:
        token = source.read().strip()
    checks.check(len(token) >= 22, "the admin token is long enough to carry 128 random bits")
    status, _ = server.request("GET", "/healthz")
    checks.check(status == 200, "/healthz answers without a token")
    status, body = server.request("GET", "/v1/domains")
    checks.check(status == 401 and body["error"]["kind"] == "unauthenticated", "/v1/ needs a token")
    return server, store, token, token_file


def check_restart(checks, meshctl, store, folder):
    second_file = os.path.join(folder, "second.token")
    server = Server(meshctl, store, second_file)
    code = server.stop()
    checks.check(not os.path.exists(second_file), "a restart over a store with principals writes no token")
    checks.check(any(e.get("event") == "admin token not written" for e in server.events),
                 "the restart logs that it wrote nothing")
    checks.check(code == 0, "SIGTERM on an idle server exits 0", str(code))


def check_same_behaviour(checks, meshctl, server, token, folder):
    for domain in example_domains():
        status, body = server.request("POST", "/v1/domains", token, {"name": domain, "ownerTeam": domain + "-data"})
        checks.check(status == 201, f"domain {domain} created on the server", json.dumps(body))
    embedded = "sqlite:" + os.path.join(folder, "embedded.db")
    # The actor of embedded changes is the OS user; on the server, the token's principal.
    user = subprocess.run(["id", "-un"], capture_output=True, text=True, check=True).stdout.strip()
    for args in SEQUENCE:
        stdin = EVENTS if args[:2] == ["usage", "report"] else None
        local = run(meshctl, embedded, args, stdin=stdin)
        remote = run(meshctl, server.url, args, token=token, stdin=stdin)
        same = (local[0] == remote[0] and normalise(local[1], user) == normalise(remote[1], "admin") and
                normalise(local[2], user) == normalise(remote[2], "admin"))
        detail = "" if same else f"\nembedded: {local}\nserver:   {remote}"
        checks.check(same, "same output and exit code (" + str(local[0]) + "): meshctl " + " ".join(args), detail)
        expected = EXPECTED.get(tuple(args))
        if expected:
            checks.check(expected in remote[1] + remote[2], f"meshctl {' '.join(args)} says '{expected}'", remote[2])


def check_writes_of_another_process(checks, meshctl, server, store, token):
    """The server keeps answers of reads until the store changes: a change another process commits to the
    server's file shows in the next answer."""
    def status():
        code, out, err = run(meshctl, server.url, ["-o", "json", "describe", "finance/revenue"], token=token)
        return json.loads(out)["status"] if code == 0 else f"exit {code}: {err}"
    before = [status(), status()]  # the second is a kept answer
    code, _, err = run(meshctl, store, ["deprecate", "finance/revenue", "--sunset", "2099-06-30", "--reason", "moved"])
    checks.check(code == 0, "the embedded registry deprecates a product in the server's file", err)
    after = status()
    checks.check(before == ["active", "active"] and after == "deprecated",
                 "the server's next describe shows the other process's change", f"{before} -> {after}")


def check_failures(checks, meshctl, server, admin):
    # Tokens in the format the server issues (mesh_<16 hex>_<64 hex>), so the lookup and the hash comparison
    # run, not only the format check: an unknown token id, and the admin's token id with another secret.
    unknown = "mesh_" + "0" * 16 + "_" + "0" * 64
    code, _, err = run(meshctl, server.url, ["get", "products"], token=unknown)
    checks.check(code == 5, "a well-formed token nobody holds exits 5", f"{code} {err}")
    checks.check(admin.startswith("mesh_") and len(admin) == 86, "the admin token has the issued format", admin[:5])
    other_secret = admin[:-1] + ("1" if admin[-1] == "0" else "0")
    code, _, err = run(meshctl, server.url, ["get", "products"], token=other_secret)
    checks.check(code == 5, "a known token id with a wrong secret exits 5", f"{code} {err}")
    code, _, err = run(meshctl, server.url, ["get", "products"], token="mct_wrong_0000000000000000000000")
    checks.check(code == 5, "a malformed token exits 5", f"{code} {err}")
    code, _, err = run(meshctl, server.url, ["get", "products"])
    checks.check(code == 5, "no token exits 5", f"{code} {err}")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free_port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{free_port}"
    code, _, err = run(meshctl, url, ["get", "products"], token="x")
    checks.check(code == 6 and f"cannot reach the registry at {url}: " in err,
                 "an unreachable server exits 6 with the URL and the cause", f"{code} {err}")


def check_access_log(checks, server, secrets):
    requests = [line for line in server.lines if '"method"' in line]
    checks.check(len(requests) > 10, "the access log has a line per request", str(len(requests)))
    parsed = [json.loads(line) for line in requests]
    keys = {"time", "method", "path", "status", "duration_ms", "principal", "cached"}
    checks.check(all(keys <= set(entry) for entry in parsed), "every access-log line has the seven keys")
    checks.check(any(entry["cached"] for entry in parsed), "repeated reads are answered from the kept answers")
    checks.check(not any(entry["cached"] for entry in parsed if entry["method"] != "GET"), "writes are never kept")
    checks.check(not any(secret in line for line in server.lines for secret in secrets),
                 "the log never contains a token")


def half_sent_request(port, token, body):
    """Sends the headers and half the body; returns the socket and the rest of the body."""
    connection = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT_SECONDS)
    data = json.dumps(body).encode()
    head = (f"POST /v1/products HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\nConnection: close\r\n\r\n")
    half = len(data) // 2
    connection.sendall(head.encode() + data[:half])
    return connection, data[half:]


def read_answer(connection):
    chunks = []
    while True:
        chunk = connection.recv(65536)
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks).decode(errors="replace")


def check_graceful_shutdown(checks, meshctl, folder):
    store = "sqlite:" + os.path.join(folder, "shutdown.db")
    token_file = os.path.join(folder, "shutdown.token")
    server = Server(meshctl, store, token_file)
    with open(token_file, encoding="utf-8") as source:
        token = source.read().strip()
    server.request("POST", "/v1/domains", token, {"name": "load", "ownerTeam": "load-data"})

    stop_load = threading.Event()
    outcomes = {"complete": 0, "refused": 0, "cut": 0}
    lock = threading.Lock()

    def load():
        while not stop_load.is_set():
            try:
                status, body = server.request("GET", "/v1/domains", token)
                kind = "complete" if status == 200 and "domains" in body else "cut"
            except (ConnectionError, urllib.error.URLError, OSError):
                kind = "refused"  # after the listening socket closed
            except ValueError:
                kind = "cut"  # an answer that is not whole JSON
            with lock:
                outcomes[kind] += 1

    workers = [threading.Thread(target=load, daemon=True) for _ in range(4)]
    for worker in workers:
        worker.start()
    time.sleep(0.5)
    manifest = {"apiVersion": "meshctl/v1", "kind": "DataProduct",
                "metadata": {"name": "slow", "domain": "load", "version": "1.0.0", "title": "Slow",
                             "description": "Sent in two halves around a SIGTERM.",
                             "owner": {"team": "load-data", "email": "load-data@example.com"}},
                "spec": {"outputPorts": [{
                    "name": "slow-table", "type": "table", "format": "parquet", "location": "s3://load/slow/",
                    "schema": {"fields": [{"name": "id", "type": "string", "description": "The row's key."}]},
                    "slo": {"freshness": "1h", "availability": "99.9%"}}]}}
    connection, rest = half_sent_request(server.port, token, {"mode": "apply", "manifest": manifest})
    time.sleep(0.2)
    server.process.send_signal(signal.SIGTERM)
    time.sleep(0.5)
    connection.sendall(rest)
    answer = read_answer(connection)
    connection.close()
    code = server.stop()  # already signalled: waits for the exit
    stop_load.set()
    for worker in workers:
        worker.join(TIMEOUT_SECONDS)
    checks.check(answer.startswith("HTTP/1.1 201"), "the request in flight at SIGTERM got its whole answer",
                 answer[:200])
    checks.check(code == 0, "the server exits 0 after SIGTERM under load", str(code))
    checks.check(outcomes["cut"] == 0 and outcomes["complete"] > 0,
                 "no answer was cut; requests after the stop were refused, not broken", str(outcomes))
    checks.check(any(e.get("event") == "stopped" for e in server.events), "the server logs that it stopped")
    # The write of the half-sent request is durable.
    again = Server(meshctl, store)
    status, body = again.request("GET", "/v1/products/load/slow", token)
    checks.check(status == 200 and body.get("latestVersion") == "1.0.0", "the in-flight write was committed")
    again.stop()


def check_standards_enforced(checks, server, token):
    """A manifest sent straight to the API, with no client-side validation, meets the registry's standards."""
    status, body = server.request("GET", "/v1/standards", token)
    checks.check(status == 200 and body == {"standards": None}, "no standards published: GET /v1/standards is null",
                 json.dumps(body))
    bare = {"apiVersion": "meshctl/v1", "kind": "DataProduct",
            "metadata": {"name": "bare", "domain": "sales", "version": "1.0.0", "title": "Bare",
                         "description": "Posted without any check by the client.",
                         "owner": {"team": "sales-data", "email": "sales-data@example.com"}},
            "spec": {"outputPorts": [{"name": "bare-table", "type": "table"}]}}
    status, body = server.request("POST", "/v1/products", token, {"mode": "apply", "manifest": bare})
    error = body.get("error", {})
    rules = {f.get("rule") for m in error.get("details", {}).get("manifests", []) for f in m.get("findings", [])}
    checks.check(status == 422 and error.get("kind") == "findings" and "MESH-PORT-SCHEMA" in rules,
                 "a manifest POSTed without a schema is refused by the built-in standards (422 findings)",
                 json.dumps(body)[:300])
    status, body = server.request("GET", "/v1/products/sales/bare", token)
    checks.check(status == 404, "the refused manifest was not written", str(status))
    lax = "apiVersion: meshctl/v1\nkind: Standards\nextends: none\n"
    status, body = server.request("POST", "/v1/standards", token, {"text": lax})
    checks.check(status == 201 and body.get("version") == 1, "an admin publishes standards (201, version 1)",
                 json.dumps(body))
    status, body = server.request("POST", "/v1/products", token, {"mode": "apply", "manifest": bare})
    checks.check(status == 201, "under the registry's own lax standards the same manifest is created", str(status))
    status, body = server.request("POST", "/v1/standards", token, {"text": "kind: Standards\nrules: [\n"})
    checks.check(status == 422 and body.get("error", {}).get("kind") == "findings",
                 "a broken standards file is refused (422 findings)", json.dumps(body)[:200])


def check_records_are_their_teams(checks, server, token):
    """Tokens of two domains and a reader: one team's subscription and another team's freshness are out of
    reach, refused with 403 (sales/bare and its port bare-table come from check_standards_enforced)."""
    first, second = [d for d in example_domains() if d != "sales"][:2]
    tokens = {}
    for name, role, domains in (("ci-" + first, "owner", [first]), ("ci-" + second, "owner", [second]),
                                ("viewer", "reader", [])):
        status, body = server.request("POST", "/v1/tokens", token, {"name": name, "role": role, "domains": domains})
        checks.check(status == 201, f"token {name} created", json.dumps(body)[:200])
        tokens[name] = body.get("token")
    path = "/v1/products/sales/bare/subscriptions"
    status, body = server.request("POST", path, tokens["ci-" + first],
                                  {"consumer": "team-dash", "team": first + "-bi"})
    checks.check(status == 201 and body.get("subscription", {}).get("ownerDomains") == [first],
                 "an owner's subscription keeps its domains", json.dumps(body)[:300])
    status, body = server.request("DELETE", path + "/team-dash", tokens["ci-" + second])
    checks.check(status == 403 and body.get("error", {}).get("kind") == "forbidden",
                 "another domain's owner may not remove it (403)", json.dumps(body)[:300])
    status, body = server.request("DELETE", path + "/team-dash", tokens["ci-" + first])
    checks.check(status == 200, "the team that made it removes it", json.dumps(body)[:200])
    freshness = ('{"type":"freshness","time":"2026-11-22T10:00:00Z","product":"sales/bare","port":"bare-table",'
                 '"updatedAt":"2026-11-22T09:00:00Z"}\n')
    status, body = server.request("POST", "/v1/usage", tokens["viewer"], {"lines": freshness})
    checks.check(status == 403, "a reader may not report another team's freshness (403)", json.dumps(body)[:300])
    usage = ('{"id":"e1","time":"2026-11-22T10:00:00Z","product":"sales/bare","port":"no-such-port",'
             '"consumer":"dash"}\n')
    status, body = server.request("POST", "/v1/usage", tokens["viewer"], {"lines": usage})
    checks.check(status == 200 and body.get("accepted") == 0 and len(body.get("problems", [])) == 1,
                 "a usage event naming a port the product does not have is a bad line", json.dumps(body)[:300])
    status, body = server.request("GET", "/v1/products/sales/bare/history", token)
    actions = [event.get("action") for event in body.get("events", [])]
    checks.check(actions.count("forbidden") == 2, "both refusals are in the product's audit log", str(actions))


def check_similar_over_http(checks, server, token):
    """GET and POST /v1/similar for a reader and for another domain's owner (products are discoverable across
    domains; writes are not), and MESH-DUPLICATE at severity error refusing a write made straight to the API.
    Runs after the sequence: finance/order-lines is registered (a copy of sales/orders, since retired)."""
    status, version = server.request("GET", "/v1/products/finance/order-lines/versions/1.2.0", token)
    manifest = version.get("manifest") or {"metadata": {}, "spec": {"outputPorts": []}}
    checks.check(status == 200 and manifest.get("metadata", {}).get("name") == "order-lines",
                 "finance/order-lines is registered, with its manifest", json.dumps(version)[:300])
    tokens = {}
    for name, role, domains in (("similar-reader", "reader", []), ("similar-marketing", "owner", ["marketing"])):
        status, body = server.request("POST", "/v1/tokens", token, {"name": name, "role": role, "domains": domains})
        checks.check(status == 201, f"token {name} created", json.dumps(body)[:200])
        tokens[name] = body.get("token")
    reader, marketing = tokens["similar-reader"], tokens["similar-marketing"]

    def copy(name):
        copied = json.loads(json.dumps(manifest))
        copied["metadata"].update({"name": name, "domain": "marketing"})
        copied["metadata"]["owner"] = {"team": "marketing-data", "email": "marketing-data@example.com"}
        for port in copied["spec"]["outputPorts"]:
            port["location"] = f"s3://marketing/{name}/"
        return copied

    def listed(body):
        return [f"{item.get('domain')}/{item.get('name')}" for item in body.get("similar", [])]

    status, body = server.request("POST", "/v1/similar", reader, {"manifest": copy("order-copy"), "limit": 5})
    checks.check(status == 200 and body.get("product") == "marketing/order-copy" and
                 listed(body) == ["finance/order-lines"] and body["similar"][0].get("score") == 1.0,
                 "a reader POSTs a manifest to /v1/similar: finance/order-lines, score 1", json.dumps(body)[:300])
    status, _ = server.request("GET", "/v1/products/marketing/order-copy", reader)
    checks.check(status == 404, "comparing a manifest writes nothing", str(status))
    status, body = server.request("GET", "/v1/similar?product=finance/order-lines&limit=3&minScore=0.5", reader)
    checks.check(status == 200 and body.get("product") == "finance/order-lines" and listed(body) == [],
                 "a reader GETs /v1/similar of a product: sales/orders, retired, is no longer listed",
                 json.dumps(body)[:300])
    status, body = server.request("POST", "/v1/products", marketing, {"mode": "apply", "manifest": copy("order-copy")})
    checks.check(status == 201, "marketing's owner publishes its copy (the registry's standards have no "
                 "MESH-DUPLICATE)", json.dumps(body)[:300])
    status, body = server.request("GET", "/v1/similar?product=finance/order-lines", marketing)
    checks.check(status == 200 and listed(body) == ["marketing/order-copy"],
                 "marketing's owner compares finance's product and finds its own copy", json.dumps(body)[:300])
    status, body = server.request("POST", "/v1/similar", marketing, {"manifest": manifest})
    checks.check(status == 200 and listed(body) == ["marketing/order-copy"],
                 "another domain's manifest may be compared by anyone who reads", json.dumps(body)[:300])
    foreign = json.loads(json.dumps(manifest))
    foreign["metadata"]["name"] = "order-lines-2"
    status, body = server.request("POST", "/v1/products", marketing, {"mode": "apply", "manifest": foreign})
    checks.check(status == 403 and body.get("error", {}).get("kind") == "forbidden",
                 "marketing's owner may not write finance's products (403), duplicate or not", json.dumps(body)[:300])

    strict = ("apiVersion: meshctl/v1\nkind: Standards\nextends: default\n"
              "rules:\n  MESH-DUPLICATE: { severity: error, params: { threshold: 0.9 } }\n")
    status, body = server.request("POST", "/v1/standards", token, {"text": strict})
    checks.check(status == 201, "an admin makes MESH-DUPLICATE an error", json.dumps(body)[:200])
    for path, body_of in (("/v1/products", lambda m: {"mode": "apply", "manifest": m}),
                          ("/v1/plans", lambda m: {"mode": "apply", "manifests": [m]})):
        status, body = server.request("POST", path, marketing, body_of(copy("order-copy-2")))
        error = body.get("error", {})
        duplicates = sorted(f"{d.get('similar', {}).get('domain')}/{d.get('similar', {}).get('name')}"
                            for d in error.get("details", {}).get("duplicates", []))
        checks.check(status == 422 and error.get("kind") == "findings" and
                     duplicates == ["finance/order-lines", "marketing/order-copy"] and
                     "[MESH-DUPLICATE]" in error.get("message", ""),
                     f"POST {path} of a third copy is refused (422 findings) naming both earlier copies",
                     json.dumps(body)[:400])
    status, _ = server.request("GET", "/v1/products/marketing/order-copy-2", token)
    checks.check(status == 404, "the refused copy was not written", str(status))

    for method, path, body, who, code, kind in (
            ("GET", "/v1/similar?product=finance/order-lines", None, None, 401, "unauthenticated"),
            ("GET", "/v1/similar?product=finance/order-lines&minScore=2", None, reader, 400, "invalid"),
            ("GET", "/v1/similar?product=finance/order-lines&limit=0", None, reader, 400, "invalid"),
            ("GET", "/v1/similar?product=finance", None, reader, 400, "invalid"),
            ("GET", "/v1/similar?product=finance/nothing", None, reader, 404, "not_found"),
            ("POST", "/v1/similar", {"limit": 3}, reader, 400, "invalid"),
            ("POST", "/v1/similar", {"manifest": manifest, "minScore": "high"}, reader, 400, "invalid")):
        status, answer = server.request(method, path, who, body)
        checks.check(status == code and answer.get("error", {}).get("kind") == kind,
                     f"{method} {path} {json.dumps(body) if body and 'manifest' not in body else ''}: {code} {kind}",
                     json.dumps(answer)[:200])


def check_port_in_use(checks, meshctl, server, folder):
    """A second server on a port the first listens on refuses to start (it would share its clients)."""
    address = f"127.0.0.1:{server.port}"
    second = subprocess.run([meshctl, "serve", "--listen", address, "--store",
                             "sqlite:" + os.path.join(folder, "second.db")],
                            capture_output=True, text=True, timeout=TIMEOUT_SECONDS)
    checks.check(second.returncode == 6 and address in second.stderr,
                 "a second server on a port in use exits 6 naming the address",
                 f"exit {second.returncode}: {second.stderr.strip()[:200]}")


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    meshctl = os.path.abspath(sys.argv[1])
    checks = Checks()
    folder = tempfile.mkdtemp(prefix="meshctl-server-")
    try:
        server, store, token, _ = check_start(checks, meshctl, folder)
        try:
            check_same_behaviour(checks, meshctl, server, token, folder)
            check_writes_of_another_process(checks, meshctl, server, store, token)
            check_failures(checks, meshctl, server, token)
            check_access_log(checks, server, [token])
            check_standards_enforced(checks, server, token)
            check_records_are_their_teams(checks, server, token)
            check_similar_over_http(checks, server, token)
            check_port_in_use(checks, meshctl, server, folder)
        finally:
            code = server.stop()
        checks.check(code == 0, "the server exits 0 on SIGTERM", str(code))
        check_restart(checks, meshctl, store, folder)
        check_graceful_shutdown(checks, meshctl, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"{checks.passed} passed, {checks.failed} failed")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
