import { describe, expect, it } from '@jest/globals';
import { commandLine, parseArgs } from './args.js';

const known = ['event-store', 'commands'];

describe('parseArgs', () => {
  it('runs every suite without names', () => {
    expect(parseArgs([], known)).toEqual({ kind: 'run', suites: ['event-store', 'commands'] });
  });

  it('runs the named suites in the order given, once each', () => {
    expect(parseArgs(['commands', 'event-store', 'commands'], known)).toEqual({ kind: 'run', suites: ['commands', 'event-store'] });
  });

  it('names the unknown suites and lists the known ones', () => {
    const parsed = parseArgs(['event-store', 'nope'], known);
    expect(parsed).toEqual({ kind: 'error', message: 'Unknown suite: nope. Known suites: event-store, commands' });
  });

  it('answers --help', () => {
    expect(parseArgs(['-h'], known)).toEqual({ kind: 'help' });
    expect(parseArgs(['event-store', '--help'], known)).toEqual({ kind: 'help' });
  });
});

describe('commandLine', () => {
  it('spells an npm run as npm run bench -- <suites>', () => {
    expect(commandLine(['event-store'], { npm_lifecycle_event: 'bench' })).toBe('npm run bench -- event-store');
    expect(commandLine([], { npm_lifecycle_event: 'bench' })).toBe('npm run bench');
  });

  it('spells a direct run as node bench/dist/run.js, quoting what needs it', () => {
    expect(commandLine(['event-store', "it's"], {})).toBe(`node bench/dist/run.js event-store 'it'\\''s'`);
  });
});
