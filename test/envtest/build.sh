#!/usr/bin/env bash
# Builds the envtest binaries (kube-apiserver and etcd) with Go from the module proxy, once, into
#   ${POLYFLEET_CACHE_DIR:-~/.cache/polyfleet}/envtest/<k8s-version>/kube-apiserver
#   ${POLYFLEET_CACHE_DIR:-~/.cache/polyfleet}/envtest/etcd-<etcd-version>/etcd
# and skips what is already there. When KUBEBUILDER_ASSETS is set, nothing is built: the binaries
# are taken from that directory (the controller-runtime envtest convention).
#
# Progress goes to stderr. The last line on stdout is JSON naming the binaries:
#   {"kubeApiserver":"/…/kube-apiserver","etcd":"/…/etcd","k8sVersion":"v1.35.4","etcdVersion":"v3.6.6"}
# which is what test/envtest/binaries.ts reads.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
apiserver_mod="$here/go/kube-apiserver"
etcd_mod="$here/go/etcd"
kubectl_mod="$here/go/kubectl"

say() { printf 'envtest: %s\n' "$*" >&2; }
die() { printf 'envtest: error: %s\n' "$*" >&2; exit 1; }

# The pinned versions live in the two go.mod files and nowhere else.
mod_version() { # <go.mod> <module path>
  awk -v m="$2" '$1 == "require" { $1 = ""; $0 = $0 } $1 == m && $2 ~ /^v/ { print $2; exit }' "$1"
}
k8s_version="$(mod_version "$apiserver_mod/go.mod" k8s.io/kubernetes)"
etcd_version="$(mod_version "$etcd_mod/go.mod" go.etcd.io/etcd/server/v3)"
[[ -n $k8s_version && -n $etcd_version ]] || die "cannot read the pinned versions from $here/go/*/go.mod"

emit() { # <kube-apiserver> <etcd> <kubectl or "">
  printf '{"kubeApiserver":"%s","etcd":"%s","kubectl":"%s","k8sVersion":"%s","etcdVersion":"%s"}\n' \
    "$1" "$2" "$3" "$k8s_version" "$etcd_version"
}

how_to_get_binaries="Either install Go >= 1.25 (https://go.dev/dl/) and run this again (it builds both from the
Go module proxy, ~5 min the first time), or set KUBEBUILDER_ASSETS to a directory holding
kube-apiserver and etcd, e.g. one unpacked from envtest-$k8s_version-linux-amd64.tar.gz of
https://github.com/kubernetes-sigs/controller-tools/releases (what setup-envtest downloads)."

if [[ -n ${KUBEBUILDER_ASSETS-} ]]; then
  for b in kube-apiserver etcd; do
    [[ -x $KUBEBUILDER_ASSETS/$b ]] || die "KUBEBUILDER_ASSETS=$KUBEBUILDER_ASSETS has no executable '$b'"
  done
  say "using kube-apiserver and etcd from KUBEBUILDER_ASSETS=$KUBEBUILDER_ASSETS (nothing to build)"
  assets_kubectl=""
  [[ -x $KUBEBUILDER_ASSETS/kubectl ]] && assets_kubectl="$KUBEBUILDER_ASSETS/kubectl"
  emit "$KUBEBUILDER_ASSETS/kube-apiserver" "$KUBEBUILDER_ASSETS/etcd" "$assets_kubectl"
  exit 0
fi

cache="${POLYFLEET_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/polyfleet}/envtest"
apiserver_bin="$cache/$k8s_version/kube-apiserver"
etcd_bin="$cache/etcd-$etcd_version/etcd"

k8s_minor="${k8s_version#v}"; k8s_major="${k8s_minor%%.*}"; k8s_minor="${k8s_minor#*.}"; k8s_minor="${k8s_minor%%.*}"
# What `kubectl version` and GET /version report; hack/lib/version.sh sets the same variables.
apiserver_ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  apiserver_ldflags+=" -X $pkg.gitVersion=$k8s_version -X $pkg.gitMajor=$k8s_major -X $pkg.gitMinor=$k8s_minor"
  apiserver_ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=@BUILD_DATE@"
done
etcd_ldflags="-s -w"

# A binary counts as cached only if it was built from exactly these inputs (go.mod, go.sum,
# main.go and the flags): the stamp beside it records their hash.
inputs_hash() { # <module dir> <ldflags>
  { cat "$1/go.mod" "$1/go.sum" "$1/main.go"; printf '%s' "$2"; } | sha256sum | cut -d' ' -f1
}
is_cached() { # <bin> <hash>
  [[ -x $1 && -f $1.inputs && "$(cat "$1.inputs")" == "$2" ]]
}

build() { # <name> <version> <module dir> <bin> <ldflags> <estimate>
  local name=$1 version=$2 dir=$3 bin=$4 ldflags=$5 estimate=$6 hash
  hash="$(inputs_hash "$dir" "$ldflags")"
  if is_cached "$bin" "$hash"; then
    : # cached: say nothing, the ready line names the versions
    return
  fi
  command -v go >/dev/null 2>&1 || die "Go is needed to build $name $version (no cached binary at $bin, KUBEBUILDER_ASSETS is not set).
$how_to_get_binaries"
  mkdir -p "$(dirname "$bin")"
  # Two runs at once (two terminals, or jest and run.sh) wait for each other instead of both building.
  exec {lock}>"$bin.lock"
  if command -v flock >/dev/null 2>&1; then flock "$lock"; fi
  if is_cached "$bin" "$hash"; then
    say "$name $version: cached at $bin (built by another run meanwhile)"
    exec {lock}>&-
    return
  fi
  say "building $name $version from the Go module proxy (first run only, $estimate)…"
  local start=$SECONDS tmp="$bin.tmp.$$"
  rm -f "$bin".tmp.* # left by an interrupted build (we hold the lock: nobody else is writing one)
  # Build to a temporary name and rename: an interrupted build never leaves a binary that looks cached.
  trap 'rm -f "$tmp"' EXIT
  (
    cd "$dir"
    CGO_ENABLED=0 GOFLAGS="${GOFLAGS:+$GOFLAGS }-buildvcs=false -mod=readonly" \
      go build -trimpath -ldflags "${ldflags//@BUILD_DATE@/$(date -u +%Y-%m-%dT%H:%M:%SZ)}" -o "$tmp" .
  ) >&2 || die "building $name $version failed (see the Go output above)"
  mv -f "$tmp" "$bin"
  printf '%s\n' "$hash" > "$bin.inputs"
  trap - EXIT
  exec {lock}>&-
  say "built $name $version in $((SECONDS - start)) s → $bin"
}

build kube-apiserver "$k8s_version" "$apiserver_mod" "$apiserver_bin" "$apiserver_ldflags" "~5 min on 2 cores"
build etcd "$etcd_version" "$etcd_mod" "$etcd_bin" "$etcd_ldflags" "~2 min on 2 cores"
# The suites drive the server with kubectl as a user would. A machine without one gets one built from
# the published k8s.io/kubectl module at the same version (POLYFLEET_BUILD_KUBECTL=1 forces it).
kubectl_bin="$cache/$k8s_version/kubectl"
if command -v kubectl >/dev/null 2>&1 && [[ ${POLYFLEET_BUILD_KUBECTL-} != 1 ]]; then
  kubectl_path="$(command -v kubectl)"
else
  build kubectl "$k8s_version" "$kubectl_mod" "$kubectl_bin" "$apiserver_ldflags" "~4 min on 2 cores"
  kubectl_path="$kubectl_bin"
fi
emit "$apiserver_bin" "$etcd_bin" "$kubectl_path"
