// Every way a service is started runs it with the same Node flags (decision 0092): the stack and the bench import
// SERVICE_NODE_FLAGS; the images cannot, so their entry points are held to it here.
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { SERVICE_NODE_FLAGS } from '@shop/service-kit';
import { repoPath } from '../paths.js';

const SERVICES = ['command-service', 'query-service', 'projector'];

/** The JSON-array entry point (Dockerfile `ENTRYPOINT [...]` or compose `entrypoint: [...]`) that runs `entry`. */
function entryPointOf(text: string, entry: string): string[] {
  const line = text.split('\n').find((l) => /^\s*(ENTRYPOINT|entrypoint:)/.test(l) && (l.includes(`${entry}'`) || l.includes(`${entry}"`)));
  if (!line) throw new Error(`no entry point runs ${entry}`);
  return JSON.parse(line.slice(line.indexOf('[')).replaceAll("'", '"')) as string[];
}

describe('the Node flags of the services', () => {
  it.each(SERVICES)('the production image of %s starts node with SERVICE_NODE_FLAGS', (service) => {
    const entry = entryPointOf(readFileSync(repoPath('infra/docker/Dockerfile'), 'utf8'), `${service}/dist/main.js`);
    expect(entry).toEqual(['node', ...SERVICE_NODE_FLAGS, `${service}/dist/main.js`]);
  });

  it.each(SERVICES)('the development compose file starts %s with them too (and --watch)', (service) => {
    const entry = entryPointOf(readFileSync(repoPath('docker-compose.dev.yml'), 'utf8'), `${service}/dist/main.js`);
    expect(entry).toEqual(['node', '--watch', ...SERVICE_NODE_FLAGS, `${service}/dist/main.js`]);
  });

  it('are flags this Node accepts (an unknown V8 flag would stop every service at start)', () => {
    const run = spawnSync(process.execPath, [...SERVICE_NODE_FLAGS, '-e', 'process.exit(0)'], { encoding: 'utf8' });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
  });
});
