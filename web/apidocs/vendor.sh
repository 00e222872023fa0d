#!/usr/bin/env bash
# Refreshes the Swagger UI files served at /api/docs from the version pinned
# in package-lock.json. The copies are committed and embedded in the binary,
# so building Liaison needs only Go and the docs load nothing from a CDN;
# run this after changing package.json.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --ignore-scripts --no-audit --no-fund
src=node_modules/swagger-ui-dist
dest=../../internal/api/docs/vendor
mkdir -p "$dest"
cp "$src/swagger-ui-bundle.js" "$src/swagger-ui.css" "$dest/"
cp "$src/LICENSE" "$dest/swagger-ui.LICENSE"
cp "$src/NOTICE" "$dest/swagger-ui.NOTICE"
cp "$src/swagger-ui-bundle.js.LICENSE.txt" "$dest/swagger-ui-bundle.js.LICENSE.txt"
v=$(node -p 'require("./node_modules/swagger-ui-dist/package.json").version')
echo "swagger-ui-dist $v" > "$dest/VERSIONS"
rm -rf node_modules
echo "vendored swagger-ui-dist $v into $dest"
