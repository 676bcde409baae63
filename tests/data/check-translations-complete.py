#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright 2026 The Tandem authors
"""Every language in po/LINGUAS translates every string in the current tree.

  check-translations-complete.py SRCROOT

Extracts the strings from the files in po/POTFILES.in with the same xgettext
options meson's i18n 'glib' preset uses, merges each .po with that template
in a temporary directory (po/ is not touched) and fails when any message is
untranslated or fuzzy, printing the msgids that need work.
"""

import os
import re
import subprocess
import sys
import tempfile

XGETTEXT_ARGS = [
    '--from-code=UTF-8', '--add-comments', '--package-name=tandem',
    '--keyword=_', '--keyword=N_', '--keyword=C_:1c,2', '--keyword=NC_:1c,2',
    '--keyword=g_dcgettext:2', '--keyword=g_dngettext:2,3',
    '--keyword=g_dpgettext2:2c,3',
    '--flag=N_:1:pass-c-format', '--flag=C_:2:pass-c-format',
    '--flag=NC_:2:pass-c-format', '--flag=g_dngettext:2:pass-c-format',
    '--flag=g_strdup_printf:1:c-format', '--flag=g_string_printf:2:c-format',
    '--flag=g_string_append_printf:2:c-format', '--flag=g_error_new:3:c-format',
    '--flag=g_set_error:4:c-format', '--flag=g_markup_printf_escaped:1:c-format',
    '--flag=g_log:3:c-format', '--flag=g_print:1:c-format',
    '--flag=g_printerr:1:c-format', '--flag=g_printf:1:c-format',
    '--flag=g_fprintf:2:c-format', '--flag=g_sprintf:2:c-format',
    '--flag=g_snprintf:3:c-format',
]


def main(argv):
    root = argv[1]
    podir = os.path.join(root, 'po')
    with open(os.path.join(podir, 'LINGUAS'), encoding='utf-8') as f:
        langs = [w for line in f if not line.startswith('#') for w in line.split()]
    with tempfile.TemporaryDirectory() as tmp:
        pot = os.path.join(tmp, 'tandem.pot')
        r = subprocess.run(['xgettext', '--directory=' + root,
                            '--files-from=' + os.path.join(podir, 'POTFILES.in'),
                            '--output=' + pot] + XGETTEXT_ARGS,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if r.returncode != 0:
            print(r.stdout)
            print('FAIL: xgettext could not extract the strings (see above)')
            return 1
        status = 0
        for lang in langs:
            merged = os.path.join(tmp, lang + '.po')
            r = subprocess.run(['msgmerge', '--quiet', '--no-wrap', '--output-file=' + merged,
                                os.path.join(podir, lang + '.po'), pot],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            if r.returncode != 0:
                print(r.stdout)
                print('FAIL: msgmerge failed for %s.po' % lang)
                status = 1
                continue
            stats = subprocess.run(['msgfmt', '--statistics', '-o', os.devnull, merged],
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   text=True).stdout.strip()
            print('%s: %s' % (lang, stats))
            missing = subprocess.run(['msgattrib', '--no-wrap', '--only-fuzzy', merged],
                                  stdout=subprocess.PIPE, text=True).stdout
            missing += subprocess.run(['msgattrib', '--no-wrap', '--untranslated', merged],
                                   stdout=subprocess.PIPE, text=True).stdout
            # Each entry's msgid, joined from its continuation lines; the
            # header (empty msgid) is not a message.
            ids = []
            for block in re.findall(r'^msgid ((?:".*"\n)+)', missing, re.M):
                text = ''.join(re.findall(r'"(.*)"', block))
                if text:
                    ids.append(text)
            if ids or 'untranslated' in stats or 'fuzzy' in stats:
                status = 1
                for msgid in ids:
                    print('  needs translation in %s.po: "%s"' % (lang, msgid))
                print('FAIL: %s.po does not translate every string; run the tandem-update-po target and translate them'
                      % lang)
    return status


if __name__ == '__main__':
    sys.exit(main(sys.argv))
