import { createSlice, isRejectedWithValue, type UnknownAction } from '@reduxjs/toolkit';
import { z } from 'zod';
import { api } from './api';
import { authApi } from './auth/auth.api';
import { LoginResponse } from '@shop/client';
import { loadStored } from './persistence';
import { consistencyTokenOfWrite, laterToken } from './read-your-writes';

export type Auth = LoginResponse;

export interface SessionState {
  auth: Auth | null;
  /** Position of our latest write; sent on every read so it reflects that write. */
  consistencyToken: string | null;
  /** Set when the server rejected our token (401), so the UI can say why the user was signed out. */
  expired: boolean;
}

export const AUTH_STORAGE_KEY = 'shop.auth';
export const TOKEN_STORAGE_KEY = 'shop.consistency-token';

/** A request other than login was answered 401: the token is missing, expired or revoked. */
function isUnauthorized(action: UnknownAction): boolean {
  if (!isRejectedWithValue(action)) return false;
  const { payload, meta } = action as { payload?: { status?: unknown }; meta: { arg?: { endpointName?: string } } };
  return payload?.status === 401 && meta.arg?.endpointName !== 'login';
}

const writeToken = (action: UnknownAction): string | null => consistencyTokenOfWrite(action, api.reducerPath);

const initialState = (): SessionState => ({
  auth: loadStored(AUTH_STORAGE_KEY, LoginResponse),
  consistencyToken: loadStored(TOKEN_STORAGE_KEY, z.string().regex(/^\d{1,19}$/)),
  expired: false,
});

export const session = createSlice({
  name: 'session',
  initialState,
  reducers: {
    // The token goes too: it only promises this user their own writes, and a token the server can never reach
    // (a database reset under an open tab) would otherwise make every read wait and fail; logging out is the way out.
    loggedOut: () => ({ auth: null, consistencyToken: null, expired: false }),
  },
  extraReducers: (builder) => {
    builder
      .addMatcher(authApi.endpoints.login.matchFulfilled, (state, { payload }) => {
        state.auth = payload;
        state.expired = false;
      })
      // Every successful write, whatever its endpoint. Stored by the very action that invalidates the tags the
      // write touched, so the refetches it triggers already carry the new token.
      .addMatcher(
        (action: UnknownAction) => writeToken(action) !== null,
        (state, action) => {
          state.consistencyToken = laterToken(state.consistencyToken, writeToken(action));
        },
      )
      .addMatcher(isUnauthorized, (state) => {
        if (state.auth) state.expired = true;
        state.auth = null;
      });
  },
});

export const { loggedOut } = session.actions;
