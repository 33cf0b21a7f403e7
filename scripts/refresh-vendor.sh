#!/usr/bin/env bash
# Refresh the JavaScript the site serves itself (no CDN at view time).
# Source: the npm registry package named below; bump the version here, run, commit.
set -euo pipefail
MATHJAX_VERSION="${MATHJAX_VERSION:-3.2.2}"
REVEAL_VERSION="${REVEAL_VERSION:-6.0.2}"
here="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "mathjax@${MATHJAX_VERSION}" >/dev/null && tar xzf mathjax-*.tgz)
dest="$here/docs/assets/vendor/mathjax"
# The "full" SVG component bundles every TeX extension and needs no font files,
# so nothing is loaded lazily from elsewhere and print output is crisp.
# The same file twice: the site's pages load docs/'s copy, the lecture decks the package's (a
# course that installs only the plugin has decks with math, whatever its own MathJax setup).
for dest in "$dest" "$here/plugins/coursebook/assets/vendor/mathjax"; do
  mkdir -p "$dest"
  cp "$work/package/es5/tex-svg-full.js" "$work/package/LICENSE" "$dest/"
  echo "mathjax@${MATHJAX_VERSION}" > "$dest/VERSION"
  echo "vendored mathjax@${MATHJAX_VERSION} into $dest"
done

# reveal.js for the lecture decks: shipped inside the coursebook package, copied to the site by
# the plugin. Only the UMD build, its layout CSS (the decks bring their own theme) and the
# speaker-notes plugin; not the math plugin, which loads MathJax from a CDN.
(cd "$work" && rm -rf package && npm pack --silent "reveal.js@${REVEAL_VERSION}" >/dev/null \
  && tar xzf reveal.js-*.tgz)
dest="$here/plugins/coursebook/assets/vendor/reveal"
mkdir -p "$dest"
cp "$work/package/dist/reveal.js" "$work/package/dist/reveal.css" \
  "$work/package/dist/plugin/notes.js" "$work/package/LICENSE" "$dest/"
echo "reveal.js@${REVEAL_VERSION}" > "$dest/VERSION"
echo "vendored reveal.js@${REVEAL_VERSION} into $dest"
