#!/usr/bin/env bash
# Fetches the console's third-party assets into internal/console/assets/vendor,
# each from its npm package at a pinned version, with its license. The files
# are committed: nothing is fetched to build, run or test oms. Run it again
# after changing a version below, and commit what it writes.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=internal/console/assets/vendor
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# htmx (BSD Zero Clause License): https://www.npmjs.com/package/htmx.org
HTMX_VERSION=2.0.11
(cd "$tmp" && npm pack --silent "htmx.org@$HTMX_VERSION" >/dev/null && tar xzf "htmx.org-$HTMX_VERSION.tgz")
cp "$tmp/package/dist/htmx.min.js" "$dest/htmx.min.js"
cp "$tmp/package/LICENSE" "$dest/htmx.LICENSE"
sha256sum "$dest/htmx.min.js" "$dest/htmx.LICENSE"

# uPlot (MIT License): https://www.npmjs.com/package/uplot — the home page's chart
UPLOT_VERSION=1.6.32
(cd "$tmp" && rm -rf package && npm pack --silent "uplot@$UPLOT_VERSION" >/dev/null && tar xzf "uplot-$UPLOT_VERSION.tgz")
cp "$tmp/package/dist/uPlot.iife.min.js" "$dest/uPlot.iife.min.js"
cp "$tmp/package/dist/uPlot.min.css" "$dest/uPlot.min.css"
cp "$tmp/package/LICENSE" "$dest/uPlot.LICENSE"
sha256sum "$dest/uPlot.iife.min.js" "$dest/uPlot.min.css" "$dest/uPlot.LICENSE"
