/**
 * `npm run audit -- <command>`: the auditor's tools from a shell, on the event store itself (DATABASE_URL). The
 * same reads as the /api/audit routes (audit.queries.ts) and the same verification (verifyHashChains), so the CLI
 * and the API can never tell an auditor different stories. Exit codes: 0 fine, 1 a broken chain or nothing found,
 * 2 bad usage.
 */
import { z } from 'zod';
import { assertNever } from '@shop/domain';
import { createPool, MasterKey, PostgresEventStore, verifyHashChains, type DataKeyRing, type EventStore } from '@shop/kernel';
import { loadConfig } from '@shop/service-kit';
import { formatEventLine, formatProgress, formatVerdict, parseAuditCommand, USAGE, type AuditCommand } from './audit-cli.js';
import { readOrderAsOf, readStreamPage } from './audit.queries.js';
import { readSignedAnchor, runAnchor, runExport, runKeygen } from './audit-cli-tools.js';
import { auditEventStore } from './audit-store.js';
import { forgetCustomerFromShell } from './forget-customer.js';
import { toVerifyResultView } from './audit.views.js';

const Config = z.object({
  DATABASE_URL: z.string().min(1).default('postgres://postgres@127.0.0.1:5432/shop'),
  /** Optional: without it, personal fields are shown as stored (encrypted) and `forget` is refused. */
  DATA_KEY_ENCRYPTION_KEY: z.preprocess((value) => (value === '' ? undefined : value), MasterKey.optional()),
});

const PAGE = 1_000;
/** Progress at most this often (a batch takes milliseconds; a terminal does not need hundreds of lines a second). */
const PROGRESS_EVERY_MS = 1_000;

type Runnable = Exclude<AuditCommand, { kind: 'help' } | { kind: 'usage' }>;

async function run(command: Runnable, store: EventStore, pool: ReturnType<typeof createPool>, keys: DataKeyRing | undefined): Promise<number> {
  switch (command.kind) {
    case 'verify': {
      const signed = command.signed ? await readSignedAnchor(command.signed) : undefined;
      if (signed && 'exitCode' in signed) return signed.exitCode;
      const expectAnchor = signed ? signed.anchor : command.anchor;
      const started = performance.now();
      let lastLine = 0;
      const verdict = await verifyHashChains(pool, {
        ...(expectAnchor ? { expectAnchor } : {}),
        ...(command.batchSize ? { batchSize: command.batchSize } : {}),
        ...(command.concurrency ? { concurrency: command.concurrency } : {}),
        onProgress: (progress) => {
          const now = performance.now();
          if (now - lastLine < PROGRESS_EVERY_MS && progress.position !== progress.throughPosition) return;
          lastLine = now;
          console.log(`[audit] ${formatProgress(progress, now - started)}`);
        },
      });
      for (const line of formatVerdict(toVerifyResultView(verdict))) console.log(line);
      return verdict.ok ? 0 : 1;
    }
    case 'stream': {
      let after = 0n;
      for (;;) {
        const page = await readStreamPage(store, command.streamId, after, PAGE);
        if (!page) {
          console.error(`No events in stream ${command.streamId}`);
          return 1;
        }
        for (const event of page.items) console.log(command.json ? JSON.stringify(event) : formatEventLine(event));
        if (page.nextCursor === null) return 0;
        after = BigInt(page.nextCursor);
      }
    }
    case 'order': {
      const order = await readOrderAsOf(store, command.orderId, command.asOf, new Date());
      if (!order) {
        console.error(`No order ${command.orderId} at that point`);
        return 1;
      }
      console.log(JSON.stringify(order, null, 2));
      return 0;
    }
    case 'anchor':
      return runAnchor(command, pool);
    case 'export':
      return runExport(command, store, pool);
    case 'keygen':
      return runKeygen(command);
    case 'forget': {
      if (!keys) {
        console.error('forget needs DATA_KEY_ENCRYPTION_KEY (the services\' master key) to replay the customer');
        return 2;
      }
      const outcome = await forgetCustomerFromShell({ pool, store, keys }, command.customerId, { correlationId: crypto.randomUUID(), causationId: 'audit-cli', actor: { system: 'audit-cli' } }, new Date());
      if (outcome.status === 'unknown') {
        console.error(`No customer ${command.customerId}`);
        return 1;
      }
      console.log(`customer ${command.customerId} forgotten: data key deleted, login removed` + (outcome.lastPosition === undefined ? ' (CustomerForgotten was already recorded)' : `, CustomerForgotten at position ${outcome.lastPosition}`));
      return 0;
    }
    default:
      return assertNever(command);
  }
}

const command = parseAuditCommand(process.argv.slice(2));
if (command.kind === 'help') {
  console.log(USAGE);
} else if (command.kind === 'usage') {
  console.error(`${command.error}\n\n${USAGE}`);
  process.exitCode = 2;
} else {
  const config = loadConfig(Config);
  const pool = createPool(config.DATABASE_URL, { max: 4, applicationName: 'audit-cli' });
  try {
    // No upcasters: the auditor sees events as they were stored, personal fields decrypted where the key allows
    // (a field that does not authenticate reads [unreadable]; verify names the edited event).
    const audited = config.DATA_KEY_ENCRYPTION_KEY ? auditEventStore(pool, config.DATA_KEY_ENCRYPTION_KEY) : undefined;
    process.exitCode = await run(command, audited?.store ?? new PostgresEventStore(pool), pool, audited?.keys);
  } finally {
    await pool.end();
  }
}
