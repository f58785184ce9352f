#!/usr/bin/env bash
# helm, built once from the helm.sh/helm/v4 Go module and cached, then run with the given arguments:
#
#   test/tools/helm.sh lint --strict charts/polyfleet
#   test/tools/helm.sh --print-path        # builds if need be, prints the binary's path
#
# The binary goes to ${POLYFLEET_CACHE_DIR:-${XDG_CACHE_HOME:-~/.cache}/polyfleet}/helm/<version>/helm
# (the envtest binaries' cache, see test/envtest/README.md). A build takes ~2.5 min on 2 cores with an
# empty Go module cache, and happens once: a `.inputs` stamp beside the binary ties it to the version
# and flags below. It builds to a temporary name and renames, under a lock, so an interrupted or
# concurrent run never leaves a binary that looks cached. Progress goes to stderr.
#
# POLYFLEET_HELM=/path/to/helm uses that binary instead and builds nothing. Without Go and without
# it, this fails and says how to get one.
set -euo pipefail

HELM_VERSION=v4.3.2
HELM_PACKAGE=helm.sh/helm/v4/cmd/helm
# What `helm version` reports (helm's Makefile sets the same variable).
HELM_LDFLAGS="-s -w -X helm.sh/helm/v4/internal/version.version=$HELM_VERSION"

say() { printf 'helm.sh: %s\n' "$*" >&2; }
die() { printf 'helm.sh: error: %s\n' "$*" >&2; exit 1; }

print_path=false
if [[ ${1-} == --print-path ]]; then print_path=true; shift; fi

run() { # <helm binary> args...
  if $print_path; then printf '%s\n' "$1"; exit 0; fi
  exec "$@"
}

if [[ -n ${POLYFLEET_HELM-} ]]; then
  [[ -x $POLYFLEET_HELM ]] || die "POLYFLEET_HELM=$POLYFLEET_HELM is not an executable"
  run "$POLYFLEET_HELM" "$@"
fi

cache="${POLYFLEET_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/polyfleet}/helm/$HELM_VERSION"
bin="$cache/helm"
hash="$(printf '%s %s %s' "$HELM_PACKAGE" "$HELM_VERSION" "$HELM_LDFLAGS" | sha256sum | cut -d' ' -f1)"
is_cached() { [[ -x $bin && -f $bin.inputs && "$(cat "$bin.inputs")" == "$hash" ]]; }

if ! is_cached; then
  command -v go >/dev/null 2>&1 || die "Go is needed to build helm $HELM_VERSION (no cached binary at $bin).
Either install Go >= 1.25 (https://go.dev/dl/) and run this again (it builds helm from the Go module
proxy, ~2.5 min the first time: go install $HELM_PACKAGE@$HELM_VERSION), or set POLYFLEET_HELM to a
helm v4 binary (https://github.com/helm/helm/releases)."
  mkdir -p "$cache"
  # Two runs at once (two jest workers) wait for each other instead of both building.
  exec {lock}>"$bin.lock"
  if command -v flock >/dev/null 2>&1; then flock "$lock"; fi
  if ! is_cached; then
    say "building helm $HELM_VERSION from the Go module proxy (first run only, ~2.5 min on 2 cores)…"
    start=$SECONDS
    tmp="$cache/tmp.$$"
    rm -rf "$cache"/tmp.* # left by an interrupted build (we hold the lock: nobody else is writing one)
    trap 'rm -rf "$tmp"' EXIT
    mkdir -p "$tmp"
    GOBIN="$tmp" CGO_ENABLED=0 GOFLAGS="${GOFLAGS:+$GOFLAGS }-buildvcs=false" \
      go install -trimpath -ldflags "$HELM_LDFLAGS" "$HELM_PACKAGE@$HELM_VERSION" >&2 \
      || die "building helm $HELM_VERSION failed (see the Go output above)"
    mv -f "$tmp/helm" "$bin"
    printf '%s\n' "$hash" > "$bin.inputs"
    rm -rf "$tmp"
    trap - EXIT
    say "built helm $HELM_VERSION in $((SECONDS - start)) s → $bin"
  fi
  exec {lock}>&-
fi

run "$bin" "$@"
