#!/usr/bin/env bash
# podman with the flags it needs on these machines (no Docker engine, no systemd, hybrid cgroups, no
# raised rlimits), and its own storage, so CI can cache it and nothing else's is touched:
#
#   --root     ${POLYFLEET_CACHE_DIR:-~/.cache/polyfleet}/podman/storage-<driver>  (images, layers)
#   --runroot  ${TMPDIR:-/tmp}/polyfleet-podman-run-<uid>-<driver>                (runtime state, not kept)
#   --storage-driver overlay, or vfs where overlay cannot be mounted (see below)
#   --runtime runc --cgroup-manager cgroupfs --events-backend file
#   build, run and create: --ulimit nofile=1024:1024 --ulimit nproc=1024:1024
#
# The storage driver: overlay when this user can mount an overlay file system on the storage's
# own file system (as root on ext4 or xfs; it cannot on an overlay file system itself, as inside
# most containers), else vfs, which works everywhere but copies the whole file system for each
# build step and each container (a cached image build takes ~2 min instead of seconds, each
# `run` ~5 s more, and the storage grows by the image's size per step). The probe is one mount and
# unmount in the cache directory. POLYFLEET_PODMAN_STORAGE_DRIVER=overlay|vfs chooses instead.
#
# Usage: test/image/podman.sh <podman subcommand and arguments>, e.g.
#   test/image/podman.sh images
#   test/image/podman.sh run --rm --read-only --user 65532:65532 localhost/polyfleet:dev --help
#   test/image/podman.sh --driver            (prints the storage driver it uses, and exits)
set -euo pipefail

if ! command -v podman >/dev/null 2>&1; then
  cat >&2 <<'EOF'
podman is not installed. The image test builds and runs the polyfleet image with it:
  apt-get update && apt-get install -y podman runc      (Debian/Ubuntu, as root)
(Debian's podman 4.3 with runc works on these machines; see test/image/README.md.)
EOF
  exit 127
fi

cache="${POLYFLEET_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/polyfleet}/podman"
mkdir -p "$cache"

# Whether an overlay file system can be mounted where the storage lives.
overlay_mounts() {
  [[ $(id -u) == 0 ]] || return 1
  local probe
  probe="$(mktemp -d "$cache/.overlay-probe.XXXXXX")" || return 1
  mkdir -p "$probe"/{lower,upper,work,merged}
  local ok=1
  if mount -t overlay overlay -o "lowerdir=$probe/lower,upperdir=$probe/upper,workdir=$probe/work" "$probe/merged" 2>/dev/null; then
    ok=0
    umount "$probe/merged" 2>/dev/null || ok=1
  fi
  rm -rf "$probe"
  return "$ok"
}

driver="${POLYFLEET_PODMAN_STORAGE_DRIVER:-}"
if [[ -z $driver ]]; then
  if overlay_mounts; then driver=overlay; else driver=vfs; fi
fi
[[ $driver == overlay || $driver == vfs ]] || { echo "podman.sh: POLYFLEET_PODMAN_STORAGE_DRIVER must be overlay or vfs, not $driver" >&2; exit 2; }

root="$cache/storage-$driver"
runroot="${TMPDIR:-/tmp}/polyfleet-podman-run-$(id -u)-$driver"
mkdir -p "$root" "$runroot"

global=(--root "$root" --runroot "$runroot" --storage-driver "$driver" --runtime runc
  --cgroup-manager cgroupfs --events-backend file)
sub=${1-}
[[ -n $sub ]] && shift
case $sub in
  --driver)
    echo "$driver" ;;
  build | run | create)
    exec podman "${global[@]}" "$sub" --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 "$@" ;;
  '')
    exec podman "${global[@]}" ;;
  *)
    exec podman "${global[@]}" "$sub" "$@" ;;
esac
