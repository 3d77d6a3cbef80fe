// `npm run schema:generate`: writes the root init.sql from the schema files (schema.ts), for those who want one
// file. schema.test.ts fails while the committed init.sql differs from what this writes.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { generateInitSql, INIT_SQL, loadSchema } from './schema.js';

const migrations = await loadSchema();
await writeFile(INIT_SQL, generateInitSql(migrations));
console.log(`schema:generate: ${fileURLToPath(INIT_SQL)} written from ${migrations.length} files`);
