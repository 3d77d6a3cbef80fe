import { fileURLToPath } from 'node:url';

/** The repository root, from this module's place in stack/dist/. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const repoPath = (relative: string): string => fileURLToPath(new URL(relative, new URL('../../', import.meta.url)));
