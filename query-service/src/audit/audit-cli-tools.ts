import { open, readFile, unlink, writeFile } from 'node:fs/promises';
import { readStoreHead, verifyHashChains, type EventStore, type LogAnchor, type Queryable } from '@shop/kernel';
import { formatExportProgress, formatProgress, formatVerdict, type AuditCommand, type SignedAnchorFiles } from './audit-cli.js';
import { formatAnchor } from './audit.params.js';
import { toVerifyResultView } from './audit.views.js';
import { exportRange, writeExport } from './event-export.js';
import { AnchorKeyError, checkSignedAnchor, generateAnchorKeyPair, parseAnchorKey, signAnchor } from './signed-anchor.js';

/**
 * The I/O of the audit CLI's signed-anchor and export commands (audit.cli.ts runs them): key and anchor files,
 * progress on stderr, data on stdout or into a new file. Exit codes as audit.cli.ts: 0 fine, 1 refused (a broken log,
 * an anchor that is not validly signed, a file that exists), 2 bad input (a file that cannot be read, a key that is
 * not an Ed25519 key).
 */

/** Progress at most this often. */
const PROGRESS_EVERY_MS = 1_000;

const say = (line: string): void => {
  process.stderr.write(`${line}\n`);
};
const reason = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Creates `path` holding `text`; never replaces an existing file (a key or an anchor overwritten is lost for good). */
async function createFile(path: string, text: string, mode: number): Promise<void> {
  await writeFile(path, text, { flag: 'wx', mode });
}

async function readText(path: string, what: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    say(`cannot read the ${what} ${path}: ${reason(error)}`);
    return undefined;
  }
}

export async function runKeygen(command: Extract<AuditCommand, { kind: 'keygen' }>): Promise<number> {
  const pair = generateAnchorKeyPair();
  const privateFile = `${command.out}.key`;
  const publicFile = `${command.out}.pub`;
  try {
    await createFile(privateFile, pair.privateKeyPem, 0o600);
  } catch (error) {
    say(`not written: ${privateFile}: ${reason(error)} (keygen never overwrites a key; choose another --out)`);
    return 1;
  }
  try {
    await createFile(publicFile, pair.publicKeyPem, 0o644);
  } catch (error) {
    // A private key without its public half is of no use to anyone: take it back.
    await unlink(privateFile).catch(() => undefined);
    say(`not written: ${publicFile}: ${reason(error)} (keygen never overwrites a key; choose another --out)`);
    return 1;
  }
  console.log(`private key: ${privateFile} (mode 0600; keep it with the auditor, away from the shop's systems and its backups)`);
  console.log(`public key:  ${publicFile} (give it to whoever checks anchors: verify --anchor <file> --public-key ${publicFile})`);
  console.log(`key id:      ${pair.keyId}`);
  return 0;
}

/** Verifies the log with progress on stderr (stdout may carry the document); the anchor when every chain holds. */
async function verifiedAnchor(db: Queryable, command: { batchSize?: number; concurrency?: number }): Promise<LogAnchor | undefined> {
  const started = performance.now();
  let lastLine = 0;
  const verdict = await verifyHashChains(db, {
    ...(command.batchSize ? { batchSize: command.batchSize } : {}),
    ...(command.concurrency ? { concurrency: command.concurrency } : {}),
    onProgress: (progress) => {
      const now = performance.now();
      if (now - lastLine < PROGRESS_EVERY_MS && progress.position !== progress.throughPosition) return;
      lastLine = now;
      say(`[audit] ${formatProgress(progress, now - started)}`);
    },
  });
  if (verdict.ok) return verdict.anchor;
  for (const line of formatVerdict(toVerifyResultView(verdict)).slice(0, -1)) say(line);
  // An anchor attests the log as it is: signing a log with broken links would vouch for the tampering.
  say('not anchored: the log has broken links (see above); find out what happened before taking an anchor');
  return undefined;
}

