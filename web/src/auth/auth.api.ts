import { api } from '../api';
import { LoginResponse, RegisterResponse, type Credentials, type Registration } from '../contract';

export const authApi = api.injectEndpoints({
  endpoints: (build) => ({
    login: build.mutation<LoginResponse, Credentials>({
      query: (body) => ({ url: 'auth/login', method: 'POST', body }),
      responseSchema: LoginResponse,
    }),
    // Revokes every token of the account on the server (all its sessions), not only this tab's.
    logout: build.mutation<void, void>({
      query: () => ({ url: 'auth/logout', method: 'POST' }),
    }),
    register: build.mutation<RegisterResponse, Registration>({
      query: (body) => ({ url: 'auth/register', method: 'POST', body }),
      responseSchema: RegisterResponse,
    }),
  }),
});

export const { useLoginMutation, useLogoutMutation, useRegisterMutation } = authApi;
