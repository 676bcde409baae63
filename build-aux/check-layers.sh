#!/bin/sh
# Fails when src/core includes GTK, libadwaita, libsoup, sqlite or libsecret headers or
# a connector's (tdm-shopify*, tdm-webshop*, tdm-http*),
# or when src/ui speaks SQL or GraphQL directly.
set -eu
src="${1:-$(dirname "$0")/../src}"
stamp="${2:-}"
bad=0
if grep -rnE '#[[:space:]]*include[[:space:]]*[<"](gtk/|adwaita|libsoup/|sqlite3|libsecret/|gdk/)' "$src/core"; then
  echo "core/ must not include GTK, libsoup, sqlite or libsecret headers (see above)" >&2
  bad=1
fi
if grep -rnE '#[[:space:]]*include[[:space:]]*[<"]tdm-(shopify|webshop|http)' "$src/core"; then
  echo "core/ must not include connector headers: what a side can read and write stays with its connector (see above)" >&2
  bad=1
fi
if grep -rnE '#[[:space:]]*include[[:space:]]*[<"](sqlite3|libsoup/)' "$src/ui"; then
  echo "ui/ must not include sqlite or libsoup headers (see above)" >&2
  bad=1
fi
if grep -rnE '\b(SELECT|INSERT INTO|UPDATE [a-z_]+ SET)\b' "$src/ui" "$src/core"; then
  echo "SQL found outside storage/ (see above)" >&2
  bad=1
fi
[ $bad -eq 0 ] && [ -n "$stamp" ] && : > "$stamp"
exit $bad
