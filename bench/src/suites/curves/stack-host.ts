/**
 * The whole shop as `npm start` runs it (startStack of @shop/stack: command service, query service, projector, nginx
 * in front), in a process of its own so that the settings it passes on to the services (its environment: rate limits
 * for one load generator, the bench's keys) come from the suite's spawn and no process-wide setting of the bench
 * changes. Started by curves.bench.ts with the stack's settings as its environment; over IPC it reports `ready`, and
 * answers `rss` with each service's resident memory; it stops the stack when the channel closes or on SIGTERM.
 */
import { startStack, StackConfig, type RunningStack } from '@shop/stack';
import { residentMegabytes } from '../../memory.js';

export type HostMessage =
  | { kind: 'ready'; url: string; gateway: 'nginx' | 'node'; ports: RunningStack['ports'] }
  | { kind: 'rss'; megabytes: Record<string, number> }
  | { kind: 'failed'; error: string };

const send = (message: HostMessage): void => {
  process.send?.(message);
};

let stack: RunningStack | undefined;
let stopping = false;
const stop = async (): Promise<void> => {
  if (stopping) return;
  stopping = true;
  await stack?.stop();
  process.exit(0);
};
process.on('disconnect', () => void stop());
process.on('SIGTERM', () => void stop());

try {
  stack = await startStack(StackConfig.parse(process.env), (line) => console.error(`stack: ${line}`));
  const running = stack;
  process.on('message', (message: { kind: string }) => {
    if (message.kind !== 'rss') return;
    // The current process of each service (a supervised service may have been restarted).
    void Promise.all(running.services.map(async (service) => [service.name, await residentMegabytes(service.process.pid!)] as const)).then(
      (entries) => send({ kind: 'rss', megabytes: Object.fromEntries(entries) }),
      (error: unknown) => send({ kind: 'failed', error: String(error) }),
    );
  });
  send({ kind: 'ready', url: running.url, gateway: running.gateway, ports: running.ports });
} catch (error) {
  send({ kind: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  await stop();
}
