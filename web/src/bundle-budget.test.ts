import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from '@jest/globals';

/**
 * The bundle budget of the web app (issue 16): no JavaScript chunk above 120 KB gzipped, so the first page a phone
 * opens downloads little. Read from the real build: `npm test` builds `web/dist` before jest runs.
 */
const BUDGET_BYTES = 120 * 1024;
const ASSETS = fileURLToPath(new URL('../dist/assets', import.meta.url));

interface Chunk {
  file: string;
  gzippedBytes: number;
}

/** The chunks over the budget, each named with its size, largest first: what a failure must say. */
function overBudget(chunks: readonly Chunk[], budgetBytes: number): string[] {
  return chunks
    .filter((chunk) => chunk.gzippedBytes > budgetBytes)
    .sort((a, b) => b.gzippedBytes - a.gzippedBytes)
    .map((chunk) => `${chunk.file}: ${(chunk.gzippedBytes / 1024).toFixed(1)} KB gzipped (budget ${budgetBytes / 1024} KB)`);
}

function builtChunks(): Chunk[] {
  if (!existsSync(ASSETS)) throw new Error(`${ASSETS} is missing: build the web app first (npm run build -w web)`);
  return readdirSync(ASSETS)
    .filter((file) => file.endsWith('.js'))
    .map((file) => ({ file, gzippedBytes: gzipSync(readFileSync(join(ASSETS, file)), { level: 9 }).length }));
}

describe('the bundle budget', () => {
  it('names each chunk over the budget with its gzipped size, largest first', () => {
    const chunks = [
      { file: 'index-a.js', gzippedBytes: 140 * 1024 },
      { file: 'react-b.js', gzippedBytes: 60 * 1024 },
      { file: 'zod-c.js', gzippedBytes: 150 * 1024 },
    ];
    expect(overBudget(chunks, BUDGET_BYTES)).toEqual([
      'zod-c.js: 150.0 KB gzipped (budget 120 KB)',
      'index-a.js: 140.0 KB gzipped (budget 120 KB)',
    ]);
  });

  it('keeps every JavaScript chunk of the built web app within 120 KB gzipped', () => {
    const chunks = builtChunks();
    // More than one chunk: the app is split by route (web/src/app/App.tsx) and by vendor (web/vite.config.ts).
    expect(chunks.length).toBeGreaterThan(1);
    expect(overBudget(chunks, BUDGET_BYTES)).toEqual([]);
  });
});
