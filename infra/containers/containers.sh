#!/usr/bin/env bash
# `npm run containers -- <command>`: the compose stack on a machine without a container registry.
#   build                local base images (infra/images) and every shop/* image, nothing started: what
#                        @shop/testcontainers' startShop() and `npm run test:downstream` run on
#   up                   local base images (infra/images), TLS certificate and .env when absent, build, start, wait
#                        until every container is healthy, print the URL
#   down                 stop and remove the stack with its volumes (data included)
#   status | logs [svc]  docker-compose ps | logs -f
#   backup               one dump now: backups/shop-<time>.dump and its .anchor on this machine
#   restore <file>       fresh database ← the dump's events and accounts, hash chain verified against the anchor
#                        beside the file, then the projector rebuilds every read model; Redis and NATS start empty
#   create-admin <email> the password from standard input (first line); wraps
#                        `docker-compose run --rm -T command-service create-admin --email <email>`
#   dev [up|down|status|logs [svc]|create-admin <email>]
#                        the same with docker-compose.dev.yml over it (default `up`): the services and the web app from
#                        this checkout under tsc/node/Vite watch, run as the checkout's owner (DEV_UID/DEV_GID)
# Settings: SHOP_ENV_FILE (.env), COMPOSE_PROJECT_NAME (shop), SHOP_UP_TIMEOUT (300 s).
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOCKER_BUILDKIT=0 COMPOSE_DOCKER_CLI_BUILD=0   # the engine here has no buildx: classic builder only
ENV_FILE="${SHOP_ENV_FILE:-.env}"
PROJECT="${COMPOSE_PROJECT_NAME:-shop}"
SSL_DIR=infra/nginx/ssl
die() { echo "containers: $*" >&2; exit 1; }
say() { echo "containers: $*"; }
COMPOSE_FILES=()
dc() { docker-compose --env-file "$ENV_FILE" -p "$PROJECT" "${COMPOSE_FILES[@]}" "$@"; }
env_value() { sed -n "s/^$1=//p" "$ENV_FILE" | tail -n1; }

command -v docker >/dev/null || die "docker not found (apt-get install docker.io)"
command -v docker-compose >/dev/null || die "docker-compose not found (apt-get install docker-compose)"

make_certificate() {
  if [[ -s "$SSL_DIR/shop.crt" && -s "$SSL_DIR/shop.key" ]]; then
    # The gateway's nginx runs as uid 101 and reads the key through a bind mount.
    [[ "$(stat -c %A "$SSL_DIR/shop.key")" == ???????r?? ]] ||
      die "$SSL_DIR/shop.key is not readable by the gateway (uid 101): chmod 0644 it if it is a local self-signed key"
    return 0
  fi
  command -v openssl >/dev/null || die "openssl not found: put a certificate in $SSL_DIR/shop.crt and shop.key"
  mkdir -p "$SSL_DIR"
  openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj /CN=localhost -addext 'subjectAltName=DNS:localhost,IP:127.0.0.1' \
    -keyout "$SSL_DIR/shop.key" -out "$SSL_DIR/shop.crt" 2>/dev/null
  # The gateway runs as uid 101 and reads the key through a read-only bind mount: a local, self-signed key only.
  chmod 0644 "$SSL_DIR/shop.key"
  say "made a self-signed certificate for localhost in $SSL_DIR (browsers will warn; never commit it)"
}

