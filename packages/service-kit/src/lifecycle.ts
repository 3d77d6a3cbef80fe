import { createServer, type RequestListener, type Server } from 'node:http';
import type { Logger } from 'pino';

/**
 * Stops the service cleanly on SIGINT/SIGTERM: run every closer in order (stop accepting, finish work in
 * flight, close pools), then exit. A second signal, or a closer that hangs past `timeoutMs`, forces exit.
 */
export function onShutdown(logger: Logger, closers: Array<() => Promise<unknown>>, timeoutMs = 10_000): void {
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('shutdown timed out');
      process.exit(1);
    }, timeoutMs);
    force.unref();
    (async () => {
      for (const close of closers) await close().catch((err: unknown) => logger.error({ err }, 'error while closing'));
    })().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  // Started by `npm start` with an IPC channel: if the stack itself dies (even by kill -9), stop too.
  if (process.connected) process.once('disconnect', () => stop('parent exited'));
}

export const closeServer = (server: Server): Promise<void> =>
  new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeIdleConnections();
  });

export function listen(server: Server, port: number, host = '0.0.0.0'): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * Opens a service's HTTP port. Idle connections are kept longer than the gateway keeps its idle upstream connections
 * (nginx: 60 s), so the gateway never sends a request down a connection the service is just closing.
 */
export async function serve(app: RequestListener, port: number): Promise<Server> {
  const server = createServer(app);
  server.keepAliveTimeout = 65_000;
  await listen(server, port);
  return server;
}
