import { readFileSync } from 'node:fs';

/** A process of the stack under test, as /proc shows it now. */
export interface ProcessInfo {
  pid: number;
  /** The stack's name for it (command-service-1, …) or, for processes it does not name, `comm` and role. */
  name: string;
  rssMb: number;
}

const read = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined; // the process ended between listing and reading: it is simply not sampled
  }
};

/** VmRSS from /proc/<pid>/status, in MB; undefined when the process is gone. */
export function rssMbOf(pid: number): number | undefined {
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(read(`/proc/${pid}/status`) ?? '')?.[1];
  return kb === undefined ? undefined : Number(kb) / 1024;
}

/** Every descendant of `root` (children of children too), from /proc/<pid>/task/<tid>/children. */
export function descendantsOf(root: number): number[] {
  const found: number[] = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.shift()!;
    const tasks = read(`/proc/${pid}/task/${pid}/children`);
    for (const child of (tasks ?? '').split(/\s+/).filter(Boolean).map(Number)) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/**
 * The RSS of every process this run started (the stack's services, nginx's master and workers), named: services by
 * the stack's names (`named`: pid → name), others by their command (`nginx: worker process` → `nginx worker 1`).
 */
export function sampleProcesses(named: ReadonlyMap<number, string>): ProcessInfo[] {
  const infos: ProcessInfo[] = [];
  const seen = new Map<string, number>();
  for (const pid of descendantsOf(process.pid)) {
    const rssMb = rssMbOf(pid);
    if (rssMb === undefined) continue;
    let name = named.get(pid);
    if (!name) {
      const cmdline = (read(`/proc/${pid}/cmdline`) ?? '').replaceAll('\0', ' ').trim();
      if (cmdline.startsWith('nginx: master')) name = 'nginx master';
      else if (cmdline.startsWith('nginx: worker')) name = 'nginx worker';
      else continue; // not part of the stack (a shell, a helper of the harness)
      const n = (seen.get(name) ?? 0) + 1;
      seen.set(name, n);
      if (name === 'nginx worker') name = `nginx worker ${n}`;
    }
    infos.push({ pid, name, rssMb });
  }
  return infos.sort((a, b) => a.name.localeCompare(b.name));
}
