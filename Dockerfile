# polyfleet's controller image.
#
#   docker build -t polyfleet .                 (BuildKit; or: podman build -t polyfleet .)
#   docker run --rm polyfleet --help
#
# Three stages on one Node 24 base (NODE_IMAGE): `build` installs every dependency, bundles dist/
# (`npm run build`) and picks the npm package's files; `app` installs the production dependencies
# only and puts the package beside them; the image is the base plus that /app: what `npm pack` ships
# (package.json, bin/polyfleet.js and bin/dist-stamp.js, dist/, crds/, examples/), the lock file and
# production node_modules. No TypeScript sources, tests or dev dependencies
# (test/integration/image.test.ts checks it, and test/image/README.md lists it with its size).
#
# A private registry or a proxy for npm: give the build your npmrc as a build secret. It is mounted
# for the `npm ci` steps only and is never written into a layer:
#   docker build --secret id=npmrc,src=$HOME/.npmrc -t polyfleet .
# When that registry's certificate comes from a private CA, also pass the CA bundle and name it in
# the npmrc as `cafile=/run/secrets/npm-ca`:
#   docker build --secret id=npmrc,src=build.npmrc --secret id=npm-ca,src=ca.pem -t polyfleet .
# Both secrets are optional.
#
# Runs as uid/gid 65532 (no name needed: the base image need not list it). The root file system may
# be read-only: what polyfleet writes goes to two directories a volume can back (the chart mounts an
# emptyDir on each), and the image test runs `polyfleet controller` with only these writable:
#   /var/lib/polyfleet  the working directory (owned by 65532): the simulated cloud's instances,
#                       .polyfleet/sim (or --sim-dir), and `polyfleet run`'s state file, .polyfleet/
#   /tmp                Node's compile cache (node-compile-cache/, a start-up speed-up only: where
#                       /tmp cannot be written, Node goes without it)

# The base of every stage: an image with Node 24 and npm. The default is the official one; any
# image laid out like it works (the image test builds a local one, test/tools/base-image.sh).
ARG NODE_IMAGE=docker.io/library/node:24-slim

# Every dependency, then dist/ (`npm run build`); then /out/app: exactly the files of the npm package
# (package.json "files": bin/polyfleet.js and what it imports, dist/, crds/, examples/, the web view's
# web/static/), as
# `npm pack` lists them.
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN --mount=type=secret,id=npmrc,target=/root/.npmrc \
    --mount=type=secret,id=npm-ca \
    --mount=type=cache,target=/root/.npm,sharing=locked \
    ["npm", "ci", "--no-audit", "--no-fund"]
COPY . .
RUN npm run build \
 && node -e "const { execFileSync } = require('child_process'); const fs = require('fs'); \
      const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8' })); \
      for (const { path } of pack.files) fs.cpSync(path, '/out/app/' + path); \
      console.log('package: ' + pack.files.length + ' files, ' + pack.unpackedSize + ' bytes');"

# The production dependencies, from the same lock file, and the package beside them.
FROM ${NODE_IMAGE} AS app
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=secret,id=npmrc,target=/root/.npmrc \
    --mount=type=secret,id=npm-ca \
    --mount=type=cache,target=/root/.npm,sharing=locked \
    ["npm", "ci", "--omit=dev", "--no-audit", "--no-fund"]
COPY --from=build /out/app/ /app/

# The image: the base, /app, and nothing else. Every step but the one COPY comes first, labels too,
# so that a new revision or date reuses the /app layer (and, with storage drivers that copy the whole
# file system at each step, such as vfs, the steps before it stay cheap).
FROM ${NODE_IMAGE}
# `polyfleet` on PATH, and the one directory the user may write (owned by it, so that a volume
# created from the image inherits that). Node does it: the base image need not have a shell.
RUN ["node", "-e", "const fs = require('fs'); fs.symlinkSync('/app/bin/polyfleet.js', '/usr/local/bin/polyfleet'); fs.mkdirSync('/var/lib/polyfleet', { recursive: true }); fs.chownSync('/var/lib/polyfleet', 65532, 65532)"]
ENV NODE_ENV=production
WORKDIR /var/lib/polyfleet
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["polyfleet"]
CMD ["controller"]
ARG NODE_IMAGE
ARG VERSION=0.1.0
ARG REVISION=unknown
ARG CREATED=unknown
# (buildah, i.e. podman build, takes a cached LABEL step as it was, values and all: test/image/build.sh
# also passes revision and created with --label, which podman applies to the final image.)
LABEL org.opencontainers.image.title="polyfleet" \
      org.opencontainers.image.description="A Kubernetes controller that keeps pools of compute nodes alive across many cloud providers, placed with Ceph's CRUSH." \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.base.name="${NODE_IMAGE}"
COPY --from=app /app /app
