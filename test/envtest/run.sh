#!/usr/bin/env bash
# test/envtest/run.sh CMD [ARG…]
# Starts etcd and kube-apiserver (building them with Go on the first run), runs CMD with KUBECONFIG
# pointing at them, stops both, and exits with CMD's status — also when CMD fails or on Ctrl-C.
#   test/envtest/run.sh kubectl get crd
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
# Resolve tsx from the repository (not the caller's directory), so CMD runs where we were called.
tsx="$(cd "$repo" && node --input-type=module -e 'console.log(import.meta.resolve("tsx"))')" || {
  echo "envtest: cannot find tsx; run \`npm ci\` in $repo first" >&2
  exit 1
}
exec node --import "$tsx" "$here/run-cli.ts" "$@"
