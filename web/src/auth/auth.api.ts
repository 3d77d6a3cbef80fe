import { shopRequests, type LoginRequest, type LoginResponse, type RegisterRequest, type RegisterResponse } from '@shop/client';
import { api } from '../api';

export const authApi = api.injectEndpoints({
  endpoints: (build) => ({
    login: build.mutation<LoginResponse, LoginRequest>({
      query: (body) => shopRequests.login(body),
    }),
    // Revokes every token of the account on the server (all its sessions), not only this tab's.
    logout: build.mutation<undefined, void>({
      query: () => shopRequests.logout(),
    }),
    register: build.mutation<RegisterResponse, RegisterRequest>({
      query: (body) => shopRequests.registerCustomer(body),
    }),
  }),
});

export const { useLoginMutation, useLogoutMutation, useRegisterMutation } = authApi;
