#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright 2026 The Tandem authors
"""Every GtkBuilder .ui file under SRCDIR is bundled in a GResource.

  check-ui-in-gresource.py SRCDIR

A .ui file that is not listed in any *.gresource.xml under SRCDIR (relative
to that .gresource.xml's directory, or as the tail of its path when the
resources are compiled with another source_dir) is never loaded by the
application: templates fail at run time with "Unable to load resource".
(Whether listed files exist is checked by glib-compile-resources at build
time.) Prints TAP.
"""

import os
import sys
import xml.etree.ElementTree as ET


def main(argv):
    src = os.path.abspath(argv[1])
    listed = set()
    tails = set()
    problems = []
    for dirpath, dirnames, filenames in os.walk(src):
        for name in filenames:
            if not name.endswith('.gresource.xml'):
                continue
            path = os.path.join(dirpath, name)
            try:
                root = ET.parse(path).getroot()
            except ET.ParseError as e:
                problems.append('%s is not valid XML: %s' % (os.path.relpath(path, src), e))
                continue
            for f in root.iter('file'):
                text = (f.text or '').strip()
                listed.add(os.path.normpath(os.path.join(dirpath, text)))
                tails.add('/' + os.path.normpath(text))

    ui_files = []
    for dirpath, dirnames, filenames in os.walk(src):
        dirnames.sort()
        for name in sorted(filenames):
            if name.endswith('.ui'):
                ui_files.append(os.path.join(dirpath, name))

    n = 0
    failed = 0
    for path in ui_files:
        n += 1
        if path in listed or any(path.endswith(t) for t in tails):
            print('ok %d %s is in a GResource' % (n, os.path.relpath(path, src)))
        else:
            failed += 1
            print('not ok %d %s is not listed in any .gresource.xml' % (n, os.path.relpath(path, src)))
    for p in problems:
        n += 1
        failed += 1
        print('not ok %d %s' % (n, p))
    if n == 0:
        print('1..0 # SKIP no .ui files')
        return 0
    print('1..%d' % n)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
