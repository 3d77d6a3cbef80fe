import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { generateInitSql, INIT_SQL, loadSchema, REPOSITORY_ROOT, SCHEMA_FILES } from './schema.js';

/** Every .sql file below `packages/` (the shared packages hold the schema), relative to the repository root. */
async function sqlFilesOfPackages(): Promise<string[]> {
  const entries = await readdir(new URL('packages/', REPOSITORY_ROOT), { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.sql') && !entry.parentPath.includes('node_modules'))
    .map((entry) => relative(fileURLToPath(REPOSITORY_ROOT), join(entry.parentPath, entry.name)))
    .sort();
}

describe('the schema files', () => {
  it('are numbered in the order they are applied, each name once', () => {
    const names = SCHEMA_FILES.map((path) => path.slice(path.lastIndexOf('/') + 1));
    expect(names.every((name) => /^\d{4}-[a-z0-9-]+\.sql$/.test(name))).toBe(true);
    expect([...names].sort()).toEqual(names);
    expect(new Set(names).size).toBe(names.length);
  });

  it('are all listed: no SQL file of the packages is left out of the schema', async () => {
    expect(await sqlFilesOfPackages()).toEqual([...SCHEMA_FILES].sort());
  });

  it('are what the committed init.sql was generated from (else run `npm run schema:generate`)', async () => {
    expect(await readFile(INIT_SQL, 'utf8')).toBe(generateInitSql(await loadSchema()));
  });
});
