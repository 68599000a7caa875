#!/usr/bin/env bash
# Vendor Didban's front-end libraries from the npm registry into static/vendor/.
#
# Usage:
#   scripts/vendor.sh           refresh static/vendor/ from the versions pinned in
#                               static/vendor/VERSIONS (needs npm + registry access)
#   scripts/vendor.sh --check   verify static/vendor/ against static/vendor/SHA256SUMS
#                               (offline; needs no Node)
#
# static/vendor/VERSIONS is the single source of truth: one `name==version` line per
# npm package, exact versions only. The vendored files are committed, so a checkout
# works without Node and without network. See docs/decisions/0001-vendored-frontend.md.
#
# Layout written (paths relative to static/vendor/; each dir also gets the package's
# LICENSE):
#   htmx/htmx.min.js
#   bootstrap/css/bootstrap.rtl.min.css
#   bootstrap/css/bootstrap.min.css
#   bootstrap/js/bootstrap.bundle.min.js
#   bootstrap-icons/bootstrap-icons.min.css
#   bootstrap-icons/fonts/bootstrap-icons.woff2        (css refers to fonts/…)
#   vazirmatn/Vazirmatn-font-face.css                  (the variable-font css)
#   vazirmatn/fonts/webfonts/Vazirmatn-Variable.woff2  (upstream: Vazirmatn[wght].woff2)
#   vazirmatn/fonts/ttf/Vazirmatn-Regular.ttf          (static TTFs, for WeasyPrint PDFs)
#   vazirmatn/fonts/ttf/Vazirmatn-Bold.ttf
#   vazirmatn/LICENSE (OFL.txt), vazirmatn/AUTHORS.txt
#   leaflet/leaflet.js, leaflet/leaflet.css, leaflet/images/*.png
#   chartjs/chart.umd.min.js
#   swagger-ui/swagger-ui-bundle.js, swagger-ui/swagger-ui-standalone-preset.js,
#   swagger-ui/swagger-ui.css, swagger-ui/favicon-16x16.png, swagger-ui/favicon-32x32.png
#   (+ swagger-ui/NOTICE and the bundles' *.LICENSE.txt third-party notices)
#
# Post-processing (so Django's ManifestStaticFilesStorage/collectstatic does not choke
# on references to files we deliberately leave out):
#   * `//# sourceMappingURL=` / `/*# sourceMappingURL= */` lines are removed (no .map files);
#   * bootstrap-icons: the legacy .woff fallback is dropped from @font-face (woff2 only);
#   * vazirmatn: the font url() is rewritten to the renamed variable woff2.
# Every relative url() in every vendored .css is then checked to exist.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENDOR="$ROOT/static/vendor"
VERSIONS_FILE="$VENDOR/VERSIONS"
SUMS_FILE="$VENDOR/SHA256SUMS"

# npm package name -> directory under static/vendor/
declare -A TARGET_DIR=(
  [htmx.org]=htmx
  [bootstrap]=bootstrap
  [bootstrap-icons]=bootstrap-icons
  [vazirmatn]=vazirmatn
  [leaflet]=leaflet
  [chart.js]=chartjs
  [swagger-ui-dist]=swagger-ui
)

die() { echo "vendor.sh: error: $*" >&2; exit 1; }
log() { echo "vendor.sh: $*" >&2; }

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$@"
  elif command -v shasum >/dev/null 2>&1; then shasum -a 256 "$@"
  else die "need sha256sum or shasum"; fi
}

sha256_check() {  # sha256_check SUMS_FILE (run from the directory the paths are relative to)
  if command -v sha256sum >/dev/null 2>&1; then sha256sum --quiet --strict -c "$1"
  else shasum -a 256 --quiet --strict -c "$1"; fi
}

# All files under static/vendor except SHA256SUMS, relative, one per line, sorted.
list_files() {
  (cd "$VENDOR" && find . -type f ! -path ./SHA256SUMS -print | sed 's#^\./##' | LC_ALL=C sort)
}

# Fail if a relative url() in a vendored .css points at a file that does not exist.
check_css_urls() {
  local css dir ref path bad=0
  while IFS= read -r css; do
    dir="$(dirname "$VENDOR/$css")"
    while IFS= read -r ref; do
      ref="${ref#url(}"; ref="${ref%)}"
      ref="${ref#[\"\']}"; ref="${ref%[\"\']}"
      case "$ref" in
        ''|data:*|\#*|http:*|https:*|//*|/*) continue ;;
      esac
      path="${ref%%[?#]*}"
      if [[ ! -f "$dir/$path" ]]; then
        echo "vendor.sh: $css: url($ref) does not resolve" >&2
        bad=1
      fi
    done < <(grep -o 'url([^)]*)' "$VENDOR/$css" || true)
  done < <(list_files | grep '\.css$')
  [[ $bad -eq 0 ]] || die "unresolved css url() references"
}

