import { configureStore } from '@reduxjs/toolkit';
import { useDispatch, useSelector } from 'react-redux';
import { api } from './api';
import { loadStored, saveStored } from './persistence';
import { AUTH_STORAGE_KEY, session, TOKEN_STORAGE_KEY } from './session';
import { cart, CartState, EMPTY_CART } from './shop/cart';

const CART_STORAGE_KEY = 'shop.cart';

/** The app's store, built once in main.tsx (and freshly per test). */
export function createStore() {
  const store = configureStore({
    reducer: {
      [api.reducerPath]: api.reducer,
      [session.name]: session.reducer,
      [cart.name]: cart.reducer,
    },
    preloadedState: { [cart.name]: loadStored(CART_STORAGE_KEY, CartState) ?? EMPTY_CART },
    middleware: (getDefault) => getDefault().concat(api.middleware),
  });
  mirrorToSessionStorage(store);
  return store;
}

export type AppStore = ReturnType<typeof createStore>;
export type RootState = ReturnType<AppStore['getState']>;
export type AppDispatch = AppStore['dispatch'];
export const useAppSelector = useSelector.withTypes<RootState>();
export const useAppDispatch = useDispatch.withTypes<AppDispatch>();

/**
 * What must survive a reload, per tab: the login, the latest Consistency-Token (so a reload still shows our
 * writes) and the cart with its pending checkout attempt (so a retry after a reload reuses its Idempotency-Key).
 * Written only when the slice changed (reference equality: the reducers are immutable).
 */
function mirrorToSessionStorage(store: { getState: () => RootState; subscribe: (listener: () => void) => unknown }): void {
  const mirrored: Array<[string, (state: RootState) => unknown]> = [
    [AUTH_STORAGE_KEY, (state) => state.session.auth],
    [TOKEN_STORAGE_KEY, (state) => state.session.consistencyToken],
    [CART_STORAGE_KEY, (state) => state.cart],
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
