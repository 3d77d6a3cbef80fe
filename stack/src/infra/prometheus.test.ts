import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { repoPath } from '../paths.js';
import { localScrapeConfig } from './prometheus.js';

describe('the local scrape config', () => {
  it('scrapes every instance of each service, one target per port', () => {
    const config = localScrapeConfig(readFileSync(repoPath('infra/prometheus/prometheus.yml'), 'utf8'), { 3001: [3001, 41001], 3002: [3002, 41002], 3003: [5003] });
    expect(config).toContain("targets: ['localhost:3001', 'localhost:41001']");
    expect(config).toContain("targets: ['localhost:3002', 'localhost:41002']");
    expect(config).toContain("targets: ['localhost:5003']");
  });
});
