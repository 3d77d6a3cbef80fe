/**
 * Personal data in events (GDPR). The domain only declares which fields are personal and whose they are; the store's
 * adapter edge encrypts them under the subject's own key on append and decrypts them on read (crypto-shredding,
 * @shop/kernel `PersonalDataCodec`), so deciders and projections always see plaintext — or, once the subject's key is
 * gone, this placeholder.
 */
export const ERASED = '[erased]';

export interface PersonalDataFields {
  /** The data field holding the subject's id: the key the fields are encrypted under. */
  readonly subject: string;
  /** Dot paths into the event's data; an absent one (an optional field) is skipped. */
  readonly paths: readonly string[];
}

export interface PersonalDataPolicy {
  /** Event type → its personal fields. */
  readonly fields: Readonly<Record<string, PersonalDataFields>>;
  /** Event type → the data field naming the subject it erases: seen on read, any cached key of that subject goes. */
  readonly erasures: Readonly<Record<string, string>>;
  /** What a personal field reads as once its subject's key is gone. */
  readonly erased: typeof ERASED;
}

/**
 * Every personal field the shop records, keyed by the customer. An order's shipping address is the customer's
 * personal data too; its country stays readable (tax, sales by country, and on its own it names nobody).
 */
export const PERSONAL_DATA: PersonalDataPolicy = {
  fields: {
    CustomerRegistered: { subject: 'customerId', paths: ['email', 'name'] },
    CustomerProfileChanged: { subject: 'customerId', paths: ['email', 'name'] },
    OrderPlaced: {
      subject: 'customerId',
      paths: ['shippingAddress.name', 'shippingAddress.line1', 'shippingAddress.line2', 'shippingAddress.city', 'shippingAddress.postalCode'],
    },
  },
  erasures: { CustomerForgotten: 'customerId' },
  erased: ERASED,
};
