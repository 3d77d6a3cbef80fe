import { configureStore } from '@reduxjs/toolkit';
import { useDispatch, useSelector } from 'react-redux';
import { api } from './api';
import { saveAuth, session } from './session';

export const store = configureStore({
  reducer: {
    [api.reducerPath]: api.reducer,
    [session.name]: session.reducer,
  },
  middleware: (getDefault) => getDefault().concat(api.middleware),
});

// Mirror the login into sessionStorage so a reload keeps the user signed in (per tab).
let savedAuth = store.getState().session.auth;
store.subscribe(() => {
  const { auth } = store.getState().session;
  if (auth !== savedAuth) {
    savedAuth = auth;
    saveAuth(auth);
  }
});

export type RootState = ReturnType<typeof store.getState>;
export type AppDispatch = typeof store.dispatch;
export const useAppSelector = useSelector.withTypes<RootState>();
export const useAppDispatch = useDispatch.withTypes<AppDispatch>();
