#!/usr/bin/env python3
"""Shell completion as a user gets it: `meshctl completion bash` sourced into bash, then completions asked for.

Usage: shell_completion.py MESHCTL

bash runs the script's completion function with COMP_WORDS and COMP_CWORD set as readline sets them, and the
checks read COMPREPLY: commands, subcommands, flags, fixed flag values, -o's formats for the command, product
names from an embedded registry made for the test, and nothing (file names, then) where meshctl has no
candidates. An unreachable registry gives no candidates, quickly and silently; a missing one is not created.
zsh's and fish's scripts are checked for syntax when those shells are installed, and fish (which answers
`complete -C LINE` without a terminal) completes commands, products and file names.

Prints one line per check and ends with `N passed, M failed`; exits 1 when a check failed.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time

from checks import Checks  # noqa: E402  (the script's folder is on sys.path)


def main():
    meshctl = os.path.abspath(sys.argv[1])
    checks = Checks()
    with tempfile.TemporaryDirectory() as folder:
        registry = os.path.join(folder, "r.db")
        env = dict(os.environ, MESHCTL_REGISTRY=registry, PATH=os.path.dirname(meshctl) + ":" + os.environ["PATH"])
        for domain, name in [("sales", "orders"), ("sales", "order-lines"), ("finance", "revenue")]:
            path = os.path.join(folder, f"{name}.yaml")
            subprocess.run([meshctl, "init", "--name", name, "--domain", domain, "--owner-team", f"{domain}-data",
                            "--owner-email", f"{domain}-data@example.com", "-f", path], check=True, env=env,
                           capture_output=True)
            subprocess.run([meshctl, "apply", "-f", path], check=True, env=env, capture_output=True)
        script = subprocess.run([meshctl, "completion", "bash"], check=True, env=env, capture_output=True,
                                text=True).stdout
        script_path = os.path.join(folder, "meshctl.bash")
        with open(script_path, "w", encoding="utf-8") as fh:
            fh.write(script)

        def complete(line, extra_env=None):
            """COMPREPLY for `line` (the cursor at its end) and how long bash took."""
            words = line.split(" ")
            program = (f"source {script_path}\n"
                       "COMP_WORDS=(" + " ".join(f"'{w}'" for w in words) + ")\n"
                       f"COMP_CWORD={len(words) - 1}\n"
                       "_meshctl\n"
                       "printf '%s\\n' \"${COMPREPLY[@]}\"\n")
            started = time.monotonic()
            done = subprocess.run(["bash", "-c", program], env=dict(env, **(extra_env or {})), capture_output=True,
                                  text=True, timeout=30)
            return [w for w in done.stdout.split("\n") if w], done.stderr, time.monotonic() - started

        def expect(line, wanted, what):
            got, err, _ = complete(line)
            checks.check(got == wanted and err == "", what, f"{line!r}: got {got}, stderr {err!r}")

        expect("meshctl des", ["describe"], "a command from its first letters")
        expect("meshctl get ", ["domains", "manifest", "products", "quality", "subscriptions", "terms", "versions"], "the commands under get")
        expect("meshctl validate --fo", ["--format"], "a flag of the command")
        expect("meshctl get products --st", ["--status"], "a flag of a subcommand")
        expect("meshctl get products --status ", ["active", "deprecated", "retired"], "a flag's fixed values")
        expect("meshctl validate -o ", ["json", "junit", "sarif", "text"], "-o's formats for validate")
        expect("meshctl -o ", ["json", "text", "yaml"], "-o's formats before a command")
        expect("meshctl describe ", ["finance/", "sales/", "term"], "products: the domains first (and describe term)")
        expect("meshctl describe sales/", ["sales/order-lines", "sales/orders"], "then a domain's products")
        expect("meshctl describe sales/order-", ["sales/order-lines"], "products by prefix")
        expect(f"meshctl --registry {registry} history fin", ["finance/"], "--registry given on the line is used")
        expect("meshctl validate ", [], "no candidates where file names are wanted")
        expect("meshctl zzz", [], "no candidates for an unknown word")

        missing = os.path.join(folder, "missing", "r.db")
        got, err, _ = complete(f"meshctl --registry {missing} describe ")
        checks.check(got == ["term"] and err == "" and not os.path.exists(os.path.dirname(missing)),
                     "a registry that does not exist gives nothing and is not created", f"{got} {err!r}")
        got, err, took = complete("meshctl describe ", {"MESHCTL_REGISTRY": "http://127.0.0.1:1"})
        checks.check(got == ["term"] and err == "" and took < 5,
                     "an unreachable server gives nothing (but describe's command), quickly and silently",
                     f"{got} {err!r} {took:.1f}s")

        for shell, flag in [("zsh", "-n"), ("fish", "--no-execute")]:
            if shutil.which(shell) is None:
                print(f"skip {shell}: not installed (its script's syntax is not checked)")
                continue
            text = subprocess.run([meshctl, "completion", shell], check=True, capture_output=True, text=True).stdout
            path = os.path.join(folder, f"meshctl.{shell}")
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(text)
            done = subprocess.run([shell, flag, path], capture_output=True, text=True)
            checks.check(done.returncode == 0, f"the {shell} script parses", done.stderr)
            if shell == "fish":  # fish answers `complete -C LINE` without a terminal
                for line, wanted in [("meshctl get ", ["domains", "manifest", "products", "quality", "subscriptions",
                                                       "terms", "versions"]),
                                     ("meshctl describe sales/", ["sales/order-lines", "sales/orders"]),
                                     (f"meshctl validate {folder}/meshctl.fi", [f"{folder}/meshctl.fish"])]:
                    done = subprocess.run(["fish", "-c", f"source {path}; complete -C '{line}'"], env=env,
                                          capture_output=True, text=True, timeout=30)
                    got = sorted(w.split("\t")[0] for w in done.stdout.split("\n") if w)
                    checks.check(got == wanted, f"fish completes {line!r}", f"got {got}, stderr {done.stderr!r}")

    print(f"{checks.passed} passed, {checks.failed} failed")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
