# meshctl version: its version, the build's commit and date, and the libraries, as
# text and JSON (the values vary by build: their shape is what is checked).
meshctl version | sed -E 's/^(commit: +).*/\1<commit>/; s/^(built: +)[0-9]{4}-[0-9]{2}-[0-9]{2}$/\1<date>/; s/ [0-9][0-9A-Za-z.+~-]*(,|$)/ <v>\1/g'
echo "[exit $?]"
meshctl version -o json | python3 -c '
import json, sys
v = json.load(sys.stdin)
print(sorted(v), v["version"])
print("libraries:", sorted(v["libraries"]))
print("networkModuleLibraries:", sorted(v["networkModuleLibraries"]))
print("every version given:", all(x and x != "unknown" for x in list(v["libraries"].values()) + list(v["networkModuleLibraries"].values())))'
