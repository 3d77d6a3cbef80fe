import { execFileSync } from 'node:child_process';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { generateEd25519KeyPair, keyIdOf, keyText, parseEd25519PrivateKey, parseEd25519PublicKey } from './keys.js';

describe('Ed25519 key settings', () => {
  const pair = generateEd25519KeyPair();
  const privatePem = pair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const publicPem = pair.publicKey.export({ format: 'pem', type: 'spki' }).toString();

  it('reads a private key given as one line of base64 DER or as PEM, to the same key', () => {
    expect(keyText(parseEd25519PrivateKey(keyText(pair.privateKey)))).toBe(keyText(pair.privateKey));
    expect(keyText(parseEd25519PrivateKey(privatePem))).toBe(keyText(pair.privateKey));
  });

  it('reads a PEM whose line breaks were written as literal \\n (a .env file)', () => {
    expect(keyText(parseEd25519PublicKey(publicPem.replace(/\n/g, '\\n')))).toBe(keyText(pair.publicKey));
  });

  it('reads the public key as base64 DER or PEM', () => {
    expect(keyText(parseEd25519PublicKey(keyText(pair.publicKey)))).toBe(keyText(pair.publicKey));
    expect(keyText(parseEd25519PublicKey(publicPem))).toBe(keyText(pair.publicKey));
  });

  it('reads the keys the README\'s openssl commands make', () => {
    const privateDer = execFileSync('openssl', ['genpkey', '-algorithm', 'ed25519', '-outform', 'DER']);
    const publicDer = execFileSync('openssl', ['pkey', '-inform', 'DER', '-pubout', '-outform', 'DER'], { input: privateDer });
    const privateKey = parseEd25519PrivateKey(privateDer.toString('base64'));
    const publicKey = parseEd25519PublicKey(publicDer.toString('base64'));
    expect(keyText(createPublicKey(privateKey))).toBe(keyText(publicKey));
  });

  it('refuses a private key where the public key belongs, so the verifying service never holds the signing key', () => {
    expect(() => parseEd25519PublicKey(privatePem)).toThrow(/private key/);
    expect(() => parseEd25519PublicKey(keyText(pair.privateKey))).toThrow(/it is a private key; give the public key only/);
  });

  it('refuses keys of another type, and text that is no key', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(() => parseEd25519PrivateKey(rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString())).toThrow(/rsa key, not Ed25519/);
    expect(() => parseEd25519PublicKey(rsa.publicKey.export({ format: 'pem', type: 'spki' }).toString())).toThrow(/rsa key, not Ed25519/);
    expect(() => parseEd25519PrivateKey('local-development-secret-change-me-0123456789')).toThrow(/neither PEM nor one line of base64 DER/);
    expect(() => parseEd25519PrivateKey('AAAA')).toThrow(/cannot be read/);
  });

  it('names a key by its RFC 7638 thumbprint: stable for a key, different between keys', () => {
    // RFC 8037 appendix A.3: the thumbprint of its example Ed25519 key.
    const rfcKey = parseEd25519PublicKey(Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from('11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo', 'base64url')]).toString('base64'));
    expect(keyIdOf(rfcKey)).toBe('kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k');
    expect(keyIdOf(pair.publicKey)).toBe(keyIdOf(parseEd25519PublicKey(publicPem)));
    expect(keyIdOf(generateEd25519KeyPair().publicKey)).not.toBe(keyIdOf(pair.publicKey));
  });
});
