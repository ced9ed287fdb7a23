#!/usr/bin/env python3
"""The layers of lib/ at link time: no area's library calls into an area it does not link.

Usage: check_links.py LIB_CMAKELISTS LIBRARY_FOLDER

The build already refuses an include that points the wrong way (each area compiles against its own include
folder). A function declared in one area's header can still be defined in another area's sources, and static
libraries let that through: the executable links every area, so the call resolves whichever way it points.
This test reads the areas and their links from lib/CMakeLists.txt (meshctl_area NAME ... PUBLIC ... PRIVATE
...), lists with `nm` the meshctl symbols each libmeshctl_<area>.a defines and those it uses, and fails when
an area uses a symbol defined only by an area it may not use: its direct links and, through them, their
PUBLIC links.
"""

import glob
import os
import re
import subprocess
import sys


def areas_of(cmakelists):
    text = open(cmakelists, encoding="utf-8").read()
    areas = {}
    for match in re.finditer(r"meshctl_area\((\w+)(.*?)\)\s*$", text, re.S | re.M):
        name, body = match.group(1), match.group(2)
        links = {"PUBLIC": set(), "PRIVATE": set()}
        section = None
        for word in body.split():
            if word in ("SOURCES", "HEADERS", "INTERNAL", "PUBLIC", "PRIVATE"):
                section = word
            elif section in links and word.startswith("meshctl_"):
                links[section].add(word[len("meshctl_"):])
        areas[name] = links
    return areas


def allowed_uses(areas, name):
    """The areas `name` may call: what it links, and what those export (PUBLIC), transitively."""
    allowed = set()
    stack = list(areas[name]["PUBLIC"] | areas[name]["PRIVATE"])
    while stack:
        area = stack.pop()
        if area in allowed or area not in areas:
            continue
        allowed.add(area)
        stack.extend(areas[area]["PUBLIC"])
    return allowed


def symbols(archive, flags):
    out = subprocess.run(["nm", "-C", *flags, archive], capture_output=True, text=True, check=True).stdout
    found = set()
    for line in out.splitlines():
        parts = line.strip().split(" ", 2)
        if len(parts) == 2 and parts[0] == "U":
            found.add(parts[1])
        elif len(parts) == 3 and parts[1] in "TDBR":
            found.add(parts[2])
    return {symbol for symbol in found if "meshctl::" in symbol}


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    areas = areas_of(sys.argv[1])
    defined, used = {}, {}
    for name in areas:
        archive = os.path.join(sys.argv[2], f"libmeshctl_{name}.a")
        if not os.path.exists(archive):
            continue  # header-only (INTERFACE) areas have no archive
        defined[name] = symbols(archive, ["--defined-only", "-g"])
        used[name] = symbols(archive, ["-u"])
    if len(defined) < 5 or not glob.glob(os.path.join(sys.argv[2], "libmeshctl_*.a")):
        sys.exit(f"layers: too few area libraries under {sys.argv[2]}: build lib first")
    failures = 0
    for name, uses in sorted(used.items()):
        allowed = allowed_uses(areas, name)
        for other, symbols_there in sorted(defined.items()):
            if other == name or other in allowed:
                continue
            wrong = sorted(uses & symbols_there)
            if wrong:
                failures += 1
                print(f"FAIL {name} uses {len(wrong)} symbol(s) defined in {other}, which it does not link: "
                      f"{wrong[0]}")
    print(f"layers: {len(used)} area libraries, {failures} wrong-way use(s)")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
