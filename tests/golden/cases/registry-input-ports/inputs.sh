# Input ports must resolve: the registry refuses a product whose input ports read what it cannot
# provide (exit 4: the files are fine, the registry's state refuses them) and apply prints where each
# port is, as validate prints findings. Ports that resolve only to deprecated versions are warnings.
export MESHCTL_REGISTRY="$CASE_TMP/registry.db"
step() { echo "\$ meshctl $*"; meshctl "$@" 2>&1; echo "[exit $?]"; }
here=$(pwd)
product() { sh "$here/product.sh" "$@"; }
cd "$CASE_TMP" || exit 1
product sales orders 1.0.0 > orders.yaml
product sales orders 2.0.0 > orders-2.yaml
product sales legacy 1.0.0 > legacy.yaml
product finance revenue 1.0.0 sales/orders "^2" sales/events "^1" sales/legacy "^1" sales/orders "^3" > revenue.yaml
product finance revenue 1.0.0 sales/orders "^2" > revenue-fixed.yaml
mkdir together
product sales refunds 1.0.0 > together/refunds.yaml
product finance costs 1.0.0 sales/refunds "^1" sales/orders "^2" > together/costs.yaml

meshctl apply -f orders.yaml -f legacy.yaml > /dev/null
meshctl retire sales/legacy --force > /dev/null

# Every port that does not resolve, where it is; nothing is written.
step apply -f revenue.yaml
step -o json create -f revenue.yaml
step apply -f revenue.yaml --dry-run
step get products --domain finance

# What the same apply publishes counts: sales/orders 2.0.0 and sales/refunds come with their readers.
step apply -f together --dry-run
step apply -f together -f orders-2.yaml
step apply -f revenue-fixed.yaml

# Resolving only to deprecated versions is a warning, here and in describe.
step deprecate sales/orders@2.0.0 --sunset 2099-02-28 --reason "3.0.0 splits the table"
step apply -f revenue-fixed.yaml
step -o json apply -f revenue-fixed.yaml --dry-run
step describe finance/revenue

# A subscription's constraint must meet a published version.
step subscribe sales/orders --consumer dashboard --team bi --version ^3
step -o json subscribe sales/orders --consumer dashboard --team bi --version ^3
step subscribe sales/orders --consumer dashboard --team bi --version ^2
