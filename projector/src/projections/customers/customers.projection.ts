import type pg from 'pg';
import { assertNever, CUSTOMER_STREAM_PREFIX, CustomerEvent } from '@shop/domain';
import type { ProjectedEvent } from '@shop/kernel';
import { customerCacheKey, CUSTOMERS_PROJECTION, CUSTOMERS_TABLE } from '@shop/read-models';
import type { Projection } from '../projection.js';

/** The change one customer event makes to its row. Times stay ISO strings, as the event carries them. */
export type CustomerChange =
  | { kind: 'register'; customer: { email: string; name: string; registeredAt: string } }
  | { kind: 'profile'; fields: { email?: string; name?: string } }
  | { kind: 'forget'; forgottenAt: string };

export interface CustomerUpdate {
  customerId: string;
  version: bigint;
  position: bigint;
  change: CustomerChange;
}

/** Pure, so it is tested without a database. */
export function customerUpdateFor(event: ProjectedEvent): CustomerUpdate | undefined {
  if (!event.streamId.startsWith(CUSTOMER_STREAM_PREFIX)) return undefined;
  // Parse, don't trust: an event read back must still match its schema.
  const customer = CustomerEvent.parse({ type: event.type, data: event.data });
  const update = (change: CustomerChange): CustomerUpdate => ({
    customerId: customer.data.customerId,
    version: event.streamVersion,
    position: event.globalPosition,
    change,
  });
  switch (customer.type) {
    case 'CustomerRegistered': {
      const { email, name, registeredAt } = customer.data;
      return update({ kind: 'register', customer: { email, name, registeredAt } });
    }
    case 'CustomerProfileChanged': {
      const { email, name } = customer.data;
      return update({ kind: 'profile', fields: { ...(email === undefined ? {} : { email }), ...(name === undefined ? {} : { name }) } });
    }
    case 'CustomerForgotten':
      return update({ kind: 'forget', forgottenAt: customer.data.forgottenAt });
    default:
      return assertNever(customer);
  }
}

/** One customer's updates of a batch folded into one row change. */
export interface FoldedCustomerChange {
  customerId: string;
  registered?: { email: string; name: string; registeredAt: string };
  fields: { email?: string; name?: string };
  /** The last erasure in the batch. Erasure is for good: personal fields stay empty whatever came before or after. */
  forgottenAt?: string;
  firstVersion: bigint;
  version: bigint;
  position: bigint;
}

export function foldCustomerUpdates(updates: readonly CustomerUpdate[]): FoldedCustomerChange[] {
  const folded = new Map<string, FoldedCustomerChange>();
  for (const update of updates) {
    const current = folded.get(update.customerId) ?? {
      customerId: update.customerId,
      fields: {},
      firstVersion: update.version,
      version: update.version,
      position: update.position,
    };
    const { change } = update;
    switch (change.kind) {
      case 'register':
        current.registered = change.customer;
        break;
      case 'profile':
        current.fields = { ...current.fields, ...change.fields };
        break;
      case 'forget':
        current.forgottenAt = change.forgottenAt;
        break;
      default:
        assertNever(change);
    }
    folded.set(update.customerId, { ...current, version: update.version, position: update.position });
  }
  return [...folded.values()];
}

/**
 * The row a customer created in this batch ends as (pure). A forgotten customer keeps only its id and the time of
 * its erasure, like the domain's own forgotten state.
 */
export function createdCustomerRow(change: FoldedCustomerChange & { registered: NonNullable<FoldedCustomerChange['registered']> }): {
  email: string | null;
  name: string | null;
  registeredAt: string | null;
} {
  if (change.forgottenAt !== undefined) return { email: null, name: null, registeredAt: null };
  return {
    email: change.fields.email ?? change.registered.email,
    name: change.fields.name ?? change.registered.name,
    registeredAt: change.registered.registeredAt,
  };
}

/**
 * Writes a folded batch in at most three set-based statements: customers registered in the batch are inserted
 * whole; existing rows get their changes, guarded by stream version (an old event never moves a row backwards);
 * an erasure of a customer that has no row (its stream truncated down to the erasure) inserts the bare row.
 */
