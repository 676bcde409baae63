#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright 2026 The Tandem authors
"""Validate every GtkBuilder .ui file under a directory, found at test time.

  validate-ui.py HELPER DIR|FILE...

Runs HELPER (tests/data/validate-ui, which knows the libadwaita and Tandem
types) once per file, each in a fresh process, and prints TAP. When no
display is usable it starts its own Xvfb (race-free, with -displayfd) and
stops it at the end. With no .ui file at all the test is skipped.
"""

import os
import subprocess
import sys
import tempfile
import time


def find_ui_files(dirs):
    files = []
    for top in dirs:
        if os.path.isfile(top):
            files.append(top)
            continue
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames.sort()
            for name in sorted(filenames):
                if name.endswith('.ui'):
                    files.append(os.path.join(dirpath, name))
    return files


def display_works(env):
    if not env.get('DISPLAY'):
        return False
    try:
        r = subprocess.run(['xdpyinfo'], env=env, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=10)
        return r.returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        # No xdpyinfo: trust DISPLAY.
        return True


def start_xvfb():
    """Start Xvfb on a free display it picks itself; returns (proc, display)."""
    rfd, wfd = os.pipe()
    try:
        proc = subprocess.Popen(
            ['Xvfb', '-displayfd', str(wfd), '-screen', '0', '1024x768x24',
             '-nolisten', 'tcp'],
            pass_fds=(wfd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        os.close(rfd)
        os.close(wfd)
        return None, None
    os.close(wfd)
    data = b''
    deadline = time.monotonic() + 20
    while not data.endswith(b'\n') and time.monotonic() < deadline:
        chunk = os.read(rfd, 64)
        if not chunk:
            break
        data += chunk
    os.close(rfd)
    number = data.strip().decode()
    if not number.isdigit():
        proc.kill()
        proc.wait()
        return None, None
    return proc, ':' + number


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    helper = argv[1]
    files = find_ui_files(argv[2:])
    if not files:
        print('1..0 # SKIP no .ui files under ' + ' '.join(argv[2:]))
        return 0

    env = dict(os.environ)
    env['GDK_BACKEND'] = 'x11'
    env.setdefault('GSK_RENDERER', 'cairo')
    env.setdefault('GTK_A11Y', 'none')
    xvfb = None
    if not display_works(env):
        xvfb, display = start_xvfb()
        if xvfb is None:
            print('1..0 # SKIP no display and Xvfb could not be started')
            return 0
        env['DISPLAY'] = display
        env.pop('WAYLAND_DISPLAY', None)

    failed = 0
    try:
        print('1..%d' % len(files))
        for i, path in enumerate(files, 1):
            r = subprocess.run([helper, path], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, timeout=60)
            out = r.stdout.strip()
            if r.returncode == 0:
                print('ok %d %s' % (i, path))
            else:
                failed += 1
                print('not ok %d %s (exit %d)' % (i, path, r.returncode))
            for line in out.splitlines():
                print('# ' + line)
            sys.stdout.flush()
    finally:
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait()
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
