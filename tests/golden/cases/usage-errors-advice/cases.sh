# Unknown commands and flags at every level get the closest name, exit 2; a command
# that needs a command names them.
step() { echo "\$ meshctl $*"; meshctl "$@" 2>&1; echo "[exit $?]"; }
step describ sales/orders
step get prodcts
step get
step -o json valdate x
step vrsion
step zzzz
step validate --formt json x
step get products --domian sales
step --registyr x get products
step token creat --name x
