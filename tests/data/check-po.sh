#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright 2026 The Tandem authors
#
# check-po.sh PODIR
#
# msgfmt -c --check-format --check-accelerators=_ (one mnemonic where the
# original has one) on every .po file in PODIR (found at test time),
# and every language in LINGUAS must have its .po file and vice versa.
set -u
podir=$1
status=0
n=0
for po in "$podir"/*.po; do
  [ -e "$po" ] || continue
  n=$((n + 1))
  if msgfmt -c --check-format --check-accelerators=_ --statistics -o /dev/null "$po"; then
    echo "ok: $po"
  else
    echo "FAIL: msgfmt -c --check-format rejected $po"
    status=1
  fi
  lang=$(basename "$po" .po)
  if ! grep -qxE "[[:space:]]*$lang[[:space:]]*" "$podir/LINGUAS"; then
    echo "FAIL: $po exists but $lang is not in $podir/LINGUAS"
    status=1
  fi
done
for lang in $(grep -v '^#' "$podir/LINGUAS"); do
  if [ ! -e "$podir/$lang.po" ]; then
    echo "FAIL: $lang is in $podir/LINGUAS but $podir/$lang.po does not exist"
    status=1
  fi
done
if [ "$n" -eq 0 ]; then
  echo "FAIL: no .po file in $podir"
  status=1
fi
exit $status
