import { unlink } from 'node:fs/promises';
import { verifyHashChains, type HashChainVerdict, type LogAnchor, type Queryable } from '@shop/kernel';
import { formatAnchor } from '../audit.params.js';
import { toVerifyResultView } from '../audit.views.js';
import { AnchorKeyError, checkSignedAnchor, generateAnchorKeyPair, parseAnchorKey, signAnchor } from '../signed-anchor.js';
import type { AuditCommand, SignedAnchorFiles } from './arguments.js';
import { formatProgress, formatVerdict } from './terminal-lines.js';
import { createFile, ProgressClock, readText, reason, say } from './terminal.js';

/**
 * `verify`, `anchor` and `keygen`: the hash chains checked, and the anchors that let a later check prove the log
 * was not rewritten (signed with the auditor's own key; decision 0050).
 */

interface VerifyTuning {
  batchSize?: number;
  concurrency?: number;
}

/** Recomputes every hash chain, a progress line to `print` at most once a second. */
function verifyWithProgress(db: Queryable, command: VerifyTuning & { expectAnchor?: LogAnchor }, print: (line: string) => void): Promise<HashChainVerdict> {
  const clock = new ProgressClock();
  return verifyHashChains(db, {
    ...(command.expectAnchor ? { expectAnchor: command.expectAnchor } : {}),
    ...(command.batchSize ? { batchSize: command.batchSize } : {}),
    ...(command.concurrency ? { concurrency: command.concurrency } : {}),
    onProgress: (progress) => {
      const elapsed = clock.due(progress.position === progress.throughPosition);
      if (elapsed !== undefined) print(`[audit] ${formatProgress(progress, elapsed)}`);
    },
  });
}

export async function runVerify(command: Extract<AuditCommand, { kind: 'verify' }>, db: Queryable): Promise<number> {
  const signed = command.signed ? await readSignedAnchor(command.signed) : undefined;
  if (signed && 'exitCode' in signed) return signed.exitCode;
  const expectAnchor = signed ? signed.anchor : command.anchor;
  const verdict = await verifyWithProgress(db, { ...command, ...(expectAnchor ? { expectAnchor } : {}) }, (line) => console.log(line));
  for (const line of formatVerdict(toVerifyResultView(verdict))) console.log(line);
  return verdict.ok ? 0 : 1;
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
async function verifiedAnchor(db: Queryable, command: VerifyTuning): Promise<LogAnchor | undefined> {
  const verdict = await verifyWithProgress(db, command, say);
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
