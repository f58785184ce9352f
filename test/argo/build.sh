#!/usr/bin/env bash
# Builds the Argo CD health-check driver (test/argo/driver: gopher-lua, the interpreter Argo CD
# embeds) once, into
#   ${POLYFLEET_CACHE_DIR:-${XDG_CACHE_HOME:-~/.cache}/polyfleet}/argo-health-driver/<inputs hash>/argo-health-driver
# and skips the build when that binary is there. The hash covers go.mod, go.sum and main.go, so an
# edit builds anew; the build goes to a temporary name and is renamed, so an interrupted build
# never counts as cached. The only line on stdout is the binary's path; progress goes to stderr.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
module="$here/driver"
cache="${POLYFLEET_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/polyfleet}/argo-health-driver"

hash="$(cat "$module/go.mod" "$module/go.sum" "$module/main.go" | sha256sum | cut -c1-16)"
bin="$cache/$hash/argo-health-driver"
if [[ -x $bin ]]; then
  printf '%s\n' "$bin"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  printf 'argo: error: Go is needed to build the health-check driver (github.com/yuin/gopher-lua, as Argo CD runs health.lua) into %s.\nInstall Go >= 1.25 (https://go.dev/dl/, or apt-get install golang-go where it is recent enough) and run this again; it builds in under a minute from the Go module proxy.\n' "$bin" >&2
  exit 1
fi

printf 'argo: building the health-check driver (gopher-lua) into %s\n' "$bin" >&2
mkdir -p "$cache/$hash"
tmp="$(mktemp "$cache/$hash/.build.XXXXXX")"
trap 'rm -f "$tmp"' EXIT
(cd "$module" && CGO_ENABLED=0 go build -trimpath -ldflags '-s -w' -o "$tmp" .)
chmod 755 "$tmp"
mv -f "$tmp" "$bin"
trap - EXIT
printf '%s\n' "$bin"
