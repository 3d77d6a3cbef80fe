import type { EventStore } from '@shop/kernel';
import { readOrderAsOf, readStreamPage } from '../audit.queries.js';
import type { AuditCommand } from './arguments.js';
import { formatEventLine } from './terminal-lines.js';

/** `stream` and `order`: the same reads as GET /api/audit/streams/:stream and /api/audit/orders/:id, on stdout. */

const PAGE = 1_000;

export async function runStream(command: Extract<AuditCommand, { kind: 'stream' }>, store: EventStore): Promise<number> {
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

export async function runOrder(command: Extract<AuditCommand, { kind: 'order' }>, store: EventStore): Promise<number> {
  const order = await readOrderAsOf(store, command.orderId, command.asOf, new Date());
  if (!order) {
    console.error(`No order ${command.orderId} at that point`);
    return 1;
  }
  console.log(JSON.stringify(order, null, 2));
  return 0;
}
