#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright 2026 The Tandem authors
#
# validate-metainfo.sh FILE.metainfo.xml
#
# appstreamcli validate --no-net --pedantic, failing on any error or warning.
# appstreamcli itself exits 0 with warnings in some versions, so the output is
# checked too. Infos (I:) and pedantic notes (P:) are printed but allowed:
# appstream 0.16 reports the <developer> tag (AppStream 1.0) as unknown-tag
# info, and the reverse-DNS id's capital letter is a pedantic note.
set -u
out=$(appstreamcli validate --no-net --pedantic "$1" 2>&1)
rc=$?
printf '%s\n' "$out"
if [ "$rc" -ne 0 ]; then
  echo "FAIL: appstreamcli exited with $rc"
  exit 1
fi
if printf '%s\n' "$out" | grep -qE '^[EW]: '; then
  echo "FAIL: appstreamcli reported errors or warnings"
  exit 1
fi
exit 0
