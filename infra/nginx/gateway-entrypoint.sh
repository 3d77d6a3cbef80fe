#!/bin/sh
# The gateway image's entrypoint (POSIX sh: the official nginx image has dash, the local stand-in bash).
#   shop-gateway              renders /etc/shop/nginx.conf.template into /tmp/nginx and runs nginx in the foreground
#   shop-gateway test         renders it and runs `nginx -t`
#   shop-gateway healthcheck  GET https://127.0.0.1:8443/healthz (the image's HEALTHCHECK)
# Settings (environment, all optional): GATEWAY_HTTP_PORT (8080), GATEWAY_HTTPS_PORT (8443), PUBLIC_HTTPS_PORT (the
# port clients reach 8443 on, for the redirect; 443), GATEWAY_LOGIN_RATE (5r/s), GATEWAY_LOGIN_BURST (10),
# GATEWAY_WRITE_RATE (50r/s), GATEWAY_WRITE_BURST (200), GATEWAY_MAX_BODY (1m), COMMAND_UPSTREAM
# (command-service:3001), QUERY_UPSTREAM (query-service:3002), TLS_CERT / TLS_KEY (/etc/shop/ssl/shop.crt|key),
# GATEWAY_TLS (on; `off`: plain HTTP on GATEWAY_HTTP_PORT only, no certificate, no redirect — for test shops on a
# mapped localhost port, @shop/testcontainers; never in front of real users).
# Development only (docker-compose.dev.yml): WEB_DEV_SERVER (empty: the built app; host:port: `/` goes to Vite's dev
# server) and GATEWAY_CSP (empty: the template's CSP; else the whole Content-Security-Policy in its place).
set -eu

: "${GATEWAY_HTTP_PORT:=8080}" "${GATEWAY_HTTPS_PORT:=8443}" "${PUBLIC_HTTPS_PORT:=443}" "${GATEWAY_TLS:=on}"
case "$GATEWAY_TLS" in on | off) ;; *) echo "shop-gateway: GATEWAY_TLS must be on or off, not '$GATEWAY_TLS'" >&2; exit 1 ;; esac
if [ "${1:-}" = healthcheck ]; then
  if [ "$GATEWAY_TLS" = off ]; then exec curl -fsS -o /dev/null --max-time 8 "http://127.0.0.1:${GATEWAY_HTTP_PORT}/healthz"; fi
  exec curl -fsSk -o /dev/null --max-time 8 "https://127.0.0.1:${GATEWAY_HTTPS_PORT}/healthz"
fi

: "${GATEWAY_LOGIN_RATE:=5r/s}" "${GATEWAY_LOGIN_BURST:=10}" "${GATEWAY_WRITE_RATE:=50r/s}" "${GATEWAY_WRITE_BURST:=200}"
: "${GATEWAY_MAX_BODY:=1m}" "${COMMAND_UPSTREAM:=command-service:3001}" "${QUERY_UPSTREAM:=query-service:3002}"
: "${TLS_CERT:=/etc/shop/ssl/shop.crt}" "${TLS_KEY:=/etc/shop/ssl/shop.key}"
: "${WEB_DEV_SERVER:=}" "${GATEWAY_CSP:=}"
# Both land inside double-quoted nginx strings: a quote, backslash or dollar would break out of them.
case "$WEB_DEV_SERVER$GATEWAY_CSP" in
  *'"'* | *\\* | *'$'*) echo 'shop-gateway: WEB_DEV_SERVER and GATEWAY_CSP may not contain " \ or $' >&2; exit 1 ;;
esac
PREFIX=/tmp/nginx
mkdir -p "$PREFIX/temp"

for f in "$TLS_CERT" "$TLS_KEY"; do
  if [ "$GATEWAY_TLS" = on ] && [ ! -r "$f" ]; then
    echo "shop-gateway: $f is missing or unreadable (mount infra/nginx/ssl; \`npm run containers -- up\` makes a local one)" >&2
    exit 1
  fi
