import { useState } from 'react';

/** The problem found in each field, if any. */
export type FieldErrors<F> = Partial<Record<keyof F, string>>;

/**
 * What every form of the app keeps: its fields as typed, and the problem its pure check found in each. The check is
 * the form's own function of the fields that answers either what to send or `{ errors }`. `input(name)` wires a text
 * input to a field (value, change, aria-invalid); `check(result)` shows the result's errors and answers null, or
 * clears them and answers what to send.
 */
export function useForm<F extends { [K in keyof F]: string }>(initial: F) {
  const [fields, setFields] = useState<F>(initial);
  const [errors, setErrors] = useState<FieldErrors<F>>({});

  const input = (name: keyof F) => ({
    value: fields[name],
    onChange: (event: { target: { value: string } }) => setFields((current) => ({ ...current, [name]: event.target.value })),
    'aria-invalid': errors[name] ? true : undefined,
  });

  function check<R extends object>(result: R): Exclude<R, { errors: unknown }> | null {
    if ('errors' in result) {
      setErrors(result.errors as FieldErrors<F>);
      return null;
    }
    setErrors({});
    return result as Exclude<R, { errors: unknown }>;
  }

  return { fields, setFields, errors, input, check };
}
