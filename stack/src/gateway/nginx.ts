import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { spawnManaged, type ManagedChild } from '../infra/child.js';
import { repoPath } from '../paths.js';

export interface GatewayRoutes {
  port: number;
  commandUpstream: string;
  queryUpstream: string;
  webRoot: string;
}

/** Fills `${NAME}` placeholders; nginx's own `$variables` have no braces and are left alone. */
export function renderTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\$\{([A-Z_]+)\}/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`No value for ${whole} in the nginx template`);
    return value;
  });
}

/** Runs nginx unprivileged from a prefix directory holding its rendered config, pid, logs and temp files. */
export function startNginx(binary: string, routes: GatewayRoutes, dataDir: string): ManagedChild {
  const prefix = resolve(dataDir, 'nginx');
  for (const dir of ['logs', 'temp']) mkdirSync(join(prefix, dir), { recursive: true });
  const config = renderTemplate(readFileSync(repoPath('infra/nginx/nginx.conf'), 'utf8'), {
    NGINX_MIME_TYPES: '/etc/nginx/mime.types',
    SHOP_PORT: String(routes.port),
    COMMAND_UPSTREAM: routes.commandUpstream,
    QUERY_UPSTREAM: routes.queryUpstream,
    WEB_ROOT: routes.webRoot,
  });
  writeFileSync(join(prefix, 'nginx.conf'), config);
  return spawnManaged({
    name: 'nginx',
    command: binary,
    args: ['-p', prefix, '-c', 'nginx.conf', '-g', 'daemon off;'],
    logFile: join(dataDir, 'logs', 'nginx.log'),
    restart: true,
  });
}
