#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright 2026 The Tandem authors
"""Check the application icons.

  check-icons.py ICONDIR BASE_APP_ID

ICONDIR is data/icons. The scalable icons (stable and .Devel) are
well-formed SVG on a 128×128 canvas; the symbolic icon is a 16×16 SVG that
GTK can recolour: shapes are filled with one colour and there are no
strokes, gradients, masks, clip paths or embedded images (GTK recolours
symbolic icons by replacing fills, so anything else would render wrong).
Prints TAP.
"""

import os
import re
import sys
import xml.etree.ElementTree as ET

SVG = '{http://www.w3.org/2000/svg}'


def main(argv):
    icondir, app_id = argv[1], argv[2]
    n = failed = 0

    def check(ok, what, detail=''):
        nonlocal n, failed
        n += 1
        print(('ok %d %s' if ok else 'not ok %d %s') % (n, what))
        if not ok:
            failed += 1
            if detail:
                print('# ' + detail)

    for name in (app_id + '.svg', app_id + '.Devel.svg'):
        path = os.path.join(icondir, 'hicolor', 'scalable', 'apps', name)
        try:
            root = ET.parse(path).getroot()
        except (OSError, ET.ParseError) as e:
            check(False, '%s is well-formed SVG' % name, str(e))
            continue
        check(root.tag == SVG + 'svg', '%s is well-formed SVG' % name)
        check(root.get('viewBox') == '0 0 128 128', '%s has a 128x128 canvas' % name,
              'viewBox is %r' % root.get('viewBox'))

    name = app_id + '-symbolic.svg'
    path = os.path.join(icondir, 'hicolor', 'symbolic', 'apps', name)
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as e:
        check(False, '%s is well-formed SVG' % name, str(e))
        print('1..%d' % n)
        return 1
    check(root.tag == SVG + 'svg', '%s is well-formed SVG' % name)
    check(root.get('viewBox') == '0 0 16 16' and root.get('width') == '16'
          and root.get('height') == '16', '%s is 16x16' % name)
    forbidden = {'linearGradient', 'radialGradient', 'mask', 'clipPath', 'image',
                 'pattern', 'filter', 'text'}
    found = sorted({el.tag.replace(SVG, '') for el in root.iter()} & forbidden)
    check(not found, '%s has no gradients, masks, clips, images or text' % name,
          'found: %s' % ', '.join(found))
    strokes = [el.tag for el in root.iter()
               if el.get('stroke') not in (None, 'none') or 'stroke:' in (el.get('style') or '')]
    check(not strokes, '%s uses fills only, no strokes' % name)
    fills = {el.get('fill') for el in root.iter() if el.get('fill') not in (None, 'none')}
    check(len(fills) <= 1, '%s is monochrome' % name, 'fills: %s' % sorted(fills))
    shapes = [el for el in root.iter() if el.tag in (SVG + 'path', SVG + 'rect', SVG + 'circle')]
    check(len(shapes) > 0, '%s draws something' % name)

    print('1..%d' % n)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
