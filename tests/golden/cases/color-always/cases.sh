# --color always colours severities and BREAKING even in a pipe; NO_COLOR and --color never keep them plain.
echo "== validate --color always"
meshctl --color always validate findings.yaml
echo "exit $?"
echo "== diff --color always"
meshctl diff --color=always orders-1.0.0.yaml orders-2.0.0.yaml
echo "exit $?"
echo "== NO_COLOR=1, --color always wins"
NO_COLOR=1 meshctl --color always validate findings.yaml 2>/dev/null | head -1
echo "== --color never"
meshctl --color never validate findings.yaml 2>/dev/null | head -1
echo "== --color sometimes"
meshctl --color sometimes validate findings.yaml
echo "exit $?"
