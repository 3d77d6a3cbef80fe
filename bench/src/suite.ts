import type { Measurement } from './figures.js';

export interface SuiteContext {
  /** Server to benchmark against (`DATABASE_URL`); suites create and drop their own databases on it. */
  databaseUrl: string;
  /** Prints one progress line (the runner adds the suite name and the elapsed time). */
  progress(message: string): void;
}

export interface SuiteResult {
  measurements: Measurement[];
  /** What the peer figures were measured on, e.g. "Emmett 0.42.0 (@event-driven-io/emmett-postgresql)". */
  peer?: string;
  /**
   * The machine's speed gauge as this suite measured it (GET /healthz of the command service, per round), named
   * beside the suite's ratios in the report: a slower machine moves it as much as the figures.
   */
  gauge?: { name: string; unit: string; rounds: number[] };
  /** Conditions of the run worth reading next to the figures (sizes, settings, deviations). */
  notes: string[];
}

export interface Suite {
  name: string;
  description: string;
  run(context: SuiteContext): Promise<SuiteResult>;
}
