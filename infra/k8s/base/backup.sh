#!/bin/bash
# The compose `backup` service (runs on the postgres image, as uid 999) and the one-off backup/restore helpers of
# `npm run containers`. Connection from PGHOST / PGUSER / PGPASSWORD / PGDATABASE (the owner role).
#   backup.sh schedule      dump now, then every BACKUP_INTERVAL seconds (default 86400), keeping BACKUP_KEEP (7)
#   backup.sh once          one dump into BACKUP_DIR; prints its path and its anchor
#   backup.sh stdout        one dump to standard output (its anchor on standard error, as `anchor <position>:<digest>`)
#   backup.sh healthcheck   healthy once a dump exists
# Beside each dump `shop-<time>.dump` lies `shop-<time>.anchor`: the event log's audit anchor `<position>:<digest>`
# (sha256 over the stored event hashes in global order, as `npm run audit -- verify` prints it), taken just before
# the dump. The log is append-only, so the dump holds at least that much of it, and `verify --anchor` on a restored
# database proves the restored log is the one that was dumped, up to that position.
set -euo pipefail
BACKUP_DIR="${BACKUP_DIR:-/var/lib/postgresql/backups}"
BACKUP_INTERVAL="${BACKUP_INTERVAL:-86400}"
BACKUP_KEEP="${BACKUP_KEEP:-7}"

[[ "$BACKUP_INTERVAL" =~ ^[1-9][0-9]*$ ]] || { echo "backup: BACKUP_INTERVAL must be a positive number of seconds" >&2; exit 2; }
[[ "$BACKUP_KEEP" =~ ^[1-9][0-9]*$ ]] || { echo "backup: BACKUP_KEEP must be a positive number" >&2; exit 2; }

anchor() {
  psql -X -q -t -A -v ON_ERROR_STOP=1 -c \
    "SELECT coalesce(max(global_position), 0) || ':' || encode(sha256(coalesce(string_agg(hash, ''::bytea ORDER BY global_position), ''::bytea)), 'hex') FROM events"
}

dump_once() {
  local stamp file a
  mkdir -p "$BACKUP_DIR"
  stamp="$(date -u +%Y%m%dT%H%M%SZ)"
  file="$BACKUP_DIR/shop-$stamp.dump"
  a="$(anchor)"
  pg_dump -Fc -f "$file.partial"
  mv "$file.partial" "$file"
  printf '%s\n' "$a" > "$BACKUP_DIR/shop-$stamp.anchor"
  echo "backup: $file anchor $a"
}

prune() {
  local dumps=() i
  # Names sort by time (UTC stamps), and globs sort by name: the oldest come first.
  shopt -s nullglob
  dumps=("$BACKUP_DIR"/shop-*.dump)
  shopt -u nullglob
  for ((i = 0; i < ${#dumps[@]} - BACKUP_KEEP; i++)); do
    rm -f "${dumps[$i]}" "${dumps[$i]%.dump}.anchor"
    echo "backup: pruned ${dumps[$i]}"
  done
}

case "${1:-schedule}" in
  schedule)
    # PID 1 in its container: without a handler, bash would ignore `docker stop`'s SIGTERM until killed.
    trap 'exit 0' TERM INT
    while true; do
      if dump_once; then prune; else echo "backup: dump failed; next try in ${BACKUP_INTERVAL}s" >&2; fi
      sleep "$BACKUP_INTERVAL" & wait $!
    done
    ;;
  once) dump_once; prune ;;
  stdout)
    echo "anchor $(anchor)" >&2
    pg_dump -Fc
    ;;
  healthcheck) ls "$BACKUP_DIR"/shop-*.dump >/dev/null 2>&1 ;;
  *) echo "usage: backup.sh schedule|once|stdout|healthcheck" >&2; exit 2 ;;
esac
