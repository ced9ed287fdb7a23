#!/usr/bin/env python3
"""What `meshctl` maps at start-up: the network libraries only for the commands that need them.

Usage: startup_libraries.py MESHCTL

1. Commands that need no server and no PostgreSQL (validate, diff of two files, schema, a command against
   the embedded registry, test of a CSV file) map no PostgreSQL, TLS, Kerberos, LDAP or HTTP library (LD_DEBUG=files lists every
   shared object the dynamic loader opens) and do not load meshctl-network.so.
2. A command against a registry server loads meshctl-network.so, and through it those libraries.
3. Without the module beside it, meshctl still validates, and a command that needs the module exits 6 with a
   message that names the places it looked.

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
MODULE = "meshctl-network.so"


def loaded(meshctl, args, home, env=None):
    """The shared objects the loader opened while `meshctl ARGS` ran, and the process."""
    environment = dict(os.environ, LD_DEBUG="files", HOME=home, XDG_CONFIG_HOME=home,
                       MESHCTL_REGISTRY="", MESHCTL_TOKEN="")
    environment.update(env or {})
    process = subprocess.run([meshctl, *args], capture_output=True, text=True, env=environment, timeout=60,
                             stdin=subprocess.DEVNULL)
    names = set(re.findall(r"file=(\S+)\s+\[\d+\];\s+needed by|file=(\S+)\s+\[\d+\];\s+dynamically loaded",
                           process.stderr))
    files = {os.path.basename(a or b) for a, b in names}
    return files, process


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    meshctl = os.path.abspath(sys.argv[1])
    checks = Checks()
    first = next(os.path.join(PRODUCTS, folder, name)
                 for folder in sorted(os.listdir(PRODUCTS))
                 for name in sorted(os.listdir(os.path.join(PRODUCTS, folder))) if name.endswith(".yaml"))
    with tempfile.TemporaryDirectory() as home:
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
            files, process = loaded(meshctl, args, home)
            network = sorted(name for name in files if NETWORK_LIBRARIES.search(name) or name == MODULE)
            checks.check(process.returncode in (0, 1) and len(files) > 2 and not network,
                         f"meshctl {' '.join(os.path.relpath(a, REPOSITORY) if a.startswith('/') else a for a in args)}"
                         " maps no network library",
                         f"exit {process.returncode}, mapped {network or sorted(files)}: {process.stderr[-300:]}")

        files, process = loaded(meshctl, ["--registry", "http://127.0.0.1:9", "get", "products"], home)
        checks.check(MODULE in files and any(NETWORK_LIBRARIES.search(name) for name in files),
                     "a command against a registry server loads the network module and its libraries",
                     f"exit {process.returncode}, mapped {sorted(files)}")
        checks.check(process.returncode == 6 and "127.0.0.1:9" in process.stderr,
                     "... and reports the unreachable server (exit 6)", f"exit {process.returncode}")

        alone = os.path.join(home, "alone")
        os.mkdir(alone)
        shutil.copy2(meshctl, os.path.join(alone, "meshctl"))
        copy = os.path.join(alone, "meshctl")
        validated = subprocess.run([copy, "validate", first], capture_output=True, text=True, timeout=60)
        checks.check(validated.returncode == 0, "without the module, validate still works",
                     f"exit {validated.returncode}: {validated.stderr[-300:]}")
        environment = dict(os.environ, HOME=home, XDG_CONFIG_HOME=home)
        for args in (["--registry", "http://127.0.0.1:9", "get", "products"],
                     ["--registry", "postgresql://nobody@127.0.0.1:9/none", "get", "products"],
                     ["serve", "--store", database, "--listen", "127.0.0.1:0"]):
            missing = subprocess.run([copy, *args], capture_output=True, text=True, timeout=60, env=environment,
                                     stdin=subprocess.DEVNULL)
            checks.check(missing.returncode == 6 and "network module" in missing.stderr
                         and os.path.join(alone, MODULE) in missing.stderr,
                         f"without the module, `{args[-2]} {args[-1]}` exits 6 naming where it looked",
                         f"exit {missing.returncode}: {missing.stderr[-400:]}")

    print(f"{checks.passed} passed, {checks.failed} failed")
    sys.exit(1 if checks.failed else 0)


if __name__ == "__main__":
    main()
