#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright 2026 The Tandem authors
"""Run a checker on a broken fixture and require that it rejects it for
the right reasons.

  expect-failure.py [--expect TEXT]... -- COMMAND [ARG]...

Passes only when COMMAND exits non-zero (but not from a signal or with
status 77, which means skipped) and its output contains every TEXT. This
keeps the validators honest: each one is shown to fail on a bad input.
"""

import subprocess
import sys


def main(argv):
    expects = []
    i = 1
    while i < len(argv) and argv[i] != '--':
        if argv[i] == '--expect' and i + 1 < len(argv):
            expects.append(argv[i + 1])
            i += 2
        else:
            print(__doc__.strip(), file=sys.stderr)
            return 2
    cmd = argv[i + 1:]
    if not cmd:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    print(r.stdout)
    if r.returncode == 0:
        print('FAIL: %s accepted a broken input' % cmd[0])
        return 1
    if r.returncode < 0 or r.returncode == 77:
        print('FAIL: %s did not run to a verdict (exit %d)' % (cmd[0], r.returncode))
        return 1
    missing = [t for t in expects if t not in r.stdout]
    for t in missing:
        print('FAIL: expected the output to mention: %s' % t)
    if missing:
        return 1
    print('PASS: rejected (exit %d) for the expected reasons' % r.returncode)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
