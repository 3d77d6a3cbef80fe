import { describe, expect, it } from '@jest/globals';
import { registration } from './registration';

const valid = { name: ' Ada Lovelace ', email: ' ada@example.com ', password: 'correct horse battery', repeated: 'correct horse battery' };

describe('registration', () => {
  it('sends the trimmed name and email and the password as typed', () => {
    expect(registration(valid)).toEqual({ registration: { name: 'Ada Lovelace', email: 'ada@example.com', password: 'correct horse battery' } });
  });

  it('refuses what the API refuses: short passwords, no name, no email', () => {
    expect(registration({ ...valid, password: 'short', repeated: 'short' })).toEqual({ errors: { password: expect.stringMatching(/12/) } });
    expect(registration({ ...valid, name: '  ', email: 'ada' })).toEqual({ errors: { name: expect.any(String), email: expect.any(String) } });
  });

  it('catches a mistyped repeat before sending', () => {
    expect(registration({ ...valid, repeated: 'correct horse battery!' })).toEqual({ errors: { repeated: expect.any(String) } });
  });
});
