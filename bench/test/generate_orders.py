#!/usr/bin/env python3
"""ROWS rows of 12 columns for bench/test/run: the six fields of examples/products/sales/orders.yaml, clean
(so every check runs to the end), and six columns the schema does not declare.

usage: generate_orders.py ROWS OUTPUT.csv"""
import random
import sys

rows, output = int(sys.argv[1]), sys.argv[2]
random.seed(16)
currencies = ["EUR", "USD", "GBP", "CHF", "SEK"]
channels = ["web", "app", "store", "phone"]
regions = ["north", "south", "east", "west"]
with open(output, "w", encoding="utf-8", newline="") as out:
    out.write("order_id,customer_id,customer_email,ordered_on,amount,currency,"
              "quantity,unit_price,channel,region,shipped_on,note\r\n")
    for i in range(rows):
        day = 1 + i % 28
        quantity = 1 + i % 9
        price = (i * 7919) % 100000 / 100
        note = '"gift, wrapped"' if i % 10 == 0 else ""
        out.write(f"o-{i:09d},c-{i % 50000:06d},user{i % 50000}@example.com,2026-02-{day:02d},"
                  f"{quantity * price:.2f},{currencies[i % 5]},{quantity},{price:.2f},{channels[i % 4]},"
                  f"{regions[i % 4]},2026-03-{day:02d},{note}\r\n")
