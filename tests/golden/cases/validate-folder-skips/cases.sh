# A repository folder: only meshctl documents (manifests, glossaries, ODCS, ODPS) are checked; other YAML
# files are skipped and counted.
echo "== validate repo"
meshctl validate repo
echo "exit $?"
echo "== --exclude"
meshctl validate --exclude 'dbt/**' --exclude '**/broken.yaml' repo
echo "exit $?"
echo "== -o json"
meshctl validate -o json --exclude products/broken.yaml repo
echo "exit $?"
echo "== named explicitly, a file that is no manifest is checked"
meshctl validate repo/docker-compose.yml
echo "exit $?"
echo "== junit: skipped files are no test suites"
meshctl validate -o junit --exclude products/broken.yaml repo | grep -c '<testsuite '
