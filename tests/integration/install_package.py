#!/usr/bin/env python3
"""What a user installs: `cmake --install` into a scratch prefix, and the Debian package CPack builds.

Usage: install_package.py BUILD_DIR

1. `cmake --install BUILD_DIR --prefix SCRATCH` puts meshctl, meshctl-network, the manual pages and the
   three completion scripts in their usual places; the installed meshctl runs `version`, hands a command
   against a server to its meshctl-network (a server that does not answer is "cannot reach", not "could not
   be run"), and `man` reads its page.
2. `cpack -G DEB` builds a package whose Depends were computed from the binaries (libc6, libstdc++6, and
   libpqxx for meshctl-network); extracted into a scratch root with `dpkg-deb -x`, its meshctl runs the same
   way.

Prints one line per check and ends with `N passed, M failed`; exits 1 when a check failed.
"""

import glob
import os
import subprocess
import sys
import tempfile

from checks import Checks  # noqa: E402  (the script's folder is on sys.path)


def check_installed(checks, root, where):
    """The installed tree under `root` (a prefix: bin/, lib*/, share/)."""
    meshctl = os.path.join(root, "bin", "meshctl")
    helpers = glob.glob(os.path.join(root, "lib*", "**", "meshctl-network"), recursive=True)
    checks.check(os.access(meshctl, os.X_OK), f"{where}: bin/meshctl")
    checks.check(len(helpers) == 1 and os.access(helpers[0], os.X_OK), f"{where}: meshctl-network under lib",
                 str(helpers))
    share = os.path.join(root, "share")
    for path in ["man/man1/meshctl.1", "man/man1/meshctl-validate.1", "man/man1/meshctl-get-products.1",
                 "bash-completion/completions/meshctl", "zsh/vendor-completions/_meshctl",
                 "fish/vendor_completions.d/meshctl.fish"]:
        checks.check(os.path.isfile(os.path.join(share, path)), f"{where}: share/{path}")
    if not os.access(meshctl, os.X_OK):
        return
    done = subprocess.run([meshctl, "version"], capture_output=True, text=True)
    checks.check(done.returncode == 0 and done.stdout.startswith("meshctl "), f"{where}: meshctl version runs",
                 done.stdout + done.stderr)
    done = subprocess.run([meshctl, "--registry", "http://127.0.0.1:1", "get", "products"], capture_output=True,
                          text=True)
    checks.check(done.returncode == 6 and "cannot reach" in done.stderr, f"{where}: meshctl-network is found",
                 done.stderr)
    done = subprocess.run(["man", "-l", os.path.join(share, "man/man1/meshctl-validate.1")], capture_output=True,
                          text=True, env=dict(os.environ, MANPAGER="cat", MANWIDTH="80"))
    checks.check(done.returncode == 0 and "meshctl-validate" in done.stdout, f"{where}: man reads the pages",
                 done.stderr)


def main():
    build = os.path.abspath(sys.argv[1])
    checks = Checks()
    with tempfile.TemporaryDirectory() as scratch:
        prefix = os.path.join(scratch, "prefix")
        done = subprocess.run(["cmake", "--install", build, "--prefix", prefix], capture_output=True, text=True)
        checks.check(done.returncode == 0, "cmake --install succeeds", done.stderr)
        check_installed(checks, prefix, "cmake --install")

        packages = os.path.join(scratch, "packages")
        done = subprocess.run(["cpack", "-G", "DEB", "--config", os.path.join(build, "CPackConfig.cmake"), "-B",
                               packages], capture_output=True, text=True, cwd=build)
        debs = glob.glob(os.path.join(packages, "*.deb"))
        if not checks.check(done.returncode == 0 and len(debs) == 1, "cpack builds one .deb",
                            done.stdout[-2000:] + done.stderr[-2000:]):
            print(f"{checks.passed} passed, {checks.failed} failed")
            return 1
        depends = subprocess.run(["dpkg-deb", "-f", debs[0], "Depends"], capture_output=True, text=True).stdout
        for library in ["libc6", "libstdc++6", "libpqxx"]:
            checks.check(library in depends, f"the package depends on {library}", depends)
        root = os.path.join(scratch, "root")
        subprocess.run(["dpkg-deb", "-x", debs[0], root], check=True)
        check_installed(checks, os.path.join(root, "usr"), "the .deb")

    print(f"{checks.passed} passed, {checks.failed} failed")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
