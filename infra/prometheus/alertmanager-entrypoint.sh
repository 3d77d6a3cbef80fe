#!/bin/sh
# Starts Alertmanager with SHOP_ALERT_WEBHOOK_URL written into its config (alertmanager.yml has the placeholder
# '${SHOP_ALERT_WEBHOOK_URL}'): 0.25, the version Debian packages, has no way to read it from the environment.
# POSIX sh only (the official image has busybox, the local one bash, neither necessarily sed); no tool but the shell.
set -eu
template=/etc/alertmanager/alertmanager.yml
rendered=/tmp/alertmanager.yml
url="${SHOP_ALERT_WEBHOOK_URL:-}"
case "$url" in
  http://* | https://*) ;;
  *) echo "alertmanager: SHOP_ALERT_WEBHOOK_URL must be an http(s) URL, got '$url'" >&2; exit 2 ;;
esac
# The value goes between single quotes in YAML: a quote or a space in it would change the document.
case "$url" in
  *"'"* | *" "*) echo "alertmanager: SHOP_ALERT_WEBHOOK_URL must not contain quotes or spaces" >&2; exit 2 ;;
esac
# shellcheck disable=SC2016 # the literal placeholder, not an expansion
placeholder='${SHOP_ALERT_WEBHOOK_URL}'
: > "$rendered"
while IFS= read -r line || [ -n "$line" ]; do
  case "$line" in
    *"$placeholder"*) printf '%s%s%s\n' "${line%%"$placeholder"*}" "$url" "${line#*"$placeholder"}" >> "$rendered" ;;
    *) printf '%s\n' "$line" >> "$rendered" ;;
  esac
done < "$template"
exec alertmanager --config.file="$rendered" "$@"
