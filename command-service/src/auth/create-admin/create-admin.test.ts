import { Readable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { checkAdminPassword, parseCreateAdminArgs, readFirstLine, UsageError } from './create-admin.js';

const stdin = (...chunks: string[]): Readable => Readable.from(chunks.map((chunk) => Buffer.from(chunk)));

describe('create-admin input', () => {
  it('reads the first line only, without its line break (LF or CRLF), across chunks', async () => {
    expect(await readFirstLine(stdin('pass', 'phrase one\r\n', 'second line\n'))).toBe('passphrase one');
  });

  it('takes a last line without a line break, and nothing from an empty input', async () => {
    expect(await readFirstLine(stdin('no newline at the end'))).toBe('no newline at the end');
    expect(await readFirstLine(stdin())).toBeUndefined();
  });

  it('stops reading an endless line at the password limit', async () => {
    await expect(readFirstLine(stdin('x'.repeat(600), 'x'.repeat(600)))).rejects.toBeInstanceOf(UsageError);
  });

  it('lower-cases the email and refuses a missing or malformed one as a usage error', () => {
    expect(parseCreateAdminArgs(['--email', ' Ops@Example.COM '])).toEqual({ email: 'ops@example.com' });
    expect(() => parseCreateAdminArgs([])).toThrow(UsageError);
    expect(() => parseCreateAdminArgs(['--email', 'ops'])).toThrow(/not an email address/);
    expect(() => parseCreateAdminArgs(['--email', 'a@example.com', 'extra'])).toThrow(UsageError);
  });

  it('keeps passwords between 12 and 1,024 characters that are not a published default', () => {
    expect(checkAdminPassword('twelve chars')).toBe('twelve chars');
    expect(() => checkAdminPassword('eleven char')).toThrow(/at least 12/);
    expect(() => checkAdminPassword('x'.repeat(1_025))).toThrow(/at most 1024/);
    expect(() => checkAdminPassword('integration-password')).toThrow(/published default/);
  });
});
