import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { spawnManaged, type ManagedChild } from '../infra/child.js';
import { repoPath } from '../paths.js';

export interface GatewayRoutes {
  port: number;
  /** Every command-service instance (`host:port`); nginx balances over them and skips one that fails (max_fails). */
  commandUpstreams: string[];
  queryUpstreams: string[];
  webRoot: string;
  /** https beside the plain http port, when a certificate could be had (`localCertificate`). */
  https?: { port: number; cert: string; key: string };
}

/** Fills `${NAME}` placeholders; nginx's own `$variables` have no braces and are left alone. */
export function renderTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\$\{([A-Z_]+)\}/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`No value for ${whole} in the nginx template`);
    return value;
  });
}

/**
 * The template's values under `npm start`: plain http on SHOP_PORT serves the shop (no redirect, as DESIGN.md has
 * it), https joins on its own port when there is a certificate. Upstreams are fixed local addresses, so they are
 * resolved once; rate limits are generous, so one developer (and the e2e test) never meets them.
 */
export function localTemplateValues(routes: GatewayRoutes): Record<string, string> {
  return {
    NGINX_WORKERS: 'auto',
    NGINX_ERROR_LOG: 'logs/error.log',
    // No access log locally (the services log every request with its X-Request-Id); the compose gateway logs to stdout.
    NGINX_ACCESS_LOG: 'off',
    NGINX_MIME_TYPES: '/etc/nginx/mime.types',
    NGINX_RESOLVER: '127.0.0.1',
    WEB_ROOT: routes.webRoot,
    HTTP_PORT: String(routes.port),
    TLS_SERVER: routes.https
      ? `listen ${routes.https.port} ssl; ssl_certificate ${routes.https.cert}; ssl_certificate_key ${routes.https.key};`
      : '',
    STATUS_SERVER: '',
    REDIRECT_TO_HTTPS: 'off',
    HTTPS_REDIRECT_PORT: '',
    UPSTREAM_RESOLVE: '',
    COMMAND_TARGET: 'command_service',
    QUERY_TARGET: 'query_service',
    // The template has one `server ${...};` line per upstream: more instances continue it with `; server …`.
    COMMAND_UPSTREAM: upstreamServers(routes.commandUpstreams),
    QUERY_UPSTREAM: upstreamServers(routes.queryUpstreams),
    GATEWAY_LOGIN_RATE: '100r/s',
    GATEWAY_LOGIN_BURST: '200',
    GATEWAY_WRITE_RATE: '2000r/s',
    GATEWAY_WRITE_BURST: '4000',
    GATEWAY_MAX_BODY: '4m',
    // The template's own CSP and the built web app (only docker-compose.dev.yml sets these).
    GATEWAY_CSP: '',
    WEB_DEV_SERVER: '',
  };
}

/**
 * The servers of one upstream block as the template's `server ${X_UPSTREAM};` line takes them. Passive health
 * checks: after a failed connection (max_fails=1) a server is skipped for fail_timeout, and the request goes to the
 * next one (proxy_next_upstream's default `error timeout`, which never resends a write once it reached a server).
 */
export function upstreamServers(addresses: readonly string[]): string {
  if (addresses.length === 0) throw new Error('An upstream needs at least one server');
  return addresses.map((address) => `${address} max_fails=1 fail_timeout=5s`).join('; server ');
}

/**
 * The local TLS certificate in `dir` (shop.crt, shop.key: the same files the compose gateway mounts), made with
 * openssl when absent: self-signed for localhost, 825 days. Undefined, with the reason, when openssl cannot.
 */
export function localCertificate(dir: string): { cert: string; key: string } | { reason: string } {
  const cert = join(dir, 'shop.crt');
  const key = join(dir, 'shop.key');
  if (existsSync(cert) && existsSync(key)) return { cert, key };
  mkdirSync(dir, { recursive: true });
  const made = spawnSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '825', '-subj', '/CN=localhost', '-keyout', key, '-out', cert,
      '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'],
    { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' },
  );
  if (made.error) return { reason: `openssl could not run (${made.error.message})` };
  if (made.status !== 0) return { reason: `openssl failed: ${made.stderr.trim().split('\n').pop() ?? ''}` };
  // The same local, self-signed pair serves the compose gateway (infra/containers/containers.sh makes it the same
  // way), whose nginx runs as uid 101 and reads the key through a bind mount: so the key is readable by all.
  chmodSync(key, 0o644);
  return { cert, key };
}

/** Runs nginx unprivileged from a prefix directory holding its rendered config, pid, logs and temp files. */
export function startNginx(binary: string, routes: GatewayRoutes, dataDir: string): ManagedChild {
  const prefix = resolve(dataDir, 'nginx');
  for (const dir of ['logs', 'temp']) mkdirSync(join(prefix, dir), { recursive: true });
  const config = renderTemplate(readFileSync(repoPath('infra/nginx/nginx.conf'), 'utf8'), localTemplateValues(routes));
  writeFileSync(join(prefix, 'nginx.conf'), config);
  return spawnManaged({
    name: 'nginx',
    command: binary,
    args: ['-e', join(prefix, 'logs', 'error.log'), '-p', prefix, '-c', 'nginx.conf', '-g', 'daemon off;'],
    logFile: join(dataDir, 'logs', 'nginx.log'),
    restart: true,
  });
}
