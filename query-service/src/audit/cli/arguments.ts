import { parseArgs } from 'node:util';
import { z } from 'zod';
import type { LogAnchor } from '@shop/kernel';
import { AnchorText, PositionText, StreamIdText } from '../audit.params.js';
import { AsOfText, type AsOf } from '../order-as-of.js';

/** `npm run audit -- <command>`: its arguments read into one command (pure); ../audit.cli.ts runs it. */

export type AuditCommand =
  | { kind: 'verify'; anchor?: LogAnchor; signed?: SignedAnchorFiles; batchSize?: number; concurrency?: number }
  | { kind: 'keygen'; out: string }
  | { kind: 'anchor'; privateKeyFile?: string; out?: string; batchSize?: number; concurrency?: number }
  | { kind: 'export'; after: bigint; to?: bigint; out?: string }
  | { kind: 'stream'; streamId: string; json: boolean }
  | { kind: 'order'; orderId: string; asOf: AsOf }
  | { kind: 'forget'; customerId: string }
  | { kind: 'help' }
  | { kind: 'usage'; error: string };

/** `verify --anchor <signed-anchor-file> --public-key <file>`: the anchor comes from a file whose signature is checked. */
export interface SignedAnchorFiles {
  anchorFile: string;
  publicKeyFile: string;
}

export const USAGE = `Usage: npm run audit -- <command>
  verify [--anchor <position>:<digest>] [--batch-size <n>] [--concurrency <n>]
          recompute every hash chain of the event store (progress lines); prints the first broken link and exits 1
          if any link is broken. Prints the log's anchor: keep it outside the database, pass it to a later verify.
  verify --anchor <signed-anchor-file> --public-key <file> [--batch-size <n>] [--concurrency <n>]
          check the signed anchor's signature with the auditor's public key (exit 1 if it is not valid), then
          verify as above against that anchor
  keygen [--out <prefix>]
          make the auditor's Ed25519 key pair: <prefix>.key (private, mode 0600) and <prefix>.pub (public);
          default prefix audit-anchor; never overwrites a file
  anchor [--sign <private-key-file>] [--out <file>] [--batch-size <n>] [--concurrency <n>]
          verify the log (progress on stderr) and print its anchor; with --sign, as a signed anchor document (JSON:
          position, digest, time, key id, Ed25519 signature), on stdout or into a new file. Refuses a broken log.
  stream <streamId> [--json]
          print a stream's events in version order with their envelopes and hashes (--json: one JSON object a line)
  export [--after <position>] [--to <position>] [--out <file>]
          write the log's events after <after> through <to> (default: all) as NDJSON, one event with its envelope a
          line, to stdout or into a new file, with a progress line on stderr
  order <orderId> [--as-of <ISO 8601 time with zone | stream version>]
          print the order as it was then (replayed from its stream), or as it is now
  forget <customerId>
          GDPR erasure (crypto-shredding): deletes the customer's data key, removes its login and appends
          CustomerForgotten; its personal data reads [erased] from then on and the hash chains still verify
Settings: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/shop); DATA_KEY_ENCRYPTION_KEY (the services'): with
  it, stream and order show personal fields decrypted (or [erased]), without it as stored (encrypted); forget needs it`;

const Count = (max: number) => z.coerce.number().int().min(1).max(max);

const failure = (error: z.ZodError, what: string): AuditCommand => ({
  kind: 'usage',
  error: `${what}: ${error.issues.map((issue) => issue.message).join('; ')}`,
});

export function parseAuditCommand(argv: readonly string[]): AuditCommand {
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(argv);
  } catch (error) {
    return { kind: 'usage', error: error instanceof Error ? error.message : String(error) };
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  const [command, target, ...extra] = positionals;
  if (extra.length > 0) return { kind: 'usage', error: `Unexpected arguments: ${extra.join(' ')}` };
  if (command === undefined) return { kind: 'usage', error: 'No command given' };
  const parse = PARSERS.get(command);
  return parse ? parse(values, target) : { kind: 'usage', error: `Unknown command ${command}` };
}

