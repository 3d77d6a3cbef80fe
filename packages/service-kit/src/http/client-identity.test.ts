import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { ClientIdentityConfig, parseTrustedProxies } from './client-identity.js';

describe('TRUSTED_PROXIES', () => {
  const config = z.object(ClientIdentityConfig);

  it('defaults to loopback and the private ranges a compose network uses', () => {
    expect(config.parse({}).TRUSTED_PROXIES).toEqual(['loopback', 'uniquelocal']);
  });

  it('takes addresses and CIDR ranges of both families', () => {
    expect(parseTrustedProxies(' 10.0.0.5, 172.18.0.0/16 ,fd00::/8,::1')).toEqual({ ok: true, value: ['10.0.0.5', '172.18.0.0/16', 'fd00::/8', '::1'] });
  });

  it('trusts no proxy when told none', () => {
    expect(parseTrustedProxies('none')).toEqual({ ok: true, value: false });
  });

  it('refuses entries it does not understand instead of trusting nothing or everything', () => {
    expect(parseTrustedProxies('loopback,10.0.0.0/33,gateway,1.2.3')).toEqual({ ok: false, invalid: ['10.0.0.0/33', 'gateway', '1.2.3'] });
    expect(parseTrustedProxies(' , ')).toMatchObject({ ok: false });
    expect(config.safeParse({ TRUSTED_PROXIES: 'everyone' }).success).toBe(false);
  });
});