# Fail if a vendored .js/.css still points at a source map.
check_no_sourcemaps() {
  local hits
  hits="$(cd "$VENDOR" && grep -lE '^(//|/\*)# sourceMappingURL=' $(list_files | grep -E '\.(js|css)$') || true)"
  [[ -z "$hits" ]] || die "sourceMappingURL left in: $hits"
}

do_check() {
  [[ -f "$SUMS_FILE" ]] || die "$SUMS_FILE missing; run scripts/vendor.sh"
  local expected actual
  expected="$(awk '{ sub(/^[^ ]+ [ *]/, ""); print }' "$SUMS_FILE" | LC_ALL=C sort)"
  actual="$(list_files)"
  if [[ "$expected" != "$actual" ]]; then
    diff <(echo "$expected") <(echo "$actual") >&2 || true
    die "files in static/vendor differ from SHA256SUMS (< listed only, > present only)"
  fi
  (cd "$VENDOR" && sha256_check SHA256SUMS) || die "checksum mismatch"
  check_css_urls
  check_no_sourcemaps
  log "OK: $(wc -l < "$SUMS_FILE" | tr -d ' ') files match SHA256SUMS"
}

# --- copying helpers (run with cwd = extracted package/, $DEST = target dir) ---
put() {  # put SRC DEST_RELATIVE
  mkdir -p "$(dirname "$DEST/$2")"
  cp "$1" "$DEST/$2"
}
strip_sourcemap() {  # strip_sourcemap DEST_RELATIVE
  local f="$DEST/$1"
  sed -E -e '/^\/\/# sourceMappingURL=.*$/d' -e '/^\/\*# sourceMappingURL=.*\*\/[[:space:]]*$/d' "$f" > "$f.tmp"
  mv "$f.tmp" "$f"
}

install_htmx.org() {
  put dist/htmx.min.js htmx.min.js
  put LICENSE LICENSE
}

install_bootstrap() {
  local f
  for f in css/bootstrap.rtl.min.css css/bootstrap.min.css js/bootstrap.bundle.min.js; do
    put "dist/$f" "$f"
    strip_sourcemap "$f"
  done
  put LICENSE LICENSE
}

install_bootstrap-icons() {
  put font/bootstrap-icons.min.css bootstrap-icons.min.css
  put font/fonts/bootstrap-icons.woff2 fonts/bootstrap-icons.woff2
  # woff2 only: drop the `,url("fonts/bootstrap-icons.woff?…") format("woff")` fallback.
  sed -E -e 's#,[[:space:]]*url\("?fonts/bootstrap-icons\.woff(\?[^")]*)?"?\)[[:space:]]*format\("woff"\)##g' \
    "$DEST/bootstrap-icons.min.css" > "$DEST/bootstrap-icons.min.css.tmp"
  mv "$DEST/bootstrap-icons.min.css.tmp" "$DEST/bootstrap-icons.min.css"
  ! grep -q 'bootstrap-icons\.woff[?")]' "$DEST/bootstrap-icons.min.css" \
    || die "bootstrap-icons css still references the .woff font"
  put LICENSE LICENSE
}

install_vazirmatn() {
  put 'fonts/webfonts/Vazirmatn[wght].woff2' fonts/webfonts/Vazirmatn-Variable.woff2
  put fonts/ttf/Vazirmatn-Regular.ttf fonts/ttf/Vazirmatn-Regular.ttf
  put fonts/ttf/Vazirmatn-Bold.ttf fonts/ttf/Vazirmatn-Bold.ttf
  put Vazirmatn-Variable-font-face.css Vazirmatn-font-face.css
  sed -e 's#fonts/webfonts/Vazirmatn\[wght\]\.woff2#fonts/webfonts/Vazirmatn-Variable.woff2#g' \
    "$DEST/Vazirmatn-font-face.css" > "$DEST/Vazirmatn-font-face.css.tmp"
  mv "$DEST/Vazirmatn-font-face.css.tmp" "$DEST/Vazirmatn-font-face.css"
  grep -q 'fonts/webfonts/Vazirmatn-Variable.woff2' "$DEST/Vazirmatn-font-face.css" \
    || die "vazirmatn css: font url rewrite did not apply"
  put OFL.txt LICENSE
  put AUTHORS.txt AUTHORS.txt
}

