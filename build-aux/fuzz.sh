#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright 2026 The Tandem authors
#
# Runs Tandem's libFuzzer fuzzers (tests/fuzz/) for a bounded time each.
#   build-aux/fuzz.sh <build-dir> [seconds] [fuzzer...]
# <build-dir> is configured if missing: clang, ASan + UBSan, the libraries
# instrumented for coverage (-fsanitize=fuzzer-no-link). Each fuzzer (default:
# all) runs for [seconds] (default 60) from its seed corpus in
# tests/fuzz/corpus/<name>/; new corpus entries and crash artifacts go to a
# scratch directory (FUZZ_WORK_DIR, default <build-dir>/fuzz-work), never into
# the source tree. Prints, per fuzzer, executions per second and the corpus
# size; exits 1 when a fuzzer crashed (the artifact path is printed: minimize
# it with `<fuzzer> -minimize_crash=1 -runs=10000 <artifact>` and add it to
# tests/fuzz/corpus/<name>/ as crash-<what> with the fix).
set -eu

usage() { echo "usage: $0 <build-dir> [seconds] [fuzzer...]" >&2; exit 2; }
[ $# -ge 1 ] || usage
build="$1"; shift
seconds=60
if [ $# -gt 0 ]; then
  case "$1" in
    ''|*[!0-9]*) ;;
    *) seconds="$1"; shift ;;
  esac
fi

top=$(cd "$(dirname "$0")/.." && pwd)
all="shopify-json webshop-json profile mapping normalize planner"
names="${*:-$all}"
for n in $names; do
  case " $all " in *" $n "*) ;; *) echo "fuzz: unknown fuzzer '$n' (known: $all)" >&2; exit 2 ;; esac
done

if [ ! -f "$build/build.ninja" ]; then
  CC="${FUZZ_CC:-clang}" meson setup "$build" "$top" \
    --buildtype=debugoptimized \
    -Db_sanitize=address,undefined -Db_lundef=false \
    -Dc_args=-fsanitize=fuzzer-no-link
fi
if ! grep -q 'fsanitize=fuzzer-no-link' "$build/build.ninja"; then
  echo "fuzz: $build is not a fuzzing build (clang, -Dc_args=-fsanitize=fuzzer-no-link)" >&2
  exit 2
fi

targets=""
for n in $names; do targets="$targets tests/fuzz/fuzz-$n"; done
# shellcheck disable=SC2086
ninja -C "$build" $targets

work="${FUZZ_WORK_DIR:-$build/fuzz-work}"
mkdir -p "$work"
case "$work" in /*) ;; *) work="$(pwd)/$work" ;; esac

# Reported issues that are still open can be stepped over to look for
# others: TDM_FUZZ_SKIP="several-values,review-not-stable" (tests/fuzz/
# fuzz-common.h). Unset by default.
# UBSan reports are failures; leaks are checked with the suite's
# third-party suppressions; criticals abort inside the targets.
export UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
export ASAN_OPTIONS="abort_on_error=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export LSAN_OPTIONS="suppressions=$top/tests/lsan.supp:print_suppressions=0"
export GSETTINGS_BACKEND=memory
# GLib 2.74's slice allocator keeps freed blocks: leaks would be invisible to
# LeakSanitizer and every run would look like a leak to libFuzzer (slow).
export G_SLICE=always-malloc

failed=""
summary=""
for n in $names; do
  exe="$build/tests/fuzz/fuzz-$n"
  corpus="$work/corpus/$n"
  artifacts="$work/artifacts/$n"
  log="$work/fuzz-$n.log"
  mkdir -p "$corpus" "$artifacts"
  echo "fuzz: fuzz-$n for ${seconds}s (log $log)" >&2
  rc=0
  "$exe" -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" "$corpus" "$top/tests/fuzz/corpus/$n" >"$log" 2>&1 || rc=$?
  execs=$(LC_ALL=C sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  units=$(LC_ALL=C sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  last=$(LC_ALL=C grep -a -E '^#[0-9]+' "$log" | tail -1 || true)
  cov=$(echo "$last" | LC_ALL=C sed -n 's/.*cov: \([0-9]*\).*/\1/p')
  corp=$(echo "$last" | LC_ALL=C sed -n 's/.*corp: \([0-9]*\/[0-9a-zA-Z]*\).*/\1/p')
  line="fuzz-$n: ${execs:-?} execs/s, ${units:-?} runs, corpus ${corp:-?} (entries/bytes), cov ${cov:-?}"
  if [ "$rc" -ne 0 ]; then
    artifact=$(LC_ALL=C sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
    line="$line, FAILED (exit $rc): ${artifact:-see $log}"
    failed="$failed $n"
  fi
  echo "$line"
  summary="$summary$line
"
done

printf '\n%s' "$summary"
if [ -n "$failed" ]; then
  echo "fuzz: crashes in:$failed (inputs and logs under $work)" >&2
  exit 1
fi
echo "fuzz: no crash; new corpus entries in $work/corpus"
