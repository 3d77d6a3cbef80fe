import { describe, expect, it } from '@jest/globals';
import { cpuSeconds, parseCpuSeconds, parseVmRssMegabytes, residentMegabytes, rssMeasurements } from './memory.js';

const status = ['Name:\tnode', 'VmPeak:\t 1234568 kB', 'VmHWM:\t  204800 kB', 'VmRSS:\t  102400 kB', 'RssAnon:\t   81920 kB', 'Threads:\t11'].join('\n');

describe('parseVmRssMegabytes', () => {
  it('reads the VmRSS line, not the peak or the anonymous part, in MiB', () => {
    expect(parseVmRssMegabytes(status)).toBe(100);
  });

  it('refuses a status without VmRSS (a kernel thread, an exited process)', () => {
    expect(() => parseVmRssMegabytes('Name:\tkthreadd\nState:\tS (sleeping)\n')).toThrow(TypeError);
  });
});

describe('residentMegabytes', () => {
  it('reads this very process within a few MB of what Node reports', async () => {
    const rss = await residentMegabytes(process.pid);
    expect(Math.abs(rss - process.memoryUsage.rss() / 1024 / 1024)).toBeLessThan(16);
  });
});

describe('rssMeasurements', () => {
  it('reports warm, end and growth = end / warm per round, with the peer beside when given', () => {
    const [warm, end, growth] = rssMeasurements('commands', 'command-service', [{ warm: 100, end: 110 }, { warm: 80, end: 80 }], [{ warm: 50, end: 100 }, { warm: 60, end: 60 }]);
    expect(warm).toEqual({ name: 'commands.command-service.rss.warm', unit: 'MB', better: 'lower', ours: [100, 80], peer: [50, 60] });
    expect(end?.ours).toEqual([110, 80]);
    expect(growth).toEqual({ name: 'commands.command-service.rss.growth', unit: '×', better: 'lower', ours: [1.1, 1], peer: [2, 1] });
  });

  it('has no peer when none was measured', () => {
    expect(rssMeasurements('visibility', 'projector', [{ warm: 1, end: 2 }]).every((m) => m.peer === undefined)).toBe(true);
  });
});

describe('parseCpuSeconds', () => {
  it('adds user and system ticks (1/100 s), past a command name holding spaces and parentheses', () => {
    const stat = '4242 (node (svc) x) S 1 4242 4242 0 -1 4194560 9000 0 12 0 1234 56 0 0 20 0 11 0 8000 1000000 25000';
    expect(parseCpuSeconds(stat)).toBeCloseTo(12.9);
  });

  it('refuses what is not a stat line', () => {
    expect(() => parseCpuSeconds('(nothing) here')).toThrow(TypeError);
  });

  it('sees this process use CPU while it spins', async () => {
    const before = await cpuSeconds(process.pid);
    const until = Date.now() + 120;
    while (Date.now() < until) Math.sqrt(Math.random());
    expect(await cpuSeconds(process.pid)).toBeGreaterThan(before);
  });
});
