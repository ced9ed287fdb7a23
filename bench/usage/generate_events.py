#!/usr/bin/env python3
"""Writes N usage events as JSON Lines for bench/usage/run.

usage: generate_events.py N OUT PRODUCT [DAYS]

Events spread over the last DAYS days (default 30) up to now, across 50
consumers and 2 ports of PRODUCT, with unique ids; every 1000th line is a
freshness event. Deterministic apart from "now".
"""
import datetime
import json
import random
import sys


def main():
    count, out, product = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    days = int(sys.argv[4]) if len(sys.argv) > 4 else 30
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    span = days * 86400 - 1
    rng = random.Random(42)
    with open(out, "w") as f:
        for i in range(count):
            time = (now - datetime.timedelta(seconds=rng.randint(0, span))).strftime("%Y-%m-%dT%H:%M:%SZ")
            if i % 1000 == 999:
                f.write(json.dumps({"time": time, "product": product, "port": "orders-table",
                                    "updatedAt": time}, separators=(",", ":")) + "\n")
                continue
            f.write(json.dumps({"id": f"ev-{i:08d}", "time": time, "product": product,
                                "port": "orders-table" if i % 3 else "orders-topic",
                                "consumer": f"consumer-{rng.randint(0, 49):02d}", "operation": "read",
                                "rows": rng.randint(1, 10000), "bytes": rng.randint(100, 10_000_000)},
                               separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
