#!/usr/bin/env python3
"""Turn bench/validate's raw measurements into its table and target ratios.

usage: summarize.py --cores N --runs N --corpus DIR [--startup JSON]... PEAK_TSV HYPERFINE_JSON...

PEAK_TSV: "<tool> <files>\t<peak KiB>" lines (GNU time %M), several per case.
HYPERFINE_JSON: one hyperfine --export-json file per repetition, every case run
once in each (commands named "<tool> <files>"), so the tools alternate.
--startup: hyperfine exports of many runs each of "true 0", "yamlcpp_hello 0" and
"meshctl 1": the start-up figures, which the one-file targets are judged on.
"""
import argparse
import json
import os
import statistics
from collections import defaultdict

# The targets of issue 14.
TARGET_ONE_FILE_MS = 5.0      # one file, whole process
TARGET_START_FACTOR = 1.3     # one file, against a program linked with yaml-cpp alone
TARGET_PEER_FACTOR = 3.0      # ajv-cli / meshctl at 1,000 and 10,000 files
TARGET_SCALING = 1.7          # -j 1 / -j 2 at 1,000 files
TARGET_WARM_SHARE = 0.15      # warm cache / cold cache at 10,000 files


def corpus_bytes(corpus, n):
    folder = os.path.join(corpus, f"n{n}")
    if n == 0 or not os.path.isdir(folder):
        return None
    names = sorted(f for f in os.listdir(folder) if f.endswith(".yaml"))
    return sum(os.path.getsize(os.path.join(folder, f)) for f in names)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cores", type=int, required=True)
    parser.add_argument("--runs", type=int, required=True)
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--startup", action="append", default=[])
    parser.add_argument("peak")
    parser.add_argument("hyperfine", nargs="+")
    args = parser.parse_args()

    walls = defaultdict(list)
    cpus = defaultdict(list)
    exits = defaultdict(set)
    for path in args.hyperfine:
        with open(path, encoding="utf-8") as fh:
            for result in json.load(fh)["results"]:
                walls[result["command"]].extend(t * 1e3 for t in result["times"])
                cpus[result["command"]].append((result["user"] + result["system"]) * 1e3)
                exits[result["command"]].update(result.get("exit_codes") or [])
    peaks = defaultdict(list)
    with open(args.peak, encoding="utf-8") as fh:
        for line in fh:
            label, kib = line.rstrip("\n").split("\t")
            if kib.strip().isdigit():
                peaks[label].append(int(kib) / 1024.0)

    median = {label: statistics.median(times) for label, times in walls.items()}
    cpu = {label: statistics.median(times) for label, times in cpus.items()}
    peak = {label: statistics.median(values) for label, values in peaks.items() if values}

    print(f"{'tool':<21}{'files':>6}{'median ms':>11}{'[min - max]':>20}{'cpu ms':>9}{'peak MiB':>10}{'MB/s':>8}  exit")
    for label in walls:  # in the order the cases ran
        tool, files = label.rsplit(" ", 1)
        times = walls[label]
        nbytes = corpus_bytes(args.corpus, int(files))
        rate = f"{nbytes / 1e6 / (median[label] / 1e3):.1f}" if nbytes else "-"
        spread = f"[{min(times):.1f} - {max(times):.1f}]"
        print(f"{tool:<21}{files:>6}{median[label]:>11.1f}{spread:>20}{cpu[label]:>9.0f}{peak.get(label, float('nan')):>10.1f}"
              f"{rate:>8}  {','.join(str(c) for c in sorted(exits[label]))}")

    print("\nratios (medians of this run)")

    def have(*labels):
        return all(label in median for label in labels)

    startup = defaultdict(list)
    for path in args.startup:
        with open(path, encoding="utf-8") as fh:
            for result in json.load(fh)["results"]:
                startup[result["command"]].extend(t * 1e3 for t in result["times"])
    if startup:
        start = {label: statistics.median(times) for label, times in startup.items()}
        runs = len(startup["meshctl 1"])
        print(f"  start-up ({runs} runs each, {len(args.startup)} alternating rounds; medians): /bin/true "
              f"{start['true 0']:.2f} ms, yaml-cpp hello world {start['yamlcpp_hello 0']:.2f} ms, meshctl on 1 file "
              f"{start['meshctl 1']:.2f} ms")
        one_file, hello = start["meshctl 1"], start["yamlcpp_hello 0"]
    else:
        one_file, hello = median.get("meshctl 1"), median.get("yamlcpp_hello 0")
    if one_file is not None:
        source = "start-up runs" if startup else "the alternating runs above"
        verdict = "met" if one_file <= TARGET_ONE_FILE_MS else "MISSED"
        print(f"  meshctl, 1 file ({source}): {one_file:.2f} ms vs target {TARGET_ONE_FILE_MS:.0f} ms -> "
              f"{one_file / TARGET_ONE_FILE_MS:.2f}x of target ({verdict})")
        if hello is not None:
            ratio = one_file / hello
            verdict = "met" if ratio <= TARGET_START_FACTOR else "MISSED"
            print(f"  meshctl, 1 file / a program linked with yaml-cpp alone ({hello:.2f} ms): "
                  f"{ratio:.2f}x vs target {TARGET_START_FACTOR}x ({verdict})")
    sizes = sorted({int(label.rsplit(" ", 1)[1]) for label in median if label.startswith("meshctl ")})
    for n in sizes:
        if have(f"meshctl {n}", f"ajv-cli {n}"):
            ratio = median[f"ajv-cli {n}"] / median[f"meshctl {n}"]
            verdict = ("met" if ratio >= TARGET_PEER_FACTOR else "MISSED") if n >= 1000 else "no target"
            print(f"  ajv-cli / meshctl, {n} files: {ratio:.1f}x (target at 1,000 files and more: "
                  f"{TARGET_PEER_FACTOR:.0f}x or more; {verdict})")
        if have(f"meshctl {n}", f"spectral-cli {n}"):
            print(f"  spectral-cli / meshctl, {n} files: "
                  f"{median[f'spectral-cli {n}'] / median[f'meshctl {n}']:.1f}x")
        if have(f"meshctl {n}", f"meshctl-j1 {n}"):
            ratio = median[f"meshctl-j1 {n}"] / median[f"meshctl {n}"]
            verdict = ("met" if ratio >= TARGET_SCALING else "MISSED") if n == 1000 else "no target"
            print(f"  meshctl -j 1 / -j {args.cores} (every core), {n} files: {ratio:.2f}x "
                  f"(target at 1,000 files on an idle machine: {TARGET_SCALING}x or more; {verdict})")
        if have(f"meshctl {n}", f"libyaml_floor {n}"):
            print(f"  meshctl / libyaml event floor (1 core), {n} files: "
                  f"{median[f'meshctl {n}'] / median[f'libyaml_floor {n}']:.2f}x")
        if have(f"meshctl-warm {n}", f"meshctl-cold {n}"):
            ratio = median[f"meshctl-warm {n}"] / median[f"meshctl-cold {n}"]
            verdict = "met" if ratio <= TARGET_WARM_SHARE else "MISSED"
            print(f"  validate --cache, {n} files: warm {median[f'meshctl-warm {n}']:.0f} ms / cold "
                  f"{median[f'meshctl-cold {n}']:.0f} ms = {100 * ratio:.1f}% (target {100 * TARGET_WARM_SHARE:.0f}% "
                  f"or less; {verdict})")
    if have("yamlcpp_event_floor 1000", "libyaml_floor 1000"):
        print(f"  yaml-cpp event floor / libyaml floor, 1000 files: "
              f"{median['yamlcpp_event_floor 1000'] / median['libyaml_floor 1000']:.1f}x")
    memory = [(n, peak[f"meshctl {n}"]) for n in sizes if f"meshctl {n}" in peak]
    if len(memory) >= 2:
        growth = memory[-1][1] / memory[0][1]
        verdict = "flat" if growth <= 1.5 else "GROWS with the number of files"
        print("  meshctl peak memory: " + ", ".join(f"{mib:.1f} MiB at {n}" for n, mib in memory)
              + f" -> {growth:.2f}x from {memory[0][0]} to {memory[-1][0]} files ({verdict})")


if __name__ == "__main__":
    main()
