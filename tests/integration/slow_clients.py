#!/usr/bin/env python3
"""`meshctl serve` under clients that hold connections open: slow senders and idle connections.

Usage: slow_clients.py MESHCTL [--bench]

While 200 connections each send one byte of a request every INTERVAL seconds (and, in a second round,
while 200 connections stay idle), a probe asks /healthz and an owner's describe (over HTTP, and with the
`meshctl describe` command) every 0.25 s. Every probe must be answered 200; SIGTERM with the slow clients
still connected must end the server with exit 0 well within its write timeout.

The test (default) uses INTERVAL 1 s and 10 s rounds and bounds each probe at 5 s; `--bench` uses the
issue's 10 s interval and 45 s rounds and prints the probes' latencies (median, max) and the time SIGTERM
took: the target is every probe under 1 s. Loopback only; every loop is bounded in count and time.
"""

import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

from checks import Checks  # noqa: E402  (the script's folder is on sys.path)
from server_processes import Server, run  # noqa: E402

REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CONNECTIONS = 200
REQUEST = b"GET /healthz HTTP/1.1\r\nHost: meshctl\r\nX-Padding: " + b"p" * 200 + b"\r\n\r\n"


class Holders:
    """CONNECTIONS sockets to the server; `trickle` sends a byte on each every `interval` seconds."""

    def __init__(self, port, trickle, interval):
        self.sockets = []
        self.stop = threading.Event()
        for _ in range(CONNECTIONS):
            connection = socket.create_connection(("127.0.0.1", port), timeout=5)
            connection.setblocking(False)
            self.sockets.append(connection)
        self.thread = threading.Thread(target=self._trickle, args=(interval,), daemon=True) if trickle else None
        if self.thread:
            self.thread.start()

    def _trickle(self, interval):
        position = 0
        while not self.stop.wait(interval) and position < len(REQUEST):
            for connection in self.sockets:
                try:
                    connection.send(REQUEST[position:position + 1])
                except OSError:
                    pass  # dropped by the server at its request deadline: as it should
            position += 1

    def close(self):
        self.stop.set()
        if self.thread:
            self.thread.join(30)
        for connection in self.sockets:
            connection.close()


def timed_get(url, token=None, timeout=5):
    request = urllib.request.Request(url)
    if token:
        request.add_header("Authorization", "Bearer " + token)
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            answer.read()
            status = answer.status
    except urllib.error.HTTPError as error:
        status = error.code
    except Exception:  # noqa: BLE001  (any other failure is a failed probe)
        status = 0
    return status, time.monotonic() - started


def probe(server, meshctl, owner_token, seconds):
    """Probes until `seconds` pass; returns (failures, latencies of HTTP probes, CLI describe exit codes)."""
    failures = []
    latencies = []
    cli_codes = []
    deadline = time.monotonic() + seconds
    rounds = 0
    while time.monotonic() < deadline and rounds < 10000:
        rounds += 1
        for path, token in (("/healthz", None), ("/v1/products/sales/orders/details", owner_token)):
            status, took = timed_get(server.url + path, token)
            latencies.append(took)
            if status != 200:
                failures.append(f"{path}: status {status} after {took:.2f} s")
        if rounds % 8 == 1:
            code, _, stderr = run(meshctl, server.url, ["describe", "sales/orders"], token=owner_token)
            cli_codes.append(code)
            if code != 0:
                failures.append(f"meshctl describe exited {code}: {stderr.strip()}")
        time.sleep(0.25)
    return failures, latencies, cli_codes


def main():
    arguments = [argument for argument in sys.argv[1:] if argument != "--bench"]
    if len(arguments) != 1:
        print(__doc__)
        return 2
    bench = "--bench" in sys.argv
    interval, seconds = (10, 45) if bench else (1, 10)
    meshctl = os.path.abspath(arguments[0])
    checks = Checks()
    folder = tempfile.mkdtemp(prefix="meshctl-slow-")
    token_file = os.path.join(folder, "admin-token")
    server = Server(meshctl, "sqlite:" + os.path.join(folder, "registry.db"), token_file)
    try:
        with open(token_file, encoding="utf-8") as source:
            admin = source.read().strip()
        server.request("POST", "/v1/domains", admin, {"name": "sales", "ownerTeam": "sales-data"})
        status, created = server.request("POST", "/v1/tokens", admin,
                                         {"name": "sales-ci", "role": "owner", "domains": ["sales"]})
        owner = created.get("token")  # the one time the secret is shown
        checks.check(status == 201 and owner, "an owner's token is created", str(created))
        # sales/orders with the product its input port reads (the registry refuses a port that reads nothing)
        # and the glossary whose term their fields name.
        sales = os.path.join(REPOSITORY, "examples", "products", "sales")
        code, _, stderr = run(meshctl, server.url, ["apply", "-f", os.path.join(sales, "customer-terms.yaml"),
                                                    "-f", os.path.join(sales, "order-events.yaml"),
                                                    "-f", os.path.join(sales, "orders.yaml")], token=owner)
        checks.check(code == 0, "the owner applies sales/orders (and sales/order-events, which it reads)", stderr)

        for trickle, what in ((True, f"sending a byte every {interval} s"), (False, "idle")):
            holders = Holders(server.port, trickle, interval)
            try:
                failures, latencies, cli_codes = probe(server, meshctl, owner, seconds)
            finally:
                holders.close()
                # The server notices the closed connections as it reads them: until then they still
                # count against this address's limit (256), and the next round's 200 would pass it.
                time.sleep(2)
            checks.check(not failures and latencies,
                         f"with {CONNECTIONS} connections {what}, every probe is answered ({len(latencies)} HTTP, "
                         f"{len(cli_codes)} meshctl describe)", "; ".join(failures[:5]))
            if latencies:
                print(f"figure: {CONNECTIONS} connections {what}: probe latency median "
                      f"{statistics.median(latencies) * 1000:.1f} ms, max {max(latencies) * 1000:.1f} ms, "
                      f"{sum(1 for took in latencies if took >= 1)} of {len(latencies)} at 1 s or more", flush=True)

        holders = Holders(server.port, True, interval)
        try:
            time.sleep(1)
            started = time.monotonic()
            server.process.send_signal(signal.SIGTERM)
            try:
                code = server.process.wait(60)
            except subprocess.TimeoutExpired:
                code = None
            took = time.monotonic() - started
        finally:
            holders.close()
        checks.check(code == 0 and took < 30, f"SIGTERM with {CONNECTIONS} slow clients connected exits 0 within the "
                     "30 s write timeout", f"exit {code} after {took:.1f} s")
        print(f"figure: SIGTERM with {CONNECTIONS} slow clients: exit {code} after {took:.2f} s", flush=True)
    finally:
        if server.process.poll() is None:
            server.stop(signal.SIGKILL)
        subprocess.run(["rm", "-rf", folder], check=False)
    print(f"{checks.passed} passed, {checks.failed} failed")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
