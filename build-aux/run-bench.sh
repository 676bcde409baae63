#!/bin/sh
# Runs every benchmark program built under bench/ and prints their tables,
# then, at the end, every "bench: <name> = <value> <unit>" line together.
# The fakes run their rate limits faster than real time where real rates
# would take long (each program's --time-scale); the whole run takes a few
# minutes on 2 cores.
set -eu
build="$1"; shift
found=0
lines=$(mktemp)
status=$(mktemp)
trap 'rm -f "$lines" "$status"' EXIT
for b in $(find "$build/bench" -maxdepth 2 -type f -name 'bench-*' -perm -u+x | sort); do
  found=1
  name=$(basename "$b")
  echo "== $name"
  start=$(date +%s)
  # Line-buffered, so the tables show as they are measured.
  { rc=0; stdbuf -oL "$b" "$@" || rc=$?; echo "$rc" > "$status"; } | tee -a "$lines"
  echo "== $name: $(( $(date +%s) - start )) s"
  rc=$(cat "$status")
  [ "$rc" -eq 0 ] || { echo "dev: $name failed (exit $rc)" >&2; exit "$rc"; }
done
[ $found -eq 1 ] || { echo "dev: no benchmarks are available yet in this version" >&2; exit 1; }
echo "== bench"
grep '^bench:' "$lines"
