# Retirement follows a deprecation: the soft delete (deprecate, with a sunset in the future and a
# reason), then the hard one (retire, from the sunset on). Before that, retire is refused (exit 4)
# and says what to do; --force retires anyway and the audit log records what was in the way.
# (Retiring once the sunset has come is in the contract tests: they set the registry's clock.)
export MESHCTL_REGISTRY="$CASE_TMP/registry.db"
step() { echo "\$ meshctl $*"; meshctl "$@" 2>&1; echo "[exit $?]"; }
today() { sed -E -e 's/today is [0-9-]+/today is <today>/' -e 's/"today":"[0-9-]+"/"today":"<today>"/'; }
here=$(pwd)
cd "$CASE_TMP" || exit 1
sh "$here/product.sh" sales orders 1.0.0 > orders.yaml
sh "$here/product.sh" sales archive 1.0.0 > archive.yaml
meshctl apply -f orders.yaml -f archive.yaml > /dev/null

# An active product: deprecate it first.
step retire sales/orders
step -o json retire sales/orders

# The deprecation's flags are required (usage errors, exit 2), its sunset a real date in the future.
step deprecate sales/orders --sunset 2099-06-30
step deprecate sales/orders --reason "replaced by sales/order-lines"
step deprecate sales/orders --sunset 30.06.2099 --reason "replaced by sales/order-lines"
step deprecate sales/orders --sunset 2020-06-30 --reason "replaced by sales/order-lines" | today
step -o json deprecate sales/orders --sunset 2020-06-30 --reason "replaced by sales/order-lines" | today
step deprecate sales/orders@1.0.0 --sunset 2020-06-30 --reason "replaced by sales/order-lines" | today

# Deprecated, but its sunset has not come: wait, or force.
step deprecate sales/orders --sunset 2099-06-30 --reason "replaced by sales/order-lines"
step deprecate sales/orders --sunset 2099-06-30 --reason "replaced by sales/order-lines"
step retire sales/orders
step -o json retire sales/orders
step get products --status deprecated

# Deprecating a version does not deprecate the product.
step deprecate sales/archive@1.0.0 --sunset 2099-01-31 --reason "kept for audits only"
step retire sales/archive

# --force: the audit log says what was in the way.
step retire sales/orders --force --reason "the data leaked: withdrawn at once"
step retire sales/archive --force
step history sales/orders
step history sales/archive