make_env() {
  [[ -s "$ENV_FILE" ]] && return 0
  # The secrets come from the same generator as @shop/testcontainers' test shops (packages/testcontainers/src/secrets.ts).
  [[ -f packages/testcontainers/dist/secrets.cli.js ]] || node_modules/.bin/tsc -b packages/testcontainers \
    || die "could not build packages/testcontainers (npm ci first), which makes $ENV_FILE's secrets"
  local secrets
  secrets="$(node packages/testcontainers/dist/secrets.cli.js)" || die "could not generate the secrets"
  umask 077
  {
    echo "# Made by \`npm run containers -- up\` on $(date -u +%FT%TZ): fresh secrets for this machine only."
    printf '%s\n' "$secrets"
    echo "HTTP_PORT=${HTTP_PORT:-80}"
    echo "HTTPS_PORT=${HTTPS_PORT:-443}"
    echo "PROMETHEUS_PORT=${PROMETHEUS_PORT:-9090}"
    echo "# The registry-free stand-ins of the base images (npm run images)."
    echo "NODE_IMAGE=shop-local/node:24"
    echo "NGINX_IMAGE=shop-local/nginx:1.22"
    echo "POSTGRES_IMAGE=shop-local/postgres:15"
    echo "REDIS_IMAGE=shop-local/redis:7"
    echo "NATS_IMAGE=shop-local/nats:2.9"
    echo "PROMETHEUS_IMAGE=shop-local/prometheus:2.42"
    echo "ALERTMANAGER_IMAGE=shop-local/alertmanager:0.25"
    echo "POSTGRES_EXPORTER_IMAGE=shop-local/postgres-exporter:0.11"
    echo "REDIS_EXPORTER_IMAGE=shop-local/redis-exporter:1.45"
    echo "NGINX_EXPORTER_IMAGE=shop-local/nginx-exporter:0.11"
    echo "NODE_EXPORTER_IMAGE=shop-local/node-exporter:1.5"
  } > "$ENV_FILE"
  say "wrote $ENV_FILE with fresh secrets (keep it; \`down\` does not remove it)"
}

# build: the bases and the shop's images, nothing started. Compose needs its variables set even to build: without
# an env file, a throwaway one (fresh secrets, the local base images) serves and is removed.
build() {
  bash infra/images/build-local-images.sh
  local throwaway=''
  if [[ ! -s "$ENV_FILE" ]]; then
    throwaway="$(mktemp)"
    ENV_FILE="$throwaway"
    make_env >/dev/null
  fi
  local status=0
  dc build migrate command-service query-service projector gateway || status=$?
  [[ -n "$throwaway" ]] && rm -f "$throwaway"
  ((status == 0)) || die "docker-compose build failed"
  say "built shop/{migrate,command-service,query-service,projector,gateway}:${SHOP_IMAGE_TAG:-local}"
}

