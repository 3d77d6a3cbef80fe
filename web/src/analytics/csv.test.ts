import { describe, expect, it } from '@jest/globals';
import { csvField, csvFileName, toCsv } from './csv';

describe('toCsv', () => {
  it('separates fields by commas and ends every record with CRLF', () => {
    expect(toCsv(['Day', 'Revenue (cents)'], [['2026-11-01', 3490], ['2026-11-02', -1000]])).toBe(
      'Day,Revenue (cents)\r\n2026-11-01,3490\r\n2026-11-02,-1000\r\n',
    );
  });

  it('quotes a field with a comma, a quote, a CR or an LF, doubling its quotes', () => {
    expect(csvField('Mug, large')).toBe('"Mug, large"');
    expect(csvField('The "good" mug')).toBe('"The ""good"" mug"');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(toCsv(['Product'], [['a "b", c']])).toBe('Product\r\n"a ""b"", c"\r\n');
  });

  it('leaves other text as it is, non-ASCII included', () => {
    expect(csvField('Théière en fonte ☕')).toBe('Théière en fonte ☕');
    expect(csvField('')).toBe('');
  });
});

describe('csvFileName', () => {
  it('names the file after the table and its days', () => {
    expect(csvFileName('Sales by day', '2026-11-01', '2026-11-30')).toBe('sales-by-day_2026-11-01_2026-11-30.csv');
    expect(csvFileName('Top products (EUR)', '2026-11-01', '2026-11-01')).toBe('top-products-eur_2026-11-01_2026-11-01.csv');
  });
});
