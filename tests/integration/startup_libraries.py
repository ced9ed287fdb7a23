#!/usr/bin/env python3
"""What `meshctl` loads at start-up: the network libraries only in meshctl-network, for the commands that need them.

Usage: startup_libraries.py MESHCTL

1. meshctl links no PostgreSQL, TLS, Kerberos, LDAP or HTTP library (its dynamic section, if it has one,
   needs none of them), and the commands that need no server and no PostgreSQL (validate, diff of two files,
   schema, a command against the embedded registry, test of a CSV file) map none (LD_DEBUG=files lists every
   shared object the dynamic loader opens) and do not hand over to meshctl-network.
2. A command against a registry server hands over to meshctl-network with the same command line and the
   standard input meshctl had read; the real meshctl-network maps those libraries and reports the
   unreachable server (exit 6).
3. Without meshctl-network beside it, meshctl still validates, and a command that needs it exits 6 with a
   message that names the places it looked. meshctl-network refuses a command handed over by another version.

Prints one line per check and ends with `N passed, M failed`; exits 1 when a check failed.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile

from checks import Checks  # noqa: E402  (the script's folder is on sys.path)

REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PRODUCTS = os.path.join(REPOSITORY, "examples", "products")
NETWORK_LIBRARIES = re.compile(r"lib(pq|pqxx|ssl|crypto|cpp-httplib|gnutls|krb5|gssapi_krb5|ldap|sasl2)\b[-.\w]*\.so")
HELPER = "meshctl-network"
# A stand-in for meshctl-network: writes its arguments and standard input where the test reads them.
FAKE_HELPER = """#!/bin/sh
printf '%s\\n' "$@" > "$0.args"
cat > "$0.stdin"
exit 0
"""


def loaded(meshctl, args, home, env=None, stdin=None):
    """The shared objects the loader opened while `meshctl ARGS` ran, and the process."""
    environment = dict(os.environ, LD_DEBUG="files", HOME=home, XDG_CONFIG_HOME=home,
                       MESHCTL_REGISTRY="", MESHCTL_TOKEN="")
    environment.update(env or {})
    process = subprocess.run([meshctl, *args], capture_output=True, text=True, env=environment, timeout=60,
                             input=stdin, stdin=None if stdin is not None else subprocess.DEVNULL)
    names = set(re.findall(r"file=(\S+)\s+\[\d+\];\s+needed by|file=(\S+)\s+\[\d+\];\s+dynamically loaded",
                           process.stderr))
    files = {os.path.basename(a or b) for a, b in names}
    return files, process


def needed(binary):
    """The shared libraries the binary's dynamic section names (none for a static binary)."""
    dynamic = subprocess.run(["readelf", "-d", binary], capture_output=True, text=True, check=True).stdout
    return re.findall(r"\(NEEDED\)\s+Shared library: \[(\S+)\]", dynamic)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    meshctl = os.path.abspath(sys.argv[1])
    checks = Checks()
    first = next(os.path.join(PRODUCTS, folder, name)
                 for folder in sorted(os.listdir(PRODUCTS))
                 for name in sorted(os.listdir(os.path.join(PRODUCTS, folder))) if name.endswith(".yaml"))
    libraries = needed(meshctl)
    checks.check(not any(NETWORK_LIBRARIES.search(name) for name in libraries),
                 f"meshctl links no network library (needs: {', '.join(libraries) or 'nothing, static'})",
                 str(libraries))
    with tempfile.TemporaryDirectory() as home:
        # A copy of meshctl with a stand-in helper beside it: the stand-in records whether it ran.
        staged = os.path.join(home, "staged")
        os.mkdir(staged)
        copy = os.path.join(staged, "meshctl")
        shutil.copy2(meshctl, copy)
        fake = os.path.join(staged, HELPER)
        with open(fake, "w", encoding="utf-8") as script:
            script.write(FAKE_HELPER)
        os.chmod(fake, 0o755)

        database = os.path.join(home, "registry.db")
        local = [
            ["validate", first],
            ["validate", PRODUCTS],
            ["diff", first, first],
            ["schema"],
            # The whole folder: a product's input ports must read products the registry has (or the same apply).
            ["--registry", database, "apply", "-f", PRODUCTS],
            ["--registry", database, "get", "products"],
            ["test", os.path.join(PRODUCTS, "sales", "orders.yaml"),
             "--source", "csv:" + os.path.join(REPOSITORY, "examples", "data", "orders.csv")],
        ]
        for args in local:
            files, process = loaded(copy, args, home)
            network = sorted(name for name in files if NETWORK_LIBRARIES.search(name) or name == HELPER)
            handed_over = os.path.exists(fake + ".args")
            checks.check(process.returncode in (0, 1) and not network and not handed_over,
                         f"meshctl {' '.join(os.path.relpath(a, REPOSITORY) if a.startswith('/') else a for a in args)}"
                         " maps no network library and runs no meshctl-network",
                         f"exit {process.returncode}, mapped {network}, handed over: {handed_over}: "
                         f"{process.stderr[-300:]}")

        manifest = open(first, encoding="utf-8").read()
        remote = ["--registry", "http://127.0.0.1:9", "apply", "-f", "-"]
        _, process = loaded(copy, remote, home, stdin=manifest)
        args = open(fake + ".args", encoding="utf-8").read().splitlines() if os.path.exists(fake + ".args") else []
        given = open(fake + ".stdin", encoding="utf-8").read() if os.path.exists(fake + ".stdin") else None
        checks.check(process.returncode == 0 and args == remote,
                     "a command against a registry server is handed over to meshctl-network, same command line",
                     f"exit {process.returncode}, arguments {args}: {process.stderr[-300:]}")
        checks.check(given == manifest, "... with the standard input meshctl had already read",
                     f"{len(given or '')} bytes given, {len(manifest)} read")

        files, process = loaded(meshctl, ["--registry", "http://127.0.0.1:9", "get", "products"], home)
        checks.check(any(NETWORK_LIBRARIES.search(name) for name in files),
                     "the real meshctl-network maps the network libraries", f"mapped {sorted(files)}")
        checks.check(process.returncode == 6 and "127.0.0.1:9" in process.stderr,
                     "... and reports the unreachable server (exit 6)",
                     f"exit {process.returncode}: {process.stderr[-300:]}")

        helper = os.path.join(os.path.dirname(meshctl), HELPER)
        refused = subprocess.run([helper, "version"], capture_output=True, text=True, timeout=60,
                                 env=dict(os.environ, MESHCTL_HANDED_OVER_BY="0.0.0-elsewhere"))
        checks.check(refused.returncode == 6 and "install both from one build" in refused.stderr,
                     "meshctl-network refuses a command handed over by another version of meshctl",
                     f"exit {refused.returncode}: {refused.stderr[-300:]}")

        alone = os.path.join(home, "alone")
        os.mkdir(alone)
        shutil.copy2(meshctl, os.path.join(alone, "meshctl"))
        copy = os.path.join(alone, "meshctl")
        validated = subprocess.run([copy, "validate", first], capture_output=True, text=True, timeout=60)
        checks.check(validated.returncode == 0, "without meshctl-network, validate still works",
                     f"exit {validated.returncode}: {validated.stderr[-300:]}")
        environment = dict(os.environ, HOME=home, XDG_CONFIG_HOME=home)
        for args in (["--registry", "http://127.0.0.1:9", "get", "products"],
                     ["--registry", "postgresql://nobody@127.0.0.1:9/none", "get", "products"],
                     ["serve", "--store", database, "--listen", "127.0.0.1:0"]):
            missing = subprocess.run([copy, *args], capture_output=True, text=True, timeout=60, env=environment,
                                     stdin=subprocess.DEVNULL)
            checks.check(missing.returncode == 6 and HELPER in missing.stderr
                         and os.path.join(alone, HELPER) in missing.stderr,
                         f"without meshctl-network, `{args[-2]} {args[-1]}` exits 6 naming where it looked",
                         f"exit {missing.returncode}: {missing.stderr[-400:]}")

    print(f"{checks.passed} passed, {checks.failed} failed")
    sys.exit(1 if checks.failed else 0)


if __name__ == "__main__":
    main()
