import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The installed version of package `name` as resolved from `from` (a directory, relative to this file; by default
 * bench's own), for the reports' peer lines; 'unknown' when it cannot be resolved.
 */
export function packageVersion(name: string, from = './'): string {
  try {
    // Walk up from the resolved entry point to the package's own package.json (its exports map hides it).
    let dir = dirname(createRequire(new URL(from, import.meta.url)).resolve(name));
    for (let depth = 0; depth < 5; depth++, dir = dirname(dir)) {
      try {
        const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
        if (manifest.name === name && manifest.version) return manifest.version;
      } catch {
        // no package.json at this level
      }
    }
  } catch {
    // not resolvable
  }
  return 'unknown';
}
