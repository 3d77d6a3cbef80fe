export type ParsedArgs =
  | { kind: 'run'; suites: string[] }
  | { kind: 'help' }
  | { kind: 'error'; message: string };

/** `run.js [suite…]`: no name runs every suite; names run in the order given, each once. */
export function parseArgs(argv: readonly string[], known: readonly string[]): ParsedArgs {
  if (argv.some((arg) => arg === '--help' || arg === '-h')) return { kind: 'help' };
  const unknown = argv.filter((arg) => !known.includes(arg));
  if (unknown.length > 0) {
    const what = unknown.length === 1 ? 'Unknown suite' : 'Unknown suites';
    return { kind: 'error', message: `${what}: ${unknown.join(', ')}. Known suites: ${known.join(', ')}` };
  }
  return { kind: 'run', suites: argv.length === 0 ? [...known] : [...new Set(argv)] };
}

/** How the run was started, as the user would type it again. */
export function commandLine(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): string {
  const quoted = argv.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`));
  if (env.npm_lifecycle_event === 'bench') return ['npm run bench', ...(quoted.length > 0 ? ['--', ...quoted] : [])].join(' ');
  return ['node bench/dist/run.js', ...quoted].join(' ');
}
