# meshctl explain PATH: a field's type, meaning and fields, from the schema's declaration; an
# unknown key names the closest one (exit 3).
step() { echo "\$ meshctl $*"; meshctl "$@" 2>&1; echo "[exit $?]"; }
step explain
step explain metadata
step explain spec.outputPorts.slo
step explain 'spec.outputPorts[0].schema.fields'
step explain spec.outputPorts.slos
step explain metadata.name.x
step explain spec.outputPorts.slo.freshness -o json
