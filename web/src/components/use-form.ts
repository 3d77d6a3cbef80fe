import { useEffect, useId, useRef, useState } from 'react';

/** The problem found in each field, if any. */
export type FieldErrors<F> = Partial<Record<keyof F, string>>;

/**
 * What every form of the app keeps: its fields as typed, and the problem its pure check found in each. The check is
 * the form's own function of the fields that answers either what to send or `{ errors }`.
 * - `input(name)` wires a text input to a field (name, value, change, aria-invalid);
 * - a form that shows each error as `<FieldError {...errorOf(name)} />` adds `describedBy(name)` to the input, so the
 *   error is read out with the field;
 * - `check(result)` shows the result's errors and answers null, or clears them and answers what to send;
 * - a form that passes `formRef` to its <form> gets the focus moved to its first field in error after a failed check,
 *   so a keyboard or screen-reader user lands on what to fix.
 */
export function useForm<F extends { [K in keyof F]: string }>(initial: F) {
  const [fields, setFields] = useState<F>(initial);
  const [errors, setErrors] = useState<FieldErrors<F>>({});
  const [failedChecks, setFailedChecks] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  const idPrefix = useId();
  const errorId = (name: keyof F) => `${idPrefix}-${String(name)}-error`;

  // After the errors are on screen (and each field names its own), not before: the field is read with its error.
  useEffect(() => {
    if (failedChecks > 0) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [failedChecks]);

  const input = (name: keyof F) => ({
    name: String(name),
    value: fields[name],
    onChange: (event: { target: { value: string } }) => setFields((current) => ({ ...current, [name]: event.target.value })),
    'aria-invalid': errors[name] ? true : undefined,
  });

  const describedBy = (name: keyof F) => ({ 'aria-describedby': errors[name] ? errorId(name) : undefined });

  const errorOf = (name: keyof F) => ({ text: errors[name], id: errorId(name) });

  function check<R extends object>(result: R): Exclude<R, { errors: unknown }> | null {
    if ('errors' in result) {
      setErrors(result.errors as FieldErrors<F>);
      setFailedChecks((count) => count + 1);
      return null;
    }
    setErrors({});
    return result as Exclude<R, { errors: unknown }>;
  }

  return { fields, setFields, errors, input, describedBy, errorOf, check, formRef };
}
