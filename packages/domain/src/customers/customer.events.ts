import { z } from 'zod';
import { eventSchema, schemaVersions } from '../shared/event-schema.js';
import { ERASED } from '../shared/personal-data.js';
import { Timestamp } from '../shared/time.js';

/** An email as recorded: once its customer's key is shredded it reads as the erasure placeholder. */
const RecordedEmail = z.union([z.email(), z.literal(ERASED)]);

export const CUSTOMER_STREAM_PREFIX = 'customer-';
export const customerStreamId = (customerId: string): string => `${CUSTOMER_STREAM_PREFIX}${customerId}`;

export const CustomerRegistered = eventSchema(
  'CustomerRegistered',
  z.strictObject({ customerId: z.uuid(), email: RecordedEmail, name: z.string().min(1), registeredAt: Timestamp }),
);
export type CustomerRegistered = z.infer<typeof CustomerRegistered>;

/** Only the fields that changed; at least one. */
export const CustomerProfileChanged = eventSchema(
  'CustomerProfileChanged',
  z
    .strictObject({ customerId: z.uuid(), name: z.string().min(1).optional(), email: RecordedEmail.optional() })
    .refine((data) => data.name !== undefined || data.email !== undefined, 'A profile change changes the name or the email'),
);
export type CustomerProfileChanged = z.infer<typeof CustomerProfileChanged>;

/** GDPR erasure: from here on the customer's personal data is gone from every state and read model. */
export const CustomerForgotten = eventSchema('CustomerForgotten', z.strictObject({ customerId: z.uuid(), forgottenAt: Timestamp }));
export type CustomerForgotten = z.infer<typeof CustomerForgotten>;

/** Every customer event, as a discriminated union on `type`. The zod schema is the source of truth. */
export const CustomerEvent = z.discriminatedUnion('type', [CustomerRegistered, CustomerProfileChanged, CustomerForgotten]);
export type CustomerEvent = z.infer<typeof CustomerEvent>;
export type CustomerEventType = CustomerEvent['type'];

/** Schema version of each event type as written today (all at 1); older versions are upcast on read. */
export const CUSTOMER_EVENT_VERSIONS = schemaVersions(CustomerEvent);
