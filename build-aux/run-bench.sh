#!/bin/sh
# Runs every benchmark program built under bench/ and prints their tables and
# "bench: <name> = <value> <unit>" lines.
set -eu
build="$1"; shift
found=0
for b in $(find "$build/bench" -maxdepth 2 -type f -name 'bench-*' -perm -u+x | sort); do
  found=1
  echo "== $(basename "$b")"
  "$b" "$@"
done
[ $found -eq 1 ] || { echo "dev: no benchmarks are available yet in this version" >&2; exit 1; }
