#!/usr/bin/env bash
# Builds the repository's Dockerfile with podman, on the local Node 24 base image
# (test/tools/base-image.sh: no registry is reachable here to pull node:24-slim from).
#
#   test/image/build.sh [TAG]          (default localhost/polyfleet:dev)
#
# npm inside the build reaches the registry with this machine's npm configuration, handed in as
# build secrets (never copied into a layer): `npmrc` is the global npmrc followed by the user's (so
# the user's wins, as in npm), with a `cafile` redirected to /run/secrets/npm-ca, and `npm-ca` is
# that CA bundle. Both are temporary files (mode 600) removed when the build ends. The build uses
# the host's network (npm) and podman's layer cache (test/image/podman.sh's storage): with
# package-lock.json unchanged, only the TypeScript build runs again. The labels that change from build
# to build are also given with --label: buildah reuses a cached LABEL step with the values it had
# then, while a --label is applied to the final image every time (one small step after the rest).
#
# POLYFLEET_PODMAN_BUILD_DEBUG=1: podman's debug log too. Progress goes to stderr; the last line on
# stdout is the image ID.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
podman="$here/podman.sh"
tag="${1:-localhost/polyfleet:dev}"

# No podman: podman.sh says how to install it, and this exits with its status (127).
"$podman" --version >/dev/null
base="$(bash "$repo/test/tools/base-image.sh" | tail -n1)"
# The image the tag names now, removed below once the tag has moved on (its layers stay while a
# newer image or the build cache uses them), so that rebuilds do not pile up untagged images.
previous="$("$podman" image inspect --format '{{.Id}}' "$tag" 2>/dev/null || true)"

secrets="$(mktemp -d "${TMPDIR:-/tmp}/polyfleet-image-secrets.XXXXXX")"
trap 'rm -rf "$secrets"' EXIT
chmod 700 "$secrets"
npm_config() { npm config get "$1" 2>/dev/null || true; }
globalrc="$(npm_config globalconfig)"
userrc="$(npm_config userconfig)"
(
  umask 077
  : > "$secrets/npmrc"
  for rc in "$globalrc" "$userrc"; do
    [[ -n $rc && $rc != null && -r $rc ]] && { cat "$rc"; echo; } >> "$secrets/npmrc"
  done
  ca="$(npm_config cafile)"
  if [[ -n $ca && $ca != null && -r $ca ]]; then
    cp "$ca" "$secrets/npm-ca"
    # The bundle is where the build mounts the npm-ca secret, not at this machine's path.
    sed -i -E 's#^[[:space:]]*cafile[[:space:]]*=.*#cafile=/run/secrets/npm-ca#' "$secrets/npmrc"
  else
    : > "$secrets/npm-ca"
    sed -i -E '/^[[:space:]]*cafile[[:space:]]*=/d' "$secrets/npmrc"
  fi
  # A path of this machine means nothing in the build (node-gyp's headers), and would mislead.
  sed -i -E '/^[[:space:]]*nodedir[[:space:]]*=/d' "$secrets/npmrc"
)

revision="$(git -C "$repo" rev-parse HEAD 2>/dev/null || echo unknown)"
version="$(node -p 'require(process.argv[1]).version' "$repo/package.json")"
created="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
start=$SECONDS
printf 'image: building %s on %s (cold: npm ci twice and the build, ~2 min; cached: seconds, ~2 min on vfs storage)…\n' "$tag" "$base" >&2
"$podman" build ${POLYFLEET_PODMAN_BUILD_DEBUG:+--log-level=debug} \
  --network host \
  --pull=never \
  --layers \
  --jobs 2 \
  --build-arg "NODE_IMAGE=$base" \
  --build-arg "VERSION=$version" \
  --build-arg "REVISION=$revision" \
  --build-arg "CREATED=$created" \
  --label "org.opencontainers.image.version=$version" \
  --label "org.opencontainers.image.revision=$revision" \
  --label "org.opencontainers.image.created=$created" \
  --label "org.opencontainers.image.base.name=$base" \
  --secret "id=npmrc,src=$secrets/npmrc" \
  --secret "id=npm-ca,src=$secrets/npm-ca" \
  --tag "$tag" \
  --file "$repo/Dockerfile" \
  "$repo" >&2
printf 'image: built %s in %d s\n' "$tag" "$((SECONDS - start))" >&2
id="$("$podman" image inspect --format '{{.Id}}' "$tag")"
if [[ -n $previous && $previous != "$id" ]]; then
  "$podman" rmi "$previous" >/dev/null 2>&1 || true # in use by a container, or tagged elsewhere: kept
fi
echo "$id"
