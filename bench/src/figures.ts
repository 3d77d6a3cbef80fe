import { median } from './stats.js';

/** One line of bench/results/latest.json. `ratio` = value / peer, both measured in the same run. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  peer?: number;
  ratio?: number;
}

/** What a suite measured for one figure: a value per round for our code and, when compared, for the peer. */
export interface Measurement {
  name: string;
  unit: string;
  /** Throughputs: higher is better. Latencies: lower is better (then a ratio below 1 means ours is better). */
  better: 'higher' | 'lower';
  ours: number[];
  peer?: number[];
}

/** Decimals kept per unit: whole events per second, hundredths of a millisecond. */
export function roundForUnit(value: number, unit: string): number {
  const decimals = unit === 'ms' ? 2 : Number.isInteger(value) || value >= 100 ? 0 : 2;
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

export function roundRatio(ratio: number): number {
  return Math.round(ratio * 100) / 100;
}

/** The figure of a measurement: the median over rounds, for ours and the peer, and their ratio (ours / peer). */
export function toFigure(measurement: Measurement): Figure {
  const value = median(measurement.ours);
  const figure: Figure = { name: measurement.name, value: roundForUnit(value, measurement.unit), unit: measurement.unit };
  if (measurement.peer && measurement.peer.length > 0) {
    const peer = median(measurement.peer);
    figure.peer = roundForUnit(peer, measurement.unit);
    if (peer !== 0) figure.ratio = roundRatio(value / peer);
  }
  return figure;
}

/**
 * Merges a run's figures into the existing ones: a figure replaces the one of the same name where it stood,
 * figures of other names are kept, and new names follow in the order given.
 */
export function mergeFigures(existing: readonly Figure[], incoming: readonly Figure[]): Figure[] {
  const byName = new Map<string, Figure>();
  for (const figure of incoming) byName.set(figure.name, figure);
  const merged = existing.map((figure) => byName.get(figure.name) ?? figure);
  const present = new Set(existing.map((figure) => figure.name));
  for (const figure of byName.values()) if (!present.has(figure.name)) merged.push(figure);
  return merged;
}

/** Reads latest.json's content leniently: anything but an array of figures is an error worth stopping for. */
export function parseFigures(text: string): Figure[] {
  if (text.trim() === '') return [];
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed)) throw new TypeError('latest.json must hold an array of figures');
  return parsed.map((item: unknown, index) => {
    const figure = item as Partial<Figure> | null;
    if (!figure || typeof figure.name !== 'string' || typeof figure.value !== 'number' || typeof figure.unit !== 'string') {
      throw new TypeError(`latest.json item ${index} is not a figure { name, value, unit }`);
    }
    return figure as Figure;
  });
}

export function formatFigures(figures: readonly Figure[]): string {
  return `${JSON.stringify(figures, null, 2)}\n`;
}
