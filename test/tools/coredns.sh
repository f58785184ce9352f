#!/usr/bin/env bash
# CoreDNS, built once from the github.com/coredns/coredns Go module and cached, then run with the
# given arguments (the DNS tests of the node registry point its etcd plugin at a test etcd):
#
#   test/tools/coredns.sh -plugins
#   test/tools/coredns.sh --print-path     # builds if need be, prints the binary's path
#
# The binary goes to ${POLYFLEET_CACHE_DIR:-${XDG_CACHE_HOME:-~/.cache}/polyfleet}/coredns/<version>/coredns
# (the envtest binaries' cache, see test/envtest/README.md). A build takes ~2 min on 2 cores with an
# empty Go module cache, and happens once: a `.inputs` stamp beside the binary ties it to the version
# and flags below. It builds to a temporary name and renames, under a lock, so an interrupted or
# concurrent run never leaves a binary that looks cached. Progress goes to stderr.
#
# POLYFLEET_COREDNS=/path/to/coredns uses that binary instead and builds nothing. Without Go and
# without it, this fails and says how to get one.
set -euo pipefail

COREDNS_VERSION=v1.15.0
COREDNS_PACKAGE=github.com/coredns/coredns
COREDNS_LDFLAGS="-s -w"

say() { printf 'coredns.sh: %s\n' "$*" >&2; }
die() { printf 'coredns.sh: error: %s\n' "$*" >&2; exit 1; }

print_path=false
if [[ ${1-} == --print-path ]]; then print_path=true; shift; fi

run() { # <coredns binary> args...
  if $print_path; then printf '%s\n' "$1"; exit 0; fi
  exec "$@"
}

if [[ -n ${POLYFLEET_COREDNS-} ]]; then
  [[ -x $POLYFLEET_COREDNS ]] || die "POLYFLEET_COREDNS=$POLYFLEET_COREDNS is not an executable"
  run "$POLYFLEET_COREDNS" "$@"
fi

cache="${POLYFLEET_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/polyfleet}/coredns/$COREDNS_VERSION"
bin="$cache/coredns"
hash="$(printf '%s %s %s' "$COREDNS_PACKAGE" "$COREDNS_VERSION" "$COREDNS_LDFLAGS" | sha256sum | cut -d' ' -f1)"
is_cached() { [[ -x $bin && -f $bin.inputs && "$(cat "$bin.inputs")" == "$hash" ]]; }

if ! is_cached; then
  command -v go >/dev/null 2>&1 || die "Go is needed to build CoreDNS $COREDNS_VERSION (no cached binary at $bin).
Either install Go >= 1.25 (https://go.dev/dl/) and run this again (it builds CoreDNS from the Go
module proxy, ~2 min the first time: go install $COREDNS_PACKAGE@$COREDNS_VERSION), or set
POLYFLEET_COREDNS to a CoreDNS binary with the etcd plugin (https://github.com/coredns/coredns/releases)."
  mkdir -p "$cache"
  # Two runs at once (two jest workers) wait for each other instead of both building.
  exec {lock}>"$bin.lock"
  if command -v flock >/dev/null 2>&1; then flock "$lock"; fi
  if ! is_cached; then
    say "building CoreDNS $COREDNS_VERSION from the Go module proxy (first run only, ~2 min on 2 cores)…"
    start=$SECONDS
    tmp="$cache/tmp.$$"
    rm -rf "$cache"/tmp.* # left by an interrupted build (we hold the lock: nobody else is writing one)
    trap 'rm -rf "$tmp"' EXIT
    mkdir -p "$tmp"
    GOBIN="$tmp" CGO_ENABLED=0 GOFLAGS="${GOFLAGS:+$GOFLAGS }-buildvcs=false" \
      go install -trimpath -ldflags "$COREDNS_LDFLAGS" "$COREDNS_PACKAGE@$COREDNS_VERSION" >&2 \
      || die "building CoreDNS $COREDNS_VERSION failed (see the Go output above)"
    mv -f "$tmp/coredns" "$bin"
    printf '%s\n' "$hash" > "$bin.inputs"
    rm -rf "$tmp"
    trap - EXIT
    say "built CoreDNS $COREDNS_VERSION in $((SECONDS - start)) s → $bin"
  fi
  exec {lock}>&-
fi

run "$bin" "$@"
