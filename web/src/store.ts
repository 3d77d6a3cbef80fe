import { configureStore } from '@reduxjs/toolkit';
import { useDispatch, useSelector } from 'react-redux';
import { api } from './api';
import { saveStored } from './persistence';
import { AUTH_STORAGE_KEY, session, TOKEN_STORAGE_KEY } from './session';
import { cart } from './shop/cart';
import { keepCartStored, loadCart } from './shop/cart-storage';

/** The app's store, built once in main.tsx (and freshly per test). */
export function createStore() {
  const store = configureStore({
    reducer: {
      [api.reducerPath]: api.reducer,
      [session.name]: session.reducer,
      [cart.name]: cart.reducer,
    },
    preloadedState: { [cart.name]: loadCart() },
    middleware: (getDefault) => getDefault().concat(api.middleware),
  });
  mirrorToSessionStorage(store);
  keepCartStored(store);
  return store;
}

export type AppStore = ReturnType<typeof createStore>;
export type RootState = ReturnType<AppStore['getState']>;
export type AppDispatch = AppStore['dispatch'];
export const useAppSelector = useSelector.withTypes<RootState>();
export const useAppDispatch = useDispatch.withTypes<AppDispatch>();

/**
 * What must survive a reload, per tab: the login and the latest Consistency-Token (so a reload still shows our
 * writes). Written only when the slice changed (reference equality: the reducers are immutable). The cart, with its
 * pending checkout attempt (so a retry after a reload reuses its Idempotency-Key), is kept by keepCartStored.
 */
function mirrorToSessionStorage(store: { getState: () => RootState; subscribe: (listener: () => void) => unknown }): void {
  const mirrored: Array<[string, (state: RootState) => unknown]> = [
    [AUTH_STORAGE_KEY, (state) => state.session.auth],
    [TOKEN_STORAGE_KEY, (state) => state.session.consistencyToken],
  ];
  const last = new Map(mirrored.map(([key, select]) => [key, select(store.getState())]));
  store.subscribe(() => {
    const state = store.getState();
    for (const [key, select] of mirrored) {
      const value = select(state);
      if (value !== last.get(key)) {
        last.set(key, value);
        saveStored(key, value);
      }
    }
  });
}