install_leaflet() {
  put dist/leaflet.js leaflet.js
  strip_sourcemap leaflet.js
  put dist/leaflet.css leaflet.css
  local img
  for img in dist/images/*.png; do put "$img" "images/$(basename "$img")"; done
  put LICENSE LICENSE
}

install_chart.js() {
  put dist/chart.umd.min.js chart.umd.min.js
  strip_sourcemap chart.umd.min.js
  put LICENSE.md LICENSE
}

install_swagger-ui-dist() {
  local f
  for f in swagger-ui-bundle.js swagger-ui-standalone-preset.js swagger-ui.css; do
    put "$f" "$f"
    strip_sourcemap "$f"
  done
  put swagger-ui-bundle.js.LICENSE.txt swagger-ui-bundle.js.LICENSE.txt
  put swagger-ui-standalone-preset.js.LICENSE.txt swagger-ui-standalone-preset.js.LICENSE.txt
  put favicon-16x16.png favicon-16x16.png
  put favicon-32x32.png favicon-32x32.png
  put LICENSE LICENSE
  put NOTICE NOTICE
}

do_refresh() {
  command -v npm >/dev/null 2>&1 || die "npm not found (only needed to refresh; --check works without it)"
  [[ -f "$VERSIONS_FILE" ]] || die "$VERSIONS_FILE missing"

  local -a names=() versions=()
  local line name version
  declare -A seen=()
  while IFS= read -r line || [[ -n "$line" ]]; do
    line="${line%%#*}"; line="${line//[[:space:]]/}"
    [[ -z "$line" ]] && continue
    [[ "$line" == *==* ]] || die "VERSIONS: bad line '$line' (want name==version)"
    name="${line%%==*}"; version="${line#*==}"
    [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "VERSIONS: $name: '$version' is not an exact x.y.z version"
    [[ -n "${TARGET_DIR[$name]+x}" ]] || die "VERSIONS: unknown package '$name' (add it to TARGET_DIR and an install_ function)"
    [[ -z "${seen[$name]+x}" ]] || die "VERSIONS: '$name' listed twice"
    seen[$name]=1
    names+=("$name"); versions+=("$version")
  done < "$VERSIONS_FILE"
  for name in "${!TARGET_DIR[@]}"; do
    [[ -n "${seen[$name]+x}" ]] || die "VERSIONS: '$name' missing"
  done

  TMP="$(mktemp -d "${TMPDIR:-/tmp}/didban-vendor.XXXXXX")"
  trap 'rm -rf "$TMP"' EXIT

  # Fetch and unpack everything first, so a network failure leaves static/vendor untouched.
  local i tgz
  for i in "${!names[@]}"; do
    name="${names[$i]}"; version="${versions[$i]}"
    log "fetching $name@$version"
    mkdir -p "$TMP/$name"
    tgz="$(cd "$TMP/$name" && npm pack --silent --ignore-scripts "$name@$version" | tail -n 1)"
    [[ -f "$TMP/$name/$tgz" ]] || die "npm pack $name@$version produced no tarball"
    tar -xzf "$TMP/$name/$tgz" -C "$TMP/$name"
    local got
    got="$(node -p "require('$TMP/$name/package/package.json').version" 2>/dev/null \
      || sed -nE 's/^[[:space:]]*"version":[[:space:]]*"([^"]+)".*/\1/p' "$TMP/$name/package/package.json" | head -n 1)"
    [[ "$got" == "$version" ]] || die "$name: tarball says version $got, expected $version"
  done

  for i in "${!names[@]}"; do
    name="${names[$i]}"
    DEST="$VENDOR/${TARGET_DIR[$name]}"
    rm -rf "$DEST"
    mkdir -p "$DEST"
    log "installing $name -> static/vendor/${TARGET_DIR[$name]}/"
    (cd "$TMP/$name/package" && "install_$name")
  done

  check_css_urls
  check_no_sourcemaps

  local tmp_sums="$TMP/SHA256SUMS"
  (cd "$VENDOR" && list_files | while IFS= read -r f; do sha256 "$f"; done) > "$tmp_sums"
  mv "$tmp_sums" "$SUMS_FILE"
  log "wrote static/vendor/SHA256SUMS ($(wc -l < "$SUMS_FILE" | tr -d ' ') files, $(du -sh "$VENDOR" | cut -f1) total)"
  do_check
}

case "${1:-}" in
  "") do_refresh ;;
  --check) do_check ;;
  -h|--help) sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//' ;;
  *) die "unknown argument '$1' (use --check or no argument)" ;;
esac