# wait_healthy [SERVICE...]: every container of the project (or of those services) healthy, or, for one-shot ones
# like migrate, exited 0.
wait_healthy() {
  local deadline=$((SECONDS + ${SHOP_UP_TIMEOUT:-300})) id state pending
  while true; do
    pending=()
    for id in $(dc ps -q "$@"); do
      state="$(docker inspect -f '{{.Name}} {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}} {{.State.ExitCode}}' "$id")"
      case "$state" in
        *" running healthy "* | *" exited none 0") ;;
        *" exited "*) die "container ${state%% *} exited: $state (npm run containers -- logs)" ;;
        *) pending+=("${state%% *}") ;;
      esac
    done
    ((${#pending[@]} == 0)) && return 0
    ((SECONDS < deadline)) || die "still not healthy after ${SHOP_UP_TIMEOUT:-300}s: ${pending[*]}"
    sleep 2
  done
}

url() {
  local port
  port="$(env_value HTTPS_PORT)"
  if [[ -z "$port" || "$port" == 443 ]]; then echo "https://localhost"; else echo "https://localhost:$port"; fi
}

up() {
  bash infra/images/build-local-images.sh
  make_certificate
  make_env
  dc up -d --build "$@"
  wait_healthy
  say "the shop is up at $(url) (self-signed certificate); Prometheus at http://127.0.0.1:$(env_value PROMETHEUS_PORT | grep . || echo 9090)"
}

backup() {
  local line file anchor name image
  mkdir -p backups
  line="$(dc run --rm -T backup once | grep '^backup: .*\.dump anchor ')" || die "the backup failed"
  file="$(awk '{print $2}' <<<"$line")"
  anchor="$(awk '{print $4}' <<<"$line")"
  name="$(basename "$file")"
  image="$(env_value POSTGRES_IMAGE)"
  docker run --rm -v "${PROJECT}_backups:/var/lib/postgresql:ro" --entrypoint cat "${image:-postgres:15}" "$file" > "backups/$name"
  printf '%s\n' "$anchor" > "backups/${name%.dump}.anchor"
  say "backups/$name (anchor $anchor, also kept in the backups volume)"
}

restore() {
  local file="${1:-}" anchor
  [[ -n "$file" && -s "$file" ]] || die "usage: restore <file.dump> (its .anchor beside it)"
  [[ -s "${file%.dump}.anchor" ]] || die "no anchor ${file%.dump}.anchor beside $file: the restore verifies against it"
  anchor="$(head -n1 "${file%.dump}.anchor")"
  [[ "$anchor" =~ ^[0-9]+:[0-9a-f]{64}$ ]] || die "${file%.dump}.anchor does not hold <position>:<sha256 hex>"
  say "stopping the services; Redis and NATS hold only derived data and start empty"
  dc stop gateway command-service query-service projector backup >/dev/null 2>&1 || true
  dc rm -sf nats redis >/dev/null 2>&1 || true
  docker volume rm "${PROJECT}_nats-data" >/dev/null 2>&1 || true
  dc up -d postgres
  wait_healthy postgres
  say "loading $file into a fresh database"
  local pg
  pg="$(dc ps -q postgres)"
  # docker exec, not docker-compose exec: the dump goes through standard input as it is (binary).
  docker exec -i "$pg" psql -X -q -U postgres -d postgres -v ON_ERROR_STOP=1 \
    -c 'DROP DATABASE IF EXISTS shop WITH (FORCE)' -c 'CREATE DATABASE shop' >/dev/null
  dc run --rm -T migrate
  # The log and what lives only beside it (accounts, idempotency answers); read models are rebuilt, not restored.
  docker exec -i "$pg" pg_restore -U postgres -d shop --data-only --exit-on-error \
    -t events -t streams -t snapshots -t user_accounts -t idempotency_keys < "$file"
  say "verifying the hash chains against the anchor $anchor"
  dc run --rm -T --no-deps --entrypoint node query-service query-service/dist/audit/audit.cli.js verify --anchor "$anchor" \
    || die "verification failed: the services stay stopped (the database holds the restored log for inspection)"
  dc up -d
  wait_healthy
  say "restored; the projector rebuilds the read models from the log"
}

cmd="${1:-}"
shift || true
if [[ "$cmd" == dev ]]; then
  cmd="${1:-up}"
  shift || true
  [[ "$cmd" =~ ^(up|down|status|logs|create-admin)$ ]] || die "usage: npm run containers -- dev [up|down|status|logs [service]|create-admin <email>]"
  COMPOSE_FILES=(-f docker-compose.yml -f docker-compose.dev.yml)
  # The dev containers write dist/ and *.tsbuildinfo into the mounted checkout, so they run as its owner, never root.
  export DEV_UID="${DEV_UID:-$(stat -c %u .)}" DEV_GID="${DEV_GID:-$(stat -c %g .)}"
  [[ "$DEV_UID" != 0 ]] || die "this checkout belongs to root, and the dev containers run non-root: use a checkout owned by a regular user (or set DEV_UID/DEV_GID to one that may write it)"
  if [[ "$cmd" == up ]]; then
    # --renew-anon-volumes: web/node_modules comes from the freshly built image, not from the last container.
    up --renew-anon-volumes "$@"
    exit 0
  fi
  if [[ "$cmd" == create-admin ]]; then
    [[ -n "${1:-}" ]] || die "usage: dev create-admin <email> (password on standard input)"
    # Not through the dev entrypoint: `node --watch` would wait for file changes after the command ends.
    dc run --rm -T --no-deps --entrypoint node command-service --enable-source-maps command-service/dist/main.js create-admin --email "$1"
    exit 0
  fi
fi
case "$cmd" in
  build) build ;;
  up) up "$@" ;;
  down) dc down -v --remove-orphans ;;
  status) dc ps ;;
  logs) dc logs --tail=200 -f "$@" ;;
  backup) backup ;;
  restore) restore "$@" ;;
  create-admin)
    [[ -n "${1:-}" ]] || die "usage: create-admin <email> (password on standard input)"
    dc run --rm -T command-service create-admin --email "$1"
    ;;
  *) die "usage: npm run containers -- build|up|down|status|logs [service]|backup|restore <file>|create-admin <email>|dev [...]" ;;
esac
