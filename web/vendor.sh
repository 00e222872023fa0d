#!/usr/bin/env bash
# Refreshes the vendored front-end files from the versions pinned in
# package-lock.json. The copies are committed, so building Liaison needs
# only Go; run this after changing package.json.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --ignore-scripts --no-audit --no-fund
dest=../internal/web/static/vendor
mkdir -p "$dest"
cp node_modules/htmx.org/dist/htmx.min.js "$dest/htmx.min.js"
cp node_modules/htmx.org/LICENSE "$dest/htmx.LICENSE"
v=$(node -p 'require("./node_modules/htmx.org/package.json").version')
echo "htmx.org $v" > "$dest/VERSIONS"
rm -rf node_modules
echo "vendored htmx.org $v into $dest"
