import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize } from 'node:path';
import type { GatewayRoutes } from './nginx.js';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

const READ_METHODS = new Set(['GET', 'HEAD']);

/** Same routing as infra/nginx/nginx.conf, for machines without nginx: reads → query, writes → command. */
export function routeFor(method: string, routes: Pick<GatewayRoutes, 'commandUpstream' | 'queryUpstream'>): string {
  return READ_METHODS.has(method) ? routes.queryUpstream : routes.commandUpstream;
}

function proxy(req: IncomingMessage, res: ServerResponse, upstream: string): void {
  const [host, port] = upstream.split(':');
  const forwarded = request(
    { host, port: Number(port), method: req.method, path: req.url, headers: { ...req.headers, 'x-forwarded-for': req.socket.remoteAddress } },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  forwarded.on('error', () => {
    if (!res.headersSent) {
      res.writeHead(502, { 'content-type': 'application/problem+json' });
      res.end(JSON.stringify({ type: 'https://shop.local/problems/bad_gateway', title: 'Bad Gateway', status: 502, code: 'bad_gateway' }));
    } else res.destroy();
  });
  req.pipe(forwarded);
}

async function serveStatic(req: IncomingMessage, res: ServerResponse, webRoot: string): Promise<void> {
  const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
  const requested = join(webRoot, path);
  // Single-page app: any path that is not a file gets the app's index.html.
  const file = (await stat(requested).catch(() => undefined))?.isFile() ? requested : join(webRoot, 'index.html');
  if (!(await stat(file).catch(() => undefined))?.isFile()) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('The web app is not built: run `npm run build`.\n');
    return;
  }
  res.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' });
  createReadStream(file).on('error', () => res.destroy()).pipe(res);
}

/** A small stand-in gateway used only when nginx is not installed. */
export function createNodeGateway(routes: GatewayRoutes): Server {
  return createServer((req, res) => {
    if (req.url?.startsWith('/api/')) proxy(req, res, routeFor(req.method ?? 'GET', routes));
    else void serveStatic(req, res, routes.webRoot);
  });
}
