#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright 2026 The Tandem authors
"""Offline checks of a Flatpak manifest against the meson build.

  check-flatpak-manifest.py MANIFEST BASE_APP_ID BUILD_DIR

The GNOME runtime cannot be downloaded here, so the manifest cannot be
built; this checks everything that can be checked without it:
  - strict JSON; id equals the meson application id (BASE_APP_ID, plus
    .Devel when the manifest configures -Dprofile=development);
  - command names an executable the build installs into bin/;
  - runtime org.gnome.Platform with a pinned numeric stable version (not
    master/nightly), sdk org.gnome.Sdk;
  - finish-args exactly the reviewed set (no direct keyring access: inside
    the sandbox libsecret uses the Secret portal);
  - every module has a name, a known buildsystem and sane sources (a dir or
    file path exists, an archive has url + sha256, a git source has url +
    tag/commit/branch);
  - when the build dir has the same profile as the manifest, the desktop
    file, metainfo and icons it installs carry the manifest's id;
  - `G_DEBUG=fatal-warnings flatpak-builder --show-manifest` accepts it
    (unknown properties are fatal), with HOME and FLATPAK_USER_DIR in a
    temporary directory; skipped with a reason when flatpak-builder is absent.
Prints TAP.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

REVIEWED_FINISH_ARGS = [
    '--share=network',
    '--share=ipc',
    '--socket=wayland',
    '--socket=fallback-x11',
    '--device=dri',
]
KNOWN_BUILDSYSTEMS = {'autotools', 'cmake', 'cmake-ninja', 'meson', 'simple', 'qmake'}
KNOWN_SOURCE_TYPES = {'archive', 'git', 'bzr', 'svn', 'dir', 'file', 'script',
                      'shell', 'patch', 'extra-data', 'inline'}


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def check(self, ok, what, detail=None):
        self.n += 1
        if ok:
            print('ok %d %s' % (self.n, what))
        else:
            self.failed += 1
            print('not ok %d %s' % (self.n, what))
            if detail:
                for line in str(detail).splitlines():
                    print('# ' + line)
        return ok

    def skip(self, what, reason):
        self.n += 1
        print('ok %d %s # SKIP %s' % (self.n, what, reason))


def profile_of(module):
    for opt in module.get('config-opts', []):
        m = re.fullmatch(r'-Dprofile=(\S+)', opt)
        if m:
            return m.group(1)
    return 'default'


def check_sources(tap, module, manifest_dir):
    name = module.get('name', '?')
    sources = module.get('sources')
    if not tap.check(isinstance(sources, list) and len(sources) > 0,
                     'module %s has sources' % name):
        return
    for i, src in enumerate(sources):
        if isinstance(src, str):
            # A path to a JSON file with more sources.
            tap.check(os.path.exists(os.path.join(manifest_dir, src)),
                      'module %s source %d file %s exists' % (name, i, src))
            continue
        kind = src.get('type')
        tap.check(kind in KNOWN_SOURCE_TYPES,
                  'module %s source %d has a known type (%s)' % (name, i, kind))
        if kind in ('dir', 'file', 'patch') and 'path' in src:
            path = os.path.normpath(os.path.join(manifest_dir, src['path']))
            exists = os.path.isdir(path) if kind == 'dir' else os.path.isfile(path)
            tap.check(exists, 'module %s source %d %s path %s exists (%s)'
                      % (name, i, kind, src['path'], path))
            if kind == 'dir':
                tap.check(os.path.isfile(os.path.join(path, 'meson.build'))
                          or module.get('buildsystem') != 'meson',
                          'module %s source %d dir holds a meson.build' % (name, i))
        elif kind == 'archive':
            tap.check('url' in src and 'sha256' in src,
                      'module %s source %d archive has url and sha256' % (name, i))
        elif kind == 'git':
            tap.check('url' in src and any(k in src for k in ('tag', 'commit', 'branch')),
                      'module %s source %d git has url and tag/commit/branch' % (name, i))
        elif kind in ('dir', 'file', 'patch'):
            tap.check('url' in src, 'module %s source %d %s has a path or url' % (name, i, kind))


def main(argv):
    if len(argv) != 4:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    manifest_path, base_app_id, build_dir = argv[1], argv[2], argv[3]
    manifest_dir = os.path.dirname(os.path.abspath(manifest_path))
    tap = Tap()

    try:
        with open(manifest_path, encoding='utf-8') as f:
            manifest = json.load(f)
        tap.check(isinstance(manifest, dict), 'manifest is a JSON object')
    except (OSError, ValueError) as e:
        tap.check(False, 'manifest is valid JSON', e)
        print('1..%d' % tap.n)
        return 1

    modules = manifest.get('modules', [])
    app_module = modules[-1] if modules else {}
    profile = profile_of(app_module)
    expected_id = base_app_id + ('.Devel' if profile == 'development' else '')
    app_id = manifest.get('id', manifest.get('app-id'))
    tap.check(app_id == expected_id,
              'id is the meson application id %s for profile %s' % (expected_id, profile),
              'id is %r' % app_id)
    tap.check(not ('id' in manifest and 'app-id' in manifest),
              'only one of id and app-id is set')

    tap.check(manifest.get('runtime') == 'org.gnome.Platform', 'runtime is org.gnome.Platform',
              'runtime is %r' % manifest.get('runtime'))
    version = str(manifest.get('runtime-version', ''))
    tap.check(re.fullmatch(r'[0-9]+', version) is not None,
              'runtime-version is a pinned stable version (%s)' % version,
              'runtime-version %r is not a numbered stable release (not master/nightly)'
              % version)
    tap.check(manifest.get('sdk') == 'org.gnome.Sdk', 'sdk is org.gnome.Sdk',
              'sdk is %r' % manifest.get('sdk'))

    finish_args = manifest.get('finish-args', [])
    tap.check(sorted(finish_args) == sorted(REVIEWED_FINISH_ARGS)
              and len(finish_args) == len(set(finish_args)),
              'finish-args are exactly the reviewed set',
              'expected %s\ngot      %s' % (REVIEWED_FINISH_ARGS, finish_args))
    tap.check(not any('org.freedesktop.secrets' in a for a in finish_args),
              'no direct keyring access (libsecret goes through the Secret portal)')
    tap.check(not any(a.startswith(('--filesystem=host', '--filesystem=home',
                                    '--device=all', '--socket=x11',
                                    '--socket=session-bus', '--socket=system-bus'))
                      for a in finish_args),
              'no broad filesystem, device or bus access')

    # The command is an executable the build installs into bin/.
    command = manifest.get('command')
    installed_bins = set()
    targets_json = os.path.join(build_dir, 'meson-info', 'intro-targets.json')
    try:
        with open(targets_json, encoding='utf-8') as f:
            targets = json.load(f)
        for t in targets:
            if t.get('type') == 'executable' and t.get('installed'):
                for dest in t.get('install_filename') or []:
                    if os.path.basename(os.path.dirname(dest)) == 'bin':
                        installed_bins.add(os.path.basename(dest))
        tap.check(command in installed_bins,
                  'command %r is an executable meson installs into bin/' % command,
                  'installed executables: %s' % sorted(installed_bins))
    except (OSError, ValueError) as e:
        tap.check(False, 'meson introspection data readable', e)

    # Modules.
    tap.check(isinstance(modules, list) and len(modules) > 0, 'manifest has modules')
    names = []
    for module in modules:
        if isinstance(module, str):
            tap.check(os.path.exists(os.path.join(manifest_dir, module)),
                      'module file %s exists' % module)
            continue
        name = module.get('name')
        names.append(name)
        tap.check(bool(name), 'module has a name')
        tap.check(module.get('buildsystem') in KNOWN_BUILDSYSTEMS,
                  'module %s buildsystem %r is known' % (name, module.get('buildsystem')))
        check_sources(tap, module, manifest_dir)
    tap.check(len(names) == len(set(names)), 'module names are unique')
    tap.check(app_module.get('name') == 'tandem' and app_module.get('buildsystem') == 'meson',
              'the last module builds tandem with meson')

    # Installed data files carry the manifest's id (when the build dir was
    # configured with the manifest's profile).
    installed_json = os.path.join(build_dir, 'meson-info', 'intro-installed.json')
    options_json = os.path.join(build_dir, 'meson-info', 'intro-buildoptions.json')
    try:
        with open(options_json, encoding='utf-8') as f:
            build_profile = next((o['value'] for o in json.load(f) if o['name'] == 'profile'),
                                 'default')
        with open(installed_json, encoding='utf-8') as f:
            installed = {os.path.relpath(p, '/') for p in json.load(f).values()}
        if build_profile != profile:
            tap.skip('installed files carry the id',
                     'build dir profile %s differs from the manifest profile %s'
                     % (build_profile, profile))
        else:
            for suffix in ('share/applications/%s.desktop', 'share/metainfo/%s.metainfo.xml',
                           'share/icons/hicolor/scalable/apps/%s.svg',
                           'share/icons/hicolor/symbolic/apps/%s-symbolic.svg'):
                want = suffix % app_id
                tap.check(any(p.endswith(want) for p in installed),
                          'the build installs %s' % want)
    except (OSError, ValueError, StopIteration) as e:
        tap.check(False, 'meson install data readable', e)

    # flatpak-builder's own parser, offline.
    fb = shutil.which('flatpak-builder')
    if fb is None:
        tap.skip('flatpak-builder --show-manifest', 'flatpak-builder is not installed')
    else:
        with tempfile.TemporaryDirectory() as tmp:
            env = dict(os.environ)
            env.update(HOME=tmp, FLATPAK_USER_DIR=os.path.join(tmp, 'flatpak'),
                       XDG_CACHE_HOME=os.path.join(tmp, 'cache'),
                       G_DEBUG='fatal-warnings')
            r = subprocess.run([fb, '--show-manifest', os.path.abspath(manifest_path)],
                               cwd=tmp, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, timeout=120)
            ok = r.returncode == 0
            tap.check(ok, 'G_DEBUG=fatal-warnings flatpak-builder --show-manifest accepts it',
                      'exit %d\n%s' % (r.returncode, r.stderr.strip()))
            if ok:
                try:
                    shown = json.loads(r.stdout)
                    tap.check(shown.get('id', shown.get('app-id')) == app_id,
                              'flatpak-builder reads the same id')
                except ValueError as e:
                    tap.check(False, 'flatpak-builder printed JSON', e)

    print('1..%d' % tap.n)
    return 1 if tap.failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
