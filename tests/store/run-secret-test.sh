#!/bin/sh
# Runs a test in a throw-away session bus with its own gnome-keyring and a
# fresh HOME (docs/testing.md, "Keyring tests"). The unlock password must be
# non-empty.
set -eu
HOME="$(mktemp -d "${TMPDIR:-/tmp}/keyring-test.XXXXXX")"
export HOME XDG_DATA_HOME="$HOME/.local/share" XDG_CONFIG_HOME="$HOME/.config" XDG_RUNTIME_DIR="$HOME/run"
mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
trap 'rm -rf "$HOME"' EXIT INT TERM          # don't `exec dbus-run-session`: that skips the trap and leaks the dir
dbus-run-session -- sh -c '
  eval "$(printf %s ci-password | gnome-keyring-daemon --unlock --components=secrets)"
  export GNOME_KEYRING_CONTROL
  "$@"' sh "$@"
