#!/usr/bin/env python3
"""The embedded registry on a filesystem that fills up or turns read-only.

Usage: registry_faults.py MESHCTL

The registry lives on a small tmpfs mounted for this test in a private mount namespace
(`unshare --mount`, with `--map-root-user` when not run as root, so it works unprivileged
where user namespaces are allowed). When no such mount can be made the script says so and
FAILS: a fault test that cannot inject its fault must never pass.

1. Full disk during `apply`: single products are applied until the disk is full. Every apply
   that exited 0 is in the registry; the one that failed exited 6, said the disk is full, and
   left no trace of its product; a plan of several products applied while full leaves none of
   them; `registry check` passes. Once space is freed, the failed apply and the plan succeed.
2. Full disk during `usage report`: batches of events are ingested until the disk is full.
   Every event of an acknowledged batch is counted, none of the failed batch (one transaction
   per report); after freeing space the failed batch is ingested whole.
3. Backups taken while two other processes apply products each pass `registry check`, and their
   products, versions and audit events add up (one consistent snapshot).
4. Read-only: the mount remounted read-only serves reads (exit 0) and refuses writes with exit 6
   and a message saying the file or its folder is read-only. Then a read-only file in a
   read-only folder, as a user who may not write it (run as `nobody` when the test is root).

Prints one line per check and ends with `N passed, M failed`; exits 1 when a check failed.
Standard library only; every meshctl call has a timeout.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import registry_corpus  # noqa: E402
from checks import Checks  # noqa: E402  (the script's folder is on sys.path)

TIMEOUT_SECONDS = 120
EXIT_NOT_FOUND = 3
EXIT_UNAVAILABLE = 6
NAMESPACE_MARK = "MESHCTL_REGISTRY_FAULTS_NAMESPACE"
# Room for the three registries the steps leave on it: at 1 MiB, schema 11's larger file left the read-only
# step's registry uncheckpointed (its WAL, which that step removes, held the data) once the disk was full.
TMPFS_BYTES = 2 * 1024 * 1024
# Room left on the tmpfs before the loops start: a handful of writes fit, then the disk is full.
ROOM_BYTES = 96 * 1024


class Meshctl:
    def __init__(self, binary, registry, home, user=None):
        self.binary = binary
        self.registry = registry
        self.environment = dict(os.environ, HOME=home, XDG_DATA_HOME=os.path.join(home, "data"),
                                XDG_CONFIG_HOME=os.path.join(home, "config"))
        self.environment.pop("MESHCTL_REGISTRY", None)
        self.prefix = ["setpriv", "--reuid", user, "--regid", user, "--clear-groups"] if user else []

    def run(self, *args, stdin=None):
        return subprocess.run([*self.prefix, self.binary, "--registry", self.registry, *args], input=stdin,
                              capture_output=True, text=True, timeout=TIMEOUT_SECONDS, env=self.environment)


def free_bytes(folder):
    stats = os.statvfs(folder)
    return stats.f_bavail * stats.f_frsize


def leave_room(folder, room):
    """Fills the filesystem of `folder` with a file, leaving about `room` bytes; returns its path."""
    filler = os.path.join(folder, "filler")
    with open(filler, "wb") as out:
        out.write(b"\0" * max(0, free_bytes(folder) - room))
    return filler


def query(registry, sql):
    """One value, read without writing (the registry's -shm and -wal already exist)."""
    connection = sqlite3.connect(f"file:{registry}?mode=ro", uri=True)
    try:
        return connection.execute(sql).fetchone()[0]
    finally:
        connection.close()


def registry_is_sound(checks, meshctl, what):
    done = meshctl.run("registry", "check")
    checks.check(done.returncode == 0 and "no problem found" in done.stdout, f"{what}: `registry check` passes",
                 f"exit {done.returncode}: {(done.stdout + done.stderr).strip()[-400:]}")


def says_read_only(done, registry):
    return done.returncode == EXIT_UNAVAILABLE and registry in done.stderr and "is read-only" in done.stderr


def says_disk_full(done):
    return done.returncode == EXIT_UNAVAILABLE and "is full" in done.stderr and "free some space" in done.stderr


def full_disk_apply(checks, meshctl_binary, mount, home):
    folder = os.path.join(mount, "apply")
    os.mkdir(folder)
    registry = os.path.join(folder, "registry.db")
    meshctl = Meshctl(meshctl_binary, registry, home)
    manifests = os.path.join(home, "apply-manifests")
    first = meshctl.run("apply", "-f", registry_corpus.write_manifest(manifests, "full", "p-base"))
    if not checks.check(first.returncode == 0, "apply: the registry is created on the tmpfs", first.stderr.strip()):
        return
    filler = leave_room(folder, ROOM_BYTES)
    acknowledged, failed = ["p-base"], None
    for index in range(400):
        name = f"p-{index:03d}"
        done = meshctl.run("apply", "-f", registry_corpus.write_manifest(manifests, "full", name))
        if done.returncode == 0:
            acknowledged.append(name)
            continue
        failed = (name, done)
        break
    if not checks.check(failed is not None, "apply: the disk fills up", f"{len(acknowledged)} applies all succeeded"):
        return
    name, done = failed
    checks.check(says_disk_full(done), f"apply: the apply of {name} on a full disk exits 6 and says the disk is full",
                 f"exit {done.returncode}: {done.stderr.strip()}")
    print(f"     (the error: {done.stderr.strip()})", flush=True)
    checks.check("full/" not in done.stdout, "apply: the failed apply reports nothing as applied", done.stdout.strip())
    plan = os.path.join(home, "apply-plan")
    for index in range(5):
        registry_corpus.write_manifest(plan, "plan", f"q-{index}")
    planned = meshctl.run("apply", "-f", plan)
    checks.check(planned.returncode == EXIT_UNAVAILABLE, "apply: a plan of 5 products on the full disk exits 6",
                 f"exit {planned.returncode}: {planned.stderr.strip()}")
    listed = meshctl.run("-o", "json", "get", "products")
    if not checks.check(listed.returncode == 0, "apply: products are listed on the full disk", listed.stderr.strip()):
        return
    names = {item["name"] for item in json.loads(listed.stdout)}
    missing = [product for product in acknowledged if product not in names]
    checks.check(not missing, f"apply: all {len(acknowledged)} acknowledged products are present on the full disk",
                 ", ".join(missing))
    leaked = sorted(names - set(acknowledged))
    checks.check(not leaked, "apply: nothing of the failed apply or plan is present", ", ".join(leaked))
    described = meshctl.run("describe", f"full/{name}")
    checks.check(described.returncode == EXIT_NOT_FOUND, f"apply: full/{name} is not found",
                 f"exit {described.returncode}")
    registry_is_sound(checks, meshctl, "apply, disk still full")
    backup = os.path.join(folder, "backup.db")
    backed_up = meshctl.run("registry", "backup", backup)
    leftovers = [entry for entry in os.listdir(folder) if entry.startswith(".backup.db")]
    checks.check(backed_up.returncode == EXIT_UNAVAILABLE and not os.path.exists(backup) and not leftovers,
                 "backup onto the full disk exits 6 and leaves no file, whole or partial",
                 f"exit {backed_up.returncode}, leftovers {leftovers}: {backed_up.stderr.strip()}")
    print(f"     (the error: {backed_up.stderr.strip()})", flush=True)

    os.remove(filler)
    again = meshctl.run("apply", "-f", registry_corpus.write_manifest(manifests, "full", name))
    checks.check(again.returncode == 0, f"apply: once space is freed, the apply of {name} succeeds",
                 again.stderr.strip())
    planned = meshctl.run("apply", "-f", plan)
    checks.check(planned.returncode == 0, "apply: once space is freed, the plan succeeds", planned.stderr.strip())
    count = query(registry, "SELECT count(*) FROM products")
    checks.check(count == len(acknowledged) + 1 + 5, "apply: the registry holds exactly the products applied",
                 f"{count} != {len(acknowledged) + 6}")
    registry_is_sound(checks, meshctl, "apply, space freed")

    # Restore onto a full disk: the registry stays exactly as it was.
    backed_up = meshctl.run("registry", "backup", os.path.join(home, "apply-backup.db"))
    checks.check(backed_up.returncode == 0, "apply: a backup is taken", backed_up.stderr.strip())
    for index in range(3):
        meshctl.run("apply", "-f", registry_corpus.write_manifest(manifests, "full", f"later-{index}"))
    before = query(registry, "SELECT count(*) FROM products")
    filler = leave_room(folder, 8 * 1024)
    restored = meshctl.run("registry", "restore", os.path.join(home, "apply-backup.db"))
    after = query(registry, "SELECT count(*) FROM products")
    checks.check(restored.returncode == EXIT_UNAVAILABLE and after == before,
                 "restore onto a full disk exits 6 and leaves the registry as it was",
                 f"exit {restored.returncode}, {before} -> {after} products: {restored.stderr.strip()}")
    print(f"     (the error: {restored.stderr.strip()})", flush=True)
    registry_is_sound(checks, meshctl, "restore on a full disk")
    os.remove(filler)


def events_batch(batch, size):
    lines = []
    for index in range(size):
        lines.append(json.dumps({"id": f"b{batch:03d}-e{index:04d}-{'x' * 40}", "time": "2026-11-23T10:00:00Z",
                                 "product": "usage/orders", "port": "orders-table",
                                 "consumer": f"consumer-{batch}-{index % 7}", "operation": "read", "rows": 10,
                                 "bytes": 100}))
    return "\n".join(lines) + "\n"


def full_disk_ingest(checks, meshctl_binary, mount, home):
    folder = os.path.join(mount, "usage")
    os.mkdir(folder)
    registry = os.path.join(folder, "registry.db")
    meshctl = Meshctl(meshctl_binary, registry, home)
    manifest = registry_corpus.write_manifest(os.path.join(home, "usage-manifests"), "usage", "orders")
    first = meshctl.run("apply", "-f", manifest)
    if not checks.check(first.returncode == 0, "usage: the registry is created on the tmpfs", first.stderr.strip()):
        return
    filler = leave_room(folder, ROOM_BYTES)
    batch_size = 150
    acknowledged, failed = 0, None
    for batch in range(400):
        events = events_batch(batch, batch_size)
        done = meshctl.run("usage", "report", "-f", "-", stdin=events)
        if done.returncode == 0:
            acknowledged += 1
            continue
        failed = (batch, events, done)
        break
    if not checks.check(failed is not None, "usage: the disk fills up", f"{acknowledged} batches all succeeded"):
        return
    batch, events, done = failed
    checks.check(says_disk_full(done), f"usage: the report of batch {batch} on a full disk exits 6 and says so",
                 f"exit {done.returncode}: {done.stderr.strip()}")
    print(f"     (the error: {done.stderr.strip()})", flush=True)
    recorded = query(registry, "SELECT count(*) FROM usage_event_ids")
    checks.check(recorded == acknowledged * batch_size,
                 f"usage: every event of the {acknowledged} acknowledged batches is counted, none of the failed one",
                 f"{recorded} != {acknowledged * batch_size}")
    partial = query(registry, f"SELECT count(*) FROM usage_event_ids WHERE id LIKE 'b{batch:03d}-%'")
    checks.check(partial == 0, "usage: no event of the failed batch is stored", f"{partial} stored")
    registry_is_sound(checks, meshctl, "usage, disk still full")

    os.remove(filler)
    again = meshctl.run("-o", "json", "usage", "report", "-f", "-", stdin=events)
    accepted = json.loads(again.stdout).get("accepted") if again.returncode == 0 else None
    checks.check(accepted == batch_size, "usage: once space is freed, the failed batch is ingested whole",
                 f"exit {again.returncode}, accepted {accepted}: {again.stderr.strip()}")
    recorded = query(registry, "SELECT count(*) FROM usage_event_ids")
    checks.check(recorded == (acknowledged + 1) * batch_size, "usage: the count adds up after the retry",
                 f"{recorded} != {(acknowledged + 1) * batch_size}")
    registry_is_sound(checks, meshctl, "usage, space freed")


def read_only_mount(checks, meshctl_binary, mount, home):
    folder = os.path.join(mount, "ro-mount")
    os.mkdir(folder)
    registry = os.path.join(folder, "registry.db")
    meshctl = Meshctl(meshctl_binary, registry, home)
    manifests = os.path.join(home, "ro-mount-manifests")
    first = meshctl.run("apply", "-f", registry_corpus.write_manifest(manifests, "ro", "kept"))
    if not checks.check(first.returncode == 0, "read-only: the registry is created", first.stderr.strip()):
        return
    # As a registry copied onto read-only media: no -wal or -shm beside it, which SQLite
    # cannot create there to read a file in WAL mode ("unable to open database file").
    for suffix in ("-wal", "-shm"):
        if os.path.exists(registry + suffix):
            os.remove(registry + suffix)
    remounted = subprocess.run(["mount", "-o", "remount,ro,bind", mount], capture_output=True, text=True)
    if not checks.check(remounted.returncode == 0, "read-only: the tmpfs is remounted read-only",
                        remounted.stderr.strip()):
        return
    try:
        read = meshctl.run("describe", "ro/kept")
        checks.check(read.returncode == 0, "read-only mount: a read works", f"exit {read.returncode}: {read.stderr}")
        write = meshctl.run("apply", "-f", registry_corpus.write_manifest(manifests, "ro", "refused"))
        checks.check(says_read_only(write, registry),
                     "read-only mount: a write exits 6, naming the file and saying it is read-only",
                     f"exit {write.returncode}: {write.stderr.strip()}")
        checks.check("unable to open database file" not in write.stderr,
                     "read-only mount: not SQLite's 'unable to open database file'", write.stderr.strip())
        checked = meshctl.run("registry", "check")
        checks.check(checked.returncode == 0, "read-only mount: `registry check` works",
                     f"exit {checked.returncode}: {checked.stderr.strip()}")
    finally:
        subprocess.run(["mount", "-o", "remount,rw,bind", mount], capture_output=True)


def read_only_file(checks, meshctl_binary, work, home, user):
    """A registry file and folder the user may read but not write (chmod; `user` drops root)."""
    folder = os.path.join(work, "ro-file")
    os.mkdir(folder)
    registry = os.path.join(folder, "registry.db")
    manifests = os.path.join(work, "ro-file-manifests")
    owner = Meshctl(meshctl_binary, registry, home)
    first = owner.run("apply", "-f", registry_corpus.write_manifest(manifests, "rf", "kept"))
    if not checks.check(first.returncode == 0, "read-only file: the registry is created", first.stderr.strip()):
        return
    for path in (manifests, *[os.path.join(manifests, name) for name in os.listdir(manifests)]):
        os.chmod(path, 0o755 if os.path.isdir(path) else 0o644)
    registry_corpus.write_manifest(manifests, "rf", "refused")
    os.chmod(os.path.join(manifests, "rf--refused.yaml"), 0o644)
    for name in os.listdir(folder):
        os.chmod(os.path.join(folder, name), 0o444)
    os.chmod(folder, 0o555)
    os.chmod(work, 0o755)
    os.chmod(home, 0o777)
    reader = Meshctl(meshctl_binary, registry, home, user)
    try:
        read = reader.run("describe", "rf/kept")
        checks.check(read.returncode == 0, "read-only file: a read works", f"exit {read.returncode}: {read.stderr}")
        write = reader.run("apply", "-f", os.path.join(manifests, "rf--refused.yaml"))
        checks.check(says_read_only(write, registry),
                     "read-only file: a write exits 6, naming the file and saying it is read-only",
                     f"exit {write.returncode}: {write.stderr.strip()}")
    finally:
        os.chmod(folder, 0o755)


def backup_while_writing(checks, meshctl_binary, work, home):
    """`registry backup` while two other processes apply products: each copy is one consistent snapshot."""
    registry = os.path.join(work, "busy.db")
    meshctl = Meshctl(meshctl_binary, registry, home)
    first = meshctl.run("apply", "-f", registry_corpus.write_manifest(os.path.join(work, "busy"), "busy", "base"))
    if not checks.check(first.returncode == 0, "backup: the registry is created", first.stderr.strip()):
        return
    writers = []
    for writer in range(2):
        folder = os.path.join(work, f"busy-{writer}")
        for index in range(40):
            registry_corpus.write_manifest(folder, f"busy-{writer}", f"p-{index:03d}")
        script = (f"for f in {folder}/*.yaml; do {meshctl_binary} --registry {registry} apply -f \"$f\" "
                  ">/dev/null || exit 1; done")
        writers.append(subprocess.Popen(["sh", "-c", script], env=meshctl.environment))
    copies, failed = [], None
    while any(writer.poll() is None for writer in writers) or len(copies) < 3:
        copy = os.path.join(work, f"busy-backup-{len(copies)}.db")
        done = meshctl.run("registry", "backup", copy)
        if done.returncode != 0:
            failed = f"backup {len(copies)} exited {done.returncode}: {done.stderr.strip()}"
            break
        copies.append(copy)
    checks.check(failed is None, f"backup: {len(copies)} backups taken while two processes write all exit 0",
                 failed or "")
    codes = [writer.wait(timeout=TIMEOUT_SECONDS) for writer in writers]
    checks.check(codes == [0, 0], "backup: the writers were never held up into a failure", str(codes))
    torn = []
    for copy in copies:
        checked = Meshctl(meshctl_binary, copy, home).run("registry", "check")
        products, versions = query(copy, "SELECT count(*) FROM products"), query(copy, "SELECT count(*) FROM versions")
        events = query(copy, "SELECT count(*) FROM audit_events")
        if checked.returncode != 0 or not products == versions == events:
            torn.append(f"{copy}: check exit {checked.returncode}, {products} products, {versions} versions, "
                        f"{events} audit events")
    checks.check(not torn, f"backup: all {len(copies)} copies taken under writes pass the check and add up",
                 "; ".join(torn))


def in_namespace(meshctl_binary):
    checks = Checks()
    work = tempfile.mkdtemp(prefix="meshctl-registry-faults-")
    mount = os.path.join(work, "tmpfs")
    os.mkdir(mount)
    home = os.path.join(work, "home")
    os.mkdir(home)
    try:
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={TMPFS_BYTES}", "tmpfs", mount],
                                 capture_output=True, text=True)
        if not checks.check(mounted.returncode == 0, f"a {TMPFS_BYTES // 1024} KiB tmpfs is mounted",
                            mounted.stderr.strip()):
            return checks
        try:
            full_disk_apply(checks, meshctl_binary, mount, home)
            full_disk_ingest(checks, meshctl_binary, mount, home)
            read_only_mount(checks, meshctl_binary, mount, home)
        finally:
            subprocess.run(["umount", mount], capture_output=True)
        backup_while_writing(checks, meshctl_binary, work, home)
        if os.environ.get(NAMESPACE_MARK) == "root":
            read_only_file(checks, meshctl_binary, work, home, "65534")
    except (RuntimeError, subprocess.TimeoutExpired, json.JSONDecodeError, KeyError, OSError, TypeError,
            AttributeError) as error:
        checks.check(False, "unexpected error", repr(error))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return checks


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    meshctl_binary = os.path.abspath(sys.argv[1])
    if os.environ.get(NAMESPACE_MARK):
        checks = in_namespace(meshctl_binary)
        print(f"{checks.passed} passed, {checks.failed} failed", flush=True)
        return 1 if checks.failed else 0

    # Outside: the read-only file check runs here when not root (chmod binds a user, not root,
    # and inside a user namespace the test is root again); then the rest in a private namespace.
    outside = Checks()
    root = os.geteuid() == 0
    if not root:
        work = tempfile.mkdtemp(prefix="meshctl-registry-faults-")
        home = os.path.join(work, "home")
        os.mkdir(home)
        try:
            read_only_file(outside, meshctl_binary, work, home, None)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    unshare = shutil.which("unshare")
    command = [unshare, "--mount", "--propagation", "private"] + ([] if root else ["--map-root-user"])
    probe = subprocess.run([*command, "true"], capture_output=True, text=True) if unshare else None
    if probe is None or probe.returncode != 0:
        print("FAIL cannot make a private mount namespace, so no small filesystem can be mounted to fill: "
              f"{probe.stderr.strip() if probe else 'unshare (util-linux) is not installed'}. This test needs root, "
              "or unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1, "
              "user.max_user_namespaces > 0). It does NOT pass without them.", flush=True)
        print(f"{outside.passed} passed, {outside.failed + 1} failed", flush=True)
        return 1
    environment = dict(os.environ, **{NAMESPACE_MARK: "root" if root else "user"})
    inner = subprocess.run([*command, sys.executable, os.path.abspath(__file__), meshctl_binary], env=environment)
    if outside.failed:
        return 1
    return inner.returncode


if __name__ == "__main__":
    sys.exit(main())
