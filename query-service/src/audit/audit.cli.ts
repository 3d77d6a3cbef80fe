/**
 * `npm run audit -- <command>`: the auditor's tools from a shell, on the event store itself (DATABASE_URL). The
 * same reads as the /api/audit routes (audit.queries.ts) and the same verification (verifyHashChains), so the CLI
 * and the API can never tell an auditor different stories. Exit codes: 0 fine, 1 a broken chain or nothing found,
 * 2 bad usage. This file is the entry: settings, pool, and which command runs; the commands are in cli/ (arguments.ts
 * reads them, terminal-lines.ts formats what they print, one module per kind of command).
 */
import { z } from 'zod';
import { assertNever } from '@shop/domain';
import { createPool, MasterKey, PostgresEventStore, type DataKeyRing, type EventStore } from '@shop/kernel';
import { loadConfig } from '@shop/service-kit';
import { auditEventStore } from './audit-store.js';
import { parseAuditCommand, USAGE, type AuditCommand } from './cli/arguments.js';
import { runExport } from './cli/export-command.js';
import { runForget } from './cli/forget-command.js';
import { runOrder, runStream } from './cli/read-commands.js';
import { runAnchor, runKeygen, runVerify } from './cli/verify-commands.js';

const Config = z.object({
  DATABASE_URL: z.string().min(1).default('postgres://postgres@127.0.0.1:5432/shop'),
  /** Optional: without it, personal fields are shown as stored (encrypted) and `forget` is refused. */
  DATA_KEY_ENCRYPTION_KEY: z.preprocess((value) => (value === '' ? undefined : value), MasterKey.optional()),
});

type Runnable = Exclude<AuditCommand, { kind: 'help' } | { kind: 'usage' }>;

function run(command: Runnable, store: EventStore, pool: ReturnType<typeof createPool>, keys: DataKeyRing | undefined): Promise<number> {
  switch (command.kind) {
    case 'verify':
      return runVerify(command, pool);
    case 'stream':
      return runStream(command, store);
    case 'order':
      return runOrder(command, store);
    case 'anchor':
      return runAnchor(command, pool);
    case 'export':
      return runExport(command, store, pool);
    case 'keygen':
      return runKeygen(command);
    case 'forget':
      return runForget(command, { pool, store, keys });
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
