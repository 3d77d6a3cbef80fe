/**
 * One store, one round, in its own process: Emmett's driver (dumbo) sets process-wide pg type parsers (int8 →
 * BigInt, its own JSON reviver), so the two stores never share a process. Started by event-store.bench.ts with
 * its task as JSON in argv[2]; reports progress and the result over the IPC channel.
 */
import { openStore, type StoreName } from './stores.js';
import { runWorkload, type WorkloadConfig, type WorkloadResult } from './workload.js';

export interface WorkerTask {
  store: StoreName;
  databaseUrl: string;
  poolSize: number;
  workload: WorkloadConfig;
}

export type WorkerMessage =
  | { kind: 'progress'; phase: string; detail: string }
  | { kind: 'result'; result: WorkloadResult };

const send = (message: WorkerMessage): Promise<void> =>
  new Promise((resolve, reject) => {
    if (!process.send) return reject(new Error('worker.js runs as a child of the event-store suite (needs an IPC channel)'));
    process.send(message, undefined, {}, (error: Error | null) => (error ? reject(error) : resolve()));
  });

async function main(): Promise<void> {
  const task = JSON.parse(process.argv[2] ?? '') as WorkerTask;
  const store = await openStore(task.store, task.databaseUrl, task.poolSize);
  try {
    const result = await runWorkload(store, task.workload, (phase, detail) => {
      send({ kind: 'progress', phase, detail }).catch(() => undefined);
    });
    await send({ kind: 'result', result });
  } finally {
    await store.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
