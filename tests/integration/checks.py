"""The pass/fail tally the integration scripts print: one line per check, `ok` or `FAIL`."""


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, ok, what, detail=""):
        if ok:
            self.passed += 1
            print(f"ok   {what}", flush=True)
        else:
            self.failed += 1
            print(f"FAIL {what}{': ' + detail if detail else ''}", flush=True)
        return ok
