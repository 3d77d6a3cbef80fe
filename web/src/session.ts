import { createSlice, isRejectedWithValue, type UnknownAction } from '@reduxjs/toolkit';
import { api } from './api';
import type { LoginResponse } from './types';

export type Auth = LoginResponse;

export interface SessionState {
  auth: Auth | null;
  /** Position of our latest write; sent on reads so they reflect it. */
  consistencyToken: string | null;
  /** Set when the server rejected our token (401), so the UI can say why the user was signed out. */
  expired: boolean;
}

const STORAGE_KEY = 'shop.auth';

function loadAuth(): Auth | null {
  try {
    const stored = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null') as Partial<Auth> | null;
    return stored && typeof stored.token === 'string' && typeof stored.role === 'string' ? (stored as Auth) : null;
  } catch {
    return null;
  }
}

export function saveAuth(auth: Auth | null): void {
  if (auth) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(auth));
  else sessionStorage.removeItem(STORAGE_KEY);
}

/** A request other than login was answered 401: the token is missing, expired or revoked. */
function isUnauthorized(action: UnknownAction): boolean {
  if (!isRejectedWithValue(action)) return false;
  const { payload, meta } = action as { payload?: { status?: unknown }; meta: { arg?: { endpointName?: string } } };
  return payload?.status === 401 && meta.arg?.endpointName !== 'login';
}

const initialState: SessionState = { auth: loadAuth(), consistencyToken: null, expired: false };

export const session = createSlice({
  name: 'session',
  initialState,
  reducers: {
    loggedOut: () => ({ auth: null, consistencyToken: null, expired: false }),
  },
  extraReducers: (builder) => {
    builder
      .addMatcher(api.endpoints.login.matchFulfilled, (state, { payload }) => {
        state.auth = payload;
        state.expired = false;
      })
      // Stored by the same action that invalidates the 'Product' tag, so the refetch already carries it.
      .addMatcher(api.endpoints.createProduct.matchFulfilled, (state, { payload }) => {
        if (payload.consistencyToken) state.consistencyToken = payload.consistencyToken;
      })
      .addMatcher(isUnauthorized, (state) => {
        if (state.auth) state.expired = true;
        state.auth = null;
      });
  },
});

export const { loggedOut } = session.actions;
