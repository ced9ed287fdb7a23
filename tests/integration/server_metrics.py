#!/usr/bin/env python3
"""`meshctl serve` in production (issue 20): /metrics, request ids, --log-format.

Usage: server_metrics.py MESHCTL

1. Requests of several routes, then a scrape of /metrics checked by Prometheus' own rules (`promtool
   check metrics`; without promtool, python3-prometheus-client's parser; without either, a strict parser
   of the text format here), with counts that change as the requests say: by route pattern, never a raw
   path, no token anywhere; read-cache hits; products and versions per domain.
2. X-Request-Id: a sane one is echoed, an insane one replaced by 32 hex digits; both are in the JSON
   access log and in error bodies.
3. --log-format text and --metrics-token-file: a scrape without the token is refused (401), with it answered;
   --no-metrics answers 404.

Prints one line per check and ends with `N passed, M failed`; exits 1 when a check failed.
"""

import json
import os
import re
import shutil
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
PRODUCT_ROUTE = "/v1/products/{domain}/{name}"


class Server:
    """One `meshctl serve` process; its stderr lines are collected on a thread."""

    def __init__(self, meshctl, store, extra=()):
        self.token_file = os.path.join(os.path.dirname(store), "admin-token")
        command = [meshctl, "serve", "--listen", "127.0.0.1:0", "--store", store,
                   "--init-admin-token-file", self.token_file, *extra]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.lines = []
        self.port = None
        listening = threading.Event()

        def read_log():
            for line in self.process.stderr:
                self.lines.append(line.rstrip("\n"))
                match = re.search(r'"event":"listening".*"port":(\d+)', line)
                if match:
                    self.port = int(match.group(1))
                    listening.set()
            listening.set()

        self.reader = threading.Thread(target=read_log, daemon=True)
        self.reader.start()
        listening.wait(TIMEOUT_SECONDS)
        if self.port is None:
            self.process.kill()
            raise RuntimeError("the server did not start: " + "\n".join(self.lines))
        self.url = f"http://127.0.0.1:{self.port}"
        self.token = open(self.token_file, encoding="utf-8").read().strip() if os.path.exists(self.token_file) else None

    def request(self, method, path, token=None, headers=None):
        """(status, headers, body text)."""
        request = urllib.request.Request(self.url + path, method=method)
        if token:
            request.add_header("Authorization", "Bearer " + token)
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:
                return answer.status, answer.headers, answer.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.reader.join(5)

    def log_lines_with(self, text):
        """The log's lines once one holds `text` (the line is written after the answer), or after 5 s."""
        deadline = time.monotonic() + 5
        while not any(text in line for line in self.lines) and time.monotonic() < deadline:
            time.sleep(0.02)
        return list(self.lines)


SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)')


def parse_strictly(text):
    """{(name, ((label, value), ...)): value}; raises ValueError on anything the 0.0.4 format does not allow."""
    samples = {}
    for number, line in enumerate(text.split("\n"), 1):
        if line == "" and number == len(text.split("\n")):
            continue
        if line.startswith("# HELP ") or line.startswith("# TYPE "):
            continue
        match = SAMPLE.match(line)
        if not match:
            raise ValueError(f"line {number}: not a sample: {line!r}")
        labels = []
        body = match.group(3) or ""
        while body:
            label = LABEL.match(body)
            if not label:
                raise ValueError(f"line {number}: bad labels: {line!r}")
            labels.append((label.group(1), label.group(2)))
            body = body[label.end():]
        float(match.group(4).replace("Inf", "inf"))
        samples[(match.group(1), tuple(labels))] = float(match.group(4).replace("Inf", "inf"))
    return samples


def format_problems(text):
    """What Prometheus' own rules say of the exposition: promtool's findings, else the parser's error."""
    promtool = shutil.which("promtool")
    if promtool:
        result = subprocess.run([promtool, "check", "metrics"], input=text, capture_output=True, text=True,
                                timeout=TIMEOUT_SECONDS)
        return "promtool", (result.stdout + result.stderr).strip() if result.returncode != 0 else ""
    try:
        from prometheus_client.parser import text_string_to_metric_families
        try:
            list(text_string_to_metric_families(text))
            return "prometheus_client", ""
        except Exception as error:  # noqa: BLE001  (the parser raises plain exceptions)
            return "prometheus_client", str(error)
    except ImportError:
        try:
            parse_strictly(text)
            return "strict parser", ""
        except ValueError as error:
            return "strict parser", str(error)


