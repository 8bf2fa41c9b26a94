#!/usr/bin/env bash
# Prints calleval's package graph: one line per package under dev.calleval with the packages it imports,
# read from the compiled classes by the JDK's jdeps (no other tool needed), and the largest classes by lines.
#   scripts/package-graph.sh            # compiles if needed (./mvnw -q -o compile), then prints
#   scripts/package-graph.sh --dot      # Graphviz dot instead of lines (dot -Tsvg > graph.svg)
#   scripts/package-graph.sh CHECKOUT   # another checkout of calleval, e.g. an older commit:
#       git worktree add /tmp/calleval-old 576aaec && scripts/package-graph.sh /tmp/calleval-old
# Cycles between packages fail ArchitectureTests (./mvnw -B test -Dtest=ArchitectureTests).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
dot=false
checkout="$here"
for arg in "$@"; do
  case "$arg" in
    --dot) dot=true ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) checkout="$(cd "$arg" && pwd)" ;;
  esac
done
cd "$checkout"
classes=target/classes
if [[ ! -d target/classes/dev/calleval ]]; then
  "$here/mvnw" -B -q -o compile >&2 || "$here/mvnw" -B -q compile >&2
fi
edges=$(jdeps -q -verbose:package -filter:none "$classes" \
  | awk '$2 == "->" && $1 ~ /^dev\.calleval/ && $3 ~ /^dev\.calleval/ && $1 != $3 {
           from = $1; to = $3; sub(/^dev\.calleval\.?/, "", from); sub(/^dev\.calleval\.?/, "", to);
           if (from == "") from = "(app)"; if (to == "") to = "(app)"; print from, to }' | sort -u)
if $dot; then
  echo 'digraph calleval {'; echo '  rankdir=LR; node [shape=box, fontname="monospace"];'
  awk '{ printf "  \"%s\" -> \"%s\";\n", $1, $2 }' <<<"$edges"
  echo '}'
  exit 0
fi
echo "# packages of dev.calleval and what each imports ($(awk 'END{print NR}' <<<"$edges") edges)"
awk '{ deps[$1] = deps[$1] " " $2 } END { for (p in deps) print p " ->" deps[p] }' <<<"$edges" | sort
echo
echo "# largest main classes (lines)"
find src/main/java -name '*.java' ! -name package-info.java -print0 | xargs -0 wc -l | grep -v ' total$' \
  | sort -rn | head -12 | sed 's|src/main/java/dev/calleval/||'
