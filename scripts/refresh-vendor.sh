#!/usr/bin/env bash
# Refresh the JavaScript the site serves itself (no CDN at view time).
# Source: the npm registry package named below; bump the version here, run, commit.
set -euo pipefail
MATHJAX_VERSION="${MATHJAX_VERSION:-3.2.2}"
here="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "mathjax@${MATHJAX_VERSION}" >/dev/null && tar xzf mathjax-*.tgz)
dest="$here/docs/assets/vendor/mathjax"
mkdir -p "$dest"
# The "full" SVG component bundles every TeX extension and needs no font files,
# so nothing is loaded lazily from elsewhere and print output is crisp.
cp "$work/package/es5/tex-svg-full.js" "$work/package/LICENSE" "$dest/"
echo "mathjax@${MATHJAX_VERSION}" > "$dest/VERSION"
echo "vendored mathjax@${MATHJAX_VERSION} into $dest"
