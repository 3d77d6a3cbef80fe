import { ShippingAddress } from '@shop/domain';

export interface AddressFields {
  name: string;
  line1: string;
  line2: string;
  city: string;
  postalCode: string;
  country: string;
}

export type AddressErrors = Partial<Record<keyof AddressFields, string>>;

export const EMPTY_ADDRESS: AddressFields = { name: '', line1: '', line2: '', city: '', postalCode: '', country: '' };

const MESSAGES: Record<keyof AddressFields, string> = {
  name: 'Enter the recipient, or leave it empty.',
  line1: 'Enter the street and number.',
  line2: 'Leave it empty, or enter a second line.',
  city: 'Enter the city.',
  postalCode: 'Enter the postal code.',
  country: 'Enter the two-letter country code (ISO 3166-1), e.g. DE or GB.',
};

const isField = (key: PropertyKey | undefined): key is keyof AddressFields => typeof key === 'string' && key in MESSAGES;

/**
 * The address to send, checked by the API's own schema (@shop/domain's ShippingAddress), or a message per field.
 * Text is trimmed, empty optional fields are left out (the API refuses empty strings), and the country code is
 * upper-cased, since "de" can only mean DE.
 */
export function toShippingAddress(fields: AddressFields): { address: ShippingAddress } | { errors: AddressErrors } {
  const optional = (value: string) => (value.trim() ? value.trim() : undefined);
  const candidate = {
    name: optional(fields.name),
    line1: fields.line1.trim(),
    line2: optional(fields.line2),
    city: fields.city.trim(),
    postalCode: fields.postalCode.trim(),
    country: fields.country.trim().toUpperCase(),
  };
  const parsed = ShippingAddress.safeParse(Object.fromEntries(Object.entries(candidate).filter(([, value]) => value !== undefined)));
  if (parsed.success) return { address: parsed.data };
  const errors: AddressErrors = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0];
    if (isField(field)) errors[field] = MESSAGES[field];
  }
  return { errors };
}

/** "Germany" for "DE", where the browser knows the code; null otherwise. A hint only: the API checks the form. */
export function countryName(code: string, locale?: string): string | null {
  const upper = code.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(upper)) return null;
  try {
    const name = new Intl.DisplayNames(locale ? [locale] : undefined, { type: 'region' }).of(upper);
    return name && name !== upper ? name : null;
  } catch {
    return null;
  }
}