async function writeFolded(tx: pg.ClientBase, changes: readonly FoldedCustomerChange[], table: string): Promise<void> {
  const registered = changes.flatMap((c) => (c.registered ? [{ ...c, registered: c.registered }] : []));
  if (registered.length) {
    const rows = registered.map(createdCustomerRow);
    await tx.query(
      `INSERT INTO ${table} (id, email, name, registered_at, forgotten, forgotten_at, version, last_position)
       SELECT u.id, u.email, u.name, u.registered_at, u.forgotten_at IS NOT NULL, u.forgotten_at, u.version, u.position
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::bigint[], $7::bigint[])
              AS u(id, email, name, registered_at, forgotten_at, version, position)
       ON CONFLICT (id) DO NOTHING`,
      [
        registered.map((c) => c.customerId),
        rows.map((r) => r.email),
        rows.map((r) => r.name),
        rows.map((r) => r.registeredAt),
        registered.map((c) => c.forgottenAt ?? null),
        registered.map((c) => c.version.toString()),
        registered.map((c) => c.position.toString()),
      ],
    );
  }
  const existing = changes.filter((c) => !c.registered);
  if (existing.length) {
    await tx.query(
      `UPDATE ${table} t SET email = CASE WHEN t.forgotten OR u.forgotten_at IS NOT NULL THEN NULL ELSE coalesce(u.email, t.email) END,
              name = CASE WHEN t.forgotten OR u.forgotten_at IS NOT NULL THEN NULL ELSE coalesce(u.name, t.name) END,
              registered_at = CASE WHEN t.forgotten OR u.forgotten_at IS NOT NULL THEN NULL ELSE t.registered_at END,
              forgotten = t.forgotten OR u.forgotten_at IS NOT NULL, forgotten_at = coalesce(u.forgotten_at, t.forgotten_at),
              version = u.version, last_position = GREATEST(t.last_position, u.position)
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[], $5::bigint[], $6::bigint[], $7::bigint[])
              AS u(id, email, name, forgotten_at, first_version, version, position)
        WHERE t.id = u.id AND t.version < u.first_version`,
      [
        existing.map((c) => c.customerId),
        existing.map((c) => c.fields.email ?? null),
        existing.map((c) => c.fields.name ?? null),
        existing.map((c) => c.forgottenAt ?? null),
        existing.map((c) => c.firstVersion.toString()),
        existing.map((c) => c.version.toString()),
        existing.map((c) => c.position.toString()),
      ],
    );
    const bare = existing.filter((c) => c.forgottenAt !== undefined);
    if (bare.length) {
      await tx.query(
        `INSERT INTO ${table} (id, forgotten, forgotten_at, version, last_position)
         SELECT u.id, true, u.forgotten_at, u.version, u.position
           FROM unnest($1::uuid[], $2::timestamptz[], $3::bigint[], $4::bigint[]) AS u(id, forgotten_at, version, position)
         ON CONFLICT (id) DO NOTHING`,
        [bare.map((c) => c.customerId), bare.map((c) => c.forgottenAt!), bare.map((c) => c.version.toString()), bare.map((c) => c.position.toString())],
      );
    }
  }
}

const updatesOf = (events: readonly ProjectedEvent[]): CustomerUpdate[] =>
  events.map(customerUpdateFor).filter((u): u is CustomerUpdate => u !== undefined);

/**
 * The customers projection writing into `table` (the live read model, or a shadow being rebuilt). One event
 * (`apply`) is a batch of one: the same guarded statements, so the per-event and the bulk path cannot drift apart.
 */
export function customersProjectionInto(table: string): Projection {
  const project = async (tx: pg.ClientBase, events: readonly ProjectedEvent[]): Promise<string[]> => {
    const changes = foldCustomerUpdates(updatesOf(events));
    if (changes.length) await writeFolded(tx, changes, table);
    return changes.map((change) => customerCacheKey(change.customerId));
  };
  return { name: CUSTOMERS_PROJECTION, streamPrefixes: [CUSTOMER_STREAM_PREFIX], apply: (tx, event) => project(tx, [event]), applyNewer: project };
}

export const customersProjection: Projection = customersProjectionInto(CUSTOMERS_TABLE);
