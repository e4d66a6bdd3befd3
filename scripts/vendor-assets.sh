#!/usr/bin/env bash
# Vendor Duban's front-end assets into duban/static/vendor/.
#
# Duban runs on an offline intranet: no CDN, nothing is fetched at run time.
# This script is the ONLY way files under duban/static/vendor/<pkg>/ should
# change. It downloads exact, pinned versions with `npm pack` (npm registry
# only), checks each tarball against a pinned sha512 integrity, copies just
# the dist files we serve plus licence files, and rewrites CSS so that it
# never points outside the vendor directory.
#
# Usage (from anywhere; paths are resolved from the repo root):
#     scripts/vendor-assets.sh
#
# Idempotent: each duban/static/vendor/<pkg>/ is wiped and rewritten.
# duban/static/vendor/README.md is maintained by hand and is not touched.
#
# To upgrade a package: change its *_VERSION and *_INTEGRITY below
# (npm view <pkg>@<version> dist.integrity), re-run, check the pages,
# and update duban/static/vendor/README.md.
set -euo pipefail

# --- pinned versions ---------------------------------------------------------
TABLER_VERSION="1.6.1"
TABLER_INTEGRITY="sha512-lgmR9gcxRp5JlLxcmRi9Rz85JrEvH6Bz71KnlcPVSa97wtwQNjgSs3g3fxwbAlulHyRMghhIV04QUuW3pqDsIg=="

TABLER_ICONS_VERSION="3.49.0"
TABLER_ICONS_INTEGRITY="sha512-kWgnmEzo17dzQyMqRmlfj+TiGV0clLMYfUtKp2WG7M+TH5418o6fsoaSlrOTK3lwESg0xS7jVfOozYrR02Ryxw=="

# htmx: stay on 2.0.x (4.x is a different major with breaking changes).
HTMX_VERSION="2.0.11"
HTMX_INTEGRITY="sha512-Thx/WtpeOQqSrqBCw/A1cwGJGg4UrVa3+sW0GmrM3p4gJgO89ecH4qtbnyzDDWFvBTqjnIMCgELTNt636dtamA=="

ECHARTS_VERSION="6.1.0"
ECHARTS_INTEGRITY="sha512-q0yaFPggC9FUdsWH4blavRWFmxdrIodbkoKNAjJudAI6CA9gNPxHtV2RcZNEepZVlk4yvBYkOkbk6HIVpIyHZA=="

# Source maps are copied only if at most this many bytes; otherwise they are
# skipped AND the sourceMappingURL comment is removed (so neither browser
# devtools nor Django's ManifestStaticFilesStorage look for a missing file).
MAP_MAX_BYTES=200000

# --- setup -------------------------------------------------------------------
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENDOR="$ROOT/duban/static/vendor"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/duban-vendor.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

log() { printf '==> %s\n' "$*"; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

command -v npm >/dev/null || die "npm is required"
command -v node >/dev/null || die "node is required"

# fetch <name> <version> <integrity>  -> prints the extracted package dir
fetch() {
    local name="$1" version="$2" integrity="$3"
    local dir="$WORK/$(printf '%s' "$name" | tr '/@' '__')"
    mkdir -p "$dir"
    local tgz
    tgz="$(cd "$dir" && npm pack "${name}@${version}" --silent --ignore-scripts | tail -n 1)"
    [[ -f "$dir/$tgz" ]] || die "npm pack ${name}@${version} produced no tarball"
    local actual
    actual="sha512-$(node -e 'const c=require("crypto"),fs=require("fs");process.stdout.write(c.createHash("sha512").update(fs.readFileSync(process.argv[1])).digest("base64"))' "$dir/$tgz")"
    [[ "$actual" == "$integrity" ]] || die "integrity mismatch for ${name}@${version}: got $actual"
    tar -xzf "$dir/$tgz" -C "$dir"
    local got
    got="$(node -p 'require(process.argv[1]).version' "$dir/package/package.json")"
    [[ "$got" == "$version" ]] || die "${name}: expected version $version, tarball has $got"
    printf '%s\n' "$dir/package"
}

# fresh <subdir>  -> wipe and recreate duban/static/vendor/<subdir>
fresh() {
    rm -rf "${VENDOR:?}/$1"
    mkdir -p "$VENDOR/$1"
}

# copy_with_map <src file> <dest dir>: copy a .js/.css; copy its .map if small,
# else strip the sourceMappingURL comment.
copy_with_map() {
    local src="$1" destdir="$2"
    local base; base="$(basename "$src")"
    cp "$src" "$destdir/$base"
    if grep -q 'sourceMappingURL=' "$destdir/$base"; then
        local map="$src.map"
        if [[ -f "$map" ]] && (( $(wc -c <"$map") <= MAP_MAX_BYTES )); then
            cp "$map" "$destdir/"
        else
            # /*# sourceMappingURL=... */ (CSS) and //# sourceMappingURL=... (JS)
            sed -i -E -e 's#/\*[#@] sourceMappingURL=[^*]*\*/##g' \
                      -e '/^[[:space:]]*\/\/[#@] sourceMappingURL=/d' "$destdir/$base"
            log "  skipped $(basename "$map") ($( [[ -f "$map" ]] && wc -c <"$map" || echo 0 ) bytes); removed sourceMappingURL"
        fi
    fi
}

# check_css_urls <css file>: every url(...) must be a data: URI or a relative
# path to a file that exists; no @import at all.
check_css_urls() {
    local css="$1" dir; dir="$(dirname "$css")"
    if grep -q '@import' "$css"; then
        die "$css still contains @import"
    fi
    local u bad=0
    while IFS= read -r u; do
        u="${u#url(}"; u="${u%)}"; u="${u#[\"\']}"; u="${u%[\"\']}"
        case "$u" in
            data:*) continue ;;
            http:*|https:*|//*) printf 'external url in %s: %s\n' "$css" "$u" >&2; bad=1 ;;
            *)
                u="${u%%\?*}"; u="${u%%#*}"
                if [[ ! -f "$dir/$u" ]]; then
                    printf 'missing file referenced by %s: %s\n' "$css" "$u" >&2; bad=1
                fi ;;
        esac
    done < <(grep -o 'url([^)]*)' "$css" || true)
    (( bad == 0 )) || die "URL check failed for $css"
}

