#!/usr/bin/env bash
# The last part of `npm test`: the compose stack end to end (`npm run test:containers`), which needs a Docker
# engine. Without one it says so and stops there, except in CI (CI=true), where a missing engine is a failure.
set -euo pipefail
if docker info >/dev/null 2>&1; then
  echo "[test] the compose stack end to end: npm run test:containers"
  exec npm run test:containers
fi
if [[ "${CI:-}" == true ]]; then
  echo "[test] no Docker engine answers: the containers suite cannot run, and CI requires it" >&2
  exit 1
fi
echo "[test] NOT RUN: the containers suite (npm run test:containers) — no Docker engine answers here (see README, \"Containers\")"
