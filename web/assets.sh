#!/usr/bin/env bash
# Rebuilds Haven's vendored front-end assets in web/static from npm.
#
# Versions are pinned in web/package.json and web/package-lock.json; npm runs
# in a throwaway directory so node_modules never lands in the repository.
# Run from anywhere: `bash web/assets.sh` (the Makefile's `make assets`).
#
# What it writes:
#   web/static/haven.css                GOV.UK Frontend + web/styles/haven.scss,
#                                       system fonts, minified
#   web/static/govuk-frontend.min.js    GOV.UK Frontend's ES module bundle
#
# What it deliberately does not copy: GOV.UK Frontend's fonts (GDS Transport)
# and images (crown, crest, GOV.UK favicons). They are reserved for GOV.UK
# services. Haven's own favicon lives in web/static/assets/images and is kept
# in the repository as source.
set -euo pipefail

web_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
static_dir="$web_dir/static"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cp "$web_dir/package.json" "$web_dir/package-lock.json" "$work/"
# --ignore-scripts: sass's optional file watcher wants a native build step we
# never use; nothing else needs install scripts.
(cd "$work" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)

frontend="$work/node_modules/govuk-frontend"
version=$(node -p "require('$frontend/package.json').version")

# --quiet-deps hides GOV.UK Frontend's own Sass deprecation warnings (it still
# uses @import); warnings about Haven's stylesheet are still shown.
"$work/node_modules/.bin/sass" \
  --load-path="$work/node_modules" \
  --style=compressed \
  --no-source-map \
  --quiet-deps \
  "$web_dir/styles/haven.scss" "$static_dir/haven.css"

# Copied verbatim. Its trailing sourceMappingURL names a map we don't ship;
# only open developer tools ever ask for it.
cp "$frontend/dist/govuk/govuk-frontend.min.js" "$static_dir/govuk-frontend.min.js"

# Guard the licensing rules above: fail rather than ship the GOV.UK typeface.
if grep -q 'GDS Transport' "$static_dir/haven.css"; then
  echo "assets.sh: haven.css still mentions GDS Transport" >&2
  exit 1
fi
if grep -q '@font-face' "$static_dir/haven.css"; then
  echo "assets.sh: haven.css declares a web font" >&2
  exit 1
fi

echo "assets.sh: built with govuk-frontend $version"
