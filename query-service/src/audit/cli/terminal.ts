import { readFile, writeFile } from 'node:fs/promises';

/**
 * The audit CLI's side of the terminal and the file system, shared by its commands. Exit codes, as ../audit.cli.ts
 * says: 0 fine, 1 refused (a broken log, an anchor that is not validly signed, a file that exists), 2 bad input (a
 * file that cannot be read, a key that is not an Ed25519 key).
 */

/** A progress line at most this often (a batch takes milliseconds; a terminal does not need hundreds a second). */
const PROGRESS_EVERY_MS = 1_000;

/** Says `line` on stderr: commands whose stdout carries data (an anchor document, an export) say everything else here. */
export const say = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

export const reason = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Creates `path` holding `text`; never replaces an existing file (a key or an anchor overwritten is lost for good). */
export async function createFile(path: string, text: string, mode: number): Promise<void> {
  await writeFile(path, text, { flag: 'wx', mode });
}

/** The file's text, or undefined after saying why it could not be read. */
export async function readText(path: string, what: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    say(`cannot read the ${what} ${path}: ${reason(error)}`);
    return undefined;
  }
}

/** Paces the progress lines of a long command: at most one a second, and the last one always. */
export class ProgressClock {
  private readonly started = performance.now();
  private lastLine = 0;

  /** The milliseconds elapsed if a progress line is due now, else undefined. */
  due(last = false): number | undefined {
    const now = performance.now();
    if (now - this.lastLine < PROGRESS_EVERY_MS && !last) return undefined;
    this.lastLine = now;
    return now - this.started;
  }

  get elapsedMs(): number {
    return performance.now() - this.started;
  }
}