export async function runAnchor(command: Extract<AuditCommand, { kind: 'anchor' }>, db: Queryable): Promise<number> {
  // Read the key first: a wrong key file should not cost a verification of the whole log.
  let privateKey: ReturnType<typeof parseAnchorKey> | undefined;
  if (command.privateKeyFile !== undefined) {
    const text = await readText(command.privateKeyFile, 'private key');
    if (text === undefined) return 2;
    try {
      privateKey = parseAnchorKey(text, 'private');
    } catch (error) {
      if (!(error instanceof AnchorKeyError)) throw error;
      say(`${command.privateKeyFile}: ${error.message}`);
      return 2;
    }
  }
  const anchor = await verifiedAnchor(db, command);
  if (!anchor) return 1;
  if (!privateKey) {
    console.log(formatAnchor(anchor));
    return 0;
  }
  const document = `${JSON.stringify(signAnchor(anchor, new Date(), privateKey), null, 2)}\n`;
  if (command.out === undefined) {
    process.stdout.write(document);
  } else {
    try {
      await createFile(command.out, document, 0o644);
    } catch (error) {
      say(`not written: ${command.out}: ${reason(error)} (an anchor file is never overwritten; choose another --out)`);
      return 1;
    }
  }
  say(`signed anchor ${formatAnchor(anchor)}${command.out === undefined ? '' : ` written to ${command.out}`}`);
  return 0;
}

/**
 * The anchor of `verify --anchor <file> --public-key <file>`, once its signature checks out; otherwise an exit code,
 * with the reason said on stderr.
 */
export async function readSignedAnchor(files: SignedAnchorFiles): Promise<{ anchor: LogAnchor } | { exitCode: number }> {
  const keyText = await readText(files.publicKeyFile, 'public key');
  if (keyText === undefined) return { exitCode: 2 };
  let publicKey;
  try {
    publicKey = parseAnchorKey(keyText, 'public');
  } catch (error) {
    if (!(error instanceof AnchorKeyError)) throw error;
    say(`${files.publicKeyFile}: ${error.message}`);
    return { exitCode: 2 };
  }
  const anchorText = await readText(files.anchorFile, 'signed anchor');
  if (anchorText === undefined) return { exitCode: 2 };
  let document: unknown;
  try {
    document = JSON.parse(anchorText);
  } catch {
    document = anchorText;
  }
  const check = checkSignedAnchor(document, publicKey);
  if (!check.ok) {
    const label = check.reason === 'bad_signature' ? 'BAD SIGNATURE' : check.reason === 'wrong_key' ? 'WRONG KEY' : 'NOT A SIGNED ANCHOR';
    console.log(`${label}: ${files.anchorFile}: ${check.detail}`);
    console.log('refused: the log was not checked against this anchor');
    return { exitCode: 1 };
  }
  console.log(`signature valid: anchor ${formatAnchor(check.anchor)}, signed ${check.time} by key ${check.keyId}`);
  return { anchor: check.anchor };
}

export async function runExport(command: Extract<AuditCommand, { kind: 'export' }>, store: EventStore, db: Queryable): Promise<number> {
  const head = await readStoreHead(db);
  // A fixed range: events appended while the export runs are not in it (run again with --after to follow).
  const range = exportRange(command.after, command.to, head);
  let file;
  if (command.out !== undefined) {
    try {
      file = await open(command.out, 'wx', 0o644);
    } catch (error) {
      say(`not written: ${command.out}: ${reason(error)} (an export never overwrites a file; choose another --out)`);
      return 1;
    }
  }
  const started = performance.now();
  let lastLine = 0;
  let exported = 0;
  const destination = command.out ?? 'stdout';
  try {
    await writeExport(store, range, file ? file.createWriteStream() : process.stdout, {
      // stdout stays open for whatever the process still says; a file is closed at the end.
      end: file !== undefined,
      onProgress: (progress) => {
        exported = progress.exported;
        const now = performance.now();
        if (now - lastLine < PROGRESS_EVERY_MS) return;
        lastLine = now;
        say(`[audit] ${formatExportProgress(progress, now - started)}`);
      },
    });
  } catch (error) {
    say(`export failed after ${exported} events: ${reason(error)}${file ? ` (${command.out} is incomplete)` : ''}`);
    return 1;
  } finally {
    await file?.close().catch(() => undefined);
  }
  const elapsed = performance.now() - started;
  say(`[audit] ${formatExportProgress({ exported, position: range.to, range }, elapsed)}`);
  say(`exported ${exported} events (after position ${range.after} through ${range.to}) to ${destination}`);
  return 0;
}
