#!/usr/bin/env python3
"""A throwaway PostgreSQL cluster around one command (issue 5, "Tests").

Usage: postgres_cluster.py [--keep-log] [--durable] [--] COMMAND [ARG...]
       postgres_cluster.py            (no command: print the URL, serve until Ctrl-C)

1. Finds PostgreSQL's server binaries (the newest /usr/lib/postgresql/*/bin, else `pg_config --bindir`,
   else initdb on PATH); when there are none, installs them with `scripts/install-deps --test`.
2. Creates a cluster in a new temporary folder, owned by an unprivileged user: when run as root (CI),
   the `postgres` system user that Debian's package creates (via runuser); otherwise the caller.
3. Starts it on 127.0.0.1 at a free port, its unix socket inside the temporary folder, and creates
   the database `meshctl_test`, owned by the cluster's superuser `meshctl` (trust authentication on
   loopback only: nothing else can reach it).
4. Runs COMMAND with MESHCTL_TEST_POSTGRES_URL=postgresql://meshctl@127.0.0.1:PORT/meshctl_test
   (also printed on stderr) and MESHCTL_TEST_POSTGRES_DATA (the cluster's data folder, for tests that stop
   and start it with pg_ctl as its owner), and exits with COMMAND's exit status.
5. Always stops the cluster and removes the folder afterwards: on success, failure, an exception,
   Ctrl-C or SIGTERM. The server log is printed when COMMAND fails (or with --keep-log).

fsync is off unless --durable: the cluster is thrown away, and tests should not wait for the disk.
Standard library only.
"""

import argparse
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATABASE = "meshctl_test"
SUPERUSER = "meshctl"
START_TIMEOUT_SECONDS = 60


def log(message):
    print(f"postgres_cluster: {message}", file=sys.stderr, flush=True)


def version_key(path):
    digits = path.split("/")[-2]
    return tuple(int(part) for part in digits.split(".") if part.isdigit())


def find_binaries():
    candidates = glob.glob("/usr/lib/postgresql/*/bin/initdb")
    if candidates:
        return os.path.dirname(max(candidates, key=version_key))
    if shutil.which("pg_config"):
        folder = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True).stdout.strip()
        if os.path.exists(os.path.join(folder, "initdb")):
            return folder
    initdb = shutil.which("initdb")
    return os.path.dirname(os.path.realpath(initdb)) if initdb else None


def binaries_or_install():
    folder = find_binaries()
    if folder:
        return folder
    log("no PostgreSQL server binaries found; installing them with scripts/install-deps --test")
    subprocess.run([os.path.join(REPOSITORY, "scripts", "install-deps"), "--test"], check=True)
    folder = find_binaries()
    if not folder:
        sys.exit("postgres_cluster: PostgreSQL is still missing after scripts/install-deps --test")
    return folder


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Cluster:
    """initdb + pg_ctl as an unprivileged user; stop() is safe to call at any point, twice."""

    def __init__(self, binaries, durable):
        self.binaries = binaries
        self.durable = durable
        self.folder = tempfile.mkdtemp(prefix="meshctl-pg-")
        self.data = os.path.join(self.folder, "data")
        self.socket_folder = os.path.join(self.folder, "socket")
        self.log_file = os.path.join(self.folder, "server.log")
        self.port = None
        self.started = False
        self.user = None
        if os.geteuid() == 0:
            # initdb refuses to run as root. Debian's package creates this user; without it, say so.
            try:
                self.user = pwd.getpwnam("postgres")
            except KeyError:
                sys.exit("postgres_cluster: running as root needs the `postgres` system user "
                         "(scripts/install-deps --test installs it with the postgresql package)")
            os.chmod(self.folder, 0o700)
            os.chown(self.folder, self.user.pw_uid, self.user.pw_gid)

    def run_as_owner(self, arguments, **options):
        if self.user is not None:
            arguments = ["runuser", "-u", self.user.pw_name, "--"] + arguments
        return subprocess.run(arguments, **options)

    def tool(self, name):
        return os.path.join(self.binaries, name)

    def start(self):
        self.run_as_owner(["mkdir", "-p", self.socket_folder], check=True)
        self.run_as_owner([self.tool("initdb"), "-D", self.data, "-U", SUPERUSER, "--auth=trust", "-E", "UTF8",
                           "--locale=C", "--no-sync"], check=True, stdout=subprocess.DEVNULL)
        settings = [f"-c listen_addresses=127.0.0.1", f"-k {self.socket_folder}", "-c max_connections=200"]
        if not self.durable:
            settings += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
        for attempt in range(5):  # a free port can be taken between probing and listening
            self.port = free_port()
            options = " ".join(settings + [f"-p {self.port}"])
            result = self.run_as_owner([self.tool("pg_ctl"), "start", "-D", self.data, "-l", self.log_file, "-w",
                                        "-t", str(START_TIMEOUT_SECONDS), "-o", options],
                                       stdout=subprocess.DEVNULL)
            if result.returncode == 0:
                self.started = True
                break
            log(f"pg_ctl start failed on port {self.port} (attempt {attempt + 1})")
        if not self.started:
            self.print_log()
            raise RuntimeError("the PostgreSQL cluster did not start")
        self.run_as_owner([self.tool("createdb"), "-h", self.socket_folder, "-p", str(self.port), "-U", SUPERUSER,
                           DATABASE], check=True)

    def url(self):
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{DATABASE}"

    def print_log(self):
        try:
            with open(self.log_file, encoding="utf-8", errors="replace") as server_log:
                sys.stderr.write(server_log.read())
        except OSError:
            pass

    def stop(self):
        if self.started:
            self.started = False
            self.run_as_owner([self.tool("pg_ctl"), "stop", "-D", self.data, "-m", "immediate", "-w"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(self.folder, ignore_errors=True)


def raise_interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep-log", action="store_true", help="print the server log even on success")
    parser.add_argument("--durable", action="store_true", help="keep fsync on (for benchmarks)")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    arguments = parser.parse_args()
    command = arguments.command[1:] if arguments.command[:1] == ["--"] else arguments.command

    signal.signal(signal.SIGTERM, raise_interrupt)
    cluster = Cluster(binaries_or_install(), arguments.durable)
    status = 1
    try:
        cluster.start()
        log(f"MESHCTL_TEST_POSTGRES_URL={cluster.url()}")
        if not command:
            log("serving until Ctrl-C")
            while True:
                time.sleep(3600)
        environment = dict(os.environ, MESHCTL_TEST_POSTGRES_URL=cluster.url(), MESHCTL_TEST_POSTGRES_DATA=cluster.data)
        child = subprocess.Popen(command, env=environment)
        try:
            status = child.wait()
        except KeyboardInterrupt:
            child.terminate()
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
            raise
        if status != 0 or arguments.keep_log:
            log(f"the command exited {status}; the server log follows")
            cluster.print_log()
    except KeyboardInterrupt:
        log("interrupted")
        status = 130
    finally:
        cluster.stop()
    return status


if __name__ == "__main__":
    sys.exit(main())