mkdir -p "$VENDOR"

# --- @tabler/core -> vendor/tabler -------------------------------------------
log "@tabler/core@$TABLER_VERSION"
pkg="$(fetch @tabler/core "$TABLER_VERSION" "$TABLER_INTEGRITY")"
fresh tabler
copy_with_map "$pkg/dist/css/tabler.min.css" "$VENDOR/tabler"
copy_with_map "$pkg/dist/js/tabler.min.js"   "$VENDOR/tabler"
# Strip any external font/stylesheet pulls (Google Fonts, rsms.me/inter, ...).
# tabler 1.6.1 has none (fonts are system stacks), so this is a safety net for
# future upgrades.
sed -i -E \
    -e 's#@import[[:space:]]+url\([^)]*\)[^;]*;##g' \
    -e 's#@import[[:space:]]+["'"'"'][^"'"'"']*["'"'"'][^;]*;##g' \
    "$VENDOR/tabler/tabler.min.css"
check_css_urls "$VENDOR/tabler/tabler.min.css"
# The npm tarball of @tabler/core ships no LICENSE file (package.json says
# "MIT"). Write the upstream MIT text; copyright line as in the dist banner.
if [[ -f "$pkg/LICENSE" ]]; then
    cp "$pkg/LICENSE" "$VENDOR/tabler/LICENSE"
else
    cat >"$VENDOR/tabler/LICENSE" <<'EOF'
The MIT License (MIT)

Copyright (c) 2018-2026 The Tabler Authors

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in
all copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN
THE SOFTWARE.

---
Note (Duban): the @tabler/core npm tarball contains no LICENSE file; this is
the MIT text of https://github.com/tabler/tabler/blob/main/LICENSE, as
declared by package.json "license": "MIT". tabler.min.js / tabler.min.css
also bundle code from Bootstrap 5.3.x (MIT) and Popper 2.x (MIT).
EOF
fi

# --- @tabler/icons-webfont -> vendor/tabler-icons ----------------------------
log "@tabler/icons-webfont@$TABLER_ICONS_VERSION"
pkg="$(fetch @tabler/icons-webfont "$TABLER_ICONS_VERSION" "$TABLER_ICONS_INTEGRITY")"
fresh tabler-icons
mkdir -p "$VENDOR/tabler-icons/fonts"
copy_with_map "$pkg/dist/tabler-icons.min.css" "$VENDOR/tabler-icons"
cp "$pkg/dist/fonts/tabler-icons.woff2" "$VENDOR/tabler-icons/fonts/"
cp "$pkg/LICENSE" "$VENDOR/tabler-icons/LICENSE"
# Make @font-face reference only the woff2 (woff/ttf are not vendored).
sed -i -E \
    's#src:[[:space:]]*url\(["'"'"']?([^"'"'"')]*tabler-icons\.woff2[^"'"'"')]*)["'"'"']?\)[[:space:]]*format\(["'"'"']woff2["'"'"']\)[^;}]*#src:url("\1") format("woff2")#' \
    "$VENDOR/tabler-icons/tabler-icons.min.css"
if grep -Eq 'tabler-icons\.(woff|ttf|eot|svg)([?#"'"'"')])' "$VENDOR/tabler-icons/tabler-icons.min.css"; then
    die "tabler-icons.min.css still references non-woff2 fonts"
fi
grep -q 'tabler-icons\.woff2' "$VENDOR/tabler-icons/tabler-icons.min.css" \
    || die "tabler-icons.min.css lost its woff2 reference"
check_css_urls "$VENDOR/tabler-icons/tabler-icons.min.css"

# --- htmx.org -> vendor/htmx -------------------------------------------------
log "htmx.org@$HTMX_VERSION"
pkg="$(fetch htmx.org "$HTMX_VERSION" "$HTMX_INTEGRITY")"
fresh htmx
copy_with_map "$pkg/dist/htmx.min.js" "$VENDOR/htmx"
cp "$pkg/LICENSE" "$VENDOR/htmx/LICENSE"

# --- echarts -> vendor/echarts -----------------------------------------------
log "echarts@$ECHARTS_VERSION"
pkg="$(fetch echarts "$ECHARTS_VERSION" "$ECHARTS_INTEGRITY")"
fresh echarts
copy_with_map "$pkg/dist/echarts.min.js" "$VENDOR/echarts"
cp "$pkg/LICENSE" "$VENDOR/echarts/LICENSE"
[[ -f "$pkg/NOTICE" ]] && cp "$pkg/NOTICE" "$VENDOR/echarts/NOTICE"
# LICENSE refers to licenses/LICENSE-d3 for embedded d3 code (BSD-3-Clause).
if [[ -d "$pkg/licenses" ]]; then
    mkdir -p "$VENDOR/echarts/licenses"
    cp "$pkg"/licenses/* "$VENDOR/echarts/licenses/"
fi

# --- summary -----------------------------------------------------------------
log "vendored files:"
(cd "$VENDOR" && find . -type f ! -name README.md -printf '%8s  %p\n' | sort -k2)
log "total: $(du -sh "$VENDOR" | cut -f1)"
