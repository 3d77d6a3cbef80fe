#!/usr/bin/env bash
# `npm run test:downstream`: installs @shop/testcontainers here the way a team would (packed tarballs, then
# `npm install`), and runs this project's jest suite against a fresh shop. Needs a Docker engine and the images of
# `npm run containers -- build`. Settings: SHOP_IMAGE_TAG (local).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# Testcontainers without a registry (FACTS.md): no Ryuk, no alpine to find the host.
export TESTCONTAINERS_RYUK_DISABLED="${TESTCONTAINERS_RYUK_DISABLED:-true}" TESTCONTAINERS_HOST_OVERRIDE="${TESTCONTAINERS_HOST_OVERRIDE:-localhost}"
# The workspace's Node 24 when there is one (testcontainers 12 needs Node ≥ 22).
[[ -x "$root/node_modules/.bin/node" ]] && export PATH="$root/node_modules/.bin:$PATH"

cd "$root"
node_modules/.bin/tsc -b packages/client packages/testcontainers
rm -rf "$here/vendor" && mkdir -p "$here/vendor"
npm pack --silent --pack-destination "$here/vendor" -w packages/client -w packages/testcontainers >/dev/null

cd "$here"
rm -rf node_modules/@shop   # the tarballs change on every pack: install them afresh
npm install --no-audit --no-fund --no-package-lock
npm test
