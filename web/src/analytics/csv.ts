/**
 * CSV as RFC 4180 writes it: fields separated by commas, records by CRLF, and a field quoted (its quotes doubled)
 * when it holds a comma, a quote, a CR or an LF. Other fields are left bare, so numbers stay numbers in a spreadsheet.
 */
export type CsvField = string | number;

const NEEDS_QUOTES = /[",\r\n]/;

export function csvField(value: CsvField): string {
  const text = String(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The header and the rows as one CSV document (a CRLF after every record, the last included, as RFC 4180 allows). */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvField[])[]): string {
  return [header, ...rows].map((record) => `${record.map(csvField).join(',')}\r\n`).join('');
}

/** `sales-by-day_2026-11-01_2026-11-30.csv`: the table and its (inclusive) days, so two downloads never collide. */
export function csvFileName(table: string, fromDay: string, toDay: string): string {
  const slug = table
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `${slug}_${fromDay}_${toDay}.csv`;
}
