import { describe, expect, it } from '@jest/globals';
import { checkpointNameOf, ordinalOf, ownsStream, partitionOf, partitionsToRun } from './partition.js';

describe('partitions', () => {
  const streams = Array.from({ length: 4_000 }, (_, i) => `product-${i.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`);

  it('gives every stream exactly one owner among the partitions', () => {
    for (const stream of streams.slice(0, 200)) {
      const owners = [0, 1, 2, 3].filter((index) => ownsStream({ index, count: 4 }, stream));
      expect(owners).toEqual([partitionOf(stream, 4)]);
    }
  });

  it('spreads streams evenly enough', () => {
    const counts = [0, 0, 0, 0];
    for (const stream of streams) counts[partitionOf(stream, 4)]! += 1;
    for (const count of counts) expect(count).toBeGreaterThan(800);
  });

  it('is stable: the same stream always hashes alike', () => {
    expect(partitionOf('order-a9d3e1f0-5b6c-4d7e-8f90-1a2b3c4d5e6f', 8)).toBe(partitionOf('order-a9d3e1f0-5b6c-4d7e-8f90-1a2b3c4d5e6f', 8));
  });

  it('names one partition\'s checkpoint after its projection, and leaves an unpartitioned one alone', () => {
    expect(checkpointNameOf('catalog', { index: 1, count: 4 })).toBe('catalog/1of4');
    expect(checkpointNameOf('catalog', undefined)).toBe('catalog');
    expect(checkpointNameOf('catalog', { index: 0, count: 1 })).toBe('catalog');
  });

  it('reads which partitions a process runs', () => {
    expect(partitionsToRun(3, 'all').map((p) => p.index)).toEqual([0, 1, 2]);
    expect(partitionsToRun(4, '2, 0,2').map((p) => p.index)).toEqual([0, 2]);
    expect(() => partitionsToRun(4, '4')).toThrow(RangeError);
    expect(() => partitionsToRun(0, 'all')).toThrow(RangeError);
    expect(() => partitionsToRun(4, 'x')).toThrow(RangeError);
  });

  it('runs the partition named by a StatefulSet pod\'s ordinal with PROJECTOR_PARTITIONS=ordinal', () => {
    expect(partitionsToRun(3, 'ordinal', 'projector-0')).toEqual([{ index: 0, count: 3 }]);
    expect(partitionsToRun(3, 'ordinal', 'projector-2')).toEqual([{ index: 2, count: 3 }]);
    expect(partitionsToRun(12, 'ordinal', 'shop-projector-11')).toEqual([{ index: 11, count: 12 }]);
  });

  it('refuses an ordinal beyond the partitions (more replicas than PROJECTION_PARTITIONS)', () => {
    expect(() => partitionsToRun(2, 'ordinal', 'projector-2')).toThrow('partition 2 is not one of 0..1');
    expect(() => partitionsToRun(1, 'ordinal', 'projector-1')).toThrow(RangeError);
  });

  it('refuses PROJECTOR_PARTITIONS=ordinal on a host name without an ordinal, naming the host', () => {
    expect(() => ordinalOf('projector-7d9f8b6c4-x2x9q')).toThrow('not "projector-7d9f8b6c4-x2x9q"');
    expect(() => ordinalOf('laptop')).toThrow(RangeError);
    expect(() => ordinalOf(undefined)).toThrow(RangeError);
  });
});
