import { describe, expect, it } from '@jest/globals';
import { countryName, EMPTY_ADDRESS, toShippingAddress } from './shipping-address';

const london = { ...EMPTY_ADDRESS, line1: '12 St James Square', city: 'London', postalCode: 'SW1Y 4JH', country: 'GB' };

describe('toShippingAddress', () => {
  it('accepts the required fields alone, leaving the empty optional ones out (the API refuses empty strings)', () => {
    expect(toShippingAddress(london)).toEqual({ address: { line1: '12 St James Square', city: 'London', postalCode: 'SW1Y 4JH', country: 'GB' } });
  });

  it('trims every field and keeps the optional ones that are filled in', () => {
    expect(toShippingAddress({ ...london, name: '  Ada Lovelace ', line2: ' Flat 3 ', city: ' London ' })).toEqual({
      address: { name: 'Ada Lovelace', line1: '12 St James Square', line2: 'Flat 3', city: 'London', postalCode: 'SW1Y 4JH', country: 'GB' },
    });
  });

  it('upper-cases the country code', () => {
    expect(toShippingAddress({ ...london, country: ' de ' })).toMatchObject({ address: { country: 'DE' } });
  });

  it('refuses a country that is not a two-letter ISO 3166-1 code, like the API', () => {
    for (const country of ['Germany', 'D', 'DEU', '12', '']) {
      expect(toShippingAddress({ ...london, country })).toEqual({ errors: { country: expect.stringMatching(/two-letter/) } });
    }
  });

  it('names every missing required field', () => {
    expect(toShippingAddress({ ...EMPTY_ADDRESS, line1: '  ' })).toEqual({
      errors: { line1: expect.any(String), city: expect.any(String), postalCode: expect.any(String), country: expect.any(String) },
    });
  });
});

describe('countryName', () => {
  it('names a country the runtime knows, as a hint next to the code', () => {
    expect(countryName('de', 'en')).toBe('Germany');
  });

  it('has no name for codes of the wrong shape or unknown ones', () => {
    expect(countryName('Germany', 'en')).toBeNull();
    expect(countryName('QQ', 'en')).toBeNull();
  });
});