done

# nginx re-resolves an upstream's name only from 1.27.3 on (`server … resolve`); older ones resolve per request.
version="$(nginx -v 2>&1)"
version="${version##*/}"
major="${version%%.*}"; rest="${version#*.}"; minor="${rest%%.*}"; patch="${rest#*.}"; patch="${patch%%[!0-9]*}"
if [ "$major" -gt 1 ] || { [ "$major" -eq 1 ] && { [ "$minor" -gt 27 ] || { [ "$minor" -eq 27 ] && [ "${patch:-0}" -ge 3 ]; }; }; }; then
  UPSTREAM_RESOLVE=resolve COMMAND_TARGET=command_service QUERY_TARGET=query_service
else
  UPSTREAM_RESOLVE='' COMMAND_TARGET="$COMMAND_UPSTREAM" QUERY_TARGET="$QUERY_UPSTREAM"
fi
if [ "$PUBLIC_HTTPS_PORT" = 443 ]; then HTTPS_REDIRECT_PORT=''; else HTTPS_REDIRECT_PORT=":$PUBLIC_HTTPS_PORT"; fi

export NGINX_WORKERS=auto NGINX_ERROR_LOG=stderr NGINX_ACCESS_LOG='/dev/stdout shop' NGINX_MIME_TYPES=/etc/nginx/mime.types
export NGINX_RESOLVER="${NGINX_RESOLVER:-127.0.0.11}" WEB_ROOT=/usr/share/shop/web HTTP_PORT="$GATEWAY_HTTP_PORT"
if [ "$GATEWAY_TLS" = on ]; then
  export TLS_SERVER="listen ${GATEWAY_HTTPS_PORT} ssl; ssl_certificate ${TLS_CERT}; ssl_certificate_key ${TLS_KEY};" REDIRECT_TO_HTTPS=on
else
  export TLS_SERVER='' REDIRECT_TO_HTTPS=off
fi
export STATUS_SERVER='server { listen 8081; access_log off; location = /stub_status { stub_status; } location / { return 404; } }'
export HTTPS_REDIRECT_PORT UPSTREAM_RESOLVE COMMAND_TARGET QUERY_TARGET COMMAND_UPSTREAM QUERY_UPSTREAM
export GATEWAY_LOGIN_RATE GATEWAY_LOGIN_BURST GATEWAY_WRITE_RATE GATEWAY_WRITE_BURST GATEWAY_MAX_BODY WEB_DEV_SERVER GATEWAY_CSP
# Only these names are replaced: nginx's own $variables stay as they are.
# shellcheck disable=SC2016
envsubst '${STATUS_SERVER} ${NGINX_WORKERS} ${NGINX_ERROR_LOG} ${NGINX_ACCESS_LOG} ${NGINX_MIME_TYPES} ${NGINX_RESOLVER} ${WEB_ROOT}
  ${HTTP_PORT} ${TLS_SERVER} ${REDIRECT_TO_HTTPS} ${HTTPS_REDIRECT_PORT} ${UPSTREAM_RESOLVE} ${COMMAND_TARGET}
  ${QUERY_TARGET} ${COMMAND_UPSTREAM} ${QUERY_UPSTREAM} ${GATEWAY_LOGIN_RATE} ${GATEWAY_LOGIN_BURST}
  ${GATEWAY_WRITE_RATE} ${GATEWAY_WRITE_BURST} ${GATEWAY_MAX_BODY} ${WEB_DEV_SERVER} ${GATEWAY_CSP}' \
  < /etc/shop/nginx.conf.template > "$PREFIX/nginx.conf"

if [ "${1:-}" = test ]; then exec nginx -e stderr -p "$PREFIX" -c nginx.conf -t; fi
exec nginx -e stderr -p "$PREFIX" -c nginx.conf -g 'daemon off;'
