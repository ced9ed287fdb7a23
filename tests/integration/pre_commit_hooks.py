#!/usr/bin/env python3
"""The repository's .pre-commit-hooks.yaml through Debian's `pre-commit`, as a team that adopts it uses it.

Usage: pre_commit_hooks.py MESHCTL

A throwaway hooks repository holds a copy of .pre-commit-hooks.yaml; a throwaway project refers to it (by
path and commit) in its .pre-commit-config.yaml, runs `pre-commit install`, and commits manifests with
`git commit`, meshctl on PATH:

1. A new, valid manifest is committed.
2. A compatible change with its version bumped is committed.
3. A manifest that breaks the standards is refused, with the positioned finding in the output.
4. A breaking change (a field removed) without a major bump is refused, saying which bump it needs.

Prints one line per check and ends with `N passed, M failed`; exits 1 when a check failed.
"""

import os
import shutil
import subprocess
import sys
import tempfile

from checks import Checks  # noqa: E402  (the script's folder is on sys.path)

REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main():
    meshctl = os.path.abspath(sys.argv[1])
    checks = Checks()
    if shutil.which("pre-commit") is None:
        print("FAIL pre-commit is not installed (scripts/install-deps --test installs it)")
        return 1
    with tempfile.TemporaryDirectory() as scratch:
        env = dict(os.environ, PATH=os.path.dirname(meshctl) + ":" + os.environ["PATH"],
                   PRE_COMMIT_HOME=os.path.join(scratch, "cache"), GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com",
                   GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com", GIT_CONFIG_GLOBAL="/dev/null",
                   MESHCTL_REGISTRY=os.path.join(scratch, "unused.db"))

        def git(folder, *args):
            return subprocess.run(["git", "-C", folder, *args], env=env, capture_output=True, text=True, check=True)

        hooks = os.path.join(scratch, "hooks")
        os.makedirs(hooks)
        shutil.copy(os.path.join(REPOSITORY, ".pre-commit-hooks.yaml"), hooks)
        git(hooks, "init", "-q")
        git(hooks, "add", ".")
        git(hooks, "commit", "-q", "-m", "hooks")
        rev = git(hooks, "rev-parse", "HEAD").stdout.strip()

        project = os.path.join(scratch, "project")
        os.makedirs(os.path.join(project, "products"))
        git(project, "init", "-q")
        with open(os.path.join(project, ".pre-commit-config.yaml"), "w", encoding="utf-8") as fh:
            fh.write(f"repos:\n  - repo: {hooks}\n    rev: {rev}\n    hooks:\n"
                     "      - id: meshctl-validate\n        files: ^products/\n"
                     "      - id: meshctl-breaking\n        files: ^products/\n")
        subprocess.run(["pre-commit", "install"], cwd=project, env=env, capture_output=True, check=True)
        manifest = os.path.join(project, "products", "orders.yaml")
        subprocess.run([meshctl, "init", "--name", "orders", "--domain", "sales", "--owner-team", "sales-data",
                        "--owner-email", "sales-data@example.com", "-f", manifest], env=env, capture_output=True,
                       check=True)

        def commit(message):
            git(project, "add", "-A")
            return subprocess.run(["git", "-C", project, "commit", "-m", message], env=env, capture_output=True,
                                  text=True)

        def edit(old, new):
            with open(manifest, encoding="utf-8") as fh:
                text = fh.read()
            assert old in text, old
            with open(manifest, "w", encoding="utf-8") as fh:
                fh.write(text.replace(old, new, 1))

        done = commit("a new product")
        checks.check(done.returncode == 0, "a new, valid manifest is committed", done.stdout + done.stderr)

        edit("version: 0.1.0", "version: 1.0.0")
        edit("  tags: [orders]", "  tags: [orders, sales]")
        done = commit("a compatible change, bumped")
        checks.check(done.returncode == 0, "a compatible change with its bump is committed", done.stdout + done.stderr)

        edit("email: sales-data@example.com", "email: sales-data-at-example.com")
        done = commit("a broken owner email")
        output = done.stdout + done.stderr
        checks.check(done.returncode != 0 and "products/orders.yaml:13:" in output and "MESH-OWNER-EMAIL" in output,
                     "a manifest that breaks the standards is refused, with file:line:col", output)
        edit("email: sales-data-at-example.com", "email: sales-data@example.com")

        edit("          - name: updated_at\n            type: timestamp\n            required: true\n"
             "            description: When the record last changed\n            classification: internal\n", "")
        edit("version: 1.0.0", "version: 1.1.0")
        done = commit("a field removed, minor bump")
        output = done.stdout + done.stderr
        checks.check(done.returncode != 0 and "meshctl breaking changes" in output and "major" in output,
                     "a breaking change without a major bump is refused, naming the bump", output)
        edit("version: 1.1.0", "version: 2.0.0")
        done = commit("a field removed, major bump")
        checks.check(done.returncode == 0, "the same change with a major bump is committed", done.stdout + done.stderr)

    print(f"{checks.passed} passed, {checks.failed} failed")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