def value(samples, name, **labels):
    return samples.get((name, tuple(sorted(labels.items()))), None)


def sorted_samples(text):
    return {(name, tuple(sorted(labels))): number for (name, labels), number in parse_strictly(text).items()}


def main():
    meshctl = sys.argv[1]
    checks = Checks()
    folder = tempfile.mkdtemp(prefix="meshctl-metrics-test-")
    try:
        server = Server(meshctl, os.path.join(folder, "registry.db"))
        try:
            token = server.token
            environment = dict(os.environ, MESHCTL_TOKEN=token,
                               MESHCTL_CONFIG=os.path.join(folder, "no-config.yaml"))
            for domain in sorted(os.listdir(EXAMPLES)):
                subprocess.run([meshctl, "--registry", server.url, "domain", "create", domain, "--owner-team", "t"],
                               capture_output=True, text=True, timeout=TIMEOUT_SECONDS, env=environment)
            applied = subprocess.run([meshctl, "--registry", server.url, "apply", "-f", EXAMPLES],
                                     capture_output=True, text=True, timeout=TIMEOUT_SECONDS, env=environment)
            checks.check(applied.returncode == 0, "the examples apply to the server", applied.stderr)

            status, _, first = server.request("GET", "/metrics")
            checks.check(status == 200, "GET /metrics needs no token by default", str(status))
            before = sorted_samples(first)

            for _ in range(2):
                status, _, _ = server.request("GET", "/v1/products/sales/orders", token)
            checks.check(status == 200, "a product is read twice", str(status))
            status, _, missing = server.request("GET", "/v1/products/sales/nothing-here", token)
            checks.check(status == 404, "a missing product is 404", str(status))
            status, _, _ = server.request("GET", "/no/such/path", token)
            checks.check(status == 404, "an unknown path is 404", str(status))

            # Request ids.
            status, headers, body = server.request("GET", "/v1/products/sales/nothing-here", token,
                                                   {"X-Request-Id": "client-id.42"})
            checks.check(headers.get("X-Request-Id") == "client-id.42", "a sane X-Request-Id is echoed",
                         str(headers.get("X-Request-Id")))
            error = json.loads(body).get("error", {})
            checks.check(error.get("requestId") == "client-id.42", "the error body names the request id", body)
            status, headers, _ = server.request("GET", "/healthz", None, {"X-Request-Id": "x" * 200})
            generated = headers.get("X-Request-Id") or ""
            checks.check(re.fullmatch(r"[0-9a-f]{32}", generated) is not None,
                         "an overlong X-Request-Id is replaced by 32 hex digits", generated)
            status, headers, _ = server.request("GET", "/healthz")
            other = headers.get("X-Request-Id") or ""
            checks.check(re.fullmatch(r"[0-9a-f]{32}", other) is not None and other != generated,
                         "a request without an id gets a new one", other)

            status, headers, text = server.request("GET", "/metrics")
            checks.check(headers.get("Content-Type", "").startswith("text/plain; version=0.0.4"),
                         "the exposition's content type is 0.0.4", headers.get("Content-Type", ""))
            tool, problems = format_problems(text)
            checks.check(problems == "", f"the exposition passes {tool}", problems + "\n" + text[:2000])
            after = sorted_samples(text)

            def delta(name, **labels):
                key = (name, tuple(sorted(labels.items())))
                return after.get(key, 0) - before.get(key, 0)

            requests = "meshctl_http_requests_total"
            checks.check(delta(requests, method="GET", route=PRODUCT_ROUTE, status="200") == 2,
                         "two reads of a product count under its route pattern")
            checks.check(delta(requests, method="GET", route=PRODUCT_ROUTE, status="404") == 2,
                         "the two 404 reads count under the same pattern with their status")
            checks.check(delta(requests, method="GET", route="other", status="404") == 1,
                         "an unknown path counts as route other")
            checks.check(delta(requests, method="GET", route="/metrics", status="200") == 1,
                         "the first scrape counts once the second is taken")
            checks.check(delta("meshctl_http_request_duration_seconds_count", method="GET", route=PRODUCT_ROUTE) == 4,
                         "the latency histogram counted the four product reads")
            checks.check(after.get(("meshctl_http_request_duration_seconds_bucket",
                                    (("le", "+Inf"), ("method", "GET"), ("route", PRODUCT_ROUTE)))) ==
                         after.get(("meshctl_http_request_duration_seconds_count",
                                    (("method", "GET"), ("route", PRODUCT_ROUTE)))),
                         "the +Inf bucket equals the count")
            checks.check(delta("meshctl_read_cache_hits_total", cache="answers") >= 1,
                         "the second read of a product was a kept answer")
            checks.check(delta("meshctl_read_cache_hits_total", cache="principals") >= 1,
                         "the token's principal was kept")
            checks.check(after.get(("meshctl_registry_products", (("domain", "sales"),)), 0) >= 1 and
                         after.get(("meshctl_registry_versions", (("domain", "sales"),)), 0) >= 1,
                         "products and versions of domain sales are counted")
            store = "meshctl_store_transaction_duration_seconds_count"
            checks.check(after.get((store, (("mode", "write"), ("outcome", "commit"))), 0) >= 1,
                         "the apply's committed write transactions are timed")
            checks.check(delta(store, mode="read", outcome="rollback") >= 1,
                         "the product reads' transactions are timed (a read never commits)")
            checks.check(("meshctl_usage_events_ingested_total", (("result", "accepted"),)) in after,
                         "usage events ingested are counted")
            checks.check(any(name == "meshctl_build_info" for name, _ in after) and
                         ("process_start_time_seconds", ()) in after, "build info and start time are there")
            checks.check("/v1/products/sales" not in text and "nothing-here" not in text and "/no/such" not in text,
                         "no raw path nor requested product name in the metrics")
            checks.check(token not in text, "the token is nowhere in the metrics")

            lines = server.log_lines_with('"route":"/metrics"')
            access = []
            for line in lines:
                entry = json.loads(line)
                if "request_id" in entry:
                    access.append(entry)
            checks.check(len(access) >= 8, "the access log has JSON lines with request ids", str(len(access)))
            named = [entry for entry in access if entry["request_id"] == "client-id.42"]
            checks.check(len(named) == 1 and named[0]["route"] == PRODUCT_ROUTE and named[0]["status"] == 404
                         and named[0]["principal"] == "admin" and "bytes" in named[0],
                         "the log line of a request carries its id, route, status, principal and bytes",
                         json.dumps(named))
            checks.check(all(token not in line for line in lines), "the token is nowhere in the log")
        finally:
            server.stop()

        secret_file = os.path.join(folder, "metrics-token")
        with open(secret_file, "w", encoding="utf-8") as secret:
            secret.write("scraper-secret-123\n")
        server = Server(meshctl, os.path.join(folder, "registry.db"),
                        ["--log-format", "text", "--metrics-token-file", secret_file])
        try:
            status, _, body = server.request("GET", "/metrics")
            checks.check(status == 401 and json.loads(body)["error"]["kind"] == "unauthenticated",
                         "with --metrics-token-file a scrape without the token is refused", str(status))
            status, _, _ = server.request("GET", "/metrics", "wrong-secret-12345")
            checks.check(status == 401, "a wrong metrics token is refused", str(status))
            status, _, text = server.request("GET", "/metrics", "scraper-secret-123")
            checks.check(status == 200 and "meshctl_http_requests_total" in text, "the metrics token is accepted",
                         str(status))
            checks.check("scraper-secret-123" not in text, "the metrics token is not in the metrics")
            server.request("GET", "/healthz", None, {"X-Request-Id": "text-log-1"})
            lines = server.log_lines_with("request_id=text-log-1")
            text_lines = [line for line in lines if "request_id=text-log-1" in line]
            checks.check(len(text_lines) == 1 and re.match(
                r"^time=\S+ request_id=text-log-1 method=GET route=/healthz status=200 duration_ms=[0-9.]+ "
                r"bytes=\d+ principal=- cached=false path=\"/healthz\"$", text_lines[0]) is not None,
                "--log-format text writes key=value lines", "\n".join(lines[-3:]))
            checks.check(all("scraper-secret-123" not in line for line in lines), "the metrics token is not logged")
        finally:
            server.stop()

        server = Server(meshctl, os.path.join(folder, "registry.db"), ["--no-metrics"])
        try:
            status, _, _ = server.request("GET", "/metrics")
            checks.check(status == 404, "--no-metrics: /metrics is 404", str(status))
        finally:
            server.stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"{checks.passed} passed, {checks.failed} failed")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
