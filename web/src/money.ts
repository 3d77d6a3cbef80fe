// Money is integer cents everywhere; these helpers are the only place that deals with decimal text.

const DECIMAL = /^(\d+)(?:[.,](\d{1,2}))?$|^[.,](\d{1,2})$/;

/**
 * Parses a decimal amount such as "12.34", "12", "0.5" or ".99" into integer cents
 * using string arithmetic only (no float rounding). Returns null for anything else:
 * negatives, more than two decimals, exponents, or amounts beyond Number.MAX_SAFE_INTEGER cents.
 */
export function parseCents(input: string): number | null {
  const match = DECIMAL.exec(input.trim());
  if (!match) return null;
  const whole = match[1] ?? '0';
  const fraction = (match[2] ?? match[3] ?? '').padEnd(2, '0');
  const cents = Number(whole) * 100 + Number(fraction);
  return Number.isSafeInteger(cents) ? cents : null;
}

const formatters = new Map<string, Intl.NumberFormat>();

/** Formats integer cents in the given ISO 4217 currency, e.g. formatCents(1234, 'EUR') → "€12.34". */
export function formatCents(cents: number, currency: string, locale?: string): string {
  const key = `${locale ?? ''}|${currency}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, { style: 'currency', currency });
    formatters.set(key, formatter);
  }
  return formatter.format(cents / 100);
}

/** Parses a non-negative whole number written with digits only ("0", "42"); null otherwise. */
export function parseCount(input: string): number | null {
  const text = input.trim();
  if (!/^\d+$/.test(text)) return null;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : null;
}

/** Integer cents as the plain decimal text `parseCents` reads back: 1234 → "12.34", 5 → "0.05". */
export function formatAmount(cents: number): string {
  const whole = Math.trunc(cents / 100);
  const fraction = String(Math.abs(cents % 100)).padStart(2, '0');
  return `${cents < 0 && whole === 0 ? '-' : ''}${whole}.${fraction}`;
}
