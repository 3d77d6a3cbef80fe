import type { z } from 'zod';

// What must survive a reload of the tab (the login, our latest Consistency-Token) lives in sessionStorage: per tab,
// gone when the tab closes. The cart lives in localStorage (shop/cart-storage.ts): a shopper finds it again in a new
// tab. Stored values are parsed like any other input: a value from an older version of the app, or edited by hand,
// is ignored rather than trusted.

/** The browser's storage of that kind, or null where there is none or it may not be used. */
export function browserStorage(kind: 'session' | 'local' = 'session'): Storage | null {
  try {
    if (kind === 'local') return typeof localStorage === 'undefined' ? null : localStorage;
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    // Some privacy modes throw on access.
    return null;
  }
}

const storage = (): Storage | null => browserStorage('session');

export function loadStored<S extends z.ZodType>(key: string, schema: S): z.infer<S> | null {
  try {
    const parsed = schema.safeParse(JSON.parse(storage()?.getItem(key) ?? 'null'));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function saveStored(key: string, value: unknown): void {
  try {
    if (value === null || value === undefined) storage()?.removeItem(key);
    else storage()?.setItem(key, JSON.stringify(value));
  } catch {
    // A full or unavailable storage only costs the state surviving a reload.
  }
}
