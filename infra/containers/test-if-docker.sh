#!/usr/bin/env bash
# The last part of `npm test`: the compose stack end to end (`npm run test:containers`), then a project outside the
# workspace that installs @shop/testcontainers as a team would and tests against a shop started from the images the
# first step built (`npm run test:downstream`). Both need a Docker engine. Without one this says so and stops there,
# except in CI (CI=true), where a missing engine is a failure.
set -euo pipefail
if docker info >/dev/null 2>&1; then
  echo "[test] the compose stack end to end: npm run test:containers"
  npm run test:containers
  echo "[test] a downstream project on @shop/testcontainers: npm run test:downstream"
  exec npm run test:downstream
fi
if [[ "${CI:-}" == true ]]; then
  echo "[test] no Docker engine answers: the containers suite cannot run, and CI requires it" >&2
  exit 1
fi
echo "[test] NOT RUN: the containers suites (npm run test:containers, test:downstream) — no Docker engine answers here (see README, \"Containers\")"
