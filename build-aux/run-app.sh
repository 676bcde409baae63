#!/bin/sh
# Starts the uninstalled app from a build directory with its compiled schemas.
# With nothing configured it starts the demo: the sandbox (fake webshop and
# fake Shopify with Norwegian sample data on loopback) and Tandem connected
# to it, under a separate settings file and state folder so a real
# configuration and the real keyring are never touched.
set -eu
build="$1"; shift
export GSETTINGS_SCHEMA_DIR="$build/data${GSETTINGS_SCHEMA_DIR:+:$GSETTINGS_SCHEMA_DIR}"
schema=io.github.tandemsync.Tandem

configured() {
  url=$(gsettings get $schema webshop-url 2>/dev/null || echo "''")
  shop=$(gsettings get $schema shopify-shop 2>/dev/null || echo "''")
  [ "$url" != "''" ] || [ "$shop" != "''" ]
}

sandbox="$build/tests/fakes/sandbox/tandem-sandbox"
if [ "${TANDEM_NO_DEMO:-0}" = 1 ] || configured || [ ! -x "$sandbox" ]; then
  exec "$build/src/tandem" "$@"
fi

demo="$build/demo"
rm -rf "$demo/state" "$demo/info.json"
mkdir -p "$demo/config" "$demo/state"
"$sandbox" --info-file "$demo/info.json" >"$demo/sandbox.log" 2>&1 &
sandbox_pid=$!
trap 'kill $sandbox_pid 2>/dev/null || true' EXIT INT TERM
i=0
while [ ! -s "$demo/info.json" ]; do
  i=$((i + 1))
  if [ $i -gt 100 ] || ! kill -0 $sandbox_pid 2>/dev/null; then
    echo "dev: the demo sandbox did not start; see $demo/sandbox.log" >&2
    exit 1
  fi
  sleep 0.1
done

info() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$demo/info.json" "$1"; }

export XDG_CONFIG_HOME="$demo/config"
export GSETTINGS_BACKEND=keyfile
export TANDEM_STATE_DIR="$demo/state"
export TANDEM_CONFIG_DIR="$demo/config/tandem"
export TANDEM_DEMO=1
export TANDEM_DEMO_WEBSHOP_SECRET="$(info webshop_token)"
export TANDEM_DEMO_SHOPIFY_SECRET="$(info shopify_client_secret)"
gsettings set $schema webshop-url "$(info webshop_url)"
gsettings set $schema webshop-auth bearer
gsettings set $schema shopify-shop "$(info shopify_url)"
gsettings set $schema shopify-auth client-credentials
gsettings set $schema shopify-client-id "$(info shopify_client_id)"

echo "dev: demo mode — Tandem runs on local sample data (sandbox log: $demo/sandbox.log)" >&2
"$build/src/tandem" "$@"
