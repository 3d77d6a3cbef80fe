import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { keyText, generateEd25519KeyPair } from './auth/keys.js';
import { JwtVerifierConfig } from './config.js';

describe('token settings from the environment', () => {
  const Settings = z.object(JwtVerifierConfig);
  const publicKey = keyText(generateEd25519KeyPair().publicKey);

  it('takes an empty JWT_KEY_ID as unset (compose passes ${JWT_KEY_ID:-} when the .env leaves it blank)', () => {
    expect(Settings.parse({ JWT_PUBLIC_KEY: publicKey, JWT_KEY_ID: '' }).JWT_KEY_ID).toBeUndefined();
  });

  it('keeps a pinned JWT_KEY_ID, and refuses one over 128 characters', () => {
    expect(Settings.parse({ JWT_PUBLIC_KEY: publicKey, JWT_KEY_ID: 'shop-2026' }).JWT_KEY_ID).toBe('shop-2026');
    expect(Settings.safeParse({ JWT_PUBLIC_KEY: publicKey, JWT_KEY_ID: 'k'.repeat(129) }).success).toBe(false);
  });
});