function parseOptions(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      anchor: { type: 'string' },
      'batch-size': { type: 'string' },
      concurrency: { type: 'string' },
      json: { type: 'boolean' },
      'as-of': { type: 'string' },
      // keygen, anchor, verify with a signed anchor, export:
      sign: { type: 'string' },
      'public-key': { type: 'string' },
      out: { type: 'string' },
      after: { type: 'string' },
      to: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

type ParsedOptions = ReturnType<typeof parseOptions>['values'];

const FilePath = z.string().min(1, 'a file name').max(4096);

/** The options a command accepts beside --help; the first other one given, if any. */
const unexpectedOption = (values: ParsedOptions, allowed: readonly string[]): string | undefined =>
  Object.keys(values).find((option) => option !== 'help' && !allowed.includes(option));

/** --batch-size and --concurrency, as verify (plain or signed) and anchor read them. */
function parseVerifyTuning(values: ParsedOptions): { batchSize?: number; concurrency?: number } | { error: AuditCommand } {
  const batchSize = values['batch-size'] === undefined ? undefined : Count(1_000_000).safeParse(values['batch-size']);
  if (batchSize && !batchSize.success) return { error: failure(batchSize.error, '--batch-size') };
  const concurrency = values.concurrency === undefined ? undefined : Count(64).safeParse(values.concurrency);
  if (concurrency && !concurrency.success) return { error: failure(concurrency.error, '--concurrency') };
  return { ...(batchSize ? { batchSize: batchSize.data } : {}), ...(concurrency ? { concurrency: concurrency.data } : {}) };
}

function parseVerify(values: ParsedOptions, target: string | undefined): AuditCommand {
  if (values['public-key'] !== undefined) return parseSignedVerify(values, target);
  if (target !== undefined) return { kind: 'usage', error: `verify takes no arguments (got ${target})` };
  const wrong = unexpectedOption(values, ['anchor', 'batch-size', 'concurrency']);
  if (wrong !== undefined) return { kind: 'usage', error: `verify takes no --${wrong}` };
  const anchor = values.anchor === undefined ? undefined : AnchorText.safeParse(values.anchor);
  if (anchor && !anchor.success) return failure(anchor.error, '--anchor');
  const tuning = parseVerifyTuning(values);
  if ('error' in tuning) return tuning.error;
  return { kind: 'verify', ...(anchor ? { anchor: anchor.data } : {}), ...tuning };
}

function parseStream(values: ParsedOptions, target: string | undefined): AuditCommand {
  const wrong = unexpectedOption(values, ['json']);
  if (wrong !== undefined) return { kind: 'usage', error: `stream takes no --${wrong}` };
  const streamId = StreamIdText.safeParse(target);
  if (!streamId.success) return failure(streamId.error, 'stream id');
  return { kind: 'stream', streamId: streamId.data, json: values.json === true };
}

function parseOrder(values: ParsedOptions, target: string | undefined): AuditCommand {
  const wrong = unexpectedOption(values, ['as-of']);
  if (wrong !== undefined) return { kind: 'usage', error: `order takes no --${wrong}` };
  const orderId = z.uuid().safeParse(target);
  if (!orderId.success) return failure(orderId.error, 'order id');
  const asOf = values['as-of'] === undefined ? undefined : AsOfText.safeParse(values['as-of']);
  if (asOf && !asOf.success) return failure(asOf.error, '--as-of');
  return { kind: 'order', orderId: orderId.data.toLowerCase(), asOf: asOf ? asOf.data : { kind: 'now' } };
}

function parseForget(values: ParsedOptions, target: string | undefined): AuditCommand {
  const wrong = unexpectedOption(values, []);
  if (wrong !== undefined) return { kind: 'usage', error: `forget takes no --${wrong}` };
  const customerId = z.uuid().safeParse(target);
  if (!customerId.success) return failure(customerId.error, 'customer id');
  return { kind: 'forget', customerId: customerId.data.toLowerCase() };
}

function parseSignedVerify(values: ParsedOptions, target: string | undefined): AuditCommand {
  if (target !== undefined) return { kind: 'usage', error: `verify takes no arguments (got ${target})` };
  const wrong = unexpectedOption(values, ['anchor', 'public-key', 'batch-size', 'concurrency']);
  if (wrong !== undefined) return { kind: 'usage', error: `verify takes no --${wrong}` };
  if (values.anchor === undefined) return { kind: 'usage', error: '--public-key checks a signed anchor: give the file with --anchor <signed-anchor-file>' };
  const anchorFile = FilePath.safeParse(values.anchor);
  if (!anchorFile.success) return failure(anchorFile.error, '--anchor');
  const publicKeyFile = FilePath.safeParse(values['public-key']);
  if (!publicKeyFile.success) return failure(publicKeyFile.error, '--public-key');
  const tuning = parseVerifyTuning(values);
  if ('error' in tuning) return tuning.error;
  return { kind: 'verify', signed: { anchorFile: anchorFile.data, publicKeyFile: publicKeyFile.data }, ...tuning };
}

function parseKeygen(values: ParsedOptions, target: string | undefined): AuditCommand {
  if (target !== undefined) return { kind: 'usage', error: `keygen takes no arguments (got ${target}); name the files with --out <prefix>` };
  const wrong = unexpectedOption(values, ['out']);
  if (wrong !== undefined) return { kind: 'usage', error: `keygen takes no --${wrong}` };
  const out = FilePath.safeParse(values.out ?? 'audit-anchor');
  if (!out.success) return failure(out.error, '--out');
  return { kind: 'keygen', out: out.data };
}

function parseAnchor(values: ParsedOptions, target: string | undefined): AuditCommand {
  if (target !== undefined) return { kind: 'usage', error: `anchor takes no arguments (got ${target})` };
  const wrong = unexpectedOption(values, ['sign', 'out', 'batch-size', 'concurrency']);
  if (wrong !== undefined) return { kind: 'usage', error: `anchor takes no --${wrong}` };
  const sign = values.sign === undefined ? undefined : FilePath.safeParse(values.sign);
  if (sign && !sign.success) return failure(sign.error, '--sign');
  const out = values.out === undefined ? undefined : FilePath.safeParse(values.out);
  if (out && !out.success) return failure(out.error, '--out');
  if (out && !sign) return { kind: 'usage', error: '--out writes a signed anchor document: give the private key with --sign <file>' };
  const tuning = parseVerifyTuning(values);
  if ('error' in tuning) return tuning.error;
  return { kind: 'anchor', ...(sign ? { privateKeyFile: sign.data } : {}), ...(out ? { out: out.data } : {}), ...tuning };
}

function parseExport(values: ParsedOptions, target: string | undefined): AuditCommand {
  if (target !== undefined) return { kind: 'usage', error: `export takes no arguments (got ${target})` };
  const wrong = unexpectedOption(values, ['after', 'to', 'out']);
  if (wrong !== undefined) return { kind: 'usage', error: `export takes no --${wrong}` };
  const after = values.after === undefined ? undefined : PositionText.safeParse(values.after);
  if (after && !after.success) return failure(after.error, '--after');
  const to = values.to === undefined ? undefined : PositionText.safeParse(values.to);
  if (to && !to.success) return failure(to.error, '--to');
  const out = values.out === undefined ? undefined : FilePath.safeParse(values.out);
  if (out && !out.success) return failure(out.error, '--out');
  const from = after ? after.data : 0n;
  if (to && to.data < from) return { kind: 'usage', error: `--to (${to.data}) is below --after (${from})` };
  return { kind: 'export', after: from, ...(to ? { to: to.data } : {}), ...(out ? { out: out.data } : {}) };
}

/** Each command's reader: its options and its one argument, if it takes one. */
const PARSERS = new Map<string, (values: ParsedOptions, target: string | undefined) => AuditCommand>([
  ['verify', parseVerify],
  ['stream', parseStream],
  ['order', parseOrder],
  ['keygen', parseKeygen],
  ['anchor', parseAnchor],
  ['export', parseExport],
  ['forget', parseForget],
]);
