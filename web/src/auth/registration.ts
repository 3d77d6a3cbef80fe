import type { RegisterRequest } from '@shop/client';

export interface RegistrationFields {
  name: string;
  email: string;
  password: string;
  repeated: string;
}

export type RegistrationErrors = Partial<Record<keyof RegistrationFields, string>>;

/** The API's rules (`RegisterRequest`), checked before sending so the shopper learns them next to each field. */
export function registration(fields: RegistrationFields): { registration: RegisterRequest } | { errors: RegistrationErrors } {
  const errors: RegistrationErrors = {};
  const name = fields.name.trim();
  const email = fields.email.trim();
  if (!name) errors.name = 'Enter your name.';
  else if (name.length > 200) errors.name = 'At most 200 characters.';
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254) errors.email = 'Enter an email address.';
  if (fields.password.length < 12) errors.password = 'At least 12 characters.';
  else if (fields.password.length > 1024) errors.password = 'At most 1,024 characters.';
  if (fields.repeated !== fields.password) errors.repeated = 'The passwords differ.';
  return Object.keys(errors).length > 0 ? { errors } : { registration: { name, email, password: fields.password } };
}
