import { describe, expect, it } from '@jest/globals';
import { formatFigures, mergeFigures, parseFigures, roundForUnit, toFigure, type Figure } from './figures.js';

describe('mergeFigures', () => {
  const old: Figure[] = [
    { name: 'a', value: 1, unit: 'events/s', peer: 2, ratio: 0.5 },
    { name: 'b', value: 3, unit: 'ms' },
    { name: 'c', value: 4, unit: 'events/s' },
  ];

  it('replaces figures of the same name in place and keeps the others', () => {
    const merged = mergeFigures(old, [{ name: 'b', value: 9, unit: 'ms', peer: 3, ratio: 3 }]);
    expect(merged).toEqual([old[0], { name: 'b', value: 9, unit: 'ms', peer: 3, ratio: 3 }, old[2]]);
  });

  it('drops the old peer and ratio when the new figure has none', () => {
    expect(mergeFigures(old, [{ name: 'a', value: 7, unit: 'events/s' }])[0]).toEqual({ name: 'a', value: 7, unit: 'events/s' });
  });

  it('appends new names in the order given, the last of duplicates winning', () => {
    const merged = mergeFigures(old, [
      { name: 'z', value: 1, unit: 'ms' },
      { name: 'y', value: 2, unit: 'ms' },
      { name: 'z', value: 3, unit: 'ms' },
    ]);
    expect(merged.map((f) => `${f.name}=${f.value}`)).toEqual(['a=1', 'b=3', 'c=4', 'z=3', 'y=2']);
  });

  it('starts from nothing', () => {
    expect(mergeFigures([], old)).toEqual(old);
  });

  it('does not change its inputs', () => {
    const copy = structuredClone(old);
    mergeFigures(old, [{ name: 'a', value: 0, unit: 'x' }]);
    expect(old).toEqual(copy);
  });
});

describe('toFigure', () => {
  it('takes the median of the rounds and the ratio ours / peer of the medians', () => {
    expect(
      toFigure({ name: 'append', unit: 'events/s', better: 'higher', ours: [3000.4, 2000.2, 9000], peer: [1000, 900, 1100] }),
    ).toEqual({ name: 'append', value: 3000, unit: 'events/s', peer: 1000, ratio: 3 });
  });

  it('keeps a ratio below 1 for a lower latency (lower is better)', () => {
    expect(toFigure({ name: 'p99', unit: 'ms', better: 'lower', ours: [2.345, 2.5, 9], peer: [10, 10, 10] })).toEqual({
      name: 'p99',
      value: 2.5,
      unit: 'ms',
      peer: 10,
      ratio: 0.25,
    });
  });

  it('leaves peer and ratio out without a peer measurement', () => {
    expect(toFigure({ name: 'x', unit: 'ms', better: 'lower', ours: [1.234] })).toEqual({ name: 'x', value: 1.23, unit: 'ms' });
  });
});

describe('roundForUnit', () => {
  it('keeps whole events per second and hundredths of milliseconds', () => {
    expect(roundForUnit(1234.56, 'events/s')).toBe(1235);
    expect(roundForUnit(0.4567, 'ms')).toBe(0.46);
    expect(roundForUnit(12.5, 'x')).toBe(12.5);
  });
});

describe('parseFigures / formatFigures', () => {
  it('round-trips and treats an empty file as no figures', () => {
    const figures: Figure[] = [{ name: 'a', value: 1, unit: 'ms', peer: 2, ratio: 0.5 }];
    expect(parseFigures(formatFigures(figures))).toEqual(figures);
    expect(parseFigures('')).toEqual([]);
    expect(formatFigures(figures).endsWith('}\n]\n')).toBe(true);
  });

  it('refuses what is not an array of figures', () => {
    expect(() => parseFigures('{}')).toThrow(TypeError);
    expect(() => parseFigures('[{"name":"a"}]')).toThrow(/item 0/);
  });
});
